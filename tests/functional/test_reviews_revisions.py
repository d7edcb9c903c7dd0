"""Published reviews and notes are immutable: the old draft/submit/verdict/coaching routes refuse to change them,
and a correction (scores or note) is a new revision with who, when and why, shown on the review and coaching
pages."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.models import (AuditEvent, CoachingNote, CriterionScore, NoteRevision, Review, ReviewFlagVerdict,
                           ReviewRevision)
from qa_app.services import scoring
from tests.functional.test_reviews import FULL, world  # noqa: F401  (world is a fixture)


@pytest.fixture()
def published(client, as_user, world, session):
    """world's T-1 reviewed with FULL, submitted and published by its reviewer."""
    as_user(world["reviewer"])
    url = f"/reviews/assignment/{world['a1'].id}"
    client.get(url)
    assert client.post(url, data={**FULL, "submit": "1"}).status_code == 302
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    assert client.post(f"/reviews/{rv.id}/coaching", data={"body": "Good start.", "publish": "1"}).status_code == 302
    session.expire_all()
    rv = session.get(Review, rv.id)
    assert rv.status == "published" and rv.revision == 1
    return dict(world, rv=rv, url=url)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def state(session, rv_id):
    session.expire_all()
    rv = session.get(Review, rv_id)
    return (dict(rv.answers), dict(rv.comments), rv.overall, rv.revision, rv.note.body, rv.note.revision,
            count(session, ReviewRevision), count(session, NoteRevision), count(session, ReviewFlagVerdict))


def test_the_old_routes_cannot_change_a_published_review(client, published, session):
    rv, url = published["rv"], published["url"]
    before = state(session, rv.id)
    tone = published["flags"][0]
    changed = {**FULL, "answer-respectful_tone": "1", "answer-correct_answer": "3"}
    assert client.post(url, data={**changed, "save": "1"}).status_code == 409
    client.post(url, data={**changed, "submit": "1"})  # a late second submit: "nothing was changed"
    assert client.post(f"{url}/flags/{tone.id}", data={"verdict": "dismissed"}).status_code == 409
    assert client.post(f"/reviews/{rv.id}/coaching", data={"body": "Rewritten", "save": "1"}).status_code == 409
    assert client.post(f"/reviews/{rv.id}/coaching", data={"body": "Rewritten", "publish": "1"}).status_code == 409
    assert state(session, rv.id) == before


def test_correcting_scores_is_a_new_revision_with_who_when_why(client, as_user, published, session):
    rv = published["rv"]
    old_overall = rv.overall
    page = client.get(published["url"]).get_data(as_text=True)
    assert f'href="/reviews/{rv.id}/revise"' in page and 'id="review-history"' in page
    form = client.get(f"/reviews/{rv.id}/revise").get_data(as_text=True)
    assert 'name="reason"' in form and 'name="csrf_token"' in form
    assert '<input autocomplete="off" checked class="btn-check" id="answer-respectful_tone-0"' in form  # current
    # no reason: refused, nothing written
    r = client.post(f"/reviews/{rv.id}/revise", data={**FULL, "answer-respectful_tone": "1", "revise": "1"})
    assert r.status_code == 400 and "A revision needs a reason." in r.get_data(as_text=True)
    # nothing changed: refused with a message
    r = client.post(f"/reviews/{rv.id}/revise", data={**FULL, "reason": "Just looking", "revise": "1"})
    assert r.status_code == 400 and "Nothing to change." in r.get_data(as_text=True)
    assert count(session, ReviewRevision) == 1
    r = client.post(f"/reviews/{rv.id}/revise", data={
        **FULL, "answer-respectful_tone": "1", "comment-respectful_tone": "Re-read: it was fine.",
        "reason": "Misread <b>the</b> tone", "revise": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{published['url']}#review-history")
    session.expire_all()
    rv = session.get(Review, rv.id)
    expected = scoring.score_document(published["version"].document, {
        "greeting_and_closing": 1, "respectful_tone": 1, "correct_answer": 2, "timely": None, "data_protected": 1})
    assert rv.revision == 2 and rv.overall == pytest.approx(expected.overall) and rv.overall != old_overall
    assert rv.status == "published" and rv.comments["respectful_tone"] == "Re-read: it was fine."
    row = session.scalar(select(ReviewRevision).where(ReviewRevision.number == 2))
    assert row.changed_by_id == published["reviewer"].id and row.reason == "Misread <b>the</b> tone"
    assert row.source == "correction"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "review.revised"))
    assert event.details["before"] == {"respectful_tone": 0} and event.details["after"] == {"respectful_tone": 1}
    # the history on the review page: who, why (escaped), score before -> after, which criterion changed
    page = client.get(published["url"]).get_data(as_text=True)
    history = page.split('id="review-history"')[1]
    assert published["reviewer"].email in history and "Misread &lt;b&gt;the&lt;/b&gt; tone" in history
    assert f"{old_overall:.1f} → {rv.overall:.1f}" in history
    assert "Respectful, professional tone: No → Yes" in history and 'data-revision="2"' in history
    assert "revision 2" in page
    # the coaching page shows the same history
    assert "Respectful, professional tone: No → Yes" in client.get(f"/reviews/{rv.id}/coaching").get_data(as_text=True)


def test_who_may_correct(client, as_user, published, session):
    rv = published["rv"]
    data = {**FULL, "answer-correct_answer": "3", "reason": "Second look", "revise": "1"}
    for user, status in ((published["other_reviewer"], 403), (published["other_lead"], 403),
                         (published["agent_user"], 403)):
        as_user(user)
        assert client.get(f"/reviews/{rv.id}/revise").status_code == status
        assert client.post(f"/reviews/{rv.id}/revise", data=data).status_code == status
        assert client.post(f"/reviews/{rv.id}/coaching/revise",
                           data={"body": "x", "reason": "y"}).status_code == status
    assert count(session, ReviewRevision) == 1
    as_user(published["lead"])  # the team's lead may
    assert client.post(f"/reviews/{rv.id}/revise", data=data).status_code == 302
    session.expire_all()
    assert session.get(Review, rv.id).revision == 2
    row = session.scalar(select(ReviewRevision).where(ReviewRevision.number == 2))
    assert row.changed_by_id == published["lead"].id
    assert client.get("/reviews/999999/revise").status_code == 404


def test_unpublished_reviews_are_not_revised_here(client, as_user, world, session):
    as_user(world["reviewer"])
    url = f"/reviews/assignment/{world['a1'].id}"
    client.get(url)
    rv = session.scalar(select(Review))
    assert client.get(f"/reviews/{rv.id}/revise").status_code == 409  # a draft is edited on the review page
    client.post(url, data={**FULL, "submit": "1"})
    assert client.get(f"/reviews/{rv.id}/revise").status_code == 409
    assert client.post(f"/reviews/{rv.id}/coaching/revise", data={"body": "x", "reason": "y"}).status_code == 403


def test_correcting_the_published_note(client, as_user, published, session):
    rv = published["rv"]
    page = client.get(f"/reviews/{rv.id}/coaching").get_data(as_text=True)
    assert "Correct this note" in page and f'action="/reviews/{rv.id}/coaching/revise"' in page
    r = client.post(f"/reviews/{rv.id}/coaching/revise", data={"body": "Better start.", "reason": ""})
    assert r.status_code == 400 and "A revision needs a reason." in r.get_data(as_text=True)
    r = client.post(f"/reviews/{rv.id}/coaching/revise", data={"body": "Good start.", "reason": "typo"})
    assert r.status_code == 400 and "Nothing to change." in r.get_data(as_text=True)
    assert count(session, NoteRevision) == 1
    r = client.post(f"/reviews/{rv.id}/coaching/revise", data={"body": "Good start <i>indeed</i>.",
                                                               "reason": "Warmer wording"})
    assert r.status_code == 302
    session.expire_all()
    note = session.scalar(select(CoachingNote))
    assert note.revision == 2 and note.body == "Good start <i>indeed</i>.\n" and note.status == "published"
    rows = list(session.scalars(select(NoteRevision).order_by(NoteRevision.number)))
    assert [(r.number, r.body, r.reason) for r in rows] == [
        (1, "Good start.\n", "published"), (2, "Good start <i>indeed</i>.\n", "Warmer wording")]
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "note.revised")).details["revision"] == 2
    page = client.get(f"/reviews/{rv.id}/coaching").get_data(as_text=True)
    history = page.split('id="note-history"')[1]
    assert "Warmer wording" in history and published["reviewer"].email in history and "Good start.\n" in history
    assert "Good start &lt;i&gt;indeed&lt;/i&gt;." in page and "<i>indeed</i>" not in page


def test_every_change_after_publishing_leaves_a_revision_and_the_rollup_follows(client, published, session):
    rv = published["rv"]
    rollup = lambda: {c.criterion_key: c.score for c in session.scalars(select(CriterionScore))}  # noqa: E731
    session.expire_all()
    assert rollup()["correct_answer"] == pytest.approx(0.5)
    for n, value in enumerate(("3", "1"), start=2):
        client.post(f"/reviews/{rv.id}/revise", data={**FULL, "answer-correct_answer": value,
                                                      "reason": f"change {n}", "revise": "1"})
        session.expire_all()
        assert session.get(Review, rv.id).revision == n and count(session, ReviewRevision) == n
        assert count(session, CriterionScore) == 5  # one row per criterion (N/A: score None), rewritten
    assert rollup()["correct_answer"] == 0.0
    assert session.scalar(select(func.count()).where(AuditEvent.action == "review.revised")) == 2

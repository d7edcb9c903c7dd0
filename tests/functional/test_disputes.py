"""Disputes end to end: the agent disputes a criterion or the whole review; leads of the team (and admins) see the
queue and resolve (uphold, or change the score as a new revision rescored by the scoring engine); the agent sees
the outcome; everything audited and notified; everyone else gets 403/404."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.models import AuditEvent, CriterionScore, Dispute, Notification, Review, ReviewRevision
from qa_app.services import scoring
from tests.functional.test_portal import build_world


@pytest.fixture()
def world(make, session):
    return build_world(make, session)


def _raise(client, as_user, world, criterion="respectful_tone", reason="The customer was rude first."):
    as_user(world["agent_user"])
    return client.post(f"/me/reviews/{world['rv1'].id}/disputes", data={"criterion": criterion, "reason": reason})


def _dispute(session) -> Dispute:
    session.expire_all()
    return session.scalars(select(Dispute).order_by(Dispute.id.desc())).first()


def test_agent_disputes_a_criterion_lead_is_notified_and_it_is_audited(client, as_user, world, session):
    response = _raise(client, as_user, world)
    assert response.status_code == 302 and response.headers["Location"].endswith("#disputes")
    d = _dispute(session)
    assert (d.status, d.criterion_key, d.agent_id, d.raised_by_id) == (
        "open", "respectful_tone", world["agent"].id, world["agent_user"].id)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "dispute.raised"))
    assert event.target_id == str(d.id) and event.details["criterion"] == "respectful_tone"
    notes = list(session.scalars(select(Notification).where(Notification.kind == "dispute.raised")))
    assert [n.user_id for n in notes] == [world["lead"].id] and notes[0].link == f"/disputes/{d.id}"
    page = client.get(f"/me/reviews/{world['rv1'].id}").get_data(as_text=True)
    assert f'id="dispute-{d.id}"' in page and "The customer was rude first." in page and ">open<" in page


def test_one_open_dispute_per_criterion_reason_required_known_criterion(client, as_user, world, session):
    assert _raise(client, as_user, world).status_code == 302
    again = _raise(client, as_user, world)
    assert again.status_code == 400 and "already have an open dispute" in again.get_data(as_text=True)
    assert _raise(client, as_user, world, reason="   ").status_code == 400
    assert _raise(client, as_user, world, criterion="no_such_criterion").status_code == 400
    assert _raise(client, as_user, world, criterion="", reason="Unfair overall").status_code == 302  # whole review
    rows = list(session.scalars(select(Dispute)))
    assert sorted((r.criterion_key or "") for r in rows) == ["", "respectful_tone"]


def test_lead_queue_shows_open_disputes_of_their_teams_only(client, as_user, world, session):
    _raise(client, as_user, world)
    d = _dispute(session)
    as_user(world["lead"])
    page = client.get("/disputes/").get_data(as_text=True)
    assert f'data-dispute="{d.id}"' in page and "Ana Ruiz" in page
    detail = client.get(f"/disputes/{d.id}").get_data(as_text=True)
    assert "The customer was rude first." in detail and "&lt;script&gt;" in detail and "<script>alert" not in detail
    as_user(world["other_lead"])
    assert f'data-dispute="{d.id}"' not in client.get("/disputes/").get_data(as_text=True)
    assert client.get(f"/disputes/{d.id}").status_code == 404
    assert client.post(f"/disputes/{d.id}", data={"outcome": "uphold", "reason": "no"}).status_code == 404
    for who in ("reviewer", "agent_user", "other_agent_user"):
        as_user(world[who])
        assert client.get("/disputes/").status_code == 403, who
        assert client.get(f"/disputes/{d.id}").status_code == 403, who
        assert client.post(f"/disputes/{d.id}", data={"outcome": "uphold", "reason": "no"}).status_code == 403
    assert _dispute(session).status == "open"


def test_uphold_needs_a_reason_and_the_agent_sees_the_outcome(client, as_user, world, session):
    _raise(client, as_user, world)
    d = _dispute(session)
    as_user(world["lead"])
    assert client.post(f"/disputes/{d.id}", data={"outcome": "uphold", "reason": ""}).status_code == 400
    assert _dispute(session).status == "open"
    r = client.post(f"/disputes/{d.id}", data={"outcome": "uphold", "reason": "Calm down <is> dismissive."})
    assert r.status_code == 302
    d = _dispute(session)
    assert (d.status, d.resolved_by_id, d.review_revision) == ("upheld", world["lead"].id, None)
    assert session.get(Review, world["rv1"].id).revision == 1
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "dispute.resolved"))
    assert event.details["outcome"] == "upheld" and event.actor_id == world["lead"].id
    told = session.scalar(select(Notification).where(Notification.kind == "dispute.resolved"))
    assert told.user_id == world["agent_user"].id and told.link == f"/me/reviews/{world['rv1'].id}"
    assert client.post(f"/disputes/{d.id}", data={"outcome": "uphold", "reason": "again"}).status_code == 409
    as_user(world["agent_user"])
    page = client.get(f"/me/reviews/{world['rv1'].id}").get_data(as_text=True)
    assert "upheld: score stands" in page and "Calm down &lt;is&gt; dismissive." in page


def test_change_criterion_rescores_creates_revision_and_rewrites_rollup(client, as_user, world, session):
    _raise(client, as_user, world)
    d = _dispute(session)
    as_user(world["lead"])
    url = f"/disputes/{d.id}"
    # only the disputed criterion may change; the same value is not a change
    assert client.post(url, data={"outcome": "change", "reason": "ok", "answer-timely": "1"}).status_code == 400
    assert client.post(url, data={"outcome": "change", "reason": "ok", "answer-respectful_tone": "0"}).status_code == 400
    assert client.post(url, data={"outcome": "change", "reason": "ok"}).status_code == 400
    r = client.post(url, data={"outcome": "change", "reason": "Fair point: it was firm, not rude.",
                               "answer-respectful_tone": "1"})
    assert r.status_code == 302
    session.expire_all()
    review = session.get(Review, world["rv1"].id)
    expected = scoring.score_document(world["version"].document, {
        "greeting_and_closing": 1, "respectful_tone": 1, "correct_answer": 2, "timely": None, "data_protected": 1})
    assert review.answers["respectful_tone"] == 1 and review.overall == pytest.approx(expected.overall)
    assert review.revision == 2
    rev = session.scalar(select(ReviewRevision).where(ReviewRevision.review_id == review.id,
                                                      ReviewRevision.number == 2))
    assert rev.source == "dispute" and rev.reason == "Fair point: it was firm, not rude." and rev.changed_by_id == world["lead"].id
    rollup = session.scalar(select(CriterionScore).where(CriterionScore.review_id == review.id,
                                                         CriterionScore.criterion_key == "respectful_tone"))
    assert rollup.score == 1.0
    d = _dispute(session)
    assert (d.status, d.old_value, d.new_value, d.review_revision) == ("changed", "0", "1", 2)
    as_user(world["agent_user"])
    page = client.get(f"/me/reviews/{review.id}").get_data(as_text=True)
    assert "score changed" in page and "Answer 0 → 1 (revision 2)" in page and "dispute resolved: Fair point" in page
    assert f"{expected.overall:.1f}" in page


def test_whole_review_dispute_changed_by_admin(client, as_user, world, session):
    _raise(client, as_user, world, criterion="", reason="The whole thing is unfair.")
    d = _dispute(session)
    before = session.get(Review, world["rv1"].id).overall
    as_user(world["admin"])
    r = client.post(f"/disputes/{d.id}", data={"outcome": "change", "reason": "Rescored",
                                               "answer-respectful_tone": "1", "answer-correct_answer": "3",
                                               "answer-timely": ""})
    assert r.status_code == 302
    d = _dispute(session)
    review = session.get(Review, world["rv1"].id)
    assert review.overall == pytest.approx(100.0) and review.passed is True
    assert (d.status, d.old_value, d.new_value, d.review_revision) == ("changed", f"{before:.1f}", "100.0", 2)


def test_critical_failure_through_a_dispute_sets_zero(client, as_user, world, session):
    _raise(client, as_user, world, criterion="data_protected", reason="check")
    d = _dispute(session)
    as_user(world["lead"])
    client.post(f"/disputes/{d.id}", data={"outcome": "change", "reason": "Exposed the card", "answer-data_protected": "0"})
    review = session.get(Review, world["rv1"].id)
    session.refresh(review)
    assert review.overall == 0.0 and review.passed is False
    rollup = session.scalar(select(CriterionScore).where(CriterionScore.review_id == review.id,
                                                         CriterionScore.criterion_key == "data_protected"))
    assert rollup.critical_failed is True


def test_calibration_review_cannot_be_disputed_even_by_service(world, session):
    from qa_app.services import disputes
    from qa_app.services.errors import ServiceError

    with pytest.raises(ServiceError, match="calibration"):
        disputes.raise_dispute(session, world["agent_user"], world["calib"], None, "why")
    with pytest.raises(ServiceError, match="only your own published"):
        disputes.raise_dispute(session, world["agent_user"], world["rv3"], None, "why")
    with pytest.raises(ServiceError, match="only your own published"):
        disputes.raise_dispute(session, world["agent_user"], world["unpublished"], None, "why")


def test_dispute_and_acknowledge_need_the_csrf_token(client, world, session, app):
    from tests.functional.test_security import _login_with_csrf, csrf_token

    old = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        _login_with_csrf(client, world["agent_user"])
        base = f"/me/reviews/{world['rv1'].id}"
        assert client.post(f"{base}/disputes", data={"criterion": "", "reason": "x"}).status_code == 400
        assert client.post(f"{base}/acknowledge").status_code == 400
        assert session.scalar(select(Dispute)) is None
        token = csrf_token(client, base)
        assert client.post(f"{base}/disputes", data={"criterion": "", "reason": "x", "csrf_token": token}
                           ).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = old

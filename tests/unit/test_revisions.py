"""services/revisions.py: publishing is revision 1; every correction adds one, rescored by the one scoring
function, with the criterion_scores rollup rewritten (never for calibration reviews), a required reason and an
audit event; notes likewise. Real database, no mocks."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.models import (Assignment, AuditEvent, CriterionScore, NoteRevision, Review, ReviewRevision,
                           TranscriptAnalysis, utcnow)
from qa_app.services import coaching, reviews, revisions, rubrics, scoring
from qa_app.services.errors import ServiceError

ANSWERS = {"greeting_and_closing": "1", "respectful_tone": "0", "correct_answer": "2", "timely": "na",
           "data_protected": "1"}


def build_review(session, make, answers=ANSWERS, *, calibration=False, publish=True, texts=None, flags=(),
                 dismiss=()) -> Review:
    """A submitted (and by default published) quick-check review of a fresh transcript; `flags` (Flag rows without
    transcript) become its analysis, and the reviewer dismisses the flags whose rule is in `dismiss`."""
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer = make.user("reviewer")
    agent = make.agent(team="Billing")
    t = make.transcript(agent, texts=texts)
    if flags:
        for f in flags:
            f.transcript_id = t.id
        session.add(TranscriptAnalysis(transcript_id=t.id, analyzer_version="1", policy_version="p",
                                       flag_count=len(flags), max_severity=3, flags=list(flags)))
        session.flush()
    a = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, rubric_version_id=version.id,
                   calibration_key="cal-unit" if calibration else None)
    session.add(a)
    session.flush()
    rv = reviews.open_draft(session, reviewer, a)
    for f in flags:
        if f.rule in dismiss:
            reviews.set_verdict(session, reviewer, rv, f.id, "dismissed")
    reviews.submit(session, reviewer, rv, answers)
    if publish and not calibration:
        coaching.publish(session, reviewer, rv.note)
    elif publish:  # calibration reviews are never published through coaching; force it to prove the rollup rule
        rv.status, rv.published_at = "published", utcnow()
        revisions.snapshot_published(session, rv, reviewer)
    session.commit()
    return rv


def rollup(session, rv) -> dict[str, float | None]:
    return {c.criterion_key: c.score for c in session.scalars(
        select(CriterionScore).where(CriterionScore.review_id == rv.id))}


def test_publishing_is_revision_one_and_corrections_count_up(session, make):
    rv = build_review(session, make)
    lead = make.user("lead", teams=["Billing"])
    assert rv.revision == 1
    first = revisions.review_history(session, rv)
    assert [(r.number, r.source, r.reason) for r in first] == [(1, "publish", "published")]
    revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1"}, "Misread the tone")
    revisions.revise_review(session, lead, rv, {"correct_answer": 3}, "Dispute upheld", source="dispute")
    history = revisions.review_history(session, rv)
    assert [(r.number, r.source, r.changed_by_id) for r in history] == [
        (1, "publish", rv.reviewer_id), (2, "correction", rv.reviewer_id), (3, "dispute", lead.id)]
    assert rv.revision == 3
    # each row is a snapshot of that revision's answers, not a pointer to the current ones
    assert [(r.answers["respectful_tone"], r.answers["correct_answer"]) for r in history] == [(0, 2), (1, 2), (1, 3)]


def test_a_revision_is_rescored_by_the_one_scoring_function(session, make):
    rv = build_review(session, make)
    revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1", "timely": "1"}, "Second look")
    expected = scoring.score_document(rv.rubric_version.document, {
        "greeting_and_closing": 1, "respectful_tone": 1, "correct_answer": 2, "timely": 1, "data_protected": 1})
    assert rv.overall == pytest.approx(expected.overall) and rv.passed == expected.passed
    assert rv.section_scores == expected.section_summary()
    row = revisions.review_history(session, rv)[-1]
    assert row.overall == pytest.approx(expected.overall) and row.answers == rv.answers


def test_the_rollup_is_rewritten_on_every_revision(session, make):
    rv = build_review(session, make)
    before = rollup(session, rv)
    assert before == {"greeting_and_closing": 1.0, "respectful_tone": 0.0, "correct_answer": 0.5, "timely": None,
                      "data_protected": 1.0}
    revisions.revise_review(session, rv.reviewer, rv, {"correct_answer": "3", "data_protected": "0"}, "Card exposed")
    after = rollup(session, rv)
    assert after == {**before, "correct_answer": 1.0, "data_protected": 0.0}
    assert session.scalar(select(func.count()).select_from(CriterionScore)) == 5  # replaced, not appended
    critical = session.scalar(select(CriterionScore).where(CriterionScore.criterion_key == "data_protected"))
    assert critical.critical_failed is True and rv.overall == 0
    assert critical.agent_id == rv.transcript.agent_id and critical.team_id == rv.transcript.team_id
    assert critical.published_at == rv.published_at


def test_calibration_reviews_produce_no_rollup(session, make):
    rv = build_review(session, make, calibration=True)
    assert rv.note is None and rollup(session, rv) == {}
    revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1"}, "Agreed answer")
    assert rv.revision == 2 and rollup(session, rv) == {}


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required_and_nothing_is_half_written(session, make, reason):
    rv = build_review(session, make)
    snapshot = (dict(rv.answers), rv.overall, rv.revision, rollup(session, rv))
    with pytest.raises(ServiceError, match="needs a reason"):
        revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1"}, reason)
    assert (dict(rv.answers), rv.overall, rv.revision, rollup(session, rv)) == snapshot
    assert len(revisions.review_history(session, rv)) == 1


@pytest.mark.parametrize("changes, message", [
    ({}, "Nothing to change"),
    ({"respectful_tone": ""}, "Nothing to change"),
    ({"bogus": "1"}, "bogus is not a criterion of this rubric"),
    ({"respectful_tone": "yes"}, "respectful_tone: 'yes' is not a point of the scale"),
    ({"respectful_tone": 7}, "respectful_tone"),
    ({"data_protected": "na"}, "data_protected"),  # N/A is not allowed there
])
def test_bad_changes_are_refused_before_anything_changes(session, make, changes, message):
    rv = build_review(session, make)
    answers = dict(rv.answers)
    with pytest.raises(ServiceError, match=message):
        revisions.revise_review(session, rv.reviewer, rv, changes, "reason")
    assert rv.answers == answers and rv.revision == 1


def test_only_published_reviews_and_known_sources(session, make):
    rv = build_review(session, make, publish=False)
    with pytest.raises(ServiceError, match="Only a published review"):
        revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1"}, "why")
    published = build_review(session, make)
    with pytest.raises(ServiceError, match="Unknown revision source"):
        revisions.revise_review(session, published.reviewer, published, {"respectful_tone": "1"}, "why",
                                source="publish")


def test_every_revision_is_audited(session, make):
    rv = build_review(session, make)
    actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.target_id == str(rv.id))
                                                 .where(AuditEvent.action.startswith("review.")))]
    assert actions == ["review.published"]
    old = rv.overall
    revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1", "correct_answer": "2"}, "Tone fine")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "review.revised"))
    assert event.actor_id == rv.reviewer_id and event.target_type == "reviews" and event.target_id == str(rv.id)
    assert event.details["revision"] == 2 and event.details["reason"] == "Tone fine"
    assert event.details["before"] == {"respectful_tone": 0, "correct_answer": 2}
    assert event.details["after"] == {"respectful_tone": 1, "correct_answer": 2}
    assert event.details["overall_before"] == pytest.approx(old)
    assert event.details["overall_after"] == pytest.approx(rv.overall)


def test_the_timeline_names_the_changed_criteria_with_scale_labels(session, make):
    rv = build_review(session, make)
    revisions.revise_review(session, rv.reviewer, rv, {"respectful_tone": "1", "correct_answer": "3"}, "Relook")
    revisions.revise_review(session, rv.reviewer, rv, {}, "Clarify", comments={"timely": "No timestamps."})
    first, second, third = revisions.review_timeline(session, rv)
    assert first.changes == [] and first.overall_before is None
    assert [(c.key, c.before, c.after) for c in second.changes] == [
        ("respectful_tone", "No", "Yes"), ("correct_answer", "2", "3")]
    assert second.overall_before == pytest.approx(first.overall_after) and second.reason == "Relook"
    assert [(c.key, c.after) for c in third.changes] == [("timely", "N/A (comment: No timestamps.)")]


def test_note_revisions(session, make):
    rv = build_review(session, make)
    note = rv.note
    with pytest.raises(ServiceError, match="needs a reason"):
        revisions.revise_note(session, rv.reviewer, note, "New text", " ")
    with pytest.raises(ServiceError, match="cannot be empty"):
        revisions.revise_note(session, rv.reviewer, note, "  ", "why")
    with pytest.raises(ServiceError, match="Nothing to change"):
        revisions.revise_note(session, rv.reviewer, note, note.body, "why")
    row = revisions.revise_note(session, rv.reviewer, note, "New text", "Clearer")
    assert (row.number, note.revision, note.body) == (2, 2, "New text\n")
    assert [(r.number, r.reason) for r in revisions.note_history(session, note)] == [(1, "published"), (2, "Clearer")]
    assert session.scalar(select(func.count()).select_from(NoteRevision)) == 2
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "note.revised")).details == {
        "revision": 2, "reason": "Clearer"}
    draft = build_review(session, make, publish=False).note
    with pytest.raises(ServiceError, match="Only a published note"):
        revisions.revise_note(session, rv.reviewer, draft, "x", "y")
    with pytest.raises(ServiceError, match="published note cannot be changed"):
        coaching.edit(session, note, "sneaky edit")
    assert note.body == "New text\n" and session.scalar(select(ReviewRevision.id).limit(1)) is not None


def test_repair_gives_old_published_reviews_revision_one_and_rollup_once(app, session, make):
    """Reviews published before revisions and the rollup existed had neither; `flask qa repair-reviews` adds both,
    leaves complete reviews alone, and a second run finds nothing to do."""
    old, complete = build_review(session, make), build_review(session, make)
    calibration = build_review(session, make, calibration=True)
    for rv in (old, calibration):  # as the first session's code left them
        session.query(ReviewRevision).filter_by(review_id=rv.id).delete()
        rv.revision = 0
    session.query(CriterionScore).filter_by(review_id=old.id).delete()
    session.commit()
    expected, before = rollup(session, complete), session.scalar(select(func.count()).select_from(ReviewRevision))

    result = app.test_cli_runner().invoke(args=["qa", "repair-reviews"])
    assert result.exit_code == 0, result.output
    assert "2 given revision 1, 1 given criterion rollups" in result.output
    session.expire_all()
    assert rollup(session, old) == expected and rollup(session, calibration) == {}
    assert [r.number for r in revisions.review_history(session, old)] == [1] and old.revision == 1
    assert session.scalar(select(func.count()).select_from(ReviewRevision)) == before + 2
    again = app.test_cli_runner().invoke(args=["qa", "repair-reviews"])
    assert "0 given revision 1, 0 given criterion rollups" in again.output

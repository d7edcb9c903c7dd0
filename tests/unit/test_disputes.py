"""disputes service: who may raise and resolve, one open dispute per criterion, scoping of the queue, and a
change going through the scoring engine and revisions."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.models import AuditEvent, Dispute
from qa_app.services import disputes, scoring
from qa_app.services.errors import ServiceError
from tests.functional.test_portal import build_world


@pytest.fixture()
def world(make, session):
    return build_world(make, session)


def test_reopening_after_resolution_is_allowed(world, session):
    agent, rv = world["agent_user"], world["rv1"]
    d = disputes.raise_dispute(session, agent, rv, "timely", "I replied fast")
    with pytest.raises(ServiceError, match="already have an open dispute"):
        disputes.raise_dispute(session, agent, rv, "timely", "again")
    disputes.uphold(session, world["lead"], d, "N/A is right: no timestamps")
    again = disputes.raise_dispute(session, agent, rv, "timely", "New evidence")
    assert again.id != d.id and again.status == "open"


def test_may_resolve_and_queue_scoping(world, session):
    d = disputes.raise_dispute(session, world["agent_user"], world["rv1"], None, "unfair")
    assert disputes.may_resolve(world["lead"], d) and disputes.may_resolve(world["admin"], d)
    for who in ("other_lead", "reviewer", "agent_user"):
        assert not disputes.may_resolve(world[who], d), who
        assert list(session.scalars(disputes.visible_disputes(world[who]))) == [], who
    assert [x.id for x in session.scalars(disputes.visible_disputes(world["lead"])).unique()] == [d.id]
    with pytest.raises(ServiceError, match="only a lead of the team"):
        disputes.uphold(session, world["other_lead"], d, "no")
    assert d.status == "open"


def test_change_and_answer_labels(world, session):
    rv = world["rv1"]
    d = disputes.raise_dispute(session, world["agent_user"], rv, "correct_answer", "It was resolved")
    before = (dict(rv.answers), rv.overall, rv.revision)
    with pytest.raises(ServiceError, match="not on the scale|not a point"):
        disputes.change_score(session, world["lead"], d, {"correct_answer": "7"}, "typo")
    assert (dict(rv.answers), rv.overall, rv.revision, d.status) == (*before, "open")  # nothing half-written
    disputes.change_score(session, world["lead"], d, {"correct_answer": "3"}, "Resolved after all")
    expected = scoring.score_document(world["version"].document, {
        "greeting_and_closing": 1, "respectful_tone": 0, "correct_answer": 3, "timely": None, "data_protected": 1})
    assert rv.overall == pytest.approx(expected.overall) and (d.old_value, d.new_value) == ("2", "3")
    assert disputes.answer_label(rv, "respectful_tone", 0) == "No"
    assert disputes.answer_label(rv, "timely", "na") == "N/A"
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-3:] == ["dispute.raised", "review.revised", "dispute.resolved"]


def test_bad_outcome_named(world, session):
    d = disputes.raise_dispute(session, world["agent_user"], world["rv1"], None, "x")
    with pytest.raises(ServiceError, match=f"Dispute {d.id}: outcome"):
        disputes.resolve(session, world["lead"], d, "delete", "x")


def test_demo_disputes_one_open_one_upheld_and_idempotent(make, session):
    from qa_app.demo.disputes import seed_disputes
    from qa_app.services import rubrics
    from tests.factories import published_review
    from tests.functional.test_portal import ANSWERS

    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    assert seed_disputes(session).startswith("skipped")
    agent_user = make.user("agent", email="agent@example.com")
    make.user("lead", email="lead@example.com", teams=["Orders"])
    reviewer = make.user("reviewer")
    agent = make.agent(name="Alex Morgan", team="Orders", user=agent_user)
    for i in range(3):
        published_review(session, reviewer, make.transcript(agent, external_id=f"D-{i}"), version, ANSWERS)
    assert seed_disputes(session) == "2 demo dispute(s) by agent@example.com (1 open, 1 upheld)"
    rows = list(session.scalars(select(Dispute).order_by(Dispute.id)))
    assert [(d.status, d.criterion_key) for d in rows] == [("open", "respectful_tone"), ("upheld", "respectful_tone")]
    assert rows[0].review.published_at >= rows[1].review.published_at
    assert seed_disputes(session) == "demo disputes already present"
    assert len(list(session.scalars(select(Dispute)))) == 2


def test_corrections_wait_for_an_open_dispute_and_then_tell_the_agent(world, session):
    from qa_app.models import Notification
    from qa_app.services import revisions

    rv = world["rv1"]
    d = disputes.raise_dispute(session, world["agent_user"], rv, "correct_answer", "It was resolved")
    before = (dict(rv.answers), rv.revision)
    with pytest.raises(ServiceError, match="open dispute"):
        revisions.revise_review(session, world["lead"], rv, {"correct_answer": "1"}, "second look")
    assert (dict(rv.answers), rv.revision) == before
    disputes.uphold(session, world["lead"], d, "stands")
    new_value = "1" if str(rv.answers["correct_answer"]) != "1" else "0"
    revisions.revise_review(session, world["lead"], rv, {"correct_answer": new_value}, "second look")
    notices = session.scalars(select(Notification).where(Notification.user_id == world["agent_user"].id,
                                                         Notification.kind == "review.revised")).all()
    assert len(notices) == 1 and f"revision {rv.revision}" in notices[0].text
    assert notices[0].link == f"/me/reviews/{rv.id}"

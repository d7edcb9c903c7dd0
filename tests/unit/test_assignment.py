"""Assignment: balanced loads, team coverage, capacity, no self-review, reassign, skip, calibration, CLI."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa_app.models import Assignment, PlanReviewer, SamplingPlan, SamplingRun
from qa_app.services import assignment, sampling_plans
from qa_app.services.errors import ServiceError


def _plan(session, reviewers, strategy="random", config=None, **kw) -> SamplingPlan:
    plan = SamplingPlan(name=f"plan-{len(reviewers)}-{strategy}", strategy=strategy,
                        strategy_config=config or {"share": 1.0}, population={}, **kw)
    plan.reviewers = [PlanReviewer(user_id=u.id, capacity=cap) for u, cap in reviewers]
    session.add(plan)
    session.commit()
    return plan


@pytest.fixture()
def chats(make):
    agents = [make.agent(name=f"ag{i}", team="A" if i < 2 else "B") for i in range(4)]
    return [make.transcript(agents[i % 4]) for i in range(11)]


def _loads(session, status="open") -> Counter:
    return Counter(session.scalars(select(Assignment.reviewer_id).where(Assignment.status == status)))


def test_loads_differ_by_at_most_one(session, make, chats):
    users = [make.user("reviewer") for _ in range(3)]
    plan = _plan(session, [(u, 100) for u in users])
    out = sampling_plans.run_plan(session, plan, seed=1)
    loads = _loads(session)
    assert out.run.assigned_count == 11 and sorted(loads.values()) == [3, 4, 4]


def test_existing_workload_is_balanced(session, make, chats):
    busy, idle = make.user("reviewer"), make.user("reviewer")
    for t in chats[:5]:
        session.add(Assignment(transcript_id=t.id, reviewer_id=busy.id))
    session.commit()
    sampling_plans.run_plan(session, _plan(session, [(busy, 100), (idle, 100)]), seed=1)
    assert sorted(_loads(session).values()) == [5, 6]  # 6 new chats: idle takes 5 to catch up, then they split


def test_capacity_and_team_coverage(session, make, chats):
    team_a = make.user("reviewer", teams=["A"])
    small = make.user("reviewer")
    plan = _plan(session, [(team_a, 100), (small, 2)])
    out = sampling_plans.run_plan(session, plan, seed=1)
    loads = _loads(session)
    assert loads[small.id] == 2
    a_team = chats[0].team_id
    for row in session.scalars(select(Assignment).where(Assignment.reviewer_id == team_a.id)):
        assert row.transcript.team_id == a_team
    assert out.run.assigned_count + len(out.run.report["unassigned"]) == 11
    assert all("capacity" in u["reason"] for u in out.run.report["unassigned"])


def test_never_own_conversations(session, make):
    me, other = make.user("reviewer"), make.user("reviewer")
    mine = make.agent(name="me", user=me)
    chats = [make.transcript(mine) for _ in range(4)]
    sampling_plans.run_plan(session, _plan(session, [(me, 100), (other, 100)]), seed=1)
    assert _loads(session) == {other.id: 4}
    row = session.scalar(select(Assignment).where(Assignment.transcript_id == chats[0].id))
    with pytest.raises(ServiceError, match="own conversations"):
        assignment.reassign(session, row, me)


def test_no_reviewers_leaves_picks_unassigned(session, chats):
    out = sampling_plans.run_plan(session, _plan(session, []), seed=1)
    assert out.run.assigned_count == 0 and len(out.run.report["unassigned"]) == 11


def test_dry_run_writes_nothing_and_is_reproducible(session, make, chats):
    plan = _plan(session, [(make.user("reviewer"), 100)], config={"count": 4})
    a = sampling_plans.run_plan(session, plan, seed=9, dry_run=True)
    b = sampling_plans.run_plan(session, plan, seed=9, dry_run=True)
    assert [c.id for c in a.sample.picked] == [c.id for c in b.sample.picked]
    assert session.scalar(select(SamplingRun.id)) is None and session.scalar(select(Assignment.id)) is None
    real = sampling_plans.run_plan(session, plan, seed=9)
    assert real.run.seed == 9 and [c.id for c in real.sample.picked] == [c.id for c in a.sample.picked]
    assert real.run.parameters["config"] == {"count": 4}


def test_reassign_and_skip_back_to_pool(session, make, chats):
    r1, r2 = make.user("reviewer"), make.user("reviewer", teams=["B"])
    plan = _plan(session, [(r1, 100)])
    sampling_plans.run_plan(session, plan, seed=1)
    rows = list(session.scalars(select(Assignment).order_by(Assignment.id)))
    a_row = next(r for r in rows if r.transcript.team.name == "A")
    b_row = next(r for r in rows if r.transcript.team.name == "B")
    assignment.reassign(session, b_row, r2)
    assert b_row.reviewer_id == r2.id
    with pytest.raises(ServiceError, match="does not cover"):
        assignment.reassign(session, a_row, r2)
    row = rows[0]
    with pytest.raises(ServiceError, match="why"):
        assignment.skip(session, row, "  ")
    assignment.skip(session, row, "Customer language I can't read")
    assert row.status == "skipped" and row.skip_reason == "Customer language I can't read"
    with pytest.raises(ServiceError):
        assignment.reassign(session, row, r1)
    again = sampling_plans.run_plan(session, _plan(session, [(r1, 100)], strategy="quota", config={},
                                                   quota_per_agent=10), seed=2, dry_run=True)
    assert row.transcript_id in {c.id for c in again.sample.picked}


def test_one_active_assignment_per_transcript_enforced(session, make, chats):
    r1, r2 = make.user("reviewer"), make.user("reviewer")
    session.add(Assignment(transcript_id=chats[0].id, reviewer_id=r1.id, status="done"))
    session.commit()
    session.add(Assignment(transcript_id=chats[0].id, reviewer_id=r2.id))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_calibration_sends_same_chats_to_several(session, make, chats):
    users = [make.user("reviewer") for _ in range(3)]
    plan = _plan(session, [(u, 1) for u in users], config={"count": 2}, calibration=True)
    out = sampling_plans.run_plan(session, plan, seed=1)
    rows = list(session.scalars(select(Assignment)))
    assert len(rows) == 6 and {r.calibration_key for r in rows} == {f"cal-run-{out.run.id}"}
    assert Counter(r.transcript_id for r in rows) == {c.id: 3 for c in out.sample.picked}
    # calibration copies don't block normal sampling of the same chats later
    later = sampling_plans.run_plan(session, _plan(session, [(users[0], 100)]), seed=1, dry_run=True)
    assert later.sample.available_count == 11 - 2


def test_complete_marks_done(session, make, chats):
    r = make.user("reviewer")
    row = Assignment(transcript_id=chats[0].id, reviewer_id=r.id)
    session.add(row)
    session.flush()
    assignment.complete(session, row)
    assert row.status == "done"
    with pytest.raises(ServiceError):
        assignment.complete(session, row)


def test_cli_sample(app, session, make, chats):
    plan = _plan(session, [(make.user("reviewer"), 100)], strategy="quota", config={}, quota_per_agent=3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qa", "sample", "--plan", plan.name, "--seed", "5", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and "seed 5" in result.output and "short:" in result.output
    assert session.scalar(select(Assignment.id)) is None
    result = runner.invoke(args=["qa", "sample", "--plan", plan.name, "--seed", "5"])
    assert result.exit_code == 0 and "Run " in result.output
    session.expire_all()
    assert len(list(session.scalars(select(Assignment)))) == 11  # ag0-ag2 have 3 each, ag3 has 2
    assert runner.invoke(args=["qa", "sample", "--plan", "nope"]).exit_code != 0

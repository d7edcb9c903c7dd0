"""Handing sampled transcripts to reviewers, and changing that later (reassign, skip, done).

Rules: balance by open workload (fewest open first), respect the teams a reviewer covers (none = all teams),
never give anyone their own conversations, never exceed a reviewer's capacity (calibration sessions aside: they
are scheduled events every chosen reviewer joins). A transcript has at most one open or done non-calibration
assignment (a partial unique index enforces it too); a skipped one goes back to the sampling pool.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from qa_app.models import Agent, Transcript, User
from qa_app.models.sampling import Assignment, SamplingPlan, SamplingRun
from qa_app.services.errors import ServiceError
from qa_app.services.sampling import Candidate

REVIEWING_ROLES = ("admin", "lead", "reviewer")


@dataclass
class Slot:
    user_id: int
    label: str
    capacity: int
    load: int
    teams: frozenset[int] | None  # None: covers every team
    own_agents: frozenset[int]

    def can_take(self, c: Candidate) -> bool:
        return c.agent_id not in self.own_agents and (self.teams is None or c.team_id in self.teams)


@dataclass
class Proposal:
    pairs: list[tuple[Candidate, list[int]]] = field(default_factory=list)  # transcript -> reviewer ids
    unassigned: list[tuple[Candidate, str]] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    before: dict[int, int] = field(default_factory=dict)

    @property
    def assigned_count(self) -> int:
        return sum(len(ids) for _, ids in self.pairs)


def open_loads(session: Session, user_ids: list[int]) -> dict[int, int]:
    query = (select(Assignment.reviewer_id, func.count()).where(Assignment.reviewer_id.in_(user_ids),
                                                                 Assignment.status == "open")
             .group_by(Assignment.reviewer_id))
    return dict(session.execute(query).all())


def reviewer_slots(session: Session, plan: SamplingPlan) -> list[Slot]:
    members = [m for m in plan.reviewers if m.user.active and m.user.role in REVIEWING_ROLES]
    ids = [m.user_id for m in members]
    loads = open_loads(session, ids)
    own: dict[int, set[int]] = defaultdict(set)
    for agent_id, user_id in session.execute(select(Agent.id, Agent.user_id).where(Agent.user_id.in_(ids))):
        own[user_id].add(agent_id)
    return [Slot(m.user_id, m.user.email, m.capacity, loads.get(m.user_id, 0),
                 frozenset(t.id for t in m.user.teams) or None, frozenset(own[m.user_id])) for m in members]


def propose(session: Session, plan: SamplingPlan, picked: list[Candidate]) -> Proposal:
    """Decide who gets what, without writing: the preview shows this, the run applies it."""
    slots = reviewer_slots(session, plan)
    proposal = Proposal(slots=slots, before={s.user_id: s.load for s in slots})
    if not slots:
        proposal.unassigned = [(c, "the plan has no active reviewers") for c in picked]
        return proposal
    if plan.calibration:
        _propose_calibration(plan, picked, slots, proposal)
    else:
        _propose_balanced(picked, slots, proposal)
    return proposal


def _propose_balanced(picked: list[Candidate], slots: list[Slot], proposal: Proposal) -> None:
    # Most constrained transcripts first, so a chat only one reviewer may take is not starved by easy ones.
    options = {c.id: [s for s in slots if s.can_take(c)] for c in picked}
    for c in sorted(picked, key=lambda c: (len(options[c.id]), c.id)):
        free = [s for s in options[c.id] if s.load < s.capacity]
        if not free:
            proposal.unassigned.append((c, _why_not(options[c.id])))
            continue
        best = min(free, key=lambda s: (s.load, s.user_id))
        best.load += 1
        proposal.pairs.append((c, [best.user_id]))


def _why_not(options: list[Slot]) -> str:
    if not options:
        return "no reviewer covers this team without it being their own conversation"
    return "every reviewer who may take it is at capacity"


def _propose_calibration(plan: SamplingPlan, picked: list[Candidate], slots: list[Slot], proposal: Proposal) -> None:
    wanted = plan.calibration_reviewers or len(slots)
    for c in picked:
        options = sorted((s for s in slots if s.can_take(c)), key=lambda s: (s.load, s.user_id))[:wanted]
        if len(options) < 2:
            proposal.unassigned.append((c, "a calibration needs at least two reviewers who may take it"))
            continue
        for s in options:
            s.load += 1
        proposal.pairs.append((c, [s.user_id for s in options]))


def apply(session: Session, run: SamplingRun, plan: SamplingPlan, proposal: Proposal) -> list[Assignment]:
    version = plan.rubric.latest if plan.rubric else None
    key = f"cal-run-{run.id}" if plan.calibration else None
    rows = [Assignment(transcript_id=c.id, reviewer_id=uid, run_id=run.id, plan_id=plan.id,
                       rubric_version_id=version.id if version else None, status="open", calibration_key=key)
            for c, ids in proposal.pairs for uid in ids]
    session.add_all(rows)
    session.flush()
    return rows


# --- changing an assignment ----------------------------------------------------------------------------

def can_review_transcript(user: User, transcript: Transcript) -> str | None:
    """Why `user` may not review `transcript`, or None when they may."""
    if not user.active or user.role not in REVIEWING_ROLES:
        return f"{user.email} is not an active reviewer."
    if transcript.agent is not None and transcript.agent.user_id == user.id:
        return "Nobody reviews their own conversations."
    teams = {t.id for t in user.teams}
    if teams and transcript.team_id not in teams:
        return f"{user.email} does not cover this transcript's team."
    return None


def reassign(session: Session, assignment: Assignment, reviewer: User) -> Assignment:
    if assignment.status != "open":
        raise ServiceError("Only open assignments can be reassigned.")
    if reviewer.id == assignment.reviewer_id:
        raise ServiceError("It is already assigned to that reviewer.")
    problem = can_review_transcript(reviewer, assignment.transcript)
    if problem:
        raise ServiceError(problem)
    if assignment.calibration_key and session.scalar(select(Assignment.id).where(
            Assignment.calibration_key == assignment.calibration_key, Assignment.reviewer_id == reviewer.id,
            Assignment.transcript_id == assignment.transcript_id)):
        raise ServiceError("That reviewer is already in this calibration for the transcript.")
    _claim(session, assignment, reviewer_id=reviewer.id)
    # The previous reviewer's unsubmitted draft is their private work in progress: it goes with the reassignment.
    from qa_app.models import Review

    for draft in session.scalars(select(Review).where(Review.assignment_id == assignment.id,
                                                       Review.status == "draft")):
        session.delete(draft)  # through the ORM, so its verdicts and comments go with it in the session too
    session.flush()
    return assignment


def _claim(session: Session, assignment: Assignment, **values) -> None:
    """Change an open assignment with one conditional UPDATE on (status, reviewer) as read, so a reassignment
    racing a submit cannot leave the work done by one reviewer and credited to another: one of them loses."""
    changed = session.execute(update(Assignment).where(
        Assignment.id == assignment.id, Assignment.status == "open",
        Assignment.reviewer_id == assignment.reviewer_id).values(**values)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise ServiceError("This assignment changed meanwhile (submitted or reassigned); reload and try again.")
    for key, value in values.items():
        setattr(assignment, key, value)


def skip(session: Session, assignment: Assignment, reason: str) -> Assignment:
    reason = (reason or "").strip()
    if assignment.status != "open":
        raise ServiceError("Only open assignments can be skipped.")
    if not reason:
        raise ServiceError("Say why you skip it.")
    assignment.status, assignment.skip_reason = "skipped", reason[:500]
    session.flush()
    return assignment


def complete(session: Session, assignment: Assignment) -> Assignment:
    """Mark done (the review workflow calls this when a review is submitted)."""
    if assignment.status != "open":
        raise ServiceError("Only open assignments can be completed.")
    _claim(session, assignment, status="done")
    session.flush()
    return assignment


def may_manage(user: User, assignment: Assignment) -> bool:
    """Admins, and leads of the transcript's team, may reassign; the assignee may also skip."""
    if user.role == "admin":
        return True
    return user.role == "lead" and assignment.transcript.team_id in {t.id for t in user.teams}


def may_skip(user: User, assignment: Assignment) -> bool:
    return assignment.reviewer_id == user.id or may_manage(user, assignment)


def reviewer_queue(session: Session, user: User, status: str = "open") -> list[Assignment]:
    # The queue shows each chat's agent, team, analysis and plan: load them with the rows, not one query per row.
    query = (select(Assignment).where(Assignment.reviewer_id == user.id, Assignment.status == status)
             .options(joinedload(Assignment.plan),
                      joinedload(Assignment.transcript).options(joinedload(Transcript.agent), joinedload(Transcript.team),
                                                                joinedload(Transcript.analysis)))
             .order_by(Assignment.created_at, Assignment.id))
    return list(session.scalars(query).unique())

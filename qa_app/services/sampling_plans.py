"""Sampling plans: who may see and edit them, saving, running (sample + assign + record), coverage, and the
sample-size helper. Plans are few, so scoping filters them in Python over one query."""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qa_app.models import Review, Rubric, Team, Transcript, TranscriptAnalysis, User, utcnow
from qa_app.models.sampling import PLAN_STRATEGIES, Assignment, PlanReviewer, SamplingPlan, SamplingRun
from qa_app.services import assignment, sampling
from qa_app.services.errors import ServiceError
from qa_app.services.scoping import team_ids

DEFAULT_SD = 15.0  # points on a 0-100 scale, until reviews or analyses can be measured (see spread())
MIN_SPREAD_SAMPLE = 30
Z95 = 1.96


# --- access ------------------------------------------------------------------------------------------

def can_manage(user: User, plan: SamplingPlan) -> bool:
    """Admins: every plan. Leads: plans limited to teams they all lead (an org-wide plan is admin-only)."""
    if user.role == "admin":
        return True
    return user.role == "lead" and bool(plan.team_ids) and set(plan.team_ids) <= set(team_ids(user))


def visible_plans(session: Session, user: User) -> list[SamplingPlan]:
    plans = session.scalars(select(SamplingPlan).order_by(SamplingPlan.name))
    return [p for p in plans if can_manage(user, p)]


def get_by_name(session: Session, name: str) -> SamplingPlan | None:
    return session.scalar(select(SamplingPlan).where(SamplingPlan.name == name))


# --- saving --------------------------------------------------------------------------------------------

@dataclass
class PlanInput:
    name: str
    strategy: str
    population: dict[str, Any]
    config: dict[str, Any]
    reviewers: list[tuple[str, int]]  # (email, capacity)
    description: str = ""
    quota_per_agent: int | None = None
    rubric_id: int | None = None
    blind: bool = False
    calibration: bool = False
    calibration_reviewers: int = 0
    active: bool = True


def parse_reviewers(text: str) -> list[tuple[str, int]]:
    """Lines of 'email' or 'email = capacity' (default capacity 20)."""
    out = []
    for n, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        email, _, cap = line.partition("=")
        try:
            capacity = int(cap.strip()) if cap.strip() else 20
        except ValueError as exc:
            raise ServiceError(f"Line {n}: capacity must be a whole number.") from exc
        if capacity < 0:
            raise ServiceError(f"Line {n}: capacity cannot be negative.")
        out.append((email.strip().lower(), capacity))
    return out


def save_plan(session: Session, data: PlanInput, user: User, plan: SamplingPlan | None = None) -> SamplingPlan:
    _check_teams(session, user, data.population)
    clash = get_by_name(session, data.name.strip())
    if clash is not None and clash is not plan:
        raise ServiceError(f"A plan named {data.name!r} already exists.")
    if data.strategy not in PLAN_STRATEGIES:
        raise ServiceError("Unknown strategy.")
    config = sampling.clean_config(data.strategy, data.config, data.quota_per_agent)
    if data.rubric_id is not None and session.get(Rubric, data.rubric_id) is None:
        raise ServiceError("No such rubric.")
    plan = plan or SamplingPlan(created_by_id=user.id)
    plan.name, plan.description, plan.strategy = data.name.strip(), data.description.strip(), data.strategy
    plan.population, plan.strategy_config, plan.quota_per_agent = _clean_population(data.population), config, data.quota_per_agent
    plan.rubric_id, plan.blind, plan.active = data.rubric_id, data.blind, data.active
    plan.calibration, plan.calibration_reviewers = data.calibration, max(data.calibration_reviewers or 0, 0)
    _set_reviewers(session, plan, data.reviewers)
    session.add(plan)
    session.flush()
    return plan


def _check_teams(session: Session, user: User, population: dict[str, Any]) -> None:
    teams = population.get("team_ids") or []
    if user.role == "admin":
        return
    if not teams:
        raise ServiceError("Choose at least one of your teams: plans across all teams are for admins.")
    if not set(teams) <= set(team_ids(user)):
        raise ServiceError("You can only plan for teams you lead.")


def _clean_population(population: dict[str, Any]) -> dict[str, Any]:
    """Drop empty filters so parameters and the plan page show only what narrows the population."""
    return {k: v for k, v in population.items() if v not in (None, "", [], 0)}


def _set_reviewers(session: Session, plan: SamplingPlan, reviewers: list[tuple[str, int]]) -> None:
    emails = [e for e, _ in reviewers]
    if len(set(emails)) != len(emails):
        raise ServiceError("A reviewer is listed twice.")
    users = {u.email.lower(): u for u in session.scalars(select(User).where(func.lower(User.email).in_(emails)))}
    unknown = [e for e in emails if e not in users]
    if unknown:
        raise ServiceError(f"No such user: {', '.join(unknown)}.")
    wrong = [e for e in emails if users[e].role not in assignment.REVIEWING_ROLES]
    if wrong:
        raise ServiceError(f"Not a reviewer, lead or admin: {', '.join(wrong)}.")
    current = {m.user_id: m for m in plan.reviewers}
    plan.reviewers = [_member(current, users[e].id, cap) for e, cap in reviewers]


def _member(current: dict[int, PlanReviewer], user_id: int, capacity: int) -> PlanReviewer:
    member = current.get(user_id) or PlanReviewer(user_id=user_id)
    member.capacity = capacity
    return member


def reviewer_lines(plan: SamplingPlan) -> str:
    return "\n".join(f"{m.user.email} = {m.capacity}" for m in plan.reviewers)


# --- running -------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    sample: sampling.Sample
    proposal: assignment.Proposal
    run: SamplingRun | None


def run_plan(session: Session, plan: SamplingPlan, *, seed: int | None = None, user: User | None = None,
             dry_run: bool = False, now: datetime | None = None) -> Outcome:
    """Sample and assign. A dry run writes nothing; a real run records a SamplingRun and its assignments."""
    picked = sampling.sample(session, plan, seed=seed, now=now)
    proposal = assignment.propose(session, plan, picked.picked)
    if dry_run:
        return Outcome(picked, proposal, None)
    report = picked.report()
    report["unassigned"] = [{"transcript_id": c.id, "reason": why} for c, why in proposal.unassigned]
    run = SamplingRun(plan_id=plan.id, seed=picked.seed, parameters=picked.parameters,
                      eligible_count=picked.eligible_count, picked_count=len(picked.picked),
                      assigned_count=proposal.assigned_count, report=report,
                      created_by_id=user.id if user else None)
    session.add(run)
    session.flush()
    assignment.apply(session, run, plan, proposal)
    return Outcome(picked, proposal, run)


def recent_runs(session: Session, plan: SamplingPlan, limit: int = 20) -> list[SamplingRun]:
    query = (select(SamplingRun).where(SamplingRun.plan_id == plan.id)
             .order_by(SamplingRun.created_at.desc(), SamplingRun.id.desc()).limit(limit))
    return list(session.scalars(query))


def run_assignments(session: Session, run: SamplingRun) -> list[Assignment]:
    return list(session.scalars(select(Assignment).where(Assignment.run_id == run.id)
                                .order_by(Assignment.transcript_id, Assignment.reviewer_id)))


# --- coverage ------------------------------------------------------------------------------------------

@dataclass
class CoverageLine:
    agent_id: int
    name: str
    done: int
    open: int
    quota: int | None

    @property
    def met(self) -> bool | None:
        return None if not self.quota else self.done >= self.quota


def coverage(session: Session, plan: SamplingPlan, days: int, now: datetime | None = None) -> list[CoverageLine]:
    """Per agent in the plan's population: this plan's done ("reviews") and open assignments for chats
    started in the last `days` days, against the plan's quota."""
    since = (now or utcnow()) - timedelta(days=days)
    names = sampling.population_agents(session, plan.population)
    query = (select(Transcript.agent_id, Assignment.status, func.count())
             .join(Assignment, Assignment.transcript_id == Transcript.id)
             .where(Assignment.plan_id == plan.id, Assignment.calibration_key.is_(None),
                    Assignment.status.in_(("open", "done")), Transcript.started_at >= since)
             .group_by(Transcript.agent_id, Assignment.status))
    counts: dict[tuple[int, str], int] = {(a, s): n for a, s, n in session.execute(query)}
    ids = sorted(set(names) | {a for a, _ in counts})
    return [CoverageLine(i, names.get(i, f"agent {i}"), counts.get((i, "done"), 0), counts.get((i, "open"), 0),
                         plan.quota_per_agent) for i in ids]


# --- sample-size helper ----------------------------------------------------------------------------------

@dataclass
class Spread:
    sd: float
    source: str
    n: int


def spread(session: Session, plan: SamplingPlan) -> Spread:
    """SD of per-transcript scores: submitted (non-calibration) review scores in the plan's teams when there are at
    least 30; else each analysed chat's mean politeness x 100 as a stand-in; else a default of 15 points."""
    reviewed = _team_scores(select(Review.overall).join(Transcript, Review.transcript_id == Transcript.id).where(
        Review.overall.is_not(None), Review.status.in_(("submitted", "published")), Review.calibration.is_(False)), plan)
    values = list(session.scalars(reviewed.limit(5000)))
    if len(values) >= MIN_SPREAD_SAMPLE:
        return Spread(statistics.stdev(values), "overall scores of submitted reviews", len(values))
    stand_in = _team_scores(select(TranscriptAnalysis.mean_politeness).join(Transcript).where(
        TranscriptAnalysis.mean_politeness.is_not(None)), plan)
    values = [v * 100 for v in session.scalars(stand_in.limit(5000))]
    if len(values) >= MIN_SPREAD_SAMPLE:
        return Spread(statistics.stdev(values), "mean politeness × 100 of analysed chats (stand-in until 30 reviews "
                      "exist)", len(values))
    return Spread(DEFAULT_SD, "default (too few reviews or analysed chats to measure)", len(values))


def _team_scores(query: Select, plan: SamplingPlan) -> Select:
    return query.where(Transcript.team_id.in_(plan.team_ids)) if plan.team_ids else query


def reviews_needed(sd: float, margin: float) -> int:
    """Reviews per agent for a 95% confidence interval of ±margin points around the agent's mean."""
    if margin <= 0:
        raise ServiceError("The margin must be more than 0 points.")
    return math.ceil((Z95 * sd / margin) ** 2)


def margin_for(sd: float, n: int) -> float | None:
    return Z95 * sd / math.sqrt(n) if n and n > 0 else None


def teams_for(session: Session, user: User) -> list[Team]:
    if user.role == "admin":
        return list(session.scalars(select(Team).order_by(Team.name)))
    return sorted(user.teams, key=lambda t: t.name)

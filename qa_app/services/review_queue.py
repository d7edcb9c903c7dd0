"""A reviewer's queue: their assignments narrowed by status, team, agent, channel, plan, conversation date, flags
and severity, sorted oldest first or most severe first; counts per status; "next" = the oldest open one.

Blind plans hide the agent: their assignments never feed the agent filter's choices, and an agent filter never
matches them (otherwise filtering by agent would reveal who a blind chat belongs to).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from qa_app.models import Agent, Assignment, SamplingPlan, Team, Transcript, TranscriptAnalysis, User
from qa_app.services.reviews import SEVERITY_RANK

STATUSES = ("open", "done", "skipped")
SORTS = ("oldest", "severity")
SEVERITIES = SEVERITY_RANK  # the names the filter takes, and the rank stored as max_severity


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"
    team_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    plan_id: int | None = None
    date_from: date | None = None  # inclusive, on the conversation's start
    date_to: date | None = None  # inclusive (the whole day)
    flagged: bool | None = None  # True: has flags; False: none (or not analyzed)
    min_severity: int | None = None  # 1 low, 2 medium, 3 high: the most severe flag at least this
    sort: str = "oldest"

    def problems(self) -> list[str]:
        out = []
        if self.date_from and self.date_to and self.date_from > self.date_to:
            out.append("The 'from' date is after the 'to' date.")
        if self.flagged is False and self.min_severity:
            out.append("'Without flags' and a minimum severity cannot both hold; choose one.")
        return out


def _narrowed(query: Select, user: User, filters: QueueFilters) -> Select:
    """Every filter except status (the tabs count per status under the same filters)."""
    query = query.where(Assignment.reviewer_id == user.id)
    if filters.team_id is not None:
        query = query.where(Transcript.team_id == filters.team_id)
    if filters.agent_id is not None:
        query = query.where(Transcript.agent_id == filters.agent_id,
                            or_(SamplingPlan.id.is_(None), SamplingPlan.blind.is_(False)))
    if filters.channel:
        query = query.where(Transcript.channel == filters.channel)
    if filters.plan_id is not None:
        query = query.where(Assignment.plan_id == filters.plan_id)
    if filters.date_from is not None:
        query = query.where(Transcript.started_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to is not None:
        query = query.where(Transcript.started_at < datetime.combine(filters.date_to + timedelta(days=1), time.min))
    if filters.flagged is True:
        query = query.where(TranscriptAnalysis.flag_count > 0)
    elif filters.flagged is False:
        query = query.where(or_(TranscriptAnalysis.id.is_(None), TranscriptAnalysis.flag_count == 0))
    if filters.min_severity:
        query = query.where(TranscriptAnalysis.max_severity >= filters.min_severity)
    return query


def _joined(query: Select) -> Select:
    return (query.join(Transcript, Transcript.id == Assignment.transcript_id)
            .outerjoin(TranscriptAnalysis, TranscriptAnalysis.transcript_id == Transcript.id)
            .outerjoin(SamplingPlan, SamplingPlan.id == Assignment.plan_id))


def queue_query(user: User, filters: QueueFilters) -> Select:
    """The rows of the queue, with transcript, agent, team, analysis and plan loaded in the same query."""
    query = _narrowed(_joined(select(Assignment)), user, filters).where(Assignment.status == filters.status)
    query = query.options(contains_eager(Assignment.transcript).options(
        contains_eager(Transcript.analysis), joinedload(Transcript.agent), joinedload(Transcript.team)),
        contains_eager(Assignment.plan))
    if filters.sort == "severity":
        query = query.order_by(func.coalesce(TranscriptAnalysis.max_severity, 0).desc())
    return query.order_by(Assignment.created_at, Assignment.id)


def queue(session: Session, user: User, filters: QueueFilters) -> list[Assignment]:
    return list(session.scalars(queue_query(user, filters)).unique())


def status_counts(session: Session, user: User, filters: QueueFilters) -> dict[str, int]:
    query = _narrowed(_joined(select(Assignment.status, func.count(Assignment.id))), user, filters)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(session.execute(query.group_by(Assignment.status)).all()))
    return counts


def next_assignment(session: Session, user: User, filters: QueueFilters | None = None) -> Assignment | None:
    """The oldest open assignment (within the filters, whatever their sort and status)."""
    base = filters or QueueFilters()
    wanted = QueueFilters(**{**base.__dict__, "status": "open", "sort": "oldest"})
    return session.scalars(queue_query(user, wanted).limit(1)).unique().first()


class Choice(NamedTuple):
    value: str
    label: str


@dataclass
class QueueChoices:
    teams: list[Choice]
    agents: list[Choice]
    channels: list[Choice]
    plans: list[Choice]


def choices(session: Session, user: User) -> QueueChoices:
    """What the filter dropdowns offer: only values found on the user's own assignments (one query)."""
    rows = session.execute(
        select(Team.id, Team.name, Agent.id, Agent.name, Agent.email, Transcript.channel, SamplingPlan.id,
               SamplingPlan.name, SamplingPlan.blind)
        .select_from(Assignment).join(Transcript, Transcript.id == Assignment.transcript_id)
        .join(Agent, Agent.id == Transcript.agent_id).outerjoin(Team, Team.id == Transcript.team_id)
        .outerjoin(SamplingPlan, SamplingPlan.id == Assignment.plan_id)
        .where(Assignment.reviewer_id == user.id).distinct()).all()
    teams, agents, channels, plans = {}, {}, {}, {}
    for team_id, team, agent_id, agent_name, agent_email, channel, plan_id, plan, blind in rows:
        if team_id is not None:
            teams[str(team_id)] = team
        if not blind:
            agents[str(agent_id)] = agent_name or agent_email or f"agent {agent_id}"
        if channel:
            channels[channel] = channel
        if plan_id is not None:
            plans[str(plan_id)] = plan

    def ordered(found: dict[str, str]) -> list[Choice]:
        return [Choice(v, label) for v, label in sorted(found.items(), key=lambda item: (item[1].lower(), item[0]))]

    return QueueChoices(ordered(teams), ordered(agents), ordered(channels), ordered(plans))


"""Read-side helpers for transcript pages: scoped + filtered queries, pagination, and the conversation view model.

Every query here starts from qa_app.services.scoping so lists, pages and the API see the same rows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, Iterator, Sequence, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from qa_app.models import Agent, Assignment, Team, Transcript, User
from qa_app.services import scoping
from qa_app.services.highlighting import Segment, segments

SLOW_GAP_SECONDS = 120  # the default response-time SLA (the policy pack's response_time_sla_seconds)

T = TypeVar("T")


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class TranscriptFilters:
    team_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    date_from: date | None = None  # inclusive, on started_at
    date_to: date | None = None  # inclusive (the whole day)
    csat: int | None = None  # exact
    csat_min: int | None = None
    csat_max: int | None = None
    q: str | None = None  # substring of external_id, case-insensitive

    def problems(self) -> list[str]:
        """Combinations that can't match anything; each a message for the user."""
        out = []
        if self.date_from and self.date_to and self.date_from > self.date_to:
            out.append("The 'from' date is after the 'to' date.")
        if self.csat_min is not None and self.csat_max is not None and self.csat_min > self.csat_max:
            out.append("CSAT minimum is greater than the maximum.")
        return out


def filtered_transcripts(user: User, filters: TranscriptFilters) -> Select:
    """Transcripts `user` may see, narrowed by `filters`, newest first, agent and team loaded in the same query."""
    query = scoping.visible_transcripts(user).options(joinedload(Transcript.agent), joinedload(Transcript.team))
    if filters.team_id is not None:
        query = query.where(Transcript.team_id == filters.team_id)
    if filters.agent_id is not None:  # never matches a blind chat: the filter would tell whose it is
        query = query.where(Transcript.agent_id == filters.agent_id,
                            Transcript.id.not_in(scoping.blind_transcript_ids(user)))
    if filters.channel:
        query = query.where(Transcript.channel == filters.channel)
    if filters.date_from is not None:
        query = query.where(Transcript.started_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to is not None:
        query = query.where(Transcript.started_at < datetime.combine(filters.date_to + timedelta(days=1), time.min))
    if filters.csat is not None:
        query = query.where(Transcript.csat == filters.csat)
    if filters.csat_min is not None:
        query = query.where(Transcript.csat >= filters.csat_min)
    if filters.csat_max is not None:
        query = query.where(Transcript.csat <= filters.csat_max)
    if filters.q:
        query = query.where(Transcript.external_id.icontains(filters.q.strip(), autoescape=True))
    return query.order_by(Transcript.started_at.desc().nulls_last(), Transcript.id.desc())


def filter_teams(session: Session, user: User) -> list[Team]:
    """Teams to offer in the team filter: teams of the agents and transcripts `user` may see, and (for leads and
    reviewers) the teams they lead or cover. The role rules stay in scoping; this only follows them."""
    agent_teams = scoping.visible_agents(user).with_only_columns(Agent.team_id).order_by(None)
    transcript_teams = scoping.visible_transcripts(user).with_only_columns(Transcript.team_id).distinct()
    wanted = [Team.id.in_(agent_teams), Team.id.in_(transcript_teams)]
    if user.role in ("lead", "reviewer"):
        wanted.append(Team.id.in_(scoping.team_ids(user)))
    return list(session.scalars(select(Team).where(or_(*wanted)).order_by(Team.name)))


def filter_agents(session: Session, user: User) -> list[Agent]:
    return list(session.scalars(scoping.visible_agents(user)))


def filter_channels(session: Session, user: User) -> list[str]:
    query = scoping.visible_transcripts(user).with_only_columns(Transcript.channel).distinct().order_by(None)
    return sorted(c for c in session.scalars(query) if c)


# --------------------------------------------------------------------------- pagination


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link to, None where a gap ("…") goes."""
        last = 0
        for num in range(1, self.pages + 1):
            if num <= edge or num > self.pages - edge or abs(num - self.page) <= around:
                if last and num - last > 1:
                    yield None
                yield num
                last = num


def paginate(session: Session, query: Select, page: int, per_page: int) -> Page:
    """One COUNT and one page of rows. Pages past the end show the last page; below 1, the first."""
    per_page = max(1, per_page)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total)


# --------------------------------------------------------------------------- one conversation


@dataclass
class MessageView:
    position: int
    role: str
    text: str
    sent_at: datetime | None
    gap_seconds: float | None = None  # only on agent replies: time the customer waited for this answer
    slow: bool = False
    segments: list[Segment] = field(default_factory=list)  # text cut at flag boundaries (empty: no flags shown)
    flags: list[Any] = field(default_factory=list)

    @property
    def side(self) -> str:
        return {"customer": "start", "agent": "end"}.get(self.role, "center")


@dataclass
class ConversationView:
    transcript: Transcript
    messages: list[MessageView]
    slow_after_seconds: int = SLOW_GAP_SECONDS
    gaps: list[float] = field(default_factory=list)
    flags: list[Any] = field(default_factory=list)  # every flag, in reading order

    @property
    def conversation_flags(self) -> list[Any]:
        return [f for f in self.flags if f.message_index is None]

    @property
    def first_response_seconds(self) -> float | None:
        return self.gaps[0] if self.gaps else None

    @property
    def longest_gap_seconds(self) -> float | None:
        return max(self.gaps) if self.gaps else None

    @property
    def slow_replies(self) -> int:
        return sum(1 for m in self.messages if m.slow)


def response_gaps(messages: Sequence[Any], slow_after_seconds: int = SLOW_GAP_SECONDS) -> list[MessageView]:
    """Message views with the response gap before each agent reply.

    The gap runs from the first customer message still waiting for an answer to the agent message that answers
    it. Agent follow-ups (nothing waiting) get no gap; bot and system messages don't count as an answer. A gap is
    left out when a timestamp is missing or the clock runs backwards.
    """
    views: list[MessageView] = []
    waiting_since: datetime | None = None
    for message in messages:
        view = MessageView(position=message.position, role=message.role, text=message.text, sent_at=message.sent_at)
        if message.role == "customer":
            if waiting_since is None:
                waiting_since = message.sent_at
        elif message.role == "agent":
            if waiting_since is not None and message.sent_at is not None:
                gap = (message.sent_at - waiting_since).total_seconds()
                if gap >= 0:
                    view.gap_seconds = gap
                    view.slow = gap > slow_after_seconds
            waiting_since = None
        views.append(view)
    return views


def get_transcript(session: Session, user: User, transcript_id: int) -> Transcript | None:
    """The transcript with its messages, agent and team, or None when it is missing *or* not visible to `user`."""
    query = scoping.visible_transcripts(user).where(Transcript.id == transcript_id).options(
        joinedload(Transcript.agent), joinedload(Transcript.team), selectinload(Transcript.messages))
    return session.scalars(query).unique().one_or_none()


def agent_hidden(session: Session, user: User, transcript_ids: Sequence[int]) -> set[int]:
    """Which of these transcripts `user` reviews blind: pages show them without their agent."""
    if user.role != "reviewer" or not transcript_ids:
        return set()
    blind = scoping.blind_transcript_ids(user).where(Assignment.transcript_id.in_(list(transcript_ids)))
    return set(session.scalars(blind))


def by_external_id(user: User, external_id: str, source: str | None = None) -> Select:
    """Visible transcripts with this external_id (one per source unless `source` narrows it), by source. The
    interchange record names the agent, so a reviewer's blind chats are left out (404, as for unseen ones)."""
    query = (scoping.visible_transcripts(user).where(Transcript.external_id == external_id,
                                                     Transcript.id.not_in(scoping.blind_transcript_ids(user)))
             .order_by(Transcript.source))
    return query.where(Transcript.source == source) if source else query


def conversation(transcript: Transcript, slow_after_seconds: int = SLOW_GAP_SECONDS,
                 flags: Sequence[Any] = ()) -> ConversationView:
    """The page's view model; `flags` (analysis flags, message_index = position in the list) are attached."""
    views = response_gaps(transcript.messages, slow_after_seconds)
    for index, view in enumerate(views):
        view.flags = [f for f in flags if f.message_index == index]
        if view.flags:
            view.segments = segments(view.text, view.flags)
    return ConversationView(transcript=transcript, messages=views, slow_after_seconds=slow_after_seconds,
                            gaps=[m.gap_seconds for m in views if m.gap_seconds is not None], flags=list(flags))

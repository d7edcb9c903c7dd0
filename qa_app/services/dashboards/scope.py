"""Who sees which dashboard rows (decided here, used by pages, CSV and the API alike).

admin     everything
lead      the teams they lead (a lead with no teams sees nothing)
reviewer  only the reviewer view, only their own row (their own reviews, whatever the team)
agent     nothing (their own trend is in the agent portal)
A team or agent filter outside the scope raises NotVisible: the caller answers 404, as for any unseen row.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, false, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from qa_app.models import Agent, Review, Rubric, Team, Transcript, User
from qa_app.services.dashboards.params import Filters
from qa_app.services.scoping import team_ids

LEAD_ROLES = ("admin", "lead")


class NotVisible(LookupError):
    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Scope:
    teams: frozenset[int] | None  # None: every team (and chats without a team)
    reviewer_id: int | None = None  # set for a reviewer: only their own reviews

    def team_clause(self, column) -> ColumnElement:
        if self.teams is None:
            return true()
        return column.in_(sorted(self.teams)) if self.teams else false()

    def sees_team(self, team_id: int | None) -> bool:
        return self.teams is None or team_id in self.teams


def scope_for(user: User) -> Scope:
    """PermissionError for roles that see no team dashboard (agents; reviewers except their reviewer view)."""
    if user.role == "admin":
        return Scope(teams=None)
    if user.role == "lead":
        return Scope(teams=frozenset(team_ids(user)))
    raise PermissionError("Dashboards are for leads and admins.")


def reviewer_scope_for(user: User) -> Scope:
    """The reviewer view: leads/admins as scope_for; a reviewer sees only their own row."""
    if user.role == "reviewer":
        return Scope(teams=None, reviewer_id=user.id)
    return scope_for(user)


def check_filters(session: Session, scope: Scope, filters: Filters) -> None:
    """A team, agent or rubric filter must name a row that exists and that the user may see."""
    if filters.team_id is not None:
        team = session.get(Team, filters.team_id)
        if team is None or not scope.sees_team(team.id):
            raise NotVisible("team", f"no team {filters.team_id} that you may see")
    if filters.agent_id is not None and scope.reviewer_id is not None:
        # A reviewer's agent filter would reveal whose chat a blind review was.
        raise NotVisible("agent", "reviewers cannot filter their own reviews by agent")
    if filters.agent_id is not None:
        agent = session.get(Agent, filters.agent_id)
        if agent is None or not scope.sees_team(agent.team_id):
            raise NotVisible("agent", f"no agent {filters.agent_id} that you may see")
    if filters.rubric_id is not None and session.get(Rubric, filters.rubric_id) is None:
        raise NotVisible("rubric", f"no rubric {filters.rubric_id}")


def _owner_conditions(scope: Scope, f: Filters, team_column, agent_column) -> list:
    conds = [scope.team_clause(team_column)]
    if f.team_id is not None:
        conds.append(team_column == f.team_id)
    if f.agent_id is not None:
        conds.append(agent_column == f.agent_id)
    return conds


def transcript_conditions(scope: Scope, f: Filters) -> list:
    """WHERE clauses over Transcript shared by every chat-based number: the scope's teams and the team, agent and
    channel filters (the date range and rubric depend on what is counted, so the callers add them)."""
    conds = _owner_conditions(scope, f, Transcript.team_id, Transcript.agent_id)
    if f.channel:
        conds.append(Transcript.channel == f.channel)
    return conds


def review_owner_conditions(scope: Scope, f: Filters) -> list:
    """The same clauses over a published review's own copy of its transcript's team and agent, so review numbers
    need no join to transcripts (whose size would set their cost); the channel, not copied, through an EXISTS on
    the review's transcript only when that filter is given."""
    conds = _owner_conditions(scope, f, Review.team_id, Review.agent_id)
    if f.channel:
        conds.append(exists().where(Transcript.id == Review.transcript_id, Transcript.channel == f.channel))
    return conds

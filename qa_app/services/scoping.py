"""Row-level access in one place: every list, page, export and API call builds its query from here.

admin    everything
lead     transcripts of the teams they lead
reviewer transcripts of the teams they cover (all teams when they cover none: an org-wide QA reviewer)
agent    only transcripts where they are the agent (through the agent record linked to their login)

Blind review plans hide the agent from their reviewers: a reviewer's transcript list, page and API never name the
agent of a chat they review for a blind plan (blind_transcript_ids), and an agent filter never matches it.
"""
from __future__ import annotations

from sqlalchemy import Select, false, select

from qa_app.models import Agent, Assignment, SamplingPlan, Transcript, User


def team_ids(user: User) -> list[int]:
    return [t.id for t in user.teams]


def scope_transcripts(query: Select, user: User) -> Select:
    """Narrow a query that selects from Transcript to the rows `user` may see."""
    if user.role == "admin":
        return query
    if user.role == "agent":
        own_agents = select(Agent.id).where(Agent.user_id == user.id)
        return query.where(Transcript.agent_id.in_(own_agents))
    teams = team_ids(user)
    if user.role == "reviewer" and not teams:
        return query
    if user.role in ("lead", "reviewer"):
        return query.where(Transcript.team_id.in_(teams)) if teams else query.where(false())
    return query.where(false())


def visible_transcripts(user: User) -> Select:
    return scope_transcripts(select(Transcript), user)


def can_see_transcript(user: User, transcript: Transcript) -> bool:
    if user.role == "admin":
        return True
    if user.role == "agent":
        return transcript.agent is not None and transcript.agent.user_id == user.id
    teams = team_ids(user)
    if user.role == "reviewer" and not teams:
        return True
    return user.role in ("lead", "reviewer") and transcript.team_id in teams


def visible_agents(user: User) -> Select:
    query = select(Agent).order_by(Agent.name)
    if user.role == "admin" or (user.role == "reviewer" and not team_ids(user)):
        return query
    if user.role == "agent":
        return query.where(Agent.user_id == user.id)
    return query.where(Agent.team_id.in_(team_ids(user)))


def blind_transcript_ids(user: User) -> Select:
    """Ids of the transcripts `user` reviews for a blind plan (any assignment status: a finished review stays
    blind). Only reviewers are kept blind; leads and admins see agents on their dashboards anyway."""
    if user.role != "reviewer":
        return select(Assignment.transcript_id).where(false())
    return (select(Assignment.transcript_id).join(SamplingPlan, SamplingPlan.id == Assignment.plan_id)
            .where(Assignment.reviewer_id == user.id, SamplingPlan.blind.is_(True)))

"""Names for the ids that aggregates group by: one query per kind, never one per row."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.models import Agent, RubricVersion, Team, User

NO_TEAM = "(no team)"


def team_names(session: Session, ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    out: dict[int | None, str] = {None: NO_TEAM}
    if wanted:
        out.update(dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(wanted))).all()))
    return out


def agent_names(session: Session, ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Agent.id, Agent.name, Agent.email).where(Agent.id.in_(wanted))).all()
    return {i: name or email or f"agent {i}" for i, name, email in rows}


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name, User.email).where(User.id.in_(wanted))).all()
    return {i: name or email for i, name, email in rows}


def criterion_labels(session: Session) -> dict[str, str]:
    """criterion key -> label, the newest version's label winning (trends join on keys across versions)."""
    out: dict[str, str] = {}
    for (document,) in session.execute(select(RubricVersion.document).order_by(RubricVersion.id)):
        for section in (document or {}).get("sections", []):
            for criterion in section.get("criteria", []):
                out[criterion["key"]] = criterion.get("label") or criterion["key"]
    return out

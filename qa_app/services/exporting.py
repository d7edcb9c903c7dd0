"""Export transcripts in the interchange format (docs/transcript.schema.json), streamed.

Round trip: importing the output into an empty database recreates the same transcripts (fields, messages in order,
timestamps as ISO 8601 UTC with 'Z'). Message fields that are not stored (e.g. an "author" a source sent) are not
exported.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import IO, Iterable, Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qa_app.models import Agent, Message, Team, Transcript
from qa_app.services.errors import ServiceError

EXPORT_FORMATS = ("jsonl", "json")


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat() + "Z"


def export_query(session: Session, source: str | None = None, team: str | None = None) -> Select:
    """Transcripts to export, oldest first, narrowed to a source and/or a team (by name, any case)."""
    query = select(Transcript).order_by(Transcript.id)
    if source:
        query = query.where(Transcript.source == source)
    if team:
        team_id = session.scalar(select(Team.id).where(func.lower(Team.name) == team.strip().lower()))
        if team_id is None:
            raise ServiceError(f"No team named {team!r}.")
        query = query.where(Transcript.team_id == team_id)
    return query


def iter_transcript_records(session: Session, query: Select | None = None,
                            batch_size: int = 500) -> Iterator[dict]:
    """Interchange dicts for the transcripts selected by `query` (a select(Transcript)...; default: all, by id).

    Transcripts are streamed with yield_per; each batch costs one query for its messages, and agents and teams are
    looked up once per export.
    """
    stmt = query if query is not None else select(Transcript).order_by(Transcript.id)
    agents: dict[int, tuple[str | None, str]] = {}
    teams: dict[int, str] = {}
    result = session.execute(stmt.execution_options(yield_per=batch_size))
    for part in result.scalars().partitions():
        ids = [t.id for t in part]
        messages: dict[int, list[dict]] = {i: [] for i in ids}
        rows = session.execute(select(Message.transcript_id, Message.role, Message.text, Message.sent_at)
                               .where(Message.transcript_id.in_(ids))
                               .order_by(Message.transcript_id, Message.position))
        for tid, role, text, sent_at in rows:
            m = {"role": role, "text": text}
            if sent_at is not None:
                m["sent_at"] = _iso(sent_at)
            messages[tid].append(m)
        need_agents = {t.agent_id for t in part} - agents.keys()
        if need_agents:
            agents.update({aid: (email, name) for aid, email, name in session.execute(
                select(Agent.id, Agent.email, Agent.name).where(Agent.id.in_(need_agents)))})
        need_teams = {t.team_id for t in part if t.team_id is not None} - teams.keys()
        if need_teams:
            teams.update(dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(need_teams))).all()))
        for t in part:
            email, name = agents[t.agent_id]
            agent = {"email": email, "name": name, "team": teams.get(t.team_id) if t.team_id else None}
            record = {"external_id": t.external_id, "source": t.source, "channel": t.channel, "status": t.status,
                      "agent": {k: v for k, v in agent.items() if v is not None}}
            customer = {k: v for k, v in (("id", t.customer_ref), ("name", t.customer_name)) if v is not None}
            if customer:
                record["customer"] = customer
            if t.started_at is not None:
                record["started_at"] = _iso(t.started_at)
            if t.ended_at is not None:
                record["ended_at"] = _iso(t.ended_at)
            if t.csat is not None:
                record["csat"] = t.csat
            record["tags"] = list(t.tags or [])
            record["metadata"] = dict(t.meta or {})
            record["messages"] = messages[t.id]
            yield record


def write_export(records: Iterable[dict], stream: IO[str], fmt: str = "jsonl") -> int:
    """Write records to a text stream as JSON Lines (default) or one streamed JSON array; return the count."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}.")
    n = 0
    dumps = json.dumps
    if fmt == "jsonl":
        for n, record in enumerate(records, 1):
            stream.write(dumps(record, ensure_ascii=False) + "\n")
        return n
    stream.write("[")
    for n, record in enumerate(records, 1):
        stream.write(("\n" if n == 1 else ",\n") + dumps(record, ensure_ascii=False))
    stream.write("\n]\n" if n else "]\n")
    return n

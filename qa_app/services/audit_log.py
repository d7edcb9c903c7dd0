"""Reading the audit log: filters for the admin page and its CSV / JSON-lines export.

Filters: action (a family like "auth." or an exact action), actor (part of the actor's e-mail), date range (UTC
dates, both ends included), target ("reviews" or "reviews:12"; or part of the target id).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, distinct, select
from sqlalchemy.orm import Session

from qa_app.models import AuditEvent
from qa_app.services import audit
from qa_app.services.csv_cells import spreadsheet_safe

EXPORT_COLUMNS = ("id", "at", "actor_id", "actor_email", "action", "target_type", "target_id", "ip", "details")
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None
    target: str = ""


def query(filters: AuditFilters) -> Select:
    """Newest first, narrowed by `filters`."""
    action = filters.action.strip()
    q = audit.events(action_prefix=action if action.endswith(".") else None)
    if action and not action.endswith("."):
        q = q.where(AuditEvent.action == action)
    if filters.actor.strip():
        q = q.where(AuditEvent.actor_email.contains(filters.actor.strip().lower(), autoescape=True))
    if filters.date_from:
        q = q.where(AuditEvent.at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to:
        q = q.where(AuditEvent.at < datetime.combine(filters.date_to + timedelta(days=1), time.min))
    target = filters.target.strip()
    if target:
        kind, sep, ident = target.partition(":")
        if sep:
            q = q.where(AuditEvent.target_type == kind.strip(), AuditEvent.target_id == ident.strip())
        else:
            q = q.where((AuditEvent.target_type == target) | (AuditEvent.target_id == target))
    return q


def known_actions(session: Session) -> list[str]:
    return list(session.scalars(select(distinct(AuditEvent.action)).order_by(AuditEvent.action)))


def _rows(session: Session, q: Select) -> Iterator[AuditEvent]:
    """All matching events in batches (keyset on id, newest first), so an export of a long log stays small in memory."""
    last_id = None
    while True:
        page = q.order_by(None).order_by(AuditEvent.id.desc()).limit(EXPORT_BATCH)
        if last_id is not None:
            page = page.where(AuditEvent.id < last_id)
        batch = list(session.scalars(page))
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def as_dict(event: AuditEvent) -> dict:
    return {"id": event.id, "at": event.at.isoformat(timespec="seconds") + "Z", "actor_id": event.actor_id,
            "actor_email": event.actor_email, "action": event.action, "target_type": event.target_type,
            "target_id": event.target_id, "ip": event.ip, "details": event.details or {}}


def export_csv(session: Session, filters: AuditFilters) -> Iterable[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(EXPORT_COLUMNS)
    yield flush()
    for event in _rows(session, query(filters)):
        row = as_dict(event)
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        writer.writerow([spreadsheet_safe(row[c]) for c in EXPORT_COLUMNS])
        yield flush()


def export_jsonl(session: Session, filters: AuditFilters) -> Iterable[str]:
    for event in _rows(session, query(filters)):
        yield json.dumps(as_dict(event), ensure_ascii=False, sort_keys=True) + "\n"

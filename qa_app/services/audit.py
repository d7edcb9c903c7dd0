"""The audit log: append-only events of who did what. Routes pass the request's IP; services pass the rest.

Actions are dotted names (README "Audit log" lists them): auth.login, auth.login_failed, user.role_changed,
rubric.version_created, policy.version_created, review.published, review.revised, note.published, note.revised,
note.acknowledged, dispute.raised, dispute.resolved, settings.changed.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from qa_app.models import AuditEvent, User


def record(session: Session, actor: User | None, action: str, target: Any = None, *,
           details: dict[str, Any] | None = None, ip: str | None = None) -> AuditEvent:
    """Add one event. `target` is a model row (its table name and id are kept) or None."""
    event = AuditEvent(actor_id=actor.id if actor is not None else None,
                       actor_email=actor.email if actor is not None else None, action=action,
                       target_type=getattr(target, "__tablename__", None) if target is not None else None,
                       target_id=str(target.id) if target is not None else None,
                       details=details or {}, ip=ip)
    session.add(event)
    session.flush()
    return event


def events(action_prefix: str | None = None, target_type: str | None = None,
           target_id: int | str | None = None) -> Select:
    """Newest first, optionally narrowed to an action family ("dispute.") or one target."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if target_type:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEvent.target_id == str(target_id))
    return query

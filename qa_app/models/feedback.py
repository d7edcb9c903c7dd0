"""Disputes of published reviews, in-app notifications, the audit log, login throttling and admin settings."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, utcnow
from qa_app.models.people import Agent, User
from qa_app.models.reviews import Review

DISPUTE_STATUSES = ("open", "upheld", "changed")


def _only_open(condition: str) -> dict:
    """A partial index's WHERE (open disputes only), for both databases."""
    where = text(f"status = 'open' AND {condition}")
    return {"sqlite_where": where, "postgresql_where": where}


class Dispute(Base):
    """An agent's objection to a published review (criterion_key None) or to one criterion of it.

    The lead of the agent's team resolves it: upheld (score stands) or changed (a new review revision)."""

    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint(f"status IN {DISPUTE_STATUSES!r}", name="status_known"),
        Index("ix_disputes_status_created", "status", "created_at"),
        # At most one open dispute per review and criterion (a double click cannot raise two). Two partial indexes,
        # because NULL (the whole review) never equals NULL in a unique index; both work on SQLite and PostgreSQL.
        Index("uq_disputes_open_criterion", "review_id", "criterion_key", unique=True,
              **_only_open("criterion_key IS NOT NULL")),
        Index("uq_disputes_open_review", "review_id", unique=True, **_only_open("criterion_key IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_key: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)  # the lead's reason
    old_value: Mapped[str | None] = mapped_column(String(16))  # the criterion's answer before a change
    new_value: Mapped[str | None] = mapped_column(String(16))
    review_revision: Mapped[int | None]  # the revision a "changed" outcome created

    review: Mapped[Review] = relationship()
    agent: Mapped[Agent] = relationship()
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class Notification(Base):
    """An in-app message for one user (new coaching note, dispute raised, dispute outcome)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))  # a path inside the app, never another host
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Append-only record of who did what: logins, role changes, rubric and policy versions, score changes,
    publishes, disputes. actor_email is kept so the trail survives the user's deletion."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed sign-ins per key ("email:<address>" or "ip:<address>"), shared by every worker process."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]


class AppSetting(Base):
    """Admin settings that live in the database (e.g. redact_pii_on_import), one JSON value per key."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

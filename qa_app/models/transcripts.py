"""Imported chat transcripts and their ordered messages."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, utcnow
from qa_app.models.people import Agent, Team

if TYPE_CHECKING:
    from qa_app.models.analysis import TranscriptAnalysis

MESSAGE_ROLES = ("customer", "agent", "bot", "system")
TRANSCRIPT_STATUSES = ("completed", "open")


class Transcript(Base):
    __tablename__ = "transcripts"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        CheckConstraint("csat IS NULL OR (csat >= 1 AND csat <= 5)", name="csat_range"),
        CheckConstraint(f"status IN {TRANSCRIPT_STATUSES!r}", name="status_known"),
        Index("ix_transcripts_team_started", "team_id", "started_at"),
        Index("ix_transcripts_agent_started", "agent_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32), default="chat")
    status: Mapped[str] = mapped_column(String(16), default="completed")
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    customer_ref: Mapped[str | None] = mapped_column(String(200))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    csat: Mapped[int | None]
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    message_count: Mapped[int] = mapped_column(default=0)
    # SHA-256 of the normalized record: a re-import with the same hash is a no-op, a different one an update.
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agent: Mapped[Agent] = relationship()
    team: Mapped[Team | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="transcript", order_by="Message.position", cascade="all, delete-orphan",
        passive_deletes=True,
    )
    analysis: Mapped[TranscriptAnalysis | None] = relationship(back_populates="transcript", passive_deletes=True)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("transcript_id", "position"),
        CheckConstraint(f"role IN {MESSAGE_ROLES!r}", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    position: Mapped[int]
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]

    transcript: Mapped[Transcript] = relationship(back_populates="messages")

"""Policy pack versions and stored analysis results (flags with their evidence spans)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, utcnow
from qa_app.models.transcripts import Transcript


class PolicyPack(Base):
    """One version of the company's policy pack (YAML). Exactly one version is active."""

    __tablename__ = "policy_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # qa_app.nlp.policy_version of the parsed pack
    company: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranscriptAnalysis(Base):
    """The latest analysis of one transcript; replaced when the analyzer or the policy pack changes."""

    __tablename__ = "transcript_analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"), unique=True)
    analyzer_version: Mapped[str] = mapped_column(String(32))
    policy_version: Mapped[str] = mapped_column(String(64))
    analyzed_at: Mapped[datetime] = mapped_column(default=utcnow)
    flag_count: Mapped[int] = mapped_column(default=0)
    # 0 none, 1 low, 2 medium, 3 high: lets queues and sampling sort by worst flag without a join.
    max_severity: Mapped[int] = mapped_column(default=0)
    mean_politeness: Mapped[float | None]
    min_politeness: Mapped[float | None]
    first_sentiment: Mapped[float | None]
    last_sentiment: Mapped[float | None]
    message_scores: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A copy of the transcript's started_at (kept in step by analysis and import): dashboards count a date
    # window's analysed chats from this index instead of joining every analysis to its transcript.
    started_at: Mapped[datetime | None] = mapped_column(index=True)

    transcript: Mapped[Transcript] = relationship(back_populates="analysis")
    flags: Mapped[list[Flag]] = relationship(
        back_populates="analysis", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Flag.id",
    )


class Flag(Base):
    """One automatic finding, pointing at text[start:end] of one message (or the whole conversation)."""

    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_transcript_category", "transcript_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("transcript_analyses.id", ondelete="CASCADE"), index=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    message_index: Mapped[int | None]
    start: Mapped[int | None]
    end: Mapped[int | None]
    evidence: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    suggestion: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(index=True)  # the transcript's, as on TranscriptAnalysis

    analysis: Mapped[TranscriptAnalysis] = relationship(back_populates="flags")

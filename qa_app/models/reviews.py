"""Reviews (a reviewer's scores for one transcript against one rubric version), flag verdicts and coaching notes."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (DDL, JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint,
                        event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.analysis import Flag
from qa_app.models.base import Base, utcnow
from qa_app.models.people import Agent, User
from qa_app.models.rubrics import RubricVersion
from qa_app.models.sampling import Assignment
from qa_app.models.transcripts import Transcript

REVIEW_STATUSES = ("draft", "submitted", "published")
VERDICTS = ("confirmed", "dismissed")
NOTE_STATUSES = ("draft", "published")


class Review(Base):
    """answers: {criterion key: value or "na"}; suggestions: {criterion key: {value, rules, evidence}} as pre-filled
    from fired flags. Scores are what services.scoring computed at the last save (never computed anywhere else).

    agent_id/team_id are the transcript's, copied when the review is published and on every revision (as the
    criterion_scores rollup), None before: review-based dashboard numbers filter and group on them through the
    (team|agent, published_at) indexes instead of joining every transcript."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(f"status IN {REVIEW_STATUSES!r}", name="status_known"),
        Index("ix_reviews_transcript_status", "transcript_id", "status"),
        Index("ix_reviews_status_published", "status", "published_at"),
        Index("ix_reviews_calibration_submitted", "calibration", "submitted_at"),
        Index("ix_reviews_team_published", "team_id", "published_at"),
        Index("ix_reviews_agent_published", "agent_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"),
                                                      unique=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id", ondelete="RESTRICT"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    suggestions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    overall: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    section_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    calibration: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=0)  # 0 until published; each change after that adds one
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))

    assignment: Mapped[Assignment | None] = relationship()
    transcript: Mapped[Transcript] = relationship()
    reviewer: Mapped[User] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    verdicts: Mapped[list[ReviewFlagVerdict]] = relationship(
        back_populates="review", cascade="all, delete-orphan", passive_deletes=True)
    note: Mapped[CoachingNote | None] = relationship(back_populates="review", passive_deletes=True)


class ReviewFlagVerdict(Base):
    """A reviewer's decision on one automatic flag: measures how often the machine is right."""

    __tablename__ = "review_flag_verdicts"
    __table_args__ = (
        UniqueConstraint("review_id", "flag_id"),
        CheckConstraint(f"verdict IN {VERDICTS!r}", name="verdict_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    # NULL once a re-analysis has replaced the flag: a published review's verdicts are the reviewer's record and
    # keep counting in the confirmation rate (services.analysis drops those of reviews not yet published).
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="SET NULL"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Copies for the confirmation-rate dashboard, which then reads only its window's verdicts and no flag: the
    # flag's rule and category (a flag never changes), and the review's published_at (set when the review is
    # published, NULL before).
    rule: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(32))
    published_at: Mapped[datetime | None] = mapped_column(index=True)

    review: Mapped[Review] = relationship(back_populates="verdicts")
    flag: Mapped[Flag | None] = relationship()


class CoachingNote(Base):
    """Feedback for the agent drafted from a submitted review; the agent sees it only once published."""

    __tablename__ = "coaching_notes"
    __table_args__ = (
        CheckConstraint(f"status IN {NOTE_STATUSES!r}", name="status_known"),
        Index("ix_coaching_notes_status_published", "status", "published_at"),  # follow-through's window
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=0)  # 0 until published; each change after that adds one

    review: Mapped[Review] = relationship(back_populates="note")
    agent: Mapped[Agent] = relationship()


class CalibrationConsensus(Base):
    """The agreed answer of a calibration session for one criterion of one transcript, recorded by a lead.

    value is the scale point's value as text ("0", "3", ...) or "na"."""

    __tablename__ = "calibration_consensus"
    __table_args__ = (UniqueConstraint("calibration_key", "transcript_id", "criterion_key",
                                       name="uq_calibration_consensus_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calibration_key: Mapped[str] = mapped_column(String(64), index=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    criterion_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(16))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    decided_by: Mapped[User | None] = relationship()


class MessageComment(Base):
    """A reviewer's remark on one message of the reviewed transcript."""

    __tablename__ = "message_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class ReviewRevision(Base):
    """The scores of a published review as of one revision: number 1 is the state at publishing; each later
    change (a reviewer's correction, a dispute resolved by changing the score) adds one, with who, when, why."""

    __tablename__ = "review_revisions"
    __table_args__ = (UniqueConstraint("review_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    number: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    overall: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    section_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="publish")  # publish | correction | dispute

    changed_by: Mapped[User | None] = relationship()


class NoteRevision(Base):
    """The text of a published coaching note as of one revision (1 = as published), with who, when, why."""

    __tablename__ = "note_revisions"
    __table_args__ = (UniqueConstraint("note_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("coaching_notes.id", ondelete="CASCADE"))
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")

    changed_by: Mapped[User | None] = relationship()


class CriterionScore(Base):
    """Rollup for dashboards: one row per criterion of each published, non-calibration review, rewritten on every
    revision. score is the scoring engine's 0..1 (None for N/A). agent/team/rubric/published_at are copied from
    the review so trends aggregate on one indexed table."""

    __tablename__ = "criterion_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_key"),
        Index("ix_criterion_scores_team_published", "team_id", "published_at"),
        Index("ix_criterion_scores_agent_published", "agent_id", "published_at"),
        Index("ix_criterion_scores_published", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    criterion_key: Mapped[str] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    critical_failed: Mapped[bool] = mapped_column(Boolean, default=False)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"))
    published_at: Mapped[datetime]


# PostgreSQL guesses the number of groups of an expression from its column's distinct values (every timestamp is
# distinct), so "quality by criterion" expected about one group per row and sorted the window's rows, spilling to
# disk past work_mem, instead of hashing them into a few dozen (period, criterion) groups. These statistics give it
# the real count. Each expression must be exactly what services/dashboards/sql.bucket builds (a test compares them);
# migration 5e0b1d2c7a93 creates the same objects.
CRITERION_PERIOD_STATISTICS = {
    period: f"CREATE STATISTICS IF NOT EXISTS criterion_scores_{period}_groups (ndistinct) "
            f"ON (to_char(date_trunc('{period}', published_at), 'YYYY-MM-DD')), criterion_key FROM criterion_scores"
    for period in ("week", "month")
}
for _statement in CRITERION_PERIOD_STATISTICS.values():
    event.listen(CriterionScore.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))

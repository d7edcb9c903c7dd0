"""Sampling plans (what to review), their runs (what was picked, reproducibly) and review assignments."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, utcnow
from qa_app.models.people import User
from qa_app.models.rubrics import Rubric, RubricVersion
from qa_app.models.transcripts import Transcript

PLAN_STRATEGIES = ("random", "quota", "stratified", "targeted", "mix")
ASSIGNMENT_STATUSES = ("open", "done", "skipped")
# A transcript is "taken" while it has one of these; skipped ones go back to the pool.
ACTIVE_STATUSES = ("open", "done")
_ONE_ACTIVE = "status IN ('open', 'done') AND calibration_key IS NULL"


class SamplingPlan(Base):
    __tablename__ = "sampling_plans"
    __table_args__ = (CheckConstraint(f"strategy IN {PLAN_STRATEGIES!r}", name="strategy_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    # team_ids, agent_ids, channels, tags, window_days, csat_min, csat_max (all optional; see services.sampling)
    population: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    strategy: Mapped[str] = mapped_column(String(16))
    strategy_config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    quota_per_agent: Mapped[int | None]
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id", ondelete="SET NULL"))
    blind: Mapped[bool] = mapped_column(Boolean, default=False)  # reviewers don't see the agent (issue 6)
    calibration: Mapped[bool] = mapped_column(Boolean, default=False)
    calibration_reviewers: Mapped[int] = mapped_column(default=0)  # 0: every reviewer of the plan
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    rubric: Mapped[Rubric | None] = relationship()
    reviewers: Mapped[list[PlanReviewer]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", lazy="selectin", order_by="PlanReviewer.user_id")

    @property
    def team_ids(self) -> list[int]:
        return list(self.population.get("team_ids") or [])

    def __repr__(self) -> str:
        return f"<SamplingPlan {self.name}>"


class PlanReviewer(Base):
    """A reviewer of a plan and how many open assignments they may hold at once (across all plans)."""

    __tablename__ = "sampling_plan_reviewers"

    plan_id: Mapped[int] = mapped_column(ForeignKey("sampling_plans.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    capacity: Mapped[int] = mapped_column(default=20)

    plan: Mapped[SamplingPlan] = relationship(back_populates="reviewers")
    user: Mapped[User] = relationship(lazy="joined")


class SamplingRun(Base):
    """One execution of a plan: the seed and parameters make it reproducible; report explains it per agent."""

    __tablename__ = "sampling_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("sampling_plans.id", ondelete="CASCADE"), index=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    eligible_count: Mapped[int] = mapped_column(default=0)
    picked_count: Mapped[int] = mapped_column(default=0)
    assigned_count: Mapped[int] = mapped_column(default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # agents: [...], notes: [...]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[SamplingPlan] = relationship()


class Assignment(Base):
    """A transcript handed to a reviewer. Non-calibration: at most one open or done per transcript."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint(f"status IN {ASSIGNMENT_STATUSES!r}", name="status_known"),
        UniqueConstraint("transcript_id", "reviewer_id", "calibration_key"),
        Index("uq_assignments_one_active", "transcript_id", unique=True,
              sqlite_where=text(_ONE_ACTIVE), postgresql_where=text(_ONE_ACTIVE)),
        Index("ix_assignments_reviewer_status", "reviewer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("sampling_runs.id", ondelete="SET NULL"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("sampling_plans.id", ondelete="SET NULL"), index=True)
    rubric_version_id: Mapped[int | None] = mapped_column(ForeignKey("rubric_versions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    skip_reason: Mapped[str | None] = mapped_column(String(500))
    calibration_key: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    transcript: Mapped[Transcript] = relationship()
    reviewer: Mapped[User] = relationship()
    run: Mapped[SamplingRun | None] = relationship()
    plan: Mapped[SamplingPlan | None] = relationship()
    rubric_version: Mapped[RubricVersion | None] = relationship()

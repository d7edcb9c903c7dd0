"""Rubrics (scorecards) and their immutable versions. A review points at a RubricVersion, never at a Rubric."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, utcnow

VERSION_SOURCES = ("file", "editor", "clone")


class Rubric(Base):
    """A rubric's identity: its stable key. Content lives in versions; archived rubrics are hidden, never deleted."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # the latest version's name, kept here for lists
    archived: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Hash of the rubrics/ file as `flask qa rubrics sync` last saw it: an unchanged file is skipped even when
    # the browser has made newer versions since, so a re-sync never reverts an edit made in the editor.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[RubricVersion]] = relationship(
        back_populates="rubric", order_by="RubricVersion.number", lazy="selectin",
    )

    @property
    def latest(self) -> RubricVersion | None:
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Rubric {self.key}>"


class RubricVersion(Base):
    """One saved content of a rubric. Rows are never updated or deleted, so reviews can keep theirs forever."""

    __tablename__ = "rubric_versions"
    __table_args__ = (
        UniqueConstraint("rubric_id", "number"),
        CheckConstraint(f"source IN {VERSION_SOURCES!r}", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a rubric with versions (and so possibly reviews) cannot be deleted by accident.
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)  # the YAML as written (comments included): what export returns
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # parsed, with defaults filled in: what scoring reads
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical document JSON
    source: Mapped[str] = mapped_column(String(16))  # file | editor | clone
    source_path: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rubric: Mapped[Rubric] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<RubricVersion {self.rubric_id} v{self.number}>"

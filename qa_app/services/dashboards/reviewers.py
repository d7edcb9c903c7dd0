"""Reviewer view: published reviews done in the range, median time per review (submitted_at - created_at: from
opening the draft to submitting it), mean score given, calibration agreement with the lead's agreed answers, and
coverage of sampling plans against their quotas.

A reviewer (role) sees only their own row; leads see reviewers' work on their teams' chats; admins everything."""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from qa_app.models import Assignment, CalibrationConsensus, Review, RubricVersion, Transcript, User
from qa_app.services import sampling_plans
from qa_app.services.dashboards import labels
from qa_app.services.dashboards.params import Filters
from qa_app.services.dashboards.quality import review_conditions
from qa_app.services.dashboards.scope import Scope, transcript_conditions
from qa_app.services.dashboards.sql import seconds_between


@dataclass
class ReviewerRow:
    reviewer_id: int
    name: str
    reviews: int
    mean_score: float | None
    median_seconds: float | None = None
    calibration_compared: int = 0   # criterion answers compared with an agreed answer
    calibration_agreed: int = 0

    @property
    def agreement(self) -> float | None:
        return self.calibration_agreed / self.calibration_compared if self.calibration_compared else None

    def as_dict(self) -> dict:
        return {"reviewer_id": self.reviewer_id, "reviewer": self.name, "reviews": self.reviews,
                "mean_score": None if self.mean_score is None else round(self.mean_score, 2),
                "median_seconds_per_review": None if self.median_seconds is None else round(self.median_seconds),
                "calibration_compared": self.calibration_compared, "calibration_agreed": self.calibration_agreed,
                "calibration_agreement": None if self.agreement is None else round(self.agreement, 4)}


def reviewer_stats(session: Session, scope: Scope, f: Filters) -> list[ReviewerRow]:
    conditions = review_conditions(scope, f)
    counts = (select(Review.reviewer_id, func.count(Review.id), func.avg(Review.overall)).select_from(Review)
              .where(*conditions).group_by(Review.reviewer_id))
    rows = {rid: ReviewerRow(rid, "", n, None if avg is None else float(avg))
            for rid, n, avg in session.execute(counts)}
    # SQLite has no median aggregate: one query returns the durations, Python takes each reviewer's median.
    durations = defaultdict(list)
    spent = seconds_between(session, Review.submitted_at, Review.created_at)
    for rid, seconds in session.execute(select(Review.reviewer_id, spent).select_from(Review)
                                        .where(*conditions, Review.submitted_at.is_not(None))):
        if seconds is not None:
            durations[rid].append(float(seconds))
    for rid, values in durations.items():
        if rid in rows:
            rows[rid].median_seconds = statistics.median(values)
    _calibration(session, scope, f, rows)
    names = labels.user_names(session, rows)
    for row in rows.values():
        row.name = names.get(row.reviewer_id, f"user {row.reviewer_id}")
    return sorted(rows.values(), key=lambda r: r.name.lower())


def _calibration(session: Session, scope: Scope, f: Filters, rows: dict[int, ReviewerRow]) -> None:
    """Share of a reviewer's calibration answers (submitted in the range) equal to the agreed answer."""
    query = (select(Review.reviewer_id, Review.answers, CalibrationConsensus.criterion_key, CalibrationConsensus.value)
             .select_from(Review).join(Assignment, Review.assignment_id == Assignment.id)
             .join(CalibrationConsensus, and_(CalibrationConsensus.calibration_key == Assignment.calibration_key,
                                              CalibrationConsensus.transcript_id == Review.transcript_id))
             .join(Transcript, Review.transcript_id == Transcript.id)
             .where(Review.calibration.is_(True), Review.status.in_(("submitted", "published")),
                    Review.submitted_at >= f.start, Review.submitted_at < f.end,
                    # the same team/agent/channel filters as the counts, on the transcript: calibration reviews
                    # are not published, so they carry no copy of its team and agent
                    *transcript_conditions(scope, f)))
    if scope.reviewer_id is not None:
        query = query.where(Review.reviewer_id == scope.reviewer_id)
    if f.rubric_id is not None:
        query = query.where(Review.rubric_version_id.in_(
            select(RubricVersion.id).where(RubricVersion.rubric_id == f.rubric_id)))
    for rid, answers, key, agreed in session.execute(query):
        if key not in (answers or {}):
            continue
        row = rows.get(rid)
        if row is None:
            row = rows[rid] = ReviewerRow(rid, "", 0, None)
        row.calibration_compared += 1
        row.calibration_agreed += int(str(answers[key]) == str(agreed))


@dataclass
class CoverageRow:
    plan_id: int
    plan: str
    quota: int
    days: int
    agents: int
    met: int
    done: int
    open: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def coverage(session: Session, user: User) -> list[CoverageRow]:
    """Each quota plan the user manages, over the plan's own window (default 7 days): agents meeting the quota.
    One aggregate query per plan (plans are few)."""
    if user.role not in ("admin", "lead"):
        return []
    out = []
    for plan in sampling_plans.visible_plans(session, user):
        if not plan.quota_per_agent or plan.calibration:
            continue
        days = int(plan.population.get("window_days") or 7)
        lines = sampling_plans.coverage(session, plan, days)
        out.append(CoverageRow(plan.id, plan.name, plan.quota_per_agent, days, len(lines),
                               sum(1 for line in lines if line.met), sum(line.done for line in lines),
                               sum(line.open for line in lines)))
    return out

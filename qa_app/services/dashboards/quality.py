"""Quality score: the mean of published, non-calibration reviews' overall scores (the scoring engine's numbers,
stored on the review), by week or month, for the organisation, a team, an agent or a criterion; pass rate against
the rubric's threshold (Review.passed); change against the previous period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, case, func, null, select
from sqlalchemy.orm import Session

from qa_app.models import CriterionScore, Review, RubricVersion, Transcript
from qa_app.services.dashboards import labels
from qa_app.services.dashboards.params import Filters, period_start, previous_period
from qa_app.services.dashboards.scope import Scope, review_owner_conditions
from qa_app.services.dashboards.sql import bucket

GROUPS = ("org", "team", "agent", "criterion")
ORG = "Organisation"


@dataclass
class ScoreRow:
    period: str                 # first day of the week/month, YYYY-MM-DD
    group_id: int | str | None  # team id, agent id, criterion key; None for the organisation
    group: str
    reviews: int                # reviews (for a criterion: answers scored, N/A excluded)
    score: float | None         # mean, 0-100
    passed: int | None = None
    pass_rate: float | None = None  # share of scored reviews that passed, 0-1
    change: float | None = None     # score minus the previous period's score (same group)
    critical_failures: int | None = None  # criterion only

    def as_dict(self) -> dict:
        return {"period": self.period, "group_id": self.group_id, "group": self.group, "reviews": self.reviews,
                "score": _round(self.score), "passed": self.passed, "pass_rate": _round(self.pass_rate, 4),
                "change": _round(self.change), "critical_failures": self.critical_failures}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def review_conditions(scope: Scope, f: Filters, start: datetime | None = None, end: datetime | None = None) -> list:
    """WHERE clauses over Review (no join needed) for the published reviews behind every review number."""
    conds = [Review.status == "published", Review.calibration.is_(False),
             Review.published_at >= (start or f.start), Review.published_at < (end or f.end),
             *review_owner_conditions(scope, f)]
    if scope.reviewer_id is not None:
        conds.append(Review.reviewer_id == scope.reviewer_id)
    if f.rubric_id is not None:
        versions = select(RubricVersion.id).where(RubricVersion.rubric_id == f.rubric_id)
        conds.append(Review.rubric_version_id.in_(versions))
    return conds


def criterion_conditions(scope: Scope, f: Filters, start: datetime | None = None,
                         end: datetime | None = None) -> list:
    """WHERE clauses over the criterion_scores rollup (rows exist only for published, non-calibration reviews)."""
    conds = [CriterionScore.published_at >= (start or f.start), CriterionScore.published_at < (end or f.end),
             scope.team_clause(CriterionScore.team_id)]
    if f.team_id is not None:
        conds.append(CriterionScore.team_id == f.team_id)
    if f.agent_id is not None:
        conds.append(CriterionScore.agent_id == f.agent_id)
    if f.rubric_id is not None:
        conds.append(CriterionScore.rubric_id == f.rubric_id)
    if f.channel:
        conds.append(CriterionScore.review_id.in_(
            select(Review.id).join(Transcript, Review.transcript_id == Transcript.id)
            .where(Transcript.channel == f.channel)))
    return conds


def _review_query(session: Session, scope: Scope, f: Filters, group_by: str, start, end) -> Select:
    b = bucket(session, Review.published_at, f.period).label("b")
    group = {"org": null(), "team": Review.team_id, "agent": Review.agent_id}[group_by].label("g")
    query = (select(b, group, func.count(Review.id), func.avg(Review.overall),
                    func.sum(case((Review.passed.is_(True), 1), else_=0)), func.count(Review.passed))
             .select_from(Review).where(*review_conditions(scope, f, start, end)))
    return query.group_by(b) if group_by == "org" else query.group_by(b, group)


def _criterion_query(session: Session, scope: Scope, f: Filters, start, end) -> Select:
    b = bucket(session, CriterionScore.published_at, f.period).label("b")
    return (select(b, CriterionScore.criterion_key, func.count(CriterionScore.score),
                   func.avg(CriterionScore.score) * 100.0,
                   func.sum(case((CriterionScore.critical_failed.is_(True), 1), else_=0)))
            .where(*criterion_conditions(scope, f, start, end))
            .group_by(b, CriterionScore.criterion_key))


def _rows(session: Session, scope: Scope, f: Filters, group_by: str, start, end) -> list[ScoreRow]:
    if group_by == "criterion":
        return [ScoreRow(period=str(b), group_id=key, group=key, reviews=n or 0,
                         score=None if avg is None else float(avg), critical_failures=int(crit or 0))
                for b, key, n, avg, crit in session.execute(_criterion_query(session, scope, f, start, end))]
    out = []
    for b, g, n, avg, passed, judged in session.execute(_review_query(session, scope, f, group_by, start, end)):
        out.append(ScoreRow(period=str(b), group_id=g, group=ORG, reviews=n, score=None if avg is None else float(avg),
                            passed=int(passed or 0), pass_rate=(int(passed or 0) / judged) if judged else None))
    return out


def scores(session: Session, scope: Scope, f: Filters, group_by: str = "org") -> list[ScoreRow]:
    """Rows per (period, group), sorted by group then period; `change` compares with the period before (the
    period before the range's first one is queried too, so the first row has a change as well)."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    rows = _rows(session, scope, f, group_by, None, None)
    first = period_start(f.date_from, f.period)
    before = _rows(session, scope, f, group_by, datetime.combine(previous_period(first, f.period), time.min),
                   datetime.combine(first, time.min))
    _set_change(rows, before, f.period)
    _label(session, rows, group_by)
    return sorted(rows, key=lambda r: (r.group.lower(), str(r.group_id), r.period))


def _set_change(rows: list[ScoreRow], before: list[ScoreRow], period: str) -> None:
    known = {(r.group_id, r.period): r.score for r in [*before, *rows]}
    for row in rows:
        prev = previous_period(date.fromisoformat(row.period), period).isoformat()
        earlier = known.get((row.group_id, prev))
        row.change = None if earlier is None or row.score is None else row.score - earlier


def _label(session: Session, rows: list[ScoreRow], group_by: str) -> None:
    if group_by == "team":
        names = labels.team_names(session, (r.group_id for r in rows))
    elif group_by == "agent":
        names = labels.agent_names(session, (r.group_id for r in rows))
    elif group_by == "criterion":
        names = labels.criterion_labels(session)
    else:
        return
    for row in rows:
        row.group = names.get(row.group_id, str(row.group_id))


def summary(rows: list[ScoreRow]) -> dict:
    """Whole-range figures from per-period rows (weighted by reviews): mean score, reviews, pass rate."""
    n = sum(r.reviews for r in rows if r.score is not None)
    total = sum(r.score * r.reviews for r in rows if r.score is not None)
    passed = sum(r.passed or 0 for r in rows)
    return {"reviews": sum(r.reviews for r in rows), "score": total / n if n else None,
            "pass_rate": passed / n if n and rows and rows[0].passed is not None else None}

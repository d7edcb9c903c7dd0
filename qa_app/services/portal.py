"""The agent portal's queries: the agent's own published reviews and notes, one review in detail, their weekly
score trend and what to focus on. Every query starts from `own_agent_ids(user)`: an agent sees nothing else.

Calibration reviews and anything not yet published never appear here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from qa_app.models import (Agent, CoachingNote, CriterionScore, Flag, Review, ReviewFlagVerdict, Transcript,
                           TranscriptAnalysis, User, utcnow)
from qa_app.services import disputes as dispute_service
from qa_app.services import audit, comments, revisions, scoring
from qa_app.services.errors import ServiceError
from qa_app.services.reviews import NA, criteria, score_of
from qa_app.services.transcript_views import ConversationView, conversation

TREND_WEEKS = (12, 26, 52)
FOCUS_DAYS = 30
FOCUS_TOP = 3
EXAMPLES = 3


# --- the agent's own rows -------------------------------------------------------------------------------------

def own_agent_ids(user: User) -> Select:
    return select(Agent.id).where(Agent.user_id == user.id)


def _own_published(user: User, *columns: Any) -> Select:
    query = select(*columns) if columns else select(Review)
    if user.role != "agent":  # only agents have a portal; anyone else gets nothing
        return query.select_from(Review).where(false())
    return (query.select_from(Review).join(Review.transcript)
            .where(Transcript.agent_id.in_(own_agent_ids(user)), Review.status == "published",
                   Review.calibration.is_(False)))


def published_reviews(user: User) -> Select:
    """The agent's published, non-calibration reviews, newest first, with transcript and note loaded."""
    return (_own_published(user)
            .options(joinedload(Review.transcript), joinedload(Review.note), joinedload(Review.rubric_version))
            .order_by(Review.published_at.desc(), Review.id.desc()))


def get_review(session: Session, user: User, review_id: int) -> Review | None:
    """The review when it is the agent's own and published; None otherwise (missing looks the same: 404)."""
    return session.scalars(published_reviews(user).where(Review.id == review_id)).unique().one_or_none()


def unacknowledged_notes(session: Session, user: User) -> int:
    return session.scalar(select(func.count(CoachingNote.id)).where(
        CoachingNote.agent_id.in_(own_agent_ids(user)), CoachingNote.status == "published",
        CoachingNote.acknowledged_at.is_(None))) or 0


# --- acknowledge ----------------------------------------------------------------------------------------------

def acknowledge(session: Session, user: User, note: CoachingNote, ip: str | None = None) -> CoachingNote:
    """The agent confirms they read the note: once (a second time changes nothing and says so)."""
    if note.status != "published" or note.agent is None or note.agent.user_id != user.id:
        raise ServiceError(f"Note {note.id}: you can acknowledge only your own published coaching.")
    if note.acknowledged_at is not None:
        raise ServiceError(f"Note {note.id}: already acknowledged on {note.acknowledged_at:%Y-%m-%d %H:%M}.")
    note.acknowledged_at = utcnow()
    session.flush()
    audit.record(session, user, "note.acknowledged", note, ip=ip,
                 details={"review_id": note.review_id, "revision": note.revision})
    return note


# --- one review in detail -------------------------------------------------------------------------------------

@dataclass
class CriterionView:
    section: str
    key: str
    label: str
    answer: Any  # stored value, "na" or None
    answer_label: str
    points: list[tuple[int, str]]
    score: float | None  # 0..1 from the scoring engine; None for N/A
    na_allowed: bool
    critical: bool
    critical_failed: bool
    reasons: list[str]
    comment: str
    coaching_tip: str
    evidence: list[Flag] = field(default_factory=list)
    disputes: list[Any] = field(default_factory=list)

    @property
    def na(self) -> bool:
        return self.answer == NA

    @property
    def open_dispute(self) -> Any:
        return next((d for d in self.disputes if d.status == "open"), None)


@dataclass
class ReviewDetail:
    review: Review
    convo: ConversationView
    criteria: list[CriterionView]
    remarks: dict[int, list[Any]]  # message position -> reviewer remarks
    review_history: list[Any]
    note_history: list[Any]
    disputes: list[Any]
    result: scoring.ScoreResult

    @property
    def whole_review_disputes(self) -> list[Any]:
        return [d for d in self.disputes if d.criterion_key is None]

    @property
    def open_whole_review_dispute(self) -> Any:
        return next((d for d in self.whole_review_disputes if d.status == "open"), None)


def kept_flags(review: Review) -> list[Flag]:
    """The transcript's flags minus those the reviewer dismissed (the machine was wrong there)."""
    analysis = review.transcript.analysis
    dismissed = {v.flag_id for v in review.verdicts if v.verdict == "dismissed"}
    return [f for f in (analysis.flags if analysis else []) if f.id not in dismissed]


def related_flags(criterion: dict[str, Any], flags: list[Flag]) -> list[Flag]:
    wanted = criterion.get("suggested_by") or []
    return [f for f in flags if f.rule in wanted or f.category in wanted]


def _remarks(session: Session, review: Review) -> dict[int, list[Any]]:
    return comments.by_position(comments.comments_for_review(session, review))


def review_detail(session: Session, review: Review) -> ReviewDetail:
    document = review.rubric_version.document
    flags = kept_flags(review)
    result = score_of(document, review.answers)
    all_disputes = dispute_service.for_review(session, review)
    views = []
    for section in document["sections"]:
        for c in section["criteria"]:
            answer = review.answers.get(c["key"])
            views.append(CriterionView(
                section=section["label"], key=c["key"], label=c["label"], answer=answer,
                answer_label=dispute_service.answer_label(review, c["key"], answer),
                points=scoring.scale_points(c["scale"]), score=result.criteria.get(c["key"]),
                na_allowed=bool(c.get("na_allowed")), critical=bool(c.get("critical")), critical_failed=c["key"] in result.critical_failures,
                reasons=list((review.reasons or {}).get(c["key"]) or []),
                comment=(review.comments or {}).get(c["key"]) or "", coaching_tip=c.get("coaching_tip") or "",
                evidence=related_flags(c, flags),
                disputes=[d for d in all_disputes if d.criterion_key == c["key"]]))
    note = review.note
    return ReviewDetail(review=review, convo=conversation(review.transcript, flags=flags), criteria=views,
                        remarks=_remarks(session, review), review_history=revisions.review_history(session, review),
                        note_history=revisions.note_history(session, note) if note else [],
                        disputes=all_disputes, result=result)


# --- weekly trend ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPoint:
    week: date  # the Monday the week starts on
    mean: float | None  # mean overall of the reviews published that week; None: no review
    count: int


def week_start(moment: datetime | date) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def weekly_trend(session: Session, user: User, weeks: int = 12, today: date | None = None) -> list[TrendPoint]:
    """One point per week (oldest first) for the last `weeks` weeks, this week included."""
    last = week_start(today or utcnow().date())
    first = last - timedelta(weeks=weeks - 1)
    rows = session.execute(
        _own_published(user, Review.published_at, Review.overall).where(Review.published_at >= datetime.combine(first, datetime.min.time()),
                         Review.overall.is_not(None))).all()
    by_week: dict[date, list[float]] = defaultdict(list)
    for published_at, overall in rows:
        by_week[week_start(published_at)].append(overall)
    points = []
    for i in range(weeks):
        week = first + timedelta(weeks=i)
        values = by_week.get(week, [])
        points.append(TrendPoint(week, sum(values) / len(values) if values else None, len(values)))
    return points


@dataclass(frozen=True)
class ChartDot:
    x: float
    y: float
    point: TrendPoint


@dataclass
class LineChart:
    """Geometry of a small line chart in SVG user units (0..100 scores): the template only draws it."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    dots: list[ChartDot]
    segments: list[str]  # polyline "x,y x,y" runs; a week without reviews breaks the line
    gridlines: list[tuple[float, int]]  # (y, score)
    x_labels: list[tuple[float, str]]


def trend_chart(points: list[TrendPoint], width: int = 640, height: int = 220) -> LineChart:
    left, right, top, bottom = 36, 28, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)

    def y_of(score: float) -> float:
        return round(top + plot_h * (1 - max(0.0, min(100.0, score)) / 100), 1)

    dots, segments, run = [], [], []
    for i, p in enumerate(points):
        x = round(left + i * step, 1)
        if p.mean is None:
            if run:
                segments.append(" ".join(run))
            run = []
            continue
        dots.append(ChartDot(x, y_of(p.mean), p))
        run.append(f"{x},{y_of(p.mean)}")
    if run:
        segments.append(" ".join(run))
    label_every = max(1, len(points) // 6)
    x_labels = [(round(left + i * step, 1), p.week.strftime("%d %b")) for i, p in enumerate(points)
                if i % label_every == 0 or i == len(points) - 1]
    return LineChart(width, height, left, top, plot_w, plot_h, dots, [s for s in segments if s],
                     [(y_of(v), v) for v in (0, 25, 50, 75, 100)], x_labels)


# --- what to focus on -----------------------------------------------------------------------------------------

@dataclass
class Example:
    review_id: int
    external_id: str
    evidence: str | None = None
    flag_id: int | None = None
    comment: str | None = None
    score: float | None = None


@dataclass
class RuleFocus:
    rule: str
    category: str
    count: int
    explanation: str
    suggestion: str | None
    examples: list[Example]


@dataclass
class CriterionFocus:
    key: str
    label: str
    mean: float  # 0..1
    count: int
    coaching_tip: str
    examples: list[Example]


@dataclass
class Focus:
    since: datetime
    reviews: int
    rules: list[RuleFocus]
    criteria: list[CriterionFocus]


def _recent_reviews(session: Session, user: User, since: datetime) -> list[Review]:
    # Verdicts, analyses and flags in three queries, however many reviews: focus reads them for its examples.
    return list(session.scalars(published_reviews(user).where(Review.published_at >= since).options(
        selectinload(Review.verdicts),
        joinedload(Review.transcript).selectinload(Transcript.analysis).selectinload(TranscriptAnalysis.flags),
    )).unique())


def _rule_focus(session: Session, reviews: list[Review]) -> list[RuleFocus]:
    """The agent's most frequent flag rules on their recently published reviews (dismissed flags left out)."""
    if not reviews:
        return []
    review_of = {r.transcript_id: r for r in reviews}
    dismissed = exists().where(and_(ReviewFlagVerdict.flag_id == Flag.id, ReviewFlagVerdict.verdict == "dismissed",
                                    ReviewFlagVerdict.review_id.in_([r.id for r in reviews])))
    counts = session.execute(
        select(Flag.rule, Flag.category, func.count(Flag.id))
        .where(Flag.transcript_id.in_(list(review_of)), ~dismissed)
        .group_by(Flag.rule, Flag.category).order_by(func.count(Flag.id).desc(), Flag.rule).limit(FOCUS_TOP)).all()
    out = []
    for rule, category, count in counts:
        flags = list(session.scalars(
            select(Flag).where(Flag.transcript_id.in_(list(review_of)), Flag.rule == rule, ~dismissed)
            .order_by(Flag.id.desc()).limit(EXAMPLES)))
        out.append(RuleFocus(rule=rule, category=category, count=count,
                             explanation=flags[0].explanation if flags else "",
                             suggestion=next((f.suggestion for f in flags if f.suggestion), None),
                             examples=[Example(review_id=review_of[f.transcript_id].id,
                                               external_id=review_of[f.transcript_id].transcript.external_id,
                                               evidence=f.evidence, flag_id=f.id) for f in flags]))
    return out


def _criterion_focus(session: Session, user: User, reviews: list[Review], since: datetime) -> list[CriterionFocus]:
    """The agent's lowest criteria (mean of the rollup's 0..1 scores; below full marks only)."""
    if not reviews:
        return []
    mean = func.avg(CriterionScore.score)
    rows = session.execute(
        select(CriterionScore.criterion_key, mean, func.count(CriterionScore.id))
        .where(CriterionScore.agent_id.in_(own_agent_ids(user)), CriterionScore.published_at >= since,
               CriterionScore.score.is_not(None))
        .group_by(CriterionScore.criterion_key).having(mean < 1.0)
        .order_by(mean, CriterionScore.criterion_key).limit(FOCUS_TOP)).all()
    by_id = {r.id: r for r in reviews}
    out = []
    for key, avg, count in rows:
        worst = session.execute(
            select(CriterionScore.review_id, CriterionScore.score)
            .where(CriterionScore.agent_id.in_(own_agent_ids(user)), CriterionScore.published_at >= since,
                   CriterionScore.criterion_key == key, CriterionScore.score < 1.0)
            .order_by(CriterionScore.score, CriterionScore.published_at.desc()).limit(EXAMPLES)).all()
        criterion = _criterion_in(reviews, key)
        examples = []
        for review_id, score in worst:
            review = by_id.get(review_id)
            if review is None:
                continue
            evidence = next((f.evidence for f in related_flags(criterion, kept_flags(review)) if f.evidence), None)
            examples.append(Example(review_id=review.id, external_id=review.transcript.external_id,
                                    evidence=evidence, comment=(review.comments or {}).get(key), score=score))
        out.append(CriterionFocus(key=key, label=criterion.get("label", key), mean=float(avg), count=count,
                                  coaching_tip=criterion.get("coaching_tip") or "", examples=examples))
    return out


def _criterion_in(reviews: list[Review], key: str) -> dict[str, Any]:
    """The criterion as written in the newest rubric version that has it (labels may change across versions)."""
    for review in reviews:  # newest first
        for c in criteria(review.rubric_version.document):
            if c["key"] == key:
                return c
    return {"key": key, "label": key}


def focus(session: Session, user: User, days: int = FOCUS_DAYS, now: datetime | None = None) -> Focus:
    since = (now or utcnow()) - timedelta(days=days)
    reviews = _recent_reviews(session, user, since)
    return Focus(since=since, reviews=len(reviews), rules=_rule_focus(session, reviews),
                 criteria=_criterion_focus(session, user, reviews, since))


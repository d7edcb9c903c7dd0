"""The reviews (or chats) behind any dashboard number: the aggregate's own WHERE clauses plus the cell's
coordinates (period bucket, group, criterion, pass, rule verdict, note, dispute, coaching window).

Drill parameters (query string, beside the filters):
  bucket=YYYY-MM-DD   the period (week/month from `period`) the number belongs to
  group_by=team|agent|org  and  group=<id> ("none": chats without a team)
  criterion=<key>     reviews with a (non-N/A) score on that criterion
  passed=1|0          reviews that passed / failed
  rule=<rule> verdict=confirmed|dismissed   reviews where a reviewer judged a flag of that rule so
  note=acknowledged|unacknowledged          reviews whose published coaching note is (not) acknowledged
  dispute=open        reviews with an open dispute (any publication date)
  reviewer=<user id>
  at=<ISO datetime> side=before|after weeks=N   a coaching window (with agent + criterion)
  category=<cat> / rule=<rule> on chats: chats with such a flag
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import Session, joinedload

from qa_app.models import CoachingNote, CriterionScore, Dispute, Flag, Review, ReviewFlagVerdict, Transcript
from qa_app.services.dashboards.flags import chat_conditions
from qa_app.services.dashboards.followthrough import note_conditions
from qa_app.services.dashboards.params import FilterError, Filters, next_period, period_start
from qa_app.services.dashboards.quality import review_conditions
from qa_app.services.dashboards.scope import Scope


@dataclass(frozen=True)
class Drill:
    bucket: date | None = None
    group_by: str | None = None
    group: int | None = None
    no_group: bool = False
    criterion: str | None = None
    passed: bool | None = None
    rule: str | None = None
    category: str | None = None
    verdict: str | None = None
    note: str | None = None
    dispute: str | None = None
    reviewer: int | None = None
    at: datetime | None = None
    side: str | None = None
    weeks: int = 4

    def query_args(self) -> dict[str, str]:
        out = {}
        for key, value in self.__dict__.items():
            if value in (None, False) or (key == "weeks" and self.at is None):
                continue
            if key == "no_group":
                out["group"] = "none"
            elif key == "passed":
                out[key] = "1" if value else "0"
            elif isinstance(value, (date, datetime)):
                out[key] = value.isoformat()
            else:
                out[key] = str(value)
        if self.passed is False:
            out["passed"] = "0"
        return out


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if raw not in allowed:
        raise FilterError(name, f"must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _id(args: Mapping[str, str], name: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise FilterError(name, f"expected an id, got {raw!r}")
    return int(raw)


def parse_drill(args: Mapping[str, str]) -> Drill:
    bucket = None
    if args.get("bucket"):
        try:
            bucket = date.fromisoformat(args["bucket"].strip())
        except ValueError:
            raise FilterError("bucket", f"expected YYYY-MM-DD, got {args['bucket']!r}") from None
    at = None
    if args.get("at"):
        try:
            at = datetime.fromisoformat(args["at"].strip())
        except ValueError:
            raise FilterError("at", f"expected an ISO date and time, got {args['at']!r}") from None
    group_raw = (args.get("group") or "").strip()
    passed = _choice(args, "passed", ("1", "0"))
    weeks = _id(args, "weeks") or 4
    if not 1 <= weeks <= 52:
        raise FilterError("weeks", "must be between 1 and 52")
    return Drill(bucket=bucket, group_by=_choice(args, "group_by", ("org", "team", "agent")),
                 group=None if group_raw in ("", "none") else _id(args, "group"), no_group=group_raw == "none",
                 criterion=(args.get("criterion") or "").strip()[:64] or None,
                 passed=None if passed is None else passed == "1",
                 rule=(args.get("rule") or "").strip()[:80] or None,
                 category=(args.get("category") or "").strip()[:32] or None,
                 verdict=_choice(args, "verdict", ("confirmed", "dismissed")),
                 note=_choice(args, "note", ("acknowledged", "unacknowledged")),
                 dispute=_choice(args, "dispute", ("open",)), reviewer=_id(args, "reviewer"),
                 at=at, side=_choice(args, "side", ("before", "after")), weeks=weeks)


def in_bucket(f: Filters, drill: Drill) -> Filters:
    """The filters narrowed to the drill's period bucket (clipped to the range)."""
    if drill.bucket is None:
        return f
    start = period_start(drill.bucket, f.period)
    end = next_period(start, f.period) - timedelta(days=1)
    return f.narrowed(date_from=max(f.date_from, start), date_to=min(f.date_to, end))


def _group_clause(drill: Drill, model):
    """The drill's group over `model` (Review for review numbers, Transcript for chat numbers)."""
    column = {"team": model.team_id, "agent": model.agent_id}.get(drill.group_by or "")
    if column is None:
        return None
    return column.is_(None) if drill.no_group else column == drill.group


def reviews_behind(session: Session, scope: Scope, f: Filters, drill: Drill) -> Select:
    """Select of Review (transcript and agent loaded) behind a review-based number, newest first."""
    f = in_bucket(f, drill)
    if drill.at is not None:  # a coaching window may reach outside the range
        span = timedelta(weeks=drill.weeks)
        f = f.narrowed(date_from=(drill.at - span).date(), date_to=(drill.at + span).date())
    conds = review_conditions(scope, f)
    if drill.dispute == "open":  # open disputes count whatever their date: every filter but the range applies
        conds = [c for c in conds if not _is_range(c)]
        conds.append(exists().where(Dispute.review_id == Review.id, Dispute.status == "open"))
    group = _group_clause(drill, Review)
    if group is not None:
        conds.append(group)
    if drill.criterion:
        conds.append(exists().where(CriterionScore.review_id == Review.id,
                                    CriterionScore.criterion_key == drill.criterion,
                                    CriterionScore.score.is_not(None)))
    if drill.passed is not None:
        conds.append(Review.passed.is_(drill.passed))
    if drill.rule and drill.verdict:
        conds.append(exists().where(ReviewFlagVerdict.review_id == Review.id,
                                    ReviewFlagVerdict.verdict == drill.verdict, ReviewFlagVerdict.rule == drill.rule))
    if drill.note:
        acknowledged = CoachingNote.acknowledged_at.is_not(None) if drill.note == "acknowledged" \
            else CoachingNote.acknowledged_at.is_(None)
        conds.append(exists().where(CoachingNote.review_id == Review.id, *note_conditions(f), acknowledged))
    if drill.reviewer is not None:
        conds.append(Review.reviewer_id == drill.reviewer)
    if drill.at is not None and drill.side:
        span = timedelta(weeks=drill.weeks)
        conds.append(and_(Review.published_at < drill.at, Review.published_at >= drill.at - span)
                     if drill.side == "before" else
                     and_(Review.published_at > drill.at, Review.published_at <= drill.at + span))
    return (select(Review).where(*conds)
            .options(joinedload(Review.transcript).joinedload(Transcript.agent))
            .order_by(Review.published_at.desc(), Review.id.desc()))


def _is_range(clause) -> bool:
    left = getattr(clause, "left", None)
    return left is not None and getattr(left, "key", None) == "published_at"


def chats_behind(session: Session, scope: Scope, f: Filters, drill: Drill) -> Select:
    """Select of Transcript behind a chat-based number (flag trends, operations), newest first."""
    f = in_bucket(f, drill)
    conds = chat_conditions(scope, f)
    group = _group_clause(drill, Transcript)
    if group is not None:
        conds.append(group)
    if drill.rule:
        conds.append(exists().where(Flag.transcript_id == Transcript.id, Flag.rule == drill.rule))
    if drill.category:
        conds.append(exists().where(Flag.transcript_id == Transcript.id, Flag.category == drill.category))
    return (select(Transcript).where(*conds).options(joinedload(Transcript.agent))
            .order_by(Transcript.started_at.desc(), Transcript.id.desc()))

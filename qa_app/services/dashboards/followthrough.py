"""Coaching follow-through: the share of published coaching notes the agent acknowledged, open disputes, and each
agent's score on a criterion in the N weeks before and after being coached on it.

"Coached on a criterion" means: the agent's first published review in the range whose score on that criterion was
below 80% of its scale (coaching.HIGH), i.e. the note listed it under "What to work on". Before = that criterion's
scores in the N weeks before that review; after = in the N weeks after it (the review itself is in neither)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, null, select
from sqlalchemy.orm import Session, aliased

from qa_app.models import CoachingNote, CriterionScore, Dispute, Review
from qa_app.services.coaching import HIGH
from qa_app.services.dashboards import labels
from qa_app.services.dashboards.params import Filters
from qa_app.services.dashboards.quality import criterion_conditions, review_conditions
from qa_app.services.dashboards.scope import Scope, review_owner_conditions
from qa_app.services.dashboards.sql import seconds_between

GROUPS = ("team", "agent")
DEFAULT_WEEKS = 4


@dataclass
class AckRow:
    group_id: int | None
    group: str
    notes: int = 0
    acknowledged: int = 0
    open_disputes: int = 0

    @property
    def share(self) -> float | None:
        return self.acknowledged / self.notes if self.notes else None

    def as_dict(self) -> dict:
        return {"group_id": self.group_id, "group": self.group, "notes": self.notes,
                "acknowledged": self.acknowledged,
                "acknowledged_share": None if self.share is None else round(self.share, 4),
                "open_disputes": self.open_disputes}


def note_conditions(f: Filters) -> list:
    """Published notes of the range. A note is published with its review, at the same instant, so this repeats
    the review's range on the note's own (status, published_at) index: the notes are read for the window only, not
    scanned whole to be joined."""
    return [CoachingNote.status == "published", CoachingNote.published_at >= f.start,
            CoachingNote.published_at < f.end]


def acknowledgement(session: Session, scope: Scope, f: Filters, group_by: str = "agent") -> list[AckRow]:
    """Notes published in the range and how many were acknowledged; disputes open now (any date)."""
    g = {"team": Review.team_id, "agent": Review.agent_id}[group_by]
    notes = (select(g, func.count(CoachingNote.id), func.count(CoachingNote.acknowledged_at))
             .select_from(CoachingNote).join(Review, CoachingNote.review_id == Review.id)
             .where(*note_conditions(f), *review_conditions(scope, f)).group_by(g))
    rows: dict = {}
    for gid, n, ack in session.execute(notes):
        rows[gid] = AckRow(gid, "", n, ack)
    # Open disputes count whatever their date: every filter but the range applies.
    disputes = (select(g, func.count(Dispute.id)).select_from(Dispute)
                .join(Review, Dispute.review_id == Review.id)
                .where(Dispute.status == "open", *review_owner_conditions(scope, f)).group_by(g))
    for gid, n in session.execute(disputes):
        rows.setdefault(gid, AckRow(gid, "")).open_disputes = n
    names = (labels.team_names if group_by == "team" else labels.agent_names)(session, rows)
    for row in rows.values():
        row.group = names.get(row.group_id, str(row.group_id))
    return sorted(rows.values(), key=lambda r: r.group.lower())


@dataclass
class CoachingEffect:
    agent_id: int
    agent: str
    criterion_key: str
    criterion: str
    coached_at: datetime
    before: float | None   # mean score 0-100
    before_n: int
    after: float | None
    after_n: int

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    def as_dict(self) -> dict:
        r = lambda v: None if v is None else round(v, 2)  # noqa: E731
        return {"agent_id": self.agent_id, "agent": self.agent, "criterion_key": self.criterion_key,
                "criterion": self.criterion, "coached_at": self.coached_at.isoformat(timespec="seconds"),
                "before": r(self.before), "before_n": self.before_n, "after": r(self.after),
                "after_n": self.after_n, "change": r(self.change)}


def _near_conditions(near, scope: Scope, f: Filters, weeks: int) -> list:
    # Bounding the rows joined to the range +- the window lets the (agent_id, published_at) index do the work:
    # the cost follows the range, not the agent's whole history.
    span = timedelta(weeks=weeks)
    conds = [scope.team_clause(near.team_id), near.published_at >= f.start - span, near.published_at < f.end + span]
    if f.rubric_id is not None:
        conds.append(near.rubric_id == f.rubric_id)
    return conds


def before_after(session: Session, scope: Scope, f: Filters, weeks: int = DEFAULT_WEEKS) -> list[CoachingEffect]:
    coached = (select(CriterionScore.agent_id.label("agent_id"), CriterionScore.criterion_key.label("key"),
                      func.min(CriterionScore.published_at).label("at"))
               .where(*criterion_conditions(scope, f), CriterionScore.score < HIGH)
               .group_by(CriterionScore.agent_id, CriterionScore.criterion_key).subquery("coached"))
    near = aliased(CriterionScore, name="near")
    window = weeks * 7 * 86400.0
    offset = seconds_between(session, near.published_at, coached.c.at)
    before = and_(near.published_at < coached.c.at, offset >= -window)
    after = and_(near.published_at > coached.c.at, offset <= window)
    query = (select(coached.c.agent_id, coached.c.key, coached.c.at,
                    func.avg(case((before, near.score), else_=null())),
                    func.count(case((before, near.score), else_=null())),
                    func.avg(case((after, near.score), else_=null())),
                    func.count(case((after, near.score), else_=null())))
             .select_from(coached)
             .outerjoin(near, and_(near.agent_id == coached.c.agent_id, near.criterion_key == coached.c.key,
                                   *_near_conditions(near, scope, f, weeks)))
             .group_by(coached.c.agent_id, coached.c.key, coached.c.at))
    rows = [CoachingEffect(a, "", k, k, at if isinstance(at, datetime) else datetime.fromisoformat(str(at)),
                           None if b is None else 100.0 * float(b), bn, None if af is None else 100.0 * float(af), an)
            for a, k, at, b, bn, af, an in session.execute(query)]
    agents = labels.agent_names(session, (r.agent_id for r in rows))
    criteria = labels.criterion_labels(session)
    for row in rows:
        row.agent = agents.get(row.agent_id, str(row.agent_id))
        row.criterion = criteria.get(row.criterion_key, row.criterion_key)
    return sorted(rows, key=lambda r: (r.agent.lower(), r.criterion_key))

"""Flag trends (how often the machine flags each category or rule, per team or agent, by period) and the
confirmation rate per rule: confirmed / (confirmed + dismissed) in published reviews, i.e. the machine's
precision as judged by reviewers.

Trends count flags on every analysed chat that started in the range (the machine reads every chat, not only the
reviewed sample); `chats` is the number of analysed chats of the same group and period, so trends are also shown
per 100 chats. Rubric filters do not apply to flags."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session

from qa_app.models import Flag, Review, ReviewFlagVerdict, Transcript, TranscriptAnalysis
from qa_app.services.dashboards import labels
from qa_app.services.dashboards.params import Filters
from qa_app.services.dashboards.quality import ORG, review_conditions
from qa_app.services.dashboards.scope import Scope, transcript_conditions
from qa_app.services.dashboards.sql import bucket

GROUPS = ("org", "team", "agent")
KEYS = ("category", "rule")


@dataclass
class FlagRow:
    period: str
    group_id: int | None
    group: str
    key: str        # the category or rule
    flags: int
    chats: int      # analysed chats of this group and period
    per_100: float | None

    def as_dict(self) -> dict:
        return {"period": self.period, "group_id": self.group_id, "group": self.group, "key": self.key,
                "flags": self.flags, "chats": self.chats,
                "per_100_chats": None if self.per_100 is None else round(self.per_100, 2)}


@dataclass
class ConfirmationRow:
    rule: str
    category: str
    confirmed: int
    dismissed: int

    @property
    def judged(self) -> int:
        return self.confirmed + self.dismissed

    @property
    def rate(self) -> float | None:
        return self.confirmed / self.judged if self.judged else None

    def as_dict(self) -> dict:
        return {"rule": self.rule, "category": self.category, "confirmed": self.confirmed,
                "dismissed": self.dismissed, "confirmation_rate": None if self.rate is None else round(self.rate, 4)}


def chat_conditions(scope: Scope, f: Filters) -> list:
    """WHERE clauses over Transcript for the chats behind transcript-based numbers (completed, started in the
    range)."""
    return [Transcript.status == "completed", Transcript.started_at >= f.start, Transcript.started_at < f.end,
            *transcript_conditions(scope, f)]


def _group_col(group_by: str):
    return {"org": null(), "team": Transcript.team_id, "agent": Transcript.agent_id}[group_by]


def trends(session: Session, scope: Scope, f: Filters, group_by: str = "team", by: str = "category") -> list[FlagRow]:
    if group_by not in GROUPS or by not in KEYS:
        raise ValueError("group_by must be org, team or agent; by must be category or rule")
    b = bucket(session, Transcript.started_at, f.period).label("b")
    g = _group_col(group_by).label("g")
    key = (Flag.category if by == "category" else Flag.rule).label("k")
    # Each side is bounded by its own copy of the chat's start (indexed), not by a join to every flag/analysis.
    counted = (select(b, g, key, func.count(Flag.id)).select_from(Flag)
               .join(Transcript, Flag.transcript_id == Transcript.id)
               .where(*_window(Flag.started_at, f), *chat_conditions(scope, f)))
    counted = counted.group_by(b, key) if group_by == "org" else counted.group_by(b, g, key)
    chats_q = (select(b, g, func.count(TranscriptAnalysis.id)).select_from(TranscriptAnalysis)
               .join(Transcript, TranscriptAnalysis.transcript_id == Transcript.id)
               .where(*_window(TranscriptAnalysis.started_at, f), *chat_conditions(scope, f)))
    chats_q = chats_q.group_by(b) if group_by == "org" else chats_q.group_by(b, g)
    chats = {(str(p), grp): n for p, grp, n in session.execute(chats_q)}
    rows = [FlagRow(period=str(p), group_id=grp, group=ORG, key=k, flags=n, chats=chats.get((str(p), grp), 0),
                    per_100=None) for p, grp, k, n in session.execute(counted)]
    names = (labels.team_names if group_by == "team" else labels.agent_names)(session, (r.group_id for r in rows)) \
        if group_by != "org" else {}
    for row in rows:
        row.per_100 = 100.0 * row.flags / row.chats if row.chats else None
        if group_by != "org":
            row.group = names.get(row.group_id, str(row.group_id))
    return sorted(rows, key=lambda r: (r.group.lower(), str(r.group_id), r.key, r.period))


def _window(column, f: Filters) -> list:
    return [column >= f.start, column < f.end]


def confirmation(session: Session, scope: Scope, f: Filters) -> list[ConfirmationRow]:
    """Per rule, verdicts given in the published reviews of the range (same filters as the quality score). The
    verdict rows carry their flag's rule and their review's published_at, so only the window's verdicts are read."""
    V = ReviewFlagVerdict
    confirmed = func.sum(case((V.verdict == "confirmed", 1), else_=0))
    dismissed = func.sum(case((V.verdict == "dismissed", 1), else_=0))
    query = (select(V.rule, V.category, confirmed, dismissed).select_from(V)
             .join(Review, V.review_id == Review.id)
             .where(*_window(V.published_at, f), *review_conditions(scope, f)).group_by(V.rule, V.category))
    rows = [ConfirmationRow(rule=r, category=c, confirmed=int(y or 0), dismissed=int(n or 0))
            for r, c, y, n in session.execute(query)]
    return sorted(rows, key=lambda r: (r.category, r.rule))

"""Operational numbers from the transcripts themselves, per period and org/team/agent, beside the quality score:
first response time, average and worst response gap, share of replies within the policy pack's SLA
(response_time_sla_seconds), handle time (ended - started) and CSAT.

A response gap is measured as the analysis does (qa_app/nlp/components/etiquette.response_gaps): from the first
customer message not yet answered to the agent's next message; the first such gap of a chat is its first response.
It is computed in SQL with window functions (SQLite >= 3.25 and PostgreSQL both have them), see gaps_per_chat."""
from __future__ import annotations

from dataclasses import dataclass

import yaml
from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session

from qa_app.models import Message, PolicyPack, Transcript
from qa_app.services.dashboards import labels
from qa_app.services.dashboards.flags import chat_conditions
from qa_app.services.dashboards.params import Filters
from qa_app.services.dashboards.quality import ORG
from qa_app.services.dashboards.scope import Scope
from qa_app.services.dashboards.sql import bucket, seconds_between
from qa_app.services.transcript_views import SLOW_GAP_SECONDS

GROUPS = ("org", "team", "agent")


@dataclass
class OpsRow:
    period: str
    group_id: int | None
    group: str
    chats: int
    first_response: float | None   # mean seconds over chats with one
    gap_mean: float | None         # mean seconds over every measured reply
    gap_worst: float | None
    replies: int                   # measured replies
    within_sla: float | None       # share of measured replies within the SLA, 0-1
    handle_time: float | None      # mean seconds (ended - started)
    csat: float | None
    csat_count: int
    quality: float | None = None   # the quality score of the same group and period (published reviews)

    def as_dict(self) -> dict:
        r = lambda v, d=1: None if v is None else round(v, d)  # noqa: E731
        return {"period": self.period, "group_id": self.group_id, "group": self.group, "chats": self.chats,
                "first_response_s": r(self.first_response), "gap_mean_s": r(self.gap_mean),
                "gap_worst_s": r(self.gap_worst), "replies": self.replies, "within_sla": r(self.within_sla, 4),
                "handle_time_s": r(self.handle_time), "csat": r(self.csat, 2), "csat_count": self.csat_count,
                "quality": r(self.quality, 2)}


def sla_seconds(session: Session) -> float:
    """The active policy pack's response_time_sla_seconds (read without the analysis engine), else 120 s."""
    content = session.scalar(select(PolicyPack.content).where(PolicyPack.active.is_(True)).limit(1))
    try:
        value = (yaml.safe_load(content) or {}).get("response_time_sla_seconds") if content else None
    except yaml.YAMLError:
        value = None
    return float(value) if isinstance(value, (int, float)) and value > 0 else float(SLOW_GAP_SECONDS)


def gaps_per_chat(session: Session, conditions: list, sla: float):
    """A subquery: per transcript, first response, sum/count/max of gaps and replies within the SLA.

    Three window passes, no self-join (linear in the messages): number each message's segment; in each segment
    (the customer messages after an agent reply, then the next agent reply) take the first message's role and
    time; an agent reply whose segment starts with a customer message is one measured wait."""
    agents_before = func.sum(case((Message.role == "agent", 1), else_=0)).over(
        partition_by=Message.transcript_id, order_by=Message.position, rows=(None, -1))
    marked = (select(Message.transcript_id.label("tid"), Message.position.label("pos"), Message.role.label("role"),
                     Message.sent_at.label("at"), func.coalesce(agents_before, 0).label("seg"))
              .join(Transcript, Message.transcript_id == Transcript.id)
              .where(Message.role.in_(("customer", "agent")), *conditions).subquery("marked"))
    segment = dict(partition_by=(marked.c.tid, marked.c.seg), order_by=marked.c.pos)
    opened = select(marked.c.tid, marked.c.pos, marked.c.role, marked.c.at,
                    func.first_value(marked.c.role).over(**segment).label("first_role"),
                    func.first_value(marked.c.at).over(**segment).label("asked")).subquery("opened")
    replies = (select(opened.c.tid.label("tid"), seconds_between(session, opened.c.at, opened.c.asked).label("gap"),
                      func.row_number().over(partition_by=opened.c.tid, order_by=opened.c.pos).label("k"))
               .where(opened.c.role == "agent", opened.c.first_role == "customer").subquery("replies"))
    return (select(replies.c.tid.label("tid"),
                   func.max(case((replies.c.k == 1, replies.c.gap), else_=null())).label("first"),
                   func.sum(replies.c.gap).label("gap_sum"), func.count(replies.c.gap).label("gap_n"),
                   func.max(replies.c.gap).label("worst"),
                   func.sum(case((replies.c.gap <= sla, 1), else_=0)).label("within"))
            .group_by(replies.c.tid).subquery("per_chat"))


def operations(session: Session, scope: Scope, f: Filters, group_by: str = "org") -> list[OpsRow]:
    if group_by not in GROUPS:
        raise ValueError("group_by must be org, team or agent")
    conditions = chat_conditions(scope, f)
    sla = sla_seconds(session)
    per_chat = gaps_per_chat(session, conditions, sla)
    b = bucket(session, Transcript.started_at, f.period).label("b")
    g = {"org": null(), "team": Transcript.team_id, "agent": Transcript.agent_id}[group_by].label("g")
    query = (select(b, g, func.count(Transcript.id), func.avg(per_chat.c.first), func.sum(per_chat.c.gap_sum),
                    func.sum(per_chat.c.gap_n), func.max(per_chat.c.worst), func.sum(per_chat.c.within),
                    func.avg(seconds_between(session, Transcript.ended_at, Transcript.started_at)),
                    func.avg(Transcript.csat), func.count(Transcript.csat))
             .select_from(Transcript).outerjoin(per_chat, per_chat.c.tid == Transcript.id).where(*conditions))
    query = query.group_by(b) if group_by == "org" else query.group_by(b, g)
    rows = []
    for p, grp, chats, first, gap_sum, gap_n, worst, within, handle, csat, csat_n in session.execute(query):
        gap_n = int(gap_n or 0)
        rows.append(OpsRow(period=str(p), group_id=grp, group=ORG, chats=chats, first_response=_f(first),
                           gap_mean=float(gap_sum) / gap_n if gap_n else None, gap_worst=_f(worst), replies=gap_n,
                           within_sla=int(within or 0) / gap_n if gap_n else None, handle_time=_f(handle),
                           csat=_f(csat), csat_count=int(csat_n or 0)))
    if group_by != "org":
        names = (labels.team_names if group_by == "team" else labels.agent_names)(session, (r.group_id for r in rows))
        for row in rows:
            row.group = names.get(row.group_id, str(row.group_id))
    return sorted(rows, key=lambda r: (r.group.lower(), str(r.group_id), r.period))


def with_quality(rows: list[OpsRow], quality_rows) -> list[OpsRow]:
    """Put the quality score of the same group and period beside each row (CSAT next to quality)."""
    scores = {(q.group_id, q.period): q.score for q in quality_rows}
    for row in rows:
        row.quality = scores.get((row.group_id, row.period))
    return rows


def _f(value) -> float | None:
    return None if value is None else float(value)

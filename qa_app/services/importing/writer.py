"""Batched writes: one SELECT per batch for existing keys, cached agent/team lookups, multi-row INSERTs.

Core statements on the session's connection (no ORM object per transcript or message); the session is flushed
before and never committed here.
"""
from __future__ import annotations

from sqlalchemy import bindparam, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from qa_app.models import Agent, Message, Team, Transcript, User, utcnow
from qa_app.services.importing.report import ImportReport
from qa_app.services.importing.validation import NormalizedRecord

T = Transcript.__table__
M = Message.__table__
A = Agent.__table__
TM = Team.__table__


def _sqlite_datetime(dt):
    """What SQLAlchemy's SQLite DATETIME stores: '2026-03-01 10:00:00.000000' (microseconds always present)."""
    if dt is None:
        return None
    text = dt.isoformat(" ")
    return text if dt.microsecond else text + ".000000"


class BatchWriter:
    def __init__(self, session: Session, report: ImportReport):
        self.session = session
        self.report = report
        self.team_ids: dict[str, int] = {}                        # lower(name) -> id
        self.agents_by_email: dict[str, tuple[int, int | None]] = {}  # email -> (id, team_id)
        self.agents_by_name: dict[str, tuple[int, int | None]] = {}   # name (e-mail-less agents) -> (id, team_id)
        self.touched: set[int] = set()                             # transcript ids written in this run

    # -- transcripts -------------------------------------------------------------------------------------------

    def write(self, batch: list[NormalizedRecord]) -> list[int]:
        """Write one batch; return the ids of transcripts created or updated."""
        session, report = self.session, self.report
        session.flush()
        latest: dict[tuple[str, str], NormalizedRecord] = {}
        for rec in batch:  # the later record with the same key wins
            key = (rec.source, rec.external_id)
            if key in latest:
                report.duplicates += 1
                del latest[key]  # keep input order: re-insert at the later position
            latest[key] = rec

        by_source: dict[str, list[str]] = {}
        for source, ext in latest:
            by_source.setdefault(source, []).append(ext)
        existing: dict[tuple[str, str], tuple[int, str]] = {}
        for source, exts in by_source.items():
            rows = session.execute(select(T.c.id, T.c.external_id, T.c.content_hash)
                                   .where(T.c.source == source, T.c.external_id.in_(exts)))
            existing.update({(source, ext): (tid, h) for tid, ext, h in rows})

        new: list[NormalizedRecord] = []
        changed: list[tuple[int, NormalizedRecord]] = []
        for key, rec in latest.items():
            found = existing.get(key)
            if found is None:
                new.append(rec)
                continue
            tid, old_hash = found
            repeat = tid in self.touched  # written earlier in this run: a duplicate across batches
            if repeat:
                report.duplicates += 1
            if old_hash == rec.content_hash:
                if not repeat:
                    report.unchanged += 1
            else:
                changed.append((tid, rec))
                if not repeat:
                    report.updated += 1
        if not new and not changed:
            return []

        self._resolve_people([r for r in new] + [r for _, r in changed])
        now = utcnow()
        ids: list[int] = []
        if new:
            rows = [self._transcript_row(r) | {"imported_at": now, "updated_at": now} for r in new]
            result = session.execute(insert(T).returning(T.c.id, sort_by_parameter_order=True), rows)
            ids = [row[0] for row in result]
            report.created += len(new)
        if changed:
            session.execute(
                update(T).where(T.c.id == bindparam("_id")).values(
                    {k: bindparam("p_" + k) for k in self._transcript_row(changed[0][1])} | {"updated_at": now}),
                [{"p_" + k: v for k, v in self._transcript_row(r).items()} | {"_id": tid} for tid, r in changed])
            changed_ids = [tid for tid, _ in changed]
            session.execute(delete(M).where(M.c.transcript_id.in_(changed_ids)))
        pairs = list(zip(ids, new)) + changed
        message_rows = [(tid, i, role, text, sent_at, sent_str)
                        for tid, rec in pairs for i, (role, text, sent_at, sent_str) in enumerate(rec.messages)]
        if message_rows:
            self._insert_messages(message_rows)
        report.messages += len(message_rows)
        written = [tid for tid, _ in pairs]
        report.transcript_ids.extend(t for t in written if t not in self.touched)
        self.touched.update(written)
        return written

    def _insert_messages(self, rows: list[tuple]) -> None:
        """Messages are most of the rows. On SQLite they go straight to the driver's executemany (same connection
        and transaction; timestamps in SQLAlchemy's SQLite DATETIME format), skipping per-row parameter processing,
        which otherwise costs more than the insert itself. Elsewhere: a Core executemany (insertmanyvalues)."""
        connection = self.session.connection()
        if connection.dialect.name == "sqlite":
            cursor = connection.connection.driver_connection.cursor()
            try:
                cursor.executemany(
                    "INSERT INTO messages (transcript_id, position, role, text, sent_at) VALUES (?, ?, ?, ?, ?)",
                    [(tid, pos, role, text, s if s is None or len(s) > 19 else s + ".000000")
                     for tid, pos, role, text, _, s in rows])
            finally:
                cursor.close()
            return
        self.session.execute(insert(M), [{"transcript_id": tid, "position": pos, "role": role, "text": text,
                                          "sent_at": sent_at} for tid, pos, role, text, sent_at, _ in rows])

    def _transcript_row(self, r: NormalizedRecord) -> dict:
        agent_id, agent_team = (self.agents_by_email[r.agent_email] if r.agent_email
                                else self.agents_by_name[r.agent_name])
        return {
            "source": r.source, "external_id": r.external_id, "channel": r.channel, "status": r.status,
            "agent_id": agent_id, "team_id": self.team_ids[r.team.lower()] if r.team else agent_team,
            "customer_ref": r.customer_ref, "customer_name": r.customer_name,
            "started_at": r.started_at, "ended_at": r.ended_at, "csat": r.csat, "tags": r.tags, "metadata": r.meta,
            "message_count": len(r.messages), "content_hash": r.content_hash,
        }

    # -- agents and teams ----------------------------------------------------------------------------------------

    def _resolve_people(self, recs: list[NormalizedRecord]) -> None:
        session = self.session
        now = utcnow()
        teams = {r.team.lower(): r.team for r in recs if r.team and r.team.lower() not in self.team_ids}
        if teams:
            for tid, name in session.execute(select(TM.c.id, TM.c.name)
                                             .where(func.lower(TM.c.name).in_(list(teams)))):
                self.team_ids.setdefault(name.lower(), tid)
            missing = [name for key, name in teams.items() if key not in self.team_ids]
            if missing:
                result = session.execute(insert(TM).returning(TM.c.id, sort_by_parameter_order=True),
                                         [{"name": n, "created_at": now} for n in missing])
                for name, (tid,) in zip(missing, result):
                    self.team_ids[name.lower()] = tid

        want_email: dict[str, NormalizedRecord] = {}
        want_name: dict[str, NormalizedRecord] = {}
        for r in recs:
            if r.agent_email:
                if r.agent_email not in self.agents_by_email:
                    want_email.setdefault(r.agent_email, r)
            elif r.agent_name not in self.agents_by_name:
                want_name.setdefault(r.agent_name, r)
        team_fixes: list[dict] = []
        if want_email:
            rows = session.execute(select(A.c.id, A.c.email, A.c.team_id)
                                   .where(func.lower(A.c.email).in_(list(want_email))).order_by(A.c.id))
            for aid, email, team_id in rows:
                self._adopt(self.agents_by_email, email.lower(), aid, team_id, want_email, team_fixes)
            missing = [e for e in want_email if e not in self.agents_by_email]
            if missing:
                users = dict(session.execute(
                    select(func.lower(User.email), User.id)
                    .where(func.lower(User.email).in_(missing), ~exists().where(Agent.user_id == User.id))).all())
                self._create(self.agents_by_email, missing, want_email, now,
                             lambda e: {"email": e, "name": want_email[e].agent_name or e.split("@")[0],
                                        "user_id": users.get(e)})
        if want_name:
            rows = session.execute(select(A.c.id, A.c.name, A.c.team_id)
                                   .where(A.c.email.is_(None), A.c.name.in_(list(want_name))).order_by(A.c.id))
            for aid, name, team_id in rows:
                self._adopt(self.agents_by_name, name, aid, team_id, want_name, team_fixes)
            missing = [n for n in want_name if n not in self.agents_by_name]
            if missing:
                self._create(self.agents_by_name, missing, want_name, now,
                             lambda n: {"email": None, "name": n, "user_id": None})
        if team_fixes:  # existing agents without a team get the one named in their transcripts
            session.execute(update(A).where(A.c.id == bindparam("_id")).values(team_id=bindparam("p_team_id")),
                            team_fixes)

    def _adopt(self, cache, key, aid, team_id, wanted, team_fixes) -> None:
        if key in cache or key not in wanted:
            return
        team = wanted[key].team
        if team_id is None and team:
            team_id = self.team_ids[team.lower()]
            team_fixes.append({"_id": aid, "p_team_id": team_id})
        cache[key] = (aid, team_id)

    def _create(self, cache, keys, wanted, now, columns) -> None:
        rows = []
        for key in keys:
            team = wanted[key].team
            rows.append(columns(key) | {"team_id": self.team_ids[team.lower()] if team else None,
                                        "created_at": now})
        result = self.session.execute(insert(A).returning(A.c.id, sort_by_parameter_order=True), rows)
        for key, row, (aid,) in zip(keys, rows, result):
            cache[key] = (aid, row["team_id"])

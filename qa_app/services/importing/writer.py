"""Batched writes: one SELECT per batch for existing keys, cached agent/team lookups, multi-row INSERTs.

Core statements on the session's connection (no ORM object per transcript or message); the session is flushed
before and never committed here. On SQLite the new rows go straight to the driver's executemany on that same
connection and transaction: SQLAlchemy's per-row parameter processing (DATETIME, JSON) and insertmanyvalues
RETURNING otherwise cost more than the inserts themselves. The values are bound as SQLAlchemy's SQLite types would
store them (_sqlite_datetime, json.dumps), so the ORM reads them back unchanged.

Those executemany calls also run with PRAGMA ignore_check_constraints: SQLite evaluates `role IN (...)` by building
a temporary index for every row, which doubles the cost of inserting messages, and every value those CHECKs cover
(role, status, csat) has already been validated against the same lists (asserted below). NOT NULL, UNIQUE and
foreign keys are still enforced.
"""
from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from qa_app.models import Agent, Flag, Message, Team, Transcript, TranscriptAnalysis, User, utcnow
from qa_app.models.transcripts import MESSAGE_ROLES, TRANSCRIPT_STATUSES
from qa_app.services.importing import validation
from qa_app.services.importing.report import ImportReport
from qa_app.services.importing.validation import NormalizedRecord

if set(validation.ROLES) != set(MESSAGE_ROLES) or set(validation.STATUSES) != set(TRANSCRIPT_STATUSES):
    raise RuntimeError("importing.validation and the models disagree on roles/statuses; the SQLite fast path "
                       "relies on validation to cover the CHECK constraints")

T = Transcript.__table__
M = Message.__table__
A = Agent.__table__
TM = Team.__table__


# Columns written by an import, in the order of BatchWriter._transcript_row.
COLUMNS = ("source", "external_id", "channel", "status", "agent_id", "team_id", "customer_ref", "customer_name",
           "started_at", "ended_at", "csat", "tags", "metadata", "message_count", "content_hash")
P_COLUMNS = tuple("p_" + c for c in COLUMNS)  # their bind names in the UPDATE (which may not reuse column names)
SQLITE_INSERT_TRANSCRIPTS = (f"INSERT INTO transcripts ({', '.join(COLUMNS)}, imported_at, updated_at) "
                             f"VALUES ({', '.join('?' * (len(COLUMNS) + 2))})")
SQLITE_INSERT_MESSAGES = ("INSERT INTO messages (transcript_id, position, role, text, sent_at) "
                          "VALUES (?, ?, ?, ?, ?)")
LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...): well below any SQLite or PostgreSQL bound-parameter limit


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

        existing = self._lookup(latest)
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
        sqlite = session.connection().dialect.name == "sqlite"
        ids: list[int] = []
        if new:
            ids = self._insert_transcripts_sqlite(new, now) if sqlite else self._insert_transcripts(new, now)
            report.created += len(new)
        if changed:
            session.execute(
                update(T).where(T.c.id == bindparam("_id")).values(
                    {k: bindparam("p_" + k) for k in COLUMNS} | {"updated_at": now}),
                [dict(zip(P_COLUMNS, self._transcript_row(r))) | {"_id": tid} for tid, r in changed])
            changed_ids = [tid for tid, _ in changed]
            session.execute(delete(M).where(M.c.transcript_id.in_(changed_ids)))
            self._copy_start_to_analysis(changed_ids)
        pairs = list(zip(ids, new)) + changed
        if sqlite:
            self._insert_messages_sqlite(pairs)
        else:
            self._insert_messages(pairs)
        report.messages += sum(len(rec.messages) for _, rec in pairs)
        written = [tid for tid, _ in pairs]
        report.transcript_ids.extend(t for t in written if t not in self.touched)
        self.touched.update(written)
        return written

    def _copy_start_to_analysis(self, transcript_ids: list[int]) -> None:
        """A changed chat keeps its analysis until it is re-analysed (never, with --no-analyze), so the copies of
        started_at that dashboards filter on (analyses, flags) follow the new value now."""
        for table in (TranscriptAnalysis.__table__, Flag.__table__):
            start = select(T.c.started_at).where(T.c.id == table.c.transcript_id).scalar_subquery()
            self.session.execute(update(table).where(table.c.transcript_id.in_(transcript_ids))
                                 .values(started_at=start))

    def _lookup(self, keys) -> dict[tuple[str, str], tuple[int, str]]:
        """(source, external_id) -> (id, content_hash) of the stored transcripts among `keys`."""
        by_source: dict[str, list[str]] = {}
        for source, ext in keys:
            by_source.setdefault(source, []).append(ext)
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for source, exts in by_source.items():
            for start in range(0, len(exts), LOOKUP_CHUNK):
                rows = self.session.execute(select(T.c.id, T.c.external_id, T.c.content_hash).where(
                    T.c.source == source, T.c.external_id.in_(exts[start:start + LOOKUP_CHUNK])))
                found.update({(source, ext): (tid, h) for tid, ext, h in rows})
        return found

    def _insert_transcripts(self, recs: list[NormalizedRecord], now) -> list[int]:
        rows = [dict(zip(COLUMNS, self._transcript_row(r))) | {"imported_at": now, "updated_at": now}
                for r in recs]
        result = self.session.execute(insert(T).returning(T.c.id, sort_by_parameter_order=True), rows)
        return [row[0] for row in result]

    def _insert_transcripts_sqlite(self, recs: list[NormalizedRecord], now) -> list[int]:
        """Driver executemany, then the new ids by key (executemany cannot return them)."""
        stamp = _sqlite_datetime(now)
        rows = [self._transcript_row(r, sqlite=True) + (stamp, stamp) for r in recs]
        self._executemany(SQLITE_INSERT_TRANSCRIPTS, rows)
        found = self._lookup((r.source, r.external_id) for r in recs)
        return [found[(r.source, r.external_id)][0] for r in recs]

    def _insert_messages(self, pairs: list[tuple[int, NormalizedRecord]]) -> None:
        rows = [{"transcript_id": tid, "position": pos, "role": role, "text": text, "sent_at": sent_at}
                for tid, rec in pairs for pos, (role, text, sent_at, _) in enumerate(rec.messages)]
        if rows:
            self.session.execute(insert(M), rows)

    def _insert_messages_sqlite(self, pairs: list[tuple[int, NormalizedRecord]]) -> None:
        # sent is str(sent_at), which leaves out zero microseconds (see _sqlite_datetime)
        rows = [(tid, pos, role, text, sent if sent is None or len(sent) > 19 else sent + ".000000")
                for tid, rec in pairs for pos, (role, text, _, sent) in enumerate(rec.messages)]
        if rows:
            self._executemany(SQLITE_INSERT_MESSAGES, rows)

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        """sqlite3 executemany on the session's connection, CHECKs skipped (see the module docstring)."""
        cursor = self.session.connection().connection.driver_connection.cursor()
        try:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            cursor.executemany(sql, rows)
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
            cursor.close()

    def _transcript_row(self, r: NormalizedRecord, sqlite: bool = False) -> tuple:
        """The values of COLUMNS; with sqlite=True as the driver binds them (see the module docstring)."""
        agent_id, agent_team = (self.agents_by_email[r.agent_email] if r.agent_email
                                else self.agents_by_name[r.agent_name])
        started, ended, tags, meta = r.started_at, r.ended_at, r.tags, r.meta
        if sqlite:
            started, ended = _sqlite_datetime(started), _sqlite_datetime(ended)
            tags, meta = json.dumps(tags), json.dumps(meta)
        return (r.source, r.external_id, r.channel, r.status, agent_id,
                self.team_ids[r.team.lower()] if r.team else agent_team, r.customer_ref, r.customer_name,
                started, ended, r.csat, tags, meta, len(r.messages), r.content_hash)

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

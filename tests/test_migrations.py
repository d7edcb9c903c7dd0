"""Migrations: one head, a full up/down/up cycle, and no drift between the models and the migrations."""
from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, create_engine, insert, inspect, text
from sqlalchemy.exc import IntegrityError

from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import Base


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_app(request, tmp_path):
    """An app on an empty database of each kind; PostgreSQL gets a throwaway database of its own."""
    if request.param == "sqlite":
        yield create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})
        return
    base_url = _postgres_url()
    if not base_url:
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL pass of .ci/run covers this")
    name = f"qa_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": base_url.rsplit("/", 1)[0] + "/" + name})
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_single_head(app):
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert len(script.get_heads()) == 1


def test_upgrade_downgrade_upgrade(migration_app):
    with migration_app.app_context():
        upgrade()
        assert "transcripts" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert "transcripts" not in inspect(db.engine).get_table_names()
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        if db.engine.dialect.name == "postgresql":  # 5e0b1d2c7a93: the planner's view of the period buckets
            with db.engine.connect() as conn:
                names = set(conn.scalars(text("SELECT stxname FROM pg_statistic_ext")))
            assert {"criterion_scores_week_groups", "criterion_scores_month_groups"} <= names


def test_models_match_migrations(migration_app):
    with migration_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def _seed_before_review_owner(conn) -> None:
    """Published reviews and duplicate open disputes as they could exist before c3d3e7c10f41."""
    meta = MetaData()
    meta.reflect(bind=conn)

    def add(table: str, *rows: dict) -> None:
        conn.execute(insert(meta.tables[table]), list(rows))

    at = datetime(2026, 1, 5, 12)
    add("teams", {"id": 1, "name": "Billing", "created_at": at}, {"id": 2, "name": "Shipping", "created_at": at})
    add("agents", {"id": 1, "name": "Ana", "team_id": 1, "created_at": at},
        {"id": 2, "name": "Bo", "team_id": 2, "created_at": at})
    add("users", {"id": 1, "email": "r@example.com", "name": "R", "role": "reviewer", "active": True,
                  "created_at": at})
    add("rubrics", {"id": 1, "key": "q", "name": "Q", "archived": False, "created_at": at, "updated_at": at})
    add("rubric_versions", {"id": 1, "rubric_id": 1, "number": 1, "name": "Q", "content": "", "document": {},
                            "content_hash": "x", "source": "file", "note": "", "created_at": at})
    chat = {"source": "t", "channel": "chat", "status": "completed", "tags": [], "metadata": {}, "message_count": 0,
            "content_hash": "x", "imported_at": at, "updated_at": at}
    add("transcripts", {**chat, "id": 1, "external_id": "1", "agent_id": 1, "team_id": 1},
        {**chat, "id": 2, "external_id": "2", "agent_id": 2, "team_id": 2},
        {**chat, "id": 3, "external_id": "3", "agent_id": 2, "team_id": None})
    review = {"reviewer_id": 1, "rubric_version_id": 1, "answers": {}, "reasons": {}, "comments": {},
              "suggestions": {}, "section_scores": {}, "status": "published", "calibration": False,
              "created_at": at, "updated_at": at, "published_at": at, "revision": 1}
    add("reviews", {**review, "id": 1, "transcript_id": 1},
        {**review, "id": 2, "transcript_id": 2},  # its rollup says Ana/Billing: the chat moved after publishing
        {**review, "id": 3, "transcript_id": 3},  # no rollup rows: the transcript's (no team)
        {**review, "id": 4, "transcript_id": 1, "status": "draft", "published_at": None, "revision": 0})
    score = {"criterion_key": "timely", "score": 1.0, "critical_failed": False, "rubric_id": 1, "published_at": at}
    add("criterion_scores", {**score, "review_id": 1, "agent_id": 1, "team_id": 1},
        {**score, "review_id": 2, "agent_id": 1, "team_id": 1})
    add("coaching_notes", {"review_id": 1, "agent_id": 1, "body": "x", "status": "published", "created_at": at,
                           "updated_at": at, "published_at": at, "revision": 1})
    dispute = {"review_id": 1, "agent_id": 1, "reason": "no", "created_at": at, "status": "open"}
    add("disputes", *({**dispute, "id": i, "criterion_key": key, "status": status} for i, key, status in (
        (1, "timely", "open"), (2, "timely", "open"), (3, None, "open"), (4, None, "open"), (5, "timely", "upheld"),
        (6, "tone", "open"))))
    conn.execute(text("UPDATE disputes SET reason = 'It was on time' WHERE id = 2"))  # a duplicate saying more


def test_review_owner_backfill_and_one_open_dispute(migration_app):
    """c3d3e7c10f41 copies agent/team onto published reviews (the rollup's snapshot first, else the transcript's),
    merges duplicate open disputes into the oldest (keeping a differing reason), and then refuses a second open one; upgrading and
    downgrading never rebuild reviews (on SQLite that would cascade-delete the rows that reference it)."""
    with migration_app.app_context():
        upgrade(revision="d640487e7821")
        with db.engine.begin() as conn:
            _seed_before_review_owner(conn)
        upgrade()
        with db.engine.connect() as conn:
            owners = conn.execute(text("SELECT id, agent_id, team_id FROM reviews ORDER BY id")).all()
            assert [tuple(r) for r in owners] == [(1, 1, 1), (2, 1, 1), (3, 2, None), (4, None, None)]
            assert conn.scalars(text("SELECT id FROM disputes ORDER BY id")).all() == [1, 3, 5, 6]
            reasons = conn.scalars(text("SELECT reason FROM disputes WHERE id IN (1, 3) ORDER BY id")).all()
            assert reasons == ["no\n\n(From a duplicate dispute: It was on time)", "no"]
        add_dispute = text("INSERT INTO disputes (id, review_id, agent_id, reason, created_at, status, criterion_key) "
                           "VALUES (:id, 1, 1, 'again', :at, :status, :key)")
        at = datetime(2026, 1, 6)
        refused = "uq_disputes_open|UNIQUE constraint failed: disputes.review_id"  # PostgreSQL | SQLite
        for id_, key in ((10, "timely"), (11, None)):
            with pytest.raises(IntegrityError, match=refused), db.engine.begin() as conn:
                conn.execute(add_dispute, {"id": id_, "at": at, "status": "open", "key": key})
        with db.engine.begin() as conn:  # a decided one, or another criterion, is fine
            conn.execute(add_dispute, [{"id": 12, "at": at, "status": "upheld", "key": "timely"},
                                       {"id": 13, "at": at, "status": "open", "key": "greeting"}])
        downgrade(revision="d640487e7821")  # nothing that references reviews goes with the columns
        with db.engine.connect() as conn:
            assert "agent_id" not in {c["name"] for c in inspect(conn).get_columns("reviews")}
            counts = [conn.scalar(text(f"SELECT COUNT(*) FROM {table}"))
                      for table in ("reviews", "criterion_scores", "coaching_notes", "disputes")]
            assert counts == [4, 2, 1, 6]  # disputes 1, 3, 5, 6, 12, 13


def _when(value):
    """A raw SELECT gives SQLite's stored text, PostgreSQL's datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def test_window_copies_are_backfilled(migration_app):
    """b4b4967d504a copies the chat's start onto analyses and flags, and the flag's rule/category and the
    published review's date onto verdicts (a draft's verdict stays undated); after 5a43dbae329e deleting the flags
    detaches their verdicts instead of deleting them; downgrading deletes no review."""
    with migration_app.app_context():
        upgrade(revision="d640487e7821")  # the seed's duplicate disputes predate c3d3e7c10f41
        with db.engine.begin() as conn:
            _seed_before_review_owner(conn)
            started = datetime(2026, 1, 5, 9, 30)
            conn.execute(text("UPDATE transcripts SET started_at = :at WHERE id = 1"), {"at": started})
            conn.execute(text("INSERT INTO transcript_analyses (id, transcript_id, analyzer_version, policy_version, "
                              "analyzed_at, flag_count, max_severity, message_scores) "
                              "VALUES (1, 1, 'a', 'p', :at, 1, 3, '[]')"), {"at": started})
            conn.execute(text("INSERT INTO flags (id, analysis_id, transcript_id, rule, category, severity, "
                              "explanation) VALUES (1, 1, 1, 'tone.rude', 'tone', 'high', '')"))
            conn.execute(text("INSERT INTO review_flag_verdicts (id, review_id, flag_id, reviewer_id, verdict, "
                              "created_at, updated_at) VALUES (1, 1, 1, 1, 'confirmed', :at, :at), "
                              "(2, 4, 1, 1, 'dismissed', :at, :at)"), {"at": started})
        upgrade()
        with db.engine.connect() as conn:
            assert _when(conn.scalar(text("SELECT started_at FROM flags"))) == started
            assert _when(conn.scalar(text("SELECT started_at FROM transcript_analyses"))) == started
            verdicts = conn.execute(text("SELECT id, rule, category, published_at FROM review_flag_verdicts "
                                         "ORDER BY id")).all()
            assert [(*v[:3], _when(v[3])) for v in verdicts] == [(1, "tone.rude", "tone", datetime(2026, 1, 5, 12)),
                                                                 (2, "tone.rude", "tone", None)]
        with db.engine.begin() as conn:  # 5a43dbae329e: a re-analysis deletes the flags, not the verdicts
            conn.execute(text("DELETE FROM transcript_analyses"))
        with db.engine.connect() as conn:
            assert conn.scalars(text("SELECT flag_id FROM review_flag_verdicts ORDER BY id")).all() == [None, None]
        downgrade(revision="c3d3e7c10f41")  # detached verdicts cannot point at a flag again: they go
        with db.engine.connect() as conn:
            counts = [conn.scalar(text(f"SELECT COUNT(*) FROM {table}"))
                      for table in ("transcript_analyses", "flags", "review_flag_verdicts", "reviews")]
            assert counts == [0, 0, 0, 4]

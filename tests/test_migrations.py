"""Migrations: one head, a full up/down/up cycle, and no drift between the models and the migrations."""
from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

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


def test_models_match_migrations(migration_app):
    with migration_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"

"""Shared fixtures: a real database (SQLite always; PostgreSQL when TEST_DATABASE_URL is set)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import delete

from qa_app import create_app
from qa_app.extensions import db as _db
from qa_app.services import users as _users
from tests import factories

# Cheap password hashes keep hundreds of logins fast; hashing itself is still real (tests check it).
_users.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def shared_file(relative: str) -> Path:
    """A file from ../shared/data, or skip the test saying why."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data ships beside the repo only in the dev/CI workspace)")
    return path


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class _Client(FlaskClient):
    """The `db` fixture keeps an app context open, which Flask reuses for every request; forget the
    user Flask-Login cached in it so each request is authenticated from its own cookies, as in production."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "WTF_CSRF_ENABLED": False,  # tests/functional/test_security.py turns it back on to prove it works
        "SERVER_NAME": "localhost",
    })
    app.test_client_class = _Client
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database, emptied after each test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(delete(table))
        _db.session.commit()
        _db.session.remove()


@pytest.fixture()
def session(db):
    return db.session


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def login(client):
    """login(user) signs the test client in as `user` through the real login form."""

    def _login(user, password: str = factories.PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, f"login as {user.email} failed"
        return response

    return _login


@pytest.fixture()
def as_user(client, login):
    """as_user(user) signs out whoever is signed in, then signs in as `user`."""

    def _as(user):
        client.post("/logout")
        return login(user)

    return _as


@pytest.fixture()
def make(session):
    """Factories bound to the test session: make.user(...), make.transcript(...)."""
    return factories.Factory(session)

"""Security headers on every kind of response, production settings (secret from the environment, refusal to start
with a default one, Secure cookies), proxy headers, /healthz and the structured request log."""
from __future__ import annotations

import io
import json
import logging
import re

import pytest

from qa_app import create_app
from qa_app.config import InsecureConfigError, check_production, from_environment
from qa_app.logging_setup import JsonFormatter
from qa_app.security_headers import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD

GOOD_SECRET = "x8Yq0vJ3c9PZt6mW2rLk5sNd7hFb4gTe"


def _directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part.split(None, 1)[1] if " " in part else "" for part in csp.split("; ")}


def test_csp_forbids_inline_script_and_foreign_origins():
    csp = _directives(CONTENT_SECURITY_POLICY)
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert csp["style-src"] == "'self'" and csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"


@pytest.mark.parametrize("path,status", [
    ("/login", 200),                                 # HTML page
    ("/transcripts", 302),                           # redirect to login
    ("/static/qa.css", 200),                         # static file
    ("/bootstrap/static/css/bootstrap.min.css", 200),  # Bootstrap, served locally
    ("/api/v1/transcripts/T-1", 401),                # JSON error
    ("/no-such-page", 404),                          # error page
    ("/healthz", 200),                               # health check
])
def test_every_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # only when cookies are Secure (HTTPS)


def test_pages_load_only_local_assets_that_exist(client, make, login):
    """The CSP allows 'self' only: every script and stylesheet the base page loads is local and served."""
    login(make.user("admin"))
    page = client.get("/admin/users").get_data(as_text=True)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert any("bootstrap" in a and a.endswith(".css") for a in assets)
    assert any("bootstrap" in a and a.endswith(".js") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by the app (the CSP would block it)"
        assert client.get(asset).status_code == 200, asset
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script


def test_confirm_buttons_use_data_attributes_not_inline_handlers(client, make, login, session):
    from qa_app.services import rubrics

    rubrics.sync_rubrics(session)
    session.commit()
    login(make.user("admin"))
    rubric = rubrics.get_by_key(session, "quick-check")
    page = client.get(f"/rubrics/{rubric.id}").get_data(as_text=True)
    assert 'data-confirm="Archive this rubric?' in page and "onsubmit" not in page
    assert client.get("/static/confirm.js").status_code == 200


# --------------------------------------------------------------------------- production settings


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.setenv("QA_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize("secret", ["dev", "change-me", "secret", "short-key"])
def test_production_refuses_default_or_short_secrets(monkeypatch, secret):
    monkeypatch.setenv("QA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(InsecureConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_with_a_real_secret_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("QA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")  # cannot be switched off in production
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == GOOD_SECRET
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_cookie_is_secure_and_httponly(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    user = make.user("admin")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_without_a_secret_gets_a_random_one():
    a, b = from_environment({}), from_environment({})
    assert len(a["SECRET_KEY"]) >= 32 and a["SECRET_KEY"] != b["SECRET_KEY"] and not a["SECRET_KEY_FROM_ENV"]
    assert not a["SESSION_COOKIE_SECURE"]
    check_production(a)  # development: no refusal


def test_proxy_headers_are_trusted_only_when_configured(monkeypatch):
    def remote_addr(app):
        seen = {}

        @app.get("/_whoami")
        def _whoami():
            from flask import request
            seen["ip"], seen["scheme"] = request.remote_addr, request.scheme
            return "ok"

        from qa_app.auth import access

        monkeypatch.setitem(access.ROUTE_ACCESS, "_whoami", access.PUBLIC)
        app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
                              environ_base={"REMOTE_ADDR": "127.0.0.1"})
        return seen

    assert remote_addr(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})) == {"ip": "127.0.0.1", "scheme": "http"}
    monkeypatch.setenv("QA_PROXY_COUNT", "1")
    assert remote_addr(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})) == {"ip": "203.0.113.9",
                                                                                  "scheme": "https"}


# --------------------------------------------------------------------------- health and logs


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_reports_a_dead_database_without_secrets(tmp_path):
    url = f"sqlite:///{tmp_path}/missing-dir/db.sqlite"  # the directory does not exist: SQLite cannot open it
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body == {"status": "error", "check": "database", "error": "OperationalError"}
    assert str(tmp_path) not in response.get_data(as_text=True)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_each_request_is_one_json_log_line(app, client, make, login):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("qa_app.request").addHandler(handler)
    try:
        user = make.user("admin")
        login(user)
        response = client.get("/admin/users", headers={"X-Request-ID": "req-abc-123"})
        client.get("/admin/teams", headers={"X-Request-ID": "bad id with spaces {\"x\": 1}"})
    finally:
        logging.getLogger("qa_app.request").removeHandler(handler)
    assert response.headers["X-Request-ID"] == "req-abc-123"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    entry = next(e for e in lines if e["path"] == "/admin/users")
    assert entry["request_id"] == "req-abc-123" and entry["user_id"] == user.id
    assert entry["method"] == "GET" and entry["status"] == 200 and entry["duration_ms"] >= 0
    assert entry["level"] == "INFO" and entry["logger"] == "qa_app.request" and entry["time"].endswith("+00:00")
    other = next(e for e in lines if e["path"] == "/admin/teams")
    assert re.fullmatch(r"[0-9a-f]{32}", other["request_id"])  # an unsafe incoming id is replaced


def test_no_template_has_inline_code_the_csp_would_block():
    """Every template, rendered by a test or not: no <script> without src, no on*= handler, no style= attribute."""
    from pathlib import Path

    import qa_app

    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)
    found = []
    for path in sorted((Path(qa_app.__file__).parent / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.name}:{number}: {line.strip()[:100]}")
    assert not found, "inline code the Content-Security-Policy blocks:\n" + "\n".join(found)


def test_gunicorn_config_binds_locally_and_logs_json(monkeypatch):
    import runpy
    from pathlib import Path

    from qa_app import logging_setup

    conf = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    for name in ("QA_BIND", "QA_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(str(conf))
    assert settings["bind"] == "127.0.0.1:8000" and settings["workers"] == 4 and settings["preload_app"]
    # gunicorn's handler is the app's (same name), so the app reuses it rather than logging every line twice
    assert list(settings["logconfig_dict"]["handlers"]) == [logging_setup._HANDLER_NAME]
    monkeypatch.setenv("QA_WORKERS", "9")
    assert runpy.run_path(str(conf))["workers"] == 9


def test_dev_server_logs_each_request_once(app, db, caplog):
    """`make run` serves with werkzeug, whose own access line would repeat our request line for every request."""
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO):
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz", timeout=10).read()
            logging.getLogger("werkzeug").info(" * Running on http://127.0.0.1:5000")  # its other lines stay
    finally:
        server.shutdown()
        thread.join(5)
    lines = [(r.name, r.getMessage()) for r in caplog.records if r.name in ("werkzeug", "qa_app.request")]
    assert ("qa_app.request", "GET /healthz 200") in lines
    assert [m for n, m in lines if n == "werkzeug"] == [" * Running on http://127.0.0.1:5000"]

"""Settings, read from the environment each time create_app runs; tests pass overrides to create_app.

QA_ENV=production switches on the production rules: SECRET_KEY must be set (and not a well-known default),
session and remember-me cookies are Secure (HTTPS only). Secrets never live in this file.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"

# Values people copy from tutorials; refusing them in production is cheaper than a forged session.
DEFAULT_SECRETS = frozenset({"", "dev", "development", "secret", "secret-key", "change-me", "changeme", "test",
                             "test-secret", "please-change-me", "your-secret-key", "qa-desk"})
MIN_SECRET_LENGTH = 16


class InsecureConfigError(RuntimeError):
    """The app refuses to start: a production setting is unsafe."""


def _database_url(env: Mapping[str, str]) -> str:
    url = env.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'qa_desk.sqlite'}"
    # psycopg 3 is the PostgreSQL driver; accept the common short forms.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise InsecureConfigError(f"{name}={value!r} is not a whole number.") from None


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting that comes from the environment, as a dict for app.config.update."""
    env = os.environ if env is None else env
    production = env.get("QA_ENV", "development").strip().lower() == "production"
    secret = env.get("SECRET_KEY")
    secure_cookies = production or _flag(env, "SESSION_COOKIE_SECURE", False)
    return {
        "QA_ENV": "production" if production else "development",
        # A random key per process is fine for development (sessions end on restart); production must set one.
        "SECRET_KEY": secret or secrets.token_hex(32),
        "SECRET_KEY_FROM_ENV": bool(secret),
        "SQLALCHEMY_DATABASE_URI": _database_url(env),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "MAX_CONTENT_LENGTH": _int(env, "QA_MAX_UPLOAD_MB", 200) * 1024 * 1024,
        "QA_API_MAX_BYTES": _int(env, "QA_API_MAX_MB", 20) * 1024 * 1024,
        # Login throttling (qa_app.services.login_throttle): failures per window, then a lockout.
        "QA_LOGIN_MAX_FAILURES": _int(env, "QA_LOGIN_MAX_FAILURES", 5),
        "QA_LOGIN_IP_MAX_FAILURES": _int(env, "QA_LOGIN_IP_MAX_FAILURES", 50),
        "QA_LOGIN_WINDOW_MINUTES": _int(env, "QA_LOGIN_WINDOW_MINUTES", 15),
        "QA_LOGIN_LOCKOUT_MINUTES": _int(env, "QA_LOGIN_LOCKOUT_MINUTES", 15),
        # Behind a reverse proxy: how many proxies to trust for X-Forwarded-For/-Proto/-Host/-Prefix (0 = none).
        "QA_PROXY_COUNT": _int(env, "QA_PROXY_COUNT", 0),
        "QA_LOG_FORMAT": env.get("QA_LOG_FORMAT", "json").strip().lower(),
        "QA_LOG_LEVEL": env.get("QA_LOG_LEVEL", "INFO").strip().upper(),
    }


def check_production(config: Mapping[str, Any]) -> None:
    """Raise InsecureConfigError when QA_ENV=production runs with an unsafe secret or insecure cookies."""
    if config.get("QA_ENV") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if not config.get("SECRET_KEY_FROM_ENV") or secret.strip().lower() in DEFAULT_SECRETS:
        raise InsecureConfigError("QA_ENV=production needs SECRET_KEY set in the environment to a private value "
                                  "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`); refusing to start.")
    if len(secret) < MIN_SECRET_LENGTH:
        raise InsecureConfigError(f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters; refusing to start "
                                  "in production.")
    if not config.get("SESSION_COOKIE_SECURE"):
        raise InsecureConfigError("QA_ENV=production needs SESSION_COOKIE_SECURE; refusing to start.")


class Config:
    """Fixed defaults; create_app adds from_environment() on top."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    BOOTSTRAP_SERVE_LOCAL = True
    TRANSCRIPTS_PER_PAGE = 25
    AUDIT_PER_PAGE = 50
    QA_ROUTE_GATE = True  # the central ROUTE_ACCESS check (qa_app.auth.gate); tests switch it off to test decorators

"""Settings from the environment; tests pass overrides to create_app."""
import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'qa_desk.sqlite'}"
    # psycopg 3 is the PostgreSQL driver; accept the common short forms.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key() -> str:
    # A random key per process is safe for development; production must set SECRET_KEY
    # or sessions die on restart (the app warns on boot).
    return os.environ.get("SECRET_KEY") or secrets.token_hex(32)


class Config:
    SECRET_KEY = _secret_key()
    SECRET_KEY_FROM_ENV = bool(os.environ.get("SECRET_KEY"))
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = int(os.environ.get("QA_MAX_UPLOAD_MB", "200")) * 1024 * 1024
    TRANSCRIPTS_PER_PAGE = 25
    QA_API_MAX_BYTES = int(os.environ.get("QA_API_MAX_MB", "20")) * 1024 * 1024

"""Extension objects, unbound; create_app binds them with init_app."""
import os
import sqlite3

from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from qa_app.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)  # batch mode lets ALTERs run on SQLite
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message_category = "warning"
csrf = CSRFProtect()
bootstrap = Bootstrap5()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        # SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
        # Several gunicorn workers share one file: WAL lets readers run beside the writer, and busy_timeout makes a
        # writer wait for the lock instead of failing at once with "database is locked". (In-memory DBs keep
        # journal_mode=memory; the pragma is then a no-op.)
        cursor.execute(f"PRAGMA busy_timeout={int(os.environ.get('QA_SQLITE_BUSY_TIMEOUT_MS', '15000'))}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL survives process crashes; only a power cut may drop the last commits (never corrupts).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

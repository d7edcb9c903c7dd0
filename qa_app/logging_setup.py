"""Structured logs: one JSON object per line on stderr, with the request's id, user, method, path, status, duration.

Every request gets an id (the proxy's X-Request-ID when it looks sane, else a new one), echoed in the response's
X-Request-ID header so a user's error report can be matched to the log line. QA_LOG_FORMAT=text gives plain lines.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_HANDLER_NAME = "qa-desk"
# Standard LogRecord attributes; anything else passed with extra={...} is copied into the JSON object.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_request_fields())
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _request_fields()
        return f"{line} [{fields['request_id']}]" if fields.get("request_id") else line


def _request_fields() -> dict:
    if not has_request_context():
        return {}
    fields = {"request_id": g.get("request_id"), "method": request.method, "path": request.path}
    user_id = _user_id()
    if user_id is not None:
        fields["user_id"] = user_id
    return fields


def _user_id():
    # Read Flask-Login's cached user only: logging must never trigger a database query.
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", False) else None


def configure(app: Flask) -> None:
    """Install the formatter on the root logger once per process, and per-request id and timing."""
    root = logging.getLogger()
    if not any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        root.addHandler(handler)
    for handler in root.handlers:
        if handler.get_name() == _HANDLER_NAME:
            handler.setFormatter(TextFormatter() if app.config.get("QA_LOG_FORMAT") == "text" else JsonFormatter())
    root.setLevel(app.config.get("QA_LOG_LEVEL", "INFO"))
    # Flask's app logger otherwise adds its own plain handler in debug mode; let records reach ours.
    app.logger.handlers.clear()
    app.logger.propagate = True
    werkzeug_log = logging.getLogger("werkzeug")
    werkzeug_log.propagate = True
    if not any(isinstance(f, DevServerAccessLineFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DevServerAccessLineFilter())
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a line per plugin on every start
    _register_request_logging(app)


class DevServerAccessLineFilter(logging.Filter):
    """Drops the development server's own access line ('127.0.0.1 - - [date] "GET / HTTP/1.1" 200 -'): every request
    is already logged once, with its id, user and duration, by _register_request_logging. Its other lines (the
    address it serves on, errors) stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and _ACCESS_LINE.match(str(record.msg)))


_ACCESS_LINE = re.compile(r'^\S+ - - \[[^\]]*\] "')


def _register_request_logging(app: Flask) -> None:
    log = logging.getLogger("qa_app.request")

    @app.before_request
    def _start_request():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        if g.get("request_id"):
            response.headers["X-Request-ID"] = g.request_id
        if request.endpoint not in ("static", "bootstrap.static"):
            log.info("%s %s %s", request.method, request.path, response.status_code,
                     extra={"status": response.status_code, "duration_ms": duration_ms})
        return response

"""gunicorn settings for `make serve` (production serving). Every value can be overridden from the environment.

QA_BIND      address to listen on (default 127.0.0.1:8000: put nginx or another reverse proxy in front)
QA_WORKERS   worker processes (default 4)
QA_TIMEOUT   seconds before a stuck worker is restarted (default 60; large imports go through the CLI)
"""
import os

bind = os.environ.get("QA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QA_WORKERS", "4"))
timeout = int(os.environ.get("QA_TIMEOUT", "60"))
graceful_timeout = 30
# One app object built before forking: every worker shares it (and, in development, its random SECRET_KEY, so a
# session signed by one worker is valid in the others). No database connection is opened before the fork.
preload_app = True
# The app logs every request itself (qa_app.logging_setup, one JSON line with request id, user and duration).
accesslog = None
errorlog = "-"
logconfig_dict = {  # replaces gunicorn's own logging setup: its messages become JSON lines like the app's
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "qa_app.logging_setup.JsonFormatter"}},
    # Named like the app's handler (qa_app.logging_setup) so the app reuses it instead of adding a second one.
    "handlers": {"qa-desk": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["qa-desk"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
                # the app logs each request itself, with its id, user and duration
                "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True}},
}


def post_fork(server, worker):
    # Connection pools must not cross a fork: each worker starts with an empty one of its own.
    from flask import Flask

    from qa_app.extensions import db

    app = server.app.wsgi()  # the Flask app, loaded once in the master (preload_app)
    if isinstance(app, Flask):
        with app.app_context():
            db.engine.dispose(close=False)

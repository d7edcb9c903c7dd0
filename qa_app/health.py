"""GET /healthz for load balancers and monitors: 200 {"status": "ok"} when the database answers, else 503.

The error names only the exception class: no connection string, host or password ever leaves the process.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from qa_app.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        db.session.rollback()
        log.error("Health check: the database did not answer (%s).", type(exc).__name__)
        response = jsonify(status="error", check="database", error=type(exc).__name__)
        response.status_code = 503
    else:
        db.session.rollback()  # read-only; end the transaction so the connection goes back to the pool clean
        response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response

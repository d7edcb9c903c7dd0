"""The central access gate: every request is checked against qa_app.auth.access.ROUTE_ACCESS before its view runs.

Views keep their own role_required decorators; this gate is the second lock, and it denies endpoints nobody listed.
"""
from __future__ import annotations

import logging

from flask import Flask, abort, request
from flask_login import current_user

from qa_app.auth.access import ANONYMOUS, TOKEN, allowed_roles
from qa_app.extensions import login_manager

log = logging.getLogger(__name__)

ROLE_DENIED = "Your role may not open this page."


def check_route_access():
    if request.endpoint is None:  # no route matched: let the 404/405 handlers answer
        return None
    roles = allowed_roles(request.endpoint)
    if roles is None:
        log.error("Endpoint %s is missing from ROUTE_ACCESS (qa_app/auth/access.py); request denied.",
                  request.endpoint)
        abort(403, description="This page is not open to anyone yet.")
    if ANONYMOUS in roles or TOKEN in roles:  # public, or the API blueprint authenticates its bearer token
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403, description=ROLE_DENIED)
    return None


def register(app: Flask) -> None:
    @app.before_request
    def _route_access_gate():
        if app.config.get("QA_ROUTE_GATE", True):
            return check_route_access()
        return None

"""JSON API, bearer-token auth.

POST /api/v1/transcripts            import (admin tokens only)
GET  /api/v1/transcripts/<ext_id>   one transcript in the interchange format (any live token, row-scoped)

Status codes: 200 every record stored (or unchanged); 207 some stored, some rejected; 422 nothing stored because
records were rejected (strict mode, or every record bad); 400 body not JSON / not a list; 401 no usable token;
403 token's user may not do this; 404 not found or not visible; 409 external_id ambiguous across sources;
413 body too large.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request
from werkzeug.exceptions import BadRequest, Unauthorized

from qa_app.extensions import csrf, db
from qa_app.models import ApiToken
from qa_app.services import analysis, exporting
from qa_app.services.importing import import_records
from qa_app.services import tokens as token_service
from qa_app.services import transcript_views as views

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # bearer tokens, not cookies: CSRF does not apply

MAX_SOURCES = 50


def _unauthorized(message: str):
    response = jsonify(error="unauthorized", message=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="qa-desk"'
    return response


@bp.before_request
def _authenticate():
    """Every API call needs a live bearer token; the session cookie is never enough."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return _unauthorized("Send 'Authorization: Bearer <token>'.")
    token = token_service.authenticate(db.session, secret.strip())
    if token is None:
        db.session.rollback()
        return _unauthorized("The token is unknown or revoked, or its user is deactivated.")
    db.session.commit()  # last_used_at
    g.api_token = token


def _token() -> ApiToken:
    return g.api_token


def _rejected(report) -> list[dict]:
    return [{"locator": e.locator, "external_id": e.external_id, "field": e.field, "reason": e.reason}
            for e in report.rejected]


@bp.route("/transcripts", methods=["POST"])
def import_transcripts():
    if _token().user.role != "admin":
        abort(403, description="Only an admin's token may import transcripts.")
    request.max_content_length = current_app.config["QA_API_MAX_BYTES"]
    try:
        body = request.get_json(force=True, silent=False)
    except BadRequest:
        abort(400, description="The body is not valid JSON.")
    if isinstance(body, dict) and isinstance(body.get("transcripts"), list):
        body = body["transcripts"]
    if not isinstance(body, list):
        abort(400, description='Send a JSON list of transcripts, or {"transcripts": [...]}.')

    strict = request.args.get("strict", "").lower() in ("1", "true", "yes", "on")
    report = import_records(db.session, body, source=request.args.get("source") or None, strict=strict,
                            commit=db.session.commit, on_batch=analysis.after_import_batch(db.session))
    db.session.commit()
    stored = report.created + report.updated + report.unchanged
    if not report.rejected:
        status = 200
    elif report.aborted or not stored:
        status = 422
    else:
        status = 207
    return jsonify(created=report.created, updated=report.updated, unchanged=report.unchanged,
                   messages=report.messages, rejected=_rejected(report), strict=strict,
                   aborted=bool(report.aborted)), status


@bp.route("/transcripts/<path:external_id>", methods=["GET"])
def get_transcript(external_id: str):
    query = views.by_external_id(_token().user, external_id, request.args.get("source") or None)
    found = list(exporting.iter_transcript_records(db.session, query.limit(MAX_SOURCES)))
    if not found:
        abort(404, description="No transcript with that external_id that this token may see.")
    if len(found) > 1:
        return jsonify(error="ambiguous", message="Several sources use that external_id; pass ?source=.",
                       sources=[record["source"] for record in found]), 409
    return jsonify(found[0])


@bp.errorhandler(Unauthorized)
def _unauthorized_error(error):
    return _unauthorized(error.description)

"""JSON API, bearer-token auth.

POST /api/v1/transcripts            import (admin tokens only)
GET  /api/v1/transcripts/<ext_id>   one transcript in the interchange format (any live token, row-scoped)
GET  /api/v1/scores                 quality scores by period (leads' and admins' tokens, scoped like the dashboards)

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
from qa_app.services.dashboards import params as dashboard_params
from qa_app.services.dashboards import quality
from qa_app.services.dashboards import scope as dashboard_scope
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


SCORE_PARAMS = frozenset({"group_by", "period", "from", "to", "team", "agent", "rubric", "channel"})


def _bad_parameter(parameter: str, message: str, status: int = 400):
    return jsonify(error="bad_parameter" if status == 400 else "not_found", parameter=parameter,
                   message=f"{parameter}: {message}"), status


@bp.route("/scores", methods=["GET"])
def scores():
    """Quality scores per period and group, the numbers of the Quality dashboard (same services, same scoping)."""
    try:
        scope = dashboard_scope.scope_for(_token().user)
    except PermissionError:
        abort(403, description="Scores are for the tokens of leads (their teams) and admins.")
    unknown = sorted(set(request.args) - SCORE_PARAMS)
    if unknown:
        return _bad_parameter(unknown[0], "unknown parameter; use " + ", ".join(sorted(SCORE_PARAMS)))
    group_by = request.args.get("group_by") or "team"
    if group_by not in quality.GROUPS:
        return _bad_parameter("group_by", f"must be one of {', '.join(quality.GROUPS)}, got {group_by!r}")
    try:
        filters = dashboard_params.parse_filters(request.args)
        dashboard_scope.check_filters(db.session, scope, filters)
    except dashboard_params.FilterError as exc:
        return _bad_parameter(exc.param, exc.message)
    except dashboard_scope.NotVisible as exc:
        return _bad_parameter(exc.param, exc.message, 404)
    rows = quality.scores(db.session, scope, filters, group_by)
    summary = quality.summary(rows)
    return jsonify(group_by=group_by, period=filters.period, filters=filters.query_args(),
                   summary={k: (round(v, 4) if isinstance(v, float) else v) for k, v in summary.items()},
                   rows=[r.as_dict() for r in rows])


@bp.errorhandler(Unauthorized)
def _unauthorized_error(error):
    return _unauthorized(error.description)

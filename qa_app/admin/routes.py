"""Admin pages: users, teams, API tokens, import upload, audit log, settings. Admins only; state changes by POST only."""
from __future__ import annotations

import os
import tempfile

from flask import (
    Blueprint, Response, abort, current_app, flash, make_response, redirect, render_template, request, stream_with_context,
    url_for,
)
from flask_login import current_user
from werkzeug.utils import secure_filename
from wtforms import SelectChoice

from qa_app.admin.forms import (
    UPLOAD_FORMATS, AuditFilterForm, ConfirmForm, EditUserForm, InviteUserForm, RenameTeamForm, ResetPasswordForm,
    SettingsForm, TeamForm, TokenForm, UploadForm,
)
from qa_app.auth.client import client_ip
from qa_app.auth.permissions import admin_required
from qa_app.extensions import db
from qa_app.models import ApiToken, Team, User
from qa_app.models.base import utcnow
from qa_app.services import analysis, audit_log
from qa_app.services import settings as settings_service
from qa_app.services import tokens as token_service
from qa_app.services import users as user_service
from qa_app.services.errors import ServiceError
from qa_app.services.importing import ImportFileError, import_file
from qa_app.services.transcript_views import paginate

bp = Blueprint("admin", __name__)


@bp.before_request
@admin_required
def _admins_only():
    """Every admin page: anonymous -> login, other roles -> 403 (the views repeat it to stay explicit)."""


def _get_or_404(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _team_choices() -> list[SelectChoice]:
    return [SelectChoice(t.id, t.name) for t in user_service.list_teams(db.session)]


# --------------------------------------------------------------------------- users


@bp.route("/users")
@admin_required
def users():
    invite = InviteUserForm()
    invite.teams.choices = _team_choices()
    return render_template("admin/users.html", users=user_service.list_users(db.session), invite=invite,
                           confirm=ConfirmForm())


@bp.route("/users", methods=["POST"])
@admin_required
def invite_user():
    form = InviteUserForm()
    form.teams.choices = _team_choices()
    if form.validate_on_submit():
        names = [c.label for c in form.teams.choices if c.value in (form.teams.data or [])]
        try:
            user = user_service.create_user(db.session, form.email.data, form.role.data, password=form.password.data,
                                            name=form.name.data or "", team_names=names, actor=current_user,
                                            ip=client_ip())
        except ServiceError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            linked = f" (linked to agent {user.agent.label})" if user.agent else ""
            flash(f"Created {user.role} {user.email}{linked}. Give them their initial password.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users.html", users=user_service.list_users(db.session), invite=form,
                           confirm=ConfirmForm()), 400


def _edit_form(user: User, **kwargs) -> EditUserForm:
    form = EditUserForm(role=user.role, teams=[t.id for t in user.teams], **kwargs)
    form.teams.choices = _team_choices()
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = _get_or_404(User, user_id)
    form = _edit_form(user)
    if form.validate_on_submit():
        try:
            user_service.set_role(db.session, user, form.role.data, acting_user=current_user, ip=client_ip())
        except ServiceError as exc:
            db.session.rollback()
            form.role.errors.append(str(exc))
        else:
            user_service.set_teams(db.session, user, form.teams.data or [], actor=current_user, ip=client_ip())
            db.session.commit()
            flash(f"Saved {user.email}: {user.role}, teams: {', '.join(t.name for t in user.teams) or 'none'}.",
                  "success")
            return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_edit.html", user=user, form=form, password_form=ResetPasswordForm(),
                           confirm=ConfirmForm()), status


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    user = _get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user_service.set_password(user, form.password.data)
        except ServiceError as exc:
            db.session.rollback()
            form.password.errors.append(str(exc))
        else:
            user_service.record_password_reset(db.session, user, current_user, ip=client_ip())
            db.session.commit()
            flash(f"Password for {user.email} changed.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", user=user, form=_edit_form(user, formdata=None), password_form=form,
                           confirm=ConfirmForm()), 400


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate_user(user_id: int):
    user = _get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        user_service.deactivate(db.session, user, current_user, ip=client_ip())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(f"{user.email} is deactivated: they can't sign in and their API tokens stop working.", "warning")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate_user(user_id: int):
    user = _get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user_service.reactivate(db.session, user, actor=current_user, ip=client_ip())
    db.session.commit()
    flash(f"{user.email} is active again.", "success")
    return redirect(url_for("admin.users"))


# --------------------------------------------------------------------------- teams


def _teams_page(form: TeamForm, status: int = 200):
    rows, members = user_service.teams_with_counts(db.session)
    return render_template("admin/teams.html", rows=rows, members=members, form=form,
                           rename=RenameTeamForm()), status


@bp.route("/teams")
@admin_required
def teams():
    return _teams_page(TeamForm())


@bp.route("/teams", methods=["POST"])
@admin_required
def create_team():
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = user_service.create_team(db.session, form.name.data)
        except ServiceError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Created team {team.name}.", "success")
            return redirect(url_for("admin.teams"))
    return _teams_page(form, 400)


@bp.route("/teams/<int:team_id>/rename", methods=["POST"])
@admin_required
def rename_team(team_id: int):
    team = _get_or_404(Team, team_id)
    form = RenameTeamForm()
    if form.validate_on_submit():
        old = team.name
        try:
            user_service.rename_team(db.session, team, form.name.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return _teams_page(TeamForm(formdata=None), 400)
        db.session.commit()
        flash(f"Renamed {old} to {team.name}.", "success")
        return redirect(url_for("admin.teams"))
    flash("; ".join(form.name.errors) or "Give the team a name.", "danger")
    return _teams_page(TeamForm(formdata=None), 400)


# --------------------------------------------------------------------------- API tokens


def _token_form(**kwargs) -> TokenForm:
    form = TokenForm(**kwargs)
    form.user_id.choices = [SelectChoice(u.id, f"{u.email} ({u.role})")
                            for u in user_service.list_users(db.session) if u.active]
    return form


def _tokens_page(form: TokenForm, status: int = 200, new_secret: str | None = None, new_token: ApiToken | None = None):
    response = make_response(render_template(
        "admin/tokens.html", tokens=token_service.list_tokens(db.session), form=form, confirm=ConfirmForm(),
        new_secret=new_secret, new_token=new_token), status)
    if new_secret:
        response.headers["Cache-Control"] = "no-store"  # the secret must not linger in a cache or the back button
    return response


@bp.route("/tokens")
@admin_required
def tokens():
    return _tokens_page(_token_form())


@bp.route("/tokens", methods=["POST"])
@admin_required
def create_token():
    form = _token_form()
    if form.validate_on_submit():
        owner = _get_or_404(User, form.user_id.data)
        try:
            token, secret = token_service.create_token(db.session, owner, form.name.data)
        except ServiceError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            # Rendered, not redirected: the secret never goes into the session or a flash message.
            return _tokens_page(_token_form(formdata=None), 200, new_secret=secret, new_token=token)
    return _tokens_page(form, 400)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@admin_required
def revoke_token(token_id: int):
    token = _get_or_404(ApiToken, token_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token_service.revoke(db.session, token)
    db.session.commit()
    flash(f"Revoked token {token.prefix}… ({token.name}).", "warning")
    return redirect(url_for("admin.tokens"))


# --------------------------------------------------------------------------- import upload


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def upload():
    form = UploadForm()
    report = None
    filename = None
    status = 200
    if form.validate_on_submit():
        upload_file = form.file.data
        filename = secure_filename(upload_file.filename or "") or "upload"
        fmt = UPLOAD_FORMATS.get(os.path.splitext(filename)[1].lower().lstrip("."))
        # Saved under its own (sanitized) name so the importer's messages name the file the admin chose.
        with tempfile.TemporaryDirectory(prefix="qa-import-") as tmp:
            path = os.path.join(tmp, filename)
            upload_file.save(path)
            try:
                report = import_file(db.session, path, source=(form.source.data or "").strip() or None, fmt=fmt,
                                     strict=form.strict.data, commit=db.session.commit,
                                     on_batch=analysis.after_import_batch(db.session))
            except ImportFileError as exc:
                db.session.rollback()
                form.file.errors.append(str(exc))
                status = 400
            else:
                db.session.commit()
                status = 422 if report.aborted else 200
    elif form.is_submitted():
        status = 400
    return render_template("admin/upload.html", form=form, report=report, filename=filename), status


# --------------------------------------------------------------------------- audit log


def _audit_filters() -> tuple[AuditFilterForm, audit_log.AuditFilters | None]:
    form = AuditFilterForm(request.args)
    if not form.validate():
        return form, None
    return form, audit_log.AuditFilters(action=form.action.data or "", actor=form.actor.data or "",
                                        date_from=form.date_from.data, date_to=form.date_to.data,
                                        target=form.target.data or "")


@bp.route("/audit")
@admin_required
def audit():
    form, filters = _audit_filters()
    known = audit_log.known_actions(db.session)
    actions = sorted({a.split(".")[0] + "." for a in known}) + known  # families ("auth.") first, then each action
    if filters is None:
        return render_template("admin/audit.html", form=form, page=None, args={}, actions=actions), 400
    page = paginate(db.session, audit_log.query(filters), request.args.get("page", 1, type=int),
                    current_app.config["AUDIT_PER_PAGE"])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/audit.html", form=form, page=page, args=args, actions=actions)


@bp.route("/audit/export")
@admin_required
def audit_export():
    """The filtered log as CSV (default) or JSON lines (?format=jsonl), streamed."""
    form, filters = _audit_filters()
    if filters is None:
        abort(400, description="; ".join(f"{form[name].label.text}: {' '.join(errors)}"
                                         for name, errors in form.errors.items()))
    fmt = request.args.get("format", "csv")
    if fmt not in ("csv", "jsonl"):
        abort(400, description="format must be csv or jsonl.")
    rows = audit_log.export_csv if fmt == "csv" else audit_log.export_jsonl
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return Response(stream_with_context(rows(db.session, filters)), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="qa-desk-audit-{stamp}.{fmt}"', "Cache-Control": "no-store"})


# --------------------------------------------------------------------------- settings


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    form = SettingsForm()
    if not form.is_submitted():
        form.redact_pii_on_import.data = settings_service.redact_pii_on_import(db.session)
    if form.validate_on_submit():
        changed = settings_service.set_value(db.session, settings_service.REDACT_PII_ON_IMPORT,
                                             bool(form.redact_pii_on_import.data), current_user, ip=client_ip())
        db.session.commit()
        flash("Settings saved." if changed else "No change.", "success" if changed else "info")
        return redirect(url_for("admin.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/settings.html", form=form, settings=settings_service.SETTINGS), status

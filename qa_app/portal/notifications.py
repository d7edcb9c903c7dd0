"""Notifications (/notifications) for every signed-in user, and the navbar bell's unread count."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.portal.forms import ActionForm
from qa_app.services import notifications
from qa_app.services.paths import is_internal_path

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
signed_in = role_required("agent", "reviewer", "lead", "admin")


@bp.app_context_processor
def bell():
    """`unread_notifications()` for base.html: counted only when a page with the navbar asks for it."""

    def unread_notifications() -> int:
        if not getattr(current_user, "is_authenticated", False):
            return 0
        return notifications.unread_count(db.session, current_user)

    return {"unread_notifications": unread_notifications}


@bp.route("/")
@signed_in
def index():
    return render_template("portal/notifications.html", rows=notifications.recent(db.session, current_user),
                           form=ActionForm())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@signed_in
def open_one(notification_id: int):
    row = notifications.get_own(db.session, current_user, notification_id)
    if row is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    notifications.mark_read(db.session, current_user, row)
    db.session.commit()
    # Stored links are app paths; checked again here so a bad row can never become an open redirect.
    if is_internal_path(row.link):
        return redirect(row.link)
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@signed_in
def read_all():
    if not ActionForm().validate_on_submit():
        abort(400)
    count = notifications.mark_all_read(db.session, current_user)
    db.session.commit()
    flash(f"{count} notification{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for("notifications.index"))

"""Admin view, upload and edit of the versioned policy pack."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from qa_app.auth.permissions import admin_required
from qa_app.extensions import db
from qa_app.models import PolicyPack
from qa_app.policy.forms import ActivateForm, PolicyForm
from qa_app.services import analysis
from qa_app.services.errors import ServiceError

bp = Blueprint("policy", __name__)


@bp.route("/", methods=["GET", "POST"])
@admin_required
def edit():
    active = analysis.active_policy_row(db.session)
    db.session.commit()  # the shipped default may just have become version 1
    form = PolicyForm()
    if not form.is_submitted():
        form.content.data = active.content
    if form.validate_on_submit():
        content = _submitted_text(form)
        if content is not None:
            try:
                saved = analysis.save_policy(db.session, content, user=current_user, note=form.note.data or "")
            except ServiceError as exc:
                db.session.rollback()
                flash(f"Not saved — version {active.version} stays active. {exc}", "danger")
            else:
                db.session.commit()
                if saved.id == active.id:
                    flash("No change: that is the active version.", "info")
                else:
                    flash(f"Saved version {saved.version}; it is now active. Run `flask qa reanalyze` "
                          "to apply it to stored transcripts.", "success")
                return redirect(url_for("policy.edit"))
    return render_template("policy/edit.html", form=form, active=active,
                           history=analysis.policy_history(db.session), activate_form=ActivateForm())


def _submitted_text(form: PolicyForm) -> str | None:
    if form.upload.data:
        raw = form.upload.data.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            flash("The uploaded file is not UTF-8 text.", "danger")
            return None
    return form.content.data or ""


@bp.route("/<int:version>")
@admin_required
def show(version: int):
    row = db.session.scalar(select(PolicyPack).where(PolicyPack.version == version)) or abort(404)
    return render_template("policy/show.html", row=row, activate_form=ActivateForm())


@bp.route("/<int:version>/activate", methods=["POST"])
@admin_required
def activate(version: int):
    if ActivateForm().validate_on_submit():
        try:
            analysis.activate_policy_version(db.session, version, user=current_user)
        except ServiceError as exc:
            db.session.rollback()
            abort(404, str(exc))
        db.session.commit()
        flash(f"Version {version} is now active.", "success")
    return redirect(url_for("policy.edit"))

"""The agent portal (/me): an agent's own published reviews and coaching, trend and focus; acknowledge a note;
dispute a review or one criterion. Agents only; every row comes from services.portal (the agent's own)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from qa_app.auth.client import client_ip
from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.models import Review
from qa_app.portal.forms import ActionForm, DisputeForm
from qa_app.services import disputes, portal
from qa_app.services.errors import ServiceError
from qa_app.services.reviews import criteria
from qa_app.services.transcript_views import paginate

bp = Blueprint("portal", __name__, url_prefix="/me")
agents_only = role_required("agent")
PER_PAGE = 20


@bp.route("/")
@agents_only
def index():
    weeks = request.args.get("weeks", type=int)
    weeks = weeks if weeks in portal.TREND_WEEKS else portal.TREND_WEEKS[0]
    page = paginate(db.session, portal.published_reviews(current_user), request.args.get("page", 1, type=int),
                    PER_PAGE)
    trend = portal.weekly_trend(db.session, current_user, weeks)
    return render_template("portal/index.html", page=page, trend=trend, chart=portal.trend_chart(trend),
                           weeks=weeks, week_choices=portal.TREND_WEEKS,
                           dispute_counts=disputes.status_counts(db.session, [r.id for r in page.items]),
                           focus=portal.focus(db.session, current_user),
                           unacknowledged=portal.unacknowledged_notes(db.session, current_user))


@bp.route("/reviews/<int:review_id>")
@agents_only
def review(review_id: int):
    rv = _own_review(review_id)
    return _render(rv, _dispute_form(rv))


@bp.route("/reviews/<int:review_id>/acknowledge", methods=["POST"])
@agents_only
def acknowledge(review_id: int):
    rv = _own_review(review_id)
    if rv.note is None or rv.note.status != "published":
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        portal.acknowledge(db.session, current_user, rv.note, ip=client_ip())
        db.session.commit()
        flash("Thanks: the note is marked as read.", "success")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    return redirect(url_for("portal.review", review_id=rv.id))


@bp.route("/reviews/<int:review_id>/disputes", methods=["POST"])
@agents_only
def dispute(review_id: int):
    rv = _own_review(review_id)
    form = _dispute_form(rv)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(f"Dispute not sent: {error}", "danger")
        return _render(rv, form), 400
    try:
        disputes.raise_dispute(db.session, current_user, rv, form.criterion.data or None, form.reason.data,
                               ip=client_ip())
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _render(db.session.get(Review, review_id), form), 400
    flash("Dispute sent to your team lead. You will be notified of the outcome.", "success")
    return redirect(url_for("portal.review", review_id=rv.id) + "#disputes")


def _own_review(review_id: int) -> Review:
    """The agent's own published review, else 404 (someone else's looks exactly like a missing one)."""
    rv = portal.get_review(db.session, current_user, review_id)
    if rv is None:
        abort(404)
    return rv


def _dispute_form(rv: Review) -> DisputeForm:
    form = DisputeForm()
    form.criterion.choices = [SelectChoice("", "The whole review")] + [
        SelectChoice(c["key"], c["label"]) for c in criteria(rv.rubric_version.document)]
    return form


def _render(rv: Review, form: DisputeForm):
    detail = portal.review_detail(db.session, rv)
    return render_template("portal/review.html", d=detail, review=rv, note=rv.note, form=form,
                           ack_form=ActionForm(), answer_label=disputes.answer_label)

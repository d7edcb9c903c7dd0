"""The dispute queue (/disputes): leads of the review's team and admins see open disputes and resolve them
(uphold with a reason, or change the score as a new review revision). Rows come from services.disputes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.auth.client import client_ip
from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.models import Dispute
from qa_app.portal.forms import ResolveForm
from qa_app.services import disputes, portal
from qa_app.services.errors import ServiceError

bp = Blueprint("disputes", __name__, url_prefix="/disputes")
resolvers_only = role_required("lead", "admin")
STATUSES = ("open", "upheld", "changed", "all")


@bp.app_template_global("dispute_subject")
def dispute_subject(dispute: Dispute) -> str:
    """What a dispute is about, for every page that lists one (portal and queue alike)."""
    return disputes.criterion_label(dispute.review, dispute.criterion_key)


@bp.route("/")
@resolvers_only
def queue():
    status = request.args.get("status", "open")
    status = status if status in STATUSES else "open"
    rows = list(db.session.scalars(disputes.visible_disputes(current_user, None if status == "all" else status)
                                   .limit(500)).unique())
    return render_template("portal/disputes.html", rows=rows, status=status, statuses=STATUSES)


@bp.route("/<int:dispute_id>", methods=["GET", "POST"])
@resolvers_only
def show(dispute_id: int):
    dispute = _visible(dispute_id)
    form = ResolveForm()
    if request.method == "POST":
        if dispute.status != "open":
            abort(409)
        if form.validate_on_submit():
            changes = {k.removeprefix("answer-"): v for k, v in request.form.items() if k.startswith("answer-")}
            try:
                disputes.resolve(db.session, current_user, dispute, form.outcome.data, form.reason.data,
                                 changes=changes, ip=client_ip())
                db.session.commit()
                flash("Dispute resolved; the agent has been notified.", "success")
                return redirect(url_for("disputes.show", dispute_id=dispute.id))
            except ServiceError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                dispute = _visible(dispute_id)
        return _render(dispute, form), 400
    return _render(dispute, form)


def _visible(dispute_id: int) -> Dispute:
    """The dispute when the user may resolve it (a lead of the team, an admin); 404 otherwise."""
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None or not disputes.may_resolve(current_user, dispute):
        abort(404)
    return dispute


def _render(dispute: Dispute, form: ResolveForm):
    detail = portal.review_detail(db.session, dispute.review)
    shown = [c for c in detail.criteria if dispute.criterion_key in (None, c.key)]
    return render_template("portal/dispute.html", dispute=dispute, d=detail, review=dispute.review, form=form,
                           editable=shown, answer_label=disputes.answer_label)

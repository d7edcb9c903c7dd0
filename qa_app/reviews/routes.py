"""The reviewer workspace: queue, review page (conversation, flags, scoring form), coaching; the agent's notes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.models import Assignment, CoachingNote, Review, RubricVersion, Transcript
from qa_app.reviews.forms import CoachingForm, ConsensusForm, VerdictForm, scoring_form
from qa_app.services import assignment as assignments
from qa_app.services import calibration, coaching, reviews, scoring
from qa_app.services.errors import ServiceError
from qa_app.services.transcript_views import conversation

bp = Blueprint("reviews", __name__)
reviewers_only = role_required("admin", "lead", "reviewer")


@bp.route("/reviews/queue")
@reviewers_only
def queue():
    status = request.args.get("status", "open")
    if status not in ("open", "done", "skipped"):
        status = "open"
    rows = assignments.reviewer_queue(db.session, current_user, status)
    if request.args.get("sort") == "severity":
        rows.sort(key=lambda a: -(a.transcript.analysis.max_severity if a.transcript.analysis else 0))
    return render_template("reviews/queue.html", rows=rows, status=status,
                           counts=reviews.status_counts(db.session, current_user),
                           severity_names=reviews.SEVERITY_NAMES)


@bp.route("/reviews/next")
@reviewers_only
def next_review():
    nxt = reviews.next_assignment(db.session, current_user)
    if nxt is None:
        flash("Your queue is empty.", "info")
        return redirect(url_for("reviews.queue"))
    return redirect(url_for("reviews.review", assignment_id=nxt.id))


@bp.route("/reviews/assignment/<int:assignment_id>", methods=["GET", "POST"])
@reviewers_only
def review(assignment_id: int):
    a = _assignment(assignment_id)
    if a.reviewer_id != current_user.id:
        existing = reviews.review_for(db.session, a)
        if existing is None or not reviews.may_view(current_user, existing):
            abort(403)
        if a.calibration_key and not _calibration_visible(a.calibration_key):
            abort(403)  # blind: participants see others' calibration reviews only after submitting their own
        return _render(a, existing, None)
    try:
        rv = reviews.open_draft(db.session, current_user, a)
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("reviews.queue"))
    db.session.commit()
    editable = rv.status == "draft"
    form = scoring_form(rv.rubric_version.document, formdata=request.form if request.method == "POST" else None,
                        **({} if request.method == "POST" else _prefill(rv)))
    if request.method == "POST":
        if not editable:
            abort(409)
        if form.validate():
            try:
                if form.submit.data:
                    reviews.submit(db.session, current_user, rv, form.answers(), form.reasons(), form.comments())
                    db.session.commit()
                    if rv.calibration:
                        flash("Calibration review submitted: the results are now open to you.", "success")
                        return redirect(url_for("reviews.calibration_results", key=a.calibration_key))
                    flash("Review submitted. Check the coaching draft, then publish it.", "success")
                    return redirect(url_for("reviews.coaching_note", review_id=rv.id))
                reviews.save_draft(db.session, current_user, rv, form.answers(), form.reasons(), form.comments())
                db.session.commit()
                flash("Draft saved.", "success")
                return redirect(url_for("reviews.review", assignment_id=a.id))
            except ServiceError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
        return _render(a, db.session.get(Review, rv.id), form), 400
    return _render(a, rv, form if editable else None)


@bp.route("/reviews/assignment/<int:assignment_id>/flags/<int:flag_id>", methods=["POST"])
@reviewers_only
def verdict(assignment_id: int, flag_id: int):
    a = _assignment(assignment_id)
    rv = reviews.review_for(db.session, a)
    form = VerdictForm()
    if rv is None or rv.reviewer_id != current_user.id:
        abort(403)
    if not form.validate_on_submit():
        abort(400)
    try:
        reviews.set_verdict(db.session, current_user, rv, flag_id, form.verdict.data)
        db.session.commit()
    except ServiceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for("reviews.review", assignment_id=a.id) + f"#flag-{flag_id}")


@bp.route("/reviews/score", methods=["POST"])
@reviewers_only
def live_score():
    """The review page's live total (static/rubrics.js): the same scoring function, on a rubric version."""
    payload = request.get_json(silent=True) or {}
    try:
        version = db.session.get(RubricVersion, int(payload.get("version_id")))
        if version is None:
            raise ServiceError("No such rubric version.")
        answers = reviews.clean_answers(version.document, {str(k): v for k, v in (payload.get("answers") or {}).items()})
        result = reviews.score_of(version.document, answers)
    except (ServiceError, ValueError, TypeError) as exc:
        return jsonify(error=str(exc)), 400
    return jsonify({**result.summary(), "pass_threshold": version.document["pass_threshold"]})


@bp.route("/reviews/<int:review_id>/coaching", methods=["GET", "POST"])
@reviewers_only
def coaching_note(review_id: int):
    rv = db.session.get(Review, review_id) or abort(404)
    if not reviews.may_coach(current_user, rv):
        abort(403)
    note = rv.note
    if note is None:
        abort(404)
    form = CoachingForm(obj=note)
    if request.method == "POST":
        if note.status != "draft":
            abort(409)
        if form.validate_on_submit():
            try:
                coaching.edit(db.session, note, form.body.data)
                if form.publish.data:
                    coaching.publish(db.session, current_user, note)
                    flash("Published: the agent can now read the review and the note.", "success")
                else:
                    flash("Coaching draft saved.", "success")
                db.session.commit()
                return redirect(url_for("reviews.coaching_note", review_id=rv.id))
            except ServiceError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
    return render_template("reviews/coaching.html", review=rv, note=note, form=form,
                           blind=_blind(rv.assignment))


@bp.route("/coaching")
@role_required("agent")
def my_coaching():
    notes = list(db.session.scalars(coaching.visible_to_agent(current_user).options(
        joinedload(CoachingNote.review).joinedload(Review.transcript))).unique())
    return render_template("reviews/my_coaching.html", notes=notes)


def _assignment(assignment_id: int) -> Assignment:
    a = db.session.scalar(select(Assignment).where(Assignment.id == assignment_id).options(
        joinedload(Assignment.transcript).joinedload(Transcript.agent)))
    if a is None:
        abort(404)
    return a


def _blind(a: Assignment | None) -> bool:
    return bool(a and a.plan and a.plan.blind)


def _prefill(rv: Review) -> dict:
    data = {f"answer-{k}": str(v) for k, v in rv.answers.items()}
    data.update({f"reasons-{k}": v for k, v in rv.reasons.items()})
    data.update({f"comment-{k}": v for k, v in rv.comments.items()})
    return {"data": data}


def _render(a: Assignment, rv: Review, form):
    flags = reviews.transcript_flags(a)
    convo = conversation(a.transcript, flags=flags)
    return render_template("reviews/review.html", a=a, review=rv, form=form, convo=convo,
                           blind=_blind(a), verdicts=reviews.verdicts_of(rv), verdict_form=VerdictForm(),
                           document=rv.rubric_version.document, scale_points=scoring.scale_points)


# --- calibration results (blind until you submit) -------------------------------------------------------------

@bp.route("/reviews/calibration/<key>", methods=["GET", "POST"])
@reviewers_only
def calibration_results(key: str):
    if not calibration.assignments_of(db.session, key):
        abort(404)
    if not calibration.may_view(db.session, current_user, key):
        abort(403)
    may_decide = calibration.may_decide(current_user, calibration.assignments_of(db.session, key))
    form = ConsensusForm()
    if request.method == "POST":
        if not may_decide:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        raw = {k.removeprefix("consensus-"): v for k, v in request.form.items() if k.startswith("consensus-")}
        try:
            calibration.record_consensus(db.session, current_user, key, int(form.transcript_id.data), raw)
            db.session.commit()
            flash("Agreed answers recorded.", "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        return redirect(url_for("reviews.calibration_results", key=key))
    try:
        res = calibration.results(db.session, key)
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("reviews.queue"))
    return render_template("reviews/calibration.html", res=res, may_decide=may_decide, form=form,
                           scale_points=scoring.scale_points)


def _calibration_visible(key: str) -> bool:
    from qa_app.services import calibration

    return calibration.may_view(db.session, current_user, key)

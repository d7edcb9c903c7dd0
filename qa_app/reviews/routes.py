"""The reviewer workspace: queue, review page (conversation, flags, scoring form), coaching; the agent's notes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.models import Assignment, Review, RubricVersion, Transcript
from qa_app.reviews.forms import (CoachingForm, ConsensusForm, NoteRevisionForm, QueueFilterForm, VerdictForm,
                                  scoring_form)
from qa_app.services import calibration, coaching, comments, review_queue, reviews, revisions, scoring
from qa_app.services.errors import ServiceError
from qa_app.services.transcript_views import conversation

bp = Blueprint("reviews", __name__)
reviewers_only = role_required("admin", "lead", "reviewer")


@bp.route("/reviews/queue")
@reviewers_only
def queue():
    form = _queue_form()
    if not form.validate():
        return render_template("reviews/queue.html", form=form, rows=None, status=form.status.data,
                               counts=None, severity_names=reviews.SEVERITY_NAMES), 400
    filters = form.filters()
    return render_template("reviews/queue.html", form=form, rows=review_queue.queue(db.session, current_user, filters),
                           status=filters.status, counts=review_queue.status_counts(db.session, current_user, filters),
                           severity_names=reviews.SEVERITY_NAMES)


@bp.route("/reviews/next")
@reviewers_only
def next_review():
    """The oldest open assignment, within the queue's filters when the link carries them."""
    form = _queue_form()
    if not form.validate():
        flash("Those filters can't be used; showing the queue instead.", "warning")
        return redirect(url_for("reviews.queue"))
    nxt = review_queue.next_assignment(db.session, current_user, form.filters())
    if nxt is None:
        flash("Nothing open in your queue" + (" with these filters." if form.query_args("status", "sort") else "."),
              "info")
        return redirect(url_for("reviews.queue", **form.query_args()))
    return redirect(url_for("reviews.review", assignment_id=nxt.id))


def _queue_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    form.set_choices(review_queue.choices(db.session, current_user))
    return form


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
        rv = _open_draft(a)
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("reviews.queue"))
    editable = rv.status == "draft"
    form = scoring_form(rv.rubric_version.document, formdata=request.form if request.method == "POST" else None,
                        **({} if request.method == "POST" else _prefill(rv)))
    if request.method == "POST":
        if not editable:
            if form.submit.data:  # a double click or a second tab: the review is already in, change nothing
                flash("This review was already submitted; nothing was changed.", "info")
                return _after_submit(a, rv)
            abort(409)
        if form.validate():
            try:
                if form.submit.data:
                    reviews.submit(db.session, current_user, rv, form.answers(), form.reasons(), form.comments())
                    db.session.commit()
                    flash("Calibration review submitted: the results are now open to you." if rv.calibration
                          else "Review submitted. Check the coaching draft, then publish it.", "success")
                    return _after_submit(a, rv)
                reviews.save_draft(db.session, current_user, rv, form.answers(), form.reasons(), form.comments())
                db.session.commit()
                flash("Draft saved.", "success")
                return redirect(url_for("reviews.review", assignment_id=a.id))
            except reviews.AlreadySubmitted as exc:  # lost a race with a submit of the same review
                db.session.rollback()
                flash(str(exc), "info")
                return _after_submit(a, rv)
            except ServiceError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
        return _render(a, db.session.get(Review, rv.id), form), 400
    return _render(a, rv, form if editable else None)


def _open_draft(a: Assignment) -> Review:
    """open_draft and commit. Two tabs (or a double click) opening a new assignment at once both insert its draft;
    the unique reviews.assignment_id lets one win, and the other carries on with the winner's draft."""
    try:
        rv = reviews.open_draft(db.session, current_user, a)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        rv = reviews.open_draft(db.session, current_user, a)
    return rv


def _after_submit(a: Assignment, rv: Review):
    if rv.calibration:
        return redirect(url_for("reviews.calibration_results", key=a.calibration_key))
    return redirect(url_for("reviews.coaching_note", review_id=rv.id))


@bp.route("/reviews/assignment/<int:assignment_id>/flags/<int:flag_id>", methods=["POST"])
@reviewers_only
def verdict(assignment_id: int, flag_id: int):
    a = _assignment(assignment_id)
    rv = reviews.review_for(db.session, a)
    form = VerdictForm()
    if rv is None or rv.reviewer_id != current_user.id:
        abort(403)
    if rv.status == "published":
        abort(409)  # published reviews are immutable
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
    return _render_coaching(rv, form, NoteRevisionForm(body=note.body))


@bp.route("/coaching")
@role_required("agent")
def my_coaching():
    """The old coaching list: the agent portal replaced it; old links and bookmarks still work."""
    return redirect(url_for("portal.index"))


def _render_coaching(rv: Review, form: CoachingForm, revision_form: NoteRevisionForm):
    note = rv.note
    return render_template("reviews/coaching.html", review=rv, note=note, form=form, revision_form=revision_form,
                           may_revise=reviews.may_revise(current_user, rv), blind=_blind(rv.assignment),
                           note_history=revisions.note_history(db.session, note) if note.revision else [],
                           history=revisions.review_timeline(db.session, rv),
                           remarks=comments.comments_for_review(db.session, rv))


def _review(review_id: int) -> Review:
    return db.session.get(Review, review_id) or abort(404)


def _review_url(rv: Review) -> str:
    if rv.assignment_id is not None:
        return url_for("reviews.review", assignment_id=rv.assignment_id)
    return url_for("reviews.coaching_note", review_id=rv.id) if rv.note else url_for("reviews.queue")


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
    mine_open = rv.reviewer_id == current_user.id and rv.status != "published"
    return render_template("reviews/review.html", a=a, review=rv, form=form, convo=convo,
                           blind=_blind(a), verdicts=reviews.verdicts_of(rv), verdict_form=VerdictForm(),
                           document=rv.rubric_version.document, scale_points=scoring.scale_points,
                           remarks=comments.by_position(comments.visible_to(db.session, current_user, rv)),
                           message_ids={m.position: m.id for m in a.transcript.messages},
                           may_comment=mine_open,
                           may_revise=reviews.may_revise(current_user, rv),
                           history=revisions.review_timeline(db.session, rv) if rv.revision else [])


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


# Published-review corrections and message comments live beside this module, on the same blueprint.
from qa_app.reviews import corrections, message_comments  # noqa: E402,F401

"""Correcting a published review or note: never an edit, always a new revision with who, when and why
(services/revisions.py). Routes of the reviews blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.extensions import db
from qa_app.reviews.forms import CoachingForm, NoteRevisionForm, RevisionFormBase, scoring_form
from qa_app.reviews.routes import _blind, _prefill, _render_coaching, _review, _review_url, bp, reviewers_only
from qa_app.services import reviews, revisions
from qa_app.services.errors import ServiceError
from qa_app.services.scoring import format_score


@bp.route("/reviews/<int:review_id>/coaching/revise", methods=["POST"])
@reviewers_only
def revise_note(review_id: int):
    """Correct a published note: a new revision with who, when and why (the old text stays in the history)."""
    rv = _review(review_id)
    if not reviews.may_revise(current_user, rv):
        abort(403)
    note = rv.note or abort(404)
    form = NoteRevisionForm()
    if form.validate_on_submit():
        try:
            row = revisions.revise_note(db.session, current_user, note, form.body.data, form.reason.data)
            db.session.commit()
            flash(f"Note corrected: revision {row.number}.", "success")
            return redirect(url_for("reviews.coaching_note", review_id=rv.id) + "#note-history")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    elif "csrf_token" in form.errors:
        abort(400)
    return _render_coaching(rv, CoachingForm(obj=note), form), 400


@bp.route("/reviews/<int:review_id>/revise", methods=["GET", "POST"])
@reviewers_only
def revise(review_id: int):
    """Correct a published review's scores: a new revision (rescored by the one scoring function) with a reason."""
    rv = _review(review_id)
    if not reviews.may_view(current_user, rv):
        abort(403)
    if rv.status != "published":
        abort(409)  # drafts and submitted reviews are edited on the review page
    if not reviews.may_revise(current_user, rv):
        abort(403)
    document = rv.rubric_version.document
    posted = request.method == "POST"
    form = scoring_form(document, base=RevisionFormBase, formdata=request.form if posted else None,
                        **({} if posted else _prefill(rv)))
    if posted and form.validate():
        changes = {k: v for k, v in form.answers().items() if v and v != str(rv.answers.get(k, ""))}
        new_comments = {k: v.strip() for k, v in form.comments().items()
                        if v.strip() and v.strip() != (rv.comments or {}).get(k)}
        try:
            row = revisions.revise_review(db.session, current_user, rv, changes, form.reason.data,
                                          comments=new_comments)
            db.session.commit()
            flash(f"Review corrected: revision {row.number}, score {format_score(rv.overall)}.", "success")
            return redirect(_review_url(rv) + "#review-history")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    status = 400 if posted else 200
    return render_template("reviews/revise.html", review=rv, form=form, document=document,
                           history=revisions.review_timeline(db.session, rv), blind=_blind(rv.assignment)), status



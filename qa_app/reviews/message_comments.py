"""Reviewer comments on single messages of the transcript under review (services/comments.py). Routes of the
reviews blueprint; the review page renders the comments and the comment controls."""
from __future__ import annotations

from flask import abort, flash, redirect
from flask_login import current_user

from qa_app.extensions import db
from qa_app.models import MessageComment
from qa_app.reviews.forms import CommentForm, DeleteCommentForm
from qa_app.reviews.routes import _review, _review_url, bp, reviewers_only
from qa_app.services import comments
from qa_app.services.errors import ServiceError


@bp.route("/reviews/<int:review_id>/messages/<int:message_id>/comments", methods=["POST"])
@reviewers_only
def add_comment(review_id: int, message_id: int):
    rv = _review(review_id)
    if rv.reviewer_id != current_user.id:
        abort(403)
    form = CommentForm()
    anchor = ""
    if form.validate_on_submit():
        try:
            comment = comments.add(db.session, current_user, rv, message_id, form.body.data)
            db.session.commit()
            anchor = f"#comment-{comment.id}"
            flash("Comment added.", "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    elif "csrf_token" in form.errors:
        abort(400)
    else:
        flash("; ".join(e for errors in form.errors.values() for e in errors), "danger")
    return redirect(_review_url(rv) + anchor)


@bp.route("/reviews/comments/<int:comment_id>/delete", methods=["POST"])
@reviewers_only
def delete_comment(comment_id: int):
    comment = db.session.get(MessageComment, comment_id) or abort(404)
    rv = _review(comment.review_id)
    if comment.author_id != current_user.id or rv.reviewer_id != current_user.id:
        abort(403)
    if not DeleteCommentForm().validate_on_submit():
        abort(400)
    try:
        comments.delete(db.session, current_user, comment)
        db.session.commit()
        flash("Comment deleted.", "success")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return redirect(_review_url(rv))

"""Reviewer remarks on single messages of the transcript under review. Plain functions on a session: flush only.

Only the review's reviewer adds or deletes (their own) remarks, and only until the review is published; after that
they are part of the record. Who may read them: the reviewer, leads and admins who may view the review
(reviews.may_view), and the agent once the review is published (`may_read`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.models import Message, MessageComment, Review, User
from qa_app.services.errors import ServiceError

MAX_LENGTH = 2000


@dataclass(frozen=True)
class Remark:
    """One remark with the message it is about (what templates, the coaching draft and the agent portal show)."""

    id: int
    review_id: int
    message_id: int
    position: int
    role: str
    message_text: str
    body: str
    author_id: int | None
    author_email: str | None
    created_at: datetime

    def quote(self, limit: int = 160) -> str:
        """The message text on one line, shortened for quoting."""
        text = " ".join(self.message_text.split())
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def may_read(user: User, review: Review) -> bool:
    from qa_app.services import reviews  # reviews imports coaching, which imports this module

    if user.role == "agent":
        return (review.status == "published" and review.transcript.agent is not None
                and review.transcript.agent.user_id == user.id)
    return reviews.may_view(user, review)


def _check_open(user: User, review: Review) -> None:
    if review.reviewer_id != user.id:
        raise ServiceError(f"Only the reviewer of review {review.id} can comment on its messages.")
    if review.status == "published":
        raise ServiceError(f"Review {review.id} is published; its message comments can no longer change.")


def add(session: Session, user: User, review: Review, message_id: int, body: str) -> MessageComment:
    """Add `user`'s remark on one message of the review's transcript."""
    _check_open(user, review)
    message = session.get(Message, message_id)
    if message is None or message.transcript_id != review.transcript_id:
        raise ServiceError(f"Message {message_id} is not part of transcript {review.transcript.external_id} "
                           f"(review {review.id}).")
    body = (body or "").strip()
    if not body:
        raise ServiceError("comment: write something before adding a comment.")
    if len(body) > MAX_LENGTH:
        raise ServiceError(f"comment: at most {MAX_LENGTH} characters (got {len(body)}).")
    comment = MessageComment(review_id=review.id, message_id=message.id, author_id=user.id, body=body)
    session.add(comment)
    session.flush()
    return comment


def delete(session: Session, user: User, comment: MessageComment) -> None:
    """Delete one's own remark while its review is not published."""
    review = session.get(Review, comment.review_id)
    _check_open(user, review)
    if comment.author_id != user.id:
        raise ServiceError(f"Comment {comment.id} is not yours to delete.")
    session.delete(comment)
    session.flush()


def comments_for_review(session: Session, review: Review) -> list[Remark]:
    """Every remark on the review, in conversation order (message position, then time written).

    No access check: callers decide with `may_read` (the agent portal, the review and coaching pages)."""
    rows = session.execute(
        select(MessageComment, Message, User.email).join(Message, Message.id == MessageComment.message_id)
        .outerjoin(User, User.id == MessageComment.author_id)
        .where(MessageComment.review_id == review.id)
        .order_by(Message.position, MessageComment.created_at, MessageComment.id)).all()
    return [Remark(id=c.id, review_id=c.review_id, message_id=m.id, position=m.position, role=m.role,
                   message_text=m.text, body=c.body, author_id=c.author_id, author_email=email,
                   created_at=c.created_at) for c, m, email in rows]


def by_position(remarks: list[Remark]) -> dict[int, list[Remark]]:
    """Remarks grouped by message position (the review page puts them under each bubble)."""
    grouped: dict[int, list[Remark]] = defaultdict(list)
    for remark in remarks:
        grouped[remark.position].append(remark)
    return dict(grouped)


def visible_to(session: Session, user: User, review: Review) -> list[Remark]:
    """The remarks `user` may read on this review; [] when they may not."""
    return comments_for_review(session, review) if may_read(user, review) else []


"""Disputes: an agent objects to a published review (criterion_key None) or to one criterion of it; a lead of the
review's team (or an admin) resolves it by upholding the score or by changing it, which is a new review revision
(services.revisions.revise_review, source "dispute"). Every step is audited and notified.

Plain functions on a session: they flush, never commit. Row checks (`may_raise`, `may_resolve`,
`visible_disputes`) live here so every page and POST asks the same question.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, false, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from qa_app.models import Dispute, Review, Transcript, User, utcnow
from qa_app.services import audit, notifications, revisions, scoping
from qa_app.services.errors import ServiceError
from qa_app.services.reviews import criteria

OUTCOMES = ("uphold", "change")
MAX_REASON = 5000


# --- who may --------------------------------------------------------------------------------------------------

def is_own_published(user: User, review: Review) -> bool:
    """The agent's own published, non-calibration review: the only reviews an agent ever sees."""
    agent = review.transcript.agent
    return (user.role == "agent" and review.status == "published" and not review.calibration
            and agent is not None and agent.user_id == user.id)


def may_resolve(user: User, dispute: Dispute) -> bool:
    """Admins; leads of the review's team (the transcript's team, as for reading the review)."""
    if user.role == "admin":
        return True
    return user.role == "lead" and dispute.review.transcript.team_id in scoping.team_ids(user)


def visible_disputes(user: User, status: str | None = "open") -> Select:
    """Disputes a lead or admin may see and resolve: open ones oldest first (a queue), decided ones newest first."""
    query = (select(Dispute).join(Dispute.review).join(Review.transcript)
             .options(joinedload(Dispute.review).joinedload(Review.transcript).joinedload(Transcript.team),
                      joinedload(Dispute.review).joinedload(Review.rubric_version),
                      joinedload(Dispute.agent), joinedload(Dispute.resolved_by)))
    if status == "open":
        query = query.order_by(Dispute.created_at, Dispute.id)
    else:
        query = query.order_by(Dispute.created_at.desc(), Dispute.id.desc())
    if status:
        query = query.where(Dispute.status == status)
    if user.role == "admin":
        return query
    if user.role == "lead":
        teams = scoping.team_ids(user)
        return query.where(Transcript.team_id.in_(teams)) if teams else query.where(false())
    return query.where(false())


def for_review(session: Session, review: Review) -> list[Dispute]:
    return list(session.scalars(select(Dispute).where(Dispute.review_id == review.id)
                                .order_by(Dispute.created_at, Dispute.id)))


def status_counts(session: Session, review_ids: list[int]) -> dict[int, dict[str, int]]:
    """{review id: {status: count}} for a page of reviews, in one query."""
    out: dict[int, dict[str, int]] = {}
    if review_ids:
        rows = session.execute(select(Dispute.review_id, Dispute.status, func.count(Dispute.id))
                               .where(Dispute.review_id.in_(review_ids)).group_by(Dispute.review_id, Dispute.status))
        for review_id, status, count in rows:
            out.setdefault(review_id, {})[status] = count
    return out


def open_dispute(session: Session, review: Review, criterion_key: str | None) -> Dispute | None:
    key_match = Dispute.criterion_key.is_(None) if criterion_key is None else Dispute.criterion_key == criterion_key
    return session.scalar(select(Dispute).where(Dispute.review_id == review.id, key_match,
                                                Dispute.status == "open"))


# --- raise ----------------------------------------------------------------------------------------------------

def _criterion(review: Review, key: str) -> dict[str, Any]:
    for c in criteria(review.rubric_version.document):
        if c["key"] == key:
            return c
    raise ServiceError(f"Review {review.id}: criterion: {key!r} is not a criterion of this review's rubric.")


def _reason(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(f"{what}: reason: say why; a reason is required.")
    return text[:MAX_REASON]


def raise_dispute(session: Session, user: User, review: Review, criterion_key: str | None, reason: str,
                  ip: str | None = None) -> Dispute:
    """The agent disputes their own published review, or one criterion of it, with a reason."""
    if review.calibration:
        raise ServiceError(f"Review {review.id}: calibration reviews cannot be disputed.")
    if not is_own_published(user, review):
        raise ServiceError(f"Review {review.id}: you can dispute only your own published reviews.")
    criterion_key = (criterion_key or "").strip() or None
    if criterion_key is not None:
        _criterion(review, criterion_key)
    text = _reason(reason, f"Review {review.id}")
    if open_dispute(session, review, criterion_key) is not None:
        raise _already_disputed(review, criterion_key)
    dispute = Dispute(review=review, criterion_key=criterion_key, agent_id=review.transcript.agent_id,
                      raised_by_id=user.id, reason=text, status="open", created_at=utcnow())
    try:
        # A double click passes the check above twice; the unique indexes on open disputes refuse the second
        # insert. The savepoint keeps the session usable, and holds the dispute with its audit event and
        # notifications (on SQLite, where the savepoint may begin the transaction, they commit together).
        with session.begin_nested():
            session.add(dispute)
            session.flush()
            audit.record(session, user, "dispute.raised", dispute, ip=ip,
                         details={"review_id": review.id, "criterion": criterion_key, "reason": text[:500]})
            notifications.dispute_raised(session, dispute)
    except IntegrityError:
        if open_dispute(session, review, criterion_key) is None:
            raise
        raise _already_disputed(review, criterion_key) from None
    return dispute


def _already_disputed(review: Review, criterion_key: str | None) -> ServiceError:
    what = f"criterion {criterion_key}" if criterion_key else "this review"
    return ServiceError(f"Review {review.id}: you already have an open dispute on {what}.")


# --- resolve --------------------------------------------------------------------------------------------------

def _close(session: Session, dispute: Dispute, user: User, status: str, reason: str) -> None:
    """Close with one conditional UPDATE on status = 'open': two leads deciding at once cannot both win."""
    now = utcnow()
    closed = session.execute(update(Dispute).where(Dispute.id == dispute.id, Dispute.status == "open")
                             .values(status=status, resolution=reason, resolved_by_id=user.id, resolved_at=now)
                             .execution_options(synchronize_session=False)).rowcount
    if closed != 1:
        raise ServiceError(f"Dispute {dispute.id}: already resolved meanwhile; reload the page.")
    dispute.status, dispute.resolution = status, reason
    dispute.resolved_by_id, dispute.resolved_at = user.id, now


def _check_resolvable(user: User, dispute: Dispute) -> None:
    if not may_resolve(user, dispute):
        raise ServiceError(f"Dispute {dispute.id}: only a lead of the team or an admin can resolve it.")
    if dispute.status != "open":
        raise ServiceError(f"Dispute {dispute.id}: already resolved ({dispute.status}).")


def uphold(session: Session, user: User, dispute: Dispute, reason: str, ip: str | None = None) -> Dispute:
    """The score stands; the reason tells the agent why."""
    _check_resolvable(user, dispute)
    text = _reason(reason, f"Dispute {dispute.id}")
    _close(session, dispute, user, "upheld", text)
    session.flush()
    audit.record(session, user, "dispute.resolved", dispute, ip=ip,
                 details={"outcome": "upheld", "review_id": dispute.review_id, "reason": text[:500]})
    notifications.dispute_resolved(session, dispute)
    return dispute


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)[:16]


def change_score(session: Session, user: User, dispute: Dispute, changes: Mapping[str, Any], reason: str,
                 ip: str | None = None) -> Dispute:
    """Change the disputed answers as a new review revision (rescored by the scoring engine, rollup rewritten).

    A criterion dispute may change only its criterion: old_value/new_value hold that answer ("na" for N/A).
    A whole-review dispute may change any answers: old_value/new_value hold the overall score before and after.
    """
    _check_resolvable(user, dispute)
    review = dispute.review
    text = _reason(reason, f"Dispute {dispute.id}")
    wanted = {k: v for k, v in changes.items() if v not in (None, "")}
    if dispute.criterion_key is not None and set(wanted) - {dispute.criterion_key}:
        raise ServiceError(f"Dispute {dispute.id}: only criterion {dispute.criterion_key} is disputed.")
    if not wanted:
        raise ServiceError(f"Dispute {dispute.id}: new value: choose the new answer, or uphold the score.")
    for key in wanted:
        _criterion(review, key)
    differing = {k: v for k, v in wanted.items() if str(review.answers.get(k)) != str(v)}
    if not differing:
        raise ServiceError(f"Dispute {dispute.id}: new value: it equals the current answer; uphold instead.")
    before_answer = review.answers.get(dispute.criterion_key) if dispute.criterion_key else None
    before_overall = review.overall
    row = revisions.revise_review(session, user, review, differing, text, source="dispute")
    if dispute.criterion_key:
        dispute.old_value = _as_text(before_answer)
        dispute.new_value = _as_text(review.answers.get(dispute.criterion_key))
    else:
        dispute.old_value = None if before_overall is None else f"{before_overall:.1f}"
        dispute.new_value = None if review.overall is None else f"{review.overall:.1f}"
    dispute.review_revision = row.number
    _close(session, dispute, user, "changed", text)  # a lead deciding at the same moment makes this raise
    session.flush()
    audit.record(session, user, "dispute.resolved", dispute, ip=ip,
                 details={"outcome": "changed", "review_id": review.id, "revision": row.number,
                          "old_value": dispute.old_value, "new_value": dispute.new_value, "reason": text[:500]})
    notifications.dispute_resolved(session, dispute)
    return dispute


def resolve(session: Session, user: User, dispute: Dispute, outcome: str, reason: str,
            changes: Mapping[str, Any] | None = None, ip: str | None = None) -> Dispute:
    if outcome == "uphold":
        return uphold(session, user, dispute, reason, ip=ip)
    if outcome == "change":
        return change_score(session, user, dispute, changes or {}, reason, ip=ip)
    raise ServiceError(f"Dispute {dispute.id}: outcome: must be one of {', '.join(OUTCOMES)}.")


def criterion_label(review: Review, key: str | None) -> str:
    """How pages name what is disputed: the criterion's label, or "the whole review"."""
    if key is None:
        return "the whole review"
    try:
        return _criterion(review, key)["label"]
    except ServiceError:
        return key


def answer_label(review: Review, key: str, value: Any) -> str:
    """A stored answer as the reviewer saw it ("Yes", "2", "N/A")."""
    try:
        criterion = _criterion(review, key)
    except ServiceError:
        criterion = None
    return revisions.answer_label(criterion, value)
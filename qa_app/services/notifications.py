"""In-app notifications: a short text and an app-internal link for one user (new coaching note, note revised,
dispute raised, dispute outcome). Plain functions on a session: they flush, never commit.

Links are paths inside the app ("/me/reviews/12"), never another host: the notifications page redirects to them,
so anything else would be an open redirect.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from qa_app.models import Agent, CoachingNote, Dispute, Notification, Review, Team, User, user_teams, utcnow
from qa_app.services.errors import ServiceError
from qa_app.services.scoring import format_score
from qa_app.services.paths import is_internal_path

KINDS = ("note.published", "note.revised", "review.revised", "dispute.raised", "dispute.resolved")
LIST_LIMIT = 100


# Paths of the pages a notification opens (the portal and dispute blueprints serve them).
def agent_review_path(review_id: int) -> str:
    return f"/me/reviews/{review_id}"


def dispute_path(dispute_id: int) -> str:
    return f"/disputes/{dispute_id}"


def notify(session: Session, user_id: int, kind: str, text: str, link: str | None = None) -> Notification:
    if kind not in KINDS:
        raise ServiceError(f"Unknown notification kind {kind!r}.")
    if link is not None and not is_internal_path(link):
        raise ServiceError(f"Notification link {link!r} must be a path inside the app.")
    row = Notification(user_id=user_id, kind=kind, text=(text or "")[:1000], link=link, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def notify_many(session: Session, user_ids: Iterable[int], kind: str, text: str,
                link: str | None = None) -> list[Notification]:
    return [notify(session, uid, kind, text, link) for uid in sorted(set(user_ids))]


# --- who gets told -----------------------------------------------------------------------------------------

def agent_user_ids(session: Session, agent_id: int) -> list[int]:
    """The login linked to the agent (none when the agent has no login yet)."""
    return [uid for uid in session.scalars(select(Agent.user_id).where(Agent.id == agent_id)) if uid]


def team_lead_ids(session: Session, team_id: int | None) -> list[int]:
    """Active leads of the team; admins when the team has no lead, so nothing goes unseen."""
    leads = []
    if team_id is not None:
        leads = list(session.scalars(select(User.id).join(user_teams, user_teams.c.user_id == User.id)
                                     .where(user_teams.c.team_id == team_id, User.role == "lead",
                                            User.active.is_(True))))
    if leads:
        return leads
    return list(session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))))


def note_published(session: Session, note: CoachingNote) -> list[Notification]:
    external_id = note.review.transcript.external_id
    return notify_many(session, agent_user_ids(session, note.agent_id), "note.published",
                       f"New coaching on {external_id} (score {format_score(note.review.overall)}).",
                       agent_review_path(note.review_id))


def note_revised(session: Session, note: CoachingNote) -> list[Notification]:
    return notify_many(session, agent_user_ids(session, note.agent_id), "note.revised",
                       f"Your coaching note on {note.review.transcript.external_id} was revised "
                       f"(revision {note.revision}).", agent_review_path(note.review_id))


def review_corrected(session: Session, review: Review, before: float | None) -> list[Notification]:
    """A reviewer or lead corrected a published score (dispute outcomes have their own notice)."""
    return notify_many(session, agent_user_ids(session, review.transcript.agent_id), "review.revised",
                       f"The score of your review of {review.transcript.external_id} was corrected: "
                       f"{format_score(before)} → {format_score(review.overall)} (revision {review.revision}).",
                       agent_review_path(review.id))


def dispute_raised(session: Session, dispute: Dispute) -> list[Notification]:
    transcript = dispute.review.transcript
    from qa_app.services.disputes import criterion_label  # disputes imports this module

    what = criterion_label(dispute.review, dispute.criterion_key)
    team_name = session.scalar(select(Team.name).where(Team.id == transcript.team_id)) or "no team"
    return notify_many(session, team_lead_ids(session, transcript.team_id), "dispute.raised",
                       f"{dispute.agent.label} ({team_name}) disputes {what} of {transcript.external_id}.",
                       dispute_path(dispute.id))


def dispute_resolved(session: Session, dispute: Dispute) -> list[Notification]:
    outcome = "upheld (the score stands)" if dispute.status == "upheld" else "accepted: the score was changed"
    return notify_many(session, agent_user_ids(session, dispute.agent_id), "dispute.resolved",
                       f"Your dispute on {dispute.review.transcript.external_id} was {outcome}.",
                       agent_review_path(dispute.review_id))


# --- reading and marking -----------------------------------------------------------------------------------

def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count(Notification.id))
                          .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def for_user(user: User, unread_only: bool = False) -> Select:
    query = (select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return query.where(Notification.read_at.is_(None)) if unread_only else query


def recent(session: Session, user: User, limit: int = LIST_LIMIT) -> list[Notification]:
    return list(session.scalars(for_user(user).limit(limit)))


def get_own(session: Session, user: User, notification_id: int) -> Notification | None:
    """The notification, or None when it is missing or someone else's (callers answer 404 for both)."""
    row = session.get(Notification, notification_id)
    return row if row is not None and row.user_id == user.id else None


def mark_read(session: Session, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.id:
        raise ServiceError("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, user: User) -> int:
    result = session.execute(update(Notification)
                             .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                             .values(read_at=utcnow()).execution_options(synchronize_session=False))
    session.flush()
    return result.rowcount or 0

"""Demo disputes, so the agent portal and the leads' dispute queue have something to show: agent@example.com
disputes their lowest criterion on two of their published demo reviews; lead@example.com upholds the older one
and the newer stays open. Through the real services (audited, notified). Skipped when the demo agent already has
a dispute (idempotent) or has no published reviews yet (run after demo.reviews.seed_reviews)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.models import Dispute, Review
from qa_app.services import disputes, portal
from qa_app.services import users as user_service
from qa_app.services.reviews import score_of

AGENT = "agent@example.com"
LEAD = "lead@example.com"


def _lowest_criterion(review: Review) -> str | None:
    result = score_of(review.rubric_version.document, review.answers)
    scored = [(score, key) for key, score in result.criteria.items() if score is not None and score < 1]
    return min(scored)[1] if scored else None


def seed_disputes(session: Session) -> str:
    """Flushes; the caller commits."""
    agent_user, lead = user_service.get_by_email(session, AGENT), user_service.get_by_email(session, LEAD)
    if agent_user is None or agent_user.role != "agent" or lead is None:
        return "skipped demo disputes: the demo agent or lead is missing"
    if session.scalar(select(func.count(Dispute.id)).where(Dispute.raised_by_id == agent_user.id)):
        return "demo disputes already present"
    candidates = [(r, key) for r in session.scalars(portal.published_reviews(agent_user)).unique()
                  if (key := _lowest_criterion(r)) is not None][:2]
    if not candidates:
        return "skipped demo disputes: the demo agent has no published review below full marks"
    (newest, newest_key), *older = candidates
    disputes.raise_dispute(session, agent_user, newest, newest_key,
                           "The customer had already been given this answer by the bot, so I kept it short.")
    if older:
        review, key = older[0]
        dispute = disputes.raise_dispute(session, agent_user, review, key,
                                         "I followed the macro we were given for this case.")
        disputes.uphold(session, lead, dispute, "The macro is fine, but the reply still missed the customer's "
                                                "question; see the coaching note.")
    session.flush()
    return f"{len(candidates)} demo dispute(s) by {AGENT} ({'1 open, 1 upheld' if older else '1 open'})"

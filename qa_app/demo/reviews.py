"""Published demo reviews spread over the last ~8 weeks, so the dashboards have something to show.

They go through the real services: reviews.submit (scored by the one scoring function, coaching drafted), flag
verdicts with reviews.set_verdict, coaching.publish (revision 1 + the criterion_scores rollup). Answers start
from the analysis's suggestions (so agents with planted problems score lower) plus a little seeded noise; then
each review is back-dated to a day or two after its chat and its rollup rewritten. Deterministic for a seed;
skipped when demo reviews are already published (idempotent)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from qa_app.demo.generator import SOURCE
from qa_app.models import Assignment, Review, Rubric, Transcript, TranscriptAnalysis, utcnow
from qa_app.services import coaching, revisions, scoring
from qa_app.services import reviews as review_service
from qa_app.services import users as user_service

RUBRIC_KEY = "chat-support-standard"
REVIEWER = "reviewer@example.com"
PER_AGENT = 10
WEEKS_BACK = 8
SKIP_RECENT_DAYS = 14  # the demo sampling plan takes chats of the last two weeks for the reviewer's queue


def _answers(document: dict, suggestions: dict, rng: random.Random) -> dict[str, str]:
    out = {}
    for criterion in review_service.criteria(document):
        points = [v for v, _ in scoring.scale_points(criterion["scale"])]
        if criterion["key"] in suggestions:
            value = suggestions[criterion["key"]]["value"]
        elif criterion.get("na_allowed") and rng.random() < 0.12:
            out[criterion["key"]] = "na"
            continue
        else:
            value = points[-1] if rng.random() < 0.85 else points[max(0, len(points) - 2)]
        out[criterion["key"]] = str(value)
    return out


def seed_reviews(session: Session, seed: int = 7, now: datetime | None = None) -> str:
    """Create the demo's published reviews (about 10 per agent). Flushes; the caller commits."""
    reviewer = user_service.get_by_email(session, REVIEWER)
    rubric = session.scalar(select(Rubric).where(Rubric.key == RUBRIC_KEY))
    if reviewer is None or rubric is None or not rubric.versions:
        return "skipped demo reviews: the demo reviewer or the chat-support-standard rubric is missing"
    done = session.scalar(select(func.count(Review.id)).join(Transcript, Review.transcript_id == Transcript.id)
                          .where(Transcript.source == SOURCE, Review.status == "published"))
    if done:
        return f"{done} published demo reviews already present"
    now = now or utcnow()
    version = max(rubric.versions, key=lambda v: v.number)
    assigned = select(Assignment.transcript_id)
    chats = list(session.scalars(
        select(Transcript).where(Transcript.source == SOURCE, Transcript.status == "completed",
                                 Transcript.started_at >= now - timedelta(weeks=WEEKS_BACK),
                                 Transcript.started_at < now - timedelta(days=SKIP_RECENT_DAYS),
                                 Transcript.id.not_in(assigned))
        .options(selectinload(Transcript.analysis).selectinload(TranscriptAnalysis.flags))
        .order_by(Transcript.id)))
    rng = random.Random(seed)
    per_agent: dict[int, int] = {}
    made = 0
    for chat in chats:
        if per_agent.get(chat.agent_id, 0) >= PER_AGENT or rng.random() < 0.3:
            continue
        per_agent[chat.agent_id] = per_agent.get(chat.agent_id, 0) + 1
        _review(session, reviewer, chat, version, rng, now)
        made += 1
    session.flush()
    return f"{made} published demo reviews over the last {WEEKS_BACK} weeks"


def _review(session: Session, reviewer, chat: Transcript, version, rng: random.Random, now: datetime) -> None:
    flags = list(chat.analysis.flags) if chat.analysis else []
    suggestions = review_service.suggestions_for(version.document, flags)
    review = Review(transcript_id=chat.id, reviewer_id=reviewer.id, rubric_version_id=version.id, status="draft",
                    calibration=False, answers={}, reasons={}, comments={}, suggestions=suggestions,
                    section_scores={})
    session.add(review)
    session.flush()
    answers = _answers(version.document, suggestions, rng)
    for flag in flags:  # reviewers agree with the machine most of the time
        review_service.set_verdict(session, reviewer, review, flag.id,
                                   "confirmed" if rng.random() < 0.85 else "dismissed")
    review_service.submit(session, reviewer, review, answers)
    coaching.publish(session, reviewer, review.note)
    published = min(now, chat.started_at + timedelta(hours=rng.randint(20, 72)))
    review.created_at = published - timedelta(minutes=rng.randint(8, 25))
    review.submitted_at = published - timedelta(minutes=rng.randint(1, 5))
    review.published_at = review.note.published_at = published
    if rng.random() < 0.6:
        review.note.acknowledged_at = published + timedelta(hours=rng.randint(2, 48))
    revisions.write_rollup(session, review)

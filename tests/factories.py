"""Small factories for tests: real rows in the real test database."""
from __future__ import annotations

import hashlib
import itertools
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from qa_app.models import Agent, Message, Transcript, User
from qa_app.services import users

PASSWORD = "secret-pw"
_seq = itertools.count(1)


class Factory:
    def __init__(self, session: Session):
        self.session = session

    def team(self, name: str | None = None):
        team = users.get_or_create_team(self.session, name or f"Team {next(_seq)}")
        self.session.commit()
        return team

    def user(self, role: str = "reviewer", email: str | None = None, teams: list[str] | None = None,
             password: str = PASSWORD, active: bool = True) -> User:
        user = users.create_user(self.session, email or f"{role}{next(_seq)}@example.com", role,
                                 password=password, team_names=teams or [])
        user.active = active
        self.session.commit()
        return user

    def agent(self, name: str | None = None, email: str | None = None, team: str | None = None,
              user: User | None = None) -> Agent:
        n = next(_seq)
        agent = Agent(name=name or f"Agent {n}", email=email,
                      team=users.get_or_create_team(self.session, team) if team else None,
                      user_id=user.id if user else None)
        self.session.add(agent)
        self.session.commit()
        return agent

    def transcript(self, agent: Agent, external_id: str | None = None, source: str = "test",
                   texts: list[tuple[str, str]] | None = None, started_at: datetime | None = None,
                   channel: str = "chat", csat: int | None = None) -> Transcript:
        texts = texts or [("customer", "Hi, where is my order?"), ("agent", "Hi! Let me check that for you.")]
        started_at = started_at or datetime(2026, 3, 1, 10, 0)
        ext = external_id or f"T-{next(_seq)}"
        transcript = Transcript(
            source=source, external_id=ext, channel=channel, agent_id=agent.id, team_id=agent.team_id,
            started_at=started_at, ended_at=started_at + timedelta(minutes=len(texts)), csat=csat,
            tags=[], meta={}, message_count=len(texts), content_hash=hashlib.sha256(ext.encode()).hexdigest(),
            messages=[Message(position=i, role=role, text=text, sent_at=started_at + timedelta(seconds=30 * i))
                      for i, (role, text) in enumerate(texts)],
        )
        self.session.add(transcript)
        self.session.commit()
        return transcript


def published_review(session: Session, reviewer: User, transcript: Transcript, version, answers: dict,
                     comments: dict | None = None, reasons: dict | None = None, published_at: datetime | None = None,
                     calibration: bool = False, publish: bool = True):
    """A review scored through the real services: submitted, then (unless publish=False or calibration) its
    coaching note published by `reviewer`; `published_at` back-dates it (and its rollup rows) for trends."""
    from qa_app.models import Review
    from qa_app.services import coaching, reviews, revisions

    review = Review(transcript_id=transcript.id, reviewer_id=reviewer.id, rubric_version_id=version.id,
                    status="draft", calibration=calibration, answers={}, reasons={}, comments={}, suggestions={},
                    section_scores={})
    session.add(review)
    session.flush()
    reviews.submit(session, reviewer, review, answers, reasons or {}, comments or {})
    if publish and not calibration:
        coaching.publish(session, reviewer, review.note)
        if published_at is not None:
            review.published_at = review.note.published_at = published_at
            revisions.write_rollup(session, review)
    session.commit()
    return review

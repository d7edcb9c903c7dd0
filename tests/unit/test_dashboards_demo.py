"""`flask qa demo` also publishes reviews over the last weeks through the real services (rollup rows included)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from qa_app.demo import reviews as demo_reviews
from qa_app.demo.seed import seed_demo
from qa_app.models import CriterionScore, Review, ReviewRevision
from qa_app.services import rubrics


def test_demo_reviews_are_published_spread_over_weeks_and_idempotent(session):
    today = date(2026, 3, 30)
    seed_demo(session, today=today, analyze=False)
    rubrics.sync_rubrics(session)
    session.commit()
    now = datetime(2026, 3, 30, 12, 0)
    note = demo_reviews.seed_reviews(session, now=now)
    session.commit()
    published = list(session.scalars(select(Review).where(Review.status == "published")))
    assert len(published) >= 60 and note.startswith(f"{len(published)} published")
    assert all(now - timedelta(weeks=9) <= r.published_at <= now for r in published)
    assert len({r.published_at.isocalendar()[1] for r in published}) >= 5  # spread over the weeks
    rollup = session.scalar(select(func.count(CriterionScore.id)))
    assert rollup >= 15 * len(published)  # one row per answered criterion (19 in the standard rubric, minus N/A)
    assert session.scalar(select(func.count(ReviewRevision.id))) == len(published)
    assert {r.published_at for r in published} == set(session.scalars(select(CriterionScore.published_at)))
    assert "already present" in demo_reviews.seed_reviews(session, now=now)

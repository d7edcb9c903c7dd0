"""services.portal read side: weekly trend (means per Monday-week, gaps), the SVG geometry, and "what to focus on"
(dismissed flags and reviews older than 30 days left out; lowest criteria from the rollup)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from qa_app.models import ReviewFlagVerdict, utcnow
from qa_app.services import portal
from tests.factories import published_review
from tests.functional.test_portal import ANSWERS, build_world

PERFECT = {**ANSWERS, "respectful_tone": "1", "correct_answer": "3"}


@pytest.fixture()
def world(make, session):
    return build_world(make, session)


def test_weekly_trend_means_and_gaps(world, session, make):
    today = date(2026, 3, 18)  # a Wednesday; its week starts Monday 16 March
    for i, (when, answers) in enumerate([(datetime(2026, 3, 16, 9), PERFECT), (datetime(2026, 3, 17, 9), ANSWERS),
                                         (datetime(2026, 3, 2, 9), PERFECT), (datetime(2025, 1, 1), ANSWERS)]):
        t = make.transcript(world["agent"], external_id=f"T-W{i}")
        published_review(session, world["reviewer"], t, world["version"], answers, published_at=when)
    t_other = make.transcript(world["other_agent"], external_id="T-WB")
    published_review(session, world["reviewer"], t_other, world["version"], PERFECT,
                     published_at=datetime(2026, 3, 16, 10))
    points = portal.weekly_trend(session, world["agent_user"], 4, today=today)
    assert [p.week for p in points] == [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert [p.count for p in points] == [0, 1, 0, 2]  # Bo's review and the 2025 one are not in it
    assert points[1].mean == pytest.approx(100.0)
    assert points[3].mean == pytest.approx((100.0 + world["rv1"].overall) / 2)
    chart = portal.trend_chart(points)
    assert len(chart.dots) == 2 and len(chart.segments) == 2  # the empty week breaks the line
    assert chart.dots[0].y == chart.top  # 100 sits on the top edge
    assert portal.weekly_trend(session, world["lead"], 4, today=today) == [
        portal.TrendPoint(p.week, None, 0) for p in points]  # not an agent: nothing


def test_focus_counts_kept_flags_of_the_last_30_days(world, session, make):
    rv1 = world["rv1"]
    focus = portal.focus(session, world["agent_user"])
    assert focus.reviews == 1 and [r.rule for r in focus.rules] == ["tone.dismissive"]
    assert focus.rules[0].examples[0].evidence == "Calm down." and focus.rules[0].examples[0].review_id == rv1.id
    lowest = [(c.key, c.mean) for c in focus.criteria]
    assert lowest[:2] == [("respectful_tone", 0.0), ("correct_answer", 0.5)]
    assert focus.criteria[0].examples[0].evidence == "Calm down."
    # the reviewer dismissed the flag: it no longer counts
    flag = rv1.transcript.analysis.flags[0]
    session.add(ReviewFlagVerdict(review_id=rv1.id, flag_id=flag.id, reviewer_id=world["reviewer"].id,
                                  verdict="dismissed", rule=flag.rule, category=flag.category))
    session.commit()
    assert portal.focus(session, world["agent_user"]).rules == []
    # 40 days later the review is out of the window
    assert portal.focus(session, world["agent_user"], now=utcnow() + timedelta(days=40)).reviews == 0
    assert portal.focus(session, world["other_agent_user"]).rules == []

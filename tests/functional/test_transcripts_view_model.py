"""The conversation view model: response gaps before agent replies (services.transcript_views)."""
from datetime import datetime, timedelta
from types import SimpleNamespace

from qa_app.services.transcript_views import paginate, response_gaps

T0 = datetime(2026, 3, 1, 10, 0)


def msgs(*items):
    """items: (role, seconds after T0 or None)."""
    return [SimpleNamespace(position=i, role=role, text=f"m{i}",
                            sent_at=None if s is None else T0 + timedelta(seconds=s))
            for i, (role, s) in enumerate(items)]


def gaps(*items, slow=120):
    return [(v.gap_seconds, v.slow) for v in response_gaps(msgs(*items), slow)]


def test_gap_runs_from_the_first_unanswered_customer_message():
    assert gaps(("customer", 0), ("customer", 50), ("agent", 80)) == [(None, False), (None, False), (80, False)]


def test_agent_follow_ups_and_openers_have_no_gap():
    assert gaps(("agent", 0), ("customer", 10), ("agent", 20), ("agent", 500)) == [
        (None, False), (None, False), (10, False), (None, False)]


def test_bot_and_system_messages_are_not_an_answer():
    result = gaps(("customer", 0), ("bot", 5), ("system", 6), ("agent", 200))
    assert result[-1] == (200, True)
    sides = [v.side for v in response_gaps(msgs(("customer", 0), ("bot", 1), ("agent", 2)))]
    assert sides == ["start", "center", "end"]


def test_slow_is_strictly_more_than_the_threshold():
    assert gaps(("customer", 0), ("agent", 120))[-1] == (120, False)
    assert gaps(("customer", 0), ("agent", 121))[-1] == (121, True)
    assert gaps(("customer", 0), ("agent", 61), slow=60)[-1] == (61, True)


def test_missing_or_backwards_timestamps_give_no_gap():
    assert gaps(("customer", None), ("agent", 30))[-1] == (None, False)
    assert gaps(("customer", 30), ("agent", None))[-1] == (None, False)
    assert gaps(("customer", 30), ("agent", 10))[-1] == (None, False)
    # and the next exchange is measured afresh
    assert gaps(("customer", 30), ("agent", 10), ("customer", 40), ("agent", 45))[-1] == (5, False)


def test_paginate_counts_and_clamps(session, make):
    from qa_app.models import User
    from qa_app.services.scoping import visible_transcripts

    admin = make.user("admin")
    agent = make.agent()
    for i in range(5):
        make.transcript(agent, f"X-{i}")
    query = visible_transcripts(session.get(User, admin.id))
    page = paginate(session, query, 2, 2)
    assert (page.total, page.pages, len(page.items), page.has_prev, page.has_next) == (5, 3, 2, True, True)
    assert paginate(session, query, 9, 2).page == 3 and paginate(session, query, -1, 2).page == 1
    assert list(paginate(session, query, 1, 1).iter_pages(edge=1, around=1)) == [1, 2, None, 5]

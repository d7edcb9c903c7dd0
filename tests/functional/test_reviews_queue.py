"""Queue filters: status, team, agent, channel, plan, date range, flags and minimum severity, with the sort; in the
query string (bookmarkable); bad values are explained (400), never a crash; counts per status follow the filters;
"next" takes the oldest open assignment within them; blind plans never leak the agent through the agent filter."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from qa_app.models import Assignment, SamplingPlan, TranscriptAnalysis
from qa_app.services import rubrics


@pytest.fixture()
def q(make, session):
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer = make.user("reviewer")
    ana = make.agent(name="Ana Ruiz", team="Billing")
    bo = make.agent(name="Bo Berg", team="Shipping")
    secret = make.agent(name="Secret Agent", team="Billing")
    weekly = SamplingPlan(name="Weekly", strategy="random", strategy_config={}, population={})
    blind = SamplingPlan(name="Blind", strategy="random", strategy_config={}, population={}, blind=True)
    session.add_all([weekly, blind])
    session.flush()
    start = datetime(2026, 3, 1, 9, 0)
    specs = [  # external id, agent, channel, day offset, plan, max severity (None: not analyzed), status
        ("Q-ana-chat", ana, "chat", 0, weekly, 3, "open"),
        ("Q-ana-mail", ana, "email", 5, weekly, None, "open"),
        ("Q-bo-chat", bo, "chat", 10, weekly, 1, "open"),
        ("Q-bo-done", bo, "chat", 11, weekly, 2, "done"),
        ("Q-secret", secret, "chat", 12, blind, 2, "open"),
        ("Q-ana-blind", ana, "chat", 13, blind, 2, "open"),
    ]
    rows = {}
    for n, (ext, agent, channel, days, plan, severity, status) in enumerate(specs):
        t = make.transcript(agent, external_id=ext, channel=channel, started_at=start + timedelta(days=days))
        if severity is not None:
            session.add(TranscriptAnalysis(transcript_id=t.id, analyzer_version="1", policy_version="p",
                                           flag_count=severity, max_severity=severity))
        a = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id, rubric_version_id=version.id,
                       status=status, created_at=datetime(2026, 4, 1) + timedelta(hours=n))
        session.add(a)
        rows[ext] = a
    session.commit()
    return dict(reviewer=reviewer, ana=ana, bo=bo, secret=secret, weekly=weekly, blind=blind, a=rows)


def listed(page: str) -> list[str]:
    return re.findall(r">(Q-[\w-]+)</a>", page)


def get(client, **args):
    response = client.get("/reviews/queue", query_string=args)
    return response.status_code, response.get_data(as_text=True)


def test_each_filter_narrows_the_queue(client, as_user, q):
    as_user(q["reviewer"])
    team_billing = str(q["ana"].team_id)
    assert listed(get(client)[1]) == ["Q-ana-chat", "Q-ana-mail", "Q-bo-chat", "Q-secret", "Q-ana-blind"]
    assert listed(get(client, team=team_billing)[1]) == ["Q-ana-chat", "Q-ana-mail", "Q-secret", "Q-ana-blind"]
    assert listed(get(client, agent=str(q["ana"].id))[1]) == ["Q-ana-chat", "Q-ana-mail"]  # never the blind one
    assert listed(get(client, channel="email")[1]) == ["Q-ana-mail"]
    assert listed(get(client, plan=str(q["blind"].id))[1]) == ["Q-secret", "Q-ana-blind"]
    assert listed(get(client, date_from="2026-03-06", date_to="2026-03-11")[1]) == ["Q-ana-mail", "Q-bo-chat"]
    assert listed(get(client, flagged="no")[1]) == ["Q-ana-mail"]
    assert listed(get(client, flagged="yes", min_severity="medium")[1]) == ["Q-ana-chat", "Q-secret", "Q-ana-blind"]
    assert listed(get(client, min_severity="high")[1]) == ["Q-ana-chat"]
    assert listed(get(client, status="done")[1]) == ["Q-bo-done"]
    assert listed(get(client, status="done", team=team_billing)[1]) == []
    # filters combine with the sort: most severe first, ties oldest first
    assert listed(get(client, team=team_billing, sort="severity")[1]) == [
        "Q-ana-chat", "Q-secret", "Q-ana-blind", "Q-ana-mail"]


def test_counts_per_status_follow_the_filters_and_links_keep_them(client, as_user, q):
    as_user(q["reviewer"])
    _, page = get(client)
    assert 'data-status="open">5<' in page and 'data-status="done">1<' in page and 'data-status="skipped">0<' in page
    _, page = get(client, channel="chat", sort="severity")
    assert 'data-status="open">4<' in page and 'data-status="done">1<' in page
    # the tabs and "next" keep the filters (bookmarkable query strings)
    assert 'href="/reviews/queue?sort=severity&amp;channel=chat&amp;status=done"' in page
    assert 'href="/reviews/next?channel=chat"' in page and 'accesskey="n"' in page


def test_blind_plans_never_reveal_the_agent(client, as_user, q):
    as_user(q["reviewer"])
    _, page = get(client)
    assert "Secret Agent" not in page  # not in the rows, not in the agent dropdown
    assert f'<option value="{q["ana"].id}">Ana Ruiz</option>' in page
    status, page = get(client, agent=str(q["secret"].id))
    assert status == 400 and "Agent: Not a valid choice." in page and "Secret Agent" not in page


@pytest.mark.parametrize("args, message", [
    ({"team": "999999"}, "Team: Not a valid choice."),
    ({"status": "deleted"}, "Status: Not a valid choice."),
    ({"date_from": "2026-13-45"}, "From: Not a valid date value."),
    ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "The &#39;from&#39; date is after the &#39;to&#39; date."),
    ({"min_severity": "extreme"}, "Min. severity: Not a valid choice."),
    ({"flagged": "no", "min_severity": "low"}, "cannot both hold"),
    ({"plan": "<script>"}, "Plan: Not a valid choice."),
])
def test_bad_filters_are_explained_not_a_crash(client, as_user, q, args, message):
    as_user(q["reviewer"])
    status, page = get(client, **args)
    assert status == 400 and "Those filters can't be used" in page and message in page
    assert "<script>" not in page.split("</nav>", 1)[1].split("<script src=")[0]


def test_next_takes_the_oldest_open_within_the_filter(client, as_user, q):
    as_user(q["reviewer"])
    nxt = client.get("/reviews/next")
    assert nxt.headers["Location"].endswith(f"/reviews/assignment/{q['a']['Q-ana-chat'].id}")
    nxt = client.get("/reviews/next", query_string={"team": str(q["bo"].team_id), "sort": "severity"})
    assert nxt.headers["Location"].endswith(f"/reviews/assignment/{q['a']['Q-bo-chat'].id}")
    nxt = client.get("/reviews/next", query_string={"channel": "email", "status": "done"})  # status is ignored
    assert nxt.headers["Location"].endswith(f"/reviews/assignment/{q['a']['Q-ana-mail'].id}")
    empty = client.get("/reviews/next", query_string={"min_severity": "high", "channel": "email"},
                       follow_redirects=True)
    assert "Nothing open in your queue with these filters." in empty.get_data(as_text=True)
    bad = client.get("/reviews/next", query_string={"team": "nope"}, follow_redirects=True)
    assert "Those filters can&#39;t be used" in bad.get_data(as_text=True)


def test_choices_come_only_from_my_assignments(client, as_user, q, make):
    other = make.user("reviewer")
    stranger = make.agent(name="Carla Stranger", team="Elsewhere")
    make.transcript(stranger, external_id="Q-stranger")
    as_user(other)
    _, page = get(client)
    assert "Ana Ruiz" not in page and "Billing" not in page and "Weekly" not in page and listed(page) == []
    as_user(q["reviewer"])
    _, page = get(client)
    assert "Carla Stranger" not in page and "Elsewhere" not in page

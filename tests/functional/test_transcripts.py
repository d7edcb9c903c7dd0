"""Transcript list (filters, pagination, scoping) and the transcript page (bubbles, gaps, escaping)."""
import re
from datetime import datetime, timedelta

import pytest

HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">']


def ids_on(html: str) -> list[str]:
    """External ids listed in the transcripts table, in order."""
    body = html.split('class="table table-sm table-hover align-middle transcripts"', 1)
    if len(body) < 2:
        return []
    return re.findall(r'<a href="/transcripts/\d+">([^<]+)</a>', body[1])


@pytest.fixture()
def world(make):
    """Two teams, three agents (one with a login), transcripts across them."""
    agent_user = make.user("agent", email="ana@example.com")
    ana = make.agent(name="Ana", email="ana@example.com", team="Billing", user=agent_user)
    bo = make.agent(name="Bo", team="Billing")
    cy = make.agent(name="Cy", team="Returns")
    day = datetime(2026, 3, 1, 9, 0)
    make.transcript(ana, "ANA-1", started_at=day, csat=5, channel="chat")
    make.transcript(ana, "ANA-2", started_at=day + timedelta(days=1), csat=2, channel="email")
    make.transcript(bo, "BO-1", started_at=day + timedelta(days=2), csat=4)
    make.transcript(cy, "CY-1", started_at=day + timedelta(days=3), csat=1)
    return {"agent_user": agent_user, "ana": ana, "bo": bo, "cy": cy}


def test_anonymous_is_sent_to_login(client):
    assert client.get("/transcripts").status_code == 302
    assert client.get("/transcripts/1").status_code == 302


def test_admin_sees_all_newest_first_with_columns(client, make, login, world):
    login(make.user("admin"))
    response = client.get("/transcripts")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ids_on(html) == ["CY-1", "BO-1", "ANA-2", "ANA-1"]
    for text in ("2026-03-04 09:00", "Returns", "Cy", "email"):
        assert text in html


def test_agent_sees_only_own(client, login, world):
    login(world["agent_user"])
    html = client.get("/transcripts").get_data(as_text=True)
    assert ids_on(html) == ["ANA-2", "ANA-1"]
    # the agent filter offers only themselves, the team filter only their team
    assert ">Bo<" not in html and ">Cy<" not in html and ">Returns<" not in html
    # asking for someone else's rows by filter still returns only what the agent may see
    assert client.get(f"/transcripts?agent={world['bo'].id}").status_code == 400


def test_lead_sees_only_own_teams(client, make, login, world):
    login(make.user("lead", teams=["Billing"]))
    html = client.get("/transcripts").get_data(as_text=True)
    assert ids_on(html) == ["BO-1", "ANA-2", "ANA-1"]
    assert ">Cy<" not in html and ">Returns<" not in html


def test_lead_without_teams_sees_nothing(client, make, login, world):
    login(make.user("lead"))
    assert ids_on(client.get("/transcripts").get_data(as_text=True)) == []


def test_reviewer_with_teams_sees_only_those(client, make, login, world):
    login(make.user("reviewer", teams=["Returns"]))
    assert ids_on(client.get("/transcripts").get_data(as_text=True)) == ["CY-1"]


def test_reviewer_without_teams_sees_all(client, make, login, world):
    login(make.user("reviewer"))
    assert len(ids_on(client.get("/transcripts").get_data(as_text=True))) == 4


@pytest.mark.parametrize("query, expected", [
    ("q=ana", ["ANA-2", "ANA-1"]),
    ("q=%25", []),  # a literal %, not a wildcard
    ("channel=email", ["ANA-2"]),
    ("date_from=2026-03-02&date_to=2026-03-03", ["BO-1", "ANA-2"]),
    ("date_to=2026-03-01", ["ANA-1"]),
    ("csat=4", ["BO-1"]),
    ("csat_min=2&csat_max=4", ["BO-1", "ANA-2"]),
    ("csat_max=2", ["CY-1", "ANA-2"]),
])
def test_filters(client, make, login, world, query, expected):
    login(make.user("admin"))
    response = client.get(f"/transcripts?{query}")
    assert response.status_code == 200
    assert ids_on(response.get_data(as_text=True)) == expected


def test_team_and_agent_filters(client, make, login, world, session):
    login(make.user("admin"))
    returns = world["cy"].team
    assert ids_on(client.get(f"/transcripts?team={returns.id}").get_data(as_text=True)) == ["CY-1"]
    assert ids_on(client.get(f"/transcripts?agent={world['bo'].id}").get_data(as_text=True)) == ["BO-1"]


@pytest.mark.parametrize("query, message", [
    ("date_from=2026-13-45", "Not a valid date"),
    ("date_to=yesterday", "Not a valid date"),
    ("csat=9", "CSAT is a whole number from 1 to 5"),
    ("csat_min=abc", "Not a valid integer"),
    ("csat_min=5&csat_max=2", "minimum is greater than the maximum"),
    ("date_from=2026-03-05&date_to=2026-03-01", "after the"),
    ("team=999999", "Not a valid choice"),
    ("team=abc", "Not a valid choice"),
])
def test_bad_filter_values_give_a_message(client, make, login, world, query, message):
    login(make.user("admin"))
    response = client.get(f"/transcripts?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert ids_on(html) == []


def test_pagination(client, make, login, app):
    login(make.user("admin"))
    agent = make.agent(team="Billing")
    per_page = app.config["TRANSCRIPTS_PER_PAGE"]
    start = datetime(2026, 1, 1)
    for i in range(per_page + 3):
        make.transcript(agent, f"P-{i:03d}", started_at=start + timedelta(hours=i))
    first = client.get("/transcripts").get_data(as_text=True)
    assert len(ids_on(first)) == per_page
    assert ids_on(first)[0] == f"P-{per_page + 2:03d}"
    assert f"of {per_page + 3} transcripts" in first
    second = client.get("/transcripts?page=2").get_data(as_text=True)
    assert ids_on(second) == ["P-002", "P-001", "P-000"]
    # filters survive in the page links
    filtered = client.get("/transcripts?q=P-0&page=1").get_data(as_text=True)
    assert "q=P-0" in filtered and "page=2" in filtered
    # out-of-range and junk page numbers don't fail
    assert ids_on(client.get("/transcripts?page=99").get_data(as_text=True)) == ["P-002", "P-001", "P-000"]
    assert client.get("/transcripts?page=abc").status_code == 200


def test_list_loads_agent_and_team_without_a_query_per_row(client, make, login, app, db):
    from sqlalchemy import event

    login(make.user("admin"))
    for n in range(6):
        make.transcript(make.agent(team=f"T{n}"))
    client.get("/transcripts")  # warm up (login user load etc.)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/transcripts").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 8, statements


def test_hostile_text_is_escaped_in_list_and_page(client, make, login):
    login(make.user("admin"))
    agent = make.agent(name=HOSTILE[1], team=HOSTILE[0])
    t = make.transcript(agent, external_id=HOSTILE[0], texts=[("customer", HOSTILE[0]), ("agent", HOSTILE[1])])
    for url in ("/transcripts", f"/transcripts/{t.id}"):
        html = client.get(url).get_data(as_text=True)
        for raw in HOSTILE:
            assert raw not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_transcript_page_bubbles_and_gaps(client, make, login, session):
    login(make.user("admin"))
    agent = make.agent(name="Ana", team="Billing")
    t0 = datetime(2026, 3, 1, 10, 0)
    t = make.transcript(agent, "GAPS-1", started_at=t0, csat=4, texts=[
        ("customer", "Hi, my order never arrived\nOrder 123"),
        ("agent", "Hi! Let me check."),
        ("agent", "Found it."),
        ("customer", "Thanks, and the refund?"),
        ("bot", "An agent will reply soon."),
        ("customer", "Hello??"),
        ("agent", "Sorry for the wait."),
        ("system", "Chat closed"),
    ])
    offsets = [0, 45, 60, 90, 100, 300, 400, 410]
    for message, offset in zip(t.messages, offsets):
        message.sent_at = t0 + timedelta(seconds=offset)
    t.tags = ["refund", "late"]
    session.commit()
    response = client.get(f"/transcripts/{t.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "GAPS-1" in html and "Billing" in html and "refund" in html and "late" in html
    assert html.count('class="bubble bubble-customer"') == 3
    assert html.count('class="bubble bubble-agent"') == 3
    assert 'class="bubble bubble-bot"' in html and 'class="bubble bubble-system"' in html
    assert "align-items-start" in html and "align-items-end" in html and "align-items-center" in html
    # line breaks kept as text (CSS pre-wrap does the rest)
    assert "Hi, my order never arrived\nOrder 123" in html
    # 45 s for the first reply, no gap on the agent's follow-up, 5m 10s (from 10:01:30) for the last: slow
    assert re.search(r'class="gap" data-gap-seconds="45">replied after 45s<', html)
    assert re.search(r'class="gap gap-slow" data-gap-seconds="310" title="[^"]+">replied after 5m 10s<', html)
    assert html.count("replied after") == 2
    assert "10:00:45" in html


def test_missing_transcript_is_404(client, make, login):
    login(make.user("admin"))
    assert client.get("/transcripts/424242").status_code == 404


def test_agent_gets_404_on_another_agents_transcript(client, login, world, session):
    from sqlalchemy import select

    from qa_app.models import Transcript

    login(world["agent_user"])
    other = session.scalar(select(Transcript).where(Transcript.external_id == "BO-1"))
    own = session.scalar(select(Transcript).where(Transcript.external_id == "ANA-1"))
    assert client.get(f"/transcripts/{own.id}").status_code == 200
    response = client.get(f"/transcripts/{other.id}")
    assert response.status_code == 404
    assert "BO-1" not in response.get_data(as_text=True)


def test_lead_gets_404_outside_own_teams(client, make, login, world, session):
    from sqlalchemy import select

    from qa_app.models import Transcript

    login(make.user("lead", teams=["Billing"]))
    cy = session.scalar(select(Transcript).where(Transcript.external_id == "CY-1"))
    bo = session.scalar(select(Transcript).where(Transcript.external_id == "BO-1"))
    assert client.get(f"/transcripts/{bo.id}").status_code == 200
    assert client.get(f"/transcripts/{cy.id}").status_code == 404


def test_flags_are_highlighted_for_reviewers_escaped_and_hidden_from_agents(client, make, login, session):
    from qa_app.services import analysis

    agent_user = make.user("agent")
    agent = make.agent(user=agent_user, team="Billing")
    hostile = "Calm down. <script>alert(1)</script>"
    transcript = make.transcript(agent, texts=[("customer", "I'm furious, this is unacceptable!"), ("agent", hostile)])
    analysis.analyze_ids(session, [transcript.id])
    session.commit()
    login(make.user("admin"))
    page = client.get(f"/transcripts/{transcript.id}").get_data(as_text=True)
    assert '<mark class="flag flag-tone"' in page and ">Calm down</mark>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Automatic flags" in page
    client.post("/logout")
    login(agent_user)
    page = client.get(f"/transcripts/{transcript.id}").get_data(as_text=True)
    assert "<mark" not in page and "Automatic flags" not in page

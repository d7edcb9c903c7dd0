"""Operational numbers on hand-built timestamps: the SQL gaps equal the analysis engine's response_gaps."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from qa_app.models import Message
from qa_app.nlp.components.etiquette import response_gaps
from qa_app.services.dashboards.operations import operations, sla_seconds
from qa_app.services.dashboards.params import parse_filters
from qa_app.services.dashboards.scope import Scope

T0 = datetime(2026, 3, 3, 9, 0)
CHAT_1 = [("customer", 0), ("agent", 30), ("customer", 60), ("customer", 90), ("agent", 300), ("bot", 310),
          ("agent", 320), ("customer", 400), ("agent", 460)]
CHAT_2 = [("customer", None), ("agent", 50), ("customer", 100), ("agent", 400)]  # first reply unmeasurable


def build(make, session, agent, ext, plan, csat, handle):
    t = make.transcript(agent, external_id=ext, texts=[(role, "hello") for role, _ in plan], started_at=T0, csat=csat)
    for message, (_, offset) in zip(sorted(t.messages, key=lambda m: m.position), plan):
        message.sent_at = None if offset is None else T0 + timedelta(seconds=offset)
    t.ended_at = T0 + timedelta(seconds=handle)
    session.commit()
    return t


def engine_gaps(plan):
    messages = [{"role": role, "sent_at": None if o is None else (T0 + timedelta(seconds=o)).isoformat()}
                for role, o in plan]
    return response_gaps(messages)


def test_gaps_first_response_sla_share_handle_time_and_csat(make, session):
    agent = make.agent(name="Ana", team="Billing")
    build(make, session, agent, "C1", CHAT_1, 5, 600)
    build(make, session, agent, "C2", CHAT_2, 2, 900)
    [row] = operations(session, Scope(teams=None), parse_filters({"from": "2026-03-02", "to": "2026-03-08"}), "org")
    gaps = [g for plan in (CHAT_1, CHAT_2) for _, g, _ in engine_gaps(plan)]
    firsts = [g for plan in (CHAT_1, CHAT_2) for _, g, first in engine_gaps(plan) if first]
    sla = sla_seconds(session)
    assert gaps == [30, 240, 60, 300] and firsts == [30]  # the hand-built expectation, from the engine itself
    assert row.chats == 2 and row.replies == len(gaps)
    assert row.first_response == pytest.approx(sum(firsts) / len(firsts))
    assert row.gap_mean == pytest.approx(sum(gaps) / len(gaps)) and row.gap_worst == pytest.approx(max(gaps))
    assert row.within_sla == pytest.approx(sum(g <= sla for g in gaps) / len(gaps))
    assert row.handle_time == pytest.approx(750) and row.csat == pytest.approx(3.5) and row.csat_count == 2


def test_operations_group_by_team_and_scope(make, session):
    a = make.agent(name="Ana", team="Billing")
    b = make.agent(name="Bo", team="Shipping")
    build(make, session, a, "C1", CHAT_1, None, 100)
    build(make, session, b, "C2", CHAT_2, 4, 200)
    f = parse_filters({"from": "2026-03-02", "to": "2026-03-08"})
    rows = {r.group: r for r in operations(session, Scope(teams=None), f, "team")}
    assert rows["Billing"].first_response == pytest.approx(30) and rows["Billing"].csat is None
    assert rows["Shipping"].first_response is None and rows["Shipping"].gap_worst == pytest.approx(300)
    only = operations(session, Scope(teams=frozenset({a.team_id})), f, "team")
    assert [r.group for r in only] == ["Billing"]
    assert operations(session, Scope(teams=frozenset()), f, "team") == []


def test_sla_comes_from_the_active_policy_pack(session):
    from qa_app.services import analysis

    analysis.active_policy_row(session)  # the shipped pack: 120 s
    assert sla_seconds(session) == 120.0


def test_open_chats_and_chats_outside_the_range_do_not_count(make, session):
    agent = make.agent(name="Ana", team="Billing")
    t = build(make, session, agent, "C1", CHAT_1, None, 100)
    t.status = "open"
    session.add(Message(transcript_id=t.id, position=99, role="customer", text="x", sent_at=T0))
    session.commit()
    build(make, session, agent, "C3", CHAT_1, None, 100).started_at = T0 - timedelta(days=30)
    session.commit()
    assert operations(session, Scope(teams=None), parse_filters({"from": "2026-03-02", "to": "2026-03-08"})) == []

"""The Acme Outfitters demo: the generator (pure Python) and `flask qa demo` on a real database."""
from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from qa_app.demo import content, seed as demo_seed
from qa_app.demo.generator import PLANTED_KINDS, SLA_SECONDS, generate_records, summarize
from qa_app.models import Agent, Team, Transcript, User
from qa_app.services import users as user_service
from qa_app.services.importing.validation import normalize
from tests import factories
from tests.conftest import REPO_ROOT, shared_file

ANCHOR = date(2026, 3, 16)
SCHEMA = json.loads((REPO_ROOT / "docs" / "transcript.schema.json").read_text(encoding="utf-8"))
POLICY = yaml.safe_load((REPO_ROOT / "rubrics" / "policy.yaml").read_text(encoding="utf-8"))
# Every rule id the generator can record in metadata["demo_planted"] (the analyzer's rule ids).
PLANTED_RULES = {
    "tone.rude", "tone.dismissive", "tone.blaming", "tone.condescending", "tone.shouting", "empathy.unacknowledged",
    "accuracy.policy_fact", "accuracy.wrong_identifier", "accuracy.unsafe_link", "compliance.card_number",
    "compliance.email_exposed", "compliance.phone_exposed", "compliance.prohibited_phrase",
    "etiquette.missing_greeting", "etiquette.missing_closing", "etiquette.spelling", "etiquette.slow_response",
    "etiquette.slow_first_response",
}
ORDER_RE = re.compile(r"#?AC-\d{5}")
URL_RE = re.compile(r"https?://([^/\s]+)")


@pytest.fixture(scope="module")
def records():
    return generate_records(seed=42, anchor=ANCHOR)


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")


def _clean(records):
    return [r for r in records if not r["metadata"]["demo_planted"]]


# --- generator ------------------------------------------------------------------------------------------------

def test_generator_is_deterministic_for_a_seed(records):
    assert generate_records(seed=42, anchor=ANCHOR) == records
    other = generate_records(seed=7, anchor=ANCHOR)
    assert [r["external_id"] for r in other] == [r["external_id"] for r in records]
    assert other != records


def test_size_teams_and_agents(records):
    assert len(records) >= 300
    agents = {(r["agent"]["email"], r["agent"]["name"], r["agent"]["team"]) for r in records}
    assert len(agents) == 12
    per_team = Counter(team for _, _, team in agents)
    assert per_team == {"Billing": 4, "Orders & Shipping": 4, "Returns & Warranty": 4}
    assert ("agent@example.com", "Alex Morgan", "Orders & Shipping") in agents
    others = {email for email, _, _ in agents} - {"agent@example.com"}
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+@acme-outfitters\.example", e) for e in others), others
    assert len({r["external_id"] for r in records}) == len(records)


def test_every_record_is_valid_interchange_format(records):
    validator = Draft202012Validator(SCHEMA)
    earliest = datetime.combine(ANCHOR, datetime.min.time()) - timedelta(weeks=12)
    latest = datetime.combine(ANCHOR, datetime.min.time())
    for r in records:
        errors = list(validator.iter_errors(r))
        assert not errors, (r["external_id"], errors[0].message)
        normalize(r)  # the import service accepts it too
        assert r["source"] == "demo" and r["status"] == "completed"
        assert 4 <= len(r["messages"]) <= 20
        assert {m["role"] for m in r["messages"]} <= {"customer", "agent", "bot", "system"}
        assert r["csat"] is None or 1 <= r["csat"] <= 5
        times = [_ts(m["sent_at"]) for m in r["messages"]]
        assert times == sorted(times)
        assert earliest <= _ts(r["started_at"]) == times[0] and _ts(r["ended_at"]) == times[-1] < latest


def test_records_look_like_a_real_support_queue(records):
    assert Counter(r["channel"] for r in records).most_common(1)[0][0] == "chat"
    assert {r["channel"] for r in records} == {"chat", "email", "messaging"}
    assert 0.3 <= sum(r["csat"] is not None for r in records) / len(records) <= 0.5
    lengths = Counter(len(r["messages"]) for r in records)
    assert min(lengths) <= 5 and max(lengths) >= 17
    starts = [_ts(r["started_at"]) for r in records]
    assert sum(8 <= t.hour < 18 for t in starts) / len(starts) >= 0.8
    assert (max(starts) - min(starts)).days >= 70  # spread over the 12 weeks
    # combined from phrase banks: no two conversations alike, many distinct agent messages
    conversations = {"\n".join(m["text"] for m in r["messages"]) for r in records}
    assert len(conversations) == len(records)
    assert len({m["text"] for r in records for m in r["messages"] if m["role"] == "agent"}) > 800
    assert len({m["text"] for r in records for m in r["messages"][:3] if m["role"] == "customer"}) > 250
    assert len({r["metadata"]["demo_topic"] for r in records}) >= 15


def test_planted_problems_share_kinds_and_agents(records):
    stats = summarize(records)
    assert 0.20 <= stats["problem_share"] <= 0.35
    assert set(stats["by_kind"]) <= PLANTED_RULES
    for kind in PLANTED_KINDS:  # every kind of problem is planted (sensitive data / slow reply as their rules)
        rules = {k for k in stats["by_kind"] if k.split(".")[0] == kind.split(".")[0]}
        assert rules, kind
    agents_by_rule = defaultdict(set)
    rate = Counter()
    total = Counter(r["agent"]["name"] for r in records)
    for r in records:
        for rule in r["metadata"]["demo_planted"]:
            agents_by_rule[rule].add(r["agent"]["name"])
        rate[r["agent"]["name"]] += bool(r["metadata"]["demo_planted"])
    for rule in ("tone.rude", "tone.dismissive", "tone.blaming", "tone.condescending", "accuracy.policy_fact",
                 "empathy.unacknowledged", "etiquette.spelling"):
        assert len(agents_by_rule[rule]) >= 3, (rule, agents_by_rule[rule])
    shares = {name: rate[name] / total[name] for name in total}
    assert max(shares.values()) - min(shares.values()) >= 0.4  # some agents notably worse than others
    assert 0 < shares["Alex Morgan"] < 0.5  # the demo agent login has something to coach, not only problems


def test_planted_evidence_points_at_the_words(records):
    for r in records:
        planted = r["metadata"]["demo_planted"]
        evidence = r["metadata"]["demo_evidence"]
        assert sorted({e["rule"] for e in evidence}) == planted
        for e in evidence:
            if e["message_index"] is None:
                continue
            message = r["messages"][e["message_index"]]
            assert message["role"] == "agent"
            assert e["evidence"] in message["text"], (r["external_id"], e)
            if e["rule"] == "accuracy.wrong_identifier":
                customer = " ".join(m["text"] for m in r["messages"] if m["role"] == "customer")
                assert e["expected"] in customer and e["evidence"] not in customer
                assert sorted(e["expected"]) == sorted(e["evidence"])  # two digits swapped
            if e["rule"].startswith("etiquette.slow"):
                assert e["gap_seconds"] > SLA_SECONDS


def test_clean_conversations_are_clean(records):
    allowed_hosts = set(POLICY["allowed_link_domains"])
    prohibited = [p["phrase"].lower() for p in POLICY["prohibited_phrases"]]
    for r in _clean(records):
        agent = [m for m in r["messages"] if m["role"] == "agent"]
        customer_ids = set(ORDER_RE.findall(" ".join(m["text"] for m in r["messages"] if m["role"] == "customer")))
        assert re.match(r"(Hi|Hello|Good (morning|afternoon|evening)) ", agent[0]["text"]), r["external_id"]
        assert re.search(r"have a|take care|happy to help|glad i could help|enjoy|thanks for",
                         agent[-1]["text"], re.I), r["external_id"]
        for m in agent:
            text = m["text"]
            assert not any(p in text.lower() for p in prohibited), text
            assert all(host in allowed_hosts for host in URL_RE.findall(text)), text
            assert not re.search(r"\b[A-Z]{4,}\b(?:\W+\b[A-Z]{2,}\b){2,}", text), text  # no shouting
            assert set(ORDER_RE.findall(text)) <= {i if i.startswith("#") else "#" + i for i in customer_ids}
            assert not re.search(r"\d{4} \d{4} \d{4}|@(?!acme-outfitters)\w+\.\w+|\(\d{3}\) \d{3}-", text), text
            assert not any(re.search(rf"\b{typo}\b", text) for typo in content.TYPOS.values()), text
        # every agent reply comes within the SLA of the first unanswered customer message
        waiting = None
        for m in r["messages"]:
            if m["role"] == "customer" and waiting is None:
                waiting = _ts(m["sent_at"])
            elif m["role"] == "agent" and waiting is not None:
                assert (_ts(m["sent_at"]) - waiting).total_seconds() <= SLA_SECONDS, r["external_id"]
                waiting = None


def test_policy_statements_match_the_policy_pack(records):
    facts = {f["id"]: f for f in POLICY["facts"]}
    for fact_id, value in content.POLICY_VALUES.items():
        assert value in facts[fact_id]["allowed"], fact_id
    for fact_id, sentences in content.FACT_CORRECT.items():
        assert all(content.POLICY_VALUES[fact_id] in s for s in sentences), fact_id
    for fact_id, sentences in content.FACT_WRONG.items():
        for s in sentences:
            assert not any(allowed in s for allowed in facts[fact_id]["allowed"]), s
    wrong = [e for r in records for e in r["metadata"]["demo_evidence"] if e["rule"] == "accuracy.policy_fact"]
    assert len({e["fact"] for e in wrong}) >= 4
    clean_agent_text = [m["text"] for r in _clean(records) for m in r["messages"] if m["role"] == "agent"]
    assert not set(clean_agent_text) & {s for ss in content.FACT_WRONG.values() for s in ss}


def test_csat_follows_quality(records):
    clean = [r["csat"] for r in records if r["csat"] and not r["metadata"]["demo_planted"]]
    bad = [r["csat"] for r in records if r["csat"] and r["metadata"]["demo_planted"]]
    assert statistics.mean(clean) >= 4 and statistics.mean(bad) <= 3


# --- flask qa demo --------------------------------------------------------------------------------------------

def run_demo(app, *args):
    result = app.test_cli_runner().invoke(args=["qa", "demo", "--no-analyze", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _counts(session):
    def count(model, *where):
        return session.scalar(select(func.count()).select_from(model).where(*where))

    return (count(Transcript, Transcript.source == "demo"), count(Team), count(Agent), count(User))


def test_demo_command_twice_creates_nothing_twice(app, session):
    first = run_demo(app)
    assert "360 created" in first and "qa-demo" in first
    for email in ("admin@example.com", "lead@example.com", "reviewer@example.com", "agent@example.com"):
        assert email in first
    counts = _counts(session)
    assert counts == (360, 3, 12, 4)
    second = run_demo(app)
    assert "0 created, 0 updated, 360 unchanged" in second
    assert "left unchanged (password not reset)" in second
    assert _counts(session) == counts


def test_demo_users_roles_teams_and_agent_link(app, session):
    run_demo(app)
    demo_teams = {"Billing", "Orders & Shipping", "Returns & Warranty"}
    roles = {}
    for email, role in (("admin@example.com", "admin"), ("lead@example.com", "lead"),
                        ("reviewer@example.com", "reviewer"), ("agent@example.com", "agent")):
        user = user_service.authenticate(session, email, "qa-demo")
        assert user is not None, email
        roles[email] = user.role
        assert user.role == role
    lead = user_service.get_by_email(session, "lead@example.com")
    reviewer = user_service.get_by_email(session, "reviewer@example.com")
    assert {t.name for t in lead.teams} == demo_teams == {t.name for t in reviewer.teams}
    agent_user = user_service.get_by_email(session, "agent@example.com")
    assert agent_user.agent is not None and agent_user.agent.name == "Alex Morgan"
    assert agent_user.agent.team.name == "Orders & Shipping"
    mine = session.scalar(select(func.count()).select_from(Transcript).where(Transcript.agent_id == agent_user.agent.id))
    assert mine >= 15
    per_team = dict(session.execute(select(Team.name, func.count(Agent.id)).join(Agent).group_by(Team.name)).all())
    assert per_team == {name: 4 for name in demo_teams}


def test_existing_users_are_left_alone(app, session, make):
    make.user("reviewer", email="admin@example.com")  # someone took the address (and the role) before
    output = run_demo(app)
    admin = user_service.get_by_email(session, "admin@example.com")
    assert admin.role == "reviewer"
    assert user_service.authenticate(session, "admin@example.com", factories.PASSWORD) is not None
    assert user_service.authenticate(session, "admin@example.com", "qa-demo") is None
    assert "admin@example.com" in output.split("left unchanged")[1].splitlines()[0]
    assert session.scalar(select(func.count()).select_from(User)) == 4


def test_dates_stay_anchored_on_the_first_run(session):
    first = demo_seed.seed_demo(session, today=date(2026, 3, 2), analyze=False)
    session.commit()
    later = demo_seed.seed_demo(session, today=date(2026, 4, 20), analyze=False)
    assert (later.anchor, later.anchor_reused) == (date(2026, 3, 2), True)
    assert (later.report.created, later.report.updated, later.report.unchanged) == (0, 0, first.report.created)
    refreshed = demo_seed.seed_demo(session, today=date(2026, 4, 20), refresh=True, analyze=False)
    assert refreshed.anchor == date(2026, 4, 20) and refreshed.report.updated == first.report.created
    newest = session.scalar(select(func.max(Transcript.started_at)).where(Transcript.source == "demo"))
    assert date(2026, 4, 6) <= newest.date() < date(2026, 4, 20)


def test_demo_analyzes_what_it_imports(app, session):
    from qa_app.models import Flag

    output = app.test_cli_runner().invoke(args=["qa", "demo"]).output
    assert "360 created/updated transcripts analyzed" in output
    flagged = session.scalar(select(func.count(func.distinct(Flag.transcript_id))))
    assert 60 <= flagged <= 250


def test_with_shared_imports_the_twitter_sample(app, session):
    shared_file("twitter-customer-care/dev.jsonl")  # skips, saying why, when ../shared/data is absent
    output = run_demo(app, "--with-shared")
    assert "source 'twitter': 525 created" in output
    assert session.scalar(select(func.count()).select_from(Transcript).where(Transcript.source == "twitter")) == 525
    assert _counts(session)[0] == 360


def test_with_shared_when_the_file_is_absent(app, session, monkeypatch, tmp_path):
    missing = tmp_path / "nope" / "dev.jsonl"
    monkeypatch.setattr(demo_seed, "shared_twitter_path", lambda root=None: missing)
    output = run_demo(app, "--with-shared")
    assert f"note: {missing} is not there" in output
    assert _counts(session)[0] == 360


def test_shared_path_is_beside_the_repo():
    assert (demo_seed.repo_root() / "wsgi.py").exists()
    assert demo_seed.shared_twitter_path() == Path(REPO_ROOT).parent / "shared" / "data" / \
        "twitter-customer-care" / "dev.jsonl"


def test_demo_loads_the_shipped_rubrics_once(app, session):
    from sqlalchemy import func, select

    from qa_app.models import Rubric, RubricVersion

    runner = app.test_cli_runner()
    first = runner.invoke(args=["qa", "demo", "--no-analyze"])
    assert first.exit_code == 0, first.output
    assert "rubrics: 2 created" in first.output
    runner.invoke(args=["qa", "demo", "--no-analyze"])
    assert session.scalar(select(func.count(Rubric.id))) == 2
    assert session.scalar(select(func.count(RubricVersion.id))) == 2


def test_demo_creates_a_weekly_plan_with_a_queue_once(app, session):
    from sqlalchemy import func, select

    from qa_app.models import SamplingPlan
    from qa_app.models.sampling import Assignment

    runner = app.test_cli_runner()
    first = runner.invoke(args=["qa", "demo", "--no-analyze"])
    assert "Weekly sample (demo)' created and run" in first.output, first.output
    assigned = session.scalar(select(func.count(Assignment.id)))
    assert assigned >= 12  # two chats for most of the 12 agents
    assert "already present" in runner.invoke(args=["qa", "demo", "--no-analyze"]).output
    assert session.scalar(select(func.count(SamplingPlan.id))) == 1
    assert session.scalar(select(func.count(Assignment.id))) == assigned

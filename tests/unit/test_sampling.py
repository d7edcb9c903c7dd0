"""Sampling strategies on a seeded database: counts, quotas, exclusions, determinism, no bias."""
from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import select

from qa_app.models import Assignment, RubricVersion, SamplingPlan, TranscriptAnalysis
from qa_app.services import sampling, sampling_plans
from qa_app.services.errors import ServiceError

SHORT = [("customer", "Hi"), ("agent", "Hello there")]
ONE_SIDED = [("customer", "my order never arrived and nobody answers my emails at all")]


@pytest.fixture()
def world(make, session):
    """Team A: agents a0 (6 chats), a1 (4), a2 (1); team B: b0 (5 chats, email channel). Plus ineligible chats."""
    agents = {}
    for name, team, n, channel in (("a0", "A", 6, "chat"), ("a1", "A", 4, "chat"), ("a2", "A", 1, "chat"),
                                   ("b0", "B", 5, "email")):
        agents[name] = make.agent(name=name, team=team)
        for _ in range(n):
            make.transcript(agents[name], channel=channel)
    make.transcript(agents["a2"], texts=SHORT)
    make.transcript(agents["a2"], texts=ONE_SIDED)
    t = make.transcript(agents["a1"])
    t.status = "open"
    session.commit()
    return agents


def plan(session, strategy="random", config=None, quota=None, **population) -> SamplingPlan:
    p = SamplingPlan(name=f"p-{strategy}-{random.random()}", strategy=strategy,
                     strategy_config=config or {}, quota_per_agent=quota, population=population)
    session.add(p)
    session.flush()
    return p


def ids(sample) -> list[int]:
    return [c.id for c in sample.picked]


def test_eligibility_needs_completed_two_sides_and_ten_words(session, world):
    cands = sampling.eligible_candidates(session, {}, (None, None))
    assert len(cands) == 16
    assert Counter(c.agent_id for c in cands)[world["a2"].id] == 1


def test_random_share_picks_exact_count(session, world):
    s = sampling.sample(session, plan(session, config={"share": 0.25}), seed=1)
    assert len(s.picked) == 4 and s.eligible_count == 16


def test_random_count_and_same_seed_same_pick(session, world):
    p = plan(session, config={"count": 5})
    assert ids(sampling.sample(session, p, seed=7)) == ids(sampling.sample(session, p, seed=7))
    picks = {tuple(ids(sampling.sample(session, p, seed=s))) for s in range(6)}
    assert len(picks) > 1  # different seeds, different samples


def test_quota_met_or_explained(session, world):
    s = sampling.sample(session, plan(session, "quota", quota=3), seed=3)
    per_agent = Counter(c.agent_id for c in s.picked)
    assert per_agent == {world["a0"].id: 3, world["a1"].id: 3, world["a2"].id: 1, world["b0"].id: 3}
    short = {a.name: a for a in s.agents if a.short}
    assert list(short) == ["a2"]
    assert "not enough eligible chats" in short["a2"].reason and "3 in the window, 1 eligible" in short["a2"].reason


def test_quota_counts_existing_assignments_of_the_plan(session, world, make):
    p = plan(session, "quota", quota=3)
    reviewer = make.user("reviewer")
    first = sampling.sample(session, p, seed=1).picked[0]
    session.add(Assignment(transcript_id=first.id, reviewer_id=reviewer.id, plan_id=p.id))
    session.flush()
    s = sampling.sample(session, p, seed=1)
    assert Counter(c.agent_id for c in s.picked)[first.agent_id] == 2
    assert first.id not in ids(s)


def test_agent_without_chats_is_explained(session, world, make):
    make.agent(name="idle", team="A")
    s = sampling.sample(session, plan(session, "quota", quota=2, team_ids=[world["a0"].team_id]), seed=1)
    idle = next(a for a in s.agents if a.name == "idle")
    assert idle.short and idle.reason == "no completed chats in the plan's window and filters"


def test_already_assigned_or_done_excluded_skipped_returns(session, world, make):
    reviewer = make.user("reviewer")
    cands = sampling.eligible_candidates(session, {}, (None, None))
    for c, status in zip(cands, ("open", "done", "skipped")):
        session.add(Assignment(transcript_id=c.id, reviewer_id=reviewer.id, status=status))
    session.flush()
    s = sampling.sample(session, plan(session, config={"share": 1.0}), seed=1)
    assert s.available_count == 14 and cands[0].id not in ids(s) and cands[1].id not in ids(s)
    assert cands[2].id in ids(s)


def test_stratified_by_team_and_channel(session, world):
    s = sampling.sample(session, plan(session, "stratified", {"by": "team", "count": 2}), seed=1)
    assert Counter(c.team_id for c in s.picked) == {world["a0"].team_id: 2, world["b0"].team_id: 2}
    s = sampling.sample(session, plan(session, "stratified", {"by": "channel", "share": 0.1}), seed=1)
    assert Counter(c.channel for c in s.picked) == {"chat": 1, "email": 1}  # small strata keep one


def _analyse(session, transcript_id, **values):
    session.add(TranscriptAnalysis(transcript_id=transcript_id, analyzer_version="t", policy_version="t", **values))


@pytest.mark.parametrize("target,values,expected_order", [
    ("flags", [dict(flag_count=1), dict(flag_count=5), dict(flag_count=3)], [1, 2]),
    ("severity", [dict(max_severity=3, flag_count=1), dict(max_severity=1, flag_count=9),
                  dict(max_severity=3, flag_count=2)], [2, 0]),
    ("politeness", [dict(min_politeness=0.2), dict(min_politeness=0.9), dict(min_politeness=0.1)], [2, 0]),
    ("sentiment", [dict(first_sentiment=0.5, last_sentiment=-0.5), dict(first_sentiment=0, last_sentiment=0.9),
                   dict(first_sentiment=0.1, last_sentiment=0.0)], [0, 2]),
])
def test_targeted_by_analysis(session, world, target, values, expected_order):
    cands = sampling.eligible_candidates(session, {}, (None, None))
    for c, v in zip(cands, values):
        _analyse(session, c.id, **v)
    session.flush()
    s = sampling.sample(session, plan(session, "targeted", {"target": target, "count": 2}), seed=1)
    assert [c.id for c in sampling.pick_targeted(
        sampling.eligible_candidates(session, {}, (None, None)), target, 2, random.Random(1))] == \
        [cands[i].id for i in expected_order]
    assert sorted(ids(s)) == sorted(cands[i].id for i in expected_order)


def test_targeted_low_csat_and_handle_time(session, world, make):
    agent = world["a0"]
    low = make.transcript(agent, csat=1)
    make.transcript(agent, csat=5)
    long = make.transcript(agent, texts=[("customer", "one two three four five")] * 1 + [("agent", "six seven eight nine ten")] * 30)
    s = sampling.sample(session, plan(session, "targeted", {"target": "csat", "count": 3}), seed=1)
    assert ids(s) == [low.id] and "Only 1 transcripts" in s.notes[0]
    s = sampling.sample(session, plan(session, "targeted", {"target": "handle_time", "count": 1}), seed=1)
    assert ids(s) == [long.id]


def test_mix_splits_random_and_targeted(session, world):
    cands = sampling.eligible_candidates(session, {}, (None, None))
    for c in cands[:3]:
        _analyse(session, c.id, flag_count=2, max_severity=3)
    session.flush()
    s = sampling.sample(session, plan(session, "mix", {"count": 10, "random_share": 0.7, "target": "severity"}), seed=4)
    assert len(s.picked) == 10 and {c.id for c in cands[:3]} <= set(ids(s))


def test_population_filters_and_window(session, world, make):
    make.transcript(world["a0"], started_at=datetime(2026, 5, 1))
    p = plan(session, config={"share": 1.0}, team_ids=[world["b0"].team_id])
    assert {c.agent_id for c in sampling.sample(session, p, seed=1).picked} == {world["b0"].id}
    p = plan(session, config={"share": 1.0}, window_days=7)
    assert len(sampling.sample(session, p, seed=1, now=datetime(2026, 5, 3)).picked) == 1
    p = plan(session, config={"share": 1.0}, channels=["email"], agent_ids=[world["b0"].id, world["a0"].id])
    assert len(sampling.sample(session, p, seed=1).picked) == 5


def test_random_sampling_is_not_biased_toward_an_agent(session, world):
    """Chi-square over 400 seeds: each agent's share of picks matches its share of eligible chats."""
    cands = [c for c in sampling.eligible_candidates(session, {}, (None, None))]
    eligible = Counter(c.agent_id for c in cands)
    picks = Counter()
    seeds = 400
    for seed in range(seeds):
        picks.update(c.agent_id for c in sampling.pick_random(cands, {"count": 4}, random.Random(seed)))
    assert chi_square(picks, eligible) < 11.34  # 3 degrees of freedom, p = 0.01


def chi_square(picks: Counter, eligible: Counter) -> float:
    total, pool = sum(picks.values()), sum(eligible.values())
    return sum((picks[a] - total * n / pool) ** 2 / (total * n / pool) for a, n in eligible.items())


def test_bias_check_can_fail():
    """The same statistic flags a sampler that favours the lowest ids."""
    cands = [sampling.Candidate(i, i // 4, None, "chat", *[None] * 8) for i in range(16)]
    picks = Counter(c.agent_id for _ in range(400) for c in sorted(cands, key=lambda c: c.id)[:4])
    assert chi_square(picks, Counter(c.agent_id for c in cands)) > 11.34


def test_config_validation():
    with pytest.raises(ServiceError):
        sampling.clean_config("quota", {}, None)
    with pytest.raises(ServiceError):
        sampling.clean_config("targeted", {"count": 3, "target": "nope"}, None)
    with pytest.raises(ServiceError):
        sampling.clean_config("random", {"share": 0}, None)
    assert sampling.clean_config("mix", {"share": "0.2", "target": "flags", "extra": 1}, None) == {
        "share": 0.2, "target": "flags", "random_share": 0.7}


def test_sample_size_helper():
    assert sampling_plans.reviews_needed(15, 5) == 35  # (1.96*15/5)^2 = 34.57
    assert sampling_plans.margin_for(15, 9) == pytest.approx(9.8)
    with pytest.raises(ServiceError):
        sampling_plans.reviews_needed(15, 0)


def test_spread_uses_review_scores_once_there_are_enough(session, make):
    from qa_app.models import Review, SamplingPlan
    from qa_app.services import rubrics

    rubrics.sync_rubrics(session)
    version = session.scalars(select(RubricVersion)).first()
    reviewer, agent = make.user("reviewer"), make.agent(team="A")
    plan = SamplingPlan(name="p", strategy="random", population={}, strategy_config={"count": 1})
    session.add(plan)
    assert sampling_plans.spread(session, plan).sd == sampling_plans.DEFAULT_SD
    for i in range(30):
        transcript = make.transcript(agent)
        session.add(Review(transcript_id=transcript.id, reviewer_id=reviewer.id, rubric_version_id=version.id,
                           overall=float(40 + 2 * i), status="submitted"))
    session.add(Review(transcript_id=transcript.id, reviewer_id=reviewer.id, rubric_version_id=version.id,
                       overall=0.0, status="draft"))  # drafts never count
    session.flush()
    measured = sampling_plans.spread(session, plan)
    assert measured.n == 30 and "reviews" in measured.source
    assert measured.sd == pytest.approx(statistics.stdev([40 + 2 * i for i in range(30)]))

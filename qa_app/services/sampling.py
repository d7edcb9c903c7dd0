"""Sampling: which transcripts a plan may pick (eligibility), how it picks them (strategies), and why an agent
came up short.

Reproducible: candidates are sorted by id and every random choice comes from random.Random(seed), so the same
seed over the same data (and the same resolved date window) picks the same transcripts. Eligibility and the
per-agent counts are a handful of aggregate queries, never one query per transcript.
"""
from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session

from qa_app.models import Agent, Message, Transcript, TranscriptAnalysis, utcnow
from qa_app.models.sampling import ACTIVE_STATUSES, PLAN_STRATEGIES, Assignment, SamplingPlan
from qa_app.services.errors import ServiceError

MIN_WORDS = 10
MAX_SEED = 2**63 - 1
STRATA = ("team", "channel")
LOW_CSAT = 3  # "low CSAT" targets ratings at or below this


@dataclass(slots=True)
class Candidate:
    id: int
    agent_id: int
    team_id: int | None
    channel: str
    csat: int | None
    started_at: datetime | None
    ended_at: datetime | None
    flag_count: int | None
    max_severity: int | None
    min_politeness: float | None
    first_sentiment: float | None
    last_sentiment: float | None
    taken: bool = False  # already has an open or done assignment
    tags: list[str] = field(default_factory=list)


def _handle_seconds(c: Candidate) -> float | None:
    if c.started_at is None or c.ended_at is None:
        return None
    return (c.ended_at - c.started_at).total_seconds()


def _drop(c: Candidate) -> float | None:
    if c.first_sentiment is None or c.last_sentiment is None:
        return None
    drop = c.first_sentiment - c.last_sentiment  # last - first < 0 means the customer left unhappier
    return drop if drop > 0 else None


# metric -> (label, score: higher is more worth reviewing; None means "not a target")
TARGETS: dict[str, tuple[str, Callable[[Candidate], Any]]] = {
    "flags": ("most flags", lambda c: c.flag_count or None),
    "severity": ("most severe flags", lambda c: (c.max_severity, c.flag_count) if c.max_severity else None),
    "politeness": ("lowest politeness", lambda c: None if c.min_politeness is None else -c.min_politeness),
    "sentiment": ("customer sentiment worsened most", _drop),
    "csat": ("lowest CSAT", lambda c: -c.csat if c.csat is not None and c.csat <= LOW_CSAT else None),
    "handle_time": ("longest handle time", _handle_seconds),
}
STRATEGY_LABELS = {"random": "Random share", "quota": "Fixed number per agent", "stratified": "Stratified",
                   "targeted": "Targeted", "mix": "Mix of random and targeted"}


# --- configuration ---------------------------------------------------------------------------------

def clean_config(strategy: str, config: dict[str, Any], quota: int | None) -> dict[str, Any]:
    """Validate a strategy's settings; return only the keys it uses. Raises ServiceError."""
    if strategy not in PLAN_STRATEGIES:
        raise ServiceError(f"Unknown strategy {strategy!r}.")
    if strategy == "quota":
        if not quota or quota < 1:
            raise ServiceError("A fixed number per agent needs a quota of at least 1.")
        return {}
    out = _size_config(config)
    if strategy == "stratified":
        by = config.get("by") or "team"
        if by not in STRATA:
            raise ServiceError("Stratify by team or channel.")
        out["by"] = by
    if strategy in ("targeted", "mix"):
        by = config.get("target") or ""
        if by not in TARGETS:
            raise ServiceError(f"Choose what to target: {', '.join(TARGETS)}.")
        out["target"] = by
    if strategy == "mix":
        share = config.get("random_share", 0.7)
        if share is None or not 0 <= float(share) <= 1:
            raise ServiceError("The random part of a mix is a share between 0 and 1.")
        out["random_share"] = float(share)
    return out


def _size_config(config: dict[str, Any]) -> dict[str, Any]:
    count, share = config.get("count"), config.get("share")
    if count not in (None, ""):
        if int(count) < 1:
            raise ServiceError("The number to pick must be at least 1.")
        return {"count": int(count)}
    if share not in (None, "") and 0 < float(share) <= 1:
        return {"share": float(share)}
    raise ServiceError("Give a number to pick or a share between 0 and 1 (e.g. 0.1 for 10%).")


def _size(config: dict[str, Any], available: int) -> int:
    if "count" in config:
        return min(config["count"], available)
    return min(available, int(config["share"] * available + 0.5))


# --- population and eligibility ----------------------------------------------------------------------

def resolve_window(population: dict[str, Any], now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
    """(start, end) of the plan's date window; 'last N days' is resolved against `now` and recorded by the run."""
    now = now or utcnow()
    start = end = None
    if population.get("window_days"):
        start, end = now - timedelta(days=int(population["window_days"])), now
    if population.get("date_from"):
        start = datetime.fromisoformat(population["date_from"])
    if population.get("date_to"):
        end = datetime.fromisoformat(population["date_to"]) + timedelta(days=1)  # inclusive of that day
    return start, end


def _filtered(query: Select, population: dict[str, Any], window: tuple[datetime | None, datetime | None]) -> Select:
    query = query.where(Transcript.status == "completed")
    if population.get("team_ids"):
        query = query.where(Transcript.team_id.in_(population["team_ids"]))
    if population.get("agent_ids"):
        query = query.where(Transcript.agent_id.in_(population["agent_ids"]))
    if population.get("channels"):
        query = query.where(Transcript.channel.in_(population["channels"]))
    if population.get("csat_min") is not None:
        query = query.where(Transcript.csat >= population["csat_min"])
    if population.get("csat_max") is not None:
        query = query.where(Transcript.csat <= population["csat_max"])
    start, end = window
    if start is not None:
        query = query.where(Transcript.started_at >= start)
    if end is not None:
        query = query.where(Transcript.started_at < end)
    return query


def _words(column):
    """Whitespace-separated words of one message, in SQL that SQLite and PostgreSQL share."""
    text = column
    for ch in ("\n", "\r", "\t"):
        text = func.replace(text, ch, " ")
    for _ in range(2):  # collapse runs of spaces so they don't count as words
        text = func.replace(func.replace(text, "    ", " "), "  ", " ")
    text = func.trim(text)
    return case((text == "", 0), else_=func.length(text) - func.length(func.replace(text, " ", "")) + 1)


def _eligible_ids(population: dict[str, Any], window) -> Select:
    is_role = lambda role: func.sum(case((Message.role == role, 1), else_=0))  # noqa: E731
    query = select(Message.transcript_id).join(Transcript, Transcript.id == Message.transcript_id)
    return (_filtered(query, population, window).group_by(Message.transcript_id)
            .having(and_(is_role("customer") >= 1, is_role("agent") >= 1, func.sum(_words(Message.text)) >= MIN_WORDS)))


def _taken():
    return exists().where(Assignment.transcript_id == Transcript.id, Assignment.status.in_(ACTIVE_STATUSES))


def eligible_candidates(session: Session, population: dict[str, Any], window) -> list[Candidate]:
    """Every eligible transcript of the population (sorted by id), marked `taken` when already assigned."""
    A = TranscriptAnalysis
    want_tags = bool(population.get("tags"))
    columns = [Transcript.id, Transcript.agent_id, Transcript.team_id, Transcript.channel, Transcript.csat,
               Transcript.started_at, Transcript.ended_at, A.flag_count, A.max_severity, A.min_politeness,
               A.first_sentiment, A.last_sentiment, _taken().label("taken")]
    if want_tags:
        columns.append(Transcript.tags)
    query = (select(*columns).outerjoin(A, A.transcript_id == Transcript.id)
             .where(Transcript.id.in_(_eligible_ids(population, window))).order_by(Transcript.id))
    rows = [Candidate(*row) for row in session.execute(query)]
    for c in rows:
        c.taken = bool(c.taken)
    if want_tags:
        wanted = set(population["tags"])
        rows = [c for c in rows if wanted.intersection(c.tags or [])]
    return rows


def population_counts(session: Session, population: dict[str, Any], window) -> dict[int, int]:
    """Completed transcripts in the population per agent, eligible or not (for shortfall reasons)."""
    query = _filtered(select(Transcript.agent_id, func.count()), population, window).group_by(Transcript.agent_id)
    if population.get("tags"):  # tags live in JSON: filter in Python, over ids and tags only
        q = _filtered(select(Transcript.agent_id, Transcript.tags), population, window)
        wanted, counts = set(population["tags"]), defaultdict(int)
        for agent_id, tags in session.execute(q):
            if wanted.intersection(tags or []):
                counts[agent_id] += 1
        return dict(counts)
    return dict(session.execute(query).all())


def population_agents(session: Session, population: dict[str, Any]) -> dict[int, str]:
    query = select(Agent.id, Agent.name).order_by(Agent.id)
    if population.get("agent_ids"):
        query = query.where(Agent.id.in_(population["agent_ids"]))
    elif population.get("team_ids"):
        query = query.where(Agent.team_id.in_(population["team_ids"]))
    return dict(session.execute(query).all())


def plan_counts(session: Session, plan: SamplingPlan, window) -> dict[int, int]:
    """This plan's open or done assignments per agent in the window: they count toward the quota."""
    query = (select(Transcript.agent_id, func.count()).join(Assignment, Assignment.transcript_id == Transcript.id)
             .where(Assignment.plan_id == plan.id, Assignment.status.in_(ACTIVE_STATUSES),
                    Assignment.calibration_key.is_(None)))
    return dict(session.execute(_filtered(query, plan.population, window).group_by(Transcript.agent_id)).all())


# --- strategies ------------------------------------------------------------------------------------

def pick_random(cands: list[Candidate], config: dict, rng: random.Random) -> list[Candidate]:
    return rng.sample(cands, _size(config, len(cands)))


def pick_quota(cands: list[Candidate], need: dict[int, int], rng: random.Random) -> list[Candidate]:
    by_agent = _group(cands, lambda c: c.agent_id)
    picked: list[Candidate] = []
    for agent_id in sorted(by_agent):
        pool = by_agent[agent_id]
        picked += rng.sample(pool, min(max(need.get(agent_id, 0), 0), len(pool)))
    return picked


def pick_stratified(cands: list[Candidate], config: dict, rng: random.Random) -> list[Candidate]:
    key = (lambda c: c.team_id or 0) if config["by"] == "team" else (lambda c: c.channel or "")
    picked: list[Candidate] = []
    for _, pool in sorted(_group(cands, key).items()):
        # every stratum gets at least one, so a small team or channel is never sampled away
        k = config["count"] if "count" in config else max(1, int(config["share"] * len(pool) + 0.5))
        picked += rng.sample(pool, min(k, len(pool)))
    return picked


def pick_targeted(cands: list[Candidate], target: str, k: int, rng: random.Random) -> list[Candidate]:
    score = TARGETS[target][1]
    tiebreak = {c.id: rng.random() for c in cands}  # drawn in id order: deterministic
    scored = [(s, c) for c in cands if (s := score(c)) is not None]
    scored.sort(key=lambda sc: (sc[0], tiebreak[sc[1].id]), reverse=True)
    return [c for _, c in scored[:k]]


def pick_mix(cands: list[Candidate], config: dict, rng: random.Random) -> list[Candidate]:
    total = _size(config, len(cands))
    n_target = total - int(total * config["random_share"] + 0.5)
    targeted = pick_targeted(cands, config["target"], n_target, rng)
    chosen = {c.id for c in targeted}
    rest = [c for c in cands if c.id not in chosen]
    # random fills what targeting could not, so the total holds when few chats match the target
    return targeted + rng.sample(rest, min(total - len(targeted), len(rest)))


def _group(cands: list[Candidate], key) -> dict[Any, list[Candidate]]:
    groups: dict[Any, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[key(c)].append(c)
    return groups


# --- a whole sample ----------------------------------------------------------------------------------

@dataclass
class AgentLine:
    agent_id: int
    name: str
    in_window: int
    eligible: int
    taken: int
    picked: int
    already: int
    quota: int | None
    reason: str = ""

    @property
    def short(self) -> bool:
        return self.quota is not None and self.picked + self.already < self.quota


@dataclass
class Sample:
    plan: SamplingPlan
    seed: int
    parameters: dict[str, Any]
    eligible_count: int
    available_count: int
    picked: list[Candidate]
    agents: list[AgentLine]
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {"agents": [{**vars(a), "short": a.short} for a in self.agents], "notes": self.notes,
                "available": self.available_count}


def new_seed() -> int:
    return secrets.randbelow(2**31)


def sample(session: Session, plan: SamplingPlan, seed: int | None = None, now: datetime | None = None) -> Sample:
    """Pick transcripts for `plan` without writing anything."""
    seed = new_seed() if seed is None else seed
    if not 0 <= seed <= MAX_SEED:
        raise ServiceError("The seed must be a whole number from 0 to 2^63-1.")
    window = resolve_window(plan.population, now)
    cands = eligible_candidates(session, plan.population, window)
    available = [c for c in cands if not c.taken]
    already = plan_counts(session, plan, window) if plan.quota_per_agent else {}
    rng = random.Random(seed)
    picked = _pick(plan, available, already, rng)
    picked.sort(key=lambda c: c.id)
    agents = _agent_lines(session, plan, window, cands, picked, already)
    return Sample(plan, seed, _parameters(plan, window), len(cands), len(available), picked, agents,
                  _notes(plan, available, picked))


def _pick(plan: SamplingPlan, available: list[Candidate], already: dict[int, int], rng) -> list[Candidate]:
    config = plan.strategy_config or {}
    if plan.strategy == "quota":
        quota = plan.quota_per_agent or 0
        need = {a: quota - already.get(a, 0) for a in {c.agent_id for c in available}}
        return pick_quota(available, need, rng)
    if plan.strategy == "stratified":
        return pick_stratified(available, config, rng)
    if plan.strategy == "targeted":
        return pick_targeted(available, config["target"], _size(config, len(available)), rng)
    if plan.strategy == "mix":
        return pick_mix(available, config, rng)
    return pick_random(available, config, rng)


def _parameters(plan: SamplingPlan, window) -> dict[str, Any]:
    start, end = window
    return {"population": plan.population, "strategy": plan.strategy, "config": plan.strategy_config,
            "quota_per_agent": plan.quota_per_agent, "calibration": plan.calibration,
            "window": [start.isoformat() if start else None, end.isoformat() if end else None]}


def _agent_lines(session, plan, window, cands, picked, already) -> list[AgentLine]:
    names = population_agents(session, plan.population)
    in_window = population_counts(session, plan.population, window)
    eligible, taken, chosen = defaultdict(int), defaultdict(int), defaultdict(int)
    for c in cands:
        eligible[c.agent_id] += 1
        taken[c.agent_id] += c.taken
    for c in picked:
        chosen[c.agent_id] += 1
    ids = sorted(set(names) | set(eligible))
    missing = [i for i in ids if i not in names]
    if missing:
        names.update(session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(missing))).all())
    lines = [AgentLine(i, names.get(i, f"agent {i}"), in_window.get(i, 0), eligible[i], taken[i], chosen[i],
                       already.get(i, 0), plan.quota_per_agent) for i in ids]
    for line in lines:
        line.reason = shortfall_reason(line, plan.strategy) if line.short else ""
    return lines


def shortfall_reason(line: AgentLine, strategy: str) -> str:
    if line.in_window == 0:
        return "no completed chats in the plan's window and filters"
    if line.eligible == 0:
        return (f"{line.in_window} chats in the window, none eligible (each needs a customer and an agent message "
                f"and {MIN_WORDS} words)")
    free = line.eligible - line.taken
    if strategy == "quota" or free < (line.quota or 0) - line.already:
        return (f"not enough eligible chats: {line.in_window} in the window, {line.eligible} eligible, "
                f"{line.taken} already assigned or reviewed, {free} left")
    return f"the {STRATEGY_LABELS[strategy].lower()} strategy does not pick per agent"


def _notes(plan: SamplingPlan, available: list[Candidate], picked: list[Candidate]) -> list[str]:
    notes = []
    if not available:
        notes.append("No eligible transcripts left in the population.")
    target = (plan.strategy_config or {}).get("target")
    if plan.strategy == "targeted" and target and len(picked) < _size(plan.strategy_config, len(available)):
        notes.append(f"Only {len(picked)} transcripts match “{TARGETS[target][0]}”.")
    return notes

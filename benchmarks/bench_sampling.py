"""Sampling speed: `python benchmarks/bench_sampling.py [--sizes 10000,30000,100000] [--messages 6] [--db URL]`.

For each size, fills a fresh database (SQLite file by default; --db postgresql://... for PostgreSQL, which must be
an empty scratch database: its tables are dropped) with synthetic transcripts, messages and analyses using bulk
inserts, then times a dry run of a mixed plan (30% targeted on flag severity, 70% random, 5% of eligible chats)
and a real run that also assigns to 10 reviewers. Prints the figures and how time grows relative to the smallest
size (linear growth keeps seconds per 1,000 transcripts flat).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.models import (Agent, Message, PlanReviewer, SamplingPlan, Team, Transcript,  # noqa: E402
                           TranscriptAnalysis, User)
from qa_app.services import sampling_plans  # noqa: E402

WORDS = "order refund delivery account thanks please sorry check update shipping card help today issue".split()
AGENTS, TEAMS, REVIEWERS, CHUNK = 200, 10, 10, 5000


def fill(n: int, messages: int, seed: int = 7) -> None:
    """Bulk inserts in chunks: a few statements per 5,000 transcripts, never one per transcript."""
    rnd, base = random.Random(seed), datetime(2026, 1, 1)
    s = db.session
    s.execute(insert(Team), [{"id": t + 1, "name": f"Team {t}", "created_at": base} for t in range(TEAMS)])
    s.execute(insert(Agent), [{"id": a + 1, "name": f"Agent {a}", "team_id": a % TEAMS + 1, "created_at": base}
                              for a in range(AGENTS)])
    s.execute(insert(User), [{"id": u + 1, "email": f"rev{u}@example.com", "role": "reviewer", "name": "",
                              "active": True, "created_at": base} for u in range(REVIEWERS)])
    for start in range(0, n, CHUNK):
        ids = range(start + 1, min(start + CHUNK, n) + 1)
        s.execute(insert(Transcript), [_transcript(i, rnd, base) for i in ids])
        s.execute(insert(Message), [_message(i, k, rnd, base) for i in ids for k in range(messages)])
        s.execute(insert(TranscriptAnalysis), [_analysis(i, rnd, base) for i in ids if i % 3])
    s.commit()


def _transcript(i: int, rnd: random.Random, base: datetime) -> dict:
    started = base + timedelta(minutes=3 * i)
    agent = i % AGENTS + 1
    return {"id": i, "source": "bench", "external_id": f"B-{i}", "channel": "chat" if i % 4 else "email",
            "status": "completed" if i % 50 else "open", "agent_id": agent, "team_id": (agent - 1) % TEAMS + 1,
            "started_at": started, "ended_at": started + timedelta(minutes=rnd.randint(2, 40)),
            "csat": rnd.choice((None, 1, 2, 3, 4, 5)), "tags": [], "metadata": {}, "message_count": 6,
            "content_hash": "x" * 64, "imported_at": base, "updated_at": base}


def _message(i: int, k: int, rnd: random.Random, base: datetime) -> dict:
    return {"transcript_id": i, "position": k, "role": "customer" if k % 2 == 0 else "agent",
            "text": " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 8))), "sent_at": base}


def _analysis(i: int, rnd: random.Random, base: datetime) -> dict:
    flags = rnd.choice((0, 0, 0, 1, 2, 4))
    return {"transcript_id": i, "analyzer_version": "b", "policy_version": "b", "analyzed_at": base,
            "flag_count": flags, "max_severity": min(flags, 3), "mean_politeness": rnd.random(),
            "min_politeness": rnd.random(), "first_sentiment": rnd.uniform(-1, 1),
            "last_sentiment": rnd.uniform(-1, 1), "message_scores": []}


def plan() -> SamplingPlan:
    p = SamplingPlan(name="bench mix", strategy="mix", population={}, quota_per_agent=5,
                     strategy_config={"share": 0.05, "random_share": 0.7, "target": "severity"})
    p.reviewers = [PlanReviewer(user_id=u + 1, capacity=100000) for u in range(REVIEWERS)]
    db.session.add(p)
    db.session.commit()
    return p


def measure(url: str, n: int, messages: int) -> dict:
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        fill(n, messages)
        filled = time.perf_counter() - t0
        p = plan()
        sampling_plans.run_plan(db.session, p, seed=0, dry_run=True)  # warm-up: statement compilation, caches
        db.session.rollback()
        t0 = time.perf_counter()
        dry = sampling_plans.run_plan(db.session, p, seed=1, dry_run=True)
        dry_s = time.perf_counter() - t0
        db.session.rollback()
        t0 = time.perf_counter()
        real = sampling_plans.run_plan(db.session, p, seed=1)
        db.session.commit()
        run_s = time.perf_counter() - t0
        out = {"n": n, "fill": filled, "dry": dry_s, "run": run_s, "eligible": dry.sample.eligible_count,
               "picked": len(real.sample.picked), "assigned": real.run.assigned_count}
        db.session.remove()  # end the session's transaction, or DROP TABLE waits for it forever on PostgreSQL
        db.drop_all()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--messages", type=int, default=6)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file per size)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            url = args.db or f"sqlite:///{tmp}/bench-{n}.sqlite"
            if url.startswith("postgresql://"):
                url = url.replace("postgresql://", "postgresql+psycopg://", 1)
            rows.append(measure(url, n, args.messages))
            r = rows[-1]
            print(f"{r['n']:>7} transcripts ({r['n'] * args.messages} messages): fill {r['fill']:.1f}s · "
                  f"dry run {r['dry']:.2f}s · run+assign {r['run']:.2f}s · eligible {r['eligible']} · "
                  f"picked {r['picked']} · assigned {r['assigned']}", flush=True)
    first = rows[0]
    print("\ngrowth vs the smallest size (size ratio -> time ratio; linear = equal):")
    for r in rows[1:]:
        print(f"  x{r['n'] / first['n']:.1f} transcripts -> dry run x{r['dry'] / first['dry']:.1f}, "
              f"run x{r['run'] / first['run']:.1f}; run {1e6 * r['run'] / r['n']:.1f} ms per 1,000 transcripts "
              f"(smallest: {1e6 * first['run'] / first['n']:.1f})")


if __name__ == "__main__":
    main()

"""Dashboard speed: `python benchmarks/bench_dashboard.py [--sizes 10000,100000] [--per-week 1000] [--postgres URL]`.

For each size, fills a fresh database (a temporary SQLite file; with --postgres also that PostgreSQL database,
which must be an empty scratch database: its tables are dropped) with N published reviews on 200 agents in 10
teams, by bulk inserts: transcripts (4 timestamped messages each, an analysis, a flag on every third, both carrying
the chat's start as analysis writes them), reviews scored by the real scoring engine (services.scoring) against the
shipped quick-check rubric (with the agent and team that publishing copies onto them), their criterion_scores
rollup rows, flag verdicts (with the flag's rule and the review's published_at, as the services write them) and
published coaching notes (60% acknowledged).

Reviews arrive at a steady rate (--per-week, default 1,000), so 10x the reviews is 10x the history, as in a real
install that grows over time. Each dashboard query then runs with its default filters (the last 12 weeks), once
per group, plus one agent's and one team's view and the API call; the "full history" line aggregates every
review (from the first day), which necessarily grows with the data. Prints the median of 3 runs per query at each
size and the ratio (target: under 2x at 10x the data).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.models import (Agent, CoachingNote, CriterionScore, Flag, Message, Review,  # noqa: E402
                           ReviewFlagVerdict, Team, Transcript, TranscriptAnalysis, User)
from qa_app.services import rubrics, scoring, tokens  # noqa: E402
from qa_app.services.dashboards import flags, followthrough, operations, quality, reviewers  # noqa: E402
from qa_app.services.dashboards.params import parse_filters  # noqa: E402
from qa_app.services.dashboards.scope import Scope  # noqa: E402

AGENTS, TEAMS, REVIEWERS, CHUNK = 200, 10, 10, 5000
NOW = datetime.combine(date.today(), datetime.min.time()) + timedelta(hours=12)


def _answers(document: dict, rnd: random.Random) -> dict:
    out = {}
    for section in document["sections"]:
        for c in section["criteria"]:
            points = [v for v, _ in scoring.scale_points(c["scale"])]
            if c.get("na_allowed") and rnd.random() < 0.1:
                out[c["key"]] = None
            elif c.get("critical"):
                out[c["key"]] = points[0] if rnd.random() < 0.03 else points[-1]
            else:
                out[c["key"]] = rnd.choice(points[-2:] if rnd.random() < 0.8 else points)
    return out


def fill(n: int, per_week: int, seed: int = 7) -> None:
    """Bulk inserts in chunks of 5,000 reviews: a few statements per chunk, never one per row."""
    rnd = random.Random(seed)
    s = db.session
    rubrics.sync_rubrics(s)
    version = rubrics.get_by_key(s, "quick-check").latest
    document, card = version.document, scoring.scorecard_from_document(version.document)
    base = NOW - timedelta(weeks=n / per_week)
    step = (NOW - base) / n
    s.execute(insert(Team), [{"id": t + 1, "name": f"Team {t}", "created_at": base} for t in range(TEAMS)])
    s.execute(insert(Agent), [{"id": a + 1, "name": f"Agent {a}", "team_id": a % TEAMS + 1, "created_at": base}
                              for a in range(AGENTS)])
    s.execute(insert(User), [{"id": u + 1, "email": f"rev{u}@example.com", "role": "reviewer" if u else "admin",
                              "name": f"Reviewer {u}", "active": True, "created_at": base}
                             for u in range(REVIEWERS)])
    s.commit()
    for start in range(0, n, CHUNK):
        rows: dict[str, list[dict]] = {k: [] for k in ("t", "m", "a", "f", "r", "c", "v", "n")}
        for i in range(start + 1, min(start + CHUNK, n) + 1):
            _one(i, base + step * (i - 1), rnd, document, card, version, rows)
        for model, key in ((Transcript, "t"), (Message, "m"), (TranscriptAnalysis, "a"), (Flag, "f"),
                           (Review, "r"), (CriterionScore, "c"), (ReviewFlagVerdict, "v"), (CoachingNote, "n")):
            s.execute(insert(model), rows[key])
        s.commit()


def _one(i, started, rnd, document, card, version, rows) -> None:
    agent = i % AGENTS + 1
    team = (agent - 1) % TEAMS + 1
    gaps = [rnd.randint(5, 400) for _ in range(2)]
    rows["t"].append({"id": i, "source": "bench", "external_id": f"B-{i}", "channel": "chat" if i % 4 else "email",
                      "status": "completed", "agent_id": agent, "team_id": team, "started_at": started,
                      "ended_at": started + timedelta(seconds=sum(gaps) + 300), "csat": rnd.choice((None, 3, 4, 5)),
                      "tags": [], "metadata": {}, "message_count": 4, "content_hash": "x" * 64,
                      "imported_at": started, "updated_at": started})
    at = started
    for k, role in enumerate(("customer", "agent", "customer", "agent")):
        at += timedelta(seconds=gaps[k // 2] if role == "agent" else 60)
        rows["m"].append({"transcript_id": i, "position": k, "role": role, "text": "hello", "sent_at": at})
    rows["a"].append({"id": i, "transcript_id": i, "started_at": started, "analyzer_version": "b", "policy_version": "b", "analyzed_at": at,
                      "flag_count": int(i % 3 == 0), "max_severity": 3 if i % 3 == 0 else 0, "message_scores": []})
    answers = _answers(document, rnd)
    result = scoring.score(card, answers)
    published = started + timedelta(hours=rnd.randint(1, 48))
    rows["r"].append({"id": i, "transcript_id": i, "reviewer_id": i % REVIEWERS + 1, "rubric_version_id": version.id,
                      "answers": {k: "na" if v is None else v for k, v in answers.items()}, "reasons": {},
                      "comments": {}, "suggestions": {}, "overall": result.overall, "passed": result.passed,
                      "section_scores": result.section_summary(), "status": "published", "calibration": False,
                      "created_at": published - timedelta(minutes=20), "updated_at": published,
                      "submitted_at": published - timedelta(minutes=rnd.randint(1, 15)), "published_at": published,
                      "revision": 1, "agent_id": agent, "team_id": team})
    for key, value in result.criteria.items():
        rows["c"].append({"review_id": i, "criterion_key": key, "score": value,
                          "critical_failed": key in result.critical_failures, "agent_id": agent, "team_id": team,
                          "rubric_id": version.rubric_id, "published_at": published})
    if i % 3 == 0:
        rule = rnd.choice(("tone.rude", "etiquette.spelling"))
        rows["f"].append({"id": i, "analysis_id": i, "transcript_id": i, "started_at": started, "rule": rule,
                          "category": rule.split(".")[0], "severity": "high", "message_index": 1, "start": 0, "end": 5,
                          "evidence": "hello", "explanation": "", "suggestion": None})
        rows["v"].append({"review_id": i, "flag_id": i, "reviewer_id": i % REVIEWERS + 1,
                          "verdict": "confirmed" if rnd.random() < 0.8 else "dismissed", "created_at": published,
                          "updated_at": published, "rule": rule, "category": rule.split(".")[0],
                          "published_at": published})
    rows["n"].append({"review_id": i, "agent_id": agent, "body": "note", "status": "published",
                      "created_at": published, "updated_at": published, "published_at": published,
                      "acknowledged_at": published + timedelta(hours=5) if rnd.random() < 0.6 else None,
                      "revision": 1})


def queries(client, headers) -> dict:
    f = parse_filters({})
    everything = parse_filters({"from": (NOW - timedelta(days=1095)).date().isoformat()})
    one_agent = parse_filters({"agent": "7"})
    one_team = parse_filters({"team": "3"})
    s, admin = db.session, Scope(teams=None)
    lead = Scope(teams=frozenset({3}))

    def api():
        response = client.get("/api/v1/scores?group_by=agent&period=week", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)

    return {
        "quality org/week": lambda: quality.scores(s, admin, f, "org"),
        "quality by team": lambda: quality.scores(s, admin, f, "team"),
        "quality by agent": lambda: quality.scores(s, admin, f, "agent"),
        "quality by criterion": lambda: quality.scores(s, admin, f, "criterion"),
        "quality, one agent": lambda: quality.scores(s, admin, one_agent, "org"),
        "quality, one team (lead)": lambda: quality.scores(s, lead, one_team, "agent"),
        "flag trends by team": lambda: flags.trends(s, admin, f, "team", "category"),
        "confirmation rate": lambda: flags.confirmation(s, admin, f),
        "operations by team": lambda: operations.operations(s, admin, f, "team"),
        "reviewer view": lambda: reviewers.reviewer_stats(s, admin, f),
        "coaching acknowledged": lambda: followthrough.acknowledgement(s, admin, f, "agent"),
        "coaching before/after": lambda: followthrough.before_after(s, admin, f),
        "API /api/v1/scores by agent": api,
        "(full history) quality org": lambda: quality.scores(s, admin, everything, "org"),
    }


def timed(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        db.session.rollback()
    return statistics.median(times)


def run(url: str, sizes: list[int], per_week: int, keep: bool = False) -> dict[int, dict[str, float]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    out: dict[int, dict[str, float]] = {}
    with app.app_context():
        for n in sizes:
            db.session.remove()
            db.drop_all()
            db.create_all()
            start = time.perf_counter()
            fill(n, per_week)
            db.session.commit()
            # Statistics and (PostgreSQL) the visibility map, as autovacuum leaves a settled database.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"))
            print(f"  {n:,} reviews seeded in {time.perf_counter() - start:.1f} s", flush=True)
            _, secret = tokens.create_token(db.session, db.session.get(User, 1), "bench")
            db.session.commit()
            client = app.test_client()
            out[n] = {name: timed(fn) for name, fn in queries(client, {"Authorization": f"Bearer {secret}"}).items()}
        db.session.remove()
        if not keep:
            db.drop_all()
    return out


def report(label: str, results: dict[int, dict[str, float]]) -> None:
    sizes = sorted(results)
    small, big = sizes[0], sizes[-1]
    print(f"\n{label}: median of 3 runs, default window = last 12 weeks")
    print(f"| query | {small:,} reviews | {big:,} reviews | ratio |")
    print("|---|---|---|---|")
    for name in results[small]:
        a, b = results[small][name], results[big][name]
        print(f"| {name} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {b / a:.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--per-week", type=int, default=1000)
    parser.add_argument("--postgres", help="postgresql://... of an EMPTY scratch database (tables are dropped)")
    parser.add_argument("--skip-sqlite", action="store_true", help="only the PostgreSQL run")
    parser.add_argument("--keep", action="store_true", help="leave the PostgreSQL tables of the last size in place")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            print("SQLite", flush=True)
            report("SQLite", run(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", sizes, args.per_week))
    if args.postgres:
        url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        print("\nPostgreSQL", flush=True)
        report("PostgreSQL", run(url, sizes, args.per_week, keep=args.keep))


if __name__ == "__main__":
    main()

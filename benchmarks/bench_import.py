"""Import throughput and memory: `python benchmarks/bench_import.py [--n 20000] [--messages 12] [--batch-size N]`.

Generates N synthetic transcripts to a temporary JSON Lines file, imports them into a fresh SQLite database through
qa_app.services.importing.import_file (the service `flask qa import` uses) committing each batch, and compares with a
raw sqlite3 executemany of the same rows (pre-built tuples, ISO strings, no parsing or validation) into equivalent
tables. Each import runs in a fresh child process; memory is that process's peak RSS (ru_maxrss) growth from just
before import_file to just after it, measured at N/4 and at N: flat means memory does not grow with the file.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
import resource
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.services.importing import DEFAULT_BATCH_SIZE, import_file  # noqa: E402

WORDS = ("order refund delivery account password thanks please sorry check update shipping card charge "
         "help today again issue number email wait minute sure great").split()


def generate(path: Path, n: int, messages: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    base = datetime(2026, 1, 1)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            start = base + timedelta(minutes=7 * i)
            agent = i % 200
            msgs = [{"role": "customer" if k % 2 == 0 else "agent",
                     "text": " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 20))),
                     "sent_at": (start + timedelta(seconds=40 * k)).isoformat() + "Z"} for k in range(messages)]
            rec = {"external_id": f"B-{i}", "source": "bench", "channel": "chat",
                   "agent": {"email": f"agent{agent}@example.com", "name": f"Agent {agent}", "team": f"Team {agent % 12}"},
                   "customer": {"id": f"C-{i}"}, "started_at": msgs[0]["sent_at"], "ended_at": msgs[-1]["sent_at"],
                   "csat": 1 + i % 5, "tags": ["bench"], "metadata": {}, "messages": msgs}
            f.write(json.dumps(rec) + "\n")


def child_import(path: str, batch_size: int, db_file: str) -> None:
    """Runs in a fresh process: import, then print JSON with timing and peak-RSS growth."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}"})
    with app.app_context():
        db.create_all()
        import qa_app.services.importing.validation as v
        v.schema_validator()  # load the schema before measuring
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        report = import_file(db.session, path, commit=db.session.commit, batch_size=batch_size)
        elapsed = time.perf_counter() - t0
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert report.ok, report.summary()
    print(json.dumps({"elapsed": elapsed, "created": report.created, "messages": report.messages,
                      "rss_kb": rss_after - rss_before}))


def run_import(path: Path, batch_size: int, tmp: Path, label: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(path), "--batch-size", str(batch_size),
                          "--db", str(tmp / f"{label}.sqlite")], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_insert(path: Path, tmp: Path) -> tuple[float, int, int]:
    """The same rows as tuples, built before the clock starts, inserted with sqlite3 executemany."""
    transcripts, messages = [], []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            r = json.loads(line)
            transcripts.append((i, r["source"], r["external_id"], r["channel"], "completed", i % 200 + 1, None,
                                r["customer"]["id"], None, r["started_at"][:-1], r["ended_at"][:-1], r["csat"],
                                json.dumps(r["tags"]), "{}", len(r["messages"]), "0" * 64,
                                "2026-01-01 00:00:00", "2026-01-01 00:00:00"))
            messages.extend((i, k, m["role"], m["text"], m["sent_at"][:-1]) for k, m in enumerate(r["messages"]))
    con = sqlite3.connect(tmp / "raw.sqlite")
    con.executescript("""
        CREATE TABLE transcripts (id INTEGER PRIMARY KEY, source VARCHAR(64) NOT NULL, external_id VARCHAR(200) NOT NULL,
          channel VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL, agent_id INTEGER NOT NULL, team_id INTEGER,
          customer_ref VARCHAR(200), customer_name VARCHAR(200), started_at DATETIME, ended_at DATETIME, csat INTEGER,
          tags JSON NOT NULL, metadata JSON NOT NULL, message_count INTEGER NOT NULL, content_hash VARCHAR(64) NOT NULL,
          imported_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, UNIQUE (source, external_id));
        CREATE INDEX ix_started ON transcripts (started_at);
        CREATE INDEX ix_team ON transcripts (team_id, started_at);
        CREATE INDEX ix_agent ON transcripts (agent_id, started_at);
        CREATE TABLE messages (id INTEGER PRIMARY KEY, transcript_id INTEGER NOT NULL, position INTEGER NOT NULL,
          role VARCHAR(16) NOT NULL, text TEXT NOT NULL, sent_at DATETIME, UNIQUE (transcript_id, position));
    """)
    t0 = time.perf_counter()
    con.executemany("INSERT INTO transcripts VALUES (" + ",".join("?" * 18) + ")", transcripts)
    con.executemany("INSERT INTO messages (transcript_id, position, role, text, sent_at) VALUES (?,?,?,?,?)",
                    messages)
    con.commit()
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed, len(transcripts), len(messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--messages", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="default: the service's default")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_import(args.child, args.batch_size, args.db)
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as d:
        tmp = Path(d)
        results = {}
        for n in (args.n // 4, args.n):
            path = tmp / f"bench-{n}.jsonl"
            generate(path, n, args.messages)
            results[n] = (path, run_import(path, args.batch_size, tmp, f"qa-{n}"))
        path, r = results[args.n]
        elapsed, created, messages = r["elapsed"], r["created"], r["messages"]
        raw_elapsed, raw_t, raw_m = raw_insert(path, tmp)
        size_mb = os.path.getsize(path) / 1e6
        print(f"input: {created} transcripts, {messages} messages, {size_mb:.1f} MB JSONL, batch size {args.batch_size}")
        print(f"import_file:  {elapsed:.2f} s  {created / elapsed:,.0f} transcripts/s  {messages / elapsed:,.0f} messages/s"
              "  (read + parse + validate + hash + write + commit per batch)")
        print(f"raw sqlite3:  {raw_elapsed:.2f} s  {raw_t / raw_elapsed:,.0f} transcripts/s  "
              f"{raw_m / raw_elapsed:,.0f} messages/s  (executemany of pre-built tuples, no parsing)")
        print(f"ratio: import_file runs at {raw_elapsed / elapsed:.0%} of raw insert speed (target >= 30%)")
        for n in sorted(results):
            print(f"peak RSS growth during import_file (ru_maxrss delta, fresh process) at N={n}: "
                  f"{results[n][1]['rss_kb'] / 1024:.1f} MB")


if __name__ == "__main__":
    main()

"""Load test of the review workflow: the real app under gunicorn (4 workers), many reviewers at once.

    python benchmarks/load_reviews.py [--reviewers 50] [--per-reviewer 2] [--workers 4]
                                      [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--no-sqlite]

For each database (a fresh SQLite file, and with --postgres a fresh PostgreSQL database created on that server and
dropped afterwards) it migrates the schema (`flask db upgrade`), seeds N reviewers each with their own assignments
(imported and analyzed transcripts, the shipped quick-check rubric), starts `gunicorn -c gunicorn.conf.py wsgi:app`
and drives all reviewers at once, each in its own thread and HTTP session, through the browser's requests, with
CSRF on (tokens parsed from the forms, as a browser sends them):

    login   GET /login (login_form), POST /login (login: the password check is scrypt, deliberately slow)
    open    GET /reviews/assignment/<id>            (creates the draft)
    score   POST /reviews/score                     (the page's live total, JSON + X-CSRFToken)
    submit  POST /reviews/assignment/<id>  submit   (then the same submit again: a double click)

It prints throughput, p50/p95/max latency per step and every error, then checks the database: every assignment must
have exactly one submitted review and one coaching note (no lost, no duplicated review), and every double-clicked
second submit must have changed nothing. Exit status 1 when any of that fails. Not a test; figures for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
PASSWORD = "load-test-pw-1"
STEPS = ("login_form", "login", "open", "score", "submit", "double_submit")
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANSWER_INPUT = re.compile(r'<input[^>]*name="(answer-[^"]+)"[^>]*value="([^"]*)"')
DATA_CSRF = re.compile(r'data-csrf="([^"]+)"')
VERSION_ID = re.compile(r'data-version-id="(\d+)"')


# --- databases ------------------------------------------------------------------------------------------------

def fresh_postgres(server_url: str) -> tuple[str, callable]:
    """CREATE DATABASE qa_load_<random> on the server of server_url; returns (url, drop)."""
    import psycopg

    name = f"qa_load_{secrets.token_hex(4)}"
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def app_env(url: str, port: int, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env.update({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "FLASK_APP": "wsgi.py",
                "QA_BIND": f"127.0.0.1:{port}", "QA_WORKERS": str(workers), "QA_LOG_LEVEL": "WARNING",
                # the throttle counts failed sign-ins only; 50 good ones from 127.0.0.1 never trip it
                "QA_LOGIN_IP_MAX_FAILURES": env.get("QA_LOGIN_IP_MAX_FAILURES", "50")})
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run([str(VENV_BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def seed(url: str, reviewers: int, per_reviewer: int, analyze: bool) -> dict:
    """Reviewers load1..N@example.com, each with per_reviewer open assignments; returns ids for the run."""
    from qa_app import create_app
    from qa_app.extensions import db
    from qa_app.models import Assignment, SamplingPlan, Transcript
    from qa_app.services import analysis, importing, rubrics, users

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "SECRET_KEY": "seed-only", "SECRET_KEY_FROM_ENV": True})
    plan_of: dict[str, list[int]] = {}
    with app.app_context():
        s = db.session
        records = [_transcript(i) for i in range(reviewers * per_reviewer)]
        report = importing.import_records(s, records, source="load", commit=s.commit,
                                          on_batch=analysis.after_import_batch(s) if analyze else None)
        assert not report.rejected, report.rejected[:3]
        rubrics.sync_rubrics(s)
        version = rubrics.get_by_key(s, "quick-check").latest
        plan = SamplingPlan(name="Load test", strategy="random", strategy_config={}, population={})
        s.add(plan)
        s.flush()
        transcripts = list(s.scalars(db.select(Transcript.id).order_by(Transcript.id)))
        for r in range(reviewers):
            email = f"load{r + 1}@example.com"
            user = users.create_user(s, email, "reviewer", password=PASSWORD)
            mine = transcripts[r * per_reviewer:(r + 1) * per_reviewer]
            rows = [Assignment(transcript_id=t, reviewer_id=user.id, plan_id=plan.id, rubric_version_id=version.id)
                    for t in mine]
            s.add_all(rows)
            s.flush()
            plan_of[email] = [a.id for a in rows]
        s.commit()
        s.remove()
        db.engine.dispose()
    return plan_of


def _transcript(i: int) -> dict:
    rude = i % 3 == 0
    return {"external_id": f"LOAD-{i:05d}", "channel": "chat", "csat": 1 + i % 5,
            "agent": {"email": f"agent{i % 10}@example.com", "name": f"Agent {i % 10}", "team": "Billing"},
            "messages": [
                {"role": "customer", "text": f"Hi, my order {40000 + i} has not arrived and I'm upset!!",
                 "sent_at": "2026-03-02T10:00:00Z"},
                {"role": "agent", "text": "Calm down, that's not my problem." if rude else
                 "Hi, I'm sorry about that. Let me check the order for you.", "sent_at": "2026-03-02T10:01:00Z"},
                {"role": "customer", "text": "Thanks, please do.", "sent_at": "2026-03-02T10:02:00Z"},
                {"role": "agent", "text": "It ships today; you'll get the tracking link by e-mail. Anything else?",
                 "sent_at": "2026-03-02T10:03:00Z"}]}


def check_database(url: str, plan_of: dict[str, list[int]]) -> dict:
    """Lost: an assignment without exactly one submitted review and one coaching note. Duplicated: more than one."""
    from sqlalchemy import create_engine, func, select

    from qa_app.models import Assignment, CoachingNote, Review

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    ids = [a for aids in plan_of.values() for a in aids]
    with engine.connect() as conn:
        reviews = dict(conn.execute(select(Review.assignment_id, func.count()).where(Review.assignment_id.in_(ids))
                                    .where(Review.status == "submitted").group_by(Review.assignment_id)).all())
        notes = dict(conn.execute(select(Review.assignment_id, func.count()).join(CoachingNote)
                                  .where(Review.assignment_id.in_(ids)).group_by(Review.assignment_id)).all())
        done = conn.scalar(select(func.count()).select_from(Assignment).where(Assignment.id.in_(ids),
                                                                               Assignment.status == "done"))
    engine.dispose()
    return {"assignments": len(ids), "submitted": sum(1 for a in ids if reviews.get(a) == 1),
            "lost": sum(1 for a in ids if reviews.get(a, 0) == 0 or notes.get(a, 0) == 0),
            "duplicated": sum(1 for a in ids if reviews.get(a, 0) > 1 or notes.get(a, 0) > 1),
            "assignments_done": done}


# --- the server -------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], log: Path) -> subprocess.Popen:
    out = log.open("wb")
    proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://{env['QA_BIND']}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {log}")
        try:
            if requests.get(f"{base}/login", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"gunicorn did not answer within 90 s; see {log}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- one reviewer -----------------------------------------------------------------------------------------------

@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, step: str, call, expect: tuple[int, ...], who: str) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = call()
        except requests.RequestException as exc:
            with self.lock:
                self.errors.append(f"{who} {step}: {type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.timings[step].append(elapsed)
            if response.status_code not in expect:
                self.errors.append(f"{who} {step}: HTTP {response.status_code} (expected {expect})")
                return None
        return response


def reviewer(base: str, email: str, assignment_ids: list[int], results: Results, start: threading.Barrier) -> None:
    http = requests.Session()
    start.wait()
    page = results.timed("login_form", lambda: http.get(f"{base}/login", timeout=60), (200,), email)
    token = CSRF_INPUT.search(page.text).group(1) if page is not None else ""
    if results.timed("login", lambda: http.post(f"{base}/login", data={"email": email, "password": PASSWORD,
                                                                       "csrf_token": token},
                                                allow_redirects=False, timeout=60), (302,), email) is None:
        return
    for aid in assignment_ids:
        url = f"{base}/reviews/assignment/{aid}"
        page = results.timed("open", lambda: http.get(url, timeout=60), (200,), email)
        if page is None:
            continue
        answers: dict[str, str] = {}
        for name, value in ANSWER_INPUT.findall(page.text):
            answers[name] = value  # the last point of each scale: the top score (N/A comes last only when allowed)
        answers = {k: ("1" if v == "na" else v) for k, v in answers.items()}
        form_token = CSRF_INPUT.search(page.text).group(1)
        live = {"version_id": int(VERSION_ID.search(page.text).group(1)),
                "answers": {k.removeprefix("answer-"): v for k, v in answers.items()}}
        results.timed("score", lambda: http.post(f"{base}/reviews/score", json=live, timeout=60,
                                                 headers={"X-CSRFToken": DATA_CSRF.search(page.text).group(1)}),
                      (200,), email)
        form = {**answers, "csrf_token": form_token, "submit": "Submit review"}
        results.timed("submit", lambda: http.post(url, data=form, allow_redirects=False, timeout=60), (302,), email)
        again = results.timed("double_submit", lambda: http.post(url, data=form, timeout=60), (200,), email)
        if again is not None and "already submitted" not in again.text:
            with results.lock:
                results.errors.append(f"{email} double_submit: the second submit was not refused as a no-op")


# --- report -----------------------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def run_one(label: str, url: str, args, workdir: Path) -> dict:
    port = free_port()
    env = app_env(url, port, args.workers)
    print(f"== {label}: migrating and seeding {args.reviewers} reviewers x {args.per_reviewer} assignments ...",
          flush=True)
    migrate(env)
    plan_of = seed(url, args.reviewers, args.per_reviewer, not args.no_analyze)
    log = workdir / f"gunicorn-{label}.log"
    proc = start_gunicorn(env, log)
    results = Results()
    base = f"http://127.0.0.1:{port}"
    try:
        start = threading.Barrier(args.reviewers)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.reviewers) as pool:
            for f in [pool.submit(reviewer, base, email, aids, results, start) for email, aids in plan_of.items()]:
                f.result()
        wall = time.perf_counter() - began
    finally:
        stop(proc)
    db = check_database(url, plan_of)
    requests_made = sum(len(v) for v in results.timings.values())
    summary = {"database": label, "reviewers": args.reviewers, "per_reviewer": args.per_reviewer,
               "gunicorn_workers": args.workers, "wall_seconds": round(wall, 2), "requests": requests_made,
               "requests_per_second": round(requests_made / wall, 1),
               "reviews_per_second": round(db["submitted"] / wall, 2),
               "steps": {s: {"n": len(results.timings[s]),
                             "p50_ms": round(1000 * statistics.median(results.timings[s]), 1),
                             "p95_ms": round(1000 * percentile(results.timings[s], 95), 1),
                             "max_ms": round(1000 * max(results.timings[s]), 1)}
                         for s in STEPS if results.timings.get(s)},
               "errors": len(results.errors), "error_samples": results.errors[:10], **db}
    print_summary(summary)
    return summary


def print_summary(s: dict) -> None:
    print(f"-- {s['database']}: {s['reviewers']} concurrent reviewers, {s['assignments']} assignments, "
          f"gunicorn {s['gunicorn_workers']} workers")
    print(f"   {s['requests']} requests in {s['wall_seconds']} s = {s['requests_per_second']} req/s, "
          f"{s['reviews_per_second']} reviews submitted/s")
    print(f"   {'step':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for step, v in s["steps"].items():
        print(f"   {step:<14}{v['n']:>6}{v['p50_ms']:>10}{v['p95_ms']:>10}{v['max_ms']:>10}")
    print(f"   errors: {s['errors']}   submitted: {s['submitted']}/{s['assignments']}   lost: {s['lost']}   "
          f"duplicated: {s['duplicated']}   assignments done: {s['assignments_done']}")
    for e in s["error_samples"]:
        print(f"   ! {e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--per-reviewer", type=int, default=2, help="assignments per reviewer")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server URL; a fresh database is made on it")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-analyze", action="store_true", help="seed without running the analysis")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    summaries = []
    with tempfile.TemporaryDirectory(prefix="qa-load-") as tmp:
        workdir = Path(tmp)
        if not args.no_sqlite:
            summaries.append(run_one("sqlite", f"sqlite:///{workdir / 'load.sqlite'}", args, workdir))
        if args.postgres:
            url, drop = fresh_postgres(args.postgres)
            try:
                summaries.append(run_one("postgresql", url, args, workdir))
            finally:
                drop()
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summaries, indent=2))
    bad = [s["database"] for s in summaries if s["errors"] or s["lost"] or s["duplicated"]]
    if bad:
        print(f"FAILED on {', '.join(bad)}: errors, lost or duplicated reviews (see above)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""End-to-end fixtures: the real app (wsgi.py under `flask run`, CSRF on) in a subprocess on a free port, over a
seeded SQLite file, driven by Debian's Chromium through Playwright. Never downloads a browser: without
/usr/bin/chromium these tests are not collected and the run says so in its summary.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("QA_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
REPO_ROOT = Path(__file__).resolve().parents[2]
SHOTS = REPO_ROOT / "test-output" / "e2e"
SKIP_NOTE = f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)"

if not CHROMIUM.exists():
    collect_ignore_glob = ["test_*.py"]


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists():
        terminalreporter.write_sep("-", SKIP_NOTE, yellow=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the app did not answer {url} within {seconds}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def e2e_world(tmp_path_factory):
    """A seeded SQLite file: users, a flagged transcript with an assignment, a hostile transcript."""
    from tests.e2e import seed

    db_path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite"
    return seed.build(f"sqlite:///{db_path}")


@pytest.fixture(scope="session")
def live_server(e2e_world, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("e2e-log") / "server.log"
    env = {**os.environ, "DATABASE_URL": e2e_world.url, "SECRET_KEY": "e2e-secret-not-for-production",
           "FLASK_APP": "wsgi.py", "PYTHONUNBUFFERED": "1"}
    env.pop("TEST_DATABASE_URL", None)
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-reload", "--no-debugger", "--with-threads"],
                                cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/login", proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: a running sync Playwright owns an asyncio loop in this thread, and other browser
    # tests (tests/functional/test_reviews_keyboard.py) start their own Playwright after these modules finish.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """Everything a page did that a script payload could cause: dialogs, console messages, page errors."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.watch = Watch(pg)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def shot():
    """shot(page, "01-reviewer-login") saves a full-page screenshot to test-output/e2e/."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(pg, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def sign_in(pg, email: str, password: str) -> None:
    """Through the real login form (its CSRF token comes with the page)."""
    pg.context.clear_cookies()  # a new browser session, as a different person at the same machine
    pg.goto("/login")
    pg.get_by_label("E-mail").fill(email)
    pg.get_by_label("Password").fill(password)
    with pg.expect_navigation():
        pg.get_by_role("button", name="Sign in").click()
    assert "/login" not in pg.url, f"login as {email} failed: {pg.locator('.alert').all_inner_texts()}"

"""Keyboard shortcuts on the review page (static/review.js), in a real headless Chromium under the app's
Content-Security-Policy: j/k move between flags, c/d confirm/dismiss the focused one, 1-9 choose a point of the
focused criterion (and the live total follows), s saves the draft, ? opens the help, Esc closes it, and nothing
fires while typing in a text field. Skipped when Playwright or a Chromium is not installed."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from qa_app.models import Review, ReviewFlagVerdict
from tests.factories import PASSWORD
from tests.functional.test_reviews import world  # noqa: F401  (world is a fixture)

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path(os.environ.get("QA_E2E_CHROMIUM", "/usr/bin/chromium"))  # as tests/e2e: never download a browser
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found (apt-get install chromium)")]


@pytest.fixture()
def live_server(app, db):
    from werkzeug.serving import make_server

    server = make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture()
def page(live_server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        tab.base_url = live_server
        errors: list[str] = []
        # script errors, CSP refusals and failed loads of our own files (the browser's favicon.ico probe aside)
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error"
               and not m.text.startswith("Failed to load resource") else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
               and not r.url.endswith("/favicon.ico") else None)
        tab.js_errors = errors
        yield tab
        browser.close()


def sign_in(page, user):
    page.goto(page.base_url + "/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_flag_navigation_and_verdicts_by_keyboard(page, world, session):
    sign_in(page, world["reviewer"])
    page.goto(f"{page.base_url}/reviews/assignment/{world['a1'].id}")
    tone, closing = world["flags"]
    page.keyboard.press("j")
    assert active_id(page) == f"flag-{tone.id}"
    page.keyboard.press("j")
    assert active_id(page) == f"flag-{closing.id}"
    page.keyboard.press("k")
    assert active_id(page) == f"flag-{tone.id}"
    with page.expect_navigation():
        page.keyboard.press("c")
    page.keyboard.press("k")  # from nothing focused, k starts at the last flag
    assert active_id(page) == f"flag-{closing.id}"
    with page.expect_navigation():
        page.keyboard.press("d")
    session.expire_all()
    assert {v.flag_id: v.verdict for v in session.scalars(select(ReviewFlagVerdict))} == {
        tone.id: "confirmed", closing.id: "dismissed"}
    assert page.js_errors == []


def test_points_save_help_and_typing(page, world, session):
    sign_in(page, world["reviewer"])
    page.goto(f"{page.base_url}/reviews/assignment/{world['a1'].id}")
    # focus a criterion (tab/click onto one of its answers), then 3 = the third point of the 1-3 scale
    page.focus("#answer-correct_answer-0")
    page.keyboard.press("3")
    assert page.is_checked("#answer-correct_answer-2")
    page.wait_for_function("document.querySelector('.preview-total .verdict').textContent.includes('threshold')")
    # N/A is the last choice of a criterion that allows it
    page.focus("#answer-timely-0")
    page.keyboard.press("3")
    assert page.evaluate("document.querySelector('input[name=\"answer-timely\"]:checked').value") == "na"
    # typing in a text field never fires a shortcut
    page.focus("textarea[name='comment-respectful_tone']")
    page.keyboard.type("just keep 3 jokes?")
    assert page.input_value("textarea[name='comment-respectful_tone']") == "just keep 3 jokes?"
    assert page.is_hidden("#shortcut-help") and active_id(page) == "comment-respectful_tone"
    # ? opens the help overlay, Esc closes it
    page.focus("#answer-correct_answer-2")
    page.keyboard.press("?")
    assert page.is_visible("#shortcut-help") and "confirm / dismiss the focused flag" in page.inner_text(
        "#shortcut-help")
    page.keyboard.press("Escape")
    assert page.is_hidden("#shortcut-help")
    # s saves the draft with everything chosen so far
    with page.expect_navigation():
        page.keyboard.press("s")
    assert "Draft saved." in page.content()
    session.expire_all()
    rv = session.scalar(select(Review))
    assert rv.answers["correct_answer"] == 3 and rv.answers["timely"] == "na"
    assert rv.comments["respectful_tone"] == "just keep 3 jokes?"
    assert page.js_errors == []


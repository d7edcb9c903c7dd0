"""Hostile transcript text (script tags, onerror/onload handlers, quote-breaking text) is shown as text and never
runs, on the transcript page and on the review page where flags are highlighted inside it."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.seed import SCRIPT_PAYLOADS

pytestmark = pytest.mark.e2e


def assert_nothing_ran(page) -> None:
    page.wait_for_timeout(300)  # let onerror/onload handlers fire if they were ever going to
    assert page.watch.dialogs == [], page.watch.dialogs
    assert page.evaluate("() => window.__pwned === undefined"), page.evaluate("() => String(window.__pwned)")
    assert page.watch.errors == [], page.watch.errors
    assert not [m for m in page.watch.console if "xss" in m], page.watch.console
    # the payloads never became elements: no injected <svg>, no <img src=x>, no extra <script>
    assert page.locator("svg[onload], img[src='x'], [onmouseover], [onerror]").count() == 0
    assert page.evaluate("() => [...document.scripts].every(s => s.src && !s.textContent.trim())")


@pytest.mark.parametrize("where", ["transcript", "review"])
def test_script_payloads_are_shown_as_text_and_never_run(page, e2e_world, shot, where):
    sign_in(page, e2e_world.emails["reviewer"], e2e_world.password)
    if where == "transcript":
        page.goto(f"/transcripts/{e2e_world.transcript_ids['E2E-XSS']}")
    else:
        page.goto(f"/reviews/assignment/{e2e_world.assignment_ids['E2E-XSS']}")
    page.wait_for_load_state("load")
    chat = page.locator(".bubble")
    text = " ".join(chat.all_inner_texts())
    for payload in SCRIPT_PAYLOADS:
        assert payload in text, f"{payload!r} is not shown verbatim"
    # the dismissive phrase in the hostile reply is still highlighted, right next to the payloads
    assert page.locator("mark.flag[data-rules~='tone.dismissive']", has_text="Calm down").count() == 1
    shot(page, f"90-script-payloads-{where}")
    assert_nothing_ran(page)
    # hovering and focusing the highlights (title tooltips) runs nothing either
    page.locator("mark.flag").first.hover()
    page.locator(".bubble").first.hover()
    assert_nothing_ran(page)

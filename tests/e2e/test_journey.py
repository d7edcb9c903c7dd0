"""The whole journey in Chromium: a reviewer scores and publishes; the agent reads, acknowledges and disputes; the
lead resolves the dispute and sees the dashboard move. Steps share one seeded database, so they run in order in
one test; every step leaves a screenshot in test-output/e2e/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def choose(page, criterion_label: str, answer: str) -> None:
    group = page.get_by_role("radiogroup", name=criterion_label)
    group.locator("label", has_text=re.compile(rf"^\s*{re.escape(answer)}\s*$")).click()
    expect(group.get_by_role("radio", name=answer, exact=True)).to_be_checked()


def reviewer_scores_and_publishes(page, world, shot) -> None:
    sign_in(page, world.emails["reviewer"], world.password)
    page.goto("/reviews/queue")
    expect(page.locator("table.queue")).to_contain_text("E2E-RUDE")
    shot(page, "01-reviewer-queue")

    page.get_by_role("link", name=re.compile(r"^Next \(oldest open")).first.click()
    expect(page).to_have_url(re.compile(rf"/reviews/assignment/{world.assignment_ids['E2E-RUDE']}$"))
    # the automatic flags are highlighted at their words and listed beside the chat
    expect(page.locator("mark.flag[data-rules~='tone.dismissive']", has_text="Calm down")).to_be_visible()
    expect(page.locator("mark.flag-tone[data-rules~='tone.rude']")).to_have_text("That's not my problem")
    expect(page.get_by_role("complementary", name="Automatic flags")).to_contain_text("tone.dismissive")
    # the analysis pre-filled a low score for the tone criterion
    expect(page.get_by_role("radiogroup", name="Respectful, professional tone")
           .get_by_role("radio", name="No", exact=True)).to_be_checked()
    shot(page, "02-reviewer-review-page-flags")

    choose(page, "Greets and closes the chat properly", "No")
    choose(page, "Respectful, professional tone", "No")
    choose(page, "Correct answer, issue resolved", "3")
    choose(page, "Timely replies", "Yes")
    choose(page, "Protects customer data", "Yes")
    page.locator(".criterion[data-criterion='respectful_tone'] textarea").fill("'Calm down' dismisses the customer.")
    expect(page.locator(".preview-total .overall")).not_to_have_text("—")
    shot(page, "03-reviewer-scored")
    page.get_by_role("button", name="Submit review").click()

    expect(page.get_by_role("alert").first).to_contain_text("Review submitted")
    expect(page.locator(".note-status")).to_have_text("draft")
    body = page.get_by_label("Coaching note")
    body.fill(body.input_value() + "\nPlease acknowledge the customer's frustration before explaining.")
    shot(page, "04-reviewer-coaching-draft")
    page.get_by_role("button", name="Publish to the agent").click()
    expect(page.get_by_role("alert").first).to_contain_text("Published")
    expect(page.locator(".note-status")).to_have_text("published")
    shot(page, "05-reviewer-published")


def agent_reads_acknowledges_and_disputes(page, world, shot) -> None:
    sign_in(page, world.emails["agent"], world.password)
    page.get_by_role("link", name="My reviews").click()
    expect(page.locator(".unacknowledged")).to_contain_text("1 coaching note waiting")
    shot(page, "06-agent-my-reviews")
    page.locator("table.my-reviews").get_by_role("link", name="E2E-RUDE").click()
    expect(page.locator(".coaching-note .note-body")).to_contain_text("acknowledge the customer's frustration")
    shot(page, "07-agent-reads-review")

    page.get_by_role("button", name="I have read this").click()
    expect(page.get_by_role("alert").first).to_contain_text("marked as read")
    expect(page.locator(".coaching-note .acknowledged")).to_contain_text("Acknowledged")

    page.get_by_label("What do you dispute?").select_option(label="Respectful, professional tone")
    page.get_by_label("Why").fill("I said sorry later in the chat; the tone was not disrespectful overall.")
    page.get_by_role("button", name="Send dispute").click()
    expect(page.get_by_role("alert").first).to_contain_text("Dispute sent")
    row = page.locator("tr[data-criterion='respectful_tone']")
    expect(row.locator(".dispute-status")).to_have_text("open")
    shot(page, "08-agent-disputed")


def dashboard_score(page) -> float:
    page.goto("/dashboards/")
    summary = page.get_by_text(re.compile(r"^Quality score")).locator("strong").first
    return float(summary.inner_text())


def lead_resolves_and_sees_the_dashboard_move(page, world, shot) -> None:
    sign_in(page, world.emails["lead"], world.password)
    before = dashboard_score(page)
    shot(page, "09-lead-dashboard-before")
    page.get_by_role("link", name="Disputes").click()
    page.locator("table.dispute-queue").get_by_role("link", name="E2E-RUDE").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Respectful, professional tone")
    page.get_by_label("Change the score").check()
    page.get_by_label(re.compile(r"^Respectful, professional tone")).select_option(label="Yes")
    page.get_by_label("Reason (shown to the agent)").fill("Agreed: the apology came soon after; tone passes.")
    shot(page, "10-lead-resolving")
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("alert").first).to_contain_text("Dispute resolved")
    expect(page.locator(".dispute-status").first).to_have_text("score changed")
    after = dashboard_score(page)
    shot(page, "11-lead-dashboard-after")
    assert after > before, f"the quality score did not move: {before} -> {after}"


def agent_sees_the_outcome(page, world, shot) -> None:
    sign_in(page, world.emails["agent"], world.password)
    page.get_by_role("link", name="My reviews").click()
    page.locator("table.my-reviews").get_by_role("link", name="E2E-RUDE").click()
    row = page.locator("tr[data-criterion='respectful_tone']")
    expect(row.locator(".dispute-status")).to_have_text("score changed")
    expect(row.locator(".answer")).to_contain_text("Yes")
    shot(page, "12-agent-sees-outcome")


def test_the_whole_journey(page, e2e_world, shot):
    reviewer_scores_and_publishes(page, e2e_world, shot)
    agent_reads_acknowledges_and_disputes(page, e2e_world, shot)
    lead_resolves_and_sees_the_dashboard_move(page, e2e_world, shot)
    agent_sees_the_outcome(page, e2e_world, shot)
    assert page.watch.errors == [], page.watch.errors
    assert page.watch.dialogs == [], page.watch.dialogs

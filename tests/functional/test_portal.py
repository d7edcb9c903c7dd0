"""Agent portal (/me): only the agent's own published reviews and notes, the review in detail (criteria, evidence,
remarks, note, history), trend and focus, acknowledging a note, and scoping (403/404 for everyone else)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from qa_app.models import AuditEvent, CoachingNote, Flag, MessageComment, TranscriptAnalysis, utcnow
from qa_app.services import rubrics
from tests.factories import published_review

HOSTILE = 'Calm down. <script>alert(1)</script> "><img src=x onerror=alert(2)>'
ANSWERS = {"greeting_and_closing": "1", "respectful_tone": "0", "correct_answer": "2", "timely": "na",
           "data_protected": "1"}


def build_world(make, session) -> dict:
    """Billing: agent Ana (login) with a published, an unpublished and a calibration review; agent Bo (login)
    with a published review. Leads of Billing and of Shipping, a reviewer and an admin."""
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer = make.user("reviewer", teams=["Billing"])
    lead = make.user("lead", teams=["Billing"])
    other_lead = make.user("lead", teams=["Shipping"])
    admin = make.user("admin")
    agent_user, other_agent_user = make.user("agent"), make.user("agent")
    agent = make.agent(name="Ana Ruiz", team="Billing", user=agent_user)
    other_agent = make.agent(name="Bo Berg", team="Billing", user=other_agent_user)
    t1 = make.transcript(agent, external_id="T-1", texts=[("customer", "Where is my refund?"), ("agent", HOSTILE)])
    analysis = TranscriptAnalysis(transcript_id=t1.id, analyzer_version="1", policy_version="p", flag_count=1,
                                  max_severity=3)
    analysis.flags = [Flag(transcript_id=t1.id, rule="tone.dismissive", category="tone", severity="high",
                           message_index=1, start=0, end=10, evidence="Calm down.",
                           explanation="Dismissive <b>phrase</b>", suggestion="I understand how frustrating this is.")]
    session.add(analysis)
    session.commit()
    rv1 = published_review(session, reviewer, t1, version, ANSWERS, comments={"respectful_tone": "Too curt <b>!</b>"},
                           reasons={"respectful_tone": ["Dismissive"]})
    t2 = make.transcript(agent, external_id="T-2-DRAFTONLY")
    unpublished = published_review(session, reviewer, t2, version, ANSWERS, publish=False)
    t3 = make.transcript(other_agent, external_id="T-3-BO")
    rv3 = published_review(session, reviewer, t3, version, ANSWERS)
    t4 = make.transcript(agent, external_id="T-4-CALIB")
    calib = published_review(session, reviewer, t4, version, ANSWERS, calibration=True)
    return dict(version=version, reviewer=reviewer, lead=lead, other_lead=other_lead, admin=admin,
                agent_user=agent_user, other_agent_user=other_agent_user, agent=agent, other_agent=other_agent,
                t1=t1, rv1=rv1, unpublished=unpublished, rv3=rv3, calib=calib)


@pytest.fixture()
def world(make, session):
    return build_world(make, session)


def test_index_lists_only_own_published_reviews_with_trend_and_focus(client, as_user, world):
    as_user(world["agent_user"])
    page = client.get("/me/").get_data(as_text=True)
    assert f'data-review="{world["rv1"].id}"' in page and "T-1" in page
    for hidden in ("T-2-DRAFTONLY", "T-3-BO", "T-4-CALIB"):
        assert hidden not in page
    assert '<svg class="trend-chart"' in page and 'class="trend-dot"' in page and "trend-table" in page
    assert "1 coaching note waiting" in page
    # focus: the flag rule with its quoted evidence linking to the review, and the lowest criterion
    assert 'data-rule="tone.dismissive"' in page and "“Calm down.”" in page
    assert f'/me/reviews/{world["rv1"].id}#flag-' in page
    assert 'data-criterion="respectful_tone"' in page and "average 0%" in page


def test_review_page_shows_criteria_evidence_note_and_history_escaped(client, as_user, world, session):
    rv = world["rv1"]
    message = world["t1"].messages[1]
    session.add(MessageComment(review_id=rv.id, message_id=message.id, author_id=world["reviewer"].id,
                               body="Never <i>say</i> this"))
    session.commit()
    as_user(world["agent_user"])
    response = client.get(f"/me/reviews/{rv.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert ">Calm down.</mark>" in page and 'id="flag-' in page  # highlighted at the exact characters
    assert "Respectful, professional tone" in page and "Too curt &lt;b&gt;!&lt;/b&gt;" in page
    assert "Dismissive</span>" in page  # the reason chosen
    assert "“Calm down.”" in page  # evidence quoted beside the criterion
    assert "N/A" in page and "Reviewer remark:</strong> Never &lt;i&gt;say&lt;/i&gt; this" in page
    assert "Dismissive &lt;b&gt;phrase&lt;/b&gt;" in page
    assert rv.note.body.splitlines()[0] in page and "I have read this" in page
    assert "review-history" in page and "<td>1</td>" in page  # revision 1 = as published
    assert '<form method="post" action="/me/reviews/%d/disputes"' % rv.id in page


def test_acknowledge_once_and_audited(client, as_user, world, session):
    rv, url = world["rv1"], f"/me/reviews/{world['rv1'].id}/acknowledge"
    as_user(world["other_agent_user"])
    assert client.post(url).status_code == 404
    as_user(world["agent_user"])
    assert client.post(url).status_code == 302
    note = session.get(CoachingNote, rv.note.id)
    session.refresh(note)
    first = note.acknowledged_at
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    again = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "already acknowledged" in again and "Acknowledged " in again
    session.refresh(note)
    assert note.acknowledged_at == first
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "note.acknowledged")))
    assert len(events) == 1 and events[0].target_id == str(note.id) and events[0].actor_id == world["agent_user"].id
    assert "coaching note waiting" not in client.get("/me/").get_data(as_text=True)


def test_agent_never_sees_other_unpublished_or_calibration_reviews(client, as_user, world, session):
    as_user(world["agent_user"])
    for key in ("rv3", "unpublished", "calib"):
        rid = world[key].id
        assert client.get(f"/me/reviews/{rid}").status_code == 404, key
        assert client.post(f"/me/reviews/{rid}/acknowledge").status_code == 404, key
        assert client.post(f"/me/reviews/{rid}/disputes", data={"reason": "x"}).status_code == 404, key
    assert client.get("/me/reviews/999999").status_code == 404
    # the unpublished review's draft note is never shown, nor counted
    assert world["unpublished"].note.status == "draft"
    assert "T-2-DRAFTONLY" not in client.get("/me/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["reviewer", "lead", "other_lead", "admin"])
def test_non_agents_get_403_on_every_portal_page(client, as_user, world, who):
    as_user(world[who])
    rid = world["rv1"].id
    assert client.get("/me/").status_code == 403
    assert client.get(f"/me/reviews/{rid}").status_code == 403
    assert client.post(f"/me/reviews/{rid}/acknowledge").status_code == 403
    assert client.post(f"/me/reviews/{rid}/disputes", data={"reason": "x"}).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/me/")
    assert response.status_code in (302, 401) and "/login" in response.headers.get("Location", "/login")


def test_old_coaching_url_redirects_to_portal(client, as_user, world):
    as_user(world["agent_user"])
    response = client.get("/coaching")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")


def test_trend_table_has_weekly_means(client, as_user, world, session, make):
    now = utcnow()
    t = make.transcript(world["agent"], external_id="T-OLD")
    published_review(session, world["reviewer"], t, world["version"],
                     {**ANSWERS, "respectful_tone": "1", "correct_answer": "3"}, published_at=now - timedelta(weeks=3))
    as_user(world["agent_user"])
    page = client.get("/me/").get_data(as_text=True)
    table = page.split('class="table table-sm small trend-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 13  # header + 12 weeks
    assert f"<td>{world['rv1'].overall:.1f}</td><td>1</td>" in table
    assert "<td>100.0</td><td>1</td>" in table  # three weeks ago, a perfect score
    assert client.get("/me/?weeks=26").get_data(as_text=True).count("<tr><td>20") >= 26


def test_portal_pages_cost_the_same_queries_however_many_reviews(client, as_user, world, session, make, db):
    from sqlalchemy import event

    def statements_for(path):
        client.get(path)  # warm up
        seen = []
        count = lambda conn, cursor, statement, *args: seen.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    as_user(world["agent_user"])
    few = statements_for("/me/")
    for n in range(8):
        t = make.transcript(world["agent"], external_id=f"T-MORE-{n}")
        published_review(session, world["reviewer"], t, world["version"], ANSWERS)
    many = statements_for("/me/")
    assert many == few, (few, many)  # no query per review: the list, trend and focus load in bulk


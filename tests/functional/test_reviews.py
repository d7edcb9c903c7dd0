"""Reviewer workspace: queue, draft with suggestions, submit (score from scoring.py), flag verdicts, blind mode,
coaching draft and publish, the agent's view, and row checks (403s)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.models import (Assignment, CoachingNote, Flag, Review, ReviewFlagVerdict, SamplingPlan,
                           TranscriptAnalysis)
from qa_app.services import coaching, reviews, rubrics, scoring, tokens

HOSTILE = 'Calm down. <script>alert(1)</script> "><img src=x onerror=alert(2)>'


@pytest.fixture()
def world(make, session):
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer = make.user("reviewer", teams=["Billing"])
    other_reviewer = make.user("reviewer", teams=["Billing"])
    lead = make.user("lead", teams=["Billing"])
    other_lead = make.user("lead", teams=["Shipping"])
    agent_user = make.user("agent")
    other_agent_user = make.user("agent")
    agent = make.agent(name="Ana Ruiz", team="Billing", user=agent_user)
    other_agent = make.agent(name="Bo Berg", team="Billing", user=other_agent_user)
    t = make.transcript(agent, external_id="T-1", texts=[("customer", "Where is my refund?"), ("agent", HOSTILE)])
    t2 = make.transcript(other_agent, external_id="T-2")
    analysis = TranscriptAnalysis(transcript_id=t.id, analyzer_version="1", policy_version="p", flag_count=2,
                                  max_severity=3)
    analysis.flags = [
        Flag(transcript_id=t.id, rule="tone.dismissive", category="tone", severity="high", message_index=1,
             start=0, end=10, evidence="Calm down.", explanation="Dismissive <b>phrase</b>",
             suggestion="I understand how frustrating this is."),
        Flag(transcript_id=t.id, rule="etiquette.missing_closing", category="etiquette", severity="low",
             message_index=None, start=None, end=None, evidence=None, explanation="No closing."),
    ]
    session.add(analysis)
    plan = SamplingPlan(name="Billing", strategy="random", strategy_config={}, population={})
    blind_plan = SamplingPlan(name="Blind", strategy="random", strategy_config={}, population={}, blind=True)
    session.add_all([plan, blind_plan])
    session.flush()
    a1 = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id, rubric_version_id=version.id)
    a2 = Assignment(transcript_id=t2.id, reviewer_id=reviewer.id, plan_id=blind_plan.id, rubric_version_id=version.id)
    session.add_all([a1, a2])
    session.commit()
    return dict(version=version, reviewer=reviewer, other_reviewer=other_reviewer, lead=lead, other_lead=other_lead,
                agent_user=agent_user, other_agent_user=other_agent_user, agent=agent, t=t, a1=a1, a2=a2,
                flags=analysis.flags)


FULL = {"answer-greeting_and_closing": "1", "answer-respectful_tone": "0", "answer-correct_answer": "2",
        "answer-timely": "na", "answer-data_protected": "1"}


def test_queue_lists_my_open_assignments_with_counts_and_next(client, as_user, world, session):
    as_user(world["reviewer"])
    page = client.get("/reviews/queue").get_data(as_text=True)
    assert "T-1" in page and "T-2" in page and "Ana Ruiz" in page
    assert "Bo Berg" not in page  # T-2 comes from a blind plan
    assert 'data-status="open">2<' in page and "high" in page
    nxt = client.get("/reviews/next")
    assert nxt.status_code == 302 and nxt.headers["Location"].endswith(f"/reviews/assignment/{world['a1'].id}")
    as_user(world["other_reviewer"])
    assert "T-1" not in client.get("/reviews/queue").get_data(as_text=True)


def test_agents_cannot_reach_the_workspace(client, as_user, world):
    as_user(world["agent_user"])
    assert client.get("/reviews/queue").status_code == 403
    assert client.get(f"/reviews/assignment/{world['a1'].id}").status_code == 403


def test_review_page_prefills_suggestions_and_escapes_text(client, as_user, world, session):
    as_user(world["reviewer"])
    response = client.get(f"/reviews/assignment/{world['a1'].id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'flag-tone" tabindex="0" data-rules="tone.dismissive"' in page
    assert ">Calm down.</mark>" in page  # the highlight covers exactly start..end
    assert "Dismissive &lt;b&gt;phrase&lt;/b&gt;" in page
    assert "suggested from tone.dismissive" in page and "Ana Ruiz" in page
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    assert rv.status == "draft"
    assert rv.answers["respectful_tone"] == 0 and rv.suggestions["respectful_tone"]["evidence"] == ["Calm down."]
    assert rv.answers["greeting_and_closing"] == 0  # etiquette.missing_closing fired
    assert "correct_answer" not in rv.answers


def test_blind_mode_hides_the_agent_name(client, as_user, world):
    as_user(world["reviewer"])
    page = client.get(f"/reviews/assignment/{world['a2'].id}").get_data(as_text=True)
    assert "Bo Berg" not in page and "hidden (blind review)" in page


def test_save_draft_then_submit_scores_with_the_scoring_function(client, as_user, world, session):
    as_user(world["reviewer"])
    url = f"/reviews/assignment/{world['a1'].id}"
    client.get(url)
    r = client.post(url, data={"answer-respectful_tone": "1", "comment-respectful_tone": "ok", "save": "1"})
    assert r.status_code == 302
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    session.refresh(rv)
    assert rv.status == "draft" and rv.answers == {"respectful_tone": 1} and rv.comments == {"respectful_tone": "ok"}
    # incomplete submit is refused
    assert client.post(url, data={"answer-respectful_tone": "1", "submit": "1"}).status_code == 400
    r = client.post(url, data={**FULL, "reasons-respectful_tone": ["Dismissive"], "submit": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/reviews/{rv.id}/coaching")
    session.expire_all()
    rv = session.get(Review, rv.id)
    expected = scoring.score_document(world["version"].document, {
        "greeting_and_closing": 1, "respectful_tone": 0, "correct_answer": 2, "timely": None, "data_protected": 1})
    assert rv.status == "submitted" and rv.overall == pytest.approx(expected.overall)
    assert rv.passed == expected.passed and rv.reasons == {"respectful_tone": ["Dismissive"]}
    assert session.get(Assignment, world["a1"].id).status == "done"
    assert rv.note is not None and rv.note.status == "draft"
    # a submitted review cannot be changed through the form: a second submit is a no-op with a message
    again = client.post(url, data={**FULL, "answer-respectful_tone": "1", "submit": "1"}, follow_redirects=True)
    assert again.status_code == 200 and "already submitted; nothing was changed" in again.get_data(as_text=True)
    session.expire_all()
    assert session.get(Review, rv.id).answers["respectful_tone"] == 0
    assert client.post(url, data={**FULL, "save": "1"}).status_code == 409


def test_flag_confirm_and_dismiss_are_stored(client, as_user, world, session):
    as_user(world["reviewer"])
    url = f"/reviews/assignment/{world['a1'].id}"
    client.get(url)
    tone, closing = world["flags"]
    assert client.post(f"{url}/flags/{tone.id}", data={"verdict": "confirmed"}).status_code == 302
    assert client.post(f"{url}/flags/{closing.id}", data={"verdict": "dismissed"}).status_code == 302
    assert client.post(f"{url}/flags/{closing.id}", data={"verdict": "bogus"}).status_code == 400
    rows = {v.flag_id: v.verdict for v in session.scalars(select(ReviewFlagVerdict))}
    assert rows == {tone.id: "confirmed", closing.id: "dismissed"}
    # the confirmation-rate dashboard reads the flag's rule and, once published, the review's date off the verdict
    copies = {v.flag_id: (v.rule, v.category, v.published_at) for v in session.scalars(select(ReviewFlagVerdict))}
    assert copies == {tone.id: ("tone.dismissive", "tone", None), closing.id: ("etiquette.missing_closing",
                                                                               "etiquette", None)}
    as_user(world["other_reviewer"])
    assert client.post(f"{url}/flags/{tone.id}", data={"verdict": "dismissed"}).status_code == 403
    as_user(world["reviewer"])
    client.post(url, data={**FULL, "submit": "1"})
    rv = session.scalar(select(Review))
    assert client.post(f"/reviews/{rv.id}/coaching", data={"body": "Well done.", "publish": "1"}).status_code == 302
    session.expire_all()
    published = session.get(Review, rv.id).published_at
    assert published and {v.published_at for v in session.scalars(select(ReviewFlagVerdict))} == {published}


def test_other_users_get_403(client, as_user, world, session):
    url = f"/reviews/assignment/{world['a1'].id}"
    as_user(world["reviewer"])
    client.get(url)  # creates the draft
    as_user(world["other_reviewer"])
    assert client.get(url).status_code == 403
    assert client.post(url, data={**FULL, "submit": "1"}).status_code == 403
    as_user(world["lead"])
    assert client.get(url).status_code == 403  # a draft stays private to its reviewer
    rv = session.scalar(select(Review))
    assert client.get(f"/reviews/{rv.id}/coaching").status_code == 403


def test_coaching_draft_edit_publish_and_the_agent_view(client, as_user, world, session):
    url = f"/reviews/assignment/{world['a1'].id}"
    as_user(world["reviewer"])
    client.get(url)
    client.post(url, data={**FULL, "submit": "1"})
    rv = session.scalar(select(Review))
    body = rv.note.body
    # lowest first, quoted evidence, the tone rule's better phrasing and the rubric's tip
    work_on = body.split("What to work on")[1]
    assert work_on.index("Respectful") < work_on.index("Correct answer")
    assert 'You wrote: "Calm down."' in body and "Try instead: I understand how frustrating this is." in body
    assert "Tip: Describe the situation" in body
    assert "Greets and closes" in body.split("What to work on")[0]
    # the agent sees nothing before publishing
    as_user(world["agent_user"])
    assert "T-1" not in client.get("/coaching", follow_redirects=True).get_data(as_text=True)
    # the other reviewer and the other team's lead cannot touch it
    for user in (world["other_reviewer"], world["other_lead"]):
        as_user(user)
        assert client.get(f"/reviews/{rv.id}/coaching").status_code == 403
    as_user(world["reviewer"])
    r = client.post(f"/reviews/{rv.id}/coaching", data={"body": "Nice work <b>overall</b>.", "save": "1"})
    assert r.status_code == 302
    assert client.post(f"/reviews/{rv.id}/coaching", data={"body": "Nice work <b>overall</b>.", "publish": "1"}
                       ).status_code == 302
    session.expire_all()
    note = session.scalar(select(CoachingNote))
    assert note.status == "published" and note.published_at and session.get(Review, rv.id).status == "published"
    as_user(world["agent_user"])
    assert "T-1" in client.get("/coaching", follow_redirects=True).get_data(as_text=True)  # now the /me portal
    page = client.get(f"/me/reviews/{rv.id}").get_data(as_text=True)
    assert "Nice work &lt;b&gt;overall&lt;/b&gt;." in page
    as_user(world["other_agent_user"])
    assert "T-1" not in client.get("/coaching", follow_redirects=True).get_data(as_text=True)
    as_user(world["reviewer"])
    assert client.get("/coaching").status_code == 403
    assert client.post(f"/reviews/{rv.id}/coaching", data={"body": "x", "save": "1"}).status_code == 409
    # the team's lead can read the published review
    as_user(world["lead"])
    assert client.get(url).status_code == 200


def test_live_score_matches_the_scoring_function(client, as_user, world):
    as_user(world["reviewer"])
    answers = {"respectful_tone": "1", "timely": "na", "correct_answer": "3"}
    data = client.post("/reviews/score", json={"version_id": world["version"].id, "answers": answers}).get_json()
    expected = scoring.score_document(world["version"].document,
                                      {"respectful_tone": 1, "timely": None, "correct_answer": 3})
    assert data["overall"] == pytest.approx(expected.overall) and data["complete"] is False


def test_services_flush_only_and_refuse_others(session, world):
    with pytest.raises(reviews.ServiceError):
        reviews.open_draft(session, world["other_reviewer"], world["a1"])
    rv = reviews.open_draft(session, world["reviewer"], world["a1"])
    assert reviews.open_draft(session, world["reviewer"], world["a1"]) is rv
    with pytest.raises(reviews.ServiceError):
        coaching.create_draft(session, rv)


def test_form_shows_suggested_answers_checked_and_reasons(client, as_user, world):
    as_user(world["reviewer"])
    page = client.get(f"/reviews/assignment/{world['a1'].id}").get_data(as_text=True)
    assert '<input autocomplete="off" checked class="btn-check" id="answer-respectful_tone-0"' in page
    assert '<input autocomplete="off" class="btn-check" id="answer-correct_answer-0"' in page  # nothing suggested: nothing checked
    assert 'name="reasons-respectful_tone" value="Dismissive"' in page
    assert 'value="na"' in page  # N/A where the rubric allows it


def test_queue_costs_the_same_few_queries_however_long_it_is(client, as_user, world, make, session, db):
    from sqlalchemy import event

    for n in range(12):  # more assignments on other agents, teams and plans than the fixture's two
        t = make.transcript(make.agent(team=f"Team {n}"))
        session.add(Assignment(transcript_id=t.id, reviewer_id=world["reviewer"].id, plan_id=world["a1"].plan_id,
                               rubric_version_id=world["a1"].rubric_version_id))
    session.commit()
    as_user(world["reviewer"])
    client.get("/reviews/queue")  # warm up
    statements = []
    count = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/reviews/queue").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 6, statements


def test_blind_chats_hide_the_agent_on_transcript_pages_filters_and_the_api(client, as_user, world, make, session):
    """T-2 is in the reviewer's blind plan: no page, filter or API answer of theirs may tell it is Bo Berg's."""
    bo = world["a2"].transcript.agent
    make.transcript(bo, external_id="T-3")  # Bo's chat outside any blind plan
    session.commit()
    t2 = world["a2"].transcript_id
    as_user(world["reviewer"])
    page = client.get(f"/transcripts/{t2}").get_data(as_text=True)
    assert "T-2" in page and "hidden (blind review)" in page and "Bo Berg" not in page
    listing = client.get("/transcripts").get_data(as_text=True)
    row = listing.split("T-2</a>")[1].split("</tr>")[0]
    assert "hidden (blind review)" in row and "Bo Berg" not in row
    filtered = client.get(f"/transcripts?agent={bo.id}").get_data(as_text=True)
    assert "T-3" in filtered and "T-2" not in filtered
    _, secret = tokens.create_token(session, world["reviewer"], "test")
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/transcripts/T-2", headers=headers).status_code == 404
    assert client.get("/api/v1/transcripts/T-3", headers=headers).get_json()["agent"]["name"] == "Bo Berg"
    # the lead of the team is not kept blind
    as_user(world["lead"])
    assert "Bo Berg" in client.get(f"/transcripts/{t2}").get_data(as_text=True)

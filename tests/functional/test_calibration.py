"""Calibration results: blind until your own calibration review is submitted, then per transcript and criterion
the answers, spread, agreement and alpha; the lead records the agreed answers; other teams' leads are refused;
calibration reviews never count in agent scores and get no coaching note."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.models import Assignment, CalibrationConsensus, CoachingNote, Review, SamplingPlan
from qa_app.services import rubrics

KEY = "cal-test-1"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def answers(tone: str, correct: str) -> dict[str, str]:
    return {"answer-greeting_and_closing": "1", "answer-respectful_tone": tone, "answer-correct_answer": correct,
            "answer-timely": "na", "answer-data_protected": "1", "submit": "1"}


@pytest.fixture()
def cal(make, session):
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    r1 = make.user("reviewer", teams=["Billing"])
    r2 = make.user("reviewer", teams=["Billing"])
    outsider = make.user("reviewer", teams=["Billing"])
    lead = make.user("lead", teams=["Billing"])
    other_lead = make.user("lead", teams=["Shipping"])
    agent = make.agent(name="Ana Ruiz", team="Billing")
    t1 = make.transcript(agent, external_id=HOSTILE)
    t2 = make.transcript(agent, external_id="T-2")
    plan = SamplingPlan(name="Cal", strategy="random", strategy_config={}, population={}, calibration=True)
    session.add(plan)
    session.flush()
    rows = {}
    for t in (t1, t2):
        for r in (r1, r2):
            rows[(t.id, r.id)] = Assignment(transcript_id=t.id, reviewer_id=r.id, plan_id=plan.id,
                                            rubric_version_id=version.id, calibration_key=KEY)
    session.add_all(rows.values())
    session.commit()
    return dict(r1=r1, r2=r2, outsider=outsider, lead=lead, other_lead=other_lead, t1=t1, t2=t2, a=rows, plan=plan)


def submit_all(client, as_user, cal, reviewer, tone: str, correct: str):
    as_user(reviewer)
    for t in (cal["t1"], cal["t2"]):
        a = cal["a"][(t.id, reviewer.id)]
        r = client.post(f"/reviews/assignment/{a.id}", data=answers(tone, correct))
        assert r.status_code == 302, r.get_data(as_text=True)
    return r


def test_blind_until_own_submit_then_visible(client, as_user, cal, session):
    url = f"/reviews/calibration/{KEY}"
    submit_all(client, as_user, cal, cal["r1"], "1", "3")
    # r2 has not submitted: results and r1's reviews are closed to them.
    as_user(cal["r2"])
    assert client.get(url).status_code == 403
    a_r1 = cal["a"][(cal["t1"].id, cal["r1"].id)]
    assert client.get(f"/reviews/assignment/{a_r1.id}").status_code == 403
    # One of two done is still blind.
    a = cal["a"][(cal["t1"].id, cal["r2"].id)]
    assert client.post(f"/reviews/assignment/{a.id}", data=answers("0", "2")).status_code == 302
    assert client.get(url).status_code == 403
    a2 = cal["a"][(cal["t2"].id, cal["r2"].id)]
    r = client.post(f"/reviews/assignment/{a2.id}", data=answers("0", "2"))
    assert r.headers["Location"].endswith(url)  # a calibration submit leads to the results
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert cal["r1"].email in html and cal["r2"].email in html
    assert "Yes ×2" in html and "No ×1, Yes ×1" in html
    assert "(range 1)" in html  # correct_answer: 3 vs 2
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Reviewers see but do not decide; a reviewer outside the session sees nothing.
    assert "consensus-respectful_tone" not in html
    assert client.post(url, data={"transcript_id": cal["t1"].id, "consensus-respectful_tone": "1"}).status_code == 403
    as_user(cal["outsider"])
    assert client.get(url).status_code == 403


def test_alpha_and_agreement_on_the_page(client, as_user, cal):
    submit_all(client, as_user, cal, cal["r1"], "1", "3")
    submit_all(client, as_user, cal, cal["r2"], "1", "3")
    as_user(cal["lead"])
    html = client.get(f"/reviews/calibration/{KEY}").get_data(as_text=True)
    # Perfect agreement everywhere: 100% and alpha 1.000 for every answered criterion; timely is N/A throughout.
    assert '<td class="agreement">100%</td><td class="alpha">1.000</td>' in html
    assert 'data-criterion="timely"><td>Timely replies</td>\n      <td class="agreement">100%</td><td class="alpha">—</td>' in html


def test_lead_records_consensus_and_other_team_lead_is_refused(client, as_user, cal, session):
    url = f"/reviews/calibration/{KEY}"
    submit_all(client, as_user, cal, cal["r1"], "1", "3")
    submit_all(client, as_user, cal, cal["r2"], "0", "2")
    as_user(cal["other_lead"])
    assert client.get(url).status_code == 403
    assert client.post(url, data={"transcript_id": cal["t1"].id, "consensus-respectful_tone": "1"}).status_code == 403
    as_user(cal["lead"])
    assert client.get(url).status_code == 200
    r = client.post(url, data={"transcript_id": cal["t1"].id, "consensus-respectful_tone": "0",
                               "consensus-correct_answer": "2", "consensus-timely": "na", "consensus-greeting_and_closing": ""})
    assert r.status_code == 302
    rows = {c.criterion_key: c for c in session.scalars(select(CalibrationConsensus))}
    assert {k: c.value for k, c in rows.items()} == {"respectful_tone": "0", "correct_answer": "2", "timely": "na"}
    assert all(c.decided_by_id == cal["lead"].id and c.transcript_id == cal["t1"].id for c in rows.values())
    # Changing an agreed answer updates it; off-scale values, N/A where not allowed and foreign transcripts fail.
    client.post(url, data={"transcript_id": cal["t1"].id, "consensus-respectful_tone": "1"})
    session.expire_all()
    assert session.scalar(select(CalibrationConsensus.value).where(
        CalibrationConsensus.criterion_key == "respectful_tone")) == "1"
    for bad in ({"consensus-correct_answer": "7"}, {"consensus-data_protected": "na"}, {"consensus-nope": "1"}):
        client.post(url, data={"transcript_id": cal["t1"].id, **bad})
    other = cal["t2"].id + 1000
    client.post(url, data={"transcript_id": other, "consensus-respectful_tone": "1"})
    session.expire_all()
    assert session.query(CalibrationConsensus).count() == 3
    assert client.post(url, data={"consensus-respectful_tone": "1"}).status_code == 400  # no transcript
    html = client.get(url).get_data(as_text=True)
    assert '<option value="1" selected>Yes</option>' in html


def test_calibration_reviews_never_count_and_get_no_note(client, as_user, cal, session):
    submit_all(client, as_user, cal, cal["r1"], "1", "3")
    reviews_ = list(session.scalars(select(Review)))
    assert reviews_ and all(r.calibration and r.status == "submitted" for r in reviews_)
    assert session.query(CoachingNote).count() == 0


def test_unknown_session_is_404_and_agents_are_refused(client, as_user, cal, make):
    as_user(cal["lead"])
    assert client.get("/reviews/calibration/nope").status_code == 404
    as_user(make.user("agent"))
    assert client.get(f"/reviews/calibration/{KEY}").status_code == 403

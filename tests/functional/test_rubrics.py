"""Rubric editor: who reaches it, list/view/create/edit/clone/archive/export, preview and live score, escaping."""
from __future__ import annotations

import pytest

from qa_app.models import Rubric, RubricVersion
from qa_app.services import rubrics

GOOD = """\
key: billing-check
name: Billing check
pass_threshold: 70
applies_to: {teams: [Billing]}
sections:
  - key: main
    label: Main
    criteria:
      - key: greeting
        label: Greets
        scale: binary
      - key: accuracy
        label: Accuracy
        scale: 1-5
        weight: 3
        na_allowed: true
"""


@pytest.fixture()
def synced(session):
    rubrics.sync_rubrics(session)
    session.commit()
    return rubrics.get_by_key(session, "chat-support-standard")


def save(session, text=GOOD):
    version, _ = rubrics.save_rubric(session, text)
    session.commit()
    return version.rubric


@pytest.mark.parametrize("role", ["reviewer", "agent"])
def test_reviewers_and_agents_cannot_reach_the_editor(client, make, login, session, synced, role):
    login(make.user(role))
    rid, n = synced.id, synced.latest.number
    for url in ("/rubrics/", f"/rubrics/{rid}", f"/rubrics/{rid}/v{n}", "/rubrics/new", f"/rubrics/{rid}/edit",
                f"/rubrics/{rid}/clone", f"/rubrics/{rid}/v{n}/export"):
        assert client.get(url).status_code == 403, url
    for url in ("/rubrics/new", f"/rubrics/{rid}/edit", f"/rubrics/{rid}/clone", f"/rubrics/{rid}/archive",
                f"/rubrics/{rid}/restore", "/rubrics/score"):
        assert client.post(url, data={"content": GOOD, "save": "Save"}).status_code == 403, url
    assert b'href="/rubrics/"' not in client.get("/", follow_redirects=True).data  # no nav link either
    assert session.query(Rubric).count() == 2 and not synced.archived


def test_anonymous_users_are_sent_to_login(client, synced):
    assert client.get("/rubrics/").status_code == 302


def test_admin_lists_and_views_with_a_scoring_preview(client, make, login, synced):
    login(make.user("admin"))
    page = client.get("/rubrics/", follow_redirects=True).data.decode()
    assert "Chat support standard" in page and "Quick check" in page and ">Rubrics<" in page
    page = client.get(f"/rubrics/{synced.id}").data.decode()
    assert 'name="answer-protects_data"' in page and "critical" in page and 'value="na"' in page
    assert "rubrics.js" in page and "Export YAML" in page and "Tip: We never need" in page


def test_create_preview_then_save(client, make, login, session):
    login(make.user("admin"))
    assert b"my-rubric" in client.get("/rubrics/new").data  # the starter template
    response = client.post("/rubrics/new", data={"content": GOOD, "preview": "Preview"})
    assert response.status_code == 200 and b'name="answer-accuracy"' in response.data
    assert session.query(Rubric).count() == 0  # preview saves nothing
    response = client.post("/rubrics/new", data={"content": GOOD, "save": "Save"}, follow_redirects=True)
    assert b"Saved Billing check version 1" in response.data
    assert session.query(RubricVersion).one().created_by_id is not None


def test_invalid_yaml_shows_the_path_and_saves_nothing(client, make, login, session):
    login(make.user("admin"))
    bad = GOOD.replace("scale: 1-5", "scale: 1-7")
    response = client.post("/rubrics/new", data={"content": bad, "save": "Save"})
    assert response.status_code == 200
    assert b"sections[0].criteria[1].scale (line 14, criterion &#34;accuracy&#34;)" in response.data
    assert b"<li>sections[0]" in response.data and b"Not saved" in response.data and session.query(Rubric).count() == 0


def test_editing_makes_a_new_version_and_keeps_the_old(client, make, login, session):
    rubric = save(session)
    login(make.user("admin"))
    assert b"billing-check" in client.get(f"/rubrics/{rubric.id}/edit").data
    changed = GOOD.replace("pass_threshold: 70", "pass_threshold: 85")
    response = client.post(f"/rubrics/{rubric.id}/edit", data={"content": changed, "save": "Save", "note": "stricter"},
                           follow_redirects=True)
    assert b"version 2" in response.data
    response = client.post(f"/rubrics/{rubric.id}/edit", data={"content": changed, "save": "Save"},
                           follow_redirects=True)
    assert b"No change" in response.data
    versions = session.query(RubricVersion).order_by(RubricVersion.number).all()
    assert [v.document["pass_threshold"] for v in versions] == [70, 85] and versions[1].note == "stricter"
    assert client.get(f"/rubrics/{rubric.id}/v1").status_code == 200
    assert client.get(f"/rubrics/{rubric.id}/v9").status_code == 404
    response = client.post(f"/rubrics/{rubric.id}/edit",
                           data={"content": changed.replace("key: billing-check", "key: other"), "save": "Save"})
    assert b"cannot change" in response.data


def test_export_any_version_as_yaml(client, make, login, session):
    rubric = save(session)
    rubrics.save_rubric(session, GOOD.replace("weight: 3", "weight: 4"), rubric=rubric)
    session.commit()
    login(make.user("lead", teams=["Billing"]))
    response = client.get(f"/rubrics/{rubric.id}/v1/export")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert "billing-check-v1.rubric.yaml" in response.headers["Content-Disposition"]
    assert rubrics.parse_rubric(response.data.decode())["sections"][0]["criteria"][1]["weight"] == 3


def test_clone_and_archive(client, make, login, session, synced):
    login(make.user("admin"))
    response = client.post(f"/rubrics/{synced.id}/clone", data={"key": "standard-2", "name": "Standard 2"},
                           follow_redirects=True)
    assert b"Cloned Chat support standard as Standard 2" in response.data
    clone = rubrics.get_by_key(session, "standard-2")
    assert clone.latest.source == "clone" and "# Chat support standard" in clone.latest.content
    response = client.post(f"/rubrics/{synced.id}/clone", data={"key": "standard-2", "name": "x"})
    assert b"already exists" in response.data
    client.post(f"/rubrics/{clone.id}/archive")
    session.expire_all()
    assert clone.archived
    assert b">Standard 2</a>" not in client.get("/rubrics/").data
    assert b">Standard 2</a>" in client.get("/rubrics/?archived=1").data
    client.post(f"/rubrics/{clone.id}/restore")
    session.expire_all()
    assert not clone.archived


def test_leads_edit_org_wide_and_own_team_rubrics_only(client, make, login, session, synced):
    billing = save(session)
    lead = make.user("lead", teams=["Shipping"])
    login(lead)
    assert client.get(f"/rubrics/{synced.id}/edit").status_code == 200  # org-wide: fine
    assert client.get(f"/rubrics/{billing.id}").status_code == 200  # may view
    assert client.get(f"/rubrics/{billing.id}/edit").status_code == 403
    assert client.post(f"/rubrics/{billing.id}/archive").status_code == 403
    response = client.post("/rubrics/new", data={"content": GOOD.replace("key: billing-check", "key: mine"),
                                                 "save": "Save"})
    assert b"teams you do not lead (Billing)" in response.data
    assert rubrics.get_by_key(session, "mine") is None
    own = GOOD.replace("key: billing-check", "key: mine").replace("[Billing]", "[Shipping]")
    assert client.post("/rubrics/new", data={"content": own, "save": "Save"}).status_code == 302


def test_live_score_uses_the_scoring_function(client, make, login, session, synced):
    login(make.user("admin"))
    version = rubrics.get_by_key(session, "quick-check").latest
    answers = {"greeting_and_closing": 1, "respectful_tone": 1, "correct_answer": 2, "timely": "na",
               "data_protected": 1}
    data = client.post("/rubrics/score", json={"version_id": version.id, "answers": answers}).get_json()
    assert data["overall"] == pytest.approx(550 / 7) and data["passed"] and data["complete"]
    data = client.post("/rubrics/score", json={"version_id": version.id,
                                               "answers": {**answers, "data_protected": 0}}).get_json()
    assert data["overall"] == 0 and data["critical_failures"] == ["data_protected"]
    data = client.post("/rubrics/score", json={"content": GOOD, "answers": {"greeting": 1}}).get_json()
    assert data["overall"] == 100 and data["complete"] is False
    response = client.post("/rubrics/score", json={"content": GOOD, "answers": {"greeting": 7}})
    assert response.status_code == 400 and "not on the scale" in response.get_json()["error"]


def test_user_text_is_escaped(client, make, login, session):
    hostile = GOOD.replace("label: Greets", "label: \"<script>alert(1)</script>\"")
    rubric = save(session, hostile)
    login(make.user("admin"))
    page = client.get(f"/rubrics/{rubric.id}").data
    assert b"<script>alert(1)</script>" not in page and b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = client.post("/rubrics/new", data={"content": hostile.replace("scale: 1-5", "scale: </textarea><b>x"),
                                             "preview": "Preview"}).data
    assert b"</textarea><b>x" not in page

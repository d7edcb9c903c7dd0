"""Admin policy pack page: view, edit, upload, history, errors naming the line and field."""
import io

import pytest

from qa_app.models import PolicyPack


@pytest.mark.parametrize("role", ["lead", "reviewer", "agent"])
def test_only_admins_reach_the_policy_page(client, make, login, role):
    login(make.user(role))
    assert client.get("/admin/policy/").status_code == 403


def test_admin_edits_the_pack_and_gets_a_new_version(client, make, login, session):
    login(make.user("admin"))
    page = client.get("/admin/policy/")
    assert page.status_code == 200 and b"version 1 active" in page.data
    content = session.query(PolicyPack).one().content.replace('["30 days"]', '["45 days"]')
    response = client.post("/admin/policy/", data={"content": content, "note": "longer window"},
                           follow_redirects=True)
    assert b"Saved version 2" in response.data
    assert session.query(PolicyPack).filter_by(active=True).one().version == 2


def test_invalid_yaml_names_the_line_and_keeps_the_active_version(client, make, login, session):
    login(make.user("admin"))
    client.get("/admin/policy/")
    response = client.post("/admin/policy/", data={"content": "company: X\nfacts: [\n"})
    assert b"version 1 stays active" in response.data and b"line" in response.data
    response = client.post("/admin/policy/", data={"content": "company: X\nresponse_time_sla_seconds: -5\n"})
    assert b"response_time_sla_seconds" in response.data
    assert session.query(PolicyPack).count() == 1


def test_upload_a_yaml_file_and_reactivate_an_old_version(client, make, login, session):
    login(make.user("admin"))
    client.get("/admin/policy/")
    upload = (io.BytesIO(b"company: Other Co\nbrand_terms: [OtherCo]\n"), "pack.yaml")
    client.post("/admin/policy/", data={"upload": upload}, content_type="multipart/form-data")
    assert session.query(PolicyPack).filter_by(active=True).one().company == "Other Co"
    client.post("/admin/policy/1/activate")
    assert session.query(PolicyPack).filter_by(active=True).one().version == 1
    assert client.get("/admin/policy/2").status_code == 200
    assert client.get("/admin/policy/9").status_code == 404

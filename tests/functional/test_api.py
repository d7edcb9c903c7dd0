"""JSON API: bearer tokens, import statuses and bodies, the scoped GET."""
import json

import pytest
from sqlalchemy import func, select

from qa_app.models import ApiToken, Transcript
from qa_app.services import tokens
from tests.functional.test_admin_upload import record


@pytest.fixture()
def bearer(make, session):
    """bearer(user) -> Authorization headers for a fresh token of `user`."""

    def _bearer(user):
        _, secret = tokens.create_token(session, user, "test")
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return _bearer


def count(session):
    return session.scalar(select(func.count()).select_from(Transcript))


def post(client, body, headers, query=""):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(f"/api/v1/transcripts{query}", data=data,
                       headers={**headers, "Content-Type": "application/json"})


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer qad_not-a-real-token"},
    {"Authorization": "Basic dXNlcjpwdw=="},
    {"Authorization": "qad_missing-scheme"},
])
def test_401_without_a_usable_token(client, headers, session):
    response = post(client, [record("T-1")], headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"] == "unauthorized"
    assert count(session) == 0


def test_session_cookie_is_not_enough(client, make, login, session):
    login(make.user("admin"))
    assert post(client, [record("T-1")], {}).status_code == 401
    assert count(session) == 0


def test_revoked_token_and_deactivated_user_are_refused(client, make, bearer, session):
    admin = make.user("admin")
    headers = bearer(admin)
    assert post(client, [record("T-1")], headers).status_code == 200
    token = session.scalar(select(ApiToken))
    tokens.revoke(session, token)
    session.commit()
    assert post(client, [record("T-2")], headers).status_code == 401
    other = make.user("admin")
    headers = bearer(other)
    other.active = False
    session.commit()
    assert post(client, [record("T-3")], headers).status_code == 401
    assert count(session) == 1


@pytest.mark.parametrize("role", ["lead", "reviewer", "agent"])
def test_403_for_a_non_admin_token(client, make, bearer, session, role):
    response = post(client, [record("T-1")], bearer(make.user(role, teams=["Billing"])))
    assert response.status_code == 403
    assert response.is_json
    assert count(session) == 0


def test_good_import_200_and_updates_last_used(client, make, bearer, session):
    headers = bearer(make.user("admin"))
    response = post(client, [record("T-1"), record("T-2")], headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["created"] == 2 and body["updated"] == 0 and body["unchanged"] == 0
    assert body["messages"] == 4 and body["rejected"] == []
    assert count(session) == 2
    assert session.scalar(select(ApiToken)).last_used_at is not None
    # the same again, wrapped in an object: unchanged
    body = post(client, {"transcripts": [record("T-1"), record("T-2")]}, headers).get_json()
    assert body["unchanged"] == 2 and body["created"] == 0


def test_partial_rejection_is_207_with_details(client, make, bearer, session):
    headers = bearer(make.user("admin"))
    response = post(client, [record("T-1"), record("BAD", role="boss"), {"external_id": "NO-AGENT"}], headers)
    assert response.status_code == 207
    body = response.get_json()
    assert body["created"] == 1
    assert [r["locator"] for r in body["rejected"]] == ["record 2", "record 3"]
    first = body["rejected"][0]
    assert first["external_id"] == "BAD" and first["field"] == "messages[0].role" and first["reason"]
    assert set(first) == {"locator", "external_id", "field", "reason"}
    assert count(session) == 1


def test_strict_refusal_is_422_and_stores_nothing(client, make, bearer, session):
    headers = bearer(make.user("admin"))
    response = post(client, [record("T-1"), record("BAD", role="boss")], headers, "?strict=1")
    assert response.status_code == 422
    body = response.get_json()
    assert body["aborted"] is True and body["created"] == 0 and len(body["rejected"]) == 1
    assert count(session) == 0
    # all rejected without strict: also 422
    assert post(client, [record("BAD", role="boss")], headers).status_code == 422


@pytest.mark.parametrize("body", ["not json", "{\"external_id\": ", '{"a": 1}', '"a string"', "42"])
def test_400_for_a_body_that_is_not_a_json_list(client, make, bearer, session, body):
    response = post(client, body, bearer(make.user("admin")))
    assert response.status_code == 400
    assert response.is_json and response.get_json()["message"]
    assert count(session) == 0


def test_413_for_too_large_a_body(client, make, bearer, app, session):
    headers = bearer(make.user("admin"))
    old = app.config.get("QA_API_MAX_BYTES")
    app.config["QA_API_MAX_BYTES"] = 1000
    try:
        response = post(client, [record(f"T-{i}") for i in range(20)], headers)
    finally:
        if old is None:
            app.config.pop("QA_API_MAX_BYTES")
        else:
            app.config["QA_API_MAX_BYTES"] = old
    assert response.status_code == 413
    assert response.is_json
    assert count(session) == 0


def test_source_query_parameter(client, make, bearer, session):
    headers = bearer(make.user("admin"))
    rec = record("T-1")
    del rec["source"]
    assert post(client, [rec], headers, "?source=intercom").status_code == 200
    assert session.scalar(select(Transcript.source)) == "intercom"


def test_get_returns_interchange_json_scoped(client, make, bearer, session):
    admin_headers = bearer(make.user("admin"))
    post(client, [record("T-1", tags=["refund"]), record("T-2", agent={"email": "bo@example.com", "name": "Bo",
                                                                       "team": "Returns"})], admin_headers)
    body = client.get("/api/v1/transcripts/T-1?source=zendesk", headers=admin_headers).get_json()
    assert body["external_id"] == "T-1" and body["source"] == "zendesk" and body["tags"] == ["refund"]
    assert body["agent"] == {"email": "ana@example.com", "name": "Ana Ruiz", "team": "Billing"}
    assert [m["role"] for m in body["messages"]] == ["customer", "agent"]
    lead = bearer(make.user("lead", teams=["Billing"]))
    assert client.get("/api/v1/transcripts/T-1", headers=lead).status_code == 200
    assert client.get("/api/v1/transcripts/T-2", headers=lead).status_code == 404
    assert client.get("/api/v1/transcripts/T-1?source=other", headers=admin_headers).status_code == 404


def test_get_ambiguous_external_id_is_409(client, make, bearer):
    headers = bearer(make.user("admin"))
    post(client, [record("T-1"), record("T-1", source="intercom")], headers)
    response = client.get("/api/v1/transcripts/T-1", headers=headers)
    assert response.status_code == 409
    assert sorted(response.get_json()["sources"]) == ["intercom", "zendesk"]


def test_get_needs_a_token(client):
    assert client.get("/api/v1/transcripts/T-1").status_code == 401


def test_api_import_is_analyzed(client, make, session):
    from sqlalchemy import select

    from qa_app.models import Flag
    from qa_app.services import tokens

    _, secret = tokens.create_token(session, make.user("admin"), "push")
    session.commit()
    body = [{"external_id": "AN-1", "agent": {"name": "Ana"}, "messages": [
        {"role": "customer", "text": "Where is my parcel?"}, {"role": "agent", "text": "Calm down. It ships soon."}]}]
    response = client.post("/api/v1/transcripts", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert "tone.dismissive" in set(session.scalars(select(Flag.rule)))

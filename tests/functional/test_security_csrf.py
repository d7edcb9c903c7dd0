"""CSRF on every state-changing request, generated from app.url_map: with CSRF switched on, each POST/PUT/PATCH/DELETE
endpoint refuses a request without the token (400, "security token") before its view runs, for a user the endpoint
is otherwise open to. The bearer-token API is exempt from CSRF and must therefore refuse cookie authentication."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from qa_app.auth.access import ANONYMOUS, ROUTE_ACCESS, TOKEN
from qa_app.models import AuditEvent, Team
from tests.functional.test_access_matrix import CASES, STATE_CHANGING, build_url, sign_in, url_values, world  # noqa: F401

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STATE_CASES = [c for c in CASES if c.values[2] in STATE_CHANGING]


@pytest.fixture()
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _allowed_user(endpoint: str, world):
    roles = ROUTE_ACCESS[endpoint]
    if ANONYMOUS in roles:
        return None
    for role in ("admin", "lead", "reviewer", "agent"):
        if role in roles:
            return world["users"][role]
    return world["users"]["admin"]  # token endpoints: the strongest cookie there is


def _counts(session) -> tuple[int, ...]:
    """Row counts that any successful state change here would move (audit events are written by every change)."""
    return (session.scalar(select(func.count()).select_from(AuditEvent)),
            session.scalar(select(func.count()).select_from(Team)))


def test_there_are_state_changing_endpoints_to_check():
    assert len(STATE_CASES) >= 30  # guards against the generator silently finding nothing


@pytest.mark.parametrize("endpoint,rule,method", STATE_CASES)
def test_state_changing_request_without_csrf_token_is_refused(app, client, world, session, csrf_on, endpoint, rule,
                                                              method):
    url = build_url(app, rule, endpoint, url_values(world))
    sign_in(client, _allowed_user(endpoint, world))
    before = _counts(session)
    form = {"name": "Evil team", "email": "x@example.com", "password": "whatever-pw", "submit": "1", "save": "1",
            "publish": "1", "role": "admin", "body": "x", "reason": "x"}
    if TOKEN in ROUTE_ACCESS[endpoint]:
        response = client.open(url, method=method, data=form)
        assert response.status_code == 401, f"{method} {rule}: the API must not accept a session cookie"
    else:
        response = client.open(url, method=method, data=form)
        assert response.status_code == 400, f"{method} {rule}: {response.status_code}"
        body = response.get_data(as_text=True)
        assert "security token" in body or (response.is_json and response.get_json().get("error") == "csrf"), body[:300]
        response = client.open(url, method=method, json={"version_id": world["version"].id, "answers": {}})
        assert response.status_code == 400, f"{method} {rule} with a JSON body: {response.status_code}"
    session.expire_all()
    assert _counts(session) == before, f"{method} {rule} changed data without a CSRF token"


def test_the_same_request_with_the_token_passes_csrf(app, client, world, session, csrf_on):
    """The control: the refusals above are CSRF's doing, not the form's."""
    admin = world["users"]["admin"]
    response = client.post("/login", data={"email": admin.email, "password": "secret-pw",
                                           "csrf_token": TOKEN_RE.search(client.get("/login").get_data(as_text=True))
                                           .group(1)})
    assert response.status_code == 302
    token = TOKEN_RE.search(client.get("/admin/teams").get_data(as_text=True)).group(1)
    assert client.post("/admin/teams", data={"name": "Evil team"}).status_code == 400
    response = client.post("/admin/teams", data={"name": "Evil team", "csrf_token": token})
    assert response.status_code == 302
    assert session.scalar(select(Team).where(Team.name == "Evil team")) is not None
    # JSON endpoints read the token from the X-CSRFToken header (static/rubrics.js sends it)
    payload = {"version_id": world["version"].id, "answers": {}}
    assert client.post("/rubrics/score", json=payload).status_code == 400
    assert client.post("/rubrics/score", json=payload, headers={"X-CSRFToken": token}).status_code == 200

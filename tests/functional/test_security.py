"""CSRF (switched on here: the default test app turns it off), cookie flags, no CDN links."""
import json
import re

import pytest
from sqlalchemy import select

from qa_app.models import Team
from qa_app.services import tokens
from tests.factories import PASSWORD
from tests.functional.test_admin_upload import record

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture()
def csrf_on(app):
    old = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = old


def csrf_token(client, path):
    match = TOKEN_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"{path} has a csrf_token field"
    return match.group(1)


def test_login_form_without_token_is_refused(client, make, csrf_on):
    user = make.user("admin")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400  # CSRFProtect refuses it before the view runs
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/transcripts").status_code == 302
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": "forged"})
    assert response.status_code == 400
    assert client.get("/transcripts").status_code == 302
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302
    assert client.get("/transcripts").status_code == 200


def _login_with_csrf(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302


def test_admin_form_without_token_is_refused(client, make, session, csrf_on):
    _login_with_csrf(client, make.user("admin"))
    response = client.post("/admin/teams", data={"name": "Billing"})
    assert response.status_code == 400
    assert session.scalar(select(Team)) is None
    victim = make.user("reviewer")
    assert client.post(f"/admin/users/{victim.id}/deactivate").status_code == 400
    session.refresh(victim)
    assert victim.active
    response = client.post("/admin/teams", data={"name": "Billing", "csrf_token": csrf_token(client, "/admin/teams")})
    assert response.status_code == 302
    assert session.scalar(select(Team)).name == "Billing"


def test_logout_without_token_is_refused(client, make, csrf_on):
    _login_with_csrf(client, make.user("reviewer"))
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/transcripts").status_code == 200  # still signed in
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/transcripts")})
    assert response.status_code == 302
    assert client.get("/transcripts").status_code == 302


def test_api_needs_no_csrf_token_but_a_bearer_token(client, make, session, csrf_on):
    _, secret = tokens.create_token(session, make.user("admin"), "ci")
    session.commit()
    response = client.post("/api/v1/transcripts", data=json.dumps([record("T-1")]),
                           headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    assert response.status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client, make):
    user = make.user("admin")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember


@pytest.mark.parametrize("path", ["/login", "/transcripts", "/admin/users", "/admin/import"])
def test_pages_load_no_assets_from_a_cdn(client, make, login, path):
    if path != "/login":
        login(make.user("admin"))
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html), "every asset is served locally"
    assert "/bootstrap/static/" in html

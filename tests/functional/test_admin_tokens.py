"""API tokens: created by an admin, secret shown once, only a hash stored, revocable."""
import hashlib
import re

from sqlalchemy import select

from qa_app.models import ApiToken

SECRET_RE = re.compile(r'id="token-secret">(qad_[A-Za-z0-9_\-]+)<')


def create_token(client, owner, name="nightly export"):
    response = client.post("/admin/tokens", data={"user_id": owner.id, "name": name})
    assert response.status_code == 200
    match = SECRET_RE.search(response.get_data(as_text=True))
    assert match, "the new secret is on the page"
    return response, match.group(1)


def test_create_token_shows_secret_once_and_stores_only_its_hash(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    response, secret = create_token(client, admin)
    assert response.headers["Cache-Control"] == "no-store"
    assert len(secret) > 40
    token = session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8] and token.user_id == admin.id
    # nothing in the row is the secret itself
    assert secret not in (token.token_hash, token.prefix, token.name)
    # the list page afterwards shows the prefix but never the secret again
    html = client.get("/admin/tokens").get_data(as_text=True)
    assert token.prefix in html and "nightly export" in html
    assert secret not in html


def test_each_token_is_different(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    _, first = create_token(client, admin, "a")
    _, second = create_token(client, admin, "b")
    assert first != second
    assert len(set(session.scalars(select(ApiToken.token_hash)))) == 2


def test_token_needs_a_name_and_an_active_owner(client, make, login, session):
    login(make.user("admin"))
    owner = make.user("reviewer")
    assert client.post("/admin/tokens", data={"user_id": owner.id, "name": ""}).status_code == 400
    gone = make.user("reviewer", active=False)
    assert client.post("/admin/tokens", data={"user_id": gone.id, "name": "x"}).status_code == 400
    assert session.scalar(select(ApiToken)) is None


def test_revoke_token_then_api_refuses_it(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    _, secret = create_token(client, admin)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/transcripts/nope", headers=headers).status_code == 404  # authenticated, not found
    token = session.scalar(select(ApiToken))
    assert client.post(f"/admin/tokens/{token.id}/revoke").status_code == 302
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is not None
    response = client.get("/api/v1/transcripts/nope", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    html = client.get("/admin/tokens").get_data(as_text=True)
    assert "revoked" in html


def test_token_list_shows_owner_and_last_used(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    _, secret = create_token(client, admin, "zendesk sync")
    client.get("/api/v1/transcripts/x", headers={"Authorization": f"Bearer {secret}"})
    token = session.scalar(select(ApiToken))
    session.refresh(token)
    assert token.last_used_at is not None
    html = client.get("/admin/tokens").get_data(as_text=True)
    row = re.search(rf'<tr id="token-{token.id}".*?</tr>', html, re.S).group(0)
    assert admin.email in row and "zendesk sync" in row and token.last_used_at.strftime("%Y-%m-%d %H:%M") in row

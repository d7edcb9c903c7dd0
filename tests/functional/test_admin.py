"""Admin pages: who may see them, users and teams."""
import pytest
from sqlalchemy import select

from qa_app.models import Team, User
from qa_app.services import users as user_service
from tests.factories import PASSWORD

ADMIN_PAGES = ["/admin/users", "/admin/teams", "/admin/tokens", "/admin/import"]
ADMIN_POSTS = ["/admin/users", "/admin/teams", "/admin/tokens", "/admin/import", "/admin/users/1/deactivate",
               "/admin/users/1/reactivate", "/admin/users/1/password", "/admin/teams/1/rename",
               "/admin/tokens/1/revoke"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["lead", "reviewer", "agent"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_other_roles_get_403(client, make, login, role, path):
    login(make.user(role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_non_admin_posts_are_refused(client, make, login, path):
    victim = make.user("admin")
    login(make.user("lead"))
    assert client.post(path.replace("/1/", f"/{victim.id}/"), data={"name": "x"}).status_code == 403
    assert user_service.get_by_email(make.session, victim.email).active


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_sees_every_page(client, make, login, path):
    login(make.user("admin"))
    response = client.get(path)
    assert response.status_code == 200
    assert b'name="csrf_token"' in response.data or b"<form" in response.data


def test_user_list_shows_role_teams_and_linked_agent(client, make, login, session):
    admin = make.user("admin")
    agent_record = make.agent(name="Ana Ruiz", email="ana@example.com", team="Billing")
    user_service.create_user(session, "ana@example.com", "agent", password=PASSWORD)
    make.user("lead", email="lead@example.com", teams=["Billing", "Returns"])
    session.commit()
    login(admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "ana@example.com" in html and agent_record.name in html
    assert "lead@example.com" in html and "Billing, Returns" in html


def test_invite_user_with_teams_who_can_then_sign_in(client, make, login, session):
    login(make.user("admin"))
    billing = make.team("Billing")
    response = client.post("/admin/users", data={
        "email": "New.Lead@Example.com", "name": "New Lead", "role": "lead", "teams": [billing.id],
        "password": "initial-pw"})
    assert response.status_code == 302
    user = user_service.get_by_email(session, "new.lead@example.com")
    assert user.role == "lead" and [t.name for t in user.teams] == ["Billing"] and user.name == "New Lead"
    client.post("/logout")
    assert client.post("/login", data={"email": "new.lead@example.com", "password": "initial-pw"}).status_code == 302


def test_invite_duplicate_email_is_an_error_not_a_500(client, make, login):
    admin = make.user("admin")
    login(admin)
    response = client.post("/admin/users", data={"email": admin.email, "role": "reviewer", "password": "whatever"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_invite_short_password_and_unknown_role_are_refused(client, make, login, session):
    login(make.user("admin"))
    response = client.post("/admin/users", data={"email": "x@example.com", "role": "reviewer", "password": "abc"})
    assert response.status_code == 400
    response = client.post("/admin/users", data={"email": "y@example.com", "role": "superuser", "password": "abcdefg"})
    assert response.status_code == 400
    assert user_service.get_by_email(session, "x@example.com") is None
    assert user_service.get_by_email(session, "y@example.com") is None


def test_edit_role_and_teams(client, make, login, session):
    login(make.user("admin"))
    user = make.user("reviewer", teams=["Billing"])
    returns = make.team("Returns")
    assert client.get(f"/admin/users/{user.id}").status_code == 200
    response = client.post(f"/admin/users/{user.id}", data={"role": "lead", "teams": [returns.id]})
    assert response.status_code == 302
    session.expire_all()
    user = session.get(User, user.id)
    assert user.role == "lead" and [t.name for t in user.teams] == ["Returns"]
    # no teams selected clears them
    client.post(f"/admin/users/{user.id}", data={"role": "lead"})
    session.expire_all()
    assert session.get(User, user.id).teams == []


def test_admin_cannot_demote_themselves(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    response = client.post(f"/admin/users/{admin.id}", data={"role": "reviewer"})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, admin.id).role == "admin"


def test_reset_password(client, make, login, session):
    login(make.user("admin"))
    user = make.user("reviewer")
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "brand-new", "confirm": "brand-new"})
    assert response.status_code == 302
    assert user_service.authenticate(session, user.email, "brand-new") is not None
    assert user_service.authenticate(session, user.email, PASSWORD) is None
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "other-pw", "confirm": "different"})
    assert response.status_code == 400
    assert user_service.authenticate(session, user.email, "brand-new") is not None


def test_deactivate_then_reactivate(client, make, login, session):
    admin = make.user("admin")
    user = make.user("reviewer")
    login(admin)
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    session.expire_all()
    assert not session.get(User, user.id).active
    assert user_service.authenticate(session, user.email, PASSWORD) is None
    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    session.expire_all()
    assert session.get(User, user.id).active
    client.post("/logout")
    login(user)  # through the real login form again
    assert client.get("/transcripts").status_code == 200


def test_state_changes_need_post(client, make, login, session):
    login(make.user("admin"))
    user = make.user("reviewer")
    assert client.get(f"/admin/users/{user.id}/deactivate").status_code == 405
    session.expire_all()
    assert session.get(User, user.id).active


def test_cannot_deactivate_yourself(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, admin.id).active


def test_unknown_user_is_404(client, make, login):
    login(make.user("admin"))
    assert client.get("/admin/users/99999").status_code == 404
    assert client.post("/admin/users/99999/deactivate").status_code == 404


def test_teams_list_with_agent_counts(client, make, login):
    login(make.user("admin"))
    make.agent(team="Billing")
    make.agent(team="Billing")
    make.agent(team="Returns")
    make.team("Empty")
    html = client.get("/admin/teams").get_data(as_text=True)
    import re
    counts = dict(re.findall(r"<td>(\w+)</td>\s*<td class=\"text-end\">(\d+)</td>", html))
    assert counts == {"Billing": "2", "Returns": "1", "Empty": "0"}


def test_create_team_and_duplicate_name_error(client, make, login, session):
    login(make.user("admin"))
    assert client.post("/admin/teams", data={"name": "Billing"}).status_code == 302
    assert session.scalar(select(Team).where(Team.name == "Billing")) is not None
    response = client.post("/admin/teams", data={"name": "billing "})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert len(session.scalars(select(Team)).all()) == 1
    assert client.post("/admin/teams", data={"name": "  "}).status_code == 400


def test_rename_team_and_duplicate_name_error(client, make, login, session):
    login(make.user("admin"))
    billing = make.team("Billing")
    make.team("Returns")
    assert client.post(f"/admin/teams/{billing.id}/rename", data={"name": "Billing EU"}).status_code == 302
    session.expire_all()
    assert session.get(Team, billing.id).name == "Billing EU"
    response = client.post(f"/admin/teams/{billing.id}/rename", data={"name": "RETURNS"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Team, billing.id).name == "Billing EU"

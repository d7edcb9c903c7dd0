import pytest

from tests.factories import PASSWORD


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Sign in" in response.data


def test_login_with_good_password_then_logout(client, make):
    user = make.user("admin")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/transcripts").status_code == 200
    client.post("/logout")
    assert client.get("/transcripts").status_code == 302


def test_wrong_password_is_refused(client, make):
    user = make.user("admin")
    response = client.post("/login", data={"email": user.email, "password": "nope-nope"})
    assert response.status_code == 200
    assert b"wrong" in response.data
    assert client.get("/transcripts").status_code == 302


def test_deactivated_user_cannot_log_in(client, make):
    user = make.user("reviewer", active=False)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.get("/transcripts").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example/x", "https://evil.example/x",
                                    "/\n//evil.example", "/\t/evil.example"])
def test_next_parameter_cannot_leave_the_site(client, make, target):
    user = make.user("admin")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert "evil.example" not in response.headers["Location"]


def test_next_parameter_keeps_a_path_on_the_site(client, make):
    user = make.user("admin")
    response = client.post("/login", query_string={"next": "/reviews/queue?sort=severity"},
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/reviews/queue?sort=severity")


def test_password_is_hashed(make):
    user = make.user("agent")
    assert PASSWORD not in user.password_hash


def test_each_request_is_authenticated_from_its_own_cookies(app, client, make, login):
    login(make.user("admin"))
    assert client.get("/transcripts").status_code == 200
    assert app.test_client().get("/transcripts").status_code == 302  # a client with no cookie is anonymous

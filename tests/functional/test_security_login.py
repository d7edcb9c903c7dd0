"""Sign-in security: throttling and lockout per e-mail and per IP (in the database, so every worker shares it), one
answer for unknown users and wrong passwords (same body, a hash checked either way), a fresh session on sign-in
(no session fixation), and the audit trail of sign-ins."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from qa_app.models import AuditEvent, LoginThrottle
from qa_app.models.base import utcnow
from qa_app.services import login_throttle, users
from tests.factories import PASSWORD


def _fail(client, email, ip="10.0.0.1", password="wrong-password"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def _signed_in(client) -> bool:
    return client.get("/transcripts").status_code == 200


@pytest.fixture()
def limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "QA_LOGIN_MAX_FAILURES", 3)
    monkeypatch.setitem(app.config, "QA_LOGIN_IP_MAX_FAILURES", 5)
    monkeypatch.setitem(app.config, "QA_LOGIN_LOCKOUT_MINUTES", 10)


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make):
    user = make.user("admin")
    wrong = _fail(client, user.email)
    unknown = _fail(client, "nobody@example.com")
    deactivated = _fail(client, make.user("agent", active=False).email, password=PASSWORD)
    assert wrong.status_code == unknown.status_code == deactivated.status_code == 200

    def message(response):
        text = response.get_data(as_text=True)
        return text[text.index('role="alert"'):].split("</div>")[0]

    assert message(wrong) == message(unknown) == message(deactivated)
    assert "wrong" in message(wrong)


def test_unknown_users_cost_a_password_hash_too(session, monkeypatch):
    """Timing: authenticate() checks a (dummy) hash for an unknown e-mail, as it does for a wrong password."""
    checked = []
    real = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    assert users.authenticate(session, "nobody@example.com", "x") is None
    assert len(checked) == 1 and checked[0].startswith(users.PASSWORD_HASH_METHOD.split(":")[0])


def test_lockout_after_repeated_failures_per_email(client, make, limits, session):
    user = make.user("admin")
    for _ in range(3):
        assert _fail(client, user.email).status_code == 200
    # locked now: even the right password is refused, with a clear message and 429
    response = _fail(client, user.email, password=PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert not _signed_in(client)
    # another address from the same IP is not locked by it
    other = make.user("reviewer")
    assert client.post("/login", data={"email": other.email, "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 302
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("auth.login_failed") == 3
    assert "auth.locked_out" in actions and "auth.login_refused_locked" not in actions


def test_lockout_ends_after_the_lockout_time(client, make, limits, session):
    user = make.user("admin")
    for _ in range(3):
        _fail(client, user.email)
    row = session.get(LoginThrottle, login_throttle.email_key(user.email))
    assert row.locked_until is not None
    row.locked_until = utcnow() - timedelta(seconds=1)  # time passes
    session.commit()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert session.get(LoginThrottle, login_throttle.email_key(user.email)) is None  # success forgets the failures


def test_unknown_addresses_lock_out_the_same_way(client, limits):
    for _ in range(3):
        _fail(client, "nobody@example.com")
    assert _fail(client, "nobody@example.com").status_code == 429


def test_lockout_per_ip_across_many_addresses(client, make, limits):
    for n in range(5):
        _fail(client, f"guess{n}@example.com", ip="10.9.9.9")
    user = make.user("admin")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 429
    # the same user from another address is fine
    assert client.post("/login", data={"email": user.email, "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302


def test_failures_outside_the_window_start_afresh(session, app):
    limits = login_throttle.Limits(max_failures=3, window=timedelta(minutes=15))
    start = utcnow()
    for _ in range(2):
        login_throttle.record_failure(session, "email:a@example.com", 3, limits, now=start)
    later = start + timedelta(minutes=16)
    assert not login_throttle.record_failure(session, "email:a@example.com", 3, limits, now=later)
    assert session.get(LoginThrottle, "email:a@example.com").failures == 1
    assert login_throttle.record_failure(session, "email:a@example.com", 2, limits, now=later)
    assert login_throttle.locked_until(session, ["email:a@example.com"], now=later) == later + limits.lockout


def test_limits_come_from_the_environment(monkeypatch):
    from qa_app.config import from_environment

    env = {"QA_LOGIN_MAX_FAILURES": "7", "QA_LOGIN_IP_MAX_FAILURES": "70", "QA_LOGIN_WINDOW_MINUTES": "5",
           "QA_LOGIN_LOCKOUT_MINUTES": "30"}
    limits = login_throttle.Limits.from_config(from_environment(env))
    assert limits == login_throttle.Limits(7, 70, timedelta(minutes=5), timedelta(minutes=30))


def test_sign_in_starts_a_new_session(app, client, make):
    """Session fixation: whatever the anonymous session held (a planted value, its CSRF token) is gone after
    signing in, and the cookie is a different one."""
    user = make.user("admin")
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "attacker-chosen"
        sess["csrf_token"] = "attacker-known-token"
    before = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    after = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert after != before
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("csrf_token") != "attacker-known-token"
        assert sess["_user_id"] == str(user.id)


def test_sign_out_clears_the_whole_session(app, client, make, login):
    login(make.user("admin"))
    with client.session_transaction() as sess:
        sess["left-over"] = "x"
    client.post("/logout")
    with client.session_transaction() as sess:
        assert "left-over" not in sess and "_user_id" not in sess


def test_sign_ins_are_audited_with_the_ip(client, make, session):
    user = make.user("lead")
    client.post("/login", data={"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.2.3.4"})
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert event.actor_id == user.id and event.ip == "10.2.3.4" and event.target_id == str(user.id)
    client.post("/logout")
    _fail(client, user.email, ip="10.2.3.5")
    failed = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert failed.actor_id is None and failed.target_id == str(user.id) and failed.ip == "10.2.3.5"
    assert failed.details == {"email": user.email}
    assert "wrong-password" not in str(failed.details)  # never the password


def test_sign_out_also_ends_a_remembered_login(app, client, make):
    user = make.user("admin")
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token")) is not None
    client.post("/logout")
    assert client.get_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token")) is None
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])  # a new browser session
    assert not _signed_in(client)

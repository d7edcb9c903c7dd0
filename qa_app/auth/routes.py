"""Sign in and out: throttled per e-mail and per IP, audited, and a fresh session on every sign-in."""
from __future__ import annotations

import math

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from qa_app.auth.client import client_ip
from qa_app.auth.forms import LoginForm
from qa_app.extensions import db
from qa_app.models.base import utcnow
from qa_app.services import audit, login_throttle, users
from qa_app.services.paths import is_internal_path

bp = Blueprint("auth", __name__)

# One message for an unknown e-mail, a wrong password and a deactivated account: nothing tells them apart.
BAD_CREDENTIALS = "E-mail or password is wrong, or the account is deactivated."


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so ?next= can't bounce a user to another host.
    if is_internal_path(target):
        return target
    return url_for("transcripts.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("transcripts.index"))
    form = LoginForm()
    if form.validate_on_submit():
        return _sign_in(form)
    return render_template("auth/login.html", form=form)


def _sign_in(form: LoginForm):
    email, ip = users.normalize_email(form.email.data), client_ip()
    keys = [login_throttle.email_key(email), login_throttle.ip_key(ip)]
    locked = login_throttle.locked_until(db.session, keys)
    if locked is not None:
        # Not audited one by one: a locked-out script could fill the log; the lockout itself is recorded.
        minutes = max(1, math.ceil((locked - utcnow()).total_seconds() / 60))
        flash(f"Too many failed sign-ins. Sign-in is locked for this account or address; try again in "
              f"{minutes} minute{'s' if minutes != 1 else ''}.", "danger")
        return render_template("auth/login.html", form=form), 429
    user = users.authenticate(db.session, email, form.password.data)
    if user is None:
        _record_failure(email, ip)
        flash(BAD_CREDENTIALS, "danger")
        return render_template("auth/login.html", form=form)
    login_throttle.clear(db.session, email)
    audit.record(db.session, user, "auth.login", user, ip=ip)
    db.session.commit()
    # Session fixation: nothing from the anonymous session (planted or not) survives into the signed-in one;
    # Flask then issues a new signed cookie, and the CSRF token is regenerated.
    _fresh_session()
    login_user(user, remember=form.remember.data)
    return redirect(_safe_next(request.args.get("next")))


def _fresh_session() -> None:
    session.clear()
    # Flask-WTF caches this request's CSRF token in g; drop it so the next form gets a token of the new session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def _record_failure(email: str, ip: str | None) -> None:
    limits = login_throttle.Limits.from_config(current_app.config)
    locked_keys = login_throttle.record_failed_login(db.session, email, ip, limits)
    known = users.get_by_email(db.session, email)
    # The actor is unknown (whoever typed it); the target is the account, when there is one.
    audit.record(db.session, None, "auth.login_failed", known, details={"email": email}, ip=ip)
    for key in locked_keys:
        audit.record(db.session, None, "auth.locked_out", known,
                     details={"key": key, "minutes": current_app.config["QA_LOGIN_LOCKOUT_MINUTES"]}, ip=ip)
    db.session.commit()


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.record(db.session, current_user, "auth.logout", current_user, ip=client_ip())
    db.session.commit()
    _fresh_session()
    logout_user()  # after the clear: it leaves the note that deletes the remember-me cookie
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))

"""Login rate limiting: count failed sign-ins per e-mail and per IP in the database (so every gunicorn worker sees
the same counts) and lock a key out for a while once it reaches its limit within the window.

Counting uses atomic UPDATE ... SET failures = failures + 1, so concurrent failures in several workers all count.
A lockout applies to unknown e-mail addresses exactly as to real ones: it reveals nothing about who has an account.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_app.models import LoginThrottle
from qa_app.models.base import utcnow


@dataclass(frozen=True)
class Limits:
    max_failures: int = 5  # per e-mail address
    ip_max_failures: int = 50  # per client IP (many people may share an office NAT)
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(max_failures=config["QA_LOGIN_MAX_FAILURES"], ip_max_failures=config["QA_LOGIN_IP_MAX_FAILURES"],
                   window=timedelta(minutes=config["QA_LOGIN_WINDOW_MINUTES"]),
                   lockout=timedelta(minutes=config["QA_LOGIN_LOCKOUT_MINUTES"]))


def email_key(email: str) -> str:
    return f"email:{email.strip().lower()}"[:300]


def ip_key(ip: str | None) -> str:
    return f"ip:{ip or 'unknown'}"[:300]


def locked_until(session: Session, keys: list[str], now: datetime | None = None) -> datetime | None:
    """The latest lockout end among `keys` that is still in the future, or None."""
    now = now or utcnow()
    ends = session.scalars(select(LoginThrottle.locked_until).where(
        LoginThrottle.key.in_(keys), LoginThrottle.locked_until.is_not(None), LoginThrottle.locked_until > now))
    return max(ends, default=None)


def record_failure(session: Session, key: str, limit: int, limits: Limits, now: datetime | None = None) -> bool:
    """Count one failure for `key`; lock it when it reaches `limit`. True when this failure started a lockout."""
    now = now or utcnow()
    # A window that has run out (and is not locked) starts afresh.
    session.execute(update(LoginThrottle).where(
        LoginThrottle.key == key, LoginThrottle.window_started_at < now - limits.window,
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
    ).values(failures=0, window_started_at=now, locked_until=None).execution_options(synchronize_session=False))
    if not _increment(session, key):
        try:
            with session.begin_nested():
                session.add(LoginThrottle(key=key, failures=1, window_started_at=now))
        except IntegrityError:  # another worker inserted it first: count on its row
            _increment(session, key)
    failures = session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key)) or 0
    if failures < limit:
        return False
    started = session.execute(update(LoginThrottle).where(
        LoginThrottle.key == key, or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
    ).values(locked_until=now + limits.lockout, failures=0, window_started_at=now)
      .execution_options(synchronize_session=False))
    return bool(started.rowcount)


def _increment(session: Session, key: str) -> bool:
    result = session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                             .values(failures=LoginThrottle.failures + 1).execution_options(synchronize_session=False))
    return bool(result.rowcount)


def record_failed_login(session: Session, email: str, ip: str | None, limits: Limits,
                        now: datetime | None = None) -> list[str]:
    """Count a failed sign-in against the e-mail and the IP; return the keys that became locked."""
    started = []
    if record_failure(session, email_key(email), limits.max_failures, limits, now):
        started.append(email_key(email))
    if record_failure(session, ip_key(ip), limits.ip_max_failures, limits, now):
        started.append(ip_key(ip))
    session.flush()
    return started


def clear(session: Session, email: str) -> None:
    """A successful sign-in forgets that address's failures (the IP's count runs out with its window)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == email_key(email))
                    .execution_options(synchronize_session=False))

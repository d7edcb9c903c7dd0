"""API bearer tokens: the secret is shown once; only its SHA-256 (and a short prefix) is stored."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qa_app.models import ApiToken, User, utcnow
from qa_app.services.errors import ServiceError

SECRET_PREFIX = "qad_"
PREFIX_LENGTH = 8  # "qad_" + 4 characters of the random part: enough to tell tokens apart in a list


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns (token row, secret). The secret is not stored and can't be recovered."""
    name = name.strip()
    if not name:
        raise ServiceError("Give the token a name (what will use it).")
    if not user.active:
        raise ServiceError(f"{user.email} is deactivated; reactivate the account before giving it a token.")
    secret = new_secret()
    token = ApiToken(user=user, name=name, token_hash=hash_secret(secret), prefix=secret[:PREFIX_LENGTH])
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session) -> list[ApiToken]:
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(session.scalars(query))


def revoke(session: Session, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()


def authenticate(session: Session, secret: str | None) -> ApiToken | None:
    """The live token for `secret`, or None when it is missing, unknown, revoked, or its user is deactivated.

    Marks the token as used (the caller commits).
    """
    if not secret or not secret.startswith(SECRET_PREFIX):
        return None
    digest = hash_secret(secret)
    token = session.scalar(select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == digest))
    # The lookup is by hash, so timing reveals nothing about the secret; compare anyway to be explicit.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.is_revoked or token.user is None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    session.flush()
    return token

"""Admin settings stored in the database (model AppSetting), one JSON value per key. Every change is audited.

Only keys listed in SETTINGS exist; each has a default used until an admin changes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qa_app.models import AppSetting, User
from qa_app.models.base import utcnow
from qa_app.services import audit
from qa_app.services.errors import ServiceError

REDACT_PII_ON_IMPORT = "redact_pii_on_import"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    label: str
    help: str


SETTINGS = {
    REDACT_PII_ON_IMPORT: Setting(
        REDACT_PII_ON_IMPORT, False, "Redact personal data in transcripts at import",
        "Card numbers (Luhn-checked), e-mail addresses and phone numbers in message text are replaced by "
        "[CARD], [EMAIL] and [PHONE] before the transcript is stored, by every import path (upload, API, CLI). "
        "Transcripts already stored are not changed; re-import them to redact them."),
}


def get(session: Session, key: str) -> Any:
    if key not in SETTINGS:
        raise ServiceError(f"Unknown setting {key!r}.")
    row = session.get(AppSetting, key)
    return SETTINGS[key].default if row is None else row.value


def set_value(session: Session, key: str, value: Any, actor: User | None, ip: str | None = None) -> bool:
    """Store `value`; audit a real change as settings.changed. True when it changed."""
    old = get(session, key)
    if old == value:
        return False
    row = session.get(AppSetting, key)
    if row is None:
        row = AppSetting(key=key)
        session.add(row)
    row.value, row.updated_at = value, utcnow()
    row.updated_by_id = actor.id if actor is not None else None
    session.flush()
    # AppSetting has no id column (the key is its primary key), so the key goes in the details.
    audit.record(session, actor, "settings.changed", None, details={"key": key, "from": old, "to": value}, ip=ip)
    return True


def redact_pii_on_import(session: Session) -> bool:
    return bool(get(session, REDACT_PII_ON_IMPORT))

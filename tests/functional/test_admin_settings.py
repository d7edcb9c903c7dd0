"""Admin settings: the "redact personal data at import" switch (audited), applied by every import path (upload,
JSON API, CLI), with the analyzer's flags pointing into the redacted text."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from qa_app.models import AuditEvent, Flag, Message, Transcript
from qa_app.services import settings, tokens
from tests.functional.test_admin_upload import record, upload

PII = ("My card is 4111 1111 1111 1111, e-mail jo.doe@mail.example.org, phone (555) 123-4567. "
       "You are an idiot, calm down.")


def _pii_record(external_id):
    rec = record(external_id)
    rec["messages"][0]["text"] = PII
    rec["messages"][1]["text"] = "Calm down. I emailed jo.doe@mail.example.org and called 555-123-4567."
    return rec


def _texts(session, external_id):
    t = session.scalar(select(Transcript).where(Transcript.external_id == external_id))
    return [m.text for m in sorted(t.messages, key=lambda m: m.position)]


def _assert_clean(texts):
    joined = " ".join(texts)
    for secret in ("4111", "jo.doe@", "123-4567"):
        assert secret not in joined, joined
    assert "[CARD]" in joined and "[EMAIL]" in joined and "[PHONE]" in joined


@pytest.fixture()
def redaction_on(session, make):
    admin = make.user("admin")
    settings.set_value(session, settings.REDACT_PII_ON_IMPORT, True, admin)
    session.commit()
    return admin


def _checkbox(html: str) -> str:
    return re.search(r'<input[^>]*name="redact_pii_on_import"[^>]*>', html).group(0)


def test_settings_page_toggles_and_audits(client, make, login, session):
    admin = make.user("admin")
    login(admin)
    assert "checked" not in _checkbox(client.get("/admin/settings").get_data(as_text=True))
    response = client.post("/admin/settings", data={"redact_pii_on_import": "y"}, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)
    assert "checked" in _checkbox(response.get_data(as_text=True))
    assert settings.redact_pii_on_import(session) is True
    client.post("/admin/settings", data={"redact_pii_on_import": "y"})  # no change: not audited again
    client.post("/admin/settings", data={})  # unchecked: off
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.changed")
                                  .order_by(AuditEvent.id)))
    assert [(e.details["from"], e.details["to"]) for e in events] == [(False, True), (True, False)]
    assert events[0].actor_id == admin.id and events[0].details["key"] == "redact_pii_on_import"
    assert settings.redact_pii_on_import(session) is False


def test_off_by_default_stores_text_as_given(client, make, login, session):
    login(make.user("admin"))
    upload(client, "chats.jsonl", json.dumps(_pii_record("T-1")) + "\n")
    assert _texts(session, "T-1")[0] == PII


def test_upload_redacts_and_flags_point_into_the_redacted_text(client, login, session, redaction_on):
    login(redaction_on)
    response = upload(client, "chats.jsonl", json.dumps(_pii_record("T-1")) + "\n")
    assert response.status_code == 200
    assert "personal data redacted: 1 card number, 2 e-mail addresses, 2 phone numbers" in \
        response.get_data(as_text=True).replace("&#39;", "'")
    texts = _texts(session, "T-1")
    _assert_clean(texts)
    flags = list(session.scalars(select(Flag).where(Flag.message_index.is_not(None), Flag.start.is_not(None))))
    assert flags, "the analyzer flagged the rude agent message"
    for flag in flags:
        text = texts[flag.message_index]
        assert 0 <= flag.start < flag.end <= len(text)
        if flag.evidence:
            assert text[flag.start:flag.end] == flag.evidence


def test_api_import_redacts(client, session, redaction_on):
    _, secret = tokens.create_token(session, redaction_on, "ci")
    session.commit()
    response = client.post("/api/v1/transcripts", json=[_pii_record("T-2")],
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    _assert_clean(_texts(session, "T-2"))


def test_cli_import_redacts_and_reimport_is_unchanged(app, session, redaction_on, tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(_pii_record("T-3")) + "\n")
    result = app.test_cli_runner().invoke(args=["qa", "import", str(path), "--no-analyze"])
    assert result.exit_code == 0, result.output
    assert "personal data redacted" in result.output
    _assert_clean(_texts(session, "T-3"))
    again = app.test_cli_runner().invoke(args=["qa", "import", str(path), "--no-analyze"])
    assert "0 created, 0 updated, 1 unchanged" in again.output


def test_reimport_with_redaction_on_replaces_an_unredacted_copy(app, session, make, tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(_pii_record("T-4")) + "\n")
    app.test_cli_runner().invoke(args=["qa", "import", str(path), "--no-analyze"])
    assert "4111" in _texts(session, "T-4")[0]
    settings.set_value(session, settings.REDACT_PII_ON_IMPORT, True, make.user("admin"))
    session.commit()
    result = app.test_cli_runner().invoke(args=["qa", "import", str(path), "--no-analyze"])
    assert "0 created, 1 updated" in result.output
    session.expire_all()
    _assert_clean(_texts(session, "T-4"))
    assert session.scalar(select(Message).where(Message.text.contains("4111"))) is None

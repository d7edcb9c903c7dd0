"""PII redaction: which card numbers, e-mail addresses and phone numbers are replaced, and what is left alone."""
from __future__ import annotations

from collections import Counter

import pytest

from qa_app.services.importing.validation import normalize
from qa_app.services.redaction import CARD, EMAIL, PHONE, redact_record, redact_text


@pytest.mark.parametrize("text,expected", [
    ("Card 4111 1111 1111 1111 please", f"Card {CARD} please"),
    ("4111-1111-1111-1111", CARD),
    ("amex 378282246310005.", f"amex {CARD}."),
    ("Write to jo.doe+x@mail.example.org today", f"Write to {EMAIL} today"),
    ("Call (555) 123-4567 or +44 20 7946 0958", f"Call {PHONE} or {PHONE}"),
    ("mail ana@example.com, card 5555555555554444, tel 555-123-4567",
     f"mail {EMAIL}, card {CARD}, tel {PHONE}"),
])
def test_redacts(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", [
    "Order 4111 1111 1111 1112 failed",    # fails the Luhn check: an order number, not a card
    "Tracking 1234567890123",               # 13 digits, not Luhn-valid
    "0000 0000 0000 0000",                  # one repeated digit
    "Your order #12345 ships on 2026-03-01",
    "See https://example.com/a/4111111111111111",  # inside a URL path
    "@handle said hi",
    "",
])
def test_leaves_alone(text):
    assert redact_text(text) == text


def test_counts_what_it_replaced():
    counts = Counter()
    redact_text("a@b.example, c@d.example, 4111111111111111, 555-123-4567", counts)
    assert counts == Counter(email=2, card=1, phone=1)


def _record(text, customer_ref=None):
    return normalize({"external_id": "T-1", "source": "s", "agent": {"name": "Ana"}, "customer": {"id": customer_ref},
                      "messages": [{"role": "customer", "text": text}, {"role": "agent", "text": "Thanks!"}]})


def test_record_hash_changes_only_when_something_was_redacted():
    clean = _record("Hello there")
    assert redact_record(clean) is clean
    dirty = _record("card 4111111111111111", customer_ref="jo@example.org")
    redacted = redact_record(dirty)
    assert redacted.messages[0][1] == f"card {CARD}" and redacted.customer_ref == EMAIL
    assert redacted.content_hash != dirty.content_hash
    assert redact_record(_record("card 4111111111111111", customer_ref="jo@example.org")).content_hash \
        == redacted.content_hash  # deterministic: importing the same file again is "unchanged"

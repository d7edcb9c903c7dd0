"""PII redaction of transcript text at import time (admin setting "redact_pii_on_import").

Card numbers (13-19 digits passing the Luhn check), e-mail addresses and phone numbers are replaced by the markers
[CARD], [EMAIL] and [PHONE]. The detection is the compliance analyzer's own (qa_app.nlp.components.compliance:
card_numbers, EMAIL_RE, PHONE_RE), so what the analyzer would flag as exposed is exactly what gets removed.

Redaction is NOT length-stable: a marker is shorter or longer than what it replaces. That is safe because it runs
before anything is stored: the stored text is the redacted text, and the analyzer runs afterwards on the stored text,
so every flag's offsets point into the redacted text. (Offsets given by the source system are not kept anywhere.)
Unlike the compliance flags, redaction does not exempt the company's own or role addresses and toll-free numbers:
at import we cannot know who typed them, and removing a support address loses nothing.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter

from qa_app.nlp.components.compliance import EMAIL_RE, PHONE_RE, card_numbers

CARD, EMAIL, PHONE = "[CARD]", "[EMAIL]", "[PHONE]"
# Cheap pre-screen: text with no "@" and fewer than 7 digits cannot hold any of the three.
_DIGITS = re.compile(r"\d")


def redact_text(text: str, counts: Counter | None = None) -> str:
    """`text` with every card number, e-mail address and phone number replaced by its marker."""
    if not text or ("@" not in text and len(_DIGITS.findall(text)) < 7):
        return text
    # E-mails first (an address may contain digits), then cards (Luhn-checked), then phones on what is left.
    text = _sub(EMAIL_RE, EMAIL, text, counts, "email")
    spans = [(f.start, f.end) for f in card_numbers(text)]
    if spans:
        text = _replace_spans(text, spans, CARD)
        if counts is not None:
            counts["card"] += len(spans)
    return _sub(PHONE_RE, PHONE, text, counts, "phone")


def _sub(pattern: re.Pattern, marker: str, text: str, counts: Counter | None, name: str) -> str:
    new, n = pattern.subn(marker, text)
    if counts is not None and n:
        counts[name] += n
    return new


def _replace_spans(text: str, spans: list[tuple[int, int]], marker: str) -> str:
    parts, last = [], 0
    for start, end in sorted(spans):
        parts.append(text[last:start])
        parts.append(marker)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def redact_record(rec, counts: Counter | None = None):
    """A NormalizedRecord (qa_app.services.importing.validation) with its message texts, customer reference and
    customer name redacted. The content hash changes only when something was redacted, so re-importing a file with
    the setting on replaces the unredacted copy, and importing it again is then "unchanged"."""
    local = Counter()
    messages = [(role, redact_text(text, local), sent_at, iso) for role, text, sent_at, iso in rec.messages]
    customer_ref = redact_text(rec.customer_ref, local) if rec.customer_ref else rec.customer_ref
    customer_name = redact_text(rec.customer_name, local) if rec.customer_name else rec.customer_name
    if counts is not None:
        counts.update(local)
    if not local:
        return rec
    digest = hashlib.sha256(f"{rec.content_hash}:redacted-v1".encode()).hexdigest()
    return dataclasses.replace(rec, messages=messages, customer_ref=customer_ref, customer_name=customer_name,
                               content_hash=digest)

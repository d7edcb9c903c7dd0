"""Lower-cased text for case-sensitive scans: a case-sensitive regex on text.lower() is ~3x faster than IGNORECASE.

Exact only when lower-casing keeps every offset and an IGNORECASE ASCII atom (literal, [a-z], \\w, \\s, \\d...)
matches a character exactly when its lower-case ASCII form matches the lower-cased character. That holds for every
character except three (tests/unit/nlp/test_speedups.py checks all code points): 'İ' lower-cases to two characters
(caught by the length test), and 'ı' and 'ſ' match 'i' and 's' under IGNORECASE but stay themselves in lower().
"""
from __future__ import annotations

# Characters IGNORECASE matches to an ASCII letter although lower() leaves them non-ASCII.
CASE_TRAPS = ("\u0131", "\u017f")  # dotless i, long s


def lower_is_exact(text: str, low: str) -> bool:
    """Whether a case-sensitive lower-case ASCII pattern finds on low (= text.lower()) exactly what it finds with
    IGNORECASE on text, at the same offsets."""
    return len(low) == len(text) and (text.isascii() or not any(c in text for c in CASE_TRAPS))


def safe_lower(text: str) -> str | None:
    """text.lower() when lower_is_exact, else None (then scan text with the IGNORECASE pattern)."""
    low = text.lower()
    return low if lower_is_exact(text, low) else None

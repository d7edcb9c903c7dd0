"""Fast searches for `\\b(?:word|phrase|...)\\b`, IGNORECASE: the word lists of the etiquette and empathy rules
(greetings, closings, acknowledgements, distress words).

SRE tries such a pattern at every position of the text, and there each alternative in turn. The scanner form starts
with a character class instead of `\\b`, so SRE skips straight to the characters that can precede a word, and it
groups the alternatives by first character, so one comparison rules out each group (~5x faster). It runs on the
lower-cased text (..lowercase: exact only when safe_lower says so) with a space in front (standing for the start).
A non-ASCII letter there also counts as a word's start: a match right after one is checked with the plain pattern.
"""
from __future__ import annotations

import re

from .lowercase import safe_lower

_PLAIN_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def grouped_by_first_char(alternatives: tuple[str, ...]) -> str:
    """'ab|ac|d' as 'a(?:b|c)|d(?:)': the same strings in the same order of preference (alternatives with different
    first characters never match at the same place)."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        if alt[0] not in _PLAIN_FIRST or alt[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"{alt!r} does not start with a plain lower-case letter or digit")
        groups.setdefault(alt[0], []).append(alt[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


class WordScan:
    """Any of `alternatives` (lower-case regex sources, each starting with a plain letter or digit) as whole words,
    ignoring case."""

    def __init__(self, alternatives: tuple[str, ...]):
        self.pattern = r"\b(?:" + "|".join(alternatives) + r")\b"
        self.rx = re.compile(self.pattern, re.IGNORECASE)
        self.lower_rx = re.compile(self.pattern)  # for exactly lower-cased text
        self._scanner = re.compile(r"[^a-z0-9_](?:" + grouped_by_first_char(alternatives) + r")\b")

    def may_match(self, low: str) -> bool:
        """True whenever lower_rx finds a match in low (lower-cased text), and mostly only then: a fast pre-screen."""
        return self._scanner.search(" " + low) is not None

    def search(self, text: str) -> bool:
        """Whether self.rx finds a match in text."""
        low = safe_lower(text)
        if low is None:
            return self.rx.search(text) is not None
        m = self._scanner.search(" " + low)
        if m is None:
            return False
        before = m.group()[0]  # a real word boundary unless a (non-ASCII) word character
        return not (before.isalnum() or before == "_") or self.lower_rx.search(low) is not None

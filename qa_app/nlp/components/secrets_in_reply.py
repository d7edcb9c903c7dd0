"""Secrets exposed in ways a single-message scan misses: digits read out one by one ("five oh three, five five five,
zero one six six"), a credential the customer asked for given back ("what's my PIN?" -> "It's 7734."), and a
one-time code or a password the customer typed repeated by the agent."""
from __future__ import annotations

import re

from ..wordscan import grouped_by_first_char

_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}
_ONE_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)(?![\w'’])"
# four or more single digits (words or figures) in a row, apart by spaces, commas, dots or dashes
_READ_OUT = re.compile(rf"(?<![\w'’-]){_ONE_DIGIT}(?:[\s,.–—-]{{1,3}}{_ONE_DIGIT}){{3,}}", re.IGNORECASE)
# every read-out run has two digits (figures, or a word then a word or figure) with only a separator between them:
# cheap first scans (a pattern opening with \d or a character class lets the engine skip ahead; the words are grouped
# by their first letter, as in ..wordscan)
_TWO_FIGURES = re.compile(r"\d[\s,.–—-]{1,3}\d")
_WORD_THEN_DIGIT = re.compile(r"[^a-z0-9_](?:" + grouped_by_first_char(tuple(_DIGIT_WORDS)) + r")[\s,.–—-]{1,3}"
                              r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b")
_PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def read_out_digits(text: str, low: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each run of 4+ digits read out one by one ("4 8 1 - 9 0 7", "five-five-five");
    not numbers written the usual way ("1,250.00", "12.5"). `low`: text.lower()."""
    if not _TWO_FIGURES.search(low) and not _WORD_THEN_DIGIT.search(" " + low):
        return []
    out = []
    for m in _READ_OUT.finditer(text):
        if _PLAIN_NUMBER.fullmatch(m.group(0)):
            continue
        digits = "".join(_DIGIT_WORDS.get(w.lower(), w) for w in re.findall(r"[A-Za-z]+|\d", m.group(0)))
        out.append((m.start(), m.end(), digits))
    return out


# A customer asking for a credential of theirs ("what's my PIN?", "I forgot my security answer")
_ASKS_FOR_SECRET = re.compile(r"\b(?:forgot|forget|forgotten|remember|remind|what(?:'s|’s| is| was| are| were)|"
                              r"whats|tell me|give me|send me|read me|can you (?:check|see|find|look up))\b",
                              re.IGNORECASE)
_SECRET_WORDS = re.compile(r"\b(?:pin|pins|password|passwords|passcode|security (?:answer|question|word)|"
                           r"secret (?:answer|word)|memorable word|(?:backup|recovery) codes?|2fa|"
                           r"(?:verification|login|sign-in|one-time|access|security) code)\b", re.IGNORECASE)
# what the reply gives: a quoted word, a run of 4-10 digits, or a word with letters and digits, right after "it's",
# "you put", "set to", "your PIN is", "Sure:" ...
_GIVEN = re.compile(r"(?:\b(?:it's|it’s|it is|it was|its|you put|you chose|you set|you picked|set to|reset to)|"
                    r"\b(?:pin|password|passcode|answer|word|codes?|one)\b(?:\s+[\w'’]+){0,3}?\s+(?:is|was|are)|:)\s*"
                    r"(?:[\"'“‘](?P<quoted>[^\s\"'”’]{2,40})[\"'”’]"
                    r"|(?P<digits>\d(?:[ -]?\d){3,9})(?![\w-])"
                    r"|(?P<mixed>(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d!#$%&*?_-]{5,40})(?=[\s.,!;)]|$))",
                    re.IGNORECASE)
_MASKED_BEFORE = re.compile(r"\b(?:ending|ends|last (?:four|4|two|2|digits))\b[^.]{0,12}$", re.IGNORECASE)


# every _SECRET_WORDS or _CODE_WORD match holds one of these (lower-case substrings, tested in C one after the other)
_SECRET_SUBSTRINGS = ("pin", "pass", "answer", "word", "code", "2fa", "otp", "security", "secret", "backup", "recovery")


def may_name_a_secret(question: str) -> bool:
    return any(map(question.lower().__contains__, _SECRET_SUBSTRINGS))


def asked_secret_given(question: str, text: str) -> list[tuple[int, int]]:
    """Spans of a credential written in a reply to a customer who asked for it; nothing when they did not."""
    if not question or not may_name_a_secret(question) or not _SECRET_WORDS.search(question) or \
            not _ASKS_FOR_SECRET.search(question):
        return []
    return [m.span(group) for m in _GIVEN.finditer(text) for group in ("quoted", "digits", "mixed")
            if m.group(group) and not _MASKED_BEFORE.search(text, 0, m.start())]


# A code the customer typed: "code is 583920", "its 382-115" (after a "code" in the same turn)
_CODE_WORD = re.compile(r"\b(?:code|otp|pin|passcode)\b", re.IGNORECASE)
_CODE_DIGITS = re.compile(r"(?<![\w-])\d{3,4}[ -]?\d{2,4}(?![\w-])")


def names_a_code(text: str) -> bool:
    return _CODE_WORD.search(text) is not None or _SECRET_WORDS.search(text) is not None


def echoed_codes(question: str, text: str) -> list[tuple[int, int]]:
    """Spans where the reply repeats a code of 5-8 digits the customer typed in a turn that calls it a code."""
    if not question or not may_name_a_secret(question) or not _CODE_WORD.search(question):
        return []
    given = {re.sub(r"\D", "", m.group(0)) for m in _CODE_DIGITS.finditer(question)}
    given = {d for d in given if 5 <= len(d) <= 8}
    return [m.span() for m in _CODE_DIGITS.finditer(text) if re.sub(r"\D", "", m.group(0)) in given] if given else []


# A password the customer typed: "reset my password to Tomatoes2024!", "the new password won't save ... I tried
# Rosa2024" (a word of letters and digits, after the turn names a password)
_PASSWORD_WORD = re.compile(r"\b(?:password|passcode|passphrase)\b", re.IGNORECASE)
_TYPED_SECRET = re.compile(r"\b(?:(?:password|passcode|passphrase)\b(?:\s+[\w'’]+){0,2}?\s+(?:is|was|to|as)|"
                           r"(?:i|i've|i have)\s+(?:tried|typed|entered|used|put in|set it to|changed it to))\s*:?\s*"
                           r"[\"'“‘]?(?P<secret>(?=[A-Za-z!#$%&*?_-]*\d)(?=[\d!#$%&*?_-]*[A-Za-z])"
                           r"[A-Za-z\d!#$%&*?_-]{5,40})", re.IGNORECASE)


def echoed_passwords(question: str, text: str) -> list[tuple[int, int]]:
    """Spans where the reply repeats a password the customer typed in a turn that calls it one."""
    if not question or not _PASSWORD_WORD.search(question):
        return []
    spans = []
    for secret in {m.group("secret").rstrip("!?.") for m in _TYPED_SECRET.finditer(question)}:
        spans += [m.span() for m in re.finditer(rf"(?<![\w]){re.escape(secret)}(?![\w])", text)]
    return spans

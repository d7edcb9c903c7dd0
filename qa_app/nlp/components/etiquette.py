"""Etiquette: greeting, closing, response times against the SLA, conservative spelling check."""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from spacy.tokens import Doc

from ..docs import doc_text
from ..wordscan import WordScan

CHAT_WORDS_PATH = Path(__file__).resolve().parents[1] / "data" / "chat_words.txt"

_GREETINGS = (
    "hi", "hello", "hey", "hiya", "howdy", "greetings", "good (?:morning|afternoon|evening|day)", "welcome", "dear",
    "thanks? (?:you )?(?:so much |very much )?for (?:contacting|reaching out|reaching|getting in touch|chatting|"
    "your (?:message|patience|tweet|question|note|email)|the (?:tag|message|mention|note)|writing|choosing|waiting)",
    "thanks for (?:the )?(?:tag|tweet|message)", "my name is", r"i'm \w+ from", r"this is \w+ from")
_CLOSINGS = (
    "anything else", "have a (?:great|nice|good|wonderful|lovely|fantastic|safe|happy)", "take care", "bye",
    "goodbye", "thanks?", "thank you", "cheers", "best regards", "regards", "all the best", "you're welcome",
    "you are welcome", "glad (?:i|we) could help", "happy to help", "feel free to", "let (?:me|us) know",
    "hope (?:this|that) helps", "enjoy", "reach (?:out|back)", "dm us", "get back to us", "speak soon", "talk soon",
    "good luck", "stay safe", "have fun")
# A sign-off at the very end: "... ^JD", "... - Sam".
_SIGN_OFF = r"\^\w{1,4}\s*$|[-–—~]\s*[A-Z]\w{0,12}\s*$"
_GREETING_SCAN = WordScan(_GREETINGS)
_CLOSING_SCAN = WordScan(_CLOSINGS)
GREETING_RE = _GREETING_SCAN.rx
CLOSING_RE = re.compile(_CLOSING_SCAN.pattern + "|" + _SIGN_OFF, re.IGNORECASE)  # what has_closing looks for

_FINAL_WORD = re.compile(r"\w+\Z")
_NAME_START = re.compile(r"[A-Z]", re.IGNORECASE)
_DASHES = ("-", "–", "—", "~")


def _signed_off(text: str) -> bool:
    """_SIGN_OFF found in text, tested from the end rather than tried at every position: a match ends with the
    last run of word characters (then only spaces), right after "^" or after a dash and spaces."""
    text = text.rstrip()
    m = _FINAL_WORD.search(text, max(0, len(text) - 14))  # a longer run would not fit either
    if m is None:
        return False
    word, before = m.group(), text[:m.start()]
    if len(word) <= 4 and before.endswith("^"):
        return True
    return len(word) <= 13 and _NAME_START.match(word) is not None and before.rstrip().endswith(_DASHES)


def has_greeting(text: str) -> bool:
    return _GREETING_SCAN.search(text[:300])


def has_closing(text: str) -> bool:
    text = text[-400:]
    return _signed_off(text) or _CLOSING_SCAN.search(text)


def parse_time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t


def response_gaps(messages: list[dict]) -> list[tuple[int, float, bool]]:
    """(agent message index, seconds waited, is_first_response) for each agent reply to a customer message.

    The wait runs from the first customer message not yet answered to the agent's next message.
    """
    return gaps_between((msg["role"], msg.get("sent_at")) for msg in messages)


def gaps_between(messages: Iterable[tuple[str, object]]) -> list[tuple[int, float, bool]]:
    """response_gaps on (role, sent_at) pairs. A time is parsed only when it can make a gap: the agent's first,
    then the customer's it answers (so a conversation with untimed agent replies parses none)."""
    out, waiting, waiting_since, answered_once = [], False, None, False
    for i, (role, sent_at) in enumerate(messages):
        if role == "customer":
            if not waiting:
                waiting, waiting_since = True, sent_at
        elif role == "agent" and waiting:
            when = parse_time(sent_at)
            since = parse_time(waiting_since) if when is not None else None
            if since is not None:
                try:
                    gap = (when - since).total_seconds()
                except TypeError:  # naive vs aware timestamps
                    gap = None
                if gap is not None:
                    out.append((i, gap, not answered_once))
            answered_once, waiting = True, False
    return out


@lru_cache(maxsize=1)
def _chat_words() -> frozenset:
    lines = CHAT_WORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def is_english_word(word: str) -> bool:
    """Whether the spelling dictionary knows the (lower-case) word; loads the dictionary on first use."""
    return word in _spellchecker().word_frequency.dictionary


@lru_cache(maxsize=1)
def _spellchecker():
    from spellchecker import SpellChecker
    return SpellChecker(distance=1)  # only one-edit typos: "recieve", "shiping"; precision over recall


@lru_cache(maxsize=50_000)
def _correction(word: str) -> str | None:
    """'' for a known word, None for an unknown word without a close candidate, else the correction."""
    spell = _spellchecker()
    known = spell.word_frequency.dictionary
    if word in known or _known_variant(word, known):
        return ""
    fixed = spell.correction(word)
    return fixed if fixed and fixed != word else None


_SUFFIXES = ("s", "es", "ed", "ing", "er", "ers", "ly", "able", "ment", "ments", "ness", "ity")
_PREFIXES = ("re", "un", "pre", "non", "co", "de", "dis", "over", "under", "out", "up", "on", "in", "sub", "super",
             "multi", "auto", "self", "mis", "inter")


def _known_variant(word: str, known) -> bool:
    """Derived or compound forms of known words ("renderers", "rebooking", "onboard") are not typos."""
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and (stem in known or stem + "e" in known or
                                                         (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in known)):
            return True
    for prefix in _PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3 and (rest in known or _known_variant(rest, known)):
            return True
    return any(word[:i] in known and word[i:] in known for i in range(3, len(word) - 2))


# Lower-case words only (capitalized ones are names, acronyms or product codes); not inside URLs, e-mails,
# @handles, #tags, paths or words with digits. The character before the word is matched (a class, where SRE skips
# fast) instead of looked behind at: search " " + text, the word is group 1.
_CANDIDATE_WORD = re.compile(r"[^\w@#./:?&=%+'’-]([a-z]{4,20})(?![\w@/:=&%+'’-]|\.\w)")
# The same for ASCII text, where \w is [a-zA-Z0-9_]: a plain class is quicker to test than the Unicode category.
_ASCII_CANDIDATE_WORD = re.compile(r"[^a-zA-Z0-9_@#./:?&=%+'’-]([a-z]{4,20})(?![\w@/:=&%+'’-]|\.\w)")

# Words that never make a candidate whatever the policy: allow-listed, or _correction has no fix (known words,
# mostly). Most messages hold only such words, and one set test tells. Bounded: cleared when full (_correction
# keeps its own cache).
_PLAIN_WORDS: set[str] = set()
_PLAIN_WORDS_MAX = 50_000


def _any_fix(words: set, allow: frozenset) -> bool:
    """Whether a word of `words` (none a brand term) may be flagged; the others are noted in _PLAIN_WORDS."""
    for word in words:
        if word not in allow and _correction(word):
            return True
        if len(_PLAIN_WORDS) >= _PLAIN_WORDS_MAX:
            _PLAIN_WORDS.clear()
        _PLAIN_WORDS.add(word)
    return False


def misspellings(doc: Doc, brand_terms: frozenset, limit: int = 3) -> list[tuple[int, int, str, str]]:
    """(start, end, word, correction) for likely typos in agent text. Conservative by design."""
    text = " " + doc_text(doc)[:20_000]
    rx = _ASCII_CANDIDATE_WORD if text.isascii() else _CANDIDATE_WORD
    words = rx.findall(text)
    allow = _chat_words()
    if _PLAIN_WORDS.issuperset(words) or not _any_fix(set(words).difference(brand_terms, _PLAIN_WORDS), allow):
        return []  # no word with a correction (most messages)
    candidates = []
    checked = unknown = 0
    for m in rx.finditer(text):
        word = m.group(1)
        if word in allow or word in brand_terms:
            continue
        checked += 1
        fix = _correction(word)
        if fix == "":
            continue
        unknown += 1
        if fix:
            candidates.append((m.start(1) - 1, m.end(1) - 1, word, fix))
    # Many unknown words means another language or jargon: say nothing.
    if not candidates or (unknown >= 2 and unknown > 0.25 * checked):
        return []
    return candidates[:limit]

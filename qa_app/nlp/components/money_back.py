"""Times money takes to come back ("banks can take 3-5 days to post it", "it should show in 3-5 business days",
"refunds take 5 days") against the windows a customer has to act in ("refunded within 14 days of purchase"): only a
fact that is itself a time to process, release or pay back money is compared with such a time."""
from __future__ import annotations

import re

from ..policy import Fact
from ..quantities import Mention

MONEY_WORDS = re.compile(r"\b(?:bank|refund|money|deposit|funds|payment|payout|credit|charge)|[$€£]", re.IGNORECASE)
_BANKS_TIME = re.compile(r"\b(?:banks? (?:\w+ ){0,2}(?:take|process|post)|depending on (?:your|the) bank|"
                         r"bank(?:'s)? side|for (?:your|the) bank to)\b", re.IGNORECASE)
_MONEY_BACK = re.compile(
    r"\b(?:(?:show|appear)(?:s|ing)? (?:up|on|in|within|back)|(?:should|will|'ll|to|usually|can) (?:show|appear|"
    r"arrive)|back (?:on|to|in|into)|reach(?:es)? (?:your|the)|post(?:s|ed)?|lands?|hits? your|"
    r"processed|processing|to process|refunds? (?:(?:usually|typically|normally|generally|can|will|should|may|might|"
    r"often) )*take)\b", re.IGNORECASE)
# a fact that is a time to pay money back: its explanation says how the money moves
_PROCESSING = re.compile(r"\b(?:process\w*|reach\w*|releas\w*|appear\w*|lands?|posts?|posted|credited|"
                         r"(?:are|is|be) (?:issued|paid|sent)|paid (?:out|back)|payments? (?:are|is) made|"
                         r"back (?:on|to|in|into)|payment method|statement|bank account)\b", re.IGNORECASE)
# ... or its terms do ("refund time", "refund to show", "when will I get my refund")
_PAYING_TERM = re.compile(r"\b(?:process\w*|takes?|to show|shows?|appear\w*|back (?:on|to|in)|see the|"
                          r"when will i (?:get|see)|(?:refund|payout|deposit) time)\b", re.IGNORECASE)


def pays_back(fact: Fact) -> bool:
    """A time to pay money back ("Refunds reach your card within 5 business days"), not a window to act in."""
    terms = " | ".join(fact.about)
    return bool((_PROCESSING.search(fact.explanation) or _PAYING_TERM.search(terms)) and
                (MONEY_WORDS.search(fact.explanation) or MONEY_WORDS.search(terms)))


_CLAUSE_END = re.compile(r"[.!?;,](?:\s|$)|\s(?:and|but|so)\s")
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")


def only(facts: list[Fact]) -> Fact | None:
    return facts[0] if len(facts) == 1 else None


def money_coming_back(text: str, m: Mention, about_money: bool = False) -> bool:
    """The sentence holding the value puts the time on the bank, or its clause tells of money on its way back (a
    refund showing up) in a sentence about money."""
    def around(ends: re.Pattern) -> tuple[int, int]:
        return (max((e.end() for e in ends.finditer(text, 0, m.start)), default=0),
                next((e.start() for e in ends.finditer(text, m.end)), len(text)))
    (start, end), (clause_start, clause_end) = around(_SENTENCE_END), around(_CLAUSE_END)
    return _BANKS_TIME.search(text, start, end) is not None or (
        (about_money or MONEY_WORDS.search(text, start, end) is not None) and
        _MONEY_BACK.search(text, clause_start, clause_end) is not None)

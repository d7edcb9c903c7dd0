"""Sums a reply works out in the open and gets wrong, whatever the pack says: "$189 minus $75, which is $124",
"Lobes are $35 each, so $60 for both", "12 x $129 is $1,600". Only the plain shapes: two amounts and an operator, or
a price each and a count of people or things, then the outcome."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..quantities import Mention, find_quantities, parse_number
from .sums import money_text

_OPERATORS = {"plus": "+", "+": "+", "minus": "-", "less": "-", "-": "-", "–": "-"}
_OPERATOR_BETWEEN = re.compile(r"\s*(plus|\+|minus|less|-|–)\s*$", re.IGNORECASE)
# between the second amount (or the price each) and the outcome
_OUTCOME_BETWEEN = re.compile(r",?\s*(?:which is|which comes to|that's|that is|so|is|=|comes to|makes|gives you)"
                              r"\s*(?:just |only |exactly )?$", re.IGNORECASE)
_EACH_BETWEEN = re.compile(r"\s*(?:each|apiece|per person|a head|per head),?\s*(?:so|that's|which is|which makes)\s*"
                           r"(?:just |only )?$", re.IGNORECASE)
# "for both", "for the two of you", "for all three", "for 4"
_COUNT_AFTER = re.compile(r"\s*(?:in total\s*)?for\s+(?:(both)|the\s+([a-z]+|\d+)\s+of\s+(?:you|them|us)|"
                          r"all\s+([a-z]+|\d+)|(?:the\s+)?([a-z]+|\d+)\b)", re.IGNORECASE)
_TIMES_BETWEEN = re.compile(r"\s*(?:x|×|\*|times)\s*$", re.IGNORECASE)
_COUNT_BEFORE = re.compile(r"(\d+|[a-z]+)\s*$", re.IGNORECASE)
_SLACK = 0.01


@dataclass(frozen=True)
class WrongArithmetic:
    working: str          # "$189 - $75", "2 x $35"
    right: float
    mention: Mention      # the stated outcome

    def explanation(self) -> str:
        unit = self.mention.quantity.unit
        return f"{self.working} is {money_text(self.right, unit)}, not {money_text(self.mention.quantity.low, unit)}."


def wrong_arithmetic(text: str) -> list[WrongArithmetic]:
    if "$" not in text and "€" not in text and "£" not in text:
        return []  # most replies
    amounts = [m for m in find_quantities(text, "money") if m.quantity.low == m.quantity.high]
    out = []
    for a, b, c in zip(amounts, amounts[1:], amounts[2:]):  # "$189 minus $75, which is $124"
        op = _OPERATOR_BETWEEN.fullmatch(text, a.end, b.start)
        chained = _OPERATOR_BETWEEN.search(text, max(0, a.start - 8), a.start)  # "$1 + $12 + $15 = $28"
        if op and not chained and _OUTCOME_BETWEEN.fullmatch(text, b.end, c.start):
            sign = _OPERATORS[op.group(1).lower()]
            right = a.quantity.low + b.quantity.low if sign == "+" else a.quantity.low - b.quantity.low
            unit = a.quantity.unit
            out += _if_wrong(f"{money_text(a.quantity.low, unit)} {sign} {money_text(b.quantity.low, unit)}", right, c)
    for each, total in zip(amounts, amounts[1:]):
        if _EACH_BETWEEN.fullmatch(text, each.end, total.start):  # "$35 each, so $60 for both"
            n = _count_after(text, total.end)
            if n:
                out += _if_wrong(_times(n, each), n * each.quantity.low, total)
        times = _TIMES_BETWEEN.search(text, max(0, each.start - 6), each.start)
        count = _COUNT_BEFORE.search(text, max(0, each.start - 20), times.start()) if times else None
        n = parse_number(count.group(1)) if count else None
        if n and _OUTCOME_BETWEEN.fullmatch(text, each.end, total.start):  # "12 x $129 is $1,600"
            out += _if_wrong(_times(n, each), n * each.quantity.low, total)
    return out


def _count_after(text: str, at: int) -> float | None:
    m = _COUNT_AFTER.match(text, at)
    if not m:
        return None
    if m.group(1):
        return 2.0
    word = next(g for g in m.groups()[1:] if g)
    n = parse_number(word)
    return n if n is not None and n >= 2 and n == int(n) else None


def _if_wrong(working: str, right: float, said: Mention) -> list[WrongArithmetic]:
    return [WrongArithmetic(working, right, said)] if abs(said.quantity.low - right) > _SLACK else []


def _times(n: float, each: Mention) -> str:
    return f"{n:g} x {money_text(each.quantity.low, each.quantity.unit)}"

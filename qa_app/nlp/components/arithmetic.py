"""Sums a reply works out in the open and gets wrong, whatever the pack says: "$189 minus $75, which is $124",
"Lobes are $35 each, so $60 for both", "12 x $129 is $1,600", "At $95 each, three stumps comes to $265", "15% plus
10%, so 35% off". Only the plain shapes: two amounts and an operator, or a price each and a count of people or things,
then the outcome."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..quantities import SENTENCE, Mention, find_quantities, parse_number
from .sums import HEDGED, money_text

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
_TIMES_COUNT_AFTER = re.compile(r"\s*(?:x|×|\*|times)\s*(\d+|[a-z]+)\b", re.IGNORECASE)
# a price of one thing: "$20 per item", "$15 a day", "at $35", "Each case of 2,000 is $45", "A day late is $15"
_ONE_AFTER = re.compile(r"\s*(?:each|apiece|per\s+[a-z]+|an?\s+(?:day|night|hour|head|person|week|item|piece|one))\b",
                        re.IGNORECASE)
_ONE_BEFORE = re.compile(r"(?:\bat|\b(?:a|an|one|each|per)\s+[a-z]+(?:\s+of\s+[\d,]+|\s+[a-z]+)?\s+"
                         r"(?:is|are|costs?))\s*$", re.IGNORECASE)
# then the outcome, right before the total: "so", "that's", "comes to", "would be"
_TOTAL_BEFORE = re.compile(r"\b(?:so|that's|that is|is|comes? to|would be|will be|that'll be|it'll be|makes|"
                           r"works out to|=)\s*"
                           r"(?:just |only |about |around |roughly )?$", re.IGNORECASE)
# a total that takes more than the price and the count: a discount, a deposit, a fee or credit on top
_MORE_THAN_A_PRODUCT = re.compile(r"%|\b(?:percent|off|discount\w*|deposit\w*|minus|less|plus|tax\w*|credit\w*|"
                                  r"waiv\w*|minimum|cap|first|then|after|before|balance|rest|remaining|save\w*|"
                                  r"saving\w*|up ?front|on top|instead|free|fee|fees|there and back|return|"
                                  r"round trip|each way)\b",
                                  re.IGNORECASE)
# numbers that are no count of what the price is for: "the 12th", "at 5pm", "2,000" paintballs "of" a case
_NOT_A_MULTIPLIER = re.compile(r"(?:th|st|nd|rd)\b|\s*(?::|am\b|pm\b|a\.m|p\.m|%|percent|-year)", re.IGNORECASE)
_NOT_A_COUNT_BEFORE = re.compile(r"(?:[$€£#.,]|\bof\s)$", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\d,.])\b(?:\d{1,2}|both|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"fifteen|twenty|thirty|forty|fifty)\b(?![\d,.]\d)", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,;:—–]\s")
_SLACK = 0.01


@dataclass(frozen=True)
class WrongArithmetic:
    working: str          # "$189 - $75", "2 x $35"
    right: float
    mention: Mention      # the stated outcome

    def explanation(self) -> str:
        unit = self.mention.quantity.unit
        said = (lambda x: f"{x:g}%") if unit == "%" else (lambda x: money_text(x, unit))
        return f"{self.working} is {said(self.right)}, not {said(self.mention.quantity.low)}."


def wrong_arithmetic(text: str) -> list[WrongArithmetic]:
    if "$" not in text and "€" not in text and "£" not in text:
        return _percent_sums(text)  # most replies: []
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
        after = _TIMES_COUNT_AFTER.match(text, each.end)  # "$65 x 12 is $720"
        n = parse_number(after.group(1)) if after else None
        if n and _OUTCOME_BETWEEN.fullmatch(text, after.end(), total.start):
            out += _if_wrong(_times(n, each), n * each.quantity.low, total)
    return out + _priced_totals(text, amounts) + _percent_sums(text)


def _priced_totals(text: str, amounts: list[Mention]) -> list[WrongArithmetic]:
    """A price of one thing, a count, then a total that is not the price times the count (or times a product of
    the sentence's counts: "$12 a day for 2 kids over 5 days"): "Alterations are $20 per item, so for the three
    dresses that's $50 in total". `amounts`: the reply's single amounts, found once by the caller."""
    if _MORE_THAN_A_PRODUCT.search(text):
        return []
    out = []
    for sentence in SENTENCE.finditer(text):
        first, end = sentence.start(), sentence.end()
        here = [m for m in amounts if first <= m.start and m.end <= end and m.quantity.low > 0]
        for price, total in zip(here[:1], here[1:2]):  # a second price would be added in
            if not (_ONE_AFTER.match(text, price.end, end) or _ONE_BEFORE.search(text, first, price.start)) or \
                    not _TOTAL_BEFORE.search(text, price.end, total.start) or \
                    total.quantity.low <= price.quantity.low or \
                    _ONE_AFTER.match(text, total.end, end):  # "which works out to $15 an hour" is another price
                continue
            counts = _counts_near(text, (first, end), price, total)
            hedged = HEDGED.search(text, max(first, total.start - 12), total.start)
            slack = _SLACK + (0.05 * total.quantity.low if hedged else 0)
            if not counts or any(abs(total.quantity.low - price.quantity.low * n) <= slack for n in _products(counts)):
                continue
            near = min(counts, key=lambda c: abs(c[1] - price.start))[0]
            out += _if_wrong(_times(near, price), near * price.quantity.low, total)
    return out


def _counts_near(text: str, sentence: tuple[int, int], price: Mention, total: Mention) -> list[tuple[float, int]]:
    """(count, offset) of the whole numbers from 2 to 99 that may multiply the price: from the start of its clause
    ("two entries at $35") to just after the total ("$35 for the three days"), within the sentence."""
    first, end = sentence
    out = []
    begin = max([first] + [m.end() for m in _CLAUSE_START.finditer(text, first, price.start)])
    for m in _NUMBER.finditer(text, begin, min(end, total.end + 25)):
        n = 2.0 if m.group().lower() == "both" else parse_number(m.group())
        if n is None or not (2 <= n <= 99) or n != int(n) or price.start <= m.start() < price.end or \
                _NOT_A_MULTIPLIER.match(text, m.end(), end) or _NOT_A_COUNT_BEFORE.search(text, first, m.start()):
            continue
        out.append((n, m.start()))
    return out


def _products(counts: list[tuple[float, int]]) -> list[float]:
    products = [1.0]
    for n, _ in counts[:3]:
        products += [p * n for p in products]
    return products[1:]


def _percent_sums(text: str) -> list[WrongArithmetic]:
    """Two percentages with "plus" or "minus", then the outcome: "15% plus 10%, so 35% off in total"."""
    if "%" not in text:
        return []
    out = []
    shares = [m for m in find_quantities(text, "percent") if m.quantity.low == m.quantity.high]
    for a, b, c in zip(shares, shares[1:], shares[2:]):
        op = _OPERATOR_BETWEEN.fullmatch(text, a.end, b.start)
        if op and op.group(1).lower() in ("plus", "+", "minus") and _OUTCOME_BETWEEN.fullmatch(text, b.end, c.start):
            sign = _OPERATORS[op.group(1).lower()]
            right = a.quantity.low + b.quantity.low if sign == "+" else a.quantity.low - b.quantity.low
            out += _if_wrong(f"{a.quantity.low:g}% {sign} {b.quantity.low:g}%", right, c)
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

"""Money worked out from a rate of the policy pack: "A four-hour session would be around $800" when the pack says
$180 per hour. The amount must be the count times the rate; a reply that states another is wrong about the rate even
though it never names it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..policy import Fact
from ..quantities import Mention, find_quantities, parse_number
from .accuracy import is_event

# "$180 per hour", "$55 per night, regardless of the dog's size", "$0.14 per source word"; one unit only ("$45 per
# lane per hour" is two rates in one)
_PER_UNIT = re.compile(r"\bper\s+(?:(?:source|additional|extra|adult|child|standard|single|full)\s+)?([a-z]+)\b",
                       re.IGNORECASE)
# words after "per" that are no unit of a count ("per cent", "per the terms")
_NOT_UNITS = {"cent", "the", "your", "our", "order", "booking", "visit", "account", "household", "year", "week",
              "month", "day"}  # billing periods: "3 months" of a plan are rarely worked out in a chat
# a reply that adds, takes off or caps amounts works its sum out from more than the rate
_OTHER_TERMS = re.compile(r"%|\b(?:percent|off|discount\w*|deposit\w*|minus|plus|tax|taxes|fee|fees|credit\w*|refund\w*|"
                          r"minimum|min|cap|capped|max|maximum|extra|surcharge|save|saving|savings|back|instead|"
                          r"difference|waiv\w*|first|second|then|payment|paid|charg\w*|flat)\b",
                          re.IGNORECASE)
_NOT_BILLED_AFTER = re.compile(r"['’]?\s*(?:notice|before|ahead|in advance|prior|after|later|from now|early|late|"
                               r"or more|or less|window|hold)\b", re.IGNORECASE)
_TIMES_BEFORE = re.compile(r"(?:\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|several|both|each|per|every))\s+$",
                           re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# a rounded answer is not a wrong rate: "$500" for 4 x $124.50 = $498, "about $700" for 4 x $180 = $720
_TOLERANCE = 0.02
_HEDGED_TOLERANCE = 0.05
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
HEDGED = re.compile(r"\b(?:about|around|roughly|approximately|approx|circa|ballpark)\b|~", re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    fact: Fact
    value: float          # money per unit
    unit: str             # singular noun: "hour", "night", "player"
    count_re: re.Pattern  # "4 hours", "four-hour", "150 words"


@dataclass(frozen=True)
class WrongSum:
    rate: Rate
    count: float
    mention: Mention

    def explanation(self) -> str:
        units = self.rate.unit if self.count == 1 else self.rate.unit + "s"
        currency = self.rate.fact.values[0].unit
        return (f"{_number(self.count)} {units} at {money_text(self.rate.value, currency)} per {self.rate.unit} is "
                f"{money_text(self.count * self.rate.value, currency)}, not "
                f"{money_text(self.mention.quantity.low, currency)}. {self.rate.fact.explanation}").strip()


def rates_of(facts: list[Fact]) -> list[Rate]:
    """The money facts whose single allowed value is a price per one unit of a countable thing."""
    out = []
    per = {f.id: _units(f) for f in facts if f.kind == "money"}
    for fact in facts:
        if fact.kind != "money" or len({(v.low, v.high) for v in fact.values}) != 1 or fact.values[0].low <= 0 or \
                len(per[fact.id]) != 1:
            continue
        unit = next(iter(per[fact.id]))
        # a unit two money facts are priced per ("$32 per player", "$15 per player" to cancel) leaves a sum ambiguous
        if unit in _NOT_UNITS or any(unit in units for fid, units in per.items() if fid != fact.id):
            continue
        count_re = re.compile(rf"(?<![\w$€£.,])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)?)"
                              rf"(?:[\s-]+|\s+(?:[a-z]+\s+)?){unit}s?\b", re.IGNORECASE)
        out.append(Rate(fact, fact.values[0].low, unit, count_re))
    return out


def _units(fact: Fact) -> set[str]:
    units = {u.lower() for u in _PER_UNIT.findall(" ".join((fact.explanation, *fact.allowed)))}
    return {u[:-1] if u.endswith("s") and not u.endswith("ss") else u for u in units}


def wrong_sums(rates: list[Rate], text: str, question: str | None) -> list[WrongSum]:
    """Amounts in a reply that should be a count of a rate's unit (in the reply, or in the question it answers)
    times the rate, and are not. Only plain products: a reply that also adds, takes off or caps amounts is left
    alone, and so is a reply with more than one amount besides the rate itself, or one that reports a past event
    ("I've charged $150")."""
    low, asked = text.lower(), (question or "").lower()
    near = [rate for rate in rates if rate.unit in low or rate.unit in asked]  # most replies: a substring test
    if not near or _OTHER_TERMS.search(text):
        return []
    amounts = None
    out = []
    for rate in near:
        counts = _counts(rate, text) or ([] if not question or _OTHER_TERMS.search(question)
                                        else _counts(rate, question, in_reply=False))
        if len(counts) != 1:
            continue
        if amounts is None:
            amounts = [m for m in find_quantities(text, "money") if m.quantity.low > 0]
        others = [m for m in amounts if abs(m.quantity.low - rate.value) > 1e-9]
        if len(others) != 1 or _is_rate(text, others[0], rate):
            continue
        (count, where), amount = counts[0], others[0]
        if where >= 0 and _SENTENCE_END.search(text, min(where, amount.start), max(where, amount.start)):
            continue  # "It's $100. I've put a 24-hour hold on it": the count is another sentence's
        expected = count * rate.value
        hedged = HEDGED.search(text, max(0, amount.start - 20), amount.start) is not None
        if amount.quantity.low == amount.quantity.high and not is_event(text, amount) and \
                abs(amount.quantity.low - expected) > (_HEDGED_TOLERANCE if hedged else _TOLERANCE) * expected:
            out.append(WrongSum(rate, count, amount))
    return out


def _counts(rate: Rate, text: str, in_reply: bool = True) -> list[tuple[float, int]]:
    """(count, where in the reply or -1) of each "4 hours", "four-hour" in the text."""
    found = []
    for m in rate.count_re.finditer(text):
        n = parse_number(m.group("n"))
        if n is None or n < 2 or m.group("n").lower() in ("a", "an"):
            continue
        if _NOT_BILLED_AFTER.match(text, m.end()) or _TIMES_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            return []  # "24 hours' notice" counts no billed hours; "three 4-hour visits" is a product of two counts
        found.append((n, m.start() if in_reply else -1))
    return found


def _is_rate(text: str, m: Mention, rate: Rate) -> bool:
    """"$200 per hour", "$200 an hour": the amount is a rate itself (another rule reads it against the pack)."""
    after = text[m.end:m.end + 30].lower()
    return re.match(rf"\s*(?:per|a|an|each|/)\s*(?:[a-z]+\s+)?{rate.unit}\b", after) is not None


def money_text(x: float, currency: str) -> str:
    return f"{_SYMBOLS[currency]}{_number(x)}" if currency in _SYMBOLS else f"{_number(x)} {currency}"


def _number(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"

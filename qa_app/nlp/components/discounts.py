"""Prices worked out with a discount: "Aeration is $120, and seniors get 15% off, so you'd pay $96" (15% off $120 is
$102). The discount is the percent the reply states, or else the pack's value of the discount it names; the price
it comes off is the amount the reply gave before, or else the one in the customer's question ("my quote is $900")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..policy import Fact
from ..quantities import Mention, find_quantities
from .accuracy import is_event
from .sums import HEDGED, money_text

_MAY_HOLD_A_DISCOUNT = re.compile(r"%|\b(?:percent|off|discount\w*)\b", re.IGNORECASE)
# what comes before the price after the discount: "so you'd pay", "that comes to", "that's"
_RESULT_BEFORE = re.compile(
    r"(?:\bso|\bpay|\bpaying|\bcomes? to|\bcome out at|\bthat's|\bthat is|\bthat'd be|\bthat would be|\bit's|"
    r"\bit'd be|\bit would be|\bwould be|\bworks out (?:to|at)|\bbrings? (?:it|that) (?:down )?to|\bdown to|"
    r"\bmaking it|\bmakes it|"
    r"\bleaves you (?:with|at)|\bonly|\bjust|\btotal(?: of)?|\bis)\s*(?:just |only |about |around |roughly )?$",
    re.IGNORECASE)
# a discount on a discount, or a sum with more in it, is not one price less one percent
_MORE_THAN_ONE = re.compile(r"\+|\b(?:on top|plus|stack\w*|another|extra|additional|combined|both discounts|tax|"
                            r"shipping|delivery|deposit|minus\s+(?:the\s+|your\s+|a\s+)?[$€£]|credit|instead of|"
                            r"surcharge|markup|apr|interest)\b", re.IGNORECASE)
# the percent is a discount: "15% off", "a 10% discount", "with the member discount"
_OFF_AFTER = re.compile(r"\s*(?:off|discount)\b", re.IGNORECASE)
# "$1,850 minus 10%", "your 10% brings it to", "You'll save 10 percent on each visit"
_OFF_BEFORE = re.compile(r"\b(?:minus|less|your|save|saving)\s*$", re.IGNORECASE)
# "You'd pay $25.50 with your member discount": the price after the discount comes before it
_WITH_DISCOUNT_AFTER = re.compile(r"\s+with\s+(?:your|the|a|an)\s+(?:[\w-]+\s+){0,2}discount", re.IGNORECASE)
_NO_DISCOUNT = re.compile(r"\b(?:no|not|isn't|doesn't|don't|without)\b[^.]{0,30}\bdiscount", re.IGNORECASE)
_OF_AMOUNT = re.compile(r"\s+of\s+(?:the\s+|your\s+)?$", re.IGNORECASE)  # "5% of £189": the price it is a share of
_TIMES = range(1, 11)  # "both goldens are $80 each": the price may be for several
_NEAR = 45  # characters at most between the cue and the price after the discount


@dataclass(frozen=True)
class WrongDiscount:
    percent: float
    base: float
    currency: str
    mention: Mention
    fact: Fact | None  # the discount of the pack the reply named, when it stated no percent

    def explanation(self) -> str:
        right = self.base * (1 - self.percent / 100)
        said = (f"{_percent(self.percent)} off {money_text(self.base, self.currency)} is "
                f"{money_text(right, self.currency)}, not {money_text(self.mention.quantity.low, self.currency)}.")
        return f"{said} {self.fact.explanation}".strip() if self.fact else said


def wrong_discounts(text: str, question: str | None, named: Fact | None) -> list[WrongDiscount]:
    """The price after a discount in a reply, when it is neither the price less the discount, the discount itself
    ("you save $18"), nor one full price and one discounted ("the second child gets 10% off")."""
    if not _MAY_HOLD_A_DISCOUNT.search(text) or _MORE_THAN_ONE.search(text):
        return []  # most replies
    percents = [m for m in find_quantities(text, "percent") if not is_event(text, m)]
    if len(percents) > 1 or (not percents and (named is None or len({v.low for v in named.values}) != 1)):
        return []
    percent = percents[0].quantity.low if percents else named.values[0].low
    if not 0 < percent < 100 or (percents and not _a_discount(text, percents[0])) or \
            (not percents and _NO_DISCOUNT.search(text)):
        return []  # "75% of what's left" is no discount
    after = percents[0].end if percents else _discount_word_end(text)
    amounts = [m for m in find_quantities(text, "money") if m.quantity.low == m.quantity.high and m.quantity.low > 0]
    outcomes = _outcomes(text, amounts, after, named_only=not percents)
    if not outcomes:
        return []
    asked = [m.quantity.low for m in find_quantities(question or "", "money") if m.quantity.low == m.quantity.high]
    if question and _MORE_THAN_ONE.search(question):
        asked = []
    share = percent / 100
    for result in outcomes:  # right if any outcome is right from any price before it
        slack = 0.5 if not HEDGED.search(text, max(0, result.start - 12), result.start) else \
            0.02 * result.quantity.low
        prices = {m.quantity.low for m in amounts if m.end <= result.start} | set(asked)
        if any(_fits(result.quantity.low, price, share, slack) for price in prices - {result.quantity.low}):
            return []
    result = outcomes[-1]
    base = _price_it_comes_off(text, amounts, percents, result, asked)
    if base is None:
        return []
    return [WrongDiscount(percent, base, result.quantity.unit, result, None if percents else named)]


def _outcomes(text: str, amounts: list[Mention], after: int | None, named_only: bool) -> list[Mention]:
    """The amounts after the discount said as its outcome ("so you'd pay $96"), or before "with your member
    discount" when the reply names a discount without its percent."""
    found = [m for m in amounts if after is not None and m.start >= after and not is_event(text, m) and
             _RESULT_BEFORE.search(text, max(0, m.start - _NEAR), m.start)]
    if not found and named_only:
        found = [m for m in amounts if _WITH_DISCOUNT_AFTER.match(text, m.end) and not is_event(text, m)][:1]
    return found


def _price_it_comes_off(text: str, amounts: list[Mention], percents: list[Mention], result: Mention,
                        asked: list[float]) -> float | None:
    """The one it is a share of ("5% of £189"), the last one before ("2 at $55 each is $110, so with the discount
    ..."), or the question's only one other than the outcome ("would it be $22.50?" asks about the outcome)."""
    of = next((m for m in amounts if percents and m.start > percents[0].end and
               _OF_AMOUNT.fullmatch(text, percents[0].end, m.start)), None)
    earlier = [m.quantity.low for m in amounts if m.end <= result.start and m.quantity.low != result.quantity.low]
    asked = [a for a in asked if a != result.quantity.low]
    return of.quantity.low if of else earlier[-1] if earlier else asked[0] if len(asked) == 1 else None


def _fits(said: float, price: float, share: float, slack: float) -> bool:
    """Less the discount, the discount itself, or n prices less it, or one of n discounted ("the second gets 10%
    off")."""
    return abs(said - price * share) <= slack or \
        any(abs(said - right) <= slack for n in _TIMES for right in (n * price * (1 - share), price * (n - share)))


def _a_discount(text: str, m: Mention) -> bool:
    return bool(_OFF_AFTER.match(text, m.end) or _OFF_BEFORE.search(text, max(0, m.start - 10), m.start) or
                "discount" in text.lower())


def _discount_word_end(text: str) -> int | None:
    m = re.search(r"\bdiscount\w*", text, re.IGNORECASE)
    return m.end() if m else None


def _percent(x: float) -> str:
    return f"{x:g}%"

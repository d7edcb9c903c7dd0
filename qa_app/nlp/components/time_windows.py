"""Visits booked as a range of clock times ("He'll come anytime between 8 and noon", "moved you to Tuesday 8 to
8:30am") read against the pack's arrival window ("Technicians arrive within a booked two-hour window"): the range's
length is the window the reply gives, though it never says "window" or a number of hours."""
from __future__ import annotations

import re

from ..policy import Fact
from ..quantities import SENTENCE, Mention, Quantity, find_quantities, within_any

_CLOCK = r"(\d{1,2})(?::([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(rf"\b(between\s+)?{_CLOCK}\s*(?:to|-|–|—|and|until|till)\s*(?:{_CLOCK}|(noon|midday))\b",
                    re.IGNORECASE)
# "3 to 5 business days", "ages 7-13", "8-10 people": a range of other things
_NOT_CLOCK_AFTER = re.compile(r"\s*(?:%|(?:business|working|days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes|"
                              r"people|kids|guests|players|percent|year-olds?)\b)", re.IGNORECASE)
# opening hours, phone lines and call-backs are ranges too, but no visit ("we're open 9am to 6pm", "Sundays from
# 9 AM to 3 PM")
_NOT_A_VISIT = re.compile(r"\b(?:open|opening|hours|hear|call|calls|calling|phone|line|reach|ring|busiest|office|"
                          r"desk|runs?|closed|lunch|daily|weekdays|weekends|"
                          r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b", re.IGNORECASE)
_WINDOW_TERM = re.compile(r"\b(?:window|slot)s?\b", re.IGNORECASE)
_PM = {None: 0, "am": 0, "pm": 720}
_SHORTEST, _LONGEST = 30, 8 * 60  # minutes: an arrival window, not a notice period or a same-day promise


def window_fact(facts: list[Fact]) -> Fact | None:
    """The pack's one arrival or time-slot window: a duration named "... window" or "... slot" of half an hour to
    eight hours. None when there is none, or several (a range could be any of them)."""
    found = [f for f in facts if f.kind == "duration" and any(_WINDOW_TERM.search(t) for t in f.about)
             and all(v.unit == "minutes" and _SHORTEST <= v.low <= v.high <= _LONGEST for v in f.values)]
    return found[0] if len(found) == 1 else None


def window_statements(text: str, fact: Fact) -> list[tuple[Mention, bool]]:
    """Each clock-time range of a visit in `text`, as the window's length and whether the pack allows it. A reply
    that states the window itself ("slots come in 2-hour windows") is read by its terms instead."""
    if not any(c.isdigit() for c in text):
        return []  # most replies
    out = []
    for sentence in SENTENCE.finditer(text):
        part = sentence.group()
        if _NOT_A_VISIT.search(part):
            continue
        for m in _RANGE.finditer(part):
            minutes = _length(m)
            if minutes is None or _NOT_CLOCK_AFTER.match(part, m.end()):
                continue
            quantity = Quantity("duration", "minutes", minutes, minutes)
            start = sentence.start() + m.start() + (len(m.group(1)) if m.group(1) else 0)
            out.append((Mention(quantity, start, sentence.start() + m.end()), within_any(quantity, fact.values)))
    if any(not ok for _, ok in out) and any(within_any(q.quantity, fact.values)
                                             for q in find_quantities(text, "duration")):
        return []  # the reply says the right window in words too
    return out


def _length(m: re.Match) -> float | None:
    """Minutes from the first clock time to the second, or None when the range is no pair of clock times."""
    first, second = _clock(m.group(2), m.group(3), m.group(4)), _clock(m.group(5), m.group(6), m.group(7))
    if m.group(8):
        second = (0, "pm")  # noon: twelve on the afternoon side
    if first is None or second is None:
        return None
    said_as_times = m.group(1) or m.group(8) or first[1] or second[1] or m.group(3) or m.group(6)
    if not said_as_times:
        return None  # "3-5", "8 to 10": counts as often as times
    (a, a_half), (b, b_half) = first, second
    if a_half is None and b_half is not None:  # "8 to 10am" is morning, "10 to 1pm" starts in the morning
        a_half = b_half if a + _PM[b_half] < b + _PM[b_half] else "am"
    a, b = a + _PM[a_half], b + _PM[b_half or a_half]
    if b <= a:
        b += 720  # "between 10 and 1", "11am to 1" on a twelve-hour clock
    minutes = b - a
    return float(minutes) if _SHORTEST // 2 <= minutes <= 12 * 60 else None


def _clock(hour: str | None, minute: str | None, half: str | None) -> tuple[int, str | None] | None:
    if hour is None:
        return None
    h = int(hour)
    if h > 12 or (h == 0 and not minute):
        return None  # 24-hour times are rarely ranges in chats; "0" is no time
    half = half.lower().replace(".", "") if half else None
    return (h % 12) * 60 + int(minute or 0), half

"""Ages said as who may come, read against the pack's minimum age ("Players must be at least 10 years old"): "guests
need to be 18 or over" and "they'll each need to be at least 14" state another minimum; "eight-year-olds can play"
lets in an age below it. Only where the reply or the question talks about age, so "groups of 6 or more" stay group
sizes."""
from __future__ import annotations

import re

from ..policy import Fact
from ..quantities import Mention, Quantity, parse_number

_N = r"(\d{1,2}|[a-z]+(?:-[a-z]+)?)"
# a minimum: "18 or over", "16+", "14 and up", "at least 14", "need to be 18", "must be 12", "from seven up"
_MINIMUM = re.compile(rf"\b(?:at least|(?:(?:need|needs|have|has) to|must) be(?: at least)?|minimum age is|from age)\s+"
                      rf"{_N}\b(?![\s-]*(?:days?|weeks?|months?|hours?|minutes?|people|guests|players|kids|%))"
                      rf"|\b{_N}(?:\s*\+|\s+or\s+(?:over|older|above)\b|\s+and\s+(?:over|up|older)\b)"
                      rf"|\bfrom\s+(?:age\s+)?{_N}\s+(?:and\s+)?up\b",  # "we take kids from seven up"
                      re.IGNORECASE)
# an age let in: "eight-year-olds can play", "12 year olds are welcome"
_LET_IN = re.compile(rf"\b{_N}[\s-]+years?[\s-]+olds?\s+(?:can|are welcome|are allowed|may|are fine|are ok)\b",
                     re.IGNORECASE)
_ABOUT_AGE = re.compile(r"\b(?:age|ages|aged|old|older|year|years|teen\w*|kids?|child\w*|son|daughter|nephew|niece|"
                        r"grandson|granddaughter|minor|minors|adult|adults|under-?\d+s?|birthday)\b", re.IGNORECASE)
_YOUNGEST, _OLDEST = 3, 25  # minimum ages in packs; "18 or over" yes, "100 or more" no


def minimum_age_fact(facts: list[Fact], is_age_limit) -> Fact | None:
    """The pack's one count that is a minimum age (its words say age, and not "at most"), or None."""
    found = [f for f in facts if f.kind == "count" and is_age_limit(f) and
             not re.search(r"\b(?:max\w*|at most|up to|under)\b", f"{f.id.replace('_', ' ')} {f.explanation}", re.I)]
    return found[0] if len(found) == 1 else None


def age_statements(text: str, question: str | None, fact: Fact) -> list[tuple[Mention, bool]]:
    """Each age the reply states as a minimum, or lets in, with whether the pack's minimum allows it."""
    if not (_ABOUT_AGE.search(text) or (question and _ABOUT_AGE.search(question))):
        return []  # most replies
    least = min(v.low for v in fact.values)
    out = []
    for m in _MINIMUM.finditer(text):
        group = next(i for i in (1, 2, 3) if m.group(i))
        age = _age(m.group(group))
        if age is not None:
            out.append((_mention(age, m.start(group), m.end(group)), any(v.low <= age <= v.high for v in fact.values)))
    for m in _LET_IN.finditer(text):
        age = _age(m.group(1))
        if age is not None:
            out.append((_mention(age, m.start(1), m.end(1)), age >= least))
    return out


def _age(word: str) -> float | None:
    age = parse_number(word)
    return age if age is not None and age == int(age) and _YOUNGEST <= age <= _OLDEST else None


def _mention(age: float, start: int, end: int) -> Mention:
    return Mention(Quantity("count", "count", age, age), start, end)

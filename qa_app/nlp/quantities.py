"""Find and normalize quantities (durations, money, percents, counts) in text.

Equivalence rule (documented in the README):
* durations compare inside their family: days (day, week = 7, fortnight = 14; business/working days count
  as days), months (month, year = 12) and minutes (minute, hour = 60). Across the day and month families a
  month is 30.44 days and two values are equal when they differ by at most 2% (so 12 months = 1 year = 365 days,
  1 month = 30 days, 3 months = 90 days, but 4 weeks != 1 month).
* money compares amount and currency ($15 = $15.00 = "fifteen dollars" = 15 USD).
* percents and counts compare numerically ("ten percent" = 10%, "two" = 2).
A stated range (3-5 days) or single value is allowed when it lies inside an allowed value or range.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

KINDS = ("duration", "money", "percent", "count")

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
WORD_NUMBERS: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS)}
WORD_NUMBERS.update({w: float(v) for w, v in _TENS.items()})
for _t, _v in _TENS.items():
    for _i, _u in enumerate(_UNITS[1:10], start=1):
        WORD_NUMBERS[f"{_t}-{_u}"] = float(_v + _i)
        WORD_NUMBERS[f"{_t} {_u}"] = float(_v + _i)
WORD_NUMBERS.update({"hundred": 100.0, "a hundred": 100.0, "one hundred": 100.0, "a dozen": 12.0, "dozen": 12.0,
                     "half": 0.5, "a half": 0.5, "twice": 2.0, "thrice": 3.0,  # not "once": "once it ships"
                     "dozen and a half": 18.0, "a couple of": 2.0, "half a dozen": 6.0})

# Number words are matched generically and validated by parse_number (a 180-way alternation is slow).
_WORDNUM = r"[a-z]+(?:-[a-z]+)?"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_WORDNUM})"
_ARTICLE_NUM = rf"(?:{_NUM}|an?)"
# "one hundred and fifty", "two thousand" (amounts of money in words)
_HUNDREDS = rf"(?:{_WORDNUM}\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_WORDNUM})?)"

# unit word -> (family, factor to the family's base unit)
_DURATION_UNITS = {
    "minute": ("minutes", 1), "min": ("minutes", 1), "hour": ("minutes", 60), "hr": ("minutes", 60),
    "h": ("minutes", 60),
    # families of their own: compared only with values given in them ("3 nights" of a stay, "45 seconds" to respond)
    "night": ("nights", 1), "second": ("seconds", 1), "sec": ("seconds", 1),
    "day": ("days", 1), "business day": ("days", 1), "working day": ("days", 1), "calendar day": ("days", 1),
    "week": ("days", 7), "business week": ("days", 7), "fortnight": ("days", 14),
    "month": ("months", 1), "year": ("months", 12), "yr": ("months", 12), "decade": ("months", 120), "wk": ("days", 7),
}
# "h" only right after a digit ("4 h", "24h"): "six-month" is not "six-mont" + "h"
_UNIT_RE = (r"(?:business |working |calendar )?"
            r"(?:days?|nights?|weeks?|wks?|months?|years?|yrs?|decades?|hours?|hrs?|(?<=\d)h|(?<=\d\s)h|minutes?|mins?|"
            r"seconds?|secs?)")

DURATION_RE = re.compile(
    # quarter hours first: "a quarter of an hour" is 15 minutes, not the hour it ends with
    r"\b(?:(?P<quarters>a|one|three)[\s-]+)?(?P<quarter>quarters?)(?:\s+of\s+an|[\s-])\s*hour\b"
    # notice said as a day ("cancel free up until the day before", "let us know the day before"), before "the day"
    # is read
    r"|(?:(?<=until )|(?<=till )|(?<=by )|(?<=up to )|(?<=know ))(?P<daybefore>the (?:day|week) before)\b"
    # "a couple of weeks"; "a full working week", "two whole days"
    rf"|\b(?P<lo>a\s+couple\s+of|{_ARTICLE_NUM})(?:\s*(?:-|–|to|or)\s*(?P<hi>{_NUM}))?[\s-]*"
    rf"(?:(?:full|whole|entire)\s+)?(?P<unit>{_UNIT_RE})\b"
    rf"|\b(?:a|one|1)?\s*(?P<fortnight>fortnight)\b",
    re.IGNORECASE)
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "usd": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
                   "eur": "EUR", "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "quid": "GBP", "cad": "CAD",
                   "aud": "AUD"}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
# Continental amounts: a decimal comma with two digits ("€0,39", "4,99 €"), thousands grouped with dots or spaces.
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# the number words of minor units, 10 to 99 ("fifty", "ninety-nine"); five pence come as "five pence"
_MINOR_WORDS = (rf"(?:(?:{_TENS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|"
                rf"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b")
_EURO_AMOUNT = r"\d{1,3}(?:[. ]\d{3})+(?:,\d{2})?(?!\d|[.,]\d)|\d+,\d{2}(?!\d|[.,]\d)"
MONEY_RE = re.compile(
    rf"(?P<sym>[$€£])\s?(?P<amount>{_EURO_AMOUNT}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{1,2}})?|\d+(?:\.\d{{1,2}})?)"
    # the symbol after the amount, as written in much of Europe: "0,39 €", "12.50€", "1.234,50 €"
    rf"|(?<![\d.,])(?P<amount5>{_EURO_AMOUNT}|\d+(?:\.\d{{1,2}})?)\s?(?P<sym2>[€£])"
    rf"|\b(?:usd|eur|gbp)\s?(?P<amount2>\d+(?:\.\d{{1,2}})?)\b"
    rf"|\b(?P<amount3>{_HUNDREDS}|{_NUM})[\s-]?(?P<cur>dollars?|usd|bucks|euros?|eur|pounds?|quid|gbp|cad|aud)\b"
    # the minor units after the major: "four pounds fifty", "ten dollars and fifty cents"
    rf"(?:\s+(?:and\s+)?(?P<minor>{_MINOR_WORDS}(?!\s+(?:hours?|days?|weeks?|months?|years?|minutes?|times?|percent|"
    rf"people|of)\b)|\d{{1,2}}(?=\s*(?:cents?|pence)\b))(?:\s*(?:cents?|pence)\b)?)?"
    # cents or pence alone: "about 13 cents"
    rf"|\b(?P<cents>\d{{1,2}}|{_MINOR_WORDS}|(?:one|two|three|four|five|six|seven|eight|nine)\b)\s?"
    r"(?P<minor_cur>cents?\b|pence\b|¢)"
    r"|\b(?P<free>free of charge|for free|(?:is|are|be|totally|completely|always|it's|its)\s+free)\b"
    r"|\b(?P<slang>fiver|tenner)\b",  # "a fiver each"
    re.IGNORECASE)
# "a quarter of the price", "half the total": a share of an amount is a percent of it
_SHARE_OF = (r"(?:(?:the|your|their)\s(?:[a-z]+\s|[$€£][\d,.]+\s)?(?:price|total|cost|amount|bill|fee|balance|invoice|"
             r"quote|deposit|job|labou?r|fare|booking|order|rental)|that|what you(?:'ve)? paid)")  # "a tenth of the
# sale price", "a quarter of the $4,200 quote", "a quarter of what you paid"
# a share paid first is a percent of the whole: "a third up front", "half now as the deposit"
_SHARE_FIRST = r"up\s?front|upfront|down|in advance|at booking|now as (?:a |the )?deposit"
PERCENT_RE = re.compile(r"\b(?P<halfpct>half\s(?:of\s)?a\s?(?:%|per\s?cent\b))"  # "half a percent" = 0.5%
                        rf"|\b(?P<andhalf>{_NUM})\sand\sa\shalf\s?(?:%|per\s?cent\b)"  # "two and a half percent"
                        rf"|\b(?P<amount>{_NUM})\s?(?:%|per\s?cent\b|pct\b)"
                        r"|\b(?:a|one)\s(?P<fraction>half|third|quarter|fifth|tenth)\s(?:(?:knocked |taken )?off|"
                        rf"discount|of\s{_SHARE_OF}|{_SHARE_FIRST})\b"
                        rf"|\b(?P<halfof>half)\s(?:(?:of\s)?{_SHARE_OF}|off|price|{_SHARE_FIRST})\b"
                        # a surcharge: "rush is half again", "after hours is time and a half"
                        r"|\b(?P<halfagain>half\sagain|time\sand\sa\shalf)\b|\b(?P<double>double\stime)\b",
                        re.IGNORECASE)
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}
# A count may carry a unit of measure ("200 miles", "10 kg", "40 GB"): it then compares only with values in that unit.
_MEASURES = {"kg": "kg", "kgs": "kg", "g": "g", "lb": "lb", "lbs": "lb", "oz": "oz", "km": "km", "mi": "miles",
             "mile": "miles", "miles": "miles", "cm": "cm", "mm": "mm", "inch": "in", "inches": "in", "ft": "ft",
             "feet": "ft", "gb": "GB", "mb": "MB", "tb": "TB", "kb": "KB", "kwh": "kWh", "kw": "kW", "mph": "mph",
             "ml": "ml", "l": "l", "litre": "l", "litres": "l", "liter": "l", "liters": "l", "degrees": "degrees",
             "°": "degrees"}
# Up to four digits, or thousands in groups ("10,000 songs"); longer digit runs are ids, phone or card numbers.
# (a time of day, "11 am", "at 2pm", is no count)
COUNT_RE = re.compile(rf"(?<![\w$€£#.,/:-])(?P<amount>\d{{1,3}}(?:,\d{{3}})+|\d{{1,4}}|{_HUNDREDS}|"
                      rf"dozen\s+and\s+a\s+half|half\s+a\s+dozen|a\s+couple\s+of|{_WORDNUM})"
                      r"(?![\w%]|[.,/:-]\d|\s?(?:[ap]\.?m\b|o'clock))"
                      r"(?:\s?(?:(?:free|extra|additional|bonus|included)\s)?"
                      r"(?P<measure>kgs?|g|lbs?|oz|km|mi|miles?|cm|mm|inch|inches|ft|feet|gb|mb|tb|kb|kwh|kw|"
                      r"mph|ml|l|litres?|liters?|degrees|°)\b)?", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A normalized value: kind, unit family (days, months, minutes, USD, %, count) and an inclusive range."""
    kind: str
    unit: str
    low: float
    high: float

    def describe(self) -> str:
        rng = _fmt(self.low) if self.low == self.high else f"{_fmt(self.low)}-{_fmt(self.high)}"
        if self.kind == "money":
            return f"{rng} {self.unit}"
        if self.kind == "percent":
            return f"{rng}%"
        if self.kind == "count":
            return rng if self.unit == "count" else f"{rng} {self.unit.split(' ', 1)[1]}"
        return f"{rng} {self.unit}"


@dataclass(frozen=True)
class Mention:
    quantity: Quantity
    start: int
    end: int


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def parse_number(s: str) -> float | None:
    s = s.strip().lower()
    if s in ("a", "an"):
        return 1.0
    if s in WORD_NUMBERS:
        return WORD_NUMBERS[s]
    scaled = re.fullmatch(r"(\S+)\s+(hundred|thousand)(?:\s+(?:and\s+)?(\S+))?", s)
    if scaled:  # "one hundred and fifty" = 150
        head = 1.0 if scaled[1] in ("a", "an") else WORD_NUMBERS.get(scaled[1])  # "a hundred and twenty"
        rest = WORD_NUMBERS.get(scaled[3] or "zero")
        if head is not None and rest is not None and head < 100 and rest < 100:
            return head * (100 if scaled[2] == "hundred" else 1000) + rest
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


_HALF_BEFORE = re.compile(r"half\s+$", re.IGNORECASE)             # "half a year", "half an hour"
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)  # "a year and a half", "2 hours and a half"


def _half_before(m: re.Match) -> re.Match | None:
    if m.group("lo") and m.group("lo").lower() in ("a", "an"):
        return _HALF_BEFORE.search(m.string, max(0, m.start() - 8), m.start())
    return None


def _duration(m: re.Match) -> Quantity | None:
    if m.group("fortnight"):
        return Quantity("duration", "days", 14.0, 14.0)
    if m.group("daybefore"):
        days = 7.0 if "week" in m.group("daybefore").lower() else 1.0
        return Quantity("duration", "days", days, days)
    if m.group("quarter"):
        minutes = 45.0 if (m.group("quarters") or "").lower() == "three" else 15.0
        return Quantity("duration", "minutes", minutes, minutes)
    lo, hi = parse_number(m.group("lo")), parse_number(m.group("hi") or m.group("lo"))
    if lo is None and hi is not None:  # "up to 5 days": "up" is not a number, the value is 5
        lo = hi
    if lo is not None and hi is not None:
        if _half_before(m):
            lo = hi = 0.5
        elif _AND_A_HALF.match(m.string, m.end()):
            lo, hi = lo + 0.5, hi + 0.5
    unit = m.group("unit").lower()
    unit = re.sub(r"s$", "", unit)
    if unit.startswith("sec") and not m.group("lo")[:1].isdigit():
        return None  # "a second card", "one second": seconds only as digits ("45 seconds")
    family, factor = _DURATION_UNITS.get(unit, _DURATION_UNITS.get(unit.split()[-1], (None, None)))
    if family is None or lo is None or hi is None:
        return None
    return Quantity("duration", family, lo * factor, max(lo, hi) * factor)


def _point_decimal(amount: str) -> str:
    """"4,99" -> "4.99", "1.234,50" -> "1234.50", "1 234" -> "1234" (continental); "1,500" stays thousands."""
    if re.fullmatch(_EURO_AMOUNT, amount) and ("," in amount[-3:] or "." in amount or " " in amount):
        return amount.replace(".", "").replace(" ", "").replace(",", ".")
    return amount


def _money(m: re.Match) -> Quantity | None:
    if m.group("free"):
        return Quantity("money", "USD", 0.0, 0.0)
    if m.group("slang"):
        value = 5.0 if m.group("slang").lower() == "fiver" else 10.0
        return Quantity("money", "USD", value, value)
    if m.group("sym"):
        cur, amount = _SYMBOLS[m.group("sym")], _point_decimal(m.group("amount"))
    elif m.group("sym2"):
        cur, amount = _SYMBOLS[m.group("sym2")], _point_decimal(m.group("amount5"))
    elif m.group("amount2") is not None:
        cur, amount = m.group(0)[:3].upper(), m.group("amount2")
    elif m.group("cents"):
        value = parse_number(m.group("cents"))
        cur = "GBP" if m.group("minor_cur").lower() == "pence" else "USD"
        return None if value is None or not 0 < value < 100 else Quantity("money", cur, value / 100, value / 100)
    else:
        cur, amount = _CURRENCY_WORDS[m.group("cur").lower()], m.group("amount3")
    value = parse_number(amount)
    minor = parse_number(m.group("minor")) if m.group("minor") else 0.0
    if value is not None and minor and 0 < minor < 100:
        value = round(value + minor / 100, 2)
    return None if value is None else Quantity("money", cur, value, value)


def _percent(m: re.Match) -> Quantity | None:
    if m.group("halfpct"):
        return Quantity("percent", "%", 0.5, 0.5)
    if m.group("andhalf"):
        value = parse_number(m.group("andhalf"))
        return None if value is None else Quantity("percent", "%", value + 0.5, value + 0.5)
    if m.group("halfagain"):
        return Quantity("percent", "%", 50.0, 50.0)
    if m.group("double"):
        return Quantity("percent", "%", 100.0, 100.0)
    if m.group("fraction") or m.group("halfof"):  # "a fifth off" = 20%, "half the price" = 50%
        value = _FRACTIONS[(m.group("fraction") or m.group("halfof")).lower()]
        return Quantity("percent", "%", value, value)
    value = parse_number(m.group("amount"))
    return None if value is None else Quantity("percent", "%", value, value)


_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15, "twentieth": 20}
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + ")"
# "every fifth massage is free", "every 10th coffee": a count (a loyalty card's stamps); not a date ("the 5th")
_EVERY_NTH = re.compile(rf"\bevery\s(?P<ordinal>{_ORDINAL})\b", re.IGNORECASE)


def ordinal_value(word: str) -> float | None:
    word = word.lower()
    return float(_ORDINALS[word]) if word in _ORDINALS else (float(word[:-2]) if word[:-2].isdigit() else None)


def _count(m: re.Match) -> Quantity | None:
    word = m.group("amount").lower()
    if word in ("zero", "half", "a half", "one", "a", "an"):  # "one" is mostly a pronoun ("this one"); too noisy
        return None
    value = parse_number(word)
    measure = m.group("measure")
    unit = "count" if measure is None else "count " + _MEASURES[measure.lower()]
    return None if value is None else Quantity("count", unit, value, value)


# Sentences of plain text (replies not parsed by spaCy): "1.5 hours" and "10.30am" end none.
SENTENCE = re.compile(r".*?(?:[.!?]+(?=\s|$)|\n|$)")

# Cheap pre-checks: most messages mention no quantity of a kind at all.
_MAYBE = {
    "duration": re.compile(r"day|night|week|wk|month|year|decade|hour|min|sec|hr|yr|fortnight|\d\s?h\b", re.IGNORECASE),
    "money": re.compile(r"[$€£]|dollar|usd|eur|gbp|buck|euro|pound|quid|cad|aud|free|fiver|tenner|\bcents?\b|pence|¢",
                        re.IGNORECASE),
    "percent": re.compile(r"%|per\s?cent|pct|half|third|quarter|fifth|tenth|double", re.IGNORECASE),
    "count": re.compile(r"\d|couple|" + "|".join(w for w in WORD_NUMBERS if " " not in w and "-" not in w),
                        re.IGNORECASE),
}

# A number that numbers a list item: "(1) ..." or "1) ..." at the start of a line or after a sentence or clause.
_LIST_MARKER = re.compile(r"\)\s")
_LIST_START = re.compile(r"(?:^|[\n.!?:;,(]\s*|\s\()$")

# A number after one of these nouns names a thing ("coach 2207", "gate 4", "step 3"); it does not count them.
_LABEL_BEFORE = re.compile(r"\b(?:coach|bus|train|flight|room|unit|gate|platform|seat|route|line|step|option|page|"
                           r"level|tier|section|aisle|row|locker|bay|door|floor|apartment|apt|suite|box|table|lane|"
                           r"chapter|episode|season|version|model|terminal|stop|stand|pump|court|pitch|cabin|deck|"
                           r"carriage|lot|plot|site|slot|window|counter|desk|booth|dock|pier|berth|bed|ward)"
                           r"\s*#?\s*$", re.IGNORECASE)

_FINDERS = {"duration": (DURATION_RE, _duration), "money": (MONEY_RE, _money),
            "percent": (PERCENT_RE, _percent), "count": (COUNT_RE, _count)}


def find_quantities(text: str, kind: str) -> list[Mention]:
    """All mentions of `kind` in text. Counts skip numbers that belong to another kind."""
    regex, convert = _FINDERS[kind]
    if not _MAYBE[kind].search(text):
        return _every_nth(text) if kind == "count" else []
    taken: list[tuple[int, int]] = []
    if kind == "count":
        for other in ("duration", "money", "percent"):
            taken += [(x.start, x.end) for x in find_quantities(text, other)]
    found = []
    for m in regex.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if kind == "count" and (_LIST_MARKER.match(text, m.end()) and _LIST_START.search(text, 0, m.start())
                                or _LABEL_BEFORE.search(text, max(0, m.start() - 12), m.start())):
            continue  # "(1) how fast ...", "2) the bag limit": numbering; "coach 2207", "step 3": a name
        q = convert(m)
        if q is not None:
            start, end = m.start() + (len(m.group(0)) - len(m.group(0).lstrip())), m.end()
            if kind == "duration":
                start, end = _with_halves(m, start, end)
            found.append(Mention(q, start, end))
    if kind == "count" and (nth := _every_nth(text)):
        found = sorted(found + nth, key=lambda x: x.start)
    return found


def _every_nth(text: str) -> list[Mention]:
    if "very" not in text and "VERY" not in text:
        return []  # most texts: no "every" at all
    return [Mention(Quantity("count", "count", v, v), m.start("ordinal"), m.end("ordinal"))
            for m in _EVERY_NTH.finditer(text) if (v := ordinal_value(m.group("ordinal"))) is not None]


# An amount with no currency, as people answer a price question: "Twenty-five per person.", "it's forty-five.",
# "sixty-nine a month", "twelve ninety-nine a month" (12.99). Read only where a money fact is asked about.
_NUMBER_WORD = "|".join(sorted((w for w in WORD_NUMBERS if " " not in w), key=len, reverse=True))
_BARE_MONEY = re.compile(
    rf"(?<![\w$€£#.,/:'-])(?P<amount>(?:a|an|{_NUMBER_WORD})\s+(?:hundred|thousand)"
    rf"(?:\s+(?:and\s+)?(?:{_NUMBER_WORD}))?|"
    rf"\d{{1,4}}(?:\.\d{{2}})?|(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))?)"
    r"(?=\s+(?:a|per|each|every)\s+(?:month|year|week|day|night|person|head|player|rider|guest|visit|session|"
    r"lesson|class|ticket|item|kit|pet|child|kid|adult|round|tire|unit|hour)s?\b"
    r"|\s+(?:each|apiece|flat|monthly|a pop|per head|toward|towards|even|anywhere|all in|in total|holds?|covers?|"
    r"secures?|reserves?|for (?:the )?"
    r"(?:both|two|whole))\b|\s*(?:[.!;]|$))", re.IGNORECASE)
# a time, a label, a part of something, an age ("if you're 24")
_NOT_AN_AMOUNT_BEFORE = re.compile(r"\b(?:at|by|until|till|number|no|ending|ends|code|room|gate|step|option|page|"
                                   r"version|level|tier|ticket|order|of|the|about|you're|you are|i'm|i am|aged?|"
                                   r"over|under|turns?)\s*$", re.IGNORECASE)


def bare_amounts(text: str, currency: str) -> list[Mention]:
    """Amounts of `currency` written with no currency at all; "one" and "half" are never amounts. "four-fifty" may
    be 4.50 or 450: both readings come at the same place (they are 100 times apart, the caller knows the scale)."""
    found = []
    for m in _BARE_MONEY.finditer(text):
        words = m.group("amount").lower()
        if words in ("zero", "one", "half", "a", "an") or _NOT_AN_AMOUNT_BEFORE.search(text, 0, m.start()):
            continue
        value = parse_number(words)
        values = [value] if value else []
        if value is None and (pair := re.fullmatch(r"(\S+)[\s-]+(\S+)", words)):
            dollars, cents = (parse_number(w) for w in pair.groups())  # "twelve ninety-nine" = 12.99
            if dollars is not None and cents is not None and 10 <= cents < 100 and dollars < 100:
                values = [dollars + cents / 100, *filter(None, [_hundreds_and(words)])]  # "seven fifty" = 750
        found += [Mention(Quantity("money", currency, v, v), m.start(), m.end()) for v in values]
    return found


def _with_halves(m: re.Match, start: int, end: int) -> tuple[int, int]:
    """The evidence of "half a year" and "a year and a half" includes the half (..._duration counts it)."""
    half = _half_before(m)
    if half:
        return half.start(), end
    after = _AND_A_HALF.match(m.string, m.end())
    return (start, after.end()) if after else (start, end)


_SHARE_VALUE = re.compile(r"(?:(?:a|one)\s+)?(half|third|quarter|fifth|tenth)", re.IGNORECASE)


_NOTHING = {"free", "no fee", "no charge", "nothing", "no cost", "complimentary", "on the house", "$0", "0",
            "no extra cost", "no extra charge", "at no cost", "at no charge", "free of charge", "on us",
            "included"}
_HOURS_AND_MINUTES = re.compile(r"\S+\s+(?:hours?|hrs?)\s+(?:and\s+)?\S+\s+(?:minutes?|mins?)", re.IGNORECASE)
_CENTS = re.compile(r"(\d{1,2})\s?c", re.IGNORECASE)
_AGE = re.compile(r"(\S+)[\s-]+(?:years?|yrs?)[\s-]+old", re.IGNORECASE)


def _hundreds_and(text: str) -> float | None:
    """"two-fifty" = 250, "one fifty" = 150, "seven-ninety-nine" = 799 (a price said the short way)."""
    head, _, rest = text.replace(" ", "-", 1).partition("-")
    if not rest or head not in WORD_NUMBERS or WORD_NUMBERS[head] >= 10 or rest not in WORD_NUMBERS:
        return None
    tail = WORD_NUMBERS[rest]
    return WORD_NUMBERS[head] * 100 + tail if 10 <= tail < 100 else None


def parse_value(text: str, kind: str) -> Quantity | None:
    """Parse one allowed value from a policy pack ("30 days", "$15", "10%", "3"). A pack may write values the way
    people say them, some of which running text does not read the same way ("once", "one guest", "a quarter")."""
    if kind == "count":
        return _pack_count(text.strip())
    found = find_quantities(text, kind)
    share = _SHARE_VALUE.fullmatch(text.strip()) if kind == "percent" and not found else None
    if share:  # a pack's "half" or "a quarter" for a percent: the share alone, as in "half off"
        value = _FRACTIONS[share.group(1).lower()]
        return Quantity("percent", "%", value, value)
    if kind == "duration" and len(found) == 2 and _HOURS_AND_MINUTES.fullmatch(text.strip()) and \
            all(q.quantity.unit == "minutes" for q in found):  # a pack's "1 hour 30 minutes"
        total = sum(q.quantity.low for q in found)
        return Quantity("duration", "minutes", total, total)
    cents = _CENTS.fullmatch(text.strip()) if kind == "money" and not found else None
    if cents:  # a pack's "10c"
        return Quantity("money", "USD", int(cents.group(1)) / 100, int(cents.group(1)) / 100)
    if kind == "money" and not found:
        # a pack's "a quarter" for 25 cents (in running text "a quarter" is more often a share or a time), its
        # "free" or "no fee" for nothing, its "two-fifty" for 250 (a pack writes $2.50 as such)
        low = text.strip().lower()
        value = 0.25 if low == "a quarter" else 0.0 if low in _NOTHING else _hundreds_and(low) or parse_number(low)
        return None if value is None else Quantity("money", "USD", value, value)
    return found[0].quantity if len(found) == 1 else None


def _pack_count(text: str) -> Quantity | None:
    # "once" is no count in running text ("once it ships"), but a pack's allowed "once" is 1
    # and "both" is 2 ("Puppies need both rounds")
    value = {"once": 1.0, "both": 2.0}.get(text.lower()) or parse_number(text)
    if value is None and re.fullmatch(_ORDINAL, text, re.IGNORECASE):  # a pack's "6th" or "sixth"
        value = ordinal_value(text)
    age = _AGE.fullmatch(text)
    if value is None and age:  # an age limit: "14 years old"
        value = parse_number(age.group(1))
    if value is None:  # "one-fifty" (150 miles a day, said the short way)
        value = _hundreds_and(text.lower())
    if value is not None:
        return Quantity("count", "count", value, value)
    found = find_quantities(text, "count")  # "3 seats", "100 requests per minute": the one number in the text
    if found:
        return found[0].quantity if len(found) == 1 else None
    head, _, rest = text.partition(" ")  # "one guest": running text skips "one" (a pronoun); a pack means 1
    value = parse_number(head) if rest and " " not in rest and rest.isalpha() else None
    return None if value is None else Quantity("count", "count", value, value)


def _to_days(q: Quantity) -> tuple[float, float] | None:
    if q.unit == "days":
        return q.low, q.high
    if q.unit == "months":
        return q.low * 30.44, q.high * 30.44
    if q.unit == "minutes":  # 48 hours = 2 days
        return q.low / 1440, q.high / 1440
    return None


def within(stated: Quantity, allowed: Quantity) -> bool:
    """True when the stated value (or range) lies inside the allowed value (or range)."""
    if stated.kind != allowed.kind:
        return False
    if stated.unit == allowed.unit:
        return allowed.low - 1e-9 <= stated.low and stated.high <= allowed.high + 1e-9
    if stated.kind != "duration":
        return False
    a, s = _to_days(allowed), _to_days(stated)
    if a is None or s is None:
        return False
    tol = 0.02 * max(a[1], 1.0)
    return a[0] - tol <= s[0] and s[1] <= a[1] + tol


def on_common_scale(stated: Quantity, allowed: Quantity) -> tuple[tuple, tuple] | None:
    """((low, high) of stated, (low, high) of allowed) in one unit, or None when they cannot be compared ("3 nights"
    with "30 days", "45 seconds" with "5 days")."""
    if stated.unit == allowed.unit:
        return (stated.low, stated.high), (allowed.low, allowed.high)
    s, a = (_to_days(stated), _to_days(allowed)) if stated.kind == "duration" else (None, None)
    return (s, a) if s is not None and a is not None else None


def within_any(stated: Quantity, allowed) -> bool:
    """Inside one allowed value, or, for a range or a list ("6 or 12 months" is read as 6-12), each end inside one:
    "gift subscriptions come in 3, 6 or 12 months" states allowed values when 3, 6 and 12 months all are."""
    if any(within(stated, a) for a in allowed):
        return True
    ends = (replace(stated, high=stated.low), replace(stated, low=stated.high))
    return stated.low != stated.high and all(any(within(end, a) for a in allowed) for end in ends)


def same_value(a: Quantity, b: Quantity) -> bool:
    return within(a, b) and within(b, a)

import pytest

from qa_app.nlp.components.compliance import luhn_ok
from qa_app.nlp.quantities import find_quantities, parse_value, same_value, within


@pytest.mark.parametrize("a, b", [
    ("12 months", "1 year"), ("1 year", "365 days"), ("two weeks", "14 days"), ("a fortnight", "14 days"),
    ("1 week", "7 days"), ("30 days", "thirty days"), ("3-5 business days", "3 to 5 days"), ("24 hours", "1440 minutes"),
])
def test_duration_equivalence(a, b):
    assert same_value(parse_value(a, "duration"), parse_value(b, "duration"))


@pytest.mark.parametrize("a, b", [("4 weeks", "1 month"), ("30 days", "60 days"), ("1 year", "2 years")])
def test_duration_differences(a, b):
    assert not same_value(parse_value(a, "duration"), parse_value(b, "duration"))


def test_range_containment():
    allowed = parse_value("3-5 business days", "duration")
    assert within(parse_value("4 days", "duration"), allowed)
    assert not within(parse_value("7 days", "duration"), allowed)


@pytest.mark.parametrize("text", ["$15", "$15.00", "fifteen dollars", "15 USD", "USD 15", "15 bucks"])
def test_money_normalization(text):
    assert same_value(parse_value(text, "money"), parse_value("$15", "money"))


@pytest.mark.parametrize("text, value", [
    ("0,39 €", 0.39), ("€0,39", 0.39), ("4,99€", 4.99), ("12 €", 12.0), ("1.234,50 €", 1234.5), ("€1.500", 1500.0),
    ("€ 2 500", 2500.0), ("€1.50", 1.5), ("1.50 €", 1.5),
])
def test_continental_money(text, value):
    """Amounts as written in much of Europe: a decimal comma, the symbol after the amount, dots or spaces between
    thousands."""
    q = parse_value(text, "money")
    assert (q.unit, q.low) == ("EUR", value)


@pytest.mark.parametrize("text, value", [("$1,500", 1500.0), ("$1,500.50", 1500.5), ("$10,000", 10000.0),
                                         ("£12.50", 12.5)])
def test_english_thousands_stay_thousands(text, value):
    assert parse_value(text, "money").low == value


@pytest.mark.parametrize("text, unit, value", [("4 h", "minutes", 240), ("24h", "minutes", 1440),
                                              ("a six-month warranty", "months", 6)])  # not "six-mont" + "h"
def test_hours_written_h(text, unit, value):
    q = parse_value(text, "duration")
    assert (q.unit, q.low) == (unit, value)


def test_nights_and_seconds_compare_only_within_their_unit():
    """A stay is counted in nights and a response in seconds; neither is compared with a window in days."""
    assert same_value(parse_value("3 nights", "duration"), parse_value("three nights", "duration"))
    assert same_value(parse_value("45 seconds", "duration"), parse_value("45 secs", "duration"))
    assert not within(parse_value("3 nights", "duration"), parse_value("30 days", "duration"))
    assert find_quantities("a second card, the second time", "duration") == []   # an ordinal, not 1 second


def test_twice_is_two():
    assert same_value(parse_value("twice", "count"), parse_value("2 times", "count"))
    assert find_quantities("once it ships", "count") == []   # "once" is no number


def test_money_currency_matters():
    assert not same_value(parse_value("€15", "money"), parse_value("$15", "money"))


@pytest.mark.parametrize("text", ["10%", "10 percent", "ten percent", "10 per cent"])
def test_percent(text):
    assert parse_value(text, "percent").low == 10


def test_counts_skip_other_kinds():
    found = [m.quantity.low for m in find_quantities("Up to 10 items, 30 days, $5 and 20% off, three bags", "count")]
    assert found == [10, 3]


def test_mention_offsets():
    text = "Refunds take 5-7 business days."
    (m,) = find_quantities(text, "duration")
    assert text[m.start:m.end] == "5-7 business days"


@pytest.mark.parametrize("number, ok", [
    ("4111111111111111", True), ("4242424242424242", True), ("378282246310005", True),
    ("4111111111111112", False), ("1234567812345678", False),
])
def test_luhn(number, ok):
    assert luhn_ok(number) is ok

"""Dashboard filters, period buckets (SQL equals Python on this database) and the SVG chart helper."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import literal, select

from qa_app.dashboards import charts
from qa_app.services.dashboards.params import FilterError, next_period, parse_filters, period_start
from qa_app.services.dashboards.sql import bucket, seconds_between


def test_defaults_are_twelve_weeks_from_a_monday():
    f = parse_filters({}, today=date(2026, 3, 12))
    assert f.date_to == date(2026, 3, 12) and f.date_from == date(2025, 12, 22) and f.date_from.weekday() == 0
    m = parse_filters({"period": "month"}, today=date(2026, 3, 12))
    assert m.date_from == date(2025, 10, 1)


@pytest.mark.parametrize("args, param", [({"period": "year"}, "period"), ({"from": "12/03/2026"}, "from"),
                                         ({"to": "2026-02-30"}, "to"), ({"agent": "-1"}, "agent"),
                                         ({"rubric": "x"}, "rubric"),
                                         ({"from": "2020-01-01", "to": "2026-01-01"}, "from"),
                                         ({"from": "2026-03-02", "to": "2026-03-01"}, "from")])
def test_bad_parameters_name_themselves(args, param):
    with pytest.raises(FilterError) as error:
        parse_filters(args)
    assert error.value.param == param


def test_query_args_round_trip():
    f = parse_filters({"from": "2026-03-02", "to": "2026-03-15", "team": "3", "channel": "chat"})
    assert parse_filters(f.query_args()) == f


@pytest.mark.parametrize("day", [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 8),
                                 date(2024, 2, 29), date(2026, 12, 31)])
@pytest.mark.parametrize("period", ["week", "month"])
def test_sql_bucket_equals_python_bucket(session, day, period):
    moment = datetime.combine(day, datetime.min.time()).replace(hour=23, minute=59)
    got = session.scalar(select(bucket(session, literal(moment), period)))
    assert str(got) == period_start(day, period).isoformat()
    assert next_period(period_start(day, period), period) > day


def test_seconds_between(session):
    got = session.scalar(select(seconds_between(session, literal(datetime(2026, 3, 2, 10, 1, 30)),
                                                literal(datetime(2026, 3, 2, 9, 59, 0)))))
    assert float(got) == pytest.approx(150)


def test_charts_escape_text_and_draw_links():
    svg = charts.line_chart("<b>", ["w1", "w2"], [charts.Series("<script>", [50.0, None], ["/x?a=1&b=2", None])],
                            y_max=100)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'href="/x?a=1&amp;b=2"' in svg
    assert " style=" not in svg
    bars = charts.bar_chart("t", ["a", "b"], [1, None], ["/a", "/b"])
    assert bars.count("<rect") == 1 and 'href="/a"' in bars

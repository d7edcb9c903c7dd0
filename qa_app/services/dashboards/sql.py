"""The two places where SQLite and PostgreSQL need different SQL: period buckets and timestamp differences.

Both bucket functions return the bucket's first day as 'YYYY-MM-DD' text (weeks start on Monday, as
params.period_start), so Python joins results from either database the same way."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def bucket(session: Session, column, period: str) -> ColumnElement:
    """The week (Monday) or month (1st) that `column` falls in, as 'YYYY-MM-DD'."""
    if dialect(session) == "postgresql":
        return func.to_char(func.date_trunc(period, column), "YYYY-MM-DD")
    if period == "week":
        # back 6 days, then forward to the next Monday (or stay on it): the Monday on or before the day
        return func.date(column, "-6 days", "weekday 1")
    return func.strftime("%Y-%m-01", column)


def seconds_between(session: Session, later, earlier) -> ColumnElement:
    """later - earlier in seconds (a float; NULL when either is NULL)."""
    if dialect(session) == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0

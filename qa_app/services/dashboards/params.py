"""Dashboard filters from a query string. Bad input raises FilterError naming the parameter."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

PERIODS = ("week", "month")
DEFAULT_WEEKS = 12
DEFAULT_MONTHS = 6
MAX_DAYS = 3 * 366  # a wider range is refused: the dashboards are for trends, not the whole history


class FilterError(ValueError):
    """A query-string parameter is wrong; `param` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Filters:
    date_from: date               # inclusive
    date_to: date                 # inclusive (the whole day)
    period: str = "week"
    team_id: int | None = None
    agent_id: int | None = None
    rubric_id: int | None = None
    channel: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min)

    @property
    def end(self) -> datetime:
        """Exclusive upper bound."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min)

    def narrowed(self, **changes) -> Filters:
        return replace(self, **changes)

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for CSV and drill-down links)."""
        out = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "period": self.period}
        for key, value in (("team", self.team_id), ("agent", self.agent_id), ("rubric", self.rubric_id),
                           ("channel", self.channel)):
            if value not in (None, ""):
                out[key] = str(value)
        return out


def period_start(day: date, period: str) -> date:
    """Monday of the week, or the first of the month (the same buckets sql.bucket computes)."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_period(start: date, period: str) -> date:
    if period == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def _int(args: Mapping[str, str], name: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise FilterError(name, f"expected a positive whole number (an id), got {raw!r}")
    return int(raw)


def _date(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(name, f"expected a date as YYYY-MM-DD, got {raw!r}") from None


def parse_filters(args: Mapping[str, str], today: date | None = None) -> Filters:
    """Filters from `args` (from, to, period, team, agent, rubric, channel). Defaults: the last 12 weeks (period
    week) or 6 months (period month), ending today; `from` defaults to the start of a period."""
    today = today or date.today()
    period = (args.get("period") or "week").strip()
    if period not in PERIODS:
        raise FilterError("period", f"must be one of {', '.join(PERIODS)}, got {period!r}")
    date_to = _date(args, "to") or today
    date_from = _date(args, "from")
    if date_from is None:
        start = period_start(date_to, period)
        for _ in range((DEFAULT_WEEKS if period == "week" else DEFAULT_MONTHS) - 1):
            start = previous_period(start, period)
        date_from = start
    if date_from > date_to:
        raise FilterError("from", f"{date_from.isoformat()} is after 'to' ({date_to.isoformat()})")
    if (date_to - date_from).days > MAX_DAYS:
        raise FilterError("from", f"the range may span at most {MAX_DAYS} days")
    channel = (args.get("channel") or "").strip() or None
    if channel and len(channel) > 32:
        raise FilterError("channel", "at most 32 characters")
    return Filters(date_from=date_from, date_to=date_to, period=period, team_id=_int(args, "team"),
                   agent_id=_int(args, "agent"), rubric_id=_int(args, "rubric"), channel=channel)

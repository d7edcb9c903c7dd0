"""What every dashboard page shares: reading the filters and scope (with the right error), the filter choices,
chart series from rows, drill-down links and CSV responses. Thin glue between routes and services."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from flask import Response, abort, request, url_for
from flask_login import current_user
from sqlalchemy import select

from qa_app.dashboards.charts import Series
from qa_app.extensions import db
from qa_app.models import Rubric
from qa_app.services import transcript_views
from qa_app.services.csv_cells import spreadsheet_safe
from qa_app.services.dashboards import scope as scopes
from qa_app.services.dashboards.params import FilterError, Filters, next_period, parse_filters, period_start


@dataclass
class Context:
    scope: scopes.Scope
    filters: Filters
    args: dict[str, str]   # the filters as query args, for CSV and drill links


class BadFilter(Exception):
    def __init__(self, error: FilterError):
        self.error = error


def load(reviewer_view: bool = False) -> Context:
    """Scope and filters of this request: 403 for roles without dashboards, 404 for a team/agent/rubric out of
    sight; a bad parameter raises BadFilter (the route renders it with status 400)."""
    try:
        scope = (scopes.reviewer_scope_for if reviewer_view else scopes.scope_for)(current_user)
    except PermissionError:
        abort(403)
    try:
        filters = parse_filters(request.args)
    except FilterError as exc:
        raise BadFilter(exc) from None
    try:
        scopes.check_filters(db.session, scope, filters)
    except scopes.NotVisible as exc:
        abort(404, description=exc.message)
    return Context(scope=scope, filters=filters, args=filters.query_args())


def choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.args.get(name) or default
    if value not in allowed:
        raise BadFilter(FilterError(name, f"must be one of {', '.join(allowed)}, got {value!r}"))
    return value


def filter_choices() -> dict:
    """The dropdowns: only teams/agents the user may see."""
    user = current_user
    return {"teams": transcript_views.filter_teams(db.session, user),
            "agents": transcript_views.filter_agents(db.session, user),
            "channels": transcript_views.filter_channels(db.session, user),
            "rubrics": list(db.session.scalars(select(Rubric).order_by(Rubric.name)))}


def periods(f: Filters) -> list[str]:
    """Every period start in the range, so charts show empty periods as gaps."""
    out, start = [], period_start(f.date_from, f.period)
    while start <= f.date_to:
        out.append(start.isoformat())
        start = next_period(start, f.period)
    return out


def series_by_group(rows: Iterable, x_labels: list[str], value: Callable, link: Callable | None = None,
                    weight: Callable | None = None) -> list[Series]:
    """One chart series per group (largest groups first, by `weight`), values aligned on x_labels."""
    groups: dict = {}
    for row in rows:
        groups.setdefault((row.group_id, row.group), {})[row.period] = row
    ordered = sorted(groups.items(), key=lambda kv: -sum((weight or (lambda r: 1))(r) for r in kv[1].values()))
    out = []
    for (gid, name), by_period in ordered:
        values = [value(by_period[p]) if p in by_period else None for p in x_labels]
        links = [link(by_period[p]) if link and p in by_period else None for p in x_labels]
        out.append(Series(name=name, values=values, links=links))
    return out


def drill_url(endpoint: str, ctx: Context, **drill) -> str:
    args = dict(ctx.args)
    args.update({k: ("none" if k == "group" and v is None else str(v)) for k, v in drill.items() if v is not None
                 or k == "group"})
    return url_for(endpoint, **args)


def csv_response(name: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """CSV of exactly the table's rows. Cells starting with = + - @ get a leading quote so spreadsheets don't run
    them as formulas (names and rules come from imported data)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{date.today().isoformat()}.csv"'
    return response


def wants_csv() -> bool:
    return request.args.get("export") == "csv"

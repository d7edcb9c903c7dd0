"""Dashboard pages: thin routes over services.dashboards. Every page takes the same filters (team, agent, rubric,
channel, from, to, period), has `?export=csv` for its table(s), and links every number to the reviews (or chats)
behind it. Leads see their teams, admins everything, reviewers only the reviewer view of themselves."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from qa_app.auth.permissions import role_required
from qa_app.dashboards import charts
from qa_app.dashboards import views as v
from qa_app.extensions import db
from qa_app.services import transcript_views
from qa_app.services.dashboards import drilldown, flags, followthrough, operations, quality, reviewers
from qa_app.services.dashboards.params import FilterError

bp = Blueprint("dashboards", __name__)
LEADS = ("admin", "lead")


@bp.errorhandler(v.BadFilter)
def _bad_filter(exc: v.BadFilter):
    return render_template("dashboards/error.html", error=exc.error), 400


@bp.route("/")
@role_required(*LEADS)
def index():
    ctx = v.load()
    group_by = v.choice("group_by", quality.GROUPS, "org")
    rows = quality.scores(db.session, ctx.scope, ctx.filters, group_by)
    if v.wants_csv():
        return v.csv_response(f"quality-by-{group_by}", list(quality.ScoreRow.__dataclass_fields__),
                              (r.as_dict().values() for r in rows))
    x = v.periods(ctx.filters)
    link = (lambda r: v.drill_url("dashboards.reviews", ctx, bucket=r.period, criterion=r.group_id)) \
        if group_by == "criterion" else \
        (lambda r: v.drill_url("dashboards.reviews", ctx, bucket=r.period, group_by=group_by, group=r.group_id))
    series = v.series_by_group(rows, x, lambda r: r.score, link, weight=lambda r: r.reviews)
    chart = charts.line_chart("Quality score by " + ctx.filters.period, x, series, y_max=100)
    return render_template("dashboards/quality.html", ctx=ctx, rows=rows, group_by=group_by, chart=chart,
                           series=series[:charts.MAX_SERIES], more=len(series) > charts.MAX_SERIES,
                           summary=quality.summary(rows), link=link, **v.filter_choices())


@bp.route("/flags")
@role_required(*LEADS)
def flag_trends():
    ctx = v.load()
    group_by = v.choice("group_by", flags.GROUPS, "team")
    by = v.choice("by", flags.KEYS, "category")
    rows = flags.trends(db.session, ctx.scope, ctx.filters, group_by, by)
    confirmations = flags.confirmation(db.session, ctx.scope, ctx.filters)
    if v.wants_csv():
        if request.args.get("table") == "confirmation":
            return v.csv_response("flag-confirmation", ["rule", "category", "confirmed", "dismissed",
                                                        "confirmation_rate"],
                                  (r.as_dict().values() for r in confirmations))
        return v.csv_response(f"flags-by-{by}", ["period", "group_id", "group", by, "flags", "chats",
                                                 "per_100_chats"], (r.as_dict().values() for r in rows))
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.key] = totals.get(row.key, 0) + row.flags
    keys = sorted(totals, key=lambda k: -totals[k])
    flag_chart = charts.bar_chart(f"Flags by {by}", keys, [totals[k] for k in keys],
                                  [v.drill_url("dashboards.chats", ctx, **{by: k}) for k in keys])
    judged = [r for r in confirmations if r.judged]
    confirm_chart = charts.bar_chart("Confirmation rate by rule", [r.rule for r in judged],
                                     [100 * r.rate for r in judged], y_max=100, unit="%")
    return render_template("dashboards/flags.html", ctx=ctx, rows=rows, confirmations=confirmations,
                           group_by=group_by, by=by, flag_chart=flag_chart, confirm_chart=confirm_chart,
                           totals=totals, **v.filter_choices())


@bp.route("/operations")
@role_required(*LEADS)
def operations_page():
    ctx = v.load()
    group_by = v.choice("group_by", operations.GROUPS, "org")
    rows = operations.operations(db.session, ctx.scope, ctx.filters, group_by)
    operations.with_quality(rows, quality.scores(db.session, ctx.scope, ctx.filters, group_by))
    if v.wants_csv():
        header = list(rows[0].as_dict()) if rows else ["period", "group_id", "group", "chats", "first_response_s",
                                                       "gap_mean_s", "gap_worst_s", "replies", "within_sla",
                                                       "handle_time_s", "csat", "csat_count", "quality"]
        return v.csv_response(f"operations-by-{group_by}", header, (r.as_dict().values() for r in rows))
    x = v.periods(ctx.filters)
    link = lambda r: v.drill_url("dashboards.chats", ctx, bucket=r.period, group_by=group_by,  # noqa: E731
                                 group=r.group_id)
    first = charts.line_chart("First response time (seconds)", x, v.series_by_group(
        rows, x, lambda r: r.first_response, link, weight=lambda r: r.chats), unit="s")
    series = v.series_by_group(rows, x, lambda r: None if r.within_sla is None else 100 * r.within_sla, link,
                               weight=lambda r: r.chats)
    sla = charts.line_chart("Replies within the SLA (%)", x, series, y_max=100, unit="%")
    return render_template("dashboards/operations.html", ctx=ctx, rows=rows, group_by=group_by, first_chart=first,
                           sla_chart=sla, series=series[:charts.MAX_SERIES], link=link,
                           sla_seconds=operations.sla_seconds(db.session), **v.filter_choices())


@bp.route("/reviewers")
@role_required("admin", "lead", "reviewer")
def reviewer_view():
    ctx = v.load(reviewer_view=True)
    rows = reviewers.reviewer_stats(db.session, ctx.scope, ctx.filters)
    cover = reviewers.coverage(db.session, current_user)
    if v.wants_csv():
        if request.args.get("table") == "coverage":
            return v.csv_response("coverage", ["plan_id", "plan", "quota", "days", "agents", "met", "done", "open"],
                                  (r.as_dict().values() for r in cover))
        return v.csv_response("reviewers", ["reviewer_id", "reviewer", "reviews", "mean_score",
                                            "median_seconds_per_review", "calibration_compared",
                                            "calibration_agreed", "calibration_agreement"],
                              (r.as_dict().values() for r in rows))
    chart = charts.bar_chart("Reviews done", [r.name for r in rows], [r.reviews for r in rows],
                             [v.drill_url("dashboards.reviews", ctx, reviewer=r.reviewer_id) for r in rows])
    return render_template("dashboards/reviewers.html", ctx=ctx, rows=rows, coverage=cover, chart=chart,
                           **v.filter_choices())


@bp.route("/coaching")
@role_required(*LEADS)
def coaching():
    ctx = v.load()
    group_by = v.choice("group_by", followthrough.GROUPS, "agent")
    weeks = request.args.get("weeks", followthrough.DEFAULT_WEEKS, type=int)
    if not 1 <= weeks <= 52:
        raise v.BadFilter(FilterError("weeks", "must be a whole number of weeks between 1 and 52"))
    acks = followthrough.acknowledgement(db.session, ctx.scope, ctx.filters, group_by)
    effects = followthrough.before_after(db.session, ctx.scope, ctx.filters, weeks)
    if v.wants_csv():
        if request.args.get("table") == "effects":
            return v.csv_response("coaching-before-after", ["agent_id", "agent", "criterion_key", "criterion",
                                                            "coached_at", "before", "before_n", "after", "after_n",
                                                            "change"], (r.as_dict().values() for r in effects))
        return v.csv_response(f"coaching-by-{group_by}", ["group_id", "group", "notes", "acknowledged",
                                                          "acknowledged_share", "open_disputes"],
                              (r.as_dict().values() for r in acks))
    chart = charts.bar_chart("Coaching notes acknowledged (%)", [r.group for r in acks],
                             [None if r.share is None else 100 * r.share for r in acks], y_max=100, unit="%")
    return render_template("dashboards/coaching.html", ctx=ctx, acks=acks, effects=effects, group_by=group_by,
                           weeks=weeks, chart=chart, **v.filter_choices())


@bp.route("/reviews")
@role_required("admin", "lead", "reviewer")
def reviews():
    ctx = v.load(reviewer_view=True)
    try:
        drill = drilldown.parse_drill(request.args)
    except FilterError as exc:
        raise v.BadFilter(exc) from None
    query = drilldown.reviews_behind(db.session, ctx.scope, ctx.filters, drill)
    if v.wants_csv():
        found = db.session.scalars(query).unique()
        return v.csv_response("reviews", ["review_id", "transcript", "agent", "published_at", "score", "passed"],
                              ([r.id, r.transcript.external_id, agent_label(r, ctx.scope),
                                r.published_at.isoformat(timespec="seconds"),
                                None if r.overall is None else round(r.overall, 2), r.passed] for r in found))
    page = transcript_views.paginate(db.session, query, request.args.get("page", 1, type=int),
                                     current_app.config.get("TRANSCRIPTS_PER_PAGE", 25))
    return render_template("dashboards/reviews.html", ctx=ctx, page=page, drill=drill, agent_label=agent_label,
                           args={**ctx.args, **drill.query_args()})


def agent_label(review, scope) -> str:
    """A reviewer's own drill-down never names the agent of a review from a blind plan (as the review page)."""
    assignment = review.assignment
    if scope.reviewer_id is not None and assignment is not None and assignment.plan is not None \
            and assignment.plan.blind:
        return "(hidden: blind review)"
    return review.transcript.agent.label


@bp.route("/chats")
@role_required(*LEADS)
def chats():
    ctx = v.load()
    try:
        drill = drilldown.parse_drill(request.args)
    except FilterError as exc:
        raise v.BadFilter(exc) from None
    query = drilldown.chats_behind(db.session, ctx.scope, ctx.filters, drill)
    page = transcript_views.paginate(db.session, query, request.args.get("page", 1, type=int),
                                     current_app.config.get("TRANSCRIPTS_PER_PAGE", 25))
    return render_template("dashboards/chats.html", ctx=ctx, page=page, drill=drill,
                           args={**ctx.args, **drill.query_args()})

"""Sampling plan pages for admins and leads (a lead sees only plans limited to teams they lead), plus the
reviewer's own queue where they can skip an assignment with a reason."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.models import Assignment, Rubric, SamplingPlan, SamplingRun, User
from qa_app.sampling.forms import PlanForm, ReassignForm, RunForm, SkipForm
from qa_app.services import assignment, sampling, sampling_plans, scoping
from qa_app.services.errors import ServiceError

bp = Blueprint("sampling", __name__)
planners_only = role_required("admin", "lead")
reviewers_only = role_required("admin", "lead", "reviewer")


@bp.route("/")
@planners_only
def index():
    return render_template("sampling/index.html", plans=sampling_plans.visible_plans(db.session, current_user),
                           labels=sampling.STRATEGY_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@planners_only
def new():
    return _editor(None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@planners_only
def edit(plan_id: int):
    return _editor(_plan(plan_id))


@bp.route("/<int:plan_id>")
@planners_only
def show(plan_id: int):
    return _show(_plan(plan_id), RunForm(), None)


@bp.route("/<int:plan_id>/run", methods=["POST"])
@planners_only
def run(plan_id: int):
    plan = _plan(plan_id)
    form = RunForm()
    if not form.validate_on_submit():
        return _show(plan, form, None), 400
    dry_run = not form.run.data
    try:
        outcome = sampling_plans.run_plan(db.session, plan, seed=form.seed.data, user=current_user, dry_run=dry_run)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _show(plan, form, None), 400
    if dry_run:
        db.session.rollback()
        return _show(plan, form, outcome)
    db.session.commit()
    flash(f"Run {outcome.run.id}: picked {outcome.run.picked_count}, made {outcome.run.assigned_count} assignments.",
          "success")
    return redirect(url_for("sampling.run_report", run_id=outcome.run.id))


@bp.route("/runs/<int:run_id>")
@planners_only
def run_report(run_id: int):
    run_row = db.session.get(SamplingRun, run_id) or abort(404)
    if not sampling_plans.can_manage(current_user, run_row.plan):
        abort(403)
    rows = sampling_plans.run_assignments(db.session, run_row)
    return render_template("sampling/run.html", run=run_row, plan=run_row.plan, rows=rows,
                           reassign_forms={r.id: _reassign_form(r) for r in rows if r.status == "open"},
                           skip_form=SkipForm())


@bp.route("/<int:plan_id>/coverage")
@planners_only
def coverage(plan_id: int):
    plan = _plan(plan_id)
    days = request.args.get("days", type=int) or plan.population.get("window_days") or 7
    days = min(max(days, 1), 366)
    return render_template("sampling/coverage.html", plan=plan, days=days,
                           lines=sampling_plans.coverage(db.session, plan, days))


@bp.route("/assignments/<int:assignment_id>/reassign", methods=["POST"])
@planners_only
def reassign(assignment_id: int):
    row = _assignment(assignment_id)
    if not assignment.may_manage(current_user, row):
        abort(403)
    form = _reassign_form(row)
    if form.validate_on_submit():
        try:
            assignment.reassign(db.session, row, db.session.get(User, form.reviewer.data))
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash("Reassigned.", "success")
    else:
        flash("Choose one of the listed reviewers.", "danger")
    return _back(row)


@bp.route("/assignments/<int:assignment_id>/skip", methods=["POST"])
@reviewers_only
def skip(assignment_id: int):
    row = _assignment(assignment_id)
    if not assignment.may_skip(current_user, row):
        abort(403)
    form = SkipForm()
    try:
        if not form.validate_on_submit():
            raise ServiceError("Say why you skip it.")
        assignment.skip(db.session, row, form.reason.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash("Skipped; the chat is back in the sampling pool.", "success")
    return _back(row)


@bp.route("/mine")
@reviewers_only
def mine():
    return render_template("sampling/mine.html", rows=assignment.reviewer_queue(db.session, current_user),
                           skip_form=SkipForm())


# --- helpers -----------------------------------------------------------------------------------------

def _plan(plan_id: int) -> SamplingPlan:
    plan = db.session.get(SamplingPlan, plan_id) or abort(404)
    if not sampling_plans.can_manage(current_user, plan):
        abort(403)
    return plan


def _assignment(assignment_id: int) -> Assignment:
    return db.session.get(Assignment, assignment_id) or abort(404)


def _back(row: Assignment):
    if row.run_id and request.form.get("next") == "run":
        return redirect(url_for("sampling.run_report", run_id=row.run_id))
    return redirect(url_for("sampling.mine"))


def _reassign_form(row: Assignment) -> ReassignForm:
    form = ReassignForm(prefix=f"a{row.id}")
    people = [m.user for m in row.plan.reviewers] if row.plan else []
    if current_user.role == "admin" and not people:
        people = list(db.session.scalars(select(User).where(User.role.in_(assignment.REVIEWING_ROLES),
                                                            User.active.is_(True)).order_by(User.email)))
    form.reviewer.choices = [SelectChoice(u.id, u.email) for u in people if u.id != row.reviewer_id]
    return form


def _show(plan: SamplingPlan, form: RunForm, outcome):
    margin = request.args.get("margin", type=float) or 5.0
    margin = min(max(margin, 0.5), 100.0) if margin == margin else 5.0  # NaN != NaN
    spread = sampling_plans.spread(db.session, plan)
    helper = {"margin": margin, "spread": spread,
              "needed": sampling_plans.reviews_needed(spread.sd, margin),
              "quota_margin": sampling_plans.margin_for(spread.sd, plan.quota_per_agent or 0)}
    return render_template("sampling/show.html", plan=plan, form=form, outcome=outcome, helper=helper,
                           runs=sampling_plans.recent_runs(db.session, plan), labels=sampling.STRATEGY_LABELS,
                           targets=sampling.TARGETS)


def _editor(plan: SamplingPlan | None):
    form = PlanForm(obj=None)
    _choices(form)
    if plan is not None and not form.is_submitted():
        _fill(form, plan)
    if form.validate_on_submit():
        try:
            saved = sampling_plans.save_plan(db.session, _input(form), current_user, plan)
        except (ServiceError, ValueError) as exc:
            db.session.rollback()
            form.submit.errors = list(form.submit.errors) + [str(exc)]
        else:
            db.session.commit()
            flash(f"Saved plan {saved.name}.", "success")
            return redirect(url_for("sampling.show", plan_id=saved.id))
    return render_template("sampling/edit.html", form=form, plan=plan), 400 if form.errors else 200


def _choices(form: PlanForm) -> None:
    form.teams.choices = [SelectChoice(t.id, t.name) for t in sampling_plans.teams_for(db.session, current_user)]
    form.agents.choices = [SelectChoice(a.id, a.label) for a in db.session.scalars(scoping.visible_agents(current_user))]
    rubrics = db.session.scalars(select(Rubric).where(Rubric.archived.is_(False)).order_by(Rubric.name))
    form.rubric.choices = [SelectChoice(0, "—")] + [SelectChoice(r.id, r.name) for r in rubrics]


def _csv(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _input(form: PlanForm) -> sampling_plans.PlanInput:
    population = {
        "team_ids": form.teams.data or [], "agent_ids": form.agents.data or [],
        "channels": _csv(form.channels.data), "tags": _csv(form.tags.data), "window_days": form.window_days.data,
        "date_from": form.date_from.data.isoformat() if form.date_from.data else None,
        "date_to": form.date_to.data.isoformat() if form.date_to.data else None,
        "csat_min": form.csat_min.data, "csat_max": form.csat_max.data,
    }
    config = {"count": form.count.data, "by": form.stratify_by.data, "target": form.target.data,
              "share": form.share_percent.data / 100 if form.share_percent.data else None,
              "random_share": (form.random_percent.data if form.random_percent.data is not None else 70) / 100}
    return sampling_plans.PlanInput(
        name=form.name.data, description=form.description.data or "", strategy=form.strategy.data,
        population=population, config=config, reviewers=sampling_plans.parse_reviewers(form.reviewers.data),
        quota_per_agent=form.quota_per_agent.data, rubric_id=form.rubric.data or None, blind=form.blind.data,
        calibration=form.calibration.data, calibration_reviewers=form.calibration_reviewers.data or 0,
        active=form.active.data)


def _fill(form: PlanForm, plan: SamplingPlan) -> None:
    pop, cfg = plan.population, plan.strategy_config or {}
    form.name.data, form.description.data, form.active.data = plan.name, plan.description, plan.active
    form.teams.data, form.agents.data = pop.get("team_ids", []), pop.get("agent_ids", [])
    form.channels.data, form.tags.data = ", ".join(pop.get("channels", [])), ", ".join(pop.get("tags", []))
    form.window_days.data, form.csat_min.data, form.csat_max.data = (pop.get("window_days"), pop.get("csat_min"),
                                                                     pop.get("csat_max"))
    form.date_from.data = _date(pop.get("date_from"))
    form.date_to.data = _date(pop.get("date_to"))
    form.strategy.data, form.quota_per_agent.data = plan.strategy, plan.quota_per_agent
    form.count.data = cfg.get("count")
    form.share_percent.data = cfg["share"] * 100 if cfg.get("share") else None
    form.stratify_by.data, form.target.data = cfg.get("by", "team"), cfg.get("target", "")
    form.random_percent.data = round(cfg.get("random_share", 0.7) * 100)
    form.rubric.data, form.blind.data = plan.rubric_id or 0, plan.blind
    form.calibration.data, form.calibration_reviewers.data = plan.calibration, plan.calibration_reviewers
    form.reviewers.data = sampling_plans.reviewer_lines(plan)


def _date(value: str | None):
    from datetime import date
    return date.fromisoformat(value) if value else None

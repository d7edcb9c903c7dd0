"""flask qa sample --plan NAME [--seed N] [--dry-run] (for cron)"""
from __future__ import annotations

import click

from qa_app.cli import qa_cli
from qa_app.extensions import db
from qa_app.services import sampling_plans
from qa_app.services.errors import ServiceError


@qa_cli.command("sample")
@click.option("--plan", "name", required=True, help="The sampling plan's name.")
@click.option("--seed", type=int, help="Random seed (default: a new one, printed and recorded).")
@click.option("--dry-run", is_flag=True, help="Show what would be picked and assigned; change nothing.")
def sample(name: str, seed: int | None, dry_run: bool) -> None:
    """Run a sampling plan: pick transcripts and assign them to the plan's reviewers."""
    plan = sampling_plans.get_by_name(db.session, name)
    if plan is None:
        raise click.ClickException(f"No sampling plan named {name!r}.")
    if not plan.active and not dry_run:
        raise click.ClickException(f"Plan {name!r} is paused; activate it first (or use --dry-run).")
    try:
        outcome = sampling_plans.run_plan(db.session, plan, seed=seed, dry_run=dry_run)
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    _print(outcome, dry_run)


def _print(outcome: sampling_plans.Outcome, dry_run: bool) -> None:
    s, p = outcome.sample, outcome.proposal
    head = "Dry run" if dry_run else f"Run {outcome.run.id}"
    click.echo(f"{head} of {s.plan.name!r}, seed {s.seed}: {s.eligible_count} eligible, "
               f"{s.available_count} not yet assigned, {len(s.picked)} picked, {p.assigned_count} assignments.")
    for line in s.agents:
        quota = f"/{line.quota}" if line.quota else ""
        note = f"  short: {line.reason}" if line.short else ""
        click.echo(f"  {line.name:<30} picked {line.picked + line.already}{quota}{note}")
    for c, why in p.unassigned:
        click.echo(f"  unassigned transcript {c.id}: {why}")
    for note in s.notes:
        click.echo(f"  note: {note}")

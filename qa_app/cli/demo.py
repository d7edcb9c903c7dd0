"""flask qa demo: the Acme Outfitters demo organisation, transcripts and logins (idempotent)."""
from __future__ import annotations

import time

import click

from qa_app.cli import qa_cli
from qa_app.demo import disputes as demo_disputes
from qa_app.demo import reviews as demo_reviews
from qa_app.demo import seed as demo_seed
from qa_app.demo.generator import DEFAULT_SEED
from qa_app.extensions import db
from qa_app.services import rubrics
from qa_app.services.errors import ServiceError


@qa_cli.command("demo")
@click.option("--with-shared", is_flag=True,
              help="Also import ../shared/data/twitter-customer-care/dev.jsonl (real Twitter support chats).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed of the generated conversations.")
@click.option("--refresh-dates", is_flag=True,
              help="Re-anchor the demo chats on today (otherwise they keep the dates of the first demo run).")
@click.option("--no-analyze", is_flag=True, help="Do not run the analysis on the imported transcripts.")
def demo(with_shared: bool, seed: int, refresh_dates: bool, no_analyze: bool) -> None:
    """Create the Acme Outfitters demo: 3 teams, 12 agents, ~360 chats, 4 demo logins. Safe to run again."""
    started = time.perf_counter()
    try:
        result = demo_seed.seed_demo(db.session, seed=seed, refresh=refresh_dates, with_shared=with_shared,
                                     analyze=not no_analyze, commit=db.session.commit)
        rubric_report = rubrics.sync_rubrics(db.session)  # the demo needs scorecards too
        plan_note = demo_seed.seed_sampling_plan(db.session)
        reviews_note = demo_reviews.seed_reviews(db.session)
        reviews_note += "; " + demo_disputes.seed_disputes(db.session)  # after the published reviews exist
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()

    gen = result.generated
    why = "kept from the first demo run" if result.anchor_reused else "today"
    click.echo(f"Acme Outfitters demo (seed {result.seed}; chats dated in the 12 weeks before "
               f"{result.anchor.isoformat()}, {why})")
    click.echo(f"  teams: {', '.join(demo_seed.content.TEAMS)}; {len(demo_seed.content.AGENTS)} agents")
    click.echo(f"  transcripts: {gen['transcripts']} generated ({gen['messages']} messages, "
               f"{gen['with_problems']} with planted problems = {gen['problem_share']:.0%})")
    click.echo(f"  import (source 'demo'): {result.report.summary()}")
    click.echo(f"  rubrics: {rubric_report.summary()}")
    click.echo(f"  sampling: {plan_note}")
    click.echo(f"  reviews: {reviews_note}")
    if not no_analyze:
        click.echo(f"  analysis: {len(result.report.transcript_ids)} created/updated transcripts analyzed")
    for error in result.report.rejected[:5]:
        click.echo(f"    rejected: {error}", err=True)
    if with_shared:
        if result.shared_report is not None:
            click.echo(f"  shared Twitter sample ({result.shared_path}), source 'twitter': "
                       f"{result.shared_report.summary()}")
        else:
            click.echo(f"  note: {result.shared_path} is not there; skipped the shared Twitter sample "
                       "(../shared/data ships beside the repo only in the dev/CI workspace).")
    if result.users_created:
        click.echo("  users created: " + ", ".join(u.email for u in result.users_created))
    if result.users_existing:
        click.echo("  users already present, left unchanged (password not reset): "
                   + ", ".join(u.email for u in result.users_existing))

    click.echo("\nDemo logins:")
    click.echo(f"  {'e-mail':<22} {'role':<9} {'password':<9} teams")
    for email, role, _name, teams in demo_seed.DEMO_USERS:
        existing = any(u.email == email for u in result.users_existing)
        note = "  (existing account: password not reset)" if existing else ""
        scope = "all demo teams" if teams else ("own chats (Alex Morgan)" if role == "agent" else "everything")
        click.echo(f"  {email:<22} {role:<9} {demo_seed.DEMO_PASSWORD:<9} {scope}{note}")
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")

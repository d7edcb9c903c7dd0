"""flask qa analyze / reanalyze"""
from __future__ import annotations

import json
import sys
from datetime import datetime

import click

from qa_app import nlp
from qa_app.cli import qa_cli
from qa_app.extensions import db
from qa_app.services import analysis
from qa_app.services.errors import ServiceError


@qa_cli.command("analyze")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--policy", "policy_path", type=click.Path(exists=True, dir_okay=False),
              help="Policy pack YAML for FILE mode (default: rubrics/policy.yaml).")
@click.option("--stored", is_flag=True, help="Analyze transcripts in the database and store the results.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="With --stored: only chats started on or after.")
@click.option("--all", "include_fresh", is_flag=True, help="With --stored: also redo analyses that are up to date.")
@click.option("--processes", default=1, show_default=True, help="FILE mode: worker processes for spaCy.")
def analyze(path: str | None, policy_path: str | None, stored: bool, since: datetime | None,
            include_fresh: bool, processes: int) -> None:
    """Analyze FILE (interchange format) to JSON Lines on stdout, or --stored transcripts into the database."""
    if stored == bool(path):
        raise click.UsageError("Give either a FILE to analyze or --stored, not both.")
    if stored:
        _analyze_stored(since, include_fresh)
    else:
        _analyze_file(path, policy_path, processes)


@qa_cli.command("reanalyze")
@click.option("--all", "include_fresh", is_flag=True, help="Redo every transcript, not only stale ones.")
def reanalyze(include_fresh: bool) -> None:
    """Recompute analyses made by another analyzer version or policy pack version."""
    _analyze_stored(None, include_fresh)


def _analyze_stored(since: datetime | None, include_fresh: bool) -> None:
    ids = analysis.stale_transcript_ids(db.session, since=since, include_fresh=include_fresh)
    db.session.commit()
    if not ids:
        click.echo("Every stored analysis is up to date.", err=True)
        return
    with click.progressbar(length=len(ids), label="Analyzing", file=sys.stderr) as bar:
        count = analysis.analyze_ids(db.session, ids, commit=db.session.commit, progress=bar.update)
    click.echo(f"Analyzed {count} transcripts (analyzer {nlp.ANALYZER_VERSION}).", err=True)


def _analyze_file(path: str, policy_path: str | None, processes: int) -> None:
    from qa_app.services.importing import ImportFileError, iter_valid_records

    try:
        policy = nlp.load_policy(policy_path or nlp.default_policy_path())
    except nlp.PolicyError as exc:
        raise click.ClickException(str(exc)) from exc
    rejected: list[str] = []
    try:
        records = iter_valid_records(path, on_reject=lambda error: rejected.append(str(error)))
        for result in nlp.analyze_transcripts(records, policy, n_process=processes):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    except (ImportFileError, ServiceError) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in rejected:
        click.echo(f"rejected: {line}", err=True)
    if rejected:
        sys.exit(1)

"""flask qa rubrics sync / check / list / export"""
from __future__ import annotations

from pathlib import Path

import click

from qa_app.cli import qa_cli
from qa_app.extensions import db
from qa_app.services import rubrics


@qa_cli.group("rubrics")
def rubrics_cli() -> None:
    """Rubric files (rubrics/*.rubric.yaml) and their versions."""


@rubrics_cli.command("sync")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory of *.rubric.yaml files (default: rubrics/ or $QA_RUBRICS_DIR).")
def sync(directory: Path | None) -> None:
    """Load every rubric file; a changed file becomes a new version. A bad file loads nothing."""
    try:
        report = rubrics.sync_rubrics(db.session, directory)
    except rubrics.RubricError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{len(exc.problems)} problem(s); no rubric was loaded.") from exc
    db.session.commit()
    for label, keys in (("created", report.created), ("updated", report.updated), ("unchanged", report.unchanged)):
        if keys:
            click.echo(f"  {label}: {', '.join(keys)}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    click.echo(f"Rubrics: {report.summary()}.")


@rubrics_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate rubric files without touching the database (default: every file in rubrics/)."""
    files = list(paths) or rubrics.rubric_paths(rubrics.default_directory())
    try:
        loaded = rubrics.load_files(files)
    except rubrics.RubricError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{len(exc.problems)} problem(s).") from exc
    for item in loaded:
        click.echo(f"ok: {item.path.name} ({item.key})")


@rubrics_cli.command("list")
@click.option("--archived", is_flag=True, help="Include archived rubrics.")
def list_(archived: bool) -> None:
    """Rubrics in the database with their latest version."""
    for rubric in rubrics.list_rubrics(db.session, include_archived=archived):
        latest = rubric.latest
        flag = " (archived)" if rubric.archived else ""
        click.echo(f"{rubric.key:<28} v{latest.number if latest else 0:<4} {rubric.name}{flag}")


@rubrics_cli.command("export")
@click.argument("key")
@click.option("--version", "number", type=int, help="Version number (default: the latest).")
def export(key: str, number: int | None) -> None:
    """Print a rubric version's YAML."""
    rubric = rubrics.get_by_key(db.session, key)
    version = (rubric.latest if number is None else rubrics.get_version(db.session, rubric, number)) if rubric else None
    if version is None:
        raise click.ClickException(f"No rubric {key!r}" + (f" version {number}" if number else "") + ".")
    click.echo(rubrics.export_yaml(version), nl=False)

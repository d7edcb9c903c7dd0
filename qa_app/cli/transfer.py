"""flask qa import / export: thin wrappers over qa_app.services.importing and qa_app.services.exporting."""
from __future__ import annotations

import os
import sys
from typing import Callable

import click

from qa_app.cli import qa_cli
from qa_app.extensions import db
from qa_app.services import analysis, exporting
from qa_app.services.errors import ServiceError
from qa_app.services.importing import DEFAULT_BATCH_SIZE, ImportFileError, import_file

MAX_ERRORS_SHOWN = 50


class FileUnusable(click.ClickException):
    """The import file as a whole is unusable: "Error: ..." and exit code 2."""

    exit_code = 2


def _analysis_hook(no_analyze: bool) -> Callable[[list[int]], None] | None:
    """What to run on each imported batch's transcript ids (before its commit)."""
    return None if no_analyze else analysis.after_import_batch(db.session)


@qa_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", default=None, help="Source name for records without their own (default: import).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default=None,
              help="Override detection by extension / content.")
@click.option("--strict", is_flag=True, help="Import nothing unless every record is valid.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Transcripts per batch; each batch is committed as a unit.")
@click.option("--no-analyze", is_flag=True, help="Do not run the analysis on imported transcripts.")
def import_command(path: str, source: str | None, fmt: str | None, strict: bool, batch_size: int,
                   no_analyze: bool) -> None:
    """Import transcripts from PATH (JSON array, JSON Lines or CSV in the interchange format)."""
    on_batch = _analysis_hook(no_analyze)
    committed = {"batches": 0}

    def commit() -> None:
        db.session.commit()
        committed["batches"] += 1

    size = os.path.getsize(path)
    try:
        with click.progressbar(length=max(size * (2 if strict else 1), 1), label=f"Importing {os.path.basename(path)}",
                               file=sys.stderr) as bar:
            report = import_file(db.session, path, source=source, fmt=fmt, strict=strict, commit=commit,
                                 on_batch=on_batch, progress=bar.update, batch_size=batch_size)
    except ImportFileError as exc:
        db.session.rollback()
        raise FileUnusable(str(exc)) from None
    except KeyboardInterrupt:
        db.session.rollback()
        click.echo(f"\nInterrupted: {committed['batches']} batch(es) of whole transcripts were committed; "
                   "run the same import again to finish (already imported transcripts are skipped).", err=True)
        sys.exit(130)
    click.echo(report.summary())
    for error in report.rejected[:MAX_ERRORS_SHOWN]:
        click.echo(f"  {error}")
    if len(report.rejected) > MAX_ERRORS_SHOWN:
        click.echo(f"  ... and {len(report.rejected) - MAX_ERRORS_SHOWN} more")
    if not report.ok:
        sys.exit(1)


@qa_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(exporting.EXPORT_FORMATS), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@click.option("--source", default=None, help="Only transcripts from this source.")
@click.option("--team", default=None, help="Only transcripts of this team (name, case-insensitive).")
def export_command(fmt: str, output: str | None, source: str | None, team: str | None) -> None:
    """Export transcripts in the interchange format (re-importable with `flask qa import`)."""
    try:
        query = exporting.export_query(db.session, source=source, team=team)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    records = exporting.iter_transcript_records(db.session, query)
    if output:
        with open(output, "w", encoding="utf-8", newline="\n") as stream:
            n = exporting.write_export(records, stream, fmt)
        click.echo(f"Exported {n} transcript{'s' if n != 1 else ''} to {output}.", err=True)
    else:
        n = exporting.write_export(records, sys.stdout, fmt)
        click.echo(f"Exported {n} transcript{'s' if n != 1 else ''}.", err=True)

"""Import transcripts (JSON array, JSON Lines, CSV, or a list of dicts from the API) in the interchange format.

    report = import_file(db.session, "chats.jsonl", source="zendesk", commit=db.session.commit)
    print(report.summary())            # "3 created, 0 updated, 2 unchanged (already imported), 1 rejected"
    for error in report.rejected:      # "line 12 (external_id T-9): messages[2].role: 'boss' is not one of ..."
        print(error)

Records are read as a stream and written in batches of `batch_size` transcripts. After each batch is written the
session is flushed, `on_batch(ids)` is called with the ids created or updated in it, then `commit()`; a failure or
Ctrl-C therefore loses at most the current batch and never leaves half a transcript. Without `commit` nothing is
committed here (the caller commits). `progress(n)` is called after each batch with the number of file BYTES read
since the previous call (in strict mode the file is read twice, so the total is twice the file size);
import_records does not report progress.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy.orm import Session

from qa_app.services.importing import parsing, validation
from qa_app.services.importing.parsing import Item, BadRecord
from qa_app.services.importing.report import ImportFileError, ImportReport, RecordError
from qa_app.services.importing.validation import NormalizedRecord, RecordInvalid
from qa_app.services.importing.writer import BatchWriter

__all__ = ["DEFAULT_BATCH_SIZE", "ImportFileError", "ImportReport", "RecordError", "import_file", "import_records",
           "detect_format", "iter_valid_records"]

detect_format = parsing.detect_format
# Transcripts per batch (one commit each). 1000 rather than 500: on SQLite every commit is a journal write and fsyncs,
# about 10% of a 12-message import at 500; memory stays bounded (a batch of 12-message transcripts is a few MB).
DEFAULT_BATCH_SIZE = 1000


def import_file(session: Session, path: str | Path, *, source: str | None = None, fmt: str | None = None,
                strict: bool = False, commit: Callable[[], None] | None = None,
                on_batch: Callable[[list[int]], None] | None = None,
                progress: Callable[[int], None] | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> ImportReport:
    """Import a file; raise ImportFileError when the file as a whole is unusable (nothing is written then)."""
    path = Path(path)
    fmt = parsing.detect_format(path, fmt)
    return _run(session, lambda: parsing.iter_items(path, fmt), source=source, strict=strict, commit=commit,
                on_batch=on_batch, progress=progress, batch_size=batch_size)


def import_records(session: Session, records: Iterable[dict], *, source: str | None = None, strict: bool = False,
                   commit: Callable[[], None] | None = None, on_batch: Callable[[list[int]], None] | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> ImportReport:
    """Import dicts (the JSON API, the demo generator); errors are located as "record N" (1-based).

    In strict mode the records are materialized into a list (validated, then imported), so pass bounded input.
    """
    if strict and not isinstance(records, (list, tuple)):
        records = list(records)

    def items() -> Iterator[Item]:
        for n, rec in enumerate(records, 1):
            yield Item(f"record {n}", rec, 0)

    return _run(session, items, source=source, strict=strict, commit=commit, on_batch=on_batch, progress=None,
                batch_size=batch_size)


def iter_valid_records(path: str | Path, *, fmt: str | None = None,
                       on_reject: Callable[[RecordError], None] | None = None) -> Iterator[dict]:
    """Stream the valid records of a file as interchange dicts (for `flask qa analyze FILE`); touches no database.

    Invalid records are passed to `on_reject` and skipped; an unusable file raises ImportFileError.
    """
    path = Path(path)
    report = ImportReport()
    for rec, _ in _normalized(parsing.iter_items(path, parsing.detect_format(path, fmt)), None, report):
        for error in report.rejected:
            if on_reject is not None:
                on_reject(error)
        report.rejected.clear()
        if rec is not None:
            yield {"external_id": rec.external_id,
                   "messages": [{"role": role, "text": text, "sent_at": iso} for role, text, _, iso in rec.messages]}


def _check_args(source: str | None, batch_size: int) -> None:
    if source is not None and (not source.strip() or len(source.strip()) > 64):
        raise ImportFileError(f"Invalid source {source!r}: 1 to 64 characters.")
    if batch_size < 1:
        raise ImportFileError("batch_size must be at least 1.")


def _normalized(items: Iterator[Item], source: str | None,
                report: ImportReport) -> Iterator[tuple[NormalizedRecord | None, int]]:
    """(record, bytes) for each item; invalid ones are added to report.rejected and yield None."""
    normalize = validation.normalize
    for locator, rec, nbytes in items:
        if isinstance(rec, BadRecord):
            report.rejected.append(RecordError(locator, rec.external_id, rec.field, rec.reason))
            yield None, nbytes
            continue
        try:
            yield normalize(rec, source), nbytes
        except RecordInvalid as exc:
            report.rejected.append(RecordError(locator, validation.external_id_of(rec), exc.field, exc.reason))
            yield None, nbytes


def _redactor(session: Session, report: ImportReport) -> Callable[[NormalizedRecord], NormalizedRecord] | None:
    """The admin's "redact PII on import" setting, read once per import: every path (upload, API, CLI) runs here."""
    from qa_app.services import redaction, settings

    if not settings.redact_pii_on_import(session):
        return None
    report.redacted = Counter()
    return lambda rec: redaction.redact_record(rec, report.redacted)


def _run(session: Session, make_items: Callable[[], Iterator[Item]], *, source, strict, commit, on_batch,
         progress, batch_size) -> ImportReport:
    _check_args(source, batch_size)
    report = ImportReport()
    if strict:  # first pass: validate everything, write nothing
        unreported = 0
        for n, (_, nbytes) in enumerate(_normalized(make_items(), source, report), 1):
            unreported += nbytes
            if progress and n % batch_size == 0:
                progress(unreported)
                unreported = 0
        if progress and unreported:
            progress(unreported)
        if report.rejected:
            report.aborted = True
            return report

    writer = BatchWriter(session, report)
    batch: list[NormalizedRecord] = []
    unreported = 0
    redact = _redactor(session, report)

    def finish_batch() -> None:
        nonlocal unreported
        ids = writer.write(batch) if batch else []
        batch.clear()
        session.flush()
        if on_batch is not None:
            on_batch(ids)
        if commit is not None:
            commit()
        if progress is not None and unreported:
            progress(unreported)
        unreported = 0

    for rec, nbytes in _normalized(make_items(), source, report):
        unreported += nbytes
        if rec is not None:
            batch.append(redact(rec) if redact else rec)
            if len(batch) >= batch_size:
                finish_batch()
    finish_batch()
    return report

"""What an import returns: the report, the per-record error, and the whole-file error."""
from __future__ import annotations

from dataclasses import dataclass, field

from qa_app.services.errors import ServiceError


class ImportFileError(ServiceError):
    """The whole file is unusable (truncated, not UTF-8, binary, empty, wrong shape). The message names the file."""


@dataclass
class RecordError:
    """One rejected record: where it is, which transcript, which field, why."""

    locator: str                 # "line 12" (JSONL), "record 3" (JSON array / API list), "rows 7-9" (CSV)
    external_id: str | None
    field: str                   # JSON path, e.g. "messages[2].role"; "" when the record itself is the problem
    reason: str

    def __str__(self) -> str:
        where = self.locator + (f" (external_id {self.external_id})" if self.external_id else "")
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


REDACTED_LABELS = (("card", "card number", "s"), ("email", "e-mail address", "es"), ("phone", "phone number", "s"))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: int = 0            # message rows written (for created and updated transcripts)
    rejected: list[RecordError] = field(default_factory=list)
    transcript_ids: list[int] = field(default_factory=list)   # created or updated, in import order, no repeats
    aborted: bool = False        # strict mode refused: nothing was written
    duplicates: int = 0          # records superseded by a later record with the same (source, external_id)
    redacted: dict | None = None  # PII markers written, {"card": n, "email": n, "phone": n}; None: redaction off

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.aborted

    def summary(self) -> str:
        if self.aborted:
            n = len(self.rejected)
            return (f"Nothing imported (strict mode): {n} record{'s' if n != 1 else ''} rejected; "
                    "fix them or import without --strict.")
        line = (f"{self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged (already imported), {len(self.rejected)} rejected")
        if self.duplicates:
            line += (f", {self.duplicates} duplicate{'s' if self.duplicates != 1 else ''} "
                     "in the input (the later record won)")
        if self.redacted is not None:
            found = [f"{n} {label}{'' if n == 1 else plural}" for key, label, plural in REDACTED_LABELS
                     if (n := self.redacted.get(key))]
            line += "; personal data redacted: " + (", ".join(found) or "none found")
        return line

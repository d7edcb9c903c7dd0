"""Streaming readers: a file in, (locator, record-or-problem, bytes) out, with memory bounded by one record.

Every reader yields ``Item(locator, record, nbytes)`` where ``record`` is the parsed dict (not yet validated) or a
``BadRecord`` when the record could not even be read (a JSON Lines line that is not JSON, ...). ``nbytes`` is the
number of file bytes consumed since the previous item (for progress bars). Problems that make the whole file unusable
raise ``ImportFileError`` with a message naming the file.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import orjson
from qa_app.services.importing.report import ImportFileError

FORMATS = ("json", "jsonl", "csv")
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
CHUNK_SIZE = 1 << 16
BOM = b"\xef\xbb\xbf"

CSV_REQUIRED = ("external_id", "role", "text")
CSV_AGENT_COLUMNS = ("agent_email", "agent_name")
CSV_COLUMNS = ("external_id", "agent_email", "agent_name", "team", "role", "text", "sent_at", "channel", "csat",
               "source", "status", "customer_id", "customer_name", "started_at", "ended_at", "tags")


class BadRecord(NamedTuple):
    field: str
    reason: str
    external_id: str | None = None


class Item(NamedTuple):
    locator: str
    record: Any        # dict (or another JSON value, which validation rejects) or BadRecord
    nbytes: int


def detect_format(path: Path, fmt: str | None = None) -> str:
    """`fmt` if given, else the extension, else a sniff of the first bytes. Also refuses empty and binary files."""
    name = path.name
    try:
        with open(path, "rb") as f:
            head = f.read(CHUNK_SIZE)
    except OSError as exc:
        raise ImportFileError(f"{name}: cannot read the file ({exc.strerror or exc}).") from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(f"{name}: the file is UTF-16 encoded; save it as UTF-8 and import again.")
    _check_nul(head, 0, name)
    body = head[len(BOM):] if head.startswith(BOM) else head
    stripped = body.lstrip()
    if not stripped:
        if len(head) < CHUNK_SIZE:
            raise ImportFileError(f"{name}: the file is empty.")
    if fmt:
        if fmt not in FORMATS:
            raise ImportFileError(f"{name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
        return fmt
    by_ext = EXTENSIONS.get(path.suffix.lower())
    if by_ext:
        return by_ext
    first = stripped[:1]
    if first == b"[":
        return "json"
    if first == b"{":
        return "jsonl"
    if b"external_id" in stripped.split(b"\n", 1)[0]:
        return "csv"
    raise ImportFileError(f"{name}: cannot tell the format (not .json, .jsonl, .ndjson or .csv, and the content "
                          "does not look like a JSON array, JSON Lines or CSV with a header); pass --format.")


def iter_items(path: Path, fmt: str) -> Iterator[Item]:
    return {"json": iter_json_array, "jsonl": iter_jsonl, "csv": iter_csv}[fmt](path)


# -- bytes -> text, checked -------------------------------------------------------------------------------------

def _check_nul(raw: bytes, offset: int, name: str) -> None:
    at = raw.find(b"\x00")
    if at >= 0:
        raise ImportFileError(f"{name}: binary data (a NUL byte at byte offset {offset + at}); expected a UTF-8 "
                              "text file (JSON, JSON Lines or CSV).")


def _decode(raw: bytes, offset: int, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: not valid UTF-8 at byte offset {offset + exc.start}; "
                              "save the file as UTF-8 and import again.") from None


def _iter_lines(path: Path, counter: list[int]) -> Iterator[str]:
    """Decoded lines (line endings kept); counter[0] accumulates the bytes read."""
    name = path.name
    offset = 0
    with open(path, "rb") as f:
        for raw in f:
            start = offset
            offset += len(raw)
            counter[0] += len(raw)
            if start == 0 and raw.startswith(BOM):
                raw, start = raw[len(BOM):], len(BOM)
            _check_nul(raw, start, name)
            yield _decode(raw, start, name)


def _utf8_cut(data: bytes) -> int:
    """Length of the longest prefix of `data` that does not end inside a UTF-8 sequence."""
    n = len(data)
    for back in range(1, min(4, n) + 1):
        b = data[n - back]
        if b & 0xC0 == 0x80:      # continuation byte: keep looking for the lead byte
            continue
        if b < 0x80:
            return n
        need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
        return n if need <= back else n - back
    return n


def _loads(line: str):
    """orjson where it can (about twice as fast); json for what orjson refuses but JSON allows (huge integers)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)  # raises json.JSONDecodeError with the position when the line really is bad


# -- JSON Lines ---------------------------------------------------------------------------------------------------

def iter_jsonl(path: Path) -> Iterator[Item]:
    name = path.name
    counter = [0]
    loads = _loads
    first = True
    for lineno, line in enumerate(_iter_lines(path, counter), 1):
        if not line or line.isspace():  # (what `not line.strip()` means, without copying the line)
            continue
        nbytes, counter[0] = counter[0], 0
        try:
            obj = loads(line)
        except json.JSONDecodeError as exc:
            if first:
                raise ImportFileError(f"{name}: line {lineno} is not JSON ({exc.msg} at column {exc.colno}); "
                                      "expected JSON Lines, one transcript object a line.") from None
            yield Item(f"line {lineno}", BadRecord("", f"invalid JSON: {exc.msg} at column {exc.colno}"), nbytes)
            continue
        if first and isinstance(obj, list):
            raise ImportFileError(f"{name}: line {lineno} is a JSON array, not an object; for a JSON array file "
                                  "use the .json extension or --format json.")
        first = False
        yield Item(f"line {lineno}", obj, nbytes)


# -- JSON array -----------------------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_TYPE_NAMES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


class _ArrayReader:
    """A JSON array read in chunks; values are decoded one at a time with JSONDecoder.raw_decode."""

    def __init__(self, f, name: str):
        self.f, self.name = f, name
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.pending = b""       # bytes of an incomplete UTF-8 sequence at the end of the last chunk
        self.offset = 0          # file offset of the first byte of `pending`
        self.lines_before = 0    # newlines in text already dropped from buf
        self.unreported = 0      # bytes read and not yet reported as progress

    def more(self) -> bool:
        if self.eof:
            return False
        raw = self.f.read(CHUNK_SIZE)
        self.unreported += len(raw)
        if not raw:
            self.eof = True
            if self.pending:
                _decode(self.pending, self.offset, self.name)  # raises: the file ends mid-character
            return False
        start = self.offset + len(self.pending)
        if start == 0 and raw.startswith(BOM):
            raw = raw[len(BOM):]
            self.offset = start = len(BOM)
        _check_nul(raw, start, self.name)
        data = self.pending + raw
        cut = _utf8_cut(data)
        text = _decode(data[:cut], self.offset, self.name)
        self.pending = data[cut:]
        self.offset += cut
        if self.pos > CHUNK_SIZE:  # drop consumed text so the buffer stays about one record long
            self.lines_before += self.buf.count("\n", 0, self.pos)
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += text
        return True

    def skip_ws(self) -> str:
        """The next non-whitespace character ('' at the end of the file)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def where(self, pos: int) -> str:
        line = self.lines_before + self.buf.count("\n", 0, pos) + 1
        col = pos - self.buf.rfind("\n", 0, pos)
        return f"line {line}, column {col}"

    def truncated(self) -> bool:
        return self.eof and not self.buf.rstrip().endswith("]")


def iter_json_array(path: Path) -> Iterator[Item]:
    name = path.name
    decode = json.JSONDecoder().raw_decode
    with open(path, "rb") as f:
        r = _ArrayReader(f, name)
        c = r.skip_ws()
        if c == "":
            raise ImportFileError(f"{name}: the file is empty.")
        if c == "{":
            raise ImportFileError(f"{name}: the top-level JSON value is an object, not an array of transcripts; "
                                  "wrap it in [ ] or use JSON Lines (.jsonl, one object a line).")
        if c != "[":
            raise ImportFileError(f"{name}: not a JSON array (starts with {c!r} at {r.where(r.pos)}).")
        r.pos += 1
        n = 0
        while True:
            c = r.skip_ws()
            if c == "":
                raise ImportFileError(f"{name}: the file ends inside the array after record {n} (no closing ']'); "
                                      "it looks truncated.")
            if c == "]":
                r.pos += 1
                if r.skip_ws() != "":
                    raise ImportFileError(f"{name}: unexpected data after the closing ']' at {r.where(r.pos)}.")
                return
            if n:
                if c != ",":
                    raise ImportFileError(f"{name}: invalid JSON after record {n} at {r.where(r.pos)}: "
                                          "expected ',' or ']'.")
                r.pos += 1
                if r.skip_ws() == "":
                    raise ImportFileError(f"{name}: the file ends after record {n}; it looks truncated.")
            n += 1
            while True:
                try:
                    obj, end = decode(r.buf, r.pos)
                except json.JSONDecodeError as exc:
                    if r.more():
                        continue
                    if r.truncated():
                        raise ImportFileError(f"{name}: the file ends in the middle of record {n}; "
                                              "it looks truncated.") from None
                    raise ImportFileError(f"{name}: invalid JSON in record {n} at {r.where(exc.pos)}: "
                                          f"{exc.msg}.") from None
                if end == len(r.buf) and not isinstance(obj, (dict, list)) and r.more():
                    continue  # a bare number may continue in the next chunk
                break
            r.pos = end
            nbytes, r.unreported = r.unreported, 0
            yield Item(f"record {n}", obj, nbytes)


# -- CSV ------------------------------------------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")


def iter_csv(path: Path) -> Iterator[Item]:
    """One message a row; consecutive rows with the same external_id are one transcript.

    Rows are numbered as in a text editor (the header is row 1). A transcript's rows must be consecutive: an
    external_id that reappears after another transcript is rejected (it would otherwise silently replace the
    earlier rows), which keeps memory bounded to one transcript.
    """
    name = path.name
    counter = [0]
    reader = csv.reader(_iter_lines(path, counter))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFileError(f"{name}: unreadable CSV header: {exc}.") from None
    if header is None:
        raise ImportFileError(f"{name}: the file is empty.")
    columns = [h.strip().lower() for h in header]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if not any(c in columns for c in CSV_AGENT_COLUMNS):
        missing.append("agent_email or agent_name")
    if missing:
        raise ImportFileError(f"{name}: CSV is missing required column{'s' if len(missing) > 1 else ''}: "
                              f"{', '.join(missing)} (found: {', '.join(c for c in columns if c) or 'none'}).")
    index = {c: i for i, c in reversed(list(enumerate(columns))) if c in CSV_COLUMNS}
    ext_i = index["external_id"]
    seen: set[str] = set()
    group: list[list[str]] = []
    group_start = 0
    group_id = None
    line_end = reader.line_num

    def emit(rows: list[list[str]], first_row: int, last_row: int) -> Item:
        locator = f"rows {first_row}-{last_row}" if last_row > first_row else f"row {first_row}"
        ext = rows[0][ext_i].strip() if ext_i < len(rows[0]) else ""
        nbytes, counter[0] = counter[0], 0
        if ext and ext in seen:
            return Item(locator, BadRecord("external_id", f"{ext!r} reappears after rows of other transcripts; "
                                           "rows of one transcript must be consecutive", ext), nbytes)
        seen.add(ext)
        return Item(locator, _csv_record(rows, index), nbytes)

    last_row = 0
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise ImportFileError(f"{name}: unreadable CSV at row {line_end + 1}: {exc}.") from None
        row_start, line_end = line_end + 1, reader.line_num
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        ext = row[ext_i].strip() if ext_i < len(row) else ""
        if group and ext != group_id:
            yield emit(group, group_start, last_row)
            group = []
        if not group:
            group_start, group_id = row_start, ext
        group.append(row)
        last_row = row_start
    if group:
        yield emit(group, group_start, last_row)


def _csv_record(rows: list[list[str]], index: dict[str, int]) -> dict:
    """Rows of one transcript -> an interchange record; transcript-level cells are read from the first row."""

    def cell(row: list[str], col: str) -> str | None:
        i = index.get(col)
        if i is None or i >= len(row):
            return None
        if col == "text":
            return row[i]  # kept as written; empty text is reported by validation
        value = row[i].strip()
        return value or None

    first = rows[0]
    record: dict[str, Any] = {"external_id": cell(first, "external_id")}
    if record["external_id"] is None:
        del record["external_id"]
    for col, key in (("source", "source"), ("channel", "channel"), ("status", "status"),
                     ("started_at", "started_at"), ("ended_at", "ended_at")):
        v = cell(first, col)
        if v is not None:
            record[key] = v
    agent = {k: v for k, v in (("email", cell(first, "agent_email")), ("name", cell(first, "agent_name")),
                               ("team", cell(first, "team"))) if v is not None}
    record["agent"] = agent
    customer = {k: v for k, v in (("id", cell(first, "customer_id")), ("name", cell(first, "customer_name")))
                if v is not None}
    if customer:
        record["customer"] = customer
    csat = cell(first, "csat")
    if csat is not None:
        record["csat"] = int(csat) if _INT.fullmatch(csat) else csat
    tags = cell(first, "tags")
    if tags is not None:
        record["tags"] = [t.strip() for t in tags.split(";") if t.strip()]
    messages = []
    for row in rows:
        message = {"role": cell(row, "role"), "text": cell(row, "text")}
        sent_at = cell(row, "sent_at")
        if sent_at is not None:
            message["sent_at"] = sent_at
        messages.append({k: v for k, v in message.items() if v is not None})
    record["messages"] = messages
    return record

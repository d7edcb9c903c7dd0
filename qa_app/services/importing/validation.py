"""Validation and normalization of one interchange record.

The published JSON Schema (docs/transcript.schema.json, Draft 2020-12) is the contract. Running the `jsonschema`
library on every record costs about 1 ms per 12-message transcript, which alone would cap an import at ~1,000
transcripts/s, so records go through `_fast_check`, a hand-compiled equivalent of the schema plus our own checks
(timestamps that parse, ...). Whenever `_fast_check` finds a problem the record is validated with `jsonschema`, and
its best error (with the JSON path) is the one reported; our own message is used only when the schema accepts the
record. tests/unit/test_import_validation.py proves the two agree on valid and mutated records, so they cannot drift.
Set FULL_SCHEMA_CHECK = True to run `jsonschema` on every record as well.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "transcript.schema.json"
FULL_SCHEMA_CHECK = False
DEFAULT_SOURCE = "import"
DEFAULT_CHANNEL = "chat"
ROLES = ("customer", "agent", "bot", "system")
STATUSES = ("completed", "open")


class RecordInvalid(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass(slots=True)
class NormalizedRecord:
    source: str
    external_id: str
    channel: str
    status: str
    agent_email: str | None      # lower-cased
    agent_name: str | None
    team: str | None
    customer_ref: str | None
    customer_name: str | None
    started_at: datetime | None  # naive UTC
    ended_at: datetime | None
    csat: int | None
    tags: list[str]
    meta: dict
    messages: list[tuple[str, str, datetime | None, str | None]]  # (role, text, sent_at, str(sent_at))
    content_hash: str


@lru_cache(maxsize=1)
def schema() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def schema_validator() -> Draft202012Validator:
    s = schema()
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


def _compiled(pattern_path: tuple[str, ...]) -> re.Pattern:
    node: Any = schema()
    for key in pattern_path:
        node = node[key]
    return re.compile(node["pattern"])


_TIMESTAMP = _compiled(("$defs", "timestamp"))
_EMAIL = _compiled(("properties", "agent", "properties", "email"))
_NONBLANK = re.compile(r"\S")
# Text no database column can hold: NUL (PostgreSQL refuses it) and unpaired UTF-16 surrogates (JSON escapes like
# "\ud800" decode to them; they cannot be encoded as UTF-8). Refused with the field named, never a crash.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_UNSTORABLE_REASON = "contains a NUL character or an unpaired surrogate (\\u0000, \\ud800-\\udfff); remove it"


# -- the fast path: the schema, compiled by hand, plus our own rules ------------------------------------------------

def _str(value: Any, field: str, lo: int = 0, hi: int | None = None, nonblank: bool = False,
         nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if type(value) is not str:
        raise RecordInvalid(field, "is not a string")
    if _UNSTORABLE.search(value):
        raise RecordInvalid(field, _UNSTORABLE_REASON)
    if len(value) < lo:
        raise RecordInvalid(field, "must not be empty")
    if hi is not None and len(value) > hi:
        raise RecordInvalid(field, f"is longer than {hi} characters")
    if nonblank and not _NONBLANK.search(value):
        raise RecordInvalid(field, "must not be blank")


def _timestamp(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    if type(value) is not str or not _TIMESTAMP.search(value):
        raise RecordInvalid(field, f"{value!r} is not an ISO 8601 timestamp (e.g. 2026-03-01T10:00:00Z)")
    try:
        if value[-1] == "Z":  # the common case: already UTC
            return datetime.fromisoformat(value[:-1])
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RecordInvalid(field, f"{value!r} is not a valid timestamp ({exc})") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


# The usual form, "2026-03-01T10:00:00Z" (a subset of the schema's pattern): parsed without the general path, and its
# str() (what the content hash and SQLite store) is the string with a space for the T (its only letter but Z).
_SIMPLE_UTC = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\dZ", re.ASCII)
_fromiso = datetime.fromisoformat


def _stamp(value: Any, field: str) -> tuple[datetime | None, str | None]:
    """(naive UTC datetime, str of it) for a timestamp value; (None, None) for null."""
    if type(value) is str and _SIMPLE_UTC.fullmatch(value):
        try:
            return _fromiso(value[:19]), value[:19].replace("T", " ")
        except ValueError:
            pass  # e.g. February 30: _timestamp words the error
    dt = _timestamp(value, field)
    return (None, None) if dt is None else (dt, str(dt))


Message = tuple[str, str, datetime | None, str | None]  # (role, text, sent_at, str(sent_at))


def _fast_check(rec: Any) -> tuple[list[Message], datetime | None, datetime | None]:
    """Raise RecordInvalid on the first problem; return (messages, started_at, ended_at), parsed.

    Mirrors the schema exactly."""
    if type(rec) is not dict:
        raise RecordInvalid("", "expected a JSON object")
    for key in ("external_id", "agent", "messages"):
        if key not in rec:
            raise RecordInvalid(key, "is required")
    _str(rec["external_id"], "external_id", 1, 200, True)
    if "source" in rec:
        _str(rec["source"], "source", 1, 64, True)
    if "channel" in rec:
        _str(rec["channel"], "channel", 1, 32)
    if "status" in rec and (type(rec["status"]) is not str or rec["status"] not in STATUSES):
        raise RecordInvalid("status", f"{rec['status']!r} is not one of {', '.join(STATUSES)}")
    agent = rec["agent"]
    if type(agent) is not dict:
        raise RecordInvalid("agent", "is not an object")
    if "email" in agent:
        email = agent["email"]
        _str(email, "agent.email", 0, 254)
        if not _EMAIL.search(email):
            raise RecordInvalid("agent.email", f"{email!r} is not an e-mail address")
    if "name" in agent:
        _str(agent["name"], "agent.name", 1, 200, True)
    if "team" in agent:
        _str(agent["team"], "agent.team", 0, 120, nullable=True)
    if "email" not in agent and "name" not in agent:
        raise RecordInvalid("agent", "needs an email or a name")
    customer = rec.get("customer")
    if customer is not None:
        if type(customer) is not dict:
            raise RecordInvalid("customer", "is not an object")
        for key in ("id", "name"):
            if key in customer:
                _str(customer[key], f"customer.{key}", 0, 200, nullable=True)
    started_at = _stamp(rec.get("started_at"), "started_at")[0]
    ended_at = _stamp(rec.get("ended_at"), "ended_at")[0]
    csat = rec.get("csat")
    if csat is not None:
        if type(csat) is float and csat.is_integer():
            csat = int(csat)
        if type(csat) is not int:
            raise RecordInvalid("csat", f"{csat!r} is not an integer")
        if not 1 <= csat <= 5:
            raise RecordInvalid("csat", f"must be between 1 and 5, got {csat}")
    tags = rec.get("tags")
    if tags is not None:
        if type(tags) is not list:
            raise RecordInvalid("tags", "is not a list")
        for i, tag in enumerate(tags):
            _str(tag, f"tags[{i}]", 1, 100)
    meta = rec.get("metadata")
    if meta is not None and type(meta) is not dict:
        raise RecordInvalid("metadata", "is not an object")
    if meta:
        _check_finite(meta, "metadata")
    messages = rec["messages"]
    if type(messages) is not list:
        raise RecordInvalid("messages", "is not a list")
    if not messages:
        raise RecordInvalid("messages", "at least one message is required")
    out: list[Message] = []
    append = out.append
    roles = _ROLE_SET
    simple = _SIMPLE_UTC.fullmatch
    for i, m in enumerate(messages):  # the hot loop: ~12 per record, so the common case is inlined
        if type(m) is not dict:
            raise RecordInvalid(f"messages[{i}]", "is not an object")
        role = m.get("role", _MISSING)
        text = m.get("text", _MISSING)
        if type(role) is not str or role not in roles or type(text) is not str or not text or text.isspace():
            _message_problem(i, role, text)
        if _UNSTORABLE.search(text):
            raise RecordInvalid(f"messages[{i}].text", _UNSTORABLE_REASON)
        sent_at = m.get("sent_at")
        if sent_at is None:
            append((role, text, None, None))
        elif type(sent_at) is str and simple(sent_at):
            try:  # _stamp's fast path
                append((role, text, _fromiso(sent_at[:19]), sent_at[:19].replace("T", " ")))
            except ValueError:
                append((role, text, *_stamp(sent_at, f"messages[{i}].sent_at")))
        else:
            append((role, text, *_stamp(sent_at, f"messages[{i}].sent_at")))
    return out, started_at, ended_at


_ROLE_SET = frozenset(ROLES)
_MISSING = object()


def _check_finite(value: Any, field: str) -> None:
    """NaN and Infinity are no JSON numbers (Python's json reads them, PostgreSQL's json type refuses them)."""
    if type(value) is float and not math.isfinite(value):
        raise RecordInvalid(field, f"{value!r} is not a finite number (NaN and Infinity cannot be stored as JSON)")
    if type(value) is dict:
        for key, item in value.items():
            _check_finite(item, f"{field}.{key}")
    elif type(value) is list:
        for i, item in enumerate(value):
            _check_finite(item, f"{field}[{i}]")


def _message_problem(i: int, role: Any, text: Any) -> None:
    if role is _MISSING:
        raise RecordInvalid(f"messages[{i}].role", "is required")
    if text is _MISSING:
        raise RecordInvalid(f"messages[{i}].text", "is required")
    if type(role) is not str or role not in _ROLE_SET:
        raise RecordInvalid(f"messages[{i}].role", f"{role!r} is not one of {', '.join(ROLES)}")
    _str(text, f"messages[{i}].text", 1, None, True)


# -- jsonschema errors as one readable line ------------------------------------------------------------------------

_TYPE_WORDS = {"integer": "an integer", "string": "a string", "object": "an object", "array": "a list",
               "number": "a number", "boolean": "true or false", "null": "null"}


def json_path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def describe(error: ValidationError) -> tuple[str, str]:
    """(field, reason) for a jsonschema error, phrased for people who edit CSV files."""
    field = json_path(error.absolute_path)
    kind, value, inst = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = next((p for p in value if not isinstance(inst, dict) or p not in inst), value[0])
        return (f"{field}.{missing}" if field else missing), "is required"
    if kind == "anyOf" and field == "agent":
        return field, "needs an email or a name"
    if kind == "enum":
        return field, f"{inst!r} is not one of {', '.join(map(str, value))}"
    if kind == "type":
        types = [t for t in ([value] if isinstance(value, str) else value) if t != "null"] or ["null"]
        if not field:
            return "", "expected a JSON object"
        return field, f"{inst!r} is not {' or '.join(_TYPE_WORDS.get(t, t) for t in types)}"
    if kind in ("minimum", "maximum"):
        lo, hi = error.schema.get("minimum"), error.schema.get("maximum")
        if lo is not None and hi is not None:
            return field, f"must be between {lo} and {hi}, got {inst!r}"
        return field, error.message
    if kind == "minLength":
        return field, "must not be empty" if value == 1 else f"is shorter than {value} characters"
    if kind == "maxLength":
        return field, f"is longer than {value} characters"
    if kind == "minItems":
        return field, "at least one message is required" if field == "messages" else f"needs at least {value} items"
    if kind == "pattern":
        if value == r"\S":
            return field, "must not be blank"
        if "@" in value:
            return field, f"{inst!r} is not an e-mail address"
        return field, f"{inst!r} is not an ISO 8601 timestamp (e.g. 2026-03-01T10:00:00Z)"
    return field, error.message


def schema_error(rec: Any) -> tuple[str, str] | None:
    error = best_match(schema_validator().iter_errors(rec))
    return None if error is None else describe(error)


def check(rec: Any) -> tuple[list[Message], datetime | None, datetime | None]:
    """(messages, started_at, ended_at) parsed, or RecordInvalid with the schema's error when there is one."""
    try:
        checked = _fast_check(rec)
    except RecordInvalid as own:
        found = schema_error(rec)
        if found is not None:
            raise RecordInvalid(*found) from None
        raise own
    if FULL_SCHEMA_CHECK:
        found = schema_error(rec)
        if found is not None:
            raise RecordInvalid(*found)
    return checked


# -- normalization and the content hash ----------------------------------------------------------------------------

def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else str(dt)


# The content hash's serialization: orjson is ~5x faster than json here; json is the fallback for what orjson
# refuses (integers beyond 64 bits in metadata).
_hash_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str).encode


def _hash_bytes(payload: list) -> bytes:
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)
    except orjson.JSONEncodeError:
        return _hash_json(payload).encode("utf-8", "surrogatepass")  # metadata may hold lone surrogates


def normalize(rec: Any, default_source: str | None = None) -> NormalizedRecord:
    """Validate and normalize; raise RecordInvalid(field, reason)."""
    messages, started_at, ended_at = check(rec)
    agent = rec["agent"]
    email = agent.get("email")
    email = email.strip().lower() if email else None
    name = agent.get("name")
    name = name.strip() if name else None
    team = agent.get("team")
    team = team.strip() or None if team else None
    customer = rec.get("customer") or {}
    if started_at is None or ended_at is None:  # derive from the messages when the record leaves them out
        stamps = [m[2] for m in messages if m[2] is not None]
        if stamps:
            started_at = started_at or stamps[0]
            ended_at = ended_at or stamps[-1]
    csat = rec.get("csat")
    csat = int(csat) if csat is not None else None
    source = (rec.get("source") or default_source or DEFAULT_SOURCE).strip()
    external_id = rec["external_id"].strip()
    channel = rec.get("channel") or DEFAULT_CHANNEL
    status = rec.get("status") or "completed"
    tags = list(rec.get("tags") or [])
    meta = rec.get("metadata") or {}
    customer_ref, customer_name = customer.get("id"), customer.get("name")
    payload = [external_id, channel, status, email or name, team, customer_ref, customer_name,
               _iso(started_at), _iso(ended_at), csat, tags, meta,
               [(r, t, ss) for r, t, _, ss in messages]]
    digest = hashlib.sha256(_hash_bytes(payload)).hexdigest()
    return NormalizedRecord(source, external_id, channel, status, email, name, team, customer_ref, customer_name,
                            started_at, ended_at, csat, tags, meta, messages, digest)


def external_id_of(rec: Any) -> str | None:
    ext = rec.get("external_id") if isinstance(rec, dict) else None
    return ext.strip() or None if isinstance(ext, str) else None

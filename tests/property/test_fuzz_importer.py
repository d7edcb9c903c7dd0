"""Property-based fuzzing of the importer (hypothesis): arbitrary JSON-ish records, malformed fields, hostile text
and raw bytes never crash it with anything but its own error report, and the database never holds half a
transcript (a stored transcript always has every one of its messages), even when a batch fails midway.

Runs on the test database (a SQLite file, or PostgreSQL with TEST_DATABASE_URL); each example starts empty.
"""
from __future__ import annotations

import copy
import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from qa_app.models import Message, Transcript
from qa_app.services import importing
from qa_app.services.importing import ImportFileError

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

FUZZ = settings(max_examples=40, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1; DROP TABLE transcripts; --",
    "\x00", "nul\x00inside", "\x1b[31mred\x1b[0m", "\u202e\u200b\ufeff", "😡" * 50, "ｆｕｌｌｗｉｄｔｈ", "Дякую 谢谢 شكرا",
    " ", "", "null", "NaN", "9" * 40, "a" * 250, "\ud800", "line\r\nbreak\u2028",
])
TEXT = st.one_of(st.text(max_size=40), HOSTILE)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), TEXT)
JSONISH = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Usually a plausible value, sometimes anything at all."""
    return st.one_of(valid, valid, JSONISH)


NONBLANK = st.one_of(st.text(min_size=1, max_size=60), HOSTILE).filter(lambda t: t.strip())
VALID_STAMP = st.one_of(st.sampled_from(["2026-03-01T10:00:00Z", "2026-03-01T10:00:00+02:00", "2026-03-01T10:00"]),
                        st.datetimes(min_value=datetime(2000, 1, 1)).map(lambda d: d.isoformat()))
VALID_MESSAGE = st.fixed_dictionaries({"role": st.sampled_from(["customer", "agent", "bot", "system"]),
                                       "text": NONBLANK}, optional={"sent_at": VALID_STAMP})
VALID = st.fixed_dictionaries(
    {"external_id": st.sampled_from(["T-1", "T-2", "T-3"]) | NONBLANK.map(lambda t: t[:60]),
     "agent": st.fixed_dictionaries({"email": st.sampled_from(["ana@example.com", "bo@example.com", "ANA@example.com"])},
                                    optional={"name": NONBLANK, "team": st.sampled_from(["Billing", "billing"])}),
     "messages": st.lists(VALID_MESSAGE, min_size=1, max_size=4)},
    optional={"csat": st.integers(1, 5), "started_at": VALID_STAMP, "tags": st.lists(NONBLANK, max_size=3),
              "metadata": st.dictionaries(TEXT, JSONISH, max_size=3), "channel": st.sampled_from(["chat", "email"]),
              "status": st.sampled_from(["completed", "open"]), "source": st.just("zendesk"),
              "customer": st.fixed_dictionaries({}, optional={"id": NONBLANK, "name": NONBLANK})})
FIELDS = ["external_id", "agent", "agent.email", "agent.name", "agent.team", "messages", "messages.0",
          "messages.0.role", "messages.0.text", "messages.0.sent_at", "messages.-1.text", "csat", "started_at",
          "ended_at", "tags", "metadata", "channel", "status", "source", "customer", "customer.name"]


@st.composite
def mutated(draw) -> dict:
    """A valid record with one to three fields deleted or replaced by anything at all."""
    rec = copy.deepcopy(draw(VALID))
    for _ in range(draw(st.integers(1, 3))):
        *parents, last = draw(st.sampled_from(FIELDS)).split(".")
        node = rec
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else (node[int(part)] if isinstance(node, list)
                                                                  and node else None)
        if isinstance(node, list) and node and last.lstrip("-").isdigit():
            last = int(last)
        elif not isinstance(node, dict):
            continue
        if draw(st.booleans()) and isinstance(node, dict):
            node.pop(last, None)
        else:
            node[last] = draw(JSONISH)
    return rec


RECORD = st.one_of(VALID, VALID, mutated(), JSONISH)
RECORDS = st.lists(RECORD, max_size=6)


def wipe(db) -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def assert_only_whole_transcripts(session) -> int:
    """Every stored transcript has all its messages (positions 0..n-1, n = message_count >= 1)."""
    session.expire_all()
    rows = session.execute(select(Transcript.id, Transcript.message_count, func.count(Message.id),
                                  func.min(Message.position), func.max(Message.position))
                           .outerjoin(Message, Message.transcript_id == Transcript.id)
                           .group_by(Transcript.id, Transcript.message_count)).all()
    for tid, expected, n, lo, hi in rows:
        assert n == expected >= 1 and lo == 0 and hi == n - 1, f"transcript {tid} is half written: {n}/{expected}"
    return len(rows)


def _one(text: str, **agent) -> dict:
    return {"external_id": "T-9", "agent": {"email": "ana@example.com", **agent},
            "messages": [{"role": "customer", "text": "hi"}, {"role": "agent", "text": text}]}


@FUZZ
@given(records=RECORDS, batch_size=st.integers(1, 4))
# found by this test: text no database can store crashed the import (UnicodeEncodeError; PostgreSQL DataError)
@example(records=[_one("ok \ud800"), _one("fine")], batch_size=1)
@example(records=[_one("nul \x00 inside"), _one("fine", name="x\x00")], batch_size=2)
@example(records=[{**_one("meta"), "metadata": {"k": "\ud800\x00"}}], batch_size=1)
def test_any_records_give_a_report_and_only_whole_transcripts(db, records, batch_size):
    wipe(db)
    report = importing.import_records(db.session, records, source="fuzz", commit=db.session.commit,
                                      batch_size=batch_size)
    db.session.commit()
    for error in report.rejected:  # each names where it is, and why
        assert error.locator.startswith("record ") and 1 <= int(error.locator.split()[1]) <= len(records)
        assert error.reason and str(error)
    for error in report.rejected:
        if "surrogate" in error.reason:  # names the very field of the record that holds the bad text
            record = records[int(error.locator.split()[1]) - 1]
            assert error.field.split("[")[0].split(".")[0] in record, str(error)
    stored = assert_only_whole_transcripts(db.session)
    assert stored == report.created
    assert report.created + report.updated + report.unchanged + report.duplicates + len(report.rejected) \
        == len(records)


class Boom(Exception):
    pass


@FUZZ
@given(records=RECORDS, fail_at=st.integers(1, 4))
def test_a_batch_failing_midway_leaves_only_whole_transcripts(db, records, fail_at):
    """The on_batch hook (the analysis) raising after a batch was written: that batch is rolled back whole."""
    wipe(db)
    seen = {"batches": 0, "committed": 0}

    def on_batch(ids: list[int]) -> None:
        seen["batches"] += 1
        if seen["batches"] == fail_at:
            raise Boom()

    def commit() -> None:
        db.session.commit()
        seen["committed"] = db.session.scalar(select(func.count()).select_from(Transcript))

    try:
        importing.import_records(db.session, records, source="fuzz", commit=commit, on_batch=on_batch, batch_size=1)
    except Boom:
        db.session.rollback()
    assert assert_only_whole_transcripts(db.session) == seen["committed"]


LINES = st.lists(st.one_of(RECORD.map(lambda r: json.dumps(r, allow_nan=True, default=str)), TEXT), max_size=5)


@FUZZ
@given(kind=st.sampled_from(["jsonl", "json", "csv", "txt"]),
       payload=st.one_of(st.binary(max_size=300), LINES.map(lambda ls: "\n".join(ls).encode("utf-8", "replace")),
                         st.lists(RECORD, max_size=4).map(lambda rs: json.dumps(rs, default=str).encode()),
                         st.lists(st.lists(TEXT, min_size=1, max_size=7), max_size=5).map(
                             lambda rows: "\n".join(",".join(json.dumps(c) for c in r) for r in
                                                    [["external_id", "agent_email", "role", "text", "sent_at",
                                                      "csat", "tags"], *rows]).encode("utf-8", "replace"))))
def test_any_file_gives_a_report_or_one_clear_file_error(db, tmp_path_factory, kind, payload):
    wipe(db)
    path = tmp_path_factory.mktemp("fuzz") / f"chats.{kind}"
    path.write_bytes(payload)
    try:
        report = importing.import_file(db.session, path, source="fuzz", commit=db.session.commit)
    except ImportFileError as exc:
        db.session.rollback()
        assert path.name in str(exc), str(exc)  # the one line names the file
        assert assert_only_whole_transcripts(db.session) == 0
        return
    db.session.commit()
    assert assert_only_whole_transcripts(db.session) == report.created


def test_the_api_rejects_unstorable_text_with_the_field_named(client, make, session):
    """JSON escapes decode to NUL and lone surrogates; the API answers 422 naming the field, not 500."""
    from qa_app.services import tokens

    _, secret = tokens.create_token(session, make.user("admin"), "fuzz")
    session.commit()
    body = ('[{"external_id": "T-9", "agent": {"email": "ana@example.com"}, "messages": ['
            '{"role": "customer", "text": "hi"}, {"role": "agent", "text": "bad \\ud800 and \\u0000"}]}]')
    response = client.post("/api/v1/transcripts", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422, response.get_data(as_text=True)
    (rejected,) = response.get_json()["rejected"]
    assert rejected["field"] == "messages[1].text" and "surrogate" in rejected["reason"]
    assert session.scalar(select(func.count()).select_from(Transcript)) == 0

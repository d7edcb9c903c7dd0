"""The fast validator and the published JSON Schema (run by jsonschema) must accept exactly the same records."""
from __future__ import annotations

import copy
import json
import random

import pytest
from jsonschema import Draft202012Validator

from qa_app.services.importing import validation

GOOD = {"external_id": "T-1042", "source": "zendesk", "channel": "chat", "status": "completed",
        "agent": {"email": "ana@example.com", "name": "Ana Ruiz", "team": "Billing"},
        "customer": {"id": "C-77", "name": "Sam"},
        "started_at": "2026-03-01T10:00:00Z", "ended_at": "2026-03-01T10:14:00+02:00",
        "csat": 4, "tags": ["refund"], "metadata": {"k": [1]},
        "messages": [{"role": "customer", "text": "Hi", "sent_at": "2026-03-01T10:00:00Z"},
                     {"role": "agent", "text": "Hello", "sent_at": "2026-03-01 10:00:40.5"}]}

PATHS = [("external_id",), ("source",), ("channel",), ("status",), ("agent",), ("agent", "email"), ("agent", "name"),
         ("agent", "team"), ("customer",), ("customer", "id"), ("customer", "name"), ("started_at",), ("ended_at",),
         ("csat",), ("tags",), ("metadata",), ("messages",), ("messages", 0), ("messages", 0, "role"),
         ("messages", 1, "text"), ("messages", 1, "sent_at")]
VALUES = [None, "", " ", "x", "x" * 201, 0, 1, 4.0, 4.5, 6, True, [], ["x"], [""], {}, {"a": 1}, "open", "agent",
          "boss", "a@b", "not an email", "2026-03-01T10:00:00Z", "2026-03-01", "2026-02-30T10:00:00Z",
          "2026-03-01T10:00:00+0100", "2026-03-01T10:00Z"]
DELETE = object()


def mutate(rec: dict, path: tuple, value) -> dict:
    rec = copy.deepcopy(rec)
    node = rec
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        if isinstance(node, dict):
            node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return rec


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(validation.schema())
    assert validation.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def cases():
    yield GOOD
    for path in PATHS:
        yield mutate(GOOD, path, DELETE)
        for value in VALUES:
            yield mutate(GOOD, path, value)
    rnd = random.Random(3)
    for _ in range(300):  # two mutations at once
        rec = GOOD
        try:
            for _ in range(2):
                rec = mutate(rec, rnd.choice(PATHS), rnd.choice(VALUES + [DELETE]))
        except (KeyError, TypeError, IndexError):  # the first mutation removed the second one's parent
            continue
        yield rec


def test_fast_check_agrees_with_jsonschema():
    validator = validation.schema_validator()
    disagreements = []
    for rec in cases():
        try:
            validation._fast_check(rec)
            fast_ok = True
        except validation.RecordInvalid:
            fast_ok = False
        except (KeyError, TypeError, IndexError):  # a mutation that broke the path itself
            continue
        schema_ok = validator.is_valid(rec)
        # our own rules (timestamps must exist on the calendar) may reject what the schema accepts, never the reverse
        if schema_ok != fast_ok and not (schema_ok and _own_rule_rejects(rec)):
            disagreements.append((json.dumps(rec)[:300], schema_ok, fast_ok))
    assert disagreements == []


def _own_rule_rejects(rec) -> bool:
    try:
        validation._fast_check(rec)
    except validation.RecordInvalid as exc:
        return "not a valid timestamp" in exc.reason
    return False


@pytest.mark.parametrize("field, value, expected", [
    ("csat", 0, ("csat", "must be between 1 and 5, got 0")),
    ("status", "closed", ("status", "'closed' is not one of completed, open")),
    ("external_id", "", ("external_id", "must not be empty")),
    ("tags", "refund", ("tags", "'refund' is not a list")),
])
def test_reported_errors_come_from_the_schema(field, value, expected):
    with pytest.raises(validation.RecordInvalid) as info:
        validation.normalize(mutate(GOOD, (field,), value))
    assert (info.value.field, info.value.reason) == expected


def test_normalization_and_hash():
    a = validation.normalize(GOOD, "x")
    assert a.source == "zendesk" and a.ended_at.isoformat() == "2026-03-01T08:14:00"
    same = mutate(GOOD, ("started_at",), "2026-03-01T11:00:00+01:00")  # the same instant
    assert validation.normalize(same).content_hash == a.content_hash
    assert validation.normalize(mutate(GOOD, ("csat",), 5)).content_hash != a.content_hash


@pytest.mark.parametrize("bad, field", [(float("inf"), "metadata.k"), ([1, float("nan")], "metadata.k[1]"),
                                        ({"deep": float("-inf")}, "metadata.k.deep")])
def test_non_finite_metadata_numbers_are_refused_with_their_place(bad, field):
    """Found by the importer fuzz test on PostgreSQL: its json type refuses Infinity (SQLite stored it)."""
    with pytest.raises(validation.RecordInvalid) as caught:
        validation.check(mutate(GOOD, ("metadata",), {"k": bad}))
    assert caught.value.field == field and "finite" in caught.value.reason

"""Export in the interchange format, and the round trip through import."""
from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import delete, select

from qa_app.models import Agent, Message, Team, Transcript
from qa_app.services.exporting import iter_transcript_records, write_export
from qa_app.services.importing import import_file, import_records

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def snapshot(session) -> list[tuple]:
    """Everything a transcript is, without database ids (and without content_hash, a hash of the *input* record:
    a record without a team exports with the team its agent gave the transcript)."""
    rows = []
    for t in session.scalars(select(Transcript).order_by(Transcript.source, Transcript.external_id)):
        rows.append((t.source, t.external_id, t.channel, t.status, t.agent.email, t.agent.name,
                     t.team.name if t.team else None, t.customer_ref, t.customer_name, t.started_at, t.ended_at,
                     t.csat, t.tags, t.meta, t.message_count,
                     [(m.position, m.role, m.text, m.sent_at) for m in t.messages]))
    return rows


def empty(session) -> None:
    for model in (Message, Transcript, Agent, Team):
        session.execute(delete(model))
    session.commit()


def test_export_record_shape(session):
    import_file(session, DATA / "good.jsonl")
    records = {r["external_id"]: r for r in iter_transcript_records(session)}
    assert records["T-1"] == {
        "external_id": "T-1", "source": "zendesk", "channel": "chat", "status": "completed",
        "agent": {"email": "ana@example.com", "name": "Ana Ruiz", "team": "Billing"},
        "customer": {"id": "C-77", "name": "Sam"},
        "started_at": "2026-03-01T10:00:00Z", "ended_at": "2026-03-01T10:14:00Z", "csat": 4, "tags": ["refund"],
        "metadata": {"priority": "high"},
        "messages": [{"role": "customer", "text": "Hi, my order never arrived", "sent_at": "2026-03-01T10:00:00Z"},
                     {"role": "agent", "text": "Hi Sam, I'm Ana. Sorry about that, let me check.",
                      "sent_at": "2026-03-01T10:00:40Z"}]}
    assert records["T-2"]["messages"][2]["sent_at"] == "2026-03-02T09:00:05.250000Z"
    assert "sent_at" not in records["T-2"]["messages"][0] and "csat" not in records["T-2"]


def test_round_trip_into_an_empty_database(session, tmp_path):
    for name in ("good.jsonl", "good.json", "good.csv"):
        import_file(session, DATA / name)
    session.commit()
    before = snapshot(session)
    for fmt in ("jsonl", "json"):
        path = tmp_path / f"export.{fmt}"
        with open(path, "w", encoding="utf-8") as stream:
            assert write_export(iter_transcript_records(session), stream, fmt) == 7
        empty(session)
        report = import_file(session, path, commit=session.commit)
        assert report.ok and report.created == 7
        assert snapshot(session) == before, fmt


def test_streams_in_batches_with_a_query(session):
    import_records(session, [{"external_id": f"Q-{i}", "source": "a" if i % 2 else "b", "agent": {"name": "Ana"},
                              "messages": [{"role": "customer", "text": f"m{i}-{k}"} for k in range(3)]}
                             for i in range(7)])
    query = select(Transcript).where(Transcript.source == "a").order_by(Transcript.external_id)
    records = list(iter_transcript_records(session, query, batch_size=2))
    assert [r["external_id"] for r in records] == ["Q-1", "Q-3", "Q-5"]
    assert [m["text"] for m in records[2]["messages"]] == ["m5-0", "m5-1", "m5-2"]


def test_write_json_array_is_valid_json():
    out = io.StringIO()
    write_export(iter([{"a": 1}, {"b": "é"}]), out, "json")
    assert json.loads(out.getvalue()) == [{"a": 1}, {"b": "é"}]
    out = io.StringIO()
    write_export(iter([]), out, "json")
    assert json.loads(out.getvalue()) == []

"""The import service against a real database: formats, rejected records, strict mode, idempotency, batching."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qa_app.models import Agent, Message, Team, Transcript
from qa_app.services.importing import ImportFileError, import_file, import_records

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def transcript(session, external_id: str, source: str = "import") -> Transcript:
    return session.scalar(select(Transcript).where(Transcript.source == source,
                                                   Transcript.external_id == external_id))


def record(ext: str, text: str = "hi", **extra) -> dict:
    return {"external_id": ext, "agent": {"name": "Ana"}, "messages": [{"role": "customer", "text": text}]} | extra


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- good files in each format ---------------------------------------------------------------------------------------

def test_jsonl_imports_every_field(session):
    report = import_file(session, DATA / "good.jsonl", commit=session.commit)
    assert report.ok and (report.created, report.updated, report.unchanged, report.messages) == (3, 0, 0, 7)
    t = transcript(session, "T-1", "zendesk")
    assert (t.channel, t.status, t.csat, t.tags, t.meta) == ("chat", "completed", 4, ["refund"], {"priority": "high"})
    assert (t.customer_ref, t.customer_name) == ("C-77", "Sam")
    assert t.started_at == datetime(2026, 3, 1, 10, 0) and t.ended_at == datetime(2026, 3, 1, 10, 14)
    assert [(m.position, m.role, m.sent_at) for m in t.messages] == [
        (0, "customer", datetime(2026, 3, 1, 10, 0)), (1, "agent", datetime(2026, 3, 1, 10, 0, 40))]  # +01:00 -> UTC
    assert t.agent.email == "ana@example.com" and t.team.name == "Billing" and t.message_count == 2
    t2 = transcript(session, "T-2")  # no source anywhere -> "import"
    assert t2.started_at == datetime(2026, 3, 2, 9, 0, 5, 250000)  # derived from the messages
    assert transcript(session, "T-3").status == "open"
    assert sorted(report.transcript_ids) == sorted(session.scalars(select(Transcript.id)))


def test_json_array(session):
    report = import_file(session, DATA / "good.json", source="helpdesk")
    assert (report.created, report.messages, report.rejected) == (2, 2, [])
    assert transcript(session, "J-1", "helpdesk").messages[0].text.endswith("ça marche ✓")


def test_csv_groups_rows_into_transcripts(session):
    report = import_file(session, DATA / "good.csv", source="csv")
    assert report.ok and (report.created, report.messages) == (2, 5)
    c1, c2 = transcript(session, "C-1", "csv"), transcript(session, "C-2", "csv")
    assert (c1.csat, c1.tags, c1.agent.email, c1.team.name) == (4, ["refund", "late"], "ana@example.com", "Billing")
    assert [m.text for m in c2.messages] == ["Line one\nline two", "Got it.", "Anything else?"]
    assert c2.channel == "email" and c2.csat is None and c2.messages[1].sent_at is None


def test_format_override_and_sniffing(session, tmp_path):
    data = tmp_path / "chats.txt"
    data.write_bytes((DATA / "good.json").read_bytes())
    assert import_file(session, data).created == 2  # sniffed '['
    other = tmp_path / "chats.data"
    other.write_bytes((DATA / "good.jsonl").read_bytes())
    assert import_file(session, other, fmt="jsonl").created == 3


def test_bom_is_accepted(session, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "good.jsonl").read_bytes())
    assert import_file(session, path).created == 3
    csv_path = tmp_path / "bom.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf" + (DATA / "good.csv").read_bytes())
    assert import_file(session, csv_path).created == 2


# -- bad records ----------------------------------------------------------------------------------------------------

def test_each_bad_record_is_reported_and_the_good_ones_imported(session):
    report = import_file(session, DATA / "bad_records.jsonl")
    assert (report.created, report.aborted, report.ok) == (2, False, False)
    errors = {e.locator: e for e in report.rejected}
    expected = {
        "line 2": (None, "external_id", "is required"),
        "line 3": ("B-3", "started_at", "'yesterday' is not an ISO 8601 timestamp"),
        "line 4": ("B-4", "messages[2].role", "'boss' is not one of customer, agent, bot, system"),
        "line 5": ("B-5", "csat", "must be between 1 and 5, got 0"),
        "line 6": ("B-6", "csat", "must be between 1 and 5, got 6"),
        "line 7": ("B-7", "csat", "'four' is not an integer"),
        "line 8": ("B-8", "messages", "at least one message is required"),
        "line 9": ("B-9", "messages[1].text", "must not be blank"),
        "line 10": ("B-10", "agent", "is required"),
        "line 11": ("B-11", "agent", "needs an email or a name"),
        "line 12": ("B-12", "messages[0].sent_at", "month must be in 1..12"),
        "line 13": (None, "", "invalid JSON"),
    }
    assert set(errors) == set(expected)
    for locator, (ext, field, reason) in expected.items():
        error = errors[locator]
        assert (error.external_id, error.field) == (ext, field), str(error)
        assert reason in error.reason, str(error)
    assert str(errors["line 4"]) == ("line 4 (external_id B-4): messages[2].role: "
                                     "'boss' is not one of customer, agent, bot, system")
    assert {t.external_id for t in session.scalars(select(Transcript))} == {"OK-1", "OK-2"}
    assert "1 rejected" not in report.summary() and "12 rejected" in report.summary()


def test_empty_text_and_missing_role_in_records(session):
    report = import_records(session, [record("R-1", text=""), {"external_id": "R-2", "agent": {"name": "A"},
                                                              "messages": [{"text": "x"}]}, record("R-3")])
    assert [str(e) for e in report.rejected] == [
        "record 1 (external_id R-1): messages[0].text: must not be empty",
        "record 2 (external_id R-2): messages[0].role: is required"]
    assert report.created == 1


def test_strict_mode_imports_nothing(session, tmp_path):
    report = import_file(session, DATA / "bad_records.jsonl", strict=True, commit=session.commit)
    assert report.aborted and not report.ok and len(report.rejected) == 12
    assert report.created == 0 and count(session, Transcript) == 0
    assert "Nothing imported" in report.summary()
    good = import_file(session, DATA / "good.jsonl", strict=True)
    assert good.ok and good.created == 3


def test_strict_records(session):
    report = import_records(session, iter([record("S-1"), record("S-2", csat=9)]), strict=True)
    assert report.aborted and count(session, Transcript) == 0
    assert [e.locator for e in report.rejected] == ["record 2"]


# -- idempotency, updates, duplicates --------------------------------------------------------------------------------

def test_second_import_is_unchanged(session):
    import_file(session, DATA / "good.jsonl", commit=session.commit)
    again = import_file(session, DATA / "good.jsonl", commit=session.commit)
    assert (again.created, again.updated, again.unchanged, again.messages) == (0, 0, 3, 0)
    assert again.summary() == "0 created, 0 updated, 3 unchanged (already imported), 0 rejected"
    assert again.transcript_ids == [] and count(session, Transcript) == 3 and count(session, Message) == 7


def test_changed_transcript_is_updated_in_place(session, tmp_path):
    first = import_records(session, [record("U-1", csat=2), record("U-2")], source="s")
    original_id = transcript(session, "U-1", "s").id
    changed = record("U-1", csat=5) | {"messages": [{"role": "customer", "text": "new"},
                                                     {"role": "agent", "text": "reply"}]}
    report = import_file(session, write_jsonl(tmp_path / "u.jsonl", [changed, record("U-2")]), source="s")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.transcript_ids == [original_id] and first.created == 2
    session.expire_all()
    t = transcript(session, "U-1", "s")
    assert (t.id, t.csat, t.message_count) == (original_id, 5, 2)
    assert [m.text for m in t.messages] == ["new", "reply"]
    assert count(session, Transcript) == 2 and count(session, Message) == 3


def test_record_source_wins_over_argument(session):
    import_records(session, [record("K-1", source="zendesk"), record("K-1")], source="intercom")
    assert {(t.source, t.external_id) for t in session.scalars(select(Transcript))} == {
        ("zendesk", "K-1"), ("intercom", "K-1")}


@pytest.mark.parametrize("batch_size", [500, 1])
def test_duplicate_key_in_one_file_later_wins(session, tmp_path, batch_size):
    path = write_jsonl(tmp_path / "dup.jsonl", [record("D-1", text="old"), record("D-2"), record("D-1", text="new")])
    report = import_file(session, path, batch_size=batch_size)
    assert (report.created, report.updated, report.duplicates) == (2, 0, 1)
    assert "1 duplicate in the input (the later record won)" in report.summary()
    assert count(session, Transcript) == 2
    assert [m.text for m in transcript(session, "D-1").messages] == ["new"]


# -- agents, teams, users ----------------------------------------------------------------------------------------------

def test_agents_and_teams_are_created_once_and_linked_to_users(session, make):
    user = make.user("agent", email="ana@example.com")
    make.team("billing")  # existing team, matched case-insensitively
    existing = make.agent(name="Bo Chen")  # e-mail-less agent, matched by name, gets the team from the file
    import_file(session, DATA / "good.jsonl")
    import_file(session, DATA / "good.json")
    ana = session.scalar(select(Agent).where(Agent.email == "ana@example.com"))
    assert ana.user_id == user.id and ana.name == "Ana Ruiz" and ana.team.name == "billing"
    assert count(session, Agent) == 2 and count(session, Team) == 2  # billing, Shipping
    session.refresh(existing)
    assert existing.team.name == "Shipping"
    assert transcript(session, "T-2").agent_id == existing.id
    assert transcript(session, "J-2").team_id == existing.team_id  # no team in the record -> the agent's


def test_email_only_agent_gets_a_name(session):
    import_records(session, [{"external_id": "E-1", "agent": {"email": "Zoe.K@Example.com"},
                              "messages": [{"role": "agent", "text": "hi"}]}])
    agent = session.scalar(select(Agent))
    assert (agent.email, agent.name, agent.team_id) == ("zoe.k@example.com", "zoe.k", None)


# -- batching and crashes ---------------------------------------------------------------------------------------------

def test_batches_across_boundaries(session, tmp_path):
    path = write_jsonl(tmp_path / "five.jsonl", [record(f"B-{i}") for i in range(5)])
    batches, commits, progress = [], [], []
    report = import_file(session, path, batch_size=2, on_batch=batches.append,
                         commit=lambda: commits.append(count(session, Transcript)), progress=progress.append)
    assert [len(b) for b in batches] == [2, 2, 1] and commits == [2, 4, 5]
    assert sum(batches, []) == report.transcript_ids and report.created == 5
    assert sum(progress) == path.stat().st_size


def test_crash_in_second_batch_leaves_only_whole_first_batch(app, session, tmp_path):
    records = [record(f"C-{i}") | {"messages": [{"role": "customer", "text": f"q{i}"}, {"role": "agent", "text": "a"}]}
               for i in range(5)]
    path = write_jsonl(tmp_path / "crash.jsonl", records)
    calls = []

    def commit():
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        session.commit()

    with pytest.raises(KeyboardInterrupt):
        import_file(session, path, batch_size=2, commit=commit)
    session.rollback()
    assert sorted(session.scalars(select(Transcript.external_id))) == ["C-0", "C-1"]
    assert count(session, Message) == 4
    again = import_file(session, path, commit=session.commit)  # re-running finishes the job
    assert (again.created, again.unchanged) == (3, 2)


# -- unusable files ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, fragment", [
    ("truncated.json", "truncated.json: the file ends in the middle of record 2; it looks truncated"),
    ("object.json", "object.json: the top-level JSON value is an object, not an array"),
    ("empty.jsonl", "empty.jsonl: the file is empty"),
    ("missing_columns.csv", "missing_columns.csv: CSV is missing required columns: role, text"),
])
def test_unusable_fixture_files(session, name, fragment):
    with pytest.raises(ImportFileError) as info:
        import_file(session, DATA / name)
    assert fragment in str(info.value)
    assert count(session, Transcript) == 0


def test_invalid_utf8_reports_byte_offset(session, tmp_path):
    good = (DATA / "good.jsonl").read_bytes()
    for suffix in ("jsonl", "json", "csv"):
        body = (DATA / f"good.{suffix}").read_bytes()
        at = body.index(b"Hi") if b"Hi" in body else body.index(b"Anything")
        path = tmp_path / f"latin1.{suffix}"
        path.write_bytes(body[:at] + b"\xe9" + body[at:])
        with pytest.raises(ImportFileError) as info:
            import_file(session, path)
        assert f"not valid UTF-8 at byte offset {at}" in str(info.value), suffix
    assert good


def test_binary_and_utf16_files(session, tmp_path):
    binary = tmp_path / "photo.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ImportFileError, match=r"photo.jsonl: binary data \(a NUL byte at byte offset 8\)"):
        import_file(session, binary)
    utf16 = tmp_path / "export.csv"
    utf16.write_bytes((DATA / "good.csv").read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(ImportFileError, match="UTF-16"):
        import_file(session, utf16)


def test_whitespace_only_and_empty_array(session, tmp_path):
    blank = tmp_path / "blank.json"
    blank.write_text("  \n\n")
    with pytest.raises(ImportFileError, match="empty"):
        import_file(session, blank)
    empty_array = tmp_path / "none.json"
    empty_array.write_text("[]")
    assert import_file(session, empty_array).created == 0


def test_json_array_errors(session, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"external_id": "A"} {"external_id": "B"}]')
    with pytest.raises(ImportFileError, match=r"invalid JSON after record 1 at line 1, column 23"):
        import_file(session, bad)
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps([record("M-1"), 42, record("M-3")]))
    report = import_file(session, mixed)
    assert report.created == 2 and str(report.rejected[0]) == "record 2: expected a JSON object"


def test_large_json_array_streams_across_chunks(session, tmp_path):
    records = [record(f"L-{i}", text="é" * 1000 + f" {i}") for i in range(300)]  # ~600 KB, many 64 KB chunks
    path = tmp_path / "large.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    report = import_file(session, path, batch_size=64)
    assert report.ok and report.created == 300
    assert transcript(session, "L-299").messages[0].text.endswith(" 299")


def test_unknown_format_and_csv_errors(session, tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello world\n")
    with pytest.raises(ImportFileError, match="cannot tell the format"):
        import_file(session, odd)
    split = tmp_path / "split.csv"
    split.write_text("external_id,agent_name,role,text\nA,Ana,customer,hi\nB,Ana,customer,yo\nA,Ana,agent,late\n")
    report = import_file(session, split)
    assert report.created == 2
    assert str(report.rejected[0]) == ("row 4 (external_id A): external_id: 'A' reappears after rows of other "
                                       "transcripts; rows of one transcript must be consecutive")
    bad_csat = tmp_path / "csat.csv"
    bad_csat.write_text("external_id,agent_name,role,text,csat\nQ,Ana,customer,hi,four\nQ,Ana,agent,ok,four\n")
    assert str(import_file(session, bad_csat).rejected[0]) == "rows 2-3 (external_id Q): csat: 'four' is not an integer"

"""`flask qa analyze` (file and stored modes), `reanalyze`, and analysis on import."""
import json

from sqlalchemy import func, select

from qa_app.models import Flag, TranscriptAnalysis
from tests.conftest import shared_file

CHATS = [
    {"external_id": "A-1", "agent": {"name": "Ana"}, "messages": [
        {"role": "customer", "text": "This is the third time I write, I'm furious!", "sent_at": "2026-03-01T10:00:00Z"},
        {"role": "agent", "text": "Calm down. You can get your money back within 90 days.", "sent_at": "2026-03-01T10:01:00Z"}]},
    {"external_id": "A-2", "agent": {"name": "Ana"}, "messages": [{"role": "boss", "text": "hi"}]},
    {"external_id": "A-3", "agent": {"name": "Bo"}, "messages": [
        {"role": "customer", "text": "Hi, can I change my address?"},
        {"role": "agent", "text": "Hi there! Sure, I have updated it for you. Anything else I can help with?"}]},
]


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_analyze_file_writes_one_json_line_per_valid_transcript(app, db, tmp_path):
    path = _write_jsonl(tmp_path / "chats.jsonl", CHATS)
    result = app.test_cli_runner().invoke(args=["qa", "analyze", str(path)])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["external_id"] for r in lines] == ["A-1", "A-3"]
    assert "line 2" in result.stderr and "messages[0].role" in result.stderr
    assert result.exit_code == 1  # a rejected record is an error, but the valid ones were analyzed
    rules = {f["rule"] for f in lines[0]["flags"]}
    assert {"tone.dismissive", "accuracy.policy_fact", "empathy.unacknowledged"} <= rules
    assert db.session.scalar(select(func.count(TranscriptAnalysis.id))) == 0  # file mode touches no database


def test_analyze_file_with_a_broken_policy_names_the_line(app, db, tmp_path):
    path = _write_jsonl(tmp_path / "chats.jsonl", CHATS[:1])
    pack = tmp_path / "pack.yaml"
    pack.write_text("company: X\nfacts:\n  - id: a\n    about: [refund]\n    kind: weight\n    allowed: [1]\n")
    result = app.test_cli_runner().invoke(args=["qa", "analyze", str(path), "--policy", str(pack)])
    assert result.exit_code != 0 and "line 5" in result.stderr and "facts[0].kind" in result.stderr


def test_import_analyzes_unless_told_not_to(app, db, tmp_path):
    runner = app.test_cli_runner()
    path = _write_jsonl(tmp_path / "chats.jsonl", [CHATS[0], CHATS[2]])
    runner.invoke(args=["qa", "import", str(path), "--no-analyze"])
    assert db.session.scalar(select(func.count(TranscriptAnalysis.id))) == 0
    result = runner.invoke(args=["qa", "analyze", "--stored"])
    assert result.exit_code == 0, result.stderr
    assert db.session.scalar(select(func.count(TranscriptAnalysis.id))) == 2
    assert "up to date" in runner.invoke(args=["qa", "reanalyze"]).stderr
    other = _write_jsonl(tmp_path / "more.jsonl", [dict(CHATS[0], external_id="A-9")])
    runner.invoke(args=["qa", "import", str(other)])
    assert db.session.scalar(select(func.count(TranscriptAnalysis.id))) == 3
    assert db.session.scalar(select(func.count(Flag.id)).where(Flag.rule == "tone.dismissive")) == 2


def test_every_shared_transcript_is_analyzed_with_spans_inside_messages(app, db):
    twitter = shared_file("twitter-customer-care/dev.jsonl")
    result = app.test_cli_runner().invoke(args=["qa", "analyze", str(twitter)])
    assert result.exit_code == 0, result.stderr
    texts = {json.loads(line)["external_id"]: [m["text"] for m in json.loads(line)["messages"]]
             for line in twitter.read_text(encoding="utf-8").splitlines()}
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == 525
    for out in outputs:
        for flag in out["flags"]:
            if flag["message_index"] is not None:
                text = texts[out["external_id"]][flag["message_index"]]
                assert 0 <= flag["start"] < flag["end"] <= len(text) and text[flag["start"]:flag["end"]] == flag["evidence"]

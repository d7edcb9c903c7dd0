"""flask qa import / export through the real CLI."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import delete, func, select

from qa_app.models import Agent, Message, Team, Transcript

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def run(app, *args):
    return app.test_cli_runner().invoke(args=["qa", *args])


def test_import_then_again(app, session):
    result = run(app, "import", str(DATA / "good.jsonl"))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 0 unchanged (already imported), 0 rejected" in result.stdout
    again = run(app, "import", str(DATA / "good.jsonl"), "--no-analyze")
    assert again.exit_code == 0
    assert "0 created, 0 updated, 3 unchanged (already imported), 0 rejected" in again.stdout
    assert session.scalar(select(func.count()).select_from(Transcript)) == 3


def test_rejected_records_exit_1_with_each_error(app, session):
    result = run(app, "import", str(DATA / "bad_records.jsonl"), "--batch-size", "2")
    assert result.exit_code == 1
    assert "2 created, 0 updated, 0 unchanged (already imported), 12 rejected" in result.stdout
    assert ("line 4 (external_id B-4): messages[2].role: 'boss' is not one of customer, agent, bot, system"
            in result.stdout)
    assert session.scalar(select(func.count()).select_from(Transcript)) == 2


def test_strict_refuses(app, session):
    result = run(app, "import", str(DATA / "bad_records.jsonl"), "--strict")
    assert result.exit_code == 1 and "Nothing imported (strict mode)" in result.stdout
    assert session.scalar(select(func.count()).select_from(Transcript)) == 0


def test_many_errors_are_capped(app, session, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps({"external_id": f"X-{i}", "messages": []}) + "\n" for i in range(60)))
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert result.stdout.count("external_id X-") == 50 and "... and 10 more" in result.stdout


def test_unusable_file_exits_2_with_one_line(app, session):
    result = run(app, "import", str(DATA / "truncated.json"))
    assert result.exit_code == 2
    assert "Error: truncated.json: the file ends in the middle of record 2; it looks truncated." in result.output
    assert "Traceback" not in result.output
    wrong = run(app, "import", str(DATA / "good.jsonl"), "--format", "csv")
    assert wrong.exit_code == 2 and "missing required columns" in wrong.output


def test_import_options(app, session):
    result = run(app, "import", str(DATA / "good.csv"), "--source", "legacy", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert set(session.scalars(select(Transcript.source))) == {"legacy"}


def test_export_round_trip_through_cli(app, session, tmp_path):
    run(app, "import", str(DATA / "good.jsonl"))
    run(app, "import", str(DATA / "good.csv"), "--source", "csv")
    out = run(app, "export")
    assert out.exit_code == 0 and "Exported 5 transcripts." in out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 5 and all(json.loads(line)["messages"] for line in lines)
    path = tmp_path / "all.json"
    assert run(app, "export", "--format", "json", "--output", str(path)).exit_code == 0
    before = sorted(lines)
    team = run(app, "export", "--team", "billing", "--source", "csv")
    assert [json.loads(line)["external_id"] for line in team.stdout.splitlines()] == ["C-1"]
    assert run(app, "export", "--team", "nope").exit_code == 1
    for model in (Message, Transcript, Agent, Team):
        session.execute(delete(model))
    session.commit()
    imported = run(app, "import", str(path))
    assert imported.exit_code == 0 and "5 created" in imported.stdout
    assert sorted(run(app, "export").stdout.splitlines()) == before

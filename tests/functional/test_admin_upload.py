"""Import upload page: the same report as the CLI, rejected records in a table, strict mode, unusable files."""
import io
import json

from sqlalchemy import func, select

from qa_app.models import Transcript


def record(external_id, role="customer", **extra):
    rec = {"external_id": external_id, "source": "zendesk", "channel": "chat",
           "agent": {"email": "ana@example.com", "name": "Ana Ruiz", "team": "Billing"},
           "started_at": "2026-03-01T10:00:00Z", "csat": 4,
           "messages": [{"role": role, "text": "Hi, my order never arrived", "sent_at": "2026-03-01T10:00:00Z"},
                        {"role": "agent", "text": "Sorry! Let me check.", "sent_at": "2026-03-01T10:00:40Z"}]}
    rec.update(extra)
    return rec


def upload(client, name, content: str | bytes, **data):
    body = content.encode() if isinstance(content, str) else content
    return client.post("/admin/import", data={"file": (io.BytesIO(body), name), **data},
                       content_type="multipart/form-data")


def count(session):
    return session.scalar(select(func.count()).select_from(Transcript))


def test_upload_page_has_the_form(client, make, login):
    login(make.user("admin"))
    html = client.get("/admin/import").get_data(as_text=True)
    assert 'type="file"' in html and 'name="strict"' in html and 'enctype="multipart/form-data"' in html


def test_good_jsonl_file_report(client, make, login, session):
    login(make.user("admin"))
    content = "\n".join(json.dumps(record(f"T-{i}")) for i in range(3))
    response = upload(client, "chats.jsonl", content)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 created, 0 updated, 0 unchanged (already imported), 0 rejected" in html
    assert "chats.jsonl" in html
    assert count(session) == 3
    # the same file again: unchanged
    html = upload(client, "chats.jsonl", content).get_data(as_text=True)
    assert "0 created, 0 updated, 3 unchanged" in html


def test_json_array_and_csv(client, make, login, session):
    login(make.user("admin"))
    assert upload(client, "a.json", json.dumps([record("J-1"), record("J-2")])).status_code == 200
    csv_text = ("external_id,agent_email,agent_name,team,role,text,sent_at,channel,csat\n"
                "C-1,bo@example.com,Bo,Returns,customer,Where is it?,2026-03-01T10:00:00Z,chat,3\n"
                "C-1,bo@example.com,Bo,Returns,agent,On its way.,2026-03-01T10:01:00Z,chat,3\n")
    response = upload(client, "b.csv", csv_text, source="helpdesk")
    assert "1 created" in response.get_data(as_text=True)
    assert count(session) == 3
    assert session.scalar(select(Transcript.source).where(Transcript.external_id == "C-1")) == "helpdesk"


def test_bad_records_are_listed_in_a_table(client, make, login, session):
    login(make.user("admin"))
    content = "\n".join(json.dumps(r) for r in [record("OK-1"), record("BAD-1", role="boss"), record("OK-2")])
    response = upload(client, "mixed.jsonl", content)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 created" in html and "1 rejected" in html
    table = html.split('class="table table-sm table-striped rejected"', 1)[1].split("</table>", 1)[0]
    assert "line 2" in table and "BAD-1" in table and "messages[0].role" in table
    assert count(session) == 2


def test_strict_mode_imports_nothing_when_a_record_is_bad(client, make, login, session):
    login(make.user("admin"))
    content = "\n".join(json.dumps(r) for r in [record("OK-1"), record("BAD-1", role="boss")])
    response = upload(client, "mixed.jsonl", content, strict="y")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing imported (strict mode)" in html and "BAD-1" in html
    assert count(session) == 0


def test_unusable_file_gives_a_message(client, make, login, session):
    login(make.user("admin"))
    response = upload(client, "broken.json", '[{"external_id": "T-1", ')
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "broken.json" in html and "invalid-feedback" in html
    response = upload(client, "empty.csv", "")
    assert response.status_code == 400 and "empty" in response.get_data(as_text=True)
    assert count(session) == 0


def test_wrong_extension_and_missing_file_are_refused(client, make, login, session):
    login(make.user("admin"))
    response = upload(client, "notes.txt", json.dumps([record("T-1")]))
    assert response.status_code == 400
    assert "Use a .json" in response.get_data(as_text=True)
    response = client.post("/admin/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file" in response.get_data(as_text=True)
    assert count(session) == 0


def test_hostile_text_in_a_rejected_record_is_escaped(client, make, login):
    login(make.user("admin"))
    bad = record("<script>alert(1)</script>", role="<img src=x onerror=alert(2)>")
    html = upload(client, "x.json", json.dumps([bad])).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html

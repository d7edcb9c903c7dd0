"""The audit log: what gets recorded (role and activation changes, rubric and policy versions, settings), and the
admin page with filters, pagination and the CSV / JSON-lines export of the filtered log."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.models import AuditEvent
from qa_app.services import analysis, audit, rubrics


def _actions(session, prefix=""):
    return [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(prefix))
                                              .order_by(AuditEvent.id))]


def test_role_team_and_activation_changes_are_audited(client, make, login, session):
    admin = make.user("admin")
    target = make.user("reviewer", email="rita@example.com")
    team = make.team("Billing")
    login(admin)
    client.post(f"/admin/users/{target.id}", data={"role": "lead", "teams": [str(team.id)]},
                environ_base={"REMOTE_ADDR": "10.0.0.7"})
    client.post(f"/admin/users/{target.id}/deactivate")
    client.post(f"/admin/users/{target.id}/reactivate")
    client.post(f"/admin/users/{target.id}/password", data={"password": "new-password-1", "confirm": "new-password-1"})
    client.post("/admin/users", data={"email": "new@example.com", "role": "agent", "password": "initial-pw"})
    events = {e.action: e for e in session.scalars(select(AuditEvent).where(AuditEvent.action.startswith("user.")))}
    assert set(events) == {"user.role_changed", "user.teams_changed", "user.deactivated", "user.reactivated",
                           "user.password_reset", "user.created"}
    changed = events["user.role_changed"]
    assert changed.details == {"email": "rita@example.com", "from": "reviewer", "to": "lead"}
    assert changed.actor_id == admin.id and changed.actor_email == admin.email and changed.ip == "10.0.0.7"
    assert changed.target_type == "users" and changed.target_id == str(target.id)
    assert events["user.teams_changed"].details["to"] == ["Billing"]
    assert "new-password-1" not in json.dumps([e.details for e in events.values()])


def test_saving_the_same_role_records_nothing(client, make, login, session):
    login(make.user("admin"))
    target = make.user("reviewer")
    client.post(f"/admin/users/{target.id}", data={"role": "reviewer"})
    assert [a for a in _actions(session, "user.") if a != "user.created"] == []


def test_rubric_and_policy_versions_are_audited(client, make, login, session):
    admin = make.user("admin")
    rubrics.sync_rubrics(session)  # versions from files: audited with no actor
    session.commit()
    assert "rubric.version_created" in _actions(session)
    login(admin)
    rubric = rubrics.get_by_key(session, "quick-check")
    content = rubric.latest.content.replace("name: ", "name: Renamed ", 1)
    client.post(f"/rubrics/{rubric.id}/edit", data={"content": content, "note": "tweak", "save": "1"})
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "rubric.version_created",
                                                    AuditEvent.actor_id == admin.id))
    assert event.details["rubric"] == "quick-check" and event.details["version"] == 2
    first = analysis.active_policy_row(session)
    session.commit()
    client.post("/admin/policy/", data={"content": first.content + "\n# edited\ncompany: Other Co\n", "note": "n"})
    created = session.scalar(select(AuditEvent).where(AuditEvent.action == "policy.version_created",
                                                      AuditEvent.actor_id == admin.id))
    assert created is not None and created.details["version"] == first.version + 1
    client.post(f"/admin/policy/{first.version}/activate", data={})
    activated = session.scalar(select(AuditEvent).where(AuditEvent.action == "policy.activated"))
    assert activated.actor_id == admin.id and activated.details == {"version": first.version}


@pytest.fixture()
def log(make, session):
    """Sixty events over three days from two admins."""
    ann, bob = make.user("admin", email="ann@example.com"), make.user("admin", email="bob@example.com")
    base = datetime(2026, 5, 1, 12, 0)
    for n in range(60):
        event = audit.record(session, ann if n % 2 else bob, "auth.login" if n % 3 else "user.role_changed",
                             ann if n % 2 else bob, details={"n": n})
        event.at = base + timedelta(days=n // 20, minutes=n)
    formula = audit.record(session, bob, "settings.changed", None, details={"key": "=cmd|' /C calc'!A0"})
    formula.at = base
    session.commit()
    return dict(ann=ann, bob=bob)


def _rows_shown(html: str) -> int:
    return html.count("<tr>") - 1  # minus the header row


def test_audit_page_filters_and_pages(client, login, log):
    login(log["ann"])
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "of 64 events" in page  # 60 + the formula row + ann's sign-in + two user.created
    assert _rows_shown(page) == 50 and 'rel="next"' in page
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert _rows_shown(second) == 14
    assert "of 20 events" in client.get("/admin/audit?action=user.role_changed").get_data(as_text=True)
    assert "of 41 events" in client.get("/admin/audit?action=auth.").get_data(as_text=True)
    assert "of 31 events" in client.get("/admin/audit?actor=BOB").get_data(as_text=True)  # 30 + the formula row
    assert "of 20 events" in client.get("/admin/audit?date_from=2026-05-02&date_to=2026-05-02").get_data(as_text=True)
    assert "of 32 events" in client.get(f"/admin/audit?target=users:{log['ann'].id}").get_data(as_text=True)
    response = client.get("/admin/audit?date_from=2026-05-03&date_to=2026-05-01")
    assert response.status_code == 400 and "on or after" in response.get_data(as_text=True)


def test_audit_export_csv_and_jsonl_follow_the_filters(client, login, log):
    login(log["ann"])
    response = client.get("/admin/audit/export?format=csv&action=user.role_changed")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 20 and {r["action"] for r in rows} == {"user.role_changed"}
    assert json.loads(rows[0]["details"]) == {"n": 57}  # newest first
    everything = list(csv.DictReader(io.StringIO(client.get("/admin/audit/export").get_data(as_text=True))))
    formula = next(r for r in everything if r["action"] == "settings.changed")
    assert formula["details"].startswith("{")  # JSON text, never a live spreadsheet formula
    lines = client.get("/admin/audit/export?format=jsonl&actor=ann&date_from=2026-05-01&date_to=2026-05-01")
    assert lines.mimetype == "application/x-ndjson"
    events = [json.loads(line) for line in lines.get_data(as_text=True).splitlines()]
    assert len(events) == 10 and {e["actor_email"] for e in events} == {"ann@example.com"}
    assert set(events[0]) == {"id", "at", "actor_id", "actor_email", "action", "target_type", "target_id", "ip",
                              "details"}
    assert client.get("/admin/audit/export?format=xml").status_code == 400


def test_formula_cells_are_defused():
    from qa_app.services.csv_cells import spreadsheet_safe as cell

    assert cell("=SUM(A1)") == "'=SUM(A1)" and cell("@x") == "'@x" and cell("\t=1") == "'\t=1"
    assert cell("ok") == "ok" and cell(None) == "" and cell(-13.3) == -13.3


def test_transcript_text_in_details_is_escaped(client, make, login, session):
    admin = make.user("admin")
    audit.record(session, admin, "settings.changed", None, details={"key": "<script>alert(1)</script>"})
    session.commit()
    login(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page

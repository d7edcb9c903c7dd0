"""The e2e database: built once per run through the app's own services (import with analysis, users, rubrics)."""
from __future__ import annotations

from dataclasses import dataclass, field

PASSWORD = "e2e-pass-1"
SCRIPT_PAYLOADS = [
    '<script>window.__pwned = "script"; alert("xss-script")</script>',
    '<img src=x onerror="window.__pwned=\'img\'; alert(\'xss-img\')">',
    '"><svg onload="window.__pwned=\'svg\'; alert(\'xss-svg\')">',
    "' onmouseover='alert(\"xss-quote\")' data-x='",
    '</textarea></pre><script>alert("xss-close")</script>',
    '{{ 7*7 }} {% raw %} javascript:alert("xss-link")',
]
HOSTILE_AGENT = 'Eve "><script>alert("xss-agent")</script>'


def _flagged_chat() -> dict:
    return {"external_id": "E2E-RUDE", "channel": "chat", "csat": 2,
            "agent": {"email": "agent.e2e@example.com", "name": "Alex Agent", "team": "Billing"},
            "customer": {"id": "C-1", "name": "Sam"},
            "messages": [
                {"role": "customer", "text": "Hi, I was charged twice for order 48213 and I am really upset!!",
                 "sent_at": "2026-03-02T10:00:00Z"},
                {"role": "agent", "text": "Calm down. That's not my problem, you should have read the billing page.",
                 "sent_at": "2026-03-02T10:01:00Z"},
                {"role": "customer", "text": "Can you refund the duplicate charge please?",
                 "sent_at": "2026-03-02T10:02:00Z"},
                {"role": "agent", "text": "I refunded the duplicate charge. Thanks for contacting us, have a nice day.",
                 "sent_at": "2026-03-02T10:03:00Z"}]}


def _plain_chat() -> dict:
    return {"external_id": "E2E-DOUBLE", "channel": "chat",
            "agent": {"email": "agent.e2e@example.com", "name": "Alex Agent", "team": "Billing"},
            "messages": [{"role": "customer", "text": "Hi, can I change my delivery address?",
                          "sent_at": "2026-03-04T09:00:00Z"},
                         {"role": "agent", "text": "Hi Sam, of course: I've updated it. Anything else I can do?",
                          "sent_at": "2026-03-04T09:01:00Z"}]}


def _hostile_chat() -> dict:
    return {"external_id": "E2E-XSS", "channel": "chat",
            "agent": {"email": "eve@example.com", "name": HOSTILE_AGENT, "team": "Billing"},
            "customer": {"id": "C-2", "name": SCRIPT_PAYLOADS[1]}, "tags": [SCRIPT_PAYLOADS[2]],
            "messages": [
                {"role": "customer", "text": SCRIPT_PAYLOADS[0] + " where is my parcel?",
                 "sent_at": "2026-03-03T09:00:00Z"},
                {"role": "agent", "text": "Calm down. " + " ".join(SCRIPT_PAYLOADS[1:]),
                 "sent_at": "2026-03-03T09:01:00Z"},
                {"role": "customer", "text": SCRIPT_PAYLOADS[3] + SCRIPT_PAYLOADS[4],
                 "sent_at": "2026-03-03T09:02:00Z"}]}


@dataclass
class World:
    url: str
    emails: dict[str, str] = field(default_factory=dict)
    transcript_ids: dict[str, int] = field(default_factory=dict)
    assignment_ids: dict[str, int] = field(default_factory=dict)
    password: str = PASSWORD


def build(url: str) -> World:
    from qa_app import create_app
    from qa_app.extensions import db
    from qa_app.models import Assignment, SamplingPlan, Transcript
    from qa_app.services import analysis, importing, rubrics, users

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "seed"})
    world = World(url=url)
    with app.app_context():
        db.create_all()
        s = db.session
        report = importing.import_records(s, [_flagged_chat(), _hostile_chat(), _plain_chat()], source="e2e",
                                          on_batch=analysis.after_import_batch(s), commit=s.commit)
        assert not report.rejected, [str(e) for e in report.rejected]
        for role in ("admin", "lead", "reviewer", "agent"):
            email = f"{role}.e2e@example.com"
            users.create_user(s, email, role, password=PASSWORD,
                              team_names=["Billing"] if role in ("lead", "reviewer") else [])
            world.emails[role] = email
        rubrics.sync_rubrics(s)
        version = rubrics.get_by_key(s, "quick-check").latest
        plan = SamplingPlan(name="E2E weekly", strategy="random", strategy_config={}, population={})
        s.add(plan)
        s.flush()
        reviewer = users.get_by_email(s, world.emails["reviewer"])
        for ext in ("E2E-RUDE", "E2E-XSS", "E2E-DOUBLE"):
            t = s.scalar(db.select(Transcript).where(Transcript.external_id == ext))
            a = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id,
                           rubric_version_id=version.id)
            s.add(a)
            s.flush()
            world.transcript_ids[ext], world.assignment_ids[ext] = t.id, a.id
        s.commit()
        db.session.remove()
        db.engine.dispose()
    return world

"""notifications service: internal links only, counts, marking read, who gets told (agent, leads, admins)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.models import Notification
from qa_app.services import notifications, revisions
from qa_app.services.errors import ServiceError
from tests.factories import published_review
from tests.functional.test_portal import ANSWERS, build_world


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x",
                                  "evil", "/ok\nLocation: x", ""])
def test_notify_refuses_links_outside_the_app(session, make, link):
    user = make.user("agent")
    with pytest.raises(ServiceError):
        notifications.notify(session, user.id, "note.published", "x", link or "")
    assert notifications.notify(session, user.id, "note.published", "x", "/me/reviews/1").link == "/me/reviews/1"


def test_unknown_kind_refused(session, make):
    with pytest.raises(ServiceError, match="kind"):
        notifications.notify(session, make.user().id, "spam", "x")


def test_counts_and_marking(session, make):
    a, b = make.user("agent"), make.user("lead")
    first = notifications.notify(session, a.id, "note.published", "one")
    notifications.notify(session, a.id, "note.revised", "two")
    notifications.notify(session, b.id, "dispute.raised", "three")
    assert notifications.unread_count(session, a) == 2
    with pytest.raises(ServiceError):
        notifications.mark_read(session, b, first)
    assert notifications.get_own(session, b, first.id) is None
    notifications.mark_read(session, a, first)
    assert notifications.unread_count(session, a) == 1
    assert [n.text for n in notifications.recent(session, a)] == ["two", "one"]
    assert notifications.mark_all_read(session, a) == 1
    assert notifications.unread_count(session, a) == 0 and notifications.unread_count(session, b) == 1


def test_revising_a_published_note_notifies_the_agent(session, make):
    world = build_world(make, session)
    note = world["rv1"].note
    revisions.revise_note(session, world["lead"], note, "A kinder note.", "Tone of the note")
    kinds = [n.kind for n in session.scalars(select(Notification).where(
        Notification.user_id == world["agent_user"].id).order_by(Notification.id))]
    assert kinds == ["note.published", "note.revised"]


def test_agent_without_login_gets_nothing_and_teams_without_lead_tell_admins(session, make):
    world = build_world(make, session)
    loginless = make.agent(name="No Login", team="Nowhere")
    t = make.transcript(loginless, external_id="T-NL")
    before = session.scalar(select(Notification.id).order_by(Notification.id.desc()))
    published_review(session, world["reviewer"], t, world["version"], ANSWERS)
    assert session.scalar(select(Notification.id).order_by(Notification.id.desc())) == before
    assert notifications.team_lead_ids(session, t.team_id) == [world["admin"].id]
    assert notifications.team_lead_ids(session, world["t1"].team_id) == [world["lead"].id]

"""Notifications: the navbar bell counts unread ones, the page lists them, opening one marks it read and goes to
its app path, mark-all-read; nobody opens someone else's."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.models import Notification
from qa_app.services import notifications
from tests.functional.test_portal import build_world


@pytest.fixture()
def world(make, session):
    return build_world(make, session)


def test_publishing_notifies_the_agent_and_the_bell_counts_it(client, as_user, world, session):
    rows = list(session.scalars(select(Notification).where(Notification.user_id == world["agent_user"].id)))
    assert [(n.kind, n.link) for n in rows] == [("note.published", f"/me/reviews/{world['rv1'].id}")]
    as_user(world["agent_user"])
    page = client.get("/me/").get_data(as_text=True)
    assert 'aria-label="Notifications: 1 unread"' in page and 'unread-count">1<' in page
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "New coaching on T-1" in listing and "unread" in listing


def test_open_marks_read_and_redirects_to_the_stored_path(client, as_user, world, session):
    row = session.scalar(select(Notification).where(Notification.user_id == world["agent_user"].id))
    as_user(world["other_agent_user"])
    assert client.post(f"/notifications/{row.id}/open").status_code == 404
    as_user(world["agent_user"])
    response = client.post(f"/notifications/{row.id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/me/reviews/{world['rv1'].id}")
    session.refresh(row)
    assert row.read_at is not None
    assert 'aria-label="Notifications: 0 unread"' in client.get("/me/").get_data(as_text=True)


def test_a_stored_foreign_link_never_redirects_off_site(client, as_user, world, session):
    row = Notification(user_id=world["agent_user"].id, kind="note.published", text="x", link="//evil.example/x")
    session.add(row)
    session.commit()
    as_user(world["agent_user"])
    response = client.post(f"/notifications/{row.id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith("/notifications/")


def test_mark_all_read(client, as_user, world, session):
    notifications.notify(session, world["lead"].id, "dispute.raised", "one", "/disputes/")
    notifications.notify(session, world["lead"].id, "dispute.raised", "two", "/disputes/")
    session.commit()
    as_user(world["lead"])
    assert 'unread-count">2<' in client.get("/disputes/").get_data(as_text=True)
    assert client.post("/notifications/read-all").status_code == 302
    assert notifications.unread_count(session, world["lead"]) == 0
    assert notifications.unread_count(session, world["agent_user"]) == 1  # someone else's stay unread

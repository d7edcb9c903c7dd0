"""Row-level access for the routes that exist today: an agent sees only their own chats, reviews and notes; a lead
and a team reviewer only their teams' — on pages, lists and the JSON API (the export path for other systems)."""
from __future__ import annotations

import pytest

from qa_app.services import tokens
from tests.functional.test_access_matrix import sign_in, world  # noqa: F401


def _bearer(session, user) -> dict:
    _, secret = tokens.create_token(session, user, "row-test")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_agent_sees_only_their_own_transcripts(client, world):
    sign_in(client, world["users"]["agent"])
    assert client.get(f"/transcripts/{world['t'].id}").status_code == 200
    assert client.get(f"/transcripts/{world['t_colleague'].id}").status_code == 404  # same team, another agent
    assert client.get(f"/transcripts/{world['t_other_team'].id}").status_code == 404
    listing = client.get("/transcripts").get_data(as_text=True)
    assert "T-OWN" in listing and "T-COLLEAGUE" not in listing and "T-SHIPPING" not in listing


def test_agent_sees_only_their_own_notes(client, world):
    sign_in(client, world["other_agent_user"])
    page = client.get("/coaching", follow_redirects=True).get_data(as_text=True)
    assert "T-OWN" not in page  # Ana's published note is not Bo's
    sign_in(client, world["users"]["agent"])
    assert "T-OWN" in client.get("/coaching", follow_redirects=True).get_data(as_text=True)


def test_agent_cannot_open_reviews_or_notes_through_reviewer_pages(client, world):
    sign_in(client, world["users"]["agent"])
    assert client.get(f"/reviews/{world['review'].id}/coaching").status_code == 403  # even their own
    assert client.get(f"/reviews/assignment/{world['done'].id}").status_code == 403


@pytest.mark.parametrize("who,own,status", [
    ("agent", "T-OWN", 200), ("agent", "T-COLLEAGUE", 404), ("agent", "T-SHIPPING", 404),
    ("lead", "T-COLLEAGUE", 200), ("lead", "T-SHIPPING", 404),
    ("reviewer", "T-OWN", 200), ("reviewer", "T-SHIPPING", 404),
])
def test_api_reads_are_row_scoped(client, session, world, who, own, status):
    response = client.get(f"/api/v1/transcripts/{own}", headers=_bearer(session, world["users"][who]))
    assert response.status_code == status
    if status == 404:
        assert own not in response.get_data(as_text=True)


def test_api_import_needs_an_admin_token(client, session, world):
    for who in ("agent", "reviewer", "lead"):
        response = client.post("/api/v1/transcripts", json=[], headers=_bearer(session, world["users"][who]))
        assert response.status_code == 403, who


def test_lead_sees_only_their_teams_transcripts(client, world):
    sign_in(client, world["users"]["lead"])
    assert client.get(f"/transcripts/{world['t_colleague'].id}").status_code == 200
    assert client.get(f"/transcripts/{world['t_other_team'].id}").status_code == 404
    listing = client.get("/transcripts").get_data(as_text=True)
    assert "T-COLLEAGUE" in listing and "T-SHIPPING" not in listing


def test_lead_cannot_open_another_teams_review_note_or_plan(client, world):
    sign_in(client, world["users"]["lead"])
    other = world["other_review"]
    assert client.get(f"/reviews/{other.id}/coaching").status_code == 403
    assert client.post(f"/reviews/{other.id}/coaching", data={"body": "x", "save": "1"}).status_code == 403
    assert client.get(f"/reviews/assignment/{other.assignment_id}").status_code == 403
    plan = world["other_plan"]
    for url in (f"/sampling/{plan.id}", f"/sampling/{plan.id}/coverage", f"/sampling/{plan.id}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/sampling/{plan.id}/run", data={"seed": "1", "run": "1"}).status_code == 403
    assert "Shipping plan" not in client.get("/sampling/").get_data(as_text=True)
    # their own team's review is open to them
    assert client.get(f"/reviews/{world['review'].id}/coaching").status_code == 200


def test_team_reviewer_cannot_reach_another_team(client, world):
    sign_in(client, world["users"]["reviewer"])
    assert client.get(f"/transcripts/{world['t_other_team'].id}").status_code == 404
    assert client.get(f"/reviews/{world['other_review'].id}/coaching").status_code == 403
    assert client.get(f"/reviews/assignment/{world['other_review'].assignment_id}").status_code == 403

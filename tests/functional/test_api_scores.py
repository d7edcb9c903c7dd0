"""GET /api/v1/scores: the Quality dashboard's numbers over the bearer-token API, same scoping, clear 400s."""
from __future__ import annotations

import pytest

from qa_app.services import tokens
from qa_app.services.dashboards import quality
from qa_app.services.dashboards.params import parse_filters
from qa_app.services.dashboards.scope import scope_for
from tests.functional.test_dashboards import RANGE, dash_world  # noqa: F401  (the hand-built reviews)


@pytest.fixture()
def bearer(session):
    def _bearer(user):
        _, secret = tokens.create_token(session, user, "test")
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return _bearer


@pytest.mark.parametrize("group_by", ["team", "agent", "criterion", "org"])
def test_scores_equal_the_dashboard_numbers(client, bearer, dash_world, session, group_by):
    response = client.get("/api/v1/scores", query_string={**RANGE, "group_by": group_by, "period": "week"},
                          headers=bearer(dash_world["admin"]))
    assert response.status_code == 200
    body = response.get_json()
    expected = quality.scores(session, scope_for(dash_world["admin"]), parse_filters(RANGE), group_by)
    assert body["rows"] == [r.as_dict() for r in expected] and body["rows"]
    assert body["group_by"] == group_by and body["filters"]["from"] == RANGE["from"]


def test_a_lead_token_sees_only_their_teams(client, bearer, dash_world):
    headers = bearer(dash_world["shipping_lead"])
    body = client.get("/api/v1/scores", query_string={**RANGE, "group_by": "agent"}, headers=headers).get_json()
    assert {r["group"] for r in body["rows"]} == {"Cy Chen"}
    billing = dash_world["agents"]["ana"].team_id
    refused = client.get("/api/v1/scores", query_string={"team": billing}, headers=headers)
    assert refused.status_code == 404 and refused.get_json()["parameter"] == "team"


@pytest.mark.parametrize("role", ["agent", "reviewer"])
def test_agent_and_reviewer_tokens_get_403(client, bearer, dash_world, role):
    user = dash_world["agent_user"] if role == "agent" else dash_world["reviewer"]
    assert client.get("/api/v1/scores", headers=bearer(user)).status_code == 403


def test_no_token_401(client, dash_world):
    assert client.get("/api/v1/scores").status_code == 401


@pytest.mark.parametrize("args, param", [({"group_by": "planet"}, "group_by"), ({"period": "day"}, "period"),
                                         ({"from": "2026-02-31"}, "from"), ({"to": "soon"}, "to"),
                                         ({"team": "x"}, "team"), ({"agent": "0"}, "agent"),
                                         ({"form": "2026-01-01"}, "form"),
                                         ({"from": "2026-03-10", "to": "2026-03-01"}, "from")])
def test_bad_parameters_get_400_naming_them(client, bearer, dash_world, args, param):
    response = client.get("/api/v1/scores", query_string=args, headers=bearer(dash_world["admin"]))
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_parameter" and body["parameter"] == param and param in body["message"]

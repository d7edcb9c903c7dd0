"""The access-control matrix, generated from app.url_map: every endpoint x every role (and anonymous), GET and each
state-changing method, against the documented table in qa_app/auth/access.py.

- anonymous and denied: a redirect to the login page (pages) or 401 (the bearer-token API);
- signed in and denied: 403 (or 404);
- allowed: never sent to login, never 401, never 5xx, and no 403 unless ROW_SCOPED says the row decides;
- the bearer-token API refuses every session cookie (401), whatever the role.

Each case runs twice: with the central gate (qa_app.auth.gate) and without it, so each view's own decorator is proven too
(defence in depth: either lock alone keeps everyone out who should be). URL parameters are filled with ids of real
rows from the `world` fixture, in the team the signed-in lead leads and the reviewer covers.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from qa_app.auth.access import ANONYMOUS, ROUTE_ACCESS, ROW_SCOPED, TOKEN
from qa_app.auth.gate import ROLE_DENIED
from qa_app.extensions import db as _db
from qa_app.models.base import Base
from qa_app.models import Assignment, Flag, SamplingPlan, SamplingRun, TranscriptAnalysis
from qa_app.services import analysis, coaching, reviews, rubrics, tokens

ROLES = ("anonymous", "agent", "reviewer", "lead", "admin")
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
# Inline code the Content-Security-Policy would block: <script> without src, on*= handlers, style= attributes.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)
SIGNS_OUT = {"auth.logout"}  # its allowed answer is a redirect to the login page
STATIC_FILES = {"static": "qa.css", "bootstrap.static": "css/bootstrap.min.css"}


def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))


def _cases():
    from qa_app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    cases = []
    for rule in _rules(app):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            cases.append(pytest.param(rule.endpoint, rule.rule, method, id=f"{method} {rule.rule}"))
    return cases


CASES = _cases()


# --------------------------------------------------------------------------- the world


@pytest.fixture()
def world(make, session):
    """One team (Billing) with a user of each role, a second team (Shipping) with its own agent, lead and chat;
    a submitted and published review with its note, flags, a plan with a run, a calibration pair, a policy version,
    an API token."""
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    users = {
        "admin": make.user("admin", email="admin@example.com"),
        "lead": make.user("lead", email="lead@example.com", teams=["Billing"]),
        "reviewer": make.user("reviewer", email="reviewer@example.com", teams=["Billing"]),
        "agent": make.user("agent", email="agent@example.com"),
    }
    other_agent_user = make.user("agent", email="other.agent@example.com")
    other_lead = make.user("lead", email="other.lead@example.com", teams=["Shipping"])
    victim = make.user("reviewer", email="victim@example.com")  # the user admin routes act on (deactivate...)
    agent = make.agent(name="Ana Ruiz", email="agent@example.com", team="Billing", user=users["agent"])
    colleague = make.agent(name="Bo Berg", team="Billing", user=other_agent_user)
    shipper = make.agent(name="Cy Shaw", team="Shipping")
    t = make.transcript(agent, external_id="T-OWN")
    t_colleague = make.transcript(colleague, external_id="T-COLLEAGUE")
    t_other_team = make.transcript(shipper, external_id="T-SHIPPING")
    t_open = make.transcript(agent, external_id="T-OPEN")
    analysis_row = TranscriptAnalysis(transcript_id=t.id, analyzer_version="1", policy_version="p", flag_count=1,
                                      max_severity=2)
    analysis_row.flags = [Flag(transcript_id=t.id, rule="etiquette.missing_closing", category="etiquette",
                               severity="low", message_index=None, start=None, end=None, evidence=None,
                               explanation="No closing.")]
    session.add(analysis_row)
    plan = SamplingPlan(name="Billing plan", strategy="random", strategy_config={"count": 1},
                        population={"team_ids": [users["lead"].teams[0].id]}, rubric_id=version.rubric_id)
    other_plan = SamplingPlan(name="Shipping plan", strategy="random", strategy_config={"count": 1},
                              population={"team_ids": [other_lead.teams[0].id]})
    session.add_all([plan, other_plan])
    session.flush()
    run = SamplingRun(plan_id=plan.id, seed=1, parameters={"window": [None, None]},
                      report={"agents": [], "notes": []})
    session.add(run)
    session.flush()
    reviewer = users["reviewer"]
    done = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id, run_id=run.id,
                      rubric_version_id=version.id)
    open_one = Assignment(transcript_id=t_open.id, reviewer_id=reviewer.id, plan_id=plan.id, run_id=run.id,
                          rubric_version_id=version.id)
    other_team_a = Assignment(transcript_id=t_other_team.id, reviewer_id=other_lead.id, plan_id=other_plan.id,
                              rubric_version_id=version.id)
    calib = [Assignment(transcript_id=t_colleague.id, reviewer_id=u.id, plan_id=plan.id, rubric_version_id=version.id,
                        calibration_key="calib-1") for u in (reviewer, users["lead"])]
    session.add_all([done, open_one, other_team_a, *calib])
    session.flush()
    rv = reviews.open_draft(session, reviewer, done)
    reviews.submit(session, reviewer, rv, _full_answers(version.document))
    coaching.publish(session, reviewer, rv.note)
    rv_other = reviews.open_draft(session, other_lead, other_team_a)
    reviews.submit(session, other_lead, rv_other, _full_answers(version.document))
    coaching.publish(session, other_lead, rv_other.note)
    policy = analysis.active_policy_row(session)
    token, secret = tokens.create_token(session, users["admin"], "ci")
    session.commit()
    return dict(users=users, victim=victim, other_agent_user=other_agent_user, other_lead=other_lead, agent=agent, t=t,
                t_colleague=t_colleague, t_other_team=t_other_team, plan=plan, other_plan=other_plan, run=run,
                done=done, open_one=open_one, review=rv, other_review=rv_other, flag=analysis_row.flags[0],
                version=version, policy=policy, token=token, secret=secret, calibration_key="calib-1")


def _full_answers(document) -> dict:
    """A valid answer for every criterion: its top scale point."""
    from qa_app.services import scoring

    return {c["key"]: scoring.scale_points(c["scale"])[-1][0] for c in reviews.criteria(document)}


def url_values(world) -> dict[str, object]:
    """A real row for every URL parameter the app's routes use today; others are looked up by name (_find_id)."""
    return {
        "user_id": world["victim"].id, "team_id": world["users"]["lead"].teams[0].id,
        "token_id": world["token"].id, "version": world["policy"].version, "assignment_id": world["open_one"].id,
        "flag_id": world["flag"].id, "review_id": world["review"].id, "rubric_id": world["version"].rubric_id,
        "number": world["version"].number, "plan_id": world["plan"].id, "run_id": world["run"].id,
        "key": world["calibration_key"], "external_id": world["t"].external_id, "transcript_id": world["t"].id,
        "note_id": world["review"].note.id, "agent_id": world["agent"].id,
    }


def _find_id(name: str) -> object:
    """For a parameter another helper's route added (dispute_id, notification_id...): the first row of the table
    whose name matches, else 1 (a 404 is then an allowed answer)."""
    stem = name.removesuffix("_id")
    for mapper in Base.registry.mappers:
        table = mapper.local_table.name
        if table in (stem, stem + "s", stem + "es"):
            pk = sa_inspect(mapper).primary_key[0]
            return _db.session.scalar(select(pk).limit(1)) or 1
    return 1


def build_url(app, rule_text: str, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text and r.endpoint == endpoint)
    args = {}
    for name in rule.arguments:
        if endpoint in STATIC_FILES and name == "filename":
            args[name] = STATIC_FILES[endpoint]
        else:
            args[name] = values[name] if name in values else _find_id(name)
    path = rule_text
    for name, value in args.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)
    return path


def sign_in(client, user) -> None:
    """Sign the client in without the form (the form is tested elsewhere; this keeps 250 cases fast)."""
    with client.session_transaction() as sess:
        sess.clear()
        if user is not None:
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True


# --------------------------------------------------------------------------- the table itself


def test_every_endpoint_is_in_the_access_table(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ROUTE_ACCESS))
    assert not missing, f"add these endpoints to ROUTE_ACCESS in qa_app/auth/access.py: {missing}"


def test_the_table_lists_no_endpoint_that_does_not_exist(app):
    stale = sorted(set(ROUTE_ACCESS) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"remove (or register) these ROUTE_ACCESS entries: {stale}"


def test_the_table_names_known_roles_only(app):
    known = {ANONYMOUS, TOKEN, "agent", "reviewer", "lead", "admin"}
    for endpoint, roles in ROUTE_ACCESS.items():
        assert roles and roles <= known, endpoint
        assert TOKEN not in roles or roles == {TOKEN}, f"{endpoint}: 'token' stands alone"
    assert set(ROW_SCOPED) <= set(ROUTE_ACCESS)


def test_an_endpoint_missing_from_the_table_is_denied(app, client, world, monkeypatch):
    from qa_app.auth import access

    monkeypatch.delitem(access.ROUTE_ACCESS, "transcripts.list_transcripts")
    sign_in(client, world["users"]["admin"])
    response = client.get("/transcripts")
    assert response.status_code == 403
    sign_in(client, None)
    assert client.get("/transcripts").status_code == 403


# --------------------------------------------------------------------------- the matrix


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def _check(endpoint: str, role: str, method: str, response, gate_on: bool) -> None:
    allowed_roles = ROUTE_ACCESS[endpoint]
    where = f"{method} {endpoint} as {role}: {response.status_code}"
    if TOKEN in allowed_roles:  # session cookies never authenticate the API
        assert response.status_code == 401, where
        assert response.is_json and response.get_json()["error"] == "unauthorized", where
        return
    allowed = ANONYMOUS in allowed_roles or role in allowed_roles
    if not allowed:
        if role == "anonymous":
            assert _is_login_redirect(response), where
        else:
            assert response.status_code in (403, 404), where
            if gate_on:
                assert ROLE_DENIED in response.get_data(as_text=True), where
        return
    assert endpoint in SIGNS_OUT or not _is_login_redirect(response), where
    assert response.status_code not in (401, 405) and response.status_code < 500, where
    if response.status_code == 403:
        assert endpoint in ROW_SCOPED, f"{where} (allowed role refused on an endpoint not in ROW_SCOPED)"
        assert ROLE_DENIED not in response.get_data(as_text=True), where
    if method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
        inline = INLINE.findall(response.get_data(as_text=True))
        assert not inline, f"{where}: inline code the CSP blocks: {inline[:3]}"


@pytest.mark.parametrize("endpoint,rule,method", CASES)
def test_access_matrix(app, client, world, endpoint, rule, method, monkeypatch):
    if endpoint not in ROUTE_ACCESS:
        pytest.fail(f"{endpoint} is missing from ROUTE_ACCESS (qa_app/auth/access.py)")
    url = build_url(app, rule, endpoint, url_values(world))
    who = {"anonymous": None, **world["users"]}
    for gate_on in (True, False):  # the central gate, then each view's own decorators alone
        monkeypatch.setitem(app.config, "QA_ROUTE_GATE", gate_on)
        for role in ROLES:  # admin last: an allowed POST may change the rows the next role would see
            sign_in(client, who[role])
            response = client.open(url, method=method, data={})
            _check(endpoint, role, method, response, gate_on)


@pytest.mark.parametrize("endpoint,rule,method", [c for c in CASES if ROUTE_ACCESS.get(c.values[0]) == {TOKEN}])
def test_api_endpoints_answer_a_token_and_refuse_none(app, client, world, endpoint, rule, method):
    url = build_url(app, rule, endpoint, url_values(world))
    sign_in(client, None)
    response = client.open(url, method=method)
    assert response.status_code == 401
    response = client.open(url, method=method, headers={"Authorization": f"Bearer {world['secret']}"},
                           json=[] if method in STATE_CHANGING else None)
    assert response.status_code not in (401, 403) and response.status_code < 500, response.status_code

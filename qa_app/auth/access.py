"""Who may reach which endpoint: the documented access table, enforced centrally and tested route by route.

ROUTE_ACCESS maps every Flask endpoint name (as in app.url_map, e.g. "reviews.queue") to the roles allowed to
reach it: any of "anonymous" (public: everyone, signed in or not), "agent", "reviewer", "lead", "admin", or the
single marker "token" (bearer-token API: the API blueprint authenticates; session cookies are never enough).

- It is enforced by a before_request gate (qa_app.auth.gate) IN ADDITION to each view's role_required decorator:
  defence in depth. An endpoint missing from this table is DENIED (403, and an error naming it is logged), so a new
  route must be listed here before anyone can open it.
- tests/functional/test_access_matrix.py walks app.url_map and checks every endpoint x role against this table.
- Row-level rules (an agent sees only their own rows, a lead only their teams) are enforced in the route/service
  (qa_app.services.scoping and friends); ROW_SCOPED names the endpoints where an allowed role can still get 403/404
  for a row that is not theirs, and says whose rows they are.

When you add an endpoint: add one line here (keep blueprints grouped) and, if it is row-dependent, one in ROW_SCOPED.
"""
from __future__ import annotations

ANONYMOUS = "anonymous"
TOKEN = "token"
ROLES = ("agent", "reviewer", "lead", "admin")

PUBLIC = frozenset({ANONYMOUS})
SIGNED_IN = frozenset(ROLES)
ADMIN = frozenset({"admin"})
EDITORS = frozenset({"admin", "lead"})
REVIEWERS = frozenset({"admin", "lead", "reviewer"})
AGENTS = frozenset({"agent"})
API = frozenset({TOKEN})

ROUTE_ACCESS: dict[str, frozenset[str]] = {
    # static files and health
    "static": PUBLIC,
    "bootstrap.static": PUBLIC,
    "health.healthz": PUBLIC,
    # sign in / out
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    # transcripts (rows scoped by services.scoping)
    "transcripts.index": SIGNED_IN,
    "transcripts.list_transcripts": SIGNED_IN,
    "transcripts.show": SIGNED_IN,
    # reviewer workspace
    "reviews.queue": REVIEWERS,
    "reviews.next_review": REVIEWERS,
    "reviews.review": REVIEWERS,
    "reviews.verdict": REVIEWERS,
    "reviews.live_score": REVIEWERS,
    "reviews.coaching_note": REVIEWERS,
    "reviews.calibration_results": REVIEWERS,
    "reviews.revise": REVIEWERS,
    "reviews.revise_note": REVIEWERS,
    "reviews.add_comment": REVIEWERS,
    "reviews.delete_comment": REVIEWERS,
    "reviews.my_coaching": AGENTS,
    # rubrics
    "rubrics.index": EDITORS,
    "rubrics.show": EDITORS,
    "rubrics.new": EDITORS,
    "rubrics.edit": EDITORS,
    "rubrics.clone": EDITORS,
    "rubrics.archive": EDITORS,
    "rubrics.restore": EDITORS,
    "rubrics.export": EDITORS,
    "rubrics.score": EDITORS,
    # sampling
    "sampling.index": EDITORS,
    "sampling.new": EDITORS,
    "sampling.edit": EDITORS,
    "sampling.show": EDITORS,
    "sampling.run": EDITORS,
    "sampling.run_report": EDITORS,
    "sampling.coverage": EDITORS,
    "sampling.reassign": EDITORS,
    "sampling.skip": REVIEWERS,
    "sampling.mine": REVIEWERS,
    # admin
    "admin.users": ADMIN,
    "admin.invite_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.reset_password": ADMIN,
    "admin.deactivate_user": ADMIN,
    "admin.reactivate_user": ADMIN,
    "admin.teams": ADMIN,
    "admin.create_team": ADMIN,
    "admin.rename_team": ADMIN,
    "admin.tokens": ADMIN,
    "admin.create_token": ADMIN,
    "admin.revoke_token": ADMIN,
    "admin.upload": ADMIN,
    "admin.audit": ADMIN,
    "admin.audit_export": ADMIN,
    "admin.settings": ADMIN,
    "policy.edit": ADMIN,
    "policy.show": ADMIN,
    "policy.activate": ADMIN,
    # agent portal, disputes, notifications (qa_app/portal)
    "portal.index": AGENTS,
    "portal.review": AGENTS,
    "portal.acknowledge": AGENTS,
    "portal.dispute": AGENTS,
    "disputes.queue": EDITORS,
    "disputes.show": EDITORS,
    "notifications.index": SIGNED_IN,
    "notifications.open_one": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    # team-lead dashboards (qa_app/dashboards): reviewers reach only their own reviewer view and its drill-down
    "dashboards.index": EDITORS,
    "dashboards.flag_trends": EDITORS,
    "dashboards.operations_page": EDITORS,
    "dashboards.reviewer_view": REVIEWERS,
    "dashboards.coaching": EDITORS,
    "dashboards.reviews": REVIEWERS,
    "dashboards.chats": EDITORS,
    # JSON API (bearer token; importing needs an admin's token, reading is row-scoped to the token's user)
    "api.import_transcripts": API,
    "api.get_transcript": API,
    "api.scores": API,
}

# Endpoints where an allowed role may still be refused (403/404) for a particular row: whose rows they are.
ROW_SCOPED: dict[str, str] = {
    "transcripts.show": "agent: own chats; lead: teams led; reviewer: teams covered (all when none); admin: all",
    "reviews.review": "the assignment's reviewer edits; others view a submitted review via reviews.may_view",
    "reviews.verdict": "the review's own reviewer only",
    "reviews.coaching_note": "the reviewer, admins, leads of the transcript's team (reviews.may_coach)",
    "reviews.calibration_results": "calibration participants after submitting, leads/admins (calibration.may_view)",
    "reviews.revise": "published reviews: the reviewer, admins, leads of the transcript's team (reviews.may_revise)",
    "reviews.revise_note": "as reviews.revise",
    "reviews.add_comment": "the review's own reviewer, until it is published (services.comments)",
    "reviews.delete_comment": "the comment's author on their own review, until it is published",
    "rubrics.edit": "leads: org-wide rubrics or rubrics naming only teams they lead (rubrics.can_edit)",
    "rubrics.clone": "leads: the clone may name only teams they lead (rubrics.team_problem)",
    "rubrics.archive": "as rubrics.edit",
    "rubrics.restore": "as rubrics.edit",
    "sampling.edit": "leads: plans limited to teams they lead (sampling_plans.can_manage)",
    "sampling.show": "as sampling.edit",
    "sampling.run": "as sampling.edit",
    "sampling.run_report": "as sampling.edit",
    "sampling.coverage": "as sampling.edit",
    "sampling.reassign": "assignment.may_manage",
    "sampling.skip": "the assignment's reviewer (assignment.may_skip)",
    "portal.review": "the agent's own published, non-calibration reviews (services.portal), 404 otherwise",
    "portal.acknowledge": "as portal.review",
    "portal.dispute": "as portal.review",
    "disputes.show": "leads of the review's team, admins (disputes.may_resolve), 404 otherwise",
    "notifications.open_one": "the notification's own user, 404 otherwise",
    "api.import_transcripts": "an admin's token only (403 otherwise)",
    "api.get_transcript": "rows the token's user may see (scoping), 404 otherwise",
    "dashboards.index": "leads: teams they lead; a team/agent filter outside them is 404 (services.dashboards.scope)",
    "dashboards.flag_trends": "as dashboards.index",
    "dashboards.operations_page": "as dashboards.index",
    "dashboards.coaching": "as dashboards.index",
    "dashboards.chats": "as dashboards.index",
    "dashboards.reviewer_view": "reviewers: only their own row; leads/admins as dashboards.index",
    "dashboards.reviews": "as dashboards.reviewer_view (a reviewer sees only their own reviews)",
    "api.scores": "a lead's or admin's token, scoped as dashboards.index; other roles 403",
}


def allowed_roles(endpoint: str | None) -> frozenset[str] | None:
    """The roles for `endpoint`, or None when it is not in the table (callers deny)."""
    if endpoint is None:
        return None
    return ROUTE_ACCESS.get(endpoint)

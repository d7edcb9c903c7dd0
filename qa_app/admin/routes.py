"""Admin pages: users, teams, API tokens, import upload."""
from flask import Blueprint

from qa_app.auth.permissions import admin_required

bp = Blueprint("admin", __name__)


@bp.route("/users")
@admin_required
def users():
    return "todo"


@bp.route("/teams")
@admin_required
def teams():
    return "todo"


@bp.route("/tokens")
@admin_required
def tokens():
    return "todo"


@bp.route("/import")
@admin_required
def upload():
    return "todo"

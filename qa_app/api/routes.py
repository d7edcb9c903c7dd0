"""JSON API, bearer-token auth."""
from flask import Blueprint

from qa_app.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # bearer tokens, not cookies: CSRF does not apply

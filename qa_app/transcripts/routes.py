"""Transcript list and page."""
from flask import Blueprint, redirect, url_for
from flask_login import login_required

bp = Blueprint("transcripts", __name__)


@bp.route("/")
@login_required
def index():
    return redirect(url_for("transcripts.list_transcripts"))


@bp.route("/transcripts")
@login_required
def list_transcripts():
    return "todo"

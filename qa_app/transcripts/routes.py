"""Transcript list and page. Rows come from services.transcript_views, which builds on services.scoping."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from qa_app.extensions import db
from qa_app.services import analysis
from qa_app.services import transcript_views as views
from qa_app.transcripts.forms import TranscriptFilterForm

bp = Blueprint("transcripts", __name__)


@bp.route("/")
@login_required
def index():
    return redirect(url_for("transcripts.list_transcripts"))


@bp.route("/transcripts")
@login_required
def list_transcripts():
    form = TranscriptFilterForm(request.args)
    form.set_choices(views.filter_teams(db.session, current_user), views.filter_agents(db.session, current_user),
                     views.filter_channels(db.session, current_user))
    if not form.validate():
        return render_template("transcripts/list.html", form=form, page=None, args={}), 400
    query = views.filtered_transcripts(current_user, form.filters())
    page = views.paginate(db.session, query, request.args.get("page", 1, type=int),
                          current_app.config["TRANSCRIPTS_PER_PAGE"])
    hidden = views.agent_hidden(db.session, current_user, [t.id for t in page.items])
    return render_template("transcripts/list.html", form=form, page=page, args=form.query_args(), hidden=hidden)


@bp.route("/transcripts/<int:transcript_id>")
@login_required
def show(transcript_id: int):
    # Missing and not-yours look the same (404), so ids don't reveal which transcripts exist.
    transcript = views.get_transcript(db.session, current_user, transcript_id)
    if transcript is None:
        abort(404)
    # Automatic flags are suggestions for reviewers; agents see findings only through published reviews.
    flags = [] if current_user.role == "agent" else analysis.flags_for(db.session, transcript.id)
    return render_template("transcripts/show.html", t=transcript, convo=views.conversation(transcript, flags=flags),
                           show_flags=current_user.role != "agent",
                           blind=bool(views.agent_hidden(db.session, current_user, [transcript.id])))

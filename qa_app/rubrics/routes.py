"""Rubric pages for admins and leads. Leads edit org-wide rubrics and those whose team conditions name only
teams they lead (services.rubrics.team_problem); every editor may view every rubric, since a rubric is
configuration, not team data."""
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.auth.permissions import role_required
from qa_app.extensions import db
from qa_app.models import Rubric, RubricVersion
from qa_app.rubrics.forms import ArchiveForm, CloneForm, RubricForm
from qa_app.services import rubrics, scoring
from qa_app.services.errors import ServiceError

bp = Blueprint("rubrics", __name__)
editors_only = role_required("admin", "lead")


@bp.route("/")
@editors_only
def index():
    show_archived = request.args.get("archived") == "1"
    items = rubrics.list_rubrics(db.session, include_archived=show_archived)
    return render_template("rubrics/index.html", items=items, show_archived=show_archived,
                           editable={r.id for r in items if rubrics.can_edit(current_user, r)})


@bp.route("/<int:rubric_id>")
@bp.route("/<int:rubric_id>/v<int:number>")
@editors_only
def show(rubric_id: int, number: int | None = None):
    rubric = _rubric(rubric_id)
    version = rubric.latest if number is None else rubrics.get_version(db.session, rubric, number)
    if version is None:
        abort(404)
    return render_template("rubrics/show.html", rubric=rubric, version=version, document=version.document,
                           can_edit=rubrics.can_edit(current_user, rubric), archive_form=ArchiveForm())


@bp.route("/new", methods=["GET", "POST"])
@editors_only
def new():
    return _editor(None)


@bp.route("/<int:rubric_id>/edit", methods=["GET", "POST"])
@editors_only
def edit(rubric_id: int):
    rubric = _rubric(rubric_id)
    if not rubrics.can_edit(current_user, rubric):
        abort(403)
    return _editor(rubric)


@bp.route("/<int:rubric_id>/clone", methods=["GET", "POST"])
@editors_only
def clone(rubric_id: int):
    rubric = _rubric(rubric_id)
    form = CloneForm()
    if not form.is_submitted():
        form.key.data, form.name.data = f"{rubric.key}-copy", f"{rubric.name} (copy)"
    if form.validate_on_submit():
        problem = rubrics.team_problem(current_user, rubric.latest.document)
        if problem:
            abort(403)
        try:
            version = rubrics.clone_rubric(db.session, rubric.latest, key=form.key.data, name=form.name.data,
                                           user=current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.key.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Cloned {rubric.name} as {version.name}.", "success")
            return redirect(url_for("rubrics.show", rubric_id=version.rubric_id))
    return render_template("rubrics/clone.html", rubric=rubric, form=form)


@bp.route("/<int:rubric_id>/archive", methods=["POST"])
@editors_only
def archive(rubric_id: int):
    return _set_archived(rubric_id, True)


@bp.route("/<int:rubric_id>/restore", methods=["POST"])
@editors_only
def restore(rubric_id: int):
    return _set_archived(rubric_id, False)


@bp.route("/<int:rubric_id>/v<int:number>/export")
@editors_only
def export(rubric_id: int, number: int):
    rubric = _rubric(rubric_id)
    version = rubrics.get_version(db.session, rubric, number) or abort(404)
    return Response(rubrics.export_yaml(version), mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="{rubric.key}-v{number}.rubric.yaml"'})


@bp.route("/score", methods=["POST"])
@editors_only
def score():
    """The live preview's total: the same scoring function reviews use. JSON in, JSON out (CSRF header)."""
    payload = request.get_json(silent=True) or {}
    try:
        document = _preview_document(payload)
        answers = {str(k): None if v == "na" else int(v) for k, v in (payload.get("answers") or {}).items()}
        result = scoring.score_document(document, answers)
    except (ServiceError, ValueError, TypeError) as exc:
        return jsonify(error=str(exc)), 400
    return jsonify({**result.summary(), "pass_threshold": document["pass_threshold"]})


def _preview_document(payload: dict) -> dict:
    if payload.get("version_id") is not None:
        version = db.session.get(RubricVersion, int(payload["version_id"]))
        if version is None:
            raise ServiceError("No such rubric version.")
        return version.document
    return rubrics.parse_rubric(str(payload.get("content") or ""))


def _rubric(rubric_id: int) -> Rubric:
    return db.session.get(Rubric, rubric_id) or abort(404)


def _set_archived(rubric_id: int, archived: bool):
    rubric = _rubric(rubric_id)
    if not rubrics.can_edit(current_user, rubric):
        abort(403)
    if ArchiveForm().validate_on_submit():
        rubrics.set_archived(db.session, rubric, archived)
        db.session.commit()
        flash(f"{rubric.name} is {'archived' if archived else 'active again'}.", "success")
    return redirect(url_for("rubrics.show", rubric_id=rubric.id))


def _editor(rubric: Rubric | None):
    form = RubricForm()
    if not form.is_submitted():
        form.content.data = rubric.latest.content if rubric else rubrics.STARTER_YAML
    document, errors = None, []
    if not form.is_submitted() or form.validate_on_submit():
        try:
            document = rubrics.parse_rubric(form.content.data or "")
        except rubrics.RubricError as exc:
            errors = [p.located().lstrip(": ") for p in exc.problems]
    if document is not None and form.is_submitted() and form.save.data:
        saved = _save(form, rubric, document, errors)
        if saved is not None:
            return saved
    return render_template("rubrics/edit.html", form=form, rubric=rubric, document=document, errors=errors)


def _save(form: RubricForm, rubric: Rubric | None, document: dict, errors: list[str]):
    problem = rubrics.team_problem(current_user, document)
    if problem:
        errors.append(problem)
        return None
    try:
        version, created = rubrics.save_rubric(db.session, form.content.data, user=current_user, rubric=rubric,
                                               note=form.note.data or "")
    except ServiceError as exc:
        db.session.rollback()
        errors.append(str(exc))
        return None
    db.session.commit()
    if created:
        flash(f"Saved {version.name} version {version.number}.", "success")
    else:
        flash("No change: the content is the same as the latest version.", "info")
    return redirect(url_for("rubrics.show", rubric_id=version.rubric_id))


@bp.context_processor
def _template_helpers() -> dict:
    return {"scale_points": scoring.scale_points}

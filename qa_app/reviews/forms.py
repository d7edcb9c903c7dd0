"""Review forms. The scoring form is built per rubric version: one radio group, reasons and a comment per
criterion. Field names are `answer-<key>`, `reasons-<key>`, `comment-<key>` (static/rubrics.js reads `answer-`)."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from qa_app.services import scoring
from qa_app.services.reviews import NA, criteria


class ScoringFormBase(FlaskForm):
    save = SubmitField("Save draft")
    submit = SubmitField("Submit review")

    document: dict[str, Any]

    def answers(self) -> dict[str, str]:
        return {c["key"]: self[f"answer-{c['key']}"].data or "" for c in criteria(self.document)}

    def reasons(self) -> dict[str, list[str]]:
        return {c["key"]: list(self[f"reasons-{c['key']}"].data or []) for c in criteria(self.document)}

    def comments(self) -> dict[str, str]:
        return {c["key"]: self[f"comment-{c['key']}"].data or "" for c in criteria(self.document)}


def scoring_form(document: dict[str, Any], **kwargs) -> ScoringFormBase:
    """A form class for this rubric document, instantiated (with request data when posted)."""

    class ScoringForm(ScoringFormBase):
        pass

    for c in criteria(document):
        choices = [SelectChoice(str(v), label) for v, label in scoring.scale_points(c["scale"])]
        if c.get("na_allowed"):
            choices.append(SelectChoice(NA, "N/A"))
        setattr(ScoringForm, f"answer-{c['key']}", RadioField(c["label"], choices=choices, validators=[Optional()]))
        setattr(ScoringForm, f"reasons-{c['key']}", SelectMultipleField(
            "Reasons", choices=[SelectChoice(r) for r in c.get("reasons") or []], validators=[Optional()]))
        setattr(ScoringForm, f"comment-{c['key']}", TextAreaField(
            "Comment", validators=[Optional(), Length(max=5000)], render_kw={"rows": 1}))
    form = ScoringForm(**kwargs)
    form.document = document
    return form


class VerdictForm(FlaskForm):
    verdict = HiddenField(validators=[DataRequired(), AnyOf(["confirmed", "dismissed"])])


class CoachingForm(FlaskForm):
    body = TextAreaField("Coaching note", validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 16})
    save = SubmitField("Save draft")
    publish = SubmitField("Publish to the agent")


class ConsensusForm(FlaskForm):
    """The lead's agreed answers for one calibration transcript: CSRF plus the transcript; the per-criterion values
    (consensus-<criterion key>) are checked against the rubric by services.calibration.record_consensus."""

    transcript_id = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,12}$")])
    save = SubmitField("Record agreed answers")

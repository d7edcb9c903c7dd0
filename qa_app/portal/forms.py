"""Portal, dispute and notification forms. Every POST carries a CSRF token (Flask-WTF)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from qa_app.services.disputes import MAX_REASON


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (acknowledge, mark read)."""

    submit = SubmitField("OK")


class DisputeForm(FlaskForm):
    criterion = SelectField("What do you dispute?", choices=[SelectChoice("", "The whole review")])
    reason = TextAreaField("Why", validators=[DataRequired(message="Say why you disagree."),
                                              Length(max=MAX_REASON)])
    submit = SubmitField("Send dispute")


class ResolveForm(FlaskForm):
    """New answers come as `answer-<criterion key>` fields; the service checks them against the rubric."""

    outcome = RadioField("Outcome", choices=[SelectChoice("uphold", "Uphold: the score stands"),
                                             SelectChoice("change", "Change the score")],
                         validators=[InputRequired(message="Choose uphold or change.")])
    reason = TextAreaField("Reason (shown to the agent)",
                           validators=[DataRequired(message="Give the agent a reason."), Length(max=MAX_REASON)])
    submit = SubmitField("Resolve")

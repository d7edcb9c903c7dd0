from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"


class RubricForm(FlaskForm):
    content = TextAreaField("Rubric (YAML)", validators=[DataRequired()],
                            render_kw={"rows": 30, "spellcheck": "false", "class": "font-monospace"})
    note = StringField("What changed", validators=[Optional(), Length(max=500)])
    preview = SubmitField("Preview")
    save = SubmitField("Save")


class CloneForm(FlaskForm):
    key = StringField("New key", validators=[DataRequired(), Length(max=80), Regexp(
        KEY_PATTERN, message="Lowercase letters, digits, _ or -, starting with a letter.")])
    name = StringField("New name", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Clone")


class ArchiveForm(FlaskForm):
    """CSRF token only: archive and restore are plain POSTs."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class PolicyForm(FlaskForm):
    content = TextAreaField("Policy pack (YAML)", validators=[Optional()], render_kw={"rows": 24, "spellcheck": "false"})
    upload = FileField("…or upload a YAML file", validators=[FileAllowed(["yaml", "yml"], "YAML files only.")])
    note = StringField("What changed", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Save as new version")


class ActivateForm(FlaskForm):
    submit = SubmitField("Make active")

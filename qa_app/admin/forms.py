"""Admin forms. Every one is a FlaskForm, so every POST carries a CSRF token."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField, DateField, EmailField, PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from qa_app.models import ROLE_VALUES
from qa_app.services.users import MIN_PASSWORD_LENGTH

ROLE_CHOICES = [SelectChoice(r, r.capitalize()) for r in ROLE_VALUES]
# Upload extension -> import format (the importer's names).
UPLOAD_FORMATS = {"json": "json", "jsonl": "jsonl", "ndjson": "jsonl", "csv": "csv"}


class InviteUserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="reviewer")
    teams = SelectMultipleField("Teams (leads lead them; reviewers cover them)", coerce=int, choices=[])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    submit = SubmitField("Create user")


class EditUserForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    teams = SelectMultipleField("Teams", coerce=int, choices=[])
    submit = SubmitField("Save")


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    confirm = PasswordField("Repeat it", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
    submit = SubmitField("Set password")


class ConfirmForm(FlaskForm):
    """A bare POST (deactivate, reactivate, revoke): only the CSRF token."""

    submit = SubmitField("Confirm")


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Create team")


class RenameTeamForm(FlaskForm):
    name = StringField("New name", validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Rename")


class TokenForm(FlaskForm):
    user_id = SelectField("Owner", coerce=int, choices=[])
    name = StringField("What uses it", validators=[DataRequired(), Length(max=120)],
                       description="e.g. 'nightly Zendesk export'")
    submit = SubmitField("Create token")


class UploadForm(FlaskForm):
    file = FileField("Transcript file", validators=[
        FileRequired("Choose a file to import."),
        FileAllowed(list(UPLOAD_FORMATS), "Use a .json, .jsonl (.ndjson) or .csv file."),
    ], description="JSON array, JSON Lines, or CSV (one message a row), in the interchange format.")
    source = StringField("Source", validators=[Optional(), Length(max=64)],
                         description="Where these come from (e.g. zendesk); used when a record names none.")
    strict = BooleanField("Strict: import nothing if any record is rejected")
    submit = SubmitField("Import")


class AuditFilterForm(FlaskForm):
    """The audit log's filters (GET; no CSRF token: filtering changes nothing)."""

    class Meta:
        csrf = False

    action = StringField("Action", validators=[Optional(), Length(max=64)],
                         description='An action ("user.role_changed") or a family ending in a dot ("auth.").')
    actor = StringField("Actor e-mail contains", validators=[Optional(), Length(max=254)])
    date_from = DateField("From (UTC)", validators=[Optional()])
    date_to = DateField("To (UTC)", validators=[Optional()])
    target = StringField("Target", validators=[Optional(), Length(max=100)],
                         description='A table ("reviews") or one row ("reviews:12").')

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("must be on or after the From date.")


class SettingsForm(FlaskForm):
    redact_pii_on_import = BooleanField("Redact personal data in transcripts at import")
    submit = SubmitField("Save settings")

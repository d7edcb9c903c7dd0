from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FloatField, IntegerField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from qa_app.services.sampling import STRATEGY_LABELS, TARGETS


def _opt_int(lo: int, hi: int, label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(lo, hi)])


class PlanForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = StringField("Description", validators=[Optional(), Length(max=500)])
    active = BooleanField("Active (runs from cron)", default=True)
    # population
    teams = SelectMultipleField("Teams (none: all teams — admins only)", coerce=int, validate_choice=True)
    agents = SelectMultipleField("Agents (none: everyone in the teams)", coerce=int, validate_choice=True)
    channels = StringField("Channels (comma-separated)", validators=[Optional(), Length(max=300)])
    tags = StringField("Tags, any of (comma-separated)", validators=[Optional(), Length(max=300)])
    window_days = _opt_int(1, 366, "Window: chats started in the last N days")
    date_from = DateField("…or from", validators=[Optional()])
    date_to = DateField("to (inclusive)", validators=[Optional()])
    csat_min = _opt_int(1, 5, "CSAT from")
    csat_max = _opt_int(1, 5, "CSAT to")
    # strategy
    strategy = SelectField("Strategy", choices=[SelectChoice(k, v) for k, v in STRATEGY_LABELS.items()])
    quota_per_agent = _opt_int(1, 1000, "Quota: reviews per agent per window")
    count = _opt_int(1, 100000, "Number to pick (random, stratified per stratum, targeted, mix)")
    share_percent = FloatField("…or percent of eligible chats", validators=[Optional(), NumberRange(0.01, 100)])
    stratify_by = SelectField("Stratify by", choices=[SelectChoice("team", "team"), SelectChoice("channel", "channel")])
    target = SelectField("Target", choices=[SelectChoice("", "—")] + [SelectChoice(k, v[0]) for k, v in TARGETS.items()])
    random_percent = IntegerField("Mix: percent random", default=70, validators=[Optional(), NumberRange(0, 100)])
    # review
    rubric = SelectField("Rubric", coerce=int)
    reviewers = TextAreaField("Reviewers: one per line, “email = capacity” (open assignments they may hold)",
                              validators=[Optional(), Length(max=20000)], render_kw={"rows": 5})
    blind = BooleanField("Blind reviews (hide the agent from reviewers)")
    calibration = BooleanField("Calibration: send the same chats to several reviewers")
    calibration_reviewers = _opt_int(0, 100, "Reviewers per calibration chat (0 or empty: all)")
    submit = SubmitField("Save plan")


class RunForm(FlaskForm):
    seed = IntegerField("Seed (optional)", validators=[Optional(), NumberRange(0, 2**63 - 1)])
    preview = SubmitField("Preview (dry run)")
    run = SubmitField("Run now")


class ReassignForm(FlaskForm):
    reviewer = SelectField("Reviewer", coerce=int)
    submit = SubmitField("Reassign")


class SkipForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Skip")

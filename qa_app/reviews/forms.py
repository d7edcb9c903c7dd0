"""Review forms. The scoring form is built per rubric version: one radio group, reasons and a comment per
criterion. Field names are `answer-<key>`, `reasons-<key>`, `comment-<key>` (static/rubrics.js reads `answer-`)."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, SubmitField,
                     TextAreaField)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from qa_app.services import scoring
from qa_app.services.comments import MAX_LENGTH as COMMENT_MAX
from qa_app.services.review_queue import SEVERITIES, SORTS, STATUSES, QueueChoices, QueueFilters
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


class RevisionFormBase(ScoringFormBase):
    """Correcting a published review: the same scoring fields plus the reason every revision needs."""

    reason = TextAreaField("Why the score changes", validators=[DataRequired(message="A revision needs a reason."),
                                                                Length(max=5000)], render_kw={"rows": 2})
    revise = SubmitField("Save correction")


def scoring_form(document: dict[str, Any], base: type[ScoringFormBase] = ScoringFormBase,
                 **kwargs) -> ScoringFormBase:
    """A form class for this rubric document, instantiated (with request data when posted)."""

    class ScoringForm(base):  # type: ignore[valid-type,misc]
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


class NoteRevisionForm(FlaskForm):
    body = TextAreaField("Corrected note", validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 12})
    reason = TextAreaField("Why it changes", validators=[DataRequired(message="A revision needs a reason."),
                                                         Length(max=5000)], render_kw={"rows": 2})
    revise = SubmitField("Save correction")


class CommentForm(FlaskForm):
    body = TextAreaField("Comment on this message", validators=[
        DataRequired(message="Write something before adding a comment."), Length(max=COMMENT_MAX)],
        render_kw={"rows": 2})


class DeleteCommentForm(FlaskForm):
    """CSRF only."""


class QueueFilterForm(FlaskForm):
    """The queue's filters, read from the query string (GET, bookmarkable), so no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=[SelectChoice(s, s) for s in STATUSES], default="open")
    sort = SelectField("Sort", choices=[SelectChoice("oldest", "Oldest first"),
                                        SelectChoice("severity", "Most severe first")], default="oldest")
    team = SelectField("Team", choices=[], default="")
    agent = SelectField("Agent", choices=[], default="")
    channel = SelectField("Channel", choices=[], default="")
    plan = SelectField("Plan", choices=[], default="")
    date_from = DateField("From", validators=[Optional()], format="%Y-%m-%d")
    date_to = DateField("To", validators=[Optional()], format="%Y-%m-%d")
    flagged = SelectField("Flags", choices=[SelectChoice("", "Any"), SelectChoice("yes", "With flags"),
                                            SelectChoice("no", "Without flags")], default="")
    min_severity = SelectField("Min. severity", choices=[SelectChoice("", "Any")] + [
        SelectChoice(name, name) for name in SEVERITIES], default="")

    FIELDS = ("status", "sort", "team", "agent", "channel", "plan", "date_from", "date_to", "flagged", "min_severity")

    def set_choices(self, found: QueueChoices) -> None:
        for name, label, options in (("team", "All teams", found.teams), ("agent", "All agents", found.agents),
                                     ("channel", "All", found.channels), ("plan", "All plans", found.plans)):
            self[name].choices = [SelectChoice("", label)] + [SelectChoice(c.value, c.label) for c in options]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        problems = self.filters().problems() if ok else []
        self.form_errors.extend(problems)
        return ok and not problems

    def filters(self) -> QueueFilters:
        def number(name: str) -> int | None:
            return int(self[name].data) if self[name].data else None

        return QueueFilters(
            status=self.status.data or "open", sort=self.sort.data if self.sort.data in SORTS else "oldest",
            team_id=number("team"), agent_id=number("agent"), channel=self.channel.data or None,
            plan_id=number("plan"), date_from=self.date_from.data, date_to=self.date_to.data,
            flagged={"yes": True, "no": False}.get(self.flagged.data or ""),
            min_severity=SEVERITIES.get(self.min_severity.data or ""))

    def query_args(self, *leave_out: str) -> dict[str, str]:
        """The non-empty filters as query-string arguments (tab, sort and "next" links keep them)."""
        return {name: value for name in self.FIELDS if name not in leave_out
                and (value := (self[name].raw_data or [""])[0])}

"""The transcript list's filter form: read from the query string (GET), so no CSRF token."""
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import NumberRange, Optional, Length

from qa_app.services.transcript_views import TranscriptFilters

_csat = [Optional(), NumberRange(min=1, max=5, message="CSAT is a whole number from 1 to 5.")]


class TranscriptFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search form: GET, changes nothing

    q = StringField("External ID", validators=[Optional(), Length(max=200)])
    # Choices are only what the user may see (set per request); anything else is "Not a valid choice".
    team = SelectField("Team", choices=[], default="")
    agent = SelectField("Agent", choices=[], default="")
    channel = SelectField("Channel", choices=[], default="")
    date_from = DateField("From", validators=[Optional()], format="%Y-%m-%d")
    date_to = DateField("To", validators=[Optional()], format="%Y-%m-%d")
    csat = IntegerField("CSAT", validators=_csat)
    csat_min = IntegerField("CSAT ≥", validators=_csat)
    csat_max = IntegerField("CSAT ≤", validators=_csat)

    def set_choices(self, teams, agents, channels) -> None:
        self.team.choices = [SelectChoice("", "All teams")] + [SelectChoice(str(t.id), t.name) for t in teams]
        self.agent.choices = [SelectChoice("", "All agents")] + [SelectChoice(str(a.id), a.label) for a in agents]
        self.channel.choices = [SelectChoice("", "All")] + [SelectChoice(c, c) for c in channels]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        problems = self.filters().problems() if ok else []
        self.form_errors.extend(problems)
        return ok and not problems

    def filters(self) -> TranscriptFilters:
        return TranscriptFilters(
            team_id=int(self.team.data) if self.team.data else None,
            agent_id=int(self.agent.data) if self.agent.data else None, channel=self.channel.data or None,
            date_from=self.date_from.data, date_to=self.date_to.data, csat=self.csat.data,
            csat_min=self.csat_min.data, csat_max=self.csat_max.data, q=(self.q.data or "").strip() or None)

    def query_args(self) -> dict[str, str]:
        """The non-empty filters as query-string arguments (for pagination links)."""
        return {name: value for name in ("q", "team", "agent", "channel", "date_from", "date_to", "csat", "csat_min",
                                          "csat_max") if (value := (self[name].raw_data or [""])[0])}

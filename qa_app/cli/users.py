"""flask qa create-user"""
import click

from qa_app.cli import qa_cli
from qa_app.extensions import db
from qa_app.models import ROLE_VALUES
from qa_app.services import users
from qa_app.services.errors import ServiceError


@qa_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_VALUES), required=True)
@click.option("--team", "teams", multiple=True, help="Team the user leads/covers (repeatable); created if missing.")
@click.option("--name", default="", help="Display name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted when not given.")
def create_user(email: str, role: str, teams: tuple[str, ...], name: str, password: str) -> None:
    """Create a login with ROLE (admin, lead, reviewer, agent)."""
    try:
        user = users.create_user(db.session, email, role, password=password, name=name, team_names=list(teams))
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" (teams: {', '.join(teams)})" if teams else ""))

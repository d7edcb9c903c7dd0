"""Logins, roles, team membership, and the link between a login and an agent."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from qa_app.models import ROLE_VALUES, Agent, Team, User
from qa_app.services.errors import ServiceError

MIN_PASSWORD_LENGTH = 6


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = get_by_email(session, email)
    if user is None or not user.active or not user.password_hash:
        return None
    return user if check_password_hash(user.password_hash, password) else None


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = generate_password_hash(password)


def get_or_create_team(session: Session, name: str) -> Team:
    name = name.strip()
    if not name:
        raise ServiceError("Team name must not be empty.")
    team = session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def create_user(session: Session, email: str, role: str, password: str | None = None,
                name: str = "", team_names: list[str] | None = None) -> User:
    """Create a login. An agent record with the same e-mail is linked to it."""
    email = normalize_email(email)
    if role not in ROLE_VALUES:
        raise ServiceError(f"Unknown role {role!r}; use one of {', '.join(ROLE_VALUES)}.")
    if "@" not in email:
        raise ServiceError(f"{email!r} is not an e-mail address.")
    if get_by_email(session, email) is not None:
        raise ServiceError(f"A user with e-mail {email} already exists.")
    user = User(email=email, role=role, name=name.strip() or email.split("@")[0], active=True)
    if password:
        set_password(user, password)
    user.teams = [get_or_create_team(session, t) for t in (team_names or [])]
    session.add(user)
    session.flush()
    link_agent_for_user(session, user)
    return user


def link_agent_for_user(session: Session, user: User) -> Agent | None:
    """Agents are people in transcripts; when one has this login's e-mail, they are the same person."""
    agent = session.scalar(select(Agent).where(Agent.email == user.email))
    if agent is not None and agent.user_id is None:
        agent.user_id = user.id
        session.flush()
    return agent


def set_teams(session: Session, user: User, team_ids: list[int]) -> None:
    user.teams = list(session.scalars(select(Team).where(Team.id.in_(team_ids)))) if team_ids else []
    session.flush()


def deactivate(session: Session, user: User, acting_user: User) -> None:
    if user.id == acting_user.id:
        raise ServiceError("You cannot deactivate your own account.")
    user.active = False
    session.flush()


def reactivate(session: Session, user: User) -> None:
    user.active = True
    session.flush()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.email)))


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def rename_team(session: Session, team: Team, name: str) -> None:
    name = name.strip()
    if not name:
        raise ServiceError("Team name must not be empty.")
    clash = session.scalar(select(Team).where(func.lower(Team.name) == name.lower(), Team.id != team.id))
    if clash is not None:
        raise ServiceError(f"A team named {clash.name} already exists.")
    team.name = name
    session.flush()

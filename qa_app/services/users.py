"""Logins, roles, team membership, and the link between a login and an agent."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from qa_app.models import ROLE_VALUES, Agent, Team, User, user_teams
from qa_app.services import audit
from qa_app.services.errors import ServiceError

MIN_PASSWORD_LENGTH = 6
# werkzeug's default (scrypt). The test suite lowers the cost; production never should.
PASSWORD_HASH_METHOD = "scrypt"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash of a random password, made with the current method, so unknown users cost as much time as known ones."""
    if PASSWORD_HASH_METHOD not in _dummy_hashes:
        _dummy_hashes[PASSWORD_HASH_METHOD] = generate_password_hash(secrets.token_hex(16), method=PASSWORD_HASH_METHOD)
    return _dummy_hashes[PASSWORD_HASH_METHOD]


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None. Always checks one hash: an unknown e-mail takes
    as long as a wrong password, so timing does not tell which addresses have accounts."""
    user = get_by_email(session, email)
    usable = user is not None and user.active and bool(user.password_hash)
    matches = check_password_hash(user.password_hash if usable else _dummy_hash(), password)
    return user if usable and matches else None


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)


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
                name: str = "", team_names: list[str] | None = None, actor: User | None = None,
                ip: str | None = None) -> User:
    """Create a login (audited as user.created). An agent record with the same e-mail is linked to it."""
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
    audit.record(session, actor, "user.created", user, details={"email": user.email, "role": role,
                                                                 "teams": [t.name for t in user.teams]}, ip=ip)
    return user


def link_agent_for_user(session: Session, user: User) -> Agent | None:
    """Agents are people in transcripts; when one has this login's e-mail, they are the same person."""
    agent = session.scalar(select(Agent).where(Agent.email == user.email))
    if agent is not None and agent.user_id is None:
        agent.user_id = user.id
        session.flush()
    return agent


def create_team(session: Session, name: str) -> Team:
    """A new team; unlike get_or_create_team, an existing name (any case) is an error."""
    name = name.strip()
    clash = session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
    if clash is not None:
        raise ServiceError(f"A team named {clash.name} already exists.")
    return get_or_create_team(session, name)


def set_role(session: Session, user: User, role: str, acting_user: User, ip: str | None = None) -> None:
    """Change the role; a real change is audited as user.role_changed."""
    if role not in ROLE_VALUES:
        raise ServiceError(f"Unknown role {role!r}; use one of {', '.join(ROLE_VALUES)}.")
    if user.id == acting_user.id and role != "admin" and user.role == "admin":
        raise ServiceError("You cannot remove your own admin role; ask another admin.")
    old = user.role
    user.role = role
    session.flush()
    if old != role:
        audit.record(session, acting_user, "user.role_changed", user,
                     details={"email": user.email, "from": old, "to": role}, ip=ip)


def set_teams(session: Session, user: User, team_ids: list[int], actor: User | None = None,
              ip: str | None = None) -> None:
    """Replace the user's teams; a real change is audited as user.teams_changed (team access is access)."""
    old = sorted(t.name for t in user.teams)
    user.teams = list(session.scalars(select(Team).where(Team.id.in_(team_ids)))) if team_ids else []
    session.flush()
    new = sorted(t.name for t in user.teams)
    if old != new:
        audit.record(session, actor, "user.teams_changed", user,
                     details={"email": user.email, "from": old, "to": new}, ip=ip)


def deactivate(session: Session, user: User, acting_user: User, ip: str | None = None) -> None:
    if user.id == acting_user.id:
        raise ServiceError("You cannot deactivate your own account.")
    was_active = user.active
    user.active = False
    session.flush()
    if was_active:
        audit.record(session, acting_user, "user.deactivated", user, details={"email": user.email}, ip=ip)


def reactivate(session: Session, user: User, actor: User | None = None, ip: str | None = None) -> None:
    was_active = user.active
    user.active = True
    session.flush()
    if not was_active:
        audit.record(session, actor, "user.reactivated", user, details={"email": user.email}, ip=ip)


def record_password_reset(session: Session, user: User, actor: User | None, ip: str | None = None) -> None:
    """An admin set someone's password: audited (never the password itself)."""
    audit.record(session, actor, "user.password_reset", user, details={"email": user.email}, ip=ip)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).options(selectinload(User.agent)).order_by(User.role, User.email)))


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def teams_with_counts(session: Session) -> tuple[list[tuple[Team, int]], dict[int, int]]:
    """Every team with its number of agents, and the number of leads/reviewers per team id."""
    agents = func.count(Agent.id)
    rows = session.execute(
        select(Team, agents).outerjoin(Agent, Agent.team_id == Team.id).group_by(Team.id).order_by(Team.name)).all()
    members = dict(session.execute(select(user_teams.c.team_id, func.count()).group_by(user_teams.c.team_id)).all())
    return [tuple(r) for r in rows], members


def rename_team(session: Session, team: Team, name: str) -> None:
    name = name.strip()
    if not name:
        raise ServiceError("Team name must not be empty.")
    clash = session.scalar(select(Team).where(func.lower(Team.name) == name.lower(), Team.id != team.id))
    if clash is not None:
        raise ServiceError(f"A team named {clash.name} already exists.")
    team.name = name
    session.flush()

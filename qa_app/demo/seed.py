"""Create (or top up) the Acme Outfitters demo organisation on a session. Flushes; the caller commits.

Idempotent: teams and users are created only when missing (existing users are left exactly as they are, password
included), and transcripts go through the import service, which skips a record whose (source, external_id) and
content hash are already stored.

Dates: the generator places chats in the 12 weeks before an *anchor* day. The anchor is today on the first run and
is written into every demo transcript's metadata (``demo_anchor``); later runs read it back and regenerate the very
same records, so a second run -- on any later day -- reports "unchanged" instead of rewriting 360 transcripts.
``refresh=True`` re-anchors on today (the demo then looks fresh again; every transcript is updated once).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.demo import content
from qa_app.demo.generator import DEFAULT_SEED, SOURCE, generate_records, summarize
from qa_app.models import Rubric, Transcript, User
from qa_app.services import analysis
from qa_app.services import users as user_service
from qa_app.services.importing import ImportReport, import_file, import_records

DEMO_PASSWORD = "qa-demo"
# e-mail, role, display name, teams (led or covered)
DEMO_USERS = (
    ("admin@example.com", "admin", "Dana Whitfield", ()),
    ("lead@example.com", "lead", "Jordan Blake", content.TEAMS),
    ("reviewer@example.com", "reviewer", "Riley Chen", content.TEAMS),
    ("agent@example.com", "agent", "Alex Morgan", ()),
)
SHARED_TWITTER = Path("shared") / "data" / "twitter-customer-care" / "dev.jsonl"
SHARED_SOURCE = "twitter"


@dataclass
class DemoResult:
    seed: int
    anchor: date
    anchor_reused: bool                         # True when the anchor came from earlier demo transcripts
    generated: dict[str, Any]                   # generator.summarize(): transcripts, messages, problem share, kinds
    report: ImportReport
    users_created: list[User] = field(default_factory=list)
    users_existing: list[User] = field(default_factory=list)
    shared_path: Path | None = None
    shared_report: ImportReport | None = None   # None: not asked for, or the file is absent


def repo_root() -> Path:
    """The folder holding wsgi.py (shared data sits beside it, in ../shared)."""
    return Path(__file__).resolve().parents[2]


def shared_twitter_path(root: Path | None = None) -> Path:
    return (root or repo_root()).parent / SHARED_TWITTER


def stored_anchor(session: Session) -> date | None:
    """The anchor day of the demo transcripts already in the database, if any."""
    meta = session.scalars(
        select(Transcript.meta).where(Transcript.source == SOURCE).order_by(Transcript.id).limit(1)
    ).first()
    try:
        return date.fromisoformat(meta["demo_anchor"]) if meta else None
    except (KeyError, TypeError, ValueError):
        return None


def ensure_demo_users(session: Session, password: str = DEMO_PASSWORD) -> tuple[list[User], list[User]]:
    """Create the four demo logins that are missing; existing ones are not touched (besides agent linking)."""
    created, existing = [], []
    for email, role, name, teams in DEMO_USERS:
        user = user_service.get_by_email(session, email)
        if user is None:
            created.append(user_service.create_user(session, email, role, password=password, name=name,
                                                    team_names=list(teams)))
        else:
            user_service.link_agent_for_user(session, user)  # only links an agent that has no login yet
            existing.append(user)
    return created, existing


def seed_demo(session: Session, *, seed: int = DEFAULT_SEED, today: date | None = None, refresh: bool = False,
              with_shared: bool = False, shared_path: Path | None = None, analyze: bool = True,
              commit: Callable[[], None] | None = None) -> DemoResult:
    """Teams, agents, ~360 transcripts and the demo logins; optionally the shared Twitter sample.

    With `analyze`, every transcript the import creates or updates is analyzed (flags for the review screens and
    dashboards) before its batch is committed; unchanged transcripts keep their stored analysis.
    """
    on_batch = analysis.after_import_batch(session) if analyze else None
    today = today or date.today()
    previous = None if refresh else stored_anchor(session)
    anchor = previous or today

    for team in content.TEAMS:
        user_service.get_or_create_team(session, team)
    records = generate_records(seed=seed, anchor=anchor)
    report = import_records(session, records, source=SOURCE, commit=commit, on_batch=on_batch)
    result = DemoResult(seed=seed, anchor=anchor, anchor_reused=previous is not None,
                        generated=summarize(records), report=report)
    # After the import, so agent@example.com's login is linked to the agent the transcripts created.
    result.users_created, result.users_existing = ensure_demo_users(session)
    session.flush()

    if with_shared:
        result.shared_path = shared_path or shared_twitter_path()
        if result.shared_path.exists():
            result.shared_report = import_file(session, result.shared_path, source=SHARED_SOURCE, commit=commit,
                                               on_batch=on_batch)
    return result


DEMO_PLAN = "Weekly sample (demo)"


def seed_sampling_plan(session: Session) -> str:
    """A weekly quota plan run once, so the demo reviewer has a queue. Left alone when it already exists."""
    from qa_app.services import sampling_plans  # sampling depends on rubrics being synced first

    if sampling_plans.get_by_name(session, DEMO_PLAN) is not None:
        return f"plan {DEMO_PLAN!r} already present"
    admin = user_service.get_by_email(session, "admin@example.com")
    if admin is None or admin.role != "admin":
        return "skipped the demo plan: admin@example.com is not an admin here"
    rubric = session.scalar(select(Rubric).where(Rubric.key == "chat-support-standard"))
    plan = sampling_plans.save_plan(session, sampling_plans.PlanInput(
        name=DEMO_PLAN, strategy="quota", quota_per_agent=2, population={"window_days": 14}, config={},
        reviewers=[("reviewer@example.com", 20), ("lead@example.com", 10)],
        description="Two chats per agent from the last two weeks.", rubric_id=rubric.id if rubric else None,
    ), admin)
    outcome = sampling_plans.run_plan(session, plan, seed=1, user=admin)
    return f"plan {DEMO_PLAN!r} created and run: {outcome.proposal.assigned_count} assignments"

"""Coaching notes: a deterministic draft from a submitted review, edit, publish (only then the agent sees it).

The draft is plain text built from templates: what went well (criteria scored high), what to work on (lowest
criteria first), each with the quoted evidence from the flags that fired, the rubric's coaching tip and the
better phrasing the tone rule suggested. No external service.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from qa_app.models import Agent, CoachingNote, Flag, Review, User, utcnow
from qa_app.services import comments, notifications, revisions, scoring
from qa_app.services.errors import ServiceError

HIGH = 0.8  # a criterion scored at or above this share of its scale "went well"


def _flags(review: Review) -> dict[int, Flag]:
    analysis = review.transcript.analysis
    dismissed = {v.flag_id for v in review.verdicts if v.verdict == "dismissed"}
    return {f.id: f for f in (analysis.flags if analysis else []) if f.id not in dismissed}


def _related_flags(criterion: dict, flags: dict[int, Flag]) -> list[Flag]:
    wanted = criterion.get("suggested_by") or []
    return [f for f in flags.values() if f.rule in wanted or f.category in wanted]


def draft_text(review: Review, remarks: Sequence[comments.Remark] = ()) -> str:
    """The note's first draft; `remarks` (the reviewer's message comments) are quoted under "Reviewer remarks"."""
    document = review.rubric_version.document
    answers = {k: None if v == "na" else v for k, v in review.answers.items()}
    result = scoring.score_document(document, answers)
    flags = _flags(review)
    ordered = [c for s in document["sections"] for c in s["criteria"]]
    position = {c["key"]: i for i, c in enumerate(ordered)}
    scored = [(result.criteria[c["key"]], c) for c in ordered if result.criteria.get(c["key"]) is not None]
    went_well = [c for s, c in scored if s >= HIGH]
    work_on = [c for s, c in sorted(scored, key=lambda sc: (sc[0], position[sc[1]["key"]])) if s < HIGH]

    lines = [f"Review of {review.transcript.external_id}: "
             + ("—" if result.overall is None else f"{result.overall:.1f}")
             + (" (pass)" if result.passed else " (below the pass mark)" if result.passed is False else ""), ""]
    lines.append("What went well")
    lines += [f"- {c['label']}" for c in went_well] or ["- (nothing scored high this time)"]
    lines += ["", "What to work on"]
    if not work_on:
        lines.append("- Nothing stood out; keep it up.")
    for c in work_on:
        lines.append(f"- {c['label']}")
        for f in _related_flags(c, flags):
            if f.evidence:
                lines.append(f'  You wrote: "{f.evidence}"')
            if f.suggestion:
                lines.append(f"  Try instead: {f.suggestion}")
        if c.get("coaching_tip"):
            lines.append(f"  Tip: {c['coaching_tip']}")
        comment = review.comments.get(c["key"])
        if comment:
            lines.append(f"  Reviewer: {comment}")
    if remarks:
        lines += ["", "Reviewer remarks"]
        for remark in remarks:
            lines.append(f'- Message {remark.position + 1} ({remark.role}): "{remark.quote()}"')
            lines.append(f"  {remark.body}")
    return "\n".join(lines) + "\n"


def create_draft(session: Session, review: Review) -> CoachingNote:
    if review.status == "draft":
        raise ServiceError("Submit the review before drafting coaching.")
    if review.note is not None:
        return review.note
    body = draft_text(review, comments.comments_for_review(session, review))
    note = CoachingNote(review=review, agent_id=review.transcript.agent_id, body=body, status="draft")
    session.add(note)
    session.flush()
    return note


def edit(session: Session, note: CoachingNote, body: str) -> CoachingNote:
    if note.status != "draft":
        raise ServiceError("A published note cannot be changed.")
    body = (body or "").strip()
    if not body:
        raise ServiceError("The note cannot be empty.")
    note.body = body[:20000] + "\n"
    session.flush()
    return note


def publish(session: Session, user: User, note: CoachingNote) -> CoachingNote:
    if note.status != "draft":
        raise ServiceError("This note is already published.")
    note.status, note.published_at, note.published_by_id = "published", utcnow(), user.id
    note.review.status, note.review.published_at = "published", note.published_at
    session.flush()
    revisions.snapshot_published(session, note.review, user)
    revisions.snapshot_note(session, note, user)
    notifications.note_published(session, note)  # the agent's bell
    return note


def visible_to_agent(user: User) -> Select:
    """Published notes about the agent linked to `user`: nothing else, ever."""
    own = select(Agent.id).where(Agent.user_id == user.id)
    return (select(CoachingNote).where(CoachingNote.agent_id.in_(own), CoachingNote.status == "published")
            .order_by(CoachingNote.published_at.desc(), CoachingNote.id.desc()))

"""Published reviews and notes are immutable: a change after publishing is a new revision with who, when, why.

- `snapshot_published` (called by coaching.publish) records revision 1 and writes the dashboard rollup (and the
  review's copy of its transcript's agent and team).
- `revise_review` changes answers of a published review (a reviewer's correction, or a lead resolving a dispute):
  it rescores with the one scoring function, stores the new state as the next revision, rewrites the rollup and
  audits the change.
- `revise_note` does the same for a published coaching note's text.
- `review_timeline` turns the history into what the pages show: who, when, why, score before/after, changed criteria.
- `repair_published` (flask qa repair-reviews) gives reviews published before revisions and the rollup existed
  their revision 1 and rollup rows.
The review row always holds the current state; review_revisions holds every published state.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from qa_app.models import (CoachingNote, CriterionScore, Dispute, NoteRevision, Review, ReviewFlagVerdict,
                           ReviewRevision, User, utcnow)
from qa_app.services import audit, notifications
from qa_app.services.errors import ServiceError

SOURCES = ("publish", "correction", "dispute")


def _next_number(session: Session, model, row, seen: int) -> int:
    """Claim the next revision number with one conditional UPDATE on the number as read: of two concurrent
    changes (a correction and a dispute decision, two tabs) exactly one wins; the other is refused, not a 500."""
    claimed = session.execute(update(model).where(model.id == row.id, model.revision == seen)
                              .values(revision=seen + 1).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise ServiceError("Someone changed this meanwhile; reload the page and try again.")
    return seen + 1


def _store_review_revision(session: Session, review: Review, actor: User | None, reason: str,
                           source: str, number: int | None = None) -> ReviewRevision:
    review.revision = number if number is not None else _next_number(session, Review, review, review.revision or 0)
    row = ReviewRevision(review_id=review.id, number=review.revision, answers=dict(review.answers),
                         reasons=dict(review.reasons or {}), comments=dict(review.comments or {}),
                         overall=review.overall, passed=review.passed,
                         section_scores=dict(review.section_scores or {}), changed_by_id=actor.id if actor else None,
                         changed_at=utcnow(), reason=reason, source=source)
    session.add(row)
    return row


def write_rollup(session: Session, review: Review) -> None:
    """Replace the review's criterion_scores rows with its current per-criterion scores (calibration: none), and
    copy the transcript's agent and team onto the published review. Both are snapshots taken at publishing and at
    each revision, so review and criterion numbers always attribute a review to the same agent and team. The
    review's flag verdicts get its published_at (the confirmation rate's window)."""
    from qa_app.services.reviews import score_of  # reviews imports coaching, which imports this module

    session.execute(delete(CriterionScore).where(CriterionScore.review_id == review.id))
    if review.status != "published":
        return
    transcript = review.transcript
    review.agent_id, review.team_id = transcript.agent_id, transcript.team_id
    session.execute(update(ReviewFlagVerdict).where(ReviewFlagVerdict.review_id == review.id)
                    .values(published_at=review.published_at).execution_options(synchronize_session="fetch"))
    if review.calibration or review.published_at is None:
        return
    result = score_of(review.rubric_version.document, review.answers)
    for key, value in result.criteria.items():
        if key in result.missing:
            continue
        session.add(CriterionScore(review_id=review.id, criterion_key=key, score=value,
                                   critical_failed=key in result.critical_failures, agent_id=review.agent_id,
                                   team_id=review.team_id, rubric_id=review.rubric_version.rubric_id,
                                   published_at=review.published_at))


@dataclass
class RepairReport:
    snapshots: int = 0  # reviews given their revision 1
    rollups: int = 0    # reviews given their criterion_scores rows


def repair_published(session: Session) -> RepairReport:
    """Idempotent: a published review with no revision gets revision 1 (its current state, which nothing changed
    since, as corrections need revisions), and one (not calibration) with no rollup rows gets them. Reviews that
    have them are left alone (rewriting would move a moved chat's old reviews to its current owner)."""
    report = RepairReport()
    has_revision = select(ReviewRevision.id).where(ReviewRevision.review_id == Review.id).exists()
    for review in session.scalars(select(Review).where(Review.status == "published", ~has_revision)):
        _store_review_revision(session, review, None, "published (recorded by flask qa repair-reviews)", "publish",
                               number=max(review.revision or 0, 1))
        report.snapshots += 1
    has_rollup = select(CriterionScore.id).where(CriterionScore.review_id == Review.id).exists()
    for review in session.scalars(select(Review).where(Review.status == "published", ~Review.calibration,
                                                       ~has_rollup)):
        write_rollup(session, review)
        report.rollups += 1
    session.flush()
    return report


def snapshot_published(session: Session, review: Review, actor: User) -> ReviewRevision:
    """Revision 1: the review as published."""
    row = _store_review_revision(session, review, actor, "published", "publish")
    write_rollup(session, review)
    audit.record(session, actor, "review.published", review, details={"overall": review.overall})
    session.flush()
    return row


def revise_review(session: Session, actor: User, review: Review, changes: Mapping[str, Any], reason: str,
                  source: str = "correction", comments: Mapping[str, str] | None = None) -> ReviewRevision:
    """Change answers ({criterion key: value or "na"}) of a published review as a new revision.

    Row checks (who may) are the caller's; this enforces the rules of the change itself."""
    from qa_app.services.reviews import clean_answers, score_of

    if review.status != "published":
        raise ServiceError("Only a published review is revised; edit the draft instead.")
    if source not in SOURCES[1:]:
        raise ServiceError(f"Unknown revision source {source!r}.")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Say why the score changes: a revision needs a reason.")
    if source == "correction" and session.scalar(select(Dispute.id).where(Dispute.review_id == review.id,
                                                                          Dispute.status == "open").limit(1)):
        # The lead's decision on the dispute is the one change allowed while it is open.
        raise ServiceError(f"Review {review.id} has an open dispute: resolve it on the dispute page instead.")
    document = review.rubric_version.document
    cleaned = clean_answers(document, changes)
    if not cleaned and not comments:
        raise ServiceError("Nothing to change.")
    answers = {**review.answers, **cleaned}
    result = score_of(document, answers)
    if result.missing:
        raise ServiceError("Every criterion must stay answered (or N/A): " + ", ".join(result.missing))
    number = _next_number(session, Review, review, review.revision or 0)  # claimed before anything changes
    before = {k: review.answers.get(k) for k in cleaned}
    review.answers = answers
    if comments:
        review.comments = {**(review.comments or {}), **{k: v.strip()[:5000] for k, v in comments.items() if v}}
    previous_overall = review.overall
    review.overall, review.passed = result.overall, result.passed
    review.section_scores = result.section_summary()
    row = _store_review_revision(session, review, actor, reason[:5000], source, number)
    write_rollup(session, review)
    if source == "correction":  # a dispute's outcome is announced by the dispute itself
        notifications.review_corrected(session, review, previous_overall)
    audit.record(session, actor, "review.revised", review,
                 details={"revision": review.revision, "source": source, "reason": reason[:500],
                          "before": before, "after": cleaned, "overall_before": previous_overall,
                          "overall_after": review.overall})
    session.flush()
    return row


def review_history(session: Session, review: Review) -> list[ReviewRevision]:
    return list(session.scalars(select(ReviewRevision).where(ReviewRevision.review_id == review.id)
                                .order_by(ReviewRevision.number)))


@dataclass(frozen=True)
class CriterionChange:
    key: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RevisionEntry:
    """One line of a review's history as the pages show it: who, when, why, the score before and after, and the
    criteria whose answer (or comment) changed against the previous revision."""

    number: int
    changed_at: datetime
    changed_by: User | None
    source: str
    reason: str
    overall_before: float | None
    overall_after: float | None
    passed: bool | None
    changes: list[CriterionChange] = field(default_factory=list)


def answer_label(criterion: Mapping[str, Any] | None, value: Any) -> str:
    """A stored answer as the reviewer saw it ("Yes", "2", "N/A"); the raw value when the scale does not know it."""
    if value is None:
        return "—"
    if value == "na":
        return "N/A"
    if criterion is None:
        return str(value)
    from qa_app.services.scoring import scale_points

    try:
        return dict(scale_points(criterion["scale"])).get(int(value), str(value))
    except (TypeError, ValueError):
        return str(value)


def review_timeline(session: Session, review: Review) -> list[RevisionEntry]:
    """The review's revisions, oldest first, each compared with the one before it."""
    known = {c["key"]: c for s in review.rubric_version.document["sections"] for c in s["criteria"]}
    entries: list[RevisionEntry] = []
    previous: ReviewRevision | None = None
    for row in review_history(session, review):
        changes = []
        if previous is not None:
            for key in [*known, *sorted(set(row.answers) - set(known))]:
                old, new = previous.answers.get(key), row.answers.get(key)
                old_comment, new_comment = (previous.comments or {}).get(key), (row.comments or {}).get(key)
                if old != new or old_comment != new_comment:
                    label = known[key]["label"] if key in known else key
                    before, after = answer_label(known.get(key), old), answer_label(known.get(key), new)
                    if old == new:
                        before, after = f"{before} (comment: {old_comment or '—'})", f"{after} (comment: {new_comment})"
                    changes.append(CriterionChange(key, label, before, after))
        entries.append(RevisionEntry(number=row.number, changed_at=row.changed_at, changed_by=row.changed_by,
                                     source=row.source, reason=row.reason,
                                     overall_before=previous.overall if previous else None,
                                     overall_after=row.overall, passed=row.passed, changes=changes))
        previous = row
    return entries


def snapshot_note(session: Session, note: CoachingNote, actor: User) -> NoteRevision:
    note.revision = _next_number(session, CoachingNote, note, note.revision or 0)
    row = NoteRevision(note_id=note.id, number=note.revision, body=note.body, changed_by_id=actor.id,
                       changed_at=utcnow(), reason="published")
    session.add(row)
    audit.record(session, actor, "note.published", note)
    session.flush()
    return row


def revise_note(session: Session, actor: User, note: CoachingNote, body: str, reason: str) -> NoteRevision:
    if note.status != "published":
        raise ServiceError("Only a published note is revised; edit the draft instead.")
    body, reason = (body or "").strip(), (reason or "").strip()
    if not body:
        raise ServiceError("The note cannot be empty.")
    if not reason:
        raise ServiceError("Say why the note changes: a revision needs a reason.")
    if body + "\n" == note.body:
        raise ServiceError("Nothing to change.")
    note.revision = _next_number(session, CoachingNote, note, note.revision or 0)
    note.body = body[:20000] + "\n"
    row = NoteRevision(note_id=note.id, number=note.revision, body=note.body, changed_by_id=actor.id,
                       changed_at=utcnow(), reason=reason[:5000])
    session.add(row)
    audit.record(session, actor, "note.revised", note, details={"revision": note.revision, "reason": reason[:500]})
    notifications.note_revised(session, note)  # the agent's bell
    session.flush()
    return row


def note_history(session: Session, note: CoachingNote) -> list[NoteRevision]:
    return list(session.scalars(select(NoteRevision).where(NoteRevision.note_id == note.id)
                                .order_by(NoteRevision.number)))

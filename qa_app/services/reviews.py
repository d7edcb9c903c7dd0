"""Reviews: open or resume a draft for an assignment, pre-fill suggestions from fired flags, save, submit, and
confirm or dismiss flags. Plain functions on a session: they flush, never commit.

Scores always come from services.scoring (the one scoring function); this module only stores its result.
Answers are stored as {criterion key: chosen value, or "na"}.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qa_app.models import Assignment, Flag, Review, ReviewFlagVerdict, User, utcnow
from qa_app.models.reviews import VERDICTS
from qa_app.services import assignment as assignments
from qa_app.services import scoring
from qa_app.services.errors import ServiceError

NA = "na"
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
SEVERITY_NAMES = {v: k for k, v in SEVERITY_RANK.items()}


# --- who may do what (row checks; role checks are in the routes) ------------------------------------------

def may_edit(user: User, review: Review) -> bool:
    """Only the reviewer edits their own draft or submitted (not yet published) review."""
    return review.reviewer_id == user.id and review.status in ("draft", "submitted")


def may_view(user: User, review: Review) -> bool:
    """The reviewer; admins; leads of the transcript's team (a draft stays private to its reviewer)."""
    if review.reviewer_id == user.id:
        return True
    if review.status == "draft":
        return False
    if user.role == "admin":
        return True
    return user.role == "lead" and review.transcript.team_id in {t.id for t in user.teams}


def may_coach(user: User, review: Review) -> bool:
    """Edit and publish a review's coaching note: its reviewer, admins, leads of the team; once submitted."""
    return review.status != "draft" and (review.reviewer_id == user.id or may_view(user, review))


def may_revise(user: User, review: Review) -> bool:
    """Correct a published review or note (as a new revision): its reviewer, admins, leads of the team."""
    if review.status != "published" or user.role not in ("admin", "lead", "reviewer"):
        return False
    if review.reviewer_id == user.id or user.role == "admin":
        return True
    return user.role == "lead" and review.transcript.team_id in {t.id for t in user.teams}


# --- criteria of a rubric document ------------------------------------------------------------------------

def criteria(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [c for s in document["sections"] for c in s["criteria"]]


def _fires(criterion: Mapping[str, Any], flag: Flag) -> bool:
    wanted = criterion.get("suggested_by") or []
    return flag.rule in wanted or flag.category in wanted


def suggestions_for(document: Mapping[str, Any], flags: list[Flag]) -> dict[str, dict[str, Any]]:
    """{criterion key: {value, rules, flag_ids, evidence}} for criteria whose linked rules or categories fired.

    A high-severity flag (or a yes/no scale) suggests the lowest point; otherwise one point below the top.
    """
    out: dict[str, dict[str, Any]] = {}
    for c in criteria(document):
        fired = [f for f in flags if _fires(c, f)]
        if not fired:
            continue
        points = [v for v, _ in scoring.scale_points(c["scale"])]
        worst = max(SEVERITY_RANK.get(f.severity, 1) for f in fired)
        value = points[0] if worst >= 3 or len(points) <= 2 else points[-2]
        out[c["key"]] = {"value": value, "rules": sorted({f.rule for f in fired}),
                         "flag_ids": [f.id for f in fired],
                         "evidence": [f.evidence for f in fired if f.evidence][:5]}
    return out


def transcript_flags(assignment: Assignment) -> list[Flag]:
    analysis = assignment.transcript.analysis
    return list(analysis.flags) if analysis else []


# --- open, save, submit ------------------------------------------------------------------------------------

def review_for(session: Session, assignment: Assignment) -> Review | None:
    return session.scalar(select(Review).where(Review.assignment_id == assignment.id))


def open_draft(session: Session, user: User, assignment: Assignment) -> Review:
    """Resume the assignment's review, or start a draft pre-filled with suggestions. Only its reviewer may."""
    if assignment.reviewer_id != user.id:
        raise ServiceError("Only the assigned reviewer can review this transcript.")
    existing = review_for(session, assignment)
    if existing is not None:
        return existing
    if assignment.status != "open":
        raise ServiceError("This assignment is not open.")
    if assignment.rubric_version is None:
        raise ServiceError("This assignment has no rubric; ask a lead to set one on the sampling plan.")
    suggested = suggestions_for(assignment.rubric_version.document, transcript_flags(assignment))
    review = Review(assignment=assignment, transcript_id=assignment.transcript_id, reviewer_id=user.id,
                    rubric_version_id=assignment.rubric_version_id, status="draft",
                    calibration=assignment.calibration_key is not None,
                    answers={k: s["value"] for k, s in suggested.items()}, suggestions=suggested,
                    reasons={}, comments={}, section_scores={})
    session.add(review)
    session.flush()
    _rescore(review)
    session.flush()
    return review


def clean_answers(document: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, int | str]:
    """Form values ("2", "na", "" or missing) as stored answers; ServiceError for anything off the rubric."""
    known = {c["key"]: c for c in criteria(document)}
    out: dict[str, int | str] = {}
    for key, value in raw.items():
        if key not in known:
            raise ServiceError(f"{key} is not a criterion of this rubric.")
        if value in (None, ""):
            continue
        if value == NA:
            out[key] = NA
            continue
        try:
            out[key] = int(value)
        except (TypeError, ValueError):
            raise ServiceError(f"{key}: {value!r} is not a point of the scale.") from None
    return out


def score_of(document: Mapping[str, Any], answers: Mapping[str, int | str]) -> scoring.ScoreResult:
    """The one scoring function on stored answers ("na" means N/A)."""
    try:
        return scoring.score_document(document, {k: None if v == NA else v for k, v in answers.items()})
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _rescore(review: Review) -> scoring.ScoreResult:
    result = score_of(review.rubric_version.document, review.answers)
    review.overall, review.passed = result.overall, result.passed
    review.section_scores = result.section_summary()
    return result


def save_draft(session: Session, user: User, review: Review, answers: Mapping[str, Any],
               reasons: Mapping[str, list[str]] | None = None,
               comments: Mapping[str, str] | None = None) -> scoring.ScoreResult:
    if not may_edit(user, review) or review.status != "draft":
        raise ServiceError("Only the reviewer can change a draft review.")
    document = review.rubric_version.document
    review.answers = clean_answers(document, answers)
    allowed = {c["key"]: set(c.get("reasons") or []) for c in criteria(document)}
    review.reasons = {k: [r for r in v if r in allowed.get(k, ())] for k, v in (reasons or {}).items()
                      if k in allowed and v}
    review.comments = {k: v.strip()[:5000] for k, v in (comments or {}).items() if v and v.strip()}
    result = _rescore(review)
    session.flush()
    return result


def submit(session: Session, user: User, review: Review, answers: Mapping[str, Any],
           reasons: Mapping[str, list[str]] | None = None, comments: Mapping[str, str] | None = None) -> Review:
    """Save, require every criterion answered (or N/A), recompute the score, mark the assignment done and
    draft the coaching note."""
    if review.reviewer_id == user.id and review.status != "draft":
        raise AlreadySubmitted("This review was already submitted; nothing was changed.")
    result = save_draft(session, user, review, answers, reasons, comments)
    if result.missing:
        raise ServiceError("Answer every criterion (or N/A) before submitting: " + ", ".join(result.missing))
    _claim_submission(session, review)
    if review.assignment is not None and review.assignment.status == "open":
        if review.assignment.reviewer_id != review.reviewer_id:
            raise ServiceError("This assignment was given to another reviewer; your review was not submitted.")
        assignments.complete(session, review.assignment)
    from qa_app.services import coaching  # coaching reads reviews; import here to keep the dependency one-way

    if not review.calibration:
        coaching.create_draft(session, review)
    session.flush()
    return review


class AlreadySubmitted(ServiceError):
    """A second submit of a review that is no longer a draft (a double click, another tab): nothing changes."""


def _claim_submission(session: Session, review: Review) -> None:
    """Flip draft -> submitted with one conditional UPDATE. Two racing submits both pass the in-memory checks;
    the database lets exactly one change the row (the other waits for its lock, then matches 0 rows)."""
    now = utcnow()
    claimed = session.execute(update(Review).where(Review.id == review.id, Review.status == "draft")
                              .values(status="submitted", submitted_at=now)
                              .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise AlreadySubmitted("This review was already submitted; nothing was changed.")
    review.status, review.submitted_at = "submitted", now


# --- flag verdicts ------------------------------------------------------------------------------------------

def set_verdict(session: Session, user: User, review: Review, flag_id: int, verdict: str) -> ReviewFlagVerdict:
    if verdict not in VERDICTS:
        raise ServiceError("A verdict is confirmed or dismissed.")
    if review.reviewer_id != user.id or review.status == "published":
        raise ServiceError("Only the reviewer can judge flags, before the review is published.")
    flag = session.get(Flag, flag_id)
    if flag is None or flag.transcript_id != review.transcript_id:
        raise ServiceError("That flag is not on this transcript.")
    row = session.scalar(select(ReviewFlagVerdict).where(ReviewFlagVerdict.review_id == review.id,
                                                         ReviewFlagVerdict.flag_id == flag_id))
    if row is None:
        row = ReviewFlagVerdict(review_id=review.id, flag_id=flag_id, reviewer_id=user.id, verdict=verdict,
                                rule=flag.rule, category=flag.category)
        session.add(row)
    else:
        row.verdict = verdict
    session.flush()
    return row


def verdicts_of(review: Review | None) -> dict[int, str]:
    return {v.flag_id: v.verdict for v in review.verdicts if v.flag_id is not None} if review else {}

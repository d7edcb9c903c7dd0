"""Calibration results: who may see them (blind until you submit), per transcript and criterion the answers by
reviewer, their spread, percent agreement and Krippendorff's alpha (ordinal), and the lead's agreed answers.

Calibration reviews are stored with Review.calibration = True and never count in an agent's scores (every agent
score query filters them out) and never get a coaching note (services.reviews.submit).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import permutations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qa_app.models import Assignment, CalibrationConsensus, Review, Transcript, User, utcnow
from qa_app.services import scoring
from qa_app.services.errors import ServiceError
from qa_app.services.reviews import NA, criteria

DONE = ("submitted", "published")


# --- the maths (pure) ---------------------------------------------------------------------------------------

def krippendorff_alpha_ordinal(units: Sequence[Sequence[Any]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric, from the coincidence-matrix definition.

    units: one list per unit (here: a transcript) of the values the coders gave it; None and "na" are missing.
    Values must be orderable scale points. Returns None when fewer than two units have two or more values
    (nothing to compare). Returns 1.0 when there is no observed disagreement (perfect agreement), including the
    degenerate case where every value is the same (where the expected disagreement is also 0).
    """
    pairable = [[v for v in u if v is not None and v != NA] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    if len(pairable) < 2:
        return None
    # Coincidence matrix: each ordered pair of values from different coders in a unit, weighted 1 / (m_u - 1).
    o: Counter[tuple[Any, Any]] = Counter()
    for u in pairable:
        w = 1.0 / (len(u) - 1)
        for a, b in permutations(u, 2):
            o[(a, b)] += w
    values = sorted({v for u in pairable for v in u})
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    index = {v: i for i, v in enumerate(values)}

    def delta2(c: Any, k: Any) -> float:
        lo, hi = sorted((index[c], index[k]))
        if lo == hi:
            return 0.0
        between = sum(n_c[values[g]] for g in range(lo, hi + 1))
        return (between - (n_c[c] + n_c[k]) / 2) ** 2

    d_o = sum(w * delta2(c, k) for (c, k), w in o.items()) / n
    if d_o == 0:
        return 1.0
    d_e = sum(n_c[c] * n_c[k] * delta2(c, k) for c in values for k in values) / (n * (n - 1))
    return 1.0 - d_o / d_e


def agreeing_pairs(values: Sequence[Hashable]) -> tuple[int, int]:
    """(agreeing, total) unordered pairs of answers in one unit; "na" is an answer like any other here."""
    pairs = [(a, b) for i, a in enumerate(values) for b in values[i + 1:]]
    return sum(1 for a, b in pairs if a == b), len(pairs)


def percent_agreement(units: Sequence[Sequence[Hashable]]) -> float | None:
    """Share of agreeing pairs of answers over all units, in percent; None when no unit has two answers."""
    agree = total = 0
    for u in units:
        a, t = agreeing_pairs([v for v in u if v is not None])
        agree, total = agree + a, total + t
    return None if total == 0 else 100.0 * agree / total


def spread(values: Sequence[Hashable]) -> dict[str, Any]:
    """How answers are spread: counts per answer (in answer order) and the range of numeric answers."""
    numeric = sorted(v for v in values if isinstance(v, int) and not isinstance(v, bool))
    return {"counts": sorted(Counter(values).items(), key=lambda kv: (isinstance(kv[0], str), kv[0])),
            "range": (numeric[-1] - numeric[0]) if numeric else None}


# --- the session --------------------------------------------------------------------------------------------

def assignments_of(session: Session, key: str) -> list[Assignment]:
    return list(session.scalars(select(Assignment).where(Assignment.calibration_key == key).options(
        joinedload(Assignment.transcript).joinedload(Transcript.agent), joinedload(Assignment.reviewer))
        .order_by(Assignment.transcript_id, Assignment.reviewer_id)).unique())


def _reviews(session: Session, assignments: list[Assignment]) -> dict[int, Review]:
    ids = [a.id for a in assignments]
    rows = session.scalars(select(Review).where(Review.assignment_id.in_(ids))) if ids else []
    return {r.assignment_id: r for r in rows if r.assignment_id is not None}


def may_view(session: Session, user: User, key: str) -> bool:
    """Blind: a participant sees results only once every one of their calibration reviews is submitted.
    Otherwise admins, and leads of every transcript's team."""
    assignments = assignments_of(session, key)
    if not assignments:
        return False
    mine = [a for a in assignments if a.reviewer_id == user.id]
    if mine:
        reviews = _reviews(session, mine)
        if any(a.id not in reviews or reviews[a.id].status not in DONE for a in mine):
            return False
        if user.role not in ("admin", "lead"):
            return True
    return may_decide(user, assignments)


def may_decide(user: User, assignments: list[Assignment]) -> bool:
    """Record the agreed answers: admins, and leads of every transcript's team."""
    if user.role == "admin":
        return True
    teams = {t.id for t in user.teams}
    return user.role == "lead" and bool(assignments) and all(a.transcript.team_id in teams for a in assignments)


@dataclass
class CriterionRow:
    key: str
    label: str
    scale: Any
    na_allowed: bool
    answers: dict[int, Any] = field(default_factory=dict)  # reviewer id -> value or "na" (submitted only)
    spread: dict[str, Any] = field(default_factory=dict)
    agreement: float | None = None
    consensus: str | None = None


@dataclass
class TranscriptResult:
    transcript: Transcript
    rows: list[CriterionRow]
    pending: list[User]


@dataclass
class Results:
    key: str
    document: Mapping[str, Any]
    reviewers: list[User]
    transcripts: list[TranscriptResult]
    alpha: dict[str, float | None]          # criterion key -> alpha across transcripts
    agreement: dict[str, float | None]      # criterion key -> percent agreement across transcripts

    def label(self, criterion_key: str, value: Any) -> str:
        if value == NA:
            return "N/A"
        c = next(c for c in criteria(self.document) if c["key"] == criterion_key)
        return dict(scoring.scale_points(c["scale"])).get(int(value), str(value))


def results(session: Session, key: str) -> Results:
    assignments = assignments_of(session, key)
    if not assignments:
        raise ServiceError("No such calibration session.")
    reviews = _reviews(session, assignments)
    version = next((a.rubric_version for a in assignments if a.rubric_version is not None), None)
    if version is None:
        raise ServiceError("This calibration session has no rubric.")
    document = version.document
    crits = criteria(document)
    consensus = {(c.transcript_id, c.criterion_key): c.value for c in session.scalars(
        select(CalibrationConsensus).where(CalibrationConsensus.calibration_key == key))}
    reviewers: dict[int, User] = {}
    by_transcript: dict[int, list[Assignment]] = {}
    for a in assignments:
        reviewers.setdefault(a.reviewer_id, a.reviewer)
        by_transcript.setdefault(a.transcript_id, []).append(a)
    out: list[TranscriptResult] = []
    units: dict[str, list[list[Any]]] = {c["key"]: [] for c in crits}
    for tid, group in by_transcript.items():
        done = [reviews[a.id] for a in group if a.id in reviews and reviews[a.id].status in DONE]
        pending = [a.reviewer for a in group if a.id not in reviews or reviews[a.id].status not in DONE]
        rows = []
        for c in crits:
            answers = {r.reviewer_id: r.answers[c["key"]] for r in done if c["key"] in r.answers}
            values = list(answers.values())
            units[c["key"]].append(values)
            a, t = agreeing_pairs(values)
            rows.append(CriterionRow(key=c["key"], label=c.get("label", c["key"]), scale=c["scale"],
                                     na_allowed=bool(c.get("na_allowed")), answers=answers, spread=spread(values),
                                     agreement=(100.0 * a / t) if t else None,
                                     consensus=consensus.get((tid, c["key"]))))
        out.append(TranscriptResult(transcript=group[0].transcript, rows=rows, pending=pending))
    return Results(key=key, document=document, reviewers=sorted(reviewers.values(), key=lambda u: u.id),
                   transcripts=out,
                   alpha={k: krippendorff_alpha_ordinal(u) for k, u in units.items()},
                   agreement={k: percent_agreement(u) for k, u in units.items()})


def record_consensus(session: Session, user: User, key: str, transcript_id: int,
                     raw: Mapping[str, str]) -> list[CalibrationConsensus]:
    """Store the agreed answer per criterion ({criterion key: "2" | "na" | ""}; blank leaves it unchanged)."""
    assignments = assignments_of(session, key)
    if not may_decide(user, assignments):
        raise PermissionError("Only admins and leads of the transcripts' teams record the agreed answers.")
    if transcript_id not in {a.transcript_id for a in assignments}:
        raise ServiceError("That transcript is not in this calibration session.")
    document = results(session, key).document
    known = {c["key"]: c for c in criteria(document)}
    saved = []
    for ckey, value in raw.items():
        if ckey not in known:
            raise ServiceError(f"{ckey} is not a criterion of this rubric.")
        if value in (None, ""):
            continue
        if value == NA:
            if not known[ckey].get("na_allowed"):
                raise ServiceError(f"{ckey} does not allow N/A.")
        else:
            try:
                value = str(scoring.point_value(known[ckey]["scale"], int(value)))
            except (TypeError, ValueError):
                raise ServiceError(f"{ckey}: {value!r} is not a point of the scale.") from None
        row = session.scalar(select(CalibrationConsensus).where(
            CalibrationConsensus.calibration_key == key, CalibrationConsensus.transcript_id == transcript_id,
            CalibrationConsensus.criterion_key == ckey))
        if row is None:
            row = CalibrationConsensus(calibration_key=key, transcript_id=transcript_id, criterion_key=ckey)
            session.add(row)
        row.value, row.decided_by_id, row.decided_at = value, user.id, utcnow()
        saved.append(row)
    session.flush()
    return saved

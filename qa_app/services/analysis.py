"""Run the analysis engine on stored transcripts, keep its results, and version the policy pack.

A stored analysis records the analyzer version and the policy-pack version it was made with; when either
changes, the analysis is stale and `flask qa reanalyze` (or `analyze --stored`) recomputes it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from qa_app import nlp
from qa_app.models import Flag, PolicyPack, ReviewFlagVerdict, Transcript, TranscriptAnalysis, User
from qa_app.services import audit
from qa_app.services.errors import ServiceError

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
BATCH_SIZE = 200


# --- policy pack versions -------------------------------------------------------------------------

@lru_cache(maxsize=8)
def parse_policy(content: str) -> nlp.PolicyPack:
    """Parsed packs are cached by their text: the active one is parsed once per process."""
    return nlp.load_policy(content)


def active_policy_row(session: Session) -> PolicyPack:
    """The active pack; the shipped default (rubrics/policy.yaml) becomes version 1 on first use."""
    row = session.scalar(select(PolicyPack).where(PolicyPack.active.is_(True)))
    if row is None:
        row = save_policy(session, nlp.default_policy_path().read_text(encoding="utf-8"),
                          note="shipped default (rubrics/policy.yaml)")
    return row


def active_policy(session: Session) -> tuple[PolicyPack, nlp.PolicyPack]:
    row = active_policy_row(session)
    return row, parse_policy(row.content)


def save_policy(session: Session, content: str, user: User | None = None, note: str = "") -> PolicyPack:
    """Validate `content` and make it the active version. Invalid YAML raises ServiceError and changes nothing.

    Saving text that parses to the active pack makes no new version.
    """
    try:
        parsed = parse_policy(content)
    except nlp.PolicyError as exc:
        raise ServiceError(str(exc)) from exc
    digest = nlp.policy_version(parsed)
    current = session.scalar(select(PolicyPack).where(PolicyPack.active.is_(True)))
    if current is not None and current.content_hash == digest:
        return current
    if current is not None:
        current.active = False
        session.flush()  # one active row at a time, even mid-transaction
    last = session.scalar(select(func.max(PolicyPack.version))) or 0
    row = PolicyPack(version=last + 1, content=content, content_hash=digest, company=parsed.company or "",
                     active=True, note=note[:500], created_by_id=user.id if user else None)
    session.add(row)
    session.flush()
    audit.record(session, user, "policy.version_created", row, details={"version": row.version, "note": note[:200]})
    return row


def policy_history(session: Session) -> list[PolicyPack]:
    return list(session.scalars(select(PolicyPack).order_by(PolicyPack.version.desc())))


def activate_policy_version(session: Session, version: int, user: User | None = None) -> PolicyPack:
    row = session.scalar(select(PolicyPack).where(PolicyPack.version == version))
    if row is None:
        raise ServiceError(f"Policy pack version {version} does not exist.")
    for other in session.scalars(select(PolicyPack).where(PolicyPack.active.is_(True))):
        other.active = False
    session.flush()
    row.active = True
    session.flush()
    audit.record(session, user, "policy.activated", row, details={"version": row.version})
    return row


# --- analysing stored transcripts -----------------------------------------------------------------

def transcript_payload(transcript: Transcript) -> dict:
    """The interchange-format view of a stored transcript that the engine reads."""
    return {
        "external_id": transcript.external_id,
        "messages": [
            {"role": m.role, "text": m.text, "sent_at": m.sent_at.isoformat() + "Z" if m.sent_at else None}
            for m in transcript.messages
        ],
    }


def stale_transcript_ids(session: Session, since: datetime | None = None, include_fresh: bool = False) -> list[int]:
    """Transcripts with no analysis, or one made by another analyzer or policy version."""
    _, policy = active_policy(session)
    query = select(Transcript.id).outerjoin(TranscriptAnalysis).order_by(Transcript.id)
    if not include_fresh:
        query = query.where(or_(
            TranscriptAnalysis.id.is_(None),
            TranscriptAnalysis.analyzer_version != nlp.ANALYZER_VERSION,
            TranscriptAnalysis.policy_version != nlp.policy_version(policy),
        ))
    if since is not None:
        query = query.where(Transcript.started_at >= since)
    return list(session.scalars(query))


def analyze_ids(session: Session, transcript_ids: Iterable[int], *, commit: Callable[[], None] | None = None,
                progress: Callable[[int], None] | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Analyze these transcripts with the active policy and store the results, batch by batch."""
    _, policy = active_policy(session)
    done = 0
    for chunk in _chunks(list(transcript_ids), batch_size):
        transcripts = list(session.scalars(
            select(Transcript).where(Transcript.id.in_(chunk)).options(selectinload(Transcript.messages))
            .order_by(Transcript.id)
        ))
        results = nlp.analyze_transcripts((transcript_payload(t) for t in transcripts), policy)
        _store_results(session, transcripts, list(results), nlp.policy_version(policy))
        done += len(transcripts)
        if commit is not None:
            commit()
        if progress is not None:
            progress(len(transcripts))
    return done


def after_import_batch(session: Session) -> Callable[[list[int]], None]:
    """The importer's on_batch hook: analyze what each batch created or updated, before that batch commits."""

    def run(transcript_ids: list[int]) -> None:
        if transcript_ids:
            analyze_ids(session, transcript_ids)

    return run


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _store_results(session: Session, transcripts: list[Transcript], results: list[dict], policy_hash: str) -> None:
    ids = [t.id for t in transcripts]
    # The old flags go with their analysis. Verdicts on them in reviews not yet published go too (the reviewer
    # judges the new flags; keeping both would count one finding twice); published reviews' verdicts stay as the
    # record the confirmation rate counts: detached (flag_id SET NULL), then linked to the new flag that points at
    # the very same words, when there is one.
    replaced = select(Flag.id).where(Flag.transcript_id.in_(ids))
    session.execute(delete(ReviewFlagVerdict).where(ReviewFlagVerdict.flag_id.in_(replaced),
                                                    ReviewFlagVerdict.published_at.is_(None)))
    kept = session.execute(select(ReviewFlagVerdict.id, ReviewFlagVerdict.review_id, *_FINDING)
                           .join(Flag, Flag.id == ReviewFlagVerdict.flag_id).where(Flag.transcript_id.in_(ids))).all()
    session.execute(delete(TranscriptAnalysis).where(TranscriptAnalysis.transcript_id.in_(ids)))
    analysis_rows = [_analysis_row(t, r, policy_hash) for t, r in zip(transcripts, results, strict=True)]
    if not analysis_rows:
        return
    returned = session.execute(
        insert(TranscriptAnalysis).returning(TranscriptAnalysis.id, TranscriptAnalysis.transcript_id,
                                             sort_by_parameter_order=True),
        analysis_rows,
    ).all()
    flag_rows = [
        _flag_row(analysis_id, transcript, flag)
        for (analysis_id, _), transcript, result in zip(returned, transcripts, results, strict=True)
        for flag in result["flags"]
    ]
    if flag_rows:
        session.execute(insert(Flag), flag_rows)
    if kept:
        _relink_verdicts(session, kept)
    for transcript in transcripts:  # their `analysis` was replaced behind the ORM's back by the bulk statements
        session.expire(transcript, ["analysis"])


# What makes a new flag the same finding as an old one: same chat, rule and words at the same place.
_FINDING = (Flag.transcript_id, Flag.rule, Flag.message_index, Flag.start, Flag.end, Flag.evidence)


def _relink_verdicts(session: Session, kept: list) -> None:
    """Point published reviews' verdicts (id, review_id, *finding) at the new flag of the same finding."""
    chats = {row[2] for row in kept}
    new_flags: dict[tuple, int] = {}
    for flag_id, *finding in session.execute(select(Flag.id, *_FINDING).where(Flag.transcript_id.in_(chats))
                                             .order_by(Flag.id)):
        new_flags.setdefault(tuple(finding), flag_id)
    links, taken = [], set()
    for verdict_id, review_id, *finding in kept:
        flag_id = new_flags.get(tuple(finding))
        if flag_id is not None and (review_id, flag_id) not in taken:  # one verdict per review and flag
            taken.add((review_id, flag_id))
            links.append({"id": verdict_id, "flag_id": flag_id})
    if links:
        session.execute(update(ReviewFlagVerdict), links)


def _analysis_row(transcript: Transcript, result: dict, policy_hash: str) -> dict:
    politeness = [m["politeness"] for m in result["messages"] if m.get("politeness") is not None]
    sentiment = [m["sentiment"] for m in result["messages"] if m.get("sentiment") is not None]
    return {
        "transcript_id": transcript.id,
        "started_at": transcript.started_at,
        "analyzer_version": nlp.ANALYZER_VERSION,
        "policy_version": policy_hash,
        "flag_count": len(result["flags"]),
        "max_severity": max((SEVERITY_RANK.get(f["severity"], 0) for f in result["flags"]), default=0),
        "mean_politeness": sum(politeness) / len(politeness) if politeness else None,
        "min_politeness": min(politeness) if politeness else None,
        "first_sentiment": sentiment[0] if sentiment else None,
        "last_sentiment": sentiment[-1] if sentiment else None,
        "message_scores": result["messages"],
    }


def _flag_row(analysis_id: int, transcript: Transcript, flag: dict) -> dict:
    return {
        "analysis_id": analysis_id, "transcript_id": transcript.id, "started_at": transcript.started_at,
        "rule": flag["rule"], "category": flag["category"], "severity": flag["severity"],
        "message_index": flag.get("message_index"),
        "start": flag.get("start"), "end": flag.get("end"), "evidence": flag.get("evidence"),
        "explanation": flag.get("explanation") or "", "suggestion": flag.get("suggestion"),
    }


def flags_for(session: Session, transcript_id: int) -> list[Flag]:
    return list(session.scalars(select(Flag).where(Flag.transcript_id == transcript_id)
                                .order_by(Flag.message_index, Flag.start)))

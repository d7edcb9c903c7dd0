"""Stored analysis: results and flags are kept, versions recorded, stale analyses found and recomputed."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from qa_app import nlp
from qa_app.models import Flag, PolicyPack, TranscriptAnalysis
from qa_app.services import analysis
from qa_app.services.errors import ServiceError
from qa_app.services.importing import import_records

RUDE_CHAT = [
    ("customer", "My order never arrived and I'm really upset, this is the third time I write."),
    ("agent", "Calm down. Refunds are possible within 60 days."),
]
CLEAN_CHAT = [
    ("customer", "Hi, can I change my delivery address?"),
    ("agent", "Hi Sam, thanks for reaching out! I have updated the address for you. Anything else I can help with?"),
]


def test_default_policy_becomes_version_one(session):
    row, parsed = analysis.active_policy(session)
    assert row.version == 1 and row.active
    assert parsed.company == row.company
    assert analysis.active_policy_row(session).id == row.id  # no second version on the next call


def test_analysis_is_stored_with_flags_pointing_at_the_words(session, make):
    transcript = make.transcript(make.agent(), texts=RUDE_CHAT)
    analysis.analyze_ids(session, [transcript.id])
    session.commit()
    stored = session.scalar(select(TranscriptAnalysis).where(TranscriptAnalysis.transcript_id == transcript.id))
    assert stored.analyzer_version == nlp.ANALYZER_VERSION
    rules = {f.rule for f in stored.flags}
    assert {"tone.dismissive", "accuracy.policy_fact"} <= rules
    for flag in stored.flags:
        if flag.message_index is not None:
            assert RUDE_CHAT[flag.message_index][1][flag.start:flag.end] == flag.evidence
    assert stored.max_severity >= 2
    assert stored.min_politeness is not None and stored.first_sentiment < 0


def test_reanalysis_replaces_rather_than_duplicates(session, make):
    transcript = make.transcript(make.agent(), texts=RUDE_CHAT)
    analysis.analyze_ids(session, [transcript.id])
    first = session.scalar(select(func.count(Flag.id)))
    analysis.analyze_ids(session, [transcript.id])
    assert session.scalar(select(func.count(Flag.id))) == first
    assert session.scalar(select(func.count(TranscriptAnalysis.id))) == 1


def test_stale_ids_follow_policy_changes(session, make):
    bad, good = make.transcript(make.agent(), texts=RUDE_CHAT), make.transcript(make.agent(), texts=CLEAN_CHAT)
    assert analysis.stale_transcript_ids(session) == [bad.id, good.id]
    analysis.analyze_ids(session, [bad.id, good.id])
    assert analysis.stale_transcript_ids(session) == []
    text = analysis.active_policy_row(session).content.replace('["30 days"]', '["60 days"]')
    assert text != analysis.active_policy_row(session).content
    analysis.save_policy(session, text, note="longer refunds")
    assert analysis.stale_transcript_ids(session) == [bad.id, good.id]
    analysis.analyze_ids(session, [bad.id])
    assert "accuracy.policy_fact" not in {f.rule for f in analysis.flags_for(session, bad.id)}


def test_invalid_policy_is_refused_and_old_version_stays(session):
    active = analysis.active_policy_row(session)
    with pytest.raises(ServiceError, match=r"line \d+: facts\[0\]\.kind"):
        analysis.save_policy(session, "company: X\nfacts:\n  - id: a\n    about: [x]\n    kind: weight\n    allowed: [1]\n")
    assert analysis.active_policy_row(session).id == active.id
    assert session.scalar(select(func.count(PolicyPack.id))) == 1


def test_saving_the_same_pack_makes_no_new_version(session):
    active = analysis.active_policy_row(session)
    assert analysis.save_policy(session, active.content + "\n# only a comment\n").id == active.id


def _chat_record(started_at: str, note: str = "") -> dict:
    return {"external_id": "W-1", "started_at": started_at, "agent": {"name": "Ana"},
            "messages": [{"role": role, "text": text + (note if role == "customer" else "")}
                         for role, text in RUDE_CHAT]}


def _copied_starts(session) -> set:
    return {*session.scalars(select(TranscriptAnalysis.started_at)), *session.scalars(select(Flag.started_at))}


def test_the_chats_start_is_copied_onto_its_analysis_and_flags_and_follows_a_reimport(session):
    """Flag trends filter on these copies (indexed); a changed chat keeps its old analysis until re-analysed (an
    import with --no-analyze), and its copies must still follow the new start."""
    first = import_records(session, [_chat_record("2026-03-02T10:00:00Z")], source="s")
    analysis.analyze_ids(session, first.transcript_ids)
    session.commit()
    assert session.scalar(select(func.count(Flag.id))) >= 2
    assert _copied_starts(session) == {datetime(2026, 3, 2, 10)}
    moved = import_records(session, [_chat_record("2026-04-06T09:30:00Z", note=" Still waiting.")], source="s")
    session.commit()
    assert moved.updated == 1
    session.expire_all()
    assert _copied_starts(session) == {datetime(2026, 4, 6, 9, 30)}

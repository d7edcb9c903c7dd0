"""Fixtures for the analysis engine tests (no app, no database)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_app.nlp import analyze_transcripts, default_policy_path, load_policy

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED = REPO_ROOT.parent / "shared" / "data"
LABELED = REPO_ROOT / "tests" / "data" / "labeled_chats.jsonl"


def corpus_transcripts(shared: bool = True) -> list[dict]:
    """Our labeled chats and, with `shared` and when present, the shared Twitter and ABCD chats: real texts for
    checking a fast path against the plain computation."""
    paths = [LABELED] + ([SHARED / "twitter-customer-care" / "dev.jsonl", SHARED / "abcd" / "sample.jsonl"]
                         if shared else [])
    return [json.loads(line) for path in paths if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_texts(shared: bool = True) -> list[str]:
    return [m.get("text") or "" for t in corpus_transcripts(shared) for m in t["messages"]]


@pytest.fixture(scope="session")
def policy():
    return load_policy(default_policy_path())


@pytest.fixture(scope="session")
def analyze(policy):
    """analyze(messages, **transcript_fields) -> result dict; messages as [(role, text), ...] or dicts."""
    def run(messages, pack=None, **fields):
        msgs = [m if isinstance(m, dict) else {"role": m[0], "text": m[1]} for m in messages]
        return next(analyze_transcripts([{"external_id": "T", "messages": msgs, **fields}], pack or policy))
    return run


@pytest.fixture(scope="session")
def rules_on(analyze):
    """rules_on(agent_text, customer_text=None) -> set of rules flagged on the agent message."""
    def run(agent_text, customer_text="Hi, I have a question about my order.", pack=None):
        result = analyze([("customer", customer_text), ("agent", agent_text)], pack=pack)
        return {f["rule"] for f in result["flags"] if f["message_index"] == 1}
    return run


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data ships beside the repo only in the dev/CI workspace)")
    return path

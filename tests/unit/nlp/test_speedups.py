"""The fast paths give exactly what the straightforward computation gives (property checks on real texts)."""
from __future__ import annotations

import json
import re

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from qa_app.nlp.analyze import policy_context
from qa_app.nlp.components import etiquette, politeness
from qa_app.nlp.components.sentiment import get_analyzer
from qa_app.nlp.pipeline import ensure_lemmas, get_nlp, pipe_lazy_lemmas, pipe_texts

from .conftest import REPO_ROOT

EDGE_CASES = ["", "   ", "NOT good", "GOOD but BAD", "kind of great", "no no", "the least bad", "sort of :) fine",
              "WOW!!! ugh", "Ok.", "order #12345", "I can't stand this", "😡 refund NOW", "Thanks -Sam",
              "İstanbul store, refunds?", "price-match on ground shipping", "Returned it yesterday ^JD"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    lines = (REPO_ROOT / "tests" / "data" / "labeled_chats.jsonl").read_text(encoding="utf-8").splitlines()
    out = [m.get("text") or "" for line in lines if line.strip() for m in json.loads(line)["messages"]]
    return out + EDGE_CASES


def test_vader_compound_matches_stock_vader(texts):
    stock, fast = SentimentIntensityAnalyzer(), get_analyzer()
    for text in texts:
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text
        assert fast.polarity_scores(text) == stock.polarity_scores(text), text


def test_politeness_strategy_gate_matches_plain_scan(texts):
    for text in texts:
        low = text.lower().replace("’", "'")
        words = politeness._WORD.findall(low)
        present, padded = set(words), " " + " ".join(words) + " "
        for words_, phrases, firsts in politeness._STRATEGIES:
            plain = not words_.isdisjoint(present) or any(p in padded for p in phrases)
            assert politeness._has_strategy(words_, phrases, firsts, present, padded) == plain, text


def test_greeting_and_closing_fast_path_matches_ignorecase(texts):
    for text in texts:
        assert etiquette.has_greeting(text) == bool(etiquette.GREETING_RE.search(text[:300])), text
        assert etiquette.has_closing(text) == bool(etiquette.CLOSING_RE.search(text[-400:])), text


def test_fact_term_screen_never_hides_a_match(policy, texts):
    facts = policy_context(policy).facts
    assert facts.screen, "the lookup lemmatizer's forms should be available"
    for doc in pipe_texts(texts):
        if not facts.may_match(doc):
            assert not facts.matcher(doc), doc.text


def test_lazy_lemmas_equal_pipeline_lemmas(texts):
    assert "lemmatizer" in get_nlp().pipe_names
    eager = [[t.lemma_ for t in d] for d in pipe_texts(texts)]
    lazy = [[t.lemma_ for t in ensure_lemmas(d)] for d in pipe_lazy_lemmas(texts)]
    assert lazy == eager


def test_unlemmatized_docs_are_marked(texts):
    doc = next(iter(pipe_lazy_lemmas(["Refunds take 5 days."])))
    assert doc.user_data.get("qa_lemmas_pending") is True
    assert ensure_lemmas(doc)[0].lemma_ == "refund" and "qa_lemmas_pending" not in doc.user_data


def test_fact_screen_includes_inflections(policy):
    screen = set(policy_context(policy).facts.screen)
    assert {"refund", "refunds", "refunded"} <= screen
    assert all(re.fullmatch(r"\S+", f) for f in screen)


def test_email_hint_is_implied_by_every_email_match(texts):
    from qa_app.nlp.components import compliance
    for text in texts + ["a@b.co", "x.y+z@mail.example.org", "@handle. ok", "me@localhost"]:
        if compliance.EMAIL_RE.search(text):
            assert compliance._EMAIL_HINT.search(text), text

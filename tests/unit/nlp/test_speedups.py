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


def test_politeness_word_cues_match_a_plain_token_loop(texts):
    """The hash-set lookups find exactly the strategies a per-token scan (plus the phrase matcher) finds."""
    anywhere = {politeness._INDEX[name] for name in politeness.ANYWHERE}
    person = {i for i, _ in politeness._extractor(next(iter(pipe_texts(["x"])))).person_words}
    for doc in pipe_texts(texts):
        ex = politeness._extractor(doc)
        plain = {i for t in doc for i in ex.anywhere.get(doc.vocab.strings[t.lower_], ())}
        phrases = {ex.phrase_index[m] for m, _, _ in ex.phrases(doc)}
        active, _ = politeness._active(doc)
        assert (active & anywhere) - person == (plain | phrases) - person, doc.text


def test_politeness_sentence_starts_match_a_plain_token_loop(texts):
    for doc in pipe_texts(texts + ["Hi!! @sam 123 thanks. why? ... so\nplease do", "!!! ?", "Ok...you there?"]):
        ex = politeness._extractor(doc)
        plain, at_start = [], True
        for t in doc:
            k = ex.kind(doc.vocab.strings[t.lower_])
            if k == politeness._BOUNDARY:
                at_start = True
            elif k == politeness._WORD and at_start:
                plain.append(t.lower_)
                at_start = False
        start_features = {politeness._INDEX[n] for n in politeness.START_WORDS}
        expected = {i for w in plain for i in ex.start.get(doc.vocab.strings[w], ())}
        assert politeness._active(doc)[0] & start_features == expected, doc.text


def test_first_sentence_equals_the_sentencizer(texts):
    from qa_app.nlp.pipeline import _first_sentence_slow, first_sentence_chars
    extra = ["", " ", ". . .", "Hi!!! there", "\n\nHello.  World", "...", "Hi.\n\n", "¿Qué? Sí.", "x。y", "  . Hi"]
    for text in texts + extra:
        fast_doc, slow_doc = next(iter(pipe_lazy_lemmas([text]))), next(iter(pipe_lazy_lemmas([text])))
        assert first_sentence_chars(fast_doc) == _first_sentence_slow(slow_doc), text


def test_link_hint_is_implied_by_every_link(texts):
    from qa_app.nlp.components import accuracy
    for text in texts + ["see WWW.Acme.example", "go to x.ly/abc", "HTTPS://a.b", "mail.google.COM"]:
        if accuracy.LINK_RE.search(text):
            assert "://" in text or accuracy._LINK_HINT.search(text), text


def test_vader_emoji_rewrite_matches_stock(texts):
    stock, fast = SentimentIntensityAnalyzer(), get_analyzer()
    for text in ["I love it 😀😀", "😡 refund NOW", "ok😀 fine", " 😀 great", "bad 👎🏻 service!!", "🙂", "❤️ thanks"]:
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text


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

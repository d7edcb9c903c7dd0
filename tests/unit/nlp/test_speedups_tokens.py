"""Token-side fast paths (batched hash caches, the Matcher screen, the shouting screen, politeness lookups) give
exactly what the straightforward computation gives."""
from __future__ import annotations

import math

import pytest

from qa_app.nlp import docs
from qa_app.nlp.components import politeness, tone
from qa_app.nlp.pipeline import get_nlp, make_doc, pipe_texts

from .conftest import corpus_texts

EDGE_CASES = ["", "   ", "x", "NOT good", "WOW!!! ugh", "Ok.", "Hi!! @sam 123 thanks. why? ... so\nplease do", "!!! ?",
              "Ok...you there?", "\n\nHello.  World", "İSTANBUL STORE HERE", "ÄÖÜ ÉÉ ÀÀ ok", "AB\u00e9CD EF",
              "AAAA BB", "AA BB CC", "you should have read it", "You've got to calm down", "you're so stupid",
              "As I said, deal with it.", "Deal with it. Whatever!", "that's your problem", "you must've typed it",
              "It's really not that hard", "you clearly did not read", "Calm down, please", "YOU ARE SO RUDE!!!"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return corpus_texts(shared=False) + EDGE_CASES


def test_batched_hash_caches_equal_a_token_loop(texts):
    """Batches with empty docs first, inside and last: each doc gets its own rows, no pair across two docs."""
    batch = ["", "a b"] + texts + ["", "c", ""]
    for doc in list(pipe_texts(batch, batch_size=7)) + [make_doc(t) for t in batch[:20]]:
        lows = [t.lower for t in doc]
        assert docs.lower_hashes(doc) == lows, doc.text
        assert docs.pair_keys(doc) == [docs.pair_key(a, b) for a, b in zip(lows, lows[1:])], doc.text
        assert docs.lower_set(doc) == set(lows)


def _plain_fitting(component, doc) -> list[int]:
    """The Matcher screen as a plain set test: the patterns every requirement of which meets the doc's hashes."""
    lows, norms = {t.lower for t in doc}, {t.norm for t in doc}
    return [i for i, needs in enumerate(component.pattern_needs)
            if len(doc) and all(not (lows if attr == "LOWER" else norms).isdisjoint(values) for attr, values in needs)]


def _plain_may_match(component, doc) -> bool:
    return bool(_plain_fitting(component, doc))


def test_matcher_screen_equals_the_set_test_and_never_hides_a_match(texts):
    """Per doc, the patterns the screen lets through are exactly those whose literals all occur, and a pattern it
    holds back never matches."""
    component = get_nlp().get_pipe("qa_tone")
    screened = 0
    for batch_size in (1, 5, 256):
        docs_ = [make_doc(t) for t in texts]
        for doc, fit in zip(docs_, [f for i in range(0, len(docs_), batch_size)
                                    for f in component.screen.fitting(docs_[i:i + batch_size])]):
            assert fit == _plain_fitting(component, doc), doc.text
            for i, matcher in enumerate(component.pattern_matchers):
                if i not in fit:
                    assert not matcher(doc), (doc.text, i)
            screened += not fit
    assert screened  # most texts are screened out


CAPITALS = ["The label was NOT attached", "I DIDN'T say that", "It DOESN’T work", "NOT-so", "(ALWAYS)", "NOTHING",
            "xNOT", "NOT2", "you need to CHECK it", "ISN'T it", "We ONLY ship on Monday", "DON'T", "N'T"]


def test_capital_word_screen_never_hides_a_match(texts):
    """A pattern that needs a word in capitals is skipped only when no token of the text can be one of its words."""
    component = get_nlp().get_pipe("qa_tone")
    caps_patterns = [i for i, words in enumerate(component.pattern_capitals) if words]
    assert caps_patterns
    checked = 0
    for text in texts + CAPITALS:
        doc = make_doc(text)
        words = tone._caps_words(text)
        for i in caps_patterns:
            if words.isdisjoint(component.pattern_capitals[i]):
                assert not component.pattern_matchers[i](doc), (text, i)
            else:
                checked += 1
    assert checked  # some texts do hold such a word


def test_matcher_screen_with_more_than_64_requirements():
    """Each requirement is a bit: past 64 they take a second uint64 word."""
    strings = get_nlp().vocab.strings
    words = [f"w{i}" for i in range(70)]
    needs = [tuple(("LOWER", frozenset({strings.add(w)})) for w in words[:66]),  # bits 0..65: both words
             (("LOWER", frozenset({strings.add("w0")})), ("NORM", frozenset({strings.add("w69")})))]
    screen = tone._MatcherScreen(needs)
    assert screen.words == 2
    texts = [" ".join(words[:66]), " ".join(words[:65]), "w0 w69", "w0", "W69 w0", ""]
    docs_ = [make_doc(t) for t in texts]

    class Component:  # what _plain_may_match reads
        pattern_needs = needs
    assert [bool(p) for p in screen.fitting(docs_)] == [_plain_may_match(Component, d) for d in docs_] == \
        [True, False, True, False, True, False]


def test_tone_pipe_equals_tone_per_doc(texts):
    nlp = get_nlp()
    piped = list(nlp.pipe(texts, batch_size=16))
    single = [nlp(t) for t in texts]

    def spans(doc):
        return [(s.start, s.end, s.label_, s.kb_id_) for s in doc.spans.get(tone.SPAN_KEY, [])]
    assert [spans(d) for d in piped] == [spans(d) for d in single]
    assert sum(1 for d in piped if spans(d)) > 10


def test_caps_pair_count_never_hides_three_caps_runs(texts):
    for text in texts:
        if len(tone._CAPS_RUN.findall(text)) >= 3:
            assert tone._caps_pairs(text) >= 3, text
    assert tone._caps_pairs("AB\ud800CD EF") == 3 and tone._caps_pairs("ÄÖÜ ÉÉ ÀÀ ok") == 0
    assert tone._caps_pairs("AAAA B") == 2


def _plain_sentence_starts(ex, lows):
    out, at_start = [], True
    for h in lows:
        k = ex.kind(h)
        if k == politeness._BOUNDARY:
            at_start = True
        elif k == politeness._WORD and at_start:
            out.append(h)
            at_start = False
    return out


def test_sentence_starts_equal_a_token_loop(texts):
    for doc in pipe_texts(texts):
        ex = politeness._extractor(doc)
        lows = docs.lower_hashes(doc)
        assert ex.sentence_starts(lows) == _plain_sentence_starts(ex, lows), doc.text


def _plain_score(doc) -> float:
    """politeness_score as first written: each table intersected with the doc's whole word set and pair list
    (the float sums must add in the same order to give the same bits)."""
    ex, text = politeness._extractor(doc), docs.doc_text(doc)
    if not text.strip():
        return 0.5
    lows, present = [t.lower for t in doc], {t.lower for t in doc}
    pairs = [docs.pair_key(a, b) for a, b in zip(lows, lows[1:])]
    active = set()
    for h in ex.word_keys.intersection(present):
        active.update(ex.words[h])
    if len(doc) > 1:
        active |= ex.phrase_features(lows, pairs, ex.phrase_pairs.intersection(pairs))
    starts = _plain_sentence_starts(ex, lows)
    for h in starts:
        active.update(ex.start.get(h, ()))
    for i, words in ex.person_words:
        if i in active and sum(lows.count(h) for h in present & words) <= sum(1 for h in starts if h in words):
            active.discard(i)
    q = text.count("?")
    if politeness._PLEASE in active and politeness._PLEASE_START not in active:
        active.add(politeness._PLEASE_NOT_START)
    if q and (politeness._SECOND in active or politeness._SECOND_START in active):
        active.add(politeness._QUESTION_WITH_SECOND)
    if not active.isdisjoint(politeness._REQUEST_IDX) and active.isdisjoint(politeness._SOFTENER_IDX):
        active.add(politeness._REQUEST_WITHOUT_SOFTENER)
    counts = [1.0 if q else 0.0, 1.0 if "!" in text else 0.0, min(q, 3) / 3.0, min(len(starts), 6) / 6.0,
              min(len(doc), 60) / 60.0]
    w = politeness.load_weights()
    first = politeness._FIRST_COUNT
    z = w["bias"] + sum(w["weights"][i] for i in active)
    z += sum(wi * c for wi, c in zip(w["weights"][first:first + len(counts)], counts))
    keys, weights = politeness._word_keys(), politeness._word_weights()
    found = list(keys.intersection(present)) + (list(keys.intersection(pairs)) if len(doc) > 1 else [])
    z += sum(weights[k] for k in found)
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)


# More distinct words than the n-gram table holds (set.intersection then iterates the table instead), many of them
# the model's.
MANY_WORDS = " ".join([g for g in politeness.load_weights()["words"] if " " not in g][:600] +
                      [f"{i:x}" for i in range(2700)])


def test_politeness_score_equals_the_plain_computation(texts):
    for doc in list(pipe_texts(texts)) + [make_doc(t) for t in texts[:30]] + [make_doc(MANY_WORDS)]:
        assert politeness.politeness_score(doc) == _plain_score(doc), doc.text[:80]


def test_kind_cache_is_bounded():
    ex = politeness._extractor(make_doc("x"))
    kinds = politeness._Kinds(ex._kind_of, max_size=3)
    lows = docs.lower_hashes(make_doc("Hi there . You ! ok"))
    assert list(map(kinds.__getitem__, lows)) == list(map(ex.kind, lows)) and len(kinds) <= 3

"""Politeness n-gram features: the runtime's hash keys see exactly the n-grams the fit script learned from, the
score is explained by its terms, and the fit learns its vocabulary from the training rows only."""
import json
import math

import numpy as np
import pytest

from qa_app.nlp.components import politeness
from qa_app.nlp.fit_politeness import WIKI_TOPIC_WORDS, doc_ngrams, make_estimator
from qa_app.nlp.pipeline import get_nlp

TEXTS = ["Hi Sam, thanks so much for your patience! Could you please send me the order number?",
         "Why didn't you read the email? Send the number.",
         "I'm sorry about that.\n\nWould you mind sharing a photo?  I appreciate it.",
         "What do you want??? Just check the tracking yourself!!",
         "could you could you COULD YOU", "?", "ok", "Thank you 😊 <b>so</b> much… really"]


def _shipped_words() -> dict:
    return politeness.load_weights().get("words") or {}


def test_shipped_model_has_unigrams_and_bigrams_and_no_wikipedia_topic_words():
    words = _shipped_words()
    assert any(" " in g for g in words) and any(" " not in g for g in words)
    assert not [g for g in words if set(g.split(" ")) & WIKI_TOPIC_WORDS]
    assert politeness.WEIGHTS_PATH.stat().st_size < 110_000
    assert json.loads(politeness.WEIGHTS_PATH.read_text())["cv_accuracy_10fold"] > 0.8379


def test_runtime_ngram_keys_find_exactly_the_fit_scripts_ngrams():
    vocab = _shipped_words()
    names = politeness._word_names()
    for doc in get_nlp().pipe(TEXTS):
        seen = {names[k].strip('"') for k in politeness._doc_ngram_keys(doc) & politeness._word_keys()}
        assert seen == set(doc_ngrams(doc)) & set(vocab), doc.text


def test_bigram_key_is_order_sensitive_and_differs_from_unigrams():
    assert politeness._ngram_key("could you") != politeness._ngram_key("you could")
    assert politeness._ngram_key("could you") != politeness._ngram_key("could")
    doc = get_nlp()("could you")
    assert politeness._ngram_key("could you") in politeness._doc_ngram_keys(doc)
    assert politeness._ngram_key("you could") not in politeness._doc_ngram_keys(doc)


def test_score_is_the_sigmoid_of_its_explained_terms():
    for doc in get_nlp().pipe(TEXTS):
        bias, terms = politeness._contributions(doc)
        z = bias + sum(v for _, v in terms)
        assert politeness.politeness_score(doc) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-3)


def test_explanation_names_what_moved_the_score():
    nlp = get_nlp()
    polite = politeness.politeness_explanation(nlp("Thank you so much, could you please check it?"), top=20)
    rude = politeness.politeness_explanation(nlp("Why didn't you read the email? Send the number."), top=20)
    assert ("gratitude", politeness.load_weights()["weights"][politeness._INDEX["gratitude"]]) in \
        [(n, pytest.approx(v, abs=1e-3)) for n, v in polite]
    assert any(n.startswith('"') for n, _ in polite)           # n-grams are quoted
    assert sum(v for _, v in polite) > sum(v for _, v in rude)
    values = [abs(v) for _, v in politeness.politeness_explanation(nlp(TEXTS[0]))]
    assert values == sorted(values, reverse=True) and len(values) == 5
    assert politeness.politeness_explanation(nlp("  ")) == []


def test_fit_learns_the_vocabulary_from_training_rows_only():
    grams = [frozenset({"please", "could you"}), frozenset({"please"}), frozenset({"now"}),
             frozenset({"now", "shut"}), frozenset({"secret"}), frozenset({"secret", "please"})]
    strategies = np.zeros((len(grams), 2))
    model = make_estimator(strategies, grams)(C=1.0, scale=1.0, min_df=2)
    model.fit(np.arange(4).reshape(-1, 1), np.array([1, 1, 0, 0]))
    assert model.vocab_ == ["now", "please"]      # "could you", "shut" once in training; "secret" only held out
    assert list(model.predict(np.array([[5], [3]]))) == [1, 0]


def test_doc_ngrams_skip_whitespace_and_stoplisted_words():
    doc = get_nlp()("Please  edit the article\nthanks")
    grams = doc_ngrams(doc)
    assert {"please", "the", "thanks"} <= grams
    assert not {"edit", "article", "the article", "edit the"} & grams
    assert not [g for g in grams if not g.strip() or "  " in g or "\n" in g]
    assert "article" in doc_ngrams(doc, stop=frozenset())

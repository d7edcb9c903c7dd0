"""Politeness score for agent messages from politeness strategies (Danescu-Niculescu-Mizil et al., ACL 2013).

The same `politeness_features` is used by fit_politeness.py (scikit-learn, dev only) and at run time, where the
score is sigmoid(w . x + b) with weights read from data/politeness_weights.json — no scikit-learn import here.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

WEIGHTS_PATH = Path(__file__).resolve().parents[1] / "data" / "politeness_weights.json"


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# Strategies found anywhere in the message.
ANYWHERE = {
    "gratitude": _rx(r"\b(?:thanks|thank you|thank u|thx|ty|appreciated?|appreciates|grateful)\b"),
    "apologizing": _rx(r"\b(?:sorry|apologi[sz]e\w*|apologies|excuse me|forgive me|pardon|my bad|my mistake|oops)\b"),
    "please": _rx(r"\b(?:please|pls|plz|kindly)\b"),
    "indirect_btw": _rx(r"\b(?:by the way|btw|incidentally)\b"),
    "hedges": _rx(r"\b(?:think|thought|believe|suggest|guess|might|perhaps|maybe|possibly|probably|seems?|seemed|"
                  r"appears?|somewhat|kind of|sort of|presumably|wonder(?:ing|ed)?|assume|suppose|likely|unlikely|"
                  r"fairly|apparently|i feel)\b"),
    "factuality": _rx(r"\b(?:in fact|actually|really|the point|the reality|the truth|certainly|clearly|obviously|"
                      r"definitely|of course|surely|indeed|honestly)\b"),
    "counterfactual_modal": _rx(r"\b(?:could|would|might) (?:you|u|we|it|i|they)\b"),
    "indicative_modal": _rx(r"\b(?:can|will|won't|can't|cant) (?:you|u)\b"),
    "greeting": _rx(r"\b(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening)|welcome)\b"),
    "first_person_plural": _rx(r"\b(?:we|our|ours|us|ourselves|we're|we've|we'll|we'd)\b"),
    "first_person": _rx(r"(?<!^)\b(?:i|my|mine|me|myself|i'm|i've|i'll|i'd)\b"),
    "second_person": _rx(r"(?<!^)\b(?:you|your|yours|yourself|u|ur|you're|you've|you'll|you'd)\b"),
    "obligation": _rx(r"\byou (?:must|need to|have to|should|had better|better)\b"),
    "negation": _rx(r"\b(?:not|never|no|n't|nothing|nobody|none)\b|n't\b"),
    "question": _rx(r"\?"),
    "exclamation": _rx(r"!"),
    "swearing": _rx(r"\b(?:fuck\w*|shit\w*|damn\w*|crap|hell|ass|bullshit|wtf|stupid|idiot\w*|moron\w*|dumb|"
                    r"ridiculous|pathetic)\b"),
}

# Strategies decided by the first word of a sentence.
START_WORDS = {
    "please_start": {"please", "pls", "plz", "kindly"},
    "deference_start": {"great", "good", "nice", "interesting", "cool", "excellent", "awesome", "wonderful",
                        "fantastic", "impressive", "brilliant"},
    "direct_question_start": {"what", "why", "who", "how", "where", "when", "which", "whats", "what's"},
    "direct_start": {"so", "then", "and", "but", "or", "also", "now"},
    "first_person_start": {"i", "my", "mine", "myself", "me", "i'm", "im", "i've", "i'll", "i'd"},
    "second_person_start": {"you", "your", "yours", "u", "ur", "you're", "youre", "you've", "you'll"},
    "imperative_start": {"do", "don't", "dont", "stop", "read", "check", "look", "try", "go", "give", "tell", "send",
                         "fix", "make", "see", "note", "remember", "use", "add", "put", "take", "find", "keep",
                         "get", "leave", "explain", "show", "answer", "provide"},
}

LEXICON_FEATURES = ("positive_lexicon", "negative_lexicon")
FEATURE_NAMES: tuple[str, ...] = tuple(ANYWHERE) + tuple(START_WORDS) + LEXICON_FEATURES


@lru_cache(maxsize=1)
def _lexicons() -> tuple[frozenset, frozenset]:
    """Positive / negative words from VADER's lexicon (|valence| >= 1.5), standing in for Liu's opinion lexicon."""
    from .sentiment import get_analyzer
    lex = get_analyzer().lexicon
    return (frozenset(w for w, v in lex.items() if v >= 1.5 and w.isalpha()),
            frozenset(w for w, v in lex.items() if v <= -1.5 and w.isalpha()))


# First word of each sentence (after @handles, #tags, numbers, punctuation). Text-based so it is cheap.
_SENTENCE_SPLIT = re.compile(r"[.!?\n]+")
_WORD_CHARS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_WORDS = re.compile(r"[a-z]+")


def _sentence_starts(text: str) -> set[str]:
    starts = set()
    for piece in _SENTENCE_SPLIT.split(text):
        for word in piece.split(None, 8):
            if word[0] in "@#<" or word[0].isdigit():
                continue
            m = _WORD_CHARS.match(word.lower().lstrip("\"'(*-•:;,[“‘"))
            if m:
                starts.add(m.group(0))
                break
    return starts


def politeness_features(doc: Doc) -> list[float]:
    """Binary strategy features in FEATURE_NAMES order (the same function at fit and run time)."""
    text = doc.text[:5000]
    values = [1.0 if rx.search(text) else 0.0 for rx in ANYWHERE.values()]
    starts = _sentence_starts(text)
    values += [1.0 if starts & words else 0.0 for words in START_WORDS.values()]
    pos, neg = _lexicons()
    words = set(_WORDS.findall(text.lower()))
    values += [1.0 if words & pos else 0.0, 1.0 if words & neg else 0.0]
    return values


def politeness_strategies(doc: Doc) -> list[str]:
    """Names of the strategies present, for explanations."""
    return [name for name, v in zip(FEATURE_NAMES, politeness_features(doc)) if v]


@lru_cache(maxsize=4)
def load_weights(path: str = str(WEIGHTS_PATH)) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if tuple(data["feature_names"]) != FEATURE_NAMES:
        raise ValueError(f"{path}: feature names differ from the extractor; re-run python -m qa_app.nlp.fit_politeness")
    return data


def politeness_score(doc: Doc) -> float:
    """Probability-like score in [0, 1]: sigmoid(w . x + b); 0.5 is neutral."""
    if not doc.text.strip():
        return 0.5
    w = load_weights()
    z = w["bias"] + sum(wi * xi for wi, xi in zip(w["weights"], politeness_features(doc)))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)

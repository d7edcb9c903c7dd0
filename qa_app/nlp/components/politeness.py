"""Politeness score for agent messages from politeness strategies (Danescu-Niculescu-Mizil et al., ACL 2013).

The same `politeness_features` is used by fit_politeness.py (scikit-learn, dev only) and at run time, where the
score is sigmoid(w . x + b) with weights read from data/politeness_weights.json — no scikit-learn import here.

Speed: the message is lower-cased and split into words once; each strategy is a set test on the words (or a
substring test for multi-word phrases) instead of one regex scan per strategy.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..docs import doc_text

WEIGHTS_PATH = Path(__file__).resolve().parents[1] / "data" / "politeness_weights.json"

# Strategies found anywhere in the message: single words and multi-word phrases (matched on whole words).
ANYWHERE = {
    "gratitude": "thanks|thank you|thank u|thank ya|thankyou|thx|ty|tks|appreciate|appreciated|appreciates|"
                 "appreciating|grateful|thankful|much obliged",
    "apologizing": "sorry|apologize|apologise|apologizes|apologises|apologized|apologised|apologizing|apologising|"
                   "apologies|apology|excuse me|forgive me|pardon|my bad|my mistake|oops|regret|"
                   "i'm afraid|i am afraid|unfortunately",
    "please": "please|pls|plz|kindly",
    "indirect_btw": "by the way|btw|incidentally",
    "hedges": "think|thought|believe|suggest|suggested|guess|might|perhaps|maybe|possibly|probably|seem|seems|"
              "seemed|appear|appears|somewhat|kind of|sort of|presumably|wonder|wondering|wondered|assume|suppose|"
              "likely|unlikely|fairly|apparently|i feel|a bit|a little|roughly|in my opinion|it looks like|"
              "could be|would be|not sure|i'm not sure",
    "factuality": "in fact|actually|really|the point|the reality|the truth|certainly|clearly|obviously|"
                  "definitely|of course|surely|indeed|honestly|literally|seriously",
    "counterfactual_modal": "could you|would you|might you|could we|would we|could it|would it|could i|would i|"
                            "could they|would they|could u|would u",
    "indicative_modal": "can you|will you|won't you|can't you|cant you|can u|will u",
    "indirect_request": "would you mind|do you mind|would it be possible|is it possible|i was wondering|"
                        "i wonder if|if you could|if possible|if you don't mind|when you get a chance|"
                        "when you have a moment|when you have time|whenever you can|at your convenience",
    "greeting": "hi|hello|hey|hiya|howdy|greetings|good morning|good afternoon|good evening|welcome|dear",
    "indirect_greeting": "hope you're well|hope you are well|hope you're doing well|hope all is well|"
                         "hope this finds you|hope you're having|hope you are having|how are you|nice to meet",
    "first_person_plural": "we|our|ours|us|ourselves|we're|we've|we'll|we'd",
    "first_person": "i|my|mine|me|myself|i'm|i've|i'll|i'd",
    "second_person": "you|your|yours|yourself|u|ur|you're|you've|you'll|you'd|ya",
    "obligation": "you must|you need to|you have to|you should|you had better|you better|you ought to|"
                  "you'll need to|you'll have to",
    "negation": "not|never|no|nothing|nobody|none|cannot",
    "swearing": "fuck|fucking|fucked|shit|shitty|damn|crap|hell|ass|bullshit|wtf|stupid|idiot|idiots|idiotic|"
                "moron|morons|dumb|ridiculous|pathetic|nonsense|absurd|silly|lame|sucks",
    "agreement": "agree|agreed|good point|fair point|you're right|you are right|makes sense|exactly",
    "help_offer": "happy to|glad to|let me|i can help|i'd be happy|i would be happy|feel free",
}

# Strategies decided by the first word of a sentence.
START_WORDS = {
    "please_start": {"please", "pls", "plz", "kindly"},
    "deference_start": {"great", "good", "nice", "interesting", "cool", "excellent", "awesome", "wonderful",
                        "fantastic", "impressive", "brilliant", "congrats", "congratulations", "wow"},
    "direct_question_start": {"what", "why", "who", "how", "where", "when", "which", "whats", "what's", "why's",
                              "how's", "where's", "who's"},
    "direct_start": {"so", "then", "and", "but", "or", "also", "now"},
    "first_person_start": {"i", "my", "mine", "myself", "me", "i'm", "im", "i've", "i'll", "i'd"},
    "first_person_plural_start": {"we", "our", "we're", "we've", "we'll", "we'd", "let's", "lets"},
    "second_person_start": {"you", "your", "yours", "u", "ur", "you're", "youre", "you've", "you'll"},
    "yes_no_question_start": {"do", "does", "did", "are", "is", "have", "has", "were", "was", "don't", "didn't",
                              "doesn't", "aren't", "isn't", "haven't"},
    "imperative_start": {"do", "don't", "dont", "stop", "read", "check", "look", "try", "go", "give", "tell", "send",
                         "fix", "make", "see", "note", "remember", "use", "add", "put", "take", "find", "keep",
                         "get", "leave", "explain", "show", "answer", "provide", "quit", "just"},
}

LEXICON_FEATURES = ("positive_lexicon", "negative_lexicon")
# Counts (capped, scaled to [0, 1]) where repetition carries signal: several questions read as interrogation.
COUNT_FEATURES = ("question", "exclamation", "question_count", "sentence_count")
FEATURE_NAMES: tuple[str, ...] = (tuple(ANYWHERE) + tuple(START_WORDS) + LEXICON_FEATURES + COUNT_FEATURES +
                                  ("please_not_start",))


def _compile(spec: str) -> tuple[frozenset, tuple, frozenset]:
    """'a|b c' -> single words {a}, padded phrases (' b c ',), phrase first words {b}."""
    words, phrases = set(), []
    for p in spec.split("|"):
        (phrases.append(f" {p} ") if " " in p else words.add(p))
    return frozenset(words), tuple(phrases), frozenset(p.split()[0] for p in phrases)


def _has_strategy(words: frozenset, phrases: tuple, firsts: frozenset, present: set, padded: str) -> bool:
    # A phrase can only occur in `padded` when its first word is one of the message's words: that set test
    # skips the substring scans for almost every strategy.
    return not words.isdisjoint(present) or (not firsts.isdisjoint(present) and any(p in padded for p in phrases))


_STRATEGIES = tuple(_compile(spec) for spec in ANYWHERE.values())


@lru_cache(maxsize=1)
def _lexicons() -> tuple[frozenset, frozenset]:
    """Positive / negative words from VADER's lexicon (|valence| >= 1.5), standing in for Liu's opinion lexicon."""
    from .sentiment import get_analyzer
    lex = get_analyzer().lexicon
    return (frozenset(w for w, v in lex.items() if v >= 1.5 and w.isalpha()),
            frozenset(w for w, v in lex.items() if v <= -1.5 and w.isalpha()))


_SENTENCE_SPLIT = re.compile(r"[.!?\n]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# First word of each sentence, skipping @handles, #tags, <tags>, numbers and opening punctuation.
_START = re.compile(r"(?:^|[.!?\n])[\s\"'(*\-•:;,\[“‘]*(?:(?:[@#<]\S*|\d\S*)\s+[\s\"'(*\-•:;,\[“‘]*)*([a-z]+(?:'[a-z]+)?)")


def politeness_features(doc: Doc) -> list[float]:
    """Strategy features in FEATURE_NAMES order (the same function at fit and run time)."""
    low = doc_text(doc)[:5000].lower().replace("’", "'")
    words = _WORD.findall(low)
    present = set(words)
    padded = " " + " ".join(words) + " "
    values = [1.0 if _has_strategy(*strategy, present, padded) else 0.0 for strategy in _STRATEGIES]
    if words and low.startswith(words[0]) and words[0] not in words[1:]:
        for i in _PERSON:  # "I ..." / "You ..." opening the message is the *_start strategy, not this one
            values[i] = 1.0 if not _STRATEGIES[i][0].isdisjoint(words[1:]) else 0.0
    values[_NEGATION] = max(values[_NEGATION], 1.0 if "n't" in low else 0.0)
    starts = set(_START.findall(low))
    values += [1.0 if not starts.isdisjoint(ws) else 0.0 for ws in START_WORDS.values()]
    pos, neg = _lexicons()
    values += [1.0 if not present.isdisjoint(pos) else 0.0, 1.0 if not present.isdisjoint(neg) else 0.0]
    n_sent = sum(1 for piece in _SENTENCE_SPLIT.split(low) if piece.strip())
    values += [1.0 if "?" in low else 0.0, 1.0 if "!" in low else 0.0, min(low.count("?"), 3) / 3.0,
               min(n_sent, 6) / 6.0]
    values.append(1.0 if values[_PLEASE] and not values[_PLEASE_START] else 0.0)
    return values


_NEGATION = FEATURE_NAMES.index("negation")
_PERSON = (FEATURE_NAMES.index("first_person"), FEATURE_NAMES.index("second_person"))
_PLEASE = FEATURE_NAMES.index("please")
_PLEASE_START = FEATURE_NAMES.index("please_start")


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
    if not doc_text(doc).strip():
        return 0.5
    w = load_weights()
    z = w["bias"] + sum(wi * xi for wi, xi in zip(w["weights"], politeness_features(doc)))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)

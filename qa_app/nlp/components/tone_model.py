"""A learned second opinion on tone: logistic regression over word uni/bigrams of an agent message.

The rules in rubrics/tone.yaml name constructions; rude agents find endless other phrasings ("Knock yourself out.",
"That's it.", "Go for it."). This model, fitted by `python -m qa_app.nlp.fit_tone` on the labeled chats in
tests/data, flags a message the rules left alone when its probability of being rude reaches the threshold set in
tone.yaml's `model:` section. Its evidence is the sentence that carries most of the score, and the explanation
names the words that weighed most.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_DIGITS = re.compile(r"\d+")
_CLITICS = frozenset({"n't", "'s", "'re", "'m", "'ll", "'ve", "'d", "’s", "’re", "’m", "’ll", "’ve", "’d", "n’t"})


def token_keys(tokens) -> list[str]:
    """Lower-case tokens of a Doc or Span, digit runs as "0" (amounts and ids are not tone), spaces dropped."""
    return [t.lower_ if t.is_alpha else _DIGITS.sub("0", t.lower_) for t in tokens if not t.is_space]


def _is_function_word(word: str) -> bool:
    return word in STOP_WORDS or word in _CLITICS or not any(c.isalnum() for c in word)


def ngrams(words: list[str]) -> list[str]:
    """Unigrams and bigrams ("first second") of the words, except function words and punctuation on their own: alone
    they mark the style of whoever wrote the training chats ("you", "n't", "."), not rudeness, and flagged polite
    requests of another domain (Wikipedia) twice as often."""
    function = [_is_function_word(w) for w in words]
    return [w for w, f in zip(words, function) if not f] + \
        [f"{a} {b}" for a, b, fa, fb in zip(words, words[1:], function, function[1:]) if not (fa and fb)]


@dataclass(frozen=True)
class ToneModel:
    weights: dict
    bias: float
    threshold: float
    id: str
    severity: str
    explanation: str
    suggestion: str

    def probability(self, tokens) -> float:
        """Of a Doc, a Span or a list of tokens."""
        z = self.bias + sum(self.weights.get(g, 0.0) for g in set(ngrams(token_keys(tokens))))
        return 1.0 / (1.0 + math.exp(-z))

    def evidence(self, doc: Doc, sentences) -> tuple[int, int, list[str]]:
        """(start_char, end_char) of the sentence that scores highest, and its strongest rude n-grams."""
        best, best_score, cues = None, -math.inf, []
        for sent in sentences:
            grams = set(ngrams(token_keys(sent)))
            score = sum(self.weights.get(g, 0.0) for g in grams)
            if score > best_score:
                best, best_score = sent, score
                cues = sorted((g for g in grams if self.weights.get(g, 0.0) > 0),
                              key=lambda g: -self.weights[g])[:3]
        if best is None:
            return 0, len(doc.text), []
        return best.start_char, best.end_char, cues


@lru_cache(maxsize=4)
def load_model(config_json: str) -> ToneModel | None:
    """The model described by tone.yaml's `model:` section (passed as JSON to be cacheable); None when absent."""
    config = json.loads(config_json)
    if not config or not config.get("weights"):
        return None
    path = Path(config["weights"])
    data = json.loads((path if path.is_absolute() else DATA_DIR / path).read_text(encoding="utf-8"))
    return ToneModel(weights=data["weights"], bias=float(data["bias"]), threshold=float(config.get("threshold", 0.7)),
                     id=config.get("id", "tone.unfriendly"), severity=config.get("severity", "low"),
                     explanation=config.get("explanation", "Reads as unfriendly."),
                     suggestion=config.get("suggestion", ""))

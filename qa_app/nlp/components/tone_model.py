"""A learned second opinion on tone: logistic regression over word uni/bigrams of an agent message.

The rules in rubrics/tone.yaml name constructions; rude agents find endless other phrasings ("Knock yourself out.",
"Not sure what else you want from us."). This model, fitted by `python -m qa_app.nlp.fit_tone` on the labeled chats
in tests/data, flags a message the rules left alone when its probability of being rude reaches the threshold set in
tone.yaml's `model:` section. Its evidence is the sentence that carries most of the score, and the explanation
names the words that weighed most.

Features: lower-case unigrams and adjacent-token bigrams ("first second"), without the few words the rules judge by
position ("calm down"). A function word or punctuation mark never counts alone (alone they mark the style of
whoever wrote the training chats - "you", "n't", "." - not rudeness, and they flagged polite requests of another
domain, Wikipedia, twice as often); a pair of them does ("you should", "did you", "as i", "not my": on unseen chats
they lifted the model's recall by a fifth at the same precision, README). Words with digits (amounts, ids) and
whitespace never count. At run time the features are the tokens' lower-case hashes
and the pair keys of adjacent tokens, already computed for the batch (..docs), so scoring is two set
intersections.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..docs import lower_set, pair_key, pair_keys

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_CLITICS = frozenset({"n't", "'s", "'re", "'m", "'ll", "'ve", "'d", "’s", "’re", "’m", "’ll", "’ve", "’d", "n’t"})


def function_word(word: str) -> bool:
    return word in STOP_WORDS or word in _CLITICS or not any(c.isalnum() for c in word)


# Words whose rudeness depends on where they stand, which the rules judge: "Calm down." is rude, "once things calm
# down" is not. Learned from the chats they only say "rude", so the model leaves them (and their bigrams) out.
_JUDGED_BY_RULES = frozenset({"calm", "relax", "chill"})


def usable_word(word: str) -> bool:
    return not word.isspace() and word != "" and not any(c.isdigit() for c in word) and word not in _JUDGED_BY_RULES


def ngrams(tokens) -> list[str]:
    """The features of a Doc, a Span or a list of tokens (a bigram only of tokens adjacent in the doc)."""
    tokens = list(tokens)
    words = [t.lower_ for t in tokens]
    usable = [usable_word(w) for w in words]
    function = [function_word(w) for w in words]
    grams = [w for w, u, f in zip(words, usable, function) if u and not f]
    for i in range(len(tokens) - 1):
        if usable[i] and usable[i + 1] \
                and tokens[i + 1].i == tokens[i].i + 1:
            grams.append(f"{words[i]} {words[i + 1]}")
    return grams


@dataclass(frozen=True)
class LearnedModel:
    """What a tone.yaml model section and its weights file give: the weights and the flag it raises."""
    weights: dict                 # n-gram -> weight ("first second" for bigrams)
    bias: float
    threshold: float
    id: str
    severity: str
    explanation: str
    suggestion: str
    unless: tuple = ()            # lower-case phrases whose presence in the flagged sentence cancels the flag


@dataclass(frozen=True)
class ToneModel(LearnedModel):
    unigram_hashes: dict = field(default_factory=dict)   # lower-case hash -> weight
    bigram_keys: dict = field(default_factory=dict)      # docs.pair_key of the two hashes -> weight
    unigram_set: frozenset = frozenset()                  # their keys (frozenset.intersection is the fastest test)
    bigram_set: frozenset = frozenset()

    def probability(self, doc: Doc) -> float:
        """Of a whole message, from the batch's cached token hashes."""
        uni, bi = self.unigram_hashes, self.bigram_keys
        z = self.bias + sum(map(uni.__getitem__, self.unigram_set.intersection(lower_set(doc)))) + \
            sum(map(bi.__getitem__, self.bigram_set.intersection(pair_keys(doc))))
        return _sigmoid(z)

    def probability_of(self, tokens) -> float:
        """Of some of a message's tokens (its own words, without quotes)."""
        return _sigmoid(self.bias + sum(self.weights.get(g, 0.0) for g in set(ngrams(tokens))))

    def evidence(self, doc: Doc, sentences) -> tuple[int, int, list[str]]:
        """(start_char, end_char) of the sentence that scores highest, and its strongest rude n-grams."""
        best, best_score, cues = None, -math.inf, []
        for sent in sentences:
            grams = set(ngrams(sent))
            score = sum(self.weights.get(g, 0.0) for g in grams)
            if score > best_score:
                best, best_score = sent, score
                cues = sorted((g for g in grams if self.weights.get(g, 0.0) > 0),
                              key=lambda g: (-self.weights[g], g))[:3]  # ties by name: the same list every run
        if best is None:
            return 0, len(doc.text), []
        return best.start_char, best.end_char, cues


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def hash_tables(weights: dict) -> tuple[dict, dict]:
    # The StringStore's key (get_string_id), not spacy.strings.hash_string: a few words ("number", "id") are spaCy
    # symbols, and their LOWER is the symbol's id.
    uni, bi = {}, {}
    for gram, w in weights.items():
        first, _, second = gram.partition(" ")
        if second:
            bi[pair_key(get_string_id(first), get_string_id(second))] = w
        else:
            uni[get_string_id(first)] = w
    return uni, bi


def read_weights(name: str) -> tuple[dict, float]:
    """(n-gram -> weight, bias) of a weights file written by a fit script: in qa_app/nlp/data/, or an absolute path."""
    path = Path(name)
    data = json.loads((path if path.is_absolute() else DATA_DIR / path).read_text(encoding="utf-8"))
    return {g: float(w) for g, w in data["weights"].items()}, float(data["bias"])


def read_section(config_json: str) -> tuple[dict, dict, float] | None:
    """(settings, weights, bias) of a tone.yaml model section passed as JSON; None when absent or without weights."""
    config = json.loads(config_json)
    if not config or not config.get("weights"):
        return None
    return config, *read_weights(config["weights"])


@lru_cache(maxsize=4)
def load_model(config_json: str) -> ToneModel | None:
    """The model described by tone.yaml's `model:` section (passed as JSON to be cacheable); None when absent."""
    if (section := read_section(config_json)) is None:
        return None
    config, weights, bias = section
    uni, bi = hash_tables(weights)
    return ToneModel(weights=weights, bias=bias, threshold=float(config.get("threshold", 0.7)),
                     id=config.get("id", "tone.unfriendly"), severity=config.get("severity", "low"),
                     explanation=config.get("explanation", "Reads as unfriendly."),
                     suggestion=config.get("suggestion", ""),
                     unless=tuple(str(p).lower() for p in config.get("unless_sentence_has") or ()),
                     unigram_hashes=uni, bigram_keys=bi,
                     unigram_set=frozenset(uni), bigram_set=frozenset(bi))

"""Politeness score for agent messages from politeness strategies (Danescu-Niculescu-Mizil et al., ACL 2013).

The same `politeness_features` is used by fit_politeness.py (scikit-learn, dev only) and at run time, where the
score is sigmoid(w . x + b) with weights read from data/politeness_weights.json — no scikit-learn import here.
Besides the strategies the model carries weights for lower-case unigrams and bigrams learned from the training
requests ("words" in the file; Wikipedia topic words excluded), as in the paper's "linguistically informed" model.
`politeness_explanation` lists the strategies and n-grams that moved a message's score.

Speed: strategies are read off the doc's tokens in one pass. Single-word cues are a set intersection of the
tokens' lower-case hashes (one `to_array` call, no per-token Python objects); multi-word cues ("could you",
"by the way") are looked up by their first two tokens among the doc's adjacent-pair keys, which the bigram
features need anyway (computed with the hashes, for a whole batch of docs at once); sentence-start cues look only
at the first word of each sentence, found by a regex over the tokens' kinds (one byte per token).
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..docs import doc_text, lower_hashes, lower_set, pair_key, pair_keys

WEIGHTS_PATH = Path(__file__).resolve().parents[1] / "data" / "politeness_weights.json"

# Strategies found anywhere in the message ('|'-separated; entries of several tokens are matched as phrases).
ANYWHERE = {
    "gratitude": "thanks|thank|thankyou|thx|ty|tks|appreciate|appreciated|appreciates|appreciating|appreciation|"
                 "grateful|thankful|much obliged",
    "apologizing": "sorry|apologize|apologise|apologizes|apologises|apologized|apologised|apologizing|apologising|"
                   "apologies|apology|oops|whoops|woops|regret|regrets|excuse me|forgive me|pardon me|pardon|"
                   "my bad|my mistake|my fault|i'm afraid|i am afraid",
    "please": "please|pls|plz|kindly",
    "indirect_btw": "btw|incidentally|by the way",
    "hedges": "think|thought|believe|suggest|suggested|suggestion|guess|might|perhaps|maybe|possibly|probably|"
              "seem|seems|seemed|appear|appears|appeared|somewhat|presumably|wonder|wondering|wondered|assume|"
              "assuming|suppose|supposed|likely|unlikely|apparently|generally|usually|mostly|roughly|"
              "approximately|tend|tends|fairly|rather|kind of|sort of|a bit|a little|not sure|i feel|"
              "in my opinion|it looks like|could be|would be|if i understand|as far as i know|i wonder",
    "factuality": "actually|really|certainly|clearly|obviously|definitely|surely|indeed|honestly|literally|"
                  "seriously|truly|frankly|in fact|the point is|the reality is|the truth is|of course|"
                  "the fact is|in reality",
    "counterfactual_modal": "could you|would you|might you|could we|would we|could it|would it|could i|would i|"
                            "could they|would they|could u|would u|could someone|would someone|could anyone|"
                            "would anyone",
    "indicative_modal": "can you|will you|won't you|can't you|cant you|can u|will u|can someone|can anyone|"
                        "will someone|will anyone",
    "indirect_request": "would you mind|do you mind|would it be possible|is it possible|i was wondering|"
                        "i wonder if|if you could|if possible|if you don't mind|when you get a chance|"
                        "when you have a moment|when you have time|whenever you can|at your convenience|"
                        "if you have time|if you get a chance|if you have a moment|would you be willing|"
                        "would you be able|be able to|would love|would appreciate|i'd appreciate",
    "greeting": "hi|hello|hey|hiya|howdy|greetings|dear|good morning|good afternoon|good evening",
    "indirect_greeting": "hope you're well|hope you are well|hope you're doing well|hope all is well|"
                         "hope this finds you|hope you're having|hope you are having|how are you|nice to meet|"
                         "welcome back|welcome",
    "first_person_plural": "we|our|ours|us|ourselves|let's",
    "first_person": "i|my|mine|me|myself",
    "second_person": "you|your|yours|yourself|yourselves|u|ur|ya|y'all",
    "obligation": "you must|you need to|you have to|you should|you had better|you better|you ought to|"
                  "you'll need to|you'll have to|you will need to|you will have to|you needed to|you had to",
    "negation": "not|never|no|nothing|nobody|none|nowhere|neither|nor|n't|nt",
    "swearing": "fuck|fucking|fucked|shit|shitty|damn|crap|hell|ass|bullshit|wtf|stupid|idiot|idiots|idiotic|"
                "moron|morons|dumb|ridiculous|pathetic|nonsense|absurd|silly|lame|sucks|stupidity|bs|"
                "ignorant|incompetent|useless|garbage|rubbish",
    "agreement": "agree|agreed|good point|fair point|you're right|you are right|makes sense|fair enough|"
                 "sounds good|good idea|great idea",
    "help_offer": "happy to|glad to|let me|i can help|i'd be happy|i would be happy|feel free|i'll|i will|"
                  "i can|we can|we'll|we will",
    "accusation": "you did|you didn't|you have not|you haven't|you never|you always|you keep|you were|you are|"
                  "you're|why did you|why didn't you|why do you|why are you|why would you|why is|why was",
    "reason": "because|since|so that|in order to|the reason|due to",
    "time_pressure": "asap|immediately|right now|urgent|urgently|now|again|already|yet",
}

# Strategies decided by the first word of a sentence.
START_WORDS = {
    "please_start": {"please", "pls", "plz", "kindly"},
    "deference_start": {"great", "good", "nice", "interesting", "cool", "excellent", "awesome", "wonderful",
                        "fantastic", "impressive", "brilliant", "congrats", "congratulations", "wow", "thanks",
                        "thank"},
    "greeting_start": {"hi", "hello", "hey", "hiya", "howdy", "greetings", "dear"},
    "direct_question_start": {"what", "who", "where", "when", "which", "whats", "what's", "where's", "who's"},
    "why_start": {"why", "why's", "whats"},
    "how_start": {"how", "how's"},
    "direct_start": {"so", "then", "and", "but", "or", "also", "now"},
    "first_person_start": {"i", "my", "mine", "myself", "me", "im"},
    "first_person_plural_start": {"we", "our", "let"},
    "second_person_start": {"you", "your", "yours", "u", "ur", "youre"},
    "yes_no_question_start": {"do", "does", "did", "are", "is", "have", "has", "were", "was", "should", "shall"},
    "modal_start": {"can", "could", "would", "will", "may", "might", "ca", "wo"},
    "conditional_start": {"if", "unless", "when", "once"},
    "hedge_start": {"perhaps", "maybe", "possibly", "probably", "hopefully", "ideally"},
    "imperative_start": {"don't", "dont", "stop", "read", "check", "look", "try", "go", "give", "tell", "send",
                         "fix", "make", "see", "note", "remember", "use", "add", "put", "take", "find", "keep",
                         "get", "leave", "explain", "show", "answer", "provide", "quit", "just", "change", "revert",
                         "delete", "remove", "move", "let", "consider"},
}

LEXICON_FEATURES = ("positive_lexicon", "negative_lexicon")
# Counts (capped, scaled to [0, 1]) where repetition carries signal: several questions read as interrogation.
COUNT_FEATURES = ("question", "exclamation", "question_count", "sentence_count", "length")
DERIVED_FEATURES = ("please_not_start", "question_with_second_person", "request_without_softener")
FEATURE_NAMES: tuple[str, ...] = (tuple(ANYWHERE) + tuple(START_WORDS) + LEXICON_FEATURES + COUNT_FEATURES +
                                  DERIVED_FEATURES)
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}
# Person features count only words that do not open a sentence ("I ..." / "You ..." are the *_start features).
_PERSON_PAIRS = (("first_person", "first_person_start"), ("second_person", "second_person_start"))
_SOFTENERS = ("please", "counterfactual_modal", "indirect_request", "gratitude", "apologizing", "hedges")
_REQUESTS = ("indicative_modal", "imperative_start", "obligation", "why_start", "direct_question_start")

_BOUNDARY, _SKIP, _WORD = 1, 2, 0
_POSITIVE, _NEGATIVE = _INDEX["positive_lexicon"], _INDEX["negative_lexicon"]
_PLEASE, _PLEASE_START, _PLEASE_NOT_START = _INDEX["please"], _INDEX["please_start"], _INDEX["please_not_start"]
_SECOND, _SECOND_START = _INDEX["second_person"], _INDEX["second_person_start"]
_QUESTION_WITH_SECOND = _INDEX["question_with_second_person"]
_REQUEST_WITHOUT_SOFTENER = _INDEX["request_without_softener"]
_REQUEST_IDX = frozenset(_INDEX[n] for n in _REQUESTS)
_SOFTENER_IDX = frozenset(_INDEX[n] for n in _SOFTENERS)


class _Extractor:
    """Per-vocab lookup tables: lower-case hash -> feature indices; phrases of several tokens by their first pair."""

    def __init__(self, nlp):
        strings = nlp.vocab.strings
        self.strings = strings
        self.anywhere: dict[int, tuple[int, ...]] = {}
        self.start: dict[int, tuple[int, ...]] = {}
        # Phrases are found through the adjacent-pair keys the n-gram model computes anyway (one set intersection)
        # instead of a PhraseMatcher call per doc: first pair key -> [(the phrase's hashes, feature index)].
        self.phrases_by_pair: dict[int, list[tuple[list[int], int]]] = {}
        for name, spec in ANYWHERE.items():
            for entry in spec.split("|"):
                words = [strings.add(t.lower_) for t in nlp.make_doc(entry)]
                if len(words) == 1:
                    self._add(self.anywhere, words[0], _INDEX[name])
                else:
                    self.phrases_by_pair.setdefault(pair_key(words[0], words[1]), []).append((words, _INDEX[name]))
        self.phrase_pairs = frozenset(self.phrases_by_pair)
        for name, words in START_WORDS.items():
            for w in words:
                self._add(self.start, strings.add(nlp.make_doc(w)[0].lower_), _INDEX[name])
        self.person_words = tuple((_INDEX[name], frozenset(h for h, fs in self.anywhere.items() if _INDEX[name] in fs))
                                  for name, _ in _PERSON_PAIRS)
        self.kinds = _Kinds(self._kind_of)
        pos, neg = _lexicons()
        # Single words of every kind in one table: one intersection with the doc's words finds them all.
        self.words = dict(self.anywhere)
        for lexicon, index in ((pos, _POSITIVE), (neg, _NEGATIVE)):
            for w in lexicon:
                self._add(self.words, strings.add(w), index)
        self.word_keys = frozenset(self.words)

    def phrase_features(self, lows: list[int], pairs: list[int], first_pairs) -> set[int]:
        """Feature indices of the phrases in the doc (every token compared: pair keys could collide), given the
        doc's pair keys that start a phrase."""
        found: set[int] = set()
        for key in first_pairs:
            at = pairs.index(key)
            for words, index in self.phrases_by_pair[key]:
                # the pair's first occurrence usually is the phrase: no call for the general search then
                if index not in found and (lows[at:at + len(words)] == words or _occurs(words, lows, pairs, key)):
                    found.add(index)
        return found

    @staticmethod
    def _add(table: dict, key: int, index: int) -> None:
        table[key] = tuple(sorted(set(table.get(key, ())) | {index}))

    def kind(self, h: int) -> int:
        return self.kinds[h]

    def _kind_of(self, h: int) -> int:
        s = self.strings[h]
        if s and (all(c in ".!?…" for c in s) or (s.isspace() and "\n" in s)):
            return _BOUNDARY
        if not s or s.isspace() or not any(c.isalpha() for c in s) or s[0] in "@#<" or s in ("url", "<url>"):
            return _SKIP
        return _WORD

    def sentence_starts(self, lows: list[int]) -> list[int]:
        """The first word of each sentence (sentences end at . ! ? or a line break; @handles, numbers, punctuation
        skipped): one C-level pass maps the tokens to kind bytes, and a regex finds each boundary's next word."""
        kinds = b"%c" % _BOUNDARY + bytes(map(self.kinds.__getitem__, lows))  # the text start acts as a boundary
        return [lows[m.end() - 2] for m in _SENTENCE_START.finditer(kinds)]


class _Kinds(dict):
    """hash -> kind, computed on first sight (a dict subclass: map(kinds.__getitem__, ...) stays in C). Every
    distinct word passes through here, so the cache starts over past a size bound."""

    def __init__(self, kind_of, max_size: int = 200_000):
        super().__init__()
        self.kind_of, self.max_size = kind_of, max_size

    def __missing__(self, h: int) -> int:
        if len(self) >= self.max_size:
            self.clear()
        k = self[h] = self.kind_of(h)
        return k


# A boundary, then skipped tokens (boundaries or not-words), then the word that starts a sentence.
_SENTENCE_START = re.compile(b"%c[%c%c]*%c" % (_BOUNDARY, _BOUNDARY, _SKIP, _WORD))


def _occurs(words: list[int], lows: list[int], pairs: list[int], key: int) -> bool:
    size, i = len(words), -1
    while True:
        try:
            i = pairs.index(key, i + 1)
        except ValueError:
            return False
        if lows[i:i + size] == words:
            return True


@lru_cache(maxsize=1)
def _lexicons() -> tuple[frozenset, frozenset]:
    """Positive / negative words from VADER's lexicon (|valence| >= 1.5), standing in for Liu's opinion lexicon."""
    from .sentiment import get_analyzer
    lex = get_analyzer().lexicon
    return (frozenset(w for w, v in lex.items() if v >= 1.5 and w.isalpha()),
            frozenset(w for w, v in lex.items() if v <= -1.5 and w.isalpha()))


_extractors: dict[int, _Extractor] = {}


def _extractor(doc: Doc) -> _Extractor:
    ex = _extractors.get(id(doc.vocab))
    if ex is None:
        from ..pipeline import get_nlp  # late import: the pipeline imports the components
        nlp = get_nlp()
        ex = _extractors[id(nlp.vocab)] = _Extractor(nlp)
        if doc.vocab is not nlp.vocab:
            raise ValueError("politeness features need a doc made by qa_app.nlp.pipeline.get_nlp()")
    return ex


def _active(doc: Doc) -> tuple[set[int], list[float]]:
    """(indices of binary features present, values of COUNT_FEATURES)."""
    ex = _extractor(doc)
    text = doc_text(doc)
    n = len(doc)
    lows = lower_hashes(doc)
    present = lower_set(doc)
    active: set[int] = set()
    # update(*tables): one call adding each table's indices in turn (the same insertions as a loop)
    active.update(*map(ex.words.__getitem__, ex.word_keys.intersection(present)))
    if n > 1:
        active |= ex.phrase_features(lows, pair_keys(doc), ex.phrase_pairs.intersection(pair_keys(doc)))
    starts = ex.sentence_starts(lows)
    start_table = ex.start
    active.update(*[start_table[h] for h in starts if h in start_table])
    for i, words in ex.person_words:
        if i in active and sum(map(lows.count, present & words)) <= sum(map(words.__contains__, starts)):
            active.discard(i)
    questions = text.count("?")
    if _PLEASE in active and _PLEASE_START not in active:
        active.add(_PLEASE_NOT_START)
    if questions and (_SECOND in active or _SECOND_START in active):
        active.add(_QUESTION_WITH_SECOND)
    if not active.isdisjoint(_REQUEST_IDX) and active.isdisjoint(_SOFTENER_IDX):
        active.add(_REQUEST_WITHOUT_SOFTENER)
    counts = [1.0 if questions else 0.0, 1.0 if "!" in text else 0.0, min(questions, 3) / 3.0,
              min(len(starts), 6) / 6.0, min(n, 60) / 60.0]
    return active, counts


_FIRST_COUNT = _INDEX[COUNT_FEATURES[0]]


def politeness_features(doc: Doc) -> list[float]:
    """Strategy features in FEATURE_NAMES order (the same function at fit and run time)."""
    active, counts = _active(doc)
    values = [1.0 if i in active else 0.0 for i in range(len(FEATURE_NAMES))]
    values[_FIRST_COUNT:_FIRST_COUNT + len(counts)] = counts
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


def _ngram_key(gram: str) -> int:
    # The StringStore's key, not spacy.strings.hash_string: a few words ("number", "id") are spaCy symbols whose
    # LOWER attribute is a small symbol id rather than their hash.
    from ..pipeline import get_nlp  # late import: the pipeline imports the components
    strings = get_nlp().vocab.strings
    parts = gram.split(" ")
    if len(parts) == 1:
        return strings[gram]
    first, second = parts
    return pair_key(strings[first], strings[second])  # a unigram's key is its hash; a bigram's, docs.pair_key


@lru_cache(maxsize=4)
def _word_weights(path: str = str(WEIGHTS_PATH)) -> dict[int, float]:
    """The model's n-gram features by key: a unigram's key is the string hash (a token's LOWER attribute), a
    bigram's combines the two hashes the way _doc_ngram_keys does."""
    return {_ngram_key(g): float(v) for g, v in (load_weights(path).get("words") or {}).items()}


@lru_cache(maxsize=4)
def _word_keys(path: str = str(WEIGHTS_PATH)) -> frozenset:
    return frozenset(_word_weights(path))


@lru_cache(maxsize=4)
def _has_bigrams(path: str = str(WEIGHTS_PATH)) -> bool:
    return any(" " in g for g in load_weights(path).get("words") or ())


def _doc_ngram_keys(doc: Doc) -> set[int]:
    """Keys of the doc's unigrams and adjacent-token bigrams."""
    if len(doc) < 2 or not _has_bigrams():
        return lower_set(doc)
    return lower_set(doc).union(pair_keys(doc))


def _ngram_terms(doc: Doc, path: str = str(WEIGHTS_PATH)) -> list[int]:
    """Keys of the model's n-grams present in the doc (set lookups; the bigram keys only meet the vocabulary)."""
    keys = _word_keys(path)
    found = list(keys.intersection(lower_set(doc)))
    if len(doc) > 1 and _has_bigrams(path):
        found += keys.intersection(pair_keys(doc))
    return found


def _contributions(doc: Doc) -> tuple[float, list[tuple[str, float]]]:
    """(bias, [(strategy name or n-gram, its term in w . x)]) for the features present in the doc."""
    w = load_weights()
    weights = w["weights"]
    active, counts = _active(doc)
    terms = [(FEATURE_NAMES[i], weights[i]) for i in sorted(active)]
    terms += [(FEATURE_NAMES[_FIRST_COUNT + k], wi * c)
              for k, (wi, c) in enumerate(zip(weights[_FIRST_COUNT:_FIRST_COUNT + len(counts)], counts)) if c]
    words = _word_weights()
    if words:
        names = _word_names()
        terms += [(names[k], words[k]) for k in _ngram_terms(doc)]
    return w["bias"], terms


@lru_cache(maxsize=4)
def _word_names(path: str = str(WEIGHTS_PATH)) -> dict[int, str]:
    return {_ngram_key(g): f'"{g}"' for g in load_weights(path).get("words") or ()}


def politeness_explanation(doc: Doc, top: int = 5) -> list[tuple[str, float]]:
    """The strategies and n-grams (quoted) that moved this message's score most, largest effect first, each with
    its signed contribution to the logit: why a message scored as it did, for coaching."""
    if not doc_text(doc).strip():
        return []
    _, terms = _contributions(doc)
    terms = [(name, round(v, 3)) for name, v in terms if abs(v) >= 1e-3]
    return sorted(terms, key=lambda t: (-abs(t[1]), t[0]))[:top]


def politeness_score(doc: Doc, path: str = str(WEIGHTS_PATH)) -> float:
    """Probability-like score in [0, 1]: sigmoid(w . x + b) over strategies and n-grams; 0.5 is neutral.
    `path`: another weights file (a re-fit being compared)."""
    if not doc_text(doc).strip():
        return 0.5
    w = load_weights(path)
    weights = w["weights"]
    active, counts = _active(doc)
    z = w["bias"] + sum(map(weights.__getitem__, active))  # map: no generator frame per term
    z += sum(wi * c for wi, c in zip(weights[_FIRST_COUNT:_FIRST_COUNT + len(counts)], counts))
    words = _word_weights(path)
    if words:
        z += sum(map(words.__getitem__, _ngram_terms(doc, path)))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)

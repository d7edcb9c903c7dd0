"""A learned second opinion on empathy: logistic regression over the words of a customer's turn and of the agent's
reply to it.

The distress rules (..empathy) name feelings and situations; customers find endless other ways to say they are in
trouble ("the pipes froze and the baby's home", "that was my last forty dollars"). This model, fitted by
`python -m qa_app.nlp.fit_empathy` on the labeled chats in tests/data, scores each agent reply that answers a
customer's turn: the probability that the customer was upset and the reply did not acknowledge it. It flags a reply
the rules left alone when that probability reaches the threshold set in tone.yaml's `empathy_model:` section. Its
evidence is the reply's first sentence (where an acknowledgement belongs) and its explanation names the customer's
words that weighed most.

Features: the lower-case word unigrams and adjacent-word bigrams of the customer's turn ("c:" + n-gram) and of the
agent's reply turn ("a:" + n-gram), with the tone model's choices (..tone_model: no function word alone, no digits).
The customer's words come from a plain regular expression that splits clitics as spaCy does: customer messages are
not tokenized anywhere else, and the same function reads them when fitting and when scoring. The agent's words are
spaCy tokens, read at run time from the batch's cached token hashes as the tone model reads them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from spacy.tokens import Doc

from ..docs import lower_set, pair_keys
from .tone_model import LearnedModel, function_word, hash_tables, read_section, usable_word
from .tone_model import ngrams as tone_ngrams

MAX_CHARS = 5_000  # the words of a longer message past this point are not read (hostile input)
# Words split as spaCy's English tokenizer splits them where it matters here: clitics apart ("ca" "n't", "i" "'m"),
# so a contraction is a pair of function words, not a word of its own.
_WORD = re.compile(r"\w+(?=n['’]t\b)|n['’]t\b|['’]\w+|\w+|[^\w\s]")


def ngrams(text: str) -> list[str]:
    """The customer's side (fit, and the words an explanation names; scoring reads the weights directly)."""
    words = _WORD.findall(text[:MAX_CHARS].lower())
    usable = [usable_word(w) for w in words]
    grams = [w for w, u in zip(words, usable) if u and not function_word(w)]
    grams += [f"{words[i]} {words[i + 1]}" for i in range(len(words) - 1) if usable[i] and usable[i + 1]]
    return grams


def features(customer: Sequence[str], reply: Sequence[str]) -> set[str]:
    from ..pipeline import make_doc  # (the pipeline imports this module)
    return {f"c:{g}" for text in customer for g in ngrams(text)} | \
        {f"a:{g}" for text in reply for g in tone_ngrams(make_doc(text))}  # spaCy tokens: see probability()


def reply_turns(messages: Sequence[tuple[str, str]]) -> list[tuple[int, list[str], list[str]]]:
    """For each agent message that answers a customer: (its index, the customer's messages just before it, the
    agent's messages of that reply: it and the agent messages right after it). `messages`: (role, text) pairs."""
    out = []
    for i, (role, _) in enumerate(messages):
        if role != "agent" or i == 0 or messages[i - 1][0] != "customer":
            continue
        start = i - 1
        while start > 0 and messages[start - 1][0] == "customer":
            start -= 1
        end = i + 1
        while end < len(messages) and messages[end][0] == "agent":
            end += 1
        out.append((i, [t for _, t in messages[start:i]], [t for _, t in messages[i:end]]))
    return out


@dataclass(frozen=True)
class EmpathyModel(LearnedModel):  # weights: "c:<n-gram>" / "a:<n-gram>" -> weight
    customer_unigrams: dict = field(default_factory=dict)  # the "c:" weights without their prefix
    customer_unigram_set: frozenset = frozenset()
    customer_bigrams: dict = field(default_factory=dict)
    customer_firsts: frozenset = frozenset()  # first words of its weighted bigrams
    reply_unigrams: dict = field(default_factory=dict)  # the "a:" weights by token hash / pair key (..tone_model)
    reply_bigrams: dict = field(default_factory=dict)
    reply_unigram_set: frozenset = frozenset()
    reply_bigram_set: frozenset = frozenset()

    def probability(self, customer: Sequence[str], reply: Sequence[Doc]) -> float:
        """The same figure as summing self.weights over features(customer, texts of reply), without building the
        prefixed strings (this runs on every reply): the reply's side from its docs' cached token hashes."""
        uni, bi = self.reply_unigrams, self.reply_bigrams
        lows = lower_set(reply[0]) if len(reply) == 1 else set().union(*map(lower_set, reply))
        pairs = pair_keys(reply[0]) if len(reply) == 1 else {k for d in reply for k in pair_keys(d)}
        z = self.bias + _customer_sum(self, customer) + \
            sum(map(uni.__getitem__, self.reply_unigram_set.intersection(lows))) + \
            sum(map(bi.__getitem__, self.reply_bigram_set.intersection(pairs)))
        return _sigmoid(z)

    def probability_of_texts(self, customer: Sequence[str], reply: Sequence[str]) -> float:
        """From the strings (fit, tests): the definition probability() computes faster."""
        return _sigmoid(self.bias + sum(self.weights.get(g, 0.0) for g in features(customer, reply)))

    def cues(self, customer: Sequence[str], limit: int = 3) -> list[str]:
        """The customer's n-grams with a content word that weighed most towards upset (ties by name: the same list
        every run). Pairs of function words ("i'm", ". i") weigh too, as the style of someone telling their story,
        but name nothing a reviewer could check."""
        grams = {g for text in customer for g in ngrams(text) if self.weights.get(f"c:{g}", 0.0) > 0
                 and not all(map(function_word, g.split(" ")))}
        return sorted(grams, key=lambda g: (-self.weights[f"c:{g}"], g))[:limit]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _customer_sum(model: EmpathyModel, texts: Sequence[str]) -> float:
    """The sum of the customer's weights over the n-grams of `texts`, as ngrams finds them: a weighted n-gram's words
    are all usable (the fit saw to that), so no word needs its kind here, and a bigram's string is built only when its
    first word starts some weighted bigram."""
    firsts, unigrams, pairs = model.customer_firsts, set(), set()
    for text in texts:
        words = _WORD.findall(text[:MAX_CHARS].lower())
        unigrams.update(model.customer_unigram_set.intersection(words))
        pairs.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a in firsts)
    return sum(map(model.customer_unigrams.__getitem__, unigrams)) + \
        sum(filter(None, map(model.customer_bigrams.get, pairs)))


@lru_cache(maxsize=4)
def load_empathy_model(config_json: str) -> EmpathyModel | None:
    """The model described by tone.yaml's `empathy_model:` section (as JSON, to be cacheable); None when absent."""
    if (section := read_section(config_json)) is None:
        return None
    config, weights, bias = section
    uni, bi = hash_tables({g[2:]: w for g, w in weights.items() if g.startswith("a:")})
    return EmpathyModel(
        weights=weights, bias=bias,
        customer_unigrams=(cu := {g[2:]: w for g, w in weights.items() if g.startswith("c:") and " " not in g}),
        customer_unigram_set=frozenset(cu),
        customer_bigrams=(cb := {g[2:]: w for g, w in weights.items() if g.startswith("c:") and " " in g}),
        customer_firsts=frozenset(g.split(" ", 1)[0] for g in cb),
        reply_unigrams=uni, reply_bigrams=bi, reply_unigram_set=frozenset(uni), reply_bigram_set=frozenset(bi),
        threshold=float(config.get("threshold", 0.5)),
        id=config.get("id", "empathy.likely_unacknowledged"), severity=config.get("severity", "low"),
        explanation=config.get("explanation", "The customer seems upset and this reply does not acknowledge it."),
        suggestion=config.get("suggestion", ""))

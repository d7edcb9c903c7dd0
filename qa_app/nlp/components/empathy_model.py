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
Words come from a plain regular expression, not spaCy: customer messages are not tokenized anywhere else, and the
same function reads the text when fitting and when scoring.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .tone_model import function_word, read_weights, usable_word

MAX_CHARS = 5_000  # the words of a longer message past this point are not read (hostile input)
# Words split as spaCy's English tokenizer splits them where it matters here: clitics apart ("ca" "n't", "i" "'m"),
# so a contraction is a pair of function words, not a word of its own.
_WORD = re.compile(r"\w+(?=n['’]t\b)|n['’]t\b|['’]\w+|\w+|[^\w\s]")


def ngrams(text: str) -> list[str]:
    words = _WORD.findall(text[:MAX_CHARS].lower())
    usable = [usable_word(w) for w in words]
    grams = [w for w, u in zip(words, usable) if u and not function_word(w)]
    grams += [f"{words[i]} {words[i + 1]}" for i in range(len(words) - 1) if usable[i] and usable[i + 1]]
    return grams


def features(customer: Sequence[str], reply: Sequence[str]) -> set[str]:
    return {f"c:{g}" for text in customer for g in ngrams(text)} | {f"a:{g}" for text in reply for g in ngrams(text)}


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
class EmpathyModel:
    weights: dict  # "c:<n-gram>" / "a:<n-gram>" -> weight
    bias: float
    threshold: float
    id: str
    severity: str
    explanation: str
    suggestion: str

    def probability(self, customer: Sequence[str], reply: Sequence[str]) -> float:
        weights = self.weights
        z = self.bias + sum(weights.get(g, 0.0) for g in features(customer, reply))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def cues(self, customer: Sequence[str], limit: int = 3) -> list[str]:
        """The customer's n-grams with a content word that weighed most towards upset (ties by name: the same list
        every run). Pairs of function words ("i'm", ". i") weigh too, as the style of someone telling their story,
        but name nothing a reviewer could check."""
        grams = {g for text in customer for g in ngrams(text) if self.weights.get(f"c:{g}", 0.0) > 0
                 and not all(map(function_word, g.split(" ")))}
        return sorted(grams, key=lambda g: (-self.weights[f"c:{g}"], g))[:limit]


@lru_cache(maxsize=4)
def load_empathy_model(config_json: str) -> EmpathyModel | None:
    """The model described by tone.yaml's `empathy_model:` section (as JSON, to be cacheable); None when absent."""
    config = json.loads(config_json)
    if not config or not config.get("weights"):
        return None
    weights, bias = read_weights(config["weights"])
    return EmpathyModel(
        weights=weights, bias=bias, threshold=float(config.get("threshold", 0.6)),
        id=config.get("id", "empathy.likely_unacknowledged"), severity=config.get("severity", "low"),
        explanation=config.get("explanation", "The customer seems upset and this reply does not acknowledge it."),
        suggestion=config.get("suggestion", ""))

"""Tone rules (rubrics/tone.yaml) as a spaCy component: PhraseMatcher + Matcher, then context filters.

Matches are written to doc.spans["qa_tone"] with the rule index as span id (kb_id) and the rule id as label.
"""
from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy
import yaml
from spacy.language import Language
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..docs import cache_token_hashes, doc_text, ensure_sentences
from .etiquette import is_english_word  # the dictionary itself loads on first use
from .empathy_model import load_empathy_model
from .tone_model import load_model

SPAN_KEY = "qa_tone"


def sentences(doc):  # late import: pipeline imports this module to register the factory
    from ..pipeline import sentences as _sentences
    return _sentences(doc)


def sentence_of(doc, i):
    from ..pipeline import sentence_of as _sentence_of
    return _sentence_of(doc, i)


NEGATIONS = {"not", "never", "no", "n't", "nt"}
# Reported speech: the agent repeating the customer's words is not the agent's tone.
# "you typed ..." quotes the customer; "you typed it in" / "you typed your address wrong" does not.
REPORTED_SPEECH = re.compile(r"\byou(?:'ve| have)? (?:said|wrote|mentioned|called|described|told|typed|say)\b"
                             r"(?! (?:it|them|in|your|the wrong)\b)|"
                             r"\byour (?:message|tweet|email|review) (?:said|says)\b|"
                             r"\b(?:quoting|to quote|i quote)\b", re.I)  # not a price quote
QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|(?:(?<=\s)|^)'[^'\n]{1,300}'(?=[\s.,!?]|$)|‘[^’\n]{1,300}’")
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_CAPS_RUN = re.compile(r"[A-Z]{2,}")
# Two all-caps words in a row: a sentence wholly in capitals has them (the min_caps_words_whole test).
_ADJACENT_CAPS = re.compile(r"[A-Z]{2}\b[^\w\n]{1,3}[A-Z]{2}")

PUNCT_RUN = re.compile(r"[!?]{3,}|[!?]*\?[!?]*!+[!?]*\?|!+\?+!+")


def default_tone_path() -> Path:
    """rubrics/tone.yaml at the repository root (override with QA_TONE_RULES)."""
    env = os.environ.get("QA_TONE_RULES")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "rubrics" / "tone.yaml"


@dataclass(frozen=True)
class ToneRule:
    id: str
    severity: str
    explanation: str
    suggestion: str
    category: str = "tone"
    unless: frozenset = frozenset()
    negatable: bool = False
    softened_by: frozenset = frozenset()   # words in the sentence that lower the severity (an apology, thanks)
    softened_severity: str = "low"
    unless_customer_jokes: bool = False    # banter the customer started ("lol", "😂" in their turn) excuses it


class ToneRulesError(ValueError):
    """A tone rule that cannot be used, named by its place in the file."""


_STRING_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "SHAPE", "PREFIX", "SUFFIX", "POS", "TAG", "DEP",
                           "ENT_TYPE", "MORPH"})


def _pattern_matcher(nlp: Language, key: str, pattern: list, where: str) -> Matcher:
    """A Matcher for one pattern; a bad pattern is refused with its place in the file named."""
    for token in pattern:
        for attr, value in (token.items() if isinstance(token, dict) else ()):
            values = value.get("IN", value.get("NOT_IN", [])) if isinstance(value, dict) else [value]
            if attr in _STRING_ATTRS and any(isinstance(v, bool) for v in values):
                raise ToneRulesError(f"tone rules {where}: {attr} has a true/false value; YAML reads unquoted "
                                     "on/off/yes/no as true/false, so quote the word (\"on\")")
    matcher = Matcher(nlp.vocab)
    try:
        matcher.add(key, [pattern])
    except (MatchPatternError, ValueError, TypeError) as exc:
        raise ToneRulesError(f"tone rules {where}: not a valid spaCy Matcher pattern: {exc}") from None
    return matcher


@lru_cache(maxsize=4)
def load_tone_pack(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


class ToneComponent:
    def __init__(self, nlp: Language, name: str, rules_path: str):
        self.name = name
        pack = load_tone_pack(rules_path or str(default_tone_path()))
        self.rules: list[ToneRule] = []
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self.exceptions = PhraseMatcher(nlp.vocab, attr="NORM")
        # One Matcher per pattern, with a pre-screen: each pattern's required literals as sets of string hashes; a
        # pattern's Matcher runs only on docs whose token hashes meet every requirement (see _MatcherScreen), so a
        # doc pays for the few patterns that could match it, not for all of them.
        self.pattern_matchers: list[Matcher] = []
        self.pattern_sentences: list[bool] = []  # the pattern tests IS_SENT_START: the doc needs its sentences
        # the words in capitals a pattern needs one of ("NOT", "ALWAYS"), or None: the screen reads lower case only
        self.pattern_capitals: list[frozenset | None] = []
        self.pattern_needs: list[tuple] = []
        self.strings = nlp.vocab.strings
        self.uses_lemmas = False  # a LEMMA pattern needs the lemmatizer to run before this component
        for i, r in enumerate(pack.get("rules") or []):
            self.rules.append(ToneRule(
                id=r["id"], severity=r.get("severity", "medium"), explanation=r.get("explanation", ""),
                suggestion=r.get("suggestion", ""), category=r.get("category", "tone"),
                unless=frozenset(w.lower() for w in r.get("unless_sentence_has") or []),
                negatable=bool(r.get("negatable")),
                softened_by=frozenset(w.lower() for w in r.get("softened_by") or []),
                softened_severity=r.get("softened_severity", "low"),
                unless_customer_jokes=bool(r.get("unless_customer_jokes"))))
            key = str(i)
            if r.get("phrases"):
                self.phrases.add(key, [nlp.make_doc(p) for p in r["phrases"]])
            if r.get("patterns"):
                for j, pattern in enumerate(r["patterns"]):
                    where = f"rules[{i}] ({r['id']}) patterns[{j}]"
                    self.pattern_matchers.append(_pattern_matcher(nlp, key, pattern, where))
                    self.pattern_sentences.append("IS_SENT_START" in str(pattern).upper())
                    self.pattern_capitals.append(_needs_capitals(pattern))
                self.uses_lemmas |= "LEMMA" in str(r["patterns"]).upper()
                self.pattern_needs += [self._screen_for(p) for p in r["patterns"]]
            if r.get("exceptions"):
                self.exceptions.add(key, [nlp.make_doc(p) for p in r["exceptions"]])
        self.screen = _MatcherScreen(self.pattern_needs)
        self.shouting = pack.get("shouting") or {}
        self.acronyms = frozenset(a.upper() for a in self.shouting.get("acronyms", []))
        self.positive = frozenset(w.lower() for w in self.shouting.get("positive_words", []))
        self.model = _learned_model(pack.get("model"), "model", load_model)
        # The learned empathy model's settings live here too: this pack is where an admin tunes the conversation
        # rules, and the analyzer reads both from the same component.
        self.empathy_model = _learned_model(pack.get("empathy_model"), "empathy_model", load_empathy_model)

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, self.screen.fitting([doc])[0])

    def pipe(self, docs, batch_size: int = 256):
        """spaCy calls this instead of __call__ per doc: the token hashes and the Matcher screen are computed for a
        whole batch at once (numpy's cost is mostly per call)."""
        for batch in minibatch(docs, size=batch_size):
            yield from map(self._annotate, batch, self.screen.fitting(batch))

    def _annotate(self, doc: Doc, patterns: list[int]) -> Doc:
        """`patterns`: the indices of the patterns that may match the doc."""
        found = self.phrases(doc)
        if patterns and any(self.pattern_capitals[i] for i in patterns):
            text = doc_text(doc)
            words = _caps_words(text)
            patterns = [i for i in patterns
                        if not self.pattern_capitals[i] or not words.isdisjoint(self.pattern_capitals[i])]
        if patterns:
            if any(self.pattern_sentences[i] for i in patterns):
                ensure_sentences(doc)
            matches = {m for i in patterns for m in self.pattern_matchers[i](doc)}
            found += sorted(matches, key=lambda m: (m[1], m[2], m[0]))
        spans = []
        if found:
            exceptions = self.exceptions(doc)
            seen = set()
            for match_id, start, end in found:
                key = doc.vocab.strings[match_id]
                if (key, start, end) in seen or self._suppressed(doc, int(key), start, end, exceptions):
                    continue
                seen.add((key, start, end))
                kb = key + ":soft" if self._softened(doc, int(key), start) else key
                spans.append(Span(doc, start, end, label=self.rules[int(key)].id, kb_id=kb))
        spans += self._shouting(doc)
        if spans:  # most messages have none: no empty SpanGroup per doc
            doc.spans[SPAN_KEY] = spans
        return doc

    def _screen_for(self, pattern: list) -> tuple:
        """((attr, frozenset of hashes), ...): a doc can match the pattern only if every set meets the doc's
        hashes for that attribute (LOWER for ORTH/TEXT/LOWER values, compared lower-cased; NORM as given)."""
        add = self.strings.add
        return tuple((attr, frozenset(add(v.lower() if attr == "LOWER" else v) for v in values))
                     for attr, values in _required_literals(pattern))

    def _suppressed(self, doc: Doc, rule_index: int, start: int, end: int, exceptions) -> bool:
        rule = self.rules[rule_index]
        key = str(rule_index)
        if any(doc.vocab.strings[m] == key and s < end and start < e for m, s, e in exceptions):
            return True
        sent = sentence_of(doc, start)
        # words of the match itself never cancel it ("but there you go" is not excused by its own "but")
        if rule.unless and any(t.norm_ in rule.unless or t.lower_ in rule.unless
                               for t in sent if not start <= t.i < end):
            return True
        if rule.negatable and any(t.norm_ in NEGATIONS for t in doc[max(sent.start, start - 4):start]):
            return True
        return _is_quoted(doc, sent, start, end)

    def _softened(self, doc: Doc, rule_index: int, start: int) -> bool:
        """An apology or thanks in the same sentence makes e.g. "as I mentioned" a lesser issue."""
        words = self.rules[rule_index].softened_by
        return bool(words) and any(t.norm_ in words or t.lower_ in words for t in sentence_of(doc, start))

    def _shouting(self, doc: Doc) -> list[Span]:
        """One span per message covering all-caps sentences and !!!/??? runs."""
        if not self.shouting:
            return []
        text = doc_text(doc)
        regions = []
        # A sentence of min_caps_words all-caps words (at least min_caps_ratio of its words), or one written wholly in
        # capitals with at least min_caps_words_whole ("LATE PAYMENT."). Each such word is also a run found by the
        # cheaper _CAPS_RUN, which gates the scan.
        most = self.shouting.get("min_caps_words", 3)
        whole = self.shouting.get("min_caps_words_whole", most)
        pairs = _caps_pairs(text)
        if (pairs >= most and len(_CAPS_RUN.findall(text)) >= most and
                len(list(itertools.islice(_CAPS_WORD.finditer(text), most))) == most) or \
                (whole < most and pairs >= whole and _ADJACENT_CAPS.search(text)):
            for sent in sentences(doc):
                words = [t.text for t in sent if t.is_alpha and len(t.text) > 1]
                caps = [w for w in words if w.isupper() and w not in self.acronyms]
                if (len(caps) >= most and len(caps) >= self.shouting.get("min_caps_ratio", 0.7) * len(words)) or \
                        (len(caps) >= whole and all(w.isupper() for w in words) and
                         not any(w.lower() in self.positive for w in words)) or \
                        _longest_caps_run(words, self.acronyms) >= self.shouting.get("min_caps_run", len(words) + 1):
                    regions.append((sent.start_char, sent.end_char))
        # PUNCT_RUN needs two adjacent marks, so texts without such a pair are skipped.
        runs = "!!" in text or "??" in text or "?!" in text or "!?" in text
        for m in PUNCT_RUN.finditer(text) if runs else ():
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            sent = sentence_of(doc, span.start)
            if "?" not in m.group(0) and any(t.lower_ in self.positive for t in sent):
                continue  # "Thanks so much!!!" is enthusiasm, not shouting
            regions.append((m.start(), m.end()))
        if not regions:
            return []
        span = doc.char_span(min(s for s, _ in regions), max(e for _, e in regions), alignment_mode="expand")
        if span is None:
            return []
        return [Span(doc, span.start, span.end, label=self.shouting.get("id", "tone.shouting"), kb_id="shouting")]

    def rule_for(self, span: Span) -> ToneRule:
        if span.kb_id_ == "shouting":
            s = self.shouting
            return ToneRule(s.get("id", "tone.shouting"), s.get("severity", "low"), s.get("explanation", ""),
                            s.get("suggestion", ""))
        key, _, soft = span.kb_id_.partition(":")
        rule = self.rules[int(key)]
        return replace(rule, severity=rule.softened_severity) if soft else rule


def _learned_model(config, section: str, loader):
    """The learned model of one of tone.yaml's model sections (`model:`, `empathy_model:`), or None when the section
    is absent; a bad threshold or a missing or unreadable weights file is refused."""
    if config is not None and not isinstance(config, dict):
        raise ToneRulesError(f"tone rules {section}: must be a mapping (weights, threshold, id, explanation, ...)")
    try:
        threshold = float((config or {}).get("threshold", 0.5))
    except (TypeError, ValueError):
        threshold = -1.0
    if not 0.0 < threshold < 1.0:
        raise ToneRulesError(f"tone rules {section}.threshold: must be a number between 0 and 1")
    try:
        return loader(json.dumps(config or {}, sort_keys=True))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ToneRulesError(f"tone rules {section}.weights: cannot read the weights file: {exc}") from None


def _longest_caps_run(words: list[str], acronyms: frozenset) -> int:
    """The most all-caps English words in a row (acronyms and codes such as "OS, GPU" break a run)."""
    best = run = 0
    for w in words:
        run = run + 1 if w.isupper() and w not in acronyms and is_english_word(w.lower()) else 0
        best = max(best, run)
    return best


# A word in capitals as the text holds it; group 1 without a contraction's end ("ISN'T" -> "ISN", "DON" of "DON'T").
_CAPS_TOKEN = re.compile(r"\b([A-Z]{2,})(?:['’][A-Z]{1,2})?\b")
_CAPS_BYTES = bytes(65 if 65 <= b <= 90 else 32 for b in range(256))  # A-Z -> "A", any other byte -> " "


def _caps_pairs(text: str) -> int:
    """Non-overlapping "AA" in the text with A-Z mapped to "A": at least one per _CAPS_RUN match, so fewer than 3
    rule out 3 runs. A byte table translation is ~5x cheaper than the regex scan (UTF-8 keeps A-Z single bytes and
    every other character's bytes >= 0x80; lone surrogates pass through as such bytes)."""
    return text.encode("utf-8", "surrogatepass").translate(_CAPS_BYTES).count(b"AA")


class _MatcherScreen:
    """For a batch of docs at once: could some Matcher pattern match, i.e. does every required literal set of some
    pattern meet the doc's LOWER (or NORM) hashes? Each distinct requirement is a bit; a sorted table maps a hash to
    the bits it satisfies; a doc's bits are the OR over its tokens (numpy, whole batch); a pattern may match when
    all its bits are set."""

    def __init__(self, pattern_needs: list[tuple]):
        bit_of: dict[tuple, int] = {}
        for needs in pattern_needs:
            for need in needs:
                bit_of.setdefault(need, len(bit_of))
        self.words = max(1, -(-len(bit_of) // 64))  # uint64 words per bit set
        self.masks = numpy.array([self._bits([bit_of[n] for n in needs]) for needs in pattern_needs],
                                 dtype=numpy.uint64).reshape(len(pattern_needs), self.words)
        self.tables = {attr: self._table({h: [bit_of[n] for n in bit_of if n[0] == attr and h in n[1]]
                                          for (a, values) in bit_of if a == attr for h in values})
                       for attr in ("LOWER", "NORM")}

    def _bits(self, bits: list[int]) -> list[int]:
        words = [0] * self.words
        for b in bits:
            words[b // 64] |= 1 << (b % 64)
        return words

    def _table(self, bits_by_hash: dict[int, list[int]]) -> tuple:
        keys = numpy.array(sorted(bits_by_hash), dtype=numpy.uint64)
        values = numpy.array([self._bits(bits_by_hash[int(h)]) for h in keys], dtype=numpy.uint64)
        return keys, values.reshape(len(keys), self.words)

    def fitting(self, docs: list[Doc]) -> list[list[int]]:
        """The indices of the patterns that may match, per doc. Also fills the docs' token hash caches
        (docs.cache_token_hashes)."""
        table, starts = cache_token_hashes(docs)
        lengths = numpy.diff(starts + [len(table)])
        if not len(self.masks) or not len(table):
            return [[] for _ in docs]
        token_bits = self._lookup(table[:, 0], "LOWER") | self._lookup(table[:, 1], "NORM")
        doc_bits = numpy.zeros((len(docs), self.words), dtype=numpy.uint64)
        nonempty = lengths > 0  # reduceat would give an empty doc its next row
        doc_bits[nonempty] = numpy.bitwise_or.reduceat(token_bits, numpy.array(starts)[nonempty], axis=0)
        fits = ((doc_bits[:, None, :] & self.masks) == self.masks).all(axis=2) & nonempty[:, None]
        if not fits.any():
            return [[] for _ in docs]
        return [numpy.flatnonzero(row).tolist() if row.any() else [] for row in fits]

    def _lookup(self, hashes: numpy.ndarray, attr: str) -> numpy.ndarray:
        keys, values = self.tables[attr]
        if not len(keys):
            return numpy.zeros((len(hashes), self.words), dtype=numpy.uint64)
        at = numpy.minimum(numpy.searchsorted(keys, hashes), len(keys) - 1)
        return values[at] * (keys[at] == hashes)[:, None]


def _needs_capitals(pattern: list) -> frozenset | None:
    """The ORTH values of a required token when they are all words in capitals ("NOT", "ISN'T"), as the text shows
    them (a contraction's first part: "ISN" of "ISN'T"); None when the pattern has no such token."""
    for spec in pattern:
        spec = {str(k).upper(): v for k, v in spec.items()}
        value = spec.get("ORTH")
        values = [value] if isinstance(value, str) else (value.get("IN") if isinstance(value, dict) else None)
        keys = [_caps_key(v) for v in values or ()]
        if spec.get("OP") in (None, "+", "1") and keys and all(keys):
            return frozenset(keys)
    return None


def _caps_key(value) -> str | None:
    """How a word in capitals shows in _caps_words: "NOT", "ISN'T" -> "ISN", the contraction token "N'T"."""
    if not isinstance(value, str):
        return None
    if value in ("N'T", "N’T"):
        return "N'T"
    m = _CAPS_TOKEN.fullmatch(value)
    return m.group(1) if m else None


def _caps_words(text: str) -> set[str]:
    """The words in capitals of a text as _caps_key names them (a superset of the tokens that can equal them)."""
    words = set(_CAPS_TOKEN.findall(text)) if _caps_pairs(text) else set()
    if "N'T" in text or "N’T" in text:
        words.add("N'T")
    return words


def _required_literals(pattern: list) -> list[tuple[str, tuple[str, ...]]]:
    """(attr, values) for each non-optional token of a Matcher pattern that names literal values: a doc with no
    token carrying one of the values cannot match. REGEX, NOT_IN, LEMMA and OP tokens are not required."""
    needs = []
    for spec in pattern:
        spec = {str(k).upper(): v for k, v in spec.items()}
        if spec.get("OP") not in (None, "+", "1"):
            continue
        for name in ("ORTH", "TEXT", "LOWER", "NORM"):
            value = spec.get(name)
            values = [value] if isinstance(value, str) else (value.get("IN") if isinstance(value, dict) and
                                                             set(value) == {"IN"} else None)
            if values and all(isinstance(v, str) for v in values):
                needs.append(("NORM" if name == "NORM" else "LOWER", tuple(values)))
    return needs


_JOKING = re.compile(r"\b(?:lol|lmao|haha\w*|hehe\w*|rofl)\b|[😂🤣😅😆🙃😄😁😹😜😝]", re.IGNORECASE)


def customer_jokes(text: str | None) -> bool:
    """Laughter in the customer's turn: the agent joking back is banter, not mockery."""
    return bool(text) and _JOKING.search(text) is not None


def own_words(doc: Doc) -> list:
    """The tokens of the agent's own words: not inside quotation marks, nor after "you said / you wrote"."""
    text = doc_text(doc)
    if not REPORTED_SPEECH.search(text) and not QUOTED.search(text):
        return list(doc)
    return [t for sent in sentences(doc) for t in sent if not _is_quoted(doc, sent, t.i, t.i + 1)]


def _is_quoted(doc: Doc, sent: Span, start: int, end: int) -> bool:
    """Inside quotation marks, or after 'you said / you wrote' earlier in the sentence."""
    s_char, e_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    text = sent.text
    offset = sent.start_char
    if REPORTED_SPEECH.search(text[: s_char - offset]):
        return True
    if any(c in text for c in "\"“‘'"):
        for m in QUOTED.finditer(text):
            if m.start() + offset <= s_char and e_char <= m.end() + offset:
                return True
    return False


@Language.factory("qa_tone", default_config={"rules_path": ""})
def make_tone(nlp: Language, name: str, rules_path: str) -> ToneComponent:
    return ToneComponent(nlp, name, rules_path)

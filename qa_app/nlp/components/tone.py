"""Tone rules (rubrics/tone.yaml) as a spaCy component: PhraseMatcher + Matcher, then context filters.

Matches are written to doc.spans["qa_tone"] with the rule index as span id (kb_id) and the rule id as label.
"""
from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..docs import doc_text, ensure_sentences, lower_set, norm_set

SPAN_KEY = "qa_tone"


def sentences(doc):  # late import: pipeline imports this module to register the factory
    from ..pipeline import sentences as _sentences
    return _sentences(doc)


def sentence_of(doc, i):
    from ..pipeline import sentence_of as _sentence_of
    return _sentence_of(doc, i)


NEGATIONS = {"not", "never", "no", "n't", "nt"}
# Reported speech: the agent repeating the customer's words is not the agent's tone.
REPORTED_SPEECH = re.compile(r"\byou(?:'ve| have)? (?:said|wrote|mentioned|called|described|told|typed|say)\b|"
                             r"\byour (?:message|tweet|email|review) (?:said|says)\b|\bquot(?:e|ing)\b", re.I)
QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|(?:(?<=\s)|^)'[^'\n]{1,300}'(?=[\s.,!?]|$)|‘[^’\n]{1,300}’")
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_CAPS_RUN = re.compile(r"[A-Z]{2,}")

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
        self.matcher = Matcher(nlp.vocab)
        # Pre-screen for the Matcher: each pattern's required literals as sets of string hashes; the Matcher runs
        # only when, for some pattern, every requirement meets the doc's set of token hashes (set operations on
        # ints, no per-token Python).
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
                softened_severity=r.get("softened_severity", "low")))
            key = str(i)
            if r.get("phrases"):
                self.phrases.add(key, [nlp.make_doc(p) for p in r["phrases"]])
            if r.get("patterns"):
                self.matcher.add(key, r["patterns"])
                self.uses_lemmas |= "LEMMA" in str(r["patterns"]).upper()
                self.pattern_needs += [self._screen_for(p) for p in r["patterns"]]
            if r.get("exceptions"):
                self.exceptions.add(key, [nlp.make_doc(p) for p in r["exceptions"]])
        self.shouting = pack.get("shouting") or {}
        self.acronyms = frozenset(a.upper() for a in self.shouting.get("acronyms", []))
        self.positive = frozenset(w.lower() for w in self.shouting.get("positive_words", []))

    def __call__(self, doc: Doc) -> Doc:
        found = self.phrases(doc)
        if self._matcher_may_match(doc):
            ensure_sentences(doc)  # patterns may test IS_SENT_START
            found += self.matcher(doc)
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

    def _matcher_may_match(self, doc: Doc) -> bool:
        """Cheap pre-screen: skip the token Matcher unless every required literal of some pattern is in the doc."""
        if not self.pattern_needs or not len(doc):
            return False
        lows, norms = lower_set(doc), norm_set(doc)
        for needs in self.pattern_needs:
            for attr, values in needs:
                if (lows if attr == "LOWER" else norms).isdisjoint(values):
                    break
            else:
                return True
        return False

    def _suppressed(self, doc: Doc, rule_index: int, start: int, end: int, exceptions) -> bool:
        rule = self.rules[rule_index]
        key = str(rule_index)
        if any(doc.vocab.strings[m] == key and s < end and start < e for m, s, e in exceptions):
            return True
        sent = sentence_of(doc, start)
        if rule.unless and any(t.norm_ in rule.unless or t.lower_ in rule.unless for t in sent):
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
        # At least 3 all-caps words; each one is also a run found by the cheaper _CAPS_RUN, which gates the scan.
        if len(_CAPS_RUN.findall(text)) >= 3 and len(list(itertools.islice(_CAPS_WORD.finditer(text), 3))) == 3:
            for sent in sentences(doc):
                words = [t.text for t in sent if t.is_alpha and len(t.text) > 1]
                caps = [w for w in words if w.isupper() and w not in self.acronyms]
                if len(caps) >= self.shouting.get("min_caps_words", 3) and \
                        len(caps) >= self.shouting.get("min_caps_ratio", 0.7) * len(words):
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

"""Build the spaCy pipeline once per process and run texts through it in batches."""
from __future__ import annotations

import bisect
import os
from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from .docs import doc_lower, doc_text, ensure_sentences, lower_hashes  # noqa: F401  (re-exported for the components)

from . import docs as _docs
from .components import lemmatizer as _lemmatizer  # noqa: F401  (registers the factory)
from .components import tone as _tone  # noqa: F401

# spaCy-based rules read the first MAX_CHARS characters of a message (offsets stay valid: it is a prefix); real
# chat messages are far shorter, and this bounds the cost of hostile 200 KB input. Regex rules read the whole text.
MAX_CHARS = 20_000


def _base_pipeline() -> Language:
    """spacy.blank("en"), or the installed pipeline named by QA_SPACY_MODEL (never downloaded)."""
    name = os.environ.get("QA_SPACY_MODEL", "").strip()
    if name and spacy.util.is_package(name):
        return spacy.load(name)
    return spacy.blank("en")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    nlp = _base_pipeline()
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        from spacy.pipeline import Sentencizer
        _docs.lazy_sentencizer = Sentencizer()  # sentences are split on demand (see docs.ensure_sentences)
    if not nlp.has_pipe("lemmatizer"):
        lem = nlp.add_pipe("qa_lookup_lemmatizer", name="lemmatizer")
        lem.initialize(nlp=nlp)
    nlp.add_pipe("qa_tone")
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    return nlp


def clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS]


def make_doc(text: str) -> Doc:
    """Tokenize and remember the text: Doc.text re-joins every token on each access."""
    text = clip(text)
    doc = get_nlp().make_doc(text)
    doc.user_data["qa_text"] = text
    return doc


def pipe_texts(texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    return get_nlp().pipe((make_doc(t) for t in texts), batch_size=batch_size)


def pipe_lazy_lemmas(texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """pipe_texts, but lemmas are assigned only when ensure_lemmas asks: most messages name no policy fact,
    and lemmas are read only for those that do."""
    nlp = get_nlp()
    if not lemmas_deferrable():
        yield from pipe_texts(texts, batch_size)
        return
    for doc in nlp.pipe((make_doc(t) for t in texts), batch_size=batch_size, disable=["lemmatizer"]):
        doc.user_data["qa_lemmas_pending"] = True
        yield doc


def lemmatized(text: str) -> Doc:
    """A doc with lemmas but no tone spans (a customer's message, read for the facts it names)."""
    return get_nlp()(make_doc(text), disable=["qa_tone"])


def ensure_lemmas(doc: Doc) -> Doc:
    if doc.user_data.pop("qa_lemmas_pending", False):
        get_nlp().get_pipe("lemmatizer")(doc)
    return doc


@lru_cache(maxsize=1)
def lemmas_deferrable() -> bool:
    """Only our lookup lemmatizer (needs no other annotation) and only when later pipes don't read lemmas."""
    nlp = get_nlp()
    if not isinstance(nlp.get_pipe("lemmatizer"), _lemmatizer.CachedLookupLemmatizer):
        return False
    later = nlp.pipe_names[nlp.pipe_names.index("lemmatizer") + 1:]
    return later == ["qa_tone"] and not nlp.get_pipe("qa_tone").uses_lemmas




def sentences(doc: Doc) -> list[Span]:
    """doc.sents computed once per doc from the token array (doc.sents re-walks every token on each call)."""
    return [doc[s:e] for s, e in _sentence_bounds(doc)]


def _sentence_bounds(doc: Doc) -> tuple:
    bounds = doc.user_data.get("qa_sents")  # plain (start, end) pairs: no doc -> span -> doc reference cycle
    if bounds is None:
        ensure_sentences(doc)
        if not len(doc):
            bounds = ()
        elif not doc.has_annotation("SENT_START"):
            bounds = ((0, len(doc)),)
        else:
            starts = [i for i, v in enumerate(doc.to_array(SENT_START).tolist()) if v == 1 or i == 0]
            bounds = tuple(zip(starts, starts[1:] + [len(doc)]))
        doc.user_data["qa_sents"] = bounds
    return bounds


def sentence_of(doc: Doc, token_index: int) -> Span:
    bounds = _sentence_bounds(doc)
    i = bisect.bisect_right(bounds, (token_index, float("inf"))) - 1
    if 0 <= i < len(bounds) and bounds[i][0] <= token_index < bounds[i][1]:
        return doc[bounds[i][0]:bounds[i][1]]
    return doc[:]


_SENT_WORD, _SENT_PUNCT_CHAR, _SENT_OTHER_PUNCT = 0, 1, 2
_sent_kinds: dict[int, int] = {}


def first_sentence_chars(doc: Doc) -> tuple[int, int] | None:
    """(start_char, end_char) of the first sentence with some non-space text, exactly as the lazy sentencizer would
    split it, found by scanning token hashes instead of sentencizing the whole doc (flags only need the first
    sentence). None when the doc has no such sentence. Docs already split, or split by a trained parser, use
    their own sentences."""
    sentencizer = _docs.lazy_sentencizer
    if sentencizer is None or "qa_sentencized" in doc.user_data or not len(doc):
        return _first_sentence_slow(doc)
    punct_chars, strings, vocab = sentencizer.punct_chars, doc.vocab.strings, doc.vocab
    text = doc_text(doc)
    lows = lower_hashes(doc)
    start, seen = 0, False
    for i, h in enumerate(lows + [None]):  # the Sentencizer's rule: a new sentence at the first non-punct token
        if h is None:                      # after a sentence-final character
            k = _SENT_WORD
            seen = True
        else:
            k = _sent_kinds.get(h)
            if k is None:
                form = strings[h]
                k = _sent_kinds[h] = (_SENT_PUNCT_CHAR if form in punct_chars else
                                      _SENT_OTHER_PUNCT if vocab[form].is_punct else _SENT_WORD)
        if seen and k == _SENT_WORD:
            if i > start:
                s_char, last = doc[start].idx, doc[i - 1]
                e_char = last.idx + len(last)
                if text[s_char:e_char].strip():
                    return s_char, e_char
            start, seen = i, False
        elif k == _SENT_PUNCT_CHAR:
            seen = True
    return None


def _first_sentence_slow(doc: Doc) -> tuple[int, int] | None:
    for sent in sentences(doc):
        if sent.text.strip():
            return sent.start_char, sent.end_char
    return None

"""Per-doc caches shared by the components: the text, its lower-cased form, lazily split sentences.

Doc.text re-joins every token on each access and components would each lower-case the text again, so both are
computed once per doc and kept in doc.user_data (plain strings: no reference cycles).
"""
from __future__ import annotations

from spacy.tokens import Doc

# Set by pipeline.get_nlp when the base pipeline has no parser/senter: sentences are then split on demand, since
# most messages never need them (no rule fires).
lazy_sentencizer = None


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get("qa_text")
    if text is None:
        text = doc.user_data["qa_text"] = doc.text
    return text


def doc_lower(doc: Doc) -> str:
    low = doc.user_data.get("qa_lower")
    if low is None:
        low = doc.user_data["qa_lower"] = doc_text(doc).lower()
    return low


def ensure_sentences(doc: Doc) -> Doc:
    """Run the lazy sentencizer once on this doc (no-op when the pipeline has its own parser/senter)."""
    if lazy_sentencizer is not None and "qa_sentencized" not in doc.user_data:
        doc.user_data["qa_sentencized"] = True
        if len(doc):
            lazy_sentencizer(doc)
    return doc


def lower_hashes(doc: Doc) -> list[int]:
    """The tokens' lower-case string hashes (one C-level to_array call, cached): word tests become set operations
    on ints instead of a Python loop over Token objects."""
    lows = doc.user_data.get("qa_lows")
    if lows is None:
        _token_hashes(doc)
        lows = doc.user_data["qa_lows"]
    return lows


def lower_set(doc: Doc) -> set[int]:
    present = doc.user_data.get("qa_lowset")
    if present is None:
        present = doc.user_data["qa_lowset"] = set(lower_hashes(doc))
    return present


def norm_set(doc: Doc) -> set[int]:
    """The tokens' NORM hashes ("'re" -> "are", "n't" -> "not"), as a set."""
    norms = doc.user_data.get("qa_normset")
    if norms is None:
        _token_hashes(doc)
        norms = doc.user_data["qa_normset"]
    return norms


def _token_hashes(doc: Doc) -> None:
    if not len(doc):
        doc.user_data.update(qa_lows=[], qa_normset=set(), qa_punct_at=[])
        return
    arr = doc.to_array(_COLUMNS)  # all columns in one call
    doc.user_data["qa_lows"] = arr[:, 0].tolist()
    doc.user_data["qa_normset"] = set(arr[:, 1].tolist())
    doc.user_data["qa_punct_at"] = numpy.flatnonzero(arr[:, 2] | arr[:, 3]).tolist()


def punct_positions(doc: Doc) -> list[int]:
    """Indices of punctuation and whitespace tokens (where sentences can end), found without a Python loop."""
    at = doc.user_data.get("qa_punct_at")
    if at is None:
        _token_hashes(doc)
        at = doc.user_data.get("qa_punct_at", [])
    return at


import numpy  # noqa: E402
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, NORM  # noqa: E402

_COLUMNS = [LOWER, NORM, IS_PUNCT, IS_SPACE]

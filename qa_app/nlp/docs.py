"""Per-doc caches shared by the components: the text, its lower-cased form, lazily split sentences.

Doc.text re-joins every token on each access and components would each lower-case the text again, so both are
computed once per doc and kept in doc.user_data (plain strings: no reference cycles).
"""
from __future__ import annotations

import numpy
from spacy.attrs import LOWER, NORM
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
    """The tokens' lower-case string hashes (cached): word tests become set operations on ints instead of a Python
    loop over Token objects."""
    lows = doc.user_data.get("qa_lows")
    if lows is None:
        cache_token_hashes([doc])
        lows = doc.user_data["qa_lows"]
    return lows


def lower_set(doc: Doc) -> set[int]:
    present = doc.user_data.get("qa_lowset")
    if present is None:
        present = doc.user_data["qa_lowset"] = set(lower_hashes(doc))
    return present


def pair_keys(doc: Doc) -> list[int]:
    """pair_key(lows[i], lows[i + 1]) for every adjacent token pair, in order (cached)."""
    pairs = doc.user_data.get("qa_pairs")
    if pairs is None:
        cache_token_hashes([doc])
        pairs = doc.user_data["qa_pairs"]
    return pairs


PAIR_MULT = 1000003  # bigram key: (hash(first) * PAIR_MULT + hash(second)) mod 2**64
_MASK = (1 << 64) - 1


def pair_key(first: int, second: int) -> int:
    return (first * PAIR_MULT + second) & _MASK


def cache_token_hashes(docs: list[Doc]) -> tuple[numpy.ndarray, list[int]]:
    """Fill the qa_lows / qa_pairs caches of a batch of docs and return (the batch's (LOWER, NORM) rows, each doc's
    first row). numpy's cost is mostly per call, and docs average ~34 tokens: so the batch is one array (one
    to_array per doc, the rest once per batch), and hashes become Python ints in one tolist."""
    arrays = [doc.to_array(_COLUMNS) for doc in docs] or [numpy.zeros((0, len(_COLUMNS)), dtype=numpy.uint64)]
    table = numpy.concatenate(arrays) if len(arrays) > 1 else arrays[0]
    lows_col = table[:, 0]
    lows = lows_col.tolist()
    pairs = (lows_col[:-1] * _PAIR_MULT_U64 + lows_col[1:]).tolist()  # uint64 arithmetic wraps: as pair_key
    starts, at = [], 0
    for doc, arr in zip(docs, arrays):
        end = at + len(arr)
        data = doc.user_data
        data["qa_lows"] = lows[at:end]
        data["qa_pairs"] = pairs[at:max(at, end - 1)]  # the pair across two docs (at end - 1) is left out
        starts.append(at)
        at = end
    return table, starts


_COLUMNS = [LOWER, NORM]  # NORM: read by the tone screen straight from the array
_PAIR_MULT_U64 = numpy.uint64(PAIR_MULT)

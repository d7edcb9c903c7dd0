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

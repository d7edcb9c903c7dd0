"""spaCy's lookup lemmatizer (tables from spacy-lookups-data), with a per-word cache.

The stock component looks every token up through Python string tables; caching by orth id keeps the
analysis close to plain tokenization speed. Lemmas are lower-cased so matching is case-insensitive.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc


class CachedLookupLemmatizer(Lemmatizer):
    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        if not len(doc):
            return doc
        cache = self._cache_by_orth
        orths = doc.to_array(ORTH)
        lemmas = numpy.fromiter((cache.get(o) or self._lemma_for(doc, o) for o in orths.tolist()),
                                dtype=numpy.uint64, count=len(orths))
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    def _lemma_for(self, doc: Doc, orth: int) -> int:
        strings = doc.vocab.strings
        text = strings[orth]
        lower = text.lower()
        table = self.lookups.get_table("lemma_lookup", {})
        lemma = strings.add(str(table.get(lower, table.get(text, lower))).lower())
        self._cache_by_orth[orth] = lemma
        return lemma

    def forms_by_lemma(self) -> dict[str, frozenset] | None:
        """Lower-cased words the lookup maps to each lemma, so callers can tell from the raw text whether a doc
        can contain a lemma at all; None when the table's source strings are unavailable (no pre-screen)."""
        if not hasattr(self, "_forms"):
            self._forms = _inverse_lookup(self.lookups.get_table("lemma_lookup", {}))
        return self._forms

    @property
    def _cache_by_orth(self) -> dict:
        if not hasattr(self, "_orth_cache"):
            self._orth_cache = {}
        return self._orth_cache


@Language.factory("qa_lookup_lemmatizer", assigns=["token.lemma"],
                  default_config={"model": None, "mode": "lookup", "overwrite": True, "scorer": None})
def make_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool, scorer) -> CachedLookupLemmatizer:
    return CachedLookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def _inverse_lookup(table) -> dict[str, frozenset] | None:
    # The table stores hashed keys only; its source strings come from spacy-lookups-data (checked to be the
    # same table by size and by every value).
    try:
        from spacy.util import load_language_data, registry
        data = load_language_data(registry.lookups.get("en")["lemma_lookup"])
    except Exception:  # noqa: BLE001  (no lookups package: callers lemmatize every doc)
        return None
    if len(data) != len(table) or any(table.get(k) != v for k, v in data.items()):
        return None
    inverse: dict[str, set] = {}
    for key, lemma in data.items():
        inverse.setdefault(str(lemma).lower(), set()).add(key.lower())
    return {lemma: frozenset(forms) for lemma, forms in inverse.items()}

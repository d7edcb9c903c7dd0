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

    @property
    def _cache_by_orth(self) -> dict:
        if not hasattr(self, "_orth_cache"):
            self._orth_cache = {}
        return self._orth_cache


@Language.factory("qa_lookup_lemmatizer", assigns=["token.lemma"],
                  default_config={"model": None, "mode": "lookup", "overwrite": True, "scorer": None})
def make_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool, scorer) -> CachedLookupLemmatizer:
    return CachedLookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)

"""Re-fit the politeness weights (dev only: needs scikit-learn, which the runtime never imports).

    python -m qa_app.nlp.fit_politeness [--csv PATH] [--out PATH] [--strategies-only] [--unigrams]
                                        [--min-df N [N ...]] [--no-stoplist]

Binary task of Danescu-Niculescu-Mizil et al. (ACL 2013): top quartile (polite) vs bottom quartile (impolite) of
"Normalized Score" in the Stanford Politeness Corpus (Wikipedia). The model is an L2 logistic regression over the
politeness-strategy features plus, like the paper's "linguistically informed" model, word n-grams: lower-case
unigrams and bigrams (punctuation included, so "? thanks" or "could you" are features) found in at least --min-df
requests *of the training part*. Words of a short stoplist of Wikipedia topic terms ("article", "edit", "revert")
and n-grams containing them are never features, so the model keeps to how something is asked, not what about.

Everything is chosen inside the training folds (nested CV): for each of 10 outer folds the vocabulary is learned
from the other 9 folds, and an inner 5-fold search over them picks C, the word block's weight relative to the
strategies (and min_df, when several are given); the outer fold only scores, so the reported accuracy never saw its
own test fold. Tiny n-gram weights are dropped inside each fold too. The final model repeats the same selection on
all the data. Writes {feature_names, weights, bias, words, ...} JSON read by components/politeness.py
(bigrams are stored as "first second").
"""
from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
DEFAULT_CSV = DATA / "politeness" / "wikipedia.annotated.csv"
MIN_DF = 4                     # an n-gram must occur in at least this many training requests
C_GRID = (0.1, 0.3, 1.0)
WORD_SCALES = (0.5, 1.0)       # smaller = n-gram features regularised harder than the strategies
MIN_WEIGHT = 0.01              # n-grams whose weight is smaller than this are not shipped (file size)
# Wikipedia topic terms: what a request is about on Wikipedia, not how it is asked. Never features.
_WIKI_TOPIC_TEXT = """
wikipedia wiki wp article articles edit edits edited editing editor editors page pages talk url afd template
templates infobox stub stubs wikiproject project vandalism vandal revert reverts reverted reverting userpage sandbox
category categories section sections citation citations cite cited sourced unsourced npov pov consensus admin admins
administrator administrators rfa barnstar tag tagged tagging deletion merge merged redirect image images upload
uploaded photo block blocked blocking unblock unblocked notable notability coverage album albums book books county
maps removal summary
"""
WIKI_TOPIC_WORDS = frozenset(_WIKI_TOPIC_TEXT.split())


def load_binary_task(path: Path) -> tuple[list[str], list[int]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [(r["Request"], float(r["Normalized Score"])) for r in csv.DictReader(fh)]
    scores = sorted(s for _, s in rows)
    q1, q3 = scores[len(scores) // 4], scores[(3 * len(scores)) // 4]
    texts, labels = [], []
    for text, s in rows:
        if s >= q3 or s <= q1:
            texts.append(text)
            labels.append(1 if s >= q3 else 0)
    return texts, labels


def doc_ngrams(doc, bigrams: bool = True, stop: frozenset = WIKI_TOPIC_WORDS) -> frozenset[str]:
    """The n-grams the runtime can see: lower-case tokens and pairs of adjacent tokens (whitespace tokens never
    make an n-gram, but they do separate a pair, exactly as the runtime's hash pairs do)."""
    lows = [t.lower_ for t in doc]
    ok = [bool(w.strip()) and w not in stop for w in lows]
    grams = {w for w, keep in zip(lows, ok) if keep}
    if bigrams:
        grams |= {f"{a} {b}" for a, b, ka, kb in zip(lows, lows[1:], ok, ok[1:]) if ka and kb}
    return frozenset(grams)


def make_estimator(strategies, grams):
    """A scikit-learn classifier over row indices whose n-gram vocabulary is learned from its training rows only,
    so GridSearchCV / cross-validation never leak vocabulary from a test fold."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.linear_model import LogisticRegression

    class FoldVocabularyModel(BaseEstimator, ClassifierMixin):
        def __init__(self, C: float = 1.0, scale: float = 1.0, min_df: int = MIN_DF):
            self.C = C
            self.scale = scale
            self.min_df = min_df

        def design(self, rows):
            r, c = [], []
            for i, row in enumerate(rows):
                for g in grams[row]:
                    j = self.index_.get(g)
                    if j is not None:
                        r.append(i)
                        c.append(j)
            words = sp.csr_matrix((np.full(len(r), self.scale), (r, c)), shape=(len(rows), len(self.index_)))
            return sp.hstack([sp.csr_matrix(strategies[rows]), words]).tocsr()

        def fit(self, X, y):
            rows = X[:, 0]
            df = Counter(g for row in rows for g in grams[row])
            self.vocab_ = sorted(g for g, n in df.items() if n >= self.min_df)
            self.index_ = {g: i for i, g in enumerate(self.vocab_)}
            self.model_ = LogisticRegression(C=self.C, max_iter=5000).fit(self.design(rows), y)
            # Drop tiny n-gram weights here, inside the fold, so the CV figure is that of the pruned model shipped.
            coef = self.model_.coef_[0]
            n = strategies.shape[1]
            coef[n:][abs(coef[n:] * self.scale) < MIN_WEIGHT] = 0.0
            self.classes_ = self.model_.classes_
            return self

        def decision_function(self, X):
            return self.model_.decision_function(self.design(X[:, 0]))

        def predict(self, X):
            return self.classes_[(self.decision_function(X) > 0).astype(int)]

    return FoldVocabularyModel


def main(argv: list[str] | None = None) -> float:
    import numpy as np
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    from .components.politeness import FEATURE_NAMES, WEIGHTS_PATH, politeness_features
    from .pipeline import get_nlp

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--strategies-only", action="store_true", help="no n-gram features (80.4%% variant)")
    parser.add_argument("--unigrams", action="store_true", help="unigrams only, no bigrams")
    parser.add_argument("--min-df", type=int, nargs="+", default=[MIN_DF],
                        help="min. training requests an n-gram occurs in (several: picked by the inner CV)")
    parser.add_argument("--no-stoplist", action="store_true", help="let Wikipedia topic words be features")
    args = parser.parse_args(argv)

    nlp = get_nlp()
    texts, labels = load_binary_task(args.csv)
    y = np.array(labels)
    docs = list(nlp.pipe(texts, batch_size=256))
    strategies = np.array([politeness_features(doc) for doc in docs])
    stop = frozenset() if args.no_stoplist else WIKI_TOPIC_WORDS
    grams = [frozenset() if args.strategies_only else doc_ngrams(doc, not args.unigrams, stop) for doc in docs]
    estimator = make_estimator(strategies, grams)
    scales = (1.0,) if args.strategies_only else WORD_SCALES
    rows = np.arange(len(y)).reshape(-1, 1)

    def tuned() -> GridSearchCV:
        return GridSearchCV(estimator(), {"C": list(C_GRID), "scale": list(scales),
                                         "min_df": list(args.min_df)},
                            cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=1))

    # Nested CV: the outer folds only score; vocabulary, C and the word scale come from each training part alone.
    outer = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
    correct = 0
    for train, test in outer.split(rows, y):
        correct += int((tuned().fit(rows[train], y[train]).predict(rows[test]) == y[test]).sum())
    accuracy = correct / len(y)

    search = tuned().fit(rows, y)   # final model: the same selection on all the data
    model = search.best_estimator_
    coef = model.model_.coef_[0]
    n = len(FEATURE_NAMES)
    payload = {
        "feature_names": list(FEATURE_NAMES),
        "weights": [round(float(w), 4) for w in coef[:n]],
        "bias": round(float(model.model_.intercept_[0]), 4),
        "cv_accuracy_10fold": round(accuracy, 4),
        "cv": "nested: outer 10-fold stratified (shuffled, seed 0); in each training part the n-gram vocabulary "
              "(min_df), then an inner 5-fold grid over C, word scale and min_df",
        "C": search.best_params_["C"],
        "word_scale": model.scale,
        "min_df": model.min_df,
        "n_examples": len(y),
        "word_vocabulary": None if args.strategies_only else
        f"{'unigrams' if args.unigrams else 'unigrams and bigrams'} in >= {model.min_df} training requests"
        f"{'' if args.no_stoplist else ', Wikipedia topic words excluded'}; |weight| >= {MIN_WEIGHT}",
        "source": "Stanford Politeness Corpus, Wikipedia (Danescu-Niculescu-Mizil et al., ACL 2013), "
                  "top vs bottom quartile of Normalized Score",
        # N-gram features: the fitted weight times the scale the column was given.
        "words": {g: round(float(c) * model.scale, 4) for g, c in zip(model.vocab_, coef[n:]) if c},
    }
    args.out.write_text(json.dumps(payload, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(y)} requests, {n} strategy features, {len(payload['words'])} n-gram features")
    print(f"10-fold nested cross-validated accuracy: {accuracy:.2%} (paper's figure: 83.79%)")
    print(f"weights written to {args.out}")
    return accuracy


if __name__ == "__main__":
    main()

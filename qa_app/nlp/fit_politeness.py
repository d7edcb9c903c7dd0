"""Re-fit the politeness weights (dev only: needs scikit-learn, which the runtime never imports).

    python -m qa_app.nlp.fit_politeness [--csv PATH] [--out PATH] [--C 1.0]

Binary task of Danescu-Niculescu-Mizil et al. (ACL 2013): top quartile (polite) vs bottom quartile (impolite) of
"Normalized Score" in the Stanford Politeness Corpus (Wikipedia). Prints 10-fold cross-validated accuracy and
writes {feature_names, weights, bias, ...} JSON read by components/politeness.py.
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "politeness" / "wikipedia.annotated.csv"


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


def main(argv: list[str] | None = None) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from .components.politeness import FEATURE_NAMES, WEIGHTS_PATH, politeness_features
    from .pipeline import get_nlp

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularization strength")
    args = parser.parse_args(argv)

    texts, labels = load_binary_task(args.csv)
    X = [politeness_features(doc) for doc in get_nlp().pipe(texts, batch_size=256)]
    # No intercept: a message with no strategy at all scores exactly 0.5 (neutral).
    model = LogisticRegression(C=args.C, fit_intercept=False, max_iter=2000)
    cv = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
    accuracy = float(cross_val_score(model, X, labels, cv=cv, scoring="accuracy").mean())
    model.fit(X, labels)
    payload = {
        "feature_names": list(FEATURE_NAMES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": 0.0,
        "cv_accuracy_10fold": round(accuracy, 4),
        "n_examples": len(labels),
        "C": args.C,
        "source": "Stanford Politeness Corpus, Wikipedia (Danescu-Niculescu-Mizil et al., ACL 2013), "
                  "top vs bottom quartile of Normalized Score",
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"{len(labels)} requests, {len(FEATURE_NAMES)} strategy features")
    print(f"10-fold cross-validated accuracy: {accuracy:.2%} (paper's figure: 83.79%)")
    print(f"weights written to {args.out}")
    return accuracy


if __name__ == "__main__":
    main()

"""The shipped politeness score on a labeled set of requests: accuracy at the neutral 0.5 and ranking (AUC).

    python benchmarks/eval_politeness.py --csv PATH [--csv PATH ...] [--weights PATH]

A CSV in the Stanford Politeness Corpus's formats: a "Request" column and either "Normalized Score" (the top and
bottom quartiles are the polite and impolite classes, as in the paper's binary task) or "Class label"
(polite / impolite, the corpus's quartile files). Meant for domains the model was not fitted on (the weights were
fitted on the Wikipedia part: its figure here is in-sample; the honest one is fit_politeness's nested CV). Needs
scikit-learn (requirements-dev.txt). Prints figures; not a test.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa_app.nlp.components.politeness import WEIGHTS_PATH, politeness_score  # noqa: E402
from qa_app.nlp.fit_politeness import DEFAULT_CSV, load_binary_task  # noqa: E402
from qa_app.nlp.pipeline import pipe_texts  # noqa: E402


def load_labeled(path: Path) -> tuple[list[str], list[int]]:
    """(requests, 1 = polite / 0 = impolite) from either CSV format."""
    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    if "Normalized Score" in header:
        return load_binary_task(path)
    if "Class label" not in header or "Request" not in header:
        raise SystemExit(f"{path}: needs a Request column and a Normalized Score or Class label column")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [(r["Request"], r["Class label"].strip().lower()) for r in csv.DictReader(fh)]
    unknown = sorted({label for _, label in rows} - {"polite", "impolite"})
    if unknown:
        raise SystemExit(f"{path}: Class label must be polite or impolite, not {unknown[0]!r}")
    return [text for text, _ in rows], [1 if label == "polite" else 0 for _, label in rows]


def evaluate(path: Path, weights: Path = WEIGHTS_PATH) -> None:
    from sklearn.metrics import roc_auc_score

    texts, labels = load_labeled(path)
    scores = [politeness_score(doc, str(weights)) for doc in pipe_texts(texts)]
    correct = sum((s > 0.5) == bool(y) for s, y in zip(scores, labels))
    print(f"{path.name}: {len(texts)} requests ({sum(labels)} polite, {len(labels) - sum(labels)} impolite)")
    print(f"  accuracy at 0.5: {correct / len(texts):.2%}   AUC: {roc_auc_score(labels, scores):.3f}   "
          f"mean score polite {_mean(s for s, y in zip(scores, labels) if y):.3f} / "
          f"impolite {_mean(s for s, y in zip(scores, labels) if not y):.3f}")


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, action="append", help=f"labeled requests (default: {DEFAULT_CSV})")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_PATH, help="a weights file from fit_politeness --out")
    args = parser.parse_args()
    for path in args.csv or [DEFAULT_CSV]:
        evaluate(path, args.weights)


if __name__ == "__main__":
    main()

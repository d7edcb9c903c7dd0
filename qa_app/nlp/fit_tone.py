"""Re-fit the learned tone model (dev only: needs scikit-learn, which the runtime never imports).

    python -m qa_app.nlp.fit_tone [--out PATH] [--C 0.3] [--min-df 3] [--cv]

Training data: every agent message of the labeled chats in tests/data (labeled_chats.jsonl and each held-out set in
tests/data/heldout/<set>/), positive when its "expected" holds "tone"; plus real agent messages as negatives: the
ABCD sample and half of the Twitter customer-care dev chats (by a hash of the text; the other half stays out, as a
check on real, polite agents). Features: the binary presence of lower-case word unigrams and bigrams
(..components.tone_model.ngrams: no function word alone, no digits) seen in at least --min-df messages. L2 logistic
regression.

--cv prints a leave-one-set-out estimate: for each labeled set, a model fitted without it scores it, alone and
combined with the rules (a message is flagged when a rule or the model flags it), at several thresholds; and how many
of the held-back Twitter agent messages each fold's model would flag.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import zlib
from collections import defaultdict
from pathlib import Path

import yaml

from .components.tone_model import DATA_DIR, ngrams

ROOT = Path(__file__).resolve().parents[2]
LABELED = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "data"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
MIN_WEIGHT = 0.01  # n-grams with a smaller weight are not shipped (file size)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _agent_messages(transcripts: list[dict]) -> list[tuple[str, bool]]:
    return [(m["text"], "tone" in (m.get("expected") or [])) for t in transcripts for m in t["messages"]
            if m.get("role") == "agent" and m.get("text")]


def labeled_sets() -> dict[str, list[tuple[str, bool]]]:
    sets = {"labeled": _agent_messages(read_jsonl(LABELED / "labeled_chats.jsonl"))}
    for d in sorted((LABELED / "heldout").iterdir()):
        if (d / "chats.jsonl").exists():
            sets[d.name] = _agent_messages(read_jsonl(d / "chats.jsonl"))
    return sets


def real_negatives() -> tuple[list[str], list[str]]:
    """(training negatives, held-back Twitter check): real agents, taken as not rude."""
    if not (SHARED / "twitter-customer-care" / "dev.jsonl").exists():
        raise SystemExit(f"fit_tone needs the real agent messages of {SHARED} (Twitter and ABCD) as negatives")
    twitter = [text for text, _ in _agent_messages(read_jsonl(SHARED / "twitter-customer-care" / "dev.jsonl"))]
    abcd = [text for text, _ in _agent_messages(read_jsonl(SHARED / "abcd" / "sample.jsonl"))]
    train = [t for t in twitter if zlib.crc32(t.encode("utf-8")) % 2 == 0] + abcd
    return train, [t for t in twitter if zlib.crc32(t.encode("utf-8")) % 2 == 1]


def use_rules_only(tmp_dir: Path, section: str = "model") -> None:
    """Point the analyzer at a copy of the tone pack without one of its learned models (before the pipeline is
    built): a fit must not need the weights it writes, and --cv compares against the rules alone."""
    from .components.tone import default_tone_path
    pack = yaml.safe_load(default_tone_path().read_text(encoding="utf-8")) or {}
    pack.pop(section, None)
    path = tmp_dir / "tone-rules-only.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    os.environ["QA_TONE_RULES"] = str(path)


def features(texts: list[str]) -> list[list[str]]:
    from .pipeline import get_nlp
    nlp = get_nlp()
    return [ngrams(nlp.make_doc(t)) for t in texts]


def fit(grams: list[list[str]], labels: list[bool], c: float, min_df: int):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    vectorizer = CountVectorizer(analyzer=lambda g: g, min_df=min_df, binary=True)
    x = vectorizer.fit_transform(grams)
    return vectorizer, LogisticRegression(C=c, max_iter=5000).fit(x, labels)


def rule_flags(texts: list[str]) -> list[bool]:
    """Whether the tone rules flag each agent message (..use_rules_only)."""
    from .analyze import tone_flags
    from .pipeline import pipe_texts
    return [bool(tone_flags(doc, 0, text)) for doc, text in zip(pipe_texts(texts), texts)]


def cross_validate(sets, negatives, check, c: float, min_df: int) -> None:
    grams = {name: features([t for t, _ in rows]) for name, rows in sets.items()}
    neg_grams, check_grams = features(negatives), features(check)
    rules = {name: rule_flags([t for t, _ in rows]) for name, rows in sets.items()}
    counts = defaultdict(lambda: [0, 0, 0])  # (threshold or "rules", set) -> tp, fp, fn
    check_flags = defaultdict(int)
    for held in sets:
        train_g = [g for name in sets if name != held for g in grams[name]] + neg_grams
        train_y = [y for name in sets if name != held for _, y in sets[name]] + [False] * len(neg_grams)
        vectorizer, clf = fit(train_g, train_y, c, min_df)
        p = clf.predict_proba(vectorizer.transform(grams[held]))[:, 1]
        p_check = clf.predict_proba(vectorizer.transform(check_grams))[:, 1]
        for threshold in ("rules", *THRESHOLDS):
            for (_, expected), by_rule, prob in zip(sets[held], rules[held], p):
                got = by_rule or (threshold != "rules" and prob >= threshold)
                if got or expected:  # a true positive, a false positive or a miss
                    counts[threshold, held][0 if got and expected else 1 if got else 2] += 1
            if threshold != "rules":
                check_flags[threshold] += int((p_check >= threshold).sum())
    _other_domain_check([g for name in sets for g in grams[name]] + neg_grams,
                        [y for name in sets for _, y in sets[name]] + [False] * len(neg_grams), c, min_df)
    print(f"leave-one-set-out over {len(sets)} labeled sets (C={c}, min_df={min_df}); "
          "precision / recall, rules + model")
    for threshold in ("rules", *THRESHOLDS):
        note = "" if threshold == "rules" else f"; held-back Twitter agent messages flagged: {check_flags[threshold]}"
        print(f"  {'rules only' if threshold == 'rules' else f'threshold {threshold}':<14} "
              f"{pooled(counts, sets, threshold)}{note}")


def pooled(counts: dict, names, threshold) -> str:
    """"all sets P / R, per-set recall low-high" from one threshold's (tp, fp, fn) per set."""
    rows = [counts[threshold, name] for name in names]
    tp, fp, fn = (sum(r[i] for r in rows) for i in range(3))
    recalls = sorted(r[0] / max(1, r[0] + r[2]) for r in rows)
    return (f"all sets {tp / max(1, tp + fp):.3f} / {tp / max(1, tp + fn):.3f}, "
            f"per-set recall {recalls[0]:.2f}-{recalls[-1]:.2f}")


def _other_domain_check(grams: list[list[str]], labels: list[bool], c: float, min_df: int) -> None:
    """How often a model fitted on everything flags the polite and the impolite quartile of the Wikipedia requests of
    the politeness corpus (another domain: requests between editors, not support chats)."""
    from .fit_politeness import DEFAULT_CSV, load_binary_task
    if not DEFAULT_CSV.exists():
        return
    texts, polite = load_binary_task(DEFAULT_CSV)
    vectorizer, clf = fit(grams, labels, c, min_df)
    p = clf.predict_proba(vectorizer.transform(features(texts)))[:, 1]
    for threshold in THRESHOLDS:
        flagged = [bool(x >= threshold) for x in p]
        print(f"  threshold {threshold}: Wikipedia requests flagged: polite quartile "
              f"{sum(f for f, y in zip(flagged, polite) if y)}/{sum(polite)}, impolite quartile "
              f"{sum(f for f, y in zip(flagged, polite) if not y)}/{len(polite) - sum(polite)}")


def fit_main(doc: str, weights_file: str, section: str, run) -> None:
    """The command line of a model's fit script: --out, --C, --min-df, --cv; `run(args)` with the analyzer on the
    rules alone (the tone pack without `section`)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DATA_DIR / weights_file)
    parser.add_argument("--C", type=float, default=0.3)
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--cv", action="store_true", help="print the leave-one-set-out estimate instead of fitting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        use_rules_only(Path(tmp), section)
        run(args)


def main() -> None:
    fit_main(__doc__, "tone_weights.json", "model", run)


def run(args) -> None:
    sets = labeled_sets()
    negatives, check = real_negatives()
    if args.cv:
        cross_validate(sets, negatives, check, args.C, args.min_df)
        return
    texts = [t for rows in sets.values() for t, _ in rows] + negatives
    labels = [y for rows in sets.values() for _, y in rows] + [False] * len(negatives)
    vectorizer, clf = fit(features(texts), labels, args.C, args.min_df)
    weights = {g: round(float(w), 4) for g, w in zip(vectorizer.get_feature_names_out(), clf.coef_[0])
               if abs(w) >= MIN_WEIGHT}
    args.out.write_text(json.dumps({
        "about": "qa_app/nlp/fit_tone.py: L2 logistic regression, word uni/bigrams, rude (tone) vs not",
        "messages": len(texts), "rude": sum(labels), "C": args.C, "min_df": args.min_df,
        "bias": round(float(clf.intercept_[0]), 4), "weights": dict(sorted(weights.items()))},
        ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(weights)} n-gram weights from {len(texts)} agent messages ({sum(labels)} rude) -> {args.out}")


if __name__ == "__main__":
    main()

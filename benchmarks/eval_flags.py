"""Precision and recall per category on the labeled chats (message level).

    python benchmarks/eval_flags.py [--data tests/data/labeled_chats.jsonl] [--policy rubrics/policy.yaml] [-v]
    python benchmarks/eval_flags.py --heldout     # every tests/data/heldout/<set>/ with its own policy.yaml

Each agent message in the data carries "expected": the categories a careful reviewer would flag. A message's
predicted set is the categories of the analyzer's flags on it. Etiquette is reported but not labeled exhaustively.
Also prints flag rates on the real Twitter customer-care data as a sanity check when ../shared/data is present.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa_app.nlp import analyze_transcripts, load_policy  # noqa: E402

CATEGORIES = ("tone", "empathy", "accuracy", "compliance")


def evaluate(data: Path, policy_path: Path, verbose: bool = False) -> dict[str, dict[str, float]]:
    transcripts = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    policy = load_policy(policy_path)
    tp, fp, fn = Counter(), Counter(), Counter()
    n_messages = 0
    for t, result in zip(transcripts, analyze_transcripts(transcripts, policy)):
        predicted: dict[int, set[str]] = {}
        for f in result["flags"]:
            if f["message_index"] is not None:
                predicted.setdefault(f["message_index"], set()).add(f["category"])
        for i, m in enumerate(t["messages"]):
            if m["role"] != "agent":
                continue
            n_messages += 1
            expected, got = set(m.get("expected", [])), predicted.get(i, set())
            for c in CATEGORIES:
                if c in got and c in expected:
                    tp[c] += 1
                elif c in got:
                    fp[c] += 1
                elif c in expected:
                    fn[c] += 1
            if verbose and (expected ^ got) & set(CATEGORIES):
                print(f"  {t['external_id']}#{i} expected={sorted(expected)} got={sorted(got & set(CATEGORIES))}: "
                      f"{m['text'][:110]}")
    scores = {}
    print(f"{n_messages} agent messages in {len(transcripts)} chats ({data.name})")
    print(f"{'category':<12}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    for c in CATEGORIES:
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 1.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 1.0
        scores[c] = {"precision": p, "recall": r}
        print(f"{c:<12}{p:>10.2f}{r:>8.2f}{tp[c]:>5}{fp[c]:>5}{fn[c]:>5}")
    return scores


def twitter_sanity(policy_path: Path) -> None:
    path = ROOT.parent / "shared" / "data" / "twitter-customer-care" / "dev.jsonl"
    if not path.exists():
        print("(twitter sanity check skipped: ../shared/data not present)")
        return
    transcripts = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    policy = load_policy(policy_path)
    by_rule, n_agent = Counter(), 0
    for t, result in zip(transcripts, analyze_transcripts(transcripts, policy)):
        n_agent += sum(1 for m in t["messages"] if m["role"] == "agent")
        by_rule.update(f["rule"] for f in result["flags"])
    print(f"\nSanity: real Twitter customer care, {len(transcripts)} chats, {n_agent} agent messages "
          f"(policy {policy_path.name}); flags per rule:")
    for rule, n in by_rule.most_common():
        print(f"  {rule:<34}{n:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "labeled_chats.jsonl")
    parser.add_argument("--policy", type=Path, default=ROOT / "rubrics" / "policy.yaml")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--no-twitter", action="store_true")
    parser.add_argument("--heldout", action="store_true",
                        help="score each blind set under tests/data/heldout (chats.jsonl + policy.yaml) instead")
    args = parser.parse_args()
    if args.heldout:
        for folder in sorted((ROOT / "tests" / "data" / "heldout").iterdir()):
            if (folder / "chats.jsonl").exists():
                print(f"\n== {folder.name}")
                evaluate(folder / "chats.jsonl", folder / "policy.yaml", args.verbose)
        return
    evaluate(args.data, args.policy, args.verbose)
    if not args.no_twitter:
        twitter_sanity(args.policy)


if __name__ == "__main__":
    main()

"""Re-fit the learned empathy model (dev only: needs scikit-learn, which the runtime never imports).

    python -m qa_app.nlp.fit_empathy [--out PATH] [--C 0.3] [--min-df 3] [--cv]

Training data: every agent message that answers a customer in the labeled chats of tests/data (labeled_chats.jsonl
and each held-out set in tests/data/heldout/<set>/), positive when its "expected" holds "empathy". Features: the
customer's turn and the agent's reply turn as ..components.empathy_model reads them. L2 logistic regression.

--cv prints a leave-one-set-out estimate: for each labeled set, a model fitted without it scores it, combined with
the rules (a reply is flagged when the rules flag it, or when the model reaches the threshold and the
acknowledgement rules find no acknowledgement), at several thresholds; and how many replies of the real Twitter
customer-care chats the rules alone and each fold's model with them would flag (those chats carry no labels).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .components.empathy_model import features, reply_turns
from .components.tone_model import DATA_DIR
from .fit_tone import LABELED, SHARED, THRESHOLDS, fit, fit_main, pooled, read_jsonl

MIN_WEIGHT = 0.01  # n-grams with a smaller weight are not shipped (file size)
POLICY = LABELED.parents[1] / "rubrics" / "policy.yaml"


@dataclass
class Reply:
    features: set
    upset: bool        # labeled: the reply fails a distressed customer
    by_rules: bool     # the empathy rules flag it
    acknowledges: bool


def replies(chats_path: Path, policy_path: Path, with_rules: bool = True) -> list[Reply]:
    """Every agent message of the chats (only those answering a customer have features), with the rules' verdict
    when `with_rules` (running the analyzer: only --cv needs it)."""
    from .analyze import analyze_transcripts
    from .components.empathy import acknowledges
    from .policy import load_policy
    chats = read_jsonl(chats_path)
    results = analyze_transcripts(chats, load_policy(policy_path)) if with_rules else ({"flags": []} for _ in chats)
    out = []
    for chat, result in zip(chats, results):
        flagged = {f["message_index"] for f in result["flags"] if f["category"] == "empathy"}
        messages = [(str(m.get("role", "")).lower(), m.get("text") or "") for m in chat["messages"]]
        answering = {i: (customer, reply) for i, customer, reply in reply_turns(messages)}
        for i, m in enumerate(chat["messages"]):
            if messages[i][0] != "agent":
                continue
            customer, reply = answering.get(i, ([], [m.get("text") or ""]))
            out.append(Reply(features(customer, reply) if customer else set(),
                             "empathy" in (m.get("expected") or []), i in flagged,
                             with_rules and any(acknowledges(t) for t in reply)))
    return out


def labeled_sets(with_rules: bool = True) -> dict[str, list[Reply]]:
    sets = {"labeled": replies(LABELED / "labeled_chats.jsonl", POLICY, with_rules)}
    for d in sorted((LABELED / "heldout").iterdir()):
        if (d / "chats.jsonl").exists():
            sets[d.name] = replies(d / "chats.jsonl", d / "policy.yaml", with_rules)
    return sets


def training_rows(sets: dict[str, list[Reply]]) -> list[Reply]:
    return [r for rows in sets.values() for r in rows if r.features]


def flagged(reply: Reply, probability: float, threshold) -> bool:
    """The analyzer's decision (..analyze.learned_empathy_flags); threshold "rules": the rules alone."""
    return reply.by_rules or (threshold != "rules" and bool(reply.features) and probability >= threshold
                              and not reply.acknowledges)


def _grams(rows: list[Reply]) -> list[list[str]]:
    return [sorted(r.features) for r in rows]


def cross_validate(sets: dict[str, list[Reply]], c: float, min_df: int) -> None:
    twitter = SHARED / "twitter-customer-care" / "dev.jsonl"
    check = replies(twitter, POLICY) if twitter.exists() else []
    counts = defaultdict(lambda: [0, 0, 0])  # (threshold or "rules", set) -> tp, fp, fn
    check_flags = defaultdict(int)
    for held in sets:
        train = training_rows({name: rows for name, rows in sets.items() if name != held})
        vectorizer, clf = fit(_grams(train), [r.upset for r in train], c, min_df)
        p = clf.predict_proba(vectorizer.transform(_grams(sets[held])))[:, 1]
        p_check = clf.predict_proba(vectorizer.transform(_grams(check)))[:, 1] if check else []
        for threshold in ("rules", *THRESHOLDS):
            for reply, prob in zip(sets[held], p):
                got = flagged(reply, prob, threshold)
                if got or reply.upset:
                    counts[threshold, held][0 if got and reply.upset else 1 if got else 2] += 1
            check_flags[threshold] += sum(flagged(r, prob, threshold) for r, prob in zip(check, p_check))
    print(f"leave-one-set-out over {len(sets)} labeled sets (C={c}, min_df={min_df}); precision / recall")
    for threshold in ("rules", *THRESHOLDS):
        label = "rules only" if threshold == "rules" else f"rules + {threshold}"
        print(f"  {label:<14} {pooled(counts, sets, threshold)}; Twitter replies flagged (sum over folds / "
              f"{len(sets)}): {check_flags[threshold] / len(sets):.0f} of {len(check)}")


def main() -> None:
    fit_main(__doc__, "empathy_weights.json", "empathy_model", run)


def run(args) -> None:
    if args.cv:
        cross_validate(labeled_sets(), args.C, args.min_df)
        return
    rows = training_rows(labeled_sets(with_rules=False))
    vectorizer, clf = fit(_grams(rows), [r.upset for r in rows], args.C, args.min_df)
    weights = {g: round(float(w), 4) for g, w in zip(vectorizer.get_feature_names_out(), clf.coef_[0])
               if abs(w) >= MIN_WEIGHT}
    args.out.write_text(json.dumps({
        "about": "qa_app/nlp/fit_empathy.py: L2 logistic regression, word uni/bigrams of the customer's turn (c:) "
                 "and the agent's reply (a:), reply fails an upset customer (empathy) vs not",
        "replies": len(rows), "upset": sum(r.upset for r in rows), "C": args.C, "min_df": args.min_df,
        "bias": round(float(clf.intercept_[0]), 4), "weights": dict(sorted(weights.items()))},
        ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(weights)} n-gram weights from {len(rows)} replies ({sum(r.upset for r in rows)} upset) -> {args.out}")


if __name__ == "__main__":
    main()

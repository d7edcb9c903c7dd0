"""Throughput of the full analysis vs plain spaCy tokenization, and peak memory at two input sizes.

    python benchmarks/bench_analyze.py [--messages 20000] [--processes 1] [--batch-size 256]

Input: ../shared/data/twitter-customer-care/dev.jsonl repeated (external ids made unique), or a synthetic set when
the shared data is absent. Prints figures; not a test.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from qa_app.nlp import analyze_transcripts, default_policy_path, load_policy  # noqa: E402
from qa_app.nlp.pipeline import get_nlp  # noqa: E402

TWITTER = ROOT.parent / "shared" / "data" / "twitter-customer-care" / "dev.jsonl"


def source_transcripts() -> list[dict]:
    if TWITTER.exists():
        return [json.loads(line) for line in TWITTER.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"external_id": "S", "messages": [
        {"role": "customer", "text": "My order #A12345 hasn't arrived and I'm frustrated.", "sent_at": None},
        {"role": "agent", "text": "Hi! Sorry about that. Refunds are accepted within 30 days; see "
                                  "https://help.acme-outfitters.example/returns. Anything else?", "sent_at": None}]}]


def transcripts_with(n_messages: int) -> list[dict]:
    base, out, count, i = source_transcripts(), [], 0, 0
    while count < n_messages:
        t = dict(base[i % len(base)], external_id=f"{base[i % len(base)]['external_id']}-{i}")
        out.append(t)
        count += len(t["messages"])
        i += 1
    return out


def time_analysis(transcripts, policy, batch_size, processes) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in analyze_transcripts(iter(transcripts), policy, batch_size=batch_size, n_process=processes):
        pass
    return time.perf_counter() - start, time.process_time() - cpu


def time_tokenization(texts, batch_size) -> tuple[float, float]:
    nlp = spacy.blank("en")
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start, time.process_time() - cpu


def peak_memory_mb(transcripts, policy, batch_size) -> float:
    """Peak Python allocation while streaming the analysis (results are consumed, not kept)."""
    gc.collect()
    tracemalloc.start()
    for _ in analyze_transcripts(iter(transcripts), policy, batch_size=batch_size):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()

    policy = load_policy(default_policy_path())
    get_nlp()
    list(analyze_transcripts(transcripts_with(300), policy))  # warm caches (spellchecker, VADER, matchers)

    transcripts = transcripts_with(args.messages)
    texts = [m.get("text") or "" for t in transcripts for m in t["messages"]]
    n = len(texts)
    full, full_cpu = time_analysis(transcripts, policy, args.batch_size, args.processes)
    tok, tok_cpu = time_tokenization(texts, args.batch_size)
    print(f"messages: {n} ({sum(1 for t in transcripts for m in t['messages'] if m['role'] == 'agent')} agent), "
          f"source: {'twitter dev.jsonl repeated' if TWITTER.exists() else 'synthetic'}")
    print(f"full analysis ({args.processes} process{'es' if args.processes > 1 else ''}): "
          f"{n / full:,.0f} msgs/s ({full:.2f} s)")
    print(f"spacy.blank('en') tokenization (1 process): {n / tok:,.0f} msgs/s ({tok:.2f} s)")
    print(f"ratio analysis/tokenization: {tok / full:.2f}")
    if args.processes == 1:
        # CPU time is less disturbed than wall time when other programs share the machine.
        print(f"ratio by CPU time: {tok_cpu / full_cpu:.2f} ({full_cpu:.2f} s vs {tok_cpu:.2f} s)")

    small, large = max(1000, args.messages // 10), args.messages
    for size in (small, large):
        print(f"peak traced memory, {size:>6} messages: {peak_memory_mb(transcripts_with(size), policy, args.batch_size):.1f} MB")


if __name__ == "__main__":
    main()

"""Benchmark the whole job per case, from JSON Lines: the single questions vs one pass.

    python benchmarks/bench_pipeline.py [-n 5000] [-r 3] [--profile]

Needs payerkit and the first-party plugins installed. Cases are generated from
the shipped examples ``ny-covered.toml`` and ``premera-covered.toml``
(invented patients), varying names, minutes and visit dates, and kept as JSON
Lines text in memory, so "load" is parse + structure + validation. Control
numbers and the clock are fixed: the timed loops do no disk I/O.

Two pipelines run on the same cases, alternating repeats (the machine's speed
drifts; the ratio much less):

* ``questions``: what a caller of the single questions does (and what
  ``payerkit demo`` did): ``check``, ``price``, ``limits``, ``payment_terms``,
  ``scrub`` and ``claim``, each asked separately.
* ``one pass``: what ``payerkit batch`` does per case: ``evaluate`` once, then
  the claim goes into its payer's interchange (:class:`Interchange837P`).

Prints µs per case (best and median of the repeats) for each, the speed-up,
and the one-pass pipeline's stages. ``--profile`` prints the one-pass
pipeline's cProfile top functions.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import random
import statistics
import time
from pathlib import Path

from payerkit import PayerKit
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.formats.x12_837p import Interchange837P, interchange_key
from payerkit.io import case_from_text, load_case, unstructure_case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOW = dt.datetime(2026, 3, 20, 12, 0)
OPTIONS = WriteOptions(ControlNumbers(1, 1, 1), NOW)
WRITTEN = NOW.date()


def generate(n: int, seed: int = 7) -> list[str]:
    """``n`` JSON Lines cases (text), alternating New York no-fault and Premera."""
    rng = random.Random(seed)
    templates = [unstructure_case(load_case(EXAMPLES / name))
                 for name in ("ny-covered.toml", "premera-covered.toml")]
    texts = []
    for i in range(n):
        data = copy.deepcopy(templates[i % len(templates)])
        data["patient"]["first_name"] = f"PATIENT{i}"
        for service in data["visits"][-1]["services"]:
            if service.get("minutes") is not None:
                service["minutes"] = rng.randint(8, 45)
        texts.append(json.dumps(data))
    return texts


def questions(texts: list[str], kit: PayerKit) -> int:
    written = 0
    for text in texts:
        case = case_from_text(text, "case.json", EXAMPLES)
        kit.check(case)
        kit.price(case)
        kit.limits(case)
        kit.payment_terms(case)
        if not kit.scrub(case, written_on=WRITTEN).errors:
            kit.claim(case, "x12-837p", options=OPTIONS)
            written += 1
    return written


def one_pass(texts: list[str], kit: PayerKit, stages: dict | None = None) -> int:
    writers: dict[tuple, Interchange837P] = {}
    numbers = iter(range(1, 10**9)).__next__
    clock = time.perf_counter
    written = 0
    for text in texts:
        t0 = clock()
        case = case_from_text(text, "case.json", EXAMPLES)
        t1 = clock()
        ev = kit.evaluate(case, written_on=WRITTEN)
        t2 = clock()
        if ev.clean:
            key = interchange_key(ev.claim)
            writer = writers.get(key)
            if writer is None:
                writer = writers[key] = Interchange837P(io.BytesIO(), numbers, NOW)
            writer.add(ev.claim)
            written += 1
        t3 = clock()
        if stages is not None:
            stages["load"] += t1 - t0
            stages["evaluate"] += t2 - t1
            stages["write"] += t3 - t2
    for writer in writers.values():
        writer.close()
    return written


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5_000)
    parser.add_argument("-r", "--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    texts = generate(args.n)
    kit = PayerKit(strict=True)
    questions(texts[:50], kit)  # warm caches (code index, routes)
    written = one_pass(texts[:50], kit)
    before, after = [], []
    for _ in range(args.repeats):
        before.append(timed(questions, texts, kit))
        after.append(timed(one_pass, texts, kit))
    stages = dict.fromkeys(("load", "evaluate", "write"), 0.0)
    written = one_pass(texts, kit, stages)
    n = args.n
    print(f"{n} cases from JSON Lines x {args.repeats} repeats; claims written: {written}")
    for name, times in (("questions", before), ("one pass", after)):
        print(f"  {name:10} best {min(times) / n * 1e6:7.1f} µs/case ({n / min(times):8,.0f}/s)"
              f"  median {statistics.median(times) / n * 1e6:7.1f} µs/case")
    print(f"  speed-up (medians): {statistics.median(before) / statistics.median(after):.2f}x")
    print("  one-pass stages (one run): " + ", ".join(
        f"{k} {v / n * 1e6:.1f} µs" for k, v in stages.items()))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(one_pass, texts, kit)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

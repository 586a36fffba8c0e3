"""Benchmark the whole job per case: load → check → price → scrub → 837P.

    python benchmarks/bench_pipeline.py [-n 10000] [-r 3]

Needs payerkit and both first-party plugins installed. Cases are generated
from the shipped examples ``ny-covered.toml`` and ``premera-covered.toml``
(invented patients), varying names, minutes and visit dates, and kept as JSON
text in memory, so "load" is parse + structure + validation. Control
numbers and the clock are fixed: the timed loop does no disk I/O.
Prints cases per second for the whole pipeline and the time of each stage.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path

from payerkit import PayerKit
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.io import load_case, parse_text, structure_case, unstructure_case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OPTIONS = WriteOptions(ControlNumbers(1, 1, 1), dt.datetime(2026, 3, 20, 12, 0))


def generate(n: int, seed: int = 7) -> list[str]:
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


def run(texts: list[str], kit: PayerKit) -> dict[str, float]:
    stages = dict.fromkeys(("load", "check", "price", "scrub", "claim"), 0.0)
    clock = time.perf_counter
    written = 0
    for text in texts:
        t0 = clock()
        case = structure_case(parse_text(text, "case.json"), EXAMPLES)
        t1 = clock()
        kit.check(case)
        t2 = clock()
        kit.price(case)
        t3 = clock()
        scrub = kit.scrub(case)
        t4 = clock()
        if not scrub.errors:
            kit.claim(case, "x12-837p", options=OPTIONS)
            written += 1
        t5 = clock()
        for name, a, b in (("load", t0, t1), ("check", t1, t2), ("price", t2, t3),
                           ("scrub", t3, t4), ("claim", t4, t5)):
            stages[name] += b - a
    stages["written"] = written
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("-r", "--repeats", type=int, default=3)
    args = parser.parse_args()
    texts = generate(args.n)
    kit = PayerKit(strict=True)
    run(texts[:50], kit)  # warm caches (code sets, routers)
    results = [run(texts, kit) for _ in range(args.repeats)]
    totals = [sum(r[s] for s in ("load", "check", "price", "scrub", "claim")) for r in results]
    best = results[totals.index(min(totals))]
    print(f"{args.n} cases x {args.repeats} repeats; claims written per run: {best['written']}")
    print(f"pipeline: {args.n / min(totals):,.0f} cases/s best, "
          f"{args.n / statistics.median(totals):,.0f} median "
          f"({min(totals) / args.n * 1e6:.0f} µs per case)")
    for stage in ("load", "check", "price", "scrub", "claim"):
        print(f"  {stage:6} {best[stage] / args.n * 1e6:7.1f} µs per case")


if __name__ == "__main__":
    main()

"""What the boundary's two guards cost, on bench_pipeline's cases and pipelines.

    python benchmarks/bench_guards.py [-n 300] [-r 30]

* ``case``: every question compares a fingerprint of the case before and after
  (:mod:`payerkit.fingerprint`), so a plugin that changes the frozen case is caught.
* ``json-keys``: a JSON case is parsed with an ``object_pairs_hook`` that refuses a key
  given twice (:func:`payerkit.io.parse_text`).

Each guard is switched off and on in the same process, in paired rounds that alternate
which goes first (the machine's speed drifts; a ratio within a round much less), timed in
CPU time. Prints µs per case, the ratio of the best rounds and the median of the paired
ratios (on/off) for each pipeline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import types

import bench_pipeline as bp

import payerkit.io
import payerkit.kit
from payerkit import PayerKit

FINGERPRINT = payerkit.kit.fingerprint


def case_guard(on: bool) -> None:
    payerkit.kit.fingerprint = FINGERPRINT if on else (lambda case: None)


def _loads(text, object_pairs_hook=None, **options):
    return json.loads(text, object_pairs_hook=object_pairs_hook, **options)


def _loads_lenient(text, object_pairs_hook=None, **options):
    return json.loads(text, **options)


def json_keys_guard(on: bool) -> None:  # both ways through one Python call: the same overhead
    payerkit.io.json = types.SimpleNamespace(loads=_loads if on else _loads_lenient,
                                             JSONDecodeError=json.JSONDecodeError)


def paired(switch, pipeline, texts: list[str], kit: PayerKit, rounds: int) -> dict:
    times: dict[bool, list[float]] = {False: [], True: []}
    ratios = []
    for r in range(rounds):
        took = {}
        for on in (False, True) if r % 2 == 0 else (True, False):
            switch(on)
            start = time.process_time()
            pipeline(texts, kit)
            took[on] = time.process_time() - start
            times[on].append(took[on])
        ratios.append(took[True] / took[False])
    switch(True)
    return {"off": times[False], "on": times[True], "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("-r", "--rounds", type=int, default=30)
    args = parser.parse_args()
    texts = bp.generate(args.n)
    kit = PayerKit(strict=True)
    bp.questions(texts[:50], kit)  # warm caches (code index, routes)
    bp.one_pass(texts[:50], kit)
    for name, switch in (("case", case_guard), ("json-keys", json_keys_guard)):
        for label, pipeline in (("one pass", bp.one_pass), ("questions", bp.questions)):
            t = paired(switch, pipeline, texts, kit, args.rounds)
            per_case = {k: min(t[k]) / args.n * 1e6 for k in ("off", "on")}
            print(f"{name:9} {label:9}: off {per_case['off']:7.1f} µs/case, on "
                  f"{per_case['on']:7.1f}; on/off: bests {min(t['on']) / min(t['off']):.3f}, "
                  f"median of paired rounds {statistics.median(t['ratios']):.3f}")


if __name__ == "__main__":
    main()

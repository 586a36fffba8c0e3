"""Per-case cost as more adapters are installed: routing must stay flat.

    python benchmarks/bench_adapters.py [-n 2000] [-r 5] [--counts 4,25,100]

For each count N, builds a kit with N invented adapters (each owning one
program; one in five also registers a rule set for its state and line of
business, like a state law) plus the test adapter the cases are for, and
times check + price + limits + scrub per case on the same generated cases.
Also times ``PayerKit()`` construction. Prints medians over the repeats and
the ratio to the smallest count. Needs only payerkit (no plugin installed).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import statistics
import time

from payerkit import Citation, PayerKit, Program, RuleSet, hookimpl, note
from payerkit.io import structure_case
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.units import CPT_MIDPOINT

CITE = Citation("invented benchmark rule", confidence="sample")
STATES = ("WA", "OR", "ID", "UT", "NY", "CT", "FL", "CA")
LINES = ("commercial", "auto", "workers_comp")
SCHEDULE = FeeSchedule.from_rates({"97124": "20.00", "97140": "25.00"}, CITE)


class Adapter:
    """An invented adapter with one program and, sometimes, a rule set."""

    def __init__(self, i: int, state: str, line: str, rule_set: bool):
        self.program = Program(id=f"bench-{i}", name=f"Bench {i}", line_of_business=line,
                               states=(state,), payer_id="99999", sources=(CITE,))
        self.rule_set = (RuleSet(f"bench-law-{i}", f"Bench law {i}", (state,), (line,),
                                 ("fully_insured",), (CITE,)),) if rule_set else ()

    @hookimpl
    def payerkit_programs(self):
        return [self.program]

    @hookimpl
    def payerkit_rule_sets(self):
        return list(self.rule_set)

    @hookimpl
    def payerkit_outcomes(self, program):
        return [note("BENCH-OK", f"{program.id} covers it", CITE)]

    @hookimpl
    def payerkit_units(self):
        return CPT_MIDPOINT

    @hookimpl
    def payerkit_fee_schedule(self):
        return SCHEDULE


def adapters(n: int) -> list[Adapter]:
    # the target program "bench-0" is WA commercial; every 5th adapter adds a rule set,
    # so some rule sets select it and most do not
    return [Adapter(i, STATES[i % len(STATES)], LINES[i % len(LINES)], i % 5 == 0)
            for i in range(n)]


BASE = {
    "program": "bench-0", "as_of": dt.date(2026, 3, 20),
    "provider": {"name": "Bench Massage LLC", "npi": "1234567893", "tax_id": "123456789",
                 "phone": "2065550100",
                 "address": {"line1": "100 Main St", "city": "Seattle", "state": "WA",
                             "zip": "981010001"},
                 "cash_rates": {"97124": "30.00", "97140": "35.00"}},
    "patient": {"first_name": "Bench", "last_name": "Person", "birth_date": dt.date(1980, 1, 2),
                "sex": "F", "address": {"line1": "1 Elm St", "city": "Seattle", "state": "WA",
                                        "zip": "98102"}},
    "coverage": {"member_id": "ABC123456789", "funding": "fully_insured"},
    "episode": {"kind": "illness", "onset_date": dt.date(2026, 2, 1),
                "diagnoses": ["M62.830"]},
    "visits": [{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 40}, {"code": "97140", "minutes": 15}]}],
}


def cases(n: int) -> list:
    out = []
    for i in range(n):
        data = copy.deepcopy(BASE)
        data["visits"][0]["services"][0]["minutes"] = 8 + i % 40
        out.append(structure_case(data))
    return out


def per_case(kit: PayerKit, batch: list) -> float:
    start = time.perf_counter()
    for case in batch:
        kit.check(case)
        kit.price(case)
        kit.limits(case)
        kit.scrub(case)
    return (time.perf_counter() - start) / len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="cases per repeat")
    parser.add_argument("-r", "--repeats", type=int, default=5)
    parser.add_argument("--counts", default="4,25,100")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    batch = cases(args.n)
    rows = []
    for count in counts:
        plugins = adapters(count)
        builds = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            kit = PayerKit(entry_points=False, plugins=plugins, strict=True)
            builds.append(time.perf_counter() - t0)
        per_case(kit, batch[:50])  # warm: routes, code-set caches
        timings = [per_case(kit, batch) for _ in range(args.repeats)]
        rows.append((count, statistics.median(timings), min(timings), statistics.median(builds)))
    base = rows[0][1]
    print(f"{args.n} cases x {args.repeats} repeats (check + price + limits + scrub per case)")
    print(f"{'adapters':>8}  {'median µs/case':>14}  {'best µs/case':>12}  {'vs first':>8}  "
          f"{'PayerKit() ms':>13}")
    for count, median, best, build in rows:
        print(f"{count:>8}  {median * 1e6:>14.1f}  {best * 1e6:>12.1f}  {median / base:>8.2f}  "
              f"{build * 1e3:>13.2f}")


if __name__ == "__main__":
    main()

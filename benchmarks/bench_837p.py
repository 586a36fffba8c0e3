"""Benchmark the 837P writer: one interchange per claim, and 1,000 claims per interchange.

    python benchmarks/bench_837p.py [-n 10000] [-r 5] [--per-claim | --interchange] [-k 1000]

Both modes by default. Per claim: ``write_837p`` once per claim, two service
lines each. Interchange: ``Interchange837P`` over a ``BytesIO``, ``-k`` claims
(default 1,000) per interchange, control numbers from a counter in memory.
Control numbers and the clock are fixed, so the timed loop does no disk I/O.
Prints claims/second and microseconds per claim for the best (min) repeat and
the median, and the cost of a claim in units of ``date.strftime`` timed in the
same run: absolute figures swing with machine noise, the ratio much less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

try:
    import payerkit  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.formats.x12_837p import Interchange837P, write_837p
from payerkit.model.case import Address, Person, Practitioner, Provider
from payerkit.model.claim import Claim, ClaimLine

FIRST = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo"]
LAST = ["Archer", "Baker", "Cole", "Dunn", "Ellis", "Ford", "Gray", "Hale", "Ives", "Jory"]


def build_claims(n: int) -> list[Claim]:
    """``n`` distinct invented claims: half auto accident (patient insured), half dependents."""
    billing = Provider(
        npi="1234567893", tax_id="123456789", name="Serenity Massage LLC",
        address=Address(line1="100 Main St", line2="Suite 2", city="Albany", state="NY",
                        zip="122070001"),
        phone="5185551234",
    )
    rendering = Practitioner(first_name="Jane", last_name="Doe", npi="1992999999",
                             taxonomy="225700000X")
    referring = Practitioner(first_name="Robert", last_name="Jones", npi="1245319599")
    claims = []
    for i in range(n):
        home = Address(line1=f"{i % 900 + 1} Oak Ave", city="Troy", state="NY", zip="12180")
        insured = Person(first_name=FIRST[i % 10], last_name=LAST[i // 10 % 10],
                         birth_date=dt.date(1960 + i % 40, i % 12 + 1, i % 28 + 1), sex="F",
                         address=home)
        day = dt.date(2026, 1 + i % 12, 1 + i % 28)
        lines = (
            ClaimLine(date=day, code="97124", units=4, charge=Decimal(100 + i % 50),
                      pointers=(1, 2), modifiers=("GP",)),
            ClaimLine(date=day, code="97140", units=2, charge=Decimal("50.50"),
                      pointers=(1,), control_number=f"L{i}-2"),
        )
        common = dict(
            id=f"PK-{i:06d}", program_id="bench", billing=billing, insured=insured,
            diagnoses=("M54.50", "M62.830"), lines=lines, rendering=rendering,
            sender_id="PAYERKITSUB", receiver_id="CLEARHOUSE01",
            receiver_name="Example Clearinghouse",
        )
        if i % 2:
            claims.append(Claim(
                **common, patient=insured, relation="self", member_id=f"NF{i:08d}",
                payer_name="Example Auto Insurance Co", payer_id="98765", filing_indicator="AM",
                property_casualty_claim_number=f"CLM{i:010d}", related_cause="auto",
                accident_state="NY", accident_date=dt.date(2025, 12, 20),
            ))
        else:
            child = Person(first_name="Emily", last_name=insured.last_name,
                           birth_date=dt.date(2010, 4, 5), sex="F", address=home)
            claims.append(Claim(
                **common, patient=child, relation="child", member_id=f"XYZ{i:09d}",
                group_number="GRP12345", payer_name="Example Health Plan", payer_id="12345",
                filing_indicator="CI", referring=referring, onset_date=dt.date(2026, 1, 2),
                prior_authorization=f"AUTH{i}",
            ))
    return claims


NOW = dt.datetime(2026, 1, 15, 10, 30)


def per_claim(claims: list[Claim]) -> int:
    """One interchange per claim; the bytes written."""
    options = WriteOptions(control=ControlNumbers(101, 101, 1), now=NOW)
    write = write_837p
    size = 0
    for claim in claims:
        size += len(write(claim, options))
    return size


def interchanges(claims: list[Claim], per_interchange: int) -> int:
    """``per_interchange`` claims per interchange, streamed into memory; the bytes written."""
    numbers = itertools.count(1)
    size = 0
    for start in range(0, len(claims), per_interchange):
        interchange = Interchange837P(io.BytesIO(), numbers, NOW)
        add = interchange.add
        for claim in claims[start:start + per_interchange]:
            add(claim)
        size += interchange.close().bytes
    return size


def bench(name: str, run, claims: list[Claim], repeat: int) -> None:
    total_bytes = run(claims)  # warm-up, and output size
    # Yardstick timed in the same run (machine speed drifts): one date.strftime per claim.
    days = [c.lines[0].date for c in claims]
    times, yardstick = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        run(claims)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for day in days:
            day.strftime("%Y%m%d")
        yardstick.append(time.perf_counter() - start)

    n = len(claims)
    best, median = min(times), statistics.median(times)
    print(f"837P writer, {name}: {n} claims x {repeat} repeats, 2 lines each, "
          f"{total_bytes / n:.0f} B per claim")
    print(f"  best:   {n / best:10,.0f} claims/s  {best / n * 1e6:7.2f} µs/claim  "
          f"{total_bytes / best / 1e6:6.1f} MB/s")
    print(f"  median: {n / median:10,.0f} claims/s  {median / n * 1e6:7.2f} µs/claim")
    ratio = statistics.median(t / y for t, y in zip(times, yardstick, strict=True))
    print(f"  one claim costs {ratio:.1f} x date.strftime ({min(yardstick) / n * 1e6:.2f} µs)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--claims", type=int, default=10_000)
    parser.add_argument("-r", "--repeat", type=int, default=5)
    parser.add_argument("-k", "--per-interchange", type=int, default=1_000,
                        help="claims per interchange in the interchange mode (default 1000)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--per-claim", action="store_true", help="only one interchange per claim")
    mode.add_argument("--interchange", action="store_true", help="only many claims per interchange")
    args = parser.parse_args(argv)

    claims = build_claims(args.claims)
    if not args.interchange:
        bench("one interchange per claim", per_claim, claims, args.repeat)
    if not args.per_claim:
        k = args.per_interchange
        bench(f"{k:,} claims per interchange", lambda c: interchanges(c, k), claims, args.repeat)


if __name__ == "__main__":
    main()

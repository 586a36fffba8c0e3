"""Benchmark the 837P writer: one interchange per claim, two service lines each.

    python benchmarks/bench_837p.py [-n 10000] [-r 5]

Control numbers and the clock are fixed, so the timed loop does no disk I/O.
Prints claims/second and microseconds per claim for the best (min) repeat and
the median, and the cost of a claim in units of ``date.strftime`` timed in the
same run: absolute figures swing with machine noise, the ratio much less.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from payerkit.formats.x12_837p import write_837p
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--claims", type=int, default=10_000)
    parser.add_argument("-r", "--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    claims = build_claims(args.claims)
    options = WriteOptions(control=ControlNumbers(101, 101, 1),
                           now=dt.datetime(2026, 1, 15, 10, 30))
    write = write_837p
    total_bytes = sum(len(write(c, options)) for c in claims)  # warm-up, and output size

    # Yardstick timed in the same run (machine speed drifts): one date.strftime per claim.
    days = [c.lines[0].date for c in claims]
    times, yardstick = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for claim in claims:
            write(claim, options)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for day in days:
            day.strftime("%Y%m%d")
        yardstick.append(time.perf_counter() - start)

    n = len(claims)
    best, median = min(times), statistics.median(times)
    print(f"837P writer: {n} claims x {args.repeat} repeats, 2 lines each, "
          f"{total_bytes / n:.0f} B per interchange")
    print(f"  best:   {n / best:10,.0f} claims/s  {best / n * 1e6:7.2f} µs/claim  "
          f"{total_bytes / best / 1e6:6.1f} MB/s")
    print(f"  median: {n / median:10,.0f} claims/s  {median / n * 1e6:7.2f} µs/claim")
    ratio = statistics.median(t / y for t, y in zip(times, yardstick, strict=True))
    print(f"  one claim costs {ratio:.1f} x date.strftime ({min(yardstick) / n * 1e6:.2f} µs)")


if __name__ == "__main__":
    main()

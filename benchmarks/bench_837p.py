"""Benchmark the 837P writer: one interchange per claim, and 1,000 claims per interchange.

    python benchmarks/bench_837p.py [-n 10000] [-r 5] [--per-claim | --interchange] [-k 1000]

Both modes by default. Per claim: ``write_837p`` once per claim, two service
lines each. Interchange: ``Interchange837P`` over a ``BytesIO``, ``-k`` claims
(default 1,000) per interchange, control numbers from a counter in memory.
Control numbers and the clock are fixed, so the timed loop does no disk I/O.

Each mode is timed against a plain f-string generator (``reference_837p.py``)
given the same claims, after checking that both write the same bytes: the
two run alternately (the order flips every pair), ``-r`` pairs, each run's CPU
time (``time.process_time``). Prints each side's median microseconds per claim
and the median of the paired ratios writer / reference: absolute figures swing
with the machine's load, the ratio much less. Every run writes the same claims
(what the writer renders once for the values shared, such as a practice's
address, is then rendered already, as in a practice's daily batches); with
``--cold``, claims never written before (each with a new home address).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_837p as reference  # noqa: E402 - the plain generator beside this script

FIRST = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo"]
LAST = ["Archer", "Baker", "Cole", "Dunn", "Ellis", "Ford", "Gray", "Hale", "Ives", "Jory"]


def build_claims(n: int, start: int = 0) -> list[Claim]:
    """``n`` distinct invented claims: half auto accident (patient insured), half dependents;
    each with its own ids and home address, the numbers from ``start`` on."""
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
    for i in range(start, start + n):
        home = Address(line1=f"{i + 1} Oak Ave", city="Troy", state="NY", zip="12180")
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
CONTROL = ControlNumbers(101, 101, 1)


def per_claim(claims: list[Claim]) -> list[bytes]:
    """One interchange per claim."""
    options = WriteOptions(control=CONTROL, now=NOW)
    write = write_837p
    return [write(claim, options) for claim in claims]


def per_claim_reference(claims: list[Claim]) -> list[bytes]:
    control = (CONTROL.interchange, CONTROL.group, CONTROL.transaction)
    return [reference.claim_837p(claim, control, NOW) for claim in claims]


def interchanges(claims: list[Claim], per_interchange: int) -> list[bytes]:
    """``per_interchange`` claims per interchange, streamed into memory."""
    numbers = itertools.count(1)
    written = []
    for start in range(0, len(claims), per_interchange):
        out = io.BytesIO()
        interchange = Interchange837P(out, numbers, NOW)
        add = interchange.add
        for claim in claims[start:start + per_interchange]:
            add(claim)
        interchange.close()
        written.append(out.getvalue())
    return written


def interchanges_reference(claims: list[Claim], per_interchange: int) -> list[bytes]:
    numbers = itertools.count(1)
    return [reference.interchange_837p(claims[start:start + per_interchange], numbers, NOW)
            for start in range(0, len(claims), per_interchange)]


def bench(name: str, writer, plain, claims: list[Claim], repeat: int, cold: bool = False) -> float:
    """Time ``writer`` and ``plain`` (the reference) alternately, ``repeat`` pairs, after
    checking that they write the same bytes; prints both and returns the median ratio.
    ``cold``: each run writes claims never written before (``build_claims`` further on),
    else every run writes ``claims``."""
    written = writer(claims)
    if written != plain(claims):
        raise SystemExit(f"{name}: the writer and the reference wrote different bytes")
    total_bytes = sum(map(len, written))
    times: dict[str, list[float]] = {"writer": [], "reference": []}
    sides = (("writer", writer), ("reference", plain))
    n = len(claims)
    for pair in range(repeat):
        for turn, (side, run) in enumerate(sides if pair % 2 == 0 else reversed(sides)):
            batch = build_claims(n, (2 * pair + turn + 1) * n) if cold else claims
            start = time.process_time()
            run(batch)
            times[side].append(time.process_time() - start)

    print(f"837P, {name}: {n} claims x {repeat} pairs, 2 lines each, "
          f"{total_bytes / n:.0f} B per claim, the same bytes from both"
          + (", new claims in every run" if cold else ""))
    for side, figures in times.items():
        median = statistics.median(figures)
        print(f"  {side:9} median {median / n * 1e6:7.2f} µs/claim  (best "
              f"{min(figures) / n * 1e6:7.2f})  {n / median:9,.0f} claims/s")
    ratios = [w / r for w, r in zip(times["writer"], times["reference"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"  writer / plain f-string reference: {ratio:.2f}x (median of pairs; "
          f"quartiles {statistics.quantiles(ratios, n=4)[0]:.2f}-"
          f"{statistics.quantiles(ratios, n=4)[2]:.2f})")
    return ratio


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--claims", type=int, default=10_000)
    parser.add_argument("-r", "--repeat", type=int, default=15, help="pairs of runs (15)")
    parser.add_argument("-k", "--per-interchange", type=int, default=1_000,
                        help="claims per interchange in the interchange mode (default 1000)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--per-claim", action="store_true", help="only one interchange per claim")
    mode.add_argument("--interchange", action="store_true", help="only many claims per interchange")
    parser.add_argument("--cold", action="store_true",
                        help="every run writes claims never written before (new ids, addresses)")
    args = parser.parse_args(argv)

    claims = build_claims(args.claims)
    if not args.interchange:
        bench("one interchange per claim", per_claim, per_claim_reference, claims, args.repeat,
              args.cold)
    if not args.per_claim:
        k = args.per_interchange
        bench(f"{k:,} claims per interchange", lambda c: interchanges(c, k),
              lambda c: interchanges_reference(c, k), claims, args.repeat, args.cold)


if __name__ == "__main__":
    main()

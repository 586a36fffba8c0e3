"""Benchmark the ledger: recording claims, posting an 835, the aging report; batch with the
ledger on and off.

    python benchmarks/bench_ledger.py [--claims 100000] [--payments 10000] [--postgres URL]
                                      [--batch 2000] [-r 3]

Needs payerkit[ledger] and the first-party plugins. Claims are the shipped examples' entries
(``claim_entry`` of each clean example, invented patients) copied with new claim ids, patients
and dates; the 835 pays ``--payments`` of them (``payerkit.testing.remit.write_835``), with
line payments and adjustments. Each figure is measured on SQLite (a file in a temporary
folder) and, with ``--postgres URL`` (a server where the benchmark may create a database), on
PostgreSQL. ``--batch N`` also runs ``payerkit batch`` on N cases (JSON Lines) with the ledger
off, on into a new ledger (migrated by the run) and on into a ledger that exists, as whole
processes, alternating, ``-r`` times each: the medians and their ratios to "off".
``--claims 0`` runs the batch comparison only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from attrs import evolve

ROOT = Path(__file__).resolve().parent.parent
WRITTEN = dt.date(2026, 4, 1)


def example_entries():
    import payerkit
    from payerkit.ledger import claim_entry

    kit = payerkit.PayerKit()
    found = []
    for path in sorted((ROOT / "examples").glob("*.toml")):
        ev = kit.evaluate(payerkit.load_case(path), format="x12-837p", written_on=WRITTEN)
        if ev.clean:
            found.append(claim_entry(ev, "x12-837p", WRITTEN))
    return found


def entries(n: int):
    base = example_entries()
    for i in range(n):
        entry = base[i % len(base)]
        yield evolve(entry, claim_id=f"BN{i:012d}", patient_key=f"P{i % 5000:09d}",
                     written_on=WRITTEN - dt.timedelta(days=i % 200))


def payment_file(claims: list, trace: str) -> bytes:
    from payerkit.remittance.model import Adjustment, ClaimPayment, Remittance, ServicePayment
    from payerkit.testing.remit import write_835

    payments, total = [], Decimal(0)
    for entry in claims:
        lines = []
        for line in entry.lines:
            charge = Decimal(line.charge_cents) / 100
            paid = (charge * Decimal("0.8")).quantize(Decimal("0.01"))
            lines.append(ServicePayment("HC", line.code, charge, paid, date=line.date,
                                        control_number=line.control_number,
                                        adjustments=(Adjustment("CO", "45", charge - paid),)))
        charge = sum((s.charge for s in lines), Decimal(0))
        paid = sum((s.paid for s in lines), Decimal(0))
        payments.append(ClaimPayment(entry.claim_id, "1", charge, paid, "12",
                                     f"PCN{len(payments):010d}", lines=lines))
        total += paid
    remittance = Remittance("000000001", "1", "0001", "I", total, "C", "ACH",
                            dt.date(2026, 5, 1), trace, "1999999999", "BENCH PAYER",
                            "BENCH PRACTICE", payer_id="99999", payee_npi="1234567893",
                            claims=payments)
    return write_835([remittance])


def databases(args, folder: Path):
    yield "sqlite", f"sqlite:///{folder / 'bench.sqlite3'}", None
    if args.postgres:
        import sqlalchemy as sa

        name = f"pk_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        url = sa.engine.make_url(args.postgres).set(database=name)
        yield "postgresql", url.render_as_string(hide_password=False), (admin, name)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_database(label: str, url: str, args) -> None:
    from payerkit.ledger import Ledger, post
    from payerkit.ledger.reports import aging

    made = list(entries(args.claims))
    with Ledger.open(url) as ledger:
        seconds, _ = timed(lambda: ledger.record(made))
        print(f"{label:10} record {len(made):>7} claims: {seconds:7.2f} s  "
              f"{len(made) / seconds:9.0f} claims/s")
        if args.payments:
            data = payment_file(made[:args.payments], "BENCHTRN1")
            rows = data.count(b"~")
            seconds, done = timed(lambda: post(ledger, data, dt.date(2026, 5, 2)))
            print(f"{label:10} post   {done.claims:>7} payments ({len(data) / 1e6:.1f} MB, "
                  f"{rows} segments): {seconds:7.2f} s  {done.claims / seconds:9.0f} payments/s")
            seconds, _ = timed(lambda: post(ledger, data, dt.date(2026, 5, 2)))
            print(f"{label:10} post   the same file again (skipped): {seconds:7.2f} s")
        with ledger.connect() as conn:
            seconds, report = timed(lambda: aging(conn, dt.date(2026, 9, 1)))
        print(f"{label:10} aging  over {len(made):>7} claims ({len(report['claims'])} awaiting): "
              f"{seconds:7.2f} s")


def bench_batch(args, folder: Path) -> None:
    cases = folder / "cases.jsonl"
    source = json.loads((ROOT / "payerkit" / "data" / "example-case.json").read_text())
    with cases.open("w") as out:
        for i in range(args.batch):
            case = json.loads(json.dumps(source))
            case["patient"]["first_name"] = f"Pat{i}"
            case["coverage"]["member_id"] = f"NF{i:09d}"
            out.write(json.dumps(case) + "\n")
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(folder / "data")}
    runs = {"off": [], "new ledger": [], "ledger": []}
    from payerkit.ledger import Ledger

    for r in range(args.repeat):
        Ledger.open(f"sqlite:///{folder / f'made-{r}.sqlite3'}").close()  # migrated before
        for mode in runs:
            db = folder / (f"batch-{r}.sqlite3" if mode == "new ledger" else f"made-{r}.sqlite3")
            extra = ["--db", f"sqlite:///{db}"] if mode != "off" else []
            command = [sys.executable, "-m", "payerkit", "batch", str(cases), "-o",
                       str(folder / f"out-{mode}-{r}"), "-q", "-j", "1", *extra]
            start = time.perf_counter()
            subprocess.run(command, check=False, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            runs[mode].append(time.perf_counter() - start)
    off = statistics.median(runs["off"])
    said = ", ".join(f"{mode} {statistics.median(times):.2f} s ({statistics.median(times) / off:.3f}"
                     "x)" for mode, times in runs.items() if mode != "off")
    print(f"batch of {args.batch} cases, -j 1, medians of {args.repeat} alternating runs: "
          f"ledger off {off:.2f} s; on: {said}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("-r", "--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, url, cleanup in (databases(args, folder) if args.claims else ()):
            try:
                bench_database(label, url, args)
            finally:
                if cleanup is not None:
                    admin, name = cleanup
                    with admin.connect() as conn:
                        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if args.batch:
            bench_batch(args, folder)


if __name__ == "__main__":
    main()

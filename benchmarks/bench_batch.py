"""Benchmark ``payerkit batch`` on generated case files and JSON Lines, against an API loop.

    python benchmarks/bench_batch.py [-n 10000] [--jobs 1,2] [--keep DIR]

Generates ``n`` case files (TOML, from the shipped examples, invented patients;
one in twenty is broken on purpose: bad TOML, a wrong type, an unknown program)
and a JSON Lines file of ``n`` cases, then runs, each as its own process:

* ``payerkit batch <folder> -o ... -j J --quiet`` and the same on the ``.jsonl``,
  for each ``J`` in ``--jobs``;
* a loop over the Python API doing the same work in one process
  (``load_case``/``case_from_text``, ``PayerKit.evaluate``, the claim into its
  payer's ``Interchange837P``, a result line each), for comparison.

Prints wall time, CPU time (user + system, the workers included), peak RSS of
the largest process, and cases per second. With ``--flat`` also runs the JSON
Lines batch on a fifth of the cases, to show the peak RSS does not grow with
the number of cases. Control numbers go to a temporary ``PAYERKIT_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEMPLATES = ("ny-covered.toml", "premera-covered.toml", "ct-wc-covered.toml",
             "regence-covered.toml", "ump-covered.toml", "premera-seventh-visit.toml")

API_LOOP = r"""
import datetime as dt, io, json, sys
from pathlib import Path
from payerkit import PayerKit, PayerKitError
from payerkit.batch import Item, find_items
from payerkit.formats.control import ControlNumberSource
from payerkit.formats.x12_837p import Interchange837P, interchange_key
from payerkit.output import eligibility_json, pricing_json, scrub_json
kit, numbers, now = PayerKit(), ControlNumberSource(), dt.datetime.now()
writers, out = {}, open(sys.argv[2], "w")
for item in find_items([sys.argv[1]]):
    try:
        ev = kit.evaluate(item.load(), written_on=now.date())
    except PayerKitError as exc:
        out.write(json.dumps({"path": item.source, "status": "invalid"}) + "\n")
        continue
    if ev.clean:
        key = interchange_key(ev.claim)
        w = writers.get(key)
        if w is None:
            w = writers[key] = Interchange837P(io.BytesIO(), numbers, now)
        w.add(ev.claim)
    out.write(json.dumps({"path": item.source, "eligibility": eligibility_json(ev.eligibility),
                          "pricing": pricing_json(ev.pricing), "scrub": scrub_json(ev.scrub)})
              + "\n")
for w in writers.values():
    w.close()
"""


def generate(folder: Path, n: int, templates: tuple[str, ...] = TEMPLATES) -> tuple[Path, Path]:
    """``n`` TOML case files in ``folder/cases`` and ``n`` JSON Lines in ``folder/cases.jsonl``."""
    from payerkit.io import load_case, unstructure_case

    cases = folder / "cases"
    cases.mkdir(parents=True)
    for fees in EXAMPLES.glob("*.csv"):
        shutil.copy(fees, cases)
        shutil.copy(fees, folder)
    texts = [(EXAMPLES / name).read_text() for name in templates]
    datas = [unstructure_case(load_case(EXAMPLES / name)) for name in templates]
    with open(folder / "cases.jsonl", "w") as jsonl:
        for i in range(n):
            text = texts[i % len(texts)]
            data = json.loads(json.dumps(datas[i % len(datas)]))
            data["patient"]["first_name"] = f"PATIENT{i}"
            text = re.sub(r'(\[patient\][^\[]*first_name = )"[^"]*"', rf'\1"PATIENT{i}"', text,
                          count=1)
            if i % 20 == 19:  # broken on purpose, three ways
                kind = i // 20 % 3
                if kind == 0:
                    text = "program = \n" + text
                    line = "{not json"
                elif kind == 1:
                    text = re.sub(r"as_of = \S+", "as_of = 20260302", text, count=1)
                    data["as_of"] = 20260302
                    line = json.dumps(data)
                else:
                    text = re.sub(r'program = "[^"]+"', 'program = "nobody-pays"', text, count=1)
                    data["program"] = "nobody-pays"
                    line = json.dumps(data)
            else:
                line = json.dumps(data)
            (cases / f"case-{i:06d}.toml").write_text(text)
            jsonl.write(line + "\n")
    return cases, folder / "cases.jsonl"


#: Runs a command and prints its children's CPU time and largest peak RSS: a fresh process
#: per run, so one run's peak is not another's (the OS keeps the largest child's peak).
MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": done.returncode, "err": done.stderr[-2000:],
                  "cpu": usage.ru_utime + usage.ru_stime, "rss_kib": usage.ru_maxrss}))
"""


def run(argv: list[str], env: dict, ok=(0, 1)) -> dict:
    """Run a command; its wall time, CPU time (its children included) and the peak RSS of its
    largest process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, *argv], env=env, capture_output=True,
                          text=True, check=True)
    wall = time.perf_counter() - start
    figures = json.loads(done.stdout)
    if figures["code"] not in ok:
        raise SystemExit(f"{' '.join(argv)} failed ({figures['code']}): {figures['err']}")
    return {"wall": wall, "cpu": figures["cpu"], "rss_mib": figures["rss_kib"] / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--flat", action="store_true", help="also run on n/5 cases (RSS)")
    parser.add_argument("--keep", help="generate into this folder and keep it")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pk-bench-"))
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(folder / "data")}
    payerkit = shutil.which("payerkit") or sys.exit("payerkit is not installed")
    try:
        t0 = time.perf_counter()
        cases, jsonl = generate(folder, args.n)
        print(f"generated {args.n} case files and a {args.n}-line JSON Lines file "
              f"({time.perf_counter() - t0:.1f} s) in {folder}")
        rows = []
        for label, source in (("files", cases), ("jsonl", jsonl)):
            for jobs in (int(j) for j in args.jobs.split(",")):
                out = folder / f"out-{label}-{jobs}"
                figures = run([payerkit, "batch", str(source), "-o", str(out), "-j", str(jobs),
                               "--quiet", "--json"], env)
                rows.append((f"payerkit batch {label} -j {jobs}", figures))
            figures = run([sys.executable, "-c", API_LOOP, str(source),
                           str(folder / f"api-{label}.jsonl")], env, ok=(0,))
            rows.append((f"API loop {label} (1 process)", figures))
        if args.flat:
            small = folder / "small.jsonl"
            with open(jsonl) as whole, open(small, "w") as part:
                for i, line in enumerate(whole):
                    if i < args.n // 5:
                        part.write(line)
            figures = run([payerkit, "batch", str(small), "-o", str(folder / "out-small"),
                           "-j", "1", "--quiet"], env)
            rows.append((f"payerkit batch jsonl -j 1, {args.n // 5} cases", figures))
        print(f"{'run':42} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8} {'cases/s':>9}")
        for label, f in rows:
            n = args.n // 5 if label.endswith(f"{args.n // 5} cases") else args.n
            print(f"{label:42} {f['wall']:8.2f} {f['cpu']:8.2f} {f['rss_mib']:8.1f} "
                  f"{n / f['wall']:9,.0f}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

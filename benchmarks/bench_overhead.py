"""Benchmark what a batch pass costs around reading and evaluating: its own work per case,
and its start-up, against another checkout of payerkit's source.

    python benchmarks/bench_overhead.py --reference-tree OTHER_CHECKOUT [-n 2000] [--pairs 7]

**Per case.** Each side runs in a process of its own (this checkout's ``payerkit``, or the
reference tree's, put first on ``sys.path``; the installed plugins serve both), on the same
``n`` cases (``bench_batch.generate``: JSON Lines, one in twenty broken on purpose). Every
case is read and evaluated once before the clock starts; then :func:`payerkit.batch.run_batch`
runs ``--repeats`` times with reading and evaluating served from that store (``Item.load``
and ``PayerKit.evaluate`` answer at once; the claim's rendering is the one made before) and
the 837P stream replaced by one that only counts. What is left is the batch's own work:
the items, the result lines and their JSON, file names, the summary, the driver's loop, the
files written. Its CPU time per case (the median of the repeats) is compared between the
sides, alternating which side runs first (``--pairs`` pairs; the median of the ratios).

**Start-up.** ``payerkit batch`` on a one-case JSON Lines file, a fresh process each time
(each side's source tree first on ``sys.path``, so both are imported alike), alternating
the sides; its CPU time (user + system), median of ``--pairs`` pairs each way.
With ``--reference`` (another ``payerkit`` executable, e.g. an older release's) that
command is a third side of the start-up comparison.

``--instructions`` counts the per-case instructions instead (valgrind's callgrind: a
process that runs the batch twice less one that runs it once, each side once; the same count every time,
where CPU time on a shared machine varies by a tenth from run to run).

Control numbers go to a temporary ``PAYERKIT_DATA_DIR``. ``PYTHONDONTWRITEBYTECODE`` is
unset for every run, and each side runs once unmeasured first, so both have their compiled
bytecode cached.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_batch import generate  # noqa: E402 - the benchmarks' one case generator
from bench_versions import TEMPLATES  # noqa: E402 - cases every side reads alike

#: The per-case measurement, run in a process of its own: argv is the source tree ("" for
#: this checkout), the JSON Lines file, a scratch folder and the number of repeats.
CHILD = r"""
import datetime as dt, gc, json, statistics, sys, time
from pathlib import Path
tree, cases, scratch, repeats = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
if tree:
    sys.path.insert(0, tree)
import attrs
import payerkit
from payerkit import batch
from payerkit.batch import BatchSettings, find_items, run_batch
from payerkit.formats import X12_837P
from payerkit.formats.options import WriteOptions
from payerkit.kit import PayerKit
assert not tree or payerkit.__file__.startswith(tree), payerkit.__file__

NOW = dt.datetime(2026, 3, 20, 12, 0)
kit = PayerKit()
items = list(find_items([cases]))
loaded, evaluated = {}, {}


class Served:  # the evaluation's pass, answering to_stream with the rendering made before
    def __init__(self, rendering):
        self.rendering = rendering

    def write(self, format_id, options=None, *, stream=False):
        return self.rendering


for item in items:
    key = (item.source, item.line)
    try:
        case = loaded[key] = batch.Item.load(item)
        ev = kit.evaluate(case, None, None, format=X12_837P, written_on=NOW.date())
    except Exception as exc:
        loaded.setdefault(key, exc)
        evaluated[id(loaded[key])] = exc
        continue
    if ev.clean:
        ev = attrs.evolve(ev, run=Served(ev.to_stream(WriteOptions(None, NOW))))
    evaluated[id(case)] = ev


def load(item):
    found = loaded[(item.source, item.line)]
    if isinstance(found, Exception):
        raise found
    return found


class Counted:  # a stream that only counts what it is given
    def __init__(self, out, numbers, options):
        self.claims = 0

    def add(self, rendering):
        self.claims += 1
        return {"claim_id": "X", "interchange": 1, "transaction": 1}

    def close(self):
        return self


class Served837P:  # the kit, answering evaluate from the store, its 837P streaming to Counted
    def __init__(self, kit):
        self.kit = kit
        self.format = attrs.evolve(kit.claim_format_of(X12_837P), stream=Counted)

    def __getattr__(self, name):
        return getattr(self.kit, name)

    def claim_format_of(self, format_id):
        return self.format if format_id == X12_837P else self.kit.claim_format_of(format_id)

    def evaluate(self, case, visit=None, as_of=None, *, format=None, written_on=None):
        found = evaluated[id(case)]
        if isinstance(found, Exception):
            raise found
        return found


batch.Item.load = load
served = Served837P(kit)
gc.collect()
gc.freeze()
times = []
for run in range(repeats):
    settings = BatchSettings(scratch / f"out-{run}", now=NOW, written_on=NOW.date(),
                             data_dir=scratch / "data")
    start = time.process_time()
    summary = run_batch(iter(items), settings, kit=served, jobs=1)
    times.append(time.process_time() - start)
print(json.dumps({"per_case_us": statistics.median(times or [0]) / len(items) * 1e6}))
"""

#: ``payerkit batch`` from a source tree (the first argument), for the start-up runs.
FROM_TREE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from payerkit.cli import main; " \
            "sys.exit(main())"


def child_env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PAYERKIT_DATA_DIR"] = str(data)
    env["PYTHONHASHSEED"] = "0"  # the same dicts and sets every run: counts that repeat
    return env


def per_case(tree: str, cases: Path, scratch: Path, repeats: int) -> float:
    """The batch's own CPU µs per case on one side (``tree``: "" for this checkout)."""
    return json.loads(_child(tree, cases, scratch, repeats).splitlines()[-1])["per_case_us"]


def instructions_per_case(tree: str, cases: Path, scratch: Path, n: int) -> float:
    """The batch's own instructions per case on one side (valgrind's callgrind): a process
    that runs the batch twice, less one that runs it once (what a first run imports or
    sets up is not counted)."""
    _child(tree, cases, scratch, 1)  # unmeasured: bytecode compiled and cached first
    counts = []
    for repeats in (2, 1):
        found = re.search(r"I\s+refs:\s+([0-9,]+)", _child(tree, cases, scratch, repeats,
                                                           valgrind=True))
        if found is None:
            raise SystemExit("valgrind gave no count")
        counts.append(int(found.group(1).replace(",", "")))
    return (counts[0] - counts[1]) / n


def _child(tree: str, cases: Path, scratch: Path, repeats: int, valgrind: bool = False) -> str:
    scratch.mkdir()
    try:
        argv = [sys.executable, "-c", CHILD, tree, str(cases), str(scratch), str(repeats)]
        if valgrind:
            argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv]
        done = subprocess.run(argv, env=child_env(scratch / "data"), capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise SystemExit(f"the per-case run failed: {done.stderr[-3000:]}")
        return done.stderr if valgrind else done.stdout
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def start_up(argv: list[str], case: Path, scratch: Path) -> float:
    """CPU seconds of a one-case ``payerkit batch`` (``argv``: the command before ``batch``)."""
    scratch.mkdir()
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([*argv, "batch", str(case), "-o", str(scratch / "out"), "-j", "1",
                               "-q"], env=child_env(scratch / "data"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{argv} failed ({done.returncode}): {done.stderr[-2000:]}")
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def ratios(mine: list[float], theirs: list[float]) -> str:
    each = [a / b for a, b in zip(mine, theirs, strict=True)]
    return f"{statistics.median(each):.3f}x (each pair: {', '.join(f'{r:.2f}' for r in each)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-tree", required=True,
                        help="another checkout of payerkit (the folder holding payerkit/)")
    parser.add_argument("--reference", help="also compare start-up with this payerkit command")
    parser.add_argument("-n", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5, help="batch runs per process")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--skip-start-up", action="store_true")
    parser.add_argument("--skip-per-case", action="store_true")
    parser.add_argument("--instructions", action="store_true",
                        help="per case: count instructions (valgrind; use a few hundred cases)")
    args = parser.parse_args()
    tree = str(Path(args.reference_tree).resolve())
    if not (Path(tree) / "payerkit" / "__init__.py").exists():
        sys.exit(f"no payerkit/ in {tree}")
    folder = Path(tempfile.mkdtemp(prefix="pk-overhead-"))
    try:
        _, jsonl = generate(folder, args.n, TEMPLATES)
        one = folder / "one.jsonl"
        with open(jsonl) as whole:
            one.write_text(whole.readline())
        if args.instructions:
            counts = {name: instructions_per_case(side, jsonl, folder / f"ir-{name}", args.n)
                      for name, side in (("this", ""), ("reference", tree))}
            print(f"batch's own work per case ({args.n} cases, instructions): this "
                  f"{counts['this']:,.0f}, reference {counts['reference']:,.0f}; ratio "
                  f"{counts['this'] / counts['reference']:.3f}x")
        elif not args.skip_per_case:
            sides = {"this": "", "reference": tree}
            figures: dict[str, list[float]] = {name: [] for name in sides}
            per_case("", jsonl, folder / "warm", 1)
            for pair in range(args.pairs):
                for name in (list(sides) if pair % 2 == 0 else list(reversed(sides))):
                    figures[name].append(per_case(sides[name], jsonl, folder / f"pc-{name}",
                                                  args.repeats))
            print(f"batch's own work per case ({args.n} cases, {args.repeats} runs a process, "
                  f"{args.pairs} pairs): this {statistics.median(figures['this']):.1f} µs, "
                  f"reference {statistics.median(figures['reference']):.1f} µs")
            print(f"  ratio this/reference: {ratios(figures['this'], figures['reference'])}")
        if not args.skip_start_up:
            commands = {"this": [sys.executable, "-c", FROM_TREE, str(HERE.parent)],
                        "reference": [sys.executable, "-c", FROM_TREE, tree]}
            if args.reference:
                commands["release"] = [args.reference]
            times: dict[str, list[float]] = {name: [] for name in commands}
            for name, argv in commands.items():
                start_up(argv, one, folder / f"warm-{name}")
            for pair in range(args.pairs * 2):
                for name in (list(commands) if pair % 2 == 0 else list(reversed(commands))):
                    times[name].append(start_up(commands[name], one, folder / f"su-{name}"))
            print(f"start-up (a one-case batch, {args.pairs * 2} runs each): " + ", ".join(
                f"{name} {statistics.median(t) * 1000:.0f} ms" for name, t in times.items()))
            for name in commands:
                if name != "this":
                    print(f"  ratio this/{name}: {ratios(times['this'], times[name])}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Compare the CPU of one batch pass between this checkout's payerkit and another install.

    python benchmarks/bench_versions.py --reference OTHER/bin/payerkit [-n 2000] [--pairs 5]

Generates ``n`` cases as JSON Lines (``bench_batch.generate``: the shipped examples with
invented patients, one in twenty broken on purpose; ``--templates`` chooses the examples,
by default those whose case file an older payerkit reads too: the Connecticut workers'
compensation case gained ``coverage.employer``, which an older one refuses, and a side that
refuses a case does less work), then runs
``payerkit batch cases.jsonl -o OUT -j 1 -q`` with this checkout's ``payerkit`` and with
the reference command, alternately (the order flips every pair, so neither always runs
on a warm or a cold machine), ``--pairs`` times. Each run is a fresh process with its own
empty output folder and control-number counter; its CPU time (user + system) is the
change in this process's ``RUSAGE_CHILDREN`` across the run. Both sides first run once
unmeasured, with ``PYTHONDONTWRITEBYTECODE`` unset (in every run), so that each has its
compiled bytecode cached: an editable checkout otherwise compiles its modules at every
start, an installed package does not.

Prints each side's median CPU seconds, and the median of the paired ratios
(this / reference): the figure the issue asks for (one pass per case, JSON Lines in,
837P out). Each pair also runs both sides on the first tenth of the cases, so the cost
of a case is told apart from the cost of starting (importing, loading plugins): the
marginal CPU per case, ``(cpu(n) - cpu(n/10)) / (n - n/10)``, and its ratio. The
reference is any ``payerkit`` executable, e.g. an install of an older commit in its own
virtual environment; nothing about it is assumed but its CLI.

``--instructions`` counts instructions instead of CPU time (valgrind's callgrind, each run
some fifty times slower; use a few hundred cases): the same count every time, where the
CPU time of a machine shared with other work varies by a tenth from run to run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import generate  # noqa: E402 - the benchmarks' one case generator

#: The examples every payerkit since the one-pass batch (b53028a) reads alike.
TEMPLATES = ("ny-covered.toml", "premera-covered.toml", "regence-covered.toml",
             "ump-covered.toml", "premera-seventh-visit.toml")


def cpu_of(argv: list[str], env: dict) -> float:
    """Run ``argv`` to its end; the CPU seconds it (and its children) used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some cases refused (the broken ones)
        raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions_of(argv: list[str], env: dict) -> float:
    """Run ``argv`` under valgrind's callgrind; the instructions it executed."""
    interpreter = Path(argv[0]).read_text(errors="replace").partition("\n")[0]
    program = [interpreter[2:].strip(), *argv] if interpreter.startswith("#!") else argv
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *program], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    found = re.search(r"I\s+refs:\s+([0-9,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count: {done.stderr[-2000:]}")
    return float(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="the other payerkit executable")
    parser.add_argument("--payerkit", default=None,
                        help="this side's payerkit (default: the one beside this Python)")
    parser.add_argument("-n", type=int, default=2_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--templates", nargs="+", default=list(TEMPLATES),
                        help="the examples the cases are made from")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions (valgrind) instead of CPU time")
    args = parser.parse_args()
    ours = args.payerkit or str(Path(sys.executable).with_name("payerkit"))
    if not Path(ours).exists():
        ours = shutil.which("payerkit") or sys.exit("payerkit is not installed")
    folder = Path(tempfile.mkdtemp(prefix="pk-versions-"))
    try:
        _, jsonl = generate(folder, args.n, tuple(args.templates))
        few = args.n // 10
        tenth = folder / "tenth.jsonl"
        with open(jsonl) as whole, open(tenth, "w") as part:
            part.writelines(line for _, line in zip(range(few), whole, strict=False))
        sides = {"this": ours, "reference": args.reference}
        times: dict[str, list[float]] = {name: [] for name in sides}
        marginal: dict[str, list[float]] = {name: [] for name in sides}

        def batch(name: str, run: Path, cases: Path = jsonl) -> float:
            env = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
            env["PAYERKIT_DATA_DIR"] = str(run / "data")
            argv = [sides[name], "batch", str(cases), "-o", str(run / "out"),
                    "-j", str(args.jobs), "-q"]
            try:
                return (instructions_of if args.instructions else cpu_of)(argv, env)
            finally:
                shutil.rmtree(run, ignore_errors=True)

        for name in sides:  # warm-up: bytecode compiled and cached, code index built
            batch(name, folder / f"warm-{name}")
        for pair in range(args.pairs):
            order = list(sides) if pair % 2 == 0 else list(reversed(sides))
            for name in order:
                times[name].append(batch(name, folder / f"run-{pair}-{name}"))
                start = batch(name, folder / f"few-{pair}-{name}", tenth)
                marginal[name].append((times[name][-1] - start) / (args.n - few))
            print(f"pair {pair + 1}: this {times['this'][-1]:.4g}, reference "
                  f"{times['reference'][-1]:.4g}", flush=True)
        unit = "instructions" if args.instructions else "s of CPU"
        print(f"{args.n} cases, JSON Lines in, 837P out, -j {args.jobs}, {args.pairs} pairs")
        for name in sides:
            each = statistics.median(marginal[name])
            print(f"  {name:9} median {statistics.median(times[name]):.4g} {unit}; a case "
                  + (f"{each:,.0f} instructions" if args.instructions else f"{each * 1e6:.0f} µs")
                  + " (marginal)")
        for label, figures in (("whole run", times), ("per case", marginal)):
            ratios = [a / b for a, b in zip(figures["this"], figures["reference"], strict=True)]
            print(f"  ratio this/reference, {label} (median of pairs): "
                  f"{statistics.median(ratios):.3f}x "
                  f"(each pair: {', '.join(f'{r:.3f}' for r in ratios)})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Compare the CPU of ``payerkit batch`` per claim with pyx12 validating the same claims.

    python benchmarks/bench_pyx12.py [-n 2000] [--pairs 5] [--instructions]

Generates ``n`` cases as JSON Lines (``bench_batch.generate``, the examples
``bench_versions`` uses: invented patients, one in twenty broken on purpose), and runs
``payerkit batch cases.jsonl -o OUT -j 1 -q``: it reads each case, evaluates it and writes
each clean claim into its payer's 837P interchange. Then pyx12's validator (``x12valid``,
pyx12 4.0.0, the test extra's) reads the interchanges that run wrote. Both are fresh
processes; a run's CPU time (user + system) is the change in this process's
``RUSAGE_CHILDREN`` across it. Both first run once unmeasured (bytecode cached), then
alternately (the order flips every pair), ``--pairs`` times, each also on the first tenth
of the cases and that tenth's interchanges, so the cost of a claim is told apart from the
cost of starting (imports, plugins, pyx12's maps): the marginal CPU per claim written,
``(cpu(n) - cpu(n/10)) / (claims(n) - claims(n/10))``, on both sides.

Prints each side's median marginal CPU per claim and the median of the paired ratios
pyx12 / payerkit: how many claims payerkit reads, evaluates and writes in the time pyx12
takes to validate one. pyx12 must accept every interchange (else the run stops).
``--instructions`` counts instructions (valgrind's callgrind) instead of CPU time: the same
count every time; use a few hundred cases.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import generate  # noqa: E402 - the benchmarks' one case generator
from bench_versions import TEMPLATES, cpu_of, instructions_of  # noqa: E402


def claims_in(folder: Path) -> int:
    """The claims (CLM segments) in the interchanges of a batch's output folder."""
    return sum(path.read_bytes().count(b"~\nCLM*") for path in folder.glob("*.837"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions (valgrind) instead of CPU time")
    args = parser.parse_args()
    bin_ = Path(sys.executable).parent
    payerkit, x12valid = str(bin_ / "payerkit"), str(bin_ / "x12valid")
    for program in (payerkit, x12valid):
        if not Path(program).exists():
            sys.exit(f"{program} is not installed (pip install -e '.[test]')")
    measure = instructions_of if args.instructions else cpu_of
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    folder = Path(tempfile.mkdtemp(prefix="pk-pyx12-"))
    try:
        _, jsonl = generate(folder, args.n, TEMPLATES)
        few = args.n // 10
        tenth = folder / "tenth.jsonl"
        with open(jsonl) as whole, open(tenth, "w") as part:
            part.writelines(line for _, line in zip(range(few), whole, strict=False))
        sizes = {"all": jsonl, "tenth": tenth}

        def batch(size: str, run: str) -> tuple[float, Path]:
            out = folder / f"out-{size}-{run}"
            shutil.rmtree(out, ignore_errors=True)
            argv = [payerkit, "batch", str(sizes[size]), "-o", str(out), "-j", "1", "-q"]
            return measure(argv, {**env, "PAYERKIT_DATA_DIR": str(folder / f"data-{run}")}), out

        def validate(out: Path) -> float:
            files = sorted(str(path) for path in out.glob("*.837"))
            cpu = measure([x12valid, "-q", *files], env)
            for path in out.glob("*.997"):
                path.unlink()
            return cpu

        interchanges = {size: batch(size, "warm")[1] for size in sizes}  # bytecode cached
        claims = {size: claims_in(out) for size, out in interchanges.items()}
        _check_valid(x12valid, interchanges["all"], env)
        validate(interchanges["tenth"])
        extra = claims["all"] - claims["tenth"]
        per_claim: dict[str, list[float]] = {"payerkit": [], "pyx12": []}
        for pair in range(args.pairs):
            sides = ["payerkit", "pyx12"] if pair % 2 == 0 else ["pyx12", "payerkit"]
            for side in sides:
                if side == "payerkit":
                    whole, part = batch("all", str(pair))[0], batch("tenth", str(pair))[0]
                else:
                    whole, part = (validate(interchanges[size]) for size in ("all", "tenth"))
                per_claim[side].append((whole - part) / extra)
            scale = 1 if args.instructions else 1e6  # instructions are counted, not timed
            print(f"pair {pair + 1}: payerkit {per_claim['payerkit'][-1] * scale:,.0f}, pyx12 "
                  f"{per_claim['pyx12'][-1] * scale:,.0f}" + (" instructions" if args.instructions
                                                            else " µs") + " a claim", flush=True)
        unit = "instructions" if args.instructions else "µs of CPU"
        scale = 1 if args.instructions else 1e6
        print(f"{args.n} cases, {claims['all']} claims written in "
              f"{len(list(interchanges['all'].glob('*.837')))} interchanges; marginal per claim "
              f"(n and n/10), {args.pairs} pairs")
        for side, figures in per_claim.items():
            print(f"  {side:8} median {statistics.median(figures) * scale:,.0f} {unit} a claim")
        ratios = [p / k for p, k in zip(per_claim["pyx12"], per_claim["payerkit"], strict=True)]
        print(f"  ratio pyx12 / payerkit per claim (median of pairs): "
              f"{statistics.median(ratios):.2f}x (each pair: "
              f"{', '.join(f'{r:.2f}' for r in ratios)})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_valid(x12valid: str, out: Path, env: dict) -> None:
    """pyx12 accepts every interchange the batch wrote (``x12valid`` says ``OK`` for each)."""
    import subprocess

    files = sorted(str(path) for path in out.glob("*.837"))
    done = subprocess.run([x12valid, "-q", *files], env=env, capture_output=True, text=True)
    if done.stderr.count(": OK") != len(files):
        raise SystemExit(f"pyx12 did not accept every interchange:\n{done.stderr[-2000:]}")
    for path in out.glob("*.997"):
        path.unlink()


if __name__ == "__main__":
    main()

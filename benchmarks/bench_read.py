"""Compare reading a case (text → validated ``Case``) between this checkout and a reference.

    python benchmarks/bench_read.py [-n 1000] [--rounds 9] [--reference b53028a] [--instructions]

Generates ``n`` cases with ``bench_batch.generate`` (the examples of ``bench_versions``,
invented patients, one in twenty broken on purpose) and reads each with
``payerkit.io.case_from_text``, as ``payerkit batch`` does: every JSON Lines line as
``case.json`` beside the fee files, every TOML file as itself. A *worker* process reads
them all once unmeasured (fee files parsed, readers written, bytecode cached), keeping a
digest of what every case read as (the case's ``repr``, or its problem lines), then
``--passes`` times measured, and prints the CPU time (``time.process_time``) of each pass.

The reference is a git revision of this repository, exported to a temporary folder and
imported in place of this checkout (default ``b53028a``, the version before issue 14's speed
work), or a Python interpreter with another payerkit installed. Each round runs one worker
of each side, the order flipping every round; prints each side's median µs per case, the
median of the per-round ratios (this / reference), and whether both sides read every case
the same way (a reference from before a change of the model or of a message may differ).

``--instructions`` counts instructions instead (valgrind's callgrind: a worker with
``--passes`` passes less one with none, so starting and warming up cancel out): the same
count every run, where CPU time on a shared machine varies by a tenth.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import generate  # noqa: E402 - the benchmarks' one case generator
from bench_versions import TEMPLATES, instructions_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import hashlib, json, sys, time
from pathlib import Path
import payerkit
from payerkit.io import case_from_text
from payerkit.errors import CaseError

inputs, passes = json.loads(Path(sys.argv[1]).read_text()), int(sys.argv[2])

def outcomes():
    for text, name, base in inputs:
        try:
            yield repr(case_from_text(text, name, Path(base)))
        except CaseError as exc:
            yield "\n".join(exc.problems)

def one_pass():
    for text, name, base in inputs:
        try:
            case_from_text(text, name, Path(base))
        except CaseError:
            pass

digest = hashlib.sha256("\0".join(outcomes()).encode("utf-8", "surrogatepass")).hexdigest()
times = []
for _ in range(passes):
    start = time.process_time()
    one_pass()
    times.append(time.process_time() - start)
print(json.dumps({"times": times, "digest": digest, "module": payerkit.__file__}))
"""


def export(revision: str, folder: Path) -> Path:
    """The package ``payerkit`` at ``revision`` in ``folder`` (for ``PYTHONPATH``)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "payerkit"],
                             check=True, capture_output=True).stdout
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="cases of each kind")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--passes", type=int, default=3, help="measured passes per worker")
    parser.add_argument("--reference", default="b53028a",
                        help="a git revision, or a Python interpreter with payerkit installed")
    parser.add_argument("--kinds", nargs="+", default=["json", "toml"], choices=["json", "toml"])
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions (valgrind) instead of CPU time")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pk-read-"))
    try:
        cases, jsonl = generate(folder, args.n, TEMPLATES)
        inputs = {
            "json": [(line, "case.json", str(folder)) for line in jsonl.read_text().splitlines()],
            "toml": [(path.read_text(), path.name, str(cases))
                     for path in sorted(cases.glob("*.toml"))],
        }
        worker = folder / "worker.py"
        worker.write_text(WORKER)
        env = {key: value for key, value in os.environ.items()
               if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        sides = {"this": ([sys.executable, "-P", str(worker)], env)}
        if Path(args.reference).is_file():
            sides["reference"] = ([args.reference, "-I", str(worker)], env)
        else:
            package = export(args.reference, folder / "reference")
            sides["reference"] = ([sys.executable, "-P", str(worker)],
                                  {**env, "PYTHONPATH": str(package)})
        for kind in args.kinds:
            data = folder / f"{kind}.json"
            data.write_text(json.dumps(inputs[kind]))
            compare(kind, sides, data, len(inputs[kind]), args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(side: tuple[list[str], dict], data: Path, passes: int, cwd: Path) -> dict:
    argv, env = side
    done = subprocess.run([*argv, str(data), str(passes)], env=env, cwd=cwd,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"worker failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout)


def compare(kind: str, sides: dict, data: Path, count: int, args, cwd: Path) -> None:
    per_case: dict[str, list[float]] = {name: [] for name in sides}
    digests: dict[str, str] = {}
    for name, side in sides.items():  # once unmeasured: bytecode compiled and cached
        result = run(side, data, 0, cwd)
        digests[name] = result["digest"]
        print(f"{kind}: {name} reads with {result['module']}", flush=True)
    for round_ in range(args.rounds):
        order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
        for name in order:
            if args.instructions:
                argv, env = sides[name]
                many = instructions_of([*argv, str(data), str(args.passes)], env)
                none = instructions_of([*argv, str(data), "0"], env)
                per_case[name].append((many - none) / args.passes / count)
            else:
                times = run(sides[name], data, args.passes, cwd)["times"]
                per_case[name].append(min(times) / count * 1e6)
    unit = "instructions" if args.instructions else "µs"
    print(f"{kind}: {count} cases, {args.rounds} rounds of {args.passes} passes")
    for name in sides:
        print(f"  {name:9} median {statistics.median(per_case[name]):,.1f} {unit} per case")
    ratios = [a / b for a, b in zip(per_case["this"], per_case["reference"], strict=True)]
    print(f"  ratio this/reference (median of rounds): {statistics.median(ratios):.3f}x "
          f"(each round: {', '.join(f'{r:.3f}' for r in ratios)})")
    same = digests["this"] == digests["reference"]
    print(f"  every case read the same way on both sides: {'yes' if same else 'NO'}", flush=True)


if __name__ == "__main__":
    main()

"""A mutation fuzzer for the ``payerkit`` command: what a careless clerk and a hostile file do.

Each run takes a shipped example, plants invented personal markers in it
(names, member id, birth date, address), applies a *plan* of mutations
(dropped keys, wrong types, huge numbers, odd unicode, deep nesting, dates at
the ends of the calendar, unknown keys) and runs every command on it. It
counts what must never happen:

* a traceback, an "internal error" (exit 3 hiding a bug), or an exit status
  other than 0, 1, 2, 3;
* a planted personal value on the screen (stdout or stderr);
* a claim refused after a clean scrub (scrub exit 0, claim exit 1);
* a written claim that pyx12 (or the semantic 837P checks) rejects.

``tests/test_fuzz.py`` drives it with hypothesis (seeded, a few hundred
cases; ``pytest --fuzz-long`` for thousands). Run it alone with another seed::

    python tests/fuzzing.py --cases 2000 --seed 2026
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import random
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
HOSTILE = sorted(p for p in (ROOT / "tests" / "data" / "hostile").glob("*") if p.suffix != ".md")
COMMANDS = ("check", "price", "limits", "scrub", "claim")

#: Invented personal values planted in every case; none may appear on screen.
MARKERS = {
    ("patient", "first_name"): "Qzfirstname",
    ("patient", "last_name"): "Qzlastname",
    ("patient", "birth_date"): "1971-07-17",
    ("patient", "address", "line1"): "77 Qzstreet Rd",
    ("patient", "address", "city"): "Qzcity",
    ("coverage", "member_id"): "QZMEMBER77",
}
#: How a marker could appear on screen (X12 dates, upper case).
SHOWN = ("qzfirstname", "qzlastname", "1971-07-17", "19710717", "qzstreet", "qzcity",
         "qzmember77")

DEEP_LIST: object = []
for _ in range(200):  # deeper than any case; deeper still is in the hostile corpus
    DEEP_LIST = [DEEP_LIST]

#: Values a mutation may put anywhere.
VALUES: tuple = (
    None, True, False, 0, -1, 7, 10**9, 10**31, 2**63, 3.5, float("inf"),
    "", " ", "x" * 300, "forty", "1e400", "NaN", "-30.00", "30.125", "99999999999999999999",
    "Søren Łukasz-Øberg", "山田太郎", "\u202egnp.exe", "\ud800", "a*b:c~d^e", "line\nbreak\x1b[2J",
    "9999-12-31", "0001-01-01", "2099-12-31", "1899-12-31", "2026-02-30",
    [], {}, [1, 2], ["M62.830"], {"a": 1}, DEEP_LIST, "S13.4XXA", "59", "premera",
)
OPS = ("drop", "replace", "add_key", "wrap_list", "stringify")


def plant(data: dict) -> dict:
    data = copy.deepcopy(data)
    for path, value in MARKERS.items():
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return data


def paths(node, prefix=()) -> list[tuple]:
    """Every path in a JSON tree (keys and list indexes), down to 8 levels."""
    found = []
    if len(prefix) >= 8:
        return found
    if isinstance(node, dict):
        for key, value in node.items():
            found.append(prefix + (key,))
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.append(prefix + (i,))
            found += paths(value, prefix + (i,))
    return found


def mutate(data: dict, plan: list[tuple[int, int, int]]) -> dict:
    """Apply ``(path index, op index, value index)`` steps; indexes wrap around."""
    data = copy.deepcopy(data)
    for where, op_index, value_index in plan:
        everything = paths(data)
        if not everything:
            break
        path = everything[where % len(everything)]
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key, value = path[-1], VALUES[value_index % len(VALUES)]
        op = OPS[op_index % len(OPS)]
        if op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = copy.deepcopy(value) if value is not DEEP_LIST else value
        elif op == "add_key":
            target = parent[key] if isinstance(parent[key], dict) else parent
            if isinstance(target, dict):
                target[f"unknown_{value_index % 7}\n\x1b[31m"] = value if value is not DEEP_LIST else 1
        elif op == "wrap_list":
            parent[key] = [parent[key]]
        elif op == "stringify":
            parent[key] = str(parent[key])[:200]
    return data


def to_json(data: dict) -> str:
    try:
        return json.dumps(data, default=str)
    except (ValueError, RecursionError):
        return json.dumps({"program": "ny-no-fault", "deep": "x"})


def run_cli(argv: list[str]) -> tuple[int | None, str, str | None]:
    """``(exit status, screen text, traceback or None)`` of one in-process command."""
    from payerkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    problem = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - counting exactly this
            code, problem = None, traceback.format_exc()
    text = out.getvalue() + err.getvalue()
    if problem is None and "Traceback (most recent call last)" in text:
        problem = text
    return code, text, problem


class Tally:
    """Counts of what the fuzzer saw; ``failures`` keep a few examples of each."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.failures: dict[str, list[str]] = {}

    def fail(self, kind: str, detail: str) -> None:
        self.counts[kind] += 1
        self.failures.setdefault(kind, [])
        if len(self.failures[kind]) < 5:
            self.failures[kind].append(detail[:2000])

    @property
    def bad(self) -> int:
        return sum(self.counts[k] for k in ("traceback", "bad_exit", "internal_error", "phi_echoed",
                                            "refused_after_clean_scrub", "pyx12_rejected"))


def run_case(text: str, suffix: str, tally: Tally, workdir: Path, name: str,
             validate: bool = True) -> None:
    """Run every command on one case file's text and tally what happened."""
    for csv in (ROOT / "examples").glob("*.csv"):  # the examples' fee files, beside the case
        if not (workdir / csv.name).exists():
            (workdir / csv.name).write_bytes(csv.read_bytes())
    path = workdir / f"case{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = workdir / "claim.out"
    out.unlink(missing_ok=True)
    codes = {}
    for command in COMMANDS:
        argv = [command, str(path)] + (["-o", str(out)] if command == "claim" else [])
        code, screen, problem = run_cli(argv)
        codes[command] = code
        tally.counts["runs"] += 1
        tally.counts[f"exit_{code}"] += 1
        if problem is not None:
            tally.fail("traceback", f"{name} {command}: {problem}")
        elif code not in (0, 1, 2, 3):
            tally.fail("bad_exit", f"{name} {command}: exit {code}")
        elif "internal error (" in screen:  # a traceback in disguise: a bug in payerkit
            tally.fail("internal_error", f"{name} {command}: {screen[:600]}")
        lowered = screen.lower()
        shown = [m for m in SHOWN if m in lowered]
        if shown:
            tally.fail("phi_echoed", f"{name} {command}: {shown} in {screen[:800]!r}")
    if codes["scrub"] == 0 and codes["claim"] == 1:
        tally.fail("refused_after_clean_scrub", name)
    if codes["claim"] == 0 and out.exists():
        tally.counts["claims_written"] += 1
        if validate:
            from payerkit.testing.x12 import semantic_errors_837p, validate_with_pyx12

            claim = out.read_text(encoding="ascii")
            errors = validate_with_pyx12(claim) + semantic_errors_837p(claim)
            if errors:
                tally.fail("pyx12_rejected", f"{name}: {errors[:3]}")


def base_cases() -> list[dict]:
    import tomllib

    return [plant(tomllib.loads(p.read_text(encoding="utf-8"))) for p in EXAMPLES]


def fuzz(cases: int, seed: int, validate: bool = True) -> Tally:
    """The standalone run: ``cases`` mutated cases from ``random.Random(seed)``, then the corpus."""
    rng = random.Random(seed)
    bases = base_cases()
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for i in range(cases):
            base = bases[rng.randrange(len(bases))]
            plan = [(rng.randrange(10**6), rng.randrange(len(OPS)), rng.randrange(len(VALUES)))
                    for _ in range(rng.randint(0, 4))]
            run_case(to_json(mutate(base, plan)), ".json", tally, workdir, f"case {i} {plan}",
                     validate)
        for path in HOSTILE:
            run_case(path.read_bytes().decode("utf-8", "surrogateescape"), path.suffix or ".toml",
                     tally, workdir, path.name, validate)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-validate", action="store_true", help="skip pyx12 (faster)")
    args = parser.parse_args()
    import os

    os.environ.setdefault("PAYERKIT_DATA_DIR", tempfile.mkdtemp(prefix="payerkit-fuzz-"))
    tally = fuzz(args.cases, args.seed, not args.no_validate)
    for key in sorted(tally.counts):
        print(f"{key:28} {tally.counts[key]}")
    for kind, examples in tally.failures.items():
        print(f"\n== {kind}")
        for example in examples:
            print(example)
    return 1 if tally.bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())

"""The repository's examples/premera-*.toml files give the outcome their header states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from payerkit import ClaimRefused, load_case
from payerkit.formats import ControlNumbers, WriteOptions

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CASES = sorted(EXAMPLES.glob("premera-*.toml"))
OPTIONS = WriteOptions(control=ControlNumbers(1, 1, 1), now=dt.datetime(2026, 3, 2, 9, 0))


def expectations(path):
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect-"):
            key, _, value = line[len("# expect-"):].partition(":")
            found[key.strip()] = value.split("(")[0].strip()
    return found


def test_there_are_at_least_four_examples():
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_example(kit, path):
    expect = expectations(path)
    case = load_case(path)
    assert case.as_of is not None and case.program == "premera-wa"
    assert kit.check(case).status == expect["status"]
    errors = {f.code for f in kit.scrub(case).errors}
    wanted = set() if expect["errors"] == "none" else {c.strip() for c in
                                                        expect["errors"].split(",")}
    assert errors == wanted
    if expect["claim"] == "yes":
        assert kit.claim(case, "x12-837p", options=OPTIONS)
    else:
        with pytest.raises(ClaimRefused):
            kit.claim(case, "x12-837p", options=OPTIONS)

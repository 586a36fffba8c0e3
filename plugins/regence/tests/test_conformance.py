"""payerkit's adapter conformance suite, run on the Regence plugin and its examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from payerkit_regence import plugin

conformance = pytest.importorskip("payerkit.testing.conformance")

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
#: Invented cases that reach the rules the examples do not (one code or more each).
CASES = Path(__file__).resolve().parent / "cases"


class TestConformance(conformance.AdapterSuite):
    plugin = plugin
    cases = sorted([*EXAMPLES.glob("regence-*.toml"), *EXAMPLES.glob("ump-*.toml"),
                    *CASES.glob("*.toml")])


def test_the_examples_name_every_program():
    from payerkit import load_case

    programs = {load_case(p).program for p in TestConformance.cases}
    assert programs == {"regence-wa", "regence-or", "regence-id", "regence-ut", "ump"}

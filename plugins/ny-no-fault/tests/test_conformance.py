"""payerkit's conformance suite, run on this adapter and its example cases."""

from __future__ import annotations

from pathlib import Path

from payerkit.testing.conformance import AdapterSuite

from payerkit_ny_no_fault import plugin

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
#: Invented cases that reach the rules the examples do not (one code or more each).
CASES = Path(__file__).resolve().parent / "cases"


class TestConformance(AdapterSuite):
    plugin = plugin
    cases = sorted([*EXAMPLES.glob("ny-*.toml"), *CASES.glob("*.toml")])

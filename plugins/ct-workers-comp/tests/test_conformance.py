"""payerkit's adapter conformance suite, run on this adapter and its example cases."""

from __future__ import annotations

from pathlib import Path

from payerkit.testing.conformance import AdapterSuite

from payerkit_ct_workers_comp import plugin

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
#: Invented cases that reach the rules the examples do not (one code or more each).
CASES = Path(__file__).resolve().parent / "cases"


class TestConformance(AdapterSuite):
    plugin = plugin
    cases = sorted([*EXAMPLES.glob("ct-wc-*.toml"), *CASES.glob("*.toml")])


def test_the_suite_has_the_examples():
    names = {p.name for p in TestConformance.cases}
    assert {"ct-wc-covered.toml", "ct-wc-contested.toml", "ct-wc-presumed-accepted.toml",
            "ct-wc-who-bills.toml", "ct-wc-not-work-injury.toml"} <= names

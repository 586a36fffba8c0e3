"""payerkit's adapter conformance suite, run on the Premera plugin and its examples.

Installing payerkit-premera installs the Washington law it depends on, so the suite runs with
the law in the kit (``hosts``), and once more with Premera alone.
"""

from __future__ import annotations

from pathlib import Path

import payerkit_wa_insurance_law.plugin as law_plugin
import pytest

from payerkit_premera import plugin

conformance = pytest.importorskip("payerkit.testing.conformance")

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
#: Invented cases that reach the rules the examples do not (one code or more each).
CASES = Path(__file__).resolve().parent / "cases"
ALL_CASES = sorted([*EXAMPLES.glob("premera-*.toml"), *CASES.glob("*.toml")])


class TestConformance(conformance.AdapterSuite):
    plugin = plugin
    cases = ALL_CASES
    hosts = [law_plugin]


class TestConformanceWithoutTheLaw(conformance.AdapterSuite):
    plugin = plugin
    cases = ALL_CASES

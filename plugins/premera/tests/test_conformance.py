"""payerkit's adapter conformance suite, run on the Premera plugin and its examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from payerkit_premera import plugin

conformance = pytest.importorskip("payerkit.testing.conformance")

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


class TestConformance(conformance.AdapterSuite):
    plugin = plugin
    cases = sorted(EXAMPLES.glob("premera-*.toml"))

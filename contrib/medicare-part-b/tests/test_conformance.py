"""payerkit's adapter conformance suite, run on this adapter and its example cases."""

from __future__ import annotations

from pathlib import Path

from payerkit import PayerKit
from payerkit.testing.conformance import AdapterSuite

from payerkit_medicare_part_b import plugin

CASES = sorted((Path(__file__).parent / "cases").glob("*.toml"))


class TestConformance(AdapterSuite):
    plugin = plugin
    cases = CASES


def test_installed_plugin_is_discovered_through_its_entry_point():
    kit = PayerKit(strict=True)
    [entry] = [e for e in kit.programs() if e.program.id == "medicare-part-b"]
    assert entry.plugin.distribution == "payerkit-medicare-part-b"

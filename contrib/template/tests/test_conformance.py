"""payerkit's conformance suite on this adapter (payerkit.testing.conformance.AdapterSuite),
and its discovery through the entry point an installed distribution declares."""

from pathlib import Path

import payerkit_example_adapter.plugin as plugin

from payerkit import PayerKit
from payerkit.testing.conformance import AdapterSuite

CASES = sorted((Path(__file__).parent / "cases").glob("*.toml"))


class TestConformance(AdapterSuite):
    plugin = plugin
    cases = CASES


def test_installed_plugin_is_discovered_through_its_entry_point():
    program = plugin.PROGRAM.id
    entries = [e for e in PayerKit(strict=True).programs() if e.program.id == program]
    assert entries, f"no program {program!r} among the installed plugins: pip install -e . first"
    assert entries[0].plugin.distribution == "payerkit-example-adapter"

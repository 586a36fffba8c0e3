from pathlib import Path

import payerkit_example_adapter.plugin as plugin

from payerkit import PayerKit
from payerkit.testing.conformance import AdapterSuite

CASES = sorted((Path(__file__).parent / "cases").glob("*.toml"))


class TestConformance(AdapterSuite):
    plugin = plugin
    cases = CASES


def test_installed_plugin_is_discovered_through_its_entry_point():
    kit = PayerKit(strict=True)
    [entry] = [e for e in kit.programs() if e.program.id == "example-adapter"]
    assert entry.plugin.distribution == "payerkit-example-adapter"

"""The installed distribution is discovered through its ``payerkit`` entry point."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from payerkit import PayerKit


def test_discovered_through_the_entry_point():
    entries = {e.program.id: e for e in PayerKit().programs()}
    assert "ny-no-fault" in entries
    assert entries["ny-no-fault"].plugin.distribution == "payerkit-ny-no-fault"


@pytest.mark.skipif(importlib.util.find_spec("payerkit.cli") is None,
                    reason="payerkit.cli is not there yet")
def test_cli_lists_the_program():
    done = subprocess.run([sys.executable, "-m", "payerkit.cli", "programs", "--json"],
                          capture_output=True, text=True, check=True)
    assert "ny-no-fault" in json.dumps(json.loads(done.stdout))

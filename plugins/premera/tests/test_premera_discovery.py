"""The installed distribution is found through its ``payerkit`` entry point."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from payerkit import PayerKit


def test_entry_point_is_declared():
    [ep] = [ep for ep in importlib.metadata.entry_points(group="payerkit") if ep.name == "premera"]
    assert ep.value == "payerkit_premera.plugin"
    assert ep.dist.metadata["Name"] == "payerkit-premera"


def test_default_kit_lists_the_program():
    entries = {e.program.id: e for e in PayerKit(strict=True).programs()}
    entry = entries["premera-wa"]
    assert entry.plugin.name == "premera" and entry.plugin.distribution == "payerkit-premera"


def test_cli_lists_the_program():
    if importlib.util.find_spec("payerkit.cli") is None:
        pytest.skip("payerkit.cli is not there yet")
    script = Path(sys.executable).with_name("payerkit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "payerkit.cli"]
    done = subprocess.run([*command, "programs", "--json"], capture_output=True, text=True,
                          timeout=60, check=True)
    assert "premera-wa" in json.dumps(json.loads(done.stdout))

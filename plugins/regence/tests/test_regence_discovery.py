"""The installed distribution is found through its ``payerkit`` entry point."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

from payerkit import PayerKit

IDS = {"regence-wa", "regence-or", "regence-id", "regence-ut", "ump"}


def test_entry_point_is_declared():
    [ep] = [ep for ep in importlib.metadata.entry_points(group="payerkit") if ep.name == "regence"]
    assert ep.value == "payerkit_regence.plugin"
    assert ep.dist.metadata["Name"] == "payerkit-regence"
    assert ep.dist.version == "0.2.0"
    assert any(r.startswith("payerkit") and ">=0.2" in r and "<0.3" in r
               for r in ep.dist.requires or [])


def test_default_kit_lists_the_programs():
    entries = {e.program.id: e for e in PayerKit(strict=True).programs()}
    assert IDS <= set(entries)
    for pid in IDS:
        assert entries[pid].plugin.name == "regence"
        assert entries[pid].plugin.distribution == "payerkit-regence"


def test_cli_lists_the_programs():
    script = Path(sys.executable).with_name("payerkit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "payerkit.cli"]
    done = subprocess.run([*command, "programs", "--json"], capture_output=True, text=True,
                          timeout=60, check=True)
    text = json.dumps(json.loads(done.stdout))
    assert all(f'"{pid}"' in text for pid in IDS)

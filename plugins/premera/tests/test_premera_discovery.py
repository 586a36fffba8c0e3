"""The installed distribution is found through its ``payerkit`` entry point."""

from __future__ import annotations

import datetime as dt
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


def test_the_distribution_depends_on_the_washington_law():
    requires = [r.replace(" ", "") for r in importlib.metadata.requires("payerkit-premera") or []]
    [law] = [r for r in requires if r.startswith("payerkit-wa-insurance-law")]
    assert set(law.removeprefix("payerkit-wa-insurance-law").split(",")) == {">=0.2", "<0.3"}


def test_the_source_never_imports_the_law():
    source = Path(importlib.util.find_spec("payerkit_premera").origin).parent
    for path in source.glob("*.py"):
        assert "payerkit_wa_insurance_law" not in path.read_text(encoding="utf-8"), path.name


def test_default_kit_applies_the_law_to_premera(make_case, weekly):
    kit = PayerKit(strict=True)
    case = make_case(visits=weekly(dt.date(2026, 1, 5), 5))
    result = kit.check(case)
    assert result.status == "covered"
    assert {"PREMERA-NO-REVIEW-NEEDED", "WA-SIX-VISITS"} <= {r.code for r in result.reasons}

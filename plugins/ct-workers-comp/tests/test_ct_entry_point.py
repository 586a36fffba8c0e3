"""The installed distribution is discovered through its ``payerkit`` entry point."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

from payerkit import PayerKit

import payerkit_ct_workers_comp
from payerkit_ct_workers_comp.plugin import PROGRAM


def test_entry_point_is_declared():
    [ep] = [ep for ep in importlib.metadata.entry_points(group="payerkit")
            if ep.name == "ct-workers-comp"]
    assert ep.value == "payerkit_ct_workers_comp.plugin"
    assert ep.dist.metadata["Name"] == "payerkit-ct-workers-comp"
    assert ep.dist.version == payerkit_ct_workers_comp.__version__ == "0.2.0"


def test_default_kit_lists_the_program():
    entries = {e.program.id: e for e in PayerKit().programs()}
    entry = entries["ct-workers-comp"]
    assert entry.plugin.name == "ct-workers-comp"
    assert entry.plugin.distribution == "payerkit-ct-workers-comp"
    program = entry.program
    assert (program.line_of_business, program.states) == ("workers_comp", ("CT",))
    assert program.claim_filing_indicator == "WC"
    assert program.claim_formats == ("x12-837p", "cms-1500", "cms-1500-red") and program.payer_id is None


def test_program_declares_its_facts():
    assert PROGRAM.facts.__name__ == "CtFacts"


def test_cli_lists_the_program():
    done = subprocess.run([sys.executable, "-m", "payerkit.cli", "programs", "--json"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert "ct-workers-comp" in json.dumps(json.loads(done.stdout))

"""The CLI imports what a command uses, no more: ``--help`` loads no plugin machinery, and
listing programs loads no claim writer, code set or batch machinery."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from payerkit.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(argv: list[str]) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True,
                          text=True, timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


NEVER_FOR_LISTING = {"reportlab", "lxml", "simple_icd_10_cm", "tqdm", "dask", "distributed",
                     "payerkit.formats.x12_837p", "payerkit.formats.cms1500", "payerkit.batch",
                     "payerkit.formats.nf3", "payerkit.formats.superbill", "multiprocessing"}


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["batch", "--help"]])
def test_help_imports_no_plugin_machinery(argv):
    loaded = modules_after(argv)
    for name in ("payerkit.kit", "payerkit.io", "pluggy", "cattrs", "payerkit.commands",
                 *NEVER_FOR_LISTING):
        assert name not in loaded, name


@pytest.mark.parametrize("command", ["programs", "plugins"])
def test_listing_imports_no_writer_code_set_or_batch(command):
    loaded = modules_after([command])
    assert "payerkit.kit" in loaded
    assert not NEVER_FOR_LISTING & loaded, NEVER_FOR_LISTING & loaded

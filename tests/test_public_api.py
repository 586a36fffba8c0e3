"""What is public (docs/api.md), and first-party plugins use nothing else of payerkit."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import payerkit
from payerkit.model import outcome
from payerkit.testing.public_api import PUBLIC, private_imports


def test_the_shared_outcome_codes_are_exported():
    """A rule set recognises a payer's outcome by these codes, and a plugin's test a
    "verify with the plan" message by the suffix, without reaching into payerkit.model."""
    from payerkit import PRIOR_AUTHORIZATION_REQUIRED, PROVIDER_CATEGORY_EXCLUDED, UNCONFIRMED_SUFFIX

    assert PRIOR_AUTHORIZATION_REQUIRED == outcome.PRIOR_AUTHORIZATION_REQUIRED
    assert PROVIDER_CATEGORY_EXCLUDED == outcome.PROVIDER_CATEGORY_EXCLUDED
    assert UNCONFIRMED_SUFFIX == outcome.UNCONFIRMED_SUFFIX
    assert {"PRIOR_AUTHORIZATION_REQUIRED", "PROVIDER_CATEGORY_EXCLUDED",
            "UNCONFIRMED_SUFFIX"} <= set(payerkit.__all__) & set(dir(payerkit))


# ---------------------------------------------------------------------------
# The public API (docs/api.md, as data in payerkit.testing.public_api), and first-party
# plugins use nothing else: the conformance suite checks every adapter with the same scan.
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent

FIRST_PARTY = [*sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("plugins/*")
                       if p.is_dir()), "contrib/template"]


@pytest.mark.parametrize("plugin", FIRST_PARTY)
def test_first_party_plugins_import_only_the_public_api(plugin):
    assert private_imports(ROOT / plugin) == []


def test_the_scan_sees_a_private_import(tmp_path):
    (tmp_path / "m.py").write_text(
        "import payerkit.kit\nfrom payerkit.model.outcome import settle\n"
        "from payerkit import _HOMES, PayerKit, rules\nfrom payerkit.rules.units import _x\n"
        "from payerkit.formats import options\nfrom payerkit.rules import units\n"
        "from payerkit_regence import plugin\n")
    found = private_imports(tmp_path)
    assert [line.partition(": ")[2] for line in found] == [
        "import payerkit.kit", "from payerkit.model.outcome import settle",
        "from payerkit import _HOMES", "from payerkit.rules.units import _x",
        "from payerkit.formats import options"]


def test_every_public_name_exists():
    for module, names in PUBLIC.items():
        try:
            loaded = importlib.import_module(module)
        except ImportError:  # payerkit.dask without the dask extra
            continue
        for name in names or ():
            assert hasattr(loaded, name), f"{module}.{name}"


def test_docs_api_lists_every_public_module():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(payerkit[\w.]*)`", text, re.M))
    top = {m for m in PUBLIC if not re.match(r"payerkit\.(rules|testing)\.", m)}
    assert listed == top
    for module, names in PUBLIC.items():
        for name in sorted(names or ()) if module != "payerkit" else ():
            assert f"`{name}`" in text, f"docs/api.md does not name {module}.{name}"

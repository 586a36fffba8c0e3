"""What is public (docs/api.md), and first-party plugins use nothing else of payerkit."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import payerkit
import payerkit.formats
import payerkit.rules
import payerkit.testing
from payerkit.model import outcome


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
# The public API (docs/api.md), and first-party plugins use nothing else.
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
EVERY = None  # every name without a leading underscore

#: Each public module and the names it offers; its submodules too for rules and testing.
PUBLIC: dict[str, set[str] | None] = {
    "payerkit": set(payerkit.__all__),
    "payerkit.errors": EVERY,
    "payerkit.formats": set(payerkit.formats.__all__),
    "payerkit.rules": EVERY,
    **{f"payerkit.rules.{m.name}": EVERY for m in pkgutil.iter_modules(payerkit.rules.__path__)},
    "payerkit.testing": EVERY,
    **{f"payerkit.testing.{m.name}": EVERY
       for m in pkgutil.iter_modules(payerkit.testing.__path__)},
    "payerkit.batch": {"BatchSettings", "Item", "find_items", "run_batch"},
    "payerkit.dask": {"evaluate_bag"},
    "payerkit.cli": {"main"},
    "payerkit.formats.cms1500_pdf": {"write_cms1500"},
    "payerkit.formats.cms1500_red": {"alignment_page", "write_cms1500_red"},
}


def _allowed(module: str, name: str) -> bool:
    if f"{module}.{name}" in PUBLIC:  # a public module, imported from its package
        return True
    names = PUBLIC.get(module, set())
    return not name.startswith("_") if names is EVERY else name in names


def private_imports(folder: Path) -> list[str]:
    """Every import of payerkit in ``folder``'s Python files that docs/api.md does not
    make public, as ``file:line: what``."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        where = path.relative_to(folder).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [f"{where}:{node.lineno}: import {a.name}" for a in node.names
                          if a.name.partition(".")[0] == "payerkit" and a.name not in PUBLIC]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.partition(".")[0] == "payerkit":
                found += [f"{where}:{node.lineno}: from {node.module} import {a.name}"
                          for a in node.names if not _allowed(node.module, a.name)]
    return found


FIRST_PARTY = [*sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("plugins/*")
                       if p.is_dir()), "contrib/template"]


@pytest.mark.parametrize("plugin", [
    p for p in FIRST_PARTY])
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

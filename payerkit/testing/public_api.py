"""payerkit's public Python API (``docs/api.md``) as data, and a scan for imports outside it.

An adapter, and its tests, import nothing else from payerkit: what is not
listed here is internal and may change in any release, however it is
reachable. The conformance suite scans every adapter's package with
:func:`private_imports`; payerkit's own tests scan its first-party plugins::

    from payerkit.testing.public_api import private_imports

    assert private_imports(Path("src/payerkit_my_program")) == []
"""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import payerkit
import payerkit.formats
import payerkit.rules
import payerkit.testing

#: Every name of a module without a leading underscore.
EVERY = None

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
    "payerkit.formats.patient_statement": {"write_patient_statement", "check_patient_statement"},
    "payerkit.ledger": {"ClaimEntry", "Ledger", "LineEntry", "Posted", "Recorded", "Unmatched",
                        "claim_entry", "patient_key", "post"},
    "payerkit.ledger.reports": {"aging", "claims", "denials", "underpayments", "interest"},
    "payerkit.ledger.statement": {"statement"},
    "payerkit.remittance": None,
}


def is_public(module: str, name: str) -> bool:
    """``from module import name`` uses only the public API."""
    if f"{module}.{name}" in PUBLIC:  # a public module, imported from its package
        return True
    names = PUBLIC.get(module, set())
    return not name.startswith("_") if names is EVERY else name in names


def python_files(where: Path) -> list[Path]:
    """``where`` itself when it is a file, else every ``.py`` file under it, sorted."""
    return [where] if where.is_file() else sorted(where.rglob("*.py"))


def private_imports(where: Path) -> list[str]:
    """Every import of payerkit in ``where`` (a folder or one module) that docs/api.md does not
    make public, as ``file:line: what`` (the file relative to ``where``)."""
    found = []
    for path in python_files(where):
        name = path.name if where.is_file() else path.relative_to(where).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [f"{name}:{node.lineno}: import {a.name}" for a in node.names
                          if a.name.partition(".")[0] == "payerkit" and a.name not in PUBLIC]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.partition(".")[0] == "payerkit":
                found += [f"{name}:{node.lineno}: from {node.module} import {a.name}"
                          for a in node.names if not is_public(node.module, a.name)]
    return found


__all__ = ["EVERY", "PUBLIC", "is_public", "private_imports", "python_files"]

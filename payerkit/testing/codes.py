"""The codes an adapter declares, and the codes written in its source.

Every plugin declares the codes its rules can give — its outcomes', its scrub
findings' and its pricing reasons' (a unit rule's or a fee schedule's notes, a
pricing adjustment's reasons), its programs' adapters' included — as a
module (or object) attribute::

    CODES = frozenset({"EXAMPLE-RX", "EXAMPLE-COVERED"})

The conformance suite wants an example reaching each declared code, and reads
the plugin's source with :func:`written_codes` so that a code written there
cannot be left out of the declaration (a code built at run time, an f-string,
is the declaration's alone to name).
"""

from __future__ import annotations

import ast
from pathlib import Path

from .public_api import python_files

#: The attribute a plugin declares its codes in.
DECLARATION = "CODES"

#: The builders of coded answers, and the position of the code among their arguments.
CODE_POSITION = {"not_covered": 0, "requirement": 0, "caution": 0, "note": 0, "Reason": 0,
                 "Outcome": 1, "Finding": 1}


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


def written_codes(where: Path) -> dict[str, str]:
    """Each code written as text where an answer is built in ``where`` (a folder or a
    module): ``{code: "file:line"}``, the first place it is written."""
    found: dict[str, str] = {}
    for path in python_files(where):
        name = path.name if where.is_file() else path.relative_to(where).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _called(node) not in CODE_POSITION:
                continue
            position = CODE_POSITION[_called(node)]
            given = [k.value for k in node.keywords if k.arg == "code"]
            if len(node.args) > position:
                given.append(node.args[position])
            for value in given:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, f"{name}:{node.lineno}")
    return found


def declared_codes(plugin: object) -> frozenset[str]:
    """The plugin's declaration; raises ``AssertionError`` saying what to write when it has
    none or it is not a set of texts."""
    codes = getattr(plugin, DECLARATION, None)
    assert codes is not None, (
        f"the plugin declares no {DECLARATION}: list every code its rules can give (outcomes, "
        f"scrub findings, pricing reasons, its adapters' too) as {DECLARATION} = "
        "frozenset({...}) in the plugin module (docs/hooks.md, Conformance)")
    assert isinstance(codes, set | frozenset) and all(isinstance(c, str) and c for c in codes), \
        f"{DECLARATION} must be a set of codes (texts), not {type(codes).__name__}"
    return frozenset(codes)


__all__ = ["CODE_POSITION", "DECLARATION", "declared_codes", "written_codes"]

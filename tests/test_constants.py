"""Constants once: a limit, a bound, a format id or a type of the core is written in one
module; every other module imports it, so the two can never disagree."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import payerkit.formats as formats
from payerkit.formats.builtin import FILE_ENDINGS, FORMATS

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "payerkit"


def module_constants() -> list[tuple[str, str, ast.expr]]:
    """``(module, name, value)`` of every module-level assignment of the core."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                found += [(module, t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                found.append((module, node.target.id, node.value))
    return found


#: One concept, the names it has had: exactly one module gives it its value; the others
#: import it (an alias, ``LAST = MAX_CONTROL``, is an import, not a second value).
CONCEPTS = {
    "diagnoses a claim carries": {"MAX_DIAGNOSES"},
    "service lines of a claim (and of a visit)": {"MAX_LINES", "MAX_SERVICES"},
    "the largest X12 control number": {"MAX_CONTROL", "LAST"},
    "the first date a case or a claim holds": {"FIRST_DATE", "EARLIEST_DATE"},
    "the last date": {"LAST_DATE", "LATEST_DATE"},
}


def test_each_limit_is_given_its_value_once():
    given = defaultdict(list)
    for module, name, value in module_constants():
        for concept, names in CONCEPTS.items():
            if name in names and not isinstance(value, ast.Name | ast.Attribute):
                given[concept].append(f"{module}: {name}")
    assert {c: v for c, v in given.items() if len(v) != 1} == {}
    assert set(given) == set(CONCEPTS)


def _is_value(node: ast.expr) -> bool:
    """A written-out value (a text, a date, a Decimal, a ``Literal`` type), not a number,
    ``None``, a container being filled, or a name."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.Call | ast.Subscript)


#: Equal by coincidence, not one concept: pluggy's project name and the entry-point group
#: are two settings that both say "payerkit"; the superbill's name in its messages ("the
#: superbill has no blank ... box") is a word, not the format id.
COINCIDENCES = [{"payerkit/hookspecs.py: PROJECT", "payerkit/manager.py: GROUP"},
                {"payerkit/formats/superbill.py: FORM", "payerkit/formats/__init__.py: SUPERBILL"}]
#: The same words as a format id, meaning something else: the superbill's name in its
#: messages and its HTML element's class.
WORDS = {("payerkit/formats/superbill.py", "superbill")}


def test_no_value_is_written_out_in_two_modules():
    by_value = defaultdict(set)
    for module, name, value in module_constants():
        if _is_value(value):
            by_value[ast.dump(value)].add(f"{module}: {name}")
    twice = [names for names in by_value.values()
             if len({n.partition(":")[0] for n in names}) > 1 and names not in COINCIDENCES]
    assert twice == []


def test_payerkit_format_ids_are_written_once():
    """``"x12-837p"`` and the other ids of payerkit's own formats are constants of
    ``payerkit.formats``; no other module of the core spells one."""
    ids = {fmt.id for fmt in FORMATS}
    assert ids == {formats.X12_837P, formats.CMS_1500, formats.CMS_1500_RED, formats.NF_3,
                   formats.SUPERBILL, formats.SUPERBILL_HTML,
                   formats.PROGRESS_REPORT} == set(FILE_ENDINGS)
    spelled = []
    for path in sorted(CORE.rglob("*.py")):
        if path == CORE / "formats" / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = path.relative_to(ROOT).as_posix()
            if isinstance(node, ast.Constant) and node.value in ids \
                    and (module, node.value) not in WORDS:
                spelled.append(f"{module}:{node.lineno}: {node.value}")
    assert spelled == []


def test_the_diagnosis_letters_are_one_per_diagnosis():
    from payerkit.formats.x12_limits import DIAGNOSIS_LETTERS, MAX_DIAGNOSES

    assert DIAGNOSIS_LETTERS == "ABCDEFGHIJKL" and len(DIAGNOSIS_LETTERS) == MAX_DIAGNOSES


def _texts(node: ast.expr) -> tuple[str, ...] | None:
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    if all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
        return tuple(i.value for i in items)
    return None


def test_the_values_of_a_literal_type_are_listed_once():
    """A tuple of a ``Literal`` type's values (for a validator) is ``typing.get_args`` of
    it, not the same words written out again."""
    literals = {}
    for module, name, value in module_constants():
        if isinstance(value, ast.Subscript) and getattr(value.value, "id", None) == "Literal":
            literals[frozenset(_texts(value.slice) or ())] = f"{module}: {name}"
    restated = [f"{module}: {name} restates {literals[frozenset(_texts(value))]}"
                for module, name, value in module_constants()
                if isinstance(value, ast.Tuple) and _texts(value)
                and frozenset(_texts(value)) in literals]
    assert restated == []


@pytest.mark.parametrize("plugin", [
    p
    for p in sorted(ROOT.glob("plugins/*/src")) + sorted(ROOT.glob("contrib/*/src"))],
    ids=lambda p: p.parent.name)
def test_first_party_programs_name_payerkit_formats_by_their_constants(plugin):
    ids = {fmt.id for fmt in FORMATS}
    spelled = [f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {node.value}"
               for path in sorted(plugin.rglob("*.py"))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and node.value in ids]
    assert spelled == []

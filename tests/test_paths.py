"""Field paths are built by one helper (``payerkit.field_path`` and its two shorthands), never
by hand: the core and every first-party plugin spell ``visits[2].services[0].code`` alike."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import payerkit
from payerkit import Program, facts_path, field_path, visit_path
from payerkit.io import structure_case

ROOT = Path(__file__).resolve().parent.parent


def test_the_helpers_are_public():
    assert {"field_path", "visit_path", "facts_path"} <= set(payerkit.__all__)


def test_field_path_joins_fields_with_dots_and_positions_in_brackets():
    assert field_path("visits", 2, "services", 0, "code") == "visits[2].services[0].code"
    assert field_path("episode", "diagnoses", 1) == "episode.diagnoses[1]"
    assert field_path("provider.cash_rates", "97124") == "provider.cash_rates.97124"
    assert field_path("visits", 0, "services", 1, "modifiers", 0) == \
        "visits[0].services[1].modifiers[0]"


names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@given(st.lists(st.tuples(names, st.lists(st.integers(0, 10**6), max_size=2)), min_size=1,
                max_size=5))
def test_field_path_is_the_documented_spelling(steps):
    parts = [p for name, positions in steps for p in (name, *positions)]
    expected = ".".join(name + "".join(f"[{i}]" for i in positions) for name, positions in steps)
    assert field_path(*parts) == expected


@pytest.mark.parametrize("parts", [(), (0, "date"), ("visits", True), ("visits", 1.0),
                                   ("visits", None), (None,)])
def test_field_path_refuses_what_is_not_a_path(parts):
    with pytest.raises(ValueError, match="field path"):
        field_path(*parts)


def test_visit_path_finds_the_visit_itself_before_an_equal_one(case_data):
    case = structure_case(case_data)
    twin = attrs.evolve(case.visits[-1])  # equal to the last visit, a distinct object
    case = attrs.evolve(case, visits=(*case.visits, twin))
    last = len(case.visits) - 1
    assert visit_path(case, twin, "date") == f"visits[{last}].date"
    assert visit_path(case, case.visits[0], "services", 0, "code") == "visits[0].services[0].code"


def test_facts_path_takes_the_program_or_its_id():
    program = Program(id="ct-workers-comp", name="Connecticut workers' compensation",
                      line_of_business="workers_comp", states=("CT",))
    assert facts_path(program) == "facts.ct-workers-comp"
    assert facts_path(program, "bill_days") == facts_path("ct-workers-comp", "bill_days") == \
        "facts.ct-workers-comp.bill_days"


# ---------------------------------------------------------------------------
# No path is built by hand: an f-string or a prefix constant spelling a case path.
# ---------------------------------------------------------------------------

#: A case list indexed by a formatted value (``visits[{i}]``), or a program's facts named by
#: one (``facts.{program.id}``, not the TOML table ``[facts.{id}]`` a message may show), or a
#: facts prefix kept to add field names to (``"facts.ct-workers-comp."``).
HAND_BUILT = re.compile(r"(visits|services|diagnoses|modifiers)\[\{\}\]|(?<!\[)facts\.\{\}|"
                        r"^facts\.[a-z0-9-]+\.$")


def _template(node: ast.AST) -> str | None:
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


#: The helpers themselves, and the writers, which name claim fields (``lines[2].charge``)
#: that ``payerkit.claims.case_path`` maps to the case's.
NOT_SCANNED = (ROOT / "payerkit" / "paths.py", ROOT / "payerkit" / "formats")


def hand_built_paths(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if any(path == skip or skip in path.parents for skip in NOT_SCANNED):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = _template(node)
            if text is not None and HAND_BUILT.search(text):
                found.append(f"{path.relative_to(folder).as_posix()}:{node.lineno}: {text[:60]!r}")
    return found


SOURCES = ["payerkit", *(p.relative_to(ROOT).as_posix()
                         for p in sorted(ROOT.glob("plugins/*/src")) + sorted(ROOT.glob("contrib/*/src")))]


@pytest.mark.parametrize("folder", [
    f
    for f in SOURCES])
def test_no_case_path_is_built_by_hand(folder):
    assert hand_built_paths(ROOT / folder) == []


def test_the_scan_sees_a_hand_built_path(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        'AT = "facts.my-program."\n'
        'def f(case, visit, j):\n    return f"visits[{case.visits.index(visit)}].services[{j}]"\n')
    assert len(hand_built_paths(tmp_path / "pkg")) == 2


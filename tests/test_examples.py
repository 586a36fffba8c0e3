"""Every shipped example states its expected outcome in comments; check each one.

    # expect-status: covered | action_required | not_covered
    # expect-errors: CODE, CODE | none
    # expect-claim: yes | no

The examples run against the installed first-party plugins, found through
their entry points, as a user's would.
"""

import ast
import re
from pathlib import Path

import pytest

from payerkit import PayerKit
from payerkit.formats import X12_837P
from payerkit.io import load_case
from payerkit.testing.expectations import check_expected, expectations
from payerkit.testing.x12 import semantic_errors_837p, validate_with_pyx12

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.toml"))
#: Treatment plans (issue 18), a folder of their own (the demo runs the top folder).
EXAMPLES += sorted((Path(__file__).resolve().parent.parent / "examples" / "plans").glob("*.toml"))


@pytest.fixture(scope="module")
def kit():
    return PayerKit(strict=True)


def test_there_are_examples_for_both_programs_and_every_outcome():
    programs = {load_case(p).program for p in EXAMPLES}
    assert {"ny-no-fault", "premera-wa"} <= programs
    statuses = {expectations(p)["status"] for p in EXAMPLES}
    assert statuses == {"covered", "action_required", "not_covered"}
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_outcome(path, kit, payerkit_data_dir):
    evaluation = check_expected(kit, path)
    if expectations(path)["claim"] == "yes" and \
            X12_837P in kit.program(evaluation.program).claim_formats:
        text = evaluation.write(X12_837P).decode("ascii")
        assert validate_with_pyx12(text) == []
        assert semantic_errors_837p(text) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_check_and_scrub_agree_on_every_visit_of_every_example(path, kit):
    case = load_case(path)
    for visit in case.visits:
        result = kit.check(case, visit)
        scrub = kit.scrub(case, visit)
        codes = {f.code for f in scrub.findings}
        where = f"{path.name} visit {visit.date.isoformat()}"
        for reason in result.requirements:
            assert reason.code in codes, f"{where}: requirement {reason.code} not in scrub"
        if result.status == "not_covered":
            assert scrub.errors, f"{where}: not covered, yet the scrub is clean"
        outcome_errors = {o.code for o in kit.outcomes(case, visit)
                          if o.finding_severity == "error"}
        assert outcome_errors <= {f.code for f in scrub.errors}, where
        if result.status == "covered":
            assert not outcome_errors, f"{where}: covered, yet a coverage rule stops the claim"


ADAPTER_SOURCES = sorted((Path(__file__).resolve().parent.parent).glob("*/*/src/**/*.py"))


@pytest.fixture(scope="module")
def program_ids(kit):
    return {e.program.id for e in kit.programs()}


def _is_program_id(node: ast.AST) -> bool:
    """``program.id``, ``x.program.id``: the id of the program asked about."""
    return (isinstance(node, ast.Attribute) and node.attr == "id"
            and ((isinstance(node.value, ast.Name) and node.value.id == "program")
                 or (isinstance(node.value, ast.Attribute) and node.value.attr == "program")))


def _is_episode(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "episode") or \
        (isinstance(node, ast.Attribute) and node.attr == "episode")


def program_branches(tree: ast.AST, program_ids: set[str]) -> list[str]:
    """Where code tells programs apart: ``program.id`` used other than in an f-string (compared,
    a lookup key, an argument), a comparison with a program id, a ``kind`` compared (the
    episode's is a fact of the case, not a program), ``isinstance`` on the facts."""
    quoted = {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr)
              for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        at = f"line {getattr(node, 'lineno', '?')}"
        if _is_program_id(node) and id(node) not in quoted:
            found.append(f"{at}: program.id used to tell programs apart")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and s.value in program_ids for s in sides):
                found.append(f"{at}: compared with a program id")
            if any(isinstance(s, ast.Attribute) and s.attr == "kind" and not _is_episode(s.value)
                   for s in sides):
                found.append(f"{at}: a kind compared")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "isinstance" and node.args
              and isinstance(node.args[0], ast.Name) and node.args[0].id == "facts"):
            found.append(f"{at}: isinstance on the facts")
    return found


@pytest.mark.parametrize("path", ADAPTER_SOURCES, ids=[p.parent.name + "/" + p.name
                                                      for p in ADAPTER_SOURCES])
def test_no_adapter_branches_on_its_program(path, program_ids):
    """The core owns dispatch: a hook never checks which program it is asked about; a plugin
    with several programs gives each its adapter (``Program.adapter``) instead."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"def _(ours|mine)\b", text), f"{path}: a hook checks its program"
    assert program_branches(ast.parse(text), program_ids) == [], \
        f"{path}: the core owns dispatch; give each program its adapter (docs/hooks.md)"


@pytest.mark.parametrize("source, wrong", [
    ("if program.id == 'ump': pass", True),
    ("if program.id in ('ump',): pass", True),
    ("plan = PLANS[program.id]", True),
    ("plan = PLANS.get(program.id)", True),
    ("table = {plan.program.id: plan for plan in plans}", True),
    ("match program.id:\n    case 'ump': pass", True),
    ("if plan.kind == 'ump': pass", True),
    ("x = a if self.kind != 'regence' else b", True),
    ("if isinstance(facts, UmpFacts): pass", True),
    ("if pid == 'ump': pass", True),
    ("path = f'facts.{program.id}.unit_rule'", False),
    ("if case.episode.kind == 'auto_accident': pass", False),
    ("if episode.kind != 'work_injury': pass", False),
    ("if where in program.states: pass", False),
])
def test_the_branch_scan_finds_each_way_of_telling_programs_apart(source, wrong):
    assert bool(program_branches(ast.parse(source), {"ump", "regence-wa"})) is wrong

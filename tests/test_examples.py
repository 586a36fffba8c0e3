"""Every shipped example states its expected outcome in comments; check each one.

    # expect-status: covered | action_required | not_covered
    # expect-errors: CODE, CODE | none
    # expect-claim: yes | no

The examples run against the installed first-party plugins, found through
their entry points, as a user's would.
"""

import re
from pathlib import Path

import pytest

from payerkit import ClaimRefused, PayerKit
from payerkit.io import load_case
from payerkit.testing.x12 import semantic_errors_837p, validate_with_pyx12

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.toml"))


def expectations(path: Path) -> dict[str, str]:
    found = dict(re.findall(r"^# expect-(status|errors|claim):\s*(.+?)\s*$",
                            path.read_text(encoding="utf-8"), re.M))
    assert set(found) == {"status", "errors", "claim"}, f"{path.name}: expect-* comments missing"
    return found


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
    expect = expectations(path)
    case = load_case(path)
    assert kit.check(case).status == expect["status"]
    errors = {f.code for f in kit.scrub(case).errors}
    if expect["errors"] == "none":
        assert errors == set()
    else:
        wanted = {c.strip() for c in expect["errors"].split(",")}
        assert wanted <= errors, f"missing {wanted - errors}; got {errors}"
    if expect["claim"] == "yes":
        text = kit.claim(case, "x12-837p").decode("ascii")
        assert validate_with_pyx12(text) == []
        assert semantic_errors_837p(text) == []
    else:
        with pytest.raises(ClaimRefused):
            kit.claim(case, "x12-837p")


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


@pytest.mark.parametrize("path", ADAPTER_SOURCES, ids=[p.parent.name + "/" + p.name
                                                      for p in ADAPTER_SOURCES])
def test_no_adapter_compares_program_ids(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"program\.id\s*[!=]=|def _(ours|mine)\b", text), \
        f"{path}: the core owns dispatch; a hook never checks which program it is asked about"

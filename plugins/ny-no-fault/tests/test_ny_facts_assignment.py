"""The program's own facts (``[facts.ny-no-fault]``, old ``[episode]`` aliases) and the
assignment of benefits (11 NYCRR 65-3.11(b)) with its CLM07/CLM08 in the 837P."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from payerkit import CaseError, ClaimRefused, load_case
from payerkit.formats import ControlNumbers, WriteOptions
from payerkit.testing.x12 import parse_segments

from payerkit_ny_no_fault.coverage import NyFacts

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
OPTIONS = WriteOptions(control=ControlNumbers(1, 1, 1), now=dt.datetime(2026, 3, 20, 9, 0))

# -- facts ------------------------------------------------------------------------------------

FACTS = [
    {"injured_person": "named_insured", "vehicle": "insured"},
    {"injured_person": "other", "vehicle": "other"},
    {"injured_person": "other"},
    {"vehicle": "insured"},
    {"injured_person": "relative", "motorcycle": True},
    {},
]


@pytest.mark.parametrize("facts", FACTS, ids=str)
def test_old_episode_fields_give_the_same_answer_as_the_facts_table(kit, make_case, facts):
    new = make_case(ny=facts, episode={"state": "NJ"})
    old = make_case(ny=None, facts=None, episode={"state": "NJ", **facts})
    assert old.facts == {} and new.facts == {"ny-no-fault": facts}
    assert kit.context(old).facts == kit.context(new).facts == NyFacts(**facts)
    assert kit.check(old) == kit.check(new)
    assert kit.scrub(old) == kit.scrub(new)


def test_the_facts_table_wins_over_the_old_field(kit, make_case):
    case = make_case(ny={"vehicle": "other", "injured_person": "other"},
                     episode={"vehicle": "insured"})
    assert kit.context(case).facts.vehicle == "other"
    assert kit.check(case).status == "not_covered"


def test_old_style_example_still_loads_through_the_aliases(kit):
    path = EXAMPLES / "ny-late-bill.toml"
    if not path.is_file():
        pytest.skip("examples/ is not beside this plugin")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "facts" not in data and data["episode"]["injured_person"] == "named_insured"
    case = load_case(path)
    assert kit.context(case).facts == NyFacts("named_insured", "insured")
    assert "NY-ELIGIBLE-INSURED" in [r.code for r in kit.check(case).reasons]


@pytest.mark.parametrize("facts, problem", [
    ({"vehicle": "car"}, "facts.ny-no-fault.vehicle: expected one of"),
    ({"injured_person": "driver"}, "facts.ny-no-fault.injured_person: expected one of"),
    ({"motorcycle": "yes"}, "facts.ny-no-fault.motorcycle: expected true or false"),
    ({"vehicles": "insured"}, "facts.ny-no-fault: unknown field(s): vehicles"),
])
def test_a_bad_fact_is_a_case_error_naming_its_path(kit, make_case, facts, problem):
    case = make_case(ny=facts)
    with pytest.raises(CaseError) as raised:
        kit.check(case)
    assert any(p.startswith(problem) for p in raised.value.problems), raised.value.problems


# -- assignment of benefits -------------------------------------------------------------------


def clm(kit, case) -> list[str]:
    text = kit.claim(case, "x12-837p", options=OPTIONS).decode("ascii")
    return next(s for s in parse_segments(text) if s[0] == "CLM")


def test_assignment_not_recorded_is_a_requirement(kit, make_case):
    case = make_case(claim={"benefits_assigned": None})
    result = kit.check(case)
    assert result.status == "action_required"
    assert [r.code for r in result.requirements] == ["NY-NO-ASSIGNMENT"]
    assert "65-3.11(b)" in result.requirements[0].citation.source
    error = next(f for f in kit.scrub(case).errors if f.code == "NY-NO-ASSIGNMENT")
    assert error.path == "claim.benefits_assigned"
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, "x12-837p", options=OPTIONS)
    assert "NY-NO-ASSIGNMENT" in [f.code for f in refused.value.findings]


def test_no_assignment_is_a_caution_and_the_837p_says_n(kit, make_case):
    case = make_case(claim={"benefits_assigned": False})
    result = kit.check(case)
    assert result.status == "covered"
    reason = next(r for r in result.reasons if r.code == "NY-BENEFITS-NOT-ASSIGNED")
    assert "pays the patient" in reason.message
    warning = next(f for f in kit.scrub(case).findings if f.code == "NY-BENEFITS-NOT-ASSIGNED")
    assert (warning.severity, warning.path) == ("warning", "claim.benefits_assigned")
    assert clm(kit, case)[7:9] == ["A", "N"]  # CLM07 accepts assignment, CLM08 benefits


def test_assignment_on_file_pays_the_practice_and_the_837p_says_y(kit, make_case):
    case = make_case()
    assert "NY-BENEFITS-ASSIGNED" in [r.code for r in kit.check(case).reasons]
    assert clm(kit, case)[7:9] == ["A", "Y"]
    declined = make_case(claim={"accepts_assignment": False})
    assert clm(kit, declined)[7:9] == ["C", "Y"]

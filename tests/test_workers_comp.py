"""Workers' compensation in the core: for every program whose line of business is
``workers_comp``, the employer is the insured (X12 RFI 1925) — whichever plugin owns it."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from attrs import frozen
from case_samples import BASE_CASE, TEST_CITATION

from payerkit import ClaimRefused, PayerKit, note
from payerkit.errors import CaseError
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.hookspecs import hookimpl
from payerkit.io import structure_case
from payerkit.model import Program
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12

OPTIONS = WriteOptions(ControlNumbers(3, 3, 3), dt.datetime(2026, 3, 20, 9, 0))


@frozen
class OldFacts:
    employer: str | None = None


class WorkersCompAdapter:
    """An invented state fund: only its line of business says workers' compensation."""

    program = Program(id="test-wc", name="Test State Fund", line_of_business="workers_comp",
                      states=("WA",), payer_id="99998", sources=(TEST_CITATION,),
                      claim_formats=("x12-837p", "cms-1500"), facts=OldFacts,
                      moved_facts={"employer": "coverage.employer"})

    @hookimpl
    def payerkit_programs(self):
        return [self.program]

    @hookimpl
    def payerkit_outcomes(self):  # a program without coverage rules is never billed
        return [note("TEST-WC-COVERED", "a work injury is covered", TEST_CITATION)]


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[WorkersCompAdapter()], strict=True)


def wc_case(coverage=None, **changes):
    data = copy.deepcopy(BASE_CASE)
    data["program"] = "test-wc"
    data["episode"] = dict(data["episode"], kind="work_injury")
    data["coverage"] = {**data["coverage"], "payer_id": "99998", "claim_number": "WC123456",
                        "employer": "Invented Logistics Inc", **(coverage or {})}
    data["claim"] = {"benefits_assigned": True}
    for key, value in changes.items():
        data[key] = value
    return structure_case({k: v for k, v in data.items() if v is not None})


def test_the_employer_is_the_insured_of_the_claim(kit):
    claim = kit.build_claim(wc_case())
    assert (claim.relation, claim.employer, claim.employer_is_insured) == \
        ("employee", "Invented Logistics Inc", True)
    text = kit.claim(wc_case(), "x12-837p", options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == [] and semantic_errors_837p(text) == []
    segments = parse_segments(text)
    assert [s[:4] for s in segments if s[:2] == ["NM1", "IL"]] == \
        [["NM1", "IL", "2", "INVENTED LOGISTICS INC"]]
    assert ["PAT", "20"] in segments and ["REF", "Y4", "WC123456"] in segments


def test_without_the_employer_the_scrub_names_the_field(kit):
    case = wc_case(coverage={"employer": None})
    errors = [f for f in kit.scrub(case).errors if f.path == "coverage.employer"]
    assert errors and "workers' compensation" in errors[0].message
    for fmt in ("x12-837p", "cms-1500"):
        assert any(f.path == "coverage.employer" for f in kit.scrub(case, format=fmt).errors)
        with pytest.raises(ClaimRefused) as refused:
            kit.claim(case, fmt, options=OPTIONS)
        assert refused.value.findings[0].path == "coverage.employer"


def test_a_subscriber_is_left_off_with_a_warning(kit):
    subscriber = dict(BASE_CASE["patient"], first_name="Other", relationship="spouse")
    case = wc_case(subscriber=subscriber)
    assert kit.build_claim(case).insured == case.patient
    [warning] = [f for f in kit.scrub(case).findings if f.code == "SUBSCRIBER-NOT-ON-CLAIM"]
    assert (warning.severity, warning.path) == ("warning", "subscriber")


def test_a_moved_fact_fills_the_case_field_the_case_leaves_out(kit):
    old = wc_case(coverage={"employer": None},
                  facts={"test-wc": {"employer": "Invented Logistics Inc"}})
    assert kit.build_claim(old).employer == "Invented Logistics Inc"
    assert kit.claim(old, "x12-837p", options=OPTIONS) == \
        kit.claim(wc_case(), "x12-837p", options=OPTIONS)
    given = wc_case(facts={"test-wc": {"employer": "Another Name Inc"}})
    assert kit.build_claim(given).employer == "Invented Logistics Inc"  # the case field wins


def test_the_employer_fields_are_read_with_their_paths():
    case = wc_case(coverage={"employer_address": {"line1": "5 Dock Rd", "city": "Tacoma",
                                                  "state": "WA", "zip": "98402"}})
    assert case.coverage.employer_address.city == "Tacoma"
    with pytest.raises(CaseError) as bad:
        wc_case(coverage={"employer": 5, "employer_address": {"line1": "5 Dock Rd"}})
    assert "coverage.employer: expected a string, got 5" in bad.value.problems
    assert "coverage.employer_address.city: required field missing" in bad.value.problems


def test_an_employer_address_is_checked_like_any_address(kit):
    case = wc_case(coverage={"employer_address": {"line1": "5 Dock Rd", "city": "Tacoma",
                                                  "state": "ZZ", "zip": "984"}})
    paths = {f.path for f in kit.scrub(case).errors}
    assert {"coverage.employer_address.state", "coverage.employer_address.zip"} <= paths


def test_other_lines_of_business_are_unchanged(kit):
    from case_samples import SampleAdapter, make_case

    plain = PayerKit(entry_points=False, plugins=[SampleAdapter()])
    claim = plain.build_claim(make_case(coverage=dict(BASE_CASE["coverage"],
                                                      employer="Invented Logistics Inc")))
    assert (claim.relation, claim.employer) == ("self", None)

"""The payer's own ids for the practice and the therapist (``payer_assigned_id``: Washington
L&I's provider account number), and a member id that workers' compensation may leave out."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from case_samples import BASE_CASE, SampleAdapter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_workers_comp import WorkersCompAdapter, wc_case

from payerkit import ClaimRefused, PayerKit
from payerkit.errors import CaseError
from payerkit.formats.cms1500 import form_pages
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.io import structure_case
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12

OPTIONS = WriteOptions(ControlNumbers(5, 5, 5), dt.datetime(2026, 3, 20, 9, 0))
THERAPIST = {"first_name": "Invented", "last_name": "Therapist", "npi": "1992999999"}


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[SampleAdapter(), WorkersCompAdapter()],
                    strict=True)


def case_with(provider=None, rendering=None, coverage=None):
    data = copy.deepcopy(BASE_CASE)
    data["provider"] = {**data["provider"], **(provider or {})}
    if rendering is not None:
        data["rendering"] = rendering
    data["coverage"] = {k: v for k, v in {**data["coverage"], **(coverage or {})}.items()
                        if v is not None}
    return structure_case(data)


def loop_of(segments: list[list[str]], index: int) -> str:
    """The loop a segment is in, told by the segments before it."""
    for segment in reversed(segments[:index]):
        if segment[:2] == ["NM1", "PR"]:
            return "2010BB"
        if segment[:2] == ["NM1", "82"]:
            return "2310B"
        if segment[0] in ("CLM", "LX", "HL"):
            return segment[0]
    return "?"


def test_the_practices_payer_id_is_the_billing_providers_secondary_id(kit):
    text = kit.claim(case_with({"payer_assigned_id": "1234567"}), "x12-837p",
                     options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == [] and semantic_errors_837p(text) == []
    segments = parse_segments(text)
    found = [(loop_of(segments, i), s) for i, s in enumerate(segments) if s[:2] == ["REF", "G2"]]
    assert found == [("2010BB", ["REF", "G2", "1234567"])]


def test_the_therapists_payer_id_is_the_rendering_providers_secondary_id(kit):
    case = case_with({"payer_assigned_id": "1234567"},
                     {**THERAPIST, "payer_assigned_id": "r-765432"})
    text = kit.claim(case, "x12-837p", options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == [] and semantic_errors_837p(text) == []
    segments = parse_segments(text)
    found = [(loop_of(segments, i), s[2]) for i, s in enumerate(segments)
             if s[:2] == ["REF", "G2"]]
    assert found == [("2010BB", "1234567"), ("2310B", "R-765432")]  # letters upper-cased


def test_without_payer_ids_the_claim_is_unchanged(kit):
    text = kit.claim(case_with(rendering=THERAPIST), "x12-837p", options=OPTIONS)
    assert b"REF*G2" not in text


def test_the_cms1500_prints_them_with_qualifier_g2(kit):
    case = case_with({"payer_assigned_id": "1234567"},
                     {**THERAPIST, "payer_assigned_id": "R765432"})
    values = form_pages(kit.build_claim(case), dt.date(2026, 3, 20))[0].values
    assert values["33b"] == "G21234567"  # NUCC item 33b: qualifier and id, no separator
    assert (values["24.1.i.shaded"], values["24.1.j.shaded"], values["24.1.j"]) == \
        ("G2", "R765432", "1992999999")


def test_without_them_the_cms1500_keeps_the_taxonomy(kit):
    values = form_pages(kit.build_claim(case_with()), dt.date(2026, 3, 20))[0].values
    assert values["33b"] == "ZZ225700000X"


@pytest.mark.parametrize("value, problem", [
    ("1" * 51, "must be 1 to 50 characters"),
    ("12*34", "X12 delimiter"),
    ("ＡＢ123", "basic character set"),
])
def test_an_id_the_837p_cannot_carry_is_refused_naming_the_case_field(kit, value, problem):
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case_with({"payer_assigned_id": value}), "x12-837p", options=OPTIONS)
    finding = refused.value.findings[0]
    assert finding.path == "provider.payer_assigned_id"
    assert problem in finding.message and value not in finding.message.replace(problem, "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60))
def test_any_id_is_written_exactly_or_refused_by_its_field(kit, value):
    """Never altered: written as given (letters upper-cased) in REF*G2, or refused."""
    try:
        case = case_with({"payer_assigned_id": value})
    except CaseError as error:  # control characters: the case reader's refusal
        assert all(p.startswith("provider.payer_assigned_id:") for p in error.problems)
        return
    try:
        text = kit.claim(case, "x12-837p", options=OPTIONS).decode("ascii")
    except ClaimRefused as refused:
        assert "provider.payer_assigned_id" in {f.path for f in refused.findings}
        return
    refs = [s for s in parse_segments(text) if s[:2] == ["REF", "G2"]]
    assert refs == [["REF", "G2", value.upper()]]


# -- the member id --------------------------------------------------------------------------


def test_a_member_id_is_required_outside_workers_comp(kit):
    case = case_with(coverage={"member_id": None})
    scrub = kit.scrub(case)
    assert [(f.code, f.path) for f in scrub.errors] == \
        [("NO-MEMBER-ID", "coverage.member_id"), ("FORMAT-LIMIT", "coverage.member_id")]
    assert "workers' compensation" not in scrub.errors[1].message
    with pytest.raises(ClaimRefused):
        kit.claim(case, "x12-837p", options=OPTIONS)


def test_workers_comp_without_a_member_id_warns_and_writes_the_paper_claim(kit):
    case = wc_case({"member_id": None})
    assert case.coverage.member_id is None
    scrub = kit.scrub(case, format="cms-1500")
    assert [(f.severity, f.code) for f in scrub.findings] == [("warning", "NO-MEMBER-ID")]
    values = form_pages(kit.build_claim(case), dt.date(2026, 3, 20))[0].values
    assert "1a" not in values and values["4"].startswith("INVENTED LOGISTICS")
    pdf = kit.claim(case, "cms-1500", options=OPTIONS)
    assert pdf.startswith(b"%PDF")


def test_workers_comp_without_a_member_id_writes_no_837p_saying_why(kit):
    case = wc_case({"member_id": None})
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, "x12-837p", options=OPTIONS)
    finding = refused.value.findings[0]
    assert (finding.code, finding.path) == ("FORMAT-LIMIT", "coverage.member_id")
    assert "2010BA NM109" in finding.message and "item 1a" in finding.message


def test_the_claim_id_of_a_case_without_a_member_id_follows_its_claim_number(kit):
    first = kit.build_claim(wc_case({"member_id": None})).id
    assert first == kit.build_claim(wc_case({"member_id": None})).id
    other = kit.build_claim(wc_case({"member_id": None, "claim_number": "WC999999"})).id
    assert first != other and first.startswith("PK") and len(first) == 14

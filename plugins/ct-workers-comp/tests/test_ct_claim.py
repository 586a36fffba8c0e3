"""The 837P for a Connecticut workers' compensation claim."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit.formats import ControlNumbers, WriteOptions
from payerkit.testing.x12 import parse_segments, semantic_errors_837p

OPTIONS = WriteOptions(ControlNumbers(1, 1, 1), dt.datetime(2026, 2, 20, 12, 0))


@pytest.fixture
def segments(kit, make_case):
    return parse_segments(kit.claim(make_case(), "x12-837p", options=OPTIONS).decode("ascii"))


def test_filing_indicator_is_workers_comp(segments):
    [sbr] = [s for s in segments if s[0] == "SBR"]
    assert sbr[9] == "WC"


def test_related_cause_is_employment_with_the_date_of_injury(segments):
    [clm] = [s for s in segments if s[0] == "CLM"]
    assert clm[11] == "EM"
    assert ["DTP", "439", "D8", "20260112"] in segments


def test_the_carriers_claim_number_is_ref_y4(segments):
    assert ["REF", "Y4", "WC26004417"] in segments


def test_the_referral_is_the_referring_provider_and_the_authorization_ref_g1(segments):
    [dn] = [s for s in segments if s[:2] == ["NM1", "DN"]]
    assert dn[3:5] == ["JONES", "ROBERT"] and dn[-1] == "1245319599"
    assert ["REF", "G1", "WCA55210"] in segments


def test_the_employer_is_the_subscriber_and_the_worker_the_patient(segments):
    """X12 RFI 1925: in workers' compensation the employer is always the subscriber."""
    [sbr] = [s for s in segments if s[0] == "SBR"]
    assert sbr[2] == ""  # the patient is not the subscriber
    [il] = [s for s in segments if s[:2] == ["NM1", "IL"]]
    assert il[2:4] == ["2", "RIVERSIDE DISTRIBUTION LLC"] and il[8:] == ["MI", "WC0112026"]
    assert ["PAT", "20"] in segments
    [qc] = [s for s in segments if s[:2] == ["NM1", "QC"]]
    assert qc[3:5] == ["RIVERA", "ANA"]
    tags = [s[0] + (s[1] if s[0] in ("NM1", "REF") else "") for s in segments]
    assert tags[tags.index("NM1QC"):tags.index("NM1QC") + 5] == \
        ["NM1QC", "N3", "N4", "DMG", "REFY4"]  # the worker's address; the claim number with them
    assert tags[tags.index("NM1IL") + 1] == "NM1PR"  # no address for the employer


def test_an_older_file_with_the_employer_as_a_fact_bills_the_same(kit, make_case):
    old = make_case(coverage={"employer": None}, facts={"employer": "Riverside Distribution LLC"})
    assert kit.claim(old, "x12-837p", options=OPTIONS) == \
        kit.claim(make_case(), "x12-837p", options=OPTIONS)


def test_the_claim_validates(kit, make_case):
    pytest.importorskip("pyx12")
    from payerkit.testing.x12 import validate_with_pyx12

    text = kit.claim(make_case(), "x12-837p", options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == []
    assert semantic_errors_837p(text) == []

"""Code checks: NPI check digit, ICD-10-CM, CPT/HCPCS, POS (against pyx12's list), states."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payerkit.rules import codes


@pytest.mark.parametrize("npi", ["1234567893", "1992999999", "1245319599"])
def test_valid_npis(npi):
    assert codes.npi_error(npi) is None


@pytest.mark.parametrize("npi", ["1234567890", "123456789", "12345678931", "abcdefghij", ""])
def test_invalid_npis(npi):
    assert codes.npi_error(npi) is not None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_is_valid(prefix):
    valid = [d for d in "0123456789" if codes.npi_error(prefix + d) is None]
    assert len(valid) == 1


def test_icd10():
    assert codes.icd10_error("S13.4XXA") is None
    assert codes.icd10_error("s134xxa") is None
    assert "complete" in codes.icd10_error("M54.5")       # a category since FY2022
    assert codes.icd10_error("Q99.99X") is not None
    assert codes.is_external_cause("V43.52XA") and not codes.is_external_cause("S13.4XXA")
    assert codes.normalize_icd("m62830") == "M62.830"


def test_procedure_and_modifier_shapes():
    assert codes.procedure_error("97124") is None
    assert codes.procedure_error("G0283") is None
    assert codes.procedure_error("9712") is not None
    assert codes.modifier_error("59") is None and codes.modifier_error("5") is not None


def test_place_of_service_set_matches_pyx12_code_list():
    import importlib.resources

    from lxml import etree

    codes_xml = importlib.resources.files("pyx12") / "map" / "codes.xml"
    tree = etree.fromstring(codes_xml.read_bytes(), etree.XMLParser(resolve_entities=False,
                                                                    no_network=True))
    pos = {c.text for c in tree.xpath("//codeset[id='pos']/version/code")}
    assert pos, "pyx12's pos list was not found"
    assert set(codes.PLACE_OF_SERVICE) <= pos


def test_states():
    assert codes.state_error("NY") is None and codes.state_error("PR") is None
    assert codes.state_error("ON") is not None
    assert codes.state_error("ON", allow_canada=True) is None

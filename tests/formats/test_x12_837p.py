"""The 837P writer: every file it produces is checked by pyx12 and by the
semantic rules no validator catches (claim-formats §1.8).

Golden files live in ``golden/``; after an intended change to the output,
rewrite them with ``PAYERKIT_REGEN_GOLDEN=1 pytest tests/formats`` and review
the diff (the rewritten files are still validated by pyx12)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit.errors import FormatError
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.formats.x12_837p import check_837p, text_changes_837p, text_fields_837p, write_837p
from payerkit.model.case import Practitioner
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PAYERKIT_REGEN_GOLDEN") == "1"


def assert_valid(data: bytes) -> str:
    text = data.decode("ascii")
    errors = validate_with_pyx12(text)
    assert errors == [], "pyx12 rejected the file:\n" + "\n".join(errors) + "\n\n" + text
    problems = semantic_errors_837p(text)
    assert problems == [], "semantic errors:\n" + "\n".join(problems) + "\n\n" + text
    return text


def segs(text: str, tag: str) -> list[list[str]]:
    return [s for s in parse_segments(text) if s[0] == tag]


# ------------------------------------------------------------------ the two reference claims


@pytest.fixture(params=["auto_accident_claim", "commercial_dependent_claim",
                        "workers_comp_claim"])
def any_claim(request):
    return request.getfixturevalue(request.param)


def test_output_validates(any_claim, fixed_options):
    assert_valid(write_837p(any_claim, fixed_options))


def test_envelope(any_claim, fixed_options):
    data = write_837p(any_claim, fixed_options)
    text = data.decode("ascii")
    assert text.index("~") == 105  # ISA is 106 characters with its terminator
    assert text[3] == "*" and text[82] == "^" and text[104] == ":"
    lines = text.split("\n")
    assert all(line.endswith("~") for line in lines[:-1]) and lines[-1] == ""
    isa = segs(text, "ISA")[0]
    assert isa[6] == "PAYERKITSUB    " and isa[8] == "CLEARHOUSE01   "
    assert isa[13] == "000000101" == segs(text, "IEA")[0][2]
    assert isa[15] == "T"
    assert segs(text, "GS")[0][8] == "005010X222A1" == segs(text, "ST")[0][3]
    assert segs(text, "ST")[0][2] == "0001" == segs(text, "SE")[0][2]
    assert segs(text, "BHT")[0] == ["BHT", "0019", "00", "000000101", "20260115", "1030", "CH"]
    st_to_se = text[text.index("ST*"):text.index("GE*")].count("~")
    assert segs(text, "SE")[0][1] == str(st_to_se)


def test_patient_is_insured(auto_accident_claim, fixed_options):
    text = write_837p(auto_accident_claim, fixed_options).decode()
    assert ["HL", "2", "1", "22", "0"] in segs(text, "HL")
    assert not any(s[3] == "23" for s in segs(text, "HL"))
    assert segs(text, "SBR")[0][:3] == ["SBR", "P", "18"]
    assert not segs(text, "PAT")
    assert segs(text, "DMG") == [["DMG", "D8", "19750722", "F"]]
    assert ["REF", "Y4", "CLM7788990011"] in segs(text, "REF")
    clm = segs(text, "CLM")[0]
    assert clm[2] == "150" and clm[5] == "11:B:1" and clm[11] == "AA:::NY"
    # the onset of the condition (431) and the accident (439), the same day for an injury
    assert [s for s in segs(text, "DTP") if s[1] != "472"] == \
        [["DTP", "431", "D8", "20251220"], ["DTP", "439", "D8", "20251220"]]
    assert segs(text, "HI") == [["HI", "ABK:S134XXA", "ABF:M542"]]
    assert [s[2] for s in segs(text, "REF") if s[1] == "6R"] == ["PK-000124-1", "PK-000124-2"]
    # a separate rendering provider: PRV*PE in 2310B, no PRV*BI in 2000A
    assert [s[1] for s in segs(text, "PRV")] == ["PE"]


def test_patient_is_dependent(commercial_dependent_claim, fixed_options):
    text = write_837p(commercial_dependent_claim, fixed_options).decode()
    hls = segs(text, "HL")
    assert hls == [["HL", "1", "", "20", "1"], ["HL", "2", "1", "22", "1"],
                   ["HL", "3", "2", "23", "0"]]
    assert segs(text, "SBR")[0] == ["SBR", "P", "", "GRP12345", "", "", "", "", "", "CI"]
    assert segs(text, "PAT") == [["PAT", "19"]]
    nm1 = {s[1]: s for s in segs(text, "NM1")}
    assert nm1["QC"] == ["NM1", "QC", "1", "SMITH", "EMILY"]
    assert nm1["DN"] == ["NM1", "DN", "1", "JONES", "ROBERT", "", "", "", "XX", "1245319599"]
    assert nm1["82"][-1] == "1992999999"
    # the subscriber's address and demographics are not sent for a dependent
    assert len(segs(text, "N3")) == 2 and len(segs(text, "DMG")) == 1
    assert segs(text, "DMG")[0][2] == "20100405"
    assert ["DTP", "431", "D8", "20260102"] in segs(text, "DTP")
    assert ["REF", "G1", "AUTH998877"] in segs(text, "REF")
    sv1 = segs(text, "SV1")
    assert sv1[0] == ["SV1", "HC:97124:GP", "120", "UN", "4", "", "", "1:2"]
    assert sv1[1] == ["SV1", "HC:97140:GP:59", "70", "UN", "2", "", "", "1"]
    assert segs(text, "CLM")[0][2] == "190"


def test_workers_comp_employer_is_the_subscriber(workers_comp_claim, fixed_options):
    """X12 RFI 1925: the employer is always the subscriber in workers' compensation (2000B,
    NM1*IL*2, no address); the injured worker is the patient (2000C, PAT*20, 2010CA with the
    address, DMG and the carrier's claim number REF*Y4)."""
    text = assert_valid(write_837p(workers_comp_claim, fixed_options))
    assert segs(text, "HL") == [["HL", "1", "", "20", "1"], ["HL", "2", "1", "22", "1"],
                                ["HL", "3", "2", "23", "0"]]
    assert segs(text, "SBR") == [["SBR", "P", "", "", "", "", "", "", "", "WC"]]
    assert segs(text, "PAT") == [["PAT", "20"]]
    tags = [s[0] + (s[1] if s[0] in ("NM1", "REF") else "") for s in parse_segments(text)]
    start = tags.index("NM1IL")
    assert tags[start:start + 2] == ["NM1IL", "NM1PR"]  # no N3/N4/DMG/REF*Y4 for the employer
    nm1 = {s[1]: s for s in segs(text, "NM1")}
    assert nm1["IL"] == ["NM1", "IL", "2", "RIVERSIDE DISTRIBUTION LLC", "", "", "", "", "MI",
                         "WC0112026"]
    assert "MERIDEN" not in text  # the employer's address is for paper claims only
    qc = tags.index("NM1QC")
    assert tags[qc:qc + 5] == ["NM1QC", "N3", "N4", "DMG", "REFY4"]
    assert nm1["QC"] == ["NM1", "QC", "1", "RIVERA", "ANA"]
    assert ["N4", "HAMDEN", "CT", "06514"] in segs(text, "N4")
    assert segs(text, "DMG") == [["DMG", "D8", "19840517", "F"]]
    assert segs(text, "CLM")[0][11] == "EM"
    assert ["DTP", "439", "D8", "20260112"] in segs(text, "DTP")


def test_workers_comp_without_employer_is_refused(workers_comp_claim, fixed_options):
    for employer in (None, "  "):
        claim = evolve(workers_comp_claim, employer=employer)
        problems = check_837p(claim)
        assert [f for f, _ in problems] == ["employer"]
        assert "workers' compensation" in problems[0][1] and "2010BA" in problems[0][1]
        with pytest.raises(FormatError) as refused:
            write_837p(claim, fixed_options)
        assert refused.value.field == "employer"


def test_workers_comp_employer_name_is_a_text_field(workers_comp_claim):
    fields = dict(text_fields_837p(workers_comp_claim))
    assert fields["employer"] == "Riverside Distribution LLC"
    assert "insured.last_name" not in fields and "insured.address.line1" not in fields
    long_name = evolve(workers_comp_claim, employer="Søren " + "X" * 70)
    assert set(text_changes_837p(long_name)) == {("employer", "transliterated"),
                                                 ("employer", "cut")}


def test_semantic_check_wants_the_employer_as_subscriber(workers_comp_claim, fixed_options):
    """A WC claim written the old way (the worker as subscriber) fails the semantic check."""
    text = write_837p(workers_comp_claim, fixed_options).decode()
    old = text.replace("NM1*IL*2*RIVERSIDE DISTRIBUTION LLC*****", "NM1*IL*1*RIVERA*ANA****")
    assert any("2010BA NM102" in e for e in semantic_errors_837p(old))
    assert any("PAT01" in e for e in semantic_errors_837p(text.replace("PAT*20", "PAT*G8")))


def test_order_of_2300_segments(commercial_dependent_claim, fixed_options):
    text = write_837p(commercial_dependent_claim, fixed_options).decode()
    tags = [s[0] + (s[1] if s[0] in ("NM1", "DTP", "REF") else "") for s in parse_segments(text)]
    start = tags.index("CLM")
    assert tags[start:start + 7] == ["CLM", "DTP431", "REFG1", "HI", "NM1DN", "NM182", "PRV"]


# ------------------------------------------------------------------ golden files


@pytest.mark.parametrize(
    ("name", "fixture"),
    [("auto-accident.837", "auto_accident_claim"),
     ("commercial-dependent.837", "commercial_dependent_claim"),
     ("workers-comp.837", "workers_comp_claim")],
)
def test_golden(name, fixture, request, fixed_options):
    data = write_837p(request.getfixturevalue(fixture), fixed_options)
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    golden = path.read_bytes()
    # the golden file is judged by the validators, not only by equality with itself
    assert_valid(golden)
    assert data == golden, f"output differs from {name}; PAYERKIT_REGEN_GOLDEN=1 rewrites it"


# ------------------------------------------------------------------ variants


def evolve(claim, **changes):
    return attrs.evolve(claim, **changes)


def test_billing_provider_as_a_person(auto_accident_claim, fixed_options):
    billing = evolve(auto_accident_claim.billing, name=None, first_name="Ann", last_name="Lee",
                     tax_id_type="ssn", tax_id="123-45-6789")
    text = assert_valid(write_837p(evolve(auto_accident_claim, billing=billing), fixed_options))
    nm1 = {s[1]: s for s in segs(text, "NM1")}
    assert nm1["85"] == ["NM1", "85", "1", "LEE", "ANN", "", "", "", "XX", "1234567893"]
    assert nm1["41"][2:5] == ["1", "LEE", "ANN"]
    assert ["REF", "SY", "123456789"] in segs(text, "REF")


def test_rendering_same_as_billing_is_not_repeated(auto_accident_claim, fixed_options):
    same = Practitioner(first_name="Jane", last_name="Doe", npi="1234567893")
    text = assert_valid(write_837p(evolve(auto_accident_claim, rendering=same), fixed_options))
    assert not any(s[1] == "82" for s in segs(text, "NM1"))
    assert segs(text, "PRV") == [["PRV", "BI", "PXC", "225700000X"]]


def test_no_rendering_sends_billing_taxonomy(commercial_dependent_claim, fixed_options):
    claim = evolve(commercial_dependent_claim, rendering=None)
    text = assert_valid(write_837p(claim, fixed_options))
    assert segs(text, "PRV") == [["PRV", "BI", "PXC", "225700000X"]]


def test_line_place_of_service_differs(commercial_dependent_claim, fixed_options):
    claim = commercial_dependent_claim
    lines = (claim.lines[0], evolve(claim.lines[1], place_of_service="12"))
    text = assert_valid(write_837p(evolve(claim, lines=lines), fixed_options))
    sv1 = segs(text, "SV1")
    assert sv1[0][5] == "" and sv1[1][5] == "12"


@pytest.mark.parametrize(
    ("cause", "accident", "code", "dtp"),
    [("employment", None, "EM", ["431"]), ("employment", dt.date(2025, 12, 1), "EM",
                                           ["431", "439"]),
     ("other", dt.date(2025, 12, 1), "OA", ["431", "439"])],
)
def test_other_related_causes(commercial_dependent_claim, fixed_options, cause, accident, code,
                              dtp):
    claim = evolve(commercial_dependent_claim, related_cause=cause, accident_date=accident)
    text = assert_valid(write_837p(claim, fixed_options))
    assert segs(text, "CLM")[0][11] == code
    assert [s[1] for s in segs(text, "DTP") if s[1] in ("431", "439")] == dtp


def test_onset_and_accident_dates_are_each_their_own(commercial_dependent_claim, fixed_options):
    """DTP*431 is the onset the claim carries, DTP*439 the accident date: either, both or
    neither, never one standing in for the other."""
    for onset, accident in ((None, None), (dt.date(2026, 1, 2), None),
                            (None, dt.date(2025, 12, 1)), (dt.date(2026, 1, 2), dt.date(2025, 12, 1))):
        claim = evolve(commercial_dependent_claim, related_cause="other" if accident else None,
                       onset_date=onset, accident_date=accident)
        text = assert_valid(write_837p(claim, fixed_options))
        dates = {s[1]: s[3] for s in segs(text, "DTP") if s[1] in ("431", "439")}
        assert dates == {**({"431": f"{onset:%Y%m%d}"} if onset else {}),
                         **({"439": f"{accident:%Y%m%d}"} if accident else {})}


def test_spouse_and_other_relations(commercial_dependent_claim, fixed_options):
    for relation, code in (("spouse", "01"), ("other", "G8")):
        claim = evolve(commercial_dependent_claim, relation=relation)
        text = write_837p(claim, fixed_options).decode()
        assert segs(text, "PAT") == [["PAT", code]]


def test_amounts_and_twelve_diagnoses(commercial_dependent_claim, fixed_options):
    claim = commercial_dependent_claim
    diagnoses = ("M54.50", "M62.830", "M54.2", "M79.1", "M79.601", "M79.602", "M54.6",
                 "M25.511", "M25.512", "G44.209", "M53.82", "M62.838")
    lines = (evolve(claim.lines[0], charge=Decimal("12.50"), pointers=(1, 2, 11, 12)),
             evolve(claim.lines[1], charge=Decimal("0.05")))
    text = assert_valid(write_837p(evolve(claim, diagnoses=diagnoses, lines=lines),
                                   fixed_options))
    assert segs(text, "CLM")[0][2] == "12.55"
    assert [s[2] for s in segs(text, "SV1")] == ["12.5", "0.05"]
    assert len(segs(text, "HI")[0]) == 13
    assert segs(text, "SV1")[0][7] == "1:2:11:12"


def test_control_numbers_from_the_counter(auto_accident_claim, tmp_path):
    options = WriteOptions(now=dt.datetime(2026, 1, 15, 10, 30), data_dir=tmp_path)
    first = write_837p(auto_accident_claim, options).decode()
    second = write_837p(auto_accident_claim, options).decode()
    assert segs(first, "ISA")[0][13] == "000000001"
    assert segs(second, "ISA")[0][13] == "000000002"
    assert segs(second, "GS")[0][6] == "2" and segs(second, "ST")[0][2] == "0002"
    assert_valid(second.encode())


def test_large_control_numbers(auto_accident_claim):
    options = WriteOptions(control=ControlNumbers(999_999_999, 999_999_999, 999_999_999),
                           now=dt.datetime(2026, 1, 15, 10, 30))
    text = assert_valid(write_837p(auto_accident_claim, options))
    assert segs(text, "ST")[0][2] == "999999999"


# ------------------------------------------------------------------ refusals


def _billing(claim, **changes):
    return evolve(claim, billing=evolve(claim.billing, **changes))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: _billing(c, phone=None), "billing.phone"),
        (lambda c: _billing(c, address=evolve(c.billing.address, zip="12207")),
         "billing.address.zip"),
        (lambda c: _billing(c, npi="123"), "billing.npi"),
        (lambda c: evolve(c, accident_state=None), "accident_state"),
        (lambda c: evolve(c, accident_date=None), "accident_date"),
        (lambda c: evolve(c, lines=(evolve(c.lines[0], pointers=(3,)),)), "lines[0].pointers"),
        (lambda c: evolve(c, lines=(evolve(c.lines[0], pointers=()),)), "lines[0].pointers"),
        (lambda c: evolve(c, lines=(evolve(c.lines[0], charge=Decimal("1.005")),)),
         "lines[0].charge"),
        (lambda c: evolve(c, lines=(evolve(c.lines[0], modifiers=("G",)),)),
         "lines[0].modifiers"),
        (lambda c: evolve(c, lines=()), "lines"),
        (lambda c: evolve(c, diagnoses=()), "diagnoses"),
        (lambda c: evolve(c, diagnoses=("M54.50",) * 13), "diagnoses"),
        (lambda c: evolve(c, insured=evolve(c.insured, last_name="*~:^")), "insured.last_name"),
        (lambda c: evolve(c, id="X" * 39), "id"),
        (lambda c: evolve(c, sender_id="A" * 16), "sender_id"),
    ],
)
def test_refuses_what_x12_cannot_carry(auto_accident_claim, fixed_options, change, field):
    with pytest.raises(ValueError, match=f"^{field.replace('[', '.').replace(']', '.')}:"):
        write_837p(change(auto_accident_claim), fixed_options)


def test_error_messages_carry_no_patient_data(auto_accident_claim, fixed_options):
    claim = evolve(auto_accident_claim, lines=(evolve(auto_accident_claim.lines[0],
                                                      pointers=(9,)),))
    with pytest.raises(ValueError) as info:
        write_837p(claim, fixed_options)
    assert "GARCIA" not in str(info.value).upper() and "NF2025" not in str(info.value)


# ------------------------------------------------------------------ the semantic checker itself


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("SE*34*0001", "SE*33*0001", "SE01"),
        ("IEA*1*000000101", "IEA*1*000000102", "IEA02"),
        ("CLM*PK000123*190", "CLM*PK000123*180", "CLM02"),
        ("CLM*PK000123*190", "CLM*PK000123*190.00", "trailing zeros"),
        ("***1:2~", "***1:3~", "SV107 pointer 3"),
        ("SBR*P**GRP", "SBR*P*18*GRP", "SBR02"),
        ("HL*2*1*22*1", "HL*2*1*22*0", "HL04"),
        ("N4*ALBANY*NY*122070001", "N4*ALBANY*NY*12207", "9 digits"),
        ("*Y*A*Y*Y~", "*Y*A*Y*Y**AA~", "state"),
        ("*Y*A*Y*Y~", "*Y*A*Y*Y**AA:::NY~", "DTP*439"),
        ("NM1*IL*1*SMITH*JOHN****MI*XYZ123456789~",
         "NM1*IL*1*SMITH*JOHN****MI*XYZ123456789~\nDMG*D8*19800314*M~", "2010BA DMG"),
        ("ISA*00*", "ISA*00* ", "106"),
    ],
)
def test_semantic_checker_catches(commercial_dependent_claim, fixed_options, old, new, problem):
    text = write_837p(commercial_dependent_claim, fixed_options).decode()
    assert old in text
    mutated = text.replace(old, new, 1)
    if problem not in ("SE01", "106"):  # keep the count right so only the planted fault shows
        delta = mutated.count("~") - text.count("~")
        mutated = mutated.replace("SE*34*", f"SE*{34 + delta}*")
    problems = semantic_errors_837p(mutated)
    assert any(problem in p for p in problems), problems


# ------------------------------------------------------------------ arbitrary text stays safe

HOSTILE = st.text(
    alphabet=st.one_of(st.sampled_from("*:^~\r\n\t \x00\x1d>@#%&'-."), st.characters()),
    max_size=70,
)
# Every generated value keeps two letters, so required names never clean to empty.
NAME = st.builds(lambda a, b: f"{a}Q{b}Z", HOSTILE, HOSTILE)


def _nm1_shape(text: str) -> list[tuple[str, int]]:
    return [(s[1], len(s)) for s in segs(text, "NM1")]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_text_cannot_break_the_file(commercial_dependent_claim, fixed_options, data):
    claim = commercial_dependent_claim
    baseline = _nm1_shape(write_837p(claim, fixed_options).decode())
    draw = data.draw
    address = evolve(claim.patient.address, line1=draw(NAME), line2=draw(NAME), city=draw(NAME))
    billing = evolve(claim.billing, name=draw(NAME),
                     address=evolve(claim.billing.address, line1=draw(NAME), city=draw(NAME)))
    claim = evolve(
        claim,
        billing=billing,
        patient=evolve(claim.patient, first_name=draw(NAME), last_name=draw(NAME),
                       address=address),
        insured=evolve(claim.insured, first_name=draw(NAME), last_name=draw(NAME)),
        referring=evolve(claim.referring, first_name=draw(NAME), last_name=draw(NAME)),
        rendering=evolve(claim.rendering, first_name=draw(NAME), last_name=draw(NAME)),
        payer_name=draw(NAME),
        receiver_name=draw(NAME),
    )
    text = assert_valid(write_837p(claim, fixed_options))
    assert _nm1_shape(text) == baseline


# ------------------------------------------------------------------ identifiers: refused, never altered

BAD_IDENTIFIERS = ["A*B", "A:B", "A^B", "A~B", "AÉB1", "A@B1", "A#B1", " AB1", "AB1 ", "AB\n1",
                   "ＡB1"]


def _set(claim, path, value):
    """``claim`` with the field at a claim path (``billing.taxonomy``, ``lines[0].code``) replaced."""
    head, _, rest = path.partition(".")
    if head.endswith("]"):
        name, index = head[:-1].split("[")
        items = list(getattr(claim, name))
        items[int(index)] = _set(items[int(index)], rest, value) if rest else value
        return evolve(claim, **{name: tuple(items)})
    if rest:
        return evolve(claim, **{head: _set(getattr(claim, head), rest, value)})
    return evolve(claim, **{head: value})


#: Every identifier and code the writer takes from a claim, with a claim that writes it.
IDENTIFIER_FIELDS = [
    ("member_id", "auto_accident_claim"), ("id", "auto_accident_claim"),
    ("payer_id", "auto_accident_claim"), ("sender_id", "auto_accident_claim"),
    ("receiver_id", "auto_accident_claim"), ("filing_indicator", "auto_accident_claim"),
    ("property_casualty_claim_number", "auto_accident_claim"),
    ("accident_state", "auto_accident_claim"), ("place_of_service", "auto_accident_claim"),
    ("group_number", "commercial_dependent_claim"),
    ("prior_authorization", "commercial_dependent_claim"),
    ("rendering.taxonomy", "commercial_dependent_claim"),
    ("lines[0].code", "commercial_dependent_claim"),
    ("lines[1].control_number", "auto_accident_claim"),
    ("patient.address.state", "commercial_dependent_claim"),
    ("billing.address.state", "commercial_dependent_claim"),
]


@pytest.mark.parametrize(("field", "fixture"), IDENTIFIER_FIELDS)
@pytest.mark.parametrize("bad", BAD_IDENTIFIERS)
def test_an_identifier_is_refused_not_altered(request, fixed_options, field, fixture, bad):
    """Issue 6: member id ``NF2025*12:20~A`` was written as ``NF2025 12 20 A``."""
    claim = _set(request.getfixturevalue(fixture), field, bad)
    with pytest.raises(FormatError) as info:
        write_837p(claim, fixed_options)
    assert info.value.field == field
    assert bad.strip() not in str(info.value)
    assert (field, info.value.problem) in check_837p(claim)


def test_billing_taxonomy_refused_when_written(commercial_dependent_claim, fixed_options):
    claim = evolve(_billing(commercial_dependent_claim, taxonomy="2257*0000X"), rendering=None)
    with pytest.raises(FormatError, match="^billing.taxonomy: contains an X12 delimiter"):
        write_837p(claim, fixed_options)


@pytest.mark.parametrize(("path", "bad"), [("diagnoses", ("M54.2*",)), ("diagnoses", ("M54.Ｘ",)),
                                           ("lines[0].modifiers", ("G*",)),
                                           ("lines[0].modifiers", ("GÉ",))])
def test_codes_are_refused_not_altered(commercial_dependent_claim, fixed_options, path, bad):
    claim = _set(commercial_dependent_claim, path, bad)
    if path == "diagnoses":
        claim = evolve(claim, lines=tuple(evolve(ln, pointers=(1,)) for ln in claim.lines))
    with pytest.raises(FormatError) as info:
        write_837p(claim, fixed_options)
    assert info.value.field in ("diagnoses[0]", "lines[0].modifiers")


def test_identifiers_upper_cased_and_kept(commercial_dependent_claim, fixed_options):
    """The documented choice: ASCII a-z are upper-cased (the basic set has no lower case)."""
    claim = evolve(commercial_dependent_claim, member_id="xyz 123-45/6", group_number="grp12345",
                   prior_authorization="auth(7)", id="pk-000123")
    text = assert_valid(write_837p(claim, fixed_options))
    assert {s[1]: s for s in segs(text, "NM1")}["IL"][-1] == "XYZ 123-45/6"
    assert segs(text, "SBR")[0][3] == "GRP12345"
    assert ["REF", "G1", "AUTH(7)"] in segs(text, "REF")
    assert segs(text, "CLM")[0][1] == "PK-000123"


ID_TEXT = st.text(alphabet=st.one_of(st.sampled_from("*:^~ @#aZ09-.é王\n"), st.characters()),
                  min_size=0, max_size=30)


@settings(max_examples=60, deadline=None)
@given(member_id=ID_TEXT, claim_id=ID_TEXT, auth=ID_TEXT)
def test_identifiers_arrive_exactly_or_not_at_all(commercial_dependent_claim, fixed_options,
                                                   member_id, claim_id, auth):
    claim = evolve(commercial_dependent_claim, member_id=member_id, id=claim_id,
                   prior_authorization=auth)
    problems = check_837p(claim)
    try:
        text = write_837p(claim, fixed_options).decode("ascii")
    except FormatError as exc:
        assert (exc.field, exc.problem) in problems
        assert exc.field in ("member_id", "id", "prior_authorization")
        return
    assert problems == []
    assert [s[-1] for s in segs(text, "NM1") if s[1] == "IL"] == [member_id.upper()]
    assert segs(text, "CLM")[0][1] == claim_id.upper()
    assert [s[2] for s in segs(text, "REF") if s[1] == "G1"] == ([auth.upper()] if auth else [])
    assert semantic_errors_837p(text) == []


# ------------------------------------------------------------------ names: transliterated, never blanked


def test_names_are_transliterated(commercial_dependent_claim, fixed_options):
    """Issue 6: ``Søren Łukasz-Øberg`` was ``S REN`` / ``UKASZ- BERG``, a CJK name vanished."""
    claim = commercial_dependent_claim
    claim = evolve(claim, patient=evolve(claim.patient, first_name="Søren", last_name="Łukasz-Øberg"),
                   insured=evolve(claim.insured, first_name="小明", last_name="王"))
    text = assert_valid(write_837p(claim, fixed_options))
    nm1 = {s[1]: s for s in segs(text, "NM1")}
    assert nm1["QC"][3:5] == ["LUKASZ-OBERG", "SOREN"]
    assert nm1["IL"][3:5] == ["WANG", "XIAOMING"]
    assert sorted(text_changes_837p(claim)) == [
        ("insured.first_name", "transliterated"), ("insured.last_name", "transliterated"),
        ("patient.first_name", "transliterated"), ("patient.last_name", "transliterated")]


@pytest.mark.parametrize(
    ("path", "value"),
    [("patient.last_name", "🙂"), ("patient.first_name", "🙂🙂"), ("patient.address.line1", "   "),
     ("patient.address.line2", "\u200d"), ("patient.address.city", "*"),
     ("insured.last_name", "\U0001f1fa\U0001f1f8"), ("referring.first_name", "~~"),
     ("billing.name", "\ue000"), ("payer_name", "^"), ("receiver_name", "")],
)
def test_a_name_with_nothing_left_is_refused(commercial_dependent_claim, fixed_options, path,
                                             value):
    claim = _set(commercial_dependent_claim, path, value)
    with pytest.raises(FormatError) as info:
        write_837p(claim, fixed_options)
    assert info.value.field == path
    assert check_837p(claim) == [(path, info.value.problem)]


def test_optional_names_left_out_when_blank(commercial_dependent_claim, fixed_options):
    claim = commercial_dependent_claim
    claim = evolve(claim, patient=evolve(claim.patient, first_name=" ",
                                         address=evolve(claim.patient.address, line2="")))
    text = assert_valid(write_837p(claim, fixed_options))
    assert {s[1]: s for s in segs(text, "NM1")}["QC"] == ["NM1", "QC", "1", "SMITH"]


def test_long_names_are_cut_and_said_so(auto_accident_claim, fixed_options):
    claim = evolve(auto_accident_claim, insured=evolve(auto_accident_claim.insured,
                                                       last_name="Garcia " * 12))
    text = assert_valid(write_837p(claim, fixed_options))
    assert len({s[1]: s for s in segs(text, "NM1")}["IL"][3]) <= 60
    assert text_changes_837p(claim) == [("insured.last_name", "cut")]


def _variants(claim):
    """The claim shapes that change which names the writer writes."""
    person = _billing(claim, name=None, first_name="Ann", last_name="Lee")
    return [
        claim, person, evolve(person, billing=evolve(person.billing, first_name=None)),
        evolve(claim, rendering=None), evolve(claim, referring=None),
        evolve(claim, rendering=evolve(claim.rendering, npi=claim.billing.npi)),
        evolve(claim, relation="self", insured=claim.patient),
        evolve(claim, patient=evolve(claim.patient, address=evolve(claim.patient.address,
                                                                     line2="Apt 1"))),
    ]


#: The claim's and its people's and addresses' attributes that hold a name or address text.
_TEXTS = {"receiver_name", "payer_name", "employer", "name", "first_name", "last_name", "line1",
          "line2", "city"}


def _accented(value):
    """``value`` (a claim, a person, an address...) with an ``é`` after each name and address
    text in it, so that the 837P transliterates each one it writes."""
    changes = {}
    for field in attrs.fields(type(value)):
        inner = getattr(value, field.name)
        if field.name in _TEXTS and isinstance(inner, str):
            changes[field.name] = inner + "é"
        elif attrs.has(type(inner)):
            changes[field.name] = _accented(inner)
    return evolve(value, **changes)


def test_text_fields_are_the_ones_the_writer_writes(any_claim, fixed_options):
    """``text_fields_837p`` lists exactly the names the writer writes, in the order of the
    warnings: every name written transliterated is warned about, none other."""
    for claim in map(_accented, _variants(any_claim)):
        written = [field for field, value in text_fields_837p(claim) if value]
        assert text_changes_837p(claim) == [(field, "transliterated") for field in written]
        write_837p(claim, fixed_options)  # and it can be written


# ------------------------------------------------------------------ dates X12 and pyx12 can take


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: evolve(c, insured=evolve(c.insured, birth_date=dt.date(1, 1, 1))),
         "insured.birth_date"),
        (lambda c: evolve(c, insured=evolve(c.insured, birth_date=dt.date(1899, 12, 31))),
         "insured.birth_date"),
        (lambda c: evolve(c, insured=evolve(c.insured, birth_date=dt.date(2026, 1, 6))),
         "insured.birth_date"),
        (lambda c: evolve(c, accident_date=dt.date(1, 1, 1)), "accident_date"),
        (lambda c: evolve(c, lines=(evolve(c.lines[0], date=dt.date(2100, 1, 1)),)),
         "lines[0].date"),
    ],
)
def test_dates_x12_cannot_take_are_refused(auto_accident_claim, fixed_options, change, field):
    """Issue 6: a birth date of 0001-01-01 was written, and pyx12 rejects it."""
    claim = change(auto_accident_claim)
    with pytest.raises(FormatError) as info:
        write_837p(claim, fixed_options)
    assert info.value.field == field
    assert (field, info.value.problem) in check_837p(claim)


def test_dependent_birth_date_checked(commercial_dependent_claim, fixed_options):
    claim = commercial_dependent_claim
    late = evolve(claim, patient=evolve(claim.patient, birth_date=dt.date(2026, 2, 1)))
    with pytest.raises(FormatError, match="^patient.birth_date: after the date of service"):
        write_837p(late, fixed_options)
    # born on the day of service, and on the earliest day written: both fine
    for day in (dt.date(2026, 1, 10), dt.date(1900, 1, 1)):
        assert_valid(write_837p(evolve(claim, patient=evolve(claim.patient, birth_date=day)),
                                fixed_options))


# ------------------------------------------------------------------ the dry run finds everything


def test_check_finds_every_problem_at_once(commercial_dependent_claim):
    claim = commercial_dependent_claim
    line = evolve(claim.lines[0], code="97124*", charge=Decimal("1.005"))
    claim = evolve(claim, member_id="A*B", id="X" * 39, group_number="G~1",
                   patient=evolve(claim.patient, last_name="🙂", birth_date=dt.date(1, 1, 1)),
                   lines=(line,) * 51, diagnoses=claim.diagnoses * 7)
    fields = [field for field, _ in check_837p(claim)]
    for field in ("member_id", "id", "group_number", "patient.last_name", "patient.birth_date",
                  "lines", "diagnoses", "lines[0].code", "lines[50].charge", "total_charge"):
        assert field in fields, fields
    assert len(fields) == len(set(fields))  # each problem once


def test_check_is_empty_for_a_good_claim(any_claim):
    assert check_837p(any_claim) == []


def test_sixty_lines_refused(commercial_dependent_claim, fixed_options):
    claim = evolve(commercial_dependent_claim, lines=commercial_dependent_claim.lines * 30)
    with pytest.raises(FormatError, match="^lines: an 837P claim carries 1 to 50"):
        write_837p(claim, fixed_options)
    assert ("lines", "an 837P claim carries 1 to 50 service lines") in check_837p(claim)

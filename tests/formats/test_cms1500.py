"""The CMS-1500 box values (payerkit.formats.cms1500): NUCC rules, refusals that name the
claim field (never a cut value), the scrub's check, registration, the kit, and speed."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from case_samples import BASE_CASE, SampleAdapter, make_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit import ClaimRefused, PayerKit, load_case
from payerkit.errors import FormatError
from payerkit.formats.cms1500 import (
    BOXES,
    CHECKBOXES,
    FIELDS,
    address_text,
    check_cms1500,
    form_pages,
    name_text,
)
from payerkit.formats.cms1500_pdf import write_cms1500
from payerkit.formats.cms1500_red import write_cms1500_red
from payerkit.formats.options import WriteOptions
from payerkit.formats.x12_837p import check_837p
from payerkit.model import Program
from payerkit.model.case import Address, Practitioner, Provider
from payerkit.model.claim import Claim, ClaimLine

SIGNED = dt.date(2026, 3, 20)


def values(claim: Claim, page: int = 0) -> dict[str, str]:
    return form_pages(claim, SIGNED)[page].values


def refused(claim: Claim) -> tuple[str, str]:
    """The first problem, checked to be the writer's own and the scrub's first."""
    problems = check_cms1500(claim)
    assert problems, "expected the CMS-1500 to refuse this claim"
    with pytest.raises(FormatError) as exc:
        form_pages(claim, SIGNED)
    assert (exc.value.field, exc.value.problem) == problems[0]
    return problems[0]


EXAMPLES = Path(__file__).parents[2] / "examples"


def lines_of(n: int, day=dt.date(2026, 1, 5), charge="40.00") -> list[ClaimLine]:
    return [ClaimLine(day + dt.timedelta(days=7 * i), "97124" if i % 2 == 0 else "97140", 2,
                      Decimal(charge) + i, (1,), control_number=str(i + 1)) for i in range(n)]


# ------------------------------------------------------------------------------ the layout


def test_every_field_lies_inside_its_box_and_none_overlap():
    taken: dict[tuple[int, int], str] = {}
    for f in FIELDS.values():
        box = BOXES[f.box]
        assert box.top <= f.line < box.bottom, f
        assert box.left <= f.col and f.col + f.width <= box.right, f
        for col in range(f.col, f.col + f.width):
            assert (f.line, col) not in taken, f"{f.key} overlaps {taken[(f.line, col)]}"
            taken[(f.line, col)] = f.key
    assert all(FIELDS[key].width == 1 for key in CHECKBOXES)
    assert max(col for _, col in taken) <= 79 and max(line for line, _ in taken) <= 61


# ------------------------------------------------------------------------------ NUCC rules


def test_names_and_addresses_follow_nucc():
    assert name_text("O'Brien-Smith Jr.") == "OBRIEN-SMITH JR"
    assert name_text("Søren  Łukasz") == "SOREN LUKASZ"
    assert name_text("Smith & Sons, Inc.", organization=True) == "SMITH & SONS INC"
    assert address_text("123 N. Main Street, #101") == "123 N MAIN STREET 101"
    assert address_text("P.O. Box 12") == "PO BOX 12"


def test_the_auto_claim(auto_accident_claim):
    v = values(auto_accident_claim)
    assert v["carrier.1"] == "EXAMPLE AUTO INSURANCE CO"
    assert v["1.other"] == "X" and v["1a"] == "NF20251220A"
    assert v["2"] == v["4"] == "GARCIA, MARIA"
    assert (v["3.mm"], v["3.dd"], v["3.yy"], v["3.f"]) == ("07", "22", "1975", "X")  # 8 digits
    assert v["6.self"] == "X"
    assert (v["5.street"], v["5.city"], v["5.state"], v["5.zip"]) == \
        ("9 RIVER RD", "SCHENECTADY", "NY", "12305")
    assert (v["10a.no"], v["10b.yes"], v["10b.state"], v["10c.no"]) == ("X", "X", "NY", "X")
    assert (v["11b.qual"], v["11b"]) == ("Y4", "CLM7788990011")
    assert (v["15.qual"], v["15.mm"], v["15.dd"], v["15.yy"]) == ("439", "12", "20", "25")
    # the onset is 14/431 (DTP*431), the accident 15/439 (DTP*439): the same day here
    assert (v["14.qual"], v["14.mm"], v["14.dd"], v["14.yy"]) == ("431", "12", "20", "25")
    assert (v["12"], v["13"], v["31"], v["31.date"]) == \
        ("SIGNATURE ON FILE", "SIGNATURE ON FILE", "SIGNATURE ON FILE", "03 20 26")
    assert (v["21.ind"], v["21.A"], v["21.B"]) == ("0", "S134XXA", "M542")  # no decimal point
    assert (v["24.1.e"], v["24.2.e"]) == ("AB", "A")  # pointers as letters, no commas
    assert (v["24.1.f.dollars"], v["24.1.f.cents"], v["24.2.f.dollars"]) == ("100", "00", "50")
    assert (v["24.1.from.yy"], v["24.1.to.mm"], v["24.1.to.dd"]) == ("26", "01", "05")
    assert (v["24.1.j"], v["24.1.i.shaded"], v["24.1.j.shaded"]) == \
        ("1992999999", "ZZ", "225700000X")
    assert "33b" not in v  # the taxonomy goes with the rendering provider (PRV*PE), not 33b
    assert (v["28.dollars"], v["28.cents"]) == ("150", "00")
    assert (v["25"], v["25.ein"], v["26"], v["27.yes"]) == ("123456789", "X", "PK000124", "X")
    assert [v["33.1"], v["33.2"], v["33.3"], v["33.area"], v["33.phone"], v["33a"]] == \
        ["SERENITY MASSAGE LLC", "100 MAIN ST SUITE 2", "ALBANY NY 122070001", "518", "5551234",
         "1234567893"]
    assert v["11d.no"] == "X" and "22.code" not in v and "23" not in v


def test_the_commercial_dependent_claim(commercial_dependent_claim):
    v = values(commercial_dependent_claim)
    assert v["1.group"] == "X" and v["11"] == "GRP12345"
    assert (v["2"], v["4"], v["6.child"]) == ("SMITH, EMILY", "SMITH, JOHN", "X")
    assert (v["11a.mm"], v["11a.yy"], v["11a.m"]) == ("03", "1980", "X")
    assert (v["10a.no"], v["10b.no"], v["10c.no"]) == ("X", "X", "X") and "10b.state" not in v
    assert (v["14.qual"], v["14.mm"], v["14.dd"], v["14.yy"]) == ("431", "01", "02", "26")
    assert (v["17.qual"], v["17"], v["17b"]) == ("DN", "ROBERT JONES", "1245319599")
    assert (v["24.1.mod1"], v["24.2.mod1"], v["24.2.mod2"]) == ("GP", "GP", "59")
    assert (v["24.2.f.dollars"], v["24.2.f.cents"]) == ("70", "00")
    assert v["23"] == "AUTH998877" and "11b" not in v


def test_box_1_follows_the_filing_indicator(commercial_dependent_claim):
    for indicator, group, box in (("CI", "G1", "group"), ("CI", None, "other"), ("BL", "G", "group"),
                                  ("HM", "G", "other"), ("AM", None, "other"), ("WC", None, "other"),
                                  ("MB", None, "medicare"), ("MC", None, "medicaid"),
                                  ("CH", None, "tricare"), ("VA", None, "champva")):
        v = values(attrs.evolve(commercial_dependent_claim, filing_indicator=indicator,
                                group_number=group))
        assert [k for k in CHECKBOXES if k.startswith("1.") and k in v] == [f"1.{box}"], indicator


def test_related_causes(auto_accident_claim):
    for cause, yes in (("employment", "10a"), ("other", "10c")):
        v = values(attrs.evolve(auto_accident_claim, related_cause=cause, accident_state=None))
        assert v[f"{yes}.yes"] == "X" and "10b.state" not in v
        assert sum(v.get(f"{b}.yes") == "X" for b in ("10a", "10b", "10c")) == 1
    assert refused(attrs.evolve(auto_accident_claim, accident_state=None))[0] == "accident_state"
    assert refused(attrs.evolve(auto_accident_claim, accident_state="N1"))[0] == "accident_state"


def test_names_too_long_keep_initials_or_are_refused(auto_accident_claim):
    patient = attrs.evolve(auto_accident_claim.patient, first_name="Maria Elena Sofia",
                           last_name="Garcia-Fernandez")
    v = values(attrs.evolve(auto_accident_claim, patient=patient, insured=patient))
    assert v["2"] == "GARCIA-FERNANDEZ, MARIA E S"  # NUCC: first name, middle initial
    long_last = attrs.evolve(patient, last_name="Wolfeschlegelsteinhausenberger")
    field, problem = refused(attrs.evolve(auto_accident_claim, patient=long_last, insured=long_last))
    assert field == "patient.last_name" and "never cut" in problem
    long_first = attrs.evolve(patient, first_name="Bartholomew-Maximilian", last_name="Fernandez")
    assert refused(attrs.evolve(auto_accident_claim, patient=long_first,
                                insured=long_first))[0] == "patient.first_name"
    nothing = attrs.evolve(patient, last_name="...")
    assert refused(attrs.evolve(auto_accident_claim, patient=nothing,
                                insured=nothing))[0] == "patient.last_name"


def test_addresses_that_do_not_fit_are_refused(auto_accident_claim):
    address = Address("12345 Northeast Marketplace Boulevard", "Schenectady", "NY", "12305")
    patient = attrs.evolve(auto_accident_claim.patient, address=address)
    field, problem = refused(attrs.evolve(auto_accident_claim, patient=patient, insured=patient))
    assert field == "patient.address.line1" and "USPS" in problem
    patient = attrs.evolve(patient, address=attrs.evolve(address, line1="1 Elm St",
                                                         line2="Building 12 Apartment 1203"))
    assert refused(attrs.evolve(auto_accident_claim, patient=patient,
                                insured=patient))[0] == "patient.address.line2"
    patient = attrs.evolve(patient, address=Address("1 Elm St", "X", "NY", "123"))
    problems = check_cms1500(attrs.evolve(auto_accident_claim, patient=patient, insured=patient))
    assert ("patient.address.city", "required: at least 2 letters") in problems
    assert ("patient.address.zip", "must be 5 or 9 digits") in problems


def test_identifiers_are_printed_exactly_or_refused(auto_accident_claim):
    v = values(attrs.evolve(auto_accident_claim, member_id="nf-2025 1220a"))
    assert v["1a"] == "NF-2025 1220A"  # as the 837P writes it: ASCII letters upper-cased
    field, problem = refused(attrs.evolve(auto_accident_claim, member_id="X" * 30))
    assert field == "member_id" and "never cut" in problem
    assert refused(attrs.evolve(auto_accident_claim, member_id="NF#1"))[0] == "member_id"
    v = values(attrs.evolve(auto_accident_claim, prior_authorization="AU-123 456"))
    assert v["23"] == "AU123456"  # item 23: no hyphens or spaces within the number


def test_box_26_is_the_patient_account_number_exactly_or_refused(auto_accident_claim):
    """Box 26 prints the claim id exactly as the 837P's CLM01 (letters upper-cased), so a
    paper remittance matches the claim; one it cannot hold that way (more than 14
    characters, or a hyphen, which NUCC item 26 does not take) refuses the paper claim."""
    assert values(attrs.evolve(auto_accident_claim, id="pk2603124fz7qa"))["26"] == \
        "PK2603124FZ7QA"
    for bad in ("PK20260312E06E08DC", "PK-20-0001", "PK 2001", "X" * 15):
        field, problem = refused(attrs.evolve(auto_accident_claim, id=bad))
        assert field == "id" and "box 26" in problem


def test_money_and_units(auto_accident_claim):
    line = auto_accident_claim.lines[0]
    for charge, ok in (("0", True), ("99999.99", True), ("100000.00", False), ("10.005", False),
                       ("-1", False)):
        claim = attrs.evolve(auto_accident_claim, lines=[attrs.evolve(line, charge=Decimal(charge))])
        if ok:
            v = values(claim)
            dollars, _, cents = f"{Decimal(charge):.2f}".partition(".")
            assert (v["24.1.f.dollars"], v["24.1.f.cents"]) == (dollars, cents)
        else:
            assert refused(claim)[0] == "lines[0].charge"
    for units in (0, 1000):
        claim = attrs.evolve(auto_accident_claim, lines=[attrs.evolve(line, units=units)])
        assert refused(claim)[0] == "lines[0].units"
    three = attrs.evolve(auto_accident_claim, lines=[attrs.evolve(line, charge=Decimal("40000"))] * 3)
    assert refused(three)[0] == "total_charge"  # box 28 holds 99999.99


def test_pointers_codes_and_modifiers(auto_accident_claim):
    line = auto_accident_claim.lines[0]
    claim = attrs.evolve(auto_accident_claim, diagnoses=[f"M54.{i}" for i in range(12)],
                         lines=[attrs.evolve(line, pointers=(12, 1, 5, 9))])
    v = values(claim)
    assert v["24.1.e"] == "LAEI" and v["21.L"] == "M5411" and v["21.E"] == "M544"
    assert refused(attrs.evolve(auto_accident_claim, lines=[attrs.evolve(
        line, pointers=(1, 2, 1, 2, 1))]))[0] == "lines[0].pointers"
    assert refused(attrs.evolve(auto_accident_claim, lines=[attrs.evolve(
        line, pointers=(3,))]))[0] == "lines[0].pointers"
    assert refused(attrs.evolve(auto_accident_claim, diagnoses=["M54.2", "S13.4XXA1"]))[0] == \
        "diagnoses[1]"
    assert refused(attrs.evolve(auto_accident_claim, diagnoses=[]))[0] == "diagnoses"
    assert refused(attrs.evolve(auto_accident_claim, lines=[attrs.evolve(
        line, modifiers=("GP", "5"))]))[0] == "lines[0].modifiers"


@pytest.mark.skipif("frequency" not in attrs.fields_dict(Claim),
                    reason="corrected claims are not in the claim model yet")
def test_box_22_for_corrected_claims(auto_accident_claim):
    v = values(attrs.evolve(auto_accident_claim, frequency="8", original_claim_number="abc123"))
    assert (v["22.code"], v["22.ref"]) == ("8", "ABC123")
    assert refused(attrs.evolve(auto_accident_claim, frequency="7"))[0] == "original_claim_number"
    assert refused(attrs.evolve(auto_accident_claim, frequency="5"))[0] == "frequency"
    v = values(attrs.evolve(auto_accident_claim, original_claim_number="ABC123"))
    assert "22.code" not in v and "22.ref" not in v  # an original claim: box 22 stays empty


def test_billing_provider_and_rendering(commercial_dependent_claim):
    same = attrs.evolve(commercial_dependent_claim, rendering=Practitioner("Jane", "Doe", "1234567893"))
    v = values(same)
    assert "24.1.j" not in v and v["33b"] == "ZZ225700000X"  # NUCC: no separator in 33b
    person = attrs.evolve(commercial_dependent_claim.billing, name=None, first_name="Jane",
                          last_name="Doe", tax_id_type="ssn", phone="1 (518) 555-1234")
    v = values(attrs.evolve(commercial_dependent_claim, billing=person))
    assert (v["33.1"], v["25.ssn"], v["33.area"], v["33.phone"]) == ("JANE DOE", "X", "518", "5551234")
    for bad in ("555-1234", "12345678901234"):
        assert refused(attrs.evolve(commercial_dependent_claim, billing=attrs.evolve(
            person, phone=bad)))[0] == "billing.phone"
    assert refused(attrs.evolve(commercial_dependent_claim, billing=attrs.evolve(
        person, tax_id="12-345"))) == ("billing.tax_id", "must have 9 digits")
    long_name = attrs.evolve(commercial_dependent_claim.billing, name="Evergreen Therapeutic Massage LLC")
    assert refused(attrs.evolve(commercial_dependent_claim, billing=long_name))[0] == "billing.name"


@attrs.frozen
class _ClaimWithFacility(Claim):
    service_facility: Provider | None = None


def test_box_32_when_a_service_facility_is_given(commercial_dependent_claim):
    facility = Provider(npi="1992999999", tax_id="123456789", name="Downtown Wellness Center",
                        address=Address("20 State St", "Albany", "NY", "12207"))
    fields = {f.name: getattr(commercial_dependent_claim, f.name) for f in attrs.fields(Claim)}
    v = values(_ClaimWithFacility(**fields, service_facility=facility))
    assert [v["32.1"], v["32.2"], v["32.3"], v["32a"]] == \
        ["DOWNTOWN WELLNESS CENTER", "20 STATE ST", "ALBANY NY 12207", "1992999999"]
    assert "32.1" not in values(commercial_dependent_claim)


def test_signatures_follow_the_claim(auto_accident_claim):
    v = values(attrs.evolve(auto_accident_claim, provider_signature_on_file=False,
                            benefits_assigned=False, release_of_information="I"))
    assert not {"12", "13", "31", "31.date"} & set(v)
    assert refused(attrs.evolve(auto_accident_claim, release_of_information="X"))[0] == \
        "release_of_information"


def test_sex_and_birth_dates(auto_accident_claim):
    unknown = attrs.evolve(auto_accident_claim.patient, sex="U")
    v = values(attrs.evolve(auto_accident_claim, patient=unknown, insured=unknown))
    assert "3.m" not in v and "3.f" not in v  # unknown: neither box
    late = attrs.evolve(auto_accident_claim.patient, birth_date=dt.date(2026, 2, 1))
    assert refused(attrs.evolve(auto_accident_claim, patient=late, insured=late)) == \
        ("patient.birth_date", "after the date of service")


def test_carrier_block_wraps_the_payer_name_at_spaces(auto_accident_claim):
    name = "Example Mutual Automobile Insurance Company of the Northeastern States"
    v = values(attrs.evolve(auto_accident_claim, payer_name=name))
    assert [v[f"carrier.{i}"] for i in (1, 2)] == \
        ["EXAMPLE MUTUAL AUTOMOBILE INSURANCE", "COMPANY OF THE NORTHEASTERN STATES"]
    assert refused(attrs.evolve(auto_accident_claim, payer_name="X" * 40))[0] == "payer_name"


@pytest.mark.skipif("payer_address" not in attrs.fields_dict(Claim),
                    reason="the claim model has no payer address yet")
def test_carrier_block_with_the_payer_address_and_box_29(auto_accident_claim):
    claim = attrs.evolve(auto_accident_claim, amount_paid=Decimal("20.00"), payer_address=Address(
        "PO Box 1234", "Albany", "NY", "122010001", "Claims Dept."))
    v = values(claim)
    assert [v[f"carrier.{i}"] for i in range(1, 5)] == \
        ["EXAMPLE AUTO INSURANCE CO", "PO BOX 1234", "CLAIMS DEPT", "ALBANY NY 122010001"]
    assert (v["29.dollars"], v["29.cents"]) == ("20", "00")
    long = attrs.evolve(claim, payer_name="Example Mutual Automobile Insurance Company of NY")
    assert refused(long)[0] == "payer_name"


def test_box_29_goes_with_the_form_of_the_visit_paid(auto_accident_claim):
    """Each visit's payment is on the form that holds its (first) line; a visit whose lines
    run onto the next form counts on the first of them; a payment for a visit with no line
    on the claim goes on the first form, so the forms add up to the claim's amount paid."""
    lines = [attrs.evolve(line, visit=v) for line, v in
             zip(lines_of(9), (0, 0, 1, 1, 2, 3, 3, 4, 4), strict=True)]  # visit 3: forms 1-2
    claim = attrs.evolve(auto_accident_claim, lines=lines, amount_paid=Decimal("75.00"),
                         visit_payments=((1, Decimal("10.00")), (3, Decimal("25.00")),
                                         (4, Decimal("30.00")), (9, Decimal("10.00"))))
    first, second = (p.values for p in form_pages(claim, SIGNED))
    assert (first["29.dollars"], first["29.cents"]) == ("45", "00")  # visits 1, 3 and 9
    assert (second["29.dollars"], second["29.cents"]) == ("30", "00")  # visit 4
    nothing = attrs.evolve(claim, visit_payments=((4, Decimal("0.00")),), amount_paid=Decimal(0))
    assert not any("29.dollars" in p.values for p in form_pages(nothing, SIGNED))
    whole = attrs.evolve(claim, visit_payments=())  # a claim that does not say which visit
    assert [p.values.get("29.dollars") for p in form_pages(whole, SIGNED)] == ["75", None]


def test_more_than_six_lines_continue_on_further_pages(auto_accident_claim):
    claim = attrs.evolve(auto_accident_claim, lines=lines_of(13))
    pages = form_pages(claim, SIGNED)
    assert [(p.number, p.count, len(p.lines)) for p in pages] == [(1, 3, 6), (2, 3, 6), (3, 3, 1)]
    assert [p.total for p in pages] == [Decimal("255.00"), Decimal("291.00"), Decimal("52.00")]
    assert sum(p.total for p in pages) == claim.total_charge
    for p in pages:
        assert (p.values["28.dollars"], p.values["28.cents"]) == (f"{int(p.total)}", "00")
        assert p.values["1a"] == "NF20251220A" and p.values["21.A"] == "S134XXA"
    assert pages[1].values["24.1.f.dollars"] == "46" and pages[2].values["24.1.d"] == "97124"
    assert "24.2.d" not in pages[2].values


@pytest.mark.parametrize("frequency", ["7", "8"])
def test_a_correction_of_more_than_six_lines_is_refused_on_paper(auto_accident_claim, frequency):
    """Each form of a 7-line replacement would carry frequency 7 and the same original
    reference: two replacements of one claim. NUCC item 22: a replacement is the complete
    claim — so paper refuses it, saying why and what to do; the 837P (one claim) takes it."""
    six = attrs.evolve(auto_accident_claim, lines=lines_of(6), frequency=frequency,
                       original_claim_number="2026071000123")
    assert check_cms1500(six) == []
    seven = attrs.evolve(six, lines=lines_of(7))
    [(field, problem)] = check_cms1500(seven)
    assert field == "frequency"
    for said in ("NUCC item 22", "complete claim", "7 service lines", "837P", "split"):
        assert said in problem
    with pytest.raises(FormatError):
        write_cms1500(seven, WriteOptions(now=dt.datetime(2026, 3, 20)))
    assert check_837p(seven) == []
    assert len(form_pages(attrs.evolve(seven, frequency="1"), SIGNED)) == 2  # an original


def test_the_command_refuses_such_a_correction_on_paper_only(tmp_path, capsys,
                                                             payerkit_data_dir):
    """``payerkit claim --format cms-1500`` of an 8-line replacement: exit 1, nothing
    written, the finding saying why and what to do; the 837P of the same claim is written."""
    import json

    from payerkit.cli import main
    from payerkit.io import load_case, unstructure_case

    case = unstructure_case(load_case(EXAMPLES / "premera-authorized.toml"))
    case["claim"] = {**case.get("claim", {}), "frequency": "replacement",
                     "original_claim_number": "2026071000123"}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    out = tmp_path / "claim.pdf"
    assert main(["claim", str(path), "--format", "cms-1500", "--all-visits", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists() and "claim.frequency" in err and "NUCC item 22" in err
    assert main(["claim", str(path), "--format", "x12-837p", "--all-visits",
                 "-o", str(tmp_path / "claim.837")]) == 0


NUTMEG = "Nutmeg Therapeutic Massage LLC"  # 30 characters: one more than box 33's 29


def test_a_practice_name_too_long_for_box_33_takes_the_short_name(auto_accident_claim):
    long_name = attrs.evolve(auto_accident_claim,
                             billing=attrs.evolve(auto_accident_claim.billing, name=NUTMEG))
    field, problem = refused(long_name)
    assert field == "billing.name" and "never cut" in problem and "short_name" in problem
    short = attrs.evolve(long_name, billing=attrs.evolve(long_name.billing,
                                                         short_name="Nutmeg Massage LLC"))
    assert values(short)["33.1"] == "NUTMEG MASSAGE LLC"
    assert check_837p(short) == []  # the 837P keeps the name (60 characters)
    fits = attrs.evolve(auto_accident_claim, billing=attrs.evolve(
        auto_accident_claim.billing, short_name="Serenity"))  # the name fits: it is used
    assert values(fits)["33.1"] == "SERENITY MASSAGE LLC"
    too_long = attrs.evolve(short, billing=attrs.evolve(short.billing, short_name=NUTMEG + " X"))
    field, problem = refused(too_long)
    assert field == "billing.short_name" and "29" in problem


def test_every_paper_form_that_cannot_hold_the_name_takes_the_short_name():
    """The NF-3 and the superbill PDF too: a name too long for their box uses the short
    name, and without one the refusal suggests it."""
    import io

    pdfplumber = pytest.importorskip("pdfplumber")
    from payerkit.formats.nf3 import check_nf3, write_nf3
    from payerkit.formats.superbill import check_superbill, check_superbill_html, write_superbill

    OPTIONS = WriteOptions(now=dt.datetime(2026, 3, 20))

    kit = PayerKit()
    for example, name, check in (
            ("ny-covered", "Harbor Massage Therapy and Wellness Professional Limited Liability "
             "Company of Albany", check_nf3),
            ("premera-covered", "Cascade Bodywork and Therapeutic Massage Wellness Collective "
             "of the Greater Seattle Area, Including the Eastside and the Puget Sound Islands "
             "LLC", check_superbill)):
        claim = kit.build_claim(load_case(EXAMPLES / f"{example}.toml"))
        wide = attrs.evolve(claim, billing=attrs.evolve(claim.billing, name=name))
        problems = [p for p in check(wide) if p[0].startswith("billing.")]
        assert problems and all(field == "billing.name" and "provider.short_name" in problem
                                for field, problem in problems)
        short = attrs.evolve(wide, billing=attrs.evolve(wide.billing, short_name="Nutmeg LLC"))
        assert not [p for p in check(short) if p[0].startswith("billing.")]
        assert check_superbill_html(short) == check_superbill_html(wide)  # HTML wraps the name
        pdf = (write_nf3 if check is check_nf3 else write_superbill)(short, OPTIONS)
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            text = " ".join(page.extract_text() for page in document.pages)
        assert "Nutmeg LLC" in text or "NUTMEG LLC" in text
        assert name.split()[0] + " " + name.split()[1] not in text  # nor the long name


def test_check_collects_every_problem(auto_accident_claim):
    bad = attrs.evolve(auto_accident_claim, member_id="", accident_state=None,
                       diagnoses=["M54.2", "S13.4XXA", "A"], lines=[attrs.evolve(
                           auto_accident_claim.lines[0], units=0, pointers=(9,))])
    fields = [f for f, _ in check_cms1500(bad)]
    assert fields == ["member_id", "accident_state", "lines[0].pointers", "lines[0].units"]
    assert check_cms1500(auto_accident_claim) == []


# ------------------------------------------------------------------- the writers and the kit


def test_the_writers_are_reproducible_and_embed_their_fonts(auto_accident_claim, fixed_options):
    for write in (write_cms1500, write_cms1500_red):
        data = write(auto_accident_claim, fixed_options)
        assert data.startswith(b"%PDF-") and data == write(auto_accident_claim, fixed_options)
        assert b"/FontFile2" in data  # the fonts travel with the form (test_fonts.py)
        assert b"MARIA" not in data.split(b"stream")[0]  # no patient data in the metadata
    with pytest.raises(FormatError):
        write_cms1500(attrs.evolve(auto_accident_claim, member_id=""), fixed_options)


def test_a_cms1500_takes_well_under_100_ms(auto_accident_claim, fixed_options):
    write_cms1500(auto_accident_claim, fixed_options)  # imports and caches warmed
    best = min(_timed(write_cms1500, auto_accident_claim, fixed_options) for _ in range(5))
    assert best < 0.1, f"{best * 1000:.0f} ms"
    six = attrs.evolve(auto_accident_claim, lines=lines_of(6))
    assert min(_timed(write_cms1500_red, six, fixed_options) for _ in range(5)) < 0.1


def _timed(write, claim, options) -> float:
    start = time.perf_counter()
    write(claim, options)
    return time.perf_counter() - start


def test_hook_registration_of_both_formats():
    formats = {f.id: f for f in PayerKit(entry_points=False).claim_formats()}
    for fid in ("cms-1500", "cms-1500-red"):
        assert (formats[fid].suffix, formats[fid].media_type) == (".pdf", "application/pdf")
        assert formats[fid].check is not None


class _PaperAdapter(SampleAdapter):
    program = Program(id="test-plan", name="Test Plan", line_of_business="commercial",
                      states=("WA",), payer_id="99999",
                      claim_formats=("x12-837p", "cms-1500", "cms-1500-red"))


def test_the_kit_writes_both_and_refuses_what_the_scrub_refuses():
    kit = PayerKit(entry_points=False, plugins=[_PaperAdapter()])
    case = make_case()
    for fid in ("cms-1500", "cms-1500-red"):
        assert kit.claim(case, fid).startswith(b"%PDF-")
    # a value the form cannot hold: the scrub names the case field, and no paper is written
    long = make_case(patient={**BASE_CASE["patient"], "last_name": "W" * 27})
    findings = [f for f in kit.scrub(long, format="cms-1500").findings if f.code == "FORMAT-LIMIT"]
    assert findings and findings[0].path == "patient.last_name"
    with pytest.raises(ClaimRefused) as exc:
        kit.claim(long, "cms-1500")
    assert any(f.path == "patient.last_name" for f in exc.value.findings)
    # any scrub error (here: a diagnosis code that does not exist) stops the paper too
    bad = make_case(episode={**BASE_CASE["episode"], "diagnoses": ["Q99.999"]})
    with pytest.raises(ClaimRefused):
        kit.claim(bad, "cms-1500-red")


# ------------------------------------------------------------- the scrub's check is the writer's

_TEXT = st.text(max_size=40)
_MAYBE_TEXT = st.one_of(st.none(), _TEXT)


@st.composite
def odd_claims(draw, base: Claim) -> Claim:
    """The auto claim with a few of its values replaced by anything at all."""
    patient = attrs.evolve(base.patient, first_name=draw(_TEXT), last_name=draw(_TEXT),
                           birth_date=draw(st.dates()), sex=draw(st.sampled_from("FMUX")),
                           address=Address(draw(_TEXT), draw(_TEXT), draw(_TEXT), draw(_TEXT),
                                           draw(_MAYBE_TEXT)))
    line = attrs.evolve(base.lines[0], code=draw(_TEXT), units=draw(st.integers(-2, 2000)),
                        charge=draw(st.decimals(allow_nan=True, allow_infinity=True)),
                        pointers=draw(st.lists(st.integers(-1, 14), max_size=5)),
                        modifiers=draw(st.lists(_TEXT, max_size=5)),
                        place_of_service=draw(_TEXT), date=draw(st.dates()))
    return attrs.evolve(
        base, patient=patient, insured=patient if draw(st.booleans()) else base.insured,
        member_id=draw(_TEXT), payer_name=draw(_TEXT), group_number=draw(_MAYBE_TEXT),
        property_casualty_claim_number=draw(_MAYBE_TEXT), id=draw(_TEXT),
        diagnoses=draw(st.lists(_TEXT, max_size=13)), lines=[line] * draw(st.integers(0, 8)),
        accident_state=draw(_MAYBE_TEXT), prior_authorization=draw(_MAYBE_TEXT),
        related_cause=draw(st.sampled_from([None, "auto", "employment", "other", "flood"])),
        referring=draw(st.one_of(st.none(), st.builds(Practitioner, _TEXT, _TEXT, _TEXT))),
        billing=attrs.evolve(base.billing, tax_id=draw(_TEXT), phone=draw(_MAYBE_TEXT),
                             name=draw(_MAYBE_TEXT), npi=draw(_TEXT)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_check_finds_exactly_what_the_writer_refuses(auto_accident_claim, data):
    claim = data.draw(odd_claims(auto_accident_claim))
    problems = check_cms1500(claim)
    try:
        pages = form_pages(claim, SIGNED)
    except FormatError as exc:
        assert problems and (exc.field, exc.problem) == problems[0]
        return
    assert problems == []
    for page in pages:  # what prints fits its field, in the characters the form takes
        for key, text in page.values.items():
            assert len(text) <= FIELDS[key].width and text.isascii() and text == text.upper()

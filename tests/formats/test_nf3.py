"""The NY NF-3 writer: the PDF is read back with pdfplumber and every value is looked for in
its box; refusals name the claim field and ``check_nf3`` finds the same problems.

The image in ``docs/images`` is rendered again by pdftoppm; after an intended change to the
layout, rewrite it with ``PAYERKIT_REGEN_IMAGES=1 pytest tests/formats/test_nf3.py`` and look
at it before committing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import attrs
import pdfplumber
import pytest
from case_samples import SampleAdapter, make_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit import PayerKit, load_case
from payerkit.errors import FormatError
from payerkit.formats.nf3 import (
    COLUMNS,
    REGULAR,
    SERVICE_DESCRIPTIONS,
    Text,
    check_nf3,
    icd_description,
    nf3_pages,
    wrap,
    write_nf3,
)
from payerkit.formats.options import WriteOptions
from payerkit.model.case import Address

ROOT = Path(__file__).resolve().parents[2]
NY_CASE = ROOT / "examples" / "ny-covered.toml"
IMAGE = ROOT / "docs" / "images" / "nf3-ny-covered.png"
DAY = dt.datetime(2026, 3, 20, 9, 0)
OPTIONS = WriteOptions(now=DAY)


@pytest.fixture(scope="module")
def ny_claim():
    return PayerKit().build_claim(load_case(NY_CASE))


@pytest.fixture(scope="module")
def ny_pdf(ny_claim):
    return write_nf3(ny_claim, OPTIONS)


def pages(data: bytes):
    return pdfplumber.open(io.BytesIO(data)).pages


# ------------------------------------------------------------------ reading a page back


def boxes(page, caption: str) -> list[dict]:
    """The smallest drawn box around each place ``caption`` is printed."""
    found = []
    for hit in page.search(caption, regex=False):
        around = [r for r in page.rects
                  if r["x0"] <= hit["x0"] + 0.5 and r["x1"] >= hit["x1"] - 0.5
                  and r["top"] <= hit["top"] + 0.5 and r["bottom"] >= hit["bottom"] - 0.5]
        if around:
            found.append(min(around, key=lambda r: r["width"] * r["height"]))
    return found


def box(page, caption: str) -> dict:
    """The smallest drawn box around ``caption``, printed once in a box."""
    [found] = boxes(page, caption)[:1] or [None]
    assert found is not None, f"no box captioned {caption!r}"
    return found


def text_in(page, rect: dict) -> str:
    return page.within_bbox((rect["x0"], rect["top"], rect["x1"], rect["bottom"])).extract_text()


def box_text(page, caption: str) -> str:
    """What the box captioned ``caption`` says, caption removed."""
    return text_in(page, box(page, caption)).replace(caption, "", 1).strip()


def service_rows(page) -> list[dict[str, str]]:
    """The report of services, one dict a row: column caption → the text in that cell."""
    columns = []  # each column's header: a box 16 points high, its caption maybe wrapped
    for caption, width, _ in COLUMNS:
        [header] = [b for b in boxes(page, wrap(caption, width - 6, REGULAR, 5.6)[0])
                    if abs(b["height"] - 16) < 0.5]
        columns.append((caption, header))
    header = columns[0][1]
    tops = sorted({round(r["top"], 1) for r in page.rects
                   if abs(r["x0"] - header["x0"]) < 0.5 and r["top"] >= header["bottom"] - 0.5
                   and abs(r["height"] - 12) < 0.5 and abs(r["width"] - header["width"]) < 0.5})
    rows = []
    for top in tops:
        rows.append({caption: page.within_bbox((rect["x0"], top, rect["x1"], top + 12))
                     .extract_text().strip() for caption, rect in columns})
    return rows


# ------------------------------------------------------------------ the example, box by box


def test_every_value_of_the_ny_example_is_in_its_box(ny_pdf):
    [page] = pages(ny_pdf)
    provider = box_text(page, "PROVIDER'S NAME AND ADDRESS")
    for value in ("Harbor Massage Therapy PLLC", "100 Main St", "Albany, NY 12207-0001",
                  "NPI 1234567893", "PHONE (518) 555-0100", "LICENSE NO. NY-LMT-012345"):
        assert value in provider
    insurer = box_text(page, "NAME AND ADDRESS OF INSURER OR SELF-INSURER")
    assert "Example Auto Insurance Co" in insurer and "Address: N/A" in insurer
    assert box_text(page, "POLICYHOLDER") == "Maria Garcia"
    assert box_text(page, "POLICY NUMBER") == "NF20251220A"
    assert box_text(page, "DATE OF ACCIDENT") == "03/02/2026"
    assert box_text(page, "CLAIM NUMBER") == "CLM7788990011"
    patient = box_text(page, "PATIENT'S NAME AND ADDRESS")
    assert "Maria Garcia" in patient and "9 River Rd, Schenectady, NY 12305" in patient
    assert box_text(page, "DATE OF BIRTH") == "07/22/1975"
    assert box_text(page, "SEX") == "Female"
    assert box_text(page, "OCCUPATION (IF KNOWN)") == "N/A"
    diagnoses = box_text(page, "DIAGNOSIS AND CONCURRENT CONDITIONS")
    for letter, code in zip("ABC", ("S13.4XXA", "M62.830", "V43.52XA"), strict=True):
        assert f"{letter} {code} {icd_description(code)}" in diagnoses
    assert "NO" in box_text(page, "IS CONDITION DUE TO INJURY ARISING OUT OF").split()
    assert box_text(page, "TREATING PROVIDER'S NAME") == "Jane Doe"
    assert box_text(page, "LICENSE OR CERTIFICATION NO.") == "NY-LMT-067890"
    assert box_text(page, "TITLE") == "Licensed massage therapist"
    assert box_text(page, "IRS/TIN IDENTIFICATION NUMBER") == "12-3456789"
    assert box_text(page, "WCB RATING CODE (IF NONE, SPECIALTY)") == "Specialty: Massage therapy"
    assert box_text(page, "SIGNATURE OF PROVIDER") == "SIGNATURE ON FILE"
    assert box_text(page, "SIGNATURE OF PATIENT OR AUTHORIZED PERSON (ASSIGNOR)") == \
        "SIGNATURE ON FILE"
    assert box_text(page, "PROVIDER'S NAME (ASSIGNEE)") == "Harbor Massage Therapy PLLC"
    assert "PAGE 1 OF 1" in page.extract_text()
    assert "BILL DATE 03/20/2026" in page.extract_text()


def test_the_report_of_services_has_each_line_in_its_columns(ny_pdf, ny_claim):
    [page] = pages(ny_pdf)
    rows = service_rows(page)
    assert rows == [
        {"DATE OF SERVICE": "03/12/2026", "PLACE OF SERVICE INCLUDING ZIP CODE":
         "Office (11), ZIP 12207-0001", "DESCRIPTION OF TREATMENT OR HEALTH SERVICE RENDERED":
         "Therapeutic massage, 2 units", "DIAG.": "A,B",
         "FEE SCHEDULE TREATMENT CODE": "97124", "CHARGES ($)": "37.58"},
        {"DATE OF SERVICE": "03/12/2026", "PLACE OF SERVICE INCLUDING ZIP CODE":
         "Office (11), ZIP 12207-0001", "DESCRIPTION OF TREATMENT OR HEALTH SERVICE RENDERED":
         "Manual therapy techniques, 1 unit", "DIAG.": "A,B",
         "FEE SCHEDULE TREATMENT CODE": "97140", "CHARGES ($)": "30.33"},
    ]
    text = page.extract_text()
    assert f"TOTAL CHARGES THIS BILL {ny_claim.total_charge}" in text  # 67.91


def test_the_assignment_is_checked_and_answered(ny_pdf):
    [page] = pages(ny_pdf)
    assignment = page.search("ASSIGNMENT OF NO-FAULT BENEFITS", regex=False)
    label = [hit for hit in assignment if hit["top"] > box(page, "TITLE")["bottom"]][1]
    checkbox = [r for r in page.rects if abs(r["width"] - 8) < 0.5
                and r["x1"] <= label["x0"] and label["x0"] - r["x1"] < 6]
    [mark] = [c for c in page.chars if c["text"] == "X"
              and checkbox[0]["x0"] <= c["x0"] <= checkbox[0]["x1"]]
    assert mark
    text = page.extract_text()
    assert "HAS AN ORIGINAL AUTHORIZATION OR ASSIGNMENT PREVIOUSLY BEEN EXECUTED? YES" in text
    assert "IS THE ORIGINAL SIGNATURE OF THE PARTIES ON FILE? YES" in text
    assert "65-3.11(b)" in text


def assignment_text(page) -> str:
    """The text of the assignment block: below its bar, above the assignor's signature row."""
    [bar] = page.search("AUTHORIZATION TO PAY BENEFITS / ASSIGNMENT", regex=False)
    [signature] = page.search("SIGNATURE OF PATIENT OR AUTHORIZED PERSON", regex=False)
    block = page.within_bbox((0, bar["bottom"] + 1, page.width, signature["top"] - 2))
    return " ".join(block.extract_text().split())


def test_the_assignment_is_on_file_never_reworded(ny_pdf, ny_claim):
    """11 NYCRR 65-3.11(b)(2): no change may be made to the prescribed assignment language,
    and payerkit could not read the NF-3's from a public copy: the form points to the
    executed NF-AOB on file and states no assignment text of its own."""
    [page] = pages(ny_pdf)
    text = assignment_text(page)
    assert "ASSIGNMENT ON FILE: NYS FORM NF-AOB" in text
    assert "its prescribed language is not reproduced here" in text
    for reworded in ("assigned to the provider", "assigns", "hereby", "right to payment",
                     "the insurer pays the provider"):
        assert reworded not in text.lower(), reworded
    [page] = pages(write_nf3(attrs.evolve(ny_claim, benefits_assigned=False), OPTIONS))
    text = assignment_text(page)
    assert "ASSIGNMENT ON FILE" not in text and "No assignment of benefits is on file" in text


def test_the_fee_schedule_treatment_code_is_one_column_with_the_code(ny_claim):
    """The NF-3's report of services has one "fee schedule treatment code" column: the code
    and its modifiers, never a separate fee-schedule column reading N/A."""
    captions = [caption for caption, _, _ in COLUMNS]
    assert "FEE SCHEDULE TREATMENT CODE" in captions
    assert "FEE SCHEDULE" not in captions and "TREATMENT CODE" not in captions
    line = attrs.evolve(ny_claim.lines[0], modifiers=("GP", "59", "KX", "XU"))
    [page] = pages(write_nf3(attrs.evolve(ny_claim, lines=[line]), OPTIONS))
    [row] = service_rows(page)
    assert row["FEE SCHEDULE TREATMENT CODE"] == "97124 GP 59 KX XU"
    assert "N/A" not in row.values()


@given(code=st.sampled_from(sorted(SERVICE_DESCRIPTIONS) + ["97999"]),
       units=st.integers(min_value=1, max_value=99),
       modifiers=st.lists(st.sampled_from(["WW", "MM", "GP", "59"]), max_size=4))
@settings(max_examples=40, deadline=None)
def test_every_service_cell_fits_its_column(ny_claim, code, units, modifiers):
    """Payerkit's own texts (the description and units) and four of the widest modifiers stay
    inside their columns."""
    line = attrs.evolve(ny_claim.lines[0], code=code, units=units, modifiers=tuple(modifiers))
    [page] = nf3_pages(attrs.evolve(ny_claim, lines=[line]), DAY.date())
    columns, x = [], 28.0
    for _, width, _ in COLUMNS:
        columns.append((x, x + width))
        x += width
    cells = [op for op in page if isinstance(op, Text)
             and (op.text.endswith(("unit", "units")) or op.text.split(" ")[0] == code)]
    assert len(cells) == 2
    for op in cells:
        assert any(x0 + 2 <= op.left and op.left + op.width <= x1 - 2 for x0, x1 in columns), \
            (op.text, op.left, op.width)


def caption_boxes_without_a_value(data: bytes) -> list[str]:
    """Every box whose caption has no value beside it (captions are 5.6 points, values more)."""
    headers = {caption for caption, _, _ in COLUMNS}
    empty = []
    for page in pages(data):
        for rect in page.rects:
            if rect["height"] < 10:
                continue  # a checkbox
            chars = [c for c in page.chars if rect["x0"] <= c["x0"] and c["x1"] <= rect["x1"] + 0.5
                     and rect["top"] <= c["top"] and c["bottom"] <= rect["bottom"] + 0.5]
            captions = "".join(c["text"] for c in chars if c["size"] < 6)
            values = [c for c in chars if c["size"] >= 6.5]
            if captions and not values and not any(h.replace(" ", "") in captions.replace(" ", "")
                                                   for h in headers):
                empty.append(captions)
    return empty


def sole_practitioner(claim):
    """The billing provider treats: a person, no rendering provider, a licence of their own."""
    billing = attrs.evolve(claim.billing, name=None, first_name="Ana", last_name="Lopez")
    return attrs.evolve(claim, billing=billing, rendering=None)


def test_no_box_is_left_blank(ny_claim):
    variants = [ny_claim, sole_practitioner(ny_claim),
                attrs.evolve(ny_claim, benefits_assigned=False, provider_signature_on_file=True),
                attrs.evolve(ny_claim, lines=ny_claim.lines * 20)]
    for claim in variants:
        assert caption_boxes_without_a_value(write_nf3(claim, OPTIONS)) == []


def test_without_an_assignment_the_insurer_pays_the_patient(ny_claim):
    [page] = pages(write_nf3(attrs.evolve(ny_claim, benefits_assigned=False), OPTIONS))
    text = page.extract_text()
    assert "No assignment of benefits is on file: the insurer pays the patient" in text
    assert "PREVIOUSLY BEEN EXECUTED? NO" in text
    assert box_text(page, "SIGNATURE OF PATIENT OR AUTHORIZED PERSON (ASSIGNOR)") == "N/A"


def test_a_sole_practitioner_is_the_treating_provider(ny_claim):
    [page] = pages(write_nf3(sole_practitioner(ny_claim), OPTIONS))
    assert "Ana Lopez" in box_text(page, "PROVIDER'S NAME AND ADDRESS")
    assert box_text(page, "TREATING PROVIDER'S NAME") == "N/A"
    assert box_text(page, "LICENSE OR CERTIFICATION NO.") == "N/A"


def test_the_insurer_address_first_visit_and_relationship_fill_their_boxes(ny_claim):
    """The insurer's address, the first visit and the business relationship fill their boxes
    instead of N/A when the case gives them."""
    claim = attrs.evolve(
        ny_claim, rendering=attrs.evolve(ny_claim.rendering, relationship="independent_contractor"),
        first_visit_date=dt.date(2026, 3, 6), payer_address=Address(
            line1="PO Box 1234", city="Latham", state="NY", zip="121100000"))
    [page] = pages(write_nf3(claim, OPTIONS))
    insurer = box_text(page, "NAME AND ADDRESS OF INSURER OR SELF-INSURER")
    assert "PO Box 1234" in insurer and "Latham, NY 12110-0000" in insurer
    assert box_text(page, "BUSINESS RELATIONSHIP").endswith("Independent contractor")
    assert "03/06/2026" in box_text(page, "WHEN DID PATIENT FIRST CONSULT YOU")


# ------------------------------------------------------------------ several pages


def test_lines_that_do_not_fit_continue_on_further_pages_each_totalled(ny_claim):
    first = ny_claim.lines[0]
    lines = [attrs.evolve(first, date=dt.date(2026, 3, 2) + dt.timedelta(days=i),
                          charge=Decimal(f"{10 + i}.25")) for i in range(45)]
    claim = attrs.evolve(ny_claim, lines=lines)
    read = pages(write_nf3(claim, OPTIONS))
    assert len(read) >= 2
    seen = []
    for number, page in enumerate(read, start=1):
        text = page.extract_text()
        assert f"PAGE {number} OF {len(read)}" in text
        rows = service_rows(page)
        charges = [Decimal(row["CHARGES ($)"]) for row in rows]
        seen += [row["DATE OF SERVICE"] for row in rows]
        assert f"TOTAL CHARGES THIS PAGE{' (CONTINUED ON THE NEXT PAGE)' if number < len(read) else ''} " \
               f"{sum(charges):,.2f}" in text
        if number > 1:  # the continuation says whose bill it is
            assert box_text(page, "CLAIM NUMBER") == "CLM7788990011"
            assert box_text(page, "PATIENT'S NAME") == "Maria Garcia"
            assert box_text(page, "IRS/TIN IDENTIFICATION NUMBER") == "12-3456789"
    assert seen == [f"{line.date:%m/%d/%Y}" for line in lines]
    total = f"{claim.total_charge:,.2f}"
    assert total in read[0].extract_text() and total in read[-1].extract_text()


def test_a_corrected_bill_says_which_bill_it_replaces(ny_claim):
    if not hasattr(ny_claim, "frequency"):
        pytest.skip("the claim model has no frequency yet")
    claim = attrs.evolve(ny_claim, frequency="7", original_claim_number="INS445566")
    text = pages(write_nf3(claim, OPTIONS))[0].extract_text()
    assert "CORRECTED BILL: REPLACES THE PRIOR BILL (INSURER'S CLAIM CONTROL NO. INS445566)" in text


# ------------------------------------------------------------------ refusals, and check()


def refused(claim) -> tuple[str, str]:
    with pytest.raises(FormatError) as exc:
        write_nf3(claim, OPTIONS)
    problem = (exc.value.field, exc.value.problem)
    assert problem in check_nf3(claim), "check() must report what the writer refuses"
    return problem


def test_the_example_is_clean(ny_claim):
    assert check_nf3(ny_claim) == []


@pytest.mark.parametrize("change, field", [
    ({"property_casualty_claim_number": None}, "property_casualty_claim_number"),
    ({"accident_date": None}, "accident_date"),
    ({"member_id": "NF2025\x0712"}, "member_id"),
    ({"member_id": "NF2025€"}, None),  # in Windows-1252: printed as given
    ({"member_id": "NF2025Ł"}, "member_id"),  # an identifier is never transliterated
    ({"payer_name": "Example " * 20}, "payer_name"),
    ({"diagnoses": ()}, "diagnoses"),
])
def test_claim_values_the_nf3_cannot_carry_are_refused_by_field(ny_claim, change, field):
    claim = attrs.evolve(ny_claim, **change)
    if field is None:
        assert check_nf3(claim) == []
        write_nf3(claim, OPTIONS)
    else:
        refused(claim)
        assert field in {name for name, _ in check_nf3(claim)}


def test_a_name_too_long_for_its_box_is_refused_never_cut(ny_claim):
    billing = attrs.evolve(ny_claim.billing, name="Harbor Massage Therapy and Wellness "
                           "Professional Limited Liability Company of Albany")
    field, problem = refused(attrs.evolve(ny_claim, billing=billing))
    assert field == "billing.name" and "never cut" in problem
    word = attrs.evolve(ny_claim.billing, name="H" * 80)  # one word: it cannot even wrap
    assert refused(attrs.evolve(ny_claim, billing=word))[0] == "billing.name"


def test_the_treating_providers_licence_is_required(ny_claim):
    rendering = attrs.evolve(ny_claim.rendering, license=None)
    assert refused(attrs.evolve(ny_claim, rendering=rendering))[0] == "rendering.license"
    practitioner = sole_practitioner(ny_claim)
    no_licence = attrs.evolve(practitioner, billing=attrs.evolve(practitioner.billing,
                                                                  license=None))
    assert refused(no_licence)[0] == "billing.license"


def test_the_place_of_service_needs_a_known_zip_code(ny_claim):
    home = [attrs.evolve(line, place_of_service="12") for line in ny_claim.lines]
    [page] = pages(write_nf3(attrs.evolve(ny_claim, lines=home), OPTIONS))
    assert service_rows(page)[0]["PLACE OF SERVICE INCLUDING ZIP CODE"] == "Home (12), ZIP 12305"
    elsewhere = [attrs.evolve(line, place_of_service="99") for line in ny_claim.lines]
    assert refused(attrs.evolve(ny_claim, lines=elsewhere)) == (
        "lines[0].place_of_service", "the NF-3 needs the place of service's ZIP code: payerkit "
        "knows it only for an office (11: the billing address) or the patient's home (12)")


def test_line_problems_name_the_line(ny_claim):
    bad = (ny_claim.lines[0], attrs.evolve(ny_claim.lines[1], charge=Decimal("-1")))
    assert refused(attrs.evolve(ny_claim, lines=bad))[0] == "lines[1].charge"
    past = (attrs.evolve(ny_claim.lines[0], pointers=(1, 4)),)
    assert refused(attrs.evolve(ny_claim, lines=past))[0] == "lines[0].pointers"
    many = (attrs.evolve(ny_claim.lines[0], modifiers=("GP", "59", "XS", "KX", "GO")),)
    assert refused(attrs.evolve(ny_claim, lines=many))[0] == "lines[0].modifiers"


def test_check_reports_every_problem_at_once(ny_claim):
    claim = attrs.evolve(ny_claim, property_casualty_claim_number=None, accident_date=None,
                         rendering=attrs.evolve(ny_claim.rendering, license=None))
    fields = [field for field, _ in check_nf3(claim)]
    assert fields == ["accident_date", "property_casualty_claim_number", "rendering.license"]


def test_names_outside_windows_1252_are_transliterated_not_refused(ny_claim):
    patient = attrs.evolve(ny_claim.patient, first_name="Łukasz", last_name="Wałęsa\u200b")
    claim = attrs.evolve(ny_claim, patient=patient, insured=patient)
    assert check_nf3(claim) == []
    [page] = pages(write_nf3(claim, OPTIONS))
    assert box_text(page, "POLICYHOLDER") == "Lukasz Walesa"
    zoe = attrs.evolve(patient, first_name="Zoë", last_name="Æsir")  # Windows-1252 keeps these
    [page] = pages(write_nf3(attrs.evolve(claim, patient=zoe, insured=zoe), OPTIONS))
    assert box_text(page, "POLICYHOLDER") == "Zoë Æsir"


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0,
                max_size=70)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=names, last=names, street=names)
def test_check_and_write_agree_on_any_name(ny_claim, first, last, street):
    patient = attrs.evolve(ny_claim.patient, first_name=first, last_name=last,
                           address=attrs.evolve(ny_claim.patient.address, line1=street))
    claim = attrs.evolve(ny_claim, patient=patient, insured=patient)
    problems = check_nf3(claim)
    try:
        data = write_nf3(claim, OPTIONS)
    except FormatError as exc:
        assert (exc.field, exc.problem) in problems
    else:
        assert problems == []
        assert data.startswith(b"%PDF")


# ------------------------------------------------------------------ through the kit


def test_registered_and_checked_by_the_scrub_for_a_program_that_takes_it(payerkit_data_dir):
    class Adapter(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("x12-837p", "nf-3"))

    kit = PayerKit(entry_points=False, plugins=[Adapter()])
    fmt = {f.id: f for f in kit.claim_formats()}["nf-3"]
    assert (fmt.suffix, fmt.media_type) == (".pdf", "application/pdf")
    # a commercial illness: no insurer's claim number, no accident date — the scrub says so,
    # naming the case's fields, and the writer writes nothing
    errors = {(f.code, f.path) for f in kit.scrub(make_case(), format="nf-3").errors}
    assert {("FORMAT-LIMIT", "coverage.claim_number"),
            ("FORMAT-LIMIT", "episode.onset_date")} <= errors


def test_the_same_claim_gives_the_same_bytes(ny_claim):
    assert write_nf3(ny_claim, OPTIONS) == write_nf3(ny_claim, OPTIONS)


# ------------------------------------------------------------------ what a person sees


def render_png(pdf: bytes, folder: Path) -> list[Path]:
    from doc_images import render_pages

    return render_pages(pdf, folder)


def assert_looks_like(rendered: Path, committed: Path) -> None:
    """The committed image is what the writer draws today (``tests/doc_images.py``)."""
    from doc_images import assert_image_is_current
    from PIL import Image

    assert_image_is_current(Image.open(rendered), committed)


def test_the_docs_image_is_the_ny_example_as_drawn_today(ny_pdf, tmp_path):
    [png] = render_png(ny_pdf, tmp_path)
    assert_looks_like(png, IMAGE)

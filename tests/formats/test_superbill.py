"""The superbill, PDF and HTML: the PDF is read back with pdfplumber and each value looked for
beside its label or in its column; the HTML is parsed with lxml, and hostile text comes out
escaped. Both renderings say the same things.

The image in ``docs/images`` is rendered again by pdftoppm; after an intended change to the
layout, rewrite it with ``PAYERKIT_REGEN_IMAGES=1 pytest tests/formats/test_superbill.py`` and
look at it before committing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import attrs
import lxml.html
import pdfplumber
import pytest
from case_samples import SampleAdapter, make_case
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit import ALL_VISITS, PayerKit, load_case
from payerkit.errors import FormatError
from payerkit.formats.nf3 import SERVICE_DESCRIPTIONS, Text, icd_description
from payerkit.formats.options import WriteOptions
from payerkit.formats.superbill import (
    COLUMNS,
    check_superbill,
    check_superbill_html,
    superbill_pages,
    write_superbill,
    write_superbill_html,
)
from payerkit.model.claim import Claim
from payerkit.rules.codes import PLACE_OF_SERVICE

ROOT = Path(__file__).resolve().parents[2]
PREMERA_CASE = ROOT / "examples" / "premera-covered.toml"
IMAGE = ROOT / "docs" / "images" / "superbill-premera-covered.png"
OPTIONS = WriteOptions(now=dt.datetime(2026, 3, 2, 9, 0))


@pytest.fixture(scope="module")
def claim():
    return PayerKit().build_claim(load_case(PREMERA_CASE))


@pytest.fixture(scope="module")
def pdf(claim):
    return write_superbill(claim, OPTIONS)


@pytest.fixture(scope="module")
def html(claim):
    return lxml.html.document_fromstring(write_superbill_html(claim, OPTIONS))


def pages(data: bytes):
    return pdfplumber.open(io.BytesIO(data)).pages


def beside(page, label: str) -> str:
    """The text printed on the same line as ``label`` and to its right, within its half."""
    hits = page.search(label, regex=False)
    assert hits, f"label {label!r} not on the page"
    hit = hits[0]
    half = page.width / 2
    right = half if hit["x0"] < half else page.width
    line = page.within_bbox((hit["x1"], hit["top"] - 2, right, hit["bottom"] + 2))
    return line.extract_text().strip()


def block(page, title: str) -> str:
    """The lines under a block's title, down to the next title in the same column."""
    [hit] = [h for h in page.search(title, regex=False) if h["x0"] in (40.0, 312.0)][:1] or [None]
    assert hit is not None, f"block {title!r} not on the page"
    x1 = hit["x0"] + 260
    return page.within_bbox((hit["x0"], hit["bottom"], x1, hit["bottom"] + 60)).extract_text()


def service_rows(page) -> list[dict[str, str]]:
    """The services table, one dict a row: column caption → text in that column."""
    [header] = [h for h in page.search("Date", regex=False) if h["x0"] < 60 and "Place" in
                page.within_bbox((0, h["top"] - 1, page.width, h["bottom"] + 1)).extract_text()]
    x = 40.0
    edges = []
    for caption, width, _, _ in COLUMNS:
        edges.append((caption, x, x + width))
        x += width
    rows = []
    for word in page.extract_words():
        if word["x0"] < 60 and word["top"] > header["bottom"] and len(word["text"]) == 10 \
                and word["text"][2] == "/":
            top, bottom = word["top"] - 2, word["bottom"] + 2
            rows.append({caption: page.within_bbox((x0, top, x1, bottom)).extract_text().strip()
                         for caption, x0, x1 in edges})
    return rows


# ------------------------------------------------------------------ the PDF, read back


def test_the_pdf_of_the_premera_example_has_every_value_in_its_place(pdf, claim):
    [page] = pages(pdf)
    assert "Cascade Bodywork LLC" in block(page, "PROVIDER")
    assert "100 Pine St" in block(page, "PROVIDER") and "Seattle, WA 98101-0001" in \
        block(page, "PROVIDER")
    assert beside(page, "NPI") == "1234567893"
    assert beside(page, "Tax ID (EIN)") == "12-3456789"
    assert beside(page, "License") == "MA60000000"
    assert beside(page, "Treating therapist") == "Jane Doe"
    assert beside(page, "Therapist NPI") == "1992999999"
    assert beside(page, "Patient ") .startswith("Maria Garcia")
    assert beside(page, "Date of birth") == "07/22/1975"
    assert beside(page, "Insurer") == "Premera Blue Cross"
    assert beside(page, "Member ID") == "XYZ900000001"
    assert beside(page, "Group number") == "GRP12345"
    assert beside(page, "Referred by") == "Robert Jones"
    assert beside(page, "Dates of service") == "02/24/2026"
    assert beside(page, "Statement date") == "03/02/2026"
    text = page.extract_text()
    for letter, code in zip("AB", claim.diagnoses, strict=True):
        assert f"{letter} {code} {icd_description(code)}" in text
    assert "M54.2 Cervicalgia" in text and "M62.830 Muscle spasm of back" in text
    assert service_rows(page) == [
        {"Date": "02/24/2026", "Place": "Office (11)", "Code": "97124", "Modifiers": "-",
         "Description": "Therapeutic massage", "Minutes": "40", "Units": "3",
         "Diagnoses": "A,B", "Charge ($)": "90.00"},
        {"Date": "02/24/2026", "Place": "Office (11)", "Code": "97140", "Modifiers": "-",
         "Description": "Manual therapy techniques", "Minutes": "15", "Units": "1",
         "Diagnoses": "A", "Charge ($)": "35.00"},
    ]
    assert beside(page, "Total charges") == "125.00"
    assert beside(page, "Amount paid") == "none recorded"  # the example records no payment
    assert beside(page, "Balance due") == "125.00"  # then all of the charges are due
    assert "Provider signature: Jane Doe" in text
    assert "Page 1 of 1" in text


def test_the_signature_line_is_drawn(pdf):
    [page] = pages(pdf)
    [caption] = page.search("Provider signature", regex=False)
    lines = [ln for ln in page.lines if abs(ln["top"] - caption["top"]) < 12
             and ln["top"] < caption["top"] and ln["x1"] - ln["x0"] > 200]
    assert lines, "no line to sign on above the caption"


def test_many_lines_continue_and_the_totals_close_the_last_page(claim):
    lines = [attrs.evolve(claim.lines[i % 2], date=dt.date(2026, 1, 5) + dt.timedelta(days=i))
             for i in range(50)]
    big = attrs.evolve(claim, lines=lines)
    read = pages(write_superbill(big, OPTIONS))
    assert len(read) == 2
    rows = [row for page in read for row in service_rows(page)]
    assert [row["Date"] for row in rows] == [f"{line.date:%m/%d/%Y}" for line in lines]
    assert "Total charges" not in read[0].extract_text()
    assert "Continued on the next page" in read[0].extract_text()
    assert beside(read[1], "Total charges") == f"{big.total_charge:,.2f}"
    assert "Maria Garcia" in read[1].extract_text()  # whose statement the page is


def test_three_or_four_modifiers_print_in_the_pdf_as_in_the_html(claim):
    """The 837P, the CMS-1500 and the HTML take up to four modifiers: so does the PDF."""
    for modifiers in (("GP", "59", "KX"), ("GP", "59", "KX", "XU"), ("WW", "WW", "WW", "WW")):
        line = attrs.evolve(claim.lines[0], modifiers=modifiers)
        bill = attrs.evolve(claim, lines=[line, claim.lines[1]])
        assert check_superbill(bill) == []
        [page] = pages(write_superbill(bill, OPTIONS))
        assert service_rows(page)[0]["Modifiers"] == " ".join(modifiers)
    five = attrs.evolve(claim, lines=[attrs.evolve(claim.lines[0],
                                                   modifiers=("GP", "59", "KX", "XU", "GO"))])
    for write, check in ((write_superbill, check_superbill),
                         (write_superbill_html, check_superbill_html)):
        with pytest.raises(FormatError) as exc:
            write(five, OPTIONS)
        assert exc.value.field == "lines[0].modifiers" and "at most 4" in exc.value.problem
        assert (exc.value.field, exc.value.problem) in check(five)


@given(code=st.sampled_from(sorted(SERVICE_DESCRIPTIONS) + ["97999", "G0283"]),
       place=st.sampled_from(sorted(PLACE_OF_SERVICE)),
       modifiers=st.lists(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=2,
                                  max_size=2), max_size=4),
       units=st.integers(1, 99), lines=st.integers(1, 40))
@settings(max_examples=30, deadline=None)
def test_every_line_the_837p_takes_fits_the_pdf(claim, code, place, modifiers, units, lines):
    """Any code, place of service and up to four modifiers: printed, each text inside its
    column (payerkit's own descriptions and place names wrap onto more lines of the row)."""
    line = attrs.evolve(claim.lines[0], code=code, place_of_service=place,
                        modifiers=tuple(modifiers), units=units)
    bill = attrs.evolve(claim, lines=[line] * lines)
    assert check_superbill(bill) == []
    columns, x = [], 40.0
    for _, width, _, _ in COLUMNS:
        columns.append((x, x + width))
        x += width
    drawn = superbill_pages(bill, OPTIONS.now.date())
    seen = 0
    for page in drawn:
        header = [op for op in page if isinstance(op, Text) and op.text == "Date"]
        end = [op.y for op in page if isinstance(op, Text) and op.text in
               ("Total charges", "Continued on the next page")]
        cells = [op for op in page if isinstance(op, Text) and op.size == 9
                 and header[0].y < op.y < end[0] and op.font == header[0].font.replace("-Bold", "")]
        seen += sum(1 for op in cells if op.text == f"{line.date:%m/%d/%Y}")
        for op in cells:
            assert any(x0 + 1 <= op.left and op.left + op.width <= x1 - 1 for x0, x1 in columns), \
                (op.text, op.left, op.width)
            assert op.y < 792 - 36, op.text  # above the footer
    assert seen == lines


# ------------------------------------------------------------------ the fields the model lacks


def with_payment_and_minutes(claim: Claim) -> Claim:
    """The claim with an amount paid and each line's minutes: the writers print them."""
    lines = [attrs.evolve(line, minutes=minutes)
             for line, minutes in zip(claim.lines, (40, 15), strict=True)]
    return attrs.evolve(claim, lines=lines, amount_paid=Decimal("100.00"))


def test_the_amount_paid_and_the_minutes_print_when_the_claim_has_them(claim):
    [page] = pages(write_superbill(with_payment_and_minutes(claim), OPTIONS))
    assert beside(page, "Amount paid") == "100.00"
    assert beside(page, "Balance due") == "25.00"
    assert [row["Minutes"] for row in service_rows(page)] == ["40", "15"]
    assert check_superbill(with_payment_and_minutes(claim)) == []


def test_no_payment_recorded_says_so_and_the_whole_total_is_due(claim):
    """Not "N/A": a client reads that nothing is recorded as paid, and what is due."""
    assert claim.amount_paid is None
    doc = lxml.html.document_fromstring(write_superbill_html(claim, OPTIONS))
    assert doc.xpath("//tr[@class='paid']")[0].text_content().split() == \
        ["Amount", "paid", "none", "recorded"]
    assert doc.xpath("//tr[@class='balance']")[0].text_content().split() == \
        ["Balance", "due", "125.00"]


def test_a_payment_above_the_charges_is_a_credit_and_a_warning(claim):
    over = attrs.evolve(claim, amount_paid=Decimal("140.00"))  # charges: 125.00
    [page] = pages(write_superbill(over, OPTIONS))
    text = page.extract_text()
    assert "-15.00" not in text and "Balance due" not in text
    assert beside(page, "Credit (paid above the charges)") == "15.00"
    doc = lxml.html.document_fromstring(write_superbill_html(over, OPTIONS))
    assert doc.xpath("//tr[@class='credit']")[0].text_content().split()[-1] == "15.00"
    for check in (check_superbill, check_superbill_html):
        [(field, problem, severity)] = check(over)
        assert (field, severity) == ("amount_paid", "warning") and "credit" in problem
    assert check_superbill(attrs.evolve(claim, amount_paid=claim.total_charge)) == []


def test_the_scrub_warns_of_a_payment_above_the_charges_naming_the_visit(payerkit_data_dir):
    class Adapter(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("superbill",))

    kit = PayerKit(entry_points=False, plugins=[Adapter()])
    visits = [{"date": dt.date(2026, 3, 5), "services": [{"code": "97124", "minutes": 30}]},
              {"date": dt.date(2026, 3, 12), "amount_paid": "500.00",
               "services": [{"code": "97124", "minutes": 40}]}]
    case = make_case(visits=visits)
    scrub = kit.scrub(case, visit=ALL_VISITS, format="superbill")
    assert scrub.errors == ()
    [warning] = [f for f in scrub.findings if f.path and "amount_paid" in f.path]
    assert (warning.severity, warning.path) == ("warning", "visits[1].amount_paid")
    assert kit.claim(case, "superbill", visit=ALL_VISITS, options=OPTIONS).startswith(b"%PDF")


# ------------------------------------------------------------------ the HTML


def dd(doc, section: str, label: str) -> str:
    [value] = doc.xpath(f"//dl[@class='{section}']/dt[.='{label}']/following-sibling::dd[1]")
    return value.text_content()


def test_the_html_has_every_value_in_its_element(html, claim):
    assert html.xpath("//h1")[0].text_content() == "Superbill"
    assert html.xpath("//section[@class='provider']/p[@class='name']")[0].text_content() == \
        "Cascade Bodywork LLC"
    assert dd(html, "identifiers", "NPI") == "1234567893"
    assert dd(html, "identifiers", "Tax ID (EIN)") == "12-3456789"
    assert dd(html, "identifiers", "License") == "MA60000000"
    assert dd(html, "patient", "Patient") == "Maria Garcia"
    assert dd(html, "patient", "Date of birth") == "07/22/1975"
    assert dd(html, "insurance", "Member ID") == "XYZ900000001"
    assert dd(html, "statement", "Dates of service") == "02/24/2026"
    codes = [(row.xpath("td[@class='code']")[0].text_content(),
              row.xpath("td[@class='description']")[0].text_content())
             for row in html.xpath("//section[@class='diagnoses']//tr")]
    assert codes == [(code, icd_description(code)) for code in claim.diagnoses]
    rows = [{td.get("class").split()[0]: td.text_content() for td in row.xpath("td")}
            for row in html.xpath("//tr[@class='line']")]
    assert [(r["date"], r["code"], r["units"], r["minutes"], r["diagnoses"], r["charge"])
            for r in rows] == [("02/24/2026", "97124", "3", "40", "A,B", "90.00"),
                               ("02/24/2026", "97140", "1", "15", "A", "35.00")]
    total = html.xpath("//tr[@class='total']/td[contains(@class, 'amount')]")[0]
    assert total.text_content() == "125.00"
    assert html.xpath("//section[@class='signature']")[0].text_content().startswith(
        "Provider signature: Jane Doe")


def test_hostile_text_is_escaped_in_the_html(claim):
    billing = attrs.evolve(claim.billing, name="<script>alert(1)</script> Smith & Sons")
    patient = attrs.evolve(claim.patient, last_name='O"Brien & <b>Co</b>')
    hostile = attrs.evolve(claim, billing=billing, patient=patient, insured=patient,
                           member_id="XYZ<&>1")
    data = write_superbill_html(hostile, OPTIONS)
    assert b"<script>" not in data and b"<b>" not in data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; Smith &amp; Sons" in data
    doc = lxml.html.document_fromstring(data)
    assert doc.xpath("//script") == [] and doc.xpath("//section[@class='patient']//b") == []
    assert doc.xpath("//p[@class='name']")[0].text_content() == \
        "<script>alert(1)</script> Smith & Sons"
    assert dd(doc, "patient", "Patient") == 'Maria O"Brien & <b>Co</b>'
    assert dd(doc, "insurance", "Member ID") == "XYZ<&>1"


def test_the_pdf_and_the_html_say_the_same_things(claim):
    full = with_payment_and_minutes(claim)
    text = " ".join(page.extract_text() for page in pages(write_superbill(full, OPTIONS)))
    doc = lxml.html.document_fromstring(write_superbill_html(full, OPTIONS))
    values = [e.text_content() for e in doc.xpath("//dd | //td | //p")]
    assert values and all(value in text for value in values if value), \
        [value for value in values if value not in text]


def test_a_corrected_claim_says_so(claim):
    if not hasattr(claim, "frequency"):
        pytest.skip("the claim model has no frequency yet")
    fixed = attrs.evolve(claim, frequency="8", original_claim_number="P998877")
    text = pages(write_superbill(fixed, OPTIONS))[0].extract_text()
    assert "Void: cancels the claim the insurer numbered P998877" in text
    doc = lxml.html.document_fromstring(write_superbill_html(fixed, OPTIONS))
    assert doc.xpath("//p[@class='correction']")[0].text_content() == \
        "Void: cancels the claim the insurer numbered P998877"


# ------------------------------------------------------------------ refusals


def test_a_name_too_wide_for_the_pdf_is_refused_and_the_html_wraps_it(claim):
    billing = attrs.evolve(claim.billing, name="Cascade Bodywork and Therapeutic Massage "
                           "Wellness Collective of the Greater Seattle Area, Including the "
                           "Eastside and the Puget Sound Islands LLC")
    wide = attrs.evolve(claim, billing=billing)
    with pytest.raises(FormatError) as exc:
        write_superbill(wide, OPTIONS)
    assert exc.value.field == "billing.name" and "never cut" in exc.value.problem
    assert (exc.value.field, exc.value.problem) in check_superbill(wide)
    assert check_superbill_html(wide) == []
    assert b"Puget Sound Islands LLC" in write_superbill_html(wide, OPTIONS)


@pytest.mark.parametrize("change, field", [
    ({"member_id": "XYZ\x00900"}, "member_id"),
    ({"lines": ()}, "lines"),
    ({"diagnoses": ()}, "diagnoses"),
])
def test_values_neither_rendering_can_carry_are_refused_by_field(claim, change, field):
    bad = attrs.evolve(claim, **change)
    for write, check in ((write_superbill, check_superbill),
                         (write_superbill_html, check_superbill_html)):
        with pytest.raises(FormatError) as exc:
            write(bad, OPTIONS)
        assert (exc.value.field, exc.value.problem) in check(bad)
        assert field in {name for name, _ in check(bad)}


def test_the_example_is_clean(claim):
    assert check_superbill(claim) == [] and check_superbill_html(claim) == []


def test_diagnosis_descriptions_come_from_the_code_set_once(claim):
    icd_description.cache_clear()
    for _ in range(3):
        write_superbill_html(claim, OPTIONS)
    info = icd_description.cache_info()
    assert info.misses == len(claim.diagnoses) and info.hits >= 2 * len(claim.diagnoses)
    assert icd_description("M54.2") == "Cervicalgia" and icd_description("Q99.999") == ""


def test_registered_and_written_through_the_kit(payerkit_data_dir):
    class Adapter(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program,
                               claim_formats=("x12-837p", "superbill", "superbill-html"))

    kit = PayerKit(entry_points=False, plugins=[Adapter()])
    formats = {f.id: f for f in kit.claim_formats()}
    assert (formats["superbill"].suffix, formats["superbill-html"].suffix) == (".pdf", ".html")
    assert kit.scrub(make_case()).errors == ()
    assert kit.claim(make_case(), "superbill", options=OPTIONS).startswith(b"%PDF")
    doc = lxml.html.document_fromstring(kit.claim(make_case(), "superbill-html",
                                                  options=OPTIONS))
    assert dd(doc, "patient", "Patient") == "Testa Person"


# ------------------------------------------------------------------ what a person sees


def test_the_docs_image_is_the_premera_example_as_drawn_today(pdf, tmp_path):
    from doc_images import assert_image_is_current, render_pages
    from PIL import Image

    [rendered] = render_pages(pdf, tmp_path)
    assert_image_is_current(Image.open(rendered), IMAGE)

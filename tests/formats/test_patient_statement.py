"""The patient statement PDF, read back with pdfplumber: each value beside its label or in
its column, the totals, the rule and its source, nothing owed, a credit, many lines over
several pages, names beyond Windows-1252, and what does not fit refused by its field.

The image in ``docs/images`` is rendered again by pdftoppm; after an intended change to the
layout, rewrite it with ``PAYERKIT_REGEN_IMAGES=1 pytest tests/formats/test_patient_statement.py``
and look at it before committing."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statement_samples import (
    NY_CITATION,
    NY_RULE,
    WA_CITATION,
    WA_RULE,
    ny_statement,
    wa_statement,
)

from payerkit.errors import FormatError
from payerkit.formats.patient_statement import (
    COLUMNS,
    check_patient_statement,
    patient_statement_pages,
    write_patient_statement,
)
from payerkit.model import PatientStatement, StatementLine

ROOT = Path(__file__).resolve().parents[2]
IMAGE = ROOT / "docs" / "images" / "patient-statement.png"
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def statement() -> PatientStatement:
    return wa_statement()


@pytest.fixture(scope="module")
def pdf(statement) -> bytes:
    return write_patient_statement(statement)


def pages(data: bytes):
    return pdfplumber.open(io.BytesIO(data)).pages


def text_of(data: bytes) -> str:
    """Every page's text, with the lines of a wrapped paragraph joined by spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in pages(data))


def beside(page, label: str) -> str:
    """The text printed on the same line as ``label`` and to its right, within its half."""
    hits = page.search(label, regex=False)
    assert hits, f"label {label!r} not on the page"
    hit = hits[-1]
    right = page.width / 2 if hit["x0"] < page.width / 2 else page.width
    return page.within_bbox((hit["x1"], hit["top"] - 2, right, hit["bottom"] + 2)) \
        .extract_text().strip()


def block(page, title: str) -> list[str]:
    """The lines under a block's title, in its column."""
    [hit] = [h for h in page.search(title, regex=False) if h["x0"] in (40.0, 312.0)]
    return page.within_bbox((hit["x0"], hit["bottom"] + 1, hit["x0"] + 260,
                             hit["bottom"] + 60)).extract_text().splitlines()


def service_rows(page) -> list[dict[str, str]]:
    """The services table, one dict a row: the column's attribute → the text in the column;
    ``reasons``: the small lines under the row."""
    [header] = [h for h in page.search("Insurer paid", regex=False)]
    edges, x = [], 40.0
    for _, width, _, attribute in COLUMNS:
        edges.append((attribute, x, x + width))
        x += width
    words = page.extract_words(extra_attrs=["size", "fontname"])
    starts = [w for w in words if w["x0"] < 60 and w["top"] > header["bottom"]
              and len(w["text"]) == 10 and w["text"][2] == "/" and round(w["size"]) == 9]
    bottoms = [w["top"] for w in starts[1:]] + [page.height]
    rows = []
    for word, end in zip(starts, bottoms, strict=True):
        top, bottom = word["top"] - 2, word["bottom"] + 2
        row = {attribute: page.within_bbox((x0, top, x1, bottom)).extract_text().strip()
               for attribute, x0, x1 in edges}
        below = [w for w in words if bottom <= w["top"] < end and round(w["size"], 1) == 7.5
                 and not w["fontname"].endswith("Bold")]
        lines: dict[float, list[str]] = {}
        for w in below:
            lines.setdefault(round(w["top"]), []).append(w["text"])
        row["reasons"] = [" ".join(ws) for _, ws in sorted(lines.items())]
        rows.append(row)
    return rows


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# ------------------------------------------------------------------ every value in its place


def test_every_value_of_the_statement_is_in_its_place(pdf, statement):
    [page] = pages(pdf)
    assert block(page, "FROM") == ["Cascade Bodywork LLC", "100 Pine St Suite 200",
                                   "Seattle, WA 98101-0001", "Phone (206) 555-0100"]
    assert block(page, "STATEMENT FOR") == ["Maria Garcia", "12 Elm St", "Seattle, WA 98102"]
    assert beside(page, "Statement date") == "03/02/2026"
    assert beside(page, "Statement no.") == "S-2026-0042"
    assert beside(page, "Dates of service") == "01/05/2026 - 01/12/2026"
    assert beside(page, "Please pay by") == "04/01/2026"
    rows = service_rows(page)
    assert len(rows) == len(statement.lines)
    for row, line in zip(rows, statement.lines, strict=True):
        assert row["date"] == f"{line.date:%m/%d/%Y}"
        assert row["claim_id"] == line.claim_id and row["code"] == line.code
        assert row["modifiers"] == " ".join(line.modifiers)
        assert row["units"] == str(line.units)
        for attribute in ("billed", "insurer_paid", "written_off", "patient_owes"):
            assert money(row[attribute]) == getattr(line, attribute), attribute
        assert row["reasons"] == [f"\u2022 {reason}" for reason in line.reasons]


def test_the_totals_are_the_statements_and_add_up(pdf, statement):
    [page] = pages(pdf)
    assert (statement.billed, statement.insurer_paid, statement.written_off,
            statement.patient_owes, statement.balance) == \
        (Decimal("255.00"), Decimal("146.00"), Decimal("50.00"), Decimal("59.00"),
         Decimal("44.00"))
    assert money(beside(page, "Billed")) == statement.billed
    assert money(beside(page, "Paid by your insurer")) == statement.insurer_paid
    assert money(beside(page, "Written off (not billed to you)")) == statement.written_off
    assert money(beside(page, "Your share")) == statement.patient_owes
    assert money(beside(page, "Paid by you")) == statement.payments_by_patient
    assert money(beside(page, "Balance due")) == statement.balance
    rows = service_rows(page)
    for attribute in ("billed", "insurer_paid", "written_off", "patient_owes"):
        assert sum(money(row[attribute]) for row in rows) == getattr(statement, attribute)


def test_what_is_owed_is_said_first_with_the_rule_and_its_source(pdf):
    text = text_of(pdf)
    assert "Balance due: $44.00 Please pay by 04/01/2026" in text
    assert WA_RULE in text
    assert f"Source: {WA_CITATION}" in text
    assert "Thank you for your payment of 15.00" in text  # the notes
    assert check_patient_statement(wa_statement()) == []


def test_the_pdf_is_one_page_embeds_its_fonts_and_names_no_patient_in_its_title(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as read:
        assert len(read.pages) == 1
        assert read.metadata["Title"] == "Patient statement"
        assert {c["fontname"].split("+")[-1] for c in read.pages[0].chars} == \
            {"LiberationSans", "LiberationSans-Bold"}


def test_the_same_statement_gives_the_same_bytes_whatever_the_time_zone_and_locale(pdf):
    """The date printed is the statement's own; reportlab runs in invariant mode."""
    probe = ("import sys, statement_samples\n"
             "from payerkit.formats.patient_statement import write_patient_statement\n"
             "sys.stdout.buffer.write(write_patient_statement(statement_samples.wa_statement()))")
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C", "LANG": "C",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env,
                          timeout=120, check=True)
    assert done.stdout == pdf


# ------------------------------------------------------------------ nothing owed, a credit


def test_nothing_owed_says_so_and_why_with_the_citation():
    statement = ny_statement()
    data = write_patient_statement(statement)
    [page] = pages(data)
    text = text_of(data)
    assert statement.patient_owes == 0 and statement.balance == 0
    assert "Nothing is owed " in text and "Balance due" not in text and "Credit" not in text
    assert NY_RULE in text and "may not bill you" in text
    assert f"Source: {NY_CITATION}" in text  # the section sign prints (Windows-1252)
    assert beside(page, "Nothing is owed") == "0.00"
    assert [row["patient_owes"] for row in service_rows(page)] == ["0.00"] * 3
    assert "Please pay by" not in text
    assert check_patient_statement(statement) == []


def test_nothing_owed_when_the_patient_has_paid_the_share(statement):
    paid = attrs.evolve(statement, payments_by_patient=statement.patient_owes)
    data = write_patient_statement(paid)
    text = text_of(data)
    assert "Nothing is owed: your payments ($59.00) cover your share ($59.00)" in text
    assert "Please pay by" not in text and "Balance due" not in text
    assert beside(pages(data)[0], "Nothing is owed") .endswith("0.00")
    assert check_patient_statement(paid) == []


def test_a_payment_above_the_share_is_a_credit_and_a_warning(statement):
    over = attrs.evolve(statement, payments_by_patient=Decimal("80.00"))  # share: 59.00
    data = write_patient_statement(over)
    [page] = pages(data)
    text = text_of(data)
    assert "-21.00" not in text and "Balance due" not in text and "Please pay by" not in text
    assert "Credit: $21.00 (you paid more than your share; this is not an amount due)" in text
    assert beside(page, "Credit (you paid more than your share)") == "21.00"
    [(field, problem, severity)] = check_patient_statement(over)
    assert (field, severity) == ("payments_by_patient", "warning") and "credit" in problem


def test_a_line_that_does_not_balance_is_printed_with_a_warning(statement):
    odd = attrs.evolve(statement.lines[1], written_off=Decimal("11.00"))
    changed = attrs.evolve(statement, lines=(statement.lines[0], odd, statement.lines[2]))
    [(field, problem, severity)] = check_patient_statement(changed)
    assert (field, severity) == ("lines[1]", "warning") and "posting" in problem
    write_patient_statement(changed)


# ------------------------------------------------------------------ many lines


def test_sixty_lines_continue_over_pages_with_the_totals_on_the_last(statement):
    lines = tuple(attrs.evolve(statement.lines[i % 3], date=dt.date(2026, 1, 1)
                               + dt.timedelta(days=i), claim_id=f"CLM-{1000 + i}")
                  for i in range(60))
    many = attrs.evolve(statement, lines=lines)
    data = write_patient_statement(many)
    read = pages(data)
    assert len(read) >= 3
    rows = [row for page in read for row in service_rows(page)]
    assert [row["claim_id"] for row in rows] == [line.claim_id for line in lines]
    assert [row["reasons"] for row in rows] == \
        [[f"\u2022 {reason}" for reason in line.reasons] for line in lines]
    for number, page in enumerate(read, start=1):
        text = page.extract_text()
        assert f"Page {number} of {len(read)}" in text
        assert "Maria Garcia" in text  # whose statement the page is
        last = number == len(read)
        assert ("Your share" in text) is last
        assert ("Continued on the next page" in text) is not last
        assert ("(CONTINUED)" in text) is (number > 1)
    assert money(beside(read[-1], "Balance due")) == many.balance == Decimal("1165.00")
    assert money(beside(read[-1], "Billed")) == many.billed == \
        sum(money(row["billed"]) for row in rows)
    assert check_patient_statement(many) == []


def test_every_text_stays_inside_the_page_and_above_the_footer(statement):
    """The widest values that fit (four modifiers, amounts of 9,999,999.99 and totals of
    hundreds of millions) over several pages."""
    lines = tuple(attrs.evolve(statement.lines[i % 3], modifiers=("WW", "WW", "WW", "WW"),
                               claim_id=("PK999999WWWWWW", "PK260224OSEQQT",
                                         "2026-03-CASCADE/BODYWORK.00042")[i % 3],
                               billed=Decimal("9999999.99"), insurer_paid=Decimal("0.00"),
                               written_off=Decimal("9999999.99"), patient_owes=Decimal("0.00"))
                  for i in range(45))
    many = attrs.evolve(statement, lines=lines, payments_by_patient=Decimal("999999999.99"))
    assert [p[:2] for p in check_patient_statement(many)] == [
        ("payments_by_patient", "the patient has paid more than their share: the statement "
         "shows the difference as a credit, not a balance due; check the payments recorded")]
    drawn = patient_statement_pages(many)
    assert len(drawn) > 2
    for page in drawn:
        for op in page:
            if getattr(op, "text", None) is not None:
                assert 40 <= op.left and op.left + op.width <= 572 + 0.01, op.text
                assert op.y <= 792 - 36 + 15, op.text


def test_payerkit_claim_ids_fit_and_a_longer_id_wraps_after_its_hyphens(statement):
    ids = ("PK999999WWWWWW", "PK260224OSEQQT", "2026-03-CASCADE-BODYWORK-00042")
    lines = tuple(attrs.evolve(line, claim_id=claim_id)
                  for line, claim_id in zip(statement.lines, ids, strict=True))
    changed = attrs.evolve(statement, lines=lines)
    assert check_patient_statement(changed) == []
    rows = service_rows(pages(write_patient_statement(changed))[0])
    assert [row["claim_id"] for row in rows[:2]] == list(ids[:2])
    texts = [op.text for op in patient_statement_pages(changed)[0] if hasattr(op, "text")]
    assert "2026-03-CASCADE-" in texts and "BODYWORK-00042" in texts


# ------------------------------------------------------------------ names, refusals


def test_names_beyond_windows_1252_are_transliterated(statement):
    patient = attrs.evolve(statement.patient, first_name="Zo\u00eb \u0141ukasz",
                           last_name="\u738b \u014ctomo-\u00dc\u00e7\u00fcnc\u00fc\u200b\x07")
    practice = attrs.evolve(statement.practice, name="Massage \u2603 Stra\u00dfe \u5927\u962a")
    odd = attrs.evolve(statement, patient=patient, practice=practice)
    [page] = pages(write_patient_statement(odd))
    assert block(page, "STATEMENT FOR")[0] == "Zo\u00eb Lukasz Wang Otomo-\u00dc\u00e7\u00fcnc\u00fc"
    name = block(page, "FROM")[0]
    assert name.startswith("Massage Stra\u00dfe ") and name.isascii() is False
    name.encode("cp1252")  # the snowman and the kanji transliterated or dropped
    assert check_patient_statement(odd) == []


def refused(statement: PatientStatement) -> tuple[str, str]:
    with pytest.raises(FormatError) as exc:
        write_patient_statement(statement)
    assert (exc.value.field, exc.value.problem) in check_patient_statement(statement)
    return exc.value.field, exc.value.problem


def with_line(statement: PatientStatement, i: int, **changes) -> PatientStatement:
    lines = list(statement.lines)
    lines[i] = attrs.evolve(lines[i], **changes)
    return attrs.evolve(statement, lines=tuple(lines))


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda s: with_line(s, 0, billed=Decimal("10000000.00")), "lines[0].billed", "too wide"),
    (lambda s: with_line(s, 2, patient_owes=Decimal("123456789.00")), "lines[2].patient_owes",
     "too wide"),
    (lambda s: with_line(s, 1, insurer_paid=Decimal("-5.00")), "lines[1].insurer_paid",
     "zero or more"),
    (lambda s: with_line(s, 1, written_off=10.0), "lines[1].written_off", "zero or more"),
    (lambda s: with_line(s, 0, billed=Decimal("100.005")), "lines[0].billed", "whole cents"),
    (lambda s: with_line(s, 0, billed=Decimal("NaN")), "lines[0].billed", "zero or more"),
    (lambda s: attrs.evolve(s, payments_by_patient=Decimal("1E+12")), "payments_by_patient",
     "too large"),
    (lambda s: attrs.evolve(s, payments_by_patient=None), "payments_by_patient",
     "zero or more"),
    (lambda s: attrs.evolve(s, lines=tuple(attrs.evolve(line, billed=Decimal("9000000.00"))
                                           for line in s.lines) * 40), "billed", "too large"),
    (lambda s: with_line(s, 0, claim_id="CLM1001X2026XABCDEFGH"), "lines[0].claim_id",
     "too wide"),
    (lambda s: with_line(s, 0, claim_id="CLM\u20131\u2713"), "lines[0].claim_id", "never altered"),
    (lambda s: with_line(s, 0, modifiers=("GP", "59", "KX", "XU", "GO")), "lines[0].modifiers",
     "at most 4"),
    (lambda s: with_line(s, 0, units=0), "lines[0].units", "1 or more"),
    (lambda s: with_line(s, 0, date="2026-01-05"), "lines[0].date", "expected a date"),
    (lambda s: with_line(s, 0, reasons=("CO-45 " + "charge exceeds fee schedule " * 12,)),
     "lines[0].reasons[0]", "too long"),
    (lambda s: attrs.evolve(s, patient=attrs.evolve(s.patient, first_name="Anastasia " * 12)),
     "patient", "too long"),
    (lambda s: attrs.evolve(s, practice=attrs.evolve(s.practice, name="Bodywork " * 12)),
     "practice.name", "short_name"),
    (lambda s: attrs.evolve(s, rule="words " * 200), "rule", "too long"),
    (lambda s: attrs.evolve(s, rule=" "), "rule", "required"),
    (lambda s: attrs.evolve(s, citation="RCW 48.43.093 " * 30), "citation", "too long"),
    (lambda s: attrs.evolve(s, notes=("ok", "words " * 200)), "notes[1]", "too long"),
    (lambda s: attrs.evolve(s, notes=("words " * 60,) * 14), "notes", "shorten the notes"),
    (lambda s: attrs.evolve(s, number="S-" + "9" * 40), "number", "too long"),
    (lambda s: attrs.evolve(s, number=""), "number", "required"),
    (lambda s: attrs.evolve(s, lines=()), "lines", "no service"),
    (lambda s: attrs.evolve(s, statement_date=None), "statement_date", "expected a date"),
])
def test_what_does_not_fit_is_refused_naming_its_field(statement, change, field, words):
    found, problem = refused(change(statement))
    assert found == field and words in problem, (found, problem)


def test_check_lists_every_problem_at_once(statement):
    bad = with_line(statement, 0, billed=Decimal("99999999.00"), units=0)
    bad = attrs.evolve(bad, rule="", notes=("words " * 200,))
    fields = [problem[0] for problem in check_patient_statement(bad) if len(problem) == 2]
    assert {"lines[0].billed", "lines[0].units", "rule", "notes[0]"} <= set(fields)


def test_no_patient_value_is_in_a_refusal(statement):
    long_name = attrs.evolve(statement.patient, first_name="Secretname " * 12)
    for problem in check_patient_statement(attrs.evolve(statement, patient=long_name)):
        assert "Secretname" not in " ".join(problem)


# ------------------------------------------------------------------ amounts add up


cents = st.integers(0, 99_999_99).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def amounts(draw) -> list[tuple[Decimal, Decimal, Decimal, Decimal]]:
    lines = []
    for _ in range(draw(st.integers(1, 7))):
        paid, written_off, owes = draw(cents), draw(cents), draw(cents)
        lines.append((paid + written_off + owes, paid, written_off, owes))
    return lines


@given(lines=amounts(), paid=cents)
@settings(max_examples=25, deadline=None)
def test_the_totals_add_up_to_the_cent(statement, lines, paid):
    """Any amounts in cents: every printed column adds up to its printed total, the totals are
    the statement's, and the balance is due, nothing, or a credit — never below zero."""
    template = statement.lines[0]
    changed = attrs.evolve(statement, payments_by_patient=paid, lines=tuple(
        attrs.evolve(template, billed=b, insurer_paid=p, written_off=w, patient_owes=o)
        for b, p, w, o in lines))
    assert check_patient_statement(changed) in ([], [(
        "payments_by_patient", "the patient has paid more than their share: the statement "
        "shows the difference as a credit, not a balance due; check the payments recorded",
        "warning")])
    read = pages(write_patient_statement(changed))
    rows = [row for page in read for row in service_rows(page)]
    last = read[-1]
    for attribute, label in (("billed", "Billed"), ("insurer_paid", "Paid by your insurer"),
                             ("written_off", "Written off (not billed to you)"),
                             ("patient_owes", "Your share")):
        total = getattr(changed, attribute)
        assert isinstance(total, Decimal) and total == total.quantize(CENT)
        assert sum(money(row[attribute]) for row in rows) == money(beside(last, label)) == total
    balance = changed.balance
    text = text_of(write_patient_statement(changed))
    if balance > 0:
        assert money(beside(last, "Balance due")) == balance
    elif balance == 0:
        assert money(beside(last, "Nothing is owed")) == 0
    else:
        assert money(beside(last, "Credit (you paid more than your share)")) == -balance
        assert f"-{-balance:,.2f}" not in text


# ------------------------------------------------------------------ the model


def test_the_records_are_frozen_and_convert_to_tuples(statement):
    line = StatementLine("C1", dt.date(2026, 1, 5), "97124", ["GP"], 1, Decimal("1.00"),
                         Decimal("1.00"), Decimal(0), Decimal(0), ["CO-45 x"])
    assert line.modifiers == ("GP",) and line.reasons == ("CO-45 x",)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        statement.number = "x"
    empty = attrs.evolve(statement, lines=[])
    assert empty.lines == () and empty.billed == Decimal(0) and empty.balance == Decimal("-15.00")


# ------------------------------------------------------------------ the docs image


def test_the_docs_image_is_the_sample_statement_as_drawn_today(pdf, tmp_path):
    from doc_images import assert_image_is_current, render_pages
    from PIL import Image

    [rendered] = render_pages(pdf, tmp_path)
    assert_image_is_current(Image.open(rendered), IMAGE)

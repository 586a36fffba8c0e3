"""The patient statement, as a PDF: what the practice tells the patient once the insurer has
paid, from one :class:`~payerkit.model.PatientStatement` (the ledger fills it from its
claims and the payers' remittances).

**Contents.** The practice (name, address, phone) and the patient (name, address); the
statement's date, number, dates of service and, with an amount due, the day to pay by; a
box that says first what the patient owes — the balance due, "Nothing is owed", or a
credit — and why: the rule of the program that says what the practice may bill the patient,
in words, with its source; each service (date, claim, code and modifiers, units, what was
billed, what the insurer paid, what was written off, what the patient owes) with the
reasons under it ("PR-1 deductible", "CO-45 above the fee schedule (not billed to you)");
the totals (billed, paid by the insurer, written off, the patient's share, paid by the
patient, the balance); the practice's notes.

**Nothing owed.** When the patient's share is nothing (New York no-fault above the fee
schedule, workers' compensation: the provider may not bill the patient), the box says
"Nothing is owed" with the rule and its citation; when the patient's payments cover the
share, it says so. **A credit** — the patient paid more than the share — prints as a credit,
never as a negative balance, and :func:`check_patient_statement` returns a warning on
``payments_by_patient`` so the payments are checked before the statement goes out; so does
a line whose billed amount is not what the insurer paid, what was written off and what the
patient owes together.

**Drawn as the superbill is** (:mod:`.page`: the same header, blocks, table with rows that
wrap and continue over pages, totals and footer; :mod:`.nf3`'s page model; Liberation Sans
embedded, :mod:`.fonts`; reportlab in invariant mode, so the same statement gives the same
bytes). US letter; one page holds an ordinary statement; more lines than fit continue on
further pages, each repeating the header and whose statement it is, with the totals and
the notes on the last. Names and addresses are printed in Windows-1252, transliterated
beyond it (``Łukasz`` → ``Lukasz``); identifiers and codes exactly or refused. A value that
does not fit its place — an amount too large for its column, a name too long for its
lines — is refused with :class:`~payerkit.errors.FormatError` naming the statement's field
(``lines[3].billed``, ``patient``, ``notes[0]``), never cut; :func:`check_patient_statement`
returns every such problem. Amounts are ``Decimal`` in whole cents, zero or more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from attrs import evolve, frozen

from ..model.statement import PatientStatement, StatementLine
from .fonts import width as text_width
from .nf3 import (
    BOLD,
    NA,
    REGULAR,
    Op,
    Rect,
    Rule,
    Sheet,
    Text,
    city_line,
    person_name,
    render_pdf,
    street,
    us_date,
)
from .page import (
    BALANCE_DUE,
    CODE_COLUMN,
    DATE_COLUMN,
    LEAD,
    LEFT,
    MODIFIERS_COLUMN,
    NOTE_SIZE,
    RIGHT,
    SECOND_COLUMN,
    SIZE,
    TOTALS_WIDTH,
    WIDTH,
    Table,
    Value,
    block,
    continue_table,
    date_span,
    draw_blocks,
    fit_row,
    header,
    number_pages,
    practice,
    room_below,
    totals,
)
from .x12_limits import MAX_MODIFIERS

FORM = "patient statement"
TITLE_PDF = "Patient statement"
SUBTITLE = "What was billed, what your insurer paid, and what you owe"

#: The services table: (caption, width, right-aligned, attribute of :class:`_Line`, which is
#: the field of :class:`~payerkit.model.StatementLine` a refusal names). The claim's column
#: holds payerkit's claim ids (14 letters and digits) on one line; a longer id of the
#: practice's own wraps after its hyphens, slashes or dots (never inside a run of letters
#: and digits). An amount up to 9,999,999.99 fits its column.
COLUMNS = (
    DATE_COLUMN,
    ("Claim", 100.0, False, "claim_id"),
    CODE_COLUMN,
    MODIFIERS_COLUMN,
    ("Units", 24.0, True, "units"),
    ("Billed", 60.0, True, "billed"),
    ("Insurer paid", 60.0, True, "insurer_paid"),
    ("Written off", 60.0, True, "written_off"),
    ("You owe", 60.0, True, "patient_owes"),
)
assert sum(column[1] for column in COLUMNS) == WIDTH
#: The reasons under a service: from the code's column to the right edge.
REASONS_X = LEFT + sum(width for _, width, _, _ in COLUMNS[:2]) + 3
SERVICES = Table("SERVICES (AMOUNTS IN US DOLLARS)", COLUMNS,
                 wrapped={"claim_id": "claim_id"}, break_after="-/.", notes_x=REASONS_X)
#: How many lines each text may take: a reason under its service, the rule in the box, the
#: rule's citation, a note.
REASON_LINES, RULE_LINES, CITATION_LINES, NOTE_LINES = 2, 4, 2, 4
#: The width of the statement number on the header's right.
NUMBER_WIDTH = 150.0

NOTHING_OWED = "Nothing is owed"
CREDIT = "Credit (you paid more than your share)"
FOOTER = ("This statement is from the practice named above: ask it about any amount. "
          "Prepared by payerkit from the practice's records.")


@frozen
class _Line:
    """A service's printed cells."""

    date: str
    claim_id: Value
    code: Value
    modifiers: Value
    units: str
    billed: str
    insurer_paid: str
    written_off: str
    patient_owes: str
    reasons: tuple[str, ...]  # each printed line


@frozen
class _Texts:
    """Every text of the statement, checked once."""

    date: str
    number: str
    dates: str
    due: str | None  # the day to pay by, when something is due
    practice: tuple[Value, ...]
    patient: tuple[Value, ...]
    headline: str
    rule: tuple[str, ...]
    citation: tuple[str, ...]
    lines: tuple[_Line, ...]
    totals: tuple[tuple[str, str, str], ...]  # (label, amount, font)
    notes: tuple[tuple[str, ...], ...]


# ---------------------------------------------------------------------------------------------
# The texts
# ---------------------------------------------------------------------------------------------


def _amount(sheet: Sheet, field: str, amount: object) -> str:
    """``1,234.50``: a Decimal in whole cents, zero or more, or refused."""
    if isinstance(amount, Decimal) and amount.is_finite() and amount >= 0 \
            and amount != amount.quantize(Decimal("0.01")):
        sheet.refuse(field, "expected an amount in whole cents")
    return sheet.money(field, amount)  # type: ignore[arg-type]


def _sum(amounts: Sequence[object]) -> Decimal:
    """The total of the amounts that can be added (a refused one counts as nothing)."""
    return sum((a for a in amounts if isinstance(a, Decimal) and a.is_finite()), Decimal(0))


def _total(sheet: Sheet, field: str, amount: Decimal | str, box: str) -> str:
    """A total (or its text), which must fit the totals' column."""
    text = amount if isinstance(amount, str) else sheet.money(field, amount)
    if text_width(text, BOLD, SIZE) > TOTALS_WIDTH:
        sheet.refuse(field, f"too large for the {box} of the {FORM} ({TOTALS_WIDTH:.0f} points); "
                     "an amount is never cut")
    return text


def _date(sheet: Sheet, field: str, day: object) -> str:
    if not isinstance(day, dt.date):
        sheet.refuse(field, "expected a date")
        return NA
    return us_date(day)


def _texts(statement: PatientStatement, sheet: Sheet) -> _Texts:
    """The statement's texts, each checked (``sheet`` refuses what cannot be printed)."""
    _, practice_values = practice(sheet, statement.practice, "practice", fitted=True)
    patient = statement.patient
    patient_values = (
        Value(sheet.clean("patient", person_name(patient), box="patient", required=True),
              "patient"),
        Value(sheet.clean("patient.address.line1", street(patient.address), box="address",
                          required=True), "patient.address.line1"),
        Value(sheet.clean("patient.address.city", city_line(patient.address), box="address",
                          required=True), "patient.address.city"),
    )
    number = sheet.identifier("number", statement.number, NUMBER_WIDTH, box="statement number",
                              size=8.5)
    if not statement.lines:
        sheet.refuse("lines", "no service on the statement")
    lines = tuple(_line(sheet, i, line) for i, line in enumerate(statement.lines))
    dates = date_span([line.date for line in statement.lines if isinstance(line.date, dt.date)])

    billed = _sum([line.billed for line in statement.lines])
    insurer = _sum([line.insurer_paid for line in statement.lines])
    written_off = _sum([line.written_off for line in statement.lines])
    owes = _sum([line.patient_owes for line in statement.lines])
    paid_text = _amount(sheet, "payments_by_patient", statement.payments_by_patient)
    paid_text = _total(sheet, "payments_by_patient", paid_text, "totals")
    paid = _sum([statement.payments_by_patient])
    balance = owes - paid
    if balance > 0:
        last, balance_text = BALANCE_DUE, _total(sheet, "balance", balance, "balance")
    elif balance == 0:
        last, balance_text = NOTHING_OWED, "0.00"
    else:
        sheet.warn("payments_by_patient", "the patient has paid more than their share: the "
                   "statement shows the difference as a credit, not a balance due; check the "
                   "payments recorded")
        last, balance_text = CREDIT, _total(sheet, "balance", -balance, "credit")
    owes_text = _total(sheet, "patient_owes", owes, "totals")
    totals_ = (
        ("Billed", _total(sheet, "billed", billed, "totals"), REGULAR),
        ("Paid by your insurer", _total(sheet, "insurer_paid", insurer, "totals"), REGULAR),
        ("Written off (not billed to you)", _total(sheet, "written_off", written_off, "totals"),
         REGULAR),
        ("Your share", owes_text, BOLD),
        ("Paid by you", paid_text, REGULAR),
        (last, balance_text, BOLD),
    )
    due = None
    if statement.due_date is not None and balance > 0:
        due = _date(sheet, "due_date", statement.due_date)
    if balance > 0:
        headline = f"{BALANCE_DUE}: ${balance_text}" + (f"   Please pay by {due}" if due else "")
    elif balance == 0 and owes == 0:
        headline = NOTHING_OWED
    elif balance == 0:
        headline = f"{NOTHING_OWED}: your payments (${paid_text}) cover your share (${owes_text})"
    else:
        headline = f"Credit: ${balance_text} (you paid more than your share; this is not an " \
                   "amount due)"
    headline = sheet.fit("balance", headline, BOX_TEXT, 1, box="summary", size=HEADLINE,
                         font=BOLD)[0]
    rule = sheet.text("rule", statement.rule, BOX_TEXT, RULE_LINES, box="rule", size=SIZE,
                      required=True)
    citation: tuple[str, ...] = ()
    if statement.citation is not None and statement.citation.strip():
        citation = sheet.text("citation", "Source: " + statement.citation, BOX_TEXT,
                              CITATION_LINES, box="citation", size=SOURCE)
    notes = tuple(sheet.text(f"notes[{k}]", note, WIDTH, NOTE_LINES, box="note", size=SIZE)
                  for k, note in enumerate(statement.notes))
    return _Texts(date=_date(sheet, "statement_date", statement.statement_date), number=number,
                  dates=dates, due=due, practice=practice_values, patient=patient_values,
                  headline=headline, rule=rule, citation=citation, lines=lines, totals=totals_,
                  notes=notes)


def _line(sheet: Sheet, i: int, line: StatementLine) -> _Line:
    name = f"lines[{i}]"
    if len(line.modifiers) > MAX_MODIFIERS:
        sheet.refuse(f"{name}.modifiers", f"at most {MAX_MODIFIERS} modifiers")
    modifiers = [sheet.identifier(f"{name}.modifiers", m, None, box="modifier")
                 for m in line.modifiers[:MAX_MODIFIERS]]
    units = line.units
    if isinstance(units, bool) or not isinstance(units, int) or units < 1:
        sheet.refuse(f"{name}.units", "expected a whole number of units, 1 or more")
    amounts = {attribute: _amount(sheet, f"{name}.{attribute}", getattr(line, attribute))
               for attribute in ("billed", "insurer_paid", "written_off", "patient_owes")}
    parts = [line.insurer_paid, line.written_off, line.patient_owes]
    if all(isinstance(a, Decimal) and a.is_finite() for a in (*parts, line.billed)) \
            and sum(parts, Decimal(0)) != line.billed:
        sheet.warn(name, "what was billed is not what the insurer paid, what was written off "
                   "and what the patient owes together: check the posting of this service")
    reasons: list[str] = []
    for k, reason in enumerate(line.reasons):
        reasons += sheet.text(f"{name}.reasons[{k}]", "\u2022 " + reason, REASONS_WIDTH,
                              REASON_LINES, box="reason", size=NOTE_SIZE)
    return _Line(
        date=_date(sheet, f"{name}.date", line.date),
        claim_id=Value(sheet.identifier(f"{name}.claim_id", line.claim_id, None, box="claim"),
                       f"{name}.claim_id"),
        code=Value(sheet.identifier(f"{name}.code", line.code, None, box="code"),
                   f"{name}.code"),
        modifiers=Value(" ".join(modifiers) or "-", f"{name}.modifiers"),
        units=str(units), reasons=tuple(reasons), **amounts)


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

#: The summary box: its padding, the headline's size, the citation's size.
PAD, HEADLINE, SOURCE = 8.0, 11.0, 8.0
BOX_TEXT = WIDTH - 2 * PAD
REASONS_WIDTH = RIGHT - REASONS_X - 3


def write_patient_statement(statement: PatientStatement) -> bytes:
    """The statement as a PDF (US letter); raises :class:`~payerkit.errors.FormatError`
    naming the statement's field of the first value it cannot print."""
    return render_pdf(patient_statement_pages(statement), TITLE_PDF)


def check_patient_statement(statement: PatientStatement) -> list[tuple[str, ...]]:
    """Every problem that would stop :func:`write_patient_statement`, as
    ``(field, problem)``, and every warning, as ``(field, problem, "warning")``."""
    sheet = Sheet(FORM, dry_run=True)
    _layout(statement, sheet)
    return sheet.found()


def patient_statement_pages(statement: PatientStatement) -> list[list[Op]]:
    """The laid-out pages: what :func:`write_patient_statement` draws."""
    sheet = Sheet(FORM)
    _layout(statement, sheet)
    return sheet.pages


def _layout(statement: PatientStatement, sheet: Sheet) -> None:
    # Every value is fitted first, so a refusal comes before any drawing.
    bill = _texts(statement, sheet)
    blocks = [[block(sheet, "From", LEFT, (), bill.practice),
               block(sheet, "Statement for", SECOND_COLUMN, (), bill.patient)]]
    rows = [evolve(fit_row(SERVICES, line, i, sheet), notes=line.reasons)
            for i, line in enumerate(bill.lines)]
    closing_height = _closing([], 0.0, bill) + 8
    later = _continuation([], _header([], bill), bill)
    if rows and closing_height + max(row.height for row in rows) > room_below(later, 0.0)[1]:
        sheet.refuse("notes", f"too long to print with the totals on one page of the {FORM}: "
                     "shorten the notes")
    page = sheet.new_page()
    y = _header(page, bill)
    y = draw_blocks(page, y, blocks)
    y = _summary(page, y, bill)
    continue_table(sheet, page, y, SERVICES, rows, header=lambda page: _header(page, bill),
                   continuation=lambda page, y: _continuation(page, y, bill),
                   closing=lambda page, y: _closing(page, y, bill),
                   closing_height=closing_height)
    number_pages(sheet.pages, FOOTER)


def _header(page: list[Op], bill: _Texts) -> float:
    facts = [f"Statement date  {bill.date}", f"Statement no.  {bill.number}",
             f"Dates of service  {bill.dates}"]
    if bill.due:
        facts.append(f"Please pay by  {bill.due}")
    return header(page, "PATIENT STATEMENT", SUBTITLE, facts)


def _summary(page: list[Op], y: float, bill: _Texts) -> float:
    """The box that says what the patient owes and why."""
    height = PAD + HEADLINE + 4 + len(bill.rule) * LEAD + len(bill.citation) * LEAD + PAD - 2
    page.append(Rect(LEFT, y, WIDTH, height, width=1.2))
    baseline = y + PAD + HEADLINE - 1
    page.append(Text(LEFT + PAD, baseline, bill.headline, BOLD, HEADLINE))
    baseline += 4
    for line in bill.rule:
        baseline += LEAD
        page.append(Text(LEFT + PAD, baseline, line, REGULAR, SIZE))
    for line in bill.citation:
        baseline += LEAD
        page.append(Text(LEFT + PAD, baseline, line, REGULAR, SOURCE))
    return y + height + 6


def _closing(page: list[Op], y: float, bill: _Texts) -> float:
    """The totals and the notes below the last row; the bottom of what it draws."""
    y = totals(page, y, bill.totals) + 6
    if bill.due:
        y += LEAD
        page.append(Text(RIGHT - 3, y, f"Please pay by {bill.due}", BOLD, SIZE, "right"))
    if bill.notes:
        y += 8
        page.append(Text(LEFT, y + 10, "NOTES", BOLD, 7.5))
        page.append(Rule(LEFT, y + 13, RIGHT, y + 13, 0.4))
        y += 13
        for note in bill.notes:
            for line in note:
                y += LEAD
                page.append(Text(LEFT, y, line, REGULAR, SIZE))
            y += 3
    return y


def _continuation(page: list[Op], y: float, bill: _Texts) -> float:
    """Whose statement the page continues: the practice's and the patient's names where
    they fit the line, else fewer words (page 1 has them whole)."""
    for text in (f"{bill.practice[0].text}  -  statement {bill.number} for "
                 f"{bill.patient[0].text}", f"Statement {bill.number} for {bill.patient[0].text}",
                 f"Statement {bill.number}, continued"):
        if text_width(text, REGULAR, SIZE) <= WIDTH:
            break
    page.append(Text(LEFT, y + 10, text, REGULAR, SIZE))
    return y + 16


__all__ = ["check_patient_statement", "patient_statement_pages",
           "write_patient_statement"]

"""The superbill: a statement of services the client submits to their insurer for
reimbursement, as a PDF (``superbill``) and as HTML (``superbill-html``), from the one
:class:`~payerkit.model.Claim`.

**Contents.** The practice (name, address, phone, NPI, tax id, licence), the treating
therapist when not the billing provider (name, NPI, licence), the patient (name, date of
birth, address), the insurance (insurer, member and group numbers, the policyholder when not
the patient), the referring provider and any prior authorization, the dates of service, the
diagnoses (ICD-10-CM codes with the code set's descriptions: simple-icd-10-cm's
``get_description``, cached), each service (date, place, CPT/HCPCS code and modifiers, a
short description, minutes, units, diagnosis letters, charge), the total charge, the amount
paid and the balance (or the client's credit), and a signature line for the provider. A
corrected claim (replacement or void) says so at the top.

**One statement, two renderings.** :func:`statement` builds every text once — names and
addresses in the characters payerkit prints on its forms (transliterated beyond
Windows-1252, as on the NF-3), identifiers exactly as given or refused — and both writers
render that same statement, so the PDF and the HTML never say different things.

**PDF**: US letter, vector lines and text in Liberation Sans, embedded (:mod:`.fonts`),
reportlab in invariant mode. One page holds the services of an ordinary claim;
a claim with more lines than fit continues on further pages (each repeats the header and
the patient), with the totals and the signature line on the last. A value wider than its
place wraps at spaces onto the lines it has, or is refused with
:class:`~payerkit.errors.FormatError` naming the claim field (never cut);
:func:`check_superbill` returns the same problems. In the services table the code and up to
four modifiers (the 837P's and the CMS-1500's limit) always fit their columns; payerkit's own
texts — the place of service's name and the description — wrap onto more lines of their row.

**HTML**: one document built with ``lxml.builder`` (no markup is assembled from strings, so
every value is escaped by lxml), with its own small stylesheet, printable on one page.

The minutes of each service are printed when the claim carries them (``ClaimLine.minutes``),
else ``N/A``. **Payments** (``Claim.amount_paid``, the visits' ``amount_paid``): none
recorded prints "none recorded" and the whole total as the balance due — what the practice's
records show as owed; a payment prints with the balance left. More paid than charged is not
a negative balance: the last total reads "Credit (paid above the charges)" with the
difference, and ``check`` returns a warning on ``amount_paid`` (the scrub names the visit's
``visits[i].amount_paid``) so that the payments are checked before the client gets it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from attrs import evolve, frozen

from ..model.claim import Claim
from ..model.program import Rendering
from ..rules.codes import PLACE_OF_SERVICE
from ..rules.money import total as money_total
from . import SUPERBILL, SUPERBILL_HTML
from .fonts import width as text_width
from .fonts import wrap
from .nf3 import (
    BOLD,
    NA,
    REGULAR,
    TAXONOMY_TITLES,
    Op,
    Rule,
    Sheet,
    Text,
    city_line,
    dated,
    day_text,
    icd_description,
    person_name,
    render_pdf,
    service_description,
    street,
    tax_id,
    us_date,
    writing_day,
)
from .options import WriteOptions
from .page import (
    BALANCE_DUE,
    CODE_COLUMN,
    DATE_COLUMN,
    LEAD,
    LEFT,
    MODIFIERS_COLUMN,
    RIGHT,
    ROW,
    SECOND_COLUMN,
    SIZE,
    TOTALS_WIDTH,
    WIDTH,
    Block,
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
    totals,
)
from .x12_limits import DIAGNOSIS_LETTERS, MAX_DIAGNOSES, MAX_MODIFIERS

FORM = "superbill"
RELATIONS = {"self": "Self", "spouse": "Spouse", "child": "Child", "other": "Other"}


@frozen
class ServiceLine:
    date: str
    place: str
    code: Value
    modifiers: Value
    description: str
    minutes: str
    units: str
    diagnoses: str
    charge: str


@frozen
class MissedRow:
    """A service recorded on a missed appointment, as the superbill lists it."""

    date: str
    kind: str
    code: Value
    description: str
    charge: str


#: How the superbill marks a missed appointment's charge (never among the billable lines).
MISSED_TITLE = "Missed appointment - the patient's charge, not billable to insurance"
MISSED_KINDS = {"no_show": "No-show", "late_cancel": "Late cancellation"}


def missed_note() -> str:
    """Why the charge is the patient's: the rule MISSED-APPOINTMENT-BILLED cites."""
    from ..checks import MISSED_APPOINTMENT

    return f"Not a service billable to insurance: {MISSED_APPOINTMENT}."


@frozen
class Statement:
    """Every text of a superbill, once: what both renderings show."""

    number: Value
    date: str
    correction: str | None
    practice: tuple[Value, ...]  # name, street, city line, phone
    provider_ids: tuple[tuple[str, Value], ...]  # (label, value)
    treating: tuple[tuple[str, Value], ...]
    patient: tuple[tuple[str, Value], ...]
    insurance: tuple[tuple[str, Value], ...]
    referral: tuple[tuple[str, Value], ...]
    dates: str
    diagnoses: tuple[tuple[str, Value, str], ...]  # (letter, code, description)
    lines: tuple[ServiceLine, ...]
    total: str
    paid: str  # the amount paid, or "none recorded"
    balance_label: str  # "Balance due", or the credit's label when more was paid than charged
    balance: str
    signer: Value
    #: Services on missed appointments: the patient's charge, listed apart from the lines and
    #: their total, and what they come to ("" when none).
    missed: tuple[MissedRow, ...] = ()
    missed_total: str = ""


def statement(claim: Claim, day: dt.date | None, sheet: Sheet, *,
              pdf: bool = False) -> Statement:
    """The superbill's texts, each checked (``sheet`` refuses what cannot be printed);
    ``pdf``: for the PDF, whose provider column takes the short name for paper forms when
    the name does not fit it (the HTML wraps the name). ``day``: the statement's date
    (``None``: the day of writing, printed when written)."""
    billing = claim.billing
    name_field, practice_values = practice(sheet, billing, "billing", fitted=pdf)
    tin_label = "Tax ID (SSN)" if billing.tax_id_type == "ssn" else "Tax ID (EIN)"
    provider_ids = (
        ("NPI", _id(sheet, "billing.npi", billing.npi, "NPI")),
        (tin_label, _id(sheet, "billing.tax_id", tax_id(billing.tax_id, billing.tax_id_type),
                        "tax id")),
        ("License", _id(sheet, "billing.license", billing.license, "licence", required=False)),
        ("Specialty", Value(TAXONOMY_TITLES.get(billing.taxonomy, (NA, NA))[1])),
    )
    treating: tuple[tuple[str, Value], ...] = ()
    if claim.rendering is not None:
        rendering = claim.rendering
        treating = (
            ("Treating therapist", Value(sheet.clean("rendering", person_name(rendering),
                                                     box="treating therapist", required=True),
                                         "rendering")),
            ("Therapist NPI", _id(sheet, "rendering.npi", rendering.npi, "NPI")),
            ("Therapist license", _id(sheet, "rendering.license", rendering.license, "licence",
                                      required=False)),
        )
    patient = claim.patient
    patient_items = (
        ("Patient", Value(sheet.clean("patient", person_name(patient), box="patient",
                                      required=True), "patient")),
        ("Date of birth", Value(us_date(patient.birth_date))),
        ("Address", Value(sheet.clean("patient.address.line1",
                                      f"{street(patient.address)}, {city_line(patient.address)}",
                                      box="address", required=True), "patient.address.line1")),
    )
    insurance = [
        ("Insurer", Value(sheet.clean("payer_name", claim.payer_name, box="insurer",
                                      required=True), "payer_name")),
        ("Member ID", _id(sheet, "member_id", claim.member_id, "member id",
                          required=not claim.employer_is_insured)),
        ("Group number", _id(sheet, "group_number", claim.group_number, "group number",
                             required=False)),
    ]
    if claim.property_casualty_claim_number:
        insurance.append(("Claim number", _id(sheet, "property_casualty_claim_number",
                                              claim.property_casualty_claim_number,
                                              "claim number")))
    if not claim.patient_is_insured:
        insurance += [
            ("Policyholder", Value(sheet.clean("insured", person_name(claim.insured),
                                               box="policyholder", required=True), "insured")),
            ("Patient is the policyholder's", Value(RELATIONS.get(claim.relation, NA).lower())),
        ]
    referral = []
    if claim.referring is not None:
        referral += [
            ("Referred by", Value(sheet.clean("referring", person_name(claim.referring),
                                              box="referring provider", required=True),
                                  "referring")),
            ("Referring NPI", _id(sheet, "referring.npi", claim.referring.npi, "NPI")),
        ]
    if claim.prior_authorization:
        referral.append(("Prior authorization", _id(sheet, "prior_authorization",
                                                    claim.prior_authorization, "authorization")))
    else:  # the lines under different authorizations: each, with the dates it covers
        for number in claim.authorizations:
            at = next(i for i, line in enumerate(claim.lines)
                      if line.prior_authorization == number)
            printed = _id(sheet, f"lines[{at}].prior_authorization", number, "authorization")
            span = date_span([line.date for line in claim.lines
                              if line.prior_authorization == number])
            referral.append(("Prior authorization", Value(f"{printed.text} (services {span})",
                                                          printed.field)))
    if claim.accident_date is not None:
        cause = {"auto": "Auto accident", "employment": "Injury at work"}.get(
            claim.related_cause or "", "Accident")
        where = f" ({claim.accident_state})" if claim.accident_state else ""
        referral.append((cause, Value(us_date(claim.accident_date) + where)))
    elif claim.onset_date is not None:
        referral.append(("Onset", Value(us_date(claim.onset_date))))

    if not claim.diagnoses:
        sheet.refuse("diagnoses", "required: a superbill states the diagnoses")
    if len(claim.diagnoses) > MAX_DIAGNOSES:
        sheet.refuse("diagnoses", f"at most {MAX_DIAGNOSES} diagnoses "
                     f"(A-{DIAGNOSIS_LETTERS[-1]}) on one claim")
    diagnoses = []
    for i, code in enumerate(claim.diagnoses[:MAX_DIAGNOSES]):
        printed = _id(sheet, f"diagnoses[{i}]", code, "diagnosis code")
        diagnoses.append((DIAGNOSIS_LETTERS[i], printed, sheet.clean("", icd_description(code),
                                                           box="description") or NA))
    lines = _service_lines(claim, sheet)
    total = sheet.money("total_charge", claim.total_charge)
    paid, balance_label, balance = _payment(claim, sheet)
    span = date_span([line.date for line in claim.lines])
    frequency, original = claim.frequency, claim.original_claim_number
    correction = None
    if frequency in ("7", "8"):
        number = sheet.identifier("original_claim_number", original, None,
                                  box="original claim number")
        correction = ("Corrected statement: replaces" if frequency == "7" else
                      "Void: cancels") + f" the claim the insurer numbered {number}"
    missed = tuple(MissedRow(
        us_date(m.date), MISSED_KINDS.get(m.attendance, m.attendance),
        _id(sheet, f"missed[{k}].code", m.code, "code"), service_description(m.code),
        sheet.money(f"missed[{k}].charge", m.charge)) for k, m in enumerate(claim.missed))
    missed_total = sheet.money("missed", money_total(m.charge for m in claim.missed)) \
        if claim.missed else ""
    signer_name = person_name(claim.rendering) if claim.rendering else billing.display_name
    return Statement(
        number=_id(sheet, "id", claim.id, "statement number"),
        date=day_text(day), correction=correction, practice=practice_values,
        provider_ids=provider_ids, treating=treating, patient=patient_items,
        insurance=tuple(insurance), referral=tuple(referral), dates=span,
        diagnoses=tuple(diagnoses), lines=tuple(lines), total=total, paid=paid,
        balance_label=balance_label, balance=balance,
        signer=Value(sheet.clean("rendering" if claim.rendering else name_field, signer_name,
                                 box="signature"),
                     "rendering" if claim.rendering else name_field),
        missed=missed, missed_total=missed_total,
    )


NO_PAYMENT = "none recorded"
CREDIT = "Credit (paid above the charges)"


def _payment(claim: Claim, sheet: Sheet) -> tuple[str, str, str]:
    """The amount paid, the label of the last total and its amount. No payment recorded:
    "none recorded", and the whole total is due. More paid than charged: the difference is a
    credit to the client, printed as such (never a negative balance), and a warning."""
    paid = claim.amount_paid
    if paid is None:
        return NO_PAYMENT, BALANCE_DUE, sheet.money("total_charge", claim.total_charge)
    printed = sheet.money("amount_paid", paid)
    if not isinstance(paid, Decimal) or not paid.is_finite() or paid < 0:
        return printed, BALANCE_DUE, NA  # refused by money()
    balance = claim.total_charge - paid
    if balance < 0:
        sheet.warn("amount_paid", "more was paid than the total charges: the statement shows "
                   "the difference as a credit to the client, not a balance due; check the "
                   "payments recorded for these visits")
        return printed, CREDIT, sheet.money("amount_paid", -balance)
    return printed, BALANCE_DUE, sheet.money("total_charge", balance)


def _id(sheet: Sheet, claim_field: str, value: str | None, box: str,
        required: bool = True) -> Value:
    return Value(sheet.identifier(claim_field, value, None, box=box, required=required),
                 claim_field)


def _service_lines(claim: Claim, sheet: Sheet) -> list[ServiceLine]:
    if not claim.lines:
        sheet.refuse("lines", "no service line to bill")
    diagnoses = min(len(claim.diagnoses), 12)
    lines = []
    for i, line in enumerate(claim.lines):
        name = f"lines[{i}]"
        if any(p < 1 or p > diagnoses for p in line.pointers):
            sheet.refuse(f"{name}.pointers", "points past the last diagnosis")
        if len(line.modifiers) > MAX_MODIFIERS:
            sheet.refuse(f"{name}.modifiers", f"at most {MAX_MODIFIERS} modifiers")
        modifiers = [sheet.identifier(f"{name}.modifiers", m, None, box="modifier")
                     for m in line.modifiers[:MAX_MODIFIERS]]
        minutes = line.minutes
        place = line.place_of_service
        lines.append(ServiceLine(
            date=us_date(line.date),
            place=f"{PLACE_OF_SERVICE.get(place, NA)} ({place})" if place in PLACE_OF_SERVICE
            else _id(sheet, f"{name}.place_of_service", place, "place of service").text,
            code=_id(sheet, f"{name}.code", line.code, "code"),
            modifiers=Value(" ".join(modifiers) or "-", f"{name}.modifiers"),
            description=service_description(line.code),
            minutes=str(minutes) if minutes is not None else NA,
            units=str(line.units),
            diagnoses=",".join(DIAGNOSIS_LETTERS[p - 1] for p in line.pointers if 1 <= p <= diagnoses)
            or NA,
            charge=sheet.money(f"{name}.charge", line.charge),
        ))
    return lines


# ---------------------------------------------------------------------------------------------
# PDF (laid out with the pieces of :mod:`.page`, which the patient statement shares)
# ---------------------------------------------------------------------------------------------

#: The services table: (caption, width, right-aligned, attribute of ServiceLine).
COLUMNS = (
    DATE_COLUMN,
    ("Place", 72.0, False, "place"),
    CODE_COLUMN,
    MODIFIERS_COLUMN,
    ("Description", 132.0, False, "description"),
    ("Minutes", 36.0, True, "minutes"),
    ("Units", 26.0, True, "units"),
    ("Diagnoses", 46.0, False, "diagnoses"),  # drawn 10 points in: after a number
    ("Charge ($)", 52.0, True, "charge"),
)
assert sum(column[1] for column in COLUMNS) == WIDTH
#: payerkit's own texts in the table, which wrap onto more lines of their row; the claim field
#: a refusal names (none is expected: a test prints every place and description).
WRAPPED = {"place": "place_of_service", "description": "code"}
SERVICES = Table("SERVICES", COLUMNS, wrapped=WRAPPED, indents={"diagnoses": 10.0})
FOOTER = ("Give this statement to your insurer with its claim form to ask for reimbursement. "
          "Prepared by payerkit from the practice's records.")


TITLE_PDF = "Superbill - statement of services"


def write_superbill(claim: Claim, options: WriteOptions) -> bytes:
    """The claim as a superbill, PDF bytes; raises FormatError naming the claim field of the
    first value it cannot carry."""
    return render_pdf(superbill_pages(claim, writing_day(options)), TITLE_PDF)


def render_superbill(claim: Claim) -> Rendering:
    """The superbill laid out on its pages (the day of writing left to
    :func:`payerkit.formats.nf3.dated`) and every problem: the PDF's rendering."""
    sheet = Sheet(FORM, dry_run=True)
    _layout(statement(claim, None, sheet, pdf=True), sheet)
    return Rendering(SUPERBILL, sheet.pages, sheet.found())


def write_superbill_rendering(rendering: Rendering, options: WriteOptions) -> bytes:
    """A rendered superbill (:func:`render_superbill`) as its PDF, dated the day of writing."""
    return render_pdf(dated(rendering.content, writing_day(options)), TITLE_PDF)


def check_superbill(claim: Claim) -> list[tuple[str, str]]:
    """Every problem that would stop :func:`write_superbill`, as ``[(claim field, problem)]``."""
    return list(render_superbill(claim).findings)


def superbill_pages(claim: Claim, day: dt.date) -> list[list[Op]]:
    """The laid-out pages: what :func:`write_superbill` draws."""
    sheet = Sheet(FORM)
    _layout(statement(claim, day, sheet, pdf=True), sheet)
    return sheet.pages


#: The totals, the signature line and its caption, below the last page's services.
CLOSING = 3 * ROW + 60.0


def _layout(bill: Statement, sheet: Sheet) -> None:
    # Every value is fitted first, so a refusal comes before any drawing.
    blocks = _blocks(bill, sheet)
    rows = [fit_row(SERVICES, line, i, sheet) for i, line in enumerate(bill.lines)]
    page = sheet.new_page()
    y = _header(page, bill)
    y = draw_blocks(page, y, blocks)
    y = _diagnoses(page, y, bill)
    notes = _missed_notes(bill)
    continue_table(sheet, page, y, SERVICES, rows, header=lambda page: _header(page, bill),
                   continuation=lambda page, y: _continuation(page, y, bill),
                   closing=lambda page, y: _closing(page, y, bill, notes),
                   closing_height=CLOSING + _missed_height(bill, notes))
    number_pages(sheet.pages, FOOTER)


def _header(page: list[Op], bill: Statement) -> float:
    return header(page, "SUPERBILL", "Statement of services for insurance reimbursement",
                  (f"Statement date  {bill.date}", f"Statement no.  {bill.number.text}",
                   f"Dates of service  {bill.dates}"), bill.correction)


def _blocks(bill: Statement, sheet: Sheet) -> list[list[Block]]:
    """The provider and patient blocks, two columns a row, every value fitted to its column."""
    rows = [[block(sheet, "Provider", LEFT, (), bill.practice),
             block(sheet, "Identifiers", SECOND_COLUMN, (*bill.provider_ids, *bill.treating))],
            [block(sheet, "Patient", LEFT, bill.patient),
             block(sheet, "Insurance", SECOND_COLUMN, bill.insurance)]]
    if bill.referral:
        rows.append([block(sheet, "Referral and injury", LEFT, bill.referral)])
    return rows


def _diagnoses(page: list[Op], y: float, bill: Statement) -> float:
    page.append(Text(LEFT, y + 10, "DIAGNOSES (ICD-10-CM)", BOLD, 7.5))
    page.append(Rule(LEFT, y + 13, RIGHT, y + 13, 0.4))
    y += 13
    description_width = WIDTH - 90
    for letter, code, description in bill.diagnoses:
        lines = wrap(description, description_width, REGULAR, SIZE) or [description]
        if len(lines) > 2:
            lines = lines[:1] + [_shorten(" ".join(lines[1:]), description_width)]
        y += LEAD
        page.append(Text(LEFT, y, letter, BOLD, SIZE))
        page.append(Text(LEFT + 14, y, code.text, REGULAR, SIZE))
        for k, line in enumerate(lines):
            page.append(Text(LEFT + 90, y + k * LEAD, line, REGULAR, SIZE))
        y += (len(lines) - 1) * LEAD
    return y + 10


def _shorten(text: str, width: float) -> str:
    """Code-set text on one line, whole words then ``...`` (the code itself is exact)."""
    words = text.split(" ")
    while words and text_width(" ".join(words) + " ...", REGULAR, SIZE) > width:
        words.pop()
    return " ".join(words) + " ..."


def _missed_notes(bill: Statement) -> list[str]:
    if not bill.missed:
        return []
    return wrap(missed_note(), WIDTH, REGULAR, 7.0) or [missed_note()]


def _missed_height(bill: Statement, notes: list[str]) -> float:
    """The missed appointments' section: its title, a row each, its total and its note."""
    return 0.0 if not bill.missed else 24 + (len(bill.missed) + 1) * ROW + len(notes) * 9 + 6


def _missed(page: list[Op], y: float, bill: Statement, notes: list[str]) -> float:
    """The missed appointments' charges, apart from the services and their total."""
    page.append(Text(LEFT, y + 18, MISSED_TITLE.upper(), BOLD, 7.5))
    page.append(Rule(LEFT, y + 21, RIGHT, y + 21, 0.4))
    y += 21
    for row in bill.missed:
        y += ROW
        page.append(Text(LEFT + 3, y - 3, row.date, REGULAR, SIZE))
        page.append(Text(LEFT + 66, y - 3, row.kind, REGULAR, SIZE))
        page.append(Text(LEFT + 160, y - 3, row.code.text, REGULAR, SIZE))
        page.append(Text(LEFT + 210, y - 3, row.description, REGULAR, SIZE))
        page.append(Text(RIGHT - 3, y - 3, row.charge, REGULAR, SIZE, "right"))
    y += ROW
    page.append(Text(RIGHT - TOTALS_WIDTH - 6, y - 3, "Patient's missed-appointment charges",
                     BOLD, SIZE, "right"))
    page.append(Text(RIGHT - 3, y - 3, bill.missed_total, BOLD, SIZE, "right"))
    for k, line in enumerate(notes):
        page.append(Text(LEFT, y + 9 + k * 9, line, REGULAR, 7.0))
    return y + len(notes) * 9 + 6


def _closing(page: list[Op], y: float, bill: Statement, notes: list[str] = ()) -> None:
    y = totals(page, y, (("Total charges", bill.total, BOLD), ("Amount paid", bill.paid, REGULAR),
                         (bill.balance_label, bill.balance, BOLD)))
    if bill.missed:
        y = _missed(page, y, bill, list(notes))
    y += 48
    page.append(Rule(LEFT, y, LEFT + 280, y, 0.8))
    page.append(Rule(LEFT + 310, y, LEFT + 430, y, 0.8))
    page.append(Text(LEFT, y + 10, f"Provider signature: {bill.signer.text}", REGULAR, 7.5))
    page.append(Text(LEFT + 310, y + 10, "Date", REGULAR, 7.5))


def _continuation(page: list[Op], y: float, bill: Statement) -> float:
    patient = bill.patient[0][1].text
    page.append(Text(LEFT, y + 10, f"{bill.practice[0].text}  -  patient {patient}, born "
                     f"{bill.patient[1][1].text}", REGULAR, SIZE))
    return y + 16


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #000; margin: 0; }
main.superbill { max-width: 7.5in; margin: 0.4in auto; }
header.top { display: flex; justify-content: space-between; border-bottom: 1.5px solid #000; }
h1 { font-size: 20pt; margin: 0; }
h2 { font-size: 8pt; text-transform: uppercase; border-bottom: 1px solid #000; margin: 10px 0 4px; }
.correction { border: 1.5px solid #000; font-weight: bold; text-align: center; padding: 3px; }
.blocks { display: flex; gap: 24px; }
.blocks section { flex: 1; }
dl { display: grid; grid-template-columns: 8.5em 1fr; margin: 0; }
dt { font-size: 8pt; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th { background: #e6e6e6; font-size: 8pt; text-align: left; padding: 2px 4px; }
td { border-bottom: 0.5px solid #888; padding: 2px 4px; }
.num { text-align: right; }
.totals td { border: none; font-weight: bold; }
.signature { margin-top: 40px; display: flex; gap: 30px; }
.signature div { border-top: 1px solid #000; padding-top: 2px; font-size: 8pt; }
footer { margin-top: 20px; font-size: 7pt; border-top: 0.5px solid #000; }
@media print { main.superbill { margin: 0; } }
"""


def write_superbill_html(claim: Claim, options: WriteOptions) -> bytes:
    """The claim as a superbill, one HTML document (UTF-8)."""
    return _html(statement(claim, writing_day(options), Sheet(FORM)))


def render_superbill_html(claim: Claim) -> Rendering:
    """The superbill's texts (:class:`Statement`, the day of writing left to the writer) and
    every problem: the HTML's rendering."""
    sheet = Sheet(FORM, dry_run=True)
    return Rendering(SUPERBILL_HTML, statement(claim, None, sheet), sheet.found())


def write_superbill_html_rendering(rendering: Rendering, options: WriteOptions) -> bytes:
    """A rendered superbill (:func:`render_superbill_html`) as its HTML, dated the day of
    writing."""
    return _html(evolve(rendering.content, date=us_date(writing_day(options))))


def _html(bill: Statement) -> bytes:
    """The statement as one HTML document (UTF-8)."""
    from lxml import etree
    from lxml.builder import E

    def pairs(items, css: str):
        children = []
        for label, value in items:
            children += [E.dt(label), E.dd(value.text)]
        return E.dl({"class": css}, *children)

    top = E.header({"class": "top"},
                   E.div(E.h1("Superbill"),
                         E.p("Statement of services for insurance reimbursement")),
                   pairs((("Statement date", Value(bill.date)), ("Statement no.", bill.number),
                          ("Dates of service", Value(bill.dates))), "statement"))
    body = [top]
    if bill.correction:
        body.append(E.p({"class": "correction"}, bill.correction))
    body.append(E.div({"class": "blocks"},
                      E.section({"class": "provider"}, E.h2("Provider"),
                                *[E.p({"class": "name"} if k == 0 else {}, value.text)
                                  for k, value in enumerate(bill.practice)]),
                      E.section({"class": "identifiers"}, E.h2("Identifiers"),
                                pairs((*bill.provider_ids, *bill.treating), "identifiers"))))
    body.append(E.div({"class": "blocks"},
                      E.section({"class": "patient"}, E.h2("Patient"),
                                pairs(bill.patient, "patient")),
                      E.section({"class": "insurance"}, E.h2("Insurance"),
                                pairs(bill.insurance, "insurance"))))
    if bill.referral:
        body.append(E.section({"class": "referral"}, E.h2("Referral and injury"),
                              pairs(bill.referral, "referral")))
    body.append(E.section(
        {"class": "diagnoses"}, E.h2("Diagnoses (ICD-10-CM)"),
        E.table(E.tbody(*[E.tr(E.td(letter), E.td({"class": "code"}, code.text),
                               E.td({"class": "description"}, description))
                          for letter, code, description in bill.diagnoses]))))
    head = E.tr(*[E.th({"class": "num"} if right else {}, caption)
                  for caption, _, right, _ in COLUMNS])
    rows = []
    for line in bill.lines:
        cells = []
        for _, _, right, attribute in COLUMNS:
            value = getattr(line, attribute)
            text = value.text if isinstance(value, Value) else value
            cells.append(E.td({"class": f"{attribute} num" if right else attribute}, text))
        rows.append(E.tr({"class": "line"}, *cells))
    span = str(len(COLUMNS) - 1)
    totals = [E.tr({"class": css}, E.td({"colspan": span, "class": "num"}, label),
                   E.td({"class": "num amount"}, amount))
              for css, label, amount in (
                  ("total", "Total charges", bill.total), ("paid", "Amount paid", bill.paid),
                  ("credit" if bill.balance_label == CREDIT else "balance", bill.balance_label,
                   bill.balance))]
    body.append(E.section({"class": "services"}, E.h2("Services"),
                          E.table(E.thead(head), E.tbody(*rows),
                                  E.tfoot({"class": "totals"}, *totals))))
    if bill.missed:
        body.append(E.section(
            {"class": "missed"}, E.h2(MISSED_TITLE),
            E.table(E.tbody(*[E.tr({"class": "missed-line"}, E.td(row.date), E.td(row.kind),
                                   E.td({"class": "code"}, row.code.text),
                                   E.td({"class": "description"}, row.description),
                                   E.td({"class": "num charge"}, row.charge))
                              for row in bill.missed]),
                    E.tfoot({"class": "totals"}, E.tr(
                        E.td({"colspan": "4", "class": "num"},
                             "Patient's missed-appointment charges"),
                        E.td({"class": "num amount"}, bill.missed_total)))),
            E.p({"class": "missed-note"}, missed_note())))
    body.append(E.section({"class": "signature"},
                          E.div({"style": "flex: 3"}, f"Provider signature: {bill.signer.text}"),
                          E.div({"style": "flex: 1"}, "Date")))
    body.append(E.footer(FOOTER))
    document = E.html({"lang": "en"},
                      E.head(E.meta(charset="utf-8"), E.title("Superbill"),
                             E.style(STYLE)),
                      E.body(E.main({"class": "superbill"}, *body)))
    return etree.tostring(document, method="html", encoding="utf-8", doctype="<!DOCTYPE html>",
                          pretty_print=True)


def check_superbill_html(claim: Claim) -> list[tuple[str, str]]:
    """Every problem that would stop :func:`write_superbill_html` (no widths: HTML wraps)."""
    return list(render_superbill_html(claim).findings)


__all__ = ["Statement", "check_superbill", "check_superbill_html", "render_superbill",
           "render_superbill_html", "statement", "superbill_pages", "write_superbill",
           "write_superbill_html", "write_superbill_html_rendering", "write_superbill_rendering"]

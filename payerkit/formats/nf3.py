"""New York no-fault NF-3 as a filled PDF: "Verification of Treatment by Attending Physician
or Other Provider of Health Service", drawn from the one :class:`~payerkit.model.Claim`.

**What it is.** The NF-3 is the prescribed proof of claim for health services under New York
no-fault (11 NYCRR Part 65, Regulation 68; NYS Form NF-3). Insurers must accept a
non-prescribed form with substantially the same information (a CMS-1500) but may demand the
NF-3 (11 NYCRR 65-3.5(f); All-Boro Med. Supplies v. Progressive, N.Y. Civ. Ct. Kings Co.,
Apr 15, 2008). Direct payment to the provider needs an executed assignment on the NF-3 or
the NF-AOB (11 NYCRR 65-3.11(b)(2)(i), (iii), quoted in DFS OGC Op. No. 06-05-07, May 12,
2006, which places the assignment in the NF-3's item 21).

**Items.** Drawn in the order of the NF-3's items as listed by a public document-extraction
field list and by nofaultcollectionlawyer.com "NYS Form NF-3" (research: claim-formats.md §4,
payer-rules-3.md §4.2, payer-rules.md §5.5; MEDIUM): provider; insurer and its claims
representative; policyholder, policy number, date of accident, claim number; patient, date
of birth, sex, occupation; diagnoses (ICD-10-CM, with the code set's descriptions); the
clinical questions; the report of services rendered (date, place of service with its ZIP
code, description, diagnosis letters, the fee schedule treatment code — the code and its
modifiers, in the form's one column —, charge, totals); the
treating provider when not the billing provider (name, title, licence, business
relationship); professional-corporation owners; still under care; the authorization /
assignment of benefits (65-3.11(b)) with its "previously executed" and "original signatures
on file" questions; signatures; IRS/TIN and the WCB rating code ("if none, specialty").

**Not confirmed** (said so in ``docs/paper-claims.md``): the prescribed form's layout and
item numbering were not seen, so the layout is payerkit's own and the page says so. The
assignment language is prescribed and may not be changed (11 NYCRR 65-3.11(b)(2)); the
NF-3's own wording (Appendix 13) was not read from a public copy, so the page prints no
assignment text of its own: with an assignment recorded it says "assignment on file: NYS
Form NF-AOB" and leaves the prescribed block to the signed original. The fraud warning
is the notice of N.Y. Insurance Law § 403(d) (nysenate.gov), which an insurer's approved
wording (11 NYCRR 86.4) may replace.

**Every box is filled** — with the claim's value, or ``N/A`` where the claim has nothing
for it — because insurers have denied bills for blank boxes (Exoto v. Progressive, 2011 NY
Slip Op 50329(U)). The clinical questions a massage therapist does not answer are ``N/A``.

**Values are never cut.** Names and addresses wrap onto the lines a box has, at spaces;
characters outside Windows-1252, the set payerkit prints on its forms, are transliterated
(``Łukasz`` → ``Lukasz``, as the 837P does), control characters become spaces.
Identifiers and codes are printed exactly or refused. A value that does not fit its box,
and a value the NF-3 needs that the claim lacks (the claim number, the accident date, the
treating provider's licence, the ZIP code of the place of service), raise
:class:`~payerkit.errors.FormatError` naming the claim field; :func:`check_nf3` runs the same
layout without drawing and returns every such problem, for the scrub. Only the code set's
diagnosis descriptions (not claim data: the code beside them is exact) are shortened, at a
word, with ``...`` when longer than their line.

**Pages.** Page 1 holds every item and as many service lines as fit; further lines continue
on continuation pages that repeat the patient, policy and claim numbers; each page prints
its own total, and the bill's total is on page 1 and on the last page.

The drawing is vector lines and text in Liberation Sans, embedded in the PDF (:mod:`.fonts`:
the page looks the same whatever fonts the reader's machine has), with reportlab (BSD
licence) in invariant mode, so the same claim and date give the same bytes. The helpers
under "Paper primitives" are shared with :mod:`.superbill`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from attrs import evolve, field, frozen

from ..errors import FormatError
from ..model.case import Address
from ..model.claim import Claim, ClaimLine
from ..model.program import Rendering
from ..rules.codes import PLACE_OF_SERVICE
from . import NF_3
from .fonts import SANS, SANS_BOLD, register, wrap
from .fonts import width as text_width
from .options import WriteOptions
from .x12 import transliterate
from .x12_limits import DIAGNOSIS_LETTERS, MAX_DIAGNOSES, MAX_MODIFIERS

# ---------------------------------------------------------------------------------------------
# Paper primitives (shared with the superbill): drawing operations, text in the characters
# payerkit prints (Windows-1252), wrapping without cutting, refusing with the claim field's name.
# ---------------------------------------------------------------------------------------------

#: US letter, in points.
PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0
REGULAR, BOLD = SANS, SANS_BOLD
#: What a box holds when the claim has nothing for it (no box is left blank).
NA = "N/A"
_ENCODING = "cp1252"  # the characters payerkit prints on a form (every font has them)


@frozen
class Text:
    """A line of text; ``y`` is its baseline measured from the top of the page."""

    x: float
    y: float
    text: str
    font: str = REGULAR
    size: float = 8.0
    align: str = "left"  # left | right | center (x is the left edge, right edge, or centre)

    @property
    def width(self) -> float:
        return text_width(self.text, self.font, self.size)

    @property
    def left(self) -> float:
        return {"left": self.x, "right": self.x - self.width}.get(self.align, self.x - self.width / 2)


@frozen
class Rule:
    """A straight line, from the top of the page."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.6


@frozen
class Rect:
    """A box (``y`` its top edge, from the top of the page); ``fill`` a grey level or ``None``."""

    x: float
    y: float
    w: float
    h: float
    width: float = 0.6
    fill: float | None = None


@frozen(eq=False)
class Graphic:
    """A drawing of reportlab's graphics (a :class:`reportlab.graphics.shapes.Drawing`, drawn
    in the embedded fonts: its ``initialFontName`` one of them), its top-left corner at
    ``x``, ``y`` from the top of the page."""

    x: float
    y: float
    drawing: object


Op = Text | Rule | Rect | Graphic


@frozen
class Cell:
    """A captioned box of one row: its caption, the lines of its value, its width."""

    caption: str
    lines: tuple[str, ...] = field(converter=tuple)
    width: float
    font: str = REGULAR
    size: float = 8.0
    align: str = "left"


class Sheet:
    """The pages being laid out, and the problems found: ``check`` mode records a problem and
    goes on with a placeholder, so the scrub names them all; ``write`` mode raises the first."""

    def __init__(self, form: str, *, dry_run: bool = False):
        self.form = form
        self.pages: list[list[Op]] = []
        self.problems: list[tuple[str, ...]] | None = [] if dry_run else None

    def new_page(self) -> list[Op]:
        self.pages.append([])
        return self.pages[-1]

    def refuse(self, claim_field: str, problem: str) -> None:
        if self.problems is None:
            raise FormatError(claim_field, problem)
        self.problems.append((claim_field, problem))

    def warn(self, claim_field: str, problem: str) -> None:
        """A value printed as it is but worth a look before the claim goes out: ``check``
        reports it as ``(claim field, problem, "warning")``, the writer goes on."""
        if self.problems is not None:
            self.problems.append((claim_field, problem, "warning"))

    def found(self) -> list[tuple[str, ...]]:
        """The problems, once each: ``(claim field, problem)`` stops the writer;
        ``(claim field, problem, "warning")`` does not."""
        return list(dict.fromkeys(self.problems or ()))

    # -- values -----------------------------------------------------------------------------

    def text(self, claim_field: str, value: str | None, width: float, lines: int = 1, *,
             box: str, size: float = 8.0, font: str = REGULAR,
             required: bool = False) -> tuple[str, ...]:
        """A name, an address or a description (:meth:`clean`), wrapped at spaces into at most
        ``lines`` lines of ``width`` points (:meth:`fit`)."""
        text = self.clean(claim_field, value, box=box, required=required)
        return (NA,) if text == NA else self.fit(claim_field, text, width, lines, box=box,
                                                 size=size, font=font)

    def clean(self, claim_field: str, value: str | None, *, box: str,
              required: bool = False) -> str:
        """A name or an address as a form prints it (:func:`printable_text`);
        ``None`` or nothing printable is ``N/A``, or refused when ``required``."""
        printable = printable_text(value or "")
        if not printable:
            if required:
                self.refuse(claim_field, f"required: the {self.form} has no blank {box} box")
            return NA
        return printable

    def fit(self, claim_field: str, text: str, width: float, lines: int = 1, *, box: str,
            size: float = 8.0, font: str = REGULAR) -> tuple[str, ...]:
        """``text`` wrapped at spaces into at most ``lines`` lines of ``width`` points; refused
        (naming ``claim_field``) when it does not fit: a value is never cut."""
        wrapped = wrap(text, width, font, size)
        if wrapped is None or len(wrapped) > lines:
            self.refuse(claim_field, f"too long for the {box} box of the {self.form} "
                        f"({_lines(lines)} of {width:.0f} points at {size:g} points); "
                        "a value is never cut: shorten it in the case")
            return tuple((wrapped or [text])[:lines])
        return tuple(wrapped)

    def provider_name(self, billing, width: float, lines: int = 1, *, box: str,
                      size: float = 8.0, font: str = REGULAR,
                      prefix: str = "billing") -> tuple[str, tuple[str, ...]]:
        """``(claim field, lines)``: the billing provider's name fitted to its box, or, when
        it does not fit, its name for paper forms (``provider.short_name``); never cut, and
        without a short name the refusal suggests one. ``prefix``: the field the provider
        is in the record being printed (a claim's ``billing``)."""
        field_ = f"{prefix}.name" if billing.is_organization else f"{prefix}.last_name"
        name = printable_text(billing.display_name or "")
        wrapped = wrap(name, width, font, size) if name else []
        if wrapped is not None and len(wrapped) <= lines:
            return field_, self.text(field_, billing.display_name, width, lines, box=box,
                                     size=size, font=font, required=True)
        if billing.short_name:
            return f"{prefix}.short_name", self.text(f"{prefix}.short_name", billing.short_name,
                                                   width, lines, box=box, size=size, font=font,
                                                   required=True)
        self.refuse(field_, f"too long for the {box} box of the {self.form} ({_lines(lines)} of "
                    f"{width:.0f} points at {size:g} points); a value is never cut: give "
                    "provider.short_name, the practice's name for paper forms")
        return field_, tuple((wrapped or [name])[:lines])

    def identifier(self, claim_field: str, value: str | None, width: float | None, *,
                   box: str, size: float = 8.0, font: str = REGULAR,
                   required: bool = True) -> str:
        """An identifier or code, printed exactly as given or refused (never altered, cut or
        transliterated); ``None`` is ``N/A`` unless ``required``. ``width``: the points it may
        take (``None``: no limit, for a medium that wraps)."""
        if value is None or not value.strip():
            if required:
                self.refuse(claim_field, f"required: the {self.form} has no blank {box} box")
            return NA
        problem = identifier_problem(value)
        if problem is not None:
            self.refuse(claim_field, problem)
            return NA
        if width is not None and text_width(value, font, size) > width:
            self.refuse(claim_field, f"too long for the {box} box of the {self.form} "
                        f"({width:.0f} points at {size:g} points); an identifier is never cut")
        return value

    def money(self, claim_field: str, amount: Decimal) -> str:
        """``1,234.50``; a negative or non-finite amount is refused."""
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
            self.refuse(claim_field, "expected an amount of zero or more")
            return "0.00"
        return f"{amount.quantize(Decimal('0.01')):,.2f}"


def _lines(n: int) -> str:
    return "one line" if n == 1 else f"{n} lines"


def _keep(char: str) -> bool:
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return False
    try:
        char.encode(_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=8192)
def printable_text(text: str) -> str:
    """``text`` as payerkit's forms print it: characters outside Windows-1252
    transliterated (anyascii, as the 837P's names), control and separator characters as a
    space, format and unassigned characters dropped, runs of spaces collapsed."""
    out = []
    for char in text:
        if char == " " or _keep(char):
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Zs", "Zl", "Zp"):
            out.append(" ")
        elif category not in ("Cf", "Cs", "Co", "Cn"):
            out.append(transliterate(char))
    return " ".join("".join(out).split())


def identifier_problem(value: str) -> str | None:
    """Why an identifier cannot be printed unchanged on a form, or ``None``.
    Never quotes the value."""
    if any(not _keep(char) for char in value):
        return ("contains a character the form cannot print (outside Windows-1252, or a "
                "control character); an identifier is never altered, "
                "correct it in the case")
    return None




def abbreviate(text: str, width: float, font: str, size: float) -> str:
    """Code-set text (not claim data) on one line: whole words, then ``...`` if it is longer."""
    text = printable_text(text)
    if text_width(text, font, size) <= width:
        return text
    words = text.split(" ")
    while words and text_width(" ".join(words) + " ...", font, size) > width:
        words.pop()
    return (" ".join(words) + " ...") if words else "..."


def us_date(day: dt.date | None) -> str:
    return day.strftime("%m/%d/%Y") if day is not None else NA


def zip_code(value: str) -> str:
    """``122070001`` → ``12207-0001``; anything else as given."""
    digits = value.replace("-", "")
    if digits.isdigit() and len(digits) == 9:
        return f"{digits[:5]}-{digits[5:]}"
    return value


def phone_number(value: str | None) -> str | None:
    if value is None:
        return None
    digits = "".join(c for c in value if c.isdigit())
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 else value


def tax_id(value: str, kind: str) -> str:
    digits = value.replace("-", "")
    if digits.isdigit() and len(digits) == 9:
        return f"{digits[:2]}-{digits[2:]}" if kind == "ein" else \
            f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return value


def street(address: Address) -> str:
    return f"{address.line1} {address.line2}" if address.line2 else address.line1


def city_line(address: Address) -> str:
    return f"{address.city}, {address.state} {zip_code(address.zip)}"


def person_name(person) -> str:
    return f"{person.first_name} {person.last_name}"


#: Short descriptions of the codes massage therapists bill — payerkit's own paraphrases
#: (payer-rules.md §10.3; CMS therapy code list), not the AMA's CPT descriptors.
SERVICE_DESCRIPTIONS = {
    "97124": "Therapeutic massage",
    "97140": "Manual therapy techniques",
    "97112": "Neuromuscular re-education",
    "97110": "Therapeutic exercise",
    "97116": "Gait training",
    "97530": "Therapeutic activities",
    "97535": "Self-care/home management training",
    "97010": "Hot or cold packs",
    "97026": "Infrared therapy",
    "97039": "Unlisted modality",
    "97139": "Unlisted therapeutic procedure",
}

#: Provider taxonomy → (title, specialty).
TAXONOMY_TITLES = {"225700000X": ("Licensed massage therapist", "Massage therapy")}


def service_description(code: str) -> str:
    return SERVICE_DESCRIPTIONS.get(code, "Health service (see treatment code)")


@functools.lru_cache(maxsize=4096)
def icd_description(code: str) -> str:
    """The ICD-10-CM code set's description of ``code`` (simple-icd-10-cm's ``get_description``,
    read from the small cached file of :mod:`payerkit.rules.icd10`: the package is not
    imported), or ``""``."""
    from ..rules import icd10  # the descriptions are loaded once, on first use

    return icd10.description(code) or ""


def render_pdf(pages: Sequence[Sequence[Op]], title: str) -> bytes:
    """Draw the pages with reportlab, the embedded fonts of :mod:`.fonts`, in invariant mode
    (no timestamps or random ids): the same pages give the same bytes. ``title`` holds no
    patient data."""
    from reportlab.pdfgen.canvas import Canvas  # imported when a PDF is written

    register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
                    initialFontName=REGULAR)
    canvas.setTitle(title)
    canvas.setAuthor("payerkit")
    canvas.setCreator("payerkit")
    for page in pages:
        for op in page:
            if isinstance(op, Text):
                canvas.setFont(op.font, op.size)
                y = PAGE_HEIGHT - op.y
                if op.align == "right":
                    canvas.drawRightString(op.x, y, op.text)
                elif op.align == "center":
                    canvas.drawCentredString(op.x, y, op.text)
                else:
                    canvas.drawString(op.x, y, op.text)
            elif isinstance(op, Graphic):
                from reportlab.graphics import renderPDF

                renderPDF.draw(op.drawing, canvas, op.x, PAGE_HEIGHT - op.y - op.drawing.height)
            elif isinstance(op, Rule):
                canvas.setLineWidth(op.width)
                canvas.line(op.x1, PAGE_HEIGHT - op.y1, op.x2, PAGE_HEIGHT - op.y2)
            else:
                canvas.setLineWidth(op.width or 0.1)
                if op.fill is not None:
                    canvas.setFillGray(op.fill)
                canvas.rect(op.x, PAGE_HEIGHT - op.y - op.h, op.w, op.h,
                            stroke=1 if op.width else 0, fill=1 if op.fill is not None else 0)
                canvas.setFillGray(0)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The NF-3.
# ---------------------------------------------------------------------------------------------

FORM = "NF-3"
TITLE = "VERIFICATION OF TREATMENT BY ATTENDING PHYSICIAN OR OTHER PROVIDER OF HEALTH SERVICE"
LEFT = 28.0
WIDTH = PAGE_WIDTH - 2 * LEFT
RIGHT = LEFT + WIDTH
TOP = 30.0
BOTTOM = PAGE_HEIGHT - 26.0
PAD = 3.0
CAPTION = 5.6  # caption size
VALUE = 8.0  # value size
LEAD = 9.6  # value line spacing
BAR = 11.0  # section bar height
ROW = 12.0  # service line height
#: Where the day of writing prints on a rendered page, until it is written (:func:`dated`):
#: a date takes its place whatever it is, so the layout does not depend on it.
DAY = "\x00DAY\x00"

#: The report of services: (caption, width in points, right-aligned).
COLUMNS = (
    ("DATE OF SERVICE", 50.0, False),
    ("PLACE OF SERVICE INCLUDING ZIP CODE", 112.0, False),
    ("DESCRIPTION OF TREATMENT OR HEALTH SERVICE RENDERED", 182.0, False),
    ("DIAG.", 32.0, False),
    # the NF-3's one "fee schedule treatment code" column: the code and its modifiers
    ("FEE SCHEDULE TREATMENT CODE", 108.0, False),
    ("CHARGES ($)", 72.0, True),
)
#: The column of the code and its modifiers.
CODE_COLUMN = 4
assert sum(width for _, width, _ in COLUMNS) == WIDTH

#: The clinical questions (answered N/A unless the claim knows the answer).
QUESTIONS = (
    "WHEN DID SYMPTOMS FIRST APPEAR?",
    "WHEN DID PATIENT FIRST CONSULT YOU FOR THIS CONDITION?",
    "HAS PATIENT EVER HAD SAME OR SIMILAR CONDITION? IF YES, STATE WHEN AND DESCRIBE",
    "IS CONDITION SOLELY A RESULT OF THIS AUTOMOBILE ACCIDENT? IF NO, EXPLAIN",
    "IS CONDITION DUE TO INJURY ARISING OUT OF PATIENT'S EMPLOYMENT?",
    "WILL INJURY RESULT IN SIGNIFICANT DISFIGUREMENT OR PERMANENT DISABILITY? IF YES, DESCRIBE",
    "PATIENT WAS DISABLED (UNABLE TO WORK) FROM",
    "PATIENT WAS DISABLED (UNABLE TO WORK) THROUGH",
    "IF STILL DISABLED, THE PATIENT SHOULD BE ABLE TO RETURN TO WORK ON",
    "WILL THE PATIENT REQUIRE REHABILITATION AND/OR OCCUPATIONAL THERAPY? IF YES, RECOMMENDATION",
    "IS PATIENT STILL UNDER YOUR CARE FOR THIS CONDITION?",
    "ESTIMATED DURATION OF FUTURE TREATMENT",
)

#: With an assignment recorded: where it is, never a text of payerkit's own standing for it.
#: The assignment language is prescribed and may not be changed (11 NYCRR 65-3.11(b)(2)); the
#: NF-3's own wording (11 NYCRR Appendix 13) was not read from a public copy, so the form
#: points to the executed NF-AOB, whose signed original carries the prescribed block.
ASSIGNMENT_ON_FILE = "ASSIGNMENT ON FILE: NYS FORM NF-AOB"
ASSIGNMENT = (
    "The patient's assignment of no-fault benefits to the "
    "provider named below was executed on the prescribed form (11 NYCRR 65-3.11(b)(2)(iii)); "
    "its prescribed language is not reproduced here. The original, signed by the patient and "
    "the provider, is on file with the provider and is the assignment."
)
NO_ASSIGNMENT = (
    "No assignment of benefits is on file: the insurer pays the patient (11 NYCRR 65-3.11(a))."
)
#: N.Y. Insurance Law § 403(d): the notice every claim form carries (an insurer's approved
#: wording under 11 NYCRR 86.4 may differ).
FRAUD_WARNING = (
    "Any person who knowingly and with intent to defraud any insurance company or other person "
    "files an application for insurance or statement of claim containing any materially false "
    "information, or conceals for the purpose of misleading, information concerning any fact "
    "material thereto, commits a fraudulent insurance act, which is a crime, and shall also be "
    "subject to a civil penalty not to exceed five thousand dollars and the stated value of the "
    "claim for each such violation."
)
FOOTER = ("NYS Form NF-3 items, laid out by payerkit (not a facsimile of the prescribed form; "
          "see docs/paper-claims.md).")
RELATIONSHIPS = {"employee": "Employee", "independent_contractor": "Independent contractor",
                 "other": "Other"}


TITLE_PDF = "NYS Form NF-3 - Verification of Treatment"


def write_nf3(claim: Claim, options: WriteOptions) -> bytes:
    """The claim as a filled NF-3, PDF bytes; raises FormatError naming the claim field of the
    first value the form cannot carry."""
    return render_pdf(nf3_pages(claim, writing_day(options)), TITLE_PDF)


def render_nf3(claim: Claim) -> Rendering:
    """The claim laid out on the NF-3's pages (the day of writing left to :func:`dated`) and
    every problem, ``(claim field, problem[, "warning"])``: the layout goes on past each."""
    sheet = Sheet(FORM, dry_run=True)
    _layout(claim, None, sheet)
    return Rendering(NF_3, sheet.pages, sheet.found())


def write_nf3_rendering(rendering: Rendering, options: WriteOptions) -> bytes:
    """A rendered claim (:func:`render_nf3`) as the NF-3's PDF, dated the day of writing."""
    return render_pdf(dated(rendering.content, writing_day(options)), TITLE_PDF)


def check_nf3(claim: Claim) -> list[tuple[str, str]]:
    """Every problem that would stop :func:`write_nf3`, as ``[(claim field, problem)]``: the
    same layout, not drawn, going on past each problem."""
    return list(render_nf3(claim).findings)


def nf3_pages(claim: Claim, day: dt.date) -> list[list[Op]]:
    """The laid-out pages: what :func:`write_nf3` draws (tests read positions from them)."""
    sheet = Sheet(FORM)
    _layout(claim, day, sheet)
    return sheet.pages


def writing_day(options: WriteOptions) -> dt.date:
    """The day of writing: ``options.now``'s, else today."""
    return (options.now or dt.datetime.now()).date()


def day_text(day: dt.date | None) -> str:
    """The day as a form prints it; ``None``: the day of writing, printed when written
    (:data:`DAY`)."""
    return DAY if day is None else us_date(day)


def dated(pages: Sequence[Sequence[Op]], day: dt.date) -> list[list[Op]]:
    """Rendered pages with the day of writing in its places (:data:`DAY`)."""
    text = us_date(day)
    return [[evolve(op, text=op.text.replace(DAY, text))
             if type(op) is Text and DAY in op.text else op for op in page] for page in pages]


def _layout(claim: Claim, day: dt.date | None, sheet: Sheet) -> None:
    rows = _service_rows(claim, sheet)
    total = sheet.money("total_charge", claim.total_charge) if claim.lines else "0.00"
    ident = _identification(claim, sheet)
    page = sheet.new_page()
    top = _header(page, claim, day, sheet, first=True)
    y = _first_page_items(page, top, claim, sheet, ident)
    bottom = _measure(lambda scratch, spare: _first_page_bottom(scratch, 0.0, claim, spare, day, ident))
    continuation = _measure(lambda scratch, spare: _continuation_identification(
        scratch, _header(scratch, claim, day, spare, first=False), ident))
    fit_first = max(1, int((BOTTOM - bottom - y - _table_overhead()) // ROW))
    per_page = int((BOTTOM - continuation - _table_overhead()) // ROW)
    chunks = [rows[:fit_first]]
    rest = rows[fit_first:]
    while rest:
        chunks.append(rest[:per_page])
        rest = rest[per_page:]
    pages = len(chunks)
    y = _services(page, y, chunks[0], total, 1, pages)
    _first_page_bottom(page, y, claim, sheet, day, ident)
    for number, chunk in enumerate(chunks[1:], start=2):
        page = sheet.new_page()
        y = _continuation_identification(page, _header(page, claim, day, sheet, first=False), ident)
        _services(page, y, chunk, total, number, pages)
    for number, page in enumerate(sheet.pages, start=1):
        page.append(Text(RIGHT, TOP + 8, f"PAGE {number} OF {pages}", REGULAR, 7, "right"))
        page.append(Rule(LEFT, BOTTOM + 4, RIGHT, BOTTOM + 4, 0.3))
        page.append(Text(LEFT, BOTTOM + 12, FOOTER, REGULAR, 5.6))
        page.append(Text(RIGHT, BOTTOM + 12, f"NF-3 PAGE {number} OF {pages}", REGULAR, 5.6,
                         "right"))


def _measure(draw) -> float:
    """How far down ``draw(page, sheet)`` goes from the top of a scratch page (its problems are
    the real pass's, found there)."""
    return draw([], Sheet(FORM, dry_run=True))


# -- the parts of a page ----------------------------------------------------------------------


def _row(page: list[Op], y: float, cells: Sequence[Cell], lines: int = 1) -> float:
    """Captioned boxes side by side, as tall as the longest caption (wrapped) and ``lines``
    value lines; the row's bottom."""
    captions = [wrap(cell.caption, cell.width - 2 * PAD, REGULAR, CAPTION) or [cell.caption]
                for cell in cells]
    top = 6.2 + (max(len(c) for c in captions) - 1) * 6.0
    height = top + lines * LEAD + 3.6
    x = LEFT
    for cell, caption in zip(cells, captions, strict=True):
        page.append(Rect(x, y, cell.width, height))
        for j, text in enumerate(caption):
            page.append(Text(x + PAD, y + 6.2 + j * 6.0, text, REGULAR, CAPTION))
        for i, line in enumerate(cell.lines):
            baseline = y + top + (i + 1) * LEAD
            if cell.align == "right":
                page.append(Text(x + cell.width - PAD, baseline, line, cell.font, cell.size,
                                 "right"))
            else:
                page.append(Text(x + PAD, baseline, line, cell.font, cell.size))
        x += cell.width
    return y + height


def _bar(page: list[Op], y: float, title: str) -> float:
    page.append(Rect(LEFT, y, WIDTH, BAR, fill=0.86))
    page.append(Text(LEFT + PAD, y + 8.0, title, BOLD, 7.0))
    return y + BAR


def _header(page: list[Op], claim: Claim, day: dt.date | None, sheet: Sheet, *,
            first: bool) -> float:
    page.append(Text(LEFT, TOP + 8, "NYS FORM NF-3", BOLD, 8.5))
    page.append(Text(PAGE_WIDTH / 2, TOP + 8, "NEW YORK MOTOR VEHICLE NO-FAULT INSURANCE LAW",
                     REGULAR, 7, "center"))
    page.append(Text(PAGE_WIDTH / 2, TOP + 21, TITLE if first else TITLE + " (CONTINUED)",
                     BOLD, 9.5 if first else 8.5, "center"))
    bill = sheet.identifier("id", claim.id, 160, box="provider's bill number", size=7)
    page.append(Text(LEFT, TOP + 33, f"PROVIDER'S BILL NO.  {bill}", REGULAR, 7))
    page.append(Text(RIGHT, TOP + 33, f"BILL DATE  {day_text(day)}", REGULAR, 7, "right"))
    y = TOP + 38
    frequency, original = claim.frequency, claim.original_claim_number
    if frequency in ("7", "8"):
        number = sheet.identifier("original_claim_number", original, 220,
                                  box="original claim number", size=8, font=BOLD)
        what = "CORRECTED BILL: REPLACES" if frequency == "7" else "VOID: CANCELS"
        page.append(Rect(LEFT, y, WIDTH, 13, width=1.2))
        page.append(Text(PAGE_WIDTH / 2, y + 9.5, f"{what} THE PRIOR BILL (INSURER'S CLAIM "
                         f"CONTROL NO. {number})", BOLD, 8, "center"))
        y += 16
    return y


def _identification(claim: Claim, sheet: Sheet) -> dict[str, tuple[str, ...]]:
    """The values repeated on continuation pages, fitted once (each problem reported once)."""
    return {
        "policyholder": sheet.text("insured", person_name(claim.insured),
                                   WIDTH * 0.34 - 2 * PAD, box="policyholder", required=True),
        "policy": (sheet.identifier("member_id", claim.member_id, WIDTH * 0.22 - 2 * PAD,
                                    box="policy number"),),
        "accident": (_accident_date(claim, sheet),),
        "claim": (sheet.identifier("property_casualty_claim_number",
                                   claim.property_casualty_claim_number, WIDTH * 0.26 - 2 * PAD,
                                   box="claim number"),),
        "patient": sheet.text("patient", person_name(claim.patient), WIDTH * 0.52 - 2 * PAD,
                              box="patient's name", required=True),
        "provider": sheet.provider_name(claim.billing, WIDTH * 0.42 - 2 * PAD,
                                        box="provider's name")[1],
        "tin": (sheet.identifier("billing.tax_id", tax_id(claim.billing.tax_id,
                                                          claim.billing.tax_id_type),
                                 WIDTH * 0.20 - 2 * PAD, box="IRS/TIN"),),
    }


def _accident_date(claim: Claim, sheet: Sheet) -> str:
    if claim.accident_date is None:
        sheet.refuse("accident_date", "required: the NF-3 bills a motor-vehicle accident's "
                     "injuries and has no blank date of accident box")
    return us_date(claim.accident_date)


def _first_page_items(page: list[Op], y: float, claim: Claim, sheet: Sheet,
                      ident: dict[str, tuple[str, ...]]) -> float:
    half = WIDTH / 2
    inner = half - 2 * PAD
    billing = claim.billing
    provider = [
        *sheet.provider_name(billing, inner, box="provider's name")[1],
        *sheet.text("billing.address.line1", street(billing.address), inner,
                    box="provider's address", required=True),
        *sheet.text("billing.address.city", city_line(billing.address), inner,
                    box="provider's address", required=True),
        "NPI " + sheet.identifier("billing.npi", billing.npi, 60, box="provider's NPI")
        + "     PHONE " + sheet.identifier("billing.phone", phone_number(billing.phone), 100,
                                           box="provider's phone", required=False),
        "LICENSE NO. " + sheet.identifier("billing.license", billing.license, inner - 50,
                                          box="provider's licence", required=False),
    ]
    insurer = list(sheet.text("payer_name", claim.payer_name, inner, 2, box="insurer's name",
                              required=True))
    address = claim.payer_address
    if address is not None:
        insurer += [*sheet.text("payer_address.line1", street(address), inner,
                                box="insurer's address", required=True),
                    *sheet.text("payer_address.city", city_line(address), inner,
                                box="insurer's address", required=True)]
    else:
        insurer.append(f"Address: {NA}")
    y = _row(page, y, [Cell("PROVIDER'S NAME AND ADDRESS", provider, half),
                       Cell("NAME AND ADDRESS OF INSURER OR SELF-INSURER", insurer, half)], 5)
    y = _row(page, y, [Cell("NAME, ADDRESS AND PHONE NUMBER OF INSURER'S CLAIMS REPRESENTATIVE",
                            [NA], WIDTH)])
    y = _row(page, y, [
        Cell("POLICYHOLDER", ident["policyholder"], WIDTH * 0.34),
        Cell("POLICY NUMBER", ident["policy"], WIDTH * 0.22),
        Cell("DATE OF ACCIDENT", ident["accident"], WIDTH * 0.18),
        Cell("CLAIM NUMBER", ident["claim"], WIDTH * 0.26),
    ])
    patient = claim.patient
    home = sheet.text("patient.address.line1",
                      f"{street(patient.address)}, {city_line(patient.address)}",
                      WIDTH * 0.52 - 2 * PAD, 2, box="patient's address", required=True)
    y = _row(page, y, [
        Cell("PATIENT'S NAME AND ADDRESS", [*ident["patient"], *home], WIDTH * 0.52),
        Cell("DATE OF BIRTH", [us_date(patient.birth_date)], WIDTH * 0.14),
        Cell("SEX", [SEXES.get(patient.sex, NA)], WIDTH * 0.10),
        Cell("OCCUPATION (IF KNOWN)", [NA], WIDTH * 0.24),
    ], 3)
    y = _bar(page, y, "INFORMATION ABOUT THE CONDITION")
    y = _diagnoses(page, y, claim, sheet)
    return _questions(page, y, claim)


SEXES = {"F": "Female", "M": "Male"}


def _diagnoses(page: list[Op], y: float, claim: Claim, sheet: Sheet) -> float:
    lines = []
    if not claim.diagnoses:
        sheet.refuse("diagnoses", "required: the NF-3 has no blank diagnosis box")
    if len(claim.diagnoses) > MAX_DIAGNOSES:
        sheet.refuse("diagnoses", f"at most {MAX_DIAGNOSES} diagnoses "
                     f"(A-{DIAGNOSIS_LETTERS[-1]}) on one claim")
    for i, code in enumerate(claim.diagnoses[:MAX_DIAGNOSES]):
        code = sheet.identifier(f"diagnoses[{i}]", code, 60, box="diagnosis code")
        description = abbreviate(icd_description(code), WIDTH - 2 * PAD - 76, REGULAR, 7.5)
        lines.append((DIAGNOSIS_LETTERS[i], code, description or NA))
    height = 6.2 + max(1, len(lines)) * 9.0 + 3.6
    page.append(Rect(LEFT, y, WIDTH, height))
    page.append(Text(LEFT + PAD, y + 6.2, "DIAGNOSIS AND CONCURRENT CONDITIONS (ICD-10-CM CODES, "
                     "WITH THE CODE SET'S DESCRIPTIONS)", REGULAR, CAPTION))
    for i, (letter, code, description) in enumerate(lines or [("", NA, "")]):
        baseline = y + 6.2 + (i + 1) * 9.0
        page.append(Text(LEFT + PAD, baseline, letter, BOLD, 7.5))
        page.append(Text(LEFT + PAD + 10, baseline, code, REGULAR, 8))
        page.append(Text(LEFT + PAD + 76, baseline, description, REGULAR, 7.5))
    return y + height


def _questions(page: list[Op], y: float, claim: Claim) -> float:
    employment = "YES" if claim.related_cause == "employment" else "NO"
    first_visit = claim.first_visit_date
    answers = [NA, us_date(first_visit), NA, NA, employment, NA, NA, NA, NA, NA, NA, NA]
    half = WIDTH / 2
    question_width = half - 84
    height = 17.0
    for i, (question, answer) in enumerate(zip(QUESTIONS, answers, strict=True)):
        x = LEFT + (i % 2) * half
        top = y + (i // 2) * height
        page.append(Rect(x, top, half, height))
        page.append(Rule(x + question_width, top, x + question_width, top + height, 0.4))
        for j, line in enumerate(wrap(question, question_width - 2 * PAD, REGULAR, CAPTION) or []):
            page.append(Text(x + PAD, top + 6.4 + j * 6.4, line, REGULAR, CAPTION))
        page.append(Text(x + question_width + PAD, top + 11.5, answer, REGULAR, VALUE))
    return y + 6 * height


def _table_overhead() -> float:
    return BAR + 16.0 + 2 * ROW  # the bar, the column captions, the two total rows


@frozen
class _ServiceRow:
    cells: tuple[str, ...]  # every column's text but the charge
    charge: Decimal
    printed: str  # the charge as printed




def _service_rows(claim: Claim, sheet: Sheet) -> list[_ServiceRow]:
    """Each line's cells, fitted, and its charge."""
    if not claim.lines:
        sheet.refuse("lines", "no service line to bill")
    rows = []
    widths = [width - 2 * PAD for _, width, _ in COLUMNS]
    diagnoses = min(len(claim.diagnoses), 12)
    for i, line in enumerate(claim.lines):
        name = f"lines[{i}]"
        room = widths[CODE_COLUMN]
        code = sheet.identifier(f"{name}.code", line.code, room, box="treatment code")
        modifiers = [sheet.identifier(f"{name}.modifiers", m, room, box="treatment code")
                     for m in line.modifiers]
        treatment = " ".join([code, *modifiers])
        if len(line.modifiers) > MAX_MODIFIERS:
            sheet.refuse(f"{name}.modifiers", f"at most {MAX_MODIFIERS} modifiers")
        elif text_width(treatment, REGULAR, VALUE) > room:
            sheet.refuse(f"{name}.modifiers", "too many modifiers for the NF-3's treatment code "
                         "column; a value is never cut")
        if any(p < 1 or p > diagnoses for p in line.pointers):
            sheet.refuse(f"{name}.pointers", "points past the last diagnosis")
        pointers = ",".join(DIAGNOSIS_LETTERS[p - 1] for p in line.pointers if 1 <= p <= diagnoses) or NA
        units = f"{line.units} unit" + ("s" if line.units != 1 else "")
        cells = (us_date(line.date), _place(claim, line, i, sheet),
                 f"{service_description(line.code)}, {units}", pointers, treatment)
        rows.append(_ServiceRow(cells, line.charge, sheet.money(f"{name}.charge", line.charge)))
    return rows


def _place(claim: Claim, line: ClaimLine, index: int, sheet: Sheet) -> str:
    """The place of service with its ZIP code: the office is the billing address, the home the
    patient's; for any other place payerkit does not know the address."""
    code = line.place_of_service
    address = {"11": claim.billing.address, "12": claim.patient.address}.get(code)
    if address is None:
        sheet.refuse(f"lines[{index}].place_of_service", "the NF-3 needs the place of service's "
                     "ZIP code: payerkit knows it only for an office (11: the billing address) "
                     "or the patient's home (12)")
        return NA
    where = "billing.address.zip" if code == "11" else "patient.address.zip"
    printed = sheet.identifier(where, zip_code(address.zip), 50, box="place of service's ZIP "
                               "code", size=7.5)
    return f"{PLACE_OF_SERVICE[code]} ({code}), ZIP {printed}"


def _services(page: list[Op], y: float, rows: Sequence[_ServiceRow], total: str, number: int,
              pages: int) -> float:
    y = _bar(page, y, "REPORT OF SERVICES RENDERED" + (" (CONTINUED)" if number > 1 else ""))
    x = LEFT
    for caption, width, _ in COLUMNS:
        page.append(Rect(x, y, width, 16.0))
        for j, text in enumerate(wrap(caption, width - 2 * PAD, REGULAR, CAPTION) or [caption]):
            page.append(Text(x + PAD, y + 6.4 + j * 6.4, text, REGULAR, CAPTION))
        x += width
    y += 16.0
    for row in rows:
        x = LEFT
        for c, ((_, width, right), text) in enumerate(zip(COLUMNS, (*row.cells, row.printed),
                                                          strict=True)):
            page.append(Rect(x, y, width, ROW, width=0.4))
            size = 7.5 if c == 1 else VALUE
            if right:
                page.append(Text(x + width - PAD, y + 8.8, text, REGULAR, size, "right"))
            else:
                page.append(Text(x + PAD, y + 8.8, text, REGULAR, size))
            x += width
        y += ROW
    page_total = sum((row.charge for row in rows), Decimal("0"))
    label_width = WIDTH - COLUMNS[-1][1]
    more = " (CONTINUED ON THE NEXT PAGE)" if number < pages else ""
    y = _total_row(page, y, f"TOTAL CHARGES THIS PAGE{more}", f"{page_total:,.2f}", label_width)
    if number in (1, pages):
        label = f"TOTAL CHARGES TO DATE: {NA}        TOTAL CHARGES THIS BILL" + \
            (f" (PAGES 1-{pages})" if pages > 1 else "")
        return _total_row(page, y, label, total, label_width, bold=True)
    return _total_row(page, y, f"TOTAL CHARGES THIS BILL: ON PAGES 1 AND {pages}", "",
                      label_width)


def _total_row(page: list[Op], y: float, label: str, amount: str, label_width: float,
               bold: bool = False) -> float:
    page.append(Rect(LEFT, y, label_width, ROW, width=0.4))
    page.append(Rect(LEFT + label_width, y, WIDTH - label_width, ROW, width=0.4))
    page.append(Text(LEFT + label_width - PAD, y + 8.8, label, BOLD if bold else REGULAR, 6.5,
                     "right"))
    if amount:
        page.append(Text(RIGHT - PAD, y + 8.8, amount, BOLD if bold else REGULAR, VALUE, "right"))
    return y + ROW


ASSIGNMENT_HEIGHT = 50.0
WARNING_SIZE, WARNING_LEAD = 5.8, 6.8


def _first_page_bottom(page: list[Op], y: float, claim: Claim, sheet: Sheet,
                       day: dt.date | None, ident: dict[str, tuple[str, ...]]) -> float:
    """The treating provider, the owners, the assignment, the signatures and the notice."""
    y = _bar(page, y + 4, "IF TREATING PROVIDER IS DIFFERENT THAN BILLING PROVIDER")
    rendering = claim.rendering
    if rendering is None:
        treating = [NA, NA, NA, NA]
        if not claim.billing.license:
            sheet.refuse("billing.license", "the NF-3 asks for the treating provider's licence "
                         "or certification number")
    else:
        title = TAXONOMY_TITLES.get(rendering.taxonomy or claim.billing.taxonomy, (NA, NA))[0]
        treating = [
            sheet.text("rendering", person_name(rendering), WIDTH * 0.28 - 2 * PAD,
                       box="treating provider's name", required=True)[0],
            title,
            sheet.identifier("rendering.license", rendering.license, WIDTH * 0.20 - 2 * PAD,
                             box="treating provider's licence or certification number"),
            RELATIONSHIPS.get(rendering.relationship or "", NA),
        ]
    y = _row(page, y, [
        Cell("TREATING PROVIDER'S NAME", [treating[0]], WIDTH * 0.28),
        Cell("TITLE", [treating[1]], WIDTH * 0.22),
        Cell("LICENSE OR CERTIFICATION NO.", [treating[2]], WIDTH * 0.20),
        Cell("BUSINESS RELATIONSHIP (EMPLOYEE / INDEPENDENT CONTRACTOR / OTHER)",
             [treating[3]], WIDTH * 0.30),
    ])
    y = _row(page, y, [
        Cell("IF THE PROVIDER OF SERVICE IS A PROFESSIONAL SERVICE CORPORATION OR DOING BUSINESS "
             "UNDER AN ASSUMED NAME (DBA), LIST THE OWNERS AND THEIR PROFESSIONAL LICENSING "
             "CREDENTIALS", [NA], WIDTH)])
    y = _bar(page, y, "AUTHORIZATION TO PAY BENEFITS / ASSIGNMENT OF NO-FAULT BENEFITS "
             "(11 NYCRR 65-3.11(b))")
    y = _assignment(page, y, claim)
    assigned = claim.benefits_assigned
    y = _row(page, y, [
        Cell("SIGNATURE OF PATIENT OR AUTHORIZED PERSON (ASSIGNOR)",
             ["SIGNATURE ON FILE" if assigned else NA], WIDTH * 0.42),
        Cell("DATE SIGNED", ["ON FILE" if assigned else NA], WIDTH * 0.16),
        Cell("PROVIDER'S NAME (ASSIGNEE)", ident["provider"], WIDTH * 0.42),
    ])
    taxonomy = TAXONOMY_TITLES.get(claim.billing.taxonomy)
    on_file = claim.provider_signature_on_file
    y = _row(page, y, [
        Cell("IRS/TIN IDENTIFICATION NUMBER", ident["tin"], WIDTH * 0.20),
        Cell("WCB RATING CODE (IF NONE, SPECIALTY)",
             [f"Specialty: {taxonomy[1]}" if taxonomy else NA], WIDTH * 0.26),
        Cell("SIGNATURE OF PROVIDER", ["SIGNATURE ON FILE" if on_file else ""], WIDTH * 0.38),
        Cell("DATE", [day_text(day) if on_file else ""], WIDTH * 0.16),
    ])
    y += 4
    for line in wrap("NOTICE: " + FRAUD_WARNING, WIDTH, REGULAR, WARNING_SIZE) or []:
        y += WARNING_LEAD
        page.append(Text(LEFT, y, line, REGULAR, WARNING_SIZE))
    return y + 2


def _assignment(page: list[Op], y: float, claim: Claim) -> float:
    height = ASSIGNMENT_HEIGHT
    page.append(Rect(LEFT, y, WIDTH, height))
    assigned = claim.benefits_assigned
    _checkbox(page, LEFT + PAD, y + 3, False, "AUTHORIZATION TO PAY BENEFITS")
    _checkbox(page, LEFT + 160, y + 3, assigned, "ASSIGNMENT OF NO-FAULT BENEFITS")
    lines = [(ASSIGNMENT_ON_FILE, BOLD)] if assigned else []
    lines += [(line, REGULAR) for line in wrap(ASSIGNMENT if assigned else NO_ASSIGNMENT,
                                               WIDTH - 2 * PAD, REGULAR, 6.8) or []]
    for i, (line, font) in enumerate(lines):
        page.append(Text(LEFT + PAD, y + 20 + i * 8, line, font, 6.8))
    answers = (("HAS AN ORIGINAL AUTHORIZATION OR ASSIGNMENT PREVIOUSLY BEEN EXECUTED?",
                "YES" if assigned else "NO"),
               ("IS THE ORIGINAL SIGNATURE OF THE PARTIES ON FILE?", "YES" if assigned else NA))
    for k, (question, answer) in enumerate(answers):
        x = LEFT + PAD + k * WIDTH / 2
        page.append(Text(x, y + height - 5, question, REGULAR, CAPTION))
        page.append(Text(x + text_width(question, REGULAR, CAPTION) + 6, y + height - 5, answer,
                         BOLD, VALUE))
    return y + height


def _checkbox(page: list[Op], x: float, y: float, checked: bool, label: str) -> None:
    page.append(Rect(x, y, 8, 8, width=0.8))
    if checked:
        page.append(Text(x + 4, y + 6.9, "X", BOLD, 7.5, "center"))
    page.append(Text(x + 12, y + 7, label, BOLD, 7))


def _continuation_identification(page: list[Op], y: float,
                                 ident: dict[str, tuple[str, ...]]) -> float:
    y = _row(page, y, [Cell("PROVIDER'S NAME", ident["provider"], WIDTH * 0.52),
                       Cell("IRS/TIN IDENTIFICATION NUMBER", ident["tin"], WIDTH * 0.48)])
    y = _row(page, y, [Cell("PATIENT'S NAME", ident["patient"], WIDTH * 0.52),
                       Cell("DATE OF ACCIDENT", ident["accident"], WIDTH * 0.48)])
    return _row(page, y, [Cell("POLICYHOLDER", ident["policyholder"], WIDTH * 0.34),
                          Cell("POLICY NUMBER", ident["policy"], WIDTH * 0.22),
                          Cell("CLAIM NUMBER", ident["claim"], WIDTH * 0.44)])


__all__ = ["DAY", "check_nf3", "dated", "day_text", "nf3_pages", "render_nf3", "write_nf3",
           "write_nf3_rendering", "writing_day"]

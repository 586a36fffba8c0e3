"""CMS-1500 (02/12): the box values of a claim, and where each one goes — one mapping for both
CMS-1500 formats.

:func:`form_pages` turns a :class:`~payerkit.model.Claim` into the values of every box the
claim has something for, page by page; :mod:`.cms1500_pdf` draws the whole form around them
(``cms-1500``) and :mod:`.cms1500_red` prints them alone onto the pre-printed red form
(``cms-1500-red``). Both place every value on the same character grid (:data:`FIELDS`), so the
two can never say different things, and neither says anything the 837P does not (the
crosswalk of claim-formats.md §1.10 is tested box by box, ``tests/formats/test_cms1500*.py``).

**Sources.** NUCC, *1500 Health Insurance Claim Form Reference Instruction Manual for Form
Version 02/12*, version 8.0 (7/20) — the edition seen, as a copy; nucc.org lists versions
through 11.0 (7/23) for the unchanged 02/12 form, and payer instructions take precedence
(NUCC FAQ); its item instructions as quoted by the speedysoftusa knowledge base (items 5,
11, 12, 24A, 26; MEDIUM).
Print rules: NGS Medicare paper-claim reminder (Aug 9, 2023). The grid: OpenEMR's
``src/Billing/Hcfa1500.php`` positions (research claim-formats.md §3.3; a working
implementation, SECONDARY) on the 10-characters-per-inch, 6-lines-per-inch matrix, placed
on the page at the NUCC print specification's offsets as quoted by 222health.com (left
0.3 in; the first body row, item 1, 1.33 in from the top — SECONDARY). Where the research
marks an item unconfirmed, the NUCC manual's general rule is followed, and said so below.

**The rules followed** (``docs/paper-claims.md`` has the table):

* Upper case; no punctuation or symbols in addresses (item 5: ``123 N Main Street 101``,
  not ``123 N. Main Street, #101``), apostrophes and periods dropped, other symbols a space;
  names ``LAST, FIRST`` with the comma NUCC uses as the separator, hyphens kept, periods
  dropped (items 2, 4); the referring provider first name first (item 17); ZIP codes of 5
  or 9 digits without a hyphen; telephone digits without hyphen or space (item 33; the
  patient's telephone is not reported, as NUCC recommends).
* Dates ``MM DD YYYY`` in the birth-date items (3, 11a) and ``MM DD YY`` in 14, 15, 24A and
  31 — one width for all the others, as the manual asks (per-box widths are unconfirmed in
  the research: the general rule). No slashes.
* Money: dollars right-justified in the dollar area and cents in the cents area, no ``$``,
  no decimal point, no commas (24F, 28, 29). Each page of a claim of more than six lines is
  a claim of its own, totalled on its own (box 28 per page), with what was paid for its own
  lines' visits in box 29 (a visit's payment on the form of its first line).
* Item 21: ICD indicator ``0`` (ICD-10-CM), codes A–L without the decimal point; 24E the
  pointer letters, primary first, at most four, no commas.
* Qualifiers: 14 ``431`` (onset; DTP*431), 15 ``439`` (accident; DTP*439), 17 ``DN``
  (referring provider, 17b its NPI), 11b ``Y4`` + the property-casualty claim number (auto
  and workers' compensation), 24I/J and 33b ``ZZ`` + taxonomy where the 837P sends it
  (PRV), written without a separator in 33b as the manual asks; the payer's own id for the
  practice or the therapist (``payer_assigned_id``, the 837P's ``REF*G2``) takes their
  place as ``G2`` + id (qualifier G2, provider commercial number).
* 10a/10b/10c: ``X`` in YES or NO on each line; 10b with the accident's state.
* 22: resubmission code ``7``/``8`` and the payer's original claim number, only on a
  replacement or void (the manual: not for original claims). A replacement or void of more
  than six lines is refused on paper: each form would carry the code and the reference and
  read as a replacement of its own, while a replacement is the complete claim (NUCC item
  22); the 837P (one claim) takes it.
* 12, 13, 31: ``SIGNATURE ON FILE`` when the claim says so (CLM09, CLM08, CLM06), the date
  of writing in 31; 27 accept assignment (CLM07); 25 the tax id digits with SSN/EIN.
* 11d is ``NO``: payerkit's claims carry no other payer (the 837P has no 2320 loop).
* Workers' compensation (the employer is the insured, as in the 837P's 2010BA): 4 the
  employer's name and 7 its address ("for workers' compensation claims, enter the name of
  the Employer" / "the address of the Employer": NUCC items 4 and 7 as quoted by the
  speedysoftusa knowledge base, MEDIUM); 1a the member id the payer gave (NUCC item 1a:
  "the appropriate identifier of the employee", as quoted by primecaremedicalbilling.com,
  MEDIUM); 6 ``Other`` (the 837P's PAT01 ``20``, employee, has no box of its own); 11a
  blank (it is the insured's birth date and sex: an employer has neither — payerkit's
  reading); 11 the group number when the case gives one, as for any claim.
* 26 (patient's account number — "strongly encouraged but not required on a paper claim";
  "do not enter hyphens", item 26 as quoted by speedysoftusa) carries the claim id exactly as
  the 837P's CLM01, so a paper remittance names the same number: payerkit's generated ids
  have 14 letters and digits; a case's ``claim_id`` the box cannot hold so (longer than 14, or
  with a hyphen or other symbol) refuses the paper claim, naming ``claim.claim_id``.

**Never cut.** A value a box cannot hold is cleaned by the NUCC rule above (punctuation;
further given names to their initials, as the manual's "first name, middle initial"; a
practice name longer than box 33 gives way to the provider's ``short_name`` for paper forms) or
refused with :class:`~payerkit.errors.FormatError` naming the claim field, never its
content; :func:`check_cms1500` returns every such problem, for the scrub. Identifiers and
codes are printed exactly as the 837P writes them (ASCII letters upper-cased) or refused
for the same reasons; the prior authorization number loses its hyphens and spaces, as item
23 asks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from attrs import evolve, field, frozen

from ..errors import FormatError
from ..model.case import Address, Person, Practitioner
from ..model.claim import Claim, ClaimLine
from ..model.program import Rendering
from . import CMS_1500, CMS_1500_RED
from .x12 import ASCII_UPPER, clean, identifier_problem
from .x12_limits import DIAGNOSIS_LETTERS, EARLIEST_DATE, LATEST_DATE

# ---------------------------------------------------------------------------------- the grid

#: 10 characters per inch, 6 lines per inch: a cell is 7.2 × 12 points (Courier 12 pt).
CELL_WIDTH = 72 / 10
CELL_HEIGHT = 72 / 6
PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0  # US Letter, points
#: Where the grid's line 1 / column 1 begins on the page, in points from the top and the
#: left edge: 2 lines (1/3 in) down, so that item 1's row begins 1.33 in from the top, and
#: 3 columns (0.3 in) in — the NUCC print specification's offsets as quoted by 222health.
#: A starting calibration: ``cms1500_red`` adds a printer's own offset.
ORIGIN_TOP = 2 * CELL_HEIGHT
ORIGIN_LEFT = 3 * CELL_WIDTH
#: The Courier baseline sits this far below the top of its cell.
BASELINE = 9.5
LINES_PER_PAGE = 6
FONT_SIZE = 12  # the font: formats.fonts.MONO


def column_x(col: float, offset_columns: float = 0.0) -> float:
    """The left edge of grid column ``col`` (1-based; fractions allowed), in points."""
    return ORIGIN_LEFT + (col - 1 + offset_columns) * CELL_WIDTH


def line_top(line: float, offset_lines: float = 0.0) -> float:
    """The top of grid line ``line`` (1-based), in points from the top of the page."""
    return ORIGIN_TOP + (line - 1 + offset_lines) * CELL_HEIGHT


def cell_of(x: float, top: float, bottom: float, offset_lines: float = 0.0,
            offset_columns: float = 0.0) -> tuple[int, int]:
    """The grid cell ``(line, column)`` of a character printed at ``x`` (its left edge) between
    ``top`` and ``bottom`` (points from the top of the page): what a reader of the PDF sees."""
    col = round((x - ORIGIN_LEFT) / CELL_WIDTH - offset_columns) + 1
    line = math.floor(((top + bottom) / 2 - ORIGIN_TOP) / CELL_HEIGHT - offset_lines) + 1
    return line, col


@frozen
class Box:
    """A box of the form on the grid: lines ``top`` up to (not including) ``bottom``; from
    ``left`` to ``right`` in column units (``30.5`` is the middle of column 30)."""

    id: str
    top: int
    bottom: int
    left: float
    right: float


@frozen
class Field:
    """Where one value prints: ``width`` cells from ``col`` on ``line``, inside ``box``;
    ``right``-aligned fields (dollars) end at the field's last cell."""

    key: str
    box: str
    line: int
    col: int
    width: int
    align: str = "left"


_EDGE_L, _EDGE_R = 0.6, 79.5  # the form's outer border


def _row(top: int, bottom: int, *parts: tuple[str, float, float]) -> list[Box]:
    return [Box(id_, top, bottom, left, right) for id_, left, right in parts]


#: Column borders of item 24 (also drawn down through the six service lines).
COLUMNS_24 = {"24A.from": (_EDGE_L, 9.5), "24A.to": (9.5, 18.5), "24B": (18.5, 21.5),
              "24C": (21.5, 24.5), "24D": (24.5, 32.5), "24D.mod": (32.5, 44.5),
              "24E": (44.5, 49.5), "24F": (49.5, 58.5), "24G": (58.5, 62.5),
              "24H": (62.5, 64.5), "24I": (64.5, 67.5), "24J": (67.5, _EDGE_R)}

BOXES: dict[str, Box] = {b.id: b for b in [
    Box("carrier", 2, 6, 40.5, _EDGE_R),
    *_row(7, 9, ("1", _EDGE_L, 49.5), ("1a", 49.5, _EDGE_R)),
    *_row(9, 11, ("2", _EDGE_L, 30.5), ("3", 30.5, 49.5), ("4", 49.5, _EDGE_R)),
    *_row(11, 13, ("5", _EDGE_L, 30.5), ("6", 30.5, 49.5), ("7", 49.5, _EDGE_R)),
    *_row(13, 15, ("5.city", _EDGE_L, 25.5), ("5.state", 25.5, 30.5),
          ("7.city", 49.5, 73.5), ("7.state", 73.5, _EDGE_R)),
    Box("8", 13, 17, 30.5, 49.5),
    *_row(15, 17, ("5.zip", _EDGE_L, 14.5), ("5.phone", 14.5, 30.5),
          ("7.zip", 49.5, 64.5), ("7.phone", 64.5, _EDGE_R)),
    *_row(17, 19, ("9", _EDGE_L, 30.5), ("10", 30.5, 49.5), ("11", 49.5, _EDGE_R)),
    *_row(19, 21, ("9a", _EDGE_L, 30.5), ("10a", 30.5, 49.5), ("11a", 49.5, _EDGE_R)),
    *_row(21, 23, ("9b", _EDGE_L, 30.5), ("10b", 30.5, 49.5), ("11b", 49.5, _EDGE_R)),
    *_row(23, 25, ("9c", _EDGE_L, 30.5), ("10c", 30.5, 49.5), ("11c", 49.5, _EDGE_R)),
    *_row(25, 27, ("9d", _EDGE_L, 30.5), ("10d", 30.5, 49.5), ("11d", 49.5, _EDGE_R)),
    *_row(27, 31, ("12", _EDGE_L, 49.5), ("13", 49.5, _EDGE_R)),
    *_row(31, 33, ("14", _EDGE_L, 29.5), ("15", 29.5, 49.5), ("16", 49.5, _EDGE_R)),
    *_row(33, 35, ("17", _EDGE_L, 28.5), ("18", 49.5, _EDGE_R)),
    Box("17a", 33, 34, 28.5, 49.5), Box("17b", 34, 35, 28.5, 49.5),
    *_row(35, 37, ("19", _EDGE_L, 49.5), ("20", 49.5, _EDGE_R)),
    Box("21", 37, 41, _EDGE_L, 49.5), Box("22", 37, 39, 49.5, _EDGE_R),
    Box("23", 39, 41, 49.5, _EDGE_R),
    Box("24", 41, 43, _EDGE_L, _EDGE_R),
    *[Box(f"{col}.{n}", 42 + 2 * n, 43 + 2 * n, left, right)
      for n in range(1, LINES_PER_PAGE + 1) for col, (left, right) in COLUMNS_24.items()],
    *[Box(f"24.shaded.{n}", 41 + 2 * n, 42 + 2 * n, _EDGE_L, 64.5)
      for n in range(1, LINES_PER_PAGE + 1)],
    *[Box(f"24I.shaded.{n}", 41 + 2 * n, 42 + 2 * n, 64.5, 67.5)
      for n in range(1, LINES_PER_PAGE + 1)],
    *[Box(f"24J.shaded.{n}", 41 + 2 * n, 42 + 2 * n, 67.5, _EDGE_R)
      for n in range(1, LINES_PER_PAGE + 1)],
    *_row(55, 57, ("25", _EDGE_L, 22.5), ("26", 22.5, 37.5), ("27", 37.5, 49.5),
          ("28", 49.5, 61.5), ("29", 61.5, 71.5), ("30", 71.5, _EDGE_R)),
    Box("31", 57, 62, _EDGE_L, 21.5),
    *_row(57, 61, ("32", 21.5, 49.0), ("33", 49.0, _EDGE_R)),
    *_row(61, 62, ("32a", 21.5, 34.5), ("32b", 34.5, 49.0), ("33a", 49.0, 62.0),
          ("33b", 62.0, _EDGE_R)),
]}

#: Check boxes: key → (line, column); each holds one ``X``.
CHECKBOXES = {
    "1.medicare": (8, 1), "1.medicaid": (8, 8), "1.tricare": (8, 15), "1.champva": (8, 24),
    "1.group": (8, 31), "1.feca": (8, 39), "1.other": (8, 45),
    "3.m": (10, 42), "3.f": (10, 47),
    "6.self": (12, 33), "6.spouse": (12, 38), "6.child": (12, 42), "6.other": (12, 47),
    "10a.yes": (20, 35), "10a.no": (20, 41), "10b.yes": (22, 35), "10b.no": (22, 41),
    "10c.yes": (24, 35), "10c.no": (24, 41),
    "11a.m": (20, 68), "11a.f": (20, 75), "11d.yes": (26, 52), "11d.no": (26, 57),
    "20.yes": (36, 52), "20.no": (36, 57),
    "25.ssn": (56, 17), "25.ein": (56, 19), "27.yes": (56, 38), "27.no": (56, 43),
}


def _fields() -> list[Field]:
    f = [Field(f"carrier.{i}", "carrier", 1 + i, 41, 38) for i in range(1, 5)]
    f += [Field(key, key.split(".")[0], line, col, 1) for key, (line, col) in CHECKBOXES.items()]
    f += [
        Field("1a", "1a", 8, 50, 29),
        Field("2", "2", 10, 1, 28),
        Field("3.mm", "3", 10, 31, 2), Field("3.dd", "3", 10, 34, 2), Field("3.yy", "3", 10, 37, 4),
        Field("4", "4", 10, 50, 28),
        Field("5.street", "5", 12, 1, 28), Field("7.street", "7", 12, 50, 28),
        Field("5.city", "5.city", 14, 1, 24), Field("5.state", "5.state", 14, 26, 2),
        Field("7.city", "7.city", 14, 50, 23), Field("7.state", "7.state", 14, 74, 2),
        Field("5.zip", "5.zip", 16, 1, 9), Field("7.zip", "7.zip", 16, 50, 9),
        Field("11", "11", 18, 50, 29),
        Field("11a.mm", "11a", 20, 53, 2), Field("11a.dd", "11a", 20, 56, 2),
        Field("11a.yy", "11a", 20, 59, 4),
        Field("10b.state", "10b", 22, 45, 2),
        Field("11b.qual", "11b", 22, 50, 2), Field("11b", "11b", 22, 54, 25),
        Field("12", "12", 29, 7, 17), Field("13", "13", 29, 55, 17),
        Field("14.mm", "14", 32, 2, 2), Field("14.dd", "14", 32, 5, 2), Field("14.yy", "14", 32, 8, 2),
        Field("14.qual", "14", 32, 16, 3),
        Field("15.qual", "15", 32, 31, 3),
        Field("15.mm", "15", 32, 37, 2), Field("15.dd", "15", 32, 40, 2), Field("15.yy", "15", 32, 43, 2),
        Field("17.qual", "17", 34, 1, 2), Field("17", "17", 34, 4, 24),
        Field("17b", "17b", 34, 33, 10),
        Field("19", "19", 36, 1, 48),
        Field("21.ind", "21", 37, 42, 1),
        *[Field(f"21.{letter}", "21", 38 + i // 4, 3 + 13 * (i % 4), 7)
          for i, letter in enumerate(DIAGNOSIS_LETTERS)],
        Field("22.code", "22", 38, 50, 1), Field("22.ref", "22", 38, 62, 17),
        Field("23", "23", 40, 50, 28),
        Field("25", "25", 56, 1, 15), Field("26", "26", 56, 23, 14),
        Field("28.dollars", "28", 56, 52, 5, "right"), Field("28.cents", "28", 56, 58, 2),
        Field("29.dollars", "29", 56, 63, 4, "right"), Field("29.cents", "29", 56, 68, 2),
        Field("31", "31", 60, 1, 20), Field("31.date", "31", 61, 6, 8),
        *[Field(f"32.{i}", "32", 57 + i, 23, 26) for i in (1, 2, 3)],
        *[Field(f"33.{i}", "33", 57 + i, 50, 29) for i in (1, 2, 3)],
        Field("33.area", "33", 57, 66, 3), Field("33.phone", "33", 57, 70, 7),
        Field("32a", "32a", 61, 23, 10), Field("33a", "33a", 61, 50, 10),
        Field("33b", "33b", 61, 63, 16),
    ]
    for n in range(1, LINES_PER_PAGE + 1):
        line = 42 + 2 * n
        f += [
            Field(f"24.{n}.from.mm", f"24A.from.{n}", line, 1, 2),
            Field(f"24.{n}.from.dd", f"24A.from.{n}", line, 4, 2),
            Field(f"24.{n}.from.yy", f"24A.from.{n}", line, 7, 2),
            Field(f"24.{n}.to.mm", f"24A.to.{n}", line, 10, 2),
            Field(f"24.{n}.to.dd", f"24A.to.{n}", line, 13, 2),
            Field(f"24.{n}.to.yy", f"24A.to.{n}", line, 16, 2),
            Field(f"24.{n}.b", f"24B.{n}", line, 19, 2),
            Field(f"24.{n}.d", f"24D.{n}", line, 25, 7),
            *[Field(f"24.{n}.mod{m}", f"24D.mod.{n}", line, 33 + 3 * (m - 1), 2) for m in (1, 2, 3, 4)],
            Field(f"24.{n}.e", f"24E.{n}", line, 45, 4),
            Field(f"24.{n}.f.dollars", f"24F.{n}", line, 50, 5, "right"),
            Field(f"24.{n}.f.cents", f"24F.{n}", line, 56, 2),
            Field(f"24.{n}.g", f"24G.{n}", line, 59, 3),
            Field(f"24.{n}.j", f"24J.{n}", line, 68, 10),
            Field(f"24.{n}.i.shaded", f"24I.shaded.{n}", line - 1, 65, 2),
            Field(f"24.{n}.j.shaded", f"24J.shaded.{n}", line - 1, 68, 11),
        ]
    return f


#: Every place a value can print: key → :class:`Field`.
FIELDS: dict[str, Field] = {f.key: f for f in _fields()}

# ------------------------------------------------------------------------------ the values


@frozen
class Page:
    """One printed form: ``values`` maps :data:`FIELDS` keys to the text in that field."""

    number: int
    count: int
    values: dict[str, str]
    lines: tuple[ClaimLine, ...] = field(converter=tuple)
    total: Decimal = Decimal(0)


class _Problems:
    """Collects ``(claim field, problem)``; a refused value is left out so the run goes on."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def refuse(self, field_: str, problem: str) -> None:
        if (field_, problem) not in self.found:
            self.found.append((field_, problem))


_DROPPED = re.compile(r"['\".]")
_NAME_OTHER = re.compile(r"[^A-Z0-9 \-]")
_ORG_OTHER = re.compile(r"[^A-Z0-9 \-&]")
_ADDRESS_OTHER = re.compile(r"[^A-Z0-9 ]")
SIGNATURE_ON_FILE = "SIGNATURE ON FILE"
_INSURANCE_TYPE = {"MB": "medicare", "MA": "medicare", "MC": "medicaid", "CH": "tricare",
                   "VA": "champva"}
#: Filing indicators of plans a group (an employer) may hold: box 1 "Group Health Plan"
#: when the claim has a group number; NUCC puts commercial insurance without a group,
#: HMOs, auto, liability and workers' compensation under "Other".
_GROUP_CAPABLE = frozenset({"CI", "BL", "FI"})
#: Item 6 has four boxes; the injured worker (the 837P's PAT01 20, employee) is "Other".
_RELATION = {"self": "6.self", "spouse": "6.spouse", "child": "6.child", "other": "6.other",
             "employee": "6.other"}
_CAUSE = {"employment": "10a", "auto": "10b", "other": "10c"}


def insurance_type(claim: Claim) -> str:
    """Box 1's check box (``group``, ``other``, ``medicare``...) for the claim's SBR09."""
    indicator = claim.filing_indicator
    if indicator in _INSURANCE_TYPE:
        return _INSURANCE_TYPE[indicator]
    if indicator in _GROUP_CAPABLE and claim.group_number:
        return "group"
    return "other"


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def name_text(value: str | None, organization: bool = False) -> str:
    """A name as NUCC prints it: transliterated, upper case, apostrophes, quotes and periods
    dropped (``O'Brien`` → ``OBRIEN``, ``Jr.`` → ``JR``), hyphens kept (and ``&`` in an
    organization's name), any other symbol a space."""
    text = _DROPPED.sub("", clean(value or ""))
    return _squeeze((_ORG_OTHER if organization else _NAME_OTHER).sub(" ", text))


def address_text(value: str | None) -> str:
    """An address line as NUCC prints it: no punctuation or other symbols (item 5: ``123 N
    Main Street 101``, not ``123 N. Main Street, #101``)."""
    text = _DROPPED.sub("", clean(value or ""))
    return _squeeze(_ADDRESS_OTHER.sub(" ", text))


def _initials(given: str) -> str:
    """``MARIA ELENA`` → ``MARIA E``: the first given name and the others' initials."""
    words = given.split()
    return " ".join(words[:1] + [w[0] for w in words[1:]])


class _Mapper:
    def __init__(self, claim: Claim):
        self.claim = claim
        self.problems = _Problems()
        self.values: dict[str, str] = {}

    # -- small pieces ----------------------------------------------------------------------

    def refuse(self, field_: str, problem: str) -> None:
        self.problems.refuse(field_, problem)

    def put(self, key: str, text: str) -> None:
        width = FIELDS[key].width
        if len(text) > width:  # pragma: no cover - every caller checks its width first
            raise AssertionError(f"{key}: {len(text)} characters in a field of {width}")
        if text:
            self.values[key] = text

    def check(self, key: str) -> None:
        self.values[key] = "X"

    def ident(self, value: str | None, field_: str, key: str, what: str,
              width: int | None = None) -> str | None:
        """An identifier or code, exactly as the 837P writes it, or refused."""
        if not value:
            self.refuse(field_, f"required ({what})")
            return None
        problem = identifier_problem(value)
        if problem is not None:
            self.refuse(field_, problem)
            return None
        text = value.translate(ASCII_UPPER)
        limit = width or FIELDS[key].width
        if len(text) > limit:
            self.refuse(field_, f"{what} holds {limit} characters on the CMS-1500; this one is "
                        f"{len(text)}: an identifier is never cut")
            return None
        return text

    def date(self, value: dt.date | None, field_: str, prefix: str, four_digit_year: bool) -> None:
        if not isinstance(value, dt.date) or not EARLIEST_DATE <= value <= LATEST_DATE:
            self.refuse(field_, f"must be a date from {EARLIEST_DATE.isoformat()} to "
                        f"{LATEST_DATE.isoformat()}")
            return
        self.put(f"{prefix}.mm", f"{value.month:02d}")
        self.put(f"{prefix}.dd", f"{value.day:02d}")
        self.put(f"{prefix}.yy", f"{value.year:04d}" if four_digit_year else f"{value.year % 100:02d}")

    def person_name(self, person: Person | Practitioner, field_: str, key: str, what: str,
                    last_first: bool = True) -> None:
        """``LAST, FIRST`` (items 2, 4) or ``FIRST LAST`` (item 17); further given names become
        initials when the name is too long, and a name is never cut."""
        last = name_text(person.last_name)
        first = name_text(person.first_name)
        if not last:
            self.refuse(f"{field_}.last_name", "required, and nothing of it is left in the "
                        "letters and digits the CMS-1500 takes")
            return
        width = FIELDS[key].width
        for given in (first, _initials(first)):
            text = (f"{last}, {given}" if last_first else f"{given} {last}") if given else last
            if len(text) <= width:
                self.put(key, text)
                return
        culprit = "last_name" if len(last) + (3 if last_first else 2) > width else "first_name"
        shape = "'LAST, FIRST' (further given names as initials)" if last_first else "the name"
        self.refuse(f"{field_}.{culprit}", f"{what} holds {width} characters for {shape}; this "
                    "name is longer and is never cut: shorten it in the case")

    def street(self, address: Address, field_: str, key: str, what: str) -> None:
        line1 = address_text(address.line1)
        line2 = address_text(address.line2)
        if not line1:
            self.refuse(f"{field_}.line1", "required, and nothing of it is left in the letters "
                        "and digits the CMS-1500 takes")
            return
        text = f"{line1} {line2}" if line2 else line1
        width = FIELDS[key].width
        if len(text) > width:
            culprit = "line1" if len(line1) > width else "line2"
            self.refuse(f"{field_}.{culprit}", f"{what} holds {width} characters for the street "
                        "(line 1 and line 2 on one line); this address is longer and is never "
                        "cut: shorten it in the case (a USPS abbreviation: ST, AVE, STE)")
            return
        self.put(key, text)

    def city(self, address: Address, field_: str) -> str | None:
        city = address_text(address.city)
        if len(city) < 2:
            self.refuse(f"{field_}.city", "required: at least 2 letters")
            return None
        return city

    def state(self, value: str | None, field_: str) -> str | None:
        if not value or len(value) != 2 or identifier_problem(value) or not value.isalpha():
            self.refuse(field_, "must be a 2-letter state code")
            return None
        return value.translate(ASCII_UPPER)

    def zip_code(self, address: Address, field_: str) -> str | None:
        digits = (address.zip or "").replace("-", "").replace(" ", "")
        if not (digits.isascii() and digits.isdigit() and len(digits) in (5, 9)):
            self.refuse(f"{field_}.zip", "must be 5 or 9 digits")
            return None
        return digits

    def address(self, address: Address, field_: str, box: str) -> None:
        """Items 5 and 7: street; city and state; ZIP."""
        self.street(address, field_, f"{box}.street", f"box {box}")
        city = self.city(address, field_)
        if city is not None:
            width = FIELDS[f"{box}.city"].width
            if len(city) > width:
                self.refuse(f"{field_}.city", f"box {box} holds {width} characters for the city; "
                            "this one is longer and is never cut: shorten it in the case")
            else:
                self.put(f"{box}.city", city)
        state = self.state(address.state, f"{field_}.state")
        if state is not None:
            self.put(f"{box}.state", state)
        zip_ = self.zip_code(address, field_)
        if zip_ is not None:
            self.put(f"{box}.zip", zip_)

    def npi(self, value: str | None, field_: str, key: str) -> None:
        if not (value and len(value) == 10 and value.isascii() and value.isdigit()):
            self.refuse(field_, "an NPI has 10 digits")
            return
        self.put(key, value)

    def money(self, value: Decimal, field_: str, prefix: str, what: str) -> None:
        try:
            amount = Decimal(value)
            ok = amount.is_finite() and amount >= 0 and amount == amount.quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError):
            ok = False
        if not ok:
            self.refuse(field_, "must be a non-negative amount in dollars and cents")
            return
        dollars, cents = divmod(int(amount * 100), 100)
        width = FIELDS[f"{prefix}.dollars"].width
        if len(str(dollars)) > width:
            self.refuse(field_, f"{what} holds {width} digits of dollars on the CMS-1500")
            return
        self.put(f"{prefix}.dollars", str(dollars))
        self.put(f"{prefix}.cents", f"{cents:02d}")

    # -- the header: every box but 24 and 28, the same on every page ---------------------

    def header(self) -> None:
        claim = self.claim
        self.carrier()
        self.check(f"1.{insurance_type(claim)}")
        # workers' compensation may have no member id: 1a is left blank (the scrub warns)
        member = None if claim.member_id is None and claim.employer_is_insured else \
            self.ident(claim.member_id, "member_id", "1a", "box 1a")
        if member:
            self.put("1a", member)
        self.person_name(claim.patient, "patient", "2", "box 2")
        self.birth_and_sex(claim.patient, "patient", "3")
        self.address(claim.patient.address, "patient.address", "5")
        relation = _RELATION.get(claim.relation)
        if relation is None:
            self.refuse("relation", "must be 'self', 'spouse', 'child' or 'other'")
        else:
            self.check(relation)
        if claim.employer_is_insured:
            self.employer()
        else:
            self.person_name(claim.insured, "insured", "4", "box 4")
            self.address(claim.insured.address, "insured.address", "7")
        if claim.group_number:
            group = self.ident(claim.group_number, "group_number", "11", "box 11")
            if group:
                self.put("11", group)
        if not claim.employer_is_insured:  # an employer has no birth date or sex
            self.birth_and_sex(claim.insured, "insured", "11a")
        self.related_cause()
        self.check("11d.no")
        if claim.release_of_information == "Y":
            self.put("12", SIGNATURE_ON_FILE)
        elif claim.release_of_information != "I":
            self.refuse("release_of_information", "must be 'Y' or 'I'")
        if claim.benefits_assigned:  # the same value as CLM08
            self.put("13", SIGNATURE_ON_FILE)
        self.dates()
        if claim.referring is not None:
            self.put("17.qual", "DN")
            self.person_name(claim.referring, "referring", "17", "box 17", last_first=False)
            self.npi(claim.referring.npi, "referring.npi", "17b")
        self.diagnoses()
        self.resubmission()
        if len(claim.authorizations) > 1:  # box 23 holds one number for the whole form
            self.refuse("lines", f"the lines fall under {len(claim.authorizations)} prior "
                        "authorizations and box 23 holds one: bill each authorization's "
                        "visits on a claim of their own")
        if claim.prior_authorization:
            auth = claim.prior_authorization.replace("-", "").replace(" ", "")
            auth = self.ident(auth, "prior_authorization", "23", "box 23")
            if auth:
                self.put("23", auth)
        self.billing()

    def employer(self) -> None:
        """Workers' compensation: items 4 and 7 are the employer's name and address (NUCC:
        "for workers' compensation claims, enter the name of the Employer", and its
        address in 7); without an address on record, 7 stays blank."""
        claim = self.claim
        name = name_text(claim.employer, organization=True)
        width = FIELDS["4"].width
        if not name:
            self.refuse("employer", "required in workers' compensation: the employer is the "
                        "insured (box 4)")
        elif len(name) > width:
            self.refuse("employer", f"box 4 holds {width} characters for the employer's name; "
                        "this one is longer and is never cut: shorten it in the case")
        else:
            self.put("4", name)
        if claim.employer_address is not None:
            self.address(claim.employer_address, "employer_address", "7")

    def carrier(self) -> None:
        """The carrier block (NUCC: name; address lines; city, state and ZIP): the payer's name,
        wrapped at spaces onto the lines its address (when the claim has one) leaves."""
        claim = self.claim
        width = FIELDS["carrier.1"].width
        address_lines: list[str] = []
        address = claim.payer_address
        if address is not None:
            for part in ("line1", "line2"):
                text = address_text(getattr(address, part))
                if len(text) > width:
                    self.refuse(f"payer_address.{part}", f"the carrier block holds {width} "
                                "characters a line; this line is longer and is never cut")
                elif text:
                    address_lines.append(text)
            city = self.city(address, "payer_address")
            state = self.state(address.state, "payer_address.state")
            zip_ = self.zip_code(address, "payer_address")
            if city is not None and state is not None and zip_ is not None:
                last = f"{city} {state} {zip_}"
                if len(last) > width:
                    self.refuse("payer_address.city", f"the carrier block holds {width} characters "
                                "for city, state and ZIP; this city is too long and is never cut")
                else:
                    address_lines.append(last)
        name = name_text(claim.payer_name, organization=True)
        if not name:
            self.refuse("payer_name", "required, and nothing of it is left in the letters and "
                        "digits the CMS-1500 takes")
            return
        lines: list[str] = []
        for word in name.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if len(lines) + len(address_lines) > 4 or any(len(line) > width for line in lines):
            self.refuse("payer_name", f"the carrier block holds 4 lines of {width} characters, "
                        "name and address; this name does not fit and is never cut: shorten it "
                        "in the case")
            return
        for i, line in enumerate(lines + address_lines, 1):
            self.put(f"carrier.{i}", line)

    def birth_and_sex(self, person: Person, field_: str, box: str) -> None:
        self.date(person.birth_date, f"{field_}.birth_date", box, four_digit_year=True)
        served = [line.date for line in self.claim.lines if isinstance(line.date, dt.date)]
        if isinstance(person.birth_date, dt.date) and served and person.birth_date > min(served):
            self.refuse(f"{field_}.birth_date", "after the date of service")
        if person.sex in ("M", "F"):
            self.check(f"{box}.{person.sex.lower()}")
        elif person.sex != "U":  # unknown: neither box, as NUCC asks
            self.refuse(f"{field_}.sex", "must be 'F', 'M' or 'U'")

    def related_cause(self) -> None:
        """10a employment, 10b auto accident (+ state), 10c other accident: YES or NO each."""
        claim = self.claim
        cause = claim.related_cause
        if cause is not None and cause not in _CAUSE:
            self.refuse("related_cause", "must be 'auto', 'employment' or 'other'")
        for name, box in _CAUSE.items():
            self.check(f"{box}.yes" if cause == name else f"{box}.no")
        if cause == "auto":
            if not claim.accident_state:
                self.refuse("accident_state", "required when related_cause is 'auto' (box 10b)")
            else:
                state = self.state(claim.accident_state, "accident_state")
                if state is not None:
                    self.put("10b.state", state)
        if claim.property_casualty_claim_number:
            number = self.ident(claim.property_casualty_claim_number,
                                "property_casualty_claim_number", "11b", "box 11b")
            if number:
                self.put("11b.qual", "Y4")
                self.put("11b", number)

    def dates(self) -> None:
        """14 onset (431) and 15 accident (439): the dates the 837P sends in DTP*431 and
        DTP*439, each in its own box."""
        claim = self.claim
        if claim.onset_date is not None:
            self.put("14.qual", "431")
            self.date(claim.onset_date, "onset_date", "14", four_digit_year=False)
        if claim.related_cause is not None:
            if claim.accident_date is None:
                if claim.related_cause != "employment":
                    self.refuse("accident_date", f"required when related_cause is "
                                f"{claim.related_cause!r} (box 15, qualifier 439)")
            else:
                self.put("15.qual", "439")
                self.date(claim.accident_date, "accident_date", "15", four_digit_year=False)

    def diagnoses(self) -> None:
        """Item 21: ICD indicator 0, codes A-L without the decimal point."""
        codes = self.claim.diagnoses
        if not 1 <= len(codes) <= 12:
            self.refuse("diagnoses", "a claim carries 1 to 12 diagnosis codes (box 21, A-L)")
        self.put("21.ind", "0")
        for i, (letter, code) in enumerate(zip(DIAGNOSIS_LETTERS, codes, strict=False)):
            text = code.replace(".", "")
            problem = identifier_problem(text) if text else "not a diagnosis code"
            if problem is not None or " " in text:
                self.refuse(f"diagnoses[{i}]", problem or "not a diagnosis code")
            elif len(text) > FIELDS["21.A"].width:
                self.refuse(f"diagnoses[{i}]", "box 21 holds 7 characters per code (an ICD-10-CM "
                            "code without its decimal point)")
            else:
                self.put(f"21.{letter}", text.translate(ASCII_UPPER))

    def resubmission(self) -> None:
        """Item 22: only on a replacement (7) or void (8), with the payer's claim number."""
        claim = self.claim
        frequency = claim.frequency
        if frequency not in ("1", "7", "8"):
            self.refuse("frequency", "must be 'original', 'replacement' or 'void'")
            return
        if frequency == "1":
            return
        self.put("22.code", frequency)
        original = claim.original_claim_number
        if not original:
            self.refuse("original_claim_number", "required for a replacement or void claim: the "
                        "payer's claim number of the claim it corrects (box 22)")
            return
        number = self.ident(original, "original_claim_number", "22.ref", "box 22")
        if number:
            self.put("22.ref", number)

    def billing(self) -> None:
        """25 tax id, 26 account number, 27 assignment, 31 signature, 32 facility, 33 billing."""
        claim, billing = self.claim, self.claim.billing
        tax_id = (billing.tax_id or "").replace("-", "").replace(" ", "")
        if not (len(tax_id) == 9 and tax_id.isascii() and tax_id.isdigit()):
            self.refuse("billing.tax_id", "must have 9 digits")
        else:
            self.put("25", tax_id)
        if billing.tax_id_type in ("ssn", "ein"):
            self.check(f"25.{billing.tax_id_type}")
        else:
            self.refuse("billing.tax_id_type", "must be 'ein' or 'ssn'")
        self.account_number()
        self.check("27.yes" if claim.accepts_assignment else "27.no")
        if claim.provider_signature_on_file:
            self.put("31", SIGNATURE_ON_FILE)
        facility = getattr(claim, "service_facility", None)
        if facility is not None:
            self.location(facility, "service_facility", "32")
            self.npi(getattr(facility, "npi", None), "service_facility.npi", "32a")
        self.location(billing, "billing", "33")
        self.npi(billing.npi, "billing.npi", "33a")
        if billing.phone:
            digits = "".join(c for c in billing.phone if "0" <= c <= "9")
            if len(digits) == 11 and digits[0] == "1":
                digits = digits[1:]
            if len(digits) != 10:
                self.refuse("billing.phone", "must be a 10-digit US phone number")
            else:
                self.put("33.area", digits[:3])
                self.put("33.phone", digits[3:])
        if billing.payer_assigned_id is not None:  # the payer's own id for the practice
            other = self.ident(billing.payer_assigned_id, "billing.payer_assigned_id", "33b",
                               "box 33b", FIELDS["33b"].width - 2)
            if other:
                self.put("33b", "G2" + other)
        elif _rendering(claim) is None and billing.taxonomy:
            taxonomy = self.ident(billing.taxonomy, "billing.taxonomy", "33b", "box 33b",
                                  FIELDS["33b"].width - 2)
            if taxonomy:
                self.put("33b", "ZZ" + taxonomy)

    def account_number(self) -> None:
        """Item 26: the patient account number, exactly as the 837P's CLM01 (letters
        upper-cased), so a paper remittance names the same number; item 26 takes no
        hyphens, so an id with anything but letters and digits, or longer than the box, is
        refused, never altered."""
        account = self.claim.id
        width = FIELDS["26"].width
        if not (isinstance(account, str) and account.isascii() and account.isalnum()
                and len(account) <= width):
            self.refuse("id", f"box 26 prints the patient account number exactly as the "
                        f"837P's CLM01, in at most {width} letters and digits (NUCC item 26: no "
                        "hyphens); this claim id does not fit and is never altered: give "
                        f"claim.claim_id of at most {width} letters and digits, or leave it out "
                        "for payerkit's own (14)")
            return
        self.put("26", account.translate(ASCII_UPPER))

    def location(self, who, field_: str, box: str) -> None:
        """Items 32 and 33: name; street; city, state and ZIP on one line (no comma). A
        name too long for the box gives way to the provider's short name for paper forms
        (``short_name``), never cut."""
        width = FIELDS[f"{box}.1"].width
        if getattr(who, "name", None) is not None:
            name = name_text(who.name, organization=True)
            culprit = "name"
        else:
            first, last = name_text(who.first_name), name_text(who.last_name)
            name = f"{first} {last}".strip() if last else ""
            if last and len(name) > width:
                name = f"{_initials(first)} {last}".strip()
            culprit = "last_name"
        short = getattr(who, "short_name", None)
        if name and len(name) > width and short:
            name, culprit = name_text(short, organization=True), "short_name"
        if not name:
            self.refuse(f"{field_}.{culprit}", "required, and nothing of it is left in the "
                        "letters and digits the CMS-1500 takes")
        elif len(name) > width:
            if culprit == "short_name" or not hasattr(who, "short_name"):
                advice = "shorten it in the case"
            else:  # the billing provider: its short name for paper forms
                advice = f"give provider.short_name, its name for paper forms (at most {width})"
            self.refuse(f"{field_}.{culprit}", f"box {box} holds {width} characters for the name; "
                        f"this one is longer and is never cut: {advice}")
        else:
            self.put(f"{box}.1", name)
        address = who.address
        self.street(address, f"{field_}.address", f"{box}.2", f"box {box}")
        city = self.city(address, f"{field_}.address")
        state = self.state(address.state, f"{field_}.address.state")
        zip_ = self.zip_code(address, f"{field_}.address")
        if city is not None and state is not None and zip_ is not None:
            text = f"{city} {state} {zip_}"
            if len(text) > width:
                self.refuse(f"{field_}.address.city", f"box {box} holds {width} characters for "
                            "city, state and ZIP; this city is too long and is never cut: "
                            "shorten it in the case")
            else:
                self.put(f"{box}.3", text)

    # -- item 24 ---------------------------------------------------------------------------

    def service_line(self, n: int, index: int, line: ClaimLine) -> None:
        claim = self.claim
        field_ = f"lines[{index}]"
        prefix = f"24.{n}"
        for part in ("from", "to"):  # one date of service: From, and To repeated
            self.date(line.date, f"{field_}.date", f"{prefix}.{part}", four_digit_year=False)
        pos = self.ident(line.place_of_service or claim.place_of_service,
                         f"{field_}.place_of_service", f"{prefix}.b", "box 24B")
        if pos:
            self.put(f"{prefix}.b", pos)
        code = self.ident(line.code, f"{field_}.code", f"{prefix}.d", "box 24D")
        if code:
            self.put(f"{prefix}.d", code)
        if len(line.modifiers) > 4:
            self.refuse(f"{field_}.modifiers", "at most 4")
        for m, modifier in enumerate(line.modifiers[:4], 1):
            if len(modifier) != 2 or " " in modifier:
                self.refuse(f"{field_}.modifiers", "each modifier has 2 characters")
                continue
            text = self.ident(modifier, f"{field_}.modifiers", f"{prefix}.mod{m}", "box 24D")
            if text:
                self.put(f"{prefix}.mod{m}", text)
        pointers = line.pointers
        n_diagnoses = len(claim.diagnoses)
        if not 1 <= len(pointers) <= 4:
            self.refuse(f"{field_}.pointers", "1 to 4 diagnosis pointers (box 24E)")
        elif not all(isinstance(p, int) and 1 <= p <= min(n_diagnoses, 12) for p in pointers):
            self.refuse(f"{field_}.pointers", f"each must be 1 to {n_diagnoses}")
        else:
            self.put(f"{prefix}.e", "".join(DIAGNOSIS_LETTERS[p - 1] for p in pointers))
        self.money(line.charge, f"{field_}.charge", f"{prefix}.f", "box 24F")
        units = line.units
        if not (isinstance(units, int) and not isinstance(units, bool) and units > 0):
            self.refuse(f"{field_}.units", "must be positive")
        elif len(str(units)) > FIELDS[f"{prefix}.g"].width:
            self.refuse(f"{field_}.units", "box 24G holds 3 digits")
        else:
            self.put(f"{prefix}.g", str(units))
        rendering = _rendering(claim)
        if rendering is not None:
            self.npi(rendering.npi, "rendering.npi", f"{prefix}.j")
            taxonomy = rendering.taxonomy or claim.billing.taxonomy
            if rendering.payer_assigned_id is not None:  # the payer's own id for the therapist
                text = self.ident(rendering.payer_assigned_id, "rendering.payer_assigned_id",
                                  f"{prefix}.j.shaded", "box 24J")
                if text:
                    self.put(f"{prefix}.i.shaded", "G2")
                    self.put(f"{prefix}.j.shaded", text)
            elif taxonomy:
                field_name = "rendering.taxonomy" if rendering.taxonomy else "billing.taxonomy"
                text = self.ident(taxonomy, field_name, f"{prefix}.j.shaded", "box 24J")
                if text:
                    self.put(f"{prefix}.i.shaded", "ZZ")
                    self.put(f"{prefix}.j.shaded", text)


def _rendering(claim: Claim) -> Practitioner | None:
    """The rendering provider when it differs from the billing NPI (24J; the 837P's 2310B)."""
    rendering = claim.rendering
    if rendering is None or rendering.npi == claim.billing.npi:
        return None
    return rendering


def _pages(claim: Claim) -> tuple[list[Page], list[tuple[str, str]]]:
    """The pages without the day of writing (box 31's date), and every problem."""
    mapper = _Mapper(claim)
    mapper.header()
    header = dict(mapper.values)
    lines = tuple(claim.lines)
    if not lines:
        mapper.refuse("lines", "a claim carries at least 1 service line")
    if claim.frequency in _CORRECTIONS and len(lines) > LINES_PER_PAGE:
        what = _CORRECTIONS[claim.frequency]
        mapper.refuse("frequency", f"a {what} replaces the payer's whole claim (NUCC item 22: a "
                      f"replacement is the complete claim), and this one has {len(lines)} service "
                      f"lines, more than the {LINES_PER_PAGE} a CMS-1500 holds: each form would "
                      f"carry the {what} code and the same original reference, and read as a "
                      f"{what} of its own. Send it as an 837P (x12-837p, one claim of up to 50 "
                      f"lines), or split the original: void it and bill its visits again on "
                      f"claims of at most {LINES_PER_PAGE} lines")
    chunks = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [()]
    paid = _paid_by_page(claim, len(chunks))
    pages = []
    for p, chunk in enumerate(chunks):
        mapper.values = dict(header)
        for n, line in enumerate(chunk, 1):
            mapper.service_line(n, p * LINES_PER_PAGE + n - 1, line)
        page_total = _total(chunk)
        if chunk and page_total is not None:  # else a line's charge is refused already
            mapper.money(page_total, "total_charge", "28", "box 28")
        amount = paid[p]
        unpaid = isinstance(amount, Decimal | int) and Decimal(amount).is_finite() and amount == 0
        if amount is not None and not unpaid:
            mapper.money(amount, "amount_paid", "29", "box 29")
        pages.append(Page(p + 1, len(chunks), mapper.values, chunk, page_total or Decimal(0)))
    return pages, mapper.problems.found


def _paid_by_page(claim: Claim, count: int) -> list:
    """Box 29 of each form: what was paid for the visits of its lines. A visit's payment
    goes on the form of its first line (a visit whose lines run onto the next form counts on
    the first of them; one with no line on the claim, on the first form), so the forms add
    up to the claim's amount paid. A claim that does not say which visit was paid (no
    ``visit_payments``) puts its whole amount paid on the first form. ``None``: nothing."""
    paid: list = [None] * count
    if not claim.visit_payments:
        paid[0] = claim.amount_paid
        return paid
    first_line = {}
    for i, line in enumerate(claim.lines):
        first_line.setdefault(line.visit, i)
    for visit, amount in claim.visit_payments:
        page = min(first_line.get(visit, 0) // LINES_PER_PAGE, count - 1)
        try:
            paid[page] = amount if paid[page] is None else paid[page] + amount
        except (ArithmeticError, TypeError):  # not an amount: refused by its field
            paid[page] = amount
    return paid


#: Item 22's resubmission codes and what each claim is.
_CORRECTIONS = {"7": "replacement", "8": "void"}


def _total(lines: tuple[ClaimLine, ...]) -> Decimal | None:
    """The lines' charges added up; ``None`` when one is not an amount (it is refused)."""
    amounts = []
    for line in lines:
        charge = line.charge
        if isinstance(charge, int) and not isinstance(charge, bool):
            charge = Decimal(charge)
        if not (isinstance(charge, Decimal) and charge.is_finite()):
            return None
        amounts.append(charge)
    try:
        return sum(amounts, Decimal(0))
    except ArithmeticError:
        return None


def form_pages(claim: Claim, signed_on: dt.date | None = None) -> list[Page]:
    """The claim's CMS-1500 pages (six service lines each, each totalled on its own).

    ``signed_on`` is the date printed in box 31 beside "SIGNATURE ON FILE" (the day of
    writing). Raises :class:`FormatError` for the first value the form cannot carry.
    """
    pages, problems = _pages(claim)
    if problems:
        raise FormatError(*problems[0])
    return signed(pages, signed_on)


def check_cms1500(claim: Claim) -> list[tuple[str, str]]:
    """Every value the CMS-1500 cannot carry, as ``[(claim field, problem)]`` (the scrub's);
    ``[]`` when both CMS-1500 formats can be written."""
    return _pages(claim)[1]


def render_cms1500(claim: Claim, format_id: str = CMS_1500) -> Rendering:
    """The claim's pages (:class:`Page`) and every value the form cannot carry: the
    rendering both CMS-1500 formats write (:func:`signed` adds the day of writing)."""
    pages, problems = _pages(claim)
    return Rendering(format_id, tuple(pages), problems)


def render_cms1500_red(claim: Claim) -> Rendering:
    """:func:`render_cms1500`, for the red form's values."""
    return render_cms1500(claim, CMS_1500_RED)


def signed(pages: Sequence[Page], signed_on: dt.date | None) -> list[Page]:
    """The pages with box 31's date beside "SIGNATURE ON FILE": the day of writing (none
    when ``signed_on`` is ``None``, or the provider's signature is not on file)."""
    if signed_on is None:
        return list(pages)
    text = f"{signed_on.month:02d} {signed_on.day:02d} {signed_on.year % 100:02d}"
    dated = []
    for page in pages:
        if "31" not in page.values:
            dated.append(page)
            continue
        values = {}
        for key, value in page.values.items():  # in its place: the order the values print
            values[key] = value
            if key == "31":
                values["31.date"] = text
        dated.append(evolve(page, values=values))
    return dated


def placements(page: Page, offset_lines: float = 0.0,
               offset_columns: float = 0.0) -> list[tuple[float, float, str]]:
    """Where each value of ``page`` prints: ``(x, baseline y, text)`` in PDF points (origin at
    the bottom left), in Courier 12 (one character per cell), moved by a printer's offset."""
    runs = []
    for key, text in page.values.items():
        f = FIELDS[key]
        col = f.col + f.width - len(text) if f.align == "right" else f.col
        runs.append((column_x(col, offset_columns),
                     PAGE_HEIGHT - line_top(f.line, offset_lines) - BASELINE, text))
    return runs


def signing_date(options) -> dt.date:
    """Box 31's date: the writer's clock (``options.now``), else today."""
    now = getattr(options, "now", None)
    return (now or dt.datetime.now()).date()


__all__ = [
    "BOXES", "CELL_HEIGHT", "CELL_WIDTH", "CHECKBOXES", "FIELDS", "Box", "Field", "Page",
    "address_text", "cell_of", "check_cms1500", "column_x", "form_pages", "insurance_type",
    "line_top", "name_text", "placements", "render_cms1500", "render_cms1500_red", "signed",
    "signing_date",
]

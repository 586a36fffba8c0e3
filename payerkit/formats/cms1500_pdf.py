"""``cms-1500``: the whole CMS-1500 (02/12) drawn and filled, as a US Letter PDF.

For the client who submits the claim, for the practice's records, and for payers that
accept a printed form. The form is drawn with vector lines and text — boxes, captions, box
numbers, the shaded areas, check boxes — in the form's red; the claim's values print in
black monospace 12 (10 characters per inch) on the same character grid the data-only
``cms-1500-red`` format uses for the pre-printed form (:mod:`.cms1500`), so both put every
value in the same place. The box values, and the NUCC rules they follow, come from
:mod:`.cms1500`; a claim of more than six service lines continues on further pages, each a
complete form totalled on its own (box 28), with "Page n of N" under the form.

The layout is payerkit's drawing of the 02/12 form (the 1500 form is in the public domain,
NUCC manual), built on the NUCC print grid; it is not the OCR original, and payers that
scan claims want the data printed on the red form instead (``cms-1500-red``). Only the
fonts of :mod:`.fonts` (Liberation Sans and Liberation Mono, with Helvetica's and Courier's
metrics) are used, embedded, so every reader draws the same form; reportlab (BSD licence)
writes in invariant mode, so the same claim and date give the same bytes.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas

from ..model.claim import Claim
from .cms1500 import (
    CELL_HEIGHT,
    CELL_WIDTH,
    CHECKBOXES,
    FONT_SIZE,
    LINES_PER_PAGE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Page,
    column_x,
    form_pages,
    line_top,
    placements,
    signed,
    signing_date,
)
from .fonts import MONO, SANS, SANS_BOLD, register
from .x12_limits import DIAGNOSIS_LETTERS

RED = Color(0.78, 0.10, 0.14)
TINT = Color(0.99, 0.88, 0.88)
_SANS, _BOLD = SANS, SANS_BOLD
L, R = 0.6, 79.5  # the form's outer border, in column units


def X(u: float) -> float:
    return column_x(u)


def Y(line: float, down: float = 0.0) -> float:
    """PDF y of the top of grid line ``line``, ``down`` points lower."""
    return PAGE_HEIGHT - line_top(line) - down


#: Horizontal rules: (top of line, from, to).
_H_RULES = [
    (9, L, R), (11, L, R), (13, L, R), (15, L, 30.5), (15, 49.5, R), (17, L, R),
    (19, L, 30.5), (19, 49.5, R), (21, L, 30.5), (21, 49.5, R), (23, L, 30.5), (23, 49.5, R),
    (25, L, R), (27, L, R), (31, L, R), (33, L, R), (35, L, R), (37, L, R), (39, 49.5, R),
    (41, L, R), (43, L, R), *[(43 + 2 * n, L, R) for n in range(1, LINES_PER_PAGE + 1)],
    (57, L, R), (61, 21.5, R),
]
#: Vertical rules: (column, from the top of line, to the top of line).
_V_RULES = [
    (49.5, 7, 57), (49.0, 57, 62), (30.5, 9, 27), (25.5, 13, 15), (73.5, 13, 15), (14.5, 15, 17),
    (64.5, 15, 17), (29.5, 31, 33), (28.5, 33, 35), (61.5, 37, 39),
    (22.5, 55, 57), (37.5, 55, 57), (61.5, 55, 57), (71.5, 55, 57), (21.5, 57, 62),
    (34.5, 61, 62), (62.0, 61, 62),
    # item 24: the header and the unshaded half of each line; I and J through the shaded half
    *[(u, 41, 43) for u in (18.5, 21.5, 24.5, 44.5, 58.5, 62.5)],
    (64.5, 41, 55), (67.5, 41, 55), (9.5, 42, 43), (32.5, 42, 43),
    *[(u, 42 + 2 * n, 43 + 2 * n) for n in range(1, LINES_PER_PAGE + 1)
      for u in (9.5, 18.5, 21.5, 24.5, 32.5, 44.5, 58.5, 62.5)],
]
#: Dotted rules inside a box (the dotted lines between MM, DD and YY, dollars and cents,
#: qualifiers and numbers): (column, line).
_DOTS = [
    (33.5, 10), (36.5, 10), (55.5, 20), (58.5, 20), (52.5, 22), (4.5, 32), (7.5, 32),
    (39.5, 32), (42.5, 32), (34.5, 32), (56.5, 32), (59.5, 32), (70.5, 32), (73.5, 32),
    (3.5, 34), (32.5, 33), (56.5, 34), (59.5, 34), (70.5, 34), (73.5, 34), (68.5, 36),
    (41.7, 37), (43.3, 37), (57.5, 56), (67.5, 56), (65.0, 61),
    *[(u, 42 + 2 * n) for n in range(1, LINES_PER_PAGE + 1)
      for u in (3.5, 6.5, 12.5, 15.5, 35.5, 38.5, 41.5, 55.5)],
]
#: Shaded areas: (line, from, to).
_SHADES = [(33, 28.5, 49.5), (61, 34.5, 49.0), (61, 62.0, R),
           *[(41 + 2 * n, L, R) for n in range(1, LINES_PER_PAGE + 1)]]

C, S = 5.3, 10.8  # caption baselines: the top text row of a line, and the lower (sub-labels)
D = 9.5  # the data baseline (labels beside check boxes)
#: Captions: (line, column, points below the line's top, text, size, bold).
_CAPTIONS = [
    (7, 0.7, C, "1.  MEDICARE", 5.2, False), (7, 8, C, "MEDICAID", 5.2, False),
    (7, 15, C, "TRICARE", 5.2, False), (7, 24, C, "CHAMPVA", 5.2, False),
    (7, 31, C, "GROUP", 5.2, False), (7, 31, S - 0.6, "HEALTH PLAN", 5.2, False),
    (7, 39, C, "FECA", 5.2, False), (7, 39, S - 0.6, "BLK LUNG", 5.2, False),
    (7, 45, C, "OTHER", 5.2, False),
    (8, 2.3, D, "(Medicare#)", 4.6, False), (8, 9.3, D, "(Medicaid#)", 4.6, False),
    (8, 16.3, D, "(ID#/DoD#)", 4.6, False), (8, 25.3, D, "(Member ID#)", 4.6, False),
    (8, 32.3, D, "(ID#)", 4.6, False), (8, 40.3, D, "(ID#)", 4.6, False),
    (8, 46.3, D, "(ID#)", 4.6, False),
    (7, 49.7, C, "1a. INSURED'S I.D. NUMBER", 5.2, False),
    (7, 66.5, C, "(For Program in Item 1)", 5.2, False),
    (9, 0.7, C, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)", 5.2, False),
    (9, 30.7, C, "3. PATIENT'S BIRTH DATE", 5.2, False), (9, 44.6, C, "SEX", 5.2, False),
    (9, 31.2, S, "MM", 4.3, False), (9, 34.2, S, "DD", 4.3, False), (9, 37.8, S, "YY", 4.3, False),
    (9, 42.3, S, "M", 4.6, False), (9, 47.3, S, "F", 4.6, False),
    (9, 49.7, C, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)", 5.2, False),
    (11, 0.7, C, "5. PATIENT'S ADDRESS (No., Street)", 5.2, False),
    (11, 30.7, C, "6. PATIENT RELATIONSHIP TO INSURED", 5.2, False),
    (12, 31.0, D, "Self", 5, False), (12, 34.6, D, "Spouse", 5, False),
    (12, 39.4, D, "Child", 5, False), (12, 43.6, D, "Other", 5, False),
    (11, 49.7, C, "7. INSURED'S ADDRESS (No., Street)", 5.2, False),
    (13, 0.7, C, "CITY", 5.2, False), (13, 25.7, C, "STATE", 5.2, False),
    (13, 30.7, C, "8. RESERVED FOR NUCC USE", 5.2, False),
    (13, 49.7, C, "CITY", 5.2, False), (13, 73.7, C, "STATE", 5.2, False),
    (15, 0.7, C, "ZIP CODE", 5.2, False), (15, 14.7, C, "TELEPHONE (Include Area Code)", 5.2, False),
    (15, 49.7, C, "ZIP CODE", 5.2, False), (15, 64.7, C, "TELEPHONE (Include Area Code)", 5.2, False),
    (16, 14.6, D, "(", 9, False), (16, 18.15, D, ")", 9, False),
    (16, 64.6, D, "(", 9, False), (16, 68.15, D, ")", 9, False),
    (17, 0.7, C, "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)", 5.2, False),
    (17, 30.7, C, "10. IS PATIENT'S CONDITION RELATED TO:", 5.2, False),
    (17, 49.7, C, "11. INSURED'S POLICY GROUP OR FECA NUMBER", 5.2, False),
    (19, 0.7, C, "a. OTHER INSURED'S POLICY OR GROUP NUMBER", 5.2, False),
    (19, 30.7, C, "a. EMPLOYMENT? (Current or Previous)", 5.2, False),
    (19, 49.7, C, "a. INSURED'S DATE OF BIRTH", 5.2, False), (19, 70.6, C, "SEX", 5.2, False),
    (19, 53.2, S, "MM", 4.3, False), (19, 56.2, S, "DD", 4.3, False), (19, 59.8, S, "YY", 4.3, False),
    (19, 68.3, S, "M", 4.6, False), (19, 75.3, S, "F", 4.6, False),
    (21, 0.7, C, "b. RESERVED FOR NUCC USE", 5.2, False),
    (21, 30.7, C, "b. AUTO ACCIDENT?", 5.2, False), (21, 43.6, C, "PLACE (State)", 5.2, False),
    (21, 49.7, C, "b. OTHER CLAIM ID (Designated by NUCC)", 5.2, False),
    (23, 0.7, C, "c. RESERVED FOR NUCC USE", 5.2, False),
    (23, 30.7, C, "c. OTHER ACCIDENT?", 5.2, False),
    (23, 49.7, C, "c. INSURANCE PLAN NAME OR PROGRAM NAME", 5.2, False),
    (25, 0.7, C, "d. INSURANCE PLAN NAME OR PROGRAM NAME", 5.2, False),
    (25, 30.7, C, "10d. CLAIM CODES (Designated by NUCC)", 5.2, False),
    (25, 49.7, C, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?", 5.2, False),
    (26, 60.3, D, "If yes, complete items 9, 9a, and 9d.", 4.8, True),
    (27, 8.0, C, "READ BACK OF FORM BEFORE COMPLETING & SIGNING THIS FORM.", 5.6, True),
    (27, 0.7, S, "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any "
     "medical or other information necessary", 4.8, False),
    (28, 0.7, 4.6, "to process this claim. I also request payment of government benefits either "
     "to myself or to the party who accepts assignment", 4.8, False),
    (28, 0.7, 9.6, "below.", 4.8, False),
    (29, 0.7, D, "SIGNED", 5, False), (29, 33.0, D, "DATE", 5, False),
    (27, 49.7, C, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize", 4.8, False),
    (27, 49.7, S, "payment of medical benefits to the undersigned physician or supplier for",
     4.8, False),
    (28, 49.7, 4.6, "services described below.", 4.8, False),
    (29, 49.7, D, "SIGNED", 5, False),
    (31, 0.7, C, "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)", 5.2, False),
    (31, 2.2, S, "MM", 4.3, False), (31, 5.2, S, "DD", 4.3, False), (31, 8.2, S, "YY", 4.3, False),
    (32, 12.3, D, "QUAL.", 4.8, False),
    (31, 29.7, C, "15. OTHER DATE", 5.2, False), (31, 31.0, S, "QUAL.", 4.3, False),
    (31, 37.2, S, "MM", 4.3, False), (31, 40.2, S, "DD", 4.3, False), (31, 43.2, S, "YY", 4.3, False),
    (31, 49.7, C, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION", 5.2, False),
    (33, 0.7, C, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE", 5.2, False),
    (33, 28.6, D, "17a.", 4.6, False), (34, 28.6, D, "17b.", 4.6, False),
    (34, 30.4, D, "NPI", 4.6, False),
    (33, 49.7, C, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES", 5.2, False),
    (35, 0.7, C, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)", 5.2, False),
    (35, 49.7, C, "20. OUTSIDE LAB?", 5.2, False), (35, 63.0, C, "$ CHARGES", 5.2, False),
    (37, 0.7, C, "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY   Relate A-L to service line "
     "below (24E)", 5.2, False),
    (37, 37.4, C, "ICD Ind.", 5.2, False),
    (37, 49.7, C, "22. RESUBMISSION", 5.2, False), (37, 49.7, S, "CODE", 4.6, False),
    (37, 61.7, C, "ORIGINAL REF. NO.", 5.2, False),
    (39, 49.7, C, "23. PRIOR AUTHORIZATION NUMBER", 5.2, False),
    (41, 0.7, 5.6, "24. A.", 5.2, False), (41, 3.6, 5.6, "DATE(S) OF SERVICE", 5.2, False),
    (41, 3.5, 12.2, "From", 5, False), (41, 13.0, 12.2, "To", 5, False),
    *[(41, u + 0.2, 21.6, t, 4.3, False)
      for u, t in ((1, "MM"), (4, "DD"), (7, "YY"), (10, "MM"), (13, "DD"), (16, "YY"))],
    (41, 18.7, 5.6, "B.", 5.2, False), (41, 18.65, 11.5, "PLACE OF", 3.7, False),
    (41, 18.65, 16.5, "SERVICE", 3.7, False),
    (41, 21.7, 5.6, "C.", 5.2, False), (41, 21.7, 16.5, "EMG", 4.6, False),
    (41, 24.7, 5.6, "D. PROCEDURES, SERVICES, OR SUPPLIES", 5.2, False),
    (41, 26.0, 11.5, "(Explain Unusual Circumstances)", 4.6, False),
    (41, 25.2, 21.6, "CPT/HCPCS", 4.3, False), (41, 36.5, 21.6, "MODIFIER", 4.3, False),
    (41, 44.7, 5.6, "E.", 5.2, False), (41, 44.7, 11.5, "DIAGNOSIS", 4.2, False),
    (41, 44.7, 16.5, "POINTER", 4.2, False),
    (41, 49.7, 5.6, "F.", 5.2, False), (41, 51.5, 16.5, "$ CHARGES", 4.6, False),
    (41, 58.7, 5.6, "G.", 5.2, False), (41, 58.7, 11.5, "DAYS", 4.2, False),
    (41, 58.7, 16.5, "OR", 4.2, False), (41, 58.7, 21.5, "UNITS", 4.2, False),
    (41, 62.6, 5.6, "H.", 5.2, False), (41, 62.6, 11.0, "EPSDT", 3.4, False),
    (41, 62.6, 15.5, "Family", 3.4, False), (41, 62.6, 20.0, "Plan", 3.4, False),
    (41, 64.7, 5.6, "I.", 5.2, False), (41, 64.7, 11.5, "ID.", 4.2, False),
    (41, 64.7, 16.5, "QUAL.", 4.2, False),
    (41, 67.7, 5.6, "J.", 5.2, False), (41, 68.5, 11.5, "RENDERING", 4.6, False),
    (41, 68.5, 16.5, "PROVIDER ID. #", 4.6, False),
    *[(42 + 2 * n, 64.9, D, "NPI", 4.8, False) for n in range(1, LINES_PER_PAGE + 1)],
    (55, 0.7, C, "25. FEDERAL TAX I.D. NUMBER", 5.2, False),
    (55, 16.6, S, "SSN", 4.3, False), (55, 18.7, S, "EIN", 4.3, False),
    (55, 22.7, C, "26. PATIENT'S ACCOUNT NO.", 5.2, False),
    (55, 37.7, C, "27. ACCEPT ASSIGNMENT?", 5.2, False),
    (55, 37.7, S, "(For govt. claims, see back)", 4.3, False),
    (55, 49.7, C, "28. TOTAL CHARGE", 5.2, False), (56, 50.2, D, "$", 7, False),
    (55, 61.7, C, "29. AMOUNT PAID", 5.2, False), (56, 61.8, D, "$", 7, False),
    (55, 71.7, C, "30. Rsvd for NUCC Use", 5.2, False),
    (57, 0.7, C, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER", 4.8, False),
    (57, 0.7, S, "INCLUDING DEGREES OR CREDENTIALS", 4.8, False),
    (58, 0.7, 4.6, "(I certify that the statements on the reverse", 4.5, False),
    (58, 0.7, 9.6, "apply to this bill and are made a part thereof.)", 4.5, False),
    (61, 0.7, D, "SIGNED", 4.5, False), (61, 3.4, D, "DATE", 4.5, False),
    (57, 21.7, C, "32. SERVICE FACILITY LOCATION INFORMATION", 5.2, False),
    (57, 49.2, C, "33. BILLING PROVIDER INFO & PH #", 5.2, False),
    (57, 65.55, D, "(", 9, False), (57, 69.15, D, ")", 9, False),
    (61, 21.6, 4.6, "a.", 4.6, False), (61, 34.6, 4.6, "b.", 4.6, False),
    (61, 49.1, 4.6, "a.", 4.6, False), (61, 62.1, 4.6, "b.", 4.6, False),
]
#: Labels to the right of a check box: key → text.
_BOX_LABELS = {"10a.yes": "YES", "10a.no": "NO", "10b.yes": "YES", "10b.no": "NO",
               "10c.yes": "YES", "10c.no": "NO", "11d.yes": "YES", "11d.no": "NO",
               "20.yes": "YES", "20.no": "NO", "27.yes": "YES", "27.no": "NO"}
#: Line pairs that carry FROM / TO labels (items 16 and 18).
_FROM_TO = (32, 34)
#: Signature lines (line, from, to): drawn under SIGNED and DATE.
_UNDERLINES = [(29, 3.6, 32.6), (29, 35.4, 49.0), (29, 52.7, 79.0)]


def _text(c: Canvas, u: float, line: float, down: float, text: str, size: float,
          bold: bool = False) -> None:
    c.setFont(_BOLD if bold else _SANS, size)
    c.drawString(X(u), Y(line, down), text)


def _draw_form(c: Canvas, page: Page) -> None:
    """Everything printed on the form itself: rules, shading, check boxes, captions."""
    c.setFillColor(TINT)
    for line, left, right in _SHADES:
        c.rect(X(left), Y(line + 1), X(right) - X(left), CELL_HEIGHT, stroke=0, fill=1)
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    # the title and the top of the form
    _text(c, 0.7, 4, 7.0, "HEALTH INSURANCE CLAIM FORM", 12, bold=True)
    _text(c, 0.7, 5, 5.0, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12", 5.6)
    _text(c, 0.7, 6, 8.5, "PICA", 5.6)
    _text(c, 75.2, 6, 8.5, "PICA", 5.6)
    c.setLineWidth(0.5)
    for u in (3.2, 78.2):
        c.rect(X(u), Y(6, 10.0), CELL_WIDTH, 7.0, stroke=1, fill=0)
    # rules
    c.setLineWidth(1.1)
    c.rect(X(L), Y(62), X(R) - X(L), Y(7) - Y(62), stroke=1, fill=0)
    c.setLineWidth(0.6)
    for line, left, right in _H_RULES:
        c.line(X(left), Y(line), X(right), Y(line))
    c.setLineWidth(1.0)  # heavier rules above item 14 and around item 24, as on the form
    for line in (31, 41, 55):
        c.line(X(L), Y(line), X(R), Y(line))
    c.setLineWidth(0.6)
    for u, top, bottom in _V_RULES:
        c.line(X(u), Y(top), X(u), Y(bottom))
    c.setLineWidth(0.5)
    c.setDash(1, 1.4)
    for u, line in _DOTS:
        c.line(X(u), Y(line, 1.5), X(u), Y(line + 1, 0.5))
    c.setDash()
    for line, left, right in _UNDERLINES:
        c.line(X(left), Y(line + 1, 0.8), X(right), Y(line + 1, 0.8))
    # check boxes, the 10b state box, the 21 code underlines
    c.setLineWidth(0.5)
    for key, (line, col) in CHECKBOXES.items():
        c.rect(X(col) - 0.6, Y(line, 11.0), CELL_WIDTH + 1.2, 9.6, stroke=1, fill=0)
        if key in _BOX_LABELS:
            _text(c, col + 1.35, line, D, _BOX_LABELS[key], 5)
    c.rect(X(44.7), Y(22, 11.3), X(47.3) - X(44.7), 10.3, stroke=1, fill=0)
    for i, letter in enumerate(DIAGNOSIS_LETTERS):
        line, col = 38 + i // 4, 3 + 13 * (i % 4)
        _text(c, col - 1.7, line, D, f"{letter}.", 5.6)
        c.line(X(col - 0.1), Y(line, 11.2), X(col + 7.3), Y(line, 11.2))
    for line in _FROM_TO:  # items 16 and 18: FROM and TO dates, labelled in the caption line
        _text(c, 50.2, line, D, "FROM", 5)
        _text(c, 65.3, line, D, "TO", 5)
        for u, t in ((54, "MM"), (57, "DD"), (60, "YY"), (68, "MM"), (71, "DD"), (74, "YY")):
            _text(c, u + 0.2, line - 1, S, t, 4.3)
    for line, u, down, text, size, bold in _CAPTIONS:
        _text(c, u, line, down, text, size, bold)
    # item 24's line numbers, left of the form
    c.setFont(_BOLD, 7)
    for n in range(1, LINES_PER_PAGE + 1):
        c.drawCentredString(X(L) - 5.5, Y(42 + 2 * n, 0) - 2.5, str(n))
    _margin(c)
    # the foot of the form
    _text(c, 0.7, 62, 8.0, "NUCC Instruction Manual available at: www.nucc.org", 5.6)
    c.setFont(_BOLD, 7.5)
    c.drawCentredString((X(L) + X(R)) / 2, Y(62, 8.3), "PLEASE PRINT OR TYPE")
    c.setFont(_BOLD, 5.6)
    c.drawRightString(X(R), Y(62, 8.0), "APPROVED OMB-0938-1197 FORM 1500 (02-12)")
    if page.count > 1:
        c.setFillColor(black)
        c.setFont(_SANS, 7)
        c.drawCentredString((X(L) + X(R)) / 2, Y(63, 9.0),
                            f"Page {page.number} of {page.count} - each page is a claim of its "
                            "own, totalled in its box 28")


def _margin(c: Canvas) -> None:
    """The right margin's brackets: CARRIER; PATIENT AND INSURED; PHYSICIAN OR SUPPLIER."""
    x = X(R) + 9.0
    for top, bottom, label in ((1, 7, "CARRIER"), (7, 31, "PATIENT AND INSURED INFORMATION"),
                               (31, 62, "PHYSICIAN OR SUPPLIER INFORMATION")):
        y1, y2 = Y(top, 2), Y(bottom, -2) if bottom != 62 else Y(62)
        middle = (y1 + y2) / 2
        half = 2.9 * len(label) / 2 + 4
        c.setLineWidth(0.6)
        c.line(x, y1, x, middle + half)
        c.line(x, middle - half, x, y2)
        for y, d in ((y1, -1), (y2, 1)):  # arrow heads
            path = c.beginPath()
            path.moveTo(x - 2.2, y + 3.2 * d)
            path.lineTo(x, y)
            path.lineTo(x + 2.2, y + 3.2 * d)
            c.drawPath(path, stroke=1, fill=0)
        c.saveState()
        c.translate(x + 2.0, middle)
        c.rotate(-90)
        c.setFont(_BOLD, 5.2)
        c.drawCentredString(0, 0, label)
        c.restoreState()


def draw_values(c: Canvas, page: Page, offset_lines: float = 0.0,
                offset_columns: float = 0.0) -> None:
    """The page's values: black monospace 12 (10 characters per inch) on the grid."""
    c.setFillColor(black)
    c.setFont(MONO, FONT_SIZE)
    for x, y, text in placements(page, offset_lines, offset_columns):
        c.drawString(x, y, text)


def new_canvas(buffer: io.BytesIO, title: str) -> Canvas:
    """A Letter canvas writing reproducible bytes (reportlab's invariant mode), with
    payerkit's fonts registered."""
    register()
    c = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
               initialFontName=SANS)
    c.setTitle(title)
    c.setAuthor("payerkit")
    c.setCreator("payerkit")
    c.setSubject("CMS-1500 (02/12)")
    return c


def write_cms1500(claim: Claim, options) -> bytes:
    """The claim as a drawn and filled CMS-1500 (02/12) PDF, one form per six lines."""
    return _drawn(form_pages(claim, signing_date(options)))


def write_cms1500_rendering(rendering, options) -> bytes:
    """A rendered claim (:func:`payerkit.formats.cms1500.render_cms1500`) as the drawn
    CMS-1500, signed on the day of writing."""
    return _drawn(signed(rendering.content, signing_date(options)))


def _drawn(pages) -> bytes:
    buffer = io.BytesIO()
    c = new_canvas(buffer, "CMS-1500 (02/12) health insurance claim form")
    for page in pages:
        _draw_form(c, page)
        draw_values(c, page)
        c.showPage()
    c.save()
    return buffer.getvalue()


__all__ = ["draw_values", "new_canvas", "write_cms1500", "write_cms1500_rendering"]

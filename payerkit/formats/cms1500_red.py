"""``cms-1500-red``: the claim's values alone, to print onto the pre-printed red CMS-1500.

Payers that scan paper claims (OCR) take only the original form printed in drop-out red
ink, with the data printed on it in black (First Coast, NGS Medicare: copies are returned
unprocessed). This format is a US Letter PDF holding nothing but the values of
:mod:`.cms1500` — black monospace 12 pt (Liberation Mono at Courier's pitch, embedded), 10
characters per inch and 6 lines per inch, all capitals — each on its cell of the print grid
(the research table of claim-formats.md §3.3, OpenEMR's positions: line 1 is the first
print line, column 1 the first print column), placed on the paper at the NUCC print
specification's offsets (0.3 in from the left, item 1's row 1.33 in from the top;
SECONDARY, via 222health). Nothing prints outside the form's boxes. A PDF rather than a
text file, so that the placement does not depend on a printer driver's font, pitch or
margins: print it at **actual size** (100 %, no "fit to page").

**Calibration.** The grid's place on the paper is a starting calibration; printers feed
paper a little differently. Print :func:`alignment_page` on a red form (``python -m
payerkit.formats.cms1500_red alignment -o align.pdf``), see where its X's land against the
check boxes, and set ``PAYERKIT_CMS1500_OFFSET="lines,columns"`` — e.g. ``"-0.5,1"`` moves
everything half a line up and one column right (decimals allowed, each at most ±12) — for
every later ``cms-1500-red`` claim and alignment page. A value that is not two such numbers
is an input error naming the variable.

A claim of more than six service lines continues on further forms, each totalled on its
own (box 28), as NUCC and OpenEMR do.
"""

from __future__ import annotations

import argparse
import io
import os
import sys

from ..errors import CaseError
from ..model.claim import Claim
from .cms1500 import (
    BASELINE,
    FIELDS,
    LINES_PER_PAGE,
    PAGE_HEIGHT,
    Page,
    column_x,
    form_pages,
    line_top,
    signed,
    signing_date,
)
from .cms1500_pdf import draw_values, new_canvas

OFFSET_ENV = "PAYERKIT_CMS1500_OFFSET"
#: The largest shift accepted, in lines and in columns (2 in down or up; 1.2 in sideways).
MAX_OFFSET = 12.0


def printer_offset(value: str | None = None) -> tuple[float, float]:
    """The printer's offset ``(lines, columns)``: ``value``, else ``$PAYERKIT_CMS1500_OFFSET``,
    else ``(0, 0)``. Raises :class:`CaseError` naming the variable when it is not
    ``"lines,columns"`` (two numbers, each from -12 to 12)."""
    text = os.environ.get(OFFSET_ENV, "") if value is None else value
    if not text.strip():
        return 0.0, 0.0
    problem = (f"{OFFSET_ENV}: must be 'lines,columns' — two numbers from -{MAX_OFFSET:g} to "
               f"{MAX_OFFSET:g}, e.g. '-0.5,1' (half a line up, one column right)")
    parts = text.split(",")
    if len(parts) != 2:
        raise CaseError([problem])
    try:
        lines, columns = (float(p) for p in parts)
    except ValueError:
        raise CaseError([problem]) from None
    if not all(abs(v) <= MAX_OFFSET for v in (lines, columns)):  # also refuses nan and inf
        raise CaseError([problem])
    return lines, columns


def write_cms1500_red(claim: Claim, options, offset: tuple[float, float] | None = None) -> bytes:
    """The claim's values for the red form, one page per six service lines."""
    offset = printer_offset() if offset is None else offset
    return _printed(form_pages(claim, signing_date(options)), offset)


def write_cms1500_red_rendering(rendering, options) -> bytes:
    """A rendered claim (:func:`payerkit.formats.cms1500.render_cms1500_red`) as the red
    form's values, signed on the day of writing, moved by the printer's offset."""
    offset = printer_offset()
    return _printed(signed(rendering.content, signing_date(options)), offset)


def _printed(pages, offset: tuple[float, float]) -> bytes:
    lines, columns = offset
    buffer = io.BytesIO()
    c = new_canvas(buffer, "CMS-1500 (02/12) data for the pre-printed red form")
    for page in pages:
        draw_values(c, page, lines, columns)
        c.showPage()
    c.save()
    return buffer.getvalue()


#: The alignment page: X's in these check boxes, X's filling the start of these fields.
ALIGNMENT_BOXES = ("1.other", "3.m", "3.f", "6.self", "6.other", "10a.yes", "10a.no", "11a.m",
                   "11a.f", "11d.no", "25.ssn", "25.ein", "27.yes", "27.no")
ALIGNMENT_FIELDS = ("1a", "2", "4", "21.A", "21.L", "23", "25", "33a", "17b",
                    *[f"24.{n}.{part}" for n in (1, LINES_PER_PAGE)
                      for part in ("from.mm", "from.dd", "from.yy", "to.mm", "to.dd", "to.yy", "b",
                                   "d", "e", "f.dollars", "f.cents", "g", "j")],
                    "28.dollars", "28.cents")


def alignment_values(offset: tuple[float, float] = (0.0, 0.0)) -> dict[str, str]:
    """The alignment page's values: field key → text (X's, and the offset used in box 19)."""
    values = {key: "X" for key in ALIGNMENT_BOXES}
    for key in ALIGNMENT_FIELDS:
        values[key] = "X" * min(FIELDS[key].width, 10)
    values["19"] = f"ALIGNMENT TEST OFFSET {offset[0]:+g} LINES {offset[1]:+g} COLUMNS"
    return values


def alignment_page(offset: tuple[float, float] | None = None) -> bytes:
    """A one-page PDF to print on a red form: X's in the check boxes and the start of a few
    fields (1a, 2, 4, 17b, 21, 23, service lines 1 and 6, 25, 28, 33a), a column ruler above
    the form (line 1: tens; line 2: units), a line ruler right of it (column 80: each line's
    last digit; column 79: the tens at lines 10, 20 ...), and in box 19 the offset used."""
    lines, columns = printer_offset() if offset is None else offset
    buffer = io.BytesIO()
    c = new_canvas(buffer, "CMS-1500 (02/12) alignment test for the pre-printed red form")
    draw_values(c, Page(1, 1, alignment_values((lines, columns)), ()), lines, columns)
    tens = "".join(str(col // 10 % 10) if col % 10 == 0 else "." for col in range(1, 80))
    units = "".join(str(col % 10) for col in range(1, 80))
    for line, text in ((1, tens), (2, units)):
        c.drawString(column_x(1, columns), PAGE_HEIGHT - line_top(line, lines) - BASELINE, text)
    for line in range(1, 63):
        y = PAGE_HEIGHT - line_top(line, lines) - BASELINE
        c.drawString(column_x(80, columns), y, str(line % 10))
        if line % 10 == 0:
            c.drawString(column_x(79, columns), y, str(line // 10))
    c.showPage()
    c.save()
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """``python -m payerkit.formats.cms1500_red alignment -o align.pdf [--offset L,C]``."""
    parser = argparse.ArgumentParser(
        prog="python -m payerkit.formats.cms1500_red",
        description="Print aids for the pre-printed red CMS-1500 (payerkit's cms-1500-red).")
    sub = parser.add_subparsers(dest="command", required=True)
    align = sub.add_parser("alignment", help="write the alignment test page (a PDF)")
    align.add_argument("-o", "--output", required=True, help="the PDF to write")
    align.add_argument("--offset", help=f"'lines,columns', e.g. --offset=-0.5,1 (default: "
                       f"${OFFSET_ENV}, else 0,0)")
    args = parser.parse_args(argv)
    from ..files import OutputError, write_atomic

    try:
        data = alignment_page(printer_offset(args.offset))
        write_atomic(args.output, data)
    except CaseError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    except OutputError as exc:
        print(exc, file=sys.stderr)
        return 3
    print(f"wrote {args.output}: print it at actual size on a red CMS-1500 form")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["OFFSET_ENV", "alignment_page", "main", "printer_offset", "write_cms1500_red",
           "write_cms1500_red_rendering"]

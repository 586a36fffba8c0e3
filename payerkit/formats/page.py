"""The letter page payerkit's statements share: the superbill (:mod:`.superbill`), the
patient statement (:mod:`.patient_statement`) and the progress report
(:mod:`.progress_report`) are laid out with these pieces, on the page
model of :mod:`.nf3` (:class:`~.nf3.Text`, :class:`~.nf3.Rule`, :class:`~.nf3.Rect`, the
:class:`~.nf3.Sheet` that refuses what cannot be printed), in the embedded fonts of
:mod:`.fonts`, drawn by :func:`.nf3.render_pdf`.

**The pieces.** The margins and the type sizes; the header (a title, a line under it, the
statement's facts on the right, an optional banner); the practice's name and address as
printed; blocks of lines in two columns, each value fitted to its column (never cut);
a table whose cells wrap onto more lines of their row (and may carry lines of notes
below them), continued over as many pages as the rows need, each page repeating the
header and a line saying whose statement it is, the last page keeping room for the
closing; the totals; the footer with the page numbers. A document made of sections
rather than one long table (the progress report) lays them out with :class:`Flow`, which
starts a new page, with the header and whose document it is, when the next section does
not fit, and continues a table over pages the same way.

What a statement says, and which rows and blocks it has, belong to its own module; the
drawing is here once, so the two statements look alike and a change to one is a change
to both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from attrs import field, frozen

from ..model.case import Provider
from .fonts import width as text_width
from .fonts import wrap
from .nf3 import (
    BOLD,
    NA,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    Op,
    Rect,
    Rule,
    Sheet,
    Text,
    city_line,
    phone_number,
    street,
    us_date,
)

LEFT = 40.0
WIDTH = PAGE_WIDTH - 2 * LEFT
RIGHT = LEFT + WIDTH
TOP = 40.0
BOTTOM = PAGE_HEIGHT - 36.0
SIZE = 9.0
COLUMN = WIDTH / 2 - 6  # a block's column: the provider, the patient...
LEAD = 11.5
ROW = 14.0
#: Each further line of a table row (a place's name or a description that wraps, a note).
ROW_LEAD = 10.5
#: A block's labels, and where its values start right of them.
LABEL_WIDTH = 92.0
#: The width of the totals' amounts ("none recorded" among them), right of their labels.
TOTALS_WIDTH = 70.0
#: The size of the notes under a table row.
NOTE_SIZE = 7.5
#: The room below a row's last note.
NOTES_GAP = 2.0
CONTINUED = "Continued on the next page"
#: The last total when something is owed.
BALANCE_DUE = "Balance due"

#: A table's column: (caption, width, right-aligned, the attribute of the row's record).
Column = tuple[str, float, bool, str]
#: The columns both statements' services tables have. Modifiers: four of the widest
#: two-character modifiers ("WW WW WW WW", the 837P's and the CMS-1500's limit) fit the line.
DATE_COLUMN: Column = ("Date", 52.0, False, "date")
CODE_COLUMN: Column = ("Code", 34.0, False, "code")
MODIFIERS_COLUMN: Column = ("Modifiers", 82.0, False, "modifiers")


@frozen
class Value:
    """A printed value and the field it comes from (``None``: payerkit's own text)."""

    text: str
    field: str | None = None


def practice(sheet: Sheet, provider: Provider, prefix: str, *,
             fitted: bool) -> tuple[str, tuple[Value, ...]]:
    """``(the name's field, [name, street, city line, phone])`` of the practice, each checked;
    ``prefix``: the record's field the practice is (``billing``, ``practice``). ``fitted``:
    for the PDF, whose column takes the practice's name for paper forms when the name does
    not fit it (a medium that wraps takes the name)."""
    if fitted:
        name_field, name = sheet.provider_name(provider, COLUMN, 2, box="practice", size=SIZE,
                                               font=BOLD, prefix=prefix)
        name_text = " ".join(name)
    else:
        name_field = f"{prefix}.name" if provider.is_organization else f"{prefix}.last_name"
        name_text = sheet.clean(name_field, provider.display_name, box="practice", required=True)
    return name_field, (
        Value(name_text, name_field),
        Value(sheet.clean(f"{prefix}.address.line1", street(provider.address), box="address",
                          required=True), f"{prefix}.address.line1"),
        Value(sheet.clean(f"{prefix}.address.city", city_line(provider.address), box="address",
                          required=True), f"{prefix}.address.city"),
        Value("Phone " + sheet.identifier(f"{prefix}.phone", phone_number(provider.phone), None,
                                          box="phone", required=False), f"{prefix}.phone"),
    )


def date_span(days: Sequence[dt.date]) -> str:
    """The first and the last of ``days`` (one day: that day; none: ``N/A``)."""
    dates = sorted(set(days))
    return us_date(dates[0]) if len(dates) == 1 else \
        f"{us_date(dates[0])} - {us_date(dates[-1])}" if dates else NA


# ---------------------------------------------------------------------------------------------
# The header and the blocks
# ---------------------------------------------------------------------------------------------


def header(page: list[Op], title: str, subtitle: str, facts: Sequence[str],
           banner: str | None = None) -> float:
    """The title and its subtitle on the left, one fact a line on the right (three take the
    title's height), a banner in a box across the page, a rule; the top of what follows."""
    page.append(Text(LEFT, TOP + 14, title, BOLD, 18))
    page.append(Text(LEFT, TOP + 27, subtitle, REGULAR, 9))
    for k, fact in enumerate(facts):
        page.append(Text(RIGHT, TOP + 10 + 11 * k, fact, REGULAR, 8.5, "right"))
    y = TOP + 38 + 11 * max(0, len(facts) - 3)
    if banner:
        page.append(Rect(LEFT, y, WIDTH, 15, width=1.2))
        page.append(Text(PAGE_WIDTH / 2, y + 10.5, banner, BOLD, 9, "center"))
        y += 18
    page.append(Rule(LEFT, y, RIGHT, y, 1.0))
    return y + 6


@frozen
class Block:
    title: str
    x: float
    width: float
    lines: tuple[tuple[str, str, str], ...]  # (label, text, font) one printed line each


#: The right-hand column's left edge.
SECOND_COLUMN = LEFT + WIDTH / 2 + 6


def block(sheet: Sheet, title: str, x: float, items: Sequence[tuple[str, Value]],
          plain: Sequence[Value] = ()) -> Block:
    """A block of one column: ``plain`` values first (the first in bold), then labelled
    ``items``; each value fitted to its place in at most two lines, or refused."""
    lines = []
    for k, value in enumerate(plain):
        font = BOLD if k == 0 else REGULAR
        for text in sheet.fit(value.field or "", value.text, COLUMN, 2, box=title.lower(),
                              size=SIZE, font=font):
            lines.append(("", text, font))
    for label, value in items:
        for j, text in enumerate(sheet.fit(value.field or "", value.text,
                                           COLUMN - LABEL_WIDTH, 2, box=label.lower(),
                                           size=SIZE)):
            lines.append((label if j == 0 else "", text, REGULAR))
    return Block(title, x, COLUMN, tuple(lines))


def heading(page: list[Op], x: float, y: float, width: float, title: str) -> float:
    """A section's title in capitals with a rule under it, ``width`` points wide; the rule's
    height (what follows starts a line below it)."""
    page.append(Text(x, y + 10, title.upper(), BOLD, 7.5))
    page.append(Rule(x, y + 13, x + width, y + 13, 0.4))
    return y + 13


def draw_blocks(page: list[Op], y: float, rows: Sequence[Sequence[Block]]) -> float:
    """Rows of blocks side by side; the top of what follows."""
    for row in rows:
        height = max(len(block.lines) for block in row) * LEAD + 16
        for block in row:
            heading(page, block.x, y, block.width, block.title)
            for i, (label, text, font) in enumerate(block.lines):
                baseline = y + 13 + (i + 1) * LEAD
                if label:
                    page.append(Text(block.x, baseline, label, REGULAR, 7.5))
                    page.append(Text(block.x + LABEL_WIDTH, baseline, text, font, SIZE))
                else:
                    page.append(Text(block.x, baseline, text, font, SIZE))
        y += height + 4
    return y


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


@frozen
class Row:
    """A table row: each column's lines of text, and lines of notes below them."""

    cells: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()

    @property
    def height(self) -> float:
        lines = max(len(lines) for lines in self.cells) - 1 + len(self.notes)
        return ROW + lines * ROW_LEAD + (NOTES_GAP if self.notes else 0.0)


@frozen
class Table:
    """A table's columns and how its cells are placed: ``wrapped``, the columns of
    payerkit's own texts, which wrap onto more lines of their row, with the record's field a
    refusal names, broken at spaces and, inside a word, after any of ``break_after``;
    ``indents``, the columns drawn further in than 3 points; ``notes_x``, where the notes
    under a row start."""

    title: str
    columns: tuple[Column, ...]
    wrapped: Mapping[str, str] = field(factory=dict)
    break_after: str = "/-"
    indents: Mapping[str, float] = field(factory=dict)
    notes_x: float = LEFT

    def indent(self, attribute: str) -> float:
        return self.indents.get(attribute, 3.0)


def fit_row(table: Table, line: object, index: int, sheet: Sheet) -> Row:
    """``line``'s cells (its attribute a column names: a text or a :class:`Value`), each
    fitted to its column or refused naming ``lines[index]``'s field."""
    cells = []
    for _, width, _, attribute in table.columns:
        value = getattr(line, attribute)
        text, field = (value.text, value.field) if isinstance(value, Value) else (value, None)
        room = width - 3 - table.indent(attribute)
        if attribute in table.wrapped:
            lines = wrap(text, room, REGULAR, SIZE, break_after=table.break_after)
            if lines is None:
                sheet.refuse(f"lines[{index}].{table.wrapped[attribute]}",
                             f"too wide for the {attribute} column of the {sheet.form}")
            cells.append(tuple(lines or [text]))
            continue
        if field is not None:
            sheet.fit(field, text, room, 1, box=attribute, size=SIZE)
        elif text_width(text, REGULAR, SIZE) > room:
            sheet.refuse(f"lines[{index}].{attribute}", f"too wide for the {attribute} column")
        cells.append((text,))
    return Row(tuple(cells))


def draw_table(page: list[Op], y: float, table: Table, rows: Sequence[Row], *,
               continued: bool) -> float:
    """The table's title, its header and ``rows``; the bottom of the last row."""
    page.append(Text(LEFT, y + 10, table.title + (" (CONTINUED)" if continued else ""), BOLD,
                     7.5))
    y += 14
    page.append(Rect(LEFT, y, WIDTH, ROW, width=0, fill=0.9))
    x = LEFT
    for caption, width, right, attribute in table.columns:
        if right:
            page.append(Text(x + width - 3, y + 9.8, caption, BOLD, 7.5, "right"))
        else:
            page.append(Text(x + table.indent(attribute), y + 9.8, caption, BOLD, 7.5))
        x += width
    y += ROW
    for row in rows:
        x = LEFT
        for (_, width, right, attribute), lines in zip(table.columns, row.cells, strict=True):
            for k, text in enumerate(lines):
                baseline = y + 10 + k * ROW_LEAD
                if right:
                    page.append(Text(x + width - 3, baseline, text, REGULAR, SIZE, "right"))
                else:
                    page.append(Text(x + table.indent(attribute), baseline, text, REGULAR, SIZE))
            x += width
        below = y + 10 + max(len(lines) for lines in row.cells) * ROW_LEAD
        for k, note in enumerate(row.notes):
            page.append(Text(table.notes_x, below + k * ROW_LEAD, note, REGULAR, NOTE_SIZE))
        y += row.height
        page.append(Rule(LEFT, y, RIGHT, y, 0.3))
    return y


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def room_below(top: float, closing: float) -> tuple[float, float]:
    """The height left for table rows below ``top``: with the closing (``closing`` points)
    below them, and without."""
    room = BOTTOM - top - 14 - ROW - 16  # the table's title and header; "continued"
    return room - closing, room


def fitting(rows: Sequence[Row], room: float) -> int:
    """How many of the first ``rows`` fit in ``room`` points (at least one)."""
    used, count = 0.0, 0
    for row in rows:
        used += row.height
        if used > room:
            break
        count += 1
    return max(1, count)


def chunks(rows: Sequence[Row], first: tuple[float, float],
           later: tuple[float, float]) -> list[Sequence[Row]]:
    """The rows of each page: as many as fit, the last page's leaving room for the closing."""
    pages = []
    room = first
    while True:
        with_closing, without = room
        if sum(row.height for row in rows) <= with_closing or len(rows) <= 1:
            pages.append(rows)
            return pages
        take = min(fitting(rows, without), len(rows) - 1)  # one row at least goes with the
        pages.append(rows[:take])                          # closing
        rows = rows[take:]
        room = later


def continue_table(sheet: Sheet, page: list[Op], y: float, table: Table, rows: Sequence[Row],
                   *, header: Callable[[list[Op]], float],
                   continuation: Callable[[list[Op], float], float],
                   closing: Callable[[list[Op], float], object], closing_height: float) -> int:
    """The table's rows from ``y`` on the first ``page``, then on as many further pages as
    they need (each opening with ``header`` and ``continuation``: whose statement it is),
    ``closing`` below the last row; the number of pages."""
    later = continuation([], header([]))
    pages = chunks(rows, room_below(y, closing_height), room_below(later, closing_height))
    for number, chunk in enumerate(pages, start=1):
        if number > 1:
            page = sheet.new_page()
            y = header(page)
            y = continuation(page, y)
        y = draw_table(page, y, table, chunk, continued=number > 1)
        if number == len(pages):
            closing(page, y)
        else:
            page.append(Text(RIGHT, y + 10, CONTINUED, REGULAR, 8, "right"))
    return len(pages)


class Flow:
    """Sections laid out one under another on as many pages as they need, for a document
    whose sections (not one table) make its length: a section that does not fit above the
    footer starts a new page, which opens with ``header`` and ``continuation`` (whose
    document it is). ``page`` and ``y``: where the next section goes."""

    def __init__(self, sheet: Sheet, header: Callable[[list[Op]], float],
                 continuation: Callable[[list[Op], float], float]):
        self.sheet = sheet
        self._header = header
        self._continuation = continuation
        self.page = sheet.new_page()
        self.y = header(self.page)
        self.fresh = True  # nothing drawn below the header yet

    def new_page(self) -> None:
        self.page = self.sheet.new_page()
        self.y = self._continuation(self.page, self._header(self.page))
        self.fresh = True

    def need(self, height: float) -> None:
        """Room for a section of ``height`` points: on this page if it fits above the
        footer, else on a new one."""
        if self.y + height > BOTTOM and not self.fresh:
            self.new_page()
        self.fresh = False

    def advance(self, y: float) -> None:
        self.y = y
        self.fresh = False

    def table(self, table: Table, rows: Sequence[Row], gap: float = 6.0) -> None:
        """The table's rows from here, as many on each page as fit, continued on new pages
        (the title saying so) with "Continued on the next page" under each page's last row."""
        continued = False
        while rows:
            _, room = room_below(self.y, 0.0)
            if sum(row.height for row in rows) <= room + 16:
                take = len(rows)  # the last page needs no "continued" line
            elif rows[0].height > room and not self.fresh:
                self.new_page()
                continue
            else:
                take = fitting(rows, room)
            y = draw_table(self.page, self.y, table, rows[:take], continued=continued)
            rows = rows[take:]
            continued = True
            if rows:
                self.page.append(Text(RIGHT, y + 10, CONTINUED, REGULAR, 8, "right"))
                self.new_page()
            else:
                self.advance(y + gap)


def number_pages(pages: Sequence[list[Op]], footer: str) -> None:
    """The footer and "Page n of N" at the foot of every page."""
    for number, page in enumerate(pages, start=1):
        page.append(Rule(LEFT, BOTTOM + 6, RIGHT, BOTTOM + 6, 0.3))
        page.append(Text(LEFT, BOTTOM + 15, footer, REGULAR, 6.5))
        page.append(Text(RIGHT, BOTTOM + 15, f"Page {number} of {len(pages)}", REGULAR, 6.5,
                         "right"))


def totals(page: list[Op], y: float, items: Sequence[tuple[str, str, str]]) -> float:
    """``(label, amount, font)`` a line, right-aligned at the page's right edge, and a rule
    under them; the rule's top."""
    label_x = RIGHT - TOTALS_WIDTH - 6
    for k, (label, amount, font) in enumerate(items):
        page.append(Text(label_x, y + 12 + k * ROW, label, font, SIZE, "right"))
        page.append(Text(RIGHT - 3, y + 12 + k * ROW, amount, font, SIZE, "right"))
    y += len(items) * ROW
    page.append(Rule(label_x - 150, y + 2, RIGHT, y + 2, 0.6))
    return y


__all__ = ["BOTTOM", "COLUMN", "LEAD", "LEFT", "RIGHT", "ROW", "ROW_LEAD", "SIZE", "TOP",
           "TOTALS_WIDTH", "WIDTH", "Block", "Column", "Flow", "Row", "Table", "Value", "block",
           "chunks", "continue_table", "draw_blocks", "draw_table", "fit_row", "header",
           "heading", "number_pages", "practice", "room_below", "totals"]

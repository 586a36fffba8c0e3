"""cms-1500-red: data only, Courier 10 characters per inch, 6 lines per inch, black, each
value on its cell of the research grid (claim-formats.md §3.3), nothing outside the form's
boxes; the printer offset; the alignment page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import attrs
import pytest

from payerkit.errors import CaseError
from payerkit.formats import cms1500_red
from payerkit.formats.cms1500 import (
    BOXES,
    CELL_HEIGHT,
    CELL_WIDTH,
    FIELDS,
    cell_of,
    column_x,
    form_pages,
    line_top,
)
from payerkit.formats.cms1500_pdf import write_cms1500
from payerkit.formats.cms1500_red import (
    ALIGNMENT_BOXES,
    OFFSET_ENV,
    alignment_page,
    printer_offset,
    write_cms1500_red,
)
from payerkit.formats.fonts import MONO
from payerkit.model.claim import Claim, ClaimLine

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber (the test extra) reads the PDF")

#: The research table (claim-formats.md §3.3, OpenEMR's Hcfa1500.php): where each value
#: begins, (line, column). Money is "%8.2f with the point replaced by a space" from the
#: column given: the dollars end two cells before the cents.
RESEARCH_GRID = {
    **{f"carrier.{i}": (1 + i, 41) for i in range(1, 5)},
    "1.medicare": (8, 1), "1.medicaid": (8, 8), "1.tricare": (8, 15), "1.champva": (8, 24),
    "1.group": (8, 31), "1.feca": (8, 39), "1.other": (8, 45), "1a": (8, 50),
    "2": (10, 1), "3.mm": (10, 31), "3.dd": (10, 34), "3.yy": (10, 37), "3.m": (10, 42),
    "3.f": (10, 47), "4": (10, 50),
    "5.street": (12, 1), "6.self": (12, 33), "6.spouse": (12, 38), "6.child": (12, 42),
    "6.other": (12, 47), "7.street": (12, 50),
    "5.city": (14, 1), "5.state": (14, 26), "7.city": (14, 50), "7.state": (14, 74),
    "5.zip": (16, 1), "7.zip": (16, 50), "11": (18, 50),
    "10a.yes": (20, 35), "10a.no": (20, 41), "11a.mm": (20, 53), "11a.dd": (20, 56),
    "11a.yy": (20, 59), "11a.m": (20, 68), "11a.f": (20, 75),
    "10b.yes": (22, 35), "10b.no": (22, 41), "10b.state": (22, 45), "11b.qual": (22, 50),
    "10c.yes": (24, 35), "10c.no": (24, 41), "11d.yes": (26, 52), "11d.no": (26, 57),
    "12": (29, 7), "13": (29, 55),
    "14.mm": (32, 2), "14.dd": (32, 5), "14.yy": (32, 8), "14.qual": (32, 16),
    "15.qual": (32, 31), "15.mm": (32, 37), "15.dd": (32, 40), "15.yy": (32, 43),
    "17.qual": (34, 1), "17": (34, 4), "17b": (34, 33),
    "19": (36, 1), "20.yes": (36, 52), "20.no": (36, 57), "21.ind": (37, 42),
    **{f"21.{letter}": (38 + i // 4, (3, 16, 29, 42)[i % 4]) for i, letter in enumerate("ABCDEFGHIJKL")},
    "22.code": (38, 50), "22.ref": (38, 62), "23": (40, 50),
    **{key: (line, col) for n in range(1, 7) for key, line, col in (
        (f"24.{n}.i.shaded", 41 + 2 * n, 65), (f"24.{n}.j.shaded", 41 + 2 * n, 68),
        (f"24.{n}.from.mm", 42 + 2 * n, 1), (f"24.{n}.from.dd", 42 + 2 * n, 4),
        (f"24.{n}.from.yy", 42 + 2 * n, 7), (f"24.{n}.to.mm", 42 + 2 * n, 10),
        (f"24.{n}.to.dd", 42 + 2 * n, 13), (f"24.{n}.to.yy", 42 + 2 * n, 16),
        (f"24.{n}.b", 42 + 2 * n, 19), (f"24.{n}.d", 42 + 2 * n, 25),
        (f"24.{n}.mod1", 42 + 2 * n, 33), (f"24.{n}.mod2", 42 + 2 * n, 36),
        (f"24.{n}.mod3", 42 + 2 * n, 39), (f"24.{n}.mod4", 42 + 2 * n, 42),
        (f"24.{n}.e", 42 + 2 * n, 45), (f"24.{n}.g", 42 + 2 * n, 59), (f"24.{n}.j", 42 + 2 * n, 68))},
    "25": (56, 1), "25.ssn": (56, 17), "25.ein": (56, 19), "26": (56, 23), "27.yes": (56, 38),
    "27.no": (56, 43), "33.area": (57, 66), "33.phone": (57, 70),
    "32.1": (58, 23), "32.2": (59, 23), "32.3": (60, 23), "33.1": (58, 50), "33.2": (59, 50),
    "33.3": (60, 50), "31": (60, 1), "31.date": (61, 6), "32a": (61, 23), "33a": (61, 50),
    "33b": (61, 63),
}
#: Money: (dollars field, cents field) → the research column of the "%8.2f" value.
RESEARCH_MONEY = {**{(f"24.{n}.f.dollars", f"24.{n}.f.cents"): (42 + 2 * n, 50) for n in range(1, 7)},
                  ("28.dollars", "28.cents"): (56, 52), ("29.dollars", "29.cents"): (56, 62)}
#: payerkit's own refinements of the table, where it gives one column for two values.
REFINED = {"11b": (22, 54)}


def test_the_grid_is_the_research_table():
    for key, where in {**RESEARCH_GRID, **REFINED}.items():
        f = FIELDS[key]
        assert (f.line, f.col) == where, key
    for (dollars, cents), (line, col) in RESEARCH_MONEY.items():
        d, c = FIELDS[dollars], FIELDS[cents]
        assert d.align == "right" and d.line == c.line == line
        assert d.col + d.width - 1 == col + 4 and c.col == col + 6, dollars  # "%8.2f", "." → " "
    unknown = set(FIELDS) - set(RESEARCH_GRID) - set(REFINED) - {k for pair in RESEARCH_MONEY
                                                                 for k in pair}
    assert unknown == set(), "every field is placed by the research table"


# ------------------------------------------------------------------------------- reading


def chars_of(pdf: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = []
        for page in document.pages:
            assert not page.lines and not page.rects and not page.curves, "data only: no drawing"
            pages.append(list(page.chars))
        return pages


def cells_of(chars: list[dict], offset=(0.0, 0.0)) -> dict[tuple[int, int], str]:
    """Each character's cell, checked to sit exactly on the grid: the mono font (Courier's
    pitch) at 12 points, black, its left edge on a 1/10-inch column, its box inside a 1/6-inch
    line."""
    cells = {}
    for ch in chars:
        if ch["text"] == " ":  # a value's inner space: nothing is printed there
            continue
        assert ch["fontname"].split("+")[-1] == MONO and ch["size"] == pytest.approx(12.0)
        assert tuple(ch["non_stroking_color"] or (0,)) in ((0,), (0, 0, 0), (0.0, 0.0, 0.0)), ch
        assert ch["x1"] - ch["x0"] == pytest.approx(CELL_WIDTH)  # 10 characters per inch
        line, col = cell_of(ch["x0"], ch["top"], ch["bottom"], *offset)
        assert ch["x0"] == pytest.approx(column_x(col, offset[1]), abs=0.01)
        top = line_top(line, offset[0])
        assert top - 0.5 <= ch["top"] and ch["bottom"] <= top + CELL_HEIGHT + 0.5  # 6 per inch
        assert (line, col) not in cells
        cells[(line, col)] = ch["text"]
    return cells


def text_at(cells: dict, line: int, col: int, width: int) -> str:
    return "".join(cells.get((line, c), " ") for c in range(col, col + width))


# ---------------------------------------------------------------------- a claim with everything


@pytest.fixture
def full_claim(auto_accident_claim, commercial_dependent_claim) -> Claim:
    """Every kind of box: referring, prior authorization, a short account number, 14, 22, 29."""
    claim = attrs.evolve(commercial_dependent_claim, id="PK123")
    extra = {}
    fields = attrs.fields_dict(Claim)
    if "frequency" in fields:
        extra.update(frequency="7", original_claim_number="ORIG12345")
    if "amount_paid" in fields:
        extra.update(amount_paid=Decimal("15.50"))
    return attrs.evolve(claim, **extra)


def test_every_value_prints_on_its_cell_of_the_grid(full_claim, fixed_options):
    page, = form_pages(full_claim, fixed_options.now.date())
    chars, = chars_of(write_cms1500_red(full_claim, fixed_options, (0, 0)))
    cells = cells_of(chars)
    expected = {}
    for key, text in page.values.items():
        f = FIELDS[key]
        start = f.col + f.width - len(text) if f.align == "right" else f.col
        for i, char in enumerate(text):
            if char != " ":
                expected[(f.line, start + i)] = char
        where = RESEARCH_GRID.get(key) or REFINED.get(key)
        if where is not None:
            assert text_at(cells, where[0], where[1], len(text)) == text, key
    for (dollars, cents), (line, col) in RESEARCH_MONEY.items():
        if dollars in page.values:  # "%8.2f" at the research column, the point a space
            amount = f"{page.values[dollars]}.{page.values[cents]}"
            assert text_at(cells, line, col, 8) == f"{Decimal(amount):8.2f}".replace(".", " ")
    assert cells == expected  # nothing else prints
    assert {"2", "17", "22.ref", "23", "26", "24.2.mod2"} <= set(page.values)


def test_nothing_prints_outside_the_forms_boxes(full_claim, fixed_options):
    chars, = chars_of(write_cms1500_red(full_claim, fixed_options, (0, 0)))
    for (line, col) in cells_of(chars):
        inside = [b for b in BOXES.values() if b.top <= line < b.bottom and b.left <= col
                  and col + 1 <= b.right and b.id != "carrier"]
        carrier = BOXES["carrier"]
        in_carrier = carrier.top <= line < carrier.bottom and carrier.left <= col < carrier.right
        assert inside or in_carrier, (line, col)


def _thirteen_lines(claim: Claim) -> Claim:
    day = dt.date(2026, 1, 5)
    lines = [ClaimLine(day + dt.timedelta(days=7 * i), ("97124", "97140")[i % 2], 1 + i % 3,
                       Decimal("35.25") + i, (1, 2) if i % 2 else (1,), control_number=str(i + 1))
             for i in range(13)]
    return attrs.evolve(claim, lines=lines)


def test_thirteen_lines_make_three_forms_each_totalled(auto_accident_claim, fixed_options):
    claim = _thirteen_lines(auto_accident_claim)
    pages = chars_of(write_cms1500_red(claim, fixed_options, (0, 0)))
    assert len(pages) == 3
    totals = []
    for p, chars in enumerate(pages):
        cells = cells_of(chars)
        mine = claim.lines[p * 6:(p + 1) * 6]
        for n, line in enumerate(mine, 1):
            row = 42 + 2 * n
            assert text_at(cells, row, 1, 8) == f"{line.date:%m %d %y}"
            assert text_at(cells, row, 25, 5) == line.code
            assert text_at(cells, row, 50, 8) == f"{line.charge:8.2f}".replace(".", " ")
        for n in range(len(mine) + 1, 7):
            assert text_at(cells, 42 + 2 * n, 1, 78).strip() == ""
        page_total = sum(line.charge for line in mine)
        assert text_at(cells, 56, 52, 8) == f"{page_total:8.2f}".replace(".", " ")
        assert text_at(cells, 8, 50, 11) == "NF20251220A"  # every form is a whole claim
        totals.append(page_total)
    assert totals == [Decimal("226.50"), Decimal("262.50"), Decimal("47.25")]
    assert sum(totals) == claim.total_charge


# ---------------------------------------------------------------------------- the offset


def test_the_printer_offset_moves_everything(auto_accident_claim, fixed_options, monkeypatch):
    plain, = chars_of(write_cms1500_red(auto_accident_claim, fixed_options, (0, 0)))
    monkeypatch.setenv(OFFSET_ENV, " 1.5 , -2 ")
    assert printer_offset() == (1.5, -2.0)
    moved, = chars_of(write_cms1500_red(auto_accident_claim, fixed_options))
    assert len(plain) == len(moved)
    for a, b in zip(plain, moved, strict=True):
        assert b["x0"] == pytest.approx(a["x0"] - 2 * CELL_WIDTH)
        assert b["top"] == pytest.approx(a["top"] + 1.5 * CELL_HEIGHT)
    assert cells_of(moved, (1.5, -2.0)) == cells_of(plain)
    # the drawn form keeps its values in its own boxes, whatever the printer
    assert write_cms1500(auto_accident_claim, fixed_options) == \
        write_cms1500(auto_accident_claim, fixed_options)


@pytest.mark.parametrize("value", ["1", "1,2,3", "a,b", "13,0", "0,-12.5", "nan,0", "inf,1", "1;2"])
def test_a_bad_offset_is_an_input_error_naming_the_variable(value, monkeypatch,
                                                           auto_accident_claim, fixed_options):
    monkeypatch.setenv(OFFSET_ENV, value)
    with pytest.raises(CaseError) as exc:
        write_cms1500_red(auto_accident_claim, fixed_options)
    assert exc.value.problems[0].startswith(f"{OFFSET_ENV}: ")


def test_no_offset_is_zero(monkeypatch):
    monkeypatch.delenv(OFFSET_ENV, raising=False)
    assert printer_offset() == (0.0, 0.0) == printer_offset("  ")
    assert printer_offset("-12,12") == (-12.0, 12.0)


# ---------------------------------------------------------------------- the alignment page


def test_the_alignment_page_shows_where_print_lands(monkeypatch):
    monkeypatch.delenv(OFFSET_ENV, raising=False)
    chars, = chars_of(alignment_page())
    cells = {cell_of(ch["x0"], ch["top"], ch["bottom"]): ch["text"] for ch in chars
             if ch["text"] != " "}
    for key in ALIGNMENT_BOXES:
        f = FIELDS[key]
        assert cells[(f.line, f.col)] == "X", key
    assert text_at(cells, 8, 50, 10) == "X" * 10 and text_at(cells, 44, 1, 2) == "XX"
    assert text_at(cells, 1, 1, 20) == ".........1.........2"
    assert text_at(cells, 2, 1, 12) == "123456789012"
    assert [cells[(line, 80)] for line in (8, 9, 10)] == ["8", "9", "0"] and cells[(10, 79)] == "1"
    assert text_at(cells, 36, 1, 48).strip() == "ALIGNMENT TEST OFFSET +0 LINES +0 COLUMNS"
    moved, = chars_of(alignment_page((0.5, -1)))
    assert moved[0]["x0"] == pytest.approx(chars[0]["x0"] - CELL_WIDTH)


def test_the_alignment_command(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(OFFSET_ENV, raising=False)
    out = tmp_path / "align.pdf"
    assert cms1500_red.main(["alignment", "-o", str(out), "--offset=1,0"]) == 0
    assert cms1500_red.main(["alignment", "-o", str(tmp_path / "up.pdf"), "--offset=-0.5,1"]) == 0
    assert out.read_bytes() == alignment_page((1.0, 0.0))
    assert cms1500_red.main(["alignment", "-o", str(tmp_path / "x.pdf"), "--offset", "x"]) == 2
    assert OFFSET_ENV in capsys.readouterr().err
    assert cms1500_red.main(["alignment", "-o", str(tmp_path)]) == 3  # a folder: refused

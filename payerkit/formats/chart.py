"""A measure over time, as a chart drawn with reportlab's own graphics
(:mod:`reportlab.graphics.shapes`: a :class:`~reportlab.graphics.shapes.Drawing` of lines,
circles and strings; no plotting stack): the measurements joined by a line, a dot at each, a
dashed line for each reference value (a goal's baseline and target) labelled at the right,
the value axis on the left with its ticks and grid, the dates under the plot.

**Scales.** The value axis runs over round ticks (1, 2, 2.5 or 5 times a power of ten, three
to seven of them) that hold every measurement and every reference value with a margin; the ticks are
computed in ``Decimal``, so a label says exactly the value its tick stands for. The date
axis is linear in days from the first measurement to the last (one measurement: in the
middle); its labels are the measurements' dates, as many as fit side by side, the first and
the last always among them.

**Reading it back.** Each value label is drawn with its baseline :data:`LABEL_DROP` points
below its tick (which its grid line marks); each date label is centred on its tick; each dot
is a circle of radius :data:`DOT` centred on its point. A test reads the labels and the dots
back from the PDF and maps the dots to their values through the labels
(``tests/formats/test_progress_report.py``).

Text is drawn in the embedded fonts of :mod:`.fonts` (the drawing's initial font too, so no
standard font is named in the PDF); the caller checks what it prints (:func:`check_axis`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from attrs import frozen

from .fonts import SANS, SANS_BOLD
from .fonts import width as text_width
from .nf3 import us_date

#: The size of the axes' labels and the reference lines' labels.
LABEL_SIZE = 6.5
#: How far below its tick a value label's baseline is (about half a digit's height).
LABEL_DROP = 2.3
#: The radius of a measurement's dot.
DOT = 2.4
#: The room left of the plot for the value labels, right of it for the reference labels,
#: below it for the dates, above it for the caption.
LEFT_ROOM, RIGHT_ROOM, BOTTOM_ROOM, TOP_ROOM = 44.0, 66.0, 20.0, 14.0
#: The blank between two date labels, and around the measurements inside the plot.
DATE_GAP, INSET = 6.0, 10.0
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
MAX_TICKS = 7
#: The share of the values' range kept clear above and below them.
MARGIN = Decimal("0.05")


@frozen
class Reference:
    """A reference value drawn across the plot: its label ("Target 20"), its value, its
    dash pattern and grey level."""

    label: str
    value: Decimal
    dash: tuple[float, ...]
    grey: float


@frozen
class Axis:
    """The value axis: its ends and its ticks (``Decimal``, exact)."""

    low: Decimal
    high: Decimal
    ticks: tuple[Decimal, ...]

    def position(self, value: Decimal, bottom: float, height: float) -> float:
        """``value``'s height in a plot whose bottom is ``bottom`` (reportlab's y axis: up)."""
        return bottom + float((value - self.low) / (self.high - self.low)) * height


def value_text(value: Decimal) -> str:
    """``42``, ``6.5``, ``-0.25``: a value as its label prints it, without exponent or
    trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def value_axis(values: Sequence[Decimal]) -> Axis:
    """Round ticks from at or below the least of ``values`` to at or above the greatest."""
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    margin = (high - low) * MARGIN  # so no line lies on the plot's edge
    low, high = low - margin, high + margin
    raw = (high - low) / (MAX_TICKS - 2)
    power = Decimal(1).scaleb(raw.adjusted())
    step = next(power * s for s in STEPS if power * s >= raw)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    count = int((last - first) / step) + 1
    ticks = tuple(first + step * k for k in range(count))
    return Axis(ticks[0], ticks[-1], ticks)


def check_axis(axis: Axis) -> str | None:
    """The widest tick label that does not fit left of the plot, or ``None``."""
    for tick in axis.ticks:
        if text_width(value_text(tick), SANS, LABEL_SIZE) > LEFT_ROOM - 6:
            return value_text(tick)
    return None


def date_labels(days: Sequence[dt.date], left: float, width: float) -> list[dt.date]:
    """The dates to label on a date axis of ``width`` points: as many of ``days`` as fit
    side by side, the first and the last always."""
    days = sorted(set(days))
    if len(days) <= 1:
        return days
    label = text_width(us_date(days[0]), SANS, LABEL_SIZE) + DATE_GAP
    chosen = [days[0]]
    for day in days[1:]:
        if _date_x(day, days, left, width) - _date_x(chosen[-1], days, left, width) >= label:
            chosen.append(day)
    if chosen[-1] != days[-1]:
        if len(chosen) > 1:
            chosen.pop()
        if _date_x(days[-1], days, left, width) - _date_x(chosen[-1], days, left, width) \
                >= label:
            chosen.append(days[-1])
    return chosen


def _date_x(day: dt.date, days: Sequence[dt.date], left: float, width: float) -> float:
    first, last = days[0], days[-1]
    if first == last:
        return left + width / 2
    return left + INSET + (day - first).days / (last - first).days * (width - 2 * INSET)


def measure_chart(points: Sequence[tuple[dt.date, Decimal]], references: Sequence[Reference],
                  caption: str, width: float, height: float):
    """The chart as a reportlab :class:`~reportlab.graphics.shapes.Drawing` of ``width`` by
    ``height`` points."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib.colors import Color

    def grey(level: float) -> Color:
        return Color(level, level, level)

    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=LABEL_SIZE)
    left, bottom = LEFT_ROOM, BOTTOM_ROOM
    plot_w, plot_h = width - LEFT_ROOM - RIGHT_ROOM, height - BOTTOM_ROOM - TOP_ROOM
    axis = value_axis([value for _, value in points] + [r.value for r in references])
    days = sorted({day for day, _ in points})

    drawing.add(String(left - 4, bottom + plot_h + 6, caption, fontName=SANS_BOLD,
                       fontSize=7, textAnchor="start"))
    for tick in axis.ticks:
        y = axis.position(tick, bottom, plot_h)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=grey(0.82), strokeWidth=0.4))
        drawing.add(Line(left - 3, y, left, y, strokeColor=grey(0), strokeWidth=0.6))
        drawing.add(String(left - 5, y - LABEL_DROP, value_text(tick), fontName=SANS,
                           fontSize=LABEL_SIZE, textAnchor="end"))
    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeWidth=0.7))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeWidth=0.7))
    for day in date_labels(days, left, plot_w):
        x = _date_x(day, days, left, plot_w)
        drawing.add(Line(x, bottom, x, bottom - 3, strokeWidth=0.6))
        drawing.add(String(x, bottom - 11, us_date(day), fontName=SANS, fontSize=LABEL_SIZE,
                           textAnchor="middle"))

    placed: list[float] = []  # the reference labels' heights, kept apart
    for reference in references:
        y = axis.position(reference.value, bottom, plot_h)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=grey(reference.grey),
                         strokeWidth=0.9, strokeDashArray=list(reference.dash)))
        label_y = y - LABEL_DROP
        for other in placed:
            if abs(label_y - other) < LABEL_SIZE + 1:
                label_y = other - LABEL_SIZE - 1 if label_y <= other else other + LABEL_SIZE + 1
        placed.append(label_y)
        drawing.add(String(left + plot_w + 4, label_y, reference.label, fontName=SANS,
                           fontSize=LABEL_SIZE, fillColor=grey(reference.grey * 0.6)))

    at = [(_date_x(day, days, left, plot_w), axis.position(value, bottom, plot_h))
          for day, value in points]
    if len(at) > 1:
        drawing.add(PolyLine([c for xy in at for c in xy], strokeWidth=1.2,
                             strokeColor=grey(0.15), fillColor=None))
    for x, y in at:
        drawing.add(Circle(x, y, DOT, fillColor=grey(0), strokeColor=None))
    return drawing


__all__ = ["Axis", "Reference", "check_axis", "date_labels", "measure_chart", "value_axis",
           "value_text"]

"""The progress report PDF, read back with pdfplumber: the charts' values mapped back from the
drawn dots through the axes' labels, the plan, the goals, the dates and what is due as text,
many goals continued over pages, names beyond Windows-1252, hypothesis over the measurements,
and what does not fit refused by its field.

**Reading a chart back.** Each chart is found by its caption ("..., lower is better"). Its
value labels (left of the plot) give the value axis: each label's baseline, read from the
character's text matrix, is :data:`~payerkit.formats.chart.LABEL_DROP` below its tick, and
the tick's grid line is checked to be there; two labels give the transform from a height on
the page to a value. Its date labels (under the plot, each centred on its tick) give the date
axis the same way. Each dot (a circle of radius :data:`~payerkit.formats.chart.DOT`) is
mapped through both and must land on its measurement.

The image in ``docs/images`` is rendered again by pdftoppm; after an intended change to the
layout, rewrite it with ``PAYERKIT_REGEN_IMAGES=1 pytest tests/formats/test_progress_report.py``
and look at it before committing."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_report_samples import DUE, NDI_SOURCE, VISITS, ndi_goal, rotation_goal, wa_report

from payerkit.errors import FormatError
from payerkit.formats.chart import DOT, LABEL_DROP, LABEL_SIZE, value_text
from payerkit.formats.progress_report import (
    check_progress_report,
    progress_report_pages,
    write_progress_report,
)
from payerkit.model import AuthorizationState, GoalProgress, PlanReport

ROOT = Path(__file__).resolve().parents[2]
IMAGE = ROOT / "docs" / "images" / "progress-report.png"
DATE = re.compile(r"^\d\d/\d\d/\d{4}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
#: The chart's height, from its caption's top to below its date labels.
REGION = 150.0


@pytest.fixture(scope="module")
def report() -> PlanReport:
    return wa_report()


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    return write_progress_report(report)


def pages(data: bytes):
    return pdfplumber.open(io.BytesIO(data)).pages


def text_of(data: bytes) -> str:
    """Every page's text, with the lines of a wrapped paragraph joined by spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in pages(data))


def beside(page, label: str) -> str:
    """The text printed on the same line as ``label`` and to its right, within its half."""
    hits = page.search(label, regex=False)
    assert hits, f"label {label!r} not on the page"
    hit = hits[0]
    right = page.width / 2 if hit["x0"] < page.width / 2 else page.width
    return page.within_bbox((hit["x1"], hit["top"] - 2, right, hit["bottom"] + 2)) \
        .extract_text().strip()


def block(page, title: str) -> list[str]:
    """The lines under a block's title, in its column."""
    [hit] = [h for h in page.search(title, regex=False) if h["x0"] in (40.0, 312.0)]
    return page.within_bbox((hit["x0"], hit["bottom"] + 1, hit["x0"] + 260,
                             hit["bottom"] + 60)).extract_text().splitlines()


# ------------------------------------------------------------------ reading a chart back


@attrs.frozen
class Chart:
    caption: str
    #: (value, the tick's height from the top of the page), read from the labels.
    value_ticks: tuple[tuple[Decimal, float], ...]
    #: (date, the tick's x), read from the labels.
    date_ticks: tuple[tuple[dt.date, float], ...]
    #: The dots' centres, left to right.
    dots: tuple[tuple[float, float], ...]
    #: The reference labels at the right ("Baseline 42", "Target 20").
    references: tuple[str, ...]

    def value(self, y: float) -> Fraction:
        """The value at height ``y``, through the first and the last value labels."""
        (v0, y0), (v1, y1) = self.value_ticks[0], self.value_ticks[-1]
        return Fraction(v0) + (Fraction(y) - Fraction(y0)) * Fraction(v1 - v0) / \
            (Fraction(y1) - Fraction(y0))

    def day(self, x: float) -> Fraction:
        """The day (an ordinal) at ``x``, through the first and the last date labels."""
        (d0, x0), (d1, x1) = self.date_ticks[0], self.date_ticks[-1]
        return d0.toordinal() + (Fraction(x) - Fraction(x0)) * \
            (d1.toordinal() - d0.toordinal()) / (Fraction(x1) - Fraction(x0))

    @property
    def span(self) -> Decimal:
        return self.value_ticks[-1][0] - self.value_ticks[0][0]


def charts(page) -> list[Chart]:
    """Every chart on the page, read from its labels, grid lines and dots."""
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    captions = [w for w in words if w["text"] == "better" and round(w["size"], 1) == 7.0]
    found = []
    for caption in captions:
        top, bottom = caption["top"] - 2, caption["top"] + REGION
        inside = [w for w in words if top <= w["top"] <= bottom
                  and round(w["size"], 2) == LABEL_SIZE]
        line = [w["text"] for w in words if abs(w["top"] - caption["top"]) < 1
                and round(w["size"], 1) == 7.0]
        value_ticks = []
        for w in inside:
            if NUMBER.match(w["text"]) and w["x1"] < 40 + 44:
                [char] = [c for c in page.chars if c["text"] == w["text"][0]
                          and abs(c["x0"] - w["x0"]) < 0.01 and abs(c["top"] - w["top"]) < 0.01]
                baseline = page.height - char["matrix"][5]
                value_ticks.append((Decimal(w["text"]), baseline - LABEL_DROP))
        value_ticks.sort(key=lambda t: -t[1])  # bottom to top
        grid = [line_["top"] for line_ in page.lines
                if abs(line_["top"] - line_["bottom"]) < 0.01 and top <= line_["top"] <= bottom]
        for _, y in value_ticks:  # each label is beside its tick's grid line
            assert min(abs(g - y) for g in grid) < 0.01, (y, grid)
        date_ticks = sorted((dt.datetime.strptime(w["text"], "%m/%d/%Y").date(),
                             (w["x0"] + w["x1"]) / 2)
                            for w in inside if DATE.match(w["text"]))
        dots = sorted(((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
                      for c in page.curves if top <= c["top"] <= bottom
                      and abs(c["x1"] - c["x0"] - 2 * DOT) < 0.05
                      and abs(c["bottom"] - c["top"] - 2 * DOT) < 0.05)
        references = sorted(" ".join(w["text"] for w in inside
                                     if abs(w["top"] - label["top"]) < 0.5
                                     and w["x0"] >= label["x0"])
                            for label in inside if label["text"] in ("Baseline", "Target"))
        found.append(Chart(" ".join(line), tuple(value_ticks), tuple(date_ticks),
                           tuple(dots), tuple(references)))
    return found


def assert_chart_shows(chart: Chart, goal: GoalProgress) -> None:
    """The dots map back to the goal's measurements, through the axes' labels; the axes are
    linear; the labels hold the values and the reference lines are labelled."""
    assert len(chart.value_ticks) >= 2
    values = [v for v, _ in chart.value_ticks]
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1, values  # evenly stepped labels...
    heights = [y for _, y in chart.value_ticks]
    gaps = [b - a for a, b in zip(heights, heights[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.01, heights  # ...evenly spaced: a linear axis
    every = [goal.baseline, goal.target, *(v for _, v in goal.points)]
    assert values[0] <= min(every) and max(every) <= values[-1]
    assert chart.references == tuple(sorted(
        (f"Baseline {value_text(goal.baseline)}", f"Target {value_text(goal.target)}")))
    assert len(chart.dots) == len(goal.points)
    tolerance = Fraction(chart.span) / 2000  # 0.06 points on a plot of 116
    days = sorted({day for day, _ in goal.points})
    assert chart.date_ticks[0][0] == days[0] and chart.date_ticks[-1][0] == days[-1]
    for (x, y), (day, value) in zip(chart.dots, goal.points, strict=True):
        assert abs(chart.value(y) - Fraction(value)) <= tolerance, (value, float(chart.value(y)))
        if len(days) > 1:
            assert abs(chart.day(x) - day.toordinal()) < Fraction(1, 20), day
    if len(chart.date_ticks) > 1:  # each date label on its place on the linear date axis
        for day, x in chart.date_ticks:
            assert abs(chart.day(x) - day.toordinal()) < Fraction(1, 100)


def all_charts(data: bytes) -> list[Chart]:
    return [chart for page in pages(data) for chart in charts(page)]


# ------------------------------------------------------------------ the charts


def test_each_goal_has_a_chart_whose_dots_read_back_as_its_measurements(pdf, report):
    found = all_charts(pdf)
    assert [chart.caption for chart in found] == ["NDI (points), lower is better",
                                                  "ROM-CR-R (degrees), higher is better"]
    for chart, goal in zip(found, report.goals, strict=True):
        assert_chart_shows(chart, goal)
    ndi = found[0]
    assert [v for v, _ in ndi.value_ticks] == [Decimal(n) for n in (15, 20, 25, 30, 35, 40, 45)]
    assert [d for d, _ in ndi.date_ticks][0] == VISITS[0]


def test_the_charts_are_reportlab_graphics_in_the_page_model(report):
    from reportlab.graphics.shapes import Drawing

    from payerkit.formats.nf3 import Graphic

    graphics = [op for page in progress_report_pages(report) for op in page
                if isinstance(op, Graphic)]
    assert len(graphics) == 2 and all(isinstance(g.drawing, Drawing) for g in graphics)


@st.composite
def measured_goals(draw) -> GoalProgress:
    """A goal with 1 to 14 measurements on distinct days, values of a scale anywhere from
    -999.99 to 9999.99 in hundredths (a pain scale, an index, degrees, a weight)."""
    low = draw(st.integers(-99_999, 999_999))
    spread = draw(st.sampled_from((1, 10, 100, 1_000, 10_000, 100_000)))
    value = st.integers(low, min(low + spread, 999_999)).map(lambda n: Decimal(n).scaleb(-2))
    count = draw(st.integers(1, 14))
    gaps = draw(st.lists(st.integers(1, 40), min_size=count, max_size=count))
    day, points = dt.date(2026, 1, 5), []
    for gap in gaps:
        day += dt.timedelta(days=gap)
        points.append((day, draw(value)))
    return attrs.evolve(ndi_goal(), baseline=draw(value), target=draw(value), points=points,
                        better=draw(st.sampled_from(("lower", "higher"))))


@given(goal=measured_goals())
@settings(max_examples=30, deadline=None)
def test_any_measurements_read_back_from_the_drawn_dots(report, goal):
    changed = attrs.evolve(report, goals=(goal,))
    assert check_progress_report(changed) == []
    [chart] = all_charts(write_progress_report(changed))
    assert_chart_shows(chart, goal)


def test_a_single_measurement_sits_in_the_middle_and_reads_back(report):
    goal = attrs.evolve(ndi_goal(), points=[(dt.date(2026, 1, 5), Decimal("42"))])
    [chart] = all_charts(write_progress_report(attrs.evolve(report, goals=(goal,))))
    assert_chart_shows(chart, goal)
    [(x, _)] = chart.dots
    [(_, label_x)] = chart.date_ticks
    assert abs(x - label_x) < 0.01


def test_a_goal_without_measurements_says_so(report):
    goal = attrs.evolve(ndi_goal(), points=())
    data = write_progress_report(attrs.evolve(report, goals=(goal,)))
    assert all_charts(data) == []
    assert "No measurement recorded yet" in text_of(data)


def test_many_visits_keep_the_date_labels_apart(report):
    days = [dt.date(2026, 1, 5) + dt.timedelta(days=d) for d in range(40)]
    goal = attrs.evolve(ndi_goal(), points=[(d, Decimal(42 - k // 2)) for k, d in
                                            enumerate(days)])
    data = write_progress_report(attrs.evolve(report, goals=(goal,)))
    [chart] = all_charts(data)
    assert_chart_shows(chart, goal)
    xs = [x for _, x in chart.date_ticks]
    assert 3 <= len(xs) < 40
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) > 31  # a label's width


# ------------------------------------------------------------------ the text


def test_the_plan_the_visits_and_the_authorizations_are_in_their_places(pdf):
    page = pages(pdf)[0]
    assert beside(page, "Program") == "Washington L&I workers' compensation"
    assert beside(page, "Plan dates") == "01/05/2026 - 03/27/2026"
    assert beside(page, "Frequency") == "2 visits a week"
    assert beside(page, "Planned visits") == "16"
    assert beside(page, "Next re-evaluation") == "03/16/2026"
    assert beside(page, "As of") == "02/20/2026"
    assert beside(page, "Visits attended") == "10"
    assert beside(page, "Visits missed") == "1"
    assert beside(page, "Visits left") == "6"
    assert beside(page, "Days left") == "35"
    text = text_of(pdf)
    assert "Report as of 02/20/2026" in text and "Plan 01/05/2026 - 03/27/2026" in text
    assert block(page, "PATIENT") == ["Maria Garcia", "Born 07/22/1975", "12 Elm St",
                                      "Seattle, WA 98102"]
    assert block(page, "FROM") == ["Cascade Bodywork LLC", "100 Pine St Suite 200",
                                   "Seattle, WA 98101-0001", "Phone (206) 555-0100"]
    assert "Discharge when the NDI is 20 or less and right rotation reaches 70 degrees" in text
    assert "PA-2026-0107 12 10 2 01/05/2026 03/31/2026" in text
    assert "REF-88213 dates only 10 N/A 01/02/2026 07/02/2026" in text


def test_the_goals_their_progress_and_what_is_due_read_back(pdf):
    text = text_of(pdf)
    for item in DUE:
        assert f"\u2022 {item}" in text
    assert "GOAL 1 OF 2" in text and "GOAL 2 OF 2" in text
    assert "Drive 30 minutes and check blind spots without neck pain limiting the turn" in text
    assert ("Outcome measure: Neck Disability Index (NDI), lower is better. Baseline 42 points, "
            "target 20 points.") in text
    assert ("Latest 26 points on 02/16/2026 (change -16): better than the baseline by 16 "
            "points. Target 20 points not yet met.") in text
    assert ("The improvement of 16 points is at least the measure's MCID of 14 points: "
            "clinically important progress.") in text
    assert f"MCID source: {NDI_SOURCE}" in text
    assert ("Latest 62 degrees on 02/16/2026 (change +17): better than the baseline by 17 "
            "degrees. Target 70 degrees not yet met.") in text
    assert "One visit missed on 02/09/2026" in text


@pytest.mark.parametrize(("values", "words"), [
    (("42", "40", "38"), "The improvement of 4 points is less than the measure's MCID of 14 "
                         "points: no clinically important progress yet."),
    (("42", "44", "45"), "No improvement, against the measure's MCID of 14 points"),
    (("42", "30", "19.5"), "Target met."),
])
def test_the_change_is_judged_against_the_mcid_in_words(report, values, words):
    goal = attrs.evolve(ndi_goal(), points=list(zip(VISITS, map(Decimal, values),
                                                    strict=False)))
    text = text_of(write_progress_report(attrs.evolve(report, goals=(goal,))))
    assert words in text


def test_without_an_mcid_the_change_is_not_judged(report):
    goal = attrs.evolve(ndi_goal(), mcid=None, mcid_source=None)
    assert goal.progressed is None
    text = text_of(write_progress_report(attrs.evolve(report, goals=(goal,))))
    assert "No minimal clinically important difference (MCID) is on file" in text
    assert "MCID source" not in text


def test_a_plan_past_its_end_and_its_visits_says_so(report):
    over = attrs.evolve(report, visits_left=-2, days_left=-1, end=dt.date(2026, 2, 19),
                        re_evaluation=None, planned_visits=None, visits_per_week=None)
    page = pages(write_progress_report(over))[0]
    assert beside(page, "Visits left") == "none: 2 visits over the plan"
    assert beside(page, "Days left") == "none: 1 day since the plan ended"
    assert beside(page, "Next re-evaluation") == "N/A"
    assert beside(page, "Frequency") == "N/A"


# ------------------------------------------------------------------ the PDF


def test_the_pdf_embeds_its_fonts_and_names_no_patient_in_its_title(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as read:
        assert read.metadata["Title"] == "Treatment plan progress report"
        fonts = {c["fontname"].split("+")[-1] for page in read.pages for c in page.chars}
        assert fonts == {"LiberationSans", "LiberationSans-Bold"}


def test_the_same_report_gives_the_same_bytes_whatever_the_time_zone_and_locale(pdf):
    probe = ("import sys, plan_report_samples\n"
             "from payerkit.formats.progress_report import write_progress_report\n"
             "sys.stdout.buffer.write(write_progress_report(plan_report_samples.wa_report()))")
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C", "LANG": "C",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env,
                          timeout=120, check=True)
    assert done.stdout == pdf


def test_many_goals_continue_over_pages_each_with_its_chart(report):
    goals = tuple(attrs.evolve((ndi_goal(), rotation_goal())[k % 2],
                               description=f"Goal number {k + 1}: "
                                           + (ndi_goal(), rotation_goal())[k % 2].description)
                  for k in range(7))
    many = attrs.evolve(report, goals=goals,
                        authorizations=report.authorizations * 30)
    data = write_progress_report(many)
    read = pages(data)
    assert len(read) >= 5
    found = all_charts(data)
    assert len(found) == 7
    for chart, goal in zip(found, goals, strict=True):
        assert_chart_shows(chart, goal)
    text = text_of(data)
    for k in range(7):
        assert text.count(f"GOAL {k + 1} OF 7 ") == 1
        assert f"Goal number {k + 1}: " in text
    assert text.count("PA-2026-0107 12 10 2") == 30
    for number, page in enumerate(read, start=1):
        words = page.extract_text()
        assert f"Page {number} of {len(read)}" in words
        assert "Maria Garcia" in words  # whose report the page is
    assert check_progress_report(many) == []
    for page in progress_report_pages(many):  # nothing below the footer's rule
        for op in page:
            y = op.y if hasattr(op, "y") else op.y1
            height = getattr(getattr(op, "drawing", None), "height", 0)
            assert y + height <= 792 - 36 + 15, op


def test_odd_unicode_names_are_transliterated(report):
    patient = attrs.evolve(report.patient, first_name="Zo\u00eb \u0141ukasz",
                           last_name="\u738b \u014ctomo-\u00dc\u00e7\u00fcnc\u00fc\u200b\x07")
    practice = attrs.evolve(report.practice, name="Massage \u2603 Stra\u00dfe \u5927\u962a")
    goal = attrs.evolve(ndi_goal(), description="Lift a \u2615 cup \u2014 and drive \U0001F697",
                        measure_name="Neck Disability Index \u2013 \u00e9dition fran\u00e7aise")
    odd = attrs.evolve(report, patient=patient, practice=practice, goals=(goal,),
                       program="R\u00e9gence \u201cUMP\u201d \u2192 Washington")
    assert check_progress_report(odd) == []
    data = write_progress_report(odd)
    text = text_of(data)
    assert "Zo\u00eb Lukasz Wang Otomo-\u00dc\u00e7\u00fcnc\u00fc" in text
    assert "Massage Stra\u00dfe" in text
    assert "Neck Disability Index \u2013 \u00e9dition fran\u00e7aise" in text
    assert "R\u00e9gence \u201cUMP\u201d" in text
    text.encode("cp1252")
    [chart] = all_charts(data)
    assert_chart_shows(chart, goal)


# ------------------------------------------------------------------ refusals


def refused(report: PlanReport) -> tuple[str, str]:
    with pytest.raises(FormatError) as exc:
        write_progress_report(report)
    assert (exc.value.field, exc.value.problem) in check_progress_report(report)
    return exc.value.field, exc.value.problem


def with_goal(report: PlanReport, i: int, **changes) -> PlanReport:
    goals = list(report.goals)
    goals[i] = attrs.evolve(goals[i], **changes)
    return attrs.evolve(report, goals=tuple(goals))


def with_point(report: PlanReport, i: int, k: int, point) -> PlanReport:
    points = list(report.goals[i].points)
    points[k] = point
    return with_goal(report, i, points=points)


def with_authorization(report: PlanReport, i: int, **changes) -> PlanReport:
    items = list(report.authorizations)
    items[i] = attrs.evolve(items[i], **changes)
    return attrs.evolve(report, authorizations=tuple(items))


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda r: with_goal(r, 0, description="Turn the head " * 40), "goals[0].description",
     "too long"),
    (lambda r: with_goal(r, 1, description=" "), "goals[1].description", "required"),
    (lambda r: with_point(r, 1, 3, (VISITS[3], 52.5)), "goals[1].points[3]", "Decimal"),
    (lambda r: with_point(r, 1, 3, (VISITS[3], Decimal("NaN"))), "goals[1].points[3]",
     "Decimal"),
    (lambda r: with_point(r, 0, 2, (VISITS[2], Decimal("38.125"))), "goals[0].points[2]",
     "two decimal places"),
    (lambda r: with_point(r, 0, 2, (VISITS[9], Decimal("38"))), "goals[0].points[3]",
     "date order"),
    (lambda r: with_point(r, 0, 2, ("2026-01-12", Decimal("38"))), "goals[0].points[2]",
     "expected a date"),
    (lambda r: with_point(r, 0, 4, (VISITS[4], Decimal("1E+15"))), "goals[0].points[4]",
     "value axis"),
    (lambda r: with_goal(r, 0, baseline=Decimal("12345678.01"), target=Decimal("12345678.02"),
                         points=[(VISITS[0], Decimal("12345678.01"))]), "goals[0].target",
     "value axis"),
    (lambda r: with_goal(r, 0, target=None), "goals[0].target", "Decimal"),
    (lambda r: with_goal(r, 0, measure="ND\u2160"), "goals[0].measure", "never altered"),
    (lambda r: with_goal(r, 0, measure="NDI-" + "X" * 90), "goals[0].measure", "caption"),
    (lambda r: with_goal(r, 0, better="down"), "goals[0].better", "lower"),
    (lambda r: with_goal(r, 0, unit="points on a scale of zero to fifty, doubled"),
     "goals[0].unit", "too long"),
    (lambda r: with_goal(r, 0, mcid=Decimal("-7.5")), "goals[0].mcid", "above zero"),
    (lambda r: with_goal(r, 0, mcid_source="J Orthop Sports Phys Ther " * 40), "goals[0].mcid_source",
     "too long"),
    (lambda r: with_authorization(r, 0, number=""), "authorizations[0].number", "required"),
    (lambda r: with_authorization(r, 1, used=-1), "authorizations[1].used", "0 or more"),
    (lambda r: with_authorization(r, 0, end=dt.date(2025, 1, 1)), "authorizations[0].end",
     "before it starts"),
    (lambda r: attrs.evolve(r, due=(*DUE, "due " * 80)), "due[3]", "too long"),
    (lambda r: attrs.evolve(r, notes=("words " * 200,)), "notes[0]", "too long"),
    (lambda r: attrs.evolve(r, discharge="words " * 200), "discharge", "too long"),
    (lambda r: attrs.evolve(r, program="Premera " * 20), "program", "too long"),
    (lambda r: attrs.evolve(r, program=""), "program", "required"),
    (lambda r: attrs.evolve(r, start=None), "start", "expected a date"),
    (lambda r: attrs.evolve(r, end=dt.date(2025, 12, 1)), "end", "before it starts"),
    (lambda r: attrs.evolve(r, planned_visits=0), "planned_visits", "1 or more"),
    (lambda r: attrs.evolve(r, visits_attended=True), "visits_attended", "whole number"),
    (lambda r: attrs.evolve(r, as_of=dt.datetime(2026, 2, 20, 9)), "as_of", "expected a date"),
    (lambda r: attrs.evolve(r, patient=attrs.evolve(r.patient, first_name="Anastasia " * 12)),
     "patient", "too long"),
    (lambda r: attrs.evolve(r, practice=attrs.evolve(r.practice, name="Bodywork " * 12)),
     "practice.name", "short_name"),
])
def test_what_does_not_fit_is_refused_naming_its_field(report, change, field, words):
    found, problem = refused(change(report))
    assert found == field and words in problem, (found, problem)


def test_check_lists_every_problem_at_once(report):
    bad = with_point(report, 0, 1, (VISITS[1], 40.0))
    bad = with_authorization(bad, 0, number="")
    bad = attrs.evolve(bad, notes=("words " * 200,), planned_visits=-3)
    fields = {problem[0] for problem in check_progress_report(bad)}
    assert {"goals[0].points[1]", "authorizations[0].number", "notes[0]",
            "planned_visits"} <= fields


def test_no_patient_value_is_in_a_refusal(report):
    secret = with_goal(report, 0, description="Secretword " * 40)
    secret = attrs.evolve(secret, patient=attrs.evolve(report.patient,
                                                       first_name="Secretname " * 12))
    for problem in check_progress_report(secret):
        assert "Secret" not in " ".join(problem)


# ------------------------------------------------------------------ the model


def test_the_goal_says_whether_it_is_met_and_has_progressed():
    goal = ndi_goal()
    assert (goal.latest, goal.change, goal.met, goal.progressed) == \
        (Decimal(26), Decimal(-16), False, True)
    rotation = rotation_goal()
    assert (rotation.latest, rotation.change, rotation.met, rotation.progressed) == \
        (Decimal(62), Decimal(17), False, True)
    met = attrs.evolve(rotation, points=[(VISITS[0], Decimal(70))])
    assert met.met and met.change == Decimal(25)
    short = attrs.evolve(goal, points=[(VISITS[0], Decimal(28))])  # 14 better: the MCID
    assert short.progressed is True
    assert attrs.evolve(goal, points=[(VISITS[0], Decimal("28.1"))]).progressed is False
    assert attrs.evolve(goal, points=[(VISITS[0], Decimal(50))]).progressed is False
    empty = attrs.evolve(goal, points=[])
    assert (empty.latest, empty.change, empty.met, empty.progressed) == \
        (None, None, False, None)


def test_the_records_are_frozen_and_convert_to_tuples(report):
    goal = GoalProgress("g", "NDI", "Neck Disability Index", None, "lower", Decimal(1),
                        Decimal(0), [[dt.date(2026, 1, 5), Decimal(1)]])
    assert goal.points == ((dt.date(2026, 1, 5), Decimal(1)),)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.program = "x"
    assert attrs.evolve(report, due=["a"], notes=[]).due == ("a",)
    AuthorizationState("A", None, 0, None, None, None)


# ------------------------------------------------------------------ the docs image


def test_the_docs_image_is_the_sample_report_as_drawn_today(pdf, tmp_path):
    from doc_images import assert_image_is_current, render_pages
    from PIL import Image

    rendered = render_pages(pdf, tmp_path)
    assert_image_is_current(Image.open(rendered[0]), IMAGE)

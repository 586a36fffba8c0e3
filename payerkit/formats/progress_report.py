"""The progress report of a treatment plan, as a PDF for the payer's reviewer and the client,
from one :class:`~payerkit.model.PlanReport`.

**Contents.** The practice (name, address, phone) and the patient (name, date of birth,
address); the plan: the program, its dates, the planned frequency and visits, the next
re-evaluation, the discharge criteria; the visits attended, missed and left and the days left;
the authorizations on file (number, visits authorized, used and left, dates, expiry); what is
due (a progress report, a re-evaluation, a new plan), in the words and with the dates the
rules gave it; then each goal: the goal in words, its outcome measure (which way is better,
the baseline and the target), a **chart of the measure over the visits** (:mod:`.chart`,
reportlab's own graphics: the measurements, the baseline and the target as dashed reference
lines, the values and the dates on the axes), and what the change amounts to — the latest
value against the target (met or not) and the change since the baseline against the
measure's minimal clinically important difference (MCID), with its source; the practice's
notes.

**Drawn as the statements are** (:mod:`.page`: the header, the blocks, the tables, the
footer; :class:`~.page.Flow` lays the sections one under another and starts a new page,
repeating the header and whose report it is, when the next does not fit — several goals,
several charts, continued on pages; :mod:`.nf3`'s page model, with the charts as
:class:`~.nf3.Graphic`; Liberation Sans embedded, :mod:`.fonts`; reportlab in invariant
mode, so the same report gives the same bytes). US letter. Names and addresses are printed
in Windows-1252, transliterated beyond it; identifiers (the measure's id, an authorization's
number) exactly or refused. A value that does not fit its place — a goal too long for its
lines, a measurement too large for the chart's axis — is refused with
:class:`~payerkit.errors.FormatError` naming the report's field (``goals[1].points[3]``,
``authorizations[0].number``, ``due[2]``), never cut; :func:`check_progress_report` returns
every such problem. Measurements are ``Decimal`` with at most two decimal places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from attrs import frozen

from ..model.plan_report import AuthorizationState, GoalProgress, PlanReport
from ..model.program import Rendering
from . import PROGRESS_REPORT
from .chart import (
    LABEL_SIZE,
    LEFT_ROOM,
    RIGHT_ROOM,
    Reference,
    check_axis,
    measure_chart,
    value_axis,
    value_text,
)
from .fonts import SANS, SANS_BOLD
from .fonts import width as text_width
from .nf3 import (
    BOLD,
    NA,
    REGULAR,
    Graphic,
    Op,
    Sheet,
    Text,
    city_line,
    person_name,
    render_pdf,
    street,
    us_date,
)
from .page import (
    LEAD,
    LEFT,
    SECOND_COLUMN,
    SIZE,
    WIDTH,
    Flow,
    Table,
    Value,
    block,
    draw_blocks,
    fit_row,
    header,
    heading,
    number_pages,
    practice,
)

FORM = "progress report"
TITLE_PDF = "Treatment plan progress report"
SUBTITLE = "The treatment plan, its functional goals and the progress measured"
FOOTER = ("Prepared by payerkit from the practice's treatment plan and visit notes; "
          "measurements as recorded by the treating practitioner.")

#: The chart's height; its width is the page's.
CHART_HEIGHT = 150.0
#: How many lines each text may take: a goal, the discharge criteria, an item of what is due,
#: a note, the MCID's source.
GOAL_LINES, DISCHARGE_LINES, DUE_LINES, NOTE_LINES, SOURCE_LINES = 2, 3, 2, 4, 2
BULLET = "\u2022 "
BULLET_INDENT = 9.0

#: The authorizations table: (caption, width, right-aligned, attribute of :class:`_Auth`).
AUTH_COLUMNS = (
    ("Authorization", 160.0, False, "number"),
    ("Visits authorized", 80.0, True, "visits"),
    ("Used", 55.0, True, "used"),
    ("Left", 55.0, True, "left"),
    ("From", 90.0, True, "start"),
    ("Expires", 92.0, True, "end"),
)
assert sum(column[1] for column in AUTH_COLUMNS) == WIDTH
AUTHORIZATIONS = Table("AUTHORIZATIONS ON FILE", AUTH_COLUMNS)


@frozen
class _Auth:
    number: Value
    visits: str
    used: str
    left: str
    start: str
    end: str


@frozen
class _Goal:
    """A goal's printed texts and its chart's data, checked."""

    title: str
    description: tuple[str, ...]
    measure: tuple[str, ...]
    caption: str
    points: tuple[tuple[dt.date, Decimal], ...]
    references: tuple[Reference, ...]
    result: tuple[str, ...]

    @property
    def height(self) -> float:
        return (16 + (len(self.description) + len(self.measure)) * LEAD + 6 + CHART_HEIGHT
                + len(self.result) * LEAD + 10)


@frozen
class _Texts:
    """Every text of the report, checked once."""

    date: str
    plan_dates: str
    practice: tuple[Value, ...]
    patient: tuple[Value, ...]
    plan: tuple[tuple[str, Value], ...]
    visits: tuple[tuple[str, Value], ...]
    discharge: tuple[str, ...]
    authorizations: tuple[_Auth, ...]
    due: tuple[tuple[str, ...], ...]
    goals: tuple[_Goal, ...]
    notes: tuple[tuple[str, ...], ...]


# ---------------------------------------------------------------------------------------------
# The texts
# ---------------------------------------------------------------------------------------------


def _date(sheet: Sheet, field: str, day: object, *, required: bool = True) -> str:
    if day is None and not required:
        return NA
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        sheet.refuse(field, "expected a date")
        return NA
    return us_date(day)


def _count(sheet: Sheet, field: str, value: object, *, least: int | None = 0,
           optional: bool = False) -> int | None:
    """A whole number of ``least`` or more (``None`` when ``optional``), or refused."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or \
            (least is not None and value < least):
        sheet.refuse(field, "expected a whole number" + (f", {least} or more"
                                                         if least is not None else ""))
        return None
    return value


def _measurement(sheet: Sheet, field: str, value: object) -> Decimal | None:
    """A measurement, the baseline or the target: a finite Decimal to at most two places."""
    if not isinstance(value, Decimal) or not value.is_finite():
        sheet.refuse(field, "expected a measurement (a Decimal)")
        return None
    if value.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
        sheet.refuse(field, "expected a measurement to at most two decimal places")
        return None
    return value


def _with_unit(value: Decimal, unit: str | None) -> str:
    text = value_text(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _texts(report: PlanReport, sheet: Sheet) -> _Texts:
    _, practice_values = practice(sheet, report.practice, "practice", fitted=True)
    patient = report.patient
    patient_values = (
        Value(sheet.clean("patient", person_name(patient), box="patient", required=True),
              "patient"),
        Value("Born " + _date(sheet, "patient.birth_date", patient.birth_date),
              "patient.birth_date"),
        Value(sheet.clean("patient.address.line1", street(patient.address), box="address",
                          required=True), "patient.address.line1"),
        Value(sheet.clean("patient.address.city", city_line(patient.address), box="address",
                          required=True), "patient.address.city"),
    )
    start = _date(sheet, "start", report.start)
    end = _date(sheet, "end", report.end, required=False)
    if isinstance(report.start, dt.date) and isinstance(report.end, dt.date) \
            and report.end < report.start:
        sheet.refuse("end", "the plan ends before it starts")
    plan_dates = f"{start} - {end}" if report.end is not None else f"from {start}, no end date"
    planned = _count(sheet, "planned_visits", report.planned_visits, least=1, optional=True)
    weekly = _count(sheet, "visits_per_week", report.visits_per_week, least=1, optional=True)
    frequency = NA if weekly is None else f"{weekly} visit{'s' if weekly != 1 else ''} a week"
    plan = (
        ("Program", Value(sheet.clean("program", report.program, box="program", required=True),
                          "program")),
        ("Plan dates", Value(plan_dates, "start")),
        ("Frequency", Value(frequency, "visits_per_week")),
        ("Planned visits", Value(NA if planned is None else str(planned), "planned_visits")),
        ("Next re-evaluation", Value(_date(sheet, "re_evaluation", report.re_evaluation,
                                           required=False), "re_evaluation")),
    )
    attended = _count(sheet, "visits_attended", report.visits_attended)
    missed = _count(sheet, "visits_missed", report.visits_missed)
    left = _count(sheet, "visits_left", report.visits_left, least=None, optional=True)
    days = _count(sheet, "days_left", report.days_left, least=None, optional=True)
    visits = (
        ("As of", Value(_date(sheet, "as_of", report.as_of), "as_of")),
        ("Visits attended", Value(str(attended), "visits_attended")),
        ("Visits missed", Value(str(missed), "visits_missed")),
        ("Visits left", Value(_left(left, "visit", "over the plan"), "visits_left")),
        ("Days left", Value(_left(days, "day", "since the plan ended"), "days_left")),
    )
    discharge: tuple[str, ...] = ()
    if report.discharge is not None and report.discharge.strip():
        # given, so never printed blank: text of no printable character is refused, not "N/A"
        discharge = sheet.text("discharge", report.discharge, WIDTH, DISCHARGE_LINES,
                               box="discharge criteria", size=SIZE, required=True)
    authorizations = tuple(_authorization(sheet, i, a)
                           for i, a in enumerate(report.authorizations))
    due = tuple(sheet.text(f"due[{k}]", BULLET + item, WIDTH - BULLET_INDENT, DUE_LINES,
                           box="what is due", size=SIZE, required=True)
                for k, item in enumerate(report.due))
    goals = tuple(_goal(sheet, i, goal, len(report.goals))
                  for i, goal in enumerate(report.goals))
    notes = tuple(sheet.text(f"notes[{k}]", note, WIDTH, NOTE_LINES, box="note", size=SIZE)
                  for k, note in enumerate(report.notes))
    return _Texts(date=_date(sheet, "as_of", report.as_of), plan_dates=plan_dates,
                  practice=practice_values, patient=patient_values, plan=plan, visits=visits,
                  discharge=discharge, authorizations=authorizations, due=due, goals=goals,
                  notes=notes)


def _left(value: int | None, noun: str, beyond: str) -> str:
    """``5``, ``none``, ``none: 2 visits over the plan``, or ``N/A``."""
    if value is None:
        return NA
    if value >= 0:
        return str(value) if value else "none"
    return f"none: {-value} {noun}{'s' if value != -1 else ''} {beyond}"


def _authorization(sheet: Sheet, i: int, authorization: AuthorizationState) -> _Auth:
    name = f"authorizations[{i}]"
    visits = _count(sheet, f"{name}.visits", authorization.visits, optional=True)
    used = _count(sheet, f"{name}.used", authorization.used)
    left = _count(sheet, f"{name}.left", authorization.left, least=None, optional=True)
    if isinstance(authorization.start, dt.date) and isinstance(authorization.end, dt.date) \
            and authorization.end < authorization.start:
        sheet.refuse(f"{name}.end", "the authorization expires before it starts")
    return _Auth(
        number=Value(sheet.identifier(f"{name}.number", authorization.number, None,
                                      box="authorization number"), f"{name}.number"),
        visits="dates only" if visits is None else str(visits),
        used=str(used),
        left=NA if left is None else str(left) if left >= 0 else f"{left} (over)",
        start=_date(sheet, f"{name}.start", authorization.start, required=False),
        end=_date(sheet, f"{name}.end", authorization.end, required=False))


def _goal(sheet: Sheet, i: int, goal: GoalProgress, count: int) -> _Goal:
    name = f"goals[{i}]"
    description = sheet.text(f"{name}.description", goal.description, WIDTH, GOAL_LINES,
                             box="goal", size=SIZE, font=BOLD, required=True)
    measure = sheet.identifier(f"{name}.measure", goal.measure, None, box="measure")
    measure_name = sheet.clean(f"{name}.measure_name", goal.measure_name, box="measure",
                               required=True)
    unit = None
    if goal.unit is not None and goal.unit.strip():
        unit = sheet.clean(f"{name}.unit", goal.unit, box="unit")
        if text_width(unit, REGULAR, SIZE) > 60:
            sheet.refuse(f"{name}.unit", f"too long for the {FORM}'s unit (60 points)")
    if goal.better not in ("lower", "higher"):
        sheet.refuse(f"{name}.better", 'expected "lower" or "higher"')
    better = goal.better if goal.better in ("lower", "higher") else "lower"
    baseline = _measurement(sheet, f"{name}.baseline", goal.baseline)
    target = _measurement(sheet, f"{name}.target", goal.target)
    points: list[tuple[dt.date, Decimal]] = []
    fields: dict[str, Decimal] = {}
    previous: dt.date | None = None
    for k, point in enumerate(goal.points):
        field = f"{name}.points[{k}]"
        if not isinstance(point, tuple) or len(point) != 2:
            sheet.refuse(field, "expected (date, value)")
            continue
        day, value = point
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            sheet.refuse(field, "expected a date")
            continue
        if previous is not None and day < previous:
            sheet.refuse(field, "the measurements are not in date order")
        previous = day
        value = _measurement(sheet, field, value)
        if value is not None:
            points.append((day, value))
            fields[field] = value
    if baseline is not None:
        fields[f"{name}.baseline"] = baseline
    if target is not None:
        fields[f"{name}.target"] = target
    if fields and check_axis(value_axis(list(fields.values()))) is not None:
        widest = max(fields, key=lambda f: (len(value_text(fields[f])), abs(fields[f])))
        sheet.refuse(widest, f"too large for the value axis of the {FORM}'s chart "
                     f"({LEFT_ROOM - 6:.0f} points at {LABEL_SIZE:g} points)")
    references = []
    for label, value, dash, grey in (("Baseline", baseline, (1.0, 2.0), 0.45),
                                     ("Target", target, (4.0, 2.0), 0.2)):
        if value is None:
            continue
        text = f"{label} {value_text(value)}"
        if text_width(text, SANS, LABEL_SIZE) > RIGHT_ROOM - 6:
            sheet.refuse(f"{name}.{label.lower()}", f"too large for the {FORM}'s chart")
        references.append(Reference(text, value, dash, grey))
    caption = f"{measure}" + (f" ({unit})" if unit else "") + f", {better} is better"
    if text_width(caption, SANS_BOLD, 7) > WIDTH - LEFT_ROOM - RIGHT_ROOM:
        sheet.refuse(f"{name}.measure", f"too long for the caption of the {FORM}'s chart")
    measure_line = (f"Outcome measure: {measure_name} ({measure}), {better} is better. "
                    f"Baseline {_value(baseline, unit)}, target {_value(target, unit)}.")
    measure_lines = sheet.fit(f"{name}.measure_name", measure_line, WIDTH, 2, box="measure",
                              size=SIZE)
    result = _result(sheet, name, goal, unit, points, baseline, target, better)
    return _Goal(title=f"Goal {i + 1} of {count}", description=description,
                 measure=measure_lines, caption=caption, points=tuple(points),
                 references=tuple(references), result=result)


def _value(value: Decimal | None, unit: str | None) -> str:
    return NA if value is None else _with_unit(value, unit)


def _result(sheet: Sheet, name: str, goal: GoalProgress, unit: str | None,
            points: Sequence[tuple[dt.date, Decimal]], baseline: Decimal | None,
            target: Decimal | None, better: str) -> tuple[str, ...]:
    """The latest value against the target, the change against the MCID, in words."""
    if not points or baseline is None or target is None:
        return ("No measurement recorded yet: progress cannot be judged.",)
    day, latest = points[-1]
    change = latest - baseline
    improvement = -change if better == "lower" else change
    aimed = baseline - target if better == "lower" else target - baseline
    met = aimed > 0 and (latest <= target if better == "lower" else latest >= target)
    sign = "+" if change > 0 else "-" if change < 0 else ""
    if improvement > 0:
        direction = f"better than the baseline by {_with_unit(improvement, unit)}"
    elif improvement < 0:
        direction = f"worse than the baseline by {_with_unit(-improvement, unit)}"
    else:
        direction = "no change from the baseline"
    lines = [f"Latest {_with_unit(latest, unit)} on {us_date(day)} (change {sign}"
             f"{value_text(abs(change))}): {direction}. "
             + ("Target met." if met else
                f"Target {_with_unit(target, unit)} not yet met." if aimed > 0 else
                f"Target {_with_unit(target, unit)} is not an improvement over its baseline: "
                "revise the goal.")]
    mcid = goal.mcid
    if mcid is not None and (_measurement(sheet, f"{name}.mcid", mcid) is None or mcid <= 0):
        if isinstance(mcid, Decimal) and mcid.is_finite() and mcid <= 0:
            sheet.refuse(f"{name}.mcid", "expected a difference above zero")
        mcid = None
    if mcid is None:
        lines.append("No minimal clinically important difference (MCID) is on file for this "
                     "measure: the change is not judged against one.")
    elif improvement >= mcid:
        lines.append(f"The improvement of {_with_unit(improvement, unit)} is at least the "
                     f"measure's MCID of {_with_unit(mcid, unit)}: clinically important "
                     "progress.")
    elif improvement > 0:
        lines.append(f"The improvement of {_with_unit(improvement, unit)} is less than the "
                     f"measure's MCID of {_with_unit(mcid, unit)}: no clinically important "
                     "progress yet.")
    else:
        lines.append(f"No improvement, against the measure's MCID of {_with_unit(mcid, unit)}: "
                     "no clinically important progress.")
    out: list[str] = []
    for line in lines:
        out += sheet.fit(name, line, WIDTH, 2, box="goal's result", size=SIZE)
    if mcid is not None and goal.mcid_source is not None and goal.mcid_source.strip():
        out += sheet.text(f"{name}.mcid_source", "MCID source: " + goal.mcid_source, WIDTH,
                          SOURCE_LINES, box="MCID source", size=SIZE)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def write_progress_report(report: PlanReport) -> bytes:
    """The report as a PDF (US letter); raises :class:`~payerkit.errors.FormatError` naming
    the report's field of the first value it cannot print."""
    return render_pdf(progress_report_pages(report), TITLE_PDF)


def render_progress_report(report: PlanReport) -> Rendering:
    """The report as the format ``progress-report`` renders it (the pipeline's, for
    ``payerkit claim --format progress-report``, ``payerkit plan -o`` and the HTTP doors):
    every problem (:func:`check_progress_report`) and, when none stops it, the laid-out pages
    :func:`write_progress_report_rendering` draws. The report has no day of writing: the same
    plan on the same day gives the same bytes from every door."""
    found = check_progress_report(report)
    if any(len(problem) == 2 for problem in found):
        return Rendering(PROGRESS_REPORT, None, found)
    return Rendering(PROGRESS_REPORT, progress_report_pages(report), found)


def write_progress_report_rendering(rendering: Rendering, options: object = None) -> bytes:
    """A rendered report (:func:`render_progress_report`) as its PDF: what
    :func:`write_progress_report` gives for the same report."""
    return render_pdf(rendering.content, TITLE_PDF)


def check_progress_report(report: PlanReport) -> list[tuple[str, ...]]:
    """Every problem that would stop :func:`write_progress_report`, as ``(field, problem)``."""
    sheet = Sheet(FORM, dry_run=True)
    _layout(report, sheet, draw=False)
    return sheet.found()


def progress_report_pages(report: PlanReport) -> list[list[Op]]:
    """The laid-out pages: what :func:`write_progress_report` draws."""
    sheet = Sheet(FORM)
    _layout(report, sheet, draw=True)
    return sheet.pages


def _layout(report: PlanReport, sheet: Sheet, *, draw: bool) -> None:
    # Every value is checked first, so a refusal comes before any drawing.
    texts = _texts(report, sheet)
    blocks = [
        [block(sheet, "From", LEFT, (), texts.practice),
         block(sheet, "Patient", SECOND_COLUMN, (), texts.patient)],
        [block(sheet, "Treatment plan", LEFT, texts.plan),
         block(sheet, "Visits", SECOND_COLUMN, texts.visits)],
    ]
    rows = [fit_row(AUTHORIZATIONS, a, i, sheet) for i, a in enumerate(texts.authorizations)]
    if not draw:
        return
    flow = Flow(sheet, lambda page: _header(page, texts),
                lambda page, y: _continuation(page, y, texts))
    flow.advance(draw_blocks(flow.page, flow.y, blocks))
    if texts.discharge:
        _paragraphs(flow, "Discharge criteria", [texts.discharge])
    if rows:
        flow.need(14 + 14 + rows[0].height)
        flow.table(AUTHORIZATIONS, rows, gap=10)
    _paragraphs(flow, "What is due", texts.due or (("Nothing is due.",),), indent=True)
    for goal in texts.goals:
        _goal_section(flow, goal)
    if texts.notes:
        _paragraphs(flow, "Notes", texts.notes)
    number_pages(sheet.pages, FOOTER)


def _paragraphs(flow: Flow, title: str, paragraphs: Sequence[Sequence[str]], *,
                indent: bool = False) -> None:
    """A titled section of paragraphs (each kept on one page); a bullet's further lines
    indented under its text."""
    for k, lines in enumerate(paragraphs):
        height = len(lines) * LEAD + 3
        if k == 0:
            flow.need(18 + height)
            flow.advance(heading(flow.page, LEFT, flow.y, WIDTH, title))
        else:
            flow.need(height)
        y = flow.y
        for j, line in enumerate(lines):
            y += LEAD
            x = LEFT + (BULLET_INDENT if indent and j > 0 else 0.0)
            flow.page.append(Text(x, y, line, REGULAR, SIZE))
        flow.advance(y + 3)
    flow.advance(flow.y + 8)


def _goal_section(flow: Flow, goal: _Goal) -> None:
    flow.need(goal.height)
    page = flow.page
    y = heading(page, LEFT, flow.y, WIDTH, goal.title)
    for line in goal.description:
        y += LEAD
        page.append(Text(LEFT, y, line, BOLD, SIZE))
    for line in goal.measure:
        y += LEAD
        page.append(Text(LEFT, y, line, REGULAR, SIZE))
    y += 6
    if goal.points:
        drawing = measure_chart(goal.points, goal.references, goal.caption, WIDTH, CHART_HEIGHT)
        page.append(Graphic(LEFT, y, drawing))
    else:
        page.append(Text(LEFT + WIDTH / 2, y + CHART_HEIGHT / 2, "No measurement recorded yet",
                         REGULAR, SIZE, "center"))
    y += CHART_HEIGHT + 2
    for line in goal.result:
        y += LEAD
        page.append(Text(LEFT, y, line, REGULAR, SIZE))
    flow.advance(y + 10)


def _header(page: list[Op], texts: _Texts) -> float:
    facts = [f"Report as of  {texts.date}", f"Plan  {texts.plan_dates}"]
    return header(page, "PROGRESS REPORT", SUBTITLE, facts)


def _continuation(page: list[Op], y: float, texts: _Texts) -> float:
    """Whose report the page continues: the practice's and the patient's names where they
    fit the line, else fewer words (page 1 has them whole)."""
    for text in (f"{texts.practice[0].text}  -  progress report for {texts.patient[0].text}",
                 f"Progress report for {texts.patient[0].text}", "Progress report, continued"):
        if text_width(text, REGULAR, SIZE) <= WIDTH:
            break
    page.append(Text(LEFT, y + 10, text, REGULAR, SIZE))
    return y + 16


__all__ = ["CHART_HEIGHT", "check_progress_report", "progress_report_pages",
           "render_progress_report", "write_progress_report",
           "write_progress_report_rendering"]

"""The state of a treatment plan on a day: what a progress report shows.

:func:`payerkit.rules.plans.plan_report` builds a :class:`PlanReport` from the case; a
progress-report writer draws it, the CLI prints it. Money-free: dates are dates, measured
values ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from attrs import field, frozen

from .case import Attendance


def _tuple(value):
    return tuple(value)


@frozen
class Point:
    """A goal's measure taken at a visit: the visit's date and the value."""

    date: dt.date
    value: Decimal


@frozen
class GoalProgress:
    """One goal of the plan and its measure over the visits.

    ``change`` is ``latest - baseline`` (signed, as measured); ``improvement`` the change in the
    better direction (positive: better). ``met``: the latest value reached the target.
    ``progressed``: the improvement is at least the MCID (any improvement when the measure
    has none). ``mcid_source`` cites the MCID, or says there is none.
    """

    index: int
    description: str
    measure: str
    measure_name: str
    unit: str | None
    #: ``higher`` or ``lower``; ``None`` when neither the catalogue nor the goal says.
    better: Literal["higher", "lower"] | None
    baseline: Decimal
    target: Decimal
    points: tuple[Point, ...] = field(converter=_tuple)
    latest: Decimal | None
    change: Decimal | None
    improvement: Decimal | None
    mcid: Decimal | None
    mcid_source: str
    met: bool
    progressed: bool
    #: The measure is in payerkit's catalogue (else the practice's own).
    known_measure: bool


@frozen
class AuthorizationUse:
    """An authorization on file and its use on the report's day.

    ``index`` is its position in ``episode.all_authorizations`` (the single ``authorization``
    first); ``left`` is ``None`` when it gives no number of visits; ``expires`` its last day.
    """

    index: int
    number: str
    visits: int | None
    used: int
    left: int | None
    start: dt.date | None
    expires: dt.date | None
    #: The report's day falls within its dates and it has visits left (or gives no number).
    active: bool


@frozen
class VisitEntry:
    """A visit of the plan's period: its date and whether the patient came."""

    date: dt.date
    attendance: Attendance


@frozen
class PlanReport:
    """The plan's state on ``as_of``.

    Days: ``days_total`` from ``start`` to ``end`` both included (``None`` without an end);
    ``days_used`` from ``start`` to ``as_of`` (within the plan); ``days_left`` after ``as_of``
    to ``end``. Visits: attended visits from ``start`` to ``as_of`` (``visits_used``), against
    ``visits_planned``. ``next_reevaluation`` is the plan's re-evaluation date;
    ``progress_report_due`` the day the next progress report is due, when the program's window
    was given to the builder.
    """

    as_of: dt.date
    start: dt.date
    end: dt.date | None
    ended: bool
    days_total: int | None
    days_used: int
    days_left: int | None
    visits_planned: int | None
    visits_used: int
    visits_left: int | None
    visits_per_week: int | None
    next_reevaluation: dt.date | None
    reevaluation_overdue: bool
    progress_report_due: dt.date | None
    discharge_criteria: str | None
    goals: tuple[GoalProgress, ...] = field(converter=_tuple)
    authorizations: tuple[AuthorizationUse, ...] = field(converter=_tuple)
    #: Every visit from the plan's start to ``as_of``, attended or missed, in date order.
    visits: tuple[VisitEntry, ...] = field(converter=_tuple)

    @property
    def attended(self) -> tuple[dt.date, ...]:
        return tuple(v.date for v in self.visits if v.attendance == "attended")

    @property
    def missed(self) -> tuple[VisitEntry, ...]:
        return tuple(v for v in self.visits if v.attendance != "attended")


__all__ = ["AuthorizationUse", "GoalProgress", "PlanReport", "Point", "VisitEntry"]

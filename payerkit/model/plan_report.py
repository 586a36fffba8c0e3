"""The progress report of a treatment plan: where a plan stands on a day — its dates and
frequency, the visits attended, missed and left, each functional goal with the measurements
taken over the visits, the authorizations on file with what is left of them, and what is due
(a progress report, a re-evaluation, a new plan). Written as a PDF for the payer's reviewer and
the client by :func:`payerkit.formats.progress_report.write_progress_report`; filled from the
case's treatment plan and visit notes.

Frozen attrs classes with no I/O, like the rest of the model: measurements are
``decimal.Decimal`` (a Neck Disability Index of ``42``, a pain scale of ``6.5``, a range of
motion of ``35`` degrees), dates are ``datetime.date``. Whether a goal is met or has
progressed is computed here, once, so every reader of a report judges it the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from attrs import field, frozen

from .case import Person, Provider


def _tuple(value):
    return tuple(value)


def _points(value):
    return tuple(tuple(point) for point in value)


@frozen
class GoalProgress:
    """One measurable functional goal and the measurements of its outcome measure."""

    #: The goal in words ("Turn the head to check traffic while driving without pain").
    description: str
    #: The outcome measure's id (``"NDI"``, ``"ODI"``, ``"NPRS"``, ``"ROM-cervical-rotation"``).
    measure: str
    #: Its name ("Neck Disability Index").
    measure_name: str
    #: The unit of its values ("points", "degrees", "%"), or ``None``.
    unit: str | None
    #: Which way is better: a disability index or a pain scale ``"lower"``, a range of motion
    #: ``"higher"``.
    better: Literal["lower", "higher"]
    baseline: Decimal
    target: Decimal
    #: The measurements over the visits, ``(date, value)``, in date order.
    points: tuple[tuple[dt.date, Decimal], ...] = field(converter=_points)
    #: The measure's minimal clinically important difference, or ``None`` when none is on file.
    mcid: Decimal | None = None
    #: Where the MCID comes from (a study, a payer's policy).
    mcid_source: str | None = None

    @property
    def latest(self) -> Decimal | None:
        """The last measurement's value, or ``None`` before the first."""
        return self.points[-1][1] if self.points else None

    @property
    def change(self) -> Decimal | None:
        """The latest value less the baseline (below zero: it went down), or ``None``."""
        latest = self.latest
        return None if latest is None else latest - self.baseline

    @property
    def improvement(self) -> Decimal | None:
        """The change in the better direction (below zero: it got worse), or ``None``."""
        change = self.change
        if change is None:
            return None
        return -change if self.better == "lower" else change

    @property
    def met(self) -> bool:
        """Whether the latest value has reached the target in the better direction; never for
        a target no better than the baseline (a goal that aims at no improvement)."""
        latest = self.latest
        aimed = self.baseline - self.target if self.better == "lower" else \
            self.target - self.baseline
        if latest is None or aimed <= 0:
            return False
        return latest <= self.target if self.better == "lower" else latest >= self.target

    @property
    def progressed(self) -> bool | None:
        """Whether the change since the baseline is a clinically important improvement (in
        the better direction, at least the MCID); ``None`` without an MCID or a measurement."""
        improvement = self.improvement
        if improvement is None or self.mcid is None:
            return None
        return improvement >= self.mcid


@frozen
class AuthorizationState:
    """An authorization on file and what is left of it on the report's day."""

    number: str
    #: The visits it authorizes, or ``None`` when it is limited by dates only.
    visits: int | None
    used: int
    #: The visits left, or ``None`` when it is limited by dates only.
    left: int | None
    start: dt.date | None
    #: The day it expires, or ``None``.
    end: dt.date | None


@frozen
class PlanReport:
    """A treatment plan's progress on a day (``as_of``), for one patient of one practice."""

    practice: Provider
    patient: Person
    #: The program (payer) the plan is for, in words ("Premera Blue Cross").
    program: str
    start: dt.date
    end: dt.date | None
    planned_visits: int | None
    visits_per_week: int | None
    re_evaluation: dt.date | None
    #: The discharge criteria, in words.
    discharge: str | None
    as_of: dt.date
    visits_attended: int
    visits_missed: int
    visits_left: int | None
    days_left: int | None
    goals: tuple[GoalProgress, ...] = field(converter=_tuple)
    authorizations: tuple[AuthorizationState, ...] = field(converter=_tuple)
    #: What is due, in words with dates ("progress report due 2026-04-02 (WAC 296-23-250)").
    due: tuple[str, ...] = field(default=(), converter=_tuple)
    notes: tuple[str, ...] = field(default=(), converter=_tuple)


__all__ = ["AuthorizationState", "GoalProgress", "PlanReport"]

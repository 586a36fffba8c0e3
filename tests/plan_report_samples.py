"""Progress reports the tests print: a neck plan under a Washington plan, two goals (the Neck
Disability Index going down past its MCID, cervical rotation going up short of its target),
two authorizations, what is due. Sample people, numbers and sources."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from statement_samples import PATIENT, PRACTICE

from payerkit.model import AuthorizationState, GoalProgress, PlanReport

VISITS = tuple(dt.date(2026, 1, 5) + dt.timedelta(days=d)
               for d in (0, 3, 7, 10, 14, 17, 21, 28, 35, 42))
NDI_SOURCE = "J Orthop Sports Phys Ther 2014;44(8):560-564 (NDI: 14 points)"
DUE = ("Progress report due 03/02/2026 (WAC 296-23-250: after six visits or one month)",
       "Re-evaluation due 03/16/2026 (plan of care)",
       "Authorization PA-2026-0107 has 2 visits left and expires 03/31/2026")


def ndi_goal() -> GoalProgress:
    values = ("42", "40", "38", "38", "35", "33", "30", "28", "27", "26")
    return GoalProgress(
        description="Drive 30 minutes and check blind spots without neck pain limiting the turn",
        measure="NDI", measure_name="Neck Disability Index", unit="points", better="lower",
        baseline=Decimal(42), target=Decimal(20),
        points=tuple(zip(VISITS, (Decimal(v) for v in values), strict=True)),
        mcid=Decimal(14), mcid_source=NDI_SOURCE)


def rotation_goal() -> GoalProgress:
    values = ("45", "48", "50", "52.5", "55", "55", "58", "60", "61", "62")
    return GoalProgress(
        description="Turn the head to the right far enough to reverse a car safely",
        measure="ROM-CR-R", measure_name="Cervical rotation to the right", unit="degrees",
        better="higher", baseline=Decimal(45), target=Decimal(70),
        points=tuple(zip(VISITS, (Decimal(v) for v in values), strict=True)),
        mcid=Decimal(10), mcid_source="Practice's protocol (goniometer, 10 degrees)")


def wa_report() -> PlanReport:
    return PlanReport(
        practice=PRACTICE, patient=PATIENT, program="Washington L&I workers' compensation",
        start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 27), planned_visits=16,
        visits_per_week=2, re_evaluation=dt.date(2026, 3, 16),
        discharge=("Discharge when the NDI is 20 or less and right rotation reaches 70 "
                   "degrees, or after 16 visits, whichever comes first; home exercise "
                   "program continued."),
        as_of=dt.date(2026, 2, 20), visits_attended=10, visits_missed=1, visits_left=6,
        days_left=35, goals=(ndi_goal(), rotation_goal()),
        authorizations=(
            AuthorizationState("PA-2026-0107", 12, 10, 2, dt.date(2026, 1, 5),
                               dt.date(2026, 3, 31)),
            AuthorizationState("REF-88213", None, 10, None, dt.date(2026, 1, 2),
                               dt.date(2026, 7, 2)),
        ),
        due=DUE,
        notes=("One visit missed on 02/09/2026 (no-show; not billed to the insurer).",))

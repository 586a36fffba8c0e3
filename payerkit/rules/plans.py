"""Treatment plans as rules: building blocks a program composes, each citing the program's rule.

Each function reads the case (``episode.plan``, ``episode.authorizations``, the visits'
``measures`` and ``attendance``) and answers for one visit with payerkit's own result types:
:class:`~payerkit.model.Outcome` records (already :func:`~payerkit.model.outcome.settle`\\ d: a
rule whose citation is not confirmed is never a refusal, a ``low`` or ``sample`` one never an
error), :class:`~payerkit.model.Finding` records and :class:`~payerkit.model.Limit` records.
The program passes its own citation; payerkit holds no payer's rule here::

    outcomes = [*plans.plan_period(case, visit, PREMERA_POLICY),
                *plans.maintenance(case, visit, PREMERA_POLICY, visits=6),
                *plans.missed_appointment(case, visit, CMS_CR_5613)]

Visits counted are attended visits only: a missed appointment (``no_show``,
``late_cancel``) is not a visit used. Outcome messages name fields, dates, counts and measure
ids, never a goal's description or a measured value.

:func:`plan_report` fills the :class:`~payerkit.model.PlanReport` the progress report is drawn
from (``payerkit.formats.progress_report``): the plan's state on a day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..model.case import Authorization, Case, Goal, TreatmentPlan, Visit
from ..model.outcome import Outcome, caution, not_covered, note, requirement, settle
from ..model.plan_report import AuthorizationState, GoalProgress, PlanReport
from ..model.results import Citation, Finding, Limit
from ..paths import field_path, visit_index
from . import measures as catalogue
from .measures import CATALOGUE, Better

PLAN = "episode.plan"

#: Outcome codes of these rules (a program may match them, a rule set override them).
PLAN_REQUIRED = "PLAN-REQUIRED"
PLAN_NO_END = "PLAN-NO-END"
PLAN_ENDED = "PLAN-ENDED"
PLAN_REEVALUATION_DUE = "PLAN-REEVALUATION-DUE"
PLAN_VISITS_USED = "PLAN-VISITS-USED"
PLAN_NO_MEASURABLE_GOAL = "PLAN-NO-MEASURABLE-GOAL"
PLAN_MEASURE_MISSING = "PLAN-MEASURE-MISSING"
PLAN_MEASURE_UNKNOWN = "PLAN-MEASURE-UNKNOWN"
PLAN_NO_PROGRESS = "PLAN-NO-PROGRESS"
PLAN_PROGRESS = "PLAN-PROGRESS"
PLAN_GOALS_MET = "PLAN-GOALS-MET"
PROGRESS_REPORT_DUE = "PROGRESS-REPORT-DUE"
PROGRESS_REPORT_NEXT = "PROGRESS-REPORT-NEXT"
AUTHORIZATION_NOT_IN_FORCE = "AUTHORIZATION-NOT-IN-FORCE"
AUTHORIZATION_VISITS_USED = "AUTHORIZATION-VISITS-USED"
AUTHORIZATION_ENDING = "AUTHORIZATION-ENDING"
MISSED_APPOINTMENT_BILLED = "MISSED-APPOINTMENT-BILLED"

NO_MCID = "no published MCID: any measured improvement counts (verify with the plan)"
OWN_MEASURE = ("not in payerkit's catalogue (the practice's own measure): no MCID, any "
               "measured improvement counts (verify with the plan)")


# -- Small pieces ---------------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, the day of the month kept where the month has
    it, else the month's last day (2026-01-31 plus one month is 2026-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def attended(case: Case, since: dt.date | None = None, until: dt.date | None = None,
             after: dt.date | None = None) -> list[Visit]:
    """The attended visits from ``since`` (or after ``after``) to ``until``, both included."""
    return [v for v in case.visits if v.attendance == "attended"
            and (since is None or v.date >= since) and (after is None or v.date > after)
            and (until is None or v.date <= until)]


def same_measure(a: str, b: str) -> bool:
    """Two ids name the same measure (ids are compared without regard to case)."""
    return a.lower() == b.lower()


#: A measurement of a goal's measure: the visit's date and the value (``GoalProgress.points``).
Point = tuple[dt.date, Decimal]


def measured(case: Case, measure_id: str, since: dt.date | None = None,
             until: dt.date | None = None) -> list[Point]:
    """The ``(date, value)`` of ``measure_id`` taken at attended visits from ``since`` to
    ``until``."""
    return [(v.date, m.value) for v in attended(case, since, until)
            for m in v.measures if same_measure(m.measure, measure_id)]


def goal_direction(goal: Goal) -> Better | None:
    """The better direction of ``goal``'s measure: the catalogue's, else baseline → target."""
    return catalogue.direction(goal.measure, goal.baseline, goal.target)


def is_measurable(goal: Goal) -> bool:
    """A goal is measurable when its measure has a better direction and its target is better
    than its baseline in that direction."""
    better = goal_direction(goal)
    return better is not None and catalogue.improvement(better, goal.baseline, goal.target) > 0


def mcid_of(measure_id: str) -> tuple[Decimal | None, str]:
    """The measure's MCID (``None`` when none is published) and where it comes from, in words."""
    known = catalogue.measure(measure_id)
    if known is None:
        return None, OWN_MEASURE
    if known.mcid is None:
        return None, NO_MCID
    cited = known.citation
    return known.mcid, (f"MCID {known.mcid} points ({known.name}): "
                        f"{(cited.edition or cited.source).partition(',')[0]} "
                        f"[{cited.confidence}]")


def progressed(measure_id: str, better: Better | None, before: Decimal,
               after: Decimal | None) -> bool:
    """``after`` is better than ``before`` by at least the measure's MCID (by anything, when it
    has none)."""
    if after is None or better is None:
        return False
    change = catalogue.improvement(better, before, after)
    mcid = mcid_of(measure_id)[0]
    return change >= mcid if mcid is not None else change > 0


def reached(goal: Goal, value: Decimal | None) -> bool:
    """``value`` meets the goal's target."""
    if value is None:
        return False
    better = goal_direction(goal)
    if better == "higher":
        return value >= goal.target
    if better == "lower":
        return value <= goal.target
    return value == goal.target


def _settled(outcomes: Iterable[Outcome]) -> list[Outcome]:
    return [settle(o) for o in outcomes]


def _plan_of(case: Case, visit: Visit) -> TreatmentPlan | None:
    """The plan, when the visit is an attended one (a missed appointment is not judged)."""
    return case.episode.plan if visit.attendance == "attended" else None


def _end_path(plan: TreatmentPlan) -> str:
    return f"{PLAN}.end" if plan.end is not None else f"{PLAN}.duration_weeks"


# -- The plan's dates and visits --------------------------------------------------------------------

def plan_required(case: Case, visit: Visit, citation: Citation,
                  after_visits: int = 0) -> list[Outcome]:
    """A requirement when the case has no plan and ``visit`` is past the first
    ``after_visits`` attended visits (Premera: six visits without a plan on file)."""
    if case.episode.plan is not None or visit.attendance != "attended":
        return []
    number = len(attended(case, until=visit.date))
    if number <= after_visits:
        return []
    allowed = f" (the first {after_visits} need none)" if after_visits else ""
    return _settled([requirement(
        PLAN_REQUIRED, f"visit {number} needs a treatment plan on file{allowed}: give "
        "episode.plan (dates, planned visits, measurable goals)", citation, PLAN)])


def plan_period(case: Case, visit: Visit, citation: Citation) -> list[Outcome]:
    """The visit within the plan: a plan with no end, a visit after its end or past its
    re-evaluation date, or beyond its planned visits, each a requirement (a new plan or a
    re-evaluation)."""
    plan = _plan_of(case, visit)
    if plan is None:
        return []
    found = []
    last = plan.last_day
    if last is None:
        found.append(requirement(
            PLAN_NO_END, "the treatment plan states no end: give episode.plan.end or "
            "duration_weeks", citation, f"{PLAN}.end"))
    elif visit.date > last:
        found.append(requirement(
            PLAN_ENDED, f"the visit on {visit.date.isoformat()} is after the treatment plan's "
            f"end ({last.isoformat()}): a new plan of care (or a re-evaluation extending it) "
            "is needed", citation, _end_path(plan)))
    if plan.reevaluation_date is not None and visit.date > plan.reevaluation_date:
        found.append(requirement(
            PLAN_REEVALUATION_DUE, f"the visit on {visit.date.isoformat()} is past the plan's "
            f"re-evaluation date ({plan.reevaluation_date.isoformat()}): re-evaluate and "
            "record the new date", citation, f"{PLAN}.reevaluation_date"))
    if plan.visits is not None and visit.date >= plan.start:
        number = len(attended(case, plan.start, visit.date))
        if number > plan.visits:
            found.append(requirement(
                PLAN_VISITS_USED, f"the visit is visit {number} of a plan of {plan.visits} "
                "visits: revise the plan for more", citation, f"{PLAN}.visits"))
    return _settled(found)


# -- Goals and measures ------------------------------------------------------------------------------

def measurable_goals(case: Case, visit: Visit, citation: Citation) -> list[Outcome]:
    """A caution when the plan has no measurable goal: none at all, or none whose target is
    better than its baseline by a measure with a known better direction."""
    plan = _plan_of(case, visit)
    if plan is None or any(is_measurable(g) for g in plan.goals):
        return []
    why = "has no goal" if not plan.goals else \
        "has no goal whose target is a measured improvement over its baseline"
    return _settled([caution(
        PLAN_NO_MEASURABLE_GOAL, f"the treatment plan {why}: give each goal a functional "
        "activity, an outcome measure, a baseline and a better target", citation,
        f"{PLAN}.goals")])


def _matches(measurement_id: str, required: str) -> bool:
    a, b = measurement_id.lower(), required.lower()
    return a == b or a.startswith(b + ".")


def required_measures(case: Case, visit: Visit, citation: Citation,
                      measures: Sequence[str] | None = None, any_of: bool = False
                      ) -> list[Outcome]:
    """A caution for each required measure the visit's note does not record.

    ``measures``: the ids the program requires (a catalogue id also accepts its detailed ids:
    ``rom`` is met by ``rom.flexion``); by default the plan's goals' measures. ``any_of``: one
    of them is enough (Washington L&I's functional modalities: range of motion, sitting or
    standing tolerance, medication). Only attended visits on or after the plan's start are
    judged (with ``measures`` given, any attended visit)."""
    if visit.attendance != "attended":
        return []
    plan = case.episode.plan
    if measures is None:
        if plan is None:
            return []
        measures = list(dict.fromkeys(g.measure.lower() for g in plan.goals))
    if not measures or (plan is not None and visit.date < plan.start):
        return []
    taken = [m.measure for m in visit.measures]
    missing = [r for r in measures if not any(_matches(t, r) for t in taken)]
    path = field_path("visits", visit_index(case, visit), "measures")
    day = visit.date.isoformat()
    if any_of:
        if len(missing) < len(measures):
            return []
        return _settled([caution(
            PLAN_MEASURE_MISSING, f"the note of the visit on {day} records none of the "
            f"measures required ({', '.join(measures)})", citation, path)])
    return _settled([caution(
        PLAN_MEASURE_MISSING, f"the note of the visit on {day} does not record the "
        f"outcome measure '{r}'", citation, path) for r in missing])


def measure_findings(case: Case) -> list[Finding]:
    """A warning for each measure id not in the catalogue (at its first use): the practice's
    own measure, accepted; its better direction taken from the goal's baseline and target."""
    found: list[Finding] = []
    seen: set[str] = set()
    plan = case.episode.plan
    named = [(field_path(PLAN, "goals", i, "measure"), g.measure)
             for i, g in enumerate(plan.goals)] if plan is not None else []
    named += [(field_path("visits", i, "measures", j, "measure"), m.measure)
              for i, v in enumerate(case.visits) for j, m in enumerate(v.measures)]
    for path, measure_id in named:
        key = measure_id.lower()
        if key in seen or catalogue.measure(measure_id) is not None:
            continue
        seen.add(key)
        found.append(Finding(
            "warning", PLAN_MEASURE_UNKNOWN, f"{path}: '{measure_id}' is not in payerkit's "
            "outcome-measure catalogue: read as the practice's own measure, its better "
            "direction taken from the goal's baseline and target, with no MCID", path,
            CATALOGUE))
    return found


# -- Progress ---------------------------------------------------------------------------------------

def _value_before(case: Case, goal: Goal, plan: TreatmentPlan, day: dt.date,
                  inclusive: bool) -> Decimal:
    """The goal's value as of ``day`` (the last measured before it, or on it when
    ``inclusive``), from the plan's start; the baseline when none was measured."""
    until = day if inclusive else day - dt.timedelta(days=1)
    points = measured(case, goal.measure, plan.start, until) if until >= plan.start else []
    return points[-1][1] if points else goal.baseline


def maintenance(case: Case, visit: Visit, citation: Citation, *, visits: int | None = None,
                days: int | None = None) -> list[Outcome]:
    """No measured progress over the program's window: a maintenance-care caution, never
    silence.

    The window is the last ``visits`` attended visits of the plan up to ``visit``, or the
    ``days`` days ending on its date (one of the two). Each measurable goal's value before the
    window (the last measured, else its baseline) is compared with its last value in the window,
    against its measure's MCID (any improvement where none is published). A note when some goal
    progressed; a caution when every goal is met (further care may be maintenance: discharge
    or set new goals), or when none progressed. Nothing until the plan has run one window."""
    if (visits is None) == (days is None):
        raise ValueError("maintenance: give the window as visits or as days, one of the two")
    plan = _plan_of(case, visit)
    if plan is None or visit.date < plan.start:
        return []
    if visits is not None:
        plan_visits = attended(case, plan.start, visit.date)
        if len(plan_visits) < visits:
            return []
        first, inclusive = plan_visits[-visits].date, False
        window = f"the last {visits} visits ({first.isoformat()} to {visit.date.isoformat()})"
    else:
        first = visit.date - dt.timedelta(days=days)
        if first < plan.start:
            return []
        inclusive = True
        window = f"the {days} days from {first.isoformat()} to {visit.date.isoformat()}"
    goals = [(i, g) for i, g in enumerate(plan.goals) if is_measurable(g)]
    if not goals:
        return _settled([caution(
            PLAN_NO_PROGRESS, f"no measured progress can be shown over {window}: the plan has "
            "no measurable goal; care without measured progress may be maintenance care, "
            "which is not paid as treatment", citation, f"{PLAN}.goals")])
    better, met, rules = [], [], []
    for i, goal in goals:
        before = _value_before(case, goal, plan, first, inclusive)
        points = [p for p in measured(case, goal.measure, plan.start, visit.date)
                  if (p[0] > first if inclusive else p[0] >= first)]
        latest = points[-1][1] if points else None
        if reached(goal, latest if latest is not None else before):
            met.append(i)
        if progressed(goal.measure, goal_direction(goal), before, latest):
            better.append(i)
        rules.append(f"{goal.measure}: {mcid_of(goal.measure)[1]}")
    if len(met) == len(goals):
        return _settled([caution(
            PLAN_GOALS_MET, "every goal of the treatment plan is met: further care may be "
            "maintenance care; discharge, or re-evaluate and set new goals", citation,
            f"{PLAN}.goals")])
    if better:
        which = ", ".join(f"goal {i + 1}" for i in better)
        return [note(PLAN_PROGRESS, f"measured progress over {window}: {which}", citation,
                     f"{PLAN}.goals")]
    return _settled([caution(
        PLAN_NO_PROGRESS, f"no goal shows measured progress over {window} "
        f"({'; '.join(rules)}): care without measured progress may be maintenance care, "
        "which is not paid as treatment; record the measures, revise the plan or discharge",
        citation, f"{PLAN}.goals")])


# -- Progress reports ---------------------------------------------------------------------------

def progress_report_due(case: Case, on: dt.date, *, visits: int | None = None,
                        months: int | None = None, days: int | None = None
                        ) -> tuple[dt.date | None, dt.date, int]:
    """When the next progress report is due, as of ``on``: after ``visits`` attended visits,
    or ``months`` calendar months (or ``days`` days), whichever first, since the last report
    on or before ``on`` (the plan's start when none).

    Returns the due day (``None`` when only the visits say and fewer have been made), the
    period's first day and how many attended visits the period has had up to ``on``."""
    plan = case.episode.plan
    if plan is None:
        raise LookupError("episode.plan: the case has no treatment plan")
    reports = [d for d in plan.progress_reports if plan.start <= d <= on]
    if reports:
        since = max(reports)
        made = attended(case, after=since, until=on)
    else:
        since = plan.start
        made = attended(case, since, on)
    due = []
    if visits is not None and len(made) >= visits:
        due.append(made[visits - 1].date)
    if months is not None:
        due.append(add_months(since, months))
    if days is not None:
        try:
            due.append(since + dt.timedelta(days=days))
        except OverflowError:
            due.append(dt.date.max)
    return (min(due) if due else None), since, len(made)


def progress_report(case: Case, visit: Visit, citation: Citation, *, visits: int | None = None,
                    months: int | None = None, days: int | None = None) -> list[Outcome]:
    """The program's progress report: a requirement at a visit after the day it was due with
    none recorded since (``episode.plan.progress_reports``), a caution at the visit it falls
    due, else a note naming the next due day. Washington L&I: ``visits=6, months=1``."""
    plan = _plan_of(case, visit)
    if plan is None or visit.date < plan.start:
        return []
    due, since, made = progress_report_due(case, visit.date, visits=visits, months=months,
                                           days=days)
    rule = " or ".join(part for part in (
        f"{visits} visits" if visits is not None else "",
        f"{months} month{'s' if months != 1 else ''}" if months is not None else "",
        f"{days} days" if days is not None else "") if part)
    since_text = f"since {since.isoformat()}"
    path = f"{PLAN}.progress_reports"
    if due is not None and visit.date > due:
        return _settled([requirement(
            PROGRESS_REPORT_DUE, f"a progress report was due on {due.isoformat()} (after "
            f"{rule} {since_text}, whichever first) and none is recorded: write it and add its "
            "date to episode.plan.progress_reports", citation, path)])
    if due is not None and visit.date == due:
        return _settled([caution(
            PROGRESS_REPORT_DUE, f"a progress report is due on {due.isoformat()}, after this "
            f"visit ({rule} {since_text}, whichever first)", citation, path)])
    left = f"; {visits - made} more visit(s) before it" if visits is not None else ""
    when = f"by {due.isoformat()}" if due is not None else f"after {visits} visits"
    return [note(PROGRESS_REPORT_NEXT, f"the next progress report is due {when} ({rule} "
                 f"{since_text}, whichever first{left})", citation, path)]


# -- Authorizations -------------------------------------------------------------------------------

#: What the built-in authorization limits and findings cite in every program (a program's
#: plugin may give the same rows with its own rule's citation: :func:`authorization_limits`).
AUTHORIZATIONS_ON_FILE = Citation(
    "The authorizations on file, as the practice records them from the payer's approvals "
    "(episode.authorization, episode.authorizations: number, visits, dates); payerkit counts the "
    "attended visits within an authorization's dates against it, a missed appointment none",
    confidence="practice")


def _auth_path(case: Case, index: int) -> str:
    if case.episode.authorization is not None:
        if index == 0:
            return "episode.authorization"
        index -= 1
    return field_path("episode.authorizations", index)


def authorization_path(case: Case, authorization: Authorization) -> str:
    """The case field of ``authorization`` (one of ``episode.all_authorizations``):
    ``episode.authorization`` or ``episode.authorizations[i]``."""
    every = case.episode.all_authorizations
    index = next(i for i, a in enumerate(every) if a is authorization)
    return _auth_path(case, index)


#: The last case whose visits were assigned to its authorizations, and the assignment
#: (:func:`_assigned`): the rules ask for it at every visit of a claim.
_LAST_ASSIGNED: tuple[Case, tuple[tuple[dt.date, int], ...]] | None = None


def _assigned(case: Case) -> tuple[tuple[dt.date, int], ...]:
    """Each attended visit within some authorization's dates, as ``(day, index)`` of the
    authorization on file (``episode.all_authorizations``) it uses: of those whose dates hold
    its day, the first in file order with a visit left, else the first (used up: the rules say
    so). Authorizations that do not overlap each use the attended visits within their dates;
    overlapping ones never count one visit twice."""
    global _LAST_ASSIGNED
    last = _LAST_ASSIGNED
    if last is not None and last[0] is case:
        return last[1]
    every = case.episode.all_authorizations
    used = [0] * len(every)
    found = []
    for visit in attended(case):
        covering = [i for i, a in enumerate(every) if a.covers(visit.date)]
        if covering:
            index = next((i for i in covering if every[i].visits is None
                          or used[i] < every[i].visits), covering[0])
            used[index] += 1
            found.append((visit.date, index))
    _LAST_ASSIGNED = (case, tuple(found))
    return _LAST_ASSIGNED[1]


def _allocated(case: Case, until: dt.date) -> list[int]:
    """How many attended visits up to ``until`` each authorization on file has used
    (:func:`_assigned`)."""
    used = [0] * len(case.episode.all_authorizations)
    for day, index in _assigned(case):
        if day <= until:
            used[index] += 1
    return used


def authorization_used(case: Case, authorization: Authorization, on: dt.date) -> int:
    """The attended visits up to ``on`` that used ``authorization`` (one of
    ``episode.all_authorizations``): those within its dates, each counted against one
    authorization only when several overlap (a missed appointment uses nothing)."""
    every = case.episode.all_authorizations
    index = next((i for i, a in enumerate(every) if a is authorization), None)
    if index is None:  # not one on file: the attended visits within its dates
        until = on if authorization.end is None else min(on, authorization.end)
        return len(attended(case, authorization.start, until))
    return _allocated(case, on)[index]


def covering_authorization(case: Case, on: dt.date) -> Authorization | None:
    """The authorization on file that covers a visit on ``on``: of those whose dates hold
    ``on`` (``episode.all_authorizations``, in file order), the first with a visit left for it
    (the attended visits before ``on`` counted, each against one), else the first (used up:
    the rules say so), else ``None``. One authorization on file that covers ``on``: that one."""
    every = case.episode.all_authorizations
    covering = [i for i, a in enumerate(every) if a.covers(on)]
    if len(covering) <= 1:
        return every[covering[0]] if covering else None
    used = _allocated(case, on - dt.timedelta(days=1))
    for i in covering:
        if every[i].visits is None or used[i] < every[i].visits:
            return every[i]
    return every[covering[0]]


def authorization_use(case: Case, on: dt.date) -> list[AuthorizationState]:
    """Every authorization on file (``episode.all_authorizations``, in that order) and its use
    up to ``on``: the attended visits that used it (:func:`authorization_used`), and what is
    left."""
    found = []
    for auth, used in zip(case.episode.all_authorizations, _allocated(case, on), strict=True):
        left = None if auth.visits is None else max(auth.visits - used, 0)
        found.append(AuthorizationState(auth.number, auth.visits, used, left, auth.start,
                                        auth.end))
    return found


def _window(use: AuthorizationState, on: dt.date) -> str:
    start = use.start.isoformat() if use.start is not None else "open"
    end = use.end
    if end is None:
        return f"from {start}, no expiry on file"
    left = (end - on).days
    state = f"{left} day(s) left" if left >= 0 else "expired"
    return f"{start} to {end.isoformat()}; expires {end.isoformat()} ({state} on {on.isoformat()})"


def authorization_limit_name(index: int) -> str:
    """The name of the limit of the authorization at ``index`` of
    ``episode.all_authorizations`` (``"authorization 1"``...)."""
    return f"authorization {index + 1}"


def authorization_limits(case: Case, visit: Visit,
                         citation: Citation | None = None) -> list[Limit]:
    """One :class:`~payerkit.model.Limit` per authorization on file: visits authorized and
    used up to ``visit``, what is left (``Limit.remaining``) and, in its window, its dates and
    expiry. Named ``authorization 1``, ``authorization 2``... in file order (never by number)."""
    return [Limit(authorization_limit_name(i), "visits", use.visits, use.used,
                  _window(use, visit.date), citation)
            for i, use in enumerate(authorization_use(case, visit.date))]


def authorization_outcomes(case: Case, visit: Visit, citation: Citation,
                           warn_left: int = 1) -> list[Outcome]:
    """The visit against the authorizations on file (none on file: nothing to say): a
    requirement when none covers its date, or when every one that does has no visit left; a
    caution when ``warn_left`` visits or fewer remain after it."""
    uses = list(enumerate(authorization_use(case, visit.date)))
    if not uses or visit.attendance != "attended":
        return []
    day = visit.date.isoformat()
    every = case.episode.all_authorizations
    covering = [(i, u) for i, u in uses if every[i].covers(visit.date)]
    if not covering:
        return _settled([requirement(
            AUTHORIZATION_NOT_IN_FORCE, f"no authorization on file covers the visit on {day}: "
            "ask for a new authorization or an extension", citation,
            "episode.authorizations" if case.episode.authorizations else "episode.authorization")])
    counted = [(i, u) for i, u in covering if u.visits is not None]
    if len(counted) == len(covering) and all(u.used > u.visits for _, u in counted):
        i, use = counted[0]
        return _settled([requirement(
            AUTHORIZATION_VISITS_USED, f"the visit on {day} is visit {use.used} of "
            f"{use.visits} authorized (authorization {i + 1}): ask for more visits",
            citation, _auth_path(case, i) + ".visits")])
    if len(counted) < len(covering):
        return []
    i, use = max(counted, key=lambda iu: iu[1].visits - iu[1].used)
    left = use.visits - use.used
    if left > warn_left:
        return []
    expiry = f", expires {use.end.isoformat()}" if use.end is not None else ""
    return _settled([caution(
        AUTHORIZATION_ENDING, f"{left} visit(s) left on authorization {i + 1} after the "
        f"visit on {day}{expiry}: ask for more visits before the next", citation,
        _auth_path(case, i) + ".visits")])


# -- Missed appointments --------------------------------------------------------------------------

def missed_appointment(case: Case, visit: Visit, citation: Citation) -> list[Outcome]:
    """A missed appointment (``no_show``, ``late_cancel``) with services on the claim: the
    insurer pays nothing for it; it is the patient's charge, under the practice's
    missed-appointment policy, never on any claim."""
    if visit.attendance == "attended" or not visit.services:
        return []
    path = field_path("visits", visit_index(case, visit), "attendance")
    kind = "a no-show" if visit.attendance == "no_show" else "a late cancellation"
    return _settled([not_covered(
        MISSED_APPOINTMENT_BILLED, f"the visit on {visit.date.isoformat()} is {kind} with "
        f"{len(visit.services)} service(s) on the claim: a missed appointment is the patient's "
        "charge (under the practice's missed-appointment policy), never the insurer's; take "
        "it off the claim", citation, path)])


# -- The plan's state on a day: the progress report's record -----------------------------------

_MISSED = {"no_show": "no-show", "late_cancel": "late cancellation"}
#: Dates in the report's words (what is due, notes) as the progress report prints its dates.
US_DATE = "%m/%d/%Y"


def _goal_progress(case: Case, plan: TreatmentPlan, i: int, goal: Goal, on: dt.date,
                   notes: list[str]) -> GoalProgress:
    known = catalogue.measure(goal.measure)
    better = goal_direction(goal)
    if better is None:  # the practice's own measure, its target equal to its baseline
        better = "higher"
        notes.append(f"Goal {i + 1}: its measure ({goal.measure}) is the practice's own and its "
                     "target equals its baseline, so no direction of progress can be told.")
    elif known is None:
        notes.append(f"Goal {i + 1}: {goal.measure} is the practice's own measure (not in "
                     "payerkit's catalogue): progress is read from baseline to target, with "
                     "no MCID.")
    mcid, source = mcid_of(goal.measure)
    return GoalProgress(
        goal.description, goal.measure, known.name if known else goal.measure,
        known.unit if known else None, better, goal.baseline, goal.target,
        measured(case, goal.measure, plan.start, on), mcid, source)


def _due(case: Case, plan: TreatmentPlan, on: dt.date, window: dict, citation: Citation | None,
         authorizations: list[AuthorizationState], warn_left: int) -> list[str]:
    due = []
    last = plan.last_day
    if last is None:
        due.append("The plan states no end: a plan of care with an end date.")
    elif on > last:
        due.append(f"A new plan of care: the plan ended on {last.strftime(US_DATE)}.")
    if plan.reevaluation_date is not None:
        when = plan.reevaluation_date.strftime(US_DATE)
        due.append(f"Re-evaluation overdue since {when}." if on > plan.reevaluation_date
                   else f"Re-evaluation due on {when}.")
    if any(v is not None for v in window.values()):
        day, since, _made = progress_report_due(case, on, **window)
        rule = " or ".join(f"{n} {unit if n != 1 else unit[:-1]}" for unit, n in window.items()
                           if n is not None)
        source = f"; {citation}" if citation is not None else ""
        if day is None:
            when = f"due after {window['visits']} visits"
        elif day < on:  # as a late re-evaluation is said
            when = f"overdue since {day.strftime(US_DATE)}"
        else:
            when = f"due on {day.strftime(US_DATE)}"
        due.append(f"Progress report {when} (after {rule} since {since.strftime(US_DATE)}, "
                   f"whichever first{source}).")
    for auth, use in zip(case.episode.all_authorizations, authorizations, strict=True):
        if use.left is not None and auth.covers(on) and use.left <= warn_left:
            expiry = f" and expires {use.end.strftime(US_DATE)}" if use.end is not None else ""
            due.append(f"Authorization {use.number} has {use.left} visit(s) left{expiry}.")
    return due


def plan_report(case: Case, as_of: dt.date | None = None, *, program: str | None = None,
                report_visits: int | None = None, report_months: int | None = None,
                report_days: int | None = None, report_citation: Citation | None = None,
                warn_left: int = 1) -> PlanReport:
    """The progress report's record (:class:`~payerkit.model.PlanReport`): the plan on
    ``as_of`` (default: the case's day) — its dates, visits attended, missed and left, days
    left, each goal with its measure over the visits and its MCID (with its source), every
    authorization with what is left, and what is due.

    ``program``: the program's name as the report shows it (default: the case's program id).
    Given the program's progress-report window (``report_visits``, ``report_months``,
    ``report_days``, cited by ``report_citation``), what is due names the next progress
    report. A case with no plan: :class:`LookupError`."""
    plan = case.episode.plan
    if plan is None:
        raise LookupError("episode.plan: the case has no treatment plan")
    on = as_of if as_of is not None else case.today()
    last = plan.last_day
    days_left = None if last is None else (last - plan.start).days + 1 if on < plan.start \
        else max((last - on).days, 0)
    period = [v for v in case.visits if plan.start <= v.date <= on]
    used = sum(v.attendance == "attended" for v in period)
    notes: list[str] = []
    goals = [_goal_progress(case, plan, i, g, on, notes) for i, g in enumerate(plan.goals)]
    notes += [f"Visit missed on {v.date.strftime(US_DATE)} ({_MISSED[v.attendance]}; not billed to "
              "the insurer)." for v in period if v.attendance != "attended"]
    authorizations = authorization_use(case, on)
    window = {"visits": report_visits, "months": report_months, "days": report_days}
    return PlanReport(
        practice=case.provider, patient=case.patient, program=program or case.program,
        start=plan.start, end=last, planned_visits=plan.visits,
        visits_per_week=plan.visits_per_week, re_evaluation=plan.reevaluation_date,
        discharge=plan.discharge_criteria, as_of=on, visits_attended=used,
        visits_missed=len(period) - used,
        visits_left=None if plan.visits is None else max(plan.visits - used, 0),
        days_left=days_left, goals=goals, authorizations=authorizations,
        due=_due(case, plan, on, window, report_citation, authorizations, warn_left),
        notes=notes)


__all__ = [
    "AUTHORIZATIONS_ON_FILE", "AUTHORIZATION_ENDING", "AUTHORIZATION_NOT_IN_FORCE",
    "AUTHORIZATION_VISITS_USED", "MISSED_APPOINTMENT_BILLED", "NO_MCID", "OWN_MEASURE",
    "PLAN_ENDED", "PLAN_GOALS_MET", "PLAN_MEASURE_MISSING", "PLAN_MEASURE_UNKNOWN", "PLAN_NO_END",
    "PLAN_NO_MEASURABLE_GOAL", "PLAN_NO_PROGRESS", "PLAN_PROGRESS", "PLAN_REEVALUATION_DUE",
    "PLAN_REQUIRED", "PLAN_VISITS_USED", "PROGRESS_REPORT_DUE", "PROGRESS_REPORT_NEXT",
    "add_months", "attended", "authorization_limit_name", "authorization_limits", "authorization_outcomes",
    "authorization_path", "authorization_use", "authorization_used", "covering_authorization",
    "goal_direction", "is_measurable", "maintenance", "mcid_of", "measurable_goals",
    "measure_findings", "measured", "missed_appointment", "plan_period", "plan_report",
    "plan_required", "progress_report", "progress_report_due", "progressed", "reached",
    "required_measures", "same_measure",
]

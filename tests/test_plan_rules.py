"""The treatment-plan rules (payerkit.rules.plans) and the plan report (issue 18).

Each rule answers with payerkit's result types, cites the program's own citation, and obeys
the confidence rules: an unconfirmed rule never refuses, a weak one is never an error.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_samples import MEDIUM, PLAN_DATA, RULE, WEAK, plan_case, plan_data, visit, with_plan

from payerkit.model import Limit, Outcome, PlanReport
from payerkit.model.outcome import UNCONFIRMED_SUFFIX
from payerkit.rules import limits, measures, plans

D = dt.date
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def codes(outcomes) -> list[tuple[str, str | None]]:
    return [(o.code, o.finding_severity) for o in outcomes]


def last(case):
    return case.visits[-1]


def case_with_visits(visits: list[dict], **plan_changes):
    data = plan_data(visits=visits)
    data["as_of"] = max(v["date"] for v in visits)
    data["episode"]["plan"].update({k: v for k, v in plan_changes.items() if v is not None})
    for key in [k for k, v in plan_changes.items() if v is None]:
        data["episode"]["plan"].pop(key, None)
    return plan_case(data)


# -- The catalogue -----------------------------------------------------------------------------

def test_the_catalogue_holds_the_measures_with_their_mcids_and_sources():
    known = measures.catalogue()
    assert {"nprs", "ndi", "odi", "psfs", "lefs", "uefi", "rom", "sitting_tolerance",
            "standing_tolerance", "medication_use"} <= set(known)
    assert {k: str(m.mcid) for k, m in known.items() if m.mcid is not None} == {
        "nprs": "1.5", "ndi": "14", "odi": "12", "psfs": "1.3", "lefs": "9", "uefi": "6"}
    for key in ("nprs", "ndi", "odi", "psfs", "lefs", "uefi"):
        assert "560-564" in known[key].citation.edition
        assert known[key].citation.confidence == "medium"
    for key in ("rom", "sitting_tolerance", "standing_tolerance", "medication_use"):
        assert known[key].mcid is None and "verify with the plan" in known[key].note
        assert known[key].citation.source.startswith("WAC 296-23-250")
    assert {k for k, m in known.items() if m.better == "lower"} == {"nprs", "ndi", "odi",
                                                                    "medication_use"}


def test_measure_ids_match_without_case_and_with_a_detail():
    assert measures.measure("NDI").id == "ndi"
    assert measures.measure("rom.cervical_rotation_left").id == "rom"
    assert measures.measure("grip_strength") is None
    assert measures.direction("grip_strength", Decimal(20), Decimal(30)) == "higher"
    assert measures.direction("grip_strength", Decimal(30), Decimal(20)) == "lower"
    assert measures.direction("grip_strength", Decimal(30), Decimal(30)) is None
    assert measures.direction("nprs", Decimal(2), Decimal(6)) == "lower"  # the catalogue's


def test_an_unknown_measure_is_read_with_a_warning_once():
    data = plan_data()
    data["episode"]["plan"]["goals"][0]["measure"] = "grip_strength"
    data["visits"][0]["measures"][1]["measure"] = "GRIP_STRENGTH"
    data["visits"][2]["measures"][1]["measure"] = "lift_kg"
    found = plans.measure_findings(plan_case(data))
    assert [(f.severity, f.code, f.path) for f in found] == [
        ("warning", "PLAN-MEASURE-UNKNOWN", "episode.plan.goals[0].measure"),
        ("warning", "PLAN-MEASURE-UNKNOWN", "visits[2].measures[1].measure")]
    assert plans.measure_findings(plan_case()) == []


# -- The plan's dates and visits ----------------------------------------------------------------

def test_a_visit_within_the_plan_needs_nothing():
    case = plan_case()
    assert plans.plan_period(case, last(case), RULE) == []


def test_a_visit_after_the_plan_ended_needs_a_new_plan():
    case = case_with_visits([visit(D(2026, 3, 3)), visit(D(2026, 4, 27))],
                            reevaluation_date=None)
    found = plans.plan_period(case, last(case), RULE)
    assert codes(found) == [("PLAN-ENDED", "error")]
    assert found[0].effect == "requirement" and found[0].path == "episode.plan.duration_weeks"
    assert "2026-04-26" in found[0].message and found[0].citation == RULE
    assert plans.plan_period(case, case.visits[0], RULE) == []
    ended = with_plan(duration_weeks=None, end=D(2026, 3, 31), reevaluation_date=None)
    assert [o.path for o in plans.plan_period(ended, last(ended), RULE)] == ["episode.plan.end"]


def test_a_visit_past_the_reevaluation_date_needs_a_reevaluation():
    case = with_plan(reevaluation_date=D(2026, 4, 1))
    assert codes(plans.plan_period(case, last(case), RULE)) == [("PLAN-REEVALUATION-DUE", "error")]
    on_the_day = with_plan(reevaluation_date=D(2026, 4, 9))
    assert plans.plan_period(on_the_day, last(on_the_day), RULE) == []


def test_a_plan_without_an_end_and_a_visit_beyond_the_planned_visits():
    case = with_plan(duration_weeks=None, visits=7)
    assert codes(plans.plan_period(case, last(case), RULE)) == [
        ("PLAN-NO-END", "error"), ("PLAN-VISITS-USED", "error")]
    assert "visit 8 of a plan of 7" in plans.plan_period(case, last(case), RULE)[1].message


def test_a_plan_required_after_some_visits():
    data = plan_data()
    del data["episode"]["plan"]
    case = plan_case(data)
    assert plans.plan_required(case, case.visits[5], RULE, after_visits=6) == []
    assert codes(plans.plan_required(case, case.visits[7], RULE, after_visits=6)) == [
        ("PLAN-REQUIRED", "error")]  # the 7th attended visit (a no-show is not one)
    assert plans.plan_required(plan_case(), last(plan_case()), RULE) == []


@pytest.mark.parametrize("citation,severity,effect", [
    (RULE, "error", "requirement"), (MEDIUM, "error", "requirement"),
    (WEAK, "warning", "requirement")])
def test_weak_citations_never_stop_a_claim(citation, severity, effect):
    case = with_plan(reevaluation_date=D(2026, 4, 1))
    (found,) = plans.plan_period(case, last(case), citation)
    assert (found.effect, found.finding_severity) == (effect, severity)
    assert found.message.endswith(UNCONFIRMED_SUFFIX) == (not citation.confirmed)


# -- Goals and measures --------------------------------------------------------------------------

def test_a_plan_with_no_measurable_goal_is_a_warning():
    for goals in ([], [{"description": "feel better", "measure": "own_scale", "baseline": 5,
                        "target": 5}],
                  [{"description": "less pain", "measure": "nprs", "baseline": 3,
                    "target": 6}]):  # a target worse than the baseline
        case = with_plan(goals=goals)
        found = plans.measurable_goals(case, last(case), RULE)
        assert codes(found) == [("PLAN-NO-MEASURABLE-GOAL", "warning")]
        assert found[0].path == "episode.plan.goals"
    assert plans.measurable_goals(plan_case(), last(plan_case()), RULE) == []


def test_a_note_without_the_plans_measure_is_a_warning():
    case = plan_case()
    assert plans.required_measures(case, last(case), RULE) == []
    found = plans.required_measures(case, case.visits[1], RULE)  # 2026-03-06: nothing measured
    assert codes(found) == [("PLAN-MEASURE-MISSING", "warning")] * 2
    assert [o.path for o in found] == ["visits[1].measures"] * 2
    assert "'sitting_tolerance'" in found[0].message and "'ndi'" in found[1].message
    assert plans.required_measures(case, case.visits[3], RULE) == []  # a no-show


def test_a_programs_required_measures_any_of_with_details():
    wa_functional = ["rom", "sitting_tolerance", "standing_tolerance", "medication_use"]
    data = plan_data()
    data["visits"][2]["measures"] = [{"measure": "rom.cervical_flexion", "value": 30}]
    case = plan_case(data)
    assert plans.required_measures(case, case.visits[2], RULE, wa_functional, any_of=True) == []
    found = plans.required_measures(case, case.visits[1], RULE, wa_functional, any_of=True)
    assert codes(found) == [("PLAN-MEASURE-MISSING", "warning")]
    assert "none of the measures required (rom, sitting_tolerance" in found[0].message


# -- Progress and maintenance ---------------------------------------------------------------------

PLAN_START = D(2026, 3, 2)


def nprs_case(values: list, baseline="6", target="2", start=PLAN_START):
    """A plan with one NPRS goal and a visit a week, each measured with the next value."""
    visits = [visit(start + dt.timedelta(days=7 * i + 1),
                    *([("nprs", str(v))] if v is not None else []))
              for i, v in enumerate(values)]
    data = plan_data(visits=visits)
    data["as_of"] = visits[-1]["date"]
    plan = data["episode"]["plan"]
    plan.update(goals=[{"description": "sleep through the night", "measure": "nprs",
                        "baseline": baseline, "target": target}], start=start, duration_weeks=26)
    del plan["reevaluation_date"]
    data["episode"].pop("authorization")
    data["episode"].pop("authorizations")
    return plan_case(data)


def test_no_progress_over_the_window_is_a_maintenance_warning():
    case = nprs_case([6, 6, 5, 6, 5.5, 5.5])
    found = plans.maintenance(case, last(case), RULE, visits=4)
    assert codes(found) == [("PLAN-NO-PROGRESS", "warning")]
    assert "nprs: MCID 1.5 points" in found[0].message and "J Orthop Sports Phys Ther" in \
        found[0].message
    assert "maintenance care" in found[0].message


def test_progress_by_the_mcid_is_a_note():
    case = nprs_case([6, 5, 4.5, 4])
    found = plans.maintenance(case, last(case), RULE, visits=3)
    assert codes(found) == [("PLAN-PROGRESS", None)]  # 6 (before the window) to 4: 2 >= 1.5


def test_nothing_is_said_before_a_window_has_passed():
    case = nprs_case([6, 6])
    assert plans.maintenance(case, last(case), RULE, visits=3) == []
    assert plans.maintenance(case, last(case), RULE, days=30) == []


def test_every_goal_met_is_a_maintenance_warning():
    case = nprs_case([5, 3, 2, 2])
    assert codes(plans.maintenance(case, last(case), RULE, visits=2)) == [
        ("PLAN-GOALS-MET", "warning")]


def test_no_measurable_goal_is_never_silent():
    case = with_plan(goals=[])
    found = plans.maintenance(case, last(case), RULE, visits=4)
    assert codes(found) == [("PLAN-NO-PROGRESS", "warning")]


def test_a_measure_without_mcid_counts_any_improvement():
    data = plan_data()
    data["episode"]["plan"]["goals"] = [data["episode"]["plan"]["goals"][0]]  # sitting tolerance
    case = plan_case(data)
    found = plans.maintenance(case, last(case), RULE, days=14)
    assert codes(found) == [("PLAN-PROGRESS", None)]
    flat = copy.deepcopy(data)
    for v in flat["visits"]:
        for m in v.get("measures", []):
            if m["measure"] == "sitting_tolerance":
                m["value"] = 15
    found = plans.maintenance(plan_case(flat), last(plan_case(flat)), RULE, days=14)
    assert codes(found) == [("PLAN-NO-PROGRESS", "warning")]
    assert "sitting_tolerance: no published MCID" in found[0].message


def test_the_window_is_given_one_way():
    case = plan_case()
    with pytest.raises(ValueError):
        plans.maintenance(case, last(case), RULE)
    with pytest.raises(ValueError):
        plans.maintenance(case, last(case), RULE, visits=3, days=30)


@FUZZ
@given(before=st.decimals(0, 10, places=1), drops=st.lists(st.decimals(-3, 3, places=1),
                                                           min_size=1, max_size=6),
       window=st.integers(1, 6))
def test_progress_is_judged_against_the_mcid(before, drops, window):
    """NPRS (lower is better, MCID 1.5): a note exactly when the last value of the window is at
    least 1.5 below the value before it; a caution otherwise (never silence), unless met."""
    values, value = [], before
    for drop in drops:
        value = min(max(value - drop, Decimal(0)), Decimal(10))
        values.append(value)
    case = nprs_case([before, *values], baseline="10", target="0")
    found = plans.maintenance(case, last(case), RULE, visits=window)
    if window > len(values) + 1:
        assert found == []
        return
    series = [before, *values]
    reference = series[-window - 1] if window < len(series) else Decimal(10)  # else the baseline
    latest = series[-1]
    if latest <= 0:
        assert codes(found) == [("PLAN-GOALS-MET", "warning")]
    elif reference - latest >= Decimal("1.5"):
        assert codes(found) == [("PLAN-PROGRESS", None)]
    else:
        assert codes(found) == [("PLAN-NO-PROGRESS", "warning")]


# -- Progress reports -------------------------------------------------------------------------------

def test_wa_lni_progress_report_after_six_visits_or_a_month():
    case = plan_case()  # six attended visits by 2026-03-24, a month on 2026-04-02
    assert plans.progress_report_due(case, D(2026, 4, 9), visits=6, months=1)[0] == D(2026, 3, 24)
    found = plans.progress_report(case, last(case), RULE, visits=6, months=1)
    assert codes(found) == [("PROGRESS-REPORT-DUE", "error")]
    assert "was due on 2026-03-24" in found[0].message
    on_the_day = plans.progress_report(case, case.visits[6], RULE, visits=6, months=1)
    assert codes(on_the_day) == [("PROGRESS-REPORT-DUE", "warning")]
    early = plans.progress_report(case, case.visits[2], RULE, visits=6, months=1)
    assert codes(early) == [("PROGRESS-REPORT-NEXT", None)]
    assert "by 2026-04-02" in early[0].message and "3 more visit(s)" in early[0].message


def test_a_recorded_report_opens_the_next_period():
    case = with_plan(progress_reports=[D(2026, 3, 24)])
    assert plans.progress_report_due(case, D(2026, 4, 9), visits=6, months=1) == (
        D(2026, 4, 24), D(2026, 3, 24), 2)
    assert codes(plans.progress_report(case, last(case), RULE, visits=6, months=1)) == [
        ("PROGRESS-REPORT-NEXT", None)]


@FUZZ
@given(start=st.dates(D(2024, 1, 1), D(2028, 12, 31)), gaps=st.lists(st.integers(1, 12),
                                                                       min_size=1, max_size=12),
       every=st.integers(1, 8), months=st.integers(1, 3))
def test_the_report_is_due_on_the_earlier_of_visits_and_months(start, gaps, every, months):
    days, day = [], start
    for gap in gaps:
        day += dt.timedelta(days=gap)
        days.append(day)
    data = plan_data(visits=[visit(d) for d in days])
    data["as_of"] = days[-1]
    data["episode"]["plan"].update(start=start, duration_weeks=104)
    del data["episode"]["plan"]["reevaluation_date"]
    for key in ("authorization", "authorizations"):
        data["episode"].pop(key)
    case = plan_case(data)
    due, since, made = plans.progress_report_due(case, days[-1], visits=every, months=months)
    by_month = plans.add_months(start, months)
    assert since == start and made == len(days)
    assert due == (min(days[every - 1], by_month) if len(days) >= every else by_month)
    assert by_month.day == start.day or by_month.day < start.day  # clamped to the month's end


def test_add_months_clamps_to_the_months_end():
    assert plans.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert plans.add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert plans.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


# -- Authorizations ----------------------------------------------------------------------------------

def test_every_authorization_is_a_limit_with_what_is_left_and_its_expiry():
    case = plan_case()
    found = plans.authorization_limits(case, last(case), RULE)
    assert [(lim.name, lim.allowed, lim.used, lim.remaining) for lim in found] == [
        ("authorization 1", 6, 6, 0), ("authorization 2", 6, 2, 4)]
    assert all(isinstance(lim, Limit) and lim.citation == RULE for lim in found)
    assert "expires 2026-03-31 (expired on 2026-04-09)" in found[0].window
    assert "expires 2026-04-30 (21 day(s) left on 2026-04-09)" in found[1].window
    assert not any("AUTH-" in lim.name + lim.window for lim in found)  # never the number


def test_an_authorization_with_one_visit_left():
    data = plan_data()
    data["episode"]["authorizations"][0]["visits"] = 3
    case = plan_case(data)
    found = plans.authorization_outcomes(case, last(case), RULE)
    assert codes(found) == [("AUTHORIZATION-ENDING", "warning")]
    assert found[0].path == "episode.authorizations[0].visits"
    assert "1 visit(s) left on authorization 2" in found[0].message
    assert "expires 2026-04-30" in found[0].message


def test_an_authorization_used_up_or_not_in_force():
    data = plan_data()
    data["episode"]["authorizations"][0]["visits"] = 1
    case = plan_case(data)
    assert codes(plans.authorization_outcomes(case, last(case), RULE)) == [
        ("AUTHORIZATION-VISITS-USED", "error")]
    data["episode"]["authorizations"] = []
    case = plan_case(data)
    found = plans.authorization_outcomes(case, last(case), RULE)
    assert codes(found) == [("AUTHORIZATION-NOT-IN-FORCE", "error")]
    assert found[0].path == "episode.authorization"
    data["episode"].pop("authorization")
    assert plans.authorization_outcomes(plan_case(data), last(plan_case(data)), RULE) == []


# -- Missed appointments -------------------------------------------------------------------------------

@pytest.mark.parametrize("attendance", ["no_show", "late_cancel"])
def test_a_missed_appointment_on_a_claim_is_an_error(attendance):
    data = plan_data()
    data["visits"].append(visit(D(2026, 4, 10), attendance=attendance))
    case = plan_case(data)
    found = plans.missed_appointment(case, last(case), RULE)
    assert codes(found) == [(plans.MISSED_APPOINTMENT_BILLED, "error")]
    assert found[0].effect == "not_covered" and found[0].path == "visits[9].attendance"
    assert "the patient's charge" in found[0].message and "never the insurer's" in found[0].message
    weak = plans.missed_appointment(case, last(case), WEAK)
    assert codes(weak) == [(plans.MISSED_APPOINTMENT_BILLED, "warning")]
    assert weak[0].effect == "requirement"  # unconfirmed: verify, never a refusal
    assert plans.missed_appointment(case, case.visits[3], RULE) == []  # no services on it


def test_a_missed_appointment_is_not_a_visit_used():
    case = plan_case()
    assert limits.count_between(case.visits, None, None) == 8  # nine visits, one a no-show
    assert plans.plan_report(case).visits_attended == 8


# -- The plan report (the progress report's record) ----------------------------------------------

def test_the_plan_report():
    case = plan_case()
    report = plans.plan_report(case, program="Invented Plan", report_visits=6, report_months=1,
                               report_citation=RULE)
    assert isinstance(report, PlanReport)
    assert (report.practice, report.patient, report.program) == (
        case.provider, case.patient, "Invented Plan")
    assert (report.as_of, report.start, report.end) == (D(2026, 4, 10), D(2026, 3, 2),
                                                        D(2026, 4, 26))
    assert (report.planned_visits, report.visits_per_week, report.re_evaluation) == (
        12, 2, D(2026, 4, 13))
    assert report.discharge.startswith("Sits through")
    assert (report.visits_attended, report.visits_missed, report.visits_left,
            report.days_left) == (8, 1, 4, 16)
    sitting, ndi = report.goals
    assert [v for _, v in ndi.points] == [Decimal(v) for v in (42, 36, 30, 26, 24, 22)]
    assert ndi.points[0][0] == D(2026, 3, 3)
    assert (ndi.latest, ndi.change, ndi.improvement, ndi.mcid) == (
        Decimal(22), Decimal(-20), Decimal(20), Decimal(14))
    assert ndi.progressed and not ndi.met and ndi.better == "lower"
    assert (ndi.measure_name, ndi.unit) == ("Neck Disability Index", "percent")
    assert ndi.mcid_source == ("MCID 14 points (Neck Disability Index): J Orthop Sports Phys "
                               "Ther 2014;44(8):560-564 [medium]")
    assert sitting.mcid is None and sitting.mcid_source == plans.NO_MCID
    assert sitting.progressed is None and sitting.improvement == Decimal(30)  # no MCID to judge by
    assert [(a.number, a.used, a.left, a.end) for a in report.authorizations] == [
        ("AUTH-A1", 6, 0, D(2026, 3, 31)), ("AUTH-B2", 2, 4, D(2026, 4, 30))]
    assert report.due == (
        "Re-evaluation due on 04/13/2026.",
        "Progress report overdue since 03/24/2026 (after 6 visits or 1 month since 03/02/2026, "
        f"whichever first; {RULE}).")
    assert report.notes == ("Visit missed on 03/13/2026 (no-show; not billed to the insurer).",)


def test_the_plan_report_later_and_earlier():
    case = plan_case()
    later = plans.plan_report(case, D(2026, 5, 1))
    assert later.days_left == 0 and later.program == "test-plan"
    assert later.due[:2] == ("A new plan of care: the plan ended on 04/26/2026.",
                             "Re-evaluation overdue since 04/13/2026.")
    earlier = plans.plan_report(case, D(2026, 3, 1))
    assert earlier.days_left == 56 and earlier.visits_attended == 0 and earlier.goals[1].points == ()
    data = plan_data()
    data["episode"]["authorizations"][0]["visits"] = 3
    assert plans.plan_report(plan_case(data)).due[-1] == (
        "Authorization AUTH-B2 has 1 visit(s) left and expires 04/30/2026.")


def test_the_report_draws_as_a_progress_report_pdf(tmp_path):
    """The record the builder fills is the one the progress report is drawn from."""
    pytest.importorskip("reportlab")
    from payerkit.formats.progress_report import check_progress_report, write_progress_report

    report = plans.plan_report(plan_case(), program="Invented Plan", report_visits=6,
                               report_months=1, report_citation=RULE)
    assert check_progress_report(report) == []
    assert write_progress_report(report)[:5] == b"%PDF-"


def test_a_case_without_a_plan_has_no_report():
    data = plan_data()
    del data["episode"]["plan"]
    with pytest.raises(LookupError, match="episode.plan"):
        plans.plan_report(plan_case(data))


def test_an_unknown_measure_in_the_report():
    data = plan_data()
    data["episode"]["plan"]["goals"][0]["measure"] = "grip_kg"
    for v in data["visits"]:
        for m in v.get("measures", []):
            if m["measure"] == "sitting_tolerance":
                m["measure"] = "grip_kg"
    report = plans.plan_report(plan_case(data))
    goal = report.goals[0]
    assert (goal.better, goal.unit, goal.mcid, goal.mcid_source) == (
        "higher", None, None, plans.OWN_MEASURE)
    assert report.notes[0].startswith("Goal 1: grip_kg is the practice's own measure")


# -- Invented cases, examples-style, each with its expected outcome ------------------------------------

def _ended():
    return case_with_visits([visit(D(2026, 3, 3), ("ndi", 40)), visit(D(2026, 4, 28), ("ndi", 20))],
                            reevaluation_date=None)


def _no_progress():
    return nprs_case([6, 6, 5.5, 6, 6, 5.5, 6])


def _no_measure():
    case = plan_case()
    data = plan_data()
    data["visits"] = data["visits"][:2]
    data["as_of"] = case.visits[1].date
    return plan_case(data)


def _no_show_fee():
    data = plan_data()
    data["visits"].append(visit(D(2026, 4, 10), attendance="no_show"))
    return plan_case(data)


def _one_left():
    data = plan_data()
    data["episode"]["authorizations"][0]["visits"] = 3
    return plan_case(data)


INVENTED = {
    "plan-ended": (_ended, lambda c, v: plans.plan_period(c, v, RULE), ["PLAN-ENDED"]),
    "no-progress": (_no_progress, lambda c, v: plans.maintenance(c, v, RULE, visits=4),
                    ["PLAN-NO-PROGRESS"]),
    "note-without-measure": (_no_measure, lambda c, v: plans.required_measures(c, v, RULE),
                             ["PLAN-MEASURE-MISSING", "PLAN-MEASURE-MISSING"]),
    "no-show-fee-on-claim": (_no_show_fee, lambda c, v: plans.missed_appointment(c, v, RULE),
                             ["MISSED-APPOINTMENT-BILLED"]),
    "one-visit-left": (_one_left, lambda c, v: plans.authorization_outcomes(c, v, RULE),
                       ["AUTHORIZATION-ENDING"]),
}


@pytest.mark.parametrize("name", list(INVENTED))
def test_invented_cases_give_their_expected_outcome(name):
    build, rule, expected = INVENTED[name]
    case = build()
    found = rule(case, last(case))
    assert [o.code for o in found] == expected
    assert all(isinstance(o, Outcome) and o.finding is not None for o in found)


def test_the_rules_do_not_change_the_case():
    case = plan_case()
    before = copy.deepcopy(case)
    for v in case.visits:
        plans.plan_period(case, v, RULE)
        plans.maintenance(case, v, RULE, visits=3)
        plans.progress_report(case, v, RULE, visits=6, months=1)
        plans.authorization_outcomes(case, v, RULE)
    plans.plan_report(case)
    assert case == before
    assert PLAN_DATA["episode"]["plan"]["visits"] == 12


@FUZZ
@given(start=st.dates(D(2025, 1, 1), D(2027, 12, 31)), weeks=st.integers(1, 104),
       by_end=st.booleans(), reevaluate=st.integers(0, 800), visit_day=st.integers(-30, 800))
def test_the_plans_end_and_reevaluation_by_date(start, weeks, by_end, reevaluate, visit_day):
    """PLAN-ENDED exactly after the plan's last day, PLAN-REEVALUATION-DUE exactly after the
    re-evaluation date; the last day of a plan of N weeks is 7N - 1 days after its start."""
    last_day = start + dt.timedelta(days=7 * weeks - 1)
    day = start + dt.timedelta(days=visit_day)
    plan = {"start": start, "visits": None,
            "reevaluation_date": start + dt.timedelta(days=reevaluate)}
    plan.update({"end": last_day, "duration_weeks": None} if by_end else {"duration_weeks": weeks})
    data = plan_data(visits=[visit(day)], as_of=day)
    data["episode"]["plan"].update(plan)
    data["episode"]["plan"] = {k: v for k, v in data["episode"]["plan"].items() if v is not None}
    case = plan_case(data)
    assert case.episode.plan.last_day == last_day
    found = {o.code for o in plans.plan_period(case, case.visits[0], RULE)}
    assert ("PLAN-ENDED" in found) == (day > last_day)
    assert ("PLAN-REEVALUATION-DUE" in found) == (day > plan["reevaluation_date"])
    report = plans.plan_report(case, day)
    assert report.end == last_day
    assert report.days_left == (7 * weeks if day < start else max((last_day - day).days, 0))
    assert any(d.startswith("A new plan of care") for d in report.due) == (day > last_day)

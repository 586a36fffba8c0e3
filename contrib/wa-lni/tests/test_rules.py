"""The rules at their boundaries: visits 6/7 and 12/13, the progress report's due day, the
daily maximum's edition dates, the order, and the payment terms. Every person is invented."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from payerkit import PRIOR_AUTHORIZATION_REQUIRED, PayerKit, structure_case

from payerkit_wa_lni import plugin
from payerkit_wa_lni.rules import add_months
from payerkit_wa_lni.sources import FIGURES

D = dt.date
CASES = Path(__file__).parent / "cases"
SERVICES = [{"code": "97124", "minutes": 40}, {"code": "97140", "minutes": 15}]


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


def build(days, facts=None, **changes):
    """The covered example (its order dated 2026-01-02) with these visit days, facts and
    top-level table changes."""
    data = tomllib.loads((CASES / "wa-lni-covered.toml").read_text(encoding="utf-8"))
    data["visits"] = [{"date": day, "services": SERVICES} for day in days]
    data["episode"]["prescription"]["date"] = D(2026, 1, 2)
    data["facts"]["wa-lni"].update(facts or {})
    for table, fields in changes.items():
        data[table].update(fields)
    return structure_case(data, CASES)


FIRST = D(2026, 1, 5)


def weekly(n):
    return [FIRST + dt.timedelta(days=7 * i) for i in range(n)]


def codes(kit, case):
    return {o.code: o for o in kit.outcomes(case)}


@pytest.mark.parametrize("visits, wanted, says", [
    (6, "WA-LNI-NO-AUTHORIZATION-NEEDED", "visits 1-6 need no authorization"),
    (7, PRIOR_AUTHORIZATION_REQUIRED, "form F245-417-000"),
    (12, PRIOR_AUTHORIZATION_REQUIRED, "form F245-417-000"),
    (13, PRIOR_AUTHORIZATION_REQUIRED, "claim manager"),
])
def test_authorization_by_the_visits_number_on_the_claim(kit, visits, wanted, says):
    found = codes(kit, build(weekly(visits), {"progress_report_date": D(2026, 2, 5)}))
    assert says in found[wanted].message
    assert found[wanted].path in (None, "episode.authorization")


def test_visits_with_other_providers_count_on_the_claim(kit):
    case = build(weekly(3), coverage={"visits_used_elsewhere": 4})
    assert "visit 7 of the claim" in codes(kit, case)[PRIOR_AUTHORIZATION_REQUIRED].message


def test_an_authorization_meets_the_requirement_only_within_its_dates_and_visits(kit):
    auth = {"number": "EXA1", "visits": 2, "start": D(2026, 2, 16), "end": D(2026, 3, 31)}
    facts = {"progress_report_date": D(2026, 2, 5)}
    assert "WA-LNI-AUTHORIZED" in codes(kit, build(weekly(7), facts, episode={
        "authorization": auth}))
    used_up = codes(kit, build(weekly(9), facts, episode={"authorization": auth}))
    assert "does not cover this visit" in used_up[PRIOR_AUTHORIZATION_REQUIRED].message


def test_a_home_visit_needs_authorization_whatever_its_number(kit):
    data = tomllib.loads((CASES / "wa-lni-covered.toml").read_text(encoding="utf-8"))
    data["visits"] = [{"date": D(2026, 1, 5), "services": SERVICES, "place_of_service": "12"}]
    case = structure_case(data, CASES)
    assert "home" in codes(kit, case)[PRIOR_AUTHORIZATION_REQUIRED].message


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(D(2026, 1, 5), 1) == D(2026, 2, 5)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)


def test_the_progress_report_falls_due_after_six_visits_or_one_month(kit):
    twice = [FIRST + dt.timedelta(days=(i // 2) * 7 + (i % 2) * 3) for i in range(7)]
    assert "WA-LNI-PROGRESS-REPORT" not in codes(kit, build(twice[:6]))  # the 6th visit itself
    due = codes(kit, build(twice))["WA-LNI-PROGRESS-REPORT"]
    assert "fell due on 2026-01-22" in due.message  # the 6th visit, before the month is out
    assert due.path == "facts.wa-lni.progress_report_date"
    month = [D(2026, 1, 5), D(2026, 2, 5), D(2026, 2, 6)]
    assert "WA-LNI-PROGRESS-REPORT" not in codes(kit, build(month[:2]))  # on the month's day
    assert "fell due on 2026-02-05" in codes(kit, build(month))["WA-LNI-PROGRESS-REPORT"].message
    sent = codes(kit, build(month, {"progress_report_date": D(2026, 2, 5)}))
    assert "WA-LNI-PROGRESS-REPORT-SENT" in sent
    early = codes(kit, build(month, {"progress_report_date": D(2026, 2, 4)}))
    assert "WA-LNI-PROGRESS-REPORT" in early  # sent before it fell due: not that report


def test_the_order_must_precede_the_visit_and_cover_it(kit):
    late = build(weekly(1), episode={"prescription": {
        "prescriber": {"first_name": "R", "last_name": "J", "npi": "1245319599"},
        "date": D(2026, 1, 6), "visits": 12}})
    assert codes(kit, late)["WA-LNI-NO-ORDER"].path == "episode.prescription.date"
    used = build(weekly(3), episode={"prescription": {
        "prescriber": {"first_name": "R", "last_name": "J", "npi": "1245319599"},
        "date": D(2026, 1, 2), "visits": 2}})
    assert codes(kit, used)["WA-LNI-NO-ORDER"].path == "episode.prescription.visits"


def test_an_injury_at_work_marked_employment_related_is_in_scope(kit):
    case = build(weekly(1), episode={"kind": "other_accident", "employment_related": True})
    assert kit.check(case).status == "covered"


def test_the_massage_maximum_is_three_quarters_of_the_pt_ot_maximum():
    day = D(2025, 7, 1)
    share = FIGURES.get("massage_share_of_pt_ot_max").decimal
    derived = (share * FIGURES.get("pt_ot_daily_max", day).decimal).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    assert derived == FIGURES.get("massage_daily_max", day).decimal == Decimal("112.09")


@pytest.mark.parametrize("day, code", [
    (D(2025, 6, 30), "WA-LNI-DAILY-MAX-UNKNOWN"), (D(2025, 7, 1), "WA-LNI-DAILY-MAX"),
    (D(2026, 6, 30), "WA-LNI-DAILY-MAX"), (D(2026, 7, 1), "WA-LNI-DAILY-MAX-UNKNOWN"),
])
def test_the_daily_maximum_follows_the_marfs_edition(kit, day, code):
    pricing = kit.price(build([day]))
    assert code in {r.code for r in pricing.reasons}


def test_the_daily_maximum_holds_the_visits_allowed_total(kit):
    pricing = kit.price(build([D(2026, 2, 2)]))
    assert [line.allowed for line in pricing.lines] == [Decimal("112.09"), Decimal("0.00")]
    assert pricing.total_allowed == Decimal("112.09")


def test_payment_terms_of_the_state_fund_and_of_a_self_insurer(kit):
    [paid, interest] = kit.payment_terms(build(weekly(1))).terms
    assert (paid.days, interest.interest_per_month, interest.interest_after_days) == (
        60, Decimal("0.01"), 60)
    assert "RCW 51.36.080" in paid.citation.source
    self_insured = kit.payment_terms(build(weekly(1), {"insurer": "self_insured"})).terms
    assert "RCW 51.36.085" in self_insured[0].citation.source
    assert "1159M" in self_insured[1].description


def test_the_plans_state_names_the_next_progress_report_by_the_programs_rule(kit):
    """WA L&I declares its progress-report rule on its program (six visits or one month), so
    ``PayerKit.plan`` says when the next report is due, citing WAC 296-23-250."""
    assert plugin.PROGRAM.progress_reports.visits == 6
    assert plugin.PROGRAM.progress_reports.months == 1
    plan = {"start": FIRST, "duration_weeks": 8, "visits": 16, "goals": [
        {"description": "Sit through a work shift", "measure": "sitting_tolerance",
         "baseline": 20, "target": 120}]}
    twice = [FIRST + dt.timedelta(days=(i // 2) * 7 + (i % 2) * 3) for i in range(7)]
    case = build(twice, episode={"plan": plan})
    due = [d for d in kit.plan(case, twice[-1]).due if d.startswith("Progress report")]
    assert len(due) == 1 and "WAC 296-23-250" in due[0]
    assert due[0].startswith("Progress report overdue since 01/22/2026")  # the 6th visit's day
    on_the_day = [d for d in kit.plan(case, twice[5]).due if d.startswith("Progress report")]
    assert on_the_day[0].startswith("Progress report due on 01/22/2026")
    sent = build(twice, episode={"plan": {**plan, "progress_reports": [twice[5]]}})
    due = [d for d in kit.plan(sent, twice[-1]).due if d.startswith("Progress report")]
    assert len(due) == 1 and "02/22/2026" in due[0]  # a month after the report sent


def test_a_progress_report_recorded_in_the_plan_counts_as_sent(kit):
    """The report's date may be recorded in the treatment plan (episode.plan.progress_reports)
    instead of the program's facts: either way it is sent, and neither the rule nor the limit
    asks for it again."""
    month = [D(2026, 1, 5), D(2026, 2, 5), D(2026, 2, 6)]
    plan = {"start": D(2026, 1, 5), "duration_weeks": 8, "visits": 12,
            "progress_reports": [D(2026, 2, 5)]}
    case = build(month, episode={"plan": plan})
    found = codes(kit, case)
    assert "WA-LNI-PROGRESS-REPORT-SENT" in found and "WA-LNI-PROGRESS-REPORT" not in found
    assert "treatment visits before the progress report" not in {
        limit.name for limit in kit.limits(case).limits}
    early = build(month, episode={"plan": {**plan, "progress_reports": [D(2026, 2, 4)]}})
    assert "episode.plan.progress_reports" in codes(kit, early)["WA-LNI-PROGRESS-REPORT"].message

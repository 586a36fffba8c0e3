"""The Uniform Medical Plan: massage visits per calendar year, UMP's counting rules, prescription."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit import UNCONFIRMED_SUFFIX, CaseError, ClaimRefused
from regence_cases import D, make_case, options, visit

from payerkit_regence import sources as src

PA = "PRIOR-AUTHORIZATION-REQUIRED"


def ump_case(day: dt.date, before: int, *services, prescribed: bool = True, **kw):
    """One visit on ``day`` after ``before`` massage visits that year elsewhere."""
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": day - dt.timedelta(days=10)} if prescribed else None
    return make_case("ump", visits=[visit(day, *services)], as_of=day + dt.timedelta(days=2),
                     coverage={"visits_used_elsewhere": before, "funding": "self_funded"},
                     episode={"prescription": rx, "onset_date": day - dt.timedelta(days=20)},
                     **kw)


def massage_limit(kit, case):
    [limit] = [lim for lim in kit.limits(case).limits if lim.name == "UMP massage therapy visits"]
    return limit


def codes(kit, case):
    return {o.code: o for o in kit.outcomes(case)}


@pytest.mark.parametrize(("day", "allowed", "confidence"), [
    (D(2020, 6, 1), 16, "medium"), (D(2023, 6, 1), 16, "low"),
    (D(2024, 6, 1), 24, "medium"), (D(2026, 6, 1), 24, "low")])
def test_the_limit_is_per_plan_year_with_honest_confidence(kit, day, allowed, confidence):
    limit = massage_limit(kit, ump_case(day, 0))
    assert limit.allowed == allowed and limit.used == 1
    assert limit.citation.confidence == confidence
    assert f"calendar year {day.year}" in limit.window


@pytest.mark.parametrize(("day", "limit", "severity"), [
    (D(2024, 12, 18), 24, "error"), (D(2023, 12, 18), 16, "warning")])
@pytest.mark.parametrize("over", [False, True])
def test_the_last_visit_is_fine_and_the_next_one_is_over(kit, day, limit, severity, over):
    """UMP admits no exceptions to the limit, so a visit over it is not "covered": action
    required (the figure is not confirmed: medium for 2024, an assumption for 2021-2023), a scrub
    error for a sourced figure, a warning for an assumed one (the confidence rule)."""
    case = ump_case(day, limit - 1 + over)  # visit 24 / 25 in 2024, 16 / 17 in 2023
    found = codes(kit, case)
    assert massage_limit(kit, case).used == limit + over
    assert ("UMP-MASSAGE-LIMIT-REACHED" in found) is over
    assert ("UMP-MASSAGE-VISITS" in found) is not over
    result = kit.check(case)
    assert result.status == ("action_required" if over else "covered")
    if not over:
        return
    [reason] = result.requirements
    assert reason.code == "UMP-MASSAGE-LIMIT-REACHED"
    assert f"massage visit {limit + 1} of {day.year}, over UMP's {limit}" in reason.message
    assert "no exceptions" in reason.message and reason.message.endswith(UNCONFIRMED_SUFFIX)
    [finding] = [f for f in kit.scrub(case).findings if f.code == "UMP-MASSAGE-LIMIT-REACHED"]
    assert finding.severity == severity and finding.path == "visits[0]"
    if severity == "error":
        with pytest.raises(ClaimRefused):
            kit.claim(case, options=options(case.as_of))
    else:  # an assumed figure never stops a claim
        kit.claim(case, options=options(case.as_of))


def test_over_the_members_own_limit_is_not_covered(kit):
    """The practice gave the member's plan limit (confirmed for the case): UMP makes no
    exceptions, so the visit over it is not covered."""
    case = ump_case(D(2024, 6, 1), 12, facts={"massage_visits_per_year": 12})
    result = kit.check(case)
    assert result.status == "not_covered"
    assert [f.code for f in kit.scrub(case).errors] == ["UMP-MASSAGE-LIMIT-REACHED"]


def test_the_calendar_year_resets(kit):
    visits = [visit(D(2023, 12, 28)), visit(D(2024, 1, 4))]
    case = make_case("ump", visits=visits, as_of=D(2024, 1, 10),
                     episode={"onset_date": D(2023, 12, 1),
                              "prescription": {"prescriber": {"first_name": "Robert",
                                                              "last_name": "Jones",
                                                              "npi": "1245319599"},
                                               "date": D(2023, 12, 20)}})
    assert massage_limit(kit, case).used == 1
    assert massage_limit(kit, case).allowed == 24


def test_the_case_can_give_the_members_own_limit(kit):
    case = ump_case(D(2024, 6, 1), 12, facts={"massage_visits_per_year": 12})
    limit = massage_limit(kit, case)
    assert (limit.allowed, limit.used) == (12, 13)
    assert limit.citation.confidence == "practice"
    assert "UMP-MASSAGE-LIMIT-REACHED" in codes(kit, case)


def test_a_visit_with_massage_and_therapy_counts_against_both(kit):
    case = ump_case(D(2024, 6, 1), 0, {"code": "97124", "minutes": 30},
                    {"code": "97112", "minutes": 15})
    found = codes(kit, case)
    both = found["UMP-OTHER-LIMITED-BENEFIT"]
    assert both.effect == "caution" and "97112" in both.message and "both limits" in both.message
    assert both.citation == src.UMP_LIMITED_BENEFIT
    assert massage_limit(kit, case).used == 1


def test_a_visit_without_massage_does_not_count_against_it(kit):
    case = ump_case(D(2024, 6, 1), 3, {"code": "97112", "minutes": 30})
    found = codes(kit, case)
    assert "UMP-NOT-A-MASSAGE-VISIT" in found
    assert "both limits" not in found["UMP-OTHER-LIMITED-BENEFIT"].message
    assert massage_limit(kit, case).used == 3


def test_no_prescription_is_action_required_to_verify(kit):
    case = ump_case(D(2024, 6, 1), 0, prescribed=False)
    result = kit.check(case)
    assert result.status == "action_required"
    [req] = result.requirements
    assert req.code == "UMP-NO-PRESCRIPTION"
    assert req.message.endswith(UNCONFIRMED_SUFFIX)  # the 2020 documents, quoted: medium
    assert "UMP-NO-PRESCRIPTION" in {f.code for f in kit.scrub(case).errors}


def test_ump_needs_no_evicore_notification(kit):
    case = ump_case(D(2024, 6, 1), 0)
    found = codes(kit, case)
    assert "UMP-NO-NOTIFICATION" in found and PA not in found
    assert not [c for c in found if c.startswith("REGENCE-NOTIFICATION")]
    assert kit.check(case).status == "covered"
    assert kit.scrub(case).errors == ()


def test_ump_does_not_read_regence_facts(kit):
    case = ump_case(D(2024, 6, 1), 0, facts={"medicare_advantage": True})
    with pytest.raises(CaseError) as err:
        kit.check(case)
    assert any(p.startswith("facts.ump") for p in err.value.problems)

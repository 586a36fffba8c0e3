"""Regence's eviCore notification: within 7 days of the start, approved 4 days before the claim."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit import UNCONFIRMED_SUFFIX, CaseError, ClaimRefused
from regence_cases import D, make_case, options, weekly

from payerkit_regence import notification

PA = "REGENCE-NOTIFICATION-REQUIRED"
START = D(2026, 3, 2)  # the first visit of the default case


def codes(kit, case, **kw):
    return [o.code for o in kit.outcomes(case, **kw)]


def requirement(kit, case, code=PA):
    [found] = [r for r in kit.check(case).requirements if r.code == code]
    return found


@pytest.mark.parametrize("program", ["regence-wa", "regence-or", "regence-id", "regence-ut"])
def test_on_time_and_approved_is_covered_on_every_commercial_plan(kit, program):
    case = make_case(program)
    result = kit.check(case)
    assert result.status == "covered", result.requirements
    assert {"REGENCE-NOTIFICATION-APPROVED", "REGENCE-NOTIFICATION-ON-TIME"} <= {
        r.code for r in result.reasons}
    assert kit.scrub(case).errors == ()


def test_the_notification_is_not_the_shared_prior_authorization_code():
    # whether Washington's six-visit law reaches a notification is not settled: no override
    assert notification.NOTIFICATION_REQUIRED == PA != "PRIOR-AUTHORIZATION-REQUIRED"


def test_missing_notification_is_action_required_with_the_dates(kit):
    case = make_case(facts={"notification_date": None, "notification_approved_date": None},
                     as_of=D(2026, 3, 5))
    result = kit.check(case)
    assert result.status == "action_required"
    req = requirement(kit, case)
    assert "2026-03-02" in req.message and "by 2026-03-09" in req.message
    assert "has passed" not in req.message
    assert not req.message.endswith(UNCONFIRMED_SUFFIX)  # Regence's own page: high
    assert PA in {f.code for f in kit.scrub(case).errors}
    with pytest.raises(ClaimRefused):
        kit.claim(case, options=options(D(2026, 3, 5)))


def test_missing_notification_after_the_window_says_so(kit):
    case = make_case(facts={"notification_date": None, "notification_approved_date": None},
                     as_of=D(2026, 3, 10))
    assert "that day has passed (2026-03-10)" in requirement(kit, case).message


@pytest.mark.parametrize(("sent", "late"), [(START + dt.timedelta(days=7), False),
                                            (START + dt.timedelta(days=8), True)])
def test_day_7_is_on_time_day_8_is_late(kit, sent, late):
    case = make_case(facts={"notification_date": sent,
                            "notification_approved_date": sent + dt.timedelta(days=1)},
                     as_of=sent + dt.timedelta(days=10))
    result = kit.check(case)
    if late:
        assert result.status == "action_required"
        req = requirement(kit, case)
        assert "submitted on 2026-03-10, 1 day(s) late" in req.message
        assert "by 2026-03-09" in req.message
        assert "REGENCE-NOTIFICATION-ON-TIME" not in codes(kit, case)
    else:
        assert result.status == "covered"
        assert "REGENCE-NOTIFICATION-ON-TIME" in codes(kit, case)


def test_the_treatment_start_fact_moves_the_window(kit):
    # treatment began before the visits in this file: the 7 days count from that day
    case = make_case(facts={"treatment_start": D(2026, 2, 23)})  # due 2026-03-02; sent 03-04
    req = requirement(kit, case)
    assert "start of treatment on 2026-02-23, i.e. by 2026-03-02" in req.message
    assert "2 day(s) late" in req.message


def test_submitted_but_not_approved_is_action_required(kit):
    case = make_case(facts={"notification_approved_date": None})
    req = requirement(kit, case)
    assert "not recorded as approved" in req.message
    assert kit.scrub(case).errors  # the claim waits for the approval
    assert "REGENCE-CLAIM-TOO-EARLY" not in {f.code for f in kit.scrub(case).findings}


def test_approval_without_the_submission_day_is_a_caution(kit):
    case = make_case(facts={"notification_date": None})
    result = kit.check(case)
    assert result.status == "covered"
    [caution] = [r for r in result.reasons if r.code == "REGENCE-NOTIFICATION-DATE"]
    assert caution.severity == "warning"


@pytest.mark.parametrize(("days", "refused"), [(3, True), (4, False)])
def test_claim_goes_4_days_after_approval_not_3(kit, days, refused):
    approved = D(2026, 3, 6)
    as_of = approved + dt.timedelta(days=days)
    case = make_case(as_of=as_of, visits=weekly(START, 2))  # visits of 03-02 and 03-09
    findings = {f.code: f for f in kit.scrub(case).findings}
    assert kit.check(case).status == "covered"  # the care is covered; only the sending waits
    if refused:
        early = findings["REGENCE-CLAIM-TOO-EARLY"]
        assert early.severity == "error" and early.path == "as_of"
        assert "can go on 2026-03-10" in early.message and "2026-03-09" in early.message
        with pytest.raises(ClaimRefused) as refusal:
            kit.claim(case, options=options(as_of))
        assert "REGENCE-CLAIM-TOO-EARLY" in {f.code for f in refusal.value.findings}
    else:
        assert "REGENCE-CLAIM-TOO-EARLY" not in findings
        assert kit.claim(case, options=options(as_of)).startswith(b"ISA*")


def test_the_as_of_argument_is_the_day_judged(kit):
    case = make_case(as_of=D(2026, 3, 20))
    assert kit.scrub(case).errors == ()
    early = kit.scrub(case, visit=D(2026, 3, 2), as_of=D(2026, 3, 8))
    assert [f.code for f in early.errors] == ["REGENCE-CLAIM-TOO-EARLY"]


@pytest.mark.parametrize("administrator", ["rga", "joint_administration"])
def test_other_administrators_get_a_caution_not_the_rule(kit, administrator):
    case = make_case(facts={"administrator": administrator, "notification_date": None,
                            "notification_approved_date": None})
    result = kit.check(case)
    assert result.status == "covered"
    assert "REGENCE-OWN-PREAUTHORIZATION" in codes(kit, case)
    assert PA not in codes(kit, case)


def test_a_group_outside_the_program_needs_no_notification(kit):
    case = make_case(facts={"physical_medicine_program": False, "notification_date": None,
                            "notification_approved_date": None})
    assert kit.check(case).status == "covered"
    assert "REGENCE-NOTIFICATION-NOT-APPLIED" in codes(kit, case)
    # and an approval recorded for it no longer holds a claim back
    later = make_case(facts={"physical_medicine_program": False}, as_of=D(2026, 3, 7),
                      visits=weekly(START, 1))
    assert "REGENCE-CLAIM-TOO-EARLY" not in {f.code for f in kit.scrub(later).findings}


def test_an_approval_before_the_submission_is_a_case_error(kit):
    case = make_case(facts={"notification_date": D(2026, 3, 6),
                            "notification_approved_date": D(2026, 3, 4)})
    with pytest.raises(CaseError) as err:
        kit.check(case)
    assert err.value.problems == ["facts.regence-wa.notification_approved_date: expected a date "
                                  "on or after notification_date (2026-03-06)"]


def test_notification_facts_are_typed(kit):
    case = make_case(facts={"notification_date": "soon"})
    with pytest.raises(CaseError) as err:
        kit.check(case)
    assert any(p.startswith("facts.regence-wa.notification_date") for p in err.value.problems)

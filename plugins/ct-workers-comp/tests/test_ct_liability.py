"""Scope, the notice of claim and the employer's 28 days (C.G.S. §§ 31-275, 31-294c)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from payerkit import CaseError, ClaimRefused
from payerkit.formats import ControlNumbers, WriteOptions

from payerkit_ct_workers_comp import liability, plugin, sources
from payerkit_ct_workers_comp.facts import CtFacts

D = dt.date
OPTIONS = WriteOptions(ControlNumbers(1, 1, 1), dt.datetime(2026, 2, 20, 12, 0))
NOTICE = D(2026, 1, 14)
DAY_28, DAY_29 = D(2026, 2, 11), D(2026, 2, 12)
VISIT = D(2026, 2, 9)  # the base case's second visit, before both days
#: The accepted-claim facts of the base case taken out: liability comes from the dates given.
OPEN = {"accepted_date": None}


def codes(outcomes, effect=None):
    return [o.code for o in outcomes if effect is None or o.effect == effect]


def by_code(outcomes, code):
    [found] = [o for o in outcomes if o.code == code]
    return found


def test_the_28th_day_is_counted_from_the_notice():
    assert liability.last_contest_day(NOTICE) == DAY_28
    assert (DAY_28 - NOTICE).days == 28


# -- the presumption: judged on the 28th and the 29th day --------------------------------------


def test_on_the_28th_day_liability_is_still_open(kit, make_case):
    case = make_case(facts=OPEN, as_of=DAY_28)
    assert liability.liability(case, kit.context(case, VISIT).facts, DAY_28).state == "open"
    found = kit.outcomes(case, VISIT)
    open_ = by_code(found, "CT-WC-LIABILITY-OPEN")
    assert open_.effect == "caution" and open_.finding_severity == "warning"
    assert "until 2026-02-11" in open_.message and "from 2026-02-12" in open_.message
    assert "CT-WC-PRESUMED-ACCEPTED" not in codes(found)
    assert kit.check(case, VISIT).status == "covered"


def test_on_the_29th_day_acceptance_is_presumed(kit, make_case):
    case = make_case(facts=OPEN, as_of=DAY_29)
    found = kit.outcomes(case, VISIT)
    presumed = by_code(found, "CT-WC-PRESUMED-ACCEPTED")
    assert presumed.effect == "note" and presumed.citation == sources.PRESUMPTION
    assert "by 2026-02-11" in presumed.message and "from 2026-02-12" in presumed.message
    assert "CT-WC-LIABILITY-OPEN" not in codes(found)
    assert kit.check(case, VISIT).status == "covered" and not kit.scrub(case, VISIT).findings


def test_form_43_on_the_28th_day_is_a_contest(kit, make_case):
    case = make_case(facts={**OPEN, "form_43_date": DAY_28})
    result = kit.check(case)
    assert result.status == "not_covered"
    contested = by_code(kit.outcomes(case), "CT-WC-CONTESTED")
    assert contested.effect == "not_covered" and contested.citation.confidence == "high"
    assert contested.path == "facts.ct-workers-comp.form_43_date"
    assert [f.code for f in kit.scrub(case).errors] == ["CT-WC-CONTESTED"]


def test_form_43_on_the_29th_day_does_not_undo_the_presumption(kit, make_case):
    case = make_case(facts={**OPEN, "form_43_date": DAY_29})
    found = kit.outcomes(case)
    assert "CT-WC-CONTESTED" not in codes(found)
    assert "CT-WC-PRESUMED-ACCEPTED" in codes(found, "note")
    late = by_code(found, "CT-WC-LATE-CONTEST")
    assert late.effect == "caution" and late.citation == sources.LATE_CONTEST
    assert kit.check(case).status == "covered"
    assert [f.code for f in kit.scrub(case).findings] == ["CT-WC-LATE-CONTEST"]


def test_payment_by_the_28th_day_keeps_a_later_contest(kit, make_case):
    case = make_case(facts={**OPEN, "first_payment_date": DAY_28, "form_43_date": D(2026, 3, 2)})
    assert kit.check(case).status == "not_covered"


def test_payment_after_the_28th_day_does_not_save_a_late_contest(kit, make_case):
    case = make_case(facts={**OPEN, "first_payment_date": DAY_29, "form_43_date": D(2026, 3, 2)})
    assert "CT-WC-PRESUMED-ACCEPTED" in codes(kit.outcomes(case))
    assert kit.check(case).status == "covered"


def test_contest_without_a_notice_date_is_a_contest_and_asks_for_the_date(kit, make_case):
    case = make_case(facts={**OPEN, "notice_of_claim_date": None, "form_43_date": DAY_29})
    contested = by_code(kit.outcomes(case), "CT-WC-CONTESTED")
    assert "notice_of_claim_date" in contested.message


def test_contested_claim_is_refused(kit, make_case):
    case = make_case(facts={**OPEN, "form_43_date": D(2026, 2, 5)})
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, "x12-837p", options=OPTIONS)
    assert "CT-WC-CONTESTED" in {f.code for f in refused.value.findings}


def test_treatment_denied_on_form_43_is_verify_with_the_plan(kit, make_case):
    case = make_case(facts={"form_43_date": D(2026, 2, 5), "form_43_contests": "treatment"})
    denied = by_code(kit.outcomes(case), "CT-WC-TREATMENT-DENIED")
    # cited medium (the 2010 guidelines seen in part): reported as a requirement to verify
    assert denied.effect == "requirement" and denied.finding_severity == "error"
    assert denied.message.endswith("verify with the plan)")
    assert kit.check(case).status == "action_required"


def test_written_acceptance_and_payment_are_notes(kit, make_case):
    assert "CT-WC-ACCEPTED" in codes(kit.outcomes(make_case()), "note")
    paying = make_case(facts={**OPEN, "first_payment_date": D(2026, 1, 30)})
    assert "CT-WC-PAYMENT-COMMENCED" in codes(kit.outcomes(paying), "note")


# -- the notice of claim: one year from the injury -----------------------------------------------


@pytest.mark.parametrize(("notice", "late"), [(D(2026, 3, 10), False), (D(2026, 3, 11), True)])
def test_notice_within_one_year_of_the_injury(kit, make_case, notice, late):
    case = make_case(episode={"onset_date": D(2025, 3, 10)}, as_of=D(2026, 6, 1),
                     facts={**OPEN, "notice_of_claim_date": notice})
    found = kit.outcomes(case)
    assert ("CT-WC-LATE-NOTICE" in codes(found, "requirement")) is late
    assert ("CT-WC-NOTICE-ON-TIME" in codes(found, "note")) is not late
    assert ("CT-WC-PRESUMED-ACCEPTED" in codes(found)) is not late
    if late:
        found = by_code(found, "CT-WC-LATE-NOTICE")
        assert found.finding_severity == "error" and found.citation == sources.NOTICE
        assert "after 2026-03-10" in found.message
        assert kit.check(case).status == "action_required"


def test_no_notice_while_the_year_runs_asks_for_it(kit, make_case):
    case = make_case(facts={**OPEN, "notice_of_claim_date": None})
    missing = by_code(kit.outcomes(case), "CT-WC-NO-NOTICE-OF-CLAIM")
    assert missing.effect == "requirement" and "due by 2027-01-12" in missing.message
    assert missing.path == "facts.ct-workers-comp.notice_of_claim_date"


def test_no_notice_after_the_year_is_late(kit, make_case):
    case = make_case(facts={**OPEN, "notice_of_claim_date": None}, as_of=D(2027, 1, 13),
                     visits=[{"date": D(2027, 1, 11), "services": [
                         {"code": "97124", "minutes": 30}]}],
                     episode={"prescription": {"date": D(2027, 1, 4)}})
    assert "CT-WC-LATE-NOTICE" in codes(kit.outcomes(case), "requirement")


def test_a_late_notice_is_moot_once_the_carrier_accepts(kit, make_case):
    case = make_case(episode={"onset_date": D(2025, 1, 2)},
                     facts={"notice_of_claim_date": D(2026, 1, 14)})  # accepted_date stays
    found = kit.outcomes(case)
    assert "CT-WC-LATE-NOTICE" not in codes(found) and "CT-WC-ACCEPTED" in codes(found)


# -- § 31-294c(c): what excuses a late notice ----------------------------------------------------

#: An injury of 2025-01-02 (notice due by 2026-01-02), the notice given on 2026-01-14, and no
#: written acceptance: the notice is late.
LATE = {"episode": {"onset_date": D(2025, 1, 2)},
        "facts": {**OPEN, "notice_of_claim_date": D(2026, 1, 14)}}


def late_case(make_case, **facts):
    return make_case(episode=LATE["episode"], facts={**LATE["facts"], **facts})


def test_a_payment_begun_after_the_year_does_not_excuse_a_late_notice(kit, make_case):
    """C.G.S. § 31-294c(c): only care the employer furnished within the year (or a hearing)
    saves a late notice; a payment that began on 2026-01-30, after the year, does not."""
    case = late_case(make_case, first_payment_date=D(2026, 1, 30))
    found = kit.outcomes(case)
    late = by_code(found, "CT-WC-LATE-NOTICE")
    assert late.effect == "requirement" and late.finding_severity == "error"
    assert "2026-01-30" in late.message and "medical_care_date" in late.message
    assert "CT-WC-PAYMENT-COMMENCED" not in codes(found)
    assert kit.check(case).status == "action_required"


@pytest.mark.parametrize(("care", "excused"), [(D(2026, 1, 2), True), (D(2026, 1, 3), False)])
def test_medical_care_by_the_employer_within_the_year_excuses_it(kit, make_case, care, excused):
    case = late_case(make_case, medical_care_date=care, first_payment_date=D(2026, 1, 30))
    found = kit.outcomes(case)
    assert ("CT-WC-LATE-NOTICE" in codes(found)) is not excused
    if excused:
        note = by_code(found, "CT-WC-NOTICE-EXCUSED")
        assert note.effect == "note" and note.citation == sources.NOTICE_EXCUSED
        assert "2026-01-02" in note.message and "31-294c(c)" in note.citation.source
        assert "CT-WC-PAYMENT-COMMENCED" in codes(found, "note")
        assert kit.check(case).status == "covered"


def test_an_excused_late_notice_leaves_liability_open(kit, make_case):
    case = late_case(make_case, medical_care_date=D(2025, 1, 2))
    found = kit.outcomes(case)
    assert "CT-WC-NOTICE-EXCUSED" in codes(found, "note")
    assert by_code(found, "CT-WC-LIABILITY-UNSETTLED").effect == "caution"
    assert "CT-WC-LATE-NOTICE" not in codes(found)


def test_occupational_disease_has_three_years(make_case):
    case = make_case(episode={"onset_date": D(2024, 3, 10)})
    assert liability.notice_due(case, CtFacts()) == D(2025, 3, 10)
    assert liability.notice_due(case, CtFacts(occupational_disease=True)) == D(2027, 3, 10)
    late = CtFacts(occupational_disease=True, notice_of_claim_date=D(2027, 3, 11))
    on_time = CtFacts(occupational_disease=True, notice_of_claim_date=D(2027, 3, 10))
    assert liability.liability(case, late, D(2027, 6, 1)).state == "late_notice"
    assert liability.liability(case, on_time, D(2027, 6, 1)).state == "presumed"
    [note, _] = liability.outcomes(case, on_time, D(2027, 6, 1))
    assert note.code == "CT-WC-NOTICE-ON-TIME" and note.citation == sources.NOTICE_DISEASE


def test_a_year_from_february_29_ends_february_28():
    assert liability.add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert liability.add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


# -- scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["illness", "other_accident", "auto_accident"])
def test_not_a_work_injury_is_not_covered(kit, make_case, kind):
    case = make_case(episode={"kind": kind})
    assert kit.check(case).status == "not_covered"
    [outcome] = kit.outcomes(case)
    assert outcome.code == "CT-WC-NOT-WORK-INJURY" and outcome.citation == sources.SCOPE
    assert outcome.path == "episode.kind" and "chapter 568" in outcome.message


def test_employment_related_accident_must_say_work_injury(kit, make_case):
    case = make_case(episode={"kind": "auto_accident", "employment_related": True})
    kind = by_code(kit.outcomes(case), "CT-WC-EPISODE-KIND")
    assert kind.effect == "requirement" and kind.finding_severity == "error"
    assert "CLM11 = EM" in kind.message
    assert kit.check(case).status == "action_required"


# -- implausible dates: a case error naming the field (exit 2), as for bill_days ----------------


@pytest.mark.parametrize("fact", ["notice_of_claim_date", "form_43_date", "first_payment_date",
                                  "accepted_date", "medical_care_date"])
def test_a_date_before_the_injury_is_a_case_error_naming_the_fact(kit, make_case, fact):
    case = make_case(facts={fact: D(2026, 1, 11)})  # the injury is 2026-01-12
    for ask in (kit.check, kit.scrub):
        with pytest.raises(CaseError) as bad:
            ask(case)
        assert bad.value.problems == [f"facts.ct-workers-comp.{fact}: expected a date on or "
                                      "after the injury (episode.onset_date)"]
    assert kit.check(make_case(facts={fact: D(2026, 1, 12)}))  # the injury's own day is fine


def test_the_cli_exits_2_naming_the_field(make_case, tmp_path, capsys, monkeypatch):
    from payerkit import PayerKit, unstructure_case
    from payerkit.cli import main

    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[plugin], strict=True))
    path = tmp_path / "case.json"
    path.write_text(json.dumps(unstructure_case(
        make_case(facts={"notice_of_claim_date": D(2025, 12, 1)})), default=str))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "facts.ct-workers-comp.notice_of_claim_date: expected a date on or after the injury" in err
    assert "2025-12-01" not in err and "Traceback" not in err

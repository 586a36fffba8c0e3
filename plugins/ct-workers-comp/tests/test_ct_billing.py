"""Who may bill, on whose referral, and what the bill needs."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit import CaseError, Citation, ClaimRefused
from payerkit.testing.citations import citation_problems

from payerkit_ct_workers_comp import billing, sources

D = dt.date
RX = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
      "date": D(2026, 1, 20), "visits": 8}


def codes(outcomes, effect=None):
    return [o.code for o in outcomes if effect is None or o.effect == effect]


def by_code(outcomes, code):
    [found] = [o for o in outcomes if o.code == code]
    return found


def test_base_case_is_covered_and_clean(kit, make_case):
    case = make_case()
    assert kit.check(case).status == "covered"
    assert kit.scrub(case).findings == ()


# -- who may bill --------------------------------------------------------------------------------


def test_no_billing_arrangement_says_what_to_obtain(kit, make_case):
    case = make_case(facts={"billing_arrangement": None}, episode={"authorization": None})
    found = kit.outcomes(case)
    who = by_code(found, "CT-WC-WHO-BILLS")
    assert who.effect == "requirement" and who.finding_severity == "error"
    assert who.citation == sources.WHO_BILLS and who.citation.confidence == "medium"
    assert "carrier_agreement" in who.message and "under_treating_practice" in who.message
    assert who.path == "facts.ct-workers-comp.billing_arrangement"
    advice = by_code(found, "CT-WC-PREAUTHORIZATION-ADVISED")
    assert advice.citation.confidence == "low" and advice.finding_severity == "warning"
    assert kit.check(case).status == "action_required"
    assert "CT-WC-WHO-BILLS" in {f.code for f in kit.scrub(case).errors}


def test_under_the_treating_practice(kit, make_case):
    case = make_case(facts={"billing_arrangement": "under_treating_practice"})
    found = kit.outcomes(case)
    assert "CT-WC-UNDER-TREATING-PRACTICE" in codes(found, "note")
    assert "CT-WC-WHO-BILLS" not in codes(found)
    assert kit.check(case).status == "covered"
    no_therapist = make_case(facts={"billing_arrangement": "under_treating_practice"},
                             rendering=None)
    assert "CT-WC-RENDERING" in codes(kit.outcomes(no_therapist), "caution")


def test_carrier_agreement_without_an_authorization_is_a_warning(kit, make_case):
    case = make_case(episode={"authorization": None})
    found = kit.outcomes(case)
    assert "CT-WC-CARRIER-AGREEMENT" in codes(found, "note")
    assert codes(found, "caution") == ["CT-WC-PREAUTHORIZATION-ADVISED"]
    assert kit.check(case).status == "covered" and not kit.scrub(case).errors


def test_authorization_not_covering_the_visit(kit, make_case):
    case = make_case(episode={"authorization": {"start": D(2026, 2, 10)}})
    dates = by_code(kit.outcomes(case, D(2026, 2, 2)), "CT-WC-AUTHORIZATION-DATES")
    assert "2026-02-10 to 2026-04-30" in dates.message and dates.finding_severity == "error"
    assert "CT-WC-AUTHORIZATION-DATES" not in codes(kit.outcomes(case, D(2026, 2, 16)))


def test_authorization_used_up(kit, make_case):
    case = make_case(episode={"authorization": {"visits": 2}})
    assert "CT-WC-AUTHORIZATION-USED-UP" not in codes(kit.outcomes(case, D(2026, 2, 9)))
    used = by_code(kit.outcomes(case), "CT-WC-AUTHORIZATION-USED-UP")
    assert "visit 3" in used.message and "allows 2" in used.message


# -- the authorized treating practitioner's referral ---------------------------------------------


def test_no_referral(kit, make_case):
    case = make_case(episode={"prescription": None})
    missing = by_code(kit.outcomes(case), "CT-WC-NO-REFERRAL")
    assert missing.effect == "requirement" and missing.path == "episode.prescription"
    assert missing.citation == sources.REFERRAL and "may not diagnose" in missing.message
    assert kit.check(case).status == "action_required"


def test_referral_after_the_visit(kit, make_case):
    case = make_case(episode={"prescription": {**RX, "date": D(2026, 2, 5)}})
    assert "CT-WC-REFERRAL-AFTER-VISIT" in codes(kit.outcomes(case, D(2026, 2, 2)))
    assert "CT-WC-REFERRAL" in codes(kit.outcomes(case, D(2026, 2, 9)), "note")


def test_referral_visits_used_up(kit, make_case):
    case = make_case(episode={"prescription": {**RX, "visits": 2}})
    assert "CT-WC-REFERRAL-VISITS-USED" not in codes(kit.outcomes(case, D(2026, 2, 9)))
    assert "CT-WC-REFERRAL-VISITS-USED" in codes(kit.outcomes(case), "requirement")


def test_the_diagnosis_is_the_treating_practitioners(kit, make_case):
    diagnosis = by_code(kit.outcomes(make_case()), "CT-WC-DIAGNOSIS")
    assert diagnosis.citation == sources.DIAGNOSIS and "20-206a" in diagnosis.citation.source


# -- what the bill needs ---------------------------------------------------------------------------


def test_claim_number_is_required(kit, make_case):
    case = make_case(coverage={"claim_number": None})
    missing = by_code(kit.outcomes(case), "CT-WC-NO-CLAIM-NUMBER")
    assert missing.effect == "requirement" and missing.finding_severity == "error"
    assert missing.path == "coverage.claim_number" and "REF*Y4" in missing.message
    assert kit.check(case).status == "action_required"


def test_a_claim_without_the_employer_is_refused(kit, make_case):
    """The employer is the insured of a workers' compensation claim (837P 2010BA, box 4):
    the rule reads the case's coverage.employer, and the core refuses the claim without it."""
    case = make_case(coverage={"employer": None})
    missing = by_code(kit.outcomes(case), "CT-WC-NO-EMPLOYER")
    assert missing.effect == "requirement" and missing.finding_severity == "error"
    assert missing.path == "coverage.employer"
    assert kit.check(case).status == "action_required"
    errors = {(f.code, f.path) for f in kit.scrub(case).errors}
    assert {("CT-WC-NO-EMPLOYER", "coverage.employer"),
            ("FORMAT-LIMIT", "coverage.employer")} <= errors
    with pytest.raises(ClaimRefused):
        kit.claim(case, "x12-837p")


def test_the_employer_given_as_a_fact_still_loads(kit, make_case):
    """Older files gave the employer in [facts.ct-workers-comp]: it fills coverage.employer."""
    old = make_case(coverage={"employer": None}, facts={"employer": "Riverside Distribution LLC"})
    assert not any(o.code == "CT-WC-NO-EMPLOYER" for o in kit.outcomes(old))
    assert kit.build_claim(old).employer == "Riverside Distribution LLC"
    both = make_case(facts={"employer": "Another Name Inc"})  # the core field wins
    assert kit.build_claim(both).employer == "Riverside Distribution LLC"
    with pytest.raises(CaseError) as bad:
        kit.check(make_case(coverage={"employer": None}, facts={"employer": 7}))
    assert bad.value.problems == ["facts.ct-workers-comp.employer: expected a string, got 7"]


def test_never_bill_the_employee(kit, make_case):
    note = by_code(kit.outcomes(make_case()), "CT-WC-NO-BILLING-EMPLOYEE")
    assert note.effect == "note" and note.citation == sources.NO_BILLING_EMPLOYEE
    assert "31-279-9(e)" in note.citation.source and "2001-07" in note.citation.source
    assert note.citation.confidence == "high"


def test_contract_rates_need_their_source(kit, make_case):
    case = make_case(facts={"contract_rates": {"97124": "24.50"}})
    assert "CT-WC-CONTRACT-SOURCE" in codes(kit.outcomes(case), "caution")
    named = make_case(facts={"contract_rates": {"97124": "24.50"}, "contract_source": "X 2026"})
    assert "CT-WC-CONTRACT-SOURCE" not in codes(kit.outcomes(named))


# -- the bill deadline: not found, configurable --------------------------------------------------


def test_no_bill_deadline_is_judged_by_default(kit, make_case):
    case = make_case(as_of=D(2027, 6, 1))
    assert "CT-WC-BILL-DEADLINE-UNKNOWN" in codes(kit.outcomes(case), "note")
    assert not [f for f in kit.scrub(case).findings if f.code.startswith("LATE-")]


def test_the_practices_bill_deadline_is_judged(kit, make_case):
    case = make_case(facts={"bill_days": 30}, as_of=D(2026, 3, 18))  # last visit 2026-02-16
    assert "CT-WC-BILL-DEADLINE-UNKNOWN" not in codes(kit.outcomes(case))
    assert not [f for f in kit.scrub(case).findings if f.code == "LATE-BILL"]
    late = kit.scrub(make_case(facts={"bill_days": 30}, as_of=D(2026, 3, 19)))
    [finding] = [f for f in late.findings if f.code == "LATE-BILL"]
    assert finding.severity == "error" and finding.path == "visits[2].date"
    assert finding.citation.confidence == "practice"


def test_a_bill_deadline_must_be_positive(kit, make_case):
    with pytest.raises(CaseError) as bad:
        kit.check(make_case(facts={"bill_days": 0}))
    assert bad.value.problems == ["facts.ct-workers-comp.bill_days: expected a number of days >= 1"]
    with pytest.raises(CaseError):
        kit.scrub(make_case(facts={"bill_days": -5}))


def test_an_unknown_fact_is_an_error(kit, make_case):
    with pytest.raises(CaseError) as bad:
        kit.check(make_case(facts={"employer_name": "X"}))
    assert any("employer_name" in p for p in bad.value.problems)


def test_every_citation_is_a_structured_source():
    cited = [c for c in vars(sources).values() if isinstance(c, Citation)]
    cited += [billing.AUTHORIZATION, billing.CONTRACT, *(f.citation for f in sources.FIGURES)]
    assert len(cited) > 20
    for citation in cited:
        assert citation_problems(citation) == [], citation


@pytest.mark.parametrize("changes", [
    {}, {"episode": {"authorization": {"start": D(2026, 3, 1)}}},
    {"episode": {"authorization": {"visits": 1}}}, {"facts": {"accepted_date": None}},
    {"facts": {"form_43_date": D(2026, 2, 5)}}])
def test_no_answer_echoes_private_values(kit, make_case, changes):
    """The authorization and claim numbers, the employer and the patient stay out of messages."""
    case = make_case(**changes)
    said = [o.message for o in kit.outcomes(case)]
    said += [r.message for r in kit.price(case).reasons]
    said += [f.message for f in kit.scrub(case).findings]
    said += [f"{lim.name} {lim.window}" for lim in kit.limits(case).limits]
    text = " ".join(said).upper()
    for private in ("WCA55210", "WC26004417", "RIVERSIDE", "RIVERA", "WC0112026"):
        assert private not in text

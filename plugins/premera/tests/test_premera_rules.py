"""Unit tests of each Premera rule, without the kit (outcomes as the plugin gives them)."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit import PRIOR_AUTHORIZATION_REQUIRED as PA
from payerkit import Citation, Outcome
from payerkit.testing.citations import citation_problems

from payerkit_premera import review, rules
from payerkit_premera import sources as src

D = dt.date


def codes(outcomes, effect=None):
    return [o.code for o in outcomes if effect is None or o.effect == effect]


def outcomes(case, visit=None):
    visit = case.visits[-1] if visit is None else visit
    return [*rules.outcomes(case, visit), *review.outcomes(case, visit)]


def visit_rules(case, visit=None):
    """The outcomes of rules.py alone (the review program's are tested above)."""
    return rules.outcomes(case, case.visits[-1] if visit is None else visit)


def by_code(found, code) -> Outcome:
    [outcome] = [o for o in found if o.code == code]
    return outcome


# -- figures and citations ------------------------------------------------------------


def test_figures_are_cited_data():
    filing = src.FIGURES.get("filing_days")
    assert filing.value == 365 and filing.citation.confidence == "medium"
    assert "Alaska" in filing.citation.source
    payer_id = src.FIGURES.get("payer_id")
    assert payer_id.value == "00430" and payer_id.unit == "id"
    assert payer_id.citation.confidence == "high"
    assert "electronic-transactions" in payer_id.citation.source


def test_the_six_visit_figures_are_premeras_own():
    names = {f.name for f in src.FIGURES}
    assert names == {"filing_days", "payer_id", "visits_without_review", "episode_days"}
    six, days = src.FIGURES.get("visits_without_review"), src.FIGURES.get("episode_days")
    assert (six.value, six.effective_from, days.value) == (6, D(2018, 6, 7), 90)
    for figure in (six, days):  # Premera's page, not the law's text: the law is its own plugin
        assert figure.citation.confidence == "high" and "RCW" not in figure.citation.source
        assert "outpatient-rehabilitation" in figure.citation.source
    assert "outpatient-rehabilitation" in src.OUTPATIENT_REHAB.source
    assert src.OUTPATIENT_REHAB.confidence == "high"
    assert "self-funded groups may opt in" in src.PROGRAM_FUNDING.source
    assert src.PROGRAM_FUNDING.confidence == "medium" and "Alaska" in src.PROGRAM_FUNDING.edition


def test_every_citation_is_a_structured_source():
    cited = [c for c in vars(src).values() if isinstance(c, Citation)]
    cited += [f.citation for f in src.FIGURES]
    assert len(cited) > 10
    for citation in cited:
        assert citation_problems(citation) == [], citation


# -- wellness classification ----------------------------------------------------------


@pytest.mark.parametrize("code", ["Z73.3", "Z733", "z00.00", "Z02.6", "Z71.89", "Z13.89"])
def test_wellness_codes_match(code):
    assert rules.only_wellness([code])


@pytest.mark.parametrize("code", ["M54.2", "M62.830", "Z73.0", "S13.4XXA", "Z72.3"])
def test_condition_codes_do_not_match(code):
    assert not rules.only_wellness([code])


def test_only_wellness_needs_every_condition_code_to_be_wellness():
    assert rules.only_wellness(["Z73.3", "Z71.89"])
    assert not rules.only_wellness(["Z73.3", "M54.2"])
    assert not rules.only_wellness([])


def test_external_cause_codes_are_not_a_condition():
    assert rules.only_wellness(["Z73.3", "W18.30XA"])
    assert not rules.only_wellness(["W18.30XA"])


# -- the eviCore review program (Premera's own, its first six visits included) -------------


def test_premeras_first_six_visits_of_an_episode_need_no_review(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    for number, visit in enumerate(case.visits[:6], start=1):
        found = outcomes(case, visit)
        assert codes(found, "requirement") == [] and PA not in codes(found)
        free = by_code(found, "PREMERA-NO-REVIEW-NEEDED")
        assert free.citation == src.FIGURES.get("visits_without_review").citation
        assert f"visit {number} of the episode of care 2026-01-05 to 2026-04-04" in free.message
    found = outcomes(case)
    assert codes(found, "requirement") == [PA]
    required = by_code(found, PA)
    assert required.citation == src.OUTPATIENT_REHAB and required.path == "episode.authorization"
    assert "visit 7 of the episode of care 2026-01-05 to 2026-04-04" in required.message
    assert "no authorization is on file" in required.message
    assert "payerkit-wa-insurance-law" in required.message


@pytest.mark.parametrize("gap", [89, 90, 91])
def test_a_new_episode_after_90_days_without_a_visit(make_case, weekly, gap):
    """7 weekly visits, then one ``gap`` days later: 91 days opens a new episode (its first
    visit needs no review); 89 or 90 continue the first, whose 90-day period is over by then."""
    later = D(2026, 2, 16) + dt.timedelta(days=gap)
    case = make_case(visits=[*weekly(D(2026, 1, 5), 7), {"date": later, "services": [
        {"code": "97124", "minutes": 45}]}])
    assert (review.episode(case, later).start == later) is (gap > 90)
    found = outcomes(case)
    assert ("PREMERA-NO-REVIEW-NEEDED" in codes(found)) is (gap > 90)
    if gap <= 90:
        assert "more than 90 days after its episode of care began on 2026-01-05" in (
            by_code(found, PA).message)


def test_before_june_7_2018_every_visit_needs_review(make_case, weekly):
    case = make_case(visits=weekly(D(2018, 5, 31), 2))
    found = outcomes(case, case.visits[0])
    assert codes(found, "requirement") == [PA]
    assert "before 2018-06-07" in by_code(found, PA).message
    second = outcomes(case, case.visits[1])  # 2018-06-07: visit 2 of the episode
    assert "visit 2 of the episode of care 2018-05-31" in by_code(
        second, "PREMERA-NO-REVIEW-NEEDED").message


def test_unknown_funding_keeps_the_requirement(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7), coverage={"funding": None})
    assert codes(outcomes(case), "requirement") == [PA]


def test_a_self_funded_plan_gets_a_caution_after_the_six(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7), coverage={"funding": "self_funded"})
    assert "EVICORE-REVIEW-SELF-FUNDED" not in codes(outcomes(case, case.visits[5]))
    found = outcomes(case)
    assert codes(found, "requirement") == [] and PA not in codes(found)
    review_caution = by_code(found, "EVICORE-REVIEW-SELF-FUNDED")
    assert review_caution.effect == "caution" and review_caution.finding_severity == "warning"
    assert review_caution.citation == src.PROGRAM_FUNDING
    assert "opt in" in review_caution.message and "verify with the plan" in review_caution.message
    assert "do not apply to self-funded plans" in review_caution.message
    assert "visit 7 of the episode of care" in review_caution.message


def test_a_self_funded_plan_with_an_authorization_is_authorized(make_case, weekly):
    auth = {"number": "EVI1", "visits": 10, "start": D(2026, 1, 5)}
    found = outcomes(make_case(visits=weekly(D(2026, 1, 5), 7),
                               coverage={"funding": "self_funded"}, episode={"authorization": auth}))
    assert "AUTHORIZED" in codes(found, "note") and not codes(found, "caution")


def test_visits_used_elsewhere_give_the_sharing_caution(make_case, weekly):
    found = outcomes(make_case(coverage={"visits_used_elsewhere": 2}))
    assert codes(found, "requirement") == []  # visit 3 of Premera's six, by this provider's count
    assert "PREMERA-NO-REVIEW-NEEDED" in codes(found)
    shared = by_code(found, "REVIEW-VISITS-SHARED")
    assert shared.effect == "caution" and shared.citation == src.OUTPATIENT_REHAB
    assert shared.path == "coverage.visits_used_elsewhere"
    assert "2 visits with other providers" in shared.message
    assert "verify with the plan" in shared.message
    assert "REVIEW-VISITS-SHARED" not in codes(outcomes(make_case()))
    # past the six, the visit needs review whatever others did: no caution to add
    seventh = outcomes(make_case(visits=weekly(D(2026, 1, 5), 7),
                                 coverage={"visits_used_elsewhere": 2}))
    assert codes(seventh, "requirement") == [PA] and "REVIEW-VISITS-SHARED" not in codes(seventh)


def test_no_sharing_caution_when_an_authorization_covers_the_visit(make_case):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 1, 5)}
    case = make_case(coverage={"visits_used_elsewhere": 2}, episode={"authorization": auth})
    found = outcomes(case)
    assert "AUTHORIZED" in codes(found, "note") and "REVIEW-VISITS-SHARED" not in codes(found)


def test_authorization_counts_visits_in_its_window(make_case, weekly):
    auth = {"number": "EVI1", "visits": 4, "start": D(2026, 2, 16), "end": D(2026, 3, 31)}
    case = make_case(visits=weekly(D(2026, 1, 5), 9), episode={"authorization": auth})
    assert review.authorization_used(case, D(2026, 3, 2)) == 3  # 02-16, 02-23, 03-02


def test_authorization_without_start_counts_from_the_first_visit(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 8),
                     episode={"authorization": {"number": "EVI1", "visits": 10}})
    assert review.authorization_used(case, case.visits[-1].date) == 8


def test_authorization_covering_the_date(make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    found = outcomes(case)
    assert codes(found, "requirement") == [] and "AUTHORIZED" in codes(found, "note")
    assert "(visit 1 of 6)" in by_code(found, "AUTHORIZED").message


def test_authorization_not_covering_the_date(make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 3, 1), "end": D(2026, 4, 30)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    found = outcomes(case)
    assert codes(found, "requirement") == [PA]
    assert "does not cover 2026-02-16" in by_code(found, PA).message


def test_authorization_used_up(make_case, weekly):
    auth = {"number": "EVI1", "visits": 2, "start": D(2026, 2, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 9), episode={"authorization": auth})
    assert codes(outcomes(case, case.visits[7]), "requirement") == []
    found = outcomes(case, case.visits[8])
    assert codes(found, "requirement") == [PA]
    used_up = by_code(found, PA)
    assert "used up" in used_up.message and "visit 3 under it" in used_up.message
    assert used_up.path == "episode.authorization.visits"


def test_review_limits(make_case, weekly):
    [window] = review.limits(make_case(), make_case().visits[-1])
    assert (window.name, window.allowed, window.used) == ("visits before review", 6, 3)
    assert window.citation == src.FIGURES.get("visits_without_review").citation
    auth = {"number": "EVI1", "visits": 6}
    case = make_case(visits=weekly(D(2026, 1, 5), 4), episode={"authorization": auth})
    [_, limit] = review.limits(case, case.visits[-1])
    # payerkit.rules.plans.authorization_limits' row, cited to the review program
    assert (limit.name, limit.allowed, limit.used) == ("authorization 1", 6, 4)
    assert limit.window == "from open, no expiry on file"
    assert limit.citation == src.OUTPATIENT_REHAB


# -- network, condition, prescription, other payers (rules.py) -------------------------


def test_in_network_is_a_note_out_of_network_a_medium_refusal(make_case):
    assert "IN-NETWORK" in codes(visit_rules(make_case()), "note")
    found = visit_rules(make_case(provider={"networks": ["regence"]}))
    out = by_code(found, "OUT-OF-NETWORK")
    assert out.effect == "not_covered" and out.citation == src.CREDENTIALING
    assert out.citation.confidence == "medium"  # so the kit reports it as "verify with the plan"


def test_network_id_is_case_insensitive(make_case):
    assert "IN-NETWORK" in codes(visit_rules(make_case(provider={"networks": [" Premera "]})))


def test_wellness_only_cites_a_weak_rule(make_case):
    found = visit_rules(make_case(episode={"diagnoses": ["Z73.3", "Z71.89"]}))
    wellness = by_code(found, "WELLNESS-ONLY")
    assert wellness.citation == src.WELLNESS_EXCLUSION and wellness.citation.weak
    assert "SAMPLE list" in wellness.message and "not confirmed" in wellness.message
    assert "CONDITION" not in codes(found)


def test_wellness_with_a_condition_is_fine(make_case):
    found = visit_rules(make_case(episode={"diagnoses": ["M54.2", "Z73.3"]}))
    assert "CONDITION" in codes(found, "note") and "WELLNESS-ONLY" not in codes(found)


def test_missing_prescription_is_a_requirement(make_case):
    found = visit_rules(make_case(episode={"prescription": None}))
    assert codes(found, "requirement") == ["NO-PRESCRIPTION"]
    assert by_code(found, "NO-PRESCRIPTION").path == "episode.prescription"


def test_prescription_without_visits_is_a_requirement(make_case):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 1, 2)}
    assert codes(visit_rules(make_case(episode={"prescription": rx})), "requirement") == [
        "PRESCRIPTION-NO-VISITS"]


def test_prescription_visits_used_up(make_case):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 1, 2), "visits": 2}
    case = make_case(episode={"prescription": rx})
    assert codes(visit_rules(case, case.visits[1]), "requirement") == []
    assert codes(visit_rules(case, case.visits[2]), "requirement") == ["PRESCRIPTION-VISITS-USED"]


def test_auto_accident_adds_cautions_not_a_status(make_case):
    found = visit_rules(make_case(episode={"kind": "auto_accident",
                                        "diagnoses": ["S13.4XXA", "V43.52XA"]}))
    assert codes(found, "caution") == ["PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"]
    assert not codes(found, "not_covered") and not codes(found, "requirement")
    assert "RCW 48.22.095" in by_code(found, "PIP-PRIMARY").citation.source
    assert by_code(found, "EVICORE-EXCLUDES-AUTO-WC").citation.confidence == "low"


def test_work_injury_adds_cautions(make_case):
    found = visit_rules(make_case(episode={"kind": "illness", "employment_related": True}))
    assert codes(found, "caution") == ["WORKERS-COMP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"]


def test_illness_has_no_cautions(make_case):
    assert not codes(visit_rules(make_case()), "caution")


# -- claim-shape checks -------------------------------------------------------------------


@pytest.mark.parametrize("member_id", ["XYZ900000001", "A1B2", "12A345", "xyz123"])
def test_member_id_with_prefix(make_case, member_id):
    case = make_case(coverage={"member_id": member_id})
    assert rules.claim_findings(case, case.visits[-1]) == []


@pytest.mark.parametrize("member_id", ["900000001", "XYZ", "XY-1234", "XYZ 1234", "X"])
def test_member_id_without_prefix(make_case, member_id):
    case = make_case(coverage={"member_id": member_id})
    [finding] = rules.claim_findings(case, case.visits[-1])
    assert finding.code == "MEMBER-ID-PREFIX" and finding.severity == "error"
    assert finding.path == "coverage.member_id" and member_id not in finding.message
    assert finding.citation == src.MEMBER_ID_RULE


def test_modifier_52_on_timed_code(make_case, visit):
    services = ({"code": "97124", "minutes": 30, "modifiers": ["GP", "52"]},
                {"code": "97010", "modifiers": ["52"]})
    case = make_case(visits=[visit(D(2026, 1, 5)), visit(D(2026, 1, 12), *services)])
    assert rules.claim_findings(case, case.visits[0]) == []
    [finding] = rules.claim_findings(case, case.visits[1])
    assert finding.code == "MODIFIER-52-TIMED" and finding.severity == "error"
    assert finding.path == "visits[1].services[0].modifiers[1]"
    assert finding.citation == src.BILLING_FOR_TIME

"""Unit tests of each Premera rule, without the kit (outcomes as the plugin gives them)."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit import Outcome
from payerkit.testing.conformance import NOTES

from payerkit_premera import review, rules
from payerkit_premera import sources as src

D = dt.date
SIX_VISITS = src.FIGURES.get("visits_without_review").citation


def codes(outcomes, effect=None):
    return [o.code for o in outcomes if effect is None or o.effect == effect]


def outcomes(case, visit=None):
    visit = case.visits[-1] if visit is None else visit
    return [*rules.outcomes(case, visit), *review.outcomes(case, visit)]


def by_code(found, code) -> Outcome:
    [outcome] = [o for o in found if o.code == code]
    return outcome


# -- figures and citations ------------------------------------------------------------


def test_figures_are_cited_data():
    assert src.FIGURES.get("visits_without_review", D(2018, 6, 7)).value == 6
    assert src.FIGURES.get("episode_gap_days").value == 90
    filing = src.FIGURES.get("filing_days")
    assert filing.value == 365 and filing.citation.confidence == "medium"
    assert "Alaska" in filing.citation.source
    payer_id = src.FIGURES.get("payer_id")
    assert payer_id.value == "00430" and payer_id.unit == "id"
    assert payer_id.citation.confidence == "high"
    assert "electronic-transactions" in payer_id.citation.source


def test_six_visit_rule_starts_2018_06_07():
    [rule] = src.FIGURES.by_name["visits_without_review"]
    assert rule.effective_from == D(2018, 6, 7) and not rule.applies(D(2018, 6, 6))
    assert "RCW 48.43.016" in rule.citation.source


def test_no_citation_names_research_notes():
    cited = [c for c in vars(src).values() if hasattr(c, "confidence")]
    cited += [f.citation for f in src.FIGURES]
    assert len(cited) > 10
    for citation in cited:
        assert not NOTES.search(f"{citation.source} {citation.edition or ''}"), citation


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


# -- episode counting -----------------------------------------------------------------


def test_sixth_visit_needs_no_review_seventh_does(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    sixth, seventh = (review.episode(case, v.date) for v in case.visits[5:])
    assert (sixth.number, seventh.number) == (6, 7)
    assert seventh.start == D(2026, 1, 5) and seventh.last == D(2026, 4, 4)
    assert seventh.window == "90-day episode of care 2026-01-05 to 2026-04-04"
    assert codes(outcomes(case, case.visits[5]), "requirement") == []
    assert codes(outcomes(case, case.visits[6]), "requirement") == ["AUTHORIZATION-REQUIRED"]


def test_gap_of_91_days_starts_a_new_episode(make_case, weekly, visit):
    first = weekly(D(2026, 1, 5), 6)
    case = make_case(visits=[*first, visit(first[-1]["date"] + dt.timedelta(days=91))])
    ep = review.episode(case, case.visits[-1].date)
    assert (ep.number, ep.start, ep.after_period) == (1, case.visits[-1].date, False)
    assert "NO-REVIEW-NEEDED" in codes(outcomes(case), "note")


def test_gap_of_90_days_stays_in_the_episode_and_needs_review(make_case, weekly, visit):
    first = weekly(D(2026, 1, 5), 2)
    case = make_case(visits=[*first, visit(first[-1]["date"] + dt.timedelta(days=90))])
    ep = review.episode(case, case.visits[-1].date)
    assert ep.start == D(2026, 1, 5) and ep.after_period  # 2026-04-12 is after 2026-04-04
    assert codes(outcomes(case), "requirement") == ["AUTHORIZATION-REQUIRED"]


def test_unbroken_chain_past_90_days_is_no_new_episode(make_case, visit):
    # a visit every 60 days: never a 90-day break, so one episode that began 2026-01-05
    days = [D(2026, 1, 5), D(2026, 3, 6), D(2026, 5, 5), D(2026, 7, 4)]
    case = make_case(visits=[visit(d) for d in days])
    assert codes(outcomes(case, case.visits[1]), "requirement") == []  # day 60: 2nd visit
    for later in case.visits[2:]:
        ep = review.episode(case, later.date)
        assert ep.start == D(2026, 1, 5) and ep.after_period
        found = outcomes(case, later)
        assert codes(found, "requirement") == ["AUTHORIZATION-REQUIRED"]
        message = by_code(found, "AUTHORIZATION-REQUIRED").message
        assert "more than 90 days after the episode of care began on 2026-01-05" in message


def test_last_day_of_the_90_day_period_is_inside(make_case, visit):
    case = make_case(visits=[visit(D(2026, 1, 5)), visit(D(2026, 4, 4))])
    assert not review.episode(case, D(2026, 4, 4)).after_period
    case = make_case(visits=[visit(D(2026, 1, 5)), visit(D(2026, 4, 5))])
    assert review.episode(case, D(2026, 4, 5)).after_period


def test_visits_used_elsewhere_count_toward_the_six(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 4), coverage={"visits_used_elsewhere": 2})
    assert review.episode(case, case.visits[-1].date).number == 6
    assert codes(outcomes(case), "requirement") == []
    case = make_case(visits=weekly(D(2026, 1, 5), 1), coverage={"visits_used_elsewhere": 6})
    found = outcomes(case)
    assert codes(found, "requirement") == ["AUTHORIZATION-REQUIRED"]
    assert "6 with other providers counted" in by_code(found, "AUTHORIZATION-REQUIRED").message


def test_date_of_service_before_2018_06_07_is_not_judged(make_case, weekly):
    case = make_case(visits=weekly(D(2018, 1, 1), 8), as_of=D(2018, 3, 1),
                     episode={"onset_date": D(2017, 12, 20)})
    found = outcomes(case)  # the 8th visit, no authorization: the 2018 rule would require one
    assert codes(found, "requirement") == []
    old = by_code(found, "REVIEW-RULE-BEFORE-2018")
    assert old.effect == "caution" and old.citation == SIX_VISITS
    assert "2018-06-07" in old.message and "verify with the plan" in old.message
    assert review.limits(case, case.visits[-1]) == []


def test_rule_applies_from_2018_06_07(make_case, weekly):
    case = make_case(visits=weekly(D(2018, 5, 3), 6), as_of=D(2018, 7, 1),
                     episode={"onset_date": D(2018, 5, 1)})
    assert case.visits[-1].date == D(2018, 6, 7)
    assert "NO-REVIEW-NEEDED" in codes(outcomes(case), "note")  # visit 6 of its episode
    assert "REVIEW-RULE-BEFORE-2018" in codes(outcomes(case, case.visits[-2]))


def test_authorization_counts_visits_in_its_window(make_case, weekly):
    auth = {"number": "EVI1", "visits": 4, "start": D(2026, 2, 16), "end": D(2026, 3, 31)}
    case = make_case(visits=weekly(D(2026, 1, 5), 9), episode={"authorization": auth})
    assert review.authorization_used(case, D(2026, 3, 2)) == 3  # 02-16, 02-23, 03-02


def test_authorization_without_start_counts_from_the_episode_start(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 8),
                     episode={"authorization": {"number": "EVI1", "visits": 10}})
    assert review.authorization_used(case, case.visits[-1].date) == 8


def test_authorization_covering_the_date(make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    found = outcomes(case)
    assert codes(found, "requirement") == [] and "AUTHORIZED" in codes(found, "note")


def test_authorization_not_covering_the_date(make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 3, 1), "end": D(2026, 4, 30)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    found = outcomes(case)
    assert codes(found, "requirement") == ["AUTHORIZATION-REQUIRED"]
    assert "does not cover 2026-02-16" in by_code(found, "AUTHORIZATION-REQUIRED").message


def test_authorization_used_up(make_case, weekly):
    auth = {"number": "EVI1", "visits": 2, "start": D(2026, 2, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 9), episode={"authorization": auth})
    assert codes(outcomes(case, case.visits[7]), "requirement") == []
    assert codes(outcomes(case, case.visits[8]), "requirement") == ["AUTHORIZATION-USED-UP"]


# -- Premera's own rules: network, condition, prescription, other payers ----------------


def test_in_network_is_a_note_out_of_network_a_medium_refusal(make_case):
    assert "IN-NETWORK" in codes(outcomes(make_case()), "note")
    found = outcomes(make_case(provider={"networks": ["regence"]}))
    out = by_code(found, "OUT-OF-NETWORK")
    assert out.effect == "not_covered" and out.citation == src.CREDENTIALING
    assert out.citation.confidence == "medium"  # so the kit reports it as "verify with the plan"


def test_network_id_is_case_insensitive(make_case):
    assert "IN-NETWORK" in codes(outcomes(make_case(provider={"networks": [" Premera "]})))


def test_wellness_only_cites_a_weak_rule(make_case):
    found = outcomes(make_case(episode={"diagnoses": ["Z73.3", "Z71.89"]}))
    wellness = by_code(found, "WELLNESS-ONLY")
    assert wellness.citation == src.WELLNESS_EXCLUSION and wellness.citation.weak
    assert "SAMPLE list" in wellness.message and "not confirmed" in wellness.message
    assert "CONDITION" not in codes(found)


def test_wellness_with_a_condition_is_fine(make_case):
    found = outcomes(make_case(episode={"diagnoses": ["M54.2", "Z73.3"]}))
    assert "CONDITION" in codes(found, "note") and "WELLNESS-ONLY" not in codes(found)


def test_missing_prescription_is_a_requirement(make_case):
    found = outcomes(make_case(episode={"prescription": None}))
    assert codes(found, "requirement") == ["NO-PRESCRIPTION"]
    assert by_code(found, "NO-PRESCRIPTION").path == "episode.prescription"


def test_prescription_without_visits_is_a_requirement(make_case):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 1, 2)}
    assert codes(outcomes(make_case(episode={"prescription": rx})), "requirement") == [
        "PRESCRIPTION-NO-VISITS"]


def test_prescription_visits_used_up(make_case):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 1, 2), "visits": 2}
    case = make_case(episode={"prescription": rx})
    assert codes(outcomes(case, case.visits[1]), "requirement") == []
    assert codes(outcomes(case, case.visits[2]), "requirement") == ["PRESCRIPTION-VISITS-USED"]


def test_auto_accident_adds_cautions_not_a_status(make_case):
    found = outcomes(make_case(episode={"kind": "auto_accident",
                                        "diagnoses": ["S13.4XXA", "V43.52XA"]}))
    assert codes(found, "caution") == ["PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"]
    assert not codes(found, "not_covered") and not codes(found, "requirement")
    assert "RCW 48.22.095" in by_code(found, "PIP-PRIMARY").citation.source
    assert by_code(found, "EVICORE-EXCLUDES-AUTO-WC").citation.confidence == "low"


def test_work_injury_adds_cautions(make_case):
    found = outcomes(make_case(episode={"kind": "illness", "employment_related": True}))
    assert codes(found, "caution") == ["WORKERS-COMP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"]


def test_illness_has_no_cautions(make_case):
    assert not codes(outcomes(make_case()), "caution")


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

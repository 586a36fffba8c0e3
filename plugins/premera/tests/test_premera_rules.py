"""Unit tests of each Premera rule, without the kit."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit.model import Citation

from payerkit_premera import sources
from payerkit_premera.assess import assess
from payerkit_premera.claim_checks import member_id_findings, modifier_52_findings
from payerkit_premera.episode import authorization_used, position, prescription_used
from payerkit_premera.wellness import CLASSIFICATION, packaged, parse

D = dt.date
WELLNESS = packaged()


def codes(outcomes, effect=None):
    return [o.code for o in outcomes if effect is None or o.effect == effect]


# -- wellness classification ----------------------------------------------------------


@pytest.mark.parametrize("code", ["Z73.3", "Z733", "z00.00", "Z02.6", "Z71.89", "Z13.89"])
def test_wellness_codes_match(code):
    assert WELLNESS.matches(code)


@pytest.mark.parametrize("code", ["M54.2", "M62.830", "Z73.0", "S13.4XXA", "Z72.3"])
def test_condition_codes_do_not_match(code):
    assert not WELLNESS.matches(code)


def test_only_wellness_needs_every_condition_code_to_be_wellness():
    assert WELLNESS.only_wellness(["Z73.3"])
    assert WELLNESS.only_wellness(["Z73.3", "Z71.89"])
    assert not WELLNESS.only_wellness(["Z73.3", "M54.2"])
    assert not WELLNESS.only_wellness([])


def test_external_cause_codes_are_not_a_condition():
    assert WELLNESS.only_wellness(["Z73.3", "W18.30XA"])
    assert not WELLNESS.only_wellness(["W18.30XA"])


def test_classification_is_cited_as_payerkits_own_sample():
    assert WELLNESS.citation == CLASSIFICATION
    assert CLASSIFICATION.confidence == "sample"
    assert "payerkit" in CLASSIFICATION.source and "not Premera text" in CLASSIFICATION.source


def test_parse_skips_comments():
    codes_ = parse("# note\nprefix,description\nZ73.3,stress\n\n# more\nZ00,exam\n")
    assert codes_.prefixes == ("Z73.3", "Z00")


# -- episode counting -----------------------------------------------------------------


def test_sixth_visit_needs_no_review_seventh_does(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    sixth, seventh = case.visits[5].date, case.visits[6].date
    assert position(case, sixth).number == 6 and not position(case, sixth).needs_review
    assert position(case, seventh).number == 7 and position(case, seventh).needs_review
    assert position(case, seventh).start == D(2026, 1, 5)


def test_gap_of_91_days_starts_a_new_episode(make_case, weekly, visit):
    first = weekly(D(2026, 1, 5), 6)
    last = first[-1]["date"]
    case = make_case(visits=[*first, visit(last + dt.timedelta(days=91))])
    where = position(case, case.visits[-1].date)
    assert where.number == 1 and where.start == case.visits[-1].date
    assert where.window == f"90-day episode of care starting {where.start.isoformat()}"


def test_gap_of_90_days_stays_in_the_episode(make_case, weekly, visit):
    first = weekly(D(2026, 1, 5), 6)
    last = first[-1]["date"]
    case = make_case(visits=[*first, visit(last + dt.timedelta(days=90))])
    where = position(case, case.visits[-1].date)
    assert where.number == 7 and where.start == D(2026, 1, 5)


def test_visits_used_elsewhere_count_toward_the_six(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 4), coverage={"visits_used_elsewhere": 2})
    assert position(case, case.visits[-1].date).number == 6
    case = make_case(visits=weekly(D(2026, 1, 5), 4), coverage={"visits_used_elsewhere": 3})
    assert position(case, case.visits[-1].date).needs_review


def test_prescription_counts_visits_from_its_date(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 5))
    rx = case.episode.prescription
    assert prescription_used(case, rx, case.visits[-1].date) == 5
    assert prescription_used(case, rx, case.visits[1].date) == 2


def test_authorization_counts_visits_in_its_window(make_case, weekly):
    auth = {"number": "EVI1", "visits": 4, "start": D(2026, 2, 16), "end": D(2026, 3, 31)}
    case = make_case(visits=weekly(D(2026, 1, 5), 9), episode={"authorization": auth})
    on = case.visits[-1].date  # 2026-03-02: visits 2026-02-16, 02-23, 03-02 in the window
    assert authorization_used(case, case.episode.authorization, on) == 3


def test_authorization_without_start_counts_from_the_episode_start(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 8),
                     episode={"authorization": {"number": "EVI1", "visits": 10}})
    assert authorization_used(case, case.episode.authorization, case.visits[-1].date) == 8


# -- assess: network, condition, prescription, review, other payers -----------------------------


def test_in_network_is_a_note_out_of_network_not_covered(make_case):
    assert "IN-NETWORK" in codes(assess(make_case(), make_case().visits[-1], WELLNESS), "note")
    case = make_case(provider={"networks": ["regence"]})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "not_covered") == ["OUT-OF-NETWORK"]
    assert next(o for o in outcomes if o.code == "OUT-OF-NETWORK").citation == sources.CREDENTIALING


def test_network_id_is_case_insensitive(make_case):
    case = make_case(provider={"networks": ["Premera"]})
    assert not codes(assess(case, case.visits[-1], WELLNESS), "not_covered")


def test_wellness_only_is_not_covered_with_its_citations(make_case):
    case = make_case(episode={"diagnoses": ["Z73.3", "Z71.89"]})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "not_covered") == ["WELLNESS-ONLY"]
    cited = {o.code: o.citation.confidence for o in outcomes}
    assert cited["WELLNESS-ONLY"] == "high"
    assert cited["WELLNESS-CLASSIFICATION"] == "sample"
    assert cited["WELLNESS-EXCLUSION"] == "low"


def test_wellness_with_a_condition_is_fine(make_case):
    case = make_case(episode={"diagnoses": ["M54.2", "Z73.3"]})
    assert "CONDITION" in codes(assess(case, case.visits[-1], WELLNESS), "note")


def test_missing_prescription_is_a_requirement(make_case):
    case = make_case(episode={"prescription": None})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "requirement") == ["NO-PRESCRIPTION"]
    assert outcomes[2].path == "episode.prescription"


def test_prescription_without_visits_is_a_requirement(make_case):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 1, 2)}
    case = make_case(episode={"prescription": rx})
    assert codes(assess(case, case.visits[-1], WELLNESS), "requirement") == [
        "PRESCRIPTION-NO-VISITS"]


def test_prescription_visits_used_up(make_case, weekly):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 1, 2), "visits": 2}
    case = make_case(episode={"prescription": rx})
    assert codes(assess(case, case.visits[1], WELLNESS), "requirement") == []
    assert codes(assess(case, case.visits[2], WELLNESS), "requirement") == [
        "PRESCRIPTION-VISITS-USED"]


def test_sixth_visit_no_review_note(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 6))
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert "NO-REVIEW-NEEDED" in codes(outcomes, "note")
    assert not codes(outcomes, "requirement")


def test_seventh_visit_without_authorization(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "requirement") == ["AUTHORIZATION-REQUIRED"]
    message = next(o for o in outcomes if o.code == "AUTHORIZATION-REQUIRED").message
    assert "visit 7" in message and "eviCore" in message


def test_seventh_visit_by_visits_elsewhere(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 1), coverage={"visits_used_elsewhere": 6})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "requirement") == ["AUTHORIZATION-REQUIRED"]
    assert "6 with other providers" in outcomes[3].message


def test_authorization_covering_the_date(make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert not codes(outcomes, "requirement")
    assert "AUTHORIZED" in codes(outcomes, "note")


def test_authorization_not_covering_the_date(make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 3, 1), "end": D(2026, 4, 30)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "requirement") == ["AUTHORIZATION-REQUIRED"]
    assert "does not cover 2026-02-16" in outcomes[3].message


def test_authorization_used_up(make_case, weekly):
    auth = {"number": "EVI1", "visits": 2, "start": D(2026, 2, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 9), episode={"authorization": auth})
    assert not codes(assess(case, case.visits[7], WELLNESS), "requirement")
    assert codes(assess(case, case.visits[8], WELLNESS), "requirement") == [
        "AUTHORIZATION-USED-UP"]


def test_auto_accident_adds_cautions_not_a_status(make_case):
    case = make_case(episode={"kind": "auto_accident", "diagnoses": ["S13.4XXA", "V43.52XA"]})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert codes(outcomes, "caution") == ["PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"]
    assert not codes(outcomes, "not_covered") and not codes(outcomes, "requirement")
    cited = {o.code: o.citation for o in outcomes}
    assert "RCW 48.22.095" in cited["PIP-PRIMARY"].source
    assert cited["EVICORE-EXCLUDES-AUTO-WC"].confidence == "low"


def test_work_injury_adds_cautions(make_case):
    case = make_case(episode={"kind": "illness", "employment_related": True})
    assert codes(assess(case, case.visits[-1], WELLNESS), "caution") == [
        "WORKERS-COMP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"]


def test_illness_has_no_cautions(make_case):
    assert not codes(assess(make_case(), make_case().visits[-1], WELLNESS), "caution")


def test_every_outcome_is_cited(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 8), provider={"networks": []},
                     episode={"kind": "auto_accident", "diagnoses": ["Z73.3"]})
    outcomes = assess(case, case.visits[-1], WELLNESS)
    assert outcomes and all(isinstance(o.citation, Citation) for o in outcomes)


# -- claim checks -------------------------------------------------------------------------


@pytest.mark.parametrize("member_id", ["XYZ900000001", "A1B2", "12A345", "xyz123"])
def test_member_id_with_prefix(make_case, member_id):
    assert member_id_findings(make_case(coverage={"member_id": member_id})) == []


@pytest.mark.parametrize("member_id", ["900000001", "XYZ", "XY-1234", "XYZ 1234", "X"])
def test_member_id_without_prefix(make_case, member_id):
    [finding] = member_id_findings(make_case(coverage={"member_id": member_id}))
    assert finding.code == "MEMBER-ID-PREFIX" and finding.severity == "error"
    assert finding.path == "coverage.member_id" and member_id not in finding.message
    assert finding.citation == sources.MEMBER_ID_RULE


def test_modifier_52_on_timed_code(make_case, visit):
    services = ({"code": "97124", "minutes": 30, "modifiers": ["GP", "52"]},
                {"code": "97010", "modifiers": ["52"]})
    case = make_case(visits=[visit(D(2026, 1, 5), *services)])
    [finding] = modifier_52_findings(case, case.visits[0])
    assert finding.code == "MODIFIER-52-TIMED" and finding.severity == "error"
    assert finding.path == "visits[0].services[0].modifiers[1]"
    assert finding.citation == sources.BILLING_FOR_TIME

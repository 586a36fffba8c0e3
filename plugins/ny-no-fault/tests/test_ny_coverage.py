"""Eligibility: who is covered where, the work-injury stop, and what the bill still needs."""

from __future__ import annotations

import datetime as dt

import pytest

from payerkit_ny_no_fault.coverage import accident_place


def codes(reasons):
    return [r.code for r in reasons]


# person, vehicle, accident state, country, patient's state, motorcycle -> status, deciding code
TERRITORY = [
    # the named insured and resident relatives: any motor vehicle, anywhere in the territory
    ("named_insured", "insured", "NY", "US", "NY", False, "covered", "NY-ELIGIBLE-INSURED"),
    ("named_insured", "other", "CA", "US", "NJ", False, "covered", "NY-ELIGIBLE-INSURED"),
    ("relative", None, "PR", "US", "NY", False, "covered", "NY-ELIGIBLE-INSURED"),
    ("relative", "other", None, "CA", "NY", False, "covered", "NY-ELIGIBLE-INSURED"),
    ("named_insured", "insured", None, "GU", "NY", False, "covered", "NY-ELIGIBLE-INSURED"),
    # other persons: the insured vehicle in New York
    ("other", "insured", "NY", "US", "NJ", False, "covered", "NY-ELIGIBLE-IN-NY"),
    ("other", "other", "NY", "US", "NY", False, "not_covered", "NY-OTHER-VEHICLE"),
    ("other", None, "NY", "US", "NY", False, "action_required", "NY-RECORD-VEHICLE"),
    # ... outside New York only a NY resident, subject to exclusion (j)
    ("other", "insured", "NJ", "US", "NY", False, "covered", "NY-EXCLUSION-J"),
    ("other", "insured", "NJ", "US", "PA", False, "not_covered", "NY-OTHER-PERSON-OUTSIDE-NY"),
    ("other", "insured", None, "CA", "NY", False, "covered", "NY-EXCLUSION-J"),
    ("other", None, "NJ", "US", "NY", False, "action_required", "NY-RECORD-VEHICLE"),
    ("other", "insured", None, "US", "NY", False, "action_required", "NY-RECORD-ACCIDENT-STATE"),
    # injured person not recorded: decidable only for the insured car in New York
    (None, "insured", "NY", "US", "NJ", False, "covered", "NY-ELIGIBLE-IN-NY"),
    (None, "other", "NY", "US", "NY", False, "action_required", "NY-RECORD-INJURED-PERSON"),
    (None, None, "NY", "US", "NY", False, "action_required", "NY-RECORD-INJURED-PERSON"),
    (None, "insured", "NJ", "US", "NY", False, "action_required", "NY-RECORD-INJURED-PERSON"),
    # outside the territory, or on a motorcycle: nobody
    ("named_insured", "insured", None, "MX", "NY", False, "not_covered", "NY-OUTSIDE-TERRITORY"),
    (None, None, None, "FR", "NY", False, "not_covered", "NY-OUTSIDE-TERRITORY"),
    ("named_insured", "insured", "NY", "US", "NY", True, "not_covered", "NY-MOTORCYCLE"),
    ("other", "insured", "NY", "US", "NY", True, "not_covered", "NY-MOTORCYCLE"),
]


@pytest.mark.parametrize(
    "person, vehicle, state, country, home, motorcycle, status, code", TERRITORY)
def test_territory_and_injured_person(kit, make_case, person, vehicle, state, country, home,
                                      motorcycle, status, code):
    case = make_case(
        ny={"injured_person": person, "vehicle": vehicle, "motorcycle": motorcycle},
        episode={"state": state, "country": country}, patient={"address": {"state": home}},
    )
    result = kit.check(case)
    assert result.status == status
    found = codes(result.requirements if status == "action_required" else result.reasons)
    assert code in found
    assert all(r.citation is not None for r in result.reasons + result.requirements)


@pytest.mark.parametrize("country, state, place", [
    ("US", "NY", "ny"), ("US", "ny", "ny"), ("USA", "NJ", "territory"), ("US", "VI", "territory"),
    ("CA", None, "territory"), ("CAN", "ON", "territory"), ("PR", None, "territory"),
    ("US", None, "unknown"), ("MX", None, "outside"), ("GB", "NY", "outside"),
])
def test_accident_place(make_case, country, state, place):
    assert accident_place(make_case(episode={"country": country, "state": state})) == place


def test_exclusion_j_is_a_caution_reason_and_a_warning(kit, make_case):
    case = make_case(ny={"injured_person": "other", "vehicle": "insured"}, episode={"state": "NJ"})
    result = kit.check(case)
    assert result.status == "covered"
    reason = next(r for r in result.reasons if r.code == "NY-EXCLUSION-J")
    assert "exclusion (j)" in reason.citation.source
    finding = next(f for f in kit.scrub(case).findings if f.code == "NY-EXCLUSION-J")
    assert (finding.severity, finding.path) == ("warning", "facts.ny-no-fault.injured_person")


def test_relative_is_defined(kit, make_case):
    reasons = kit.check(make_case(ny={"injured_person": "relative"})).reasons
    assert "regularly residing" in next(r for r in reasons if r.code == "NY-RELATIVE").message


@pytest.mark.parametrize("episode, path", [
    ({"kind": "work_injury"}, "episode.kind"),
    ({"employment_related": True}, "episode.employment_related"),
])
def test_work_injury_goes_to_workers_comp(kit, make_case, episode, path):
    case = make_case(episode=episode)
    result = kit.check(case)
    assert result.status == "not_covered"
    assert codes(result.reasons) == ["NY-WORK-INJURY", "NY-WC-LMT-NOT-AUTHORIZED"]
    assert "5102(b)(2)" in result.reasons[0].citation.source
    assert "13-b" in result.reasons[1].citation.source
    errors = kit.scrub(case).errors
    assert [(f.code, f.path) for f in errors if f.code.startswith("NY-")] == [
        ("NY-WORK-INJURY", path)]


@pytest.mark.parametrize("kind", ["illness", "other_accident"])
def test_not_a_motor_vehicle_injury(kit, make_case, kind):
    result = kit.check(make_case(episode={"kind": kind}))
    assert (result.status, codes(result.reasons)) == ("not_covered", ["NY-NOT-MOTOR-VEHICLE"])


def test_everything_on_file_is_covered(kit, make_case):
    case = make_case()
    result = kit.check(case)
    assert result.status == "covered"
    assert result.requirements == ()
    assert {"NY-LMT-SERVICES", "NY-ELIGIBLE-INSURED", "NY-BENEFITS-ASSIGNED"} <= set(
        codes(result.reasons))
    assert kit.scrub(case).findings == ()


def test_claim_number_required(kit, make_case):
    case = make_case(coverage={"claim_number": None})
    result = kit.check(case)
    assert result.status == "action_required"
    assert codes(result.requirements) == ["NY-NO-CLAIM-NUMBER"]
    finding = next(f for f in kit.scrub(case).errors if f.code == "NY-NO-CLAIM-NUMBER")
    assert finding.path == "coverage.claim_number"
    assert "REF*Y4" in finding.message


def test_licence_required_from_provider_or_rendering(kit, make_case):
    case = make_case(provider={"license": None})
    assert codes(kit.check(case).requirements) == ["NY-NO-LICENSE"]
    finding = next(f for f in kit.scrub(case).errors if f.code == "NY-NO-LICENSE")
    # the NF-3 item is known from a secondary source only: the kit says to verify it
    assert finding.citation.confidence == "medium" and "verify" in finding.message
    rendered = make_case(provider={"license": None}, rendering={
        "first_name": "Jane", "last_name": "Doe", "npi": "1992999999", "license": "NY-LMT-2"})
    assert kit.check(rendered).status == "covered"


def test_missing_prescription_is_a_warning_not_a_requirement(kit, make_case):
    case = make_case(episode={"prescription": None})
    result = kit.check(case)
    assert result.status == "covered"
    reason = next(r for r in result.reasons if r.code == "NY-NO-PRESCRIPTION")
    assert "medical necessity" in reason.message
    assert reason.citation.confidence == "low"
    finding = next(f for f in kit.scrub(case).findings if f.code == "NY-NO-PRESCRIPTION")
    assert (finding.severity, finding.path) == ("warning", "episode.prescription")


def test_missing_notice_is_required_with_its_due_date(kit, make_case):
    case = make_case(episode={"notice_date": None}, coverage={"claim_number": None},
                     as_of=dt.date(2026, 3, 20))
    result = kit.check(case)
    assert result.status == "action_required"
    assert codes(result.requirements) == ["NY-NO-CLAIM-NUMBER", "NY-NO-NOTICE"]
    requirement = result.requirements[1]
    assert "2026-04-01" in requirement.message  # 30 days after 2026-03-02
    warning = next(f for f in kit.scrub(case).findings if f.code == "NY-NO-NOTICE")
    assert (warning.severity, warning.path) == ("warning", "episode.notice_date")


@pytest.mark.parametrize("as_of", [dt.date(2026, 3, 20), dt.date(2026, 4, 20)])
def test_claim_number_without_notice_date_is_a_warning(kit, make_case, as_of):
    """The insurer's claim number shows it was notified: ask for the date, never refuse."""
    case = make_case(episode={"notice_date": None}, as_of=as_of,
                     visits=[{"date": dt.date(2026, 3, 12), "services": [
                         {"code": "97124", "minutes": 30}]}])
    result = kit.check(case)
    assert result.status == "covered"
    reason = next(r for r in result.reasons if r.code == "NY-NO-NOTICE-DATE")
    assert "2026-04-01" in reason.message and "episode.notice_date" in reason.message
    scrub = kit.scrub(case)
    assert [(f.severity, f.path) for f in scrub.findings if "NOTICE" in f.code] == [
        ("warning", "episode.notice_date")]
    assert scrub.errors == ()


def test_late_notice_needs_a_written_justification(kit, make_case):
    late = make_case(episode={"notice_date": dt.date(2026, 4, 2)},
                     visits=[{"date": dt.date(2026, 4, 3), "services": [
                         {"code": "97124", "minutes": 30}]}], as_of=dt.date(2026, 4, 6))
    result = kit.check(late)
    assert result.status == "action_required"
    assert codes(result.requirements) == ["NY-LATE-NOTICE-JUSTIFICATION"]
    assert "2026-04-01" in result.requirements[0].message
    assert "65-3.3(e)" in result.requirements[0].citation.source
    scrub = kit.scrub(late)
    assert ("warning", "NY-LATE-NOTICE-JUSTIFICATION") in [(f.severity, f.code)
                                                           for f in scrub.findings]
    assert [f.code for f in scrub.errors] == ["LATE-NOTICE-OF-CLAIM"]
    excused = make_case(episode={"notice_date": dt.date(2026, 4, 2)},
                        visits=[{"date": dt.date(2026, 4, 3), "services": [
                            {"code": "97124", "minutes": 30}]}], as_of=dt.date(2026, 4, 6),
                        claim={"late_justification": "patient hospitalised until 2026-03-30"})
    result = kit.check(excused)
    assert result.status == "covered"
    assert "NY-LATE-NOTICE" in codes(result.reasons)


def test_not_covered_drops_the_paperwork_requirements(kit, make_case):
    result = kit.check(make_case(ny={"motorcycle": True}, coverage={"claim_number": None},
                                 claim={"benefits_assigned": None}))
    assert result.status == "not_covered"
    assert result.requirements == ()
    assert codes(result.reasons) == ["NY-MOTORCYCLE"]

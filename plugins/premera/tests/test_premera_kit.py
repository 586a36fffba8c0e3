"""The Premera plugin through the facade: PayerKit(entry_points=False, plugins=[plugin])."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from payerkit import ClaimRefused
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.io import structure_case, unstructure_case
from payerkit.model import Program
from payerkit.testing.x12 import parse_segments, semantic_errors_837p

from payerkit_premera import plugin, sources
from payerkit_premera.program import PROGRAM

D = dt.date
OPTIONS = WriteOptions(control=ControlNumbers(interchange=7, group=7, transaction=1),
                       now=dt.datetime(2026, 3, 2, 9, 30))
OTHER = Program(id="other-program", name="Other", line_of_business="commercial", states=("NY",))


# -- registration -----------------------------------------------------------------------


def test_program_record(kit):
    program = kit.program("premera-wa")
    assert program == PROGRAM
    assert program.name == "Premera Blue Cross (Washington)"
    assert program.line_of_business == "commercial" and program.states == ("WA",)
    assert program.claim_formats == ("x12-837p", "cms-1500")
    assert program.claim_filing_indicator == "BL"
    assert program.payer_id is None
    assert sources.OUTPATIENT_REHAB in program.sources


def test_hooks_answer_none_for_other_programs(make_case):
    case, target = make_case(), make_case().visits[-1]
    assert plugin.payerkit_eligibility(program=OTHER, case=case) is None
    assert plugin.payerkit_units(program=OTHER, case=case) is None
    assert plugin.payerkit_fee_schedule(program=OTHER, case=case) is None
    assert plugin.payerkit_adjust_pricing(program=OTHER, case=case, pricing=None) is None
    assert plugin.payerkit_visit_limits(program=OTHER, case=case) is None
    assert plugin.payerkit_filing_deadline(program=OTHER, case=case, visit=target) is None
    assert plugin.payerkit_scrub(program=OTHER, case=case, visit=target, pricing=None) is None


# -- eligibility ------------------------------------------------------------------------


def test_covered_case_gives_cited_reasons(kit, make_case):
    result = kit.check(make_case())
    assert result.status == "covered" and result.requirements == ()
    assert [r.code for r in result.reasons] == [
        "IN-NETWORK", "CONDITION", "PRESCRIPTION-ON-FILE", "NO-REVIEW-NEEDED"]
    assert all(r.citation is not None for r in result.reasons)


@pytest.mark.parametrize(("changes", "status", "codes"), [
    ({"provider": {"networks": []}}, "not_covered", ["OUT-OF-NETWORK"]),
    ({"episode": {"diagnoses": ["Z73.3"]}}, "not_covered", ["WELLNESS-ONLY"]),
    ({"episode": {"prescription": None}}, "action_required", ["NO-PRESCRIPTION"]),
])
def test_eligibility_status(kit, make_case, changes, status, codes):
    result = kit.check(make_case(**changes))
    assert result.status == status
    found = [r.code for r in result.requirements + result.reasons]
    assert all(code in found for code in codes)


def test_not_covered_wins_over_requirements(kit, make_case):
    result = kit.check(make_case(provider={"networks": []}, episode={"prescription": None}))
    assert result.status == "not_covered"
    assert [r.code for r in result.requirements] == ["NO-PRESCRIPTION"]


def test_seventh_visit_needs_authorization(kit, make_case, weekly):
    result = kit.check(make_case(visits=weekly(D(2026, 1, 5), 7)))
    assert result.status == "action_required"
    [requirement] = result.requirements
    assert requirement.code == "AUTHORIZATION-REQUIRED"
    assert "eviCore" in requirement.message
    assert requirement.citation == sources.OUTPATIENT_REHAB


def test_sixth_visit_is_covered(kit, make_case, weekly):
    assert kit.check(make_case(visits=weekly(D(2026, 1, 5), 6))).status == "covered"


def test_authorized_seventh_visit_is_covered(kit, make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    assert kit.check(case).status == "covered"


def test_authorization_used_up_is_action_required(kit, make_case, weekly):
    auth = {"number": "EVI1", "visits": 1, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 8), episode={"authorization": auth})
    result = kit.check(case)
    assert result.status == "action_required"
    assert [r.code for r in result.requirements] == ["AUTHORIZATION-USED-UP"]


def test_auto_accident_keeps_status_and_adds_reasons(kit, make_case):
    case = make_case(episode={"kind": "auto_accident", "diagnoses": ["S13.4XXA", "V43.52XA"]})
    result = kit.check(case)
    assert result.status == "covered"
    assert {"PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"} <= {r.code for r in result.reasons}


# -- units and fees ----------------------------------------------------------------------


def test_midpoint_units_per_code(kit, make_case, visit):
    services = ({"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8})
    pricing = kit.price(make_case(visits=[visit(D(2026, 1, 5), *services)]))
    assert [line.units for line in pricing.lines] == [1, 1]  # the CMS total-time rule gives 1
    [rule] = [r for r in pricing.reasons if r.code == "UNITS-RULE"]
    assert rule.citation == sources.BILLING_FOR_TIME
    assert "NOT CONFIRMED" in rule.message


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (22, 1), (23, 2), (38, 3)])
def test_midpoint_boundaries(kit, make_case, visit, minutes, units):
    case = make_case(visits=[visit(D(2026, 1, 5), {"code": "97124", "minutes": minutes})])
    assert kit.price(case).lines[0].units == units


def test_no_fees_means_unknown_allowed_and_says_premera_publishes_none(kit, make_case):
    pricing = kit.price(make_case())
    assert pricing.total_allowed is None
    [reason] = [r for r in pricing.reasons if r.code == "PREMERA-FEES-NOT-PUBLIC"]
    assert "Availity" in reason.message and reason.citation == sources.FEES_NOT_PUBLIC
    assert plugin.payerkit_fee_schedule(program=PROGRAM, case=make_case()) is None


def test_practice_rates_price_the_visit(kit, make_case):
    fees = {"source": "Practice's Premera contract 2026 (SAMPLE)", "rates": {"97124": "25.00"}}
    pricing = kit.price(make_case(fees=fees))
    [line] = pricing.lines
    assert line.units == 3 and line.allowed == Decimal("75.00")
    assert "Practice's Premera contract 2026 (SAMPLE)" in line.fee_source
    assert "[practice]" in line.fee_source
    assert "PREMERA-FEES-PRACTICE" in [r.code for r in pricing.reasons]
    schedule = plugin.payerkit_fee_schedule(program=PROGRAM, case=make_case(fees=fees))
    assert schedule.citation.confidence == "practice"


def test_practice_csv_entries_come_before_rates(kit, make_case, tmp_path):
    (tmp_path / "fees.csv").write_text(
        "code,modifier,amount,effective_from,effective_to\n"
        "97124,,20.00,2026-01-01,2026-01-31\n", encoding="utf-8")
    data = unstructure_case(make_case())
    data["fees"] = {"source": "Practice contract (SAMPLE)", "rates": {"97124": "25.00"},
                    "file": "fees.csv"}
    data["visits"].append({"date": "2026-02-02", "services": [{"code": "97124", "minutes": 45}]})
    case = structure_case(data, tmp_path)
    assert kit.price(case, D(2026, 1, 12)).lines[0].allowed == Decimal("60.00")  # CSV, January
    assert kit.price(case, D(2026, 2, 2)).lines[0].allowed == Decimal("75.00")  # rates after


# -- limits --------------------------------------------------------------------------------


def test_limits_episode_and_prescription(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 4), coverage={"visits_used_elsewhere": 1})
    episode, rx = kit.limits(case).limits
    assert (episode.allowed, episode.used, episode.remaining) == (6, 5, 1)
    assert episode.window == "90-day episode of care starting 2026-01-05"
    assert episode.citation == sources.OUTPATIENT_REHAB
    assert (rx.allowed, rx.used, rx.window) == (12, 4, "since the prescription of 2026-01-02")


def test_limits_with_authorization(kit, make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 8), episode={"authorization": auth})
    names = {lim.name: lim for lim in kit.limits(case).limits}
    authorized = names["authorized visits"]
    assert (authorized.allowed, authorized.used) == (6, 2)
    assert authorized.window == "authorization EVI1: 2026-02-16 to 2026-04-16"


def test_no_prescription_limit_without_visit_count(kit, make_case):
    case = make_case(episode={"prescription": None})
    assert [lim.name for lim in kit.limits(case).limits] == [
        "episode visits without eviCore review"]


# -- filing deadline -------------------------------------------------------------------------


def test_filing_deadline_is_365_days(make_case):
    case = make_case()
    [deadline] = plugin.payerkit_filing_deadline(program=PROGRAM, case=case,
                                                 visit=case.visits[-1])
    assert deadline.days == 365 and deadline.late_severity == "error" and deadline.excuse is None
    assert deadline.due == D(2027, 1, 19)
    assert deadline.path == "visits[2].date"
    assert deadline.citation == sources.CLAIM_MANUAL


def test_late_claim_is_an_error(kit, make_case):
    assert "LATE-CLAIM-SUBMISSION" not in _errors(kit, make_case(as_of=D(2027, 1, 19)))
    case = make_case(as_of=D(2027, 1, 20))
    [late] = [f for f in kit.scrub(case).findings if f.code == "LATE-CLAIM-SUBMISSION"]
    assert late.severity == "error"
    assert "Alaska" in late.message and "Washington" in late.message


def test_justification_does_not_excuse_a_late_claim(kit, make_case):
    case = make_case(as_of=D(2027, 3, 1), claim={"late_justification": "records lost"})
    assert "LATE-CLAIM-SUBMISSION" in _errors(kit, case)


# -- scrub ------------------------------------------------------------------------------------


def _errors(kit, case, day=None):
    return [f.code for f in kit.scrub(case, day).errors]


def test_clean_case_has_no_errors(kit, make_case):
    assert _errors(kit, make_case()) == []


@pytest.mark.parametrize(("changes", "code"), [
    ({"provider": {"networks": []}}, "OUT-OF-NETWORK"),
    ({"episode": {"diagnoses": ["Z73.3"]}}, "WELLNESS-ONLY"),
    ({"episode": {"prescription": None}}, "NO-PRESCRIPTION"),
    ({"coverage": {"member_id": "900000001"}}, "MEMBER-ID-PREFIX"),
])
def test_scrub_errors(kit, make_case, changes, code):
    assert code in _errors(kit, make_case(**changes))


def test_scrub_seventh_visit_without_authorization(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    assert _errors(kit, case) == ["AUTHORIZATION-REQUIRED"]
    assert _errors(kit, case, D(2026, 2, 9)) == []  # the 6th visit is fine


def test_scrub_modifier_52(kit, make_case, visit):
    case = make_case(visits=[visit(D(2026, 1, 5), {"code": "97124", "minutes": 30,
                                                   "modifiers": ["52"]})])
    assert _errors(kit, case) == ["MODIFIER-52-TIMED"]


def test_scrub_auto_accident_warns(kit, make_case):
    case = make_case(episode={"kind": "auto_accident", "diagnoses": ["S13.4XXA", "V43.52XA"]})
    warnings = [f.code for f in kit.scrub(case).findings if f.severity == "warning"]
    assert {"PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"} <= set(warnings)
    assert _errors(kit, case) == []


def test_scrub_does_not_repeat_core_checks(make_case):
    case = make_case(provider={"npi": "1234567890"}, coverage={"payer_id": None})
    findings = plugin.payerkit_scrub(program=PROGRAM, case=case, visit=case.visits[-1],
                                     pricing=None)
    assert [f.code for f in findings] == []


def test_every_scrub_finding_is_cited(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7), provider={"networks": []},
                     coverage={"member_id": "1"}, episode={"prescription": None})
    findings = plugin.payerkit_scrub(program=PROGRAM, case=case, visit=case.visits[-1],
                                     pricing=None)
    assert len(findings) == 4 and all(f.citation is not None for f in findings)


# -- claim -------------------------------------------------------------------------------------


def _segments(data: bytes) -> list[list[str]]:
    return parse_segments(data.decode("ascii"))


def test_claim_sbr09_bl_and_referring_prescriber(kit, make_case):
    data = kit.claim(make_case(), "x12-837p", options=OPTIONS)
    segments = _segments(data)
    [sbr] = [s for s in segments if s[0] == "SBR"]
    assert sbr[9] == "BL"
    [dn] = [s for s in segments if s[0] == "NM1" and s[1] == "DN"]
    assert dn[3:5] == ["JONES", "ROBERT"] and dn[-1] == "1245319599"
    assert not [s for s in segments if s[0] == "REF" and s[1] == "G1"]
    assert semantic_errors_837p(data.decode("ascii")) == []


def test_claim_carries_the_authorization(kit, make_case, weekly):
    auth = {"number": "EVI0000123", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 8), episode={"authorization": auth})
    segments = _segments(kit.claim(case, "x12-837p", options=OPTIONS))
    assert ["REF", "G1", "EVI0000123"] in segments


def test_claim_validates_with_pyx12(kit, make_case):
    pytest.importorskip("pyx12")
    from payerkit.testing.x12 import validate_with_pyx12

    text = kit.claim(make_case(), "x12-837p", options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == []


def test_claim_refused_on_the_seventh_visit(kit, make_case, weekly):
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(make_case(visits=weekly(D(2026, 1, 5), 7)), "x12-837p", options=OPTIONS)
    assert [f.code for f in refused.value.findings] == ["AUTHORIZATION-REQUIRED"]

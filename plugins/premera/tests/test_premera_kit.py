"""The Premera plugin through the facade, with the Washington law it depends on (``kit``) and alone
(``premera_only``)."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal
from pathlib import Path

import pytest
from payerkit import PRIOR_AUTHORIZATION_REQUIRED as PA
from payerkit import UNCONFIRMED_SUFFIX, ClaimRefused, load_case, structure_case, unstructure_case
from payerkit.formats import ControlNumbers, WriteOptions
from payerkit.rules.limits import VISITS_BEFORE_REVIEW as REVIEW
from payerkit.testing.x12 import parse_segments, semantic_errors_837p

import payerkit_premera
from payerkit_premera import plugin, review, rules
from payerkit_premera import sources as src
from payerkit_premera.plugin import PROGRAM

D = dt.date
OPTIONS = WriteOptions(control=ControlNumbers(interchange=7, group=7, transaction=1),
                       now=dt.datetime(2026, 3, 2, 9, 30))
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


# -- registration -----------------------------------------------------------------------


def test_program_record(kit):
    program = kit.program("premera-wa")
    assert program == PROGRAM
    assert program.name == "Premera Blue Cross (Washington)"
    assert program.line_of_business == "commercial" and program.states == ("WA",)
    assert program.claim_formats == ("x12-837p", "cms-1500", "cms-1500-red", "superbill", "superbill-html")
    assert program.claim_filing_indicator == "BL"
    assert program.payer_id == "00430"
    assert program.payer_id_citation == src.FIGURES.get("payer_id").citation
    assert src.OUTPATIENT_REHAB in program.sources and src.PROGRAM_FUNDING in program.sources


def test_no_hook_compares_program_ids():
    for module in (plugin, rules, review):
        text = inspect.getsource(module)
        assert "program.id" not in text and "_ours" not in text and "PROGRAM_ID ==" not in text
    assert not hasattr(plugin, "payerkit_adjust_pricing")
    assert not hasattr(plugin, "payerkit_eligibility")


# -- eligibility ------------------------------------------------------------------------


def test_covered_case_gives_cited_reasons(kit, make_case):
    result = kit.check(make_case())
    assert result.status == "covered" and result.requirements == ()
    assert [r.code for r in result.reasons] == [
        "IN-NETWORK", "CONDITION", "PRESCRIPTION-ON-FILE", "PREMERA-NO-REVIEW-NEEDED",
        "WA-EVERY-CATEGORY", "WA-SIX-VISITS"]
    assert all(r.citation is not None for r in result.reasons)


def test_no_prescription_is_action_required(kit, make_case):
    result = kit.check(make_case(episode={"prescription": None}))
    assert result.status == "action_required"
    assert [r.code for r in result.requirements] == ["NO-PRESCRIPTION"]


def test_out_of_network_is_action_required_not_a_refusal(kit, make_case):
    case = make_case(provider={"networks": []})
    result = kit.check(case)
    assert result.status == "action_required"
    [req] = result.requirements
    assert req.code == "OUT-OF-NETWORK" and req.message.endswith(UNCONFIRMED_SUFFIX)
    assert "credential with Premera first" in req.message
    [finding] = [f for f in kit.scrub(case).findings if f.code == "OUT-OF-NETWORK"]
    assert finding.severity == "error"  # medium: held until verified, but not "not covered"
    with pytest.raises(ClaimRefused):
        kit.claim(case, "x12-837p", options=OPTIONS)


def test_wellness_only_is_action_required_with_a_warning(kit, make_case):
    case = make_case(episode={"diagnoses": ["Z73.3", "Z71.89"]})
    result = kit.check(case)
    assert result.status == "action_required"
    [req] = result.requirements
    assert req.code == "WELLNESS-ONLY" and req.citation.confidence == "low"
    assert "SAMPLE list" in req.message and req.message.endswith(UNCONFIRMED_SUFFIX)
    [finding] = [f for f in kit.scrub(case).findings if f.code == "WELLNESS-ONLY"]
    assert finding.severity == "warning"
    assert kit.scrub(case).errors == ()
    assert kit.claim(case, "x12-837p", options=OPTIONS)  # a lead never stops a claim


def test_seventh_visit_needs_authorization(kit, make_case, weekly):
    result = kit.check(make_case(visits=weekly(D(2026, 1, 5), 7)))
    assert result.status == "action_required"
    [requirement] = result.requirements
    assert requirement.code == PA
    assert "eviCore" in requirement.message and "no authorization is on file" in requirement.message
    assert requirement.citation == src.OUTPATIENT_REHAB
    assert not requirement.message.endswith(UNCONFIRMED_SUFFIX)


@pytest.mark.parametrize("funding", ["fully_insured", "self_funded"])
def test_premeras_own_first_six_visits_need_no_review_without_the_law(premera_only, make_case,
                                                                      weekly, funding):
    """Premera's page exempts the first six visits of an episode: its own rule, law or no law."""
    case = make_case(visits=weekly(D(2026, 1, 5), 7), coverage={"funding": funding})
    for number, day in enumerate((v.date for v in case.visits[:6]), start=1):
        result = premera_only.check(case, day)
        assert result.status == "covered" and result.requirements == ()
        [own] = [r for r in result.reasons if r.code == "PREMERA-NO-REVIEW-NEEDED"]
        assert f"visit {number} of the episode of care 2026-01-05" in own.message
        assert own.citation == src.FIGURES.get("visits_without_review").citation
        assert own.citation.confidence == "high" and "premera.com" in own.citation.source
        assert "EVICORE-REVIEW-SELF-FUNDED" not in {r.code for r in result.reasons}
        assert premera_only.scrub(case, day).findings == ()
    seventh = premera_only.check(case)
    if funding == "fully_insured":
        assert seventh.status == "action_required"
        assert [r.code for r in seventh.requirements] == [PA]
        assert "visit 7 of the episode of care" in seventh.requirements[0].message
    else:  # whether the group opted in to the program is the group's to say: a caution
        assert "EVICORE-REVIEW-SELF-FUNDED" in {r.code for r in seventh.reasons}


def test_the_law_is_a_separate_floor_past_premeras_90_days(kit, premera_only, make_case):
    """Visits 23 days apart: the 5th falls after Premera's 90-day period (Premera asks for review)
    but is the 5th of a new episode under RCW 48.43.016 (the law exempts it)."""
    days = [D(2026, 1, 5) + dt.timedelta(days=23 * i) for i in range(5)]
    case = make_case(visits=[{"date": d, "services": [{"code": "97124", "minutes": 45}]}
                             for d in days], as_of=D(2026, 4, 10))
    alone = premera_only.check(case)
    assert alone.status == "action_required" and [r.code for r in alone.requirements] == [PA]
    assert "more than 90 days after its episode of care began on 2026-01-05" in (
        alone.requirements[0].message)
    result = kit.check(case)
    assert result.status == "covered" and result.requirements == ()
    [lawful] = [r for r in result.reasons if r.code == "WA-NO-PRIOR-AUTHORIZATION"]
    assert "visit 5 of a new episode" in lawful.message
    assert kit.scrub(case).errors == ()


def test_sixth_visit_is_covered_seventh_is_not(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    assert kit.check(case, D(2026, 2, 9)).status == "covered"
    assert kit.check(case).status == "action_required"


def test_unknown_funding_applies_the_law_with_a_caution(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 5), coverage={"funding": None})
    result = kit.check(case)
    assert result.status == "covered"
    assert {"WA-SIX-VISITS", "PLAN-FUNDING-UNKNOWN"} <= {r.code for r in result.reasons}
    seventh = make_case(visits=weekly(D(2026, 1, 5), 7), coverage={"funding": None})
    assert [r.code for r in kit.check(seventh).requirements] == [PA]


@pytest.mark.parametrize("with_law", [True, False], ids=["with-law", "premera-only"])
def test_self_funded_plan_gets_a_caution_not_an_error(kit, premera_only, make_case, weekly,
                                                      with_law):
    chosen = kit if with_law else premera_only
    for count in (5, 7):  # the law's exemption does not reach a self-funded plan either way
        case = make_case(visits=weekly(D(2026, 1, 5), count), coverage={"funding": "self_funded"})
        result = chosen.check(case)
        assert result.status == "covered" and result.requirements == ()
        codes = {r.code for r in result.reasons}
        # Premera's own six visits without review hold; after them, whether review applies is
        # the group's choice: a caution
        assert ("EVICORE-REVIEW-SELF-FUNDED" in codes) is (count == 7)
        assert ("PREMERA-NO-REVIEW-NEEDED" in codes) is (count == 5)
        assert not codes & {"WA-NO-PRIOR-AUTHORIZATION", "WA-SIX-VISITS", "PLAN-FUNDING-UNKNOWN"}
        findings = chosen.scrub(case).findings
        assert [f.severity for f in findings if f.code == "EVICORE-REVIEW-SELF-FUNDED"] == (
            ["warning"] if count == 7 else [])
        assert chosen.scrub(case).errors == ()
        assert chosen.claim(case, "x12-837p", options=OPTIONS)
    assert kit.check(case) == premera_only.check(case)


def test_visits_used_elsewhere_give_the_sharing_caution(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 3), coverage={"visits_used_elsewhere": 4})
    result = kit.check(case)
    assert result.status == "covered"  # the law's six are per provider; Premera may disagree
    [shared] = [r for r in result.reasons if r.code == "REVIEW-VISITS-SHARED"]
    assert shared.citation == src.OUTPATIENT_REHAB and "verify with the plan" in shared.message
    [finding] = [f for f in kit.scrub(case).findings if f.code == "REVIEW-VISITS-SHARED"]
    assert finding.severity == "warning" and finding.path == "coverage.visits_used_elsewhere"


def test_authorized_seventh_visit_is_covered(kit, make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 7), episode={"authorization": auth})
    result = kit.check(case)
    assert result.status == "covered" and "AUTHORIZED" in {r.code for r in result.reasons}


def test_authorization_used_up_is_action_required(kit, make_case, weekly):
    auth = {"number": "EVI1", "visits": 1, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 8), episode={"authorization": auth})
    result = kit.check(case)
    assert result.status == "action_required"
    assert [r.code for r in result.requirements] == [PA]
    assert "used up" in result.requirements[0].message


def test_auto_accident_keeps_status_and_adds_reasons(kit, make_case):
    case = make_case(episode={"kind": "auto_accident", "diagnoses": ["S13.4XXA", "V43.52XA"]})
    result = kit.check(case)
    assert result.status == "covered"
    assert {"PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"} <= {r.code for r in result.reasons}


# -- check and scrub answer for the visit asked -------------------------------------------


@pytest.mark.parametrize("day", [D(2026, 1, 6) + dt.timedelta(weeks=i) for i in range(7)],
                         ids=str)
def test_check_and_scrub_agree_on_every_visit_of_the_seventh_visit_example(kit, day):
    case = load_case(EXAMPLES / "premera-seventh-visit.toml")
    result = kit.check(case, day)
    errors = [f.code for f in kit.scrub(case, day).errors]
    assert [r.code for r in result.requirements] == errors
    if day == D(2026, 2, 17):
        assert (result.status, errors) == ("action_required", [PA])
    else:
        assert (result.status, errors) == ("covered", [])
        [note] = [r for r in result.reasons if r.code == "PREMERA-NO-REVIEW-NEEDED"]
        assert f"visit {(day - D(2026, 1, 6)).days // 7 + 1} of" in note.message


def test_first_visit_of_the_example_is_covered_and_clean(kit):
    case = load_case(EXAMPLES / "premera-seventh-visit.toml")
    assert kit.check(case, D(2026, 1, 6)).status == "covered"
    assert kit.scrub(case, D(2026, 1, 6)).errors == ()
    assert [(lim.name, lim.used) for lim in kit.limits(case, D(2026, 1, 6)).limits] == [
        (REVIEW, 1), ("prescribed visits", 1)]


# -- units and fees ----------------------------------------------------------------------


def test_midpoint_units_per_code(kit, make_case, visit):
    services = ({"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8})
    pricing = kit.price(make_case(visits=[visit(D(2026, 1, 5), *services)]))
    assert [line.units for line in pricing.lines] == [1, 1]  # the CMS total-time rule gives 1
    [rule] = [r for r in pricing.reasons if r.code == "UNITS-RULE"]
    assert rule.citation == src.BILLING_FOR_TIME
    [caveat] = [r for r in pricing.reasons if r.code == "UNITS-PER-CODE"]
    assert "not confirmed" in caveat.message


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (22, 1), (23, 2), (38, 3)])
def test_midpoint_boundaries(kit, make_case, visit, minutes, units):
    case = make_case(visits=[visit(D(2026, 1, 5), {"code": "97124", "minutes": minutes})])
    assert kit.price(case).lines[0].units == units


def test_no_fees_gives_an_empty_schedule_asking_for_contracted_rates(kit, make_case):
    pricing = kit.price(make_case())
    assert pricing.total_allowed is None
    [reason] = [r for r in pricing.reasons if r.code == "PREMERA-FEES-NOT-PUBLIC"]
    assert "Availity" in reason.message and "[fees]" in reason.message
    assert reason.citation == src.FEES_NOT_PUBLIC
    assert "NO-FEE-SCHEDULE" not in [r.code for r in pricing.reasons]
    schedule = plugin.payerkit_fee_schedule(case=make_case())
    assert schedule.entries == () and schedule.citation == src.FEES_NOT_PUBLIC


def test_practice_rates_price_the_visit(kit, make_case):
    fees = {"source": "Practice's Premera contract 2026 (SAMPLE)", "rates": {"97124": "25.00"}}
    pricing = kit.price(make_case(fees=fees))
    [line] = pricing.lines
    assert line.units == 3 and line.allowed == Decimal("75.00")
    assert "Practice's Premera contract 2026 (SAMPLE)" in line.fee_source
    assert "[practice]" in line.fee_source
    codes = [r.code for r in pricing.reasons]
    assert "PREMERA-FEES-PRACTICE" in codes and "PREMERA-FEES-NOT-PUBLIC" not in codes


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


def test_limits_prescription(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 4), coverage={"visits_used_elsewhere": 1})
    rx = {lim.name: lim for lim in kit.limits(case).limits}["prescribed visits"]
    assert (rx.allowed, rx.used, rx.window) == (12, 4, "since the prescription of 2026-01-02")


def test_limits_count_as_of_the_visit_asked(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 4))
    found = {lim.name: lim for lim in kit.limits(case, D(2026, 1, 12)).limits}
    assert found["prescribed visits"].used == 2 and found[REVIEW].used == 2


@pytest.mark.parametrize("with_law", [True, False], ids=["with-law", "premera-only"])
@pytest.mark.parametrize("funding", ["fully_insured", "self_funded", None])
def test_limits_show_the_review_window_once(kit, premera_only, make_case, weekly, with_law,
                                            funding):
    """"visits before review: 6, used 3, left 3, in this episode" - one row, Premera's own,
    whether the law (which states the same six on fully insured plans) is installed or not."""
    chosen = kit if with_law else premera_only
    case = make_case(visits=weekly(D(2026, 1, 5), 3), coverage={"funding": funding})
    rows = [lim for lim in chosen.limits(case).limits if lim.name == REVIEW]
    assert [(r.allowed, r.used, r.remaining) for r in rows] == [(6, 3, 3)]
    assert rows[0].citation == src.FIGURES.get("visits_without_review").citation
    assert "episode of care 2026-01-05 to 2026-04-04" in rows[0].window


def test_limits_show_the_laws_window_past_premeras_90_days(kit, premera_only, make_case):
    days = [D(2026, 1, 5) + dt.timedelta(days=23 * i) for i in range(5)]
    case = make_case(visits=[{"date": d, "services": [{"code": "97124", "minutes": 45}]}
                             for d in days], as_of=D(2026, 4, 10))
    assert [lim.name for lim in premera_only.limits(case).limits] == ["prescribed visits"]
    [row] = [lim for lim in kit.limits(case).limits if lim.name == REVIEW]
    assert (row.allowed, row.used, row.remaining) == (6, 5, 1)
    assert "RCW 48.43.016" in row.citation.source
    assert "new episode of care, since 2026-01-05" in row.window


def test_limits_with_authorization(kit, make_case, weekly):
    auth = {"number": "EVI1", "visits": 6, "start": D(2026, 2, 16), "end": D(2026, 4, 16)}
    case = make_case(visits=weekly(D(2026, 1, 5), 8), episode={"authorization": auth})
    names = {lim.name: lim for lim in kit.limits(case).limits}
    authorized = names["authorization 1"]  # Premera's row: payerkit adds none of its own
    assert [lim.name for lim in kit.limits(case).limits].count("authorization 1") == 1
    assert (authorized.allowed, authorized.used) == (6, 2)
    assert authorized.window == ("2026-02-16 to 2026-04-16; expires 2026-04-16 (52 day(s) left "
                                 "on 2026-02-23)")
    assert authorized.citation == src.OUTPATIENT_REHAB


def test_no_prescription_limit_without_visit_count(kit, make_case):
    case = make_case(episode={"prescription": None})
    assert [lim.name for lim in kit.limits(case).limits] == [REVIEW]


# -- filing deadline -------------------------------------------------------------------------


def test_filing_deadline_is_365_days(make_case):
    case = make_case()
    [deadline] = plugin.payerkit_filing_deadline(case=case, visit=case.visits[-1])
    assert deadline.days == 365 and deadline.late_severity == "error" and deadline.excuse is None
    assert deadline.due == D(2027, 1, 19)
    assert deadline.path == "visits[2].date"
    assert deadline.citation == src.FIGURES.get("filing_days").citation


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
    ({"episode": {"prescription": None}}, "NO-PRESCRIPTION"),
    ({"coverage": {"member_id": "900000001"}}, "MEMBER-ID-PREFIX"),
])
def test_scrub_errors(kit, make_case, changes, code):
    assert _errors(kit, make_case(**changes)) == [code]


def test_scrub_seventh_visit_without_authorization(kit, make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7))
    assert _errors(kit, case) == [PA]
    assert _errors(kit, case, D(2026, 2, 9)) == []  # the 6th visit is fine (the law)


def test_scrub_modifier_52(kit, make_case, visit):
    case = make_case(visits=[visit(D(2026, 1, 5), {"code": "97124", "minutes": 30,
                                                   "modifiers": ["52"]})])
    assert _errors(kit, case) == ["MODIFIER-52-TIMED"]


def test_scrub_auto_accident_warns(kit, make_case):
    case = make_case(episode={"kind": "auto_accident", "diagnoses": ["S13.4XXA", "V43.52XA"]})
    warnings = [f.code for f in kit.scrub(case).findings if f.severity == "warning"]
    assert {"PIP-PRIMARY", "EVICORE-EXCLUDES-AUTO-WC"} <= set(warnings)
    assert _errors(kit, case) == []


def test_scrub_hook_gives_only_claim_shape_findings(make_case, weekly):
    case = make_case(visits=weekly(D(2026, 1, 5), 7), provider={"networks": [],
                                                                "npi": "1234567890"},
                     coverage={"member_id": "1"}, episode={"prescription": None})
    findings = plugin.payerkit_scrub(case=case, visit=case.visits[-1])
    assert [f.code for f in findings] == ["MEMBER-ID-PREFIX"]


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


def test_claim_without_payer_id_carries_00430(kit, make_case):
    case = make_case()
    assert case.coverage.payer_id is None
    assert "NO-PAYER-ID" not in _errors(kit, case)
    [pr] = [s for s in _segments(kit.claim(case, "x12-837p", options=OPTIONS))
            if s[0] == "NM1" and s[1] == "PR"]
    assert pr[-2:] == ["PI", "00430"]


def test_case_payer_id_overrides_the_default(kit, make_case):
    case = make_case(coverage={"payer_id": "CLEAR01"})
    [pr] = [s for s in _segments(kit.claim(case, "x12-837p", options=OPTIONS))
            if s[0] == "NM1" and s[1] == "PR"]
    assert pr[-2:] == ["PI", "CLEAR01"]


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
    assert [f.code for f in refused.value.findings] == [PA]


def test_package_exports_the_program():
    assert payerkit_premera.PROGRAM is PROGRAM and payerkit_premera.PROGRAM_ID == "premera-wa"

"""Regence's commercial coverage: programs, payer ids, prescription, MA, network, rehab benefit, filing."""

from __future__ import annotations

import datetime as dt

import pytest
from payerkit import UNCONFIRMED_SUFFIX, CaseError, ClaimRefused
from payerkit.testing.x12 import parse_segments
from regence_cases import D, make_case, options, weekly

from payerkit_regence import sources as src
from payerkit_regence.facts import RegenceFacts, UmpFacts
from payerkit_regence.regence import RegencePlan
from payerkit_regence.ump import Ump

PAYER_IDS = {"regence-wa": "00932", "regence-or": "00851", "regence-id": "00611",
             "regence-ut": "00910", "ump": "00932"}


def outcome(kit, case, code):
    [found] = [o for o in kit.outcomes(case) if o.code == code]
    return found


# -- the programs ---------------------------------------------------------------------------

@pytest.mark.parametrize("program_id", sorted(PAYER_IDS))
def test_program_records(kit, program_id):
    program = kit.program(program_id)
    assert program.line_of_business == "commercial"
    assert program.claim_formats == ("x12-837p", "superbill", "superbill-html")
    assert program.claim_filing_indicator == "BL"
    assert program.payer_id == PAYER_IDS[program_id]
    assert program.payer_id_citation.confidence == "medium"
    assert "Office Ally" in program.payer_id_citation.source
    assert program.facts is (UmpFacts if program_id == "ump" else RegenceFacts)
    assert type(program.adapter) is (Ump if program_id == "ump" else RegencePlan)
    assert program.states == ({"regence-or": ("OR",), "regence-id": ("ID",),
                               "regence-ut": ("UT",)}.get(program_id, ("WA",)))


def test_the_guideline_is_high_in_washington_medium_elsewhere(kit):
    assert kit.program("regence-wa").adapter.guide.confidence == "high"
    for pid in ("regence-or", "regence-id", "regence-ut", "ump"):
        assert kit.program(pid).adapter.guide.confidence == "medium", pid


@pytest.mark.parametrize("program_id", sorted(PAYER_IDS))
def test_the_default_payer_id_goes_in_the_claim_and_the_case_overrides_it(kit, program_id):
    case = make_case(program_id, as_of=D(2026, 3, 20))
    assert kit.build_claim(case).payer_id == PAYER_IDS[program_id]
    note = outcome(kit, case, "REGENCE-PAYER-ID")
    assert PAYER_IDS[program_id] in note.message and "coverage.payer_id" in note.message
    other = make_case(program_id, coverage={"payer_id": "54321"})
    assert kit.build_claim(other).payer_id == "54321"
    text = kit.claim(other, options=options(D(2026, 3, 20))).decode("ascii")
    [payer] = [s for s in parse_segments(text) if s[:3] == ["NM1", "PR", "2"]]
    assert payer[-1] == "54321"
    assert "54321 (coverage.payer_id)" in outcome(kit, other, "REGENCE-PAYER-ID").message


def test_rga_groups_are_told_to_use_rga01(kit):
    case = make_case(facts={"administrator": "rga"})
    rga = outcome(kit, case, "REGENCE-RGA-PAYER-ID")
    assert rga.effect == "caution" and "RGA01" in rga.message
    assert rga.path == "coverage.payer_id"
    assert kit.build_claim(case).payer_id == "00932"  # the program's default until the case says
    done = make_case(facts={"administrator": "rga"}, coverage={"payer_id": "RGA01"})
    assert outcome(kit, done, "REGENCE-RGA-PAYER-ID").effect == "note"
    assert kit.build_claim(done).payer_id == "RGA01"
    assert "REGENCE-RGA-PAYER-ID" not in {o.code for o in kit.outcomes(make_case())}


# -- BlueCard: a member of one Regence plan treated in another plan's state ------------------

WASHINGTON = {"line1": "500 W Main Ave", "city": "Spokane", "state": "WA", "zip": "992010001"}


def test_an_oregon_member_treated_in_washington_is_billed_to_the_local_blue_plan(kit):
    """BlueCard: a provider files with its local Blue plan, not the member's home plan's id."""
    case = make_case("regence-or", provider={"address": WASHINGTON})
    result = kit.check(case)
    assert result.status == "action_required"
    [local] = [r for r in result.requirements if r.code == "REGENCE-BLUECARD-LOCAL-PLAN"]
    assert "00851" in local.message and "WA" in local.message
    assert "coverage.payer_id" in local.message and local.message.endswith(UNCONFIRMED_SUFFIX)
    assert local.citation == src.BLUECARD and "bluecard" in local.citation.source.lower()
    [error] = [f for f in kit.scrub(case).errors if f.code == "REGENCE-BLUECARD-LOCAL-PLAN"]
    assert error.path == "coverage.payer_id"
    with pytest.raises(ClaimRefused):  # never silently to the home plan's 00851
        kit.claim(case, options=options(D(2026, 3, 20)))


def test_the_local_plans_payer_id_routes_the_claim(kit):
    case = make_case("regence-or", provider={"address": WASHINGTON},
                     coverage={"payer_id": "00932"})
    assert kit.check(case).status == "covered"
    routed = outcome(kit, case, "REGENCE-BLUECARD-LOCAL-PLAN")
    assert routed.effect == "note" and "00932" in routed.message
    text = kit.claim(case, options=options(D(2026, 3, 20))).decode("ascii")
    [payer] = [s for s in parse_segments(text) if s[:3] == ["NM1", "PR", "2"]]
    assert payer[-1] == "00932"


def test_the_home_plans_id_given_on_purpose_is_a_caution(kit):
    """A provider contracted with the member's plan in a bordering county may file with it."""
    case = make_case("regence-or", provider={"address": WASHINGTON},
                     coverage={"payer_id": "00851"})
    home = outcome(kit, case, "REGENCE-BLUECARD-LOCAL-PLAN")
    assert home.effect == "caution" and "bordering" in home.message
    assert kit.check(case).status == "covered"


@pytest.mark.parametrize("program_id", ["regence-wa", "regence-or", "regence-id", "regence-ut"])
def test_a_provider_in_the_plans_own_state_is_not_bluecard(kit, program_id):
    assert "REGENCE-BLUECARD-LOCAL-PLAN" not in {o.code for o in kit.outcomes(make_case(program_id))}


# -- coverage ---------------------------------------------------------------------------------

def test_a_covered_visit_names_the_functional_loss_rule(kit):
    result = kit.check(make_case())
    assert result.status == "covered"
    assert "REGENCE-FUNCTIONAL-LOSS" in {r.code for r in result.reasons}
    assert "REGENCE-PRESCRIPTION-ON-FILE" in {r.code for r in result.reasons}


def test_no_prescription_is_action_required(kit):
    case = make_case(episode={"prescription": None})
    result = kit.check(case)
    assert result.status == "action_required"
    [req] = result.requirements
    assert req.code == "REGENCE-NO-PRESCRIPTION" and "need not accompany the claim" in req.message
    assert not req.message.endswith(UNCONFIRMED_SUFFIX)
    assert "REGENCE-NO-PRESCRIPTION" in {f.code for f in kit.scrub(case).errors}


def test_no_prescription_outside_washington_asks_to_verify(kit):
    case = make_case("regence-ut", episode={"prescription": None})
    [req] = kit.check(case).requirements
    assert req.message.endswith(UNCONFIRMED_SUFFIX)  # the WA guideline standing in: medium


def test_a_prescription_dated_after_the_visit_is_action_required(kit):
    rx = {"prescriber": {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"},
          "date": D(2026, 3, 12)}
    case = make_case(episode={"prescription": rx})
    assert kit.check(case, visit=D(2026, 3, 9)).status == "action_required"
    assert kit.check(case, visit=D(2026, 3, 16)).status == "covered"


@pytest.mark.parametrize("program_id", ["regence-wa", "regence-or", "regence-id", "regence-ut"])
def test_medicare_advantage_is_not_covered(kit, program_id):
    case = make_case(program_id, coverage={"funding": "medicare_advantage"})
    result = kit.check(case)
    assert result.status == "not_covered"
    assert [o.code for o in kit.outcomes(case)] == ["REGENCE-MA-NOT-COVERED"]
    assert [f.code for f in kit.scrub(case).errors] == ["REGENCE-MA-NOT-COVERED"]
    with pytest.raises(ClaimRefused):
        kit.claim(case, options=options(D(2026, 3, 20)))


def test_the_old_medicare_advantage_fact_names_its_replacement(kit):
    """facts.<plan>.medicare_advantage moved to coverage.funding, which keeps state law off."""
    case = make_case(facts={"medicare_advantage": True})
    with pytest.raises(CaseError) as err:
        kit.check(case)
    [problem] = err.value.problems
    assert problem.startswith("facts.regence-wa.medicare_advantage:")
    assert 'coverage.funding = "medicare_advantage"' in problem
    both = make_case(facts={"medicare_advantage": True},
                     coverage={"funding": "medicare_advantage"})
    assert kit.check(both).status == "not_covered"


def test_contracted_providers_send_electronically(kit):
    assert outcome(kit, make_case(), "REGENCE-ELECTRONIC-ONLY").effect == "note"
    case = make_case(provider={"networks": []})
    caution = outcome(kit, case, "REGENCE-NOT-CONTRACTED")
    assert caution.effect == "caution" and "out-of-network" in caution.message
    assert kit.check(case).status == "covered"
    assert "REGENCE-NOT-CONTRACTED" in {f.code for f in kit.scrub(case).findings}


# -- the outpatient rehabilitation benefit ----------------------------------------------------

def test_without_the_plans_limit_allowed_is_unknown_with_a_reason(kit):
    case = make_case()
    [rehab] = [lim for lim in kit.limits(case).limits if lim.name == "outpatient rehabilitation visits"]
    assert rehab.allowed is None and rehab.used == 3
    assert "rehab_visits_per_year" in rehab.window
    assert outcome(kit, case, "REGENCE-REHAB-LIMIT-UNKNOWN").effect == "note"


@pytest.mark.parametrize(("visits", "over"), [(3, False), (4, True)])
def test_the_rehab_limit_counts_the_calendar_year(kit, visits, over):
    case = make_case(visits=weekly(D(2026, 3, 2), visits), facts={"rehab_visits_per_year": 3},
                     as_of=D(2026, 4, 1))
    [rehab] = [lim for lim in kit.limits(case).limits if lim.name == "outpatient rehabilitation visits"]
    assert (rehab.allowed, rehab.used) == (3, visits)
    assert rehab.citation.confidence == "practice"
    codes = {o.code for o in kit.outcomes(case)}
    assert ("REGENCE-REHAB-LIMIT-REACHED" in codes) is over
    assert kit.check(case).status == "covered"  # a caution: the plan's own limit, not a stop


def test_visits_elsewhere_and_last_year_are_counted_right(kit):
    visits = [{"date": D(2025, 12, 29), "services": [{"code": "97124", "minutes": 45}]},
              *weekly(D(2026, 3, 2), 2)]
    case = make_case(visits=visits, coverage={"visits_used_elsewhere": 2},
                     facts={"rehab_visits_per_year": 4})
    [rehab] = [lim for lim in kit.limits(case).limits if lim.name == "outpatient rehabilitation visits"]
    assert rehab.used == 4  # two of 2026 in this file and two elsewhere; 2025 not counted


# -- filing limit and facts -------------------------------------------------------------------

def test_an_unknown_filing_limit_is_a_caution_and_no_deadline(kit):
    case = make_case(as_of=D(2028, 3, 20))
    caution = outcome(kit, case, "REGENCE-FILING-LIMIT-UNKNOWN")
    assert caution.effect == "caution" and caution.citation.confidence == "sample"
    assert not [f for f in kit.scrub(case).findings if f.code.startswith("LATE-")]


@pytest.mark.parametrize(("days_after", "late"), [(90, False), (91, True)])
def test_a_configured_filing_limit_is_judged(kit, days_after, late):
    last = D(2026, 3, 16)
    case = make_case(facts={"filing_limit_days": 90}, as_of=last + dt.timedelta(days=days_after))
    assert "REGENCE-FILING-LIMIT-UNKNOWN" not in {o.code for o in kit.outcomes(case)}
    errors = {f.code: f for f in kit.scrub(case).errors}
    assert ("LATE-CLAIM-SUBMISSION" in errors) is late
    if late:
        assert errors["LATE-CLAIM-SUBMISSION"].citation.confidence == "practice"
        assert errors["LATE-CLAIM-SUBMISSION"].path == "visits[2].date"


@pytest.mark.parametrize(("fact", "value"), [("rehab_visits_per_year", -1),
                                             ("units_per_date_cap", 0),
                                             ("filing_limit_days", 0)])
def test_impossible_numbers_are_case_errors_naming_the_fact(kit, fact, value):
    case = make_case(facts={fact: value})
    with pytest.raises(CaseError) as err:
        kit.check(case)
    assert err.value.problems[0].startswith(f"facts.regence-wa.{fact}: expected an integer")


def test_an_unknown_fact_is_an_error(kit):
    with pytest.raises(CaseError):
        kit.check(make_case(facts={"medicare_advantages": True}))


def test_the_figures_are_cited_and_dated():
    assert src.FIGURES.get("notification_days").integer == 7
    assert src.FIGURES.get("claim_after_approval_days").integer == 4
    assert src.FIGURES.get("units_per_date").integer == 4
    assert src.FIGURES.get("units_per_date").citation.confidence == "medium"
    assert src.FIGURES.get("payer_id.rga").value == "RGA01"


def test_treatment_started_after_the_first_visit_is_a_case_error(kit):
    """facts.<plan>.treatment_start is for visits not in the file: it cannot be later than the
    case's first visit (2026-03-02)."""
    case = make_case(facts={"treatment_start": D(2026, 3, 3)})
    for ask in (kit.check, kit.scrub, kit.limits):
        with pytest.raises(CaseError) as bad:
            ask(case)
        assert bad.value.problems == ["facts.regence-wa.treatment_start: expected a date on or "
                                      "before the case's first visit (visits[0].date)"]
    assert kit.check(make_case(facts={"treatment_start": D(2026, 3, 2)})).status == "covered"
    assert kit.check(make_case(facts={"treatment_start": D(2026, 2, 20)}))


@pytest.mark.parametrize("program_id", ["regence-wa", "regence-or", "regence-id", "regence-ut",
                                        "ump"])
def test_a_paper_claim_is_refused_citing_regences_electronic_claims_rule(kit, program_id):
    """FORMAT-NOT-ACCEPTED names the payer's rule and when paper is allowed, not the program."""
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(make_case(program_id), "cms-1500", options=options(D(2026, 3, 20)))
    [finding] = refused.value.findings
    assert finding.code == "FORMAT-NOT-ACCEPTED"
    assert finding.citation == kit.program(program_id).claim_formats_citation
    assert "electronically" in finding.citation.source
    assert "paper claims are accepted only from members" in finding.citation.source
    assert finding.citation.confidence == ("medium" if program_id == "ump" else "high")

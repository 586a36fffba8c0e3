"""Regence's commercial plans (WA, OR, ID, UT): coverage outcomes, claim checks and limits.

One set of rules serves the four plans: Regence's provider pages on regence.com (eviCore
notification, Medicare Advantage, electronic claims, contracting) speak for all of them; the
LMP billing guideline was seen only on the Washington site, so for Oregon, Idaho and Utah it is
cited ``medium`` (Regence's Washington page standing in). Each plan is a program whose adapter
is a :class:`RegencePlan` holding that plan's guideline citation (:func:`program`). The
notification rule is in :mod:`.notification`; rules shared with UMP in :mod:`.common`.
"""

from __future__ import annotations

import datetime as dt

from payerkit import (
    Case,
    Citation,
    Finding,
    Limit,
    Outcome,
    Pricing,
    Program,
    Visit,
    caution,
    facts_path,
    hookimpl,
    not_covered,
    note,
    requirement,
    visit_path,
)
from payerkit.formats import SUPERBILL, SUPERBILL_HTML, X12_837P
from payerkit.rules import plans
from payerkit.rules.limits import count_in_benefit_year

from . import common, notification
from . import sources as src
from .codes import MODALITIES_PROCEDURES, in_ranges
from .facts import MEDICARE_ADVANTAGE, RegenceFacts, regence_problems


class RegencePlan(common.Plan):
    """The adapter of one Regence commercial plan: Regence's rules, cited by the plan's
    billing-guideline citation; its facts are :class:`RegenceFacts`."""

    def problems(self, at: str, case: Case, facts: RegenceFacts) -> list[str]:
        return regence_problems(at, case, facts)

    @hookimpl
    def payerkit_outcomes(self, program, case, visit, as_of, facts):
        return outcomes(program, case, visit, as_of, self.checked(program, case, facts),
                        self.guide)

    @hookimpl
    def payerkit_scrub(self, program, case, visit, as_of, facts, pricing):
        found = super().payerkit_scrub(program, case, visit, facts)
        if case.coverage.funding != MEDICARE_ADVANTAGE:
            found += units_findings(program, case, visit, facts, pricing)
            found += notification.claim_timing(case, as_of, facts)
        return found

    @hookimpl
    def payerkit_visit_limits(self, program, case, visit, facts):
        return limits(program, case, visit, self.checked(program, case, facts), self.guide)


def program(program_id: str, name: str, state: str) -> Program:
    """The program of the Regence plan of ``state``, carrying its adapter."""
    payer = src.FIGURES.get(f"payer_id.{program_id}")
    guide = src.lmp_guide(state)
    return Program(
        id=program_id, name=name, line_of_business="commercial", states=(state,),
        claim_formats=(X12_837P, SUPERBILL, SUPERBILL_HTML), filing_indicator="BL",
        payer_id=payer.value, claim_formats_citation=src.ELECTRONIC,
        payer_id_citation=payer.citation, facts=RegenceFacts, adapter=RegencePlan(guide),
        sources=(guide, src.NOTIFICATION, src.FIGURES.get("claim_after_approval_days").citation,
                 src.MEDICARE_ADVANTAGE, src.ELECTRONIC, src.CONTRACTING, src.PROGRAM_MEMBERS,
                 src.RGA, src.FIGURES.get("units_per_date").citation, src.FEES_NOT_PUBLIC,
                 src.UNITS_DEFAULT, src.FILING_UNKNOWN, src.FILING_INDICATOR, payer.citation,
                 src.FIGURES.get("payer_id.rga").citation))


def outcomes(program: Program, case: Case, visit: Visit, as_of: dt.date, facts: RegenceFacts,
             guide: Citation) -> list[Outcome]:
    if case.coverage.funding == MEDICARE_ADVANTAGE:
        return [not_covered("REGENCE-MA-NOT-COVERED", "the member's plan is a Regence Medicare "
                            "Advantage plan: massage therapists are not Medicare-eligible "
                            "providers, and Regence does not cover their services under Medicare "
                            "Advantage", src.MEDICARE_ADVANTAGE, "coverage.funding")]
    found = [_network(case), note(
        "REGENCE-FUNCTIONAL-LOSS", "Regence pays for massage when a physician has diagnosed a "
        "medical condition that has resulted in functional loss and prescribed rehabilitation "
        "therapy: the record must document the functional loss (payerkit cannot tell it from the "
        "diagnosis codes)", guide, "episode.diagnoses")]
    found.append(common.prescription(
        case, visit, guide, "REGENCE", "Regence requires a physician's prescription of "
        "rehabilitation therapy for the diagnosed condition, on file in your office"))
    found += notification.outcomes(program, case, as_of, facts)
    found += plan_outcomes(case, visit)
    found.append(_rehab_outcome(program, case, visit, facts, guide))
    found.append(common.payer_id(program, case))
    bluecard = _bluecard(program, case)
    if bluecard is not None:
        found.append(bluecard)
    if facts.administrator == "rga":
        found.append(_rga_payer(case))
    filing = common.filing_outcome(program, facts.filing_limit_days)
    if filing is not None:
        found.append(filing)
    return found


def _network(case: Case) -> Outcome:
    if src.NETWORK_ID in {n.strip().lower() for n in case.provider.networks}:
        return note("REGENCE-ELECTRONIC-ONLY", "the provider is contracted with Regence "
                    f"('{src.NETWORK_ID}' in provider.networks): Regence requires its providers' "
                    "claims electronically, so payerkit writes the 837P; a paper CMS-1500 is "
                    "accepted only from members and from providers outside Regence's service "
                    "area", src.ELECTRONIC, "provider.networks")
    return caution("REGENCE-NOT-CONTRACTED", "the provider is not recorded as contracted with "
                   f"Regence (no '{src.NETWORK_ID}' in provider.networks): Regence processes "
                   "claims from a provider before its participation date as out-of-network; if "
                   f"you are contracted, add '{src.NETWORK_ID}' to provider.networks",
                   src.CONTRACTING, "provider.networks")


def _bluecard(program: Program, case: Case) -> Outcome | None:
    """A provider outside the plan's state files with its local Blue plan (BlueCard).

    Not routed by payerkit: which local plan is the provider's depends on its Blue contracts
    (two Blue plans serve Washington), the rule is cited ``medium``, and bordering counties
    have exceptions. So the claim waits for ``coverage.payer_id``: a requirement without it, a
    caution when it is the member's own plan's id, a note when it is another's.
    """
    where = case.provider.address.state
    if where in program.states:
        return None
    home, given = program.payer_id, (case.coverage.payer_id or "").strip().upper()
    what = (f"the member's plan is {program.name} (payer id {home}) and the provider is in "
            f"{where}, outside its service area: under the BlueCard program a provider files "
            "the claim with its local Blue plan (the Blue plan where the service was given that "
            "it is contracted with), which routes it to the member's plan")
    at = "coverage.payer_id"
    if not given:
        return requirement("REGENCE-BLUECARD-LOCAL-PLAN", f"{what}. Set {at} to your local "
                           f"Blue plan's payer id: payerkit does not choose it (it depends on "
                           f"your Blue contracts in {where}) and will not send the claim to "
                           f"{home}", src.BLUECARD, at)
    if given == home:
        return caution("REGENCE-BLUECARD-LOCAL-PLAN", f"{what}; {at} is the member's own plan's "
                       f"id {home}, right only when you are contracted with that plan in a "
                       "bordering county: otherwise set it to your local Blue plan's id",
                       src.BLUECARD, at)
    return note("REGENCE-BLUECARD-LOCAL-PLAN", f"{what}: the claim goes to payer id {given} "
                f"({at}), your local Blue plan", src.BLUECARD, at)


def _rga_payer(case: Case) -> Outcome:
    rga = src.FIGURES.get("payer_id.rga")
    given = case.coverage.payer_id
    if given and given.strip().upper() == rga.value:
        return note("REGENCE-RGA-PAYER-ID", f"the member's group is administered by Regence Group "
                    f"Administrators: the claim goes to RGA's payer id {rga.value}", rga.citation,
                    "coverage.payer_id")
    now = f"coverage.payer_id is {given}" if given else "no coverage.payer_id is given, so " \
        "the claim would carry Regence's own id"
    return caution("REGENCE-RGA-PAYER-ID", f"the member's group is administered by Regence Group "
                   "Administrators (RGA), and RGA claims sent to Regence are returned: set "
                   f"coverage.payer_id to RGA's id, {rga.value} in Office Ally's payer list "
                   f"(confirm it with your clearinghouse); {now}", rga.citation,
                   "coverage.payer_id")


# -- the outpatient rehabilitation benefit ----------------------------------------------------

def rehab_used(case: Case, visit: Visit) -> int:
    """Visits this calendar year up to ``visit``, plus those the case says happened elsewhere."""
    return count_in_benefit_year(case.visits, visit.date) + case.coverage.visits_used_elsewhere


def _rehab_citation(program: Program, allowed: int) -> Citation:
    return Citation(f"the member's outpatient rehabilitation benefit: {allowed} visits a year, as "
                    f"the case sets in [facts.{program.id}] rehab_visits_per_year; "
                    "Regence's LMP billing guideline: massage counts against this benefit",
                    confidence="practice")


def _rehab_outcome(program: Program, case: Case, visit: Visit, facts: RegenceFacts,
                   guide: Citation) -> Outcome:
    allowed, used = facts.rehab_visits_per_year, rehab_used(case, visit)
    path = facts_path(program, "rehab_visits_per_year")
    if allowed is None:
        return note("REGENCE-REHAB-LIMIT-UNKNOWN", f"massage counts against the member's "
                    f"outpatient rehabilitation benefit (this is visit {used} of "
                    f"{visit.date.year}); the plan's limit is not given: read it from the "
                    f"member's benefits (the eligibility response) and set {path}", guide, path)
    cited = _rehab_citation(program, allowed)
    if used > allowed:
        return caution("REGENCE-REHAB-LIMIT-REACHED", f"visit {used} of {visit.date.year} is over "
                       f"the member's {allowed} outpatient rehabilitation visits a year: expect "
                       "Regence to deny it (other therapies under the benefit count too: add "
                       "them in coverage.visits_used_elsewhere)", cited, path)
    return note("REGENCE-REHAB-VISITS", f"visit {used} of the member's {allowed} outpatient "
                f"rehabilitation visits in {visit.date.year}", cited, path)


# -- four units of modalities/procedures per date of service ----------------------------------

def units_cap(program: Program, facts: RegenceFacts) -> tuple[int, Citation]:
    figure = src.FIGURES.get("units_per_date")
    if facts.units_per_date_cap is None:
        return figure.integer, figure.citation
    return facts.units_per_date_cap, Citation(
        f"the practice's setting [facts.{program.id}] units_per_date_cap = "
        f"{facts.units_per_date_cap}, in place of Regence's 'four units of modalities/procedures "
        "per date of service' (Washington LMP billing guideline, scope not confirmed)",
        confidence="practice")


def capped_units(pairs) -> list[tuple[str, int]]:
    """The (code, units) pairs of a date the four-unit sentence is read to count."""
    return [(code, units) for code, units in pairs if units and in_ranges(code, MODALITIES_PROCEDURES)]


def units_findings(program: Program, case: Case, visit: Visit, facts: RegenceFacts,
                   pricing: Pricing) -> list[Finding]:
    cap, cited = units_cap(program, facts)
    counted = capped_units((line.code, line.units) for line in pricing.lines)
    total = sum(units for _, units in counted)
    if total <= cap:
        return []
    listing = ", ".join(f"{code} x {units}" for code, units in counted)
    severity = "error" if facts.enforce_units_cap else "warning"
    how = ("the case sets enforce_units_cap, so the claim stops" if facts.enforce_units_cap else
           "it is a warning, not a stop, because the rest of Regence's sentence (whether it is a "
           "cap or a review threshold, which codes it covers, and whether it holds outside "
           "Washington) is NOT CONFIRMED")
    return [Finding(severity, "REGENCE-UNITS-PER-DATE", f"{visit.date.isoformat()}: {total} units "
                    f"of modalities/procedures ({listing}), above {cap} per date of service: "
                    "Regence's Washington LMP billing guideline reads 'a total of four units of "
                    f"modalities/procedures per date of service'; {how}. Expect the units over "
                    f"{cap} to be denied, or verify with Regence; [facts.{program.id}] "
                    "units_per_date_cap and enforce_units_cap change this",
                    visit_path(case, visit, "services"), cited)]


def limits(program: Program, case: Case, visit: Visit, facts: RegenceFacts,
           guide: Citation) -> list[Limit]:
    used, allowed = rehab_used(case, visit), facts.rehab_visits_per_year
    year = f"calendar year {visit.date.year} (payerkit assumes the benefit year is the calendar year)"
    if allowed is None:
        found = [Limit("outpatient rehabilitation visits", "visits", None, used,
                       f"{year}; the plan's limit is not given: set [facts.{program.id}] "
                       "rehab_visits_per_year from the member's benefits", guide)]
    else:
        found = [Limit("outpatient rehabilitation visits", "visits", allowed, used, year,
                       _rehab_citation(program, allowed))]
    cap, cited = units_cap(program, facts)
    rule = common.unit_rule(program, facts.unit_rule)
    pairs = zip((s.code for s in visit.services), rule.units(visit.services), strict=True)
    found.append(Limit(f"units of modalities/procedures on {visit.date.isoformat()}", "units", cap,
                       sum(units for _, units in capped_units(pairs)),
                       f"{visit.date.isoformat()} (this visit; units by the {rule.name}; the "
                       "cap's scope is not confirmed)", cited))
    return found + common.prescribed_visits(case, visit)


def plan_outcomes(case: Case, visit: Visit) -> list[Outcome]:
    """The treatment plan (when the case has one), as eviCore reviews it: within its own
    dates and visits, measurable goals and their measures at each visit, and no measured
    progress as a maintenance caution (eviCore excludes maintenance care)."""
    return [*plans.plan_period(case, visit, src.EVICORE_MASSAGE),
            *plans.measurable_goals(case, visit, src.EVICORE_MASSAGE),
            *plans.required_measures(case, visit, src.EVICORE_MASSAGE),
            *plans.maintenance(case, visit, src.MAINTENANCE_WINDOW, visits=6)]

"""Rules Regence's commercial plans and UMP share: payer id, codes, units, fees, filing, prescription.

Each takes the program's own citation of Regence's billing guideline (``guide``), so a rule
read on Regence's Washington page is cited ``high`` for Washington and ``medium`` where it
stands in for another plan. :class:`Plan` answers the questions every program answers alike;
each program's adapter (:class:`payerkit_regence.regence.RegencePlan`,
:class:`payerkit_regence.ump.Ump`) is one of its subclasses, holding that program's rules.
"""

from __future__ import annotations

import attrs
from payerkit import (
    Case,
    CaseError,
    Citation,
    Deadline,
    Finding,
    Limit,
    Outcome,
    Program,
    Reason,
    Visit,
    caution,
    facts_path,
    hookimpl,
    note,
    requirement,
    visit_path,
)
from payerkit.rules.fees import FeeSchedule, practice_schedule
from payerkit.rules.limits import count_between
from payerkit.rules.units import CMS_8_MINUTE, CPT_MIDPOINT, UnitRule

from . import sources as src
from .codes import CHIROPRACTIC_MANIPULATION, EM, OSTEOPATHIC_MANIPULATION, in_ranges

RULES = {"cms-8-minute": CMS_8_MINUTE, "cpt-midpoint": CPT_MIDPOINT}
NOT_PUBLIC = "Regence publishes no per-code allowed amounts for massage"


class Plan:
    """A program's adapter: the hooks payerkit asks about that program (``Program.adapter``).

    This base answers what every program of the plugin answers alike — units, fees, filing
    deadlines, the codes a massage therapist may not bill — from the program's own facts and
    its billing-guideline citation ``guide``. A subclass adds its program's coverage rules and
    limits and says which of its facts cannot be right (:meth:`problems`).
    """

    def __init__(self, guide: Citation):
        self.guide = guide

    def problems(self, at: str, case: Case, facts) -> list[str]:
        """Each fact that cannot be right for the case, as ``at.<fact>: expected ...``."""
        raise NotImplementedError

    def checked(self, program: Program, case: Case, facts):
        """The facts, when each is right for the case; else a :class:`CaseError` naming them."""
        problems = self.problems(facts_path(program), case, facts)
        if problems:
            raise CaseError(problems)
        return facts

    @hookimpl
    def payerkit_scrub(self, program, case, visit, facts):
        self.checked(program, case, facts)
        return code_findings(case, visit, self.guide)

    @hookimpl
    def payerkit_units(self, program, facts):
        return unit_rule(program, facts.unit_rule)

    @hookimpl
    def payerkit_fee_schedule(self, case):
        return fee_schedule(case)

    @hookimpl
    def payerkit_filing_deadline(self, program, case, visit, facts):
        return filing_deadlines(program, case, visit, facts.filing_limit_days)


# -- the claim's payer id ----------------------------------------------------------------------

def payer_id(program: Program, case: Case) -> Outcome:
    """Which payer id the claim carries, and where it comes from."""
    given = case.coverage.payer_id
    if given:
        return note("REGENCE-PAYER-ID", f"the claim goes to payer id {given} (coverage.payer_id); "
                    f"payerkit's default for {program.id} is {program.payer_id}",
                    program.payer_id_citation, "coverage.payer_id")
    return note("REGENCE-PAYER-ID", f"the claim goes to payer id {program.payer_id}, payerkit's "
                f"default for {program.id}: it comes from a clearinghouse's payer list, not "
                "Regence's own pages, and clearinghouses may assign their own; confirm it with "
                "yours and set coverage.payer_id to override it", program.payer_id_citation,
                "coverage.payer_id")


# -- codes massage therapists may not bill -----------------------------------------------------

def code_findings(case: Case, visit: Visit, guide: Citation) -> list[Finding]:
    """E&M, chiropractic and osteopathic manipulation codes on a massage therapist's claim."""
    rendering = case.rendering.taxonomy if case.rendering and case.rendering.taxonomy else None
    if (rendering or case.provider.taxonomy) != src.MASSAGE_THERAPIST:
        return []
    found = []
    for j, service in enumerate(visit.services):
        code, path = service.code, visit_path(case, visit, "services", j, "code")
        if in_ranges(code, EM):
            found.append(Finding("error", "REGENCE-EM-NOT-PAYABLE", f"{path}: {code} is an "
                                 "evaluation and management (E&M) code, which Regence does not "
                                 "pay to licensed massage practitioners (nor to physical, "
                                 "occupational or speech therapists): remove the line",
                                 path, guide))
        elif in_ranges(code, CHIROPRACTIC_MANIPULATION):
            found.append(Finding("error", "REGENCE-CMT-NOT-PAYABLE", f"{path}: {code} is a "
                                 "chiropractic manipulative treatment code, payable only to "
                                 "chiropractors: a massage therapist bills massage (97124) or "
                                 "manual therapy (97140)", path, guide))
        elif in_ranges(code, OSTEOPATHIC_MANIPULATION):
            found.append(Finding("error", "REGENCE-OMT-NOT-PAYABLE", f"{path}: {code} is an "
                                 "osteopathic manipulative treatment code, payable only to MDs, "
                                 "DOs, ARNPs and NDs: a massage therapist bills massage (97124) "
                                 "or manual therapy (97140)", path, guide))
    return found


# -- units -------------------------------------------------------------------------------------

def unit_rule(program: Program, chosen: str | None) -> UnitRule:
    """The unit rule the facts choose (``unit_rule``), else the CMS 8-minute rule as a stated
    default."""
    if chosen is not None:
        cited = Citation(f"the practice's setting [facts.{program.id}] unit_rule = \"{chosen}\" "
                         "(Regence's own rule for timed codes was not found)",
                         confidence="practice")
        return attrs.evolve(RULES[chosen], citation=cited, notes=[Reason(
            "REGENCE-UNITS-CONFIGURED", f"units counted by the {RULES[chosen].name}, as the "
            f"case sets in [facts.{program.id}] unit_rule", cited)])
    return attrs.evolve(CMS_8_MINUTE, citation=src.UNITS_DEFAULT, notes=[Reason(
        "REGENCE-UNITS-NOT-CONFIRMED", "Regence's rule for counting timed units was not found: "
        "payerkit counts them by the CMS 8-minute rule (the date's total timed minutes: 8-22 = "
        "1 unit, 23-37 = 2, ...) as a stated default, NOT CONFIRMED for this plan; if your "
        f"agreement says otherwise set [facts.{program.id}] unit_rule = \"cpt-midpoint\" (each "
        "code on its own)", src.UNITS_DEFAULT)])


# -- fees --------------------------------------------------------------------------------------

def fee_schedule(case: Case) -> FeeSchedule:
    if case.fees is None:
        return FeeSchedule(src.FEES_NOT_PUBLIC, [], [Reason(
            "REGENCE-FEES-NOT-PUBLIC", f"{NOT_PUBLIC}: give your contracted rate for every code "
            "in the case's [fees] to get allowed amounts", src.FEES_NOT_PUBLIC)])
    return practice_schedule(case.fees, notes=[Reason(
        "REGENCE-FEES-PRACTICE", f"allowed amounts are the practice's own contracted rates "
        f"([fees]: {case.fees.source}); {NOT_PUBLIC}", src.FEES_NOT_PUBLIC)])


# -- the filing limit --------------------------------------------------------------------------

def filing_outcome(program: Program, days: int | None) -> Outcome | None:
    """A caution while the provider's filing limit (``filing_limit_days``) is not configured."""
    if days is not None:
        return None
    return caution("REGENCE-FILING-LIMIT-UNKNOWN", "the provider's filing limit for this plan "
                   "is not known (not found in Regence's public pages; it is in your agreement): "
                   "payerkit judges no filing deadline. Set it in "
                   f"[facts.{program.id}] filing_limit_days (days after the date of service)",
                   src.FILING_UNKNOWN, facts_path(program, "filing_limit_days"))


def filing_deadlines(program: Program, case: Case, visit: Visit,
                     days: int | None) -> list[Deadline]:
    """The claim's deadline, ``days`` after the date of service (the facts' ``filing_limit_days``)."""
    if days is None:
        return []
    cited = Citation(f"the provider's agreement with the plan: claims within {days} days of the "
                     f"date of service, as the case sets in [facts.{program.id}] "
                     "filing_limit_days (Regence publishes no filing limit)", confidence="practice")
    return [Deadline("claim submission", "date of service", visit.date, days, cited,
                     convention="calendar days, the date of service not counted (payerkit's "
                     "reading; check your agreement's counting rule)",
                     path=visit_path(case, visit, "date"))]


# -- the prescription --------------------------------------------------------------------------

def prescription(case: Case, visit: Visit, cited: Citation, prefix: str, what: str) -> Outcome:
    """A prescription on file dated on or before the visit; ``what`` says what it must be."""
    rx = case.episode.prescription
    if rx is None:
        return requirement(f"{prefix}-NO-PRESCRIPTION", f"no prescription is recorded: {what}; "
                           "keep it in your office (it need not accompany the claim) and enter "
                           "it in episode.prescription", cited, "episode.prescription")
    if rx.date > visit.date:
        return requirement(f"{prefix}-PRESCRIPTION-AFTER-VISIT", f"the prescription is dated "
                           f"{rx.date.isoformat()}, after the visit on {visit.date.isoformat()}: "
                           f"{what}, before the care it covers", cited, "episode.prescription.date")
    return note(f"{prefix}-PRESCRIPTION-ON-FILE", f"prescription of {rx.date.isoformat()} on "
                "file: keep it in your office (it need not accompany the claim)", cited,
                "episode.prescription")


def prescribed_visits(case: Case, visit: Visit) -> list[Limit]:
    """The visits the prescription states, as the prescriber's order (no payer figure)."""
    rx = case.episode.prescription
    if rx is None or rx.visits is None:
        return []
    return [Limit("prescribed visits", "visits", rx.visits,
                  count_between(case.visits, rx.date, visit.date),
                  f"since the prescription of {rx.date.isoformat()}",
                  Citation("the prescriber's order (episode.prescription.visits)",
                           rx.date.isoformat(), "practice"))]

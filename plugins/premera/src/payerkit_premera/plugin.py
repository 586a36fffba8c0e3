"""payerkit hooks for Premera Blue Cross (Washington), entry point ``premera``.

payerkit asks these hooks only about ``premera-wa``. The rules are in
:mod:`.rules` and :mod:`.review` (the eviCore review program), all Premera's
own (the first six visits of an episode without review included); figures in
``data/figures.toml``, citations in :mod:`.sources`. Washington law's six visits
without prior authorization (RCW 48.43.016) are a separate floor, applied by the
``payerkit-wa-insurance-law`` rule set this distribution depends on (never
imported: the kit applies it to fully insured plans).
"""

from __future__ import annotations

import attrs
from payerkit import Deadline, Limit, Program, Reason, hookimpl, visit_path
from payerkit.formats import CMS_1500, CMS_1500_RED, SUPERBILL, SUPERBILL_HTML, X12_837P
from payerkit.rules import plans
from payerkit.rules.fees import FeeSchedule, practice_schedule
from payerkit.rules.limits import count_between
from payerkit.rules.units import CPT_MIDPOINT

from . import review, rules
from . import sources as src

PROGRAM_ID = "premera-wa"
PAYER_ID = src.FIGURES.get("payer_id")
#: Electronic claims (837P); Premera takes paper CMS-1500 only from practices that cannot send
#: electronically (Alaska manual); the superbill is for members who submit their own claim.
PROGRAM = Program(
    id=PROGRAM_ID, name="Premera Blue Cross (Washington)", line_of_business="commercial",
    states=("WA",), filing_indicator="BL",
    claim_formats=(X12_837P, CMS_1500, CMS_1500_RED, SUPERBILL, SUPERBILL_HTML),
    payer_id=PAYER_ID.value, payer_id_citation=PAYER_ID.citation,
    claim_formats_citation=src.CLAIM_FORMATS,
    sources=(src.OUTPATIENT_REHAB, src.PROGRAM_FUNDING, src.MEDICAL_POLICY, src.PRESCRIPTION_RULE,
             src.BILLING_FOR_TIME, src.FIGURES.get("filing_days").citation, src.CREDENTIALING,
             src.FEES_NOT_PUBLIC, src.FILING_INDICATOR, PAYER_ID.citation, src.CLAIM_FORMATS))
UNITS = attrs.evolve(
    CPT_MIDPOINT, citation=src.BILLING_FOR_TIME, name="CPT midpoint rule, each code on its own",
    notes=[Reason("UNITS-PER-CODE", "Premera's \"Billing for Time\" does not say whether minutes "
                  "are rounded per code or on the day's total: payerkit rounds each code on its "
                  "own (not confirmed; 8 minutes of 97124 and 8 of 97140 are 2 units)",
                  src.BILLING_FOR_TIME)])
NOT_PUBLIC = "Premera publishes no fee schedule (contracted providers see theirs in Availity)"
FILING_CONVENTION = ("calendar days per Premera's Alaska medical manual (high for Alaska; medium "
                     "for Washington, whose manual was not seen); the event day is not counted")


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): the
#: conformance suite wants a case reaching each one (docs/hooks.md, Conformance), payerkit's
#: shared PRIOR-AUTHORIZATION-REQUIRED (given by the review rules) included.
CODES = frozenset({
    "AUTHORIZED", "CONDITION", "EVICORE-EXCLUDES-AUTO-WC", "EVICORE-REVIEW-SELF-FUNDED",
    "IN-NETWORK", "MEMBER-ID-PREFIX", "MODIFIER-52-TIMED", "NO-PRESCRIPTION", "OUT-OF-NETWORK",
    "PIP-PRIMARY", "PREMERA-FEES-NOT-PUBLIC", "PREMERA-FEES-PRACTICE", "PREMERA-NO-REVIEW-NEEDED",
    "PRESCRIPTION-NO-VISITS", "PRESCRIPTION-ON-FILE", "PRESCRIPTION-VISITS-USED",
    "PRIOR-AUTHORIZATION-REQUIRED", "REVIEW-VISITS-SHARED", "UNITS-PER-CODE", "WELLNESS-ONLY",
    "WORKERS-COMP-PRIMARY",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case, visit):
    return [*rules.outcomes(case, visit), *review.outcomes(case, visit),
            *plan_outcomes(case, visit)]


def plan_outcomes(case, visit):
    """The treatment plan (when the case has one): within its own dates and visits; measurable
    goals (8.03.502's measurable improvement); no measured progress is a maintenance caution."""
    return [*plans.plan_period(case, visit, src.PLAN_OF_CARE),
            *plans.measurable_goals(case, visit, src.PLAN_OF_CARE),
            *plans.required_measures(case, visit, src.PLAN_OF_CARE),
            *plans.maintenance(case, visit, src.MAINTENANCE_WINDOW, visits=6)]


@hookimpl
def payerkit_scrub(case, visit):
    return rules.claim_findings(case, visit)


@hookimpl
def payerkit_units():
    return UNITS


@hookimpl
def payerkit_fee_schedule(case):
    if case.fees is None:
        return FeeSchedule(src.FEES_NOT_PUBLIC, [], [Reason(
            "PREMERA-FEES-NOT-PUBLIC", f"{NOT_PUBLIC}: give your contracted rate for every code "
            "in the case's [fees] to get allowed amounts", src.FEES_NOT_PUBLIC)])
    return practice_schedule(case.fees, notes=[Reason(
        "PREMERA-FEES-PRACTICE", f"allowed amounts are the practice's own contracted rates "
        f"([fees]: {case.fees.source}); {NOT_PUBLIC}", src.FEES_NOT_PUBLIC)])


@hookimpl
def payerkit_visit_limits(case, visit):
    found = review.limits(case, visit)
    rx = case.episode.prescription
    if rx is not None and rx.visits is not None:
        found.append(Limit("prescribed visits", "visits", rx.visits,
                           count_between(case.visits, rx.date, visit.date),
                           f"since the prescription of {rx.date.isoformat()}", src.PRESCRIPTION_RULE))
    return found


@hookimpl
def payerkit_filing_deadline(case, visit):
    days = src.FIGURES.get("filing_days", visit.date)
    return [Deadline("claim submission", "date of service", visit.date, days.integer,
                     days.citation, convention=FILING_CONVENTION,
                     path=visit_path(case, visit, "date"))]

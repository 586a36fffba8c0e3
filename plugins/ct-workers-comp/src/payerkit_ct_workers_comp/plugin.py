"""payerkit hooks for ``ct-workers-comp``, Connecticut workers' compensation.

payerkit asks these hooks only about this plugin's own program: no hook checks which program
it is asked about. The rules are in :mod:`.liability` (scope, notice of claim, the 28-day
presumption, Form 43), :mod:`.billing` (who may bill, the referral, what the bill needs) and
:mod:`.pricing` (codes and units, contract rates and the practice's copy of the schedule).
"""

from __future__ import annotations

from payerkit import Citation, Deadline, PatientBilling, Program, hookimpl, visit_path
from payerkit.formats import CMS_1500, CMS_1500_RED, X12_837P

from . import billing, liability, pricing, sources
from .facts import PROGRAM_ID, CtFacts, at, checked

#: The WCC's 1995 memorandum asks for the CMS-1500 (and its red-ink OCR print); the 837P where
#: the carrier takes electronic bills.
PROGRAM = Program(
    id=PROGRAM_ID,
    name="Connecticut workers' compensation (C.G.S. chapter 568)",
    line_of_business="workers_comp",
    states=("CT",),
    claim_formats=(X12_837P, CMS_1500, CMS_1500_RED),
    claim_formats_citation=sources.CLAIM_FORMATS,
    sources=(sources.SCOPE, sources.NOTICE, sources.PRESUMPTION, sources.CONTESTED,
             sources.REFERRAL, sources.WHO_BILLS, sources.NO_BILLING_EMPLOYEE,
             sources.FEE_SCHEDULE, sources.CONTRACT_FIRST, sources.CLAIM_NUMBER,
             sources.RELATED_CAUSE, sources.CLAIM_FORMATS),
    facts=CtFacts,
    # older files gave the employer as a fact; it is the case's coverage.employer now
    moved_facts={"employer": "coverage.employer"},
)
BILL_DAYS = ("calendar days after the date of service, the service day not counted, as the "
             "practice recorded the carrier's deadline (no Connecticut rule was found)")


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): the
#: conformance suite wants a case reaching each one (docs/hooks.md, Conformance).
CODES = frozenset({
    "CT-WC-ACCEPTED", "CT-WC-AUTHORIZATION-DATES", "CT-WC-AUTHORIZATION-USED-UP",
    "CT-WC-BILL-DEADLINE-UNKNOWN", "CT-WC-CARRIER-AGREEMENT", "CT-WC-CODES", "CT-WC-CONTESTED",
    "CT-WC-CONTRACT-RATES", "CT-WC-CONTRACT-SOURCE", "CT-WC-DIAGNOSIS", "CT-WC-EPISODE-KIND",
    "CT-WC-LATE-CONTEST", "CT-WC-LATE-NOTICE", "CT-WC-LIABILITY-OPEN", "CT-WC-LIABILITY-UNSETTLED",
    "CT-WC-NO-BILLING-EMPLOYEE", "CT-WC-NO-CLAIM-NUMBER", "CT-WC-NO-EMPLOYER", "CT-WC-NO-FEES",
    "CT-WC-NO-NOTICE-OF-CLAIM", "CT-WC-NO-REFERRAL", "CT-WC-NO-SCHEDULE-COPY",
    "CT-WC-NOT-WORK-INJURY", "CT-WC-NOTICE-EXCUSED", "CT-WC-NOTICE-ON-TIME",
    "CT-WC-PAYMENT-COMMENCED", "CT-WC-PRACTICE-SCHEDULE", "CT-WC-PREAUTHORIZATION-ADVISED",
    "CT-WC-PRESUMED-ACCEPTED", "CT-WC-REFERRAL", "CT-WC-REFERRAL-AFTER-VISIT",
    "CT-WC-REFERRAL-VISITS-USED", "CT-WC-RENDERING", "CT-WC-TREATMENT-DENIED",
    "CT-WC-UNDER-TREATING-PRACTICE", "CT-WC-UNIT-RULE-CHOSEN", "CT-WC-UNIT-RULE-NOT-CONFIRMED",
    "CT-WC-WHO-BILLS",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case, visit, as_of, facts):
    facts = checked(case, facts)
    refused = liability.in_scope(case)
    if any(o.effect == "not_covered" for o in refused):
        return refused
    return [*refused, *liability.outcomes(case, facts, as_of),
            *billing.outcomes(case, visit, facts)]


@hookimpl
def payerkit_units(facts):
    return pricing.unit_rule(facts)


@hookimpl
def payerkit_fee_schedule(case, visit, facts):
    return pricing.fee_schedule(case, visit, facts)


@hookimpl
def payerkit_visit_limits(case, visit):
    return pricing.limits(case, visit)


@hookimpl
def payerkit_filing_deadline(case, visit, facts):
    if checked(case, facts).bill_days is None or not case.episode.work_related:
        return []
    return [Deadline(
        "bill", "service", visit.date, facts.bill_days,
        Citation(f"the carrier's bill deadline as the practice recorded it ({at('bill_days')} = "
                 f"{facts.bill_days})", confidence="practice"),
        path=visit_path(case, visit, "date"), convention=BILL_DAYS)]


#: No payment deadline or interest rule for practitioners' bills was found in the current fee
#: schedule (interest under C.G.S. 31-300 is a commissioner's award): no payment terms, so the
#: ledger shows no due date for these claims.
BILLING = PatientBilling(
    "nothing", "no claim may be made against the injured employee for all or part of a fee: "
    "the employer or its carrier alone is responsible", Citation(
        "Conn. Agencies Regs. § 31-279-9(e): all charges for medical services are solely the "
        "responsibility of the employer or carrier, and no claim will be made against the "
        "injured employee for all or part of a fee", "quoted in WCC Memorandum 2001-07, "
        "Sept 21, 2001 (portal.ct.gov)", "high"))


@hookimpl
def payerkit_patient_billing():
    return BILLING

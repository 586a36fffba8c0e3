"""payerkit hooks for the ``ny-no-fault`` program.

payerkit asks these hooks only about this plugin's own program: no hook checks which
program it is asked about. The rules are in :mod:`.coverage` (who is covered, what the bill
needs, deadlines) and :mod:`.pricing` (units, fees, the daily RVU cap).
"""

from __future__ import annotations

from payerkit import PatientBilling, PaymentTerm, Program, hookimpl
from payerkit.formats import CMS_1500, CMS_1500_RED, NF_3, SUPERBILL, SUPERBILL_HTML, X12_837P

from . import sources
from .coverage import PROGRAM_ID, NyFacts, deadlines, outcomes
from .pricing import UNIT_RULE, capped, fee_schedule, findings, limits

PROGRAM = Program(
    id=PROGRAM_ID,
    name="New York no-fault (motor-vehicle personal injury protection)",
    line_of_business="auto",
    states=("NY",),
    # bills go on the NF-3; insurers must accept the CMS-1500 instead (11 NYCRR 65-3.5(f))
    claim_formats=(X12_837P, NF_3, CMS_1500, CMS_1500_RED, SUPERBILL, SUPERBILL_HTML),
    claim_formats_citation=sources.CLAIM_FORMS,
    sources=(sources.PIP_ENDORSEMENT, sources.INS_LAW_5103, sources.NOTICE,
             sources.FIGURES.get("bill_days").citation, sources.PREVAILING_FEE,
             sources.FEE_CEILING, sources.ASSIGNMENT, sources.CLAIM_FORMS,
             sources.ELECTRONIC_837P),
    facts=NyFacts,
    fact_aliases={"injured_person": "episode.injured_person", "vehicle": "episode.vehicle",
                  "motorcycle": "episode.motorcycle"},
)


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): the
#: conformance suite wants a case reaching each one (docs/hooks.md, Conformance).
CODES = frozenset({
    "NY-ABOVE-FEE-CEILING", "NY-BENEFITS-ASSIGNED", "NY-BENEFITS-NOT-ASSIGNED", "NY-ELIGIBLE-IN-NY",
    "NY-ELIGIBLE-INSURED", "NY-EXCLUSION-J", "NY-LATE-NOTICE", "NY-LATE-NOTICE-JUSTIFICATION",
    "NY-LMT-SERVICES", "NY-MOTORCYCLE", "NY-NO-ASSIGNMENT", "NY-NO-CLAIM-NUMBER", "NY-NO-LICENSE",
    "NY-NO-NOTICE", "NY-NO-NOTICE-DATE", "NY-NO-PRESCRIPTION", "NY-NO-PREVAILING-FEE",
    "NY-NOT-MOTOR-VEHICLE", "NY-OTHER-PERSON-OUTSIDE-NY", "NY-OTHER-VEHICLE",
    "NY-OUTSIDE-TERRITORY", "NY-PREVAILING-FEE", "NY-RECORD-ACCIDENT-STATE",
    "NY-RECORD-INJURED-PERSON", "NY-RECORD-VEHICLE", "NY-RELATIVE", "NY-RVU-CAP",
    "NY-RVU-CAP-SCOPE", "NY-RVU-DAILY-CAP", "NY-RVU-UNKNOWN", "NY-UNIT-RULE-NOT-CONFIRMED",
    "NY-WC-LMT-NOT-AUTHORIZED", "NY-WORK-INJURY",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case, facts):
    return outcomes(case, facts)


@hookimpl
def payerkit_units():
    return UNIT_RULE


@hookimpl
def payerkit_fee_schedule(case):
    return fee_schedule(case)


@hookimpl
def payerkit_adjust_pricing(visit, pricing):
    return capped(pricing, visit.date)


@hookimpl
def payerkit_visit_limits(case, visit):
    return limits(case, visit)


@hookimpl
def payerkit_filing_deadline(case, visit):
    return deadlines(case, visit)


@hookimpl
def payerkit_scrub(case, visit, pricing):
    return findings(case, visit, pricing)



def _terms() -> tuple[PaymentTerm, ...]:
    days, rate = sources.FIGURES.get("payment_days"), sources.FIGURES.get("interest_per_month")
    return (
        PaymentTerm("claims paid or denied", f"the insurer pays or denies within {days.value} "
                    "days after it receives proof of claim and all the verification it asked "
                    "for (a proven part of a claim is due on its own)", days.citation,
                    days=days.integer),
        PaymentTerm("interest on overdue claims", f"{rate.decimal:%} a month, simple, pro rata "
                    f"on a 30-day month, from day {days.integer + 1} until paid; paid without "
                    "the provider asking; it stops while the provider does not seek arbitration "
                    "or sue within 30 days after a denial", rate.citation,
                    interest_per_month=rate.decimal, interest_after_days=days.integer),
    )


TERMS = _terms()
BILLING = PatientBilling(
    "nothing", "no charge against the patient while no-fault benefits are available (the fee "
    "schedule's amount is the whole charge); after benefits are exhausted, only fee-schedule "
    "amounts, and only with no other coverage", sources.NO_BALANCE_BILLING)


@hookimpl
def payerkit_payment_terms():
    return TERMS


@hookimpl
def payerkit_patient_billing():
    return BILLING

"""payerkit hooks for ``wa-lni``, Washington Labor & Industries workers' compensation.

payerkit asks these hooks only about this plugin's own program: no hook checks which program
it is asked about. The rules are in :mod:`.rules` (scope, the numbers, the attending provider's
order, authorization, the progress report, billing the worker) and :mod:`.pricing` (units, the
practice's copy of the fee schedule, the daily maximum for massage, limits, payment terms).
"""

from __future__ import annotations

from payerkit import (
    PRIOR_AUTHORIZATION_REQUIRED,
    PatientBilling,
    Program,
    ProgressReports,
    hookimpl,
)
from payerkit.formats import CMS_1500, X12_837P

from . import pricing as prices
from . import rules, sources
from .facts import PROGRAM_ID, LniFacts

#: No L&I X12 payer id was found: the case gives the one its clearinghouse uses.
PROGRAM = Program(
    id=PROGRAM_ID,
    name="Washington Labor & Industries workers' compensation (Title 51 RCW)",
    line_of_business="workers_comp",
    states=("WA",),
    claim_formats=(X12_837P, CMS_1500),
    claim_formats_citation=sources.CLAIM_FORMATS,
    sources=(sources.SCOPE, sources.ORDER, sources.LICENSED_MASSAGE_THERAPIST,
             sources.AUTHORIZATION, sources.HOME_VISIT, sources.PROGRESS_REPORT,
             sources.CLAIM_NUMBER, sources.PROVIDER_ACCOUNT, sources.NO_BILLING_WORKER,
             sources.FEE_SCHEDULE, sources.FIGURES.get("massage_share_of_pt_ot_max").citation,
             sources.FIGURES.get("state_fund.payment_days").citation,
             sources.FIGURES.get("self_insured.payment_days").citation, sources.BILL_FORM),
    facts=LniFacts,
    progress_reports=ProgressReports(
        sources.PROGRESS_REPORT, visits=sources.FIGURES.get("progress_report_visits").integer,
        months=sources.FIGURES.get("progress_report_months").integer),
)


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): each is
#: reached by a case in tests/cases.
CODES = frozenset({
    PRIOR_AUTHORIZATION_REQUIRED, "WA-LNI-AUTHORIZED", "WA-LNI-BILL-DEADLINE-UNKNOWN",
    "WA-LNI-BILL-FORM", "WA-LNI-CODES",
    "WA-LNI-DAILY-MAX", "WA-LNI-DAILY-MAX-REDUCED", "WA-LNI-DAILY-MAX-UNKNOWN",
    "WA-LNI-NO-AUTHORIZATION-NEEDED", "WA-LNI-NO-BILLING-WORKER", "WA-LNI-NO-CLAIM-NUMBER",
    "WA-LNI-NO-FEES", "WA-LNI-NO-ORDER", "WA-LNI-NO-PROVIDER-ACCOUNT", "WA-LNI-NOT-WORK-INJURY",
    "WA-LNI-PROVIDER-ACCOUNT-FORMAT",
    "WA-LNI-ORDERED", "WA-LNI-PRACTICE-FEES", "WA-LNI-PROGRESS-REPORT",
    "WA-LNI-PROGRESS-REPORT-SENT", "WA-LNI-SELF-INSURED", "WA-LNI-UNIT-RULE-NOT-CONFIRMED",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case, visit, facts):
    return rules.outcomes(case, visit, facts)


@hookimpl
def payerkit_units():
    return prices.unit_rule()


@hookimpl
def payerkit_fee_schedule(case):
    return prices.fee_schedule(case)


@hookimpl
def payerkit_adjust_pricing(visit, pricing):
    return prices.capped(pricing, visit.date)


@hookimpl
def payerkit_visit_limits(case, visit, facts):
    return prices.limits(case, visit, facts)


@hookimpl
def payerkit_payment_terms(facts):
    return prices.payment_terms(facts)



BILLING = PatientBilling(
    "nothing", "the worker is not billed for treatment of an accepted claim; a payment asked "
    "while eligibility was questionable is refunded in full once the claim is allowed",
    sources.NO_BILLING_WORKER)


@hookimpl
def payerkit_patient_billing():
    return BILLING

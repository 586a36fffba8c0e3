"""payerkit hooks for ``ca-workers-comp``, California workers' compensation.

payerkit asks these hooks only about this plugin's own program: no hook checks which program
it is asked about. The rules are in :mod:`.rules` (scope, the claim number, who bills, the
24-visit cap) and :mod:`.pricing` (units, the practice's rates).
"""

from __future__ import annotations

from payerkit import Program, hookimpl
from payerkit.formats import CMS_1500, X12_837P

from . import pricing, rules, sources
from .facts import PROGRAM_ID, CaFacts

#: Every claims administrator has its own X12 payer id: the case gives it.
PROGRAM = Program(
    id=PROGRAM_ID,
    name="California workers' compensation",
    line_of_business="workers_comp",
    states=("CA",),
    claim_formats=(X12_837P, CMS_1500),
    claim_formats_citation=sources.CLAIM_FORMATS,
    sources=(sources.SCOPE, sources.VISIT_CAP, sources.CAP_EXCEPTIONS, sources.WHO_BILLS,
             sources.MTUS, sources.CLAIM_NUMBER),
    facts=CaFacts,
)


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): each is
#: reached by a case in tests/cases.
CODES = frozenset({
    "CA-WC-BILLING-CONFIRMED", "CA-WC-CAP-EXCEEDED", "CA-WC-CAP-NOT-APPLICABLE",
    "CA-WC-DEADLINES-UNKNOWN", "CA-WC-MTUS", "CA-WC-NO-CLAIM-NUMBER", "CA-WC-NO-FEES",
    "CA-WC-NOT-WORK-INJURY", "CA-WC-PRACTICE-FEES", "CA-WC-UNIT-RULE-NOT-CONFIRMED",
    "CA-WC-VISIT-CAP", "CA-WC-WHO-BILLS",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case, visit, facts):
    return rules.outcomes(case, visit, facts)


@hookimpl
def payerkit_units():
    return pricing.unit_rule()


@hookimpl
def payerkit_fee_schedule(case):
    return pricing.fee_schedule(case)


@hookimpl
def payerkit_visit_limits(case, visit):
    return rules.limits(case, visit)

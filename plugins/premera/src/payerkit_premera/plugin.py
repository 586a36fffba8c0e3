"""payerkit hooks for Premera Blue Cross (Washington), entry point ``premera``.

Each hook answers only for ``premera-wa`` and returns ``None`` otherwise; the
rules live in the modules it calls.
"""

from __future__ import annotations

import attrs
from payerkit.hookspecs import hookimpl
from payerkit.model import Deadline, Eligibility, Finding, Reason
from payerkit.rules.units import CPT_MIDPOINT

from . import sources
from .assess import assess
from .claim_checks import member_id_findings, modifier_52_findings
from .fees import practice_schedule, with_fee_reason
from .program import PROGRAM, PROGRAM_ID
from .visit_limits import limits
from .wellness import packaged

#: payerkit's wellness/stress classification (data/wellness_codes.csv), read once.
WELLNESS = packaged()

#: The CPT midpoint rule, each code on its own, cited to Premera's "Billing for Time".
UNITS = attrs.evolve(
    CPT_MIDPOINT, citation=sources.BILLING_FOR_TIME,
    name="CPT midpoint rule, each code on its own (Premera; per-code rounding NOT CONFIRMED)",
)


def _ours(program) -> bool:
    return program.id == PROGRAM_ID


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_eligibility(program, case):
    if not _ours(program):
        return None
    outcomes = assess(case, case.visits[-1], WELLNESS)
    effects = {o.effect for o in outcomes}
    status = ("not_covered" if "not_covered" in effects
              else "action_required" if "requirement" in effects else "covered")
    as_reason = [(o.effect, Reason(o.code, o.message, o.citation)) for o in outcomes]
    return Eligibility(
        program.id, status,
        requirements=[r for effect, r in as_reason if effect == "requirement"],
        reasons=[r for effect, r in as_reason if effect != "requirement"],
    )


@hookimpl
def payerkit_units(program, case):
    return UNITS if _ours(program) else None


@hookimpl
def payerkit_fee_schedule(program, case):
    return practice_schedule(case) if _ours(program) else None


@hookimpl
def payerkit_adjust_pricing(program, case, pricing):
    return with_fee_reason(pricing) if _ours(program) else None


@hookimpl
def payerkit_visit_limits(program, case):
    return limits(case) if _ours(program) else None


@hookimpl
def payerkit_filing_deadline(program, case, visit):
    if not _ours(program):
        return None
    index = case.visits.index(visit) if visit in case.visits else None
    return [Deadline(
        name="claim submission", event="date of service", event_date=visit.date,
        days=sources.FILING_DAYS, citation=sources.CLAIM_MANUAL, late_severity="error",
        convention=sources.FILING_CONVENTION,
        path="visits" if index is None else f"visits[{index}].date",
    )]


_SEVERITY = {"not_covered": "error", "requirement": "error", "caution": "warning"}


@hookimpl
def payerkit_scrub(program, case, visit, pricing):
    if not _ours(program):
        return None
    findings = [Finding(_SEVERITY[o.effect], o.code, o.message, o.path, o.citation)
                for o in assess(case, visit, WELLNESS) if o.effect in _SEVERITY]
    return findings + member_id_findings(case) + modifier_52_findings(case, visit)

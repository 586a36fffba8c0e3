"""payerkit hooks for the ``ny-no-fault`` program. Each answers ``None`` for other programs."""

from __future__ import annotations

from payerkit.hookspecs import hookimpl
from payerkit.model import Eligibility, Program

from . import coverage, sources
from .deadlines import open_deadlines
from .fees import prevailing_fee_schedule
from .limits import limits
from .pricing import UNIT_RULE, adjust, cap_findings

PROGRAM = Program(
    id="ny-no-fault",
    name="New York no-fault (motor-vehicle personal injury protection)",
    line_of_business="auto",
    states=("NY",),
    claim_formats=("x12-837p", "cms-1500", "nf-3"),
    sources=(sources.PIP_ENDORSEMENT, sources.INS_LAW_5103, sources.NOTICE, sources.BILL,
             sources.PREVAILING_FEE, sources.CLAIM_FORMS, sources.ELECTRONIC_837P),
)


def _ours(program) -> bool:
    return program.id == PROGRAM.id


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_eligibility(program, case):
    if not _ours(program):
        return None
    found = coverage.checks(case)
    reasons = [c.reason for c in found if c.kind != "require"]
    required = [c.reason for c in found if c.kind == "require"]
    if any(c.kind == "stop" for c in found):
        return Eligibility(program.id, "not_covered", reasons=reasons)
    return Eligibility(program.id, "action_required" if required else "covered",
                       requirements=required, reasons=reasons)


@hookimpl
def payerkit_units(program):
    return UNIT_RULE if _ours(program) else None


@hookimpl
def payerkit_fee_schedule(program, case):
    return prevailing_fee_schedule(case) if _ours(program) else None


@hookimpl
def payerkit_adjust_pricing(program, case, pricing):
    return adjust(case, pricing) if _ours(program) else None


@hookimpl
def payerkit_visit_limits(program, case):
    return limits(case) if _ours(program) else None


@hookimpl
def payerkit_filing_deadline(program, case, visit):
    if not _ours(program):
        return None
    return [] if coverage.outside_no_fault(case) else open_deadlines(case, visit)


@hookimpl
def payerkit_scrub(program, case, visit, pricing):
    if not _ours(program):
        return None
    findings = [c.as_finding() for c in coverage.checks(case) if c.finding]
    return findings + cap_findings(pricing, case.visits.index(visit))

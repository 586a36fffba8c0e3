"""payerkit hooks for Regence and the Uniform Medical Plan, entry point ``regence``.

Five programs: ``regence-wa`` (Regence BlueShield), ``regence-or`` (Regence BlueCross
BlueShield of Oregon), ``regence-id`` (Regence BlueShield of Idaho), ``regence-ut`` (Regence
BlueCross BlueShield of Utah) — one program per plan, each with its own payer id, sharing
one set of rules — and ``ump`` (the Uniform Medical Plan, administered by Regence BlueShield).

payerkit asks these hooks only about these programs (the core owns dispatch); each hook reads
``program`` to pick that program's data from :data:`PLANS`. Rules: :mod:`.regence` (commercial
plans), :mod:`.notification` (eviCore), :mod:`.ump`, :mod:`.common`; figures in
``data/figures.toml``, citations in :mod:`.sources`.
"""

from __future__ import annotations

import attrs
from attrs import frozen
from payerkit import Citation, Program, hookimpl

from . import common, notification, regence, ump
from . import sources as src
from .facts import MEDICARE_ADVANTAGE, RegenceFacts, UmpFacts, check


@frozen
class Plan:
    """A program with the data its rules need: which rule set, and its billing-guideline citation."""

    program: Program
    kind: str  # "regence" (commercial) or "ump"
    guide: Citation

    def facts(self, facts):
        """The case's facts, or the defaults (a caller outside the kit may pass none)."""
        if facts is not None:
            return facts
        return RegenceFacts() if self.kind == "regence" else UmpFacts()


def _regence(program_id: str, name: str, state: str) -> Plan:
    payer = src.FIGURES.get(f"payer_id.{program_id}")
    guide = src.lmp_guide(state)
    program = Program(
        id=program_id, name=name, line_of_business="commercial", states=(state,),
        claim_formats=("x12-837p", "superbill", "superbill-html"), filing_indicator="BL",
        payer_id=payer.value, claim_formats_citation=src.ELECTRONIC,
        payer_id_citation=payer.citation, facts=RegenceFacts,
        sources=(guide, src.NOTIFICATION, src.FIGURES.get("claim_after_approval_days").citation,
                 src.MEDICARE_ADVANTAGE, src.ELECTRONIC, src.CONTRACTING, src.PROGRAM_MEMBERS,
                 src.RGA, src.FIGURES.get("units_per_date").citation, src.FEES_NOT_PUBLIC,
                 src.UNITS_DEFAULT, src.FILING_UNKNOWN, src.FILING_INDICATOR, payer.citation,
                 src.FIGURES.get("payer_id.rga").citation))
    return Plan(program, "regence", guide)


def _ump() -> Plan:
    payer = src.FIGURES.get("payer_id.ump")
    guide = attrs.evolve(src.LMP_GUIDE, edition=f"{src.LMP_GUIDE.edition}; Regence BlueShield's "
                         "Washington manual applied to UMP, which Regence BlueShield administers "
                         "(not confirmed for UMP)", confidence="medium")
    program = Program(
        id="ump", name="Uniform Medical Plan (Washington PEBB/SEBB, administered by Regence "
        "BlueShield)", line_of_business="commercial", states=("WA",),
        claim_formats=("x12-837p", "superbill", "superbill-html"), filing_indicator="BL",
        payer_id=payer.value, claim_formats_citation=src.UMP_CLAIM_FORMATS,
        payer_id_citation=payer.citation, facts=UmpFacts,
        # the state's self-insured employee plan (RCW 41.05): no carrier law of RCW 48.43 applies
        funding="self_funded",
        sources=(src.UMP_ADMINISTERED, *(f.citation for f in src.FIGURES.by_name["ump_massage_visits"]),
                 src.UMP_LIMITED_BENEFIT, src.UMP_PRESCRIPTION, src.UMP_NOT_IN_PHYSICAL_MEDICINE,
                 src.FIGURES.get("ump_massage_codes").citation, guide, src.FEES_NOT_PUBLIC,
                 src.UNITS_DEFAULT, src.FILING_UNKNOWN, src.UMP_FILING_INDICATOR, payer.citation,
                 src.UMP_CLAIM_FORMATS))
    return Plan(program, "ump", guide)


#: Every program of the plugin, by id: the one place a program's data is looked up.
PLANS: dict[str, Plan] = {plan.program.id: plan for plan in (
    _regence("regence-wa", "Regence BlueShield (Washington)", "WA"),
    _regence("regence-or", "Regence BlueCross BlueShield of Oregon", "OR"),
    _regence("regence-id", "Regence BlueShield of Idaho", "ID"),
    _regence("regence-ut", "Regence BlueCross BlueShield of Utah", "UT"),
    _ump(),
)}
PROGRAMS = tuple(plan.program for plan in PLANS.values())


def _plan(program: Program, case, facts) -> tuple[Plan, object]:
    plan = PLANS[program.id]
    facts = plan.facts(facts)
    check(program, case, facts)
    return plan, facts


@hookimpl
def payerkit_programs():
    return list(PROGRAMS)


@hookimpl
def payerkit_outcomes(program, case, visit, as_of, facts):
    plan, facts = _plan(program, case, facts)
    if plan.kind == "ump":
        return ump.outcomes(program, case, visit, facts)
    return regence.outcomes(program, case, visit, as_of, facts, plan.guide)


@hookimpl
def payerkit_scrub(program, case, visit, as_of, facts, pricing):
    plan, facts = _plan(program, case, facts)
    found = common.code_findings(case, visit, plan.guide)
    if plan.kind == "regence" and case.coverage.funding != MEDICARE_ADVANTAGE:
        found += regence.units_findings(program, case, visit, facts, pricing)
        found += notification.claim_timing(case, as_of, facts)
    return found


@hookimpl
def payerkit_units(program, facts):
    return common.unit_rule(program, facts)


@hookimpl
def payerkit_fee_schedule(case):
    return common.fee_schedule(case)


@hookimpl
def payerkit_visit_limits(program, case, visit, facts):
    plan, facts = _plan(program, case, facts)
    if plan.kind == "ump":
        return ump.limits(program, case, visit, facts)
    return regence.limits(program, case, visit, facts, plan.guide)


@hookimpl
def payerkit_filing_deadline(program, case, visit, facts):
    return common.filing_deadlines(program, case, visit, facts)

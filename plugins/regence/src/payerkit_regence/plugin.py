"""payerkit hooks for Regence and the Uniform Medical Plan, entry point ``regence``.

Five programs: ``regence-wa`` (Regence BlueShield), ``regence-or`` (Regence BlueCross
BlueShield of Oregon), ``regence-id`` (Regence BlueShield of Idaho), ``regence-ut`` (Regence
BlueCross BlueShield of Utah) — one program per plan, each with its own payer id, sharing
one set of rules — and ``ump`` (the Uniform Medical Plan, administered by Regence BlueShield).

This module only registers the programs. Each program carries its adapter
(``Program.adapter``), the object payerkit asks that program's questions: a
:class:`~payerkit_regence.regence.RegencePlan` (Regence's rules, with the plan's own
billing-guideline citation) or the :class:`~payerkit_regence.ump.Ump`. So no hook looks up or
branches on the program. Rules: :mod:`.regence` (commercial plans), :mod:`.notification`
(eviCore), :mod:`.ump`, :mod:`.common`; figures in ``data/figures.toml``, citations in
:mod:`.sources`.
"""

from __future__ import annotations

from payerkit import hookimpl

from . import regence, ump

PROGRAMS = (
    regence.program("regence-wa", "Regence BlueShield (Washington)", "WA"),
    regence.program("regence-or", "Regence BlueCross BlueShield of Oregon", "OR"),
    regence.program("regence-id", "Regence BlueShield of Idaho", "ID"),
    regence.program("regence-ut", "Regence BlueCross BlueShield of Utah", "UT"),
    ump.PROGRAM,
)


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): the
#: conformance suite wants a case reaching each one (docs/hooks.md, Conformance). The
#: prescription codes are built from a prefix, REGENCE- or UMP-.
CODES = frozenset({
    "REGENCE-BLUECARD-LOCAL-PLAN", "REGENCE-CLAIM-TOO-EARLY", "REGENCE-CMT-NOT-PAYABLE",
    "REGENCE-ELECTRONIC-ONLY", "REGENCE-EM-NOT-PAYABLE", "REGENCE-FEES-NOT-PUBLIC",
    "REGENCE-FEES-PRACTICE", "REGENCE-FILING-LIMIT-UNKNOWN", "REGENCE-FUNCTIONAL-LOSS",
    "REGENCE-MA-NOT-COVERED", "REGENCE-NO-PRESCRIPTION", "REGENCE-NOT-CONTRACTED",
    "REGENCE-NOTIFICATION-APPROVED", "REGENCE-NOTIFICATION-DATE",
    "REGENCE-NOTIFICATION-NOT-APPLIED", "REGENCE-NOTIFICATION-ON-TIME",
    "REGENCE-NOTIFICATION-REQUIRED", "REGENCE-OMT-NOT-PAYABLE", "REGENCE-OWN-PREAUTHORIZATION",
    "REGENCE-PAYER-ID", "REGENCE-PRESCRIPTION-AFTER-VISIT", "REGENCE-PRESCRIPTION-ON-FILE",
    "REGENCE-REHAB-LIMIT-REACHED", "REGENCE-REHAB-LIMIT-UNKNOWN", "REGENCE-REHAB-VISITS",
    "REGENCE-RGA-PAYER-ID", "REGENCE-UNITS-CONFIGURED", "REGENCE-UNITS-NOT-CONFIRMED",
    "REGENCE-UNITS-PER-DATE", "UMP-COVERED-DIAGNOSES", "UMP-MASSAGE-LIMIT-REACHED",
    "UMP-MASSAGE-VISITS", "UMP-NO-NOTIFICATION", "UMP-NO-PRESCRIPTION", "UMP-NOT-A-MASSAGE-VISIT",
    "UMP-OTHER-LIMITED-BENEFIT", "UMP-PRESCRIPTION-AFTER-VISIT", "UMP-PRESCRIPTION-ON-FILE",
})


@hookimpl
def payerkit_programs():
    return list(PROGRAMS)

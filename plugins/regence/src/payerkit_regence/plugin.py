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


@hookimpl
def payerkit_programs():
    return list(PROGRAMS)

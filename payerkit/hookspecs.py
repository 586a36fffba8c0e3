"""The payerkit hook contract, version 2.

Every hook a plugin may implement is specified here. Implement one with::

    from payerkit import hookimpl

    @hookimpl
    def payerkit_programs():
        return [Program(id="my-program", ...)]

Three shapes of hook exist:

* **registration hooks** (``payerkit_programs``, ``payerkit_rule_sets``,
  ``payerkit_claim_formats``) are called once on every plugin when the kit
  starts and return typed records (conda's way); two plugins claiming one id
  disables both, naming them.
* **question hooks** (``firstresult``) answer one question about one visit.
  **The core owns dispatch**: it asks only the case's program's owner, the
  plugins whose rule sets select that program, and the practice's local
  plugins — never anyone else, so an implementation never checks which
  program it is asked about. The owner is the program's adapter
  (``Program.adapter``, an object whose hooks hold that program's rules:
  how a plugin with several programs gives each its own) or, when the
  program carries none, the plugin that registered it. Precedence, lowest
  first: the owner, rule sets, local plugins (a later one's non-``None`` answer wins;
  ``@hookimpl(wrapper=True)`` wraps the ones before it).
* **contribution hooks** (``payerkit_outcomes``, ``payerkit_scrub``) are
  called on the same plugins and every answer is kept.

**The context.** Every question receives the same keyword arguments; accept
only those you need (pluggy's opt-in arguments), so later versions can add
arguments without breaking you:

``program``
    the :class:`payerkit.model.Program` the case names.
``case``
    the :class:`payerkit.model.Case`; its visits are the history.
``visit``
    the :class:`payerkit.model.Visit` in question (the last one unless the
    caller picks another).
``as_of``
    the :class:`datetime.date` the answer is for (the command line's
    ``--as-of``, else the case's ``as_of``, else today).
``facts``
    the program's own typed facts (an instance of ``Program.facts``, read
    from the case's ``[facts.<program id>]`` table), or ``None`` when the
    program declares none.

A hook that raises, or returns something other than its documented type, is
reported as a :class:`payerkit.errors.PluginError` naming the plugin, the hook
and the exception type (never the exception's text, which may hold patient
data). Raise :class:`payerkit.errors.CaseError` for a problem in the case
file that your rule cannot answer without.

.. versionchanged:: 2
   The core routes questions; ``payerkit_eligibility`` is replaced by
   ``payerkit_outcomes`` (one list feeds eligibility and scrub); every
   question gets ``visit``, ``as_of`` and ``facts``; ``payerkit_rule_sets``
   added. Later, within 2: ``Program.adapter`` (an addition: a plugin whose
   programs carry none works as before, so the version stays 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # the model imports nothing from here; annotations only
    from .formats.options import WriteOptions
    from .model import (
        Case,
        ClaimFormat,
        Deadline,
        Finding,
        Limit,
        PatientBilling,
        PaymentTerm,
        Pricing,
        Program,
        Rendering,
        RuleSet,
        Visit,
    )
    from .model.claim import Claim
    from .model.outcome import Outcome
    from .rules.fees import FeeSchedule
    from .rules.units import UnitRule

PROJECT = "payerkit"
#: The contract's version: bumped when a hook is removed or changes meaning.
CONTRACT_VERSION = 2
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -------------------------------------------------------------------------
# Registration hooks: called on every plugin when the kit starts.
# -------------------------------------------------------------------------


@hookspec
def payerkit_programs() -> Iterable[Program]:
    """Return the payer programs this plugin answers for.

    :return: an iterable of :class:`payerkit.model.Program` records. Each
        program ``id`` (e.g. ``ny-no-fault``) must be unique across installed
        plugins: two plugins claiming one id are both disabled for it, with a
        warning naming both (an error in strict mode); their other programs
        keep working. Every format in ``claim_formats`` must be installed
        (otherwise the kit warns and drops it from the program).

    A program may carry its ``adapter``: an object (an instance, not a class)
    whose ``@hookimpl`` question and contribution hooks are asked about that
    program in this plugin's place, so a plugin with several programs gives
    each its own rules, figures and (with ``facts``) facts type, and no hook
    branches on the program. It is checked as a plugin's hooks are, and may
    not implement registration hooks; a broken adapter drops its program only,
    with a warning naming the plugin and the program.

    Called once per plugin when the kit is built, not per case. A plugin
    that fails here (or in any registration hook) is dropped whole, with one
    warning naming it.

    .. versionadded:: 1
    .. versionchanged:: 2
       A program may carry its ``adapter`` (added within contract 2).
    """


@hookspec
def payerkit_rule_sets() -> Iterable[RuleSet]:
    """Return the rule sets this plugin applies across programs it does not own.

    :return: an iterable of :class:`payerkit.model.RuleSet` records, each
        selecting programs by state, line of business and plan funding. For
        every program a rule set selects, the kit asks this plugin's question
        and contribution hooks after the program's owner and before local
        plugins: it adds outcomes and findings, may answer a firstresult
        question in the owner's place, and may wrap the owner's answer with
        ``@hookimpl(wrapper=True)`` (e.g. to override an outcome the law
        forbids). A plan whose funding the rule set does not govern (a
        self-funded ERISA plan under a state law) is never given to it.

    Rule set ids are unique across plugins, as program ids are.

    .. versionadded:: 2
    """


@hookspec
def payerkit_claim_formats() -> Iterable[ClaimFormat]:
    """Return the claim formats this plugin can write.

    :return: an iterable of :class:`payerkit.model.ClaimFormat` records
        (``id``, ``name``, ``suffix``, ``media_type`` and the format's
        functions). A rendering format gives ``render(claim)``, returning a
        :class:`payerkit.model.Rendering` (its findings, warnings too, and
        what its writer needs), and ``write(rendering, options)``, adding only
        the moment of writing (:class:`payerkit.formats.WriteOptions`); the
        claim is rendered once, for the scrub and the file alike. It may also
        give ``stream(out, numbers, options)`` to write many claims into one
        file (``payerkit batch``). A claim-writing format gives
        ``write(claim, options)`` (a value it cannot carry raises
        :class:`payerkit.errors.FormatError` naming the claim field) and
        ``check(claim)`` (those problems as ``(claim field, problem[,
        "warning"])`` tuples); payerkit adapts it. Format ids are unique
        across plugins.

    payerkit's own formats (the 837P, the CMS-1500, the NF-3, the superbill)
    are registered through this hook.

    .. versionadded:: 1
    .. versionchanged:: 2
       ``check`` added; writers raise ``FormatError``, not ``ValueError``;
       (payerkit 0.3) ``render`` and ``stream``.
    """


# -------------------------------------------------------------------------
# Contribution hooks: every consulted plugin adds to the answer.
# -------------------------------------------------------------------------


@hookspec
def payerkit_outcomes(program: Program, case: Case, visit: Visit, as_of: dt.date,
                      facts: Any) -> Iterable[Outcome]:
    """Apply the program's coverage rules to a visit.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`.
    :param visit: the :class:`payerkit.model.Visit` in question.
    :param as_of: the day the answer is for.
    :param facts: the program's typed facts, or ``None``.
    :return: an iterable of :class:`payerkit.model.Outcome` — ``not_covered``,
        ``requirement``, ``caution`` or ``note``, each with a code, message,
        field path and citation (build them with the helpers of :mod:`payerkit.model.outcome`).
        The kit derives **both** the eligibility answer and the scrub's
        coverage findings from this one list, so ``check`` and ``scrub``
        cannot disagree. An outcome is only as strong as its citation: an
        unconfirmed ``not_covered`` is reported as a requirement to verify
        with the plan, and a ``low``/``sample`` rule never stops a claim.

    All results are collected (owner first, then rule sets, then local
    plugins). A ``wrapper=True`` implementation receives the list of every
    implementation's result and returns a list of the same shape.

    .. versionadded:: 2
       Replaces ``payerkit_eligibility``.
    """


@hookspec
def payerkit_scrub(program: Program, case: Case, visit: Visit, as_of: dt.date, facts: Any,
                   pricing: Pricing) -> Iterable[Finding]:
    """Find problems in the claim's form for this visit before it goes out.

    :param pricing: the visit's :class:`payerkit.model.Pricing`.
    :return: an iterable of :class:`payerkit.model.Finding` (``error`` stops
        the claim, ``warning`` does not), each with the field ``path`` it is
        about and a citation. Coverage belongs in ``payerkit_outcomes``; this
        hook is for what depends on the priced claim (a charge above a fee
        ceiling, an identifier's shape, a modifier the payer denies).
        payerkit's built-in checks (codes, NPI, fee parity, the formats'
        field limits) add theirs for every program.

    All results are collected.

    .. versionadded:: 1
    .. versionchanged:: 2
       Gets ``as_of`` and ``facts``; coverage findings come from outcomes.
    """


@hookspec
def payerkit_payment_terms(program: Program, case: Case, visit: Visit, as_of: dt.date,
                           facts: Any) -> Iterable[PaymentTerm]:
    """Say what the payer owes on a claim for this visit, and by when.

    :return: an iterable of :class:`payerkit.model.PaymentTerm` — a prompt-pay
        standard (``95%`` of clean claims within 30 days), a decision deadline,
        interest on late payment — each cited. A state's prompt-pay law is a
        rule set's answer; a payer's contract terms are the owner's.

    All results are collected (owner first, then rule sets, then local plugins).

    .. versionadded:: 2
    """


@hookspec(firstresult=True)
def payerkit_patient_billing(program: Program, case: Case, visit: Visit, as_of: dt.date,
                             facts: Any) -> PatientBilling | None:
    """Say what the practice may bill the patient once the payer has decided the claim.

    :return: a :class:`payerkit.model.PatientBilling`: ``responsibility`` (only the
        amounts the payer's remittance assigns to the patient, 835 CAS group ``PR``) or
        ``nothing`` (no charge against the patient for these services: NY no-fault's fee
        schedule, workers' compensation), with its description and citation; ``None`` to
        leave the answer to others. The ledger (``payerkit ledger statement``) bills the
        patient only what it allows; with no answer, payerkit bills only ``PR`` amounts and
        says that the program gave no rule.

    Asked once per claim recorded in the ledger, for its last visit. A later plugin's
    answer wins (a state's balance-billing law as a rule set over the payer's own).

    .. versionadded:: 2
       Within contract 2: an addition a plugin may leave unimplemented.
    """


# -------------------------------------------------------------------------
# Question hooks: firstresult.
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def payerkit_units(program: Program, case: Case, visit: Visit, as_of: dt.date,
                   facts: Any) -> UnitRule | None:
    """Choose how timed minutes become 15-minute units for this program.

    :return: a :class:`payerkit.rules.units.UnitRule`, e.g.
        ``payerkit.rules.units.CMS_8_MINUTE`` (total timed minutes of a date) or
        ``payerkit.rules.units.CPT_MIDPOINT`` (each code on its own); its
        ``notes`` (reasons, e.g. "not confirmed for this payer") are added
        to the pricing. ``None`` to let payerkit use the CMS rule, which it
        says in the pricing reasons.

    Stops at first non-None result.

    .. versionadded:: 1
    .. versionchanged:: 2
       Gets ``visit``, ``as_of`` and ``facts``; the rule carries its reasons.
    """


@hookspec(firstresult=True)
def payerkit_fee_schedule(program: Program, case: Case, visit: Visit, as_of: dt.date,
                          facts: Any) -> FeeSchedule | None:
    """Give the allowed amounts for the program on the visit's date of service.

    :return: a :class:`payerkit.rules.fees.FeeSchedule` (entries with
        effective dates, a citation, and ``notes``: reasons that explain the
        figures, added to the pricing), or ``None``. ``case.fees`` holds a
        practice-supplied schedule when the case file gives one
        (:func:`payerkit.rules.fees.practice_schedule`). Without a schedule,
        prices carry ``allowed = None`` with a reason.

    A practice's local plugin can implement this hook to supply its
    contracted rates (its answer wins over the owner's), or with
    ``@hookimpl(wrapper=True)`` to adjust the owner's schedule.

    Stops at first non-None result.

    .. versionadded:: 1
    .. versionchanged:: 2
       Gets ``visit``, ``as_of`` and ``facts``; the schedule carries its reasons.
    """


@hookspec(firstresult=True)
def payerkit_adjust_pricing(program: Program, case: Case, visit: Visit, as_of: dt.date,
                            facts: Any, pricing: Pricing) -> Pricing | None:
    """Apply the program's payment rules to a priced visit.

    :param pricing: the :class:`payerkit.model.Pricing` built from units and
        the fee schedule.
    :return: a new :class:`payerkit.model.Pricing` with the same lines in the
        same order (e.g. units over a daily cap not allowed, with a reason),
        or ``None`` to keep it. Adding or removing lines is a plugin error.

    Stops at first non-None result.

    .. versionadded:: 1
    .. versionchanged:: 2
       Gets ``visit``, ``as_of`` and ``facts``; the line count is checked.
    """


@hookspec(firstresult=True)
def payerkit_visit_limits(program: Program, case: Case, visit: Visit, as_of: dt.date,
                          facts: Any) -> Iterable[Limit] | None:
    """Count what is used and what is left under the program's limits, as of a visit.

    :return: an iterable of :class:`payerkit.model.Limit` (visits, units or
        RVUs; allowed, used, window, citation), or ``None``. Count up to and
        including ``visit``; build them with :mod:`payerkit.rules.limits`.

    Stops at first non-None result.

    .. versionadded:: 1
    .. versionchanged:: 2
       Gets ``visit``, ``as_of`` and ``facts``.
    """


@hookspec(firstresult=True)
def payerkit_filing_deadline(program: Program, case: Case, visit: Visit, as_of: dt.date,
                             facts: Any) -> Iterable[Deadline] | None:
    """Give the deadlines that apply to billing this visit.

    :return: an iterable of :class:`payerkit.model.Deadline` (notice,
        claim submission ...), or ``None``. payerkit compares each with the
        day the claim is judged on and reports late ones as scrub findings,
        with the deadline's citation and its excuse rule.

    Stops at first non-None result.

    .. versionadded:: 1
    .. versionchanged:: 2
       Gets ``as_of`` and ``facts``.
    """


@hookspec(firstresult=True)
def payerkit_format_claim(program: Program, case: Case, claim: Claim,
                          claim_format: ClaimFormat, options: WriteOptions,
                          rendering: Rendering) -> bytes | None:
    """Write the claim in a format, or return ``None`` to let the format's writer do it.

    :param claim: the :class:`payerkit.model.Claim` built from the case.
    :param claim_format: the :class:`payerkit.model.ClaimFormat` asked for.
    :param options: the :class:`payerkit.formats.WriteOptions`.
    :param rendering: the claim as the format rendered it for the scrub
        (:class:`payerkit.model.Rendering`, without findings that stop it).
    :return: the file's ``bytes``, or ``None``. payerkit's built-in plugin
        answers last (``trylast``) by writing ``rendering`` with the format's
        writer; a payer plugin answers first only when its payer needs
        something the shared writer does not do. Its answer is a whole file:
        ``payerkit batch`` writes it as the case's own claim file, never into
        a streamed file (an 837P interchange), where a plugin that answers
        ``None`` leaves the claim.

    Stops at first non-None result.

    .. versionadded:: 1
    .. versionchanged:: 2
       (payerkit 0.3) Gets ``rendering``; applies to ``payerkit batch`` as to
       ``payerkit claim``.
    """


def hookspecs_names() -> list[str]:
    """The names of every hook in this contract (for docs and conformance tests)."""
    return sorted(n for n, f in globals().items()
                  if n.startswith("payerkit_") and callable(f))

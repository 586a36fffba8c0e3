"""The payerkit hook contract, version 1.

Every hook a plugin may implement is specified here. Implement one with::

    from payerkit import hookimpl

    @hookimpl
    def payerkit_programs():
        return [Program(id="my-program", ...)]

Two shapes of hook exist (conda's and pytest's way):

* **registration hooks** (``payerkit_programs``, ``payerkit_claim_formats``)
  are called on every plugin and return typed records; the manager refuses
  two plugins that claim one id, naming both.
* **question hooks** are ``firstresult``: the facade calls them only on the
  plugin that owns the case's program, plus local plugins added with
  ``PayerKit.register`` (which may wrap or override the owner's answer), plus
  payerkit's built-in plugins. An implementation must return ``None`` for a
  program it does not own, so the same code stays correct when called more
  widely.

* **contribution hooks** (``payerkit_scrub``) are called on the same plugins
  and all answers are collected.

Arguments are passed by keyword; an implementation may accept fewer arguments
than the spec names (pluggy's opt-in arguments), so new arguments can be added
in later versions without breaking plugins.
"""

from __future__ import annotations

import pluggy

PROJECT = "payerkit"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -------------------------------------------------------------------------
# Registration hooks: called on every plugin when the kit starts.
# -------------------------------------------------------------------------


@hookspec
def payerkit_programs():
    """Return the payer programs this plugin answers for.

    :return: an iterable of :class:`payerkit.model.Program` records. Each
        program ``id`` (e.g. ``ny-no-fault``) must be unique across installed
        plugins; a second plugin claiming the same id is an error naming both.

    Called once per plugin when the kit is built, not per case.

    .. versionadded:: 0.1
    """


@hookspec
def payerkit_claim_formats():
    """Return the claim formats this plugin can write.

    :return: an iterable of :class:`payerkit.model.ClaimFormat` records
        (``id``, ``name``, ``suffix``, ``media_type``, ``write``). ``write`` is
        called as ``write(claim, options)`` with a :class:`payerkit.model.Claim`
        and :class:`payerkit.formats.WriteOptions` and returns ``bytes``.
        Format ids are unique across plugins, as program ids are.

    payerkit's own X12 837P writer is registered through this hook.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Question hooks: firstresult, asked of the plugin owning the program.
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def payerkit_eligibility(program, case, visit):
    """Decide whether the program pays for this care, and on what conditions.

    :param program: the :class:`payerkit.model.Program` the case names.
    :param case: the :class:`payerkit.model.Case`.
    :param visit: the :class:`payerkit.model.Visit` in question (the last one
        unless the caller picks another); earlier visits are the history.
    :return: a :class:`payerkit.model.Eligibility` with ``status``
        ``covered``, ``action_required`` (``requirements`` say what to do) or
        ``not_covered``; every reason with its citation. ``None`` if the
        program is not this plugin's.

    Stops at first non-None result, see :ref:`firstresult`.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def payerkit_units(program, case):
    """Choose how timed minutes become 15-minute units for this program.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`.
    :return: a :class:`payerkit.rules.units.UnitRule`, e.g.
        ``payerkit.rules.units.CMS_8_MINUTE`` (total timed minutes of a date) or
        ``payerkit.rules.units.CPT_MIDPOINT`` (each code on its own); ``None``
        if the program is not this plugin's. When no plugin answers, payerkit
        uses the CMS rule and says so in the pricing reasons.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def payerkit_fee_schedule(program, case):
    """Give the allowed amounts for the program on the case's dates of service.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case` (``case.fees`` holds a
        practice-supplied schedule, when the case file gives one).
    :return: a :class:`payerkit.rules.fees.FeeSchedule` (entries with
        effective dates and a source citation), or ``None``. When nobody
        answers, prices carry ``allowed = None`` with a reason.

    A practice's local plugin can implement this hook with
    ``@hookimpl(tryfirst=True)`` to supply its contracted rates, or with
    ``@hookimpl(wrapper=True)`` to adjust the owner's schedule.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def payerkit_adjust_pricing(program, case, pricing):
    """Apply the program's payment rules to a priced visit.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`.
    :param pricing: the :class:`payerkit.model.Pricing` built from units and
        the fee schedule.
    :return: a new :class:`payerkit.model.Pricing` (e.g. with units over a
        daily cap not allowed, and a reason saying so), or ``None`` to keep it.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def payerkit_visit_limits(program, case):
    """Count what is used and what is left under the program's limits.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`; its visits are the history.
    :return: an iterable of :class:`payerkit.model.Limit` (visits, units or
        RVUs; allowed, used, window, citation), or ``None``. Build them with
        :mod:`payerkit.rules.limits`.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def payerkit_filing_deadline(program, case, visit):
    """Give the deadlines that apply to billing this visit.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`.
    :param visit: the :class:`payerkit.model.Visit` being billed.
    :return: an iterable of :class:`payerkit.model.Deadline` (notice,
        claim submission ...), or ``None``. payerkit compares each with the
        case's ``as_of`` day and reports late ones as scrub findings, with the
        deadline's citation and its excuse rule.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def payerkit_format_claim(program, case, claim, claim_format, options):
    """Write the claim in a format, or return ``None`` to let the format's writer do it.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`.
    :param claim: the :class:`payerkit.model.Claim` built from the case.
    :param claim_format: the :class:`payerkit.model.ClaimFormat` asked for.
    :param options: the :class:`payerkit.formats.WriteOptions`.
    :return: the file's ``bytes``, or ``None``. payerkit's built-in plugin
        answers last (``trylast``) by calling ``claim_format.write``; a payer
        plugin answers first only when its payer needs something the shared
        writer does not do.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Contribution hooks: every consulted plugin adds to the answer.
# -------------------------------------------------------------------------


@hookspec
def payerkit_scrub(program, case, visit, pricing):
    """Find problems with the claim for this visit before it goes out.

    :param program: the :class:`payerkit.model.Program`.
    :param case: the :class:`payerkit.model.Case`.
    :param visit: the :class:`payerkit.model.Visit` being billed.
    :param pricing: its :class:`payerkit.model.Pricing`.
    :return: an iterable of :class:`payerkit.model.Finding` (``error`` stops
        the claim, ``warning`` does not), each with the field ``path`` it is
        about and a citation. The owning plugin returns its program's
        findings; payerkit's built-in checks (codes, NPI, fee parity) add
        theirs for every program.

    All results are collected.

    .. versionadded:: 0.1
    """


def hookspecs_names() -> list[str]:
    """The names of every hook in this contract (for docs and conformance tests)."""
    return sorted(n for n, f in globals().items()
                  if n.startswith("payerkit_") and callable(f))

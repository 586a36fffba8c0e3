"""The ``PayerKit`` facade: the one thing billing apps call.

    from payerkit import PayerKit, load_case

    kit = PayerKit()
    case = load_case("examples/ny-covered.toml")
    kit.check(case).status          # 'covered'
    kit.price(case).total_allowed   # Decimal or None
    ev = kit.evaluate(case)         # every answer, in one pass
    ev.write("x12-837p")            # bytes, or ClaimRefused

The kit holds the installed plugins (:mod:`payerkit.manager`), their routes
(:mod:`payerkit.routing`: the core owns dispatch) and the pipeline
(:mod:`payerkit.pipeline`) every question goes through: each question is a run
of the pipeline asked for one answer; :meth:`PayerKit.evaluate` asks it for
every answer at once, and :meth:`payerkit.model.Evaluation.write` writes the
claim from what the scrub checked.

**One context.** Every question gets the same :class:`Context`: program,
case, the visit in question, the day the answer is for (``as_of``) and the
program's typed facts.

**One list of outcomes.** Eligibility and the scrub's coverage findings are
both read from ``payerkit_outcomes``, settled by confidence
(:func:`payerkit.model.outcome.settle`), so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
from attrs import frozen

from .errors import PluginError
from .formats import X12_837P
from .formats.options import WriteOptions
from .manager import (
    PluginLoadWarning,
    Registered,
    build_registry,
    builtin_plugins,
    check_hooks,
    entry_point_plugins,
    fail,
    hook_names,
    is_builtin,
    strict_from_env,
)
from .model import (
    Case,
    Claim,
    ClaimFormat,
    Eligibility,
    Limits,
    PaymentTerms,
    PluginInfo,
    Pricing,
    Program,
    RuleSet,
    Scrub,
)
from .model.evaluation import Evaluation
from .model.outcome import Outcome
from .pipeline import ALL_VISITS, Context, Pipeline
from .routing import Router


@frozen
class ProgramEntry:
    """A program with the plugin that serves it (what ``payerkit programs`` lists)."""

    program: Program
    plugin: PluginInfo


@frozen
class PluginEntry:
    """An active plugin: where it comes from, its hooks, programs and rule sets."""

    info: PluginInfo
    hooks: tuple[str, ...]
    programs: tuple[str, ...]
    rule_sets: tuple[RuleSet, ...]
    #: The plugin object itself (a module or an instance).
    plugin: object = attrs.field(default=None, eq=False, repr=False)


class PayerKit:
    """Discovers plugins and answers the four questions for a case.

    :param entry_points: load plugins from the ``payerkit`` entry-point group
        (default ``True``); pass an iterable of entry points to choose them.
    :param plugins: extra plugin objects (modules or instances) to register
        as if installed, e.g. an adapter under test.
    :param strict: raise instead of warning when a plugin fails to load or
        conflicts (default: the ``PAYERKIT_STRICT_PLUGINS`` environment variable).
    """

    def __init__(self, *, entry_points: bool | Iterable = True, plugins: Iterable = (),
                 strict: bool | None = None):
        self._strict = strict_from_env() if strict is None else strict
        failures: list = []
        found = [] if entry_points is False else entry_point_plugins(
            self._strict, None if entry_points is True else entry_points, failures)
        extra = [Registered(p, PluginInfo(getattr(p, "__name__", type(p).__name__), None, None))
                 for p in plugins]
        registry = build_registry(builtin_plugins() + found + extra, self._strict, failures)
        self._plugins = registry.plugins
        self._formats = registry.formats
        self._rule_sets = registry.rule_sets
        self._programs = {pid: (self._installed_formats(program), reg)
                          for pid, (program, reg) in registry.programs.items()}
        builtins = frozenset(id(r.plugin) for r in self._plugins if is_builtin(r))
        self._router = Router(self._plugins, builtins, self._programs, self._rule_sets)
        self._pipeline = Pipeline(self._router, self._programs, self._formats,
                                  registry.failures)

    def _installed_formats(self, program: Program) -> Program:
        missing = [f for f in program.claim_formats if f not in self._formats]
        if not missing:
            return program
        fail(f"program {program.id!r} lists claim format(s) {', '.join(missing)} that no "
             f"installed plugin writes; they are left out", self._strict)
        return attrs.evolve(program, claim_formats=[f for f in program.claim_formats
                                                    if f in self._formats])

    # -- plugins and programs -------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> None:
        """Add a local plugin (a practice's contracted rates, a payer tweak).

        It is consulted for every program, after the owner and rule sets, so
        it can override (return non-``None``) or wrap (``wrapper=True``) any
        question hook. Registration hooks of local plugins are not read.
        """
        label = name or getattr(plugin, "__name__", type(plugin).__name__)
        try:
            check_hooks(plugin)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            raise PluginError(f"local plugin {label!r} cannot be registered: {exc}") from None
        self._router.add_local(plugin, label)

    def programs(self) -> list[ProgramEntry]:
        return [ProgramEntry(program, reg.info) for program, reg in self._programs.values()]

    def program(self, program_id: str) -> Program:
        return self._pipeline.program(program_id)

    def rule_sets(self) -> list[RuleSet]:
        return [rule_set for rule_set, _ in self._rule_sets.values()]

    def claim_formats(self) -> list[ClaimFormat]:
        return [fmt for fmt, _ in self._formats.values()]

    def plugins(self) -> list[PluginEntry]:
        """Every active plugin with its hooks, programs and rule sets."""
        return [PluginEntry(
            reg.info, hook_names(reg.plugin, *(p.adapter for p, owner in self._programs.values()
                                               if owner is reg and p.adapter is not None)),
            tuple(pid for pid, (_, owner) in self._programs.items() if owner is reg),
            tuple(rs for rs, owner in self._rule_sets.values() if owner is reg),
            reg.plugin,
        ) for reg in self._plugins]

    def claim_format_of(self, format_id: str) -> ClaimFormat:
        """The installed claim format of that id (``CaseError`` when there is none)."""
        return self._pipeline.format_of(format_id)

    def format_owner(self, format_id: str) -> str:
        """The plugin that registered a format, as errors name it (``'name' (distribution)``)."""
        return self._pipeline.format_owner(self._pipeline.format_of(format_id))

    def claim_format(self, format_id: str, program: Program) -> ClaimFormat:
        """The format asked for: unknown is bad input; one the program does not take, a finding."""
        return self._pipeline.claim_format(format_id, program)

    def context(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Context:
        """The context every hook gets: the visit (default the last), the day, the facts."""
        return self._pipeline.context(case, visit, as_of)

    # -- the questions: each a run of the pipeline ------------------------------------

    def _one(self, case: Case, visit: object, as_of: dt.date | None):
        """A run over one visit (default the last), for a single question."""
        return self._pipeline.run(case, (self._pipeline.visit(case, visit),), as_of)

    def _claim_run(self, case: Case, visit: object, as_of: dt.date | None,
                   format: str | None = None, written_on: dt.date | None = None):
        """A run over the visits a claim bills (``visit``: see :meth:`claim`)."""
        return self._pipeline.run(case, self._pipeline.visits(case, visit), as_of, format,
                                  written_on)

    def outcomes(self, case: Case, visit: object = None,
                 as_of: dt.date | None = None) -> tuple[Outcome, ...]:
        """Every rule's outcome for a visit, settled by confidence (owner's first)."""
        return self._one(case, visit, as_of).outcomes[-1]

    def check(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Eligibility:
        """Will the program pay for this care (a visit, default the last), and on what conditions?"""
        return self._one(case, visit, as_of).eligibility

    def price(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Pricing:
        """Units, charge and allowed amount for each service of a visit (default: the last)."""
        return self._one(case, visit, as_of).pricings[-1]

    def limits(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Limits:
        """Visits or units used and left under the program's limits, as of a visit."""
        return self._one(case, visit, as_of).limits

    def payment_terms(self, case: Case, visit: object = None,
                      as_of: dt.date | None = None) -> PaymentTerms:
        """What the payer owes on the claim for a visit, and by when (prompt pay, interest)."""
        return self._one(case, visit, as_of).payment_terms

    def plan(self, case: Case, as_of: dt.date | None = None):
        """The treatment plan's state on ``as_of`` (default: the case's day), as the progress
        report shows it (a :class:`payerkit.model.PlanReport`): its dates, visits attended,
        missed and left, each goal's measurements against its baseline, target and the
        measure's MCID, every authorization with what is left, and what is due. A case without
        ``episode.plan`` is a :class:`CaseError`.

        A run of the pipeline asked for the plan alone (no hook is asked): the report
        :meth:`evaluate`'s ``plan`` gives and the progress report
        (``claim(case, "progress-report")``) draws."""
        return self._one(case, None, as_of).plan_report

    def scrub(self, case: Case, visit: object = None, as_of: dt.date | None = None,
              written_on: dt.date | None = None, format: str | None = None) -> Scrub:
        """Findings on the claim for a visit, or several, before it goes out; errors first.

        ``visit`` is what :meth:`claim` bills: a visit, a date, ``None`` (the last),
        a sequence of visits and dates, or :data:`ALL_VISITS`. Each visit is
        scrubbed as itself (its rules, limits and deadlines; its findings name
        its own paths), then the whole claim as ``format`` (default: the
        program's first, its electronic claim) renders it: 50 lines at most in
        an 837P; a finding said alike for several visits is given once. A paper
        form's box sizes never stop an electronic claim.

        ``written_on``: the day the claim is written and sent, when later than
        ``as_of``; the scrub then also says what is late on that day.
        """
        return self._claim_run(case, visit, as_of, format, written_on).scrub

    def build_claim(self, case: Case, visit: object = None,
                    as_of: dt.date | None = None) -> Claim:
        """The :class:`payerkit.model.Claim` for the visits :meth:`claim` would bill (no scrub)."""
        return self._claim_run(case, visit, as_of).claim

    def evaluate(self, case: Case, visit: object = None, as_of: dt.date | None = None, *,
                 format: str | None = None, written_on: dt.date | None = None) -> Evaluation:
        """Every answer for the visits a claim bills, each computed once (one pass).

        ``visit``, ``as_of``, ``format`` and ``written_on`` mean what they mean
        for :meth:`scrub` (``visit`` as for :meth:`claim`). The evaluation holds
        what :meth:`check`, :meth:`limits` and :meth:`payment_terms` answer for
        the last visit billed, what :meth:`price` answers for each visit, what
        :meth:`scrub` answers for the claim, and, when the scrub found no
        error, the claim itself (:class:`payerkit.model.Claim`). Its
        :meth:`~payerkit.model.Evaluation.write` makes the claim file from the
        rendering the scrub checked, without asking again.
        """
        return self._claim_run(case, visit, as_of, format, written_on).evaluation()

    def claim(self, case: Case, format: str = X12_837P, visit: object = None,
              options: WriteOptions | None = None, as_of: dt.date | None = None, *,
              evaluation: Any = None) -> bytes:
        """The claim file's bytes; raises :class:`ClaimRefused` when the scrub finds errors.

        ``visit``: the visit to bill (a :class:`Visit` or its date; default the
        last), or several on one claim: a sequence of visits and dates, or
        :data:`ALL_VISITS` (``"all"``) for every visit of the case. The claim
        has a line for each billed service of each, in date order, and is
        refused when the scrub of any of them, or ``format``'s rendering of the
        whole claim, finds errors (:meth:`scrub` with ``format``).

        Deadlines are judged on ``as_of`` (default: the case's, else today),
        for each visit. To write the claim of an evaluation, use its
        :meth:`~payerkit.model.Evaluation.write`: ``ev.write(format, options)``
        (``evaluation=`` is gone: an evaluation writes its own claim).
        """
        if evaluation is not None:
            raise TypeError("PayerKit.claim(case, format, evaluation=ev) is replaced by "
                            "ev.write(format, options): an evaluation writes its own claim")
        return self._claim_run(case, visit, as_of, format).write(format, options)


__all__ = ["ALL_VISITS", "Context", "PayerKit", "PluginEntry", "PluginLoadWarning", "ProgramEntry"]

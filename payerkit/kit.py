"""The ``PayerKit`` facade: the one thing billing apps call.

    from payerkit import PayerKit, load_case

    kit = PayerKit()
    case = load_case("examples/ny-covered.toml")
    kit.check(case).status          # 'covered'
    kit.price(case).total_allowed   # Decimal or None
    kit.claim(case, "x12-837p")     # bytes, or ClaimRefused

**Routing (the core owns dispatch).** Each question about a case goes to a
small plugin manager (a *route*) holding only: payerkit's built-in plugins,
the plugin that registered the case's program, the plugins whose rule sets
select that program and the plan's funding, and the practice's local plugins
(:meth:`PayerKit.register`), registered in that order, so a later one's
answer wins in firstresult hooks and its wrappers wrap the earlier ones.
Routes are built once per (program, funding) and cached: the cost per claim
does not grow with the number of installed adapters.

**One context.** Every question gets the same :class:`Context`: program,
case, the visit in question, the day the answer is for (``as_of``) and the
program's typed facts.

**One list of outcomes.** Eligibility and the scrub's coverage findings are
both read from ``payerkit_outcomes``, settled by confidence
(:func:`payerkit.model.outcome.settle`), so they cannot disagree.

**Plugins at call time.** A hook that raises or answers with the wrong type
becomes a :class:`PluginError` naming the plugin, the hook and the exception
type, never the exception's text (it may hold patient data). Any
``BaseException`` counts (``sys.exit()`` in a plugin is a fault, not an
exit), except ``KeyboardInterrupt``: Ctrl-C stops the run, whoever raised it.
"""

from __future__ import annotations

import datetime as dt
import functools
import traceback
import weakref
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pluggy
from attrs import frozen

from .claims import build_claim, case_path, visit_index
from .errors import CaseError, ClaimRefused, FormatError, PayerKitError, PluginError, UnknownProgram
from .fingerprint import fingerprint, first_change
from .formats import X12_837P
from .formats.options import WriteOptions
from .manager import (
    PluginLoadWarning,
    Registered,
    build_registry,
    builtin_plugins,
    check_hooks,
    describe,
    entry_point_plugins,
    fail,
    hook_names,
    is_builtin,
    new_plugin_manager,
    owner_of,
    strict_from_env,
)
from .model import (
    Case,
    Citation,
    Claim,
    ClaimFormat,
    Deadline,
    Eligibility,
    Finding,
    Limit,
    Limits,
    PaymentTerm,
    PaymentTerms,
    PluginInfo,
    PricedLine,
    Pricing,
    Program,
    Reason,
    RuleSet,
    Scrub,
    Visit,
)
from .model.evaluation import Evaluation
from .model.outcome import Outcome, caution, settle, status_of
from .model.program import FUNDINGS
from .paths import facts_path
from .rules.deadlines import late_findings
from .rules.fees import FeeSchedule
from .rules.money import line_amount
from .rules.units import CMS_8_MINUTE, UnitRule

SEVERITY_ORDER = {"error": 0, "warning": 1}
NO_SCHEDULE = Citation("payerkit: allowed amounts need a fee schedule from the program's plugin "
                       "or the practice; none was given", confidence="rule")
MIDPOINT_CITATION = Citation("CMS Pub. 100-04 ch. 5 § 20.2 and the CPT time rule: a 15-minute "
                             "unit needs at least 8 minutes", confidence="high")
ERISA = Citation("ERISA § 514(a)-(b), 29 U.S.C. § 1144: state insurance laws do not reach "
                 "self-funded employee benefit plans; 42 CFR § 422.402: the Medicare Advantage "
                 "standards supersede State law (other than licensing and plan solvency) for "
                 "MA plans", confidence="medium")
#: ``visit=ALL_VISITS`` bills every visit of the case on one claim.
ALL_VISITS = "all"
OWN_SCRUB = Citation("payerkit: a claim is written only on its own scrub", confidence="rule")
JUDGED_DAY = Citation("payerkit: a claim's deadlines are judged on the day it is sent; the "
                      "case's as_of is the day it was judged", confidence="rule")


def _case_unchanged(question):
    """Answer only if the case is as it was before the plugins read it.

    The model is frozen, but ``object.__setattr__`` or an item put in one of the
    case's dicts still changes it, and the claim would be written from what a
    plugin made of it. Such a change is a :class:`PluginError` naming the field
    (never its value) and the plugins asked; nothing is answered or written. It
    costs two fingerprints of the case per question (:mod:`payerkit.fingerprint`),
    not one per hook: the plugin is not told apart from the others asked.
    """
    @functools.wraps(question)
    def guarded(self, case, *args, **kwargs):
        before = fingerprint(case)
        try:
            answer = question(self, case, *args, **kwargs)
        except ClaimRefused as refused:  # findings are an answer too
            if fingerprint(case) != before:
                raise self._case_changed(case, before) from refused
            raise
        if fingerprint(case) != before:
            raise self._case_changed(case, before)
        return answer
    return guarded


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


@frozen
class Context:
    """What every question is asked about: the same for every hook (contract v2)."""

    program: Program
    case: Case
    visit: Visit
    as_of: dt.date
    facts: Any = None

    def kwargs(self) -> dict[str, Any]:
        return {"program": self.program, "case": self.case, "visit": self.visit,
                "as_of": self.as_of, "facts": self.facts}

    @property
    def visit_index(self) -> int:
        return self.case.visits.index(self.visit)


@frozen
class _Route:
    """The plugins asked about one program (and plan funding), in precedence order."""

    pm: pluggy.PluginManager
    labels: dict[str, str]
    builtins: frozenset[str]
    #: Rule sets applied to a plan whose funding the case does not give.
    assumed: tuple[RuleSet, ...]


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
        found = [] if entry_points is False else entry_point_plugins(
            self._strict, None if entry_points is True else entry_points)
        extra = [Registered(p, PluginInfo(getattr(p, "__name__", type(p).__name__), None, None))
                 for p in plugins]
        registry = build_registry(builtin_plugins() + found + extra, self._strict)
        self._plugins = registry.plugins
        self._builtins = frozenset(id(r.plugin) for r in self._plugins if is_builtin(r))
        self._formats = registry.formats
        self._rule_sets = registry.rule_sets
        self._programs = {pid: (self._installed_formats(program), reg)
                          for pid, (program, reg) in registry.programs.items()}
        self._locals: list[tuple[object, str]] = []
        self._routes: dict[tuple[str, str | None], _Route] = {}
        #: Evaluations this kit made (by identity) and the plugin generation they were made in.
        self._evaluations: weakref.WeakSet[Evaluation] = weakref.WeakSet()
        self._generation = 0

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
        self._locals.append((plugin, label))
        self._routes.clear()
        self._generation += 1

    def programs(self) -> list[ProgramEntry]:
        return [ProgramEntry(program, reg.info) for program, reg in self._programs.values()]

    def program(self, program_id: str) -> Program:
        try:
            return self._programs[program_id][0]
        except KeyError:
            raise UnknownProgram(program_id, list(self._programs)) from None

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
        ) for reg in self._plugins]

    def _route_for(self, ctx: Context) -> _Route:
        """The route for a question: the program, and the plan's funding (the case's, else
        the program's own when all its plans are funded one way)."""
        return self._route(ctx.program, ctx.case.coverage.funding or ctx.program.funding)

    def _route(self, program: Program, funding: str | None) -> _Route:
        key = (program.id, funding)
        route = self._routes.get(key)
        if route is not None:
            return route
        pm = new_plugin_manager()
        labels: dict[str, str] = {}
        builtins: set[str] = set()

        def add(plugin: object, label: str) -> None:
            if pm.is_registered(plugin):
                return
            name = f"{label}#{len(labels)}"
            pm.register(plugin, name=name)
            labels[name] = label
            if id(plugin) in self._builtins:
                builtins.add(name)

        for reg in self._plugins:
            if id(reg.plugin) in self._builtins:
                add(reg.plugin, describe(reg.info))
        add(*owner_of(program, self._programs[program.id][1]))
        assumed = []
        for rule_set, reg in self._rule_sets.values():
            if rule_set.selects(program) and rule_set.governs(funding):
                add(reg.plugin, describe(reg.info))
                if funding is None and set(rule_set.funding) != set(FUNDINGS):
                    assumed.append(rule_set)
        for plugin, label in self._locals:
            add(plugin, f"{label!r} (local)")
        route = _Route(pm, labels, frozenset(builtins), tuple(assumed))
        self._routes[key] = route
        return route

    # -- calling hooks ------------------------------------------------------------

    def _call(self, route: _Route, hook: str, **kwargs) -> Any:
        try:
            return getattr(route.pm.hook, hook)(**kwargs)
        except (PayerKitError, KeyboardInterrupt):  # the user's input, or Ctrl-C: not a fault
            raise
        except BaseException as exc:  # a plugin's bug or sys.exit(): name it, not its text
            raise self._failed(route, hook, exc) from exc

    def _failed(self, route: _Route, hook: str, exc: BaseException) -> PluginError:
        """A plugin raised, in its hook or as its answer was read (a generator)."""
        caller = getattr(route.pm.hook, hook)
        raiser = self._raiser(caller, exc)
        culprit = route.labels[raiser] if raiser is not None else self._suspects(route, caller)
        return PluginError(f"plugin {culprit} failed in {hook}: {type(exc).__name__}")

    @staticmethod
    def _raiser(caller, exc: BaseException) -> str | None:
        """The innermost hook implementation on the exception's traceback (its route name)."""
        codes = {getattr(impl.function, "__func__", impl.function).__code__: impl.plugin_name
                 for impl in caller.get_hookimpls()}
        for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
            name = codes.get(frame.f_code)
            if name is not None:
                return name
        return None

    @staticmethod
    def _suspects(route: _Route, caller) -> str:
        """Every plugin but payerkit's own that implements the hook: when nothing tells them
        apart."""
        names = [route.labels[i.plugin_name] for i in caller.get_hookimpls()
                 if i.plugin_name not in route.builtins]
        return " or ".join(dict.fromkeys(names)) or "payerkit"

    @staticmethod
    def _answerer(route: _Route, hook: str, kwargs: dict, fits) -> str | None:
        """Who gave an answer that does not ``fits`` (on the error path only).

        pluggy does not say which plugin answered what, so each plugin's own
        implementation (payerkit's are not suspects) is asked again, alone, in
        pluggy's order, and those whose answer does not fit are named; in a
        firstresult hook, only the first that answers. When every answer fits, a
        wrapper spoilt them: the wrappers are named. ``None`` when there is no one
        to name (only payerkit's own implementation answered).
        """
        caller = getattr(route.pm.hook, hook)
        first = caller.spec is not None and caller.spec.opts.get("firstresult", False)
        impls = [i for i in reversed(caller.get_hookimpls()) if i.plugin_name not in route.builtins]
        wrong = []
        for impl in (i for i in impls if not (i.wrapper or i.hookwrapper)):
            try:
                answer = impl.function(*(kwargs[name] for name in impl.argnames))
                fitting = fits(answer)
            except KeyboardInterrupt:
                raise
            except BaseException:  # it answered the first time: not told apart
                continue
            if not fitting:
                wrong.append(impl.plugin_name)
            if first and answer is not None:
                break
        if not wrong:
            wrong = [i.plugin_name for i in impls if i.wrapper or i.hookwrapper]
        return " or ".join(dict.fromkeys(route.labels[name] for name in wrong)) or None

    def _case_changed(self, case: Case, before: list) -> PluginError:
        try:
            program = self.program(case.program)
            route = self._route(program, case.coverage.funding or program.funding)
            asked = [label for name, label in route.labels.items() if name not in route.builtins]
        except Exception:  # the case is no longer what it was: say what we can
            asked = []
        return PluginError(f"a plugin changed {first_change(case, before, 'case')} of the case "
                           "it was asked about; the case is frozen: a plugin reads it, never "
                           "sets it (object.__setattr__, an item put in one of its dicts). "
                           "Nothing was answered or written. Plugins asked: "
                           f"{', '.join(asked) or 'unknown'}")

    @staticmethod
    def _answered(route: _Route, hook: str) -> bool:
        """Whether any plugin but payerkit's own implements ``hook`` for this route."""
        return any(impl.plugin_name not in route.builtins
                   for impl in getattr(route.pm.hook, hook).get_hookimpls())

    def _wrong_type(self, route: _Route, hook: str, expected: str, got: object, kwargs: dict,
                    fits) -> PluginError:
        culprit = self._answerer(route, hook, kwargs, fits) or \
            self._suspects(route, getattr(route.pm.hook, hook))
        return PluginError(f"plugin {culprit} answered {hook} with {type(got).__name__}, "
                           f"expected {expected}")

    def _many(self, route: _Route, hook: str, results, kind: type, kwargs: dict) -> list:
        """Flatten a hook's answers (each an iterable of ``kind``, or ``None``), checking each
        item; an answer that fails as it is read (a generator) is its plugin's failure."""
        def fits(answer) -> bool:
            return answer is None or (not isinstance(answer, str | bytes) and isinstance(
                answer, Iterable) and all(isinstance(item, kind) for item in answer))

        items = []
        try:
            for result in results or ():
                if result is None:
                    continue
                if isinstance(result, str | bytes) or not isinstance(result, Iterable):
                    raise self._wrong_type(route, hook, f"an iterable of {kind.__name__}",
                                           result, kwargs, fits)
                for item in result:
                    if not isinstance(item, kind):
                        raise self._wrong_type(route, hook, f"{kind.__name__} items", item,
                                               kwargs, fits)
                    items.append(item)
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # read lazily, the answer raised
            raise self._failed(route, hook, exc) from exc
        return items

    def _one(self, route: _Route, hook: str, result, kind: type, kwargs: dict):
        if result is not None and not isinstance(result, kind):
            raise self._wrong_type(route, hook, f"a {kind.__name__} or None", result, kwargs,
                                   lambda answer: answer is None or isinstance(answer, kind))
        return result

    # -- the context ----------------------------------------------------------------

    def context(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Context:
        """The context every hook gets: the visit (default the last), the day, the facts."""
        program = self.program(case.program)
        facts = self._facts(program, case)
        return Context(program, _moved(program, case, facts), self._visit(case, visit),
                       as_of or case.today(), facts)

    def _contexts(self, case: Case, visit: object, as_of: dt.date | None) -> tuple[Context, ...]:
        """One context for each visit a claim bills (:meth:`_visits`), in date order."""
        program = self.program(case.program)
        visits = self._visits(case, visit)
        day, facts = as_of or case.today(), self._facts(program, case)
        case = _moved(program, case, facts)
        return tuple(Context(program, case, v, day, facts) for v in visits)

    @staticmethod
    def _facts(program: Program, case: Case) -> Any:
        if program.facts is None and not case.facts:
            return None
        others = [key for key in case.facts if key != program.id]
        if others:
            raise CaseError([f"{facts_path(key)}: this case is for {program.id!r}; only "
                             f"[{facts_path(program)}] is read" for key in others])
        raw = dict(case.facts.get(program.id) or {})
        if program.facts is None:
            if raw:
                raise CaseError([f"{facts_path(program)}: {program.id} has no program facts"])
            return None
        for name, path in program.fact_aliases.items():
            if name not in raw:
                value = _attribute(case, path)
                if value is not None:
                    raw[name] = value
        from .io import structure_facts  # the case reader's converter, for the facts' types

        return structure_facts(raw, program.facts, facts_path(program))

    @staticmethod
    def _visits(case: Case, visit) -> tuple[Visit, ...]:
        """The visits a claim bills, in the case's (date) order, each once: ``visit`` is a
        visit, a date, ``None`` (the last), ``"all"`` (:data:`ALL_VISITS`) or a sequence of
        visits and dates."""
        if isinstance(visit, str):
            if visit != ALL_VISITS:
                raise CaseError([f"visits: expected a visit, a date, a list of them or "
                                 f"{ALL_VISITS!r}, not another text"])
            return case.visits
        if visit is None or isinstance(visit, Visit | dt.date) or not isinstance(visit, Iterable):
            return (PayerKit._visit(case, visit),)
        chosen = {visit_index(case, PayerKit._visit(case, v)) for v in visit}
        if not chosen:
            raise CaseError(["visits: no visit was chosen to bill"])
        return tuple(case.visits[i] for i in sorted(chosen))

    @staticmethod
    def _visit(case: Case, visit) -> Visit:
        if isinstance(visit, Visit):
            if visit not in case.visits:
                raise CaseError(["visits: the visit asked about is not one of the case's visits"])
            return visit
        try:
            return case.visit_on(visit)
        except LookupError as exc:
            raise CaseError([str(exc)]) from None

    # -- the questions ------------------------------------------------------------

    @_case_unchanged
    def outcomes(self, case: Case, visit: object = None,
                 as_of: dt.date | None = None) -> tuple[Outcome, ...]:
        """Every rule's outcome for a visit, settled by confidence (owner's first)."""
        ctx = self.context(case, visit, as_of)
        return self._outcomes(self._route_for(ctx), ctx)

    def _outcomes(self, route: _Route, ctx: Context) -> tuple[Outcome, ...]:
        kwargs = ctx.kwargs()
        results = self._call(route, "payerkit_outcomes", **kwargs)
        # pluggy answers last-registered first: put the owner's first, then rule sets, locals
        found = self._many(route, "payerkit_outcomes", list(reversed(results)), Outcome, kwargs)
        for rule_set in route.assumed:
            found.append(caution(
                "PLAN-FUNDING-UNKNOWN", f"coverage.funding is not given: {rule_set.name} "
                f"governs {' and '.join(f.replace('_', ' ') for f in rule_set.funding)} plans "
                "only and was applied; record coverage.funding (a self-funded ERISA plan and a "
                "Medicare Advantage plan are outside state insurance law)", ERISA,
                "coverage.funding"))
        return tuple(settle(o) for o in found)

    @_case_unchanged
    def check(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Eligibility:
        """Will the program pay for this care (a visit, default the last), and on what conditions?"""
        ctx = self.context(case, visit, as_of)
        route = self._route_for(ctx)
        return self._eligibility(route, ctx, self._outcomes(route, ctx))

    def _eligibility(self, route: _Route, ctx: Context, outcomes: tuple[Outcome, ...]) -> Eligibility:
        if not outcomes and not self._answered(route, "payerkit_outcomes"):
            return Eligibility(ctx.program.id, "action_required", requirements=[Reason(
                "NO-ELIGIBILITY-RULES",
                f"the plugin for {ctx.program.id} gives no coverage rules; verify with the payer",
                NO_SCHEDULE)])
        return Eligibility(ctx.program.id, status_of(outcomes),
                           requirements=[o.reason for o in outcomes if o.effect == "requirement"],
                           reasons=[o.reason for o in outcomes if o.effect != "requirement"])

    @_case_unchanged
    def price(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Pricing:
        """Units, charge and allowed amount for each service of a visit (default: the last)."""
        ctx = self.context(case, visit, as_of)
        return self._price(self._route_for(ctx), ctx)

    def _price(self, route: _Route, ctx: Context) -> Pricing:
        program, case, target = ctx.program, ctx.case, ctx.visit
        reasons: list[Reason] = []
        kwargs = ctx.kwargs()
        rule = self._one(route, "payerkit_units", self._call(route, "payerkit_units", **kwargs),
                         UnitRule, kwargs)
        if rule is None:
            rule = CMS_8_MINUTE
            reasons.append(Reason("UNITS-DEFAULT", f"no unit rule given by {program.id}; "
                                  f"used the {rule.name}", rule.citation))
        else:
            reasons.append(Reason("UNITS-RULE", f"units counted by the {rule.name}",
                                  rule.citation))
        reasons += rule.notes
        schedule = self._one(route, "payerkit_fee_schedule",
                             self._call(route, "payerkit_fee_schedule", **kwargs),
                             FeeSchedule, kwargs)
        if schedule is None:
            reasons.append(Reason("NO-FEE-SCHEDULE", "no fee schedule is configured for "
                                  f"{program.id}: allowed amounts are unknown; give the "
                                  "practice's schedule in the case's [fees]", NO_SCHEDULE))
        else:
            reasons += schedule.notes
            if schedule.citation.confidence == "sample":
                reasons.append(Reason("SAMPLE-FEES", "allowed amounts come from a SAMPLE "
                                      "schedule with no public source; replace it with your "
                                      "contract's figures", schedule.citation))
        units = rule.units(target.services)
        lines = [self._line(case, target, service, n, schedule, reasons)
                 for service, n in zip(target.services, units, strict=True)]
        pricing = Pricing(program.id, lines, reasons)
        kwargs = {**kwargs, "pricing": pricing}
        adjusted = self._one(route, "payerkit_adjust_pricing",
                             self._call(route, "payerkit_adjust_pricing", **kwargs), Pricing,
                             kwargs)
        if adjusted is None:
            return pricing
        given = [(ln.date, ln.code) for ln in lines]
        if [(ln.date, ln.code) for ln in adjusted.lines] != given:
            def fits(answer) -> bool:
                return answer is None or [(ln.date, ln.code) for ln in answer.lines] == given

            culprit = self._answerer(route, "payerkit_adjust_pricing", kwargs, fits) or \
                self._suspects(route, route.pm.hook.payerkit_adjust_pricing)
            raise PluginError(f"plugin {culprit} answered "
                              "payerkit_adjust_pricing with other lines than it was given "
                              f"({len(adjusted.lines)} for {len(lines)}); it may change "
                              "amounts and reasons, not add, remove or reorder lines")
        return adjusted

    @staticmethod
    def _line(case, visit, service, units, schedule, reasons) -> PricedLine:
        cash = case.provider.cash_rates.get(service.code)
        if service.charge is not None:
            charge = service.charge
        elif cash is not None:
            charge = line_amount(cash, units)
        else:
            charge = line_amount(Decimal(0), units)
        allowed = source = rate = None
        if schedule is not None:
            entry = schedule.lookup(service.code, service.modifiers, visit.date)
            if entry is None:
                if schedule.entries:
                    reasons.append(Reason("NO-FEE", f"{service.code}: not in the fee schedule "
                                          f"for {visit.date.isoformat()}", schedule.citation))
            else:
                rate, source = entry.amount, schedule.source
                allowed = line_amount(rate, units)
        if units == 0:
            reasons.append(Reason("ZERO-UNITS", f"{service.code}: {service.minutes or 0} "
                                  "minutes is under the 8 needed for a unit: not billable",
                                  MIDPOINT_CITATION))
        return PricedLine(visit.date, service.code, service.modifiers, service.minutes, units,
                          charge, allowed, source, service.diagnoses, rate)

    @_case_unchanged
    def limits(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Limits:
        """Visits or units used and left under the program's limits, as of a visit."""
        ctx = self.context(case, visit, as_of)
        return self._limits(self._route_for(ctx), ctx)

    def _limits(self, route: _Route, ctx: Context) -> Limits:
        kwargs = ctx.kwargs()
        result = self._call(route, "payerkit_visit_limits", **kwargs)
        return Limits(ctx.program.id, self._many(route, "payerkit_visit_limits", [result], Limit,
                                                 kwargs))

    @_case_unchanged
    def payment_terms(self, case: Case, visit: object = None,
                      as_of: dt.date | None = None) -> PaymentTerms:
        """What the payer owes on the claim for a visit, and by when (prompt pay, interest)."""
        ctx = self.context(case, visit, as_of)
        return self._terms(self._route_for(ctx), ctx)

    def _terms(self, route: _Route, ctx: Context) -> PaymentTerms:
        kwargs = ctx.kwargs()
        results = self._call(route, "payerkit_payment_terms", **kwargs)
        return PaymentTerms(ctx.program.id, self._many(
            route, "payerkit_payment_terms", list(reversed(results)), PaymentTerm, kwargs))

    @_case_unchanged
    def scrub(self, case: Case, visit: object = None, as_of: dt.date | None = None,
              written_on: dt.date | None = None, format: str | None = None) -> Scrub:
        """Findings on the claim for a visit, or several, before it goes out; errors first.

        ``visit`` is what :meth:`claim` bills: a visit, a date, ``None`` (the last),
        a sequence of visits and dates, or :data:`ALL_VISITS`. Each visit is
        scrubbed as itself (its rules, limits and deadlines; its findings name
        its own paths), then the whole claim is checked by the writer of
        ``format`` (default: the program's first, its electronic claim) — 50
        lines at most in an 837P; a finding said alike for several visits is
        given once. A paper form's box sizes never stop an electronic claim.

        ``written_on``: the day the claim is written and sent, when later than
        ``as_of``; the scrub then also says what is late on that day.
        """
        contexts = self._contexts(case, visit, as_of)
        route = self._route_for(contexts[0])
        checked = self._checked_format(format, contexts[0].program)
        pricings = [self._price(route, ctx) for ctx in contexts]
        outcomes = [self._outcomes(route, ctx) for ctx in contexts]
        draft = self._draft(contexts, pricings) if checked else None
        return self._scrub(route, contexts, pricings, outcomes,
                           self._format_findings(contexts[0].case, [c.visit for c in contexts],
                                                 draft, checked),
                           [self._deadlines(route, ctx) for ctx in contexts], written_on)

    def _checked_format(self, format_id: str | None, program: Program) -> str | None:
        """The format whose writer the scrub runs dry: the one asked for, else the program's first."""
        if format_id:
            return self.claim_format(format_id, program).id
        return program.claim_formats[0] if program.claim_formats else None

    def _scrub(self, route: _Route, contexts: tuple[Context, ...], pricings: list[Pricing],
               outcomes: list[tuple[Outcome, ...]], format_findings: list[Finding],
               deadlines: list[tuple[Deadline, ...]], written_on: dt.date | None) -> Scrub:
        """The findings, in order: each visit's rules and scrub hooks, the writer's, the
        deadlines'; a finding said alike for several visits once; errors first."""
        findings: list[Finding] = []
        for ctx, pricing, found in zip(contexts, pricings, outcomes, strict=True):
            findings += [o.finding for o in found if o.finding is not None]
            kwargs = {**ctx.kwargs(), "pricing": pricing}
            findings += self._many(route, "payerkit_scrub",
                                   self._call(route, "payerkit_scrub", **kwargs), Finding, kwargs)
        findings += format_findings
        for ctx, dated in zip(contexts, deadlines, strict=True):
            findings += self._late(ctx, dated, written_on)
        findings = list(dict.fromkeys(findings))  # case-wide findings, said once per claim
        findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        return Scrub(contexts[0].program.id, findings)

    def _deadlines(self, route: _Route, ctx: Context) -> tuple[Deadline, ...]:
        kwargs = ctx.kwargs()
        deadlines = self._call(route, "payerkit_filing_deadline", **kwargs)
        return tuple(self._many(route, "payerkit_filing_deadline", [deadlines], Deadline, kwargs))

    @staticmethod
    def _late(ctx: Context, deadlines: tuple[Deadline, ...],
              written_on: dt.date | None) -> list[Finding]:
        """What is late on ``as_of``; and, when the claim is written later, on that day too
        (warnings: the deadlines were judged on ``as_of``)."""
        excused = bool(ctx.case.claim.late_justification)
        findings = late_findings(deadlines, ctx.as_of, excused=excused)
        if written_on is None or written_on <= ctx.as_of:
            return findings
        findings.append(Finding(
            "warning", "AS-OF-BEFORE-WRITING", f"deadlines were judged on "
            f"{ctx.as_of.isoformat()} (as_of), but this claim is written on "
            f"{written_on.isoformat()}: judge it on the day it is sent with --as-of "
            f"{written_on.isoformat()}", "as_of", JUDGED_DAY))
        late_then = {f.code for f in findings}
        for finding in late_findings(deadlines, written_on, excused=excused):
            if finding.code not in late_then:
                findings.append(attrs.evolve(
                    finding, severity="warning",
                    message=f"if sent on {written_on.isoformat()}: {finding.message}"))
        return findings

    @staticmethod
    def _draft(contexts: tuple[Context, ...], pricings: list[Pricing]) -> Claim:
        """The claim the visits would make: built once, for the writer's dry run and the claim."""
        ctx = contexts[0]
        return build_claim(ctx.case, ctx.program, [c.visit for c in contexts], pricings)

    def _format_findings(self, case: Case, visits: list[Visit], draft: Claim | None,
                         format_id: str | None) -> list[Finding]:
        """What the writer of ``format_id`` would refuse, found first: the whole claim (all
        its visits) goes through the format's ``check``."""
        if format_id is None or draft is None:
            return []
        fmt = self._formats[format_id][0]
        if fmt.check is None or not draft.lines:
            return []
        try:
            problems = list(fmt.check(draft))
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # the format's bug or sys.exit(): its type, not its text
            raise PluginError(f"the {fmt.id} check of plugin {self._format_owner(fmt)} "
                              f"failed: {type(exc).__name__}") from exc
        for problem in problems:
            if not (isinstance(problem, tuple | list) and len(problem) in (2, 3)
                    and all(isinstance(part, str) for part in problem)
                    and (len(problem) == 2 or problem[2] in ("error", "warning"))):
                raise PluginError(f"the {fmt.id} check of plugin {self._format_owner(fmt)} "
                                  f"answered {type(problem).__name__}, expected (claim field, "
                                  "problem[, severity]) tuples of text")
        return [_format_finding(fmt, field, problem, case, visits, draft, *severity)
                for field, problem, *severity in problems]

    def _format_owner(self, fmt: ClaimFormat) -> str:
        return describe(self._formats[fmt.id][1].info)

    @_case_unchanged
    def build_claim(self, case: Case, visit: object = None,
                    as_of: dt.date | None = None) -> Claim:
        """The :class:`payerkit.model.Claim` for the visits :meth:`claim` would bill (no scrub)."""
        contexts = self._contexts(case, visit, as_of)
        route = self._route_for(contexts[0])
        return self._draft(contexts, [self._price(route, c) for c in contexts])

    @_case_unchanged
    def evaluate(self, case: Case, visit: object = None, as_of: dt.date | None = None, *,
                 format: str | None = None, written_on: dt.date | None = None) -> Evaluation:
        """Every answer for the visits a claim bills, each computed once (one pass).

        ``visit``, ``as_of``, ``format`` and ``written_on`` mean what they mean
        for :meth:`scrub` (``visit`` as for :meth:`claim`). The evaluation holds
        what :meth:`check`, :meth:`limits` and :meth:`payment_terms` answer for
        the last visit billed, what :meth:`price` answers for each visit, what
        :meth:`scrub` answers for the claim, and, when the scrub found no
        error, the claim itself (:class:`payerkit.model.Claim`). Pass it to
        :meth:`claim` as ``evaluation=`` to write the file without asking again.
        """
        contexts = self._contexts(case, visit, as_of)
        last = contexts[-1]
        route = self._route_for(last)
        checked = self._checked_format(format, last.program)
        pricings = [self._price(route, ctx) for ctx in contexts]
        outcomes = [self._outcomes(route, ctx) for ctx in contexts]
        deadlines = [self._deadlines(route, ctx) for ctx in contexts]
        draft = self._draft(contexts, pricings)
        format_findings = self._format_findings(case, [c.visit for c in contexts], draft,
                                                checked)
        scrub = self._scrub(route, contexts, pricings, outcomes, format_findings, deadlines,
                            written_on)
        evaluation = Evaluation(
            last.program.id, case, tuple(c.visit for c in contexts), last.as_of, checked,
            self._eligibility(route, last, outcomes[-1]), tuple(pricings),
            self._limits(route, last), self._terms(route, last), scrub,
            None if scrub.errors else draft, draft, tuple(format_findings), tuple(deadlines),
            as_of, self._generation)
        self._evaluations.add(evaluation)
        return evaluation

    @_case_unchanged
    def claim(self, case: Case, format: str = X12_837P, visit: object = None,
              options: WriteOptions | None = None, as_of: dt.date | None = None, *,
              evaluation: Evaluation | None = None) -> bytes:
        """The claim file's bytes; raises :class:`ClaimRefused` when the scrub finds errors.

        ``visit``: the visit to bill (a :class:`Visit` or its date; default the
        last), or several on one claim: a sequence of visits and dates, or
        :data:`ALL_VISITS` (``"all"``) for every visit of the case. The claim
        has a line for each billed service of each, in date order, and is
        refused when the scrub of any of them finds errors (:meth:`scrub`).

        Deadlines are judged on ``as_of`` (default: the case's, else today),
        for each visit; when that is before the day the claim is written
        (``options.now``, default today), the scrub warns, naming both days,
        and says what is late on the day of writing.

        ``evaluation``: what :meth:`evaluate` answered for this case, so the
        claim is priced and scrubbed once. It must be this kit's own, unedited,
        for this case (the same object, or an equal one), the same visits and
        the same day, made since the last :meth:`register`: anything else is
        refused (``SCRUB-MISMATCH``), never written on a scrub that is not its own.
        """
        options = options or WriteOptions()
        if evaluation is not None:
            return self._claim_evaluated(case, format, visit, options, as_of, evaluation)
        contexts = self._contexts(case, visit, as_of)
        ctx = contexts[0]
        claim_format = self.claim_format(format, ctx.program)
        route = self._route_for(ctx)
        pricings = [self._price(route, c) for c in contexts]
        outcomes = [self._outcomes(route, c) for c in contexts]
        # the writer checks its own format as it writes (one run of it, not two); the day of
        # writing adds warnings only, so errors are found without it
        scrub = self._scrub(route, contexts, pricings, outcomes, [],
                            [self._deadlines(route, c) for c in contexts], None)
        if scrub.errors:
            raise ClaimRefused(scrub.errors)
        return self._write(route, ctx, claim_format, self._draft(contexts, pricings),
                           [c.visit for c in contexts], options)

    def _claim_evaluated(self, case: Case, format: str, visit: object, options: WriteOptions,
                         as_of: dt.date | None, ev: Evaluation) -> bytes:
        problem = self._mismatch(case, visit, as_of, ev)
        if problem is not None:
            raise ClaimRefused([Finding("error", "SCRUB-MISMATCH", f"{problem}: the claim is "
                                        "not written; evaluate this case again", None,
                                        OWN_SCRUB)])
        program = self.program(case.program)
        claim_format = self.claim_format(format, program)
        ignored = () if format == ev.format else ev.format_findings  # another writer's limits
        errors = [f for f in ev.scrub.errors if f not in ignored]
        if errors:
            raise ClaimRefused(errors)
        ctx = Context(program, case, ev.visits[-1], ev.as_of)
        return self._write(self._route_for(ctx), ctx, claim_format, ev.draft, list(ev.visits),
                           options)

    def _mismatch(self, case: Case, visit: object, as_of: dt.date | None,
                  ev: Evaluation) -> str | None:
        """Why ``ev`` is not this claim's own scrub, or ``None`` when it is."""
        if not isinstance(ev, Evaluation) or ev not in self._evaluations:
            return "the evaluation was not made by this kit (or was copied or edited)"
        if ev.generation != self._generation:
            return "the evaluation was made before a plugin was registered"
        if ev.case is not case and ev.case != case:
            return "the evaluation is for another case"
        if visit is not None and self._visits(case, visit) != ev.visits:
            return "the evaluation is for other visits"
        asked = as_of if as_of is not None else ev.asked_as_of
        if (asked or case.today()) != ev.as_of:
            return (f"the evaluation judged the case on {ev.as_of.isoformat()}, this claim on "
                    f"{(asked or case.today()).isoformat()}")
        return None

    def _write(self, route: _Route, ctx: Context, claim_format: ClaimFormat, claim: Claim,
               visits: list[Visit], options: WriteOptions) -> bytes:
        """The claim file from ``payerkit_format_claim``: payerkit's own implementation calls
        the format's ``write``, so what fails there is that format's writer (named by the
        plugin that registered it), and what fails in another plugin's implementation is
        that plugin."""
        hook = "payerkit_format_claim"
        kwargs = {"program": ctx.program, "case": ctx.case, "claim": claim,
                  "claim_format": claim_format, "options": options}
        writer = self._format_owner(claim_format)
        try:
            data = getattr(route.pm.hook, hook)(**kwargs)
        except FormatError as exc:  # a value the format cannot carry: say every one, as the
            # scrub does (the format's check), not only the first the writer met
            found = _format_finding(claim_format, exc.field, exc.problem, ctx.case, visits, claim)
            checked = [f for f in self._format_findings(ctx.case, visits, claim, claim_format.id)
                       if f.severity == "error"]
            raise ClaimRefused(checked + [found] if found not in checked else checked) from None
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # a writer's bug or sys.exit(): its type, not its text
            raiser = self._raiser(getattr(route.pm.hook, hook), exc)
            if raiser is not None and raiser not in route.builtins:
                raise self._failed(route, hook, exc) from exc
            raise PluginError(f"the {claim_format.id} writer of plugin {writer} failed: "
                              f"{type(exc).__name__}") from exc
        if not isinstance(data, bytes):
            culprit = self._answerer(route, hook, kwargs,
                                     lambda answer: answer is None or isinstance(answer, bytes))
            who = (f"plugin {culprit} answered {hook} with" if culprit else
                   f"the {claim_format.id} writer of plugin {writer} answered")
            raise PluginError(f"{who} {type(data).__name__}, expected bytes")
        return data

    def claim_format(self, format_id: str, program: Program) -> ClaimFormat:
        """The format asked for: unknown is bad input; one the program does not take, a finding."""
        if format_id not in self._formats:
            known = ", ".join(self._formats) or "none"
            raise CaseError([f"format: unknown claim format {format_id!r} (installed: {known})"])
        if format_id not in program.claim_formats:
            raise ClaimRefused([Finding(
                "error", "FORMAT-NOT-ACCEPTED", f"{program.id} does not take {format_id!r} "
                f"claims (it takes {', '.join(program.claim_formats) or 'none installed'})",
                None, program.claim_formats_citation or Citation(program.name, confidence="rule"))])
        return self._formats[format_id][0]


def _format_finding(fmt: ClaimFormat, field: str, problem: str, case: Case,
                    visits: list[Visit], claim: Claim, severity: str = "error") -> Finding:
    """A value the format cannot carry (an error), or prints but wants looked at (a
    ``warning``), named by its case field (the scrub's and the writer's)."""
    path = case_path(field, case, visits, claim)
    code = "FORMAT-LIMIT" if severity == "error" else "FORMAT-WARNING"
    return Finding(severity, code, f"{path}: {problem} ({fmt.name})", path,
                   Citation(fmt.name, confidence="rule"))


def _moved(program: Program, case: Case, facts: Any) -> Case:
    """The case with each of the program's moved facts (``Program.moved_facts``) in the case
    field that now holds it, when an older file gave it only in the facts; the case's own
    value wins. The visits stay the same objects."""
    for name, path in program.moved_facts.items():
        value = getattr(facts, name, None)
        if value is not None and _attribute(case, path) is None:
            case = _replaced(case, path.split("."), value)
    return case


def _replaced(obj: Any, names: list[str], value: Any) -> Any:
    head, *rest = names
    return attrs.evolve(obj, **{head: _replaced(getattr(obj, head), rest, value)
                                if rest else value})


def _attribute(obj: object, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


__all__ = ["ALL_VISITS", "Context", "PayerKit", "PluginEntry", "PluginLoadWarning", "ProgramEntry"]

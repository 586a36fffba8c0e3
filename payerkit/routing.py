"""Routing (the core owns dispatch) and the plugin error boundary.

Each question about a case goes to a small plugin manager (a :class:`Route`) holding
only: payerkit's built-in plugins, the plugin that registered the case's program (its
owner, :meth:`Router.owner`), the plugins whose rule sets select that program and the
plan's funding, and the practice's local plugins, registered in that order, so a later
one's answer wins in firstresult hooks and its wrappers wrap the earlier ones. Routes
are built once per (program, funding) and kept: the cost per claim does not grow with
the number of installed adapters.

A route calls each hook the cheapest way that gives pluggy's answer: a hook no plugin
of the route implements is not called; a hook whose implementations are all plain
(no wrapper) is called by a loop over them in pluggy's order, without pluggy's
machinery (one implementation: one call); a hook with a wrapper goes through pluggy.

**Plugins at call time.** A hook that raises, answers with the wrong type, or answers with
a record whose field does not hold what its annotation says (:mod:`payerkit.answers`: a
finding of severity ``"fatal"``, an outcome without a citation, a float amount, a deadline
without days) becomes a :class:`PluginError` naming the plugin, the hook and the field or
the exception type, never the exception's text or a field's value (they may hold patient
data). Any ``BaseException`` counts
(``sys.exit()`` in a plugin is a fault, not an exit), except ``KeyboardInterrupt``:
Ctrl-C stops the run, whoever raised it.
"""

from __future__ import annotations

import traceback
import types
from collections.abc import Callable, Iterable
from typing import Any

import pluggy
from attrs import field, frozen

from .answers import fits as answer_check
from .answers import problem
from .errors import PayerKitError, PluginError
from .hookspecs import hookspecs_names
from .manager import Registered, describe, new_plugin_manager, owner_of
from .model import Program, RuleSet
from .model.program import FUNDINGS


@frozen
class Route:
    """The plugins asked about one program (and plan funding), in precedence order."""

    pm: pluggy.PluginManager
    labels: dict[str, str]
    builtins: frozenset[str]
    #: Rule sets applied to a plan whose funding the case does not give.
    assumed: tuple[RuleSet, ...]
    #: How each hook is called (:func:`_caller`), by hook name.
    callers: dict[str, Callable[[dict], Any]]
    #: Single answers already checked, by identity (a plugin's constant unit rule or fee
    #: schedule, checked once, not per visit); kept alive here, so an id is never reused.
    checked: dict[int, object] = field(factory=dict)
    #: :meth:`answered`, by hook name.
    answers: dict[str, bool] = field(factory=dict)

    def call(self, hook: str, kwargs: dict) -> Any:
        """The hook's answer (pluggy's), a plugin's failure named (:class:`PluginError`)."""
        try:
            return self.callers[hook](kwargs)
        except (PayerKitError, KeyboardInterrupt):  # the user's input, or Ctrl-C: not a fault
            raise
        except BaseException as exc:  # a plugin's bug or sys.exit(): name it, not its text
            raise self.failed(hook, exc) from exc

    def answered(self, hook: str) -> bool:
        """Whether any plugin but payerkit's own implements ``hook`` here (a route's plugins
        are fixed when it is built: told once per hook)."""
        found = self.answers.get(hook)
        if found is None:
            found = self.answers[hook] = any(
                impl.plugin_name not in self.builtins
                for impl in getattr(self.pm.hook, hook).get_hookimpls())
        return found

    def many(self, hook: str, results, kind: type, kwargs: dict) -> list:
        """Flatten a hook's answers (each an iterable of ``kind``, or ``None``), checking each
        item; an answer that fails as it is read (a generator) is its plugin's failure."""
        def fits(answer) -> bool:
            return answer is None or (not isinstance(answer, str | bytes) and isinstance(
                answer, Iterable) and all(isinstance(item, kind) for item in answer))

        items = []
        check = answer_check(kind)
        try:
            for result in results or ():
                if result is None:
                    continue
                if result.__class__ is not list and result.__class__ is not tuple and (
                        isinstance(result, str | bytes) or not isinstance(result, Iterable)):
                    raise self.wrong_type(hook, f"an iterable of {kind.__name__}", result,
                                          kwargs, fits)
                for item in result:
                    if item.__class__ is not kind and not isinstance(item, kind):
                        raise self.wrong_type(hook, f"{kind.__name__} items", item, kwargs,
                                              fits)
                    if check(item) is not None:
                        raise self.wrong_field(hook, item, kwargs)
                    items.append(item)
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # read lazily, the answer raised
            raise self.failed(hook, exc) from exc
        return items

    def one(self, hook: str, result, kind: type, kwargs: dict):
        """``result`` when it is a ``kind`` or ``None``, else the plugin that gave it named."""
        if result is not None:
            if not isinstance(result, kind):
                raise self.wrong_type(hook, f"a {kind.__name__} or None", result, kwargs,
                                      lambda answer: answer is None or isinstance(answer, kind))
            if result is not self.checked.get(id(result)):  # a module's constant: once
                if answer_check(kind)(result) is not None:
                    raise self.wrong_field(hook, result, kwargs)
                if len(self.checked) < 64:
                    self.checked[id(result)] = result
        return result

    def wrong_type(self, hook: str, expected: str, got: object, kwargs: dict,
                   fits) -> PluginError:
        culprit = self.answerer(hook, kwargs, fits) or \
            self.suspects(getattr(self.pm.hook, hook))
        return PluginError(f"plugin {culprit} answered {hook} with {type(got).__name__}, "
                           f"expected {expected}")

    def wrong_field(self, hook: str, item: object, kwargs: dict) -> PluginError:
        """An answer of the right class whose field does not hold what it must."""
        kind = type(item)
        wrong = problem(item)
        culprit = self.answerer(hook, kwargs, lambda answer: answer is None or not any(
            isinstance(each, kind) and problem(each) == wrong
            for each in (answer if isinstance(answer, Iterable) else [answer]))) or \
            self.suspects(getattr(self.pm.hook, hook))
        article = "an" if kind.__name__[0] in "AEIOU" else "a"
        return PluginError(f"plugin {culprit} answered {hook} with {article} {kind.__name__} "
                           f"that does not hold what it must: field {wrong}")

    def failed(self, hook: str, exc: BaseException) -> PluginError:
        """A plugin raised, in its hook or as its answer was read (a generator)."""
        caller = getattr(self.pm.hook, hook)
        raiser = self.raiser(caller, exc)
        culprit = self.labels[raiser] if raiser is not None else self.suspects(caller)
        return PluginError(f"plugin {culprit} failed in {hook}: {type(exc).__name__}")

    def blame(self, exc: BaseException) -> str | None:
        """The plugin whose code raised ``exc`` outside a hook call (a function it gave
        payerkit, such as a unit rule's, called later) and where, from the innermost frame
        of a plugin's package on the traceback; ``None`` when no plugin's code is on it
        (then it is payerkit's own bug)."""
        packages = {}
        for name, label in self.labels.items():
            if name in self.builtins:
                continue
            plugin = self.pm.get_plugin(name)
            module = getattr(plugin, "__name__", None) if isinstance(plugin, types.ModuleType) \
                else type(plugin).__module__
            if module:
                packages.setdefault(module.partition(".")[0], label)
        for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
            module = frame.f_globals.get("__name__") or ""
            label = packages.get(module.partition(".")[0])
            if label is not None:
                return f"{label} ({frame.f_code.co_name} in {module})"
        return None

    @staticmethod
    def raiser(caller, exc: BaseException) -> str | None:
        """The innermost hook implementation on the exception's traceback (its route name)."""
        codes = {getattr(impl.function, "__func__", impl.function).__code__: impl.plugin_name
                 for impl in caller.get_hookimpls()}
        for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
            name = codes.get(frame.f_code)
            if name is not None:
                return name
        return None

    def suspects(self, caller) -> str:
        """Every plugin but payerkit's own that implements the hook: when nothing tells them
        apart."""
        names = [self.labels[i.plugin_name] for i in caller.get_hookimpls()
                 if i.plugin_name not in self.builtins]
        return " or ".join(dict.fromkeys(names)) or "payerkit"

    def answerer(self, hook: str, kwargs: dict, fits) -> str | None:
        """Who gave an answer that does not ``fits`` (on the error path only).

        pluggy does not say which plugin answered what, so each plugin's own
        implementation (payerkit's are not suspects) is asked again, alone, in
        pluggy's order, and those whose answer does not fit are named; in a
        firstresult hook, only the first that answers. When every answer fits, a
        wrapper spoilt them: the wrappers are named. ``None`` when there is no one
        to name (only payerkit's own implementation answered).
        """
        caller = getattr(self.pm.hook, hook)
        first = caller.spec is not None and caller.spec.opts.get("firstresult", False)
        impls = [i for i in reversed(caller.get_hookimpls()) if i.plugin_name not in self.builtins]
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
        return " or ".join(dict.fromkeys(self.labels[name] for name in wrong)) or None

    def plugins_asked(self) -> list[str]:
        """The labels of the plugins of this route that are not payerkit's own."""
        return [label for name, label in self.labels.items() if name not in self.builtins]

    def without_builtins(self, hook: str):
        """The hook called on every plugin of this route but payerkit's own, or ``None``
        when no other plugin implements it."""
        if not self.answered(hook):
            return None
        return self.pm.subset_hook_caller(hook, [self.pm.get_plugin(name)
                                                 for name in self.builtins])


def _caller(pm: pluggy.PluginManager, hook: str) -> Callable[[dict], Any]:
    """How to call ``hook`` on ``pm`` with a dict of its arguments, giving what pluggy gives:
    its own call when an implementation is a wrapper (or takes an argument with a default,
    which pluggy passes by name), else a plain loop over the implementations in pluggy's
    order (the last registered first; ``tryfirst`` before and ``trylast`` after the
    others), stopping at the first answer that is not ``None`` in a firstresult hook,
    collecting them otherwise."""
    caller = getattr(pm.hook, hook)
    impls = caller.get_hookimpls()
    first = caller.spec is not None and caller.spec.opts.get("firstresult", False)
    if any(impl.wrapper or impl.hookwrapper or impl.kwargnames for impl in impls):
        return lambda kwargs: caller(**kwargs)  # a wrapper, or an argument with a default
    order = [(impl.function, tuple(impl.argnames)) for impl in reversed(impls)]
    if not order:
        return (lambda kwargs: None) if first else (lambda kwargs: [])
    if len(order) == 1:
        [(function, names)] = order
        if first:
            return lambda kwargs: function(*[kwargs[name] for name in names])

        def collected(kwargs: dict) -> list:
            answer = function(*[kwargs[name] for name in names])
            return [] if answer is None else [answer]
        return collected

    def loop(kwargs: dict) -> Any:
        results = []
        for function, names in order:
            answer = function(*[kwargs[name] for name in names])
            if answer is not None:
                if first:
                    return answer
                results.append(answer)
        return None if first else results
    return loop


class Router:
    """The routes of a kit: built once per (program, funding) from its plugins and kept until
    a local plugin is registered."""

    def __init__(self, plugins: tuple[Registered, ...], builtins: frozenset[int],
                 programs: dict[str, tuple[Program, Registered]],
                 rule_sets: dict[str, tuple[RuleSet, Registered]]):
        self._plugins = plugins
        self._builtins = builtins
        self._programs = programs
        self._rule_sets = rule_sets
        self._locals: list[tuple[object, str]] = []
        self._routes: dict[tuple[str, str | None], Route] = {}

    def add_local(self, plugin: object, label: str) -> None:
        """A practice's plugin, asked for every program after the others."""
        self._locals.append((plugin, label))
        self._routes.clear()

    def owner(self, program: Program) -> tuple[object, str]:
        """The object that answers for ``program`` and the label errors name it by: the
        program's adapter when it carries one, else the plugin that registered it."""
        return owner_of(program, self._programs[program.id][1])

    def route(self, program: Program, funding: str | None) -> Route:
        """The route for a program and the plan's funding (the case's, else the program's
        own when all its plans are funded one way)."""
        key = (program.id, funding)
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = self._build(program, funding)
        return route

    def _build(self, program: Program, funding: str | None) -> Route:
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
        add(*self.owner(program))
        assumed = []
        for rule_set, reg in self._rule_sets.values():
            if rule_set.selects(program) and rule_set.governs(funding):
                add(reg.plugin, describe(reg.info))
                if funding is None and set(rule_set.funding) != set(FUNDINGS):
                    assumed.append(rule_set)
        for plugin, label in self._locals:
            add(plugin, f"{label!r} (local)")
        callers = {hook: _caller(pm, hook) for hook in hookspecs_names()}
        return Route(pm, labels, frozenset(builtins), tuple(assumed), callers)


__all__ = ["Route", "Router"]

"""Plugin discovery and registration (conda's model: typed records, loud conflicts).

* Entry points of the group ``payerkit`` are loaded one at a time; a plugin
  that fails to import, to register its hooks, or in any registration hook is
  dropped whole with one :class:`PluginLoadWarning` naming it, and the rest
  keep working (``PAYERKIT_STRICT_PLUGINS=1`` turns the warning into a
  :class:`~payerkit.errors.PluginError`).
* ``PAYERKIT_DISABLE_PLUGINS=a,b`` skips plugins by entry-point or distribution name
  (``premera`` or ``payerkit-premera``); a name that matches none is named in a warning.
* Registration records (programs, rule sets, claim formats) are checked: two
  plugins claiming one id both lose it, with a warning naming both (an error
  when strict); everything else they register keeps working. An id of
  payerkit's own (``x12-837p``) stays payerkit's: the plugin loses it, with a
  warning naming the plugin (an error when strict).
* A program that carries an adapter (``Program.adapter``: the object whose hooks answer
  for that program) has the adapter checked like a plugin's hooks (unknown or removed hook
  names, arguments the spec lacks), and also for what only an adapter can get wrong (a
  class given for an instance, registration hooks, methods named like hooks but not
  marked ``@hookimpl``). A broken adapter drops its program only, with a warning naming
  the plugin and the program (an error when strict); the plugin's other programs work.
* payerkit's own features (the X12 837P writer, the generic code checks) are
  plugins registered here first, through the same hooks.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import warnings
from collections.abc import Iterable

import attrs
import pluggy
from attrs import frozen

from . import hookspecs
from .env import flag
from .errors import PluginError
from .model import ClaimFormat, PluginInfo, Program, RuleSet

GROUP = "payerkit"
BUILTIN_PLUGINS = ("payerkit.formats.builtin", "payerkit.checks")
#: Registration hooks, the record type each returns, and the registry field it fills.
REGISTRATION = (("payerkit_programs", Program, "programs"),
                ("payerkit_rule_sets", RuleSet, "rule_sets"),
                ("payerkit_claim_formats", ClaimFormat, "formats"))
REGISTRATION_HOOKS = frozenset(hook for hook, _, _ in REGISTRATION)


class PluginLoadWarning(UserWarning):
    """A plugin could not be loaded or registered; it is skipped."""


@frozen
class Registered:
    """A plugin object with what is known of where it came from."""

    plugin: object
    info: PluginInfo


@frozen
class Failure:
    """A plugin (or one of its programs) left out at load, and why: what a case naming a
    program nobody serves is told (:class:`~payerkit.errors.ProgramUnavailable`)."""

    info: PluginInfo
    reason: str
    #: The program left out, when the plugin loaded but that program's record is broken.
    program: str | None = None

    def label(self) -> str:
        return describe(self.info)

    def why(self) -> str:
        """What a case naming the program is told (after ``program 'x' is unavailable:``)."""
        if self.program is None:
            return f"its plugin {self.label()} failed to load: {self.reason}"
        return f"plugin {self.label()} could not register it: {self.reason}"

    def may_serve(self, program_id: str) -> bool:
        """Whether this failure explains a missing ``program_id``: it names it, or the plugin's
        entry point or distribution name contains it (``wa-lni`` in ``payerkit-wa-lni``) or
        starts it (``regence`` for ``regence-wa``)."""
        if self.program is not None:
            return self.program == program_id
        pid = _normal(program_id)
        names = [_normal(n) for n in (self.info.name, self.info.distribution) if n]
        return any(pid in name or pid.startswith(name.removeprefix("payerkit-"))
                   for name in names)


@frozen
class Registry:
    """What the installed plugins registered: each record id with its plugin, and the plugins
    (or programs) left out with the reason."""

    plugins: tuple[Registered, ...]
    programs: dict[str, tuple[Program, Registered]]
    rule_sets: dict[str, tuple[RuleSet, Registered]]
    formats: dict[str, tuple[ClaimFormat, Registered]]
    failures: tuple[Failure, ...] = ()


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, not looking at special (``__dunder__``) attributes, which are never
    hooks: registering a plugin object then costs a lookup per own attribute, not one per
    attribute every object has (pluggy's documented override point, as pytest uses it).
    A hook implementation under another name (``specname``) is still found."""

    def parse_hookimpl_opts(self, plugin, name):
        if name.startswith("__"):
            return None
        return super().parse_hookimpl_opts(plugin, name)


def new_plugin_manager() -> pluggy.PluginManager:
    pm = _PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def strict_from_env() -> bool:
    """``PAYERKIT_STRICT_PLUGINS`` (on: 1, true, yes, on; off: 0, false, no, off or unset)."""
    return flag("PAYERKIT_STRICT_PLUGINS")


def _disabled() -> dict[str, str]:
    """``PAYERKIT_DISABLE_PLUGINS``: each name as written, by its :func:`_normal` form."""
    names = (n.strip() for n in os.environ.get("PAYERKIT_DISABLE_PLUGINS", "").split(","))
    return {_normal(n): n for n in names if n}


def _normal(name: str) -> str:
    """A name as packaging compares distribution names: case and ``-_.`` runs do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def fail(message: str, strict: bool) -> None:
    """Warn about a plugin problem, or raise it when strict."""
    if strict:
        raise PluginError(message)
    warnings.warn(message, PluginLoadWarning, stacklevel=3)


def describe(info: PluginInfo) -> str:
    return f"{info.name!r} ({info.distribution or 'not installed'})"


def is_builtin(reg: Registered) -> bool:
    """Whether a plugin is one of payerkit's own (:func:`builtin_plugins`)."""
    return reg.info.distribution == "payerkit"


def _noun(kind: type) -> str:
    """``ClaimFormat`` → ``claim format``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind.__name__).lower()


def builtin_plugins() -> list[Registered]:
    from . import __version__

    return [
        Registered(importlib.import_module(name),
                   PluginInfo(name, "payerkit", __version__))
        for name in BUILTIN_PLUGINS
    ]


def entry_point_plugins(strict: bool, entry_points: Iterable | None = None,
                        failures: list[Failure] | None = None) -> list[Registered]:
    """Load each entry point on its own; a broken one warns (or raises when strict) and is
    added to ``failures`` when given.

    An import that calls ``sys.exit()`` or raises any other ``BaseException`` is a broken
    plugin too: it never ends the host. ``KeyboardInterrupt`` (Ctrl-C) stops the run.
    """
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=GROUP)
    disabled = _disabled()
    matched: set[str] = set()
    loaded = []
    for ep in entry_points:
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else None
        names = {_normal(ep.name), *([_normal(dist_name)] if dist_name else [])}
        if names & disabled.keys():
            matched |= names
            continue
        version = dist.version if dist is not None else None
        info = PluginInfo(ep.name, dist_name, version)
        try:
            plugin = ep.load()
        except KeyboardInterrupt:  # Ctrl-C stops the run, wherever it lands
            raise
        except BaseException as exc:  # a plugin bug (sys.exit() too) never stops the host
            reason = _reason(exc)
            if failures is not None:
                failures.append(Failure(info, reason))
            fail(f"plugin {describe(info)} failed to load: {reason}", strict)
            continue
        loaded.append(Registered(plugin, info))
    unmatched = [written for name, written in disabled.items() if name not in matched]
    if unmatched:
        fail("PAYERKIT_DISABLE_PLUGINS names " + ", ".join(map(repr, unmatched)) + ", which "
             "matched no installed plugin (an entry point or distribution name; payerkit's own "
             "cannot be disabled): check the spelling against `payerkit plugins`", strict)
    return loaded


#: Hooks of earlier contracts, with what replaced them.
REMOVED_HOOKS = {"payerkit_eligibility": "payerkit_outcomes (contract 2)"}


def unknown_hooks(plugin: object) -> list[str]:
    """Attributes named like hooks that the contract does not have (typos, removed hooks)."""
    return [n for n in dir(plugin) if n.startswith("payerkit_") and not hasattr(hookspecs, n)]


def unmarked_hooks(plugin: object) -> list[str]:
    """Hooks of the contract the object defines without ``@hookimpl``: never asked."""
    marker = f"{hookspecs.PROJECT}_impl"
    return [n for n in hook_names(plugin) if hasattr(hookspecs, n)
            and not hasattr(getattr(plugin, n), marker)]


def check_hooks(plugin: object, pm: pluggy.PluginManager | None = None) -> None:
    """Raise when the plugin names an unknown hook, defines a hook without ``@hookimpl``
    (pluggy would skip it silently: rules never asked, a claim written without them) or
    names a hook argument the spec lacks.

    Registers the plugin in ``pm`` (a scratch manager by default): pluggy validates
    each implementation's arguments against the spec.
    """
    unknown = unknown_hooks(plugin)
    if unknown:
        raise PluginError("unknown hook(s) " + ", ".join(
            f"{n} (replaced by {REMOVED_HOOKS[n]})" if n in REMOVED_HOOKS else n
            for n in unknown))
    marker = f"{hookspecs.PROJECT}_impl"
    marked = {n: getattr(getattr(plugin, n, None), marker, None) for n in dir(plugin)
              if not n.startswith("__")}
    stray = [n for n, opts in marked.items() if isinstance(opts, dict)
             and not hasattr(hookspecs, opts.get("specname") or n)]
    if stray:
        raise PluginError(f"{', '.join(stray)} {'is' if len(stray) == 1 else 'are'} marked "
                          "@hookimpl but the contract has no hook of that name, so payerkit "
                          "would never ask it: name it after a hook (docs/hooks.md)")
    unmarked = unmarked_hooks(plugin)
    if unmarked:
        raise PluginError(f"{', '.join(unmarked)} {'is' if len(unmarked) == 1 else 'are'} not "
                          "marked @hookimpl, so payerkit would never ask "
                          f"{'it' if len(unmarked) == 1 else 'them'}: decorate with "
                          "payerkit.hookimpl")
    (pm or new_plugin_manager()).register(plugin)


def hook_names(*plugins: object) -> tuple[str, ...]:
    """The hooks the objects implement (a plugin and its programs' adapters), each once."""
    return tuple(sorted({n for plugin in plugins for n in dir(plugin)
                         if n.startswith("payerkit_") and getattr(plugin, n, None) is not None}))


def check_adapter(adapter: object, pm: pluggy.PluginManager) -> None:
    """Raise when a program's adapter cannot answer for it: checked as :func:`check_hooks`
    checks a plugin (in ``pm``), plus what only an adapter gets wrong."""
    if isinstance(adapter, type):
        raise PluginError(f"it is the class {adapter.__name__}, not an object: give an "
                          f"instance, adapter={adapter.__name__}(...)")
    registration = [n for n in hook_names(adapter) if n in REGISTRATION_HOOKS]
    if registration:
        raise PluginError(f"it implements {', '.join(registration)}: registration hooks are "
                          "read from the plugin only; move them there")
    if not pm.is_registered(adapter):  # one object may serve several programs
        check_hooks(adapter, pm)


def owner_of(program: Program, reg: Registered) -> tuple[object, str]:
    """The object that answers ``program``'s questions, and the label errors name it by: the
    program's adapter when it carries one, else ``reg``, the plugin that registered it."""
    if program.adapter is None:
        return reg.plugin, describe(reg.info)
    return program.adapter, f"{describe(reg.info)} for program {program.id!r}"


def check_facts(facts: type | None) -> None:
    """Raise when a program's facts type cannot be read from every case: an attrs class whose
    every field has a default (a case that gives no ``[facts.<program>]`` table, or leaves a
    field out, must still load; a rule that needs a fact asks for it as a finding) and whose
    field types resolve."""
    if facts is None:
        return
    if not (isinstance(facts, type) and attrs.has(facts)):
        raise PluginError(f"its facts type {facts!r} is not an attrs class: declare it with "
                          "@attrs.frozen (see docs/hooks.md, 'Program facts')")
    required = [f.name for f in attrs.fields(facts) if f.default is attrs.NOTHING]
    if required:
        raise PluginError(f"facts field(s) {', '.join(required)} of {facts.__name__} have no "
                          "default, so a case without them could not be read: give each a "
                          "default (None when unknown) and ask for it in a rule")
    try:  # the case reader needs the fields' types: a name they use must resolve, now
        attrs.resolve_types(facts)
    except Exception as exc:
        raise PluginError(f"the field types of {facts.__name__} cannot be resolved "
                          f"({type(exc).__name__}: {exc}): import every type a field names "
                          "in the facts' module") from None


def _program_ok(program: Program, reg: Registered, pm: pluggy.PluginManager,
                strict: bool, failures: list[Failure]) -> bool:
    """Whether the program's facts type and adapter (if any) are sound; a broken one drops
    the program, loudly."""
    try:
        check_facts(program.facts)
        if program.adapter is not None:
            check_adapter(program.adapter, pm)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # an adapter's bug never stops the host
        reason = _reason(exc)
        failures.append(Failure(reg.info, reason, program.id))
        fail(f"plugin {describe(reg.info)}: program {program.id!r} cannot be registered: "
             f"{reason}. The program is left out; the plugin's other programs work.", strict)
        return False
    return True


def _records(reg: Registered, hook: str, kind: type) -> list:
    impl = getattr(reg.plugin, hook, None)
    if impl is None:
        return []
    records = list(impl() or ())
    bad = [r for r in records if not isinstance(r, kind)]
    if bad:
        raise TypeError(f"expected {kind.__name__} records, got {type(bad[0]).__name__}")
    return records


def build_registry(candidates: Iterable[Registered], strict: bool,
                   failures: Iterable[Failure] = ()) -> Registry:
    """Validate each plugin and read its registration hooks; drop failures whole, once.
    ``failures``: plugins that failed earlier (to load), kept with the ones found here."""
    failures = list(failures)
    survivors: list[Registered] = []
    claims: dict[str, dict[str, list[tuple[object, Registered]]]] = {
        field: {} for _, _, field in REGISTRATION}
    pm = new_plugin_manager()  # one validating manager for every candidate
    for reg in candidates:
        if pm.is_registered(reg.plugin):
            fail(f"plugin {describe(reg.info)} is registered twice; the second is skipped",
                 strict)
            continue
        try:
            check_hooks(reg.plugin, pm)
            found = [(field, _records(reg, hook, kind)) for hook, kind, field in REGISTRATION]
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            # no case is loaded yet, so the exception's text holds no patient data
            reason = _reason(exc)
            failures.append(Failure(reg.info, reason))
            fail(f"plugin {describe(reg.info)} cannot be registered: {reason}", strict)
            continue
        survivors.append(reg)
        for field, records in found:
            for record in records:
                if isinstance(record, Program) and not _program_ok(record, reg, pm, strict,
                                                                   failures):
                    continue
                claims[field].setdefault(record.id, []).append((record, reg))
    tables = {}
    for _, kind, field in REGISTRATION:
        table = {}
        for rid, owners in sorted(claims[field].items()):
            own = [owner for owner in owners if is_builtin(owner[1])]
            if own and len(owners) > 1:  # payerkit's own id: the plugin loses it, loudly
                others = [describe(r.info) for r in dict.fromkeys(
                    r for _, r in owners if not is_builtin(r))]
                fail(f"{_noun(kind)} id {rid!r} is payerkit's own: plugin "
                     f"{' and '.join(others)} registered it too and is ignored for it (the "
                     "rest of the plugin works). Give the plugin's record another id.", strict)
                table[rid] = own[0]
                continue
            if len(owners) > 1 and len({id(r) for _, r in owners}) == 1:  # one plugin, twice
                if kind is Program:
                    failures.append(Failure(owners[0][1].info, f"it registers {rid!r} "
                                            f"{len(owners)} times", rid))
                fail(f"plugin {describe(owners[0][1].info)} registers {_noun(kind)} id {rid!r} "
                     f"{len(owners)} times: {rid!r} is disabled. Give each record its own id.",
                     strict)
                continue
            if len(owners) > 1:
                if kind is Program:
                    failures.append(Failure(owners[0][1].info, "plugins " + " and ".join(
                        describe(r.info) for _, r in owners) + " both register it: uninstall "
                        "one, or disable it with PAYERKIT_DISABLE_PLUGINS", rid))
                fail(f"{_noun(kind)} id {rid!r} is claimed by "
                     + " and ".join(describe(r.info) for _, r in owners)
                     + f": {rid!r} is disabled. Uninstall one, or disable it with "
                     "PAYERKIT_DISABLE_PLUGINS.", strict)
                continue
            table[rid] = owners[0]
        tables[field] = table
    return Registry(tuple(survivors), **tables, failures=tuple(failures))


def _reason(exc: BaseException) -> str:
    """Why a plugin was left out, on one line: payerkit's own message as it is, another
    exception's type and message, never its arguments' reprs (attrs' validators put the
    whole attribute definition in ``args``)."""
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    text = " ".join(text.split())
    return text if isinstance(exc, PluginError) else f"{type(exc).__name__}: {text}"


__all__ = ["Failure", "PluginLoadWarning", "Registered", "Registry", "build_registry", "builtin_plugins",
           "entry_point_plugins", "is_builtin", "new_plugin_manager", "owner_of",
           "strict_from_env"]

"""Plugin discovery and registration records.

* Entry points of the group ``payerkit`` are loaded one at a time; a plugin
  that fails to import or to register is reported as a
  :class:`PluginLoadWarning` naming it, and the rest keep working
  (``PAYERKIT_STRICT_PLUGINS=1`` turns the warning into a
  :class:`~payerkit.errors.PluginError`).
* ``PAYERKIT_DISABLE_PLUGINS=a,b`` skips entry points by name.
* Registration records (programs, claim formats) are checked: two plugins
  claiming one id is a :class:`~payerkit.errors.PluginError` naming both.
* payerkit's own features (the X12 837P writer, the generic code checks) are
  plugins registered here first, through the same hooks.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import warnings
from collections.abc import Iterable

import pluggy
from attrs import frozen

from . import hookspecs
from .errors import PluginError
from .model import ClaimFormat, PluginInfo, Program

GROUP = "payerkit"
BUILTIN_PLUGINS = ("payerkit.formats.builtin", "payerkit.checks")


class PluginLoadWarning(UserWarning):
    """A plugin could not be loaded or registered; it is skipped."""


@frozen
class Registered:
    """A plugin object with what is known of where it came from."""

    plugin: object
    info: PluginInfo


def new_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def strict_from_env() -> bool:
    return os.environ.get("PAYERKIT_STRICT_PLUGINS", "").strip().lower() in {"1", "true", "yes"}


def _disabled() -> set[str]:
    return {n.strip() for n in os.environ.get("PAYERKIT_DISABLE_PLUGINS", "").split(",") if n.strip()}


def _fail(message: str, strict: bool) -> None:
    if strict:
        raise PluginError(message)
    warnings.warn(message, PluginLoadWarning, stacklevel=3)


def builtin_plugins() -> list[Registered]:
    from . import __version__

    return [
        Registered(importlib.import_module(name),
                   PluginInfo(name, "payerkit", __version__))
        for name in BUILTIN_PLUGINS
    ]


def entry_point_plugins(strict: bool, entry_points: Iterable | None = None) -> list[Registered]:
    """Load each entry point on its own; a broken one warns (or raises when strict)."""
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=GROUP)
    disabled = _disabled()
    loaded = []
    for ep in entry_points:
        if ep.name in disabled:
            continue
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else None
        version = dist.version if dist is not None else None
        try:
            plugin = ep.load()
        except Exception as exc:  # a plugin's own bug must not stop the host
            _fail(f"payerkit: plugin {ep.name!r} ({dist_name or 'unknown distribution'}) "
                  f"failed to load: {type(exc).__name__}: {exc}", strict)
            continue
        loaded.append(Registered(plugin, PluginInfo(ep.name, dist_name, version)))
    return loaded


def unknown_hooks(plugin: object) -> list[str]:
    """Attributes named like hooks that the contract does not have (typos, stale names)."""
    return [n for n in dir(plugin) if n.startswith("payerkit_") and not hasattr(hookspecs, n)]


def hook_names(pm: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    return tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()))


def collect_records(pm, registered: list[Registered], hook: str, kind: type, strict: bool):
    """Call a registration hook on each plugin alone; check types and ids.

    Returns ``{id: (record, Registered)}``. A plugin whose hook raises or
    returns something else than ``kind`` records is skipped with a warning
    (an error when strict); two plugins with one id are always an error.
    """
    owners: dict[str, list[tuple[object, Registered]]] = {}
    for reg in registered:
        impl = getattr(reg.plugin, hook, None)
        if impl is None:
            continue
        try:
            records = list(impl() or ())
            bad = [r for r in records if not isinstance(r, kind)]
            if bad:
                raise TypeError(f"expected {kind.__name__} records, got {type(bad[0]).__name__}")
        except Exception as exc:
            _fail(f"payerkit: plugin {reg.info.name!r} failed in {hook}: "
                  f"{type(exc).__name__}: {exc}", strict)
            pm.unregister(reg.plugin)
            continue
        for record in records:
            owners.setdefault(record.id, []).append((record, reg))
    conflicts = {rid: regs for rid, regs in owners.items() if len(regs) > 1}
    if conflicts:
        lines = [f"{kind.__name__.lower()} id {rid!r} is claimed by "
                 + " and ".join(f"{r.info.name!r} ({r.info.distribution or 'not installed'})"
                              for _, r in regs)
                 for rid, regs in sorted(conflicts.items())]
        raise PluginError("payerkit: conflicting plugins: " + "; ".join(lines)
                          + ". Uninstall one, or disable it with PAYERKIT_DISABLE_PLUGINS.")
    return {rid: regs[0] for rid, regs in sorted(owners.items())}


__all__ = ["ClaimFormat", "PluginLoadWarning", "Program", "Registered"]

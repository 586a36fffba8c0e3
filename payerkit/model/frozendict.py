"""Read-only tables: what makes a case frozen all the way down.

The case's classes are frozen attrs classes and its lists are tuples; its tables (the
practice's ``cash_rates``, the ``fees.rates`` and the programs' ``facts``) are
:class:`FrozenDict`, a ``dict`` that refuses every change. So a plugin that tries to
change the case it was asked about (``case.patient.first_name = ...``,
``case.facts["ny-no-fault"]["vehicle"] = ...``) raises, and the router reports that
plugin's failure (:class:`payerkit.errors.PluginError`) before anything is answered or
written. (``object.__setattr__`` and ``dict.__setitem__`` called on the case are a
deliberate way around Python's own protection, as is patching payerkit: a plugin runs
in-process, and is trusted not to.)

A ``FrozenDict`` is a ``dict`` for everything that reads it: ``json``, ``==``, ``dict(t)``,
``isinstance(t, dict)``; it pickles (a batch's worker processes, Dask) and copies as itself.
"""

from __future__ import annotations

from typing import Any, NoReturn


class FrozenDict(dict):
    """A ``dict`` that refuses to change after it is made."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("this table of the case is read-only: a plugin reads the case, "
                        "never changes it")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self):
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict) -> FrozenDict:
        from copy import deepcopy

        return type(self)(deepcopy(dict(self), memo))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


def frozen_dict(value: Any) -> Any:
    """A table of plain values (amounts by code) as a :class:`FrozenDict`; anything that is
    not a mapping is left for the caller's checks to refuse."""
    if type(value) is FrozenDict or not isinstance(value, dict):
        return value
    return FrozenDict(value)


def frozen_tables(value: Any) -> Any:
    """A table as read from a case file (the programs' facts), frozen all the way down: its
    tables :class:`FrozenDict`, its lists tuples."""
    if isinstance(value, dict):
        return FrozenDict({key: frozen_tables(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen_tables(item) for item in value)
    return value


__all__ = ["FrozenDict", "frozen_dict", "frozen_tables"]

"""What a plugin's answer must hold, checked where it crosses into payerkit.

The result classes (:class:`~payerkit.model.Outcome`, :class:`~payerkit.model.Finding`,
:class:`~payerkit.model.Deadline`, ...) are attrs classes whose annotations say what
each field holds; attrs does not check them when a plugin builds one. The router checks
every answer against them (:func:`problem`), so a plugin's ``Finding("fatal", ...)``, an
outcome without a citation, a float allowed amount or a deadline without days is reported
as that plugin's mistake, naming the hook and the field, before payerkit reads it — never
as payerkit's own "internal error", never as a claim.

The checks are built once per class from its annotations (:func:`checker`): a field is a
string, an integer (never a bool), a :class:`~decimal.Decimal` (never a float: money), a
date, one of a ``Literal``'s values, another result class, a tuple of them, or any of these
or ``None``. A message names the field and the type found, never a value (a value may be a
patient's), except a ``Literal``'s wrong code, which is the plugin's own constant.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from functools import cache

import attrs

#: A field's check: ``None`` when the value fits, else what was wrong (``expected ..., got ...``).
Check = Callable[[object], "str | None"]

_NAMES = {str: "a string", int: "an integer", Decimal: "a Decimal", dt.date: "a date",
          bool: "true or false", dict: "a mapping"}


def problem(answer: object) -> str | None:
    """What is wrong with an answer of an attrs result class (``field: expected ..., got ...``),
    or ``None`` when every field holds what its annotation says."""
    return fits(type(answer))(answer)


@cache
def fits(cls: type) -> Check:
    """The check of ``cls``'s fields, fast: the exact types the annotations name are tried
    first, in code generated once per class; anything else (``None`` where it may not be, a
    subclass, a wrong value) is told by :func:`checker`, which also says what is wrong."""
    slow = checker(cls)
    lines, names = [], {"slow": slow}
    for name, hint in _fields(cls):
        test = _fast(hint, names)
        if test is not None:
            lines.append(f"    v = o.{name}\n    if not ({test}): return slow(o)")
    if not lines:
        return slow
    source = "def check(o):\n" + "\n".join(lines) + "\n    return None\n"
    exec(compile(source, f"<payerkit answer check {cls.__name__}>", "exec"), names)
    return names["check"]


def _fast(hint, names: dict, value: str = "v") -> str | None:
    """A Python expression true when ``value`` surely fits ``hint`` (its exact types), or
    ``None`` when the field is checked only slowly."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        parts = [_fast(o, names, value) for o in typing.get_args(hint)]
        return None if None in parts else "(" + " or ".join(parts) + ")"
    if hint is type(None):
        return f"{value} is None"
    if origin is typing.Literal:
        key = f"L{len(names)}"
        names[key] = frozenset(typing.get_args(hint))
        return f"(type({value}) is str and {value} in {key})"
    if isinstance(hint, type) and attrs.has(hint):
        key, inner = f"T{len(names)}", f"C{len(names)}"
        names[key], names[inner] = hint, _remembered(fits(hint)) if _leaf(hint) else fits(hint)
        return f"(type({value}) is {key} and {inner}({value}) is None)"
    if origin is tuple:
        args = typing.get_args(hint)
        item = _fast(args[0], names, "x") if args else "True"
        if item is None:
            return None
        return f"(type({value}) is tuple and all({item} for x in {value}))"
    if isinstance(hint, type) and hint is not object:
        key = f"T{len(names)}"
        names[key] = hint
        return f"type({value}) is {key}"
    return None


#: Records inside an answer that were checked, kept by identity (at most this many per
#: class): a plugin's citations are its constants, the same objects answer after answer.
REMEMBERED = 256


def _leaf(cls: type) -> bool:
    """Whether no field of ``cls`` holds another record (a citation): the records a plugin
    keeps as constants; those holding others (a reason, a line) are made afresh each time."""
    def records(hint) -> bool:
        return isinstance(hint, type) and attrs.has(hint) or any(
            records(arg) for arg in typing.get_args(hint))
    return not any(records(hint) for _, hint in _fields(cls))


def _remembered(check: Check) -> Check:
    """``check``, told once per object that fits (the object kept, so its id stays its own)."""
    fitted: dict[int, object] = {}

    def remembered(value: object) -> str | None:
        if fitted.get(id(value)) is value:
            return None
        wrong = check(value)
        if wrong is None:
            if len(fitted) >= REMEMBERED:
                fitted.clear()
            fitted[id(value)] = value
        return wrong
    return remembered


def _fields(cls: type) -> list:
    """``cls``'s fields a plugin sets, with their resolved annotations."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    return [(f.name, hints[f.name]) for f in attrs.fields(cls)
            if f.init and f.name in hints and not f.name.startswith("_")]


@cache
def checker(cls: type) -> Check:
    """The check of every field of the attrs class ``cls`` (built once per class), saying
    what is wrong."""
    fields = [(name, _check(hint)) for name, hint in _fields(cls)]

    def check(value: object) -> str | None:
        for name, each in fields:
            wrong = each(getattr(value, name))
            if wrong is not None:
                return f"{name}{'' if wrong[0] in '.[' else ': '}{wrong}"
        return None
    return check


def _got(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _check(hint) -> Check:
    """The check of one annotation."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        optional = type(None) in options
        checks = [_check(o) for o in options if o is not type(None)]
        expected = " or ".join(_expected(o) for o in options if o is not type(None))
        expected += " or None" if optional else ""

        def union(value: object) -> str | None:
            if value is None:
                return None if optional else f"expected {expected}, got None"
            wrong = [each(value) for each in checks]
            if None in wrong:
                return None
            if len(wrong) == 1 and wrong[0][0] in ".[":  # inside a record or a tuple
                return wrong[0]
            return f"expected {expected}, got {_got(value)}"
        return union
    if origin is typing.Literal:
        allowed = typing.get_args(hint)

        def literal(value: object) -> str | None:
            if isinstance(value, str) and value in allowed:
                return None
            shown = repr(value)[:40] if isinstance(value, str) else _got(value)
            return f"expected one of {', '.join(map(repr, allowed))}, got {shown}"
        return literal
    if origin is tuple:
        args = typing.get_args(hint)
        item = _check(args[0]) if args else (lambda value: None)

        def sequence(value: object) -> str | None:
            if not isinstance(value, tuple | list):
                return f"expected a tuple, got {_got(value)}"
            for i, each in enumerate(value):
                wrong = item(each)
                if wrong is not None:
                    return f"[{i}]{'' if wrong[0] in '.[' else ': '}{wrong}"
            return None
        return sequence
    if origin is not None:  # Mapping[...], Callable[...]: the container's kind only
        return _kind(origin if isinstance(origin, type) else object)
    if isinstance(hint, type) and attrs.has(hint):
        return _nested(hint)
    if isinstance(hint, type):
        return _kind(hint)
    return lambda value: None  # Any, a TypeVar: nothing to check


def _nested(cls: type) -> Check:
    def nested(value: object) -> str | None:
        if type(value) is not cls and not isinstance(value, cls):
            return f"expected a {cls.__name__}, got {_got(value)}"
        wrong = checker(cls)(value)
        return None if wrong is None else f".{wrong}"
    return nested


def _kind(kind: type) -> Check:
    if kind is object:
        return lambda value: None
    expected = _expected(kind)
    if kind is int:  # a bool is an int to Python, never a count to payerkit
        return lambda value: None if type(value) is int or (
            isinstance(value, int) and not isinstance(value, bool)) \
            else f"expected {expected}, got {_got(value)}"
    if kind is dt.date:  # a datetime is a date to Python, not a day
        return lambda value: None if type(value) is dt.date or (
            isinstance(value, dt.date) and not isinstance(value, dt.datetime)) \
            else f"expected {expected}, got {_got(value)}"
    return lambda value: None if isinstance(value, kind) \
        else f"expected {expected}, got {_got(value)}"


def _expected(hint) -> str:
    if isinstance(hint, type):
        return _NAMES.get(hint, f"a {hint.__name__}")
    if typing.get_origin(hint) is typing.Literal:
        return "one of " + ", ".join(map(repr, typing.get_args(hint)))
    return str(hint)


__all__ = ["checker", "fits", "problem"]

"""Reading a well-formed case in one straight pass, or giving up.

Nearly every case a practice sends is well formed. This module reads one straight into the
model: for each attrs class, a function written once from its fields (:func:`reader`) takes
the table's values in turn, checks each inline — a string is a ``str`` with no control
character, an integer an ``int`` of at most 9 digits, a choice one of its words — or else
calls the converter's own hook for that field (a date, an amount), and builds the object.

Nothing here names a problem. The moment anything is not plainly right — a wrong type, a
missing or unknown key, a value a hook refuses, a list over its limit, nesting near the
limit — reading gives up (``None``), and :mod:`payerkit.io` reads the data again through
the converter (:mod:`payerkit.converter`), which names every problem. Both ways give the
same case: an inline check passes only values its hook returns unchanged (:data:`INLINE`),
any other value goes through the hook itself, and the lists, tables and limits are the
converter's own (``LIST_LIMITS``, ``AMOUNT_HOOKS``, ``NOT_READ``). ``tests/test_reading.py``
compares the two ways on generated and mutated cases.

Two things make a batch cheaper still. A hook whose answer for a string never changes (a
date, an amount) is asked once per string (:data:`REMEMBERED`): a practice's cases repeat
the same few days and fees. And a reader counts the keys of the tables it reads, so that
:mod:`payerkit.io` can tell a JSON text with a key given twice (the parser keeps the last)
without a hook per table.
"""

from __future__ import annotations

import datetime as dt
import linecache
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

import attrs
from cattrs.cols import is_sequence

from .converter import (
    AMOUNT_HOOKS,
    CONVERTER,
    LIST_LIMITS,
    MAX_DEPTH,
    MAX_INT,
    MAX_ITEMS,
    NOT_READ,
    strict_amount,
    strict_bool,
    strict_charge,
    strict_date,
    strict_int,
    strict_paid,
    strict_str,
)
from .model import Case
from .model.frozendict import FrozenDict

#: Hooks whose common case is checked inline: a value passing the check (``{v}`` stands for
#: it) is one the hook returns unchanged. ``clean`` says every string of the data is known to
#: be printable already (:func:`read`). Keep each line in step with its hook.
INLINE: dict[Callable, str] = {
    strict_str: "type({v}) is str and (clean or {v}.isprintable())",
    strict_int: f"type({{v}}) is int and {-MAX_INT} <= {{v}} <= {MAX_INT}",
    strict_bool: "type({v}) is bool",
}
#: Hooks whose value for a given string is always the same (a date, an amount): each string's
#: value is remembered, up to :data:`REMEMBERED_STRINGS` strings per hook.
REMEMBERED = (strict_date, strict_amount, strict_charge, strict_paid)
REMEMBERED_STRINGS = 4096

#: What a program's facts table may hold, passed through as it is (the converter's rule for a
#: bare table): these values, and tables and lists of them.
_PLAIN_VALUES = frozenset({str, float, bool, type(None), dt.date, dt.datetime, dt.time})
#: Tables: parsed ones, and a case's own (read again as a program's facts).
_TABLES = frozenset({dict, FrozenDict})
_CONTAINERS = _TABLES | {list, tuple}
_MISSING = object()


class _Unusual(Exception):
    """Not plainly right: the converter decides."""


class _CannotWrite(Exception):
    """A class this module writes no reader for (the converter reads it every time)."""


def read_case(data: Any, clean: bool = False) -> tuple[Case, int] | None:
    """``data`` (parsed TOML or JSON) read as a :class:`Case`, with the number of keys of the
    tables read; ``None`` when anything is not plainly right. See :func:`read`."""
    return read(data, Case, clean)


def read(data: Any, cls: type, clean: bool = False) -> tuple[Any, int] | None:
    """``data`` read as the attrs class ``cls`` (nested at most :data:`MAX_DEPTH` levels, the
    table itself the first), with the number of keys of the tables read; else ``None``.

    ``clean``: every string in ``data`` is known to be printable (a JSON text of printable
    ASCII with no escapes), so strings are not checked one by one."""
    read_table = reader(cls)
    if read_table is None:
        return None
    keys = [0]
    try:
        return read_table(data, keys, 1, clean), keys[0]
    except Exception:  # noqa: BLE001 - whatever it is, the converter reads the data and names it
        return None


_READERS: dict[type, Callable | None] = {}
_WRITING: set[type] = set()
_WRITER_LOCK = threading.RLock()  # one thread writes readers at a time (a reader writes others)


def reader(cls: type) -> Callable | None:
    """The reader of the attrs class ``cls`` — ``read(table, keys, depth, clean)`` — written on
    first use; ``None`` for a class whose fields this module cannot read (the converter does)."""
    found = _READERS.get(cls, _MISSING)
    if found is not _MISSING:
        return found
    with _WRITER_LOCK:
        if cls in _READERS:
            return _READERS[cls]
        if cls in _WRITING:  # a class that holds itself: read by the converter
            raise _CannotWrite(cls.__name__)
        _WRITING.add(cls)
        try:
            _READERS[cls] = _Writer(cls).function()
        except Exception:  # noqa: BLE001 - a field this module cannot read: the converter reads it
            _READERS[cls] = None
        finally:
            _WRITING.discard(cls)
        return _READERS[cls]


def _remembering(hook: Callable) -> tuple[dict, Callable]:
    """A memory of ``hook``'s values by string, and the hook that fills it."""
    memory: dict[str, Any] = {}

    def ask(value: Any, type_: Any) -> Any:
        answer = hook(value, type_)
        if type(value) is str:
            if len(memory) >= REMEMBERED_STRINGS:
                memory.clear()
            memory[value] = answer
        return answer

    return memory, ask


_MEMORIES = {hook: _remembering(hook) for hook in REMEMBERED}


def _plain(node: Any, keys: list[int], depth: int) -> None:
    """Check a table or list passed through as it is (a program's facts): nested at most
    :data:`MAX_DEPTH` levels, of plain values and integers of at most 9 digits; count its keys."""
    if depth > MAX_DEPTH:
        raise _Unusual
    if type(node) in _TABLES:
        keys[0] += len(node)
        for key in node:
            if type(key) is not str:
                raise _Unusual
        node = node.values()
    for value in node:
        kind = type(value)
        if kind is int:
            if not -MAX_INT <= value <= MAX_INT:
                raise _Unusual
        elif kind in _CONTAINERS:
            _plain(value, keys, depth + 1)
        elif kind not in _PLAIN_VALUES:
            raise _Unusual


def _plain_table(value: Any, keys: list[int], depth: int) -> dict:
    if type(value) not in _TABLES:
        raise _Unusual
    _plain(value, keys, depth)
    return dict(value)  # the converter's copy of a bare table


def _is_optional(type_) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) in (typing.Union, types.UnionType) and len(args) == 2 \
        and type(None) in args


class _Writer:
    """The source of one class's reader: a straight run of lines, one block per field."""

    def __init__(self, cls: type):
        self.cls = cls
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"_Unusual": _Unusual, "_MISSING": _MISSING,
                                      "_CONTAINERS": _CONTAINERS, "_TABLES": _TABLES,
                                      "_plain_table": _plain_table,
                                      "MAX_DEPTH": MAX_DEPTH}

    def name(self, value: Any, hint: str) -> str:
        """A global name of the reader for ``value``."""
        name = f"{hint}_{len(self.names)}"
        self.names[name] = value
        return name

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def function(self) -> Callable:
        cls = self.cls
        if not attrs.has(cls):
            raise _CannotWrite(cls.__name__)
        attrs.resolve_types(cls)
        fields = [f for f in attrs.fields(cls) if f.init]
        required = sum(f.default is attrs.NOTHING for f in fields if (cls, f.name) not in NOT_READ)
        self.add(1, "if type(o) not in _TABLES or depth > MAX_DEPTH:")
        self.add(2, "raise _Unusual")
        self.add(1, "n = len(o)")
        self.add(1, "keys[0] += n")
        arguments = []
        for i, f in enumerate(fields):
            where = (cls, f.name)
            arguments.append(f"{f.alias}=f{i}" if f.kw_only else f"f{i}")  # in order: quicker
            if where in NOT_READ:  # its key is an unknown one
                self.add(1, f"f{i} = {self._default(f)}")
                continue
            hook = AMOUNT_HOOKS.get(where)  # else the type's, looked up in _value when needed
            limit = LIST_LIMITS.get(where, (MAX_ITEMS,))[0]
            if f.default is attrs.NOTHING:
                self.add(1, f"v = o[{f.name!r}]")
                self._value(1, "v", f.type, hook, limit)
            else:
                self.add(1, f"v = o.get({f.name!r}, _MISSING)")
                self.add(1, "if v is _MISSING:")
                self.add(2, f"v = {self._default(f)}")
                self.add(1, "else:")
                self.add(2, "n -= 1")
                self._value(2, "v", f.type, hook, limit)
            self.add(1, f"f{i} = v")
        self.add(1, f"if n != {required}:  # an unknown key")
        self.add(2, "raise _Unusual")
        self.add(1, f"return {self.name(cls, 'cls')}({', '.join(arguments)})")
        source = "\n".join([f"def read_{cls.__name__}(o, keys, depth, clean):", *self.lines])
        filename = f"<payerkit reader {cls.__module__}.{cls.__qualname__}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.names)  # noqa: S102 - our own source
        return self.names[f"read_{cls.__name__}"]

    def _default(self, f: attrs.Attribute) -> str:
        default = f.default
        if default is attrs.NOTHING:  # a field never read that has no default
            raise _CannotWrite(f.name)
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                raise _CannotWrite(f.name)
            return f"{self.name(default.factory, 'factory')}()"
        return self.name(default, "default")

    def _value(self, indent: int, v: str, type_: Any, hook: Callable | None,
               limit: int = MAX_ITEMS, level: int = 1) -> None:
        """Lines that replace the value in variable ``v`` by what it reads as (``type_``, through
        ``hook``; a list: at most ``limit`` items), or raise :class:`_Unusual`. A table or list
        in ``v`` is ``level`` levels below the table being read (``depth``)."""
        add = self.add
        args = typing.get_args(type_)
        origin = typing.get_origin(type_)
        if hook is None:  # the type's own rule: tables, lists and optional values here
            if attrs.has(type_):
                add(indent, f"{v} = {self._reader(type_)}({v}, keys, depth + {level}, clean)")
            elif _is_optional(type_):
                inner = next(a for a in args if a is not type(None))
                add(indent, f"if {v} is not None:")
                self._value(indent + 1, v, inner, None, limit, level)
            elif is_sequence(type_):
                self._list(indent, v, type_, limit, level)
            elif type_ is dict:
                add(indent, f"{v} = _plain_table({v}, keys, depth + {level})")
            elif origin is dict and len(args) == 2:
                self._mapping(indent, v, *args, level)
            else:
                self._value(indent, v, type_, CONVERTER.get_structure_hook(type_), limit, level)
        elif hook in INLINE:
            add(indent, f"if not ({INLINE[hook].format(v=v)}):")
            add(indent + 1, f"{v} = {self._call(hook, type_, v)}")
        elif hook in _MEMORIES:  # a list or a table is no key: TypeError, the converter decides
            memory, ask = _MEMORIES[hook]
            add(indent, f"x = {self.name(memory, 'memory')}.get({v})")
            add(indent, f"{v} = {self._call(ask, type_, v)} if x is None else x")
        elif origin is Literal and all(type(a) is str for a in args):
            choices = self.name(frozenset(args), "choices")  # not hashable: TypeError, as above
            add(indent, f"if {v} not in {choices}:")
            add(indent + 1, f"{v} = {self._call(hook, type_, v)}")
        else:  # a value the hook reads: never a table or a list read unchecked
            add(indent, f"if type({v}) in _CONTAINERS:")
            add(indent + 1, "raise _Unusual")
            add(indent, f"{v} = {self._call(hook, type_, v)}")

    def _call(self, hook: Callable, type_: Any, v: str) -> str:
        return f"{self.name(hook, 'hook')}({v}, {self.name(type_, 'type')})"

    def _reader(self, cls: type) -> str:
        read_table = reader(cls)
        if read_table is None:
            raise _CannotWrite(cls.__name__)
        return self.name(read_table, f"read_{cls.__name__}")

    def _list(self, indent: int, v: str, type_: Any, limit: int, level: int) -> None:
        """A list (or tuple) of at most ``limit`` items, read as a tuple or a list."""
        args = typing.get_args(type_)
        origin = typing.get_origin(type_)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis or origin is list and args:
            item = args[0]
        else:
            raise _CannotWrite(repr(type_))
        make = "tuple" if origin is tuple else "list"
        item_hook = None if attrs.has(item) else CONVERTER.get_structure_hook(item)
        x, m = f"x{level}", f"m{level}"
        add = self.add
        add(indent, f"if (type({v}) is not list and type({v}) is not tuple) or len({v}) > {limit}:")
        add(indent + 1, "raise _Unusual")
        if attrs.has(item):
            add(indent, f"{v} = {make}([{self._reader(item)}({x}, keys, depth + {level + 1}, "
                        f"clean) for {x} in {v}])")
        elif item_hook in INLINE:  # the items as they are: checked, not copied one by one
            add(indent, f"for {x} in {v}:")
            add(indent + 1, f"if not ({INLINE[item_hook].format(v=x)}):")
            add(indent + 2, "raise _Unusual")
            add(indent, f"{v} = {make}({v})")
        else:
            add(indent, f"{m} = []")
            add(indent, f"for {x} in {v}:")
            self._value(indent + 1, x, item, item_hook, MAX_ITEMS, level + 1)
            add(indent + 1, f"{m}.append({x})")
            add(indent, f"{v} = {make}({m})")

    def _mapping(self, indent: int, v: str, key: Any, value: Any, level: int) -> None:
        """A table of keys and values of one type each (``dict[str, Decimal]``)."""
        key_hook = CONVERTER.get_structure_hook(key)
        if key_hook not in INLINE:
            raise _CannotWrite(repr(key))
        k, x, m = f"k{level}", f"x{level}", f"m{level}"
        add = self.add
        add(indent, f"if type({v}) not in _TABLES:")
        add(indent + 1, "raise _Unusual")
        add(indent, f"keys[0] += len({v})")
        add(indent, f"{m} = {{}}")
        add(indent, f"for {k}, {x} in {v}.items():")
        add(indent + 1, f"if not ({INLINE[key_hook].format(v=k)}):")
        add(indent + 2, "raise _Unusual")
        self._value(indent + 1, x, value, None, MAX_ITEMS, level + 1)
        add(indent + 1, f"{m}[{k}] = {x}")
        add(indent, f"{v} = {m}")

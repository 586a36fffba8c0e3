"""Payer figures as cited data: every number a rule uses lives in a TOML file beside its source.

An adapter keeps its figures (a deadline's days, a visit limit, a cap, an RVU
value, a payer id) in ``data/figures.toml`` inside its package, one table per
figure, and never as a bare constant in code::

    [bill_days]
    value = 45
    unit = "days"
    source = "11 NYCRR 65-1.1 (Mandatory PIP Endorsement) and 65-2.4(c)"
    edition = "regulation as amended through 2024"
    confidence = "high"

    # A figure that changed over time: one table per edition, with its dates.
    [[daily_rvu_cap]]
    value = "8"
    effective_to = 2019-03-31
    source = "..."
    confidence = "high"

    [[daily_rvu_cap]]
    value = "12"
    effective_from = 2019-04-01
    source = "..."
    confidence = "high"

    # Figures can be grouped: this one is named "rvu.97124".
    [rvu.97124]
    value = "2.62"
    ...

``value`` is an integer or a string (write decimals as strings, ``"2.62"``:
no floats near a fee). ``source`` names the primary source (the regulation,
the payer's page, the schedule and its edition) and ``confidence`` grades it
(``high``, ``medium``, ``low``, ``sample`` or ``rule``); both are required,
and the file is read through payerkit's converter, so a figure without a
citation, with an unknown confidence or with an unknown key fails to load
with the path of the problem. The conformance suite loads every adapter's
figures file this way.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Literal

import attrs
import cattrs
from attrs import frozen

from .errors import PluginError
from .model.results import Citation

FIGURES_FILE = "figures.toml"
FigureConfidence = Literal["high", "medium", "low", "sample", "rule"]


@frozen
class _FigureSpec:
    """One figure table as written in the file (structured by the core converter)."""

    value: int | str
    source: str
    confidence: FigureConfidence
    edition: str | None = None
    url: str | None = None
    unit: str | None = None
    note: str | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None


#: Each figure value's ``Decimal`` (a figure's value is an integer or a string; a Decimal is
#: immutable, so one serves every rule that reads it).
_DECIMALS: dict = {}


@frozen
class Figure:
    """A cited value: ``value`` with the ``citation`` and the dates it is in force."""

    name: str
    value: int | str
    citation: Citation
    unit: str | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    #: The file's own remark on the figure (how to read it), shown with it where useful.
    note: str | None = None

    def applies(self, on: dt.date | None) -> bool:
        if on is None:
            return True
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to)

    @property
    def decimal(self) -> Decimal:
        """The value as a ``Decimal`` (for RVUs, caps, amounts)."""
        value = self.value
        number = _DECIMALS.get(value)
        if number is None:
            number = Decimal(value)
            if len(_DECIMALS) < 4096 and type(value) in (str, int):
                _DECIMALS[value] = number
        return number

    @property
    def integer(self) -> int:
        if not isinstance(self.value, int):
            raise TypeError(f"figure {self.name!r} is not an integer")
        return self.value


_FOUND_KEPT = 4096


@attrs.define(frozen=True)
class Figures:
    """The figures of one file, by name. Look one up with :meth:`get`."""

    origin: str
    by_name: Mapping[str, tuple[Figure, ...]]
    #: What :meth:`find` answered, by (name, day): rules ask for the same few figures on
    #: the same days case after case (at most :data:`_FOUND_KEPT` kept).
    _found: dict = attrs.field(factory=dict, init=False, repr=False, eq=False, hash=False)

    def find(self, name: str, on: dt.date | None = None) -> Figure | None:
        """The figure ``name`` in force ``on`` a day, or ``None`` when no edition is."""
        key = (name, on)
        try:
            return self._found[key]
        except KeyError:
            pass
        editions = self.by_name.get(name)
        if editions is None:
            raise PluginError(f"{self.origin}: no figure {name!r}")
        found = next((figure for figure in editions if figure.applies(on)), None)
        if len(self._found) >= _FOUND_KEPT:
            self._found.clear()
        self._found[key] = found
        return found

    def get(self, name: str, on: dt.date | None = None) -> Figure:
        """The figure ``name`` in force ``on`` a day (the only one when undated)."""
        figure = self.find(name, on)
        if figure is not None:
            return figure
        raise PluginError(f"{self.origin}: figure {name!r} has no edition in force on "
                          f"{on.isoformat() if on else 'that day'}")

    def group(self, prefix: str) -> dict[str, tuple[Figure, ...]]:
        """Figures named ``prefix.<key>`` by key (``group("rvu")`` → ``{"97124": ...}``)."""
        head = prefix + "."
        return {name[len(head):]: figs for name, figs in self.by_name.items()
                if name.startswith(head)}

    def __iter__(self) -> Iterator[Figure]:
        for editions in self.by_name.values():
            yield from editions


def _int_or_str(value: object, _type) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"expected an integer or a string, got {type(value).__name__}")
    return value


@functools.cache
def _converter() -> cattrs.Converter:
    """The converter of every figures file, made once (each plugin loads its own file)."""
    from .converter import make_converter

    conv = make_converter()
    conv.register_structure_hook(int | str, _int_or_str)
    return conv


def _is_figure(table: object) -> bool:
    return isinstance(table, dict) and "value" in table


def _walk(data: Mapping, prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, table in data.items():
        name = f"{prefix}{key}"
        if isinstance(table, list) or _is_figure(table):
            yield name, table
        elif isinstance(table, dict):
            yield from _walk(table, name + ".")
        else:
            yield name, table


def parse_figures(text: str, origin: str) -> Figures:
    """Figures from TOML text; every problem raises one :class:`PluginError` naming its path."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PluginError(f"{origin}: not valid TOML ({exc})") from None
    conv = _converter()
    problems: list[str] = []
    by_name: dict[str, tuple[Figure, ...]] = {}
    for name, tables in _walk(data):
        editions = tables if isinstance(tables, list) else [tables]
        figures = []
        for i, table in enumerate(editions):
            where = name if not isinstance(tables, list) else f"{name}[{i}]"
            if not isinstance(table, dict):
                problems.append(f"{where}: expected a table with value, source and confidence")
                continue
            try:
                spec = conv.structure(table, _FigureSpec)
            except cattrs.BaseValidationError as exc:
                from .converter import format_error

                problems += [f"{where}.{m.rpartition(' @ $.')[2]}: {m.rpartition(' @ ')[0]}"
                             if " @ $." in m else f"{where}: {m.rpartition(' @ ')[0]}"
                             for m in cattrs.transform_error(exc, "$", format_error)]
                continue
            if not spec.source.strip():
                problems.append(f"{where}.source: expected the primary source, got nothing")
                continue
            if isinstance(spec.value, str) and spec.unit not in ("id", "text"):
                try:
                    Decimal(spec.value)
                except InvalidOperation:
                    problems.append(f"{where}.value: expected a number as a string such as "
                                    f"\"2.62\" (or unit = \"id\" for an identifier)")
                    continue
            figures.append(Figure(
                name, spec.value, Citation(spec.source, spec.edition, spec.confidence, spec.url),
                spec.unit, spec.effective_from, spec.effective_to, spec.note))
        by_name[name] = tuple(figures)
    if problems:
        raise PluginError(f"{origin}: invalid figures: " + "; ".join(problems))
    return Figures(origin, by_name)


def load_figures(package: str, name: str = FIGURES_FILE) -> Figures:
    """The figures file ``data/<name>`` of an installed package (an adapter's own)."""
    origin = f"{package}/data/{name}"
    try:
        text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise PluginError(f"{origin}: cannot read ({type(exc).__name__})") from None
    return parse_figures(text, origin)


__all__ = ["FIGURES_FILE", "Figure", "Figures", "load_figures", "parse_figures"]

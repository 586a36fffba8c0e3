"""Fee schedules: per-unit allowed amounts with effective dates and a source.

A schedule file is CSV with a header row::

    code,modifier,amount,effective_from,effective_to
    97124,,25.50,2026-01-01,2026-12-31
    97140,,31.00,2026-01-01,

``modifier`` and both dates may be empty (open-ended). Lines starting with
``#`` are comments: put the schedule's source and edition there too, but the
citation that output quotes is the one given to :meth:`FeeSchedule.from_csv`.
A lookup picks the entry for the code whose modifier matches one of the
line's modifiers (else the entry without modifier) and whose date range holds
the date of service; among several that fit, the earliest listed wins.

A practice's own schedule (a contract, a prevailing fee) comes from the case's
``[fees]`` table: :func:`practice_schedule` builds it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from attrs import field, frozen

from ..model.results import Citation, Reason
from .money import parse_money, parse_written_amount

COLUMNS = ("code", "modifier", "amount", "effective_from", "effective_to")


@frozen
class FeeEntry:
    code: str
    amount: Decimal
    modifier: str | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def applies(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )


def _index(entries: tuple[FeeEntry, ...]) -> dict[str, tuple[FeeEntry, ...]]:
    by_code: dict[str, list[FeeEntry]] = {}
    for entry in entries:
        by_code.setdefault(entry.code, []).append(entry)
    return {code: tuple(items) for code, items in by_code.items()}


@frozen
class FeeSchedule:
    """Allowed amounts per unit. ``citation`` is quoted as each priced line's fee source.

    ``notes`` are reasons the pricing repeats whenever the schedule is used:
    where the figures come from, or why there are none (an empty schedule
    with a note says "no figures, and this is why").
    """

    citation: Citation
    entries: tuple[FeeEntry, ...] = field(converter=tuple)
    notes: tuple[Reason, ...] = field(default=(), converter=tuple)
    _by_code: dict = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self):
        object.__setattr__(self, "_by_code", _index(self.entries))

    @property
    def source(self) -> str:
        return str(self.citation)

    def lookup(self, code: str, modifiers: Iterable[str], on: dt.date) -> FeeEntry | None:
        """The entry for ``code`` on ``on``: a modifier-specific one first, else the plain one."""
        candidates = [e for e in self._by_code.get(code, ()) if e.applies(on)]
        mods = set(modifiers)
        for entry in candidates:
            if entry.modifier is not None and entry.modifier in mods:
                return entry
        for entry in candidates:
            if entry.modifier is None:
                return entry
        return None

    @classmethod
    def from_rates(cls, rates: Mapping[str, Decimal], citation: Citation) -> FeeSchedule:
        """A schedule from ``{code: amount}`` with no date limits."""
        return cls(citation, [FeeEntry(code, parse_money(amount)) for code, amount in rates.items()])

    @classmethod
    def from_csv(cls, source: str | Path | io.TextIOBase, citation: Citation) -> FeeSchedule:
        """Read a schedule file. Errors name the row and column: ``fees.csv:3 amount: …``."""
        if isinstance(source, (str, Path)):
            name = Path(source).name
            text = Path(source).read_text(encoding="utf-8")
        else:
            name, text = "fee schedule", source.read()
        return cls(citation, parse_fee_rows(text, name))


def practice_schedule(fees, citation: Citation | None = None,
                      notes: Iterable[Reason] = ()) -> FeeSchedule | None:
    """The schedule a case's ``[fees]`` gives (``case.fees``), or ``None`` without one.

    The file's dated entries are looked up before the plain ``rates``. The
    citation defaults to the practice's own ``source`` with its confidence
    (``practice``, or ``sample`` for invented figures); an adapter may pass one
    naming the rule that makes the practice's fee apply (keep ``fees.confidence``).
    """
    if fees is None:
        return None
    citation = citation or Citation(fees.source, confidence=fees.confidence)
    notes = tuple(notes)
    try:
        key = (id(fees.entries), tuple(fees.rates.items()), citation, notes)
        made = _MADE.get(key)
    except TypeError:  # an unhashable value: made every time
        key = made = None
    if made is not None and made[0] is fees.entries:
        return made[1]
    rates = [FeeEntry(code, parse_money(amount)) for code, amount in fees.rates.items()]
    schedule = FeeSchedule(citation, [*fees.entries, *rates], notes)
    if key is not None:
        if len(_MADE) >= _MADE_KEPT:
            _MADE.clear()
        _MADE[key] = (fees.entries, schedule)
    return schedule


#: The schedules :func:`practice_schedule` made, by what each is made of: the fee file's
#: entries (one tuple for every case that names the file: it is read once,
#: :mod:`payerkit.io`), by identity, the rates, the citation and the notes. A practice's
#: cases give the same ``[fees]``, so its schedule is made (and indexed, and checked as a
#: plugin's answer) once, and the same frozen object answers for each case.
_MADE: dict[tuple, tuple[tuple, FeeSchedule]] = {}
_MADE_KEPT = 64


def parse_fee_rows(text: str, name: str = "fee schedule") -> list[FeeEntry]:
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(rows)
    missing = {"code", "amount"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"{name}: header must name the columns {', '.join(COLUMNS)}")
    entries, problems = [], []
    for number, row in enumerate(reader, start=2):
        try:
            entries.append(_entry(row))
        except ValueError as exc:
            problems.append(f"{name}:{number} {exc}")
    if problems:
        raise ValueError("\n".join(problems))
    return entries


def _entry(row: dict) -> FeeEntry:
    def date(column: str) -> dt.date | None:
        value = (row.get(column) or "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{column}: expected a date YYYY-MM-DD, got {value!r}") from None

    code = (row.get("code") or "").strip()
    if not code:
        raise ValueError("code: expected a CPT/HCPCS code, got nothing")
    try:
        amount = parse_written_amount((row.get("amount") or "").strip())
    except ValueError as exc:
        raise ValueError(f"amount: {exc}") from None
    start, end = date("effective_from"), date("effective_to")
    if start and end and end < start:
        raise ValueError("effective_to: expected a date on or after effective_from")
    return FeeEntry(code, amount, (row.get("modifier") or "").strip() or None, start, end)

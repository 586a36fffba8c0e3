"""The daily physical-medicine RVU cap and the RVU table it is counted with.

Both figures live in ``data/`` with their source, edition and confidence:

* ``daily_rvu_cap.csv`` — the cap per patient per day by date of service
  (12 RVUs from 2019-04-01, 8 before; NYLJ Apr 10, 2019 / NYPTA, HIGH).
* ``rvu.csv`` — RVUs per code (97124 = 2.62, 97140 = 4.23 from the 2019
  chiropractic physical-medicine schedule as quoted by jeenabelil.com, MEDIUM).

Units are allowed in the order they are billed while the day's RVUs stay
within the cap; a unit that would push the day over it is not allowed.
A code missing from the table cannot be counted (``None``).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib.resources import files

from attrs import frozen
from payerkit.model import Citation


@frozen
class Rvu:
    code: str
    rvu: Decimal
    citation: Citation


@frozen
class DailyCap:
    rvu: Decimal
    effective_from: dt.date | None
    effective_to: dt.date | None
    citation: Citation

    def applies(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )


def _rows(name: str) -> list[dict[str, str]]:
    text = files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@functools.cache
def rvu_table() -> Mapping[str, Rvu]:
    """RVUs by code, read once from ``data/rvu.csv``."""
    table = {}
    for row in _rows("rvu.csv"):
        citation = Citation(f"{row['schedule']}: {row['code']} = {row['rvu']} RVU; {row['source']}",
                            row["edition"], row["confidence"])
        table[row["code"]] = Rvu(row["code"], Decimal(row["rvu"]), citation)
    return table


@functools.cache
def _caps() -> tuple[DailyCap, ...]:
    return tuple(
        DailyCap(Decimal(row["rvu"]), _date(row["effective_from"]), _date(row["effective_to"]),
                 Citation(row["source"], row["edition"], row["confidence"]))
        for row in _rows("daily_rvu_cap.csv")
    )


def daily_cap(on: dt.date) -> DailyCap:
    """The cap in force on a date of service."""
    return next(cap for cap in _caps() if cap.applies(on))


def allowed_units(lines: Iterable[tuple[str, int]], cap: Decimal,
                  table: Mapping[str, Rvu] | None = None) -> tuple[int | None, ...]:
    """Units of each ``(code, units)`` line that fit in the day's cap, in billing order.

    ``None`` for a code with no RVU in the table (it cannot be counted).
    """
    table = rvu_table() if table is None else table
    used = Decimal(0)
    result: list[int | None] = []
    for code, units in lines:
        entry = table.get(code)
        if entry is None:
            result.append(None)
            continue
        fit = min(units, int((cap - used) // entry.rvu)) if cap > used else 0
        used += fit * entry.rvu
        result.append(fit)
    return tuple(result)


def day_rvus(lines: Iterable[tuple[str, int]], table: Mapping[str, Rvu] | None = None) -> Decimal:
    """RVUs of all billed units of codes in the table (over the cap or not)."""
    table = rvu_table() if table is None else table
    return sum((table[code].rvu * units for code, units in lines if code in table), Decimal(0))

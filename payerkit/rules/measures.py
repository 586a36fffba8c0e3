"""The outcome measures catalogue: ranges, the better direction, and each MCID with its source.

The catalogue is data (``payerkit/data/measures.toml``), read once. A goal or a measurement
names a measure by id, compared without regard to case: the catalogue's own (``ndi``), or the
catalogue's id, a dot and the practice's detail (``rom.cervical_rotation_left`` is a range of
motion). Any other id is the practice's own measure (:func:`measure` returns ``None``): the
case reader accepts it, the plan rules warn that it is not in the catalogue, and its better
direction is taken from the goal's baseline and target (:func:`direction`).

A measure's MCID (minimal clinically important difference) is the smallest change that counts
as progress. Where none is published (range of motion, sitting and standing tolerance,
medication use) any measured change in the better direction counts, and the rules say to
verify it with the plan.
"""

from __future__ import annotations

import functools
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Literal

from attrs import frozen

from ..model.results import Citation

Better = Literal["higher", "lower"]

#: Where the catalogue lives, as cited in findings about it.
CATALOGUE = Citation("payerkit's outcome-measure catalogue (payerkit/data/measures.toml)",
                     confidence="rule")


@frozen
class Measure:
    """One outcome measure of the catalogue."""

    id: str
    name: str
    unit: str
    low: Decimal
    high: Decimal
    better: Better
    citation: Citation
    #: The smallest change that counts as progress; ``None`` when none is published.
    mcid: Decimal | None = None
    mcid_note: str | None = None
    note: str | None = None

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high

    def improvement(self, before: Decimal, after: Decimal) -> Decimal:
        """How much better ``after`` is than ``before`` (negative when worse)."""
        return after - before if self.better == "higher" else before - after


@functools.cache
def catalogue() -> dict[str, Measure]:
    """Every measure of the catalogue by its id (read once)."""
    text = resources.files("payerkit").joinpath("data/measures.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    sources = {key: Citation(**value) for key, value in data["sources"].items()}
    found = {}
    for key, entry in data["measures"].items():
        mcid = entry.get("mcid")
        found[key] = Measure(
            key, entry["name"], entry["unit"], Decimal(entry["low"]), Decimal(entry["high"]),
            entry["better"], sources[entry["source"]], None if mcid is None else Decimal(mcid),
            entry.get("mcid_note"), entry.get("note"))
    return found


def measure(measure_id: str) -> Measure | None:
    """The catalogue's measure for ``measure_id`` (its id, any case, or its id and a dotted
    detail), or ``None`` for a measure of the practice's own."""
    known = catalogue()
    key = measure_id.lower()
    found = known.get(key)
    if found is None and "." in key:
        found = known.get(key.partition(".")[0])
    return found


def direction(measure_id: str, baseline: Decimal | None = None,
              target: Decimal | None = None) -> Better | None:
    """Which way is better for ``measure_id``: the catalogue's, else from ``baseline`` to
    ``target`` (``None`` when neither says: no target, or a target equal to the baseline)."""
    found = measure(measure_id)
    if found is not None:
        return found.better
    if baseline is None or target is None or baseline == target:
        return None
    return "higher" if target > baseline else "lower"


def improvement(better: Better, before: Decimal, after: Decimal) -> Decimal:
    """How much better ``after`` is than ``before`` in the direction ``better``."""
    return after - before if better == "higher" else before - after


__all__ = ["CATALOGUE", "Better", "Measure", "catalogue", "direction", "improvement", "measure"]

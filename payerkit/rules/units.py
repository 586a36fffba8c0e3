"""Timed minutes to 15-minute units.

Two rules are in use, and a program picks one through ``payerkit_units``:

* :data:`CMS_8_MINUTE` — Medicare Claims Processing Manual (Pub. 100-04),
  ch. 5 § 20.2: add the minutes of all timed codes on the date, convert the
  total (8–22 min = 1 unit, 23–37 = 2, … i.e. ``(total + 7) // 15`` from 8
  minutes up), then give each code its whole 15-minute units and the units left
  to the codes with the most remaining minutes.
* :data:`CPT_MIDPOINT` — the AMA CPT time rule applied to each code on its own:
  a unit is attained when its midpoint is passed (8 minutes for the first unit,
  23 for the second, …), as Premera states in "Billing for Time" (2019-11-07).

Codes that are not timed are one unit per service unless the service says how
many.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attrs import field, frozen

from ..model.results import Citation, Reason

#: CPT codes described "each 15 minutes" that massage therapists bill.
#: Source: CPT descriptors as summarised in payer-rules.md § 10.3 (97124,
#: 97140, 97112, 97530) and the CMS therapy code list (97110, 97116, 97535).
TIMED_CODES = frozenset({"97110", "97112", "97116", "97124", "97140", "97530", "97535"})

UNIT_MINUTES = 15
MIDPOINT = 8


def units_for_minutes(minutes: int) -> int:
    """Units for a number of minutes of one timed code, or of a day's total.

    ``0`` under 8 minutes; then one unit per 15 minutes, rounding at the
    midpoint: 8–22 → 1, 23–37 → 2, 38–52 → 3, …
    """
    if minutes < MIDPOINT:
        return 0
    return (minutes + UNIT_MINUTES - MIDPOINT) // UNIT_MINUTES


def cms_total_time(minutes: Sequence[int]) -> tuple[int, ...]:
    """Units for each timed service of one date under the CMS 8-minute rule.

    The day's total decides how many units; each service first gets its whole
    15-minute units, then the remaining units go one each to the services with
    the most minutes left over (ties: more total minutes, then earlier).
    """
    total_units = units_for_minutes(sum(minutes))
    units = [m // UNIT_MINUTES for m in minutes]
    left = total_units - sum(units)
    order = sorted(
        range(len(minutes)),
        key=lambda i: (-(minutes[i] % UNIT_MINUTES), -minutes[i], i),
    )
    for i in order[:left]:
        units[i] += 1
    return tuple(units)


def per_code_midpoint(minutes: Sequence[int]) -> tuple[int, ...]:
    """Units for each timed service rounded on its own (CPT midpoint rule)."""
    return tuple(units_for_minutes(m) for m in minutes)


@frozen
class UnitRule:
    """A named way to turn the minutes of a date's timed services into units.

    ``notes`` are reasons the pricing repeats whenever the rule is used (e.g.
    that the payer's own rule is not confirmed and this one is a default).
    """

    id: str
    name: str
    citation: Citation
    timed: Callable[[Sequence[int]], tuple[int, ...]]
    notes: tuple[Reason, ...] = field(default=(), converter=tuple)

    def units(self, services) -> tuple[int, ...]:
        """Units for each service of one visit (timed and untimed), in order."""
        timed_index = [i for i, s in enumerate(services) if s.code in TIMED_CODES]
        timed_units = self.timed([services[i].minutes or 0 for i in timed_index])
        result = [s.units if s.units is not None else 1 for s in services]
        for i, u in zip(timed_index, timed_units, strict=True):
            result[i] = u
        return tuple(result)


CMS_8_MINUTE = UnitRule(
    id="cms-8-minute",
    name="CMS 8-minute rule (total timed minutes of the date)",
    citation=Citation(
        "Medicare Claims Processing Manual, Pub. 100-04, ch. 5 § 20.2", confidence="high"
    ),
    timed=cms_total_time,
)

CPT_MIDPOINT = UnitRule(
    id="cpt-midpoint",
    name="CPT midpoint rule (each code on its own)",
    citation=Citation("AMA CPT time rule (midpoint), as adopted by payer policy", confidence="medium"),
    timed=per_code_midpoint,
)

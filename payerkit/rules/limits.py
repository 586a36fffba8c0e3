"""Visit counting over windows: benefit year, prescription, authorization, episode.

All functions take the case's visits (dates in order) and count the visits
that fall in a window up to and including a given day. They return plain
counts; adapters wrap them in :class:`payerkit.model.Limit` records with the
citation of the rule that sets the limit. A missed appointment (a visit whose
``attendance`` is ``no_show`` or ``late_cancel``) is not a visit used: it is
never counted.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from ..model.results import Citation, Limit

#: The shared name of the limit a clerk asks for most: the visits of an episode of care a plan
#: takes without review (prior authorization), and how many are left. A payer's own rule and a
#: state's floor (a rule set) may both give one; :func:`with_review_window` keeps one row.
VISITS_BEFORE_REVIEW = "visits before review"


#: The visits whose dates were sorted last, and their dates: a case's rules ask about the
#: same visits (a tuple, the case's) a dozen times a visit. Kept by identity, the tuple held.
_SORTED: tuple = ((), ())


def _dates(visits: Iterable) -> tuple[dt.date, ...]:
    global _SORTED
    last = _SORTED
    if visits is last[0]:
        return last[1]
    dates = tuple(sorted(v.date if hasattr(v, "date") else v for v in visits
                         if getattr(v, "attendance", "attended") == "attended"))
    if type(visits) is tuple:
        _SORTED = (visits, dates)
    return dates


def count_between(visits: Iterable, start: dt.date | None, end: dt.date | None) -> int:
    """Visits on days from ``start`` to ``end``, both included (``None``: open)."""
    dates = _dates(visits)
    first = 0 if start is None else bisect_left(dates, start)
    after = len(dates) if end is None else bisect_right(dates, end)
    return after - first if after > first else 0


def episode_start(visits: Sequence, on: dt.date, gap_days: int = 90) -> dt.date | None:
    """First day of the episode of care that ``on`` belongs to.

    A visit opens a new episode when no visit falls in the ``gap_days`` days
    before it (RCW 48.43.016's "new episode of care": a condition not treated
    in the previous 90 days).
    """
    start = None
    previous = None
    for day in _dates(visits):
        if day > on:
            break
        if previous is None or (day - previous).days > gap_days:
            start = day
        previous = day
    return start


def count_in_episode(visits: Sequence, on: dt.date, gap_days: int = 90) -> int:
    """Visits of the episode that ``on`` belongs to, up to ``on``."""
    start = episode_start(visits, on, gap_days)
    return 0 if start is None else count_between(visits, start, on)


def count_in_window(visits: Sequence, start: dt.date, days: int, on: dt.date) -> int:
    """Visits in the ``days``-day window opening on ``start`` (start + days - 1 is its last day)."""
    last = min(on, start + dt.timedelta(days=days - 1))
    return count_between(visits, start, last)


def benefit_year_start(on: dt.date, month: int = 1, day: int = 1) -> dt.date:
    """First day of the benefit year holding ``on`` (calendar year by default)."""
    start = dt.date(on.year, month, day)
    return start if start <= on else dt.date(on.year - 1, month, day)


def count_in_benefit_year(visits: Sequence, on: dt.date, month: int = 1, day: int = 1) -> int:
    return count_between(visits, benefit_year_start(on, month, day), on)


def review_window(allowed: int, used: int, window: str, citation: Citation) -> Limit:
    """The :data:`VISITS_BEFORE_REVIEW` limit: ``allowed`` visits without review in ``window``."""
    return Limit(VISITS_BEFORE_REVIEW, "visits", allowed, used, window, citation)


def with_review_window(limits: Iterable[Limit], limit: Limit) -> list[Limit]:
    """``limits`` with the review window ``limit``, keeping one :data:`VISITS_BEFORE_REVIEW` row.

    Two rules that each exempt visits from review (a payer's own and a state's floor) exempt a
    visit when either does, so the row kept is the one that leaves more visits (or is less far
    over); on a tie the one given first (the owner's, with its source). Other limits are kept
    as they are.
    """
    found = list(limits)
    at = next((i for i, old in enumerate(found) if old.name == VISITS_BEFORE_REVIEW), None)
    if at is None:
        return [limit, *found]
    if _left(limit) is not None and (_left(found[at]) is None or _left(limit) > _left(found[at])):
        found[at] = limit
    return found


def _left(limit: Limit):
    """``allowed - used``, below 0 when over (``remaining`` stops at 0), ``None`` when unknown."""
    return None if limit.allowed is None else limit.allowed - limit.used

"""Counting a visit's place in its episode of care, prescription and authorization.

Built on :mod:`payerkit.rules.limits`. The episode is the one holding the
billed visit: a visit with no visit in the 90 days before it opens a new one
(Premera's outpatient rehabilitation page; RCW 48.43.016). Visits the member
had with other providers of the same type (``coverage.visits_used_elsewhere``)
share the episode's review-free visits, so they are added to the count.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen
from payerkit.model import Authorization, Case, Prescription
from payerkit.rules.limits import count_between, count_in_episode, episode_start

from .sources import EPISODE_GAP_DAYS, VISITS_WITHOUT_REVIEW


@frozen
class EpisodePosition:
    """Where a visit falls: the episode's first day and the visit's number in it."""

    start: dt.date
    number: int

    @property
    def needs_review(self) -> bool:
        return self.number > VISITS_WITHOUT_REVIEW

    @property
    def window(self) -> str:
        return f"{EPISODE_GAP_DAYS}-day episode of care starting {self.start.isoformat()}"


def position(case: Case, on: dt.date) -> EpisodePosition:
    """The episode holding the visit on ``on``, and that visit's number (others' visits too)."""
    start = episode_start(case.visits, on, EPISODE_GAP_DAYS) or on
    here = count_in_episode(case.visits, on, EPISODE_GAP_DAYS)
    return EpisodePosition(start, here + case.coverage.visits_used_elsewhere)


def prescription_used(case: Case, prescription: Prescription, on: dt.date) -> int:
    """Visits from the prescription's date up to ``on``."""
    return count_between(case.visits, prescription.date, on)


def authorization_used(case: Case, authorization: Authorization, on: dt.date) -> int:
    """Visits on days the authorization covers, up to ``on``.

    An authorization with no start date counts from the start of the episode
    holding ``on``.
    """
    start = authorization.start or position(case, on).start
    end = on if authorization.end is None else min(on, authorization.end)
    return count_between(case.visits, start, end)


def authorization_window(authorization: Authorization) -> str:
    start = authorization.start.isoformat() if authorization.start else "the episode's start"
    end = authorization.end.isoformat() if authorization.end else "open end"
    return f"authorization {authorization.number}: {start} to {end}"

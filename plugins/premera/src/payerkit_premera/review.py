"""Visits without review (RCW 48.43.016, from 2018-06-07) and Premera's eviCore review after them.

Kept in one module so it can move to a Washington-law plugin. Built on
:mod:`payerkit.rules.limits`:

* a visit opens a new **episode of care** when the provider has not treated
  the condition in the previous 90 days (no visit of the case in the 90 days
  before it); a visit exactly 90 days after the previous one continues it;
* the **first 6 visits within the 90 days from the episode's first visit**
  need no review (Premera: an episode is services within a 90-day period);
  visits the member had with other providers of the same type
  (``coverage.visits_used_elsewhere``) share them. A later visit of an
  unbroken chain, more than 90 days after the episode began, is no new
  episode: it needs review, as does the 7th visit;
* a visit that needs review needs an eviCore authorization covering its date
  and not used up (``episode.authorization``).

Dates of service before 2018-06-07 are not judged: the earlier rule is not encoded.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen
from payerkit import Case, Limit, Outcome, Visit, caution, note, requirement
from payerkit.rules.limits import count_between, count_in_window, episode_start

from .sources import FIGURES

RULE = "visits_without_review"


@frozen
class Episode:
    """The episode of care holding a day: its first day, its 90-day period, the visit's number."""

    start: dt.date
    last: dt.date
    number: int
    after_period: bool

    @property
    def window(self) -> str:
        return f"90-day episode of care {self.start.isoformat()} to {self.last.isoformat()}"


def episode(case: Case, on: dt.date) -> Episode:
    days = FIGURES.get("episode_gap_days").integer
    start = episode_start(case.visits, on, days) or on
    counted = count_in_window(case.visits, start, days, on) + case.coverage.visits_used_elsewhere
    last = start + dt.timedelta(days=days - 1)
    return Episode(start, last, counted, on > last)


def authorization_used(case: Case, on: dt.date) -> int:
    """Visits on days the authorization covers up to ``on`` (no start: from the episode's start)."""
    auth = case.episode.authorization
    start = auth.start or episode(case, on).start
    return count_between(case.visits, start, on if auth.end is None else min(on, auth.end))


def _rule(on: dt.date):
    return FIGURES.find(RULE, on)


def outcomes(case: Case, visit: Visit) -> list[Outcome]:
    on, rule = visit.date, _rule(visit.date)
    if rule is None:
        return [caution("REVIEW-RULE-BEFORE-2018", f"the date of service {on.isoformat()} is "
                        "before 2018-06-07, when RCW 48.43.016's six visits without review took "
                        "effect; payerkit does not encode the review rule that applied before: "
                        "verify with the plan whether eviCore review was needed",
                        FIGURES.get(RULE).citation, "visits")]
    ep, cited = episode(case, on), rule.citation
    elsewhere = case.coverage.visits_used_elsewhere
    others = f" ({elsewhere} with other providers counted)" if elsewhere else ""
    if ep.after_period:
        where = (f"the visit on {on.isoformat()} is more than 90 days after the episode of care "
                 f"began on {ep.start.isoformat()} (visits with no 90-day break continue the "
                 "episode, they open no new one)")
    else:
        where = f"visit {ep.number} of the {ep.window}{others}"
    if not ep.after_period and ep.number <= rule.integer:
        return [note("NO-REVIEW-NEEDED", f"{where}: the first {rule.value} visits within 90 "
                     "days need no eviCore review", cited, "visits")]
    auth = case.episode.authorization
    if auth is None or not auth.covers(on):
        problem = ("no authorization is on file" if auth is None else
                   f"the authorization on file does not cover {on.isoformat()}")
        return [requirement("AUTHORIZATION-REQUIRED", f"{where}: Premera requires eviCore "
                            f"medical-necessity review after the first {rule.value} visits within "
                            f"90 days, and {problem}; request review from eviCore and enter the "
                            "approval in episode.authorization", cited, "episode.authorization")]
    used = authorization_used(case, on)
    if auth.visits is not None and used > auth.visits:
        return [requirement("AUTHORIZATION-USED-UP", f"{where}: the authorization on file "
                            f"allows {auth.visits} visits and this is visit {used} under it; "
                            "request more visits from eviCore", cited, "episode.authorization.visits")]
    allowed = "" if auth.visits is None else f" (visit {used} of {auth.visits})"
    return [note("AUTHORIZED", f"{where}: covered by the authorization on file{allowed}", cited,
                 "episode.authorization")]


def limits(case: Case, visit: Visit) -> list[Limit]:
    """The episode's review-free visits and the authorization's visits, as of ``visit``."""
    on, rule, found = visit.date, _rule(visit.date), []
    if rule is not None:
        ep = episode(case, on)
        window = ep.window + (f"; the visit on {on.isoformat()} is after it" if ep.after_period
                              else "")
        found.append(Limit("episode visits without eviCore review", "visits", rule.integer,
                           ep.number, window, rule.citation))
    auth = case.episode.authorization
    if auth is not None and auth.visits is not None:
        start = auth.start.isoformat() if auth.start else "the episode's start"
        end = auth.end.isoformat() if auth.end else "open end"
        found.append(Limit("authorized visits", "visits", auth.visits, authorization_used(case, on),
                           f"the authorization on file: {start} to {end}",
                           FIGURES.get(RULE).citation))
    return found

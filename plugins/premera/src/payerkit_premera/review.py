"""Premera's eviCore outpatient-rehabilitation review program (Premera's own rules only).

* **The first six visits of an episode need no review** (Premera's provider page, for dates of
  service from 2018-06-07): an episode of care is services by the same provider type within a
  90-day period. payerkit's reading, built on :mod:`payerkit.rules.limits`: a visit opens a new
  episode when no visit of the case falls in the 90 days before it, and the episode's first six
  visits within the 90 days from its first day need no review; a later visit of an unbroken
  chain (more than 90 days after the episode began) opens no new episode and needs review.
* **Any other visit needs eviCore review** (prior authorization) unless an authorization on
  file covers its date and is not used up: every one on file is looked at (``episode.authorization``
  and ``episode.authorizations``), the one covering the visit counted
  (:func:`payerkit.rules.plans.covering_authorization`; a missed appointment uses no visit). Both failures are
  reported with the shared code :data:`payerkit.model.outcome.PRIOR_AUTHORIZATION_REQUIRED`, so
  a rule set can override them without knowing Premera: **Washington law** (RCW 48.43.016,
  applied to fully insured plans by ``payerkit-wa-insurance-law``, a dependency never imported
  here) is a separate floor, per provider and per new episode, that may exempt a visit Premera's
  own count does not (one more than 90 days into an unbroken episode).
* **Plan funding**: the program covers fully insured (and OptiFlex) plans; self-funded groups
  may opt in. For a self-funded plan the review after the sixth visit is a caution (verify
  whether the group uses the program); Premera's six visits without review hold for every plan.
  Unknown funding keeps the requirement (the kit applies the law with its
  ``PLAN-FUNDING-UNKNOWN`` caution).
* **Sharing**: Premera counts visits with other providers of the same type together against
  the six, in claim-receipt order, which payerkit cannot know: ``coverage.visits_used_elsewhere``
  gives a caution on a visit that relies on the six, not a count.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen
from payerkit import (
    PRIOR_AUTHORIZATION_REQUIRED,
    Authorization,
    Case,
    Limit,
    Outcome,
    Visit,
    caution,
    note,
    requirement,
)
from payerkit.rules import plans
from payerkit.rules.limits import count_in_window, episode_start, review_window

from . import sources as src

SELF_FUNDED = "self_funded"
RULE = "visits_without_review"
LAW = ("Washington law (RCW 48.43.016, applied by payerkit-wa-insurance-law) may still exempt "
       "the visit on a fully insured plan")


@frozen
class Episode:
    """The episode of care holding a day: its first day, the last day of its 90-day period, the
    visit's number in the period, and whether the day is after the period."""

    start: dt.date
    last: dt.date
    number: int
    after_period: bool

    @property
    def window(self) -> str:
        return f"episode of care {self.start.isoformat()} to {self.last.isoformat()} (90 days)"


def episode(case: Case, on: dt.date) -> Episode:
    days = src.FIGURES.get("episode_days").integer
    start = episode_start(case.visits, on, days) or on
    last = start + dt.timedelta(days=days - 1)
    return Episode(start, last, count_in_window(case.visits, start, days, on), on > last)


def free_visit(case: Case, on: dt.date) -> Episode | None:
    """The visit's episode when Premera's own rule needs no review for it, else ``None``."""
    rule = src.FIGURES.find(RULE, on)
    if rule is None:
        return None
    ep = episode(case, on)
    return ep if not ep.after_period and ep.number <= rule.integer else None


def authorization_used(case: Case, on: dt.date, auth: Authorization | None = None) -> int:
    """Attended visits on days the authorization covers up to ``on`` (no start: from the case's
    first); ``auth``: by default the one covering ``on`` among all on file
    (:func:`payerkit.rules.plans.covering_authorization`)."""
    auth = auth if auth is not None else plans.covering_authorization(case, on)
    return plans.authorization_used(case, auth, on)


def _problem(case: Case, visit: Visit) -> tuple[str, str] | None:
    """Why no authorization covers the visit, and the field to fix; ``None`` when one does.
    Every authorization on file is looked at; the one covering the visit's date is counted."""
    on, every = visit.date, case.episode.all_authorizations
    if not every:
        return ("no authorization is on file: request review from eviCore and enter the approval "
                "in episode.authorization", "episode.authorization")
    auth = plans.covering_authorization(case, on)
    if auth is None:
        held = "the authorization on file does not" if len(every) == 1 else \
            f"none of the {len(every)} authorizations on file"
        path = "episode.authorization" if len(every) == 1 and case.episode.authorization \
            else "episode.authorizations"
        return (f"{held} cover {on.isoformat()}: request review from eviCore and enter the "
                f"approval in {path}", path)
    used = authorization_used(case, on, auth)
    if auth.visits is not None and used > auth.visits:
        which = "the authorization on file" if len(every) == 1 else \
            f"the authorization on file covering {on.isoformat()}"
        return (f"{which} is used up: it allows {auth.visits} visits and this "
                f"is visit {used} under it; request more visits from eviCore",
                plans.authorization_path(case, auth) + ".visits")
    return None


def _where(case: Case, on: dt.date) -> str:
    """Why Premera's six visits without review do not reach the visit on ``on``."""
    rule = src.FIGURES.find(RULE, on)
    if rule is None:
        first = src.FIGURES.by_name[RULE][0].effective_from.isoformat()
        return (f"the date of service {on.isoformat()} is before {first}, from when Premera "
                "exempts the first six visits of an episode from review")
    ep = episode(case, on)
    if ep.after_period:
        return (f"the visit on {on.isoformat()} is more than 90 days after its episode of care "
                f"began on {ep.start.isoformat()} (visits with no 90-day break continue the "
                "episode), past the period in which Premera's first six visits need no review")
    return (f"the visit on {on.isoformat()} is visit {ep.number} of the {ep.window}, after the "
            f"first {rule.value}, which need no review")


def outcomes(case: Case, visit: Visit) -> list[Outcome]:
    """The review outcome for ``visit``, and the cautions about funding and shared visits."""
    problem = _problem(case, visit)
    if problem is None:
        auth = plans.covering_authorization(case, visit.date)
        allowed = ("" if auth.visits is None else
                   f" (visit {authorization_used(case, visit.date, auth)} of {auth.visits})")
        return [note("AUTHORIZED", f"the visit on {visit.date.isoformat()} is covered by the "
                     f"eviCore authorization on file{allowed}", src.OUTPATIENT_REHAB,
                     plans.authorization_path(case, auth))]
    free = free_visit(case, visit.date)
    if free is not None:
        rule = src.FIGURES.get(RULE, visit.date)
        return [note("PREMERA-NO-REVIEW-NEEDED", f"visit {free.number} of the {free.window}: "
                     "Premera's outpatient rehabilitation program needs no eviCore review for "
                     f"the first {rule.value} visits of an episode", rule.citation, "visits"),
                *_shared(case)]
    why, path = problem
    where = _where(case, visit.date)
    if case.coverage.funding == SELF_FUNDED:
        return [caution("EVICORE-REVIEW-SELF-FUNDED", f"self-funded plan: {where}. Premera's "
                        "outpatient rehabilitation program (eviCore review) covers fully insured "
                        "and OptiFlex plans, and self-funded groups may opt in: verify with the "
                        "plan whether this group uses the program. If it does, this visit needs "
                        f"review and {why}. Washington law's six visits without prior "
                        "authorization do not apply to self-funded plans", src.PROGRAM_FUNDING,
                        "coverage.funding")]
    return [requirement(PRIOR_AUTHORIZATION_REQUIRED, f"{where}: Premera's outpatient "
                        f"rehabilitation program requires eviCore review (prior authorization) "
                        f"and {why}. {LAW}", src.OUTPATIENT_REHAB, path)]


def _shared(case: Case) -> list[Outcome]:
    """A caution when visits with other providers may use up the six before this one."""
    elsewhere = case.coverage.visits_used_elsewhere
    if not elsewhere:
        return []
    return [caution("REVIEW-VISITS-SHARED", f"coverage.visits_used_elsewhere gives {elsewhere} "
                    "visits with other providers: Premera counts visits with every provider of "
                    "the same type together against the first six visits of an episode without "
                    "eviCore review, in the order it receives the claims (Washington law's six, "
                    "on fully insured plans, are per provider). payerkit does not count them: "
                    "Premera may count them against the six, so verify with the plan before "
                    "relying on them", src.OUTPATIENT_REHAB, "coverage.visits_used_elsewhere")]


def limits(case: Case, visit: Visit) -> list[Limit]:
    """As of ``visit``: Premera's visits before review while its episode's 90-day period runs,
    and each authorization on file (:func:`payerkit.rules.plans.authorization_limits`, cited
    to the review program: payerkit adds no rows of its own for them)."""
    found = []
    rule = src.FIGURES.find(RULE, visit.date)
    ep = episode(case, visit.date)
    if rule is not None and not ep.after_period:
        found.append(review_window(rule.integer, ep.number, f"this {ep.window}; then eviCore "
                                   "review (prior authorization)", rule.citation))
    return [*found, *plans.authorization_limits(case, visit, src.OUTPATIENT_REHAB)]

"""Premera's eviCore outpatient-rehabilitation review program (Premera's own rule only).

A visit needs eviCore review (prior authorization) unless an authorization on
file (``episode.authorization``) covers its date and is not used up. Both
failures are reported with the shared code
:data:`payerkit.model.outcome.PRIOR_AUTHORIZATION_REQUIRED`, so a rule set can
override them without knowing Premera:

* **Washington law** (RCW 48.43.016) exempts the first six visits of a new
  episode of care on fully insured plans. That is the law's rule, applied by
  the ``payerkit-wa-insurance-law`` rule set (a dependency of this
  distribution, never imported here): it overrides this requirement for the
  visits it exempts.
* **Plan funding**: the program covers fully insured (and OptiFlex) plans;
  self-funded groups may opt in. For a self-funded plan the review is a
  caution (verify whether the group uses the program); the law never applies
  to it. Unknown funding keeps the requirement (the kit applies the law with
  its ``PLAN-FUNDING-UNKNOWN`` caution).
* **Sharing**: Premera counts visits with other providers of the same type
  together against the six, in claim-receipt order; the law's floor is per
  provider. ``coverage.visits_used_elsewhere`` gives a caution, not a count
  (not for a self-funded plan, which the law's exemption does not reach).
"""

from __future__ import annotations

import datetime as dt

from payerkit import Case, Limit, Outcome, Visit, caution, note, requirement
from payerkit.model.outcome import PRIOR_AUTHORIZATION_REQUIRED
from payerkit.rules.limits import count_between

from . import sources as src

SELF_FUNDED = "self_funded"
LAW = ("Washington law (RCW 48.43.016) exempts the first six visits of a new episode of care on "
       "fully insured plans from prior authorization: that exemption is applied by "
       "payerkit-wa-insurance-law")


def authorization_used(case: Case, on: dt.date) -> int:
    """Visits on days the authorization covers up to ``on`` (no start: from the case's first)."""
    auth = case.episode.authorization
    return count_between(case.visits, auth.start, on if auth.end is None else min(on, auth.end))


def _problem(case: Case, visit: Visit) -> tuple[str, str] | None:
    """Why no authorization covers the visit, and the field to fix; ``None`` when one does."""
    on, auth = visit.date, case.episode.authorization
    if auth is None:
        return ("no authorization is on file: request review from eviCore and enter the approval "
                "in episode.authorization", "episode.authorization")
    if not auth.covers(on):
        return (f"the authorization on file does not cover {on.isoformat()}: request review from "
                "eviCore and enter the approval in episode.authorization", "episode.authorization")
    used = authorization_used(case, on)
    if auth.visits is not None and used > auth.visits:
        return (f"the authorization on file is used up: it allows {auth.visits} visits and this "
                f"is visit {used} under it; request more visits from eviCore",
                "episode.authorization.visits")
    return None


def outcomes(case: Case, visit: Visit) -> list[Outcome]:
    """The review outcome for ``visit``, and the cautions about funding and shared visits."""
    problem = _problem(case, visit)
    if problem is None:
        auth = case.episode.authorization
        allowed = ("" if auth.visits is None else
                   f" (visit {authorization_used(case, visit.date)} of {auth.visits})")
        return [note("AUTHORIZED", f"the visit on {visit.date.isoformat()} is covered by the "
                     f"eviCore authorization on file{allowed}", src.OUTPATIENT_REHAB,
                     "episode.authorization")]
    why, path = problem
    if case.coverage.funding == SELF_FUNDED:
        found = [caution("EVICORE-REVIEW-SELF-FUNDED", "self-funded plan: Premera's outpatient "
                         "rehabilitation program (eviCore review) covers fully insured and "
                         "OptiFlex plans, and self-funded groups may opt in: verify with the plan "
                         "whether this group uses the program (and from which visit). If it does, "
                         f"this visit needs review and {why}. Washington law's six visits without "
                         "prior authorization do not apply to self-funded plans",
                         src.PROGRAM_FUNDING, "coverage.funding")]
    else:
        found = [requirement(PRIOR_AUTHORIZATION_REQUIRED, "Premera's outpatient rehabilitation "
                             f"program requires eviCore review (prior authorization) and {why}. "
                             f"{LAW}", src.OUTPATIENT_REHAB, path)]
    elsewhere = case.coverage.visits_used_elsewhere
    if elsewhere and case.coverage.funding != SELF_FUNDED:
        found.append(caution("REVIEW-VISITS-SHARED", f"coverage.visits_used_elsewhere gives "
                             f"{elsewhere} visits with other providers: Premera counts visits "
                             "with every provider of the same type together against the first "
                             "six visits of an episode without eviCore review, in the order it "
                             "receives the claims, while Washington law's six are per provider. "
                             "payerkit does not count them: Premera may count them against the "
                             "six, so verify with the plan before relying on the exemption",
                             src.OUTPATIENT_REHAB, "coverage.visits_used_elsewhere"))
    return found


def limits(case: Case, visit: Visit) -> list[Limit]:
    """The authorization's visits, as of ``visit`` (when it states them)."""
    auth = case.episode.authorization
    if auth is None or auth.visits is None:
        return []
    start = auth.start.isoformat() if auth.start else "the case's first visit"
    end = auth.end.isoformat() if auth.end else "open end"
    return [Limit("authorized visits", "visits", auth.visits, authorization_used(case, visit.date),
                  f"the authorization on file: {start} to {end}", src.OUTPATIENT_REHAB)]

"""The Premera limits a clerk watches: review-free episode visits, prescription, authorization.

Annual plan visit limits are plan-specific and NOT CONFIRMED (no benefit
booklet figure was found), so none is given here.
"""

from __future__ import annotations

from payerkit.model import Case, Limit

from . import sources
from .episode import authorization_used, authorization_window, position, prescription_used


def limits(case: Case) -> list[Limit]:
    """Limits as of the billed (last) visit of the case."""
    on = case.visits[-1].date
    where = position(case, on)
    found = [Limit("episode visits without eviCore review", "visits",
                   sources.VISITS_WITHOUT_REVIEW, where.number, where.window,
                   sources.OUTPATIENT_REHAB)]
    rx = case.episode.prescription
    if rx is not None and rx.visits is not None:
        found.append(Limit("prescribed visits", "visits", rx.visits,
                           prescription_used(case, rx, on),
                           f"since the prescription of {rx.date.isoformat()}",
                           sources.PRESCRIPTION_RULE))
    auth = case.episode.authorization
    if auth is not None and auth.visits is not None:
        found.append(Limit("authorized visits", "visits", auth.visits,
                           authorization_used(case, auth, on), authorization_window(auth),
                           sources.OUTPATIENT_REHAB))
    return found

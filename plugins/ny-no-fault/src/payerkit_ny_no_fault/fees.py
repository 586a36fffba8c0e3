"""Allowed amounts: the practice's prevailing fee (11 NYCRR 68.5(b)).

No-fault charges may not exceed the NY Workers' Compensation Board fee
schedules, but none exists for licensed massage therapists, so 68.5(b)
applies: the prevailing fee in the provider's location. payerkit has no such
figure; the practice supplies it in the case's ``[fees]`` table (``rates``
and/or a CSV ``file``), and its own ``fees.source`` is quoted with the rule.
"""

from __future__ import annotations

from payerkit.model import Case, Citation, Reason
from payerkit.rules.fees import FeeSchedule, practice_schedule

from . import sources


def prevailing_fee_schedule(case: Case) -> FeeSchedule | None:
    """The practice's schedule from ``case.fees``, or ``None`` when the case has none.

    Dated entries from the CSV file are looked up before the flat ``rates``.
    """
    fees = case.fees
    if fees is None:
        return None
    return practice_schedule(fees, Citation(
        f"{fees.source}; the practice's prevailing fee under 11 NYCRR 68.5(b) (no NY WCB fee "
        "schedule exists for licensed massage therapists)",
        confidence="practice",
    ))


def fee_reason(schedule: FeeSchedule | None) -> Reason:
    """Why the allowed amounts are what they are (or unknown)."""
    if schedule is None:
        return Reason("NY-NO-PREVAILING-FEE", "no WCB fee schedule exists for licensed massage "
                      "therapists; 11 NYCRR 68.5(b) allows the prevailing fee in the provider's "
                      "location, which payerkit does not know: add a [fees] table with the "
                      "practice's prevailing fee and its source", sources.PREVAILING_FEE)
    return Reason("NY-PREVAILING-FEE", "allowed amounts are the practice's prevailing fee "
                  "(11 NYCRR 68.5(b): no WCB fee schedule exists for licensed massage therapists); "
                  "the insurer may review it against similar procedures in existing schedules",
                  sources.PREVAILING_FEE)

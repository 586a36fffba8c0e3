"""Allowed amounts: only the practice's own contracted rates, since Premera publishes none.

Premera's fee schedules are shown to contracted providers in Availity
(payer-rules.md §1.5), so the plugin prices only from the case's ``[fees]``
table, cited with ``confidence="practice"``, and says so in every pricing.
"""

from __future__ import annotations

import attrs
from payerkit.model import Case, Pricing, Reason
from payerkit.rules import fees as rules_fees
from payerkit.rules.fees import FeeSchedule

from . import sources


def practice_schedule(case: Case) -> FeeSchedule | None:
    """The practice's schedule from ``[fees]``: the CSV's dated entries first, then ``rates``."""
    return rules_fees.practice_schedule(case.fees)


def with_fee_reason(pricing: Pricing) -> Pricing:
    """``pricing`` plus a reason: where allowed amounts come from, or why they are unknown."""
    if pricing.total_allowed is None:
        reason = Reason("PREMERA-FEES-NOT-PUBLIC",
                        "Premera publishes no fee schedule (contracted providers see theirs in "
                        "Availity): give your contracted rate for every code in the case's "
                        "[fees] to get allowed amounts", sources.FEES_NOT_PUBLIC)
    else:
        used = "; ".join(sorted({line.fee_source for line in pricing.lines if line.fee_source}))
        reason = Reason("PREMERA-FEES-PRACTICE",
                        f"allowed amounts are the practice's own rates ({used}); Premera "
                        "publishes no fee schedule", sources.FEES_NOT_PUBLIC)
    return attrs.evolve(pricing, reasons=(*pricing.reasons, reason))

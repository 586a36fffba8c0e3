"""Units and allowed amounts: the CMS 8-minute rule as a stated default; no fee amounts are
shipped (none was found), so allowed amounts come only from the practice's ``[fees]``."""

from __future__ import annotations

import attrs
from payerkit import Case, Reason
from payerkit.rules.fees import FeeSchedule, practice_schedule
from payerkit.rules.units import CMS_8_MINUTE, UnitRule

from . import sources

UNIT_RULE = attrs.evolve(CMS_8_MINUTE, notes=[Reason(
    "CA-WC-UNIT-RULE-NOT-CONFIRMED", "how California workers' compensation counts 15-minute "
    "units for massage is not confirmed: payerkit uses the CMS 8-minute rule (total timed "
    "minutes of the day) by default", sources.UNIT_RULE_DEFAULT)])


def unit_rule() -> UnitRule:
    return UNIT_RULE


def fee_schedule(case: Case) -> FeeSchedule:
    """The practice's rates (the case's ``[fees]``); without them, none, and why."""
    schedule = practice_schedule(case.fees, notes=[Reason(
        "CA-WC-PRACTICE-FEES", "allowed amounts are the practice's rates agreed with the claims "
        "administrator (the case's [fees]): payerkit ships no California amounts for massage",
        sources.FEES)])
    if schedule is not None:
        return schedule
    return FeeSchedule(sources.FEES, [], [Reason(
        "CA-WC-NO-FEES", "payerkit ships no California workers' compensation amounts for "
        "massage therapy (none was found): record the rates agreed with the claims administrator "
        "in the case's [fees]; until then allowed amounts are unknown", sources.FEES)])

"""The programs' own case facts: ``[facts.regence-wa]`` (and -or, -id, -ut) and ``[facts.ump]``.

Every field has a default, so a case without the table still loads; each default is stated
in the README and, where it matters, in the output. payerkit reads the table through its
converter, so a wrong type is reported with the field's path.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from attrs import frozen
from payerkit import Case

UnitRuleName = Literal["cms-8-minute", "cpt-midpoint"]
Administrator = Literal["regence", "rga", "joint_administration"]


@frozen
class RegenceFacts:
    """Facts of a Regence commercial case (BlueShield of WA, BCBS of OR, BlueShield of ID, BCBS of UT)."""

    #: Who administers the member's group: Regence itself, Regence Group Administrators (RGA,
    #: self-funded groups: claims to RGA, its own pre-authorization), or a joint-administration
    #: TPA (eviCore authorizations do not apply).
    administrator: Administrator = "regence"
    #: Replaced by ``coverage.funding = "medicare_advantage"`` (a Medicare Advantage plan is
    #: federal, so the kit keeps state law off it): ``true`` without it is a case error saying so.
    medicare_advantage: bool = False
    #: The member's group takes part in Regence's Physical Medicine (eviCore) program. Default:
    #: yes; Regence's list of participating groups, or Availity, says otherwise.
    physical_medicine_program: bool = True
    #: The day treatment started, when earlier visits are not in this file (default: the
    #: case's first visit).
    treatment_start: dt.date | None = None
    #: The day the eviCore notification was submitted.
    notification_date: dt.date | None = None
    #: The day eviCore approved the notification.
    notification_approved_date: dt.date | None = None
    #: The member's outpatient rehabilitation visits per benefit year (a plan figure: from the
    #: eligibility response or the plan; no default).
    rehab_visits_per_year: int | None = None
    #: Units of modalities/procedures per date of service (default: the manual's 4).
    units_per_date_cap: int | None = None
    #: Stop the claim (an error) above the cap, instead of a warning.
    enforce_units_cap: bool = False
    #: How timed minutes become units (default: the CMS 8-minute rule, not confirmed for Regence).
    unit_rule: UnitRuleName | None = None
    #: The provider's filing limit in days after the date of service, from its Regence
    #: agreement (no default: not found in public sources).
    filing_limit_days: int | None = None


@frozen
class UmpFacts:
    """Facts of a Uniform Medical Plan case."""

    #: The member's plan's massage visits per calendar year, when it differs from the figure
    #: for the year (default: 24 from 2024, 16 before).
    massage_visits_per_year: int | None = None
    #: How timed minutes become units (default: the CMS 8-minute rule, not confirmed for UMP).
    unit_rule: UnitRuleName | None = None
    #: The provider's filing limit in days after the date of service (no default).
    filing_limit_days: int | None = None


#: ``coverage.funding`` of a Medicare Advantage plan.
MEDICARE_ADVANTAGE = "medicare_advantage"


def at_least(at: str, name: str, value: int | None, least: int) -> list[str]:
    """A problem when a count fact (days, a cap, visits) is below ``least``."""
    if value is None or value >= least:
        return []
    return [f"{at}.{name}: expected an integer of at least {least}, got {value}"]


def regence_problems(at: str, case: Case, facts: RegenceFacts) -> list[str]:
    """Each Regence fact that cannot be right for the case (``at``: ``facts.<program id>``)."""
    problems = []
    if facts.medicare_advantage and case.coverage.funding != MEDICARE_ADVANTAGE:
        problems.append(f"{at}.medicare_advantage: replaced by coverage.funding = "
                        f"\"{MEDICARE_ADVANTAGE}\" (a Medicare Advantage plan is federal: payerkit "
                        "keeps state law off it only when coverage.funding says so); set that and "
                        "remove this fact")
    problems += at_least(at, "units_per_date_cap", facts.units_per_date_cap, 1)
    problems += at_least(at, "filing_limit_days", facts.filing_limit_days, 1)
    problems += at_least(at, "rehab_visits_per_year", facts.rehab_visits_per_year, 0)
    start = facts.treatment_start
    if start is not None and start > case.visits[0].date:
        problems.append(f"{at}.treatment_start: expected a date on or before the "
                        "case's first visit (visits[0].date)")
    approved, sent = facts.notification_approved_date, facts.notification_date
    if approved is not None and sent is not None and approved < sent:
        problems.append(f"{at}.notification_approved_date: expected a date on or "
                        f"after notification_date ({sent.isoformat()})")
    return problems


def ump_problems(at: str, case: Case, facts: UmpFacts) -> list[str]:
    """Each UMP fact that cannot be right (``at``: ``facts.<program id>``)."""
    return (at_least(at, "filing_limit_days", facts.filing_limit_days, 1)
            + at_least(at, "massage_visits_per_year", facts.massage_visits_per_year, 0))

"""Units, allowed amounts and visit limits.

* Codes and units: massage is CPT 97124 and manual therapy such as myofascial release 97140,
  each billed in 15-minute units. How the Official Connecticut Practitioner Fee Schedule's
  ground rules count the units is not confirmed: the CMS 8-minute rule is the default, and
  ``unit_rule = "cpt-midpoint"`` in the program's facts switches to the CPT midpoint rule.
* Fees: payerkit ships no Connecticut amounts (the schedule is a purchased publication). A
  written contract rate (``contract_rates``) comes first, then the practice's copy of the
  schedule (the case's ``[fees]``: a CSV ``code,modifier,amount,effective_from,effective_to``
  with the edition in ``fees.source``); without either, allowed amounts are unknown and the
  pricing says why.
"""

from __future__ import annotations

import datetime as dt

import attrs
from payerkit import Case, Citation, Limit, Reason, Visit
from payerkit.rules import plans
from payerkit.rules.fees import FeeEntry, FeeSchedule, practice_schedule
from payerkit.rules.limits import count_between
from payerkit.rules.units import CMS_8_MINUTE, CPT_MIDPOINT, UnitRule

from . import sources
from .billing import AUTHORIZATION
from .facts import CtFacts, at
from .sources import FIGURES

CODES = Reason(
    "CT-WC-CODES", "massage is billed as CPT 97124 and manual therapy such as myofascial "
    "release as CPT 97140, each in 15-minute units", sources.CPT_CODES)
RULES = {"cms-8-minute": CMS_8_MINUTE, "cpt-midpoint": CPT_MIDPOINT}


def unit_rule(facts: CtFacts) -> UnitRule:
    """The CMS 8-minute rule by default (not confirmed), or the practice's choice."""
    if facts.unit_rule is None:
        return attrs.evolve(CMS_8_MINUTE, notes=[CODES, Reason(
            "CT-WC-UNIT-RULE-NOT-CONFIRMED", "how the Official Connecticut Practitioner Fee "
            "Schedule counts 15-minute units is not confirmed: payerkit uses the CMS 8-minute "
            "rule (total timed minutes of the day) by default; set "
            f"{at('unit_rule')} = \"cpt-midpoint\" to count each code on its own",
            sources.UNIT_RULE_DEFAULT)])
    chosen = Citation(f"the practice's choice of unit rule ({at('unit_rule')} = "
                      f"\"{facts.unit_rule}\")", confidence="practice")
    return attrs.evolve(RULES[facts.unit_rule], notes=[CODES, Reason(
        "CT-WC-UNIT-RULE-CHOSEN", f"units are counted by the rule the practice chose in "
        f"{at('unit_rule')} (the schedule's own rule is not confirmed)", chosen)])


def edition_for(day: dt.date) -> dt.date:
    """The day the schedule edition in force on ``day`` took effect (the last reissue day)."""
    month, dom = (int(part) for part in FIGURES.get("fee_schedule_reissue_day").value.split("-"))
    reissued = dt.date(day.year, month, dom)
    return reissued if reissued <= day else dt.date(day.year - 1, month, dom)


def _edition_note(visit: Visit) -> str:
    latest = FIGURES.get("latest_fee_schedule_edition")
    due = edition_for(visit.date)
    return (f"for a service on {visit.date.isoformat()} the edition in force is the one effective "
            f"{due.isoformat()} (the schedule is reissued each July 15; the latest edition "
            f"payerkit knows of is {latest.value}, effective {latest.effective_from.isoformat()})")


def fee_schedule(case: Case, visit: Visit, facts: CtFacts) -> FeeSchedule:
    """Contract rates first, then the practice's copy of the schedule; without both, none."""
    contract = dict(facts.contract_rates)
    if not contract and case.fees is None:
        return FeeSchedule(sources.FEE_SCHEDULE, [], [Reason(
            "CT-WC-NO-FEES", "payerkit ships no Connecticut fee amounts: the Official "
            "Connecticut Practitioner Fee Schedule is a purchased publication. Load your copy in "
            "the case's [fees] (file = a CSV of code,modifier,amount,effective_from,effective_to; "
            f"source = its edition), or your written contract rates in {at('contract_rates')} with "
            f"{at('contract_source')}; until then allowed amounts are unknown ({_edition_note(visit)})",
            sources.FEE_SCHEDULE)])
    notes: list[Reason] = []
    parts: list[str] = []
    entries: list[FeeEntry] = []
    if contract:
        named = (facts.contract_source or "").strip() or "a written contract (not named)"
        codes = ", ".join(sorted(contract))
        parts.append(f"{named}: the practice's written contract rates with the carrier for {codes}")
        entries += [FeeEntry(code, amount) for code, amount in contract.items()]
        notes.append(Reason(
            "CT-WC-CONTRACT-RATES", f"allowed amounts for {codes} are the written contract rates "
            f"({named}): a written provider-payer contract takes precedence over the Official "
            "Connecticut Practitioner Fee Schedule", sources.CONTRACT_FIRST))
    schedule = practice_schedule(case.fees)
    if schedule is not None:
        parts.append(f"{case.fees.source}: the practice's copy of the Official Connecticut "
                     "Practitioner Fee Schedule" + (" for other codes" if contract else ""))
        entries += [e for e in schedule.entries if e.code not in contract]
        notes.append(Reason(
            "CT-WC-PRACTICE-SCHEDULE", f"allowed amounts{' for other codes' if contract else ''} "
            f"come from the practice's copy of the Official Connecticut Practitioner Fee "
            f"Schedule ([fees]: {case.fees.source}); {_edition_note(visit)}: make sure the file "
            "is that edition", sources.FEE_SCHEDULE))
    else:
        notes.append(Reason(
            "CT-WC-NO-SCHEDULE-COPY", "codes without a contract rate have no allowed amount: "
            "payerkit ships none from the Official Connecticut Practitioner Fee Schedule; load "
            f"your copy in the case's [fees] ({_edition_note(visit)})", sources.FEE_SCHEDULE))
    sample = schedule is not None and case.fees.confidence == "sample"
    return FeeSchedule(Citation("; ".join(parts), confidence="sample" if sample else "practice"),
                       entries, notes)


def limits(case: Case, visit: Visit) -> list[Limit]:
    """Visits the referral orders, and visits each of the carrier's authorizations allows."""
    found = []
    rx = case.episode.prescription
    if rx is not None and rx.visits is not None:
        found.append(Limit(
            "visits referred", "visits", rx.visits, count_between(case.visits, rx.date, visit.date),
            f"from the authorized treating practitioner's referral of {rx.date.isoformat()}",
            sources.REFERRAL))
    # each of the carrier's authorizations on file, as payerkit counts them, cited to the
    # carrier's written authorization (payerkit adds no rows of its own for them)
    return [*found, *plans.authorization_limits(case, visit, AUTHORIZATION)]

"""Units, allowed amounts, the daily maximum for massage, limits and payment terms.

* Units: how L&I counts 15-minute units is not confirmed; the CMS 8-minute rule is the default.
* Fees: L&I's Professional Services Fee Schedule (MARFS) is a spreadsheet payerkit does not
  ship: the practice loads its copy in the case's ``[fees]``; without it allowed amounts are
  unknown and the pricing says why.
* The daily maximum for massage (``massage_daily_max``, by MARFS edition): the visit's allowed
  total is held to it, the last lines reduced first (how L&I spreads it is not confirmed). A date
  of service outside every known edition gets no cap, and a reason saying so.
"""

from __future__ import annotations

import datetime as dt

import attrs
from payerkit import Case, Limit, PaymentTerm, Pricing, Reason, Visit
from payerkit.rules import plans
from payerkit.rules.fees import FeeSchedule, practice_schedule
from payerkit.rules.limits import count_between, review_window
from payerkit.rules.units import CMS_8_MINUTE, UnitRule

from . import sources
from .facts import LniFacts
from .rules import AUTHORIZATION_ON_FILE, add_months, report_sent, visit_number
from .sources import FIGURES

CAP = "massage_daily_max"


def unit_rule() -> UnitRule:
    """The CMS 8-minute rule, as a stated default; the codes L&I pays are not confirmed."""
    return attrs.evolve(CMS_8_MINUTE, notes=[
        Reason("WA-LNI-UNIT-RULE-NOT-CONFIRMED", "how L&I counts 15-minute units for massage is "
               "not confirmed: payerkit uses the CMS 8-minute rule (total timed minutes of the "
               "day) by default; the daily maximum for massage limits what L&I pays",
               sources.UNIT_RULE_DEFAULT),
        Reason("WA-LNI-CODES", "which codes (97124 massage, 97140 manual therapy) L&I pays a "
               "licensed massage therapist, and whether it wants the GP modifier, is not "
               "confirmed: check the Professional Services Fee Schedule", sources.CODES)])


def fee_schedule(case: Case) -> FeeSchedule:
    """The practice's copy of L&I's fee schedule (the case's ``[fees]``); without it, none."""
    schedule = practice_schedule(case.fees, notes=[Reason(
        "WA-LNI-PRACTICE-FEES", "allowed amounts come from the practice's copy of L&I's "
        "Professional Services Fee Schedule (the case's [fees]): make sure it is the edition in "
        "force on the date of service (each takes effect July 1)", sources.FEE_SCHEDULE)])
    if schedule is not None:
        return schedule
    return FeeSchedule(sources.FEE_SCHEDULE, [], [Reason(
        "WA-LNI-NO-FEES", "payerkit ships no L&I fee amounts (the Professional Services Fee "
        "Schedule is a spreadsheet download): load your copy of the edition in force in the "
        "case's [fees]; until then allowed amounts are unknown", sources.FEE_SCHEDULE)])


def capped(pricing: Pricing, day: dt.date) -> Pricing:
    """The priced visit held to the daily maximum for massage in force on ``day``."""
    cap = FIGURES.find(CAP, day)
    if cap is None:
        return attrs.evolve(pricing, reasons=[*pricing.reasons, Reason(
            "WA-LNI-DAILY-MAX-UNKNOWN", f"no daily maximum for massage is known for "
            f"{day.isoformat()} (payerkit knows the MARFS edition in force from "
            f"{_known_editions()}): none is applied; check the MARFS edition in force on the "
            "date of service", FIGURES.get("massage_share_of_pt_ot_max").citation)])
    limit, left, lines = cap.decimal, cap.decimal, []
    reasons = [*pricing.reasons, Reason(
        "WA-LNI-DAILY-MAX", f"daily maximum for massage on {day.isoformat()}: ${cap.value} "
        "(75% of the PT/OT daily maximum)", cap.citation)]
    for line in pricing.lines:
        if line.allowed is not None:
            kept = min(line.allowed, left)
            if kept < line.allowed:
                reasons.append(Reason(
                    "WA-LNI-DAILY-MAX-REDUCED", f"{line.code}: allowed {kept} instead of "
                    f"{line.allowed}, so that the day's allowed total stays within ${limit}",
                    sources.DAILY_MAX_SPREAD))
                line = attrs.evolve(line, allowed=kept)
            left -= kept
        lines.append(line)
    return attrs.evolve(pricing, lines=lines, reasons=reasons)


def _editions() -> tuple:
    return FIGURES.by_name[CAP]


def _known_editions() -> str:
    return ", ".join(f"{f.effective_from.isoformat()} to "
                     f"{f.effective_to.isoformat() if f.effective_to else 'no end date'}"
                     for f in _editions())


def limits(case: Case, visit: Visit, facts: LniFacts) -> list[Limit]:
    """Visits without authorization (State Fund), before the progress report, ordered, and
    authorized."""
    found = []
    if facts.insurer == "state_fund":
        first = FIGURES.get("visits_without_authorization")
        found.append(review_window(first.integer, visit_number(case, visit),
                                   "this claim (State Fund: visits 1-6 without authorization)",
                                   first.citation))
    treated = [v.date for v in case.visits if v.attended]
    if report_sent(case, facts, visit.date) is None and treated:
        start = treated[0]  # the first treatment visit: a missed appointment is none
        report = FIGURES.get("progress_report_visits")
        month = add_months(start, FIGURES.get("progress_report_months").integer)
        found.append(Limit(
            "treatment visits before the progress report", "visits", report.integer,
            count_between(case.visits, None, visit.date), f"from {start.isoformat()}, or to "
            f"{month.isoformat()} (one month), whichever comes first", report.citation))
    rx = case.episode.prescription
    if rx is not None and rx.visits is not None:
        found.append(Limit("visits ordered by the attending provider", "visits", rx.visits,
                           count_between(case.visits, rx.date, visit.date),
                           f"from the order of {rx.date.isoformat()}", sources.ORDER))
    # each authorization on file, as payerkit counts them (payerkit adds no rows of its own)
    return [*found, *plans.authorization_limits(case, visit, AUTHORIZATION_ON_FILE)]


def payment_terms(facts: LniFacts) -> list[PaymentTerm]:
    """What the State Fund (RCW 51.36.080) or a self-insurer (RCW 51.36.085) owes, and when."""
    days = FIGURES.get(f"{facts.insurer}.payment_days")
    rate = FIGURES.get(f"{facts.insurer}.interest_per_month")
    minimum = FIGURES.get(f"{facts.insurer}.interest_minimum")
    code = FIGURES.by_name.get(f"{facts.insurer}.interest_code")
    billed = f"; bill the interest with L&I local code {code[0].value}" if code else ""
    payer = "the self-insured employer" if facts.insurer == "self_insured" else "L&I"
    return [
        PaymentTerm("proper bills paid", f"{payer} pays a proper bill within {days.value} days "
                    "of receiving it (or of the claim's allowance by final order)",
                    days.citation, days=days.integer),
        PaymentTerm("interest on late payment", f"after {days.value} days, interest of "
                    f"{rate.decimal:%} a month, at least ${minimum.value} a month; none when the "
                    f"claim is finally rejected or the bill is not allowable{billed}",
                    rate.citation, interest_per_month=rate.decimal,
                    interest_after_days=days.integer, interest_minimum_per_month=minimum.decimal),
    ]

"""Units, fees and the daily RVU cap: what a visit may be charged, and what it is allowed.

* Units: the CMS 8-minute rule as a default; the rule NY insurers apply is not confirmed.
* Fees: no WCB fee schedule exists for licensed massage therapists, so 11 NYCRR 68.5(b)
  applies, the prevailing fee in the provider's location; the practice gives it in the case's
  ``[fees]``. It is also the ceiling: no charge above it (Ins. Law § 5108, 11 NYCRR 68.1).
* The daily physical-medicine cap (``daily_rvu_cap`` and ``rvu.<code>`` in
  ``data/figures.toml``): units are allowed in billing order while the day's RVUs stay within
  the cap; a unit that would push the day over it is not allowed. A code without an RVU
  cannot be counted (``None``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs
from payerkit import Case, Citation, Figure, Finding, Limit, Pricing, Reason, Visit, visit_path
from payerkit.rules.fees import FeeSchedule, practice_schedule
from payerkit.rules.limits import count_between
from payerkit.rules.money import line_amount
from payerkit.rules.units import CMS_8_MINUTE

from . import sources
from .sources import FIGURES

UNIT_RULE = attrs.evolve(CMS_8_MINUTE, notes=[Reason(
    "NY-UNIT-RULE-NOT-CONFIRMED", "the unit rule NY no-fault insurers apply to timed codes is not "
    "confirmed: payerkit counts units by the CMS 8-minute rule by default", sources.UNIT_RULE)])
CAP_SCOPE = Reason(
    "NY-RVU-CAP-SCOPE", "the cap counts the patient's physical medicine from every practitioner "
    "that day; other providers' same-day services are not known to payerkit, so only this "
    "visit is counted. The RVUs are the 2019 chiropractic physical-medicine figures; whether "
    "insurers apply them and the cap to massage therapists is not established",
    sources.RVU_CAP_SCOPE)


def fee_schedule(case: Case) -> FeeSchedule:
    """The practice's prevailing fee from ``case.fees``; without one, none, and why."""
    if case.fees is None:
        return FeeSchedule(sources.PREVAILING_FEE, [], [Reason(
            "NY-NO-PREVAILING-FEE", "no WCB fee schedule exists for licensed massage therapists; "
            "11 NYCRR 68.5(b) allows the prevailing fee in the provider's location, which "
            "payerkit does not know: add a [fees] table with the practice's prevailing fee and "
            "its source", sources.PREVAILING_FEE)])
    return practice_schedule(case.fees, Citation(
        f"{case.fees.source}; the practice's prevailing fee under 11 NYCRR 68.5(b) (no NY WCB "
        "fee schedule exists for licensed massage therapists)", confidence=case.fees.confidence),
        [Reason(
            "NY-PREVAILING-FEE", "allowed amounts are the practice's prevailing fee (11 NYCRR "
            "68.5(b): no WCB fee schedule exists for licensed massage therapists); the insurer "
            "may review it against similar procedures in existing schedules",
            sources.PREVAILING_FEE)])


def rvu(code: str, on: dt.date) -> Figure | None:
    return FIGURES.get(f"rvu.{code}", on) if f"rvu.{code}" in FIGURES.by_name else None


def cap_fits(lines: Iterable[tuple[str, int]], on: dt.date) -> tuple[int | None, ...]:
    """Units of each ``(code, units)`` line that fit in the day's cap, in billing order."""
    cap, used, fits = FIGURES.get("daily_rvu_cap", on).decimal, Decimal(0), []
    for code, units in lines:
        each = rvu(code, on)
        fit = None if each is None else min(units, max(0, int((cap - used) // each.decimal)))
        used += (fit or 0) * (each.decimal if each else 0)
        fits.append(fit)
    return tuple(fits)


def day_rvus(lines: Iterable[tuple[str, int]], on: dt.date) -> Decimal:
    """RVUs of all billed units of codes with an RVU (over the cap or not)."""
    return sum((rvu(code, on).decimal * units for code, units in lines if rvu(code, on)),
               Decimal(0))


def capped(pricing: Pricing, day: dt.date) -> Pricing:
    """The priced visit with the units over the daily cap not allowed, and the reasons."""
    cap, pairs = FIGURES.get("daily_rvu_cap", day), [(ln.code, ln.units) for ln in pricing.lines]
    reasons = [*pricing.reasons, Reason(
        "NY-RVU-DAILY-CAP", f"physical-medicine cap on {day.isoformat()}: {cap.value} RVUs per "
        f"patient per day; this visit bills {day_rvus(pairs, day)} RVUs", cap.citation)]
    lines = []
    for line, fit in zip(pricing.lines, cap_fits(pairs, day), strict=True):
        if fit is None and line.units:
            reasons.append(Reason("NY-RVU-UNKNOWN", f"{line.code}: no RVU on file, so its units "
                                  "cannot be counted against the daily cap", cap.citation))
        elif fit is not None and fit < line.units:
            each = rvu(line.code, day)
            reasons.append(Reason(
                "NY-RVU-CAP", f"{line.code}: {line.units - fit} of {line.units} unit(s) not "
                f"allowed: at {each.value} RVU each they would take the day over {cap.value} "
                f"RVUs; allowed for {fit} unit(s)", each.citation))
            if line.rate is not None:
                line = attrs.evolve(line, allowed=line_amount(line.rate, fit))
        lines.append(line)
    return attrs.evolve(pricing, lines=lines, reasons=[*reasons, CAP_SCOPE])


def findings(case: Case, visit: Visit, pricing: Pricing) -> list[Finding]:
    """A charge above the fee ceiling (error); units over the daily cap (warning)."""
    found = []
    pairs = [(ln.code, ln.units) for ln in pricing.lines]
    for j, (line, fit) in enumerate(zip(pricing.lines, cap_fits(pairs, visit.date), strict=True)):
        # the ceiling is the schedule's amount for the units billed, before the cap
        ceiling = line_amount(line.rate, line.units) if line.rate is not None else None
        if ceiling is not None and line.units and line.charge > ceiling:
            found.append(Finding(
                "error", "NY-ABOVE-FEE-CEILING", f"{line.code} charges {line.charge} for "
                f"{line.units} unit(s), above the fee ceiling of {ceiling} ({line.rate} per unit, "
                f"the fee schedule: for an LMT the practice's prevailing fee): a no-fault provider "
                f"may not charge more; bill {ceiling}", visit_path(case, visit, "services", j, "charge"),
                sources.FEE_CEILING))
        if fit is not None and fit < line.units:
            cap = FIGURES.get("daily_rvu_cap", visit.date)
            found.append(Finding(
                "warning", "NY-RVU-CAP", f"{line.code}: {line.units - fit} unit(s) go over the "
                f"daily cap of {cap.value} RVUs per patient; expect the insurer to deny them",
                visit_path(case, visit, "services", j), cap.citation))
    return found


def limits(case: Case, visit: Visit) -> list[Limit]:
    """The day's RVUs against the cap, the prescription's visits, and no visit cap."""
    day, cap = visit.date, FIGURES.get("daily_rvu_cap", visit.date)
    units = UNIT_RULE.units(visit.services)
    found = [Limit(
        f"physical-medicine RVUs on {day.isoformat()}", "rvu", cap.decimal,
        day_rvus(zip((s.code for s in visit.services), units, strict=True), day),
        f"{day.isoformat()}, per patient per day (this visit only)", cap.citation)]
    rx = case.episode.prescription
    if rx is not None and rx.visits is not None:
        found.append(Limit(
            "visits prescribed", "visits", rx.visits, count_between(case.visits, rx.date, day),
            f"from the prescription of {rx.date.isoformat()}", Citation(
                "the prescriber's order (no New York rule found requires a prescription for "
                "massage therapy under no-fault)", rx.date.isoformat(), "practice")))
    benefit = int(FIGURES.get("basic_benefit", day).decimal)
    found.append(Limit(
        f"no-fault visits (no statutory cap; ${benefit:,} basic benefit not tracked)", "visits",
        None, count_between(case.visits, None, day), "the accident", sources.NO_VISIT_CAP))
    return found

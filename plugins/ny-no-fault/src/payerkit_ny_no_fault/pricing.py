"""Pricing rules: the daily physical-medicine RVU cap, and the reasons behind the figures."""

from __future__ import annotations

import attrs
from payerkit.model import Finding, Pricing, Reason
from payerkit.rules.money import line_amount
from payerkit.rules.units import CMS_8_MINUTE

from . import sources
from .fees import fee_reason, prevailing_fee_schedule
from .rvu import allowed_units, daily_cap, day_rvus, rvu_table

#: The unit rule this plugin answers with: a default, NOT CONFIRMED for NY (payer-rules.md §10.1).
UNIT_RULE = CMS_8_MINUTE
UNIT_RULE_REASON = Reason(
    "NY-UNIT-RULE-NOT-CONFIRMED", "the unit rule NY no-fault insurers apply to timed codes is not "
    "confirmed: payerkit counts units by the CMS 8-minute rule by default", sources.UNIT_RULE)
CAP_SCOPE_REASON = Reason(
    "NY-RVU-CAP-SCOPE", "the cap counts the patient's physical medicine from every practitioner "
    "that day; other providers' same-day services are not known to payerkit, so only this "
    "visit is counted. The RVUs are the 2019 chiropractic physical-medicine figures; whether "
    "insurers apply them and the cap to massage therapists is not established",
    sources.RVU_CAP_SCOPE)


def cap_fits(pricing: Pricing) -> tuple[int | None, ...]:
    """Units of each line within the day's cap (``None``: code not in the RVU table)."""
    if not pricing.lines:
        return ()
    cap = daily_cap(pricing.lines[0].date)
    return allowed_units(((line.code, line.units) for line in pricing.lines), cap.rvu)


def adjust(case, pricing: Pricing) -> Pricing:
    """The priced visit with units over the daily cap not allowed, and the reasons."""
    schedule = prevailing_fee_schedule(case)
    reasons = [*pricing.reasons, UNIT_RULE_REASON, fee_reason(schedule)]
    if not pricing.lines:
        return attrs.evolve(pricing, reasons=reasons)
    day = pricing.lines[0].date
    cap, table = daily_cap(day), rvu_table()
    billed = day_rvus((line.code, line.units) for line in pricing.lines)
    reasons.append(Reason("NY-RVU-DAILY-CAP", f"physical-medicine cap on {day.isoformat()}: "
                          f"{cap.rvu} RVUs per patient per day; this visit bills {billed} RVUs",
                          cap.citation))
    lines = []
    for line, fit in zip(pricing.lines, cap_fits(pricing), strict=True):
        if fit is None and line.units:
            reasons.append(Reason("NY-RVU-UNKNOWN", f"{line.code}: no RVU on file, so its units "
                                  "cannot be counted against the daily cap", cap.citation))
        elif fit is not None and fit < line.units:
            rvu = table[line.code]
            reasons.append(Reason(
                "NY-RVU-CAP", f"{line.code}: {line.units - fit} of {line.units} unit(s) not "
                f"allowed: at {rvu.rvu} RVU each they would take the day over {cap.rvu} RVUs; "
                f"allowed for {fit} unit(s)", rvu.citation))
            if line.rate is not None:
                line = attrs.evolve(line, allowed=line_amount(line.rate, fit))
        lines.append(line)
    reasons.append(CAP_SCOPE_REASON)
    return attrs.evolve(pricing, lines=lines, reasons=reasons)


def cap_findings(pricing: Pricing, visit_index: int) -> list[Finding]:
    """A warning per line with units over the daily cap: the insurer is expected to deny them."""
    findings = []
    for j, (line, fit) in enumerate(zip(pricing.lines, cap_fits(pricing), strict=True)):
        if fit is not None and fit < line.units:
            cap = daily_cap(line.date)
            findings.append(Finding(
                "warning", "NY-RVU-CAP", f"{line.code}: {line.units - fit} unit(s) go over the "
                f"daily cap of {cap.rvu} RVUs per patient; expect the insurer to deny them",
                f"visits[{visit_index}].services[{j}]", cap.citation))
    return findings

"""Limits: the day's RVU cap, the prescription's visits, and the absence of a visit cap."""

from __future__ import annotations

from payerkit.model import Case, Citation, Limit
from payerkit.rules.limits import count_between

from . import sources
from .pricing import UNIT_RULE
from .rvu import daily_cap, day_rvus


def limits(case: Case) -> list[Limit]:
    visit = case.visits[-1]
    cap = daily_cap(visit.date)
    units = UNIT_RULE.units(visit.services)
    found = [Limit(
        name=f"physical-medicine RVUs on {visit.date.isoformat()}", unit="rvu", allowed=cap.rvu,
        used=day_rvus(zip((s.code for s in visit.services), units, strict=True)),
        window=f"{visit.date.isoformat()}, per patient per day (this visit only)",
        citation=cap.citation,
    )]
    rx = case.episode.prescription
    if rx is not None and rx.visits is not None:
        found.append(Limit(
            name="visits prescribed", unit="visits", allowed=rx.visits,
            used=count_between(case.visits, rx.date, visit.date),
            window=f"from the prescription of {rx.date.isoformat()}",
            citation=Citation("the prescriber's order (no NY rule requires one for massage "
                              "therapy: payer-rules-2.md §3.3)", rx.date.isoformat(), "practice"),
        ))
    found.append(Limit(
        name="no-fault visits (no statutory cap; $50,000 basic benefit not tracked)",
        unit="visits", allowed=None, used=len(case.visits), window="the accident",
        citation=sources.NO_VISIT_CAP,
    ))
    return found

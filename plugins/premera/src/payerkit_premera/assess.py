"""Premera's coverage rules applied to one visit of a case.

:func:`assess` returns :class:`Outcome` records. Eligibility and the scrub
read the same outcomes, so they cannot disagree:

* ``not_covered`` — Premera would not pay (eligibility ``not_covered``; scrub error);
* ``requirement`` — something must be done first (``action_required``; scrub error,
  since the claim would deny);
* ``caution`` — another payer probably comes first (a reason; scrub warning);
* ``note`` — why a rule is met (a reason only).
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen
from payerkit.model import Case, Citation, Visit

from . import sources
from .episode import authorization_used, position, prescription_used
from .wellness import WellnessCodes

Effect = Literal["not_covered", "requirement", "caution", "note"]


@frozen
class Outcome:
    effect: Effect
    code: str
    message: str
    path: str | None
    citation: Citation


def assess(case: Case, visit: Visit, wellness: WellnessCodes) -> tuple[Outcome, ...]:
    """Every Premera rule's outcome for ``visit`` (a visit of ``case``)."""
    return (*network(case), *condition(case, wellness), *prescription(case, visit),
            *review(case, visit), *other_payers(case))


def network(case: Case) -> list[Outcome]:
    networks = {n.strip().lower() for n in case.provider.networks}
    if sources.NETWORK_ID in networks:
        return [Outcome("note", "IN-NETWORK", "the provider is contracted with Premera "
                        f"('{sources.NETWORK_ID}' is in provider.networks)", "provider.networks",
                        sources.CREDENTIALING)]
    return [Outcome("not_covered", "OUT-OF-NETWORK",
                    "the provider is not contracted with Premera (no "
                    f"'{sources.NETWORK_ID}' in provider.networks): massage therapists bill "
                    "Premera as contracted, credentialed providers; credential with Premera "
                    "first", "provider.networks", sources.CREDENTIALING)]


def condition(case: Case, wellness: WellnessCodes) -> list[Outcome]:
    if not wellness.only_wellness(case.episode.diagnoses):
        return [Outcome("note", "CONDITION", "the diagnoses name a condition; the record must "
                        "document the functional limitation it causes and the measurable "
                        "improvement expected", "episode.diagnoses", sources.MEDICAL_POLICY)]
    return [
        Outcome("not_covered", "WELLNESS-ONLY",
                "every diagnosis is a wellness, screening, counselling or stress code: Premera "
                "pays massage that treats a condition with a documented functional limitation; "
                "maintenance, preventive and stress-only massage is not covered",
                "episode.diagnoses", sources.MEDICAL_POLICY),
        Outcome("note", "WELLNESS-CLASSIFICATION",
                "which codes count as wellness is payerkit's own SAMPLE list, not Premera's "
                "(edit payerkit_premera/data/wellness_codes.csv to change it)",
                "episode.diagnoses", wellness.citation),
        Outcome("note", "WELLNESS-EXCLUSION",
                "Premera's exclusion of maintenance, preventive and stress-only massage is NOT "
                "CONFIRMED from Premera text; practitioners report it", "episode.diagnoses",
                sources.WELLNESS_EXCLUSION),
    ]


def prescription(case: Case, visit: Visit) -> list[Outcome]:
    rx = case.episode.prescription
    if rx is None:
        return [Outcome("requirement", "NO-PRESCRIPTION",
                        "no prescription on file: get a diagnosis-specific prescription from the "
                        "attending clinician stating the number of massage visits, keep it in the "
                        "record and enter it in episode.prescription", "episode.prescription",
                        sources.PRESCRIPTION_RULE)]
    if rx.visits is None:
        return [Outcome("requirement", "PRESCRIPTION-NO-VISITS",
                        "the prescription does not state the number of visits: get one that "
                        "does and enter it in episode.prescription.visits",
                        "episode.prescription.visits", sources.PRESCRIPTION_RULE)]
    used = prescription_used(case, rx, visit.date)
    if used > rx.visits:
        return [Outcome("requirement", "PRESCRIPTION-VISITS-USED",
                        f"the visit on {visit.date.isoformat()} is visit {used} since the "
                        f"prescription of {rx.date.isoformat()}, which prescribes {rx.visits}: "
                        "get a new prescription", "episode.prescription.visits",
                        sources.PRESCRIPTION_RULE)]
    return [Outcome("note", "PRESCRIPTION-ON-FILE",
                    f"prescription of {rx.date.isoformat()} for {rx.visits} visits; this is "
                    f"visit {used} of them", "episode.prescription", sources.PRESCRIPTION_RULE)]


def review(case: Case, visit: Visit) -> list[Outcome]:
    where = position(case, visit.date)
    elsewhere = case.coverage.visits_used_elsewhere
    counted = (f"visit {where.number} of the {where.window}"
               + (f" ({elsewhere} with other providers counted)" if elsewhere else ""))
    if not where.needs_review:
        return [Outcome("note", "NO-REVIEW-NEEDED",
                        f"{counted}: the first {sources.VISITS_WITHOUT_REVIEW} visits need no "
                        "eviCore review", "visits", sources.OUTPATIENT_REHAB)]
    auth = case.episode.authorization
    if auth is None or not auth.covers(visit.date):
        problem = ("no authorization is on file" if auth is None else
                   f"authorization {auth.number} does not cover {visit.date.isoformat()}")
        return [Outcome("requirement", "AUTHORIZATION-REQUIRED",
                        f"{counted}: from visit {sources.VISITS_WITHOUT_REVIEW + 1} Premera "
                        f"requires eviCore medical-necessity review and {problem}; request "
                        "review from eviCore and enter the approval in episode.authorization",
                        "episode.authorization", sources.OUTPATIENT_REHAB)]
    used = authorization_used(case, auth, visit.date)
    if auth.visits is not None and used > auth.visits:
        return [Outcome("requirement", "AUTHORIZATION-USED-UP",
                        f"{counted}: authorization {auth.number} allows {auth.visits} visits and "
                        f"this is visit {used} under it; request more visits from eviCore",
                        "episode.authorization.visits", sources.OUTPATIENT_REHAB)]
    allowed = "" if auth.visits is None else f" (visit {used} of {auth.visits})"
    return [Outcome("note", "AUTHORIZED", f"{counted}: covered by authorization "
                    f"{auth.number}{allowed}", "episode.authorization",
                    sources.OUTPATIENT_REHAB)]


def other_payers(case: Case) -> list[Outcome]:
    episode = case.episode
    found = []
    if episode.kind == "auto_accident":
        found.append(Outcome("caution", "PIP-PRIMARY",
                             "auto accident: in Washington, personal injury protection (PIP) is "
                             "primary to health insurance; bill the auto insurer's PIP first",
                             "episode.kind", sources.PIP_PRIMARY))
    if episode.work_related:
        found.append(Outcome("caution", "WORKERS-COMP-PRIMARY",
                             "work injury: workers' compensation usually pays first; bill the "
                             "workers' compensation insurer first (Premera's own rule for work "
                             "injuries is NOT CONFIRMED)", "episode.kind",
                             sources.EVICORE_EXCLUSIONS))
    if found:
        found.append(Outcome("caution", "EVICORE-EXCLUDES-AUTO-WC",
                             "eviCore's massage guideline excludes auto- and workers'-"
                             "compensation-related services (a lead only: third-party summary; "
                             "which Premera plans use it is unknown)", "episode.kind",
                             sources.EVICORE_EXCLUSIONS))
    return found

"""Premera's own rules for one visit: coverage outcomes, and the claim-shape checks of the scrub.

The eviCore review program is in :mod:`.review`; the checks every claim needs
(NPI, ICD-10-CM, codes, payer id...) are payerkit's own and not repeated here.
"""

from __future__ import annotations

import csv
import re
from importlib.resources import files

from payerkit import (
    Case,
    Finding,
    Outcome,
    Visit,
    caution,
    not_covered,
    note,
    requirement,
    visit_path,
)
from payerkit.rules.codes import is_external_cause, normalize_icd
from payerkit.rules.limits import count_between
from payerkit.rules.units import TIMED_CODES

from . import sources as src

#: ICD-10-CM prefixes payerkit treats as wellness, screening, counselling or stress codes: its
#: own sample list (data/wellness_codes.csv), not Premera's.
WELLNESS = tuple(normalize_icd(row["prefix"]) for row in csv.DictReader(
    line for line in (files(__package__) / "data" / "wellness_codes.csv")
    .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")))
#: 3 letters/digits with at least one letter (the card's prefix), then the rest of the ID.
MEMBER_ID = re.compile(r"^(?=[A-Za-z0-9]{0,2}[A-Za-z])[A-Za-z0-9]{3}[A-Za-z0-9]+$")


def only_wellness(diagnoses) -> bool:
    """Every diagnosis naming a condition (external causes aside) is on the wellness list."""
    conditions = [normalize_icd(code) for code in diagnoses if not is_external_cause(code)]
    return bool(conditions) and all(code.startswith(WELLNESS) for code in conditions)


def outcomes(case: Case, visit: Visit) -> list[Outcome]:
    found = []
    if src.NETWORK_ID in {n.strip().lower() for n in case.provider.networks}:
        found.append(note("IN-NETWORK", "the provider is contracted with Premera "
                          f"('{src.NETWORK_ID}' is in provider.networks)", src.CREDENTIALING,
                          "provider.networks"))
    else:
        found.append(not_covered(
            "OUT-OF-NETWORK", f"the provider is not recorded as contracted with Premera (no "
            f"'{src.NETWORK_ID}' in provider.networks) and Premera pays massage therapists as "
            "contracted, credentialed providers: credential with Premera first, or add "
            f"'{src.NETWORK_ID}' to provider.networks if you are contracted", src.CREDENTIALING,
            "provider.networks"))
    if only_wellness(case.episode.diagnoses):
        found.append(not_covered(
            "WELLNESS-ONLY", "every diagnosis is on payerkit's SAMPLE list of wellness, screening, "
            "counselling and stress codes, and Premera pays massage for a documented functional "
            "limitation: stress-only and maintenance massage is reported as excluded, but that is "
            "not confirmed for current plans; record the condition treated in episode.diagnoses",
            src.WELLNESS_EXCLUSION, "episode.diagnoses"))
    else:
        found.append(note("CONDITION", "the diagnoses name a condition; the record must document "
                          "the functional limitation it causes and the measurable improvement "
                          "expected", src.MEDICAL_POLICY, "episode.diagnoses"))
    found.append(_prescription(case, visit))
    if case.episode.kind == "auto_accident":
        found.append(caution("PIP-PRIMARY", "auto accident: in Washington, personal injury "
                             "protection (PIP) pays before health insurance; bill the auto "
                             "insurer's PIP first", src.PIP_PRIMARY, "episode.kind"))
    if case.episode.work_related:
        found.append(caution("WORKERS-COMP-PRIMARY", "work injury: workers' compensation usually "
                             "pays first; bill the workers' compensation insurer first (Premera's "
                             "own rule for work injuries is not confirmed)", src.EVICORE_EXCLUSIONS,
                             "episode.kind"))
    if case.episode.kind == "auto_accident" or case.episode.work_related:
        found.append(caution("EVICORE-EXCLUDES-AUTO-WC", "eviCore's massage guideline excludes "
                             "auto- and workers'-compensation-related services (a lead only: a "
                             "third-party summary; which Premera plans use it is unknown)",
                             src.EVICORE_EXCLUSIONS, "episode.kind"))
    return found


def _prescription(case: Case, visit: Visit) -> Outcome:
    rx, cited = case.episode.prescription, src.PRESCRIPTION_RULE
    if rx is None:
        return requirement("NO-PRESCRIPTION", "no prescription on file: get a diagnosis-specific "
                           "prescription from the attending clinician stating the number of "
                           "massage visits, keep it in the record and enter it in "
                           "episode.prescription", cited, "episode.prescription")
    if rx.visits is None:
        return requirement("PRESCRIPTION-NO-VISITS", "the prescription does not state the number "
                           "of visits: get one that does and enter it in "
                           "episode.prescription.visits", cited, "episode.prescription.visits")
    used = count_between(case.visits, rx.date, visit.date)
    if used > rx.visits:
        return requirement("PRESCRIPTION-VISITS-USED", f"the visit on {visit.date.isoformat()} is "
                           f"visit {used} since the prescription of {rx.date.isoformat()}, which "
                           f"prescribes {rx.visits}: get a new prescription",
                           cited, "episode.prescription.visits")
    return note("PRESCRIPTION-ON-FILE", f"prescription of {rx.date.isoformat()} for {rx.visits} "
                f"visits; this is visit {used} of them", cited, "episode.prescription")


def claim_findings(case: Case, visit: Visit) -> list[Finding]:
    """The member ID's card prefix, and no modifier 52 on a timed code."""
    found = []
    if case.coverage.member_id is not None and not MEMBER_ID.match(case.coverage.member_id):
        found.append(Finding("error", "MEMBER-ID-PREFIX", "coverage.member_id: enter the member "
                             "ID exactly as on the Premera card, starting with its 3-character "
                             "prefix (letters or digits, at least one letter) and followed by "
                             "the rest of the ID, no spaces or dashes", "coverage.member_id",
                             src.MEMBER_ID_RULE))
    for j, service in enumerate(visit.services):
        if service.code in TIMED_CODES and "52" in service.modifiers:
            path = visit_path(case, visit, "services", j, "modifiers", service.modifiers.index("52"))
            found.append(Finding("error", "MODIFIER-52-TIMED", f"{path}: Premera denies modifier "
                                 f"52 on a timed code ({service.code}) as an invalid modifier/"
                                 "procedure combination; bill the units the minutes support "
                                 "instead", path, src.BILLING_FOR_TIME))
    return found

"""Checks only Premera claims need: the member ID's prefix and modifier 52 on timed codes.

The generic checks (NPI, ICD-10-CM, codes, pointers, ZIP, payer id...) are
payerkit's own (``payerkit.checks``) and are not repeated here.
"""

from __future__ import annotations

import re

from payerkit.model import Case, Finding, Visit
from payerkit.rules.units import TIMED_CODES

from . import sources

#: 3 letters/digits with at least one letter (the card's prefix), then the rest of the ID.
MEMBER_ID = re.compile(r"^(?=[A-Za-z0-9]{0,2}[A-Za-z])[A-Za-z0-9]{3}[A-Za-z0-9]+$")
REDUCED_SERVICE = "52"


def member_id_findings(case: Case) -> list[Finding]:
    if MEMBER_ID.match(case.coverage.member_id):
        return []
    return [Finding("error", "MEMBER-ID-PREFIX",
                    "coverage.member_id: enter the member ID exactly as on the Premera card, "
                    "starting with its 3-character prefix (letters or digits, at least one "
                    "letter) and followed by the rest of the ID, no spaces or dashes",
                    "coverage.member_id", sources.MEMBER_ID_RULE)]


def modifier_52_findings(case: Case, visit: Visit) -> list[Finding]:
    index = case.visits.index(visit) if visit in case.visits else None
    base = "visits" if index is None else f"visits[{index}]"
    findings = []
    for j, service in enumerate(visit.services):
        if service.code in TIMED_CODES and REDUCED_SERVICE in service.modifiers:
            k = service.modifiers.index(REDUCED_SERVICE)
            path = f"{base}.services[{j}].modifiers[{k}]"
            findings.append(Finding(
                "error", "MODIFIER-52-TIMED",
                f"{path}: Premera denies modifier 52 on a timed code ({service.code}) as an "
                "invalid modifier/procedure combination; bill the units the minutes support "
                "instead", path, sources.BILLING_FOR_TIME))
    return findings

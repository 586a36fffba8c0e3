"""The claim: one visit, priced, ready for a writer.

Built once by ``payerkit.claims.build_claim`` from a case, its program and its
pricing; every writer (X12 837P, CMS-1500, NF-3, superbill) renders this same
object, so paper and electronic claims cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from attrs import field, frozen

from ..rules.money import total
from .case import Address, Person, Practitioner, Provider

RelatedCause = Literal["auto", "employment", "other"]
#: How the patient relates to the insured; ``self`` when they are the same person.
PatientRelation = Literal["self", "spouse", "child", "other"]


def _tuple(value):
    return tuple(value)


@frozen
class ClaimLine:
    """A service line. ``pointers`` are 1-based positions in ``Claim.diagnoses``."""

    date: dt.date
    code: str
    units: int
    charge: Decimal
    pointers: tuple[int, ...] = field(converter=_tuple)
    modifiers: tuple[str, ...] = field(default=(), converter=_tuple)
    place_of_service: str = "11"
    control_number: str | None = None
    #: The position of the line's service in its visit (lines with no unit are left out of
    #: the claim, so a line's own position may differ): how errors name the case field.
    service: int | None = None


@frozen
class Claim:
    id: str
    program_id: str
    billing: Provider
    insured: Person
    patient: Person
    relation: PatientRelation
    member_id: str
    payer_name: str
    payer_id: str
    filing_indicator: str
    diagnoses: tuple[str, ...] = field(converter=_tuple)
    lines: tuple[ClaimLine, ...] = field(converter=_tuple)
    place_of_service: str = "11"
    group_number: str | None = None
    property_casualty_claim_number: str | None = None
    rendering: Practitioner | None = None
    referring: Practitioner | None = None
    related_cause: RelatedCause | None = None
    accident_state: str | None = None
    accident_date: dt.date | None = None
    onset_date: dt.date | None = None
    prior_authorization: str | None = None
    sender_id: str = "PAYERKIT"
    receiver_id: str = "RECEIVER"
    receiver_name: str = "RECEIVER"
    usage: Literal["T", "P"] = "P"
    #: CLM06 provider signature on file; CLM07 assignment accepted (A, else C);
    #: CLM08 benefits assigned to the provider (Y/N); CLM09 release of information (Y/I).
    provider_signature_on_file: bool = True
    accepts_assignment: bool = True
    benefits_assigned: bool = True
    release_of_information: Literal["Y", "I"] = "Y"

    @property
    def total_charge(self) -> Decimal:
        return total(line.charge for line in self.lines)

    @property
    def patient_is_insured(self) -> bool:
        return self.relation == "self"


__all__ = ["Address", "Claim", "ClaimLine", "Person", "Practitioner", "Provider"]

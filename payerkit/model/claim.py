"""The claim: one or more visits, priced, ready for a writer.

Built once by ``payerkit.claims.build_claim`` from a case, its program and the
pricing of each visit billed; every writer (X12 837P, CMS-1500, NF-3,
superbill) renders this same object, so paper and electronic claims cannot
disagree. A claim of several visits has one line per billed service of each,
in date order, each line with its own date and place of service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from attrs import field, frozen

from ..rules.money import total
from .case import Address, Person, Practitioner, Provider

RelatedCause = Literal["auto", "employment", "other"]
#: How the patient relates to the insured; ``self`` when they are the same person;
#: ``employee`` in workers' compensation, where the insured is always the employer.
PatientRelation = Literal["self", "spouse", "child", "other", "employee"]
#: Claim frequency (X12 CLM05-3, CMS-1500 box 22's resubmission code): ``1`` original,
#: ``7`` replacement of a prior claim, ``8`` void of a prior claim.
ClaimFrequency = Literal["1", "7", "8"]


#: What one claim carries in every format payerkit writes: 12 diagnoses (837P HI01-HI12,
#: CMS-1500 21A-L), 4 modifiers a line (SV101-3..6, 24D), 4 diagnosis pointers a line
#: (SV107-1..4, 24E).
MAX_DIAGNOSES = 12
MAX_MODIFIERS = 4
MAX_POINTERS = 4


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
    #: The position of the line's visit in the case's visits (``visits[visit]``), likewise.
    visit: int | None = None
    #: The timed minutes the units came from (superbill), when the case gave them.
    minutes: int | None = None
    #: The number of the authorization covering this line, only when the claim's lines fall
    #: under different authorizations (837P 2400 ``REF*G1``); else ``None`` and the claim's
    #: ``prior_authorization`` holds the one.
    prior_authorization: str | None = None


@frozen
class MissedCharge:
    """A service recorded on a missed appointment (``attendance`` ``no_show`` or
    ``late_cancel``): the patient's charge under the practice's missed-appointment policy,
    never the insurer's. Kept apart from the claim's lines (no payer's format carries it; the
    scrub refuses a claim with one): the superbill lists it as the patient's."""

    date: dt.date
    attendance: str
    code: str
    charge: Decimal
    #: The visit's position in the case's visits, and the service's in the visit.
    visit: int
    service: int


@frozen
class Claim:
    """One claim. ``place_of_service`` is the claim's (CLM05-1): the place of most of its
    lines (the earliest on a tie); each line keeps its own. ``frequency`` is ``1`` for an
    original claim, ``7``/``8`` for a replacement/void of the payer's claim
    ``original_claim_number``.

    In workers' compensation (``relation`` ``employee``) the insured is the patient's
    employer, ``employer`` (its name) and ``employer_address``: the employer is always the
    subscriber (X12 RFI 1925), so the writers put it where the insured goes and the worker
    where the patient goes; ``insured`` is then the patient."""

    id: str
    program_id: str
    billing: Provider
    insured: Person
    patient: Person
    relation: PatientRelation
    member_id: str | None
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
    #: The authorization covering the claim's visits (837P 2300 ``REF*G1``, box 23), when one
    #: does; ``None`` when none does, or when the lines fall under different ones (each line
    #: then carries its own: :attr:`ClaimLine.prior_authorization`).
    prior_authorization: str | None = None
    sender_id: str = "PAYERKIT"
    receiver_id: str = "RECEIVER"
    receiver_name: str = "RECEIVER"
    usage: Literal["T", "P"] = "P"
    #: CLM06 provider signature on file; CLM07 assignment accepted (A, else C);
    #: CLM08 benefits assigned to the provider (Y/N); CLM09 release of information (Y/I).
    provider_signature_on_file: bool = True
    accepts_assignment: bool = True
    #: The one value every form reads (CLM08, CMS-1500 box 13, the NF-3's assignment):
    #: ``True`` only when the case records a signed assignment (``build_claim`` reads an
    #: unrecorded one as ``False``: no form attests a signature nobody recorded).
    benefits_assigned: bool = True
    release_of_information: Literal["Y", "I"] = "Y"
    frequency: ClaimFrequency = "1"
    #: The payer's claim control number of the claim replaced or voided (REF*F8, box 22).
    original_claim_number: str | None = None
    #: The insurer's mailing address for paper claims, when the case gives it.
    payer_address: Address | None = None
    #: What the patient paid for the claim's visits (``None``: not recorded).
    amount_paid: Decimal | None = None
    #: What was paid for each visit billed that records a payment, as ``(visit, amount)``:
    #: ``visit`` is the index the lines carry (``ClaimLine.visit``), so a paper form can say
    #: what was paid for its own lines (CMS-1500 box 29); they add up to ``amount_paid``.
    visit_payments: tuple[tuple[int, Decimal], ...] = field(default=(), converter=_tuple)
    #: The first visit of the episode in the case (NF-3 "date of first visit").
    first_visit_date: dt.date | None = None
    #: The employer, the insured of a workers' compensation claim (``relation`` ``employee``).
    employer: str | None = None
    employer_address: Address | None = None
    #: Services recorded on missed appointments among the visits (not lines of the claim).
    missed: tuple[MissedCharge, ...] = field(default=(), converter=_tuple)

    @property
    def total_charge(self) -> Decimal:
        return total(line.charge for line in self.lines)

    @property
    def authorizations(self) -> tuple[str, ...]:
        """The authorizations the claim carries: its own, or its lines' (each once, in line
        order)."""
        if self.prior_authorization:
            return (self.prior_authorization,)
        return tuple(dict.fromkeys(line.prior_authorization for line in self.lines
                                   if line.prior_authorization))

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The dates of service on the claim, in order, each once."""
        return tuple(sorted({line.date for line in self.lines}))

    @property
    def patient_is_insured(self) -> bool:
        return self.relation == "self"

    @property
    def employer_is_insured(self) -> bool:
        """Workers' compensation: the employer is the insured, the worker the patient."""
        return self.relation == "employee"


__all__ = ["Address", "Claim", "ClaimFrequency", "ClaimLine", "Person", "Practitioner", "Provider"]

"""The case: everything a practice knows about one patient's episode of care.

These are frozen attrs classes with no I/O. ``payerkit.io`` builds them from
TOML/JSON case files; plugins and writers only read them. Money is
``decimal.Decimal`` and dates are ``datetime.date`` everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, NewType

from attrs import field, frozen

from .frozendict import FrozenDict, frozen_dict, frozen_tables
from .program import Funding

Sex = Literal["F", "M", "U"]
TaxIdType = Literal["ein", "ssn"]
Relationship = Literal["spouse", "child", "other"]
EpisodeKind = Literal["auto_accident", "work_injury", "other_accident", "illness"]
InjuredPerson = Literal["named_insured", "relative", "other"]
Vehicle = Literal["insured", "other"]
Usage = Literal["T", "P"]
ReleaseOfInformation = Literal["Y", "I"]
#: What a claim is: a first bill, a corrected one that replaces a claim the payer has, or
#: the cancellation of one (X12 CLM05-3 ``1``/``7``/``8``, CMS-1500 box 22).
Frequency = Literal["original", "replacement", "void"]
#: Whether the patient came: ``attended`` (the default), ``no_show`` (a missed appointment) or
#: ``late_cancel`` (cancelled too late to fill the time). A missed appointment is the patient's
#: charge, never the insurer's: it is never on a claim (``payerkit.rules.plans``).
Attendance = Literal["attended", "no_show", "late_cancel"]
#: A value of an outcome measure (a pain score, a disability index, degrees, minutes): a
#: ``Decimal`` read from an integer, a number or a string with at most 2 decimals
#: (``payerkit.converter.strict_score``), never money.
Score = NewType("Score", Decimal)


def _tuple(value):
    return tuple(value)


@frozen
class Address:
    line1: str
    city: str
    state: str
    zip: str
    line2: str | None = None


@frozen
class Provider:
    """The billing provider: a practice (``name``) or a sole practitioner (first/last name)."""

    npi: str
    tax_id: str
    address: Address
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    tax_id_type: TaxIdType = "ein"
    taxonomy: str = "225700000X"
    license: str | None = None
    phone: str | None = None
    networks: tuple[str, ...] = field(default=(), converter=_tuple)
    cash_rates: dict[str, Decimal] = field(factory=FrozenDict, converter=frozen_dict)
    #: The name for paper forms whose box cannot hold the name (CMS-1500 box 33 holds 29
    #: characters, the NF-3 and the superbill PDF a line or two): used there instead of the
    #: name, never cut; the 837P always carries the name.
    short_name: str | None = None
    #: The id the payer assigned the billing provider, besides the NPI (Washington L&I's
    #: provider account number): the 837P's 2010BB ``REF*G2``, CMS-1500 box 33b (``G2``).
    payer_assigned_id: str | None = None

    @property
    def is_organization(self) -> bool:
        return self.name is not None

    @property
    def display_name(self) -> str:
        return self.name or f"{self.first_name} {self.last_name}"


@frozen
class Practitioner:
    """A person identified by NPI: the rendering therapist or the prescriber."""

    first_name: str
    last_name: str
    npi: str
    taxonomy: str | None = None
    license: str | None = None
    #: The rendering therapist's business relationship to the billing provider (NF-3).
    relationship: Literal["employee", "independent_contractor", "other"] | None = None
    #: The id the payer assigned the rendering therapist, besides the NPI: the 837P's 2310B
    #: ``REF*G2`` and CMS-1500 box 24I/24J shaded (``G2``), when the rendering provider is
    #: not the billing provider.
    payer_assigned_id: str | None = None


@frozen
class Person:
    """The patient, or the insured when the patient is not the insured."""

    first_name: str
    last_name: str
    birth_date: dt.date
    sex: Sex
    address: Address


@frozen
class Subscriber(Person):
    relationship: Relationship = "other"


@frozen
class Coverage:
    #: The id the payer gave the insured. Required, except in workers' compensation, where
    #: the insured is the employer and the payer may give none (the core's scrub says so).
    member_id: str | None = None
    group_number: str | None = None
    claim_number: str | None = None
    insurer: str | None = None
    #: The insurer's (claims office's) mailing address, for paper claims (NF-3, CMS-1500).
    insurer_address: Address | None = None
    payer_id: str | None = None
    visits_used_elsewhere: int = 0
    #: ``fully_insured``, ``self_funded`` (ERISA) or ``medicare_advantage`` (federal): state
    #: insurance law governs only the first.
    funding: Funding | None = None
    #: The patient's employer. In workers' compensation the employer is the insured (the
    #: 837P's subscriber, 2010BA; CMS-1500 boxes 4 and 7), so a workers' compensation claim
    #: needs its name; its address is for paper claims (box 7), never the 837P's.
    employer: str | None = None
    employer_address: Address | None = None


@frozen
class Prescription:
    prescriber: Practitioner
    date: dt.date
    visits: int | None = None


@frozen
class Authorization:
    number: str
    visits: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@frozen
class Goal:
    """A measurable functional goal of a treatment plan.

    ``description`` names the functional activity (``sit through a work meeting``);
    ``measure`` the outcome measure's id (``payerkit/data/measures.toml``: ``ndi``, ``nprs``,
    ``rom.cervical_rotation``..., or the practice's own); ``baseline`` the value measured when
    the plan was made and ``target`` the value the plan aims for.
    """

    description: str
    measure: str
    baseline: Score
    target: Score


@frozen
class TreatmentPlan:
    """The plan of care: its dates, the visits it plans, its goals, when it is re-evaluated.

    The plan ends on ``end``, or ``duration_weeks`` weeks after ``start`` (one of the two);
    ``visits`` is the number of visits planned, ``visits_per_week`` their frequency.
    ``progress_reports`` are the days progress reports were written.
    """

    start: dt.date
    end: dt.date | None = None
    duration_weeks: int | None = None
    visits: int | None = None
    visits_per_week: int | None = None
    reevaluation_date: dt.date | None = None
    discharge_criteria: str | None = None
    goals: tuple[Goal, ...] = field(default=(), converter=_tuple)
    progress_reports: tuple[dt.date, ...] = field(default=(), converter=_tuple)

    @property
    def last_day(self) -> dt.date | None:
        """The plan's last day: ``end``, or the day before ``duration_weeks`` weeks after
        ``start``; ``None`` for a plan that states no end."""
        if self.end is not None:
            return self.end
        if self.duration_weeks is None:
            return None
        try:
            return self.start + dt.timedelta(weeks=self.duration_weeks, days=-1)
        except OverflowError:
            return dt.date.max


@frozen
class Episode:
    """The injury or condition being treated.

    ``injured_person``, ``vehicle`` and ``motorcycle`` are kept so older case
    files load: they are aliases of New York no-fault's own facts
    (``[facts.ny-no-fault]``), which new files use instead.
    ``employment_related`` marks an injury at work whatever ``kind`` says.
    ``authorization`` is the one authorization older files give; ``authorizations`` are the
    others on file (:attr:`all_authorizations`: every one, that first).
    """

    kind: EpisodeKind
    onset_date: dt.date
    diagnoses: tuple[str, ...] = field(converter=_tuple)
    state: str | None = None
    country: str = "US"
    notice_date: dt.date | None = None
    prescription: Prescription | None = None
    authorization: Authorization | None = None
    employment_related: bool = False
    injured_person: InjuredPerson | None = None
    vehicle: Vehicle | None = None
    motorcycle: bool = False
    #: The treatment plan (plan of care), when there is one.
    plan: TreatmentPlan | None = None
    #: Every authorization on file besides ``authorization``.
    authorizations: tuple[Authorization, ...] = field(default=(), converter=_tuple)

    @property
    def all_authorizations(self) -> tuple[Authorization, ...]:
        """Every authorization on file: ``authorization`` first, when given, then
        ``authorizations`` in their order."""
        if self.authorization is None:
            return self.authorizations
        return (self.authorization, *self.authorizations)

    @property
    def work_related(self) -> bool:
        return self.kind == "work_injury" or self.employment_related


@frozen
class Service:
    """One service on a visit. ``diagnoses`` are 1-based pointers into the episode's list."""

    code: str
    minutes: int | None = None
    modifiers: tuple[str, ...] = field(default=(), converter=_tuple)
    diagnoses: tuple[int, ...] = field(default=(1,), converter=_tuple)
    charge: Decimal | None = None
    units: int | None = None


@frozen
class Measurement:
    """An outcome measure taken at a visit: the measure's id (as in :class:`Goal`) and its value."""

    measure: str
    value: Score


@frozen
class Visit:
    date: dt.date
    services: tuple[Service, ...] = field(converter=_tuple)
    place_of_service: str = "11"
    #: What the patient paid for this visit (superbill "amount paid", CMS-1500 box 29).
    amount_paid: Decimal | None = None
    #: The outcome measures taken at the visit (the visit note's objective measurements).
    measures: tuple[Measurement, ...] = field(default=(), converter=_tuple)
    #: ``attended``, or a missed appointment: ``no_show`` or ``late_cancel`` (never billed to
    #: the insurer; not a visit used against a limit).
    attendance: Attendance = "attended"

    @property
    def attended(self) -> bool:
        return self.attendance == "attended"


@frozen
class FeeRates:
    """A practice-supplied fee schedule: per-unit allowed amounts by code.

    ``source`` names the contract or schedule and its edition; it is quoted in
    every priced line. ``file`` (resolved by ``payerkit.io`` relative to the
    case file) points to a CSV in the format of ``payerkit.rules.fees``.
    """

    source: str
    rates: dict[str, Decimal] = field(factory=FrozenDict, converter=frozen_dict)
    file: str | None = None
    #: ``practice`` (the practice's own figures: a contract, its fee) or ``sample`` (invented
    #: figures for a demonstration): a sample schedule is said to be one in every price.
    confidence: Literal["practice", "sample"] = "practice"
    #: Entries read from ``file`` by ``payerkit.io`` (``payerkit.rules.fees.FeeEntry``).
    entries: tuple = field(default=(), converter=_tuple)


@frozen
class Submission:
    """Who sends the claim to whom: the X12 envelope's parties, and claim-level choices."""

    claim_id: str | None = None
    sender_id: str | None = None
    receiver_id: str | None = None
    receiver_name: str | None = None
    usage: Usage = "P"
    late_justification: str | None = None
    #: CLM06: the provider's signature is on file.
    provider_signature_on_file: bool = True
    #: CLM07: the provider accepts assignment (``A``); ``False`` writes ``C``.
    accepts_assignment: bool = True
    #: CLM08: the patient signed an assignment of benefits (pay the provider). ``None``:
    #: not recorded, which every form reads as not assigned (CLM08 ``N``, box 13 blank:
    #: no form attests a signature nobody recorded); the scrub warns.
    benefits_assigned: bool | None = None
    #: CLM09: release of information: ``Y`` signed statement, ``I`` informed consent only.
    release_of_information: ReleaseOfInformation = "Y"
    #: CLM05-3: ``original``, or a corrected claim: ``replacement`` or ``void`` of the claim
    #: the payer numbered ``original_claim_number`` (its claim control number, REF*F8).
    frequency: Frequency = "original"
    original_claim_number: str | None = None


@frozen
class Case:
    program: str
    provider: Provider
    patient: Person
    coverage: Coverage
    episode: Episode
    visits: tuple[Visit, ...] = field(converter=_tuple)
    as_of: dt.date | None = None
    rendering: Practitioner | None = None
    subscriber: Subscriber | None = None
    fees: FeeRates | None = None
    claim: Submission = field(factory=Submission)
    #: Program-specific facts, one table per program id (``[facts.ny-no-fault]``); the kit
    #: reads the case program's table into that program's own ``facts`` type.
    facts: dict[str, dict] = field(factory=FrozenDict, converter=frozen_tables)

    @property
    def insured(self) -> Person:
        return self.subscriber if self.subscriber is not None else self.patient

    @property
    def patient_is_insured(self) -> bool:
        return self.subscriber is None

    def visit_on(self, day: dt.date | None) -> Visit:
        """The visit to bill: the one on ``day``, or the last one."""
        if day is None:
            return self.visits[-1]
        for visit in self.visits:
            if visit.date == day:
                return visit
        raise LookupError(f"visits: no visit on {day.isoformat()}")

    def today(self) -> dt.date:
        return self.as_of if self.as_of is not None else dt.date.today()


"""What payerkit answers: eligibility, prices, limits, findings, deadlines.

Every answer carries reasons, and every reason a citation, so a billing clerk
can see why. A figure with no public source is cited with
``confidence="sample"`` and the output says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, get_args

from attrs import field, frozen, validators

from ..rules.money import total

Confidence = Literal["high", "medium", "low", "sample", "rule", "practice"]
#: Every confidence grade a citation may carry (validated: a typo is an error).
CONFIDENCES: tuple[Confidence, ...] = get_args(Confidence)
#: Grades that confirm a rule: only these may refuse care (``not_covered``); a rule of
#: any other grade is reported as "verify with the plan".
CONFIRMED = frozenset({"high", "rule", "practice"})
#: Grades too weak to stop a claim: a finding from such a rule is at most a warning.
WEAK = frozenset({"low", "sample"})
Status = Literal["covered", "action_required", "not_covered"]
Severity = Literal["error", "warning"]
LimitUnit = Literal["visits", "units", "rvu"]


def _tuple(value):
    return tuple(value)


@frozen
class Citation:
    """Where a rule or figure comes from.

    ``source`` names the law, policy or schedule; ``edition`` its date or
    version as seen; ``confidence`` grades it: ``high`` (primary text seen),
    ``medium`` (secondary or partial), ``low`` (a lead only), ``sample`` (no
    public source: a configurable placeholder), ``rule`` (a coding or format
    rule, e.g. the NPI check digit), ``practice`` (a figure the practice
    supplied, e.g. its contracted rates).
    """

    source: str
    edition: str | None = None
    confidence: Confidence = field(default="high", validator=validators.in_(CONFIDENCES))
    url: str | None = None

    @property
    def confirmed(self) -> bool:
        """``True`` when the grade confirms the rule (``high``, ``rule`` or ``practice``)."""
        return self.confidence in CONFIRMED

    @property
    def weak(self) -> bool:
        """``True`` for ``low`` and ``sample``: a lead or a placeholder, never enough to stop a claim."""
        return self.confidence in WEAK

    def __str__(self) -> str:
        text = self.source if self.edition is None else f"{self.source} ({self.edition})"
        return f"{text} [{self.confidence}]"


@frozen
class Reason:
    """Why an answer is what it is. ``severity`` is ``warning`` for a caution the clerk
    must see (the same outcome is a scrub warning), ``None`` for an explanation."""

    code: str
    message: str
    citation: Citation | None = None
    severity: Severity | None = None


@frozen
class Eligibility:
    program: str
    status: Status
    requirements: tuple[Reason, ...] = field(default=(), converter=_tuple)
    reasons: tuple[Reason, ...] = field(default=(), converter=_tuple)


@frozen
class PricedLine:
    date: dt.date
    code: str
    modifiers: tuple[str, ...]
    minutes: int | None
    units: int
    charge: Decimal
    allowed: Decimal | None
    fee_source: str | None
    diagnoses: tuple[int, ...] = (1,)
    #: The per-unit allowed amount the line was priced at (``None`` without a fee).
    rate: Decimal | None = None


@frozen
class Pricing:
    program: str
    lines: tuple[PricedLine, ...] = field(converter=_tuple)
    reasons: tuple[Reason, ...] = field(default=(), converter=_tuple)

    @property
    def total_charge(self) -> Decimal:
        return total(line.charge for line in self.lines)

    @property
    def total_allowed(self) -> Decimal | None:
        if not self.lines or any(line.allowed is None for line in self.lines):
            return None
        return total(line.allowed for line in self.lines)


@frozen
class Limit:
    name: str
    unit: LimitUnit
    allowed: Decimal | int | None
    used: Decimal | int
    window: str
    citation: Citation | None = None

    @property
    def remaining(self) -> Decimal | int | None:
        """What is left, never below 0 (``None`` when ``allowed`` is unknown); see :attr:`over`."""
        if self.allowed is None:
            return None
        left = self.allowed - self.used
        return left if left > 0 else type(left)(0)

    @property
    def over(self) -> Decimal | int | None:
        """How far ``used`` is past ``allowed``: 0 within the limit, ``None`` when unknown."""
        if self.allowed is None:
            return None
        past = self.used - self.allowed
        return past if past > 0 else type(past)(0)


@frozen
class Limits:
    program: str
    limits: tuple[Limit, ...] = field(converter=_tuple)


@frozen
class Finding:
    severity: Severity
    code: str
    message: str
    path: str | None = None
    citation: Citation | None = None


@frozen
class Scrub:
    program: str
    findings: tuple[Finding, ...] = field(converter=_tuple)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")


@frozen
class Deadline:
    """A filing deadline: ``days`` calendar days after ``event_date``.

    ``due`` is the last day on which the act is on time. payerkit does not
    count the event day itself (day 1 is the day after), reading "within N
    days after" the event literally; no source seen states the counting rule
    for these deadlines, so ``convention`` says in output how the days were
    counted, and an adapter states its payer's rule there when one is known.
    ``late_severity`` is the severity of a late act; when
    the rule lets lateness be excused (``excuse`` says how) and the case gives
    a written justification, it is reported as a warning. ``done_on`` is the
    day the act was done, when the case records it (a notice already given):
    lateness is then judged on that day, not on the day the bill is prepared.
    """

    name: str
    event: str
    event_date: dt.date
    days: int
    citation: Citation
    late_severity: Severity = "error"
    excuse: str | None = None
    convention: str = ("calendar days; the event day is not counted (payerkit's reading of "
                       "'within N days after'; the payer's counting rule is not confirmed)")
    path: str | None = None
    done_on: dt.date | None = None

    @property
    def due(self) -> dt.date:
        try:
            return self.event_date + dt.timedelta(days=self.days)
        except OverflowError:  # past 9999-12-31: never due within the calendar
            return dt.date.max

    def is_late(self, on: dt.date) -> bool:
        return on > self.due


@frozen
class PaymentTerm:
    """What a payer owes on a claim, and by when: a prompt-pay standard or interest rule.

    ``days`` counts from the payer's receipt of the claim; ``share`` is the
    share of claims the standard covers (``0.95`` for "95% of clean claims");
    ``interest_per_month`` (``0.01`` for 1%) is owed on claims unpaid after
    ``interest_after_days``. Later claim tracking ages claims against these.
    """

    name: str
    description: str
    citation: Citation
    days: int | None = None
    share: Decimal | None = None
    interest_per_month: Decimal | None = None
    interest_after_days: int | None = None
    #: The least interest a month late (WA L&I: "at least one dollar per month").
    interest_minimum_per_month: Decimal | None = None
    #: When the interest is owed only in some cases, what they are, in words (WA: only
    #: while the carrier misses its prompt-pay standard): the ledger then shows the
    #: interest as "may be owed", never as owed.
    interest_condition: str | None = None


#: What a practice may bill the patient on a claim the payer has decided:
#: ``responsibility`` — only what the payer assigned to the patient (835 CAS group ``PR``:
#: deductible, coinsurance, copay, non-covered services); ``nothing`` — no charge for the
#: claim's services may be made against the patient.
PatientBillingRule = Literal["responsibility", "nothing"]


@frozen
class PatientBilling:
    """What the practice may bill the patient after the payer's decision, and why.

    The ledger's statements and reports bill the patient only what ``rule`` allows;
    ``description`` says it in words (with any exception, e.g. NY no-fault after benefits
    are exhausted), ``citation`` gives its source. Answered by the program's owner or a
    rule set (``payerkit_patient_billing``); when none answers, payerkit uses
    ``responsibility`` and says the program gave no rule (:data:`UNSTATED_PATIENT_BILLING`).
    """

    rule: PatientBillingRule = field(validator=validators.in_(get_args(PatientBillingRule)))
    description: str
    citation: Citation | None = None


@frozen
class PaymentTerms:
    program: str
    terms: tuple[PaymentTerm, ...] = field(converter=_tuple)


#: What payerkit assumes when no plugin says what the patient may be billed: only what the
#: payer's remittance assigns to the patient (group ``PR``), and it says the rule is unstated.
UNSTATED_PATIENT_BILLING = PatientBilling(
    "responsibility",
    "the program's plugin states no rule on billing the patient; payerkit bills only what "
    "the payer's remittance assigns to the patient (group PR) — verify with the plan")

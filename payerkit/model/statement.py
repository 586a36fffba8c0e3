"""The patient statement: what the practice tells the patient once the insurer has paid —
each service billed, what the insurer paid, what was written off and why, what the patient
owes and why, what the patient has paid already, and the rule of the program that says what
the practice may bill the patient. Written by :func:`payerkit.formats.patient_statement.
write_patient_statement`; the ledger fills it from its claims and the payers' remittances.

Frozen attrs classes with no I/O, like the rest of the model: money is
``decimal.Decimal`` (whole cents), dates are ``datetime.date``. The totals are computed here,
once, from the lines, so every reader of a statement adds up the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from attrs import field, frozen

from .case import Person, Provider


def _tuple(value):
    return tuple(value)


@frozen
class StatementLine:
    """One service as the patient's statement shows it, after the insurer's payment."""

    #: The claim the service was billed on (its id, as on the claim: CLM01).
    claim_id: str
    date: dt.date
    code: str
    modifiers: tuple[str, ...] = field(converter=_tuple)
    units: int
    #: The charge billed to the insurer.
    billed: Decimal
    insurer_paid: Decimal
    #: Contractual and other adjustments (CARC groups CO, PI, OA): never billed to the patient.
    written_off: Decimal
    #: The patient's responsibility (group PR), as far as the program lets the practice bill it.
    patient_owes: Decimal
    #: Why, in words, each with its adjustment code: ``"PR-1 deductible"``,
    #: ``"CO-45 above the fee schedule (not billed to you)"``.
    reasons: tuple[str, ...] = field(default=(), converter=_tuple)


@frozen
class PatientStatement:
    """A statement to one patient from one practice."""

    practice: Provider
    #: The patient: the name and the address the statement is sent to.
    patient: Person
    statement_date: dt.date
    #: The statement's number (the practice's own).
    number: str
    lines: tuple[StatementLine, ...] = field(converter=_tuple)
    #: What the patient has paid already toward these services.
    payments_by_patient: Decimal
    #: What the program lets the practice bill the patient, in words.
    rule: str
    #: The rule's source (``"WAC 284-170-421(3)(a)"``).
    citation: str | None = None
    due_date: dt.date | None = None
    notes: tuple[str, ...] = field(default=(), converter=_tuple)

    def _total(self, amount: str) -> Decimal:
        return sum((getattr(line, amount) for line in self.lines), Decimal(0))

    @property
    def billed(self) -> Decimal:
        return self._total("billed")

    @property
    def insurer_paid(self) -> Decimal:
        return self._total("insurer_paid")

    @property
    def written_off(self) -> Decimal:
        return self._total("written_off")

    @property
    def patient_owes(self) -> Decimal:
        return self._total("patient_owes")

    @property
    def balance(self) -> Decimal:
        """What the patient owes less what the patient has paid: below zero, a credit."""
        return self.patient_owes - self.payments_by_patient


__all__ = ["PatientStatement", "StatementLine"]

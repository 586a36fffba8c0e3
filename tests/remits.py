"""835s for the ledger's tests, built from the claims the ledger recorded (invented payers
and patients): each claim paid in full at its expected allowed amount, underpaid, applied
to the deductible, denied, or reversed; balanced by construction (every amount not paid is
an adjustment)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from payerkit.ledger import ClaimEntry
from payerkit.remittance.model import Adjustment, ClaimPayment, Remittance, ServicePayment
from payerkit.testing.remit import write_835

PAID_ON = dt.date(2026, 5, 15)


def dollars(cents: int) -> Decimal:
    return Decimal(cents) / 100


def payment(entry: ClaimEntry, how: str = "paid", short: Decimal = Decimal("0"),
            deductible: Decimal = Decimal("0"), reason: str = "50",
            number: str = "PCN1") -> ClaimPayment:
    """``how``: ``paid`` (each line its expected allowed amount less ``short`` on the first
    line and the patient's ``deductible`` (PR-1) from the first line on until it is met, CO-45
    for the rest), ``denied``
    (nothing paid: CO-``reason``, CLP02 4)."""
    lines, owed = [], deductible
    for i, line in enumerate(entry.lines):
        charge = dollars(line.charge_cents)
        allowed = dollars(line.expected_cents if line.expected_cents is not None
                          else line.charge_cents)
        if how == "denied":
            adjustments = (Adjustment("CO", reason, charge),)
            paid = Decimal(0)
        else:
            cut = short if i == 0 else Decimal(0)
            patient = min(owed, allowed - cut)  # the deductible, line by line until met
            owed -= patient
            paid = allowed - cut - patient
            adjustments = tuple(a for a in (Adjustment("CO", "45", charge - allowed + cut),
                                            Adjustment("PR", "1", patient)) if a.amount)
        lines.append(ServicePayment("HC", line.code, charge, paid, modifiers=line.modifiers,
                                    units=Decimal(line.units), date=line.date,
                                    control_number=line.control_number,
                                    adjustments=adjustments))
    charge = sum((s.charge for s in lines), Decimal(0))
    paid = sum((s.paid for s in lines), Decimal(0))
    patient = sum((a.amount for s in lines for a in s.adjustments if a.group == "PR"),
                  Decimal(0))
    return ClaimPayment(entry.claim_id, "4" if how == "denied" else "1", charge, paid, "12",
                        number, patient_responsibility=patient, lines=lines)


def reversal(original: ClaimPayment) -> ClaimPayment:
    """The payer takes ``original`` back (CLP02 22, every amount negated)."""
    lines = [ServicePayment(s.qualifier, s.code, -s.charge, -s.paid, modifiers=s.modifiers,
                            units=s.units, date=s.date, control_number=s.control_number,
                            adjustments=[Adjustment(a.group, a.reason, -a.amount)
                                         for a in s.adjustments]) for s in original.lines]
    return ClaimPayment(original.claim_id, "22", -original.charge, -original.paid,
                        original.filing_indicator, original.payer_claim_number,
                        patient_responsibility=None if original.patient_responsibility is None
                        else -original.patient_responsibility, lines=lines)


def remittance(payments: list[ClaimPayment], trace: str = "EFT0001",
               payer: str = "EXAMPLE PAYER", st02: str = "0001") -> Remittance:
    total = sum((p.paid for p in payments), Decimal(0))
    return Remittance("000000001", "1", st02, "H" if total == 0 else "C", total, "C",
                      "NON" if total == 0 else "ACH", PAID_ON, trace, "1999999999", payer,
                      "HARBOR MASSAGE THERAPY PLLC", payer_id="99999", payee_npi="1234567893",
                      claims=payments)


def file_of(*remittances: Remittance) -> bytes:
    return write_835(list(remittances))

"""Patient statements the tests print: an in-network Washington plan that paid part (the
patient owes the deductible, coinsurance and copayment) and New York no-fault (nothing may be
billed to the patient). Sample people and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from payerkit.model import Address, PatientStatement, Person, Provider, StatementLine

PRACTICE = Provider(npi="1234567893", tax_id="123456789", name="Cascade Bodywork LLC",
                    phone="2065550100", license="MA60000000",
                    address=Address("100 Pine St", "Seattle", "WA", "981010001",
                                    line2="Suite 200"))
PATIENT = Person("Maria", "Garcia", dt.date(1975, 7, 22), "F",
                 Address("12 Elm St", "Seattle", "WA", "98102"))
ABOVE_FEES = "CO-45 above the fee schedule (not billed to you)"
WA_RULE = ("As an in-network provider of your plan, the practice may bill you only your share "
           "of the allowed amount (your deductible, coinsurance and copayment, which your "
           "insurer names as patient responsibility, PR); the amount above the plan's fee "
           "schedule is written off.")
WA_CITATION = "WAC 284-170-421(3)(a)"
NY_RULE = ("Under New York no-fault insurance the provider may not bill you for these "
           "services: the insurer pays them at the fee schedule, and no payment above the "
           "fee schedule may be asked of the patient.")
NY_CITATION = "N.Y. Insurance Law \u00a7 5108(c); 11 NYCRR 68.1"


def line(claim_id: str, day: dt.date, code: str, modifiers: tuple[str, ...], units: int,
         billed: str, paid: str, written_off: str, owes: str,
         *reasons: str) -> StatementLine:
    return StatementLine(claim_id, day, code, modifiers, units, Decimal(billed), Decimal(paid),
                         Decimal(written_off), Decimal(owes), reasons)


def wa_statement() -> PatientStatement:
    """Three services on two claims: a deductible, coinsurance and a copayment, less a
    payment at the visit."""
    return PatientStatement(
        practice=PRACTICE, patient=PATIENT, statement_date=dt.date(2026, 3, 2),
        number="S-2026-0042",
        lines=(
            line("PK260105K3M7QD", dt.date(2026, 1, 5), "97124", ("GP",), 2, "100.00", "48.00",
                 "20.00", "32.00", "PR-1 deductible", ABOVE_FEES),
            line("PK260105K3M7QD", dt.date(2026, 1, 5), "97140", ("GP", "59"), 1, "55.00", "30.00",
                 "10.00", "15.00", "PR-2 coinsurance", ABOVE_FEES),
            line("PK260112R5TW2A", dt.date(2026, 1, 12), "97124", ("GP",), 2, "100.00", "68.00",
                 "20.00", "12.00", "PR-3 copayment", ABOVE_FEES),
        ),
        payments_by_patient=Decimal("15.00"), rule=WA_RULE, citation=WA_CITATION,
        due_date=dt.date(2026, 4, 1),
        notes=("Thank you for your payment of 15.00 at your visit of 01/12/2026.",))


def ny_statement() -> PatientStatement:
    """New York no-fault paid at the fee schedule: nothing may be billed to the patient."""
    return PatientStatement(
        practice=PRACTICE, patient=PATIENT, statement_date=dt.date(2026, 3, 2), number="S-77",
        lines=tuple(line("NF-0077", dt.date(2026, 2, day), "97124", (), 2, "120.00", "88.40",
                         "31.60", "0.00", "CO-45 above the New York fee schedule (not billed "
                         "to you)") for day in (3, 5, 9)),
        payments_by_patient=Decimal("0.00"), rule=NY_RULE, citation=NY_CITATION)

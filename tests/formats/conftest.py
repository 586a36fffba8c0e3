"""Claims for the writer tests. Every person, practice, payer and number is invented;
NPIs pass the Luhn check (1234567893, 1992999999, 1245319599)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.model.case import Address, Person, Practitioner, Provider
from payerkit.model.claim import Claim, ClaimLine

#: Fixed control numbers and clock, so output is byte-for-byte reproducible.
FIXED_OPTIONS = WriteOptions(
    control=ControlNumbers(interchange=101, group=101, transaction=1),
    now=dt.datetime(2026, 1, 15, 10, 30),
)

BILLING = Provider(
    npi="1234567893",
    tax_id="12-3456789",
    name="Serenity Massage LLC",
    address=Address(line1="100 Main St", line2="Suite 2", city="Albany", state="NY",
                    zip="12207-0001"),
    phone="(518) 555-1234",
)
RENDERING = Practitioner(first_name="Jane", last_name="Doe", npi="1992999999",
                         taxonomy="225700000X")
REFERRING = Practitioner(first_name="Robert", last_name="Jones", npi="1245319599")


def _auto_accident_claim() -> Claim:
    """NY no-fault: the patient is the named insured (no 2000C), auto accident in NY."""
    maria = Person(
        first_name="Maria", last_name="Garcia", birth_date=dt.date(1975, 7, 22), sex="F",
        address=Address(line1="9 River Rd", city="Schenectady", state="NY", zip="12305"),
    )
    day = dt.date(2026, 1, 5)
    return Claim(
        id="PK000124",
        program_id="ny-no-fault",
        billing=BILLING,
        insured=maria,
        patient=maria,
        relation="self",
        member_id="NF20251220A",
        payer_name="Example Auto Insurance Co",
        payer_id="98765",
        filing_indicator="AM",
        diagnoses=("S13.4XXA", "M54.2"),
        lines=(
            ClaimLine(date=day, code="97124", units=4, charge=Decimal("100.00"),
                      pointers=(1, 2), control_number="PK-000124-1"),
            ClaimLine(date=day, code="97140", units=2, charge=Decimal("50.00"),
                      pointers=(1,), control_number="PK-000124-2"),
        ),
        property_casualty_claim_number="CLM7788990011",
        rendering=RENDERING,
        related_cause="auto",
        accident_state="NY",
        accident_date=dt.date(2025, 12, 20),
        onset_date=dt.date(2025, 12, 20),
        sender_id="PAYERKITSUB",
        receiver_id="CLEARHOUSE01",
        receiver_name="Example Clearinghouse",
        usage="T",
    )


def _commercial_dependent_claim() -> Claim:
    """Commercial plan: the patient is the insured's child (2000C), referred, rendered by an LMT."""
    home = Address(line1="22 Oak Ave", city="Troy", state="NY", zip="12180")
    day = dt.date(2026, 1, 10)
    return Claim(
        id="PK000123",
        program_id="commercial",
        billing=BILLING,
        insured=Person(first_name="John", last_name="Smith", birth_date=dt.date(1980, 3, 14),
                       sex="M", address=home),
        patient=Person(first_name="Emily", last_name="Smith", birth_date=dt.date(2010, 4, 5),
                       sex="F", address=home),
        relation="child",
        member_id="XYZ123456789",
        group_number="GRP12345",
        payer_name="Example Health Plan",
        payer_id="12345",
        filing_indicator="CI",
        diagnoses=("M54.50", "M62.830"),
        lines=(
            ClaimLine(date=day, code="97124", units=4, charge=Decimal("120.00"),
                      pointers=(1, 2), modifiers=("GP",)),
            ClaimLine(date=day, code="97140", units=2, charge=Decimal("70"),
                      pointers=(1,), modifiers=("GP", "59")),
        ),
        rendering=RENDERING,
        referring=REFERRING,
        onset_date=dt.date(2026, 1, 2),
        prior_authorization="AUTH998877",
        sender_id="PAYERKITSUB",
        receiver_id="CLEARHOUSE01",
        receiver_name="Example Clearinghouse",
        usage="T",
    )


def _workers_comp_claim() -> Claim:
    """Connecticut workers' compensation: the employer is the insured (2000B), the injured
    worker the patient (2000C), referred by the treating physician."""
    ana = Person(
        first_name="Ana", last_name="Rivera", birth_date=dt.date(1984, 5, 17), sex="F",
        address=Address(line1="15 Orange St", city="Hamden", state="CT", zip="06514"),
    )
    day = dt.date(2026, 2, 16)
    return Claim(
        id="PK000125",
        program_id="ct-workers-comp",
        billing=BILLING,
        insured=ana,
        patient=ana,
        relation="employee",
        member_id="WC0112026",
        payer_name="Example Mutual Insurance Co",
        payer_id="EXMWC",
        filing_indicator="WC",
        diagnoses=("S16.1XXA", "M62.830"),
        lines=(
            ClaimLine(date=day, code="97124", units=3, charge=Decimal("90.00"), pointers=(1, 2)),
            ClaimLine(date=day, code="97140", units=1, charge=Decimal("35.00"), pointers=(1,)),
        ),
        property_casualty_claim_number="WC26004417",
        rendering=RENDERING,
        referring=REFERRING,
        related_cause="employment",
        accident_date=dt.date(2026, 1, 12),
        onset_date=dt.date(2026, 1, 12),
        prior_authorization="WCA55210",
        sender_id="PAYERKITSUB",
        receiver_id="CLEARHOUSE01",
        receiver_name="Example Clearinghouse",
        usage="T",
        employer="Riverside Distribution LLC",
        employer_address=Address(line1="400 Industrial Way", city="Meriden", state="CT",
                                 zip="06450"),
    )


# Claims are frozen, so session scope is safe (and lets hypothesis tests use them).
@pytest.fixture(scope="session")
def auto_accident_claim() -> Claim:
    return _auto_accident_claim()


@pytest.fixture(scope="session")
def commercial_dependent_claim() -> Claim:
    return _commercial_dependent_claim()


@pytest.fixture(scope="session")
def fixed_options() -> WriteOptions:
    return FIXED_OPTIONS


@pytest.fixture(scope="session")
def workers_comp_claim() -> Claim:
    return _workers_comp_claim()

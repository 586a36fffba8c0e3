"""The ledger's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Money is an integer number of cents (``*_cents``, ``BigInteger``): both databases add
and compare it exactly, and no float ever holds a fee. Dates are ``Date`` columns computed
in Python (due dates, ages), so both databases agree. The schema is created and changed
only by the Alembic migrations in ``payerkit/ledger/migrations`` (applied when a ledger is
opened); this module is what the code reads and writes, and a test holds the two equal.

- ``practices``, ``patients``: who billed and for whom (a patient by ``patient_key``, a
  short digest of name and birth date: statements are asked by it).
- ``claims`` and ``claim_lines``: every claim written, once per (claim id, frequency,
  program); what was charged, the expected allowed amount from the pricing, the due date,
  and running totals kept up to date by posting; ``claim_rules``: the payment terms and the
  patient-billing rule the claims were written under (one row per distinct pair).
- ``remittances`` (one per 835 transaction, unique by its trace number and payer), with
  ``claim_payments`` (CLP), ``line_payments`` (SVC), ``adjustments`` (CAS), ``remarks``
  (LQ) and ``provider_adjustments`` (PLB).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}
metadata = MetaData(naming_convention=NAMING)


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _cents(name: str, nullable: bool = False) -> Column:
    return Column(name, BigInteger, nullable=nullable, default=None if nullable else 0)


practices = Table(
    "practices", metadata, _id(),
    Column("npi", String(10), nullable=False, unique=True),
    #: The provider as the last claim gave it (JSON of ``payerkit.model.Provider``).
    Column("data", Text, nullable=False),
)

patients = Table(
    "patients", metadata, _id(),
    Column("patient_key", String(16), nullable=False, unique=True),
    #: The patient as the last claim gave it (JSON of ``payerkit.model.Person``).
    Column("data", Text, nullable=False),
)

#: What a claim's program said when it was written: its payment terms and what the patient
#: may be billed (JSON), once per distinct text (a program's claims share one row).
claim_rules = Table(
    "claim_rules", metadata, _id(),
    Column("digest", String(64), nullable=False, unique=True),
    Column("terms", Text, nullable=False),
    Column("patient_billing", Text, nullable=False),
)

claims = Table(
    "claims", metadata, _id(),
    Column("claim_id", String(50), nullable=False),
    Column("frequency", String(1), nullable=False),
    Column("program", String(80), nullable=False),
    Column("payer_id", String(80), nullable=False),
    Column("payer_name", String(120), nullable=False),
    Column("practice_id", ForeignKey("practices.id"), nullable=False),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("format", String(40), nullable=False),
    Column("interchange", String(9)),      # ISA13, when written in an X12 interchange
    Column("transaction", String(9)),      # ST02
    Column("written_on", Date, nullable=False),
    _cents("charge_cents"),
    _cents("expected_cents", nullable=True),   # None: some line's allowed amount unknown
    #: The due date (None: no payment term gives days); the terms and the patient-billing
    #: rule in ``claim_rules``.
    Column("due_on", Date),
    Column("rules_id", ForeignKey("claim_rules.id"), nullable=False),
    #: open, paid, denied, reversed (kept by posting).
    Column("status", String(10), nullable=False, default="open"),
    _cents("paid_cents"),
    _cents("patient_cents"),                # the payer's PR amounts
    Column("paid_on", Date),                # the last remittance's date
    Column("content", String(64), nullable=False),  # digest of what was billed
    UniqueConstraint("claim_id", "frequency", "program", name="uq_claims_identity"),
)
Index("ix_claims_status_written", claims.c.status, claims.c.written_on)
Index("ix_claims_patient", claims.c.patient_id)

claim_lines = Table(
    "claim_lines", metadata, _id(),
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("control_number", String(50)),   # REF*6R
    Column("service_date", Date, nullable=False),
    Column("code", String(10), nullable=False),
    Column("modifiers", String(20), nullable=False, default=""),
    Column("units", Integer, nullable=False),
    _cents("charge_cents"),
    _cents("expected_cents", nullable=True),
    _cents("paid_cents"),
    _cents("patient_cents"),
    UniqueConstraint("claim_id", "number", name="uq_claim_lines_number"),
)

remittances = Table(
    "remittances", metadata, _id(),
    Column("trace", String(50), nullable=False),        # TRN02
    Column("originator", String(10), nullable=False),   # TRN03
    Column("payer_id", String(80)),
    Column("payer_name", String(120)),
    Column("interchange", String(9)),
    _cents("paid_cents"),                                # BPR02
    Column("method", String(3)),                         # BPR04
    Column("paid_on", Date),                             # BPR16
    Column("posted_on", Date, nullable=False),
    Column("file_digest", String(64), nullable=False),
    UniqueConstraint("trace", "originator", name="uq_remittances_trace"),
)

claim_payments = Table(
    "claim_payments", metadata, _id(),
    Column("remittance_id", ForeignKey("remittances.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("claim_id", ForeignKey("claims.id"), index=True),   # None: matches no claim
    Column("patient_control", String(50), nullable=False),      # CLP01
    Column("status_code", String(2), nullable=False),           # CLP02
    _cents("charge_cents"),
    _cents("paid_cents"),
    _cents("patient_cents", nullable=True),                     # CLP05
    Column("payer_claim_number", String(50)),                   # CLP07
)

line_payments = Table(
    "line_payments", metadata, _id(),
    Column("claim_payment_id", ForeignKey("claim_payments.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("claim_line_id", ForeignKey("claim_lines.id"), index=True),
    Column("control_number", String(50)),
    Column("code", String(48), nullable=False),
    Column("service_date", Date),
    Column("units", String(15)),
    _cents("charge_cents"),
    _cents("paid_cents"),
)

adjustments = Table(
    "adjustments", metadata, _id(),
    Column("claim_payment_id", ForeignKey("claim_payments.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("line_payment_id", ForeignKey("line_payments.id", ondelete="CASCADE")),
    Column("group_code", String(2), nullable=False),
    Column("reason", String(5), nullable=False),
    _cents("amount_cents"),
)

remarks = Table(
    "remarks", metadata, _id(),
    Column("claim_payment_id", ForeignKey("claim_payments.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("line_payment_id", ForeignKey("line_payments.id", ondelete="CASCADE")),
    Column("code", String(30), nullable=False),
)

provider_adjustments = Table(
    "provider_adjustments", metadata, _id(),
    Column("remittance_id", ForeignKey("remittances.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("reason", String(2), nullable=False),
    Column("reference", String(50)),
    _cents("amount_cents"),
)

__all__ = ["adjustments", "claim_lines", "claim_rules", "claim_payments", "claims", "line_payments",
           "metadata", "patients", "practices", "provider_adjustments", "remarks", "remittances"]

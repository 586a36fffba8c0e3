"""The records an X12 835 (5010, 005010X221A1) remittance is read into.

Frozen attrs classes, no I/O. Money is :class:`~decimal.Decimal` as the file wrote it
(never float), dates are :class:`datetime.date`. Codes are kept as codes: payerkit ships
no CARC/RARC text (X12 owns it); :func:`load_code_descriptions` reads the descriptions a
practice supplies.

The patient's name (``NM1*QC``) is kept on :class:`ClaimPayment` for a statement or a
screen, but it is left out of every ``repr`` and never put in a message or a log line.
The member id (``NM1*QC`` NM109) is not kept at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from decimal import Decimal

from attrs import field, frozen

from ..errors import RemittanceError

#: CAS01 claim adjustment group codes: contractual obligation, other adjustment, payer
#: initiated reduction, patient responsibility, and correction/reversal (CR is no longer in
#: the 5010 835 code list; an older payer may still send it, so it is read).
ADJUSTMENT_GROUPS = ("CO", "OA", "PI", "PR", "CR")
#: CLP02 for a reversal of a previous payment: its amounts are the original's, negated.
REVERSAL = "22"
#: CLP02 for a claim denied because the patient is not recognised (005010X221 note; a
#: known patient's denial is 1/2/3 with CLP04 0 and the reasons in the CAS).
DENIED = "4"


def _tuple(value) -> tuple:
    return tuple(value)


@frozen
class Adjustment:
    """One CAS reason: ``group`` (CO/PR/OA/PI/CR), ``reason`` (a CARC), ``amount`` (positive
    reduces the payment, negative increases it), ``quantity`` (units adjusted, optional). One
    CAS segment carries up to six of these, all of the same group."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


@frozen
class PatientName:
    """NM1*QC's name. Every field is left out of ``repr`` (``PatientName()``): it is patient
    data and must never reach a message or a log line."""

    last: str = field(repr=False)
    first: str | None = field(default=None, repr=False)
    middle: str | None = field(default=None, repr=False)


@frozen
class ServicePayment:
    """A service line (loop 2110, SVC): the procedure as adjudicated (SVC01: ``qualifier``
    such as ``HC``, ``code``, ``modifiers``), ``charge`` (SVC02), ``paid`` (SVC03),
    ``units`` paid (SVC05, 1 when absent); when the payer adjudicated another code than
    the one billed, the billed one (SVC06: ``original_qualifier``, ``original_code``,
    ``original_modifiers``) and ``original_units`` (SVC07). ``date`` is DTM*472 (or the
    start of a DTM*150/151 period, ``end_date`` its end); ``control_number`` REF*6R, the
    line item control number payerkit wrote in the 837P; ``adjustments`` the line's CAS;
    ``allowed`` AMT*B6 (informational, not part of balancing); ``remarks`` LQ*HE codes
    (RARCs)."""

    qualifier: str
    code: str
    charge: Decimal
    paid: Decimal
    modifiers: tuple[str, ...] = field(default=(), converter=_tuple)
    revenue_code: str | None = None
    units: Decimal = Decimal(1)
    original_qualifier: str | None = None
    original_code: str | None = None
    original_modifiers: tuple[str, ...] = field(default=(), converter=_tuple)
    original_units: Decimal | None = None
    date: dt.date | None = None
    end_date: dt.date | None = None
    control_number: str | None = None
    adjustments: tuple[Adjustment, ...] = field(default=(), converter=_tuple)
    allowed: Decimal | None = None
    remarks: tuple[str, ...] = field(default=(), converter=_tuple)


@frozen
class ClaimPayment:
    """A claim's payment (loop 2100, CLP). ``claim_id`` is CLP01, the patient control number
    payerkit wrote as CLM01 (upper case); ``status`` CLP02 (``1`` processed as primary, ``4``
    denied, ``22`` reversal...); ``charge`` CLP03; ``paid`` CLP04; ``patient_responsibility``
    CLP05 when sent; ``filing_indicator`` CLP06; ``payer_claim_number`` CLP07 (what a
    replacement or void 837 sends in REF*F8). ``adjustments`` are the claim-level CAS;
    ``lines`` the service lines; ``service_start``/``service_end`` DTM*232/233 when sent.
    ``patient_name`` (NM1*QC) is never in ``repr``."""

    claim_id: str
    status: str
    charge: Decimal
    paid: Decimal
    filing_indicator: str
    payer_claim_number: str
    patient_responsibility: Decimal | None = None
    adjustments: tuple[Adjustment, ...] = field(default=(), converter=_tuple)
    lines: tuple[ServicePayment, ...] = field(default=(), converter=_tuple)
    service_start: dt.date | None = None
    service_end: dt.date | None = None
    patient_name: PatientName | None = field(default=None, repr=False)

    @property
    def is_reversal(self) -> bool:
        """CLP02 22: the payer takes back an earlier payment (amounts negated)."""
        return self.status == REVERSAL

    def all_adjustments(self) -> tuple[Adjustment, ...]:
        """The claim-level adjustments, then each line's, in file order."""
        return self.adjustments + tuple(a for line in self.lines for a in line.adjustments)


@frozen
class ProviderAdjustment:
    """One PLB reason: ``provider_id`` (PLB01), ``fiscal_period`` (PLB02), ``reason``
    (PLB03-1: ``WO`` overpayment recovery, ``L6`` interest, ``FB`` forwarding balance...),
    ``reference`` (PLB03-2, often the claim it concerns), ``amount`` (positive reduces the
    payment, negative -- interest owed to the provider -- increases it). One PLB segment
    carries up to six of these."""

    provider_id: str
    fiscal_period: dt.date
    reason: str
    amount: Decimal
    reference: str | None = None


@frozen
class Remittance:
    """One 835 transaction (ST..SE): one payment (or advice) from one payer to one payee.

    Envelope: ``interchange_control_number`` ISA13, ``group_control_number`` GS06,
    ``transaction_control_number`` ST02. BPR: ``handling_code`` BPR01 (``I`` payment with
    advice, ``H`` advice only, ``C`` payment and advice together...), ``total_paid`` BPR02,
    ``credit_debit`` BPR03 (``C``/``D``), ``payment_method`` BPR04 (``ACH``, ``CHK``,
    ``NON``...), ``paid_on`` BPR16. TRN: ``trace_number`` TRN02 (the check or EFT trace
    number: with ``originator_id`` TRN03 it names this payment, so posting is keyed by it),
    ``originator_id``. Payer (1000A): ``payer_name`` N1*PR N102, ``payer_id`` its N104 or
    REF*2U. Payee (1000B): ``payee_name``, ``payee_npi`` (N1*PE qualifier XX) and
    ``payee_tin`` (qualifier FI, or REF*TJ). ``production_date`` DTM*405."""

    interchange_control_number: str
    group_control_number: str
    transaction_control_number: str
    handling_code: str
    total_paid: Decimal
    credit_debit: str
    payment_method: str
    paid_on: dt.date
    trace_number: str
    originator_id: str
    payer_name: str
    payee_name: str
    payer_id: str | None = None
    payee_npi: str | None = None
    payee_tin: str | None = None
    production_date: dt.date | None = None
    claims: tuple[ClaimPayment, ...] = field(default=(), converter=_tuple)
    provider_adjustments: tuple[ProviderAdjustment, ...] = field(default=(), converter=_tuple)

    @property
    def signed_total(self) -> Decimal:
        """BPR02 with its sign: negative when BPR03 is ``D`` (the payee owes the payer)."""
        return -self.total_paid if self.credit_debit == "D" else self.total_paid


# -- Code descriptions: supplied by the practice ---------------------------------------------

#: The largest descriptions file read (the full CARC and RARC lists together are well under 1 MiB).
MAX_DESCRIPTIONS_BYTES = 4 * 1024 * 1024


def load_code_descriptions(path: str | os.PathLike) -> dict[str, str]:
    """Descriptions of adjustment and remark codes (CARC, RARC) from a CSV the practice
    supplies: a header ``code,description``, then one code a row. payerkit ships codes only:
    X12 owns the texts and its licence does not let payerkit redistribute them, so a practice
    that has them (from X12, or its clearinghouse) points payerkit at its own copy.

    A file that is not there, too large (:data:`MAX_DESCRIPTIONS_BYTES`), not UTF-8, without
    the header, with a row of another number of fields, an empty code or description, or a
    code given twice raises :class:`~payerkit.errors.RemittanceError` listing every problem
    with its line number."""
    from ..files import FileTooLarge, read_regular

    shown = repr(os.fspath(path))
    try:
        raw = read_regular(path, MAX_DESCRIPTIONS_BYTES)
    except FileNotFoundError:
        raise RemittanceError([f"code descriptions: no such file {shown}"]) from None
    except FileTooLarge:
        raise RemittanceError([f"code descriptions: {shown} is larger than "
                               f"{MAX_DESCRIPTIONS_BYTES // (1024 * 1024)} MiB"]) from None
    except OSError as exc:
        raise RemittanceError([f"code descriptions: cannot read {shown} "
                               f"({exc.strerror or type(exc).__name__})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise RemittanceError([f"code descriptions: {shown} line {line}: not UTF-8 text"]) from None
    return parse_code_descriptions(text, shown)


def parse_code_descriptions(text: str, name: str = "code descriptions") -> dict[str, str]:
    """:func:`load_code_descriptions` on text already read."""
    problems: list[str] = []
    found: dict[str, str] = {}
    first_line: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header] != ["code", "description"]:
            raise RemittanceError([f"{name} line 1: expected the header 'code,description'"])
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != 2:
                problems.append(f"{name} line {line}: expected 2 fields (code,description), "
                                f"got {len(row)}")
                continue
            code, description = row[0].strip(), row[1].strip()
            if not code or not description:
                problems.append(f"{name} line {line}: "
                                f"{'code' if not code else 'description'} is empty")
                continue
            if code in found:
                problems.append(f"{name} line {line}: code {code!r} already given on line "
                                f"{first_line[code]}")
                continue
            found[code], first_line[code] = description, line
    except csv.Error as exc:
        problems.append(f"{name} line {reader.line_num}: not valid CSV ({exc})")
    if problems:
        raise RemittanceError(problems)
    return found


__all__ = [
    "ADJUSTMENT_GROUPS", "DENIED", "REVERSAL", "Adjustment", "ClaimPayment", "PatientName",
    "ProviderAdjustment", "Remittance", "ServicePayment", "load_code_descriptions",
    "parse_code_descriptions",
]

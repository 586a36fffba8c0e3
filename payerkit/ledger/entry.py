"""What the ledger records of a claim written: a :class:`ClaimEntry`, built from the
evaluation that wrote it.

Every door that writes a claim (``payerkit claim -o``, ``payerkit batch``, the HTTP API)
builds the entry with :func:`claim_entry` and hands it to :meth:`Ledger.record
<payerkit.ledger.Ledger.record>`; batch workers build it beside the claim and send it to
the driver (small, picklable). Amounts are integer cents here already: the ledger's tables
hold nothing else.

Each line's **expected allowed amount** is its pricing's ``allowed`` (the fee schedule's
amount, or the charge when the practice's cash rate is lower), ``None`` when the pricing
did not know it. The **due date** is the day the claim was written plus the fewest days
any payment term gives (``payerkit_payment_terms``); the ledger counts from the day the
claim was written, since payerkit does not know when the payer received it, and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from attrs import frozen

from ..claims import BASE32
from ..model import Evaluation, PatientBilling, PaymentTerms
from ..paths import visit_index


@frozen
class LineEntry:
    """A claim line: its number on the claim and its control number (837P REF*6R, which
    an 835 echoes in its own REF*6R), what was billed, and the allowed amount expected."""

    number: int
    control_number: str | None
    date: dt.date
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge_cents: int
    expected_cents: int | None


@frozen
class ClaimEntry:
    """A claim written, as the ledger records it (``practice``, ``patient``, ``terms`` and
    ``patient_billing`` as JSON text)."""

    claim_id: str
    frequency: str
    program: str
    payer_id: str
    payer_name: str
    format: str
    written_on: dt.date
    practice_npi: str
    practice: str
    patient_key: str
    patient: str
    lines: tuple[LineEntry, ...]
    due_on: dt.date | None
    terms: str
    patient_billing: str
    interchange: str | None = None
    transaction: str | None = None

    @property
    def charge_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)

    @property
    def expected_cents(self) -> int | None:
        amounts = [line.expected_cents for line in self.lines]
        return None if None in amounts else sum(amounts)

    @property
    def content(self) -> str:
        """A digest of what was billed (not of when or in which file): writing the same
        claim again is the same content."""
        lines = [(line.number, line.date.isoformat(), line.code, line.modifiers, line.units,
                  line.charge_cents) for line in self.lines]
        text = json.dumps([self.claim_id, self.frequency, self.program, self.payer_id, lines])
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def placed(self, interchange: object, transaction: object) -> ClaimEntry:
        """The entry with the X12 control numbers of the file it went into."""
        from attrs import evolve

        return evolve(self, interchange=None if interchange is None else f"{interchange:>09}",
                      transaction=None if transaction is None else str(transaction))


def to_cents(amount: Decimal) -> int:
    """Dollars (to the cent, as payerkit's amounts are) as integer cents; refuses a
    fraction of a cent rather than rounding it a second time."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError("an amount with a fraction of a cent reached the ledger")
    return int(value)


def patient_key(first_name: str, last_name: str, birth_date: dt.date) -> str:
    """The ledger's short number for a patient (``P`` and 9 letters and digits): the same
    for the same name and birth date, whatever the case or the claim; statements are asked
    for by it (``payerkit ledger statement P...``)."""
    text = f"{last_name.strip().casefold()}|{first_name.strip().casefold()}|{birth_date}"
    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:6],
                            "big")
    return "P" + "".join(BASE32[digest >> shift & 31] for shift in range(40, -1, -5))


def due_on(written_on: dt.date, terms: PaymentTerms) -> dt.date | None:
    days = [t.days for t in terms.terms if t.days is not None]
    if not days:
        return None
    try:
        return written_on + dt.timedelta(days=min(days))
    except OverflowError:
        return None


#: The JSON of the last payment terms and billing rules seen, by the identity of their
#: records (a plugin's constants: the same objects case after case), holding the records
#: so that an id is never reused while it is a key.
_SAID: dict[tuple, tuple[object, str]] = {}


def _said(records: tuple, make) -> str:
    key = tuple(map(id, records))
    found = _SAID.get(key)
    if found is None:
        if len(_SAID) > 256:
            _SAID.clear()
        found = _SAID[key] = (records, make())
    return found[1]


def terms_json(terms: PaymentTerms) -> str:
    return _said(terms.terms, lambda: _terms_json(terms))


def _terms_json(terms: PaymentTerms) -> str:
    return json.dumps([{
        "name": t.name, "description": t.description, "days": t.days,
        "interest_per_month": _text(t.interest_per_month),
        "interest_after_days": t.interest_after_days,
        "interest_minimum_per_month": _text(t.interest_minimum_per_month),
        "interest_condition": t.interest_condition,
        "citation": _citation(t.citation)} for t in terms.terms])


def billing_json(billing: PatientBilling) -> str:
    return _said((billing,), lambda: _billing_json(billing))


def _billing_json(billing: PatientBilling) -> str:
    return json.dumps({"rule": billing.rule, "description": billing.description,
                       "citation": _citation(billing.citation)})


def _citation(citation) -> dict | None:
    if citation is None:
        return None
    return {"source": citation.source, "edition": citation.edition,
            "confidence": citation.confidence}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def claim_entry(ev: Evaluation, format: str, written_on: dt.date) -> ClaimEntry:
    """The ledger's entry for the claim ``ev`` wrote in ``format`` on ``written_on``."""
    from ..converter import CONVERTER

    claim = ev.claim
    if claim is None:
        raise ValueError("only a clean evaluation's claim is recorded")
    expected = _expected(ev)
    lines = tuple(
        LineEntry(n, line.control_number, line.date, line.code, tuple(line.modifiers),
                  line.units, to_cents(line.charge), expected.get((line.visit, line.service)))
        for n, line in enumerate(claim.lines, start=1))
    patient = claim.patient
    return ClaimEntry(
        claim.id, claim.frequency, claim.program_id, claim.payer_id or "", claim.payer_name,
        format, written_on, claim.billing.npi,
        json.dumps(CONVERTER.unstructure(claim.billing), sort_keys=True),
        patient_key(patient.first_name, patient.last_name, patient.birth_date),
        json.dumps(CONVERTER.unstructure(patient), sort_keys=True),
        lines, due_on(written_on, ev.payment_terms), terms_json(ev.payment_terms),
        billing_json(ev.patient_billing))


def _expected(ev: Evaluation) -> dict[tuple[int, int], int | None]:
    """Each priced line's allowed amount in cents, by (visit index in the case, line)."""
    found: dict[tuple[int, int], int | None] = {}
    for visit, pricing in zip(ev.visits, ev.pricings, strict=True):
        index = visit_index(ev.case, visit)
        for j, line in enumerate(pricing.lines):
            found[(index, j)] = None if line.allowed is None else to_cents(line.allowed)
    return found


def x12_control_numbers(data: bytes) -> tuple[str | None, str | None]:
    """ISA13 and the first ST02 of an X12 file payerkit wrote (ISA is fixed-width: its
    element separator is byte 3, its segment terminator byte 105)."""
    if len(data) < 106 or not data.startswith(b"ISA"):
        return None, None
    sep, end = data[3:4], data[105:106]
    isa13 = data.split(end, 1)[0].split(sep)[13].decode("ascii", "replace")
    transaction = None
    for segment in data.split(end, 3)[1:3]:
        parts = segment.strip().split(sep)
        if parts[0] == b"ST" and len(parts) > 2:
            transaction = parts[2].decode("ascii", "replace")
    return isa13, transaction

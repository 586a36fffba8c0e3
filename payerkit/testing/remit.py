"""A small X12 835 writer for tests and benchmarks -- NOT a production 835 writer.

payerkit reads remittances; payers write them. This module turns
:mod:`payerkit.remittance.model` records back into an 835 so a test can build the file it
needs (a reversal, a file that does not balance, 10,000 claim payments, other separators)
and read it back. It writes a correct envelope (SE01, GE01 and IEA01 counted, control
numbers from the records) and what pyx12 needs to accept the file (N3/N4 and PER*BL for
the payer, NM1*QC for each claim), with invented addresses and contacts; it does not
check that the records make sense (a test writes broken files on purpose), and it
refuses a value that holds a separator (ValueError) rather than shift the elements.

    from payerkit.testing.remit import write_835, sample_remittance

    data = write_835([sample_remittance(claims=100)])
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal

from attrs import frozen

from ..formats.x12 import d8, number
from ..remittance.model import (
    Adjustment,
    ClaimPayment,
    PatientName,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)


@frozen
class Separators:
    """The delimiters an interchange declares in its ISA; ``newline`` is written after each
    segment terminator (``""``, ``"\\n"`` or ``"\\r\\n"``)."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    terminator: str = "~"
    newline: str = ""


#: Six CAS reason/amount/quantity triples, six PLB reason/amount pairs a segment.
_PER_SEGMENT = 6


def write_835(remittances: Sequence[Remittance], *, separators: Separators = Separators(),
              sender: str = "PAYERKITTEST", receiver: str = "PRACTICE",
              now: dt.datetime = dt.datetime(2026, 1, 15, 9, 30), usage: str = "T") -> bytes:
    """One interchange holding ``remittances``, one transaction each, in order; consecutive
    remittances with the same GS06 share a functional group. All must have the same ISA13."""
    if not remittances:
        raise ValueError("write_835 needs at least one remittance")
    isa13 = remittances[0].interchange_control_number
    if any(r.interchange_control_number != isa13 for r in remittances):
        raise ValueError("every remittance of one interchange has the same ISA13")
    s = separators
    w = _Writer(s)
    e, end = s.element, s.terminator + s.newline
    out = [e.join(["ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{sender:<15}", "ZZ",
                   f"{receiver:<15}", now.strftime("%y%m%d"), now.strftime("%H%M"), s.repetition,
                   "00501", isa13.rjust(9, "0"), "0", usage, s.component]) + end]
    groups = 0
    i = 0
    while i < len(remittances):
        gs06 = remittances[i].group_control_number
        j = i
        while j < len(remittances) and remittances[j].group_control_number == gs06:
            j += 1
        groups += 1
        out.append(w.seg("GS", "HP", sender, receiver, d8(now.date()), now.strftime("%H%M"),
                         gs06, "X", "005010X221A1"))
        for remittance in remittances[i:j]:
            out.append(w.transaction(remittance))
        out.append(w.seg("GE", str(j - i), gs06))
        i = j
    out.append(w.seg("IEA", str(groups), isa13.rjust(9, "0")))
    return "".join(out).encode("ascii")


class _Writer:
    def __init__(self, s: Separators):
        self.s = s
        self.forbidden = {s.element, s.component, s.repetition, s.terminator, "\r", "\n"}

    def value(self, v) -> str:
        if v is None:
            return ""
        if isinstance(v, Decimal):
            return number(v)
        if isinstance(v, dt.date):
            return d8(v)
        text = str(v)
        if any(c in self.forbidden for c in text):
            raise ValueError("a value holds a separator of the interchange")
        return text

    def comp(self, *parts) -> str:
        values = [self.value(p) for p in parts]
        while values and not values[-1]:
            values.pop()
        return self.s.component.join(values)

    def seg(self, tag: str, *elements) -> str:
        values = [self.value(v) if not isinstance(v, _Raw) else v.text for v in elements]
        while values and not values[-1]:
            values.pop()
        return self.s.element.join([tag, *values]) + self.s.terminator + self.s.newline

    def transaction(self, r: Remittance) -> str:
        body: list[str] = []
        add = body.append
        method = r.payment_method
        if method in ("ACH", "BOP", "FWT"):  # BPR05-BPR15 are required with an EFT
            add(self.seg("BPR", r.handling_code, r.total_paid, r.credit_debit, method, "CCP",
                         "01", "999999992", "DA", "123456", "1512345678", None, "01",
                         "999988880", "DA", "98765", r.paid_on))
        else:
            add(self.seg("BPR", r.handling_code, r.total_paid, r.credit_debit, method,
                         *([None] * 11), r.paid_on))
        add(self.seg("TRN", "1", r.trace_number, r.originator_id))
        if r.production_date is not None:
            add(self.seg("DTM", "405", r.production_date))
        add(self.seg("N1", "PR", r.payer_name))
        add(self.seg("N3", "100 TEST PAYER WAY"))
        add(self.seg("N4", "OLYMPIA", "WA", "98501"))
        if r.payer_id:
            add(self.seg("REF", "2U", r.payer_id))
        add(self.seg("PER", "BL", "EDI SUPPORT", "TE", "3605550100"))
        if r.payee_npi:
            add(self.seg("N1", "PE", r.payee_name, "XX", r.payee_npi))
            if r.payee_tin:
                add(self.seg("REF", "TJ", r.payee_tin))
        elif r.payee_tin:
            add(self.seg("N1", "PE", r.payee_name, "FI", r.payee_tin))
        else:
            raise ValueError("a payee needs an NPI or a TIN (N1*PE N103/N104 are required)")
        if r.claims:
            add(self.seg("LX", "1"))
        for claim in r.claims:
            self.claim(claim, add)
        for run in _runs(r.provider_adjustments, lambda a: (a.provider_id, a.fiscal_period)):
            elements: list = [run[0].provider_id, run[0].fiscal_period]
            for a in run:
                elements += [_Raw(self.comp(a.reason, a.reference)), a.amount]
            add(self.seg("PLB", *elements))
        st = self.seg("ST", "835", r.transaction_control_number)
        se = self.seg("SE", str(len(body) + 2), r.transaction_control_number)
        return st + "".join(body) + se

    def claim(self, c: ClaimPayment, add) -> None:
        add(self.seg("CLP", c.claim_id, c.status, c.charge, c.paid, c.patient_responsibility,
                     c.filing_indicator, c.payer_claim_number))
        self.cas(c.adjustments, add)
        name = c.patient_name
        if name is None:
            add(self.seg("NM1", "QC", "1"))
        else:
            add(self.seg("NM1", "QC", "1", name.last, name.first, name.middle))
        if c.service_start is not None:
            add(self.seg("DTM", "232", c.service_start))
        if c.service_end is not None:
            add(self.seg("DTM", "233", c.service_end))
        for line in c.lines:
            self.line(line, add)

    def line(self, s: ServicePayment, add) -> None:
        original = (_Raw(self.comp(s.original_qualifier, s.original_code, *s.original_modifiers))
                    if s.original_code else None)
        add(self.seg("SVC", _Raw(self.comp(s.qualifier, s.code, *s.modifiers)), s.charge,
                     s.paid, s.revenue_code, s.units, original, s.original_units))
        if s.date is not None and s.end_date is not None and s.end_date != s.date:
            add(self.seg("DTM", "150", s.date))
            add(self.seg("DTM", "151", s.end_date))
        elif s.date is not None:
            add(self.seg("DTM", "472", s.date))
        self.cas(s.adjustments, add)
        if s.control_number is not None:
            add(self.seg("REF", "6R", s.control_number))
        if s.allowed is not None:
            add(self.seg("AMT", "B6", s.allowed))
        for remark in s.remarks:
            add(self.seg("LQ", "HE", remark))

    def cas(self, adjustments: Iterable[Adjustment], add) -> None:
        for run in _runs(adjustments, lambda a: a.group):
            elements: list = [run[0].group]
            for a in run:
                elements += [a.reason, a.amount, a.quantity]
            add(self.seg("CAS", *elements))


@frozen
class _Raw:
    """An element already written (a composite)."""

    text: str


def _runs(items: Iterable, key) -> list[list]:
    """Consecutive items with the same key, at most six a run (one segment's worth)."""
    runs: list[list] = []
    for item in items:
        if runs and key(runs[-1][0]) == key(item) and len(runs[-1]) < _PER_SEGMENT:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


# -- Balanced remittances for tests and benchmarks ------------------------------------------

_CODES = ("97124", "97140", "97112", "97530")
_FIRST = ("ALEX", "SAM", "RIVER", "JORDAN", "CASEY", "QUINN")
_LAST = ("TESTPATIENT", "SAMPLE", "EXAMPLE", "INVENTED")


def sample_claim(index: int, rng: random.Random, day: dt.date = dt.date(2026, 1, 5)) -> ClaimPayment:
    """A balanced claim payment of one or two 15-minute massage lines: paid in full, paid
    less a contractual CO-45 and the patient's PR-1/PR-2, or denied (CO-50), chosen by
    ``rng``. Invented patients."""
    lines = []
    for n in range(rng.choice((1, 2))):
        code = _CODES[(index + n) % len(_CODES)]
        units = Decimal(rng.randint(1, 4))
        charge = units * Decimal("35.00")
        kind = rng.random()
        if kind < 0.1:
            adjustments = (Adjustment("CO", "50", charge),)
        elif kind < 0.3:
            adjustments = ()
        else:
            contractual = (charge * Decimal("0.2")).quantize(Decimal("0.01"))
            deductible = Decimal(rng.choice(("0", "10.00", "20.00")))
            coinsurance = ((charge - contractual - deductible) * Decimal("0.2")).quantize(
                Decimal("0.01"))
            adjustments = tuple(a for a in (Adjustment("CO", "45", contractual),
                                            Adjustment("PR", "1", deductible),
                                            Adjustment("PR", "2", coinsurance)) if a.amount)
        paid = charge - sum((a.amount for a in adjustments), Decimal(0))
        lines.append(ServicePayment("HC", code, charge, paid, modifiers=("GP",), units=units,
                                    date=day, control_number=f"L{index}X{n + 1}",
                                    adjustments=adjustments,
                                    remarks=("N130",) if paid == 0 else ()))
    charge = sum((line.charge for line in lines), Decimal(0))
    paid = sum((line.paid for line in lines), Decimal(0))
    patient = sum((a.amount for line in lines for a in line.adjustments if a.group == "PR"),
                  Decimal(0))
    return ClaimPayment(f"PK{index:07d}", "1", charge, paid, "12", f"PAYER{index:09d}",
                        patient_responsibility=patient, lines=lines, service_start=day,
                        patient_name=PatientName(_LAST[index % len(_LAST)],
                                                 _FIRST[index % len(_FIRST)]))


def sample_remittance(claims: int = 10, seed: int = 835, *, trace: str = "EFT0001",
                      st02: str = "0001", interest: bool = True) -> Remittance:
    """A balanced remittance of ``claims`` claim payments (:func:`sample_claim`), with a PLB
    of interest (L6, negative: it adds to the payment) when ``interest``."""
    rng = random.Random(seed)
    payments = tuple(sample_claim(i + 1, rng) for i in range(claims))
    plb = (ProviderAdjustment("1234567893", dt.date(2026, 12, 31), "L6", Decimal("-1.25")),
           ) if interest else ()
    total = sum((c.paid for c in payments), Decimal(0)) - sum((a.amount for a in plb), Decimal(0))
    return Remittance(
        interchange_control_number="000000001", group_control_number="1",
        transaction_control_number=st02, handling_code="I", total_paid=total,
        credit_debit="C", payment_method="ACH", paid_on=dt.date(2026, 1, 20),
        trace_number=trace, originator_id="1999999999", payer_name="TEST HEALTH PLAN",
        payer_id="99999", payee_name="INVENTED MASSAGE CLINIC", payee_npi="1234567893",
        payee_tin="911234567", production_date=dt.date(2026, 1, 19), claims=payments,
        provider_adjustments=plb)


__all__ = ["Separators", "sample_claim", "sample_remittance", "write_835"]

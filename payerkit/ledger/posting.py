"""Posting an 835: every transaction checked, then all of it posted in one transaction.

1. The file is read (:func:`payerkit.remittance.read_835`) and every transaction's
   balancing rules are checked (:func:`payerkit.remittance.check_balance`); a file with
   any problem is not posted at all (:class:`~payerkit.errors.NotPosted`, exit status 1),
   its problems listed.
2. A transaction whose trace number (TRN02) and payer (TRN03) the ledger already holds is
   skipped: the same file posted twice posts once. The unique index on the two is the last
   word when two processes post at the same moment: the later one's whole transaction is
   rolled back and tried again, and then finds the payment posted.
3. Each claim payment (CLP) is matched to the claim recorded with its patient control
   number (CLP01 = the claim id payerkit wrote in CLM01; the latest recorded when the claim
   was replaced); each service line (SVC) to the claim's line with its line item control
   number (REF*6R, which payerkit writes for every line), else to the first line of the
   same code, date and charge not yet matched. A payment that matches no claim is kept and
   listed (``unmatched``): it may be for a claim written elsewhere.
4. A matched claim's totals follow: paid (CLP04, negative in a reversal), the patient's
   share (the CAS group ``PR`` amounts), its status — ``reversed`` after a reversal
   (CLP02 22), else ``paid`` when anything is paid, ``patient`` when all of it is the
   patient's (a deductible), ``denied`` when nothing is paid and nothing is the patient's —
   and the date of the last payment (BPR16).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from attrs import frozen

from ..errors import LedgerError, NotPosted
from . import tables as t
from .entry import to_cents


@frozen
class Unmatched:
    """A claim payment that matches no claim in the ledger (CLP01, the payer's claim
    number, what it paid)."""

    claim_id: str
    payer_claim_number: str | None
    paid: Decimal
    trace_number: str


@frozen
class Posted:
    """What :func:`post` did with a file."""

    transactions: int
    posted: tuple[str, ...]          # trace numbers posted now
    already: tuple[str, ...]         # trace numbers posted before (skipped)
    claims: int                      # claim payments posted now
    matched: int                     # of which matched a claim
    unmatched: tuple[Unmatched, ...]
    paid: Decimal                    # BPR02 of the transactions posted now

    def json(self) -> dict:
        return {"transactions": self.transactions, "posted": list(self.posted),
                "already_posted": list(self.already), "claim_payments": self.claims,
                "matched": self.matched, "paid": str(self.paid),
                "unmatched": [{"claim_id": u.claim_id, "payer_claim_number": u.payer_claim_number,
                               "paid": str(u.paid), "trace_number": u.trace_number}
                              for u in self.unmatched]}


def post(ledger, data: bytes, posted_on: dt.date | None = None) -> Posted:
    """Post the 835 ``data`` into ``ledger`` (see the module's docstring)."""
    import sqlalchemy as sa

    from ..remittance import check_balance, read_835

    remittances = read_835(data)
    problems = []
    for n, remittance in enumerate(remittances, start=1):
        for problem in check_balance(remittance):
            problems.append(f"transaction {n} (trace {remittance.trace_number}): "
                            f"{problem.message}")
    if problems:
        raise NotPosted(["the file does not balance, so nothing in it was posted:", *problems])
    digest = hashlib.sha256(data).hexdigest()
    posted_on = posted_on or dt.date.today()
    for attempt in (1, 2):
        try:
            with ledger.engine.begin() as conn:
                return _Poster(conn, digest, posted_on).post(remittances)
        except sa.exc.IntegrityError:
            if attempt == 2:
                raise LedgerError("cannot post the file: another process kept posting the "
                                  "same payments; try again") from None
        except sa.exc.SQLAlchemyError as exc:
            from .database import _reason

            raise LedgerError(f"cannot post the file: {_reason(exc)}") from None
    raise AssertionError("unreachable")


class _Poster:
    def __init__(self, conn, digest: str, posted_on: dt.date):
        self.conn, self.digest, self.posted_on = conn, digest, posted_on

    def post(self, remittances) -> Posted:
        import sqlalchemy as sa

        posted, already, unmatched = [], [], []
        claims = matched = 0
        paid = Decimal(0)
        for remittance in remittances:
            found = self.conn.execute(sa.select(t.remittances.c.id).where(
                t.remittances.c.trace == remittance.trace_number,
                t.remittances.c.originator == remittance.originator_id)).first()
            if found is not None:
                already.append(remittance.trace_number)
                continue
            remit_id = self._remittance(remittance)
            for payment in remittance.claims:
                claims += 1
                if self._claim_payment(remit_id, remittance, payment):
                    matched += 1
                else:
                    unmatched.append(Unmatched(payment.claim_id, payment.payer_claim_number,
                                               payment.paid, remittance.trace_number))
            if remittance.provider_adjustments:
                self.conn.execute(t.provider_adjustments.insert(), [
                    dict(remittance_id=remit_id, reason=adj.reason, reference=adj.reference,
                         amount_cents=to_cents(adj.amount))
                    for adj in remittance.provider_adjustments])
            posted.append(remittance.trace_number)
            paid += remittance.total_paid if remittance.credit_debit != "D" \
                else -remittance.total_paid
        return Posted(len(remittances), tuple(posted), tuple(already), claims, matched,
                      tuple(unmatched), paid)

    def _remittance(self, remittance) -> int:
        return self.conn.execute(t.remittances.insert().values(
            trace=remittance.trace_number, originator=remittance.originator_id,
            payer_id=remittance.payer_id, payer_name=(remittance.payer_name or "")[:120],
            interchange=remittance.interchange_control_number,
            paid_cents=to_cents(remittance.total_paid), method=remittance.payment_method,
            paid_on=remittance.paid_on, posted_on=self.posted_on,
            file_digest=self.digest)).inserted_primary_key[0]

    def _claim_payment(self, remit_id: int, remittance, payment) -> bool:
        """Post one CLP; whether it matched a claim."""
        import sqlalchemy as sa

        claim = self.conn.execute(
            sa.select(t.claims.c.id, t.claims.c.paid_cents, t.claims.c.patient_cents)
            .where(t.claims.c.claim_id == payment.claim_id)
            .order_by(t.claims.c.id.desc()).limit(1)).first()
        claim_row = None if claim is None else claim.id
        payment_id = self.conn.execute(t.claim_payments.insert().values(
            remittance_id=remit_id, claim_id=claim_row, patient_control=payment.claim_id,
            status_code=payment.status, charge_cents=to_cents(payment.charge),
            paid_cents=to_cents(payment.paid),
            patient_cents=None if payment.patient_responsibility is None
            else to_cents(payment.patient_responsibility),
            payer_claim_number=payment.payer_claim_number)).inserted_primary_key[0]
        self._adjustments(payment_id, None, payment.adjustments)
        patient = _patient_share(payment.adjustments)
        lines = self._claim_lines(claim_row) if claim_row is not None else []
        for service in payment.lines:
            line = _match(lines, service)
            line_id = None if line is None else line["id"]
            line_payment = self.conn.execute(t.line_payments.insert().values(
                claim_payment_id=payment_id, claim_line_id=line_id,
                control_number=service.control_number, code=service.code,
                service_date=service.date, units=str(service.units),
                charge_cents=to_cents(service.charge),
                paid_cents=to_cents(service.paid))).inserted_primary_key[0]
            self._adjustments(payment_id, line_payment, service.adjustments)
            if service.remarks:
                self.conn.execute(t.remarks.insert(), [
                    dict(claim_payment_id=payment_id, line_payment_id=line_payment, code=code)
                    for code in service.remarks])
            share = _patient_share(service.adjustments)
            patient += share
            if line is not None:
                self.conn.execute(t.claim_lines.update().where(t.claim_lines.c.id == line_id)
                                  .values(paid_cents=t.claim_lines.c.paid_cents
                                          + to_cents(service.paid),
                                          patient_cents=t.claim_lines.c.patient_cents
                                          + to_cents(share)))
        if claim is None:
            return False
        paid_cents = claim.paid_cents + to_cents(payment.paid)
        patient_cents = claim.patient_cents + to_cents(patient)
        self.conn.execute(t.claims.update().where(t.claims.c.id == claim.id).values(
            paid_cents=paid_cents, patient_cents=patient_cents,
            status=_status(payment.status, paid_cents, patient_cents),
            paid_on=remittance.paid_on))
        return True

    def _claim_lines(self, claim: int) -> list[dict]:
        import sqlalchemy as sa

        rows = self.conn.execute(sa.select(
            t.claim_lines.c.id, t.claim_lines.c.control_number, t.claim_lines.c.code,
            t.claim_lines.c.service_date, t.claim_lines.c.charge_cents)
            .where(t.claim_lines.c.claim_id == claim).order_by(t.claim_lines.c.number))
        return [dict(row._mapping, taken=False) for row in rows]

    def _adjustments(self, payment_id: int, line_payment: int | None, adjustments) -> None:
        if adjustments:
            self.conn.execute(t.adjustments.insert(), [
                dict(claim_payment_id=payment_id, line_payment_id=line_payment,
                     group_code=adj.group, reason=adj.reason, amount_cents=to_cents(adj.amount))
                for adj in adjustments])


def _patient_share(adjustments) -> Decimal:
    return sum((adj.amount for adj in adjustments if adj.group == "PR"), Decimal(0))


def _match(lines: list[dict], service) -> dict | None:
    """The claim line an SVC pays: by its line item control number (REF*6R), else the
    first untaken line of the same code, date and charge. A line is matched once per
    claim payment; a reversal and its correction each match it in their own."""
    if service.control_number is not None:
        for line in lines:
            if line["control_number"] == service.control_number and not line["taken"]:
                line["taken"] = True
                return line
    charge = to_cents(abs(service.charge))
    for line in lines:
        if (not line["taken"] and line["code"] == service.code
                and (service.date is None or line["service_date"] == service.date)
                and line["charge_cents"] == charge):
            line["taken"] = True
            return line
    return None


def _status(code: str, paid_cents: int, patient_cents: int) -> str:
    if code == "22":
        return "reversed"
    if paid_cents > 0:
        return "paid"
    return "patient" if patient_cents > 0 else "denied"

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
from ..rules.money import format_money
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
                "matched": self.matched, "paid": format_money(self.paid),
                "unmatched": [{"claim_id": u.claim_id, "payer_claim_number": u.payer_claim_number,
                               "paid": format_money(u.paid), "trace_number": u.trace_number}
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
    """Posts a file's transactions with few statements: the claims and their lines read
    in chunks, payments, lines, adjustments and remarks inserted many at a time
    (``RETURNING`` their ids, in order), the claims' and lines' totals updated many at a
    time."""

    CHUNK = 500

    def __init__(self, conn, digest: str, posted_on: dt.date):
        self.conn, self.digest, self.posted_on = conn, digest, posted_on

    def post(self, remittances) -> Posted:
        import sqlalchemy as sa

        posted, already, unmatched = [], [], []
        claims = matched = 0
        paid = Decimal(0)
        todo = []
        for remittance in remittances:
            found = self.conn.execute(sa.select(t.remittances.c.id).where(
                t.remittances.c.trace == remittance.trace_number,
                t.remittances.c.originator == remittance.originator_id)).first()
            if found is not None or any(r.trace_number == remittance.trace_number and
                                        r.originator_id == remittance.originator_id
                                        for r in todo):
                already.append(remittance.trace_number)
                continue
            todo.append(remittance)
        known = self._claims({p.claim_id for r in todo for p in r.claims})
        lines = self._lines({row.id for row in known.values()})
        totals: dict[int, list] = {}  # claim row: [paid cents, patient cents, last code, paid on]
        line_totals: dict[int, list] = {}  # claim line row: [paid cents, patient cents]
        for remittance in todo:
            remit_id = self._remittance(remittance)
            payment_ids = self._insert(t.claim_payments, [dict(
                remittance_id=remit_id,
                claim_id=known[p.claim_id].id if p.claim_id in known else None,
                patient_control=p.claim_id, status_code=p.status,
                charge_cents=to_cents(p.charge), paid_cents=to_cents(p.paid),
                patient_cents=None if p.patient_responsibility is None
                else to_cents(p.patient_responsibility),
                payer_claim_number=p.payer_claim_number) for p in remittance.claims])
            adjustments, remarks, services = [], [], []
            for payment, payment_id in zip(remittance.claims, payment_ids, strict=True):
                claims += 1
                claim = known.get(payment.claim_id)
                adjustments += _adjustment_rows(payment_id, None, payment.adjustments)
                patient = _patient_share(payment.adjustments)
                taken = [dict(line, taken=False) for line in lines.get(claim.id, [])] \
                    if claim is not None else []
                for service in payment.lines:
                    line = _match(taken, service)
                    services.append((payment_id, service, None if line is None else line["id"]))
                    share = _patient_share(service.adjustments)
                    patient += share
                    if line is not None:
                        add = line_totals.setdefault(line["id"], [0, 0])
                        add[0] += to_cents(service.paid)
                        add[1] += to_cents(share)
                if claim is None:
                    unmatched.append(Unmatched(payment.claim_id, payment.payer_claim_number,
                                               payment.paid, remittance.trace_number))
                    continue
                matched += 1
                total = totals.setdefault(claim.id, [claim.paid_cents, claim.patient_cents,
                                                     None, None])
                total[0] += to_cents(payment.paid)
                total[1] += to_cents(patient)
                total[2], total[3] = payment.status, remittance.paid_on
            line_ids = self._insert(t.line_payments, [dict(
                claim_payment_id=payment_id, claim_line_id=line_id,
                control_number=service.control_number, code=service.code,
                service_date=service.date, units=str(service.units),
                charge_cents=to_cents(service.charge), paid_cents=to_cents(service.paid))
                for payment_id, service, line_id in services])
            for (payment_id, service, _), line_payment in zip(services, line_ids, strict=True):
                adjustments += _adjustment_rows(payment_id, line_payment, service.adjustments)
                remarks += [dict(claim_payment_id=payment_id, line_payment_id=line_payment,
                                 code=code) for code in service.remarks]
            for table, rows in ((t.adjustments, adjustments), (t.remarks, remarks),
                                (t.provider_adjustments, [dict(
                                    remittance_id=remit_id, reason=adj.reason,
                                    reference=adj.reference, amount_cents=to_cents(adj.amount))
                                    for adj in remittance.provider_adjustments])):
                if rows:
                    self.conn.execute(table.insert(), rows)
            posted.append(remittance.trace_number)
            paid += remittance.total_paid if remittance.credit_debit != "D" \
                else -remittance.total_paid
        self._update_totals(totals, line_totals)
        return Posted(len(remittances), tuple(posted), tuple(already), claims, matched,
                      tuple(unmatched), paid)

    def _claims(self, claim_ids: set[str]) -> dict:
        """The claim each CLP01 names: the latest recorded with that id."""
        import sqlalchemy as sa

        c, found = t.claims, {}
        ids = sorted(claim_ids)
        for start in range(0, len(ids), self.CHUNK):
            for row in self.conn.execute(
                    sa.select(c.c.id, c.c.claim_id, c.c.paid_cents, c.c.patient_cents)
                    .where(c.c.claim_id.in_(ids[start:start + self.CHUNK])).order_by(c.c.id)):
                found[row.claim_id] = row
        return found

    def _lines(self, claims: set[int]) -> dict[int, list[dict]]:
        import sqlalchemy as sa

        lines, found = t.claim_lines, {}
        ids = sorted(claims)
        for start in range(0, len(ids), self.CHUNK):
            for row in self.conn.execute(
                    sa.select(lines.c.id, lines.c.claim_id, lines.c.control_number, lines.c.code,
                              lines.c.service_date, lines.c.charge_cents)
                    .where(lines.c.claim_id.in_(ids[start:start + self.CHUNK]))
                    .order_by(lines.c.claim_id, lines.c.number)):
                found.setdefault(row.claim_id, []).append(dict(row._mapping))
        return found

    def _insert(self, table, rows: list[dict]) -> list[int]:
        if not rows:
            return []
        return list(self.conn.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True), rows).scalars())

    def _remittance(self, remittance) -> int:
        return self.conn.execute(t.remittances.insert().values(
            trace=remittance.trace_number, originator=remittance.originator_id,
            payer_id=remittance.payer_id, payer_name=(remittance.payer_name or "")[:120],
            interchange=remittance.interchange_control_number,
            paid_cents=to_cents(remittance.total_paid), method=remittance.payment_method,
            paid_on=remittance.paid_on, posted_on=self.posted_on,
            file_digest=self.digest)).inserted_primary_key[0]

    def _update_totals(self, totals: dict, line_totals: dict) -> None:
        import sqlalchemy as sa

        c, lines = t.claims, t.claim_lines
        if totals:
            self.conn.execute(
                c.update().where(c.c.id == sa.bindparam("row")).values(
                    paid_cents=sa.bindparam("paid"), patient_cents=sa.bindparam("patient"),
                    status=sa.bindparam("status"), paid_on=sa.bindparam("on")),
                [dict(row=row, paid=paid, patient=patient, status=_status(code, paid, patient),
                      on=on) for row, (paid, patient, code, on) in totals.items()])
        if line_totals:
            self.conn.execute(
                lines.update().where(lines.c.id == sa.bindparam("row")).values(
                    paid_cents=lines.c.paid_cents + sa.bindparam("paid"),
                    patient_cents=lines.c.patient_cents + sa.bindparam("patient")),
                [dict(row=row, paid=paid, patient=patient)
                 for row, (paid, patient) in line_totals.items()])


def _adjustment_rows(payment_id: int, line_payment: int | None, adjustments) -> list[dict]:
    return [dict(claim_payment_id=payment_id, line_payment_id=line_payment, group_code=adj.group,
                 reason=adj.reason, amount_cents=to_cents(adj.amount)) for adj in adjustments]


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

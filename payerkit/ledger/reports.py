"""What the ledger reports: claims, aging with prompt-pay interest, denials, underpayments.

Every report reads the ledger and computes dates and money in Python (``Decimal`` from
integer cents), so SQLite and PostgreSQL give the same answer.

**Aging.** Claims the payer has not decided (status ``open``, or ``reversed`` awaiting the
corrected decision), by payer, in buckets of days since the claim was written: 0–30,
31–60, 61–90, 90+. Each claim shows its due date (the payment terms' fewest days after the
day written) and, when late, the interest its program's terms give (``payerkit terms``):

    interest = principal × rate a month × days / 30, from the day after
               ``interest_after_days`` until the report's day,

never less than the terms' ``interest_minimum_per_month`` for each month or part of one;
rounded once, half up, to the cent. The principal is the claim's expected allowed amount
(the charge when the pricing did not know it), less what was paid. The 30-day month is New
York's rule (11 NYCRR 65-3.9(a)); for other programs it is payerkit's reading of "a month,
prorated", and the report says so. Interest with a condition (Washington's is owed only
while the carrier misses its prompt-pay standard) is shown as "may be owed", never as owed.
payerkit counts from the day the claim was written, not the payer's receipt (which it does
not know): a claim mailed or sent later is due later.

**Denials** sum the adjustments of claim payments that paid nothing and left nothing to
the patient (a deductible is not a denial), by group and reason code. **Underpayments**
compare each line the payer decided with its expected allowed
amount: the payer's allowed amount is what it paid plus what it assigned to the patient
(group ``PR``); less than expected is an underpayment, by the difference.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

from attrs import frozen

from ..rules.money import MONEY, format_money
from . import tables as t

BUCKETS = ("0-30", "31-60", "61-90", "90+")
AWAITING = ("open", "reversed")
STATUSES = ("open", "paid", "patient", "denied", "reversed")
COUNTED_FROM = ("days count from the day each claim was written: payerkit does not know when "
                "the payer received it")
MONTH = ("a month is 30 days: New York no-fault's rule (11 NYCRR 65-3.9(a)); for other "
         "programs payerkit's reading of 'a month, prorated'")


def money(cents: int | None) -> str | None:
    """Integer cents as output shows money (:func:`payerkit.rules.money.format_money`)."""
    return None if cents is None else format_money(Decimal(cents) / 100)


def bucket(age: int) -> str:
    if age <= 30:
        return BUCKETS[0]
    if age <= 60:
        return BUCKETS[1]
    return BUCKETS[2] if age <= 90 else BUCKETS[3]


@frozen
class Interest:
    """Interest a late claim earns under its program's terms, to a day."""

    amount: Decimal
    rate_per_month: Decimal
    from_day: dt.date
    days: int
    condition: str | None
    term: str
    citation: dict | None

    def json(self) -> dict:
        return {"amount": str(self.amount), "owed": "may be owed" if self.condition else "owed",
                "condition": self.condition, "rate_per_month": str(self.rate_per_month),
                "from": self.from_day.isoformat(), "days": self.days, "term": self.term,
                "citation": self.citation}


def interest(terms: list[dict], written_on: dt.date, principal_cents: int,
             on: dt.date) -> Interest | None:
    """The interest the first interest term of ``terms`` gives on ``on`` (``None``: none)."""
    for term in terms:
        rate, after = term.get("interest_per_month"), term.get("interest_after_days")
        if rate is None or after is None:
            continue
        start = written_on + dt.timedelta(days=after + 1)
        if on < start or principal_cents <= 0:
            return None
        days = (on - start).days + 1
        rate = Decimal(rate)
        amount = MONEY.multiply(Decimal(principal_cents) / 100, rate * days / 30)
        minimum = term.get("interest_minimum_per_month")
        if minimum is not None:
            months = -(-days // 30)  # each month or part of one
            amount = max(amount, Decimal(minimum) * months)
        return Interest(amount.quantize(Decimal("0.01"), ROUND_HALF_UP), rate, start, days,
                        term.get("interest_condition"), term.get("name", ""),
                        term.get("citation"))
    return None


def _terms(conn) -> dict[int, list]:
    """Every ``claim_rules`` row's payment terms, read once (a program's claims share one)."""
    import sqlalchemy as sa

    return {row.id: json.loads(row.terms)
            for row in conn.execute(sa.select(t.claim_rules.c.id, t.claim_rules.c.terms))}


def _claims_query(status: str | None = None):
    import sqlalchemy as sa

    c = t.claims
    query = sa.select(c.c.id, c.c.claim_id, c.c.frequency, c.c.program, c.c.payer_id,
                      c.c.payer_name, c.c.written_on, c.c.charge_cents, c.c.expected_cents,
                      c.c.paid_cents, c.c.patient_cents, c.c.status, c.c.due_on, c.c.paid_on,
                      c.c.rules_id, c.c.format, c.c.interchange, t.patients.c.patient_key
                      ).join(t.patients, t.patients.c.id == c.c.patient_id)
    if status is not None:
        query = query.where(c.c.status == status)
    return query.order_by(c.c.written_on, c.c.id)


def claims(conn, status: str | None = None) -> list[dict]:
    """Every claim (or those of ``status``), oldest first."""
    return [{
        "claim_id": r.claim_id, "frequency": r.frequency, "program": r.program,
        "payer_id": r.payer_id, "payer_name": r.payer_name, "patient": r.patient_key,
        "written_on": r.written_on.isoformat(), "format": r.format,
        "interchange": r.interchange, "status": r.status,
        "charge": money(r.charge_cents), "expected_allowed": money(r.expected_cents),
        "paid": money(r.paid_cents), "patient_responsibility": money(r.patient_cents),
        "due_on": r.due_on.isoformat() if r.due_on else None,
        "paid_on": r.paid_on.isoformat() if r.paid_on else None,
    } for r in conn.execute(_claims_query(status))]


def aging(conn, as_of: dt.date) -> dict:
    """Claims awaiting the payer, by payer and age, with due dates and interest."""
    terms = _terms(conn)
    payers: dict[tuple[str, str], dict] = {}
    rows = []
    totals = dict.fromkeys(BUCKETS, 0)
    query = _claims_query().where(t.claims.c.status.in_(AWAITING),
                                  t.claims.c.written_on <= as_of)
    for r in conn.execute(query):
        age = (as_of - r.written_on).days
        where = bucket(age)
        outstanding = r.charge_cents - r.paid_cents
        payer = payers.setdefault((r.payer_id, r.payer_name), {
            "payer_id": r.payer_id, "payer_name": r.payer_name, "claims": 0,
            "buckets": dict.fromkeys(BUCKETS, 0)})
        payer["claims"] += 1
        payer["buckets"][where] += outstanding
        totals[where] += outstanding
        principal = (r.expected_cents if r.expected_cents is not None else r.charge_cents) \
            - r.paid_cents
        owed = interest(terms[r.rules_id], r.written_on, principal, as_of)
        late = None if r.due_on is None or as_of <= r.due_on else (as_of - r.due_on).days
        rows.append({
            "claim_id": r.claim_id, "program": r.program, "payer_id": r.payer_id,
            "written_on": r.written_on.isoformat(), "age_days": age, "bucket": where,
            "outstanding": money(outstanding), "status": r.status,
            "due_on": r.due_on.isoformat() if r.due_on else None, "days_late": late,
            "interest": None if owed is None else {
                **owed.json(), "principal": money(principal),
                "month": MONTH},
            "no_due_date": None if r.due_on else _no_due(terms[r.rules_id]),
        })
    return {
        "as_of": as_of.isoformat(), "counted_from": COUNTED_FROM, "buckets": list(BUCKETS),
        "payers": [{**p, "buckets": {b: money(v) for b, v in p["buckets"].items()},
                    "total": money(sum(p["buckets"].values()))}
                   for p in sorted(payers.values(), key=lambda p: (p["payer_name"], p["payer_id"]))],
        "totals": {b: money(v) for b, v in totals.items()},
        "total": money(sum(totals.values())),
        "claims": rows,
    }


def _no_due(terms: list[dict]) -> str:
    if not terms:
        return "the program's plugin gives no payment terms"
    return "; ".join(term["description"] for term in terms)


def denials(conn, descriptions: dict[str, str] | None = None) -> dict:
    """What payments of nothing were adjusted for, by group and reason."""
    import sqlalchemy as sa

    a, p = t.adjustments, t.claim_payments
    pr = a.alias("pr")
    shared = sa.select(pr.c.id).where(pr.c.claim_payment_id == p.c.id, pr.c.group_code == "PR")
    query = (sa.select(a.c.group_code, a.c.reason, sa.func.count(sa.distinct(p.c.id)),
                       sa.func.sum(a.c.amount_cents))
             .join(p, p.c.id == a.c.claim_payment_id)
             .where(p.c.paid_cents == 0, p.c.status_code != "22",
                    ~shared.correlate(p).exists())
             .group_by(a.c.group_code, a.c.reason)
             .order_by(sa.func.sum(a.c.amount_cents).desc(), a.c.group_code, a.c.reason))
    descriptions = descriptions or {}
    return {"reasons": [{
        "group": group, "reason": reason, "code": f"{group}-{reason}",
        "description": descriptions.get(reason), "claims": count, "amount": money(int(amount))}
        for group, reason, count, amount in conn.execute(query)]}


def underpayments(conn) -> dict:
    """Lines the payer allowed less for than the pricing expected."""
    import sqlalchemy as sa

    lines, c = t.claim_lines, t.claims
    query = (sa.select(c.c.claim_id, c.c.program, c.c.payer_id, c.c.payer_name, lines.c.number,
                       lines.c.code, lines.c.service_date, lines.c.expected_cents,
                       lines.c.paid_cents, lines.c.patient_cents)
             .join(c, c.c.id == lines.c.claim_id)
             .where(lines.c.expected_cents.is_not(None), c.c.status.in_(("paid", "patient")),
                    lines.c.paid_cents + lines.c.patient_cents > 0,
                    lines.c.paid_cents + lines.c.patient_cents < lines.c.expected_cents)
             .order_by(c.c.claim_id, lines.c.number))
    found = [{
        "claim_id": r.claim_id, "program": r.program, "payer_id": r.payer_id,
        "payer_name": r.payer_name, "line": r.number, "code": r.code,
        "date": r.service_date.isoformat(), "expected_allowed": money(r.expected_cents),
        "allowed_by_payer": money(r.paid_cents + r.patient_cents), "paid": money(r.paid_cents),
        "short": money(r.expected_cents - r.paid_cents - r.patient_cents)}
        for r in conn.execute(query)]
    return {"lines": found, "total_short": money(sum(
        int(Decimal(x["short"]) * 100) for x in found))}


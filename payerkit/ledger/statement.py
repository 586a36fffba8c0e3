"""A patient's statement from the ledger: what each decided claim billed, what the insurer
paid, what was written off, and what the patient owes — only what the claim's program lets
the practice bill (``payerkit_patient_billing``, recorded with the claim).

Per line: the insurer paid what its remittance paid for the line; the patient's share is
the line's ``PR`` adjustments (deductible, coinsurance, copay, non-covered); the patient
owes that share when the program's rule is ``responsibility``, nothing when it is
``nothing`` (NY no-fault, workers' compensation); everything else is written off. A claim
whose remittance gave no service lines is one statement line (its codes together). Claims
the payer has not decided are left off, and a note says how many.

Reason codes are shown as codes (``CO-45``) with the group's meaning in payerkit's words;
the reason's own description only from the practice's file (``--codes``): X12 owns the text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal

from ..errors import LedgerInputError
from . import tables as t

GROUPS = {
    "PR": "your share under your plan",
    "CO": "the insurer's contract adjustment: not billed to you",
    "PI": "the insurer's adjustment: not billed to you",
    "OA": "other adjustment: not billed to you",
    "CR": "correction",
}


def _money(cents: int) -> Decimal:
    return Decimal(cents) / 100


def statement(conn, patient_key: str, on: dt.date, descriptions: dict[str, str] | None = None):
    """The :class:`payerkit.model.PatientStatement` of ``patient_key`` on ``on``."""
    import sqlalchemy as sa

    from ..converter import CONVERTER
    from ..model import Person, Provider
    from ..model.statement import PatientStatement

    patient = conn.execute(sa.select(t.patients.c.id, t.patients.c.data).where(
        t.patients.c.patient_key == patient_key)).first()
    if patient is None:
        raise LedgerInputError(f"PATIENT: no patient numbered {patient_key[:20]!r} in the ledger "
                               "(payerkit ledger claims lists each claim's patient)")
    rows = conn.execute(sa.select(t.claims).where(t.claims.c.patient_id == patient.id)
                        .order_by(t.claims.c.written_on, t.claims.c.id)).all()
    practice_id = rows[-1].practice_id
    practice = conn.execute(sa.select(t.practices.c.data).where(
        t.practices.c.id == practice_id)).scalar_one()
    decided = [r for r in rows if r.practice_id == practice_id and r.status != "open"]
    waiting = sum(1 for r in rows if r.practice_id == practice_id and r.status == "open")
    lines, rules = [], {}
    billings = {row.id: json.loads(row.patient_billing) for row in conn.execute(
        sa.select(t.claim_rules.c.id, t.claim_rules.c.patient_billing))}
    for claim in decided:
        billing = billings[claim.rules_id]
        rules[billing["description"]] = billing.get("citation")
        lines += _lines(conn, claim, billing["rule"], descriptions or {})
    notes = []
    others = {r.practice_id for r in rows} - {practice_id}
    if others:
        notes.append(f"claims with {len(others)} other practice(s) are on their own statements")
    if waiting:
        notes.append(f"{waiting} claim(s) still with the insurer are not on this statement")
    if not decided:
        notes.append("no claim of yours has been decided by the insurer yet")
    citations = [c for c in rules.values() if c]
    return PatientStatement(
        practice=CONVERTER.structure(json.loads(practice), Provider),
        patient=CONVERTER.structure(json.loads(patient.data), Person),
        statement_date=on, number=f"{patient_key}-{on:%Y%m%d}", lines=lines,
        payments_by_patient=Decimal(0),
        rule="; ".join(rules) or "no claim decided yet",
        citation="; ".join(dict.fromkeys(_short(c["source"]) for c in citations)) or None,
        notes=tuple(notes) + ("payments you made at your visits are not shown: ask the practice",))


def _short(source: str) -> str:
    """A citation as the statement names it: the law or page, without the explanation
    (payerkit's citations read ``WAC 284-170-421(3)(a): every participating ...``)."""
    return source.partition(": ")[0]


def _lines(conn, claim, rule: str, descriptions: dict[str, str]) -> list:
    import sqlalchemy as sa

    from ..model.statement import StatementLine

    claim_lines = conn.execute(sa.select(t.claim_lines).where(
        t.claim_lines.c.claim_id == claim.id).order_by(t.claim_lines.c.number)).all()
    found = conn.execute(
        sa.select(t.line_payments.c.claim_line_id, t.adjustments.c.group_code,
                  t.adjustments.c.reason, t.adjustments.c.amount_cents)
        .join(t.adjustments, t.adjustments.c.line_payment_id == t.line_payments.c.id)
        .join(t.claim_payments, t.claim_payments.c.id == t.line_payments.c.claim_payment_id)
        .where(t.claim_payments.c.claim_id == claim.id)).all()
    by_line: dict[int, list] = defaultdict(list)
    for line_id, group, reason, amount in found:
        by_line[line_id].append((group, reason, amount))
    if any(line.paid_cents or line.patient_cents or by_line.get(line.id) for line in claim_lines):
        return [_line(StatementLine, claim.claim_id, line.service_date, line.code,
                      tuple(m for m in line.modifiers.split(",") if m), line.units,
                      line.charge_cents, line.paid_cents, line.patient_cents,
                      by_line.get(line.id, []), rule, descriptions)
                for line in claim_lines]
    adjustments = conn.execute(
        sa.select(t.adjustments.c.group_code, t.adjustments.c.reason, t.adjustments.c.amount_cents)
        .join(t.claim_payments, t.claim_payments.c.id == t.adjustments.c.claim_payment_id)
        .where(t.claim_payments.c.claim_id == claim.id)).all()
    return [_line(StatementLine, claim.claim_id, claim_lines[0].service_date,
                  ", ".join(dict.fromkeys(line.code for line in claim_lines)), (),
                  sum(line.units for line in claim_lines), claim.charge_cents, claim.paid_cents,
                  claim.patient_cents, [tuple(a) for a in adjustments], rule, descriptions)]


def _line(kind, claim_id, date, code, modifiers, units, charge, paid, patient, adjustments,
          rule: str, descriptions: dict[str, str]):
    owes = patient if rule == "responsibility" else 0
    reasons = []
    for group, reason, amount in adjustments:
        if not amount:
            continue
        said = descriptions.get(reason)
        meaning = GROUPS.get(group, "adjustment")
        if group == "PR" and rule != "responsibility":
            meaning = "your plan's share, which this program does not let us bill you"
        reasons.append(f"{group}-{reason} {_money(amount):.2f}: {meaning}"
                       + (f" ({said})" if said else ""))
    return kind(claim_id, date, code, modifiers, units, _money(charge), _money(paid),
                _money(charge - paid - owes), _money(owes), tuple(reasons))

"""Whether an 835's amounts balance, by the rules of the 835 TR3 (005010X221A1).

An adjustment amount (CAS, PLB) that is positive reduces the payment; a negative one
increases it. :func:`check_balance` checks, in this order:

1. **Transaction** (``RULE_TRANSACTION``): BPR02 (negated when BPR03 is ``D``) equals the
   sum of every CLP04 less the sum of every PLB amount. The 835's payment total is the
   money deposited (x12.org RFI 2287: "the total amount of payment deposited ... must equal
   the total amount of payment indicated on an associated ERA"), and its claims and provider
   adjustments must account for all of it.
2. **Claim** (``RULE_CLAIM``): CLP03 − CLP04 = the sum of the claim's CAS amounts, claim
   level and line level together (x12.org RFI 358: "Service adjustments ARE included in
   the claim balancing"; an adjustment is reported at the claim or the line level, never
   both: RFI 689).
3. **Service line** (``RULE_LINE``): SVC02 − SVC03 = the sum of that line's CAS amounts
   (x12.org RFI 2348, quoting the TR3: "the submitted service billed amount (SVC02) minus
   all service adjustment amounts (CAS03, CAS06, CAS09, CAS12, CAS15, CAS18) must equal
   the service paid amount (SVC03)").
4. **Claim against its lines** (``RULE_LINES``), when the claim has lines: the sum of
   SVC03 less the claim-level CAS amounts (the ones not in any line) = CLP04. x12.org
   RFI 452: "If there are not claim level (2100) adjustments, CLP04 will equal the sum of
   SVC03"; RFI 1053 works the TR3's example: lines paid 70.00 and 15.00, a claim-level
   adjustment of 5.00, CLP04 80.00. (Given rules 2 and 3 this is the same as: the lines'
   charges add up to CLP03.) Its own rule, so a problem points at the lines rather than
   only at the claim.

A reversal (CLP02 22) carries the original's amounts negated and obeys the same
equations. AMT*B6 (allowed) and CLP05 (patient responsibility) are informational and not
part of balancing.

A remittance with any problem does not balance: the ledger refuses to post it and reports
these problems, because posting it would record money that the payment does not carry
(or miss money it does). The payer sends a corrected 835; nothing in it is guessed.
"""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from .model import Remittance

RULE_TRANSACTION = "BPR02 = sum of CLP04 - sum of PLB amounts"
RULE_CLAIM = "CLP03 - CLP04 = sum of claim and line CAS amounts"
RULE_LINE = "SVC02 - SVC03 = sum of the line's CAS amounts"
RULE_LINES = "sum of SVC03 - claim-level CAS amounts = CLP04"
RULES = (RULE_TRANSACTION, RULE_CLAIM, RULE_LINE, RULE_LINES)

_ZERO = Decimal(0)


@frozen
class BalanceProblem:
    """One equation that does not hold. ``where`` is the record's path in the
    :class:`~payerkit.remittance.model.Remittance` (``""`` for the transaction,
    ``claims[2]``, ``claims[2].lines[0]``), ``claim_id`` its CLP01 (``None`` for the
    transaction), ``rule`` one of :data:`RULES`; ``expected`` what the rule computes and
    ``actual`` what the file states: for the transaction Σ CLP04 − Σ PLB and BPR02; for a
    claim CLP03 − CLP04 and the sum of its CAS; for a line SVC02 − SVC03 and the sum of its
    CAS; for a claim against its lines Σ SVC03 − the claim-level CAS and CLP04."""

    where: str
    claim_id: str | None
    rule: str
    expected: Decimal
    actual: Decimal

    @property
    def message(self) -> str:
        """One line, no patient data: ``claims[2] (claim 'PK-1'): CLP03 - CLP04 = ...:
        expected 20, the file has 25``."""
        place = self.where or "transaction"
        if self.claim_id is not None:
            place += f" (claim {self.claim_id!r})"
        return f"{place}: {self.rule}: expected {self.expected}, the file has {self.actual}"


def check_balance(remittance: Remittance) -> tuple[BalanceProblem, ...]:
    """Every balancing rule (see the module) that ``remittance`` breaks; ``()`` when it
    balances."""
    problems: list[BalanceProblem] = []
    paid_total = _ZERO
    for c, claim in enumerate(remittance.claims):
        where = f"claims[{c}]"
        paid_total += claim.paid
        claim_cas = sum((a.amount for a in claim.adjustments), _ZERO)
        line_cas = _ZERO
        line_paid = _ZERO
        for i, line in enumerate(claim.lines):
            cas = sum((a.amount for a in line.adjustments), _ZERO)
            line_cas += cas
            line_paid += line.paid
            if line.charge - line.paid != cas:
                problems.append(BalanceProblem(f"{where}.lines[{i}]", claim.claim_id, RULE_LINE,
                                               expected=line.charge - line.paid, actual=cas))
        if claim.charge - claim.paid != claim_cas + line_cas:
            problems.append(BalanceProblem(where, claim.claim_id, RULE_CLAIM,
                                           expected=claim.charge - claim.paid,
                                           actual=claim_cas + line_cas))
        if claim.lines and line_paid - claim_cas != claim.paid:
            problems.append(BalanceProblem(where, claim.claim_id, RULE_LINES,
                                           expected=line_paid - claim_cas, actual=claim.paid))
    provider = sum((a.amount for a in remittance.provider_adjustments), _ZERO)
    if paid_total - provider != remittance.signed_total:
        problems.append(BalanceProblem("", None, RULE_TRANSACTION, expected=paid_total - provider,
                                       actual=remittance.signed_total))
    return tuple(problems)


__all__ = ["RULES", "RULE_CLAIM", "RULE_LINE", "RULE_LINES", "RULE_TRANSACTION",
           "BalanceProblem", "check_balance"]

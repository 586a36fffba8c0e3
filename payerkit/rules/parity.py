"""Fee parity: a practice may not charge an insurer more than its cash patients.

Several states restrict charging insured patients more than the usual fee,
and payers' contracts commonly require billing the usual and customary
charge; in any case a charge above the cash rate is a risk the practice must
see. payerkit compares each line's charge per unit with
``provider.cash_rates`` for its code: above the cash rate is an error, no
cash rate on file is a warning.
"""

from __future__ import annotations

from ..model.results import Citation, Finding
from ..paths import field_path

PARITY_CITATION = Citation(
    "payerkit fee-parity rule: charge per unit must not exceed the practice's usual (cash) fee; "
    "the practice's own rates are the reference", confidence="rule",
)


def parity_findings(case, visit_index: int, pricing) -> list[Finding]:
    findings = []
    rates = case.provider.cash_rates
    for i, line in enumerate(pricing.lines):
        cash = rates.get(line.code)
        if cash is None:
            rate = field_path("provider", "cash_rates", line.code)
            findings.append(Finding(
                "warning", "PARITY-NO-CASH-RATE",
                f"no cash rate on file for {line.code}: add {rate} so "
                "charges can be checked against what cash patients pay", rate, PARITY_CITATION,
            ))
        elif line.units and line.charge > cash * line.units:
            findings.append(Finding(
                "error", "PARITY-ABOVE-CASH-RATE",
                f"{line.code} charges {line.charge / line.units:.2f} per unit, above the cash "
                f"rate {cash:.2f}: bill insurers no more than cash patients",
                field_path("visits", visit_index, "services", i, "charge"), PARITY_CITATION,
            ))
    return findings

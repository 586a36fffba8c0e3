"""X12 835 (5010, 005010X221A1) remittances: read them into records, check that they balance.

No database here: the ledger posts what this package reads. ``docs/remittance.md`` says
what is read, the records, the balancing rules and their sources, and why payerkit ships
adjustment and remark codes without their descriptions.

    from payerkit.remittance import read_835_file, check_balance

    for remittance in read_835_file("era.835"):
        for problem in check_balance(remittance):
            print(problem.message)
"""

from __future__ import annotations

from .balance import RULES, BalanceProblem, check_balance
from .model import (
    Adjustment,
    ClaimPayment,
    PatientName,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
    load_code_descriptions,
)
from .reader import MAX_835_BYTES, read_835, read_835_file

__all__ = [
    "MAX_835_BYTES", "RULES", "Adjustment", "BalanceProblem", "ClaimPayment", "PatientName",
    "ProviderAdjustment", "Remittance", "ServicePayment", "check_balance",
    "load_code_descriptions", "read_835", "read_835_file",
]

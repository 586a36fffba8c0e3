"""The ledger (``pip install 'payerkit[ledger]'``): what was billed, what was paid, what is
owed — claims recorded as they are written, 835 remittances posted, aging with each
program's prompt-pay interest, denials, underpayments and patient statements.

    from payerkit.ledger import Ledger, claim_entry, post

    with Ledger.open("sqlite:///ledger.sqlite3") as ledger:
        ledger.record([claim_entry(evaluation, "x12-837p", dt.date.today())])
        post(ledger, open("payment.835", "rb").read())

SQLAlchemy 2 Core on SQLite (the default, a file in payerkit's data folder) or PostgreSQL
(psycopg 3); migrations by Alembic, applied on open. docs/ledger.md has the tables, the
rules and the commands. Names are imported when first used (PEP 562): ``claim_entry`` needs
no database library, ``Ledger`` and ``post`` need the extra.
"""

from __future__ import annotations

import importlib

_HOMES = {"ClaimEntry": "entry", "LineEntry": "entry", "claim_entry": "entry",
          "patient_key": "entry", "Posted": "posting", "Unmatched": "posting", "post": "posting",
          "Ledger": "store", "Recorded": "store"}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'payerkit.ledger' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})

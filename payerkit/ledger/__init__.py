"""The ledger (``pip install 'payerkit[ledger]'``): what was billed, what was paid, what is
owed — claims recorded as they are written, 835 remittances posted, aging with each
program's prompt-pay interest, denials, underpayments and patient statements.

    from payerkit.ledger import Ledger, claim_entry, post

    with Ledger.open("sqlite:///ledger.sqlite3") as ledger:
        ledger.record([claim_entry(evaluation, "x12-837p", dt.date.today())])
        post(ledger, open("payment.835", "rb").read())

SQLAlchemy 2 Core on SQLite (the default, a file in payerkit's data folder) or PostgreSQL
(psycopg 3); migrations by Alembic, applied on open. docs/ledger.md has the tables, the
rules and the commands. Imports nothing heavy until a ledger is opened.
"""

from __future__ import annotations

from .entry import ClaimEntry, LineEntry, claim_entry, patient_key
from .posting import Posted, Unmatched, post
from .store import Ledger, Recorded

__all__ = ["ClaimEntry", "Ledger", "LineEntry", "Posted", "Recorded", "Unmatched", "claim_entry",
           "patient_key", "post"]

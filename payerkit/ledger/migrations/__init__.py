"""The ledger's Alembic migrations (applied by payerkit.ledger.database)."""

#: The newest migration's revision: a ledger at it needs no migration (held equal to the
#: migrations' own head by a test).
HEAD = "0001"

"""The ledger's Alembic migrations (applied by payerkit.ledger.database)."""

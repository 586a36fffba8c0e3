"""Alembic's environment for the ledger: run with the connection payerkit opened
(``payerkit.ledger.database``), never from an ``alembic.ini``. SQLite alters tables in
batch mode (copy and move), so a later migration can change a column on both databases."""

from __future__ import annotations

from alembic import context

from payerkit.ledger.tables import metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


try:
    _connection = context.config.attributes["connection"]
except AttributeError:  # imported outside a migration (a walk over payerkit's modules)
    _connection = None
if _connection is not None:
    run(_connection)

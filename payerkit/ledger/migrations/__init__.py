"""The ledger's Alembic migrations (applied by payerkit.ledger.database)."""

from pathlib import Path


def _head() -> str:
    """The newest migration's revision, from the files' names (``0001_first_tables.py``: the
    history is one line, numbered; a test holds this equal to Alembic's own head)."""
    return max(path.name.partition("_")[0] for path in
               (Path(__file__).parent / "versions").glob("[0-9]*_*.py"))


#: The newest migration's revision: a ledger at it needs no migration.
HEAD = _head()

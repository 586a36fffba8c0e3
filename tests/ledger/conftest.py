"""The ledger's tests run on SQLite and, when a server is given, on PostgreSQL.

``PAYERKIT_TEST_POSTGRES`` names a PostgreSQL server (a URL to a database the tests may
create databases from, e.g. ``postgresql://postgres@/postgres?host=SOCKET_DIR&port=PORT``, a
Unix-socket server as ``.ci/run`` starts one);
each test gets a database of its own, dropped after it. Without it the PostgreSQL cases are
skipped, saying so; with ``PAYERKIT_POSTGRES_TESTS=required`` (CI) they fail instead.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the ledger extra is not installed")

SERVER = os.environ.get("PAYERKIT_TEST_POSTGRES")
REQUIRED = os.environ.get("PAYERKIT_POSTGRES_TESTS", "").lower() in ("1", "required", "yes")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WRITTEN = dt.date(2026, 4, 1)


def _postgres_database():
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    if not SERVER:
        if REQUIRED:
            pytest.fail("PAYERKIT_POSTGRES_TESTS=required but PAYERKIT_TEST_POSTGRES is not set")
        pytest.skip("no PostgreSQL server (set PAYERKIT_TEST_POSTGRES): the ledger is tested "
                    "on SQLite only")
    server = make_url(SERVER).set(drivername="postgresql+psycopg")
    name = f"pk_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.OperationalError as exc:
        if REQUIRED:
            raise
        pytest.skip(f"PostgreSQL server not reachable ({type(exc).__name__}): SQLite only")
    return admin, server.set(database=name).render_as_string(hide_password=False), name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A new, empty ledger database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger' / 'ledger.sqlite3'}"
        return
    admin, url, name = _postgres_database()
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture(scope="session")
def every_example_entry():
    """The ledger entry of every shipped example whose claim is clean, written on WRITTEN,
    by name, in name order (as ``payerkit batch examples`` records them)."""
    import payerkit
    from payerkit.ledger import claim_entry

    kit = payerkit.PayerKit()
    entries = {}
    for path in sorted(EXAMPLES.glob("*.toml")):
        ev = kit.evaluate(payerkit.load_case(path), format="x12-837p", written_on=WRITTEN)
        if ev.clean:
            entries[path.stem] = claim_entry(ev, "x12-837p", WRITTEN)
    return entries


@pytest.fixture(scope="session")
def example_entries(every_example_entry):
    """Of examples that bill the same claim (the same program, member and dates: one claim
    id), the ``-covered`` one, else the first by name."""
    chosen = {}
    for stem in sorted(every_example_entry, key=lambda s: (not s.endswith("-covered"), s)):
        entry = every_example_entry[stem]
        if all(e.claim_id != entry.claim_id for e in chosen.values()):
            chosen[stem] = entry
    return chosen

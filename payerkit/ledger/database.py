"""Opening the ledger's database: which one, made private, migrated, never half-open.

**Which database.** ``--db URL`` on the command line, else ``$PAYERKIT_DB``, else a SQLite
file ``ledger.sqlite3`` in payerkit's data folder (``$PAYERKIT_DATA_DIR`` or the platform's
user data folder, where the control-number counter lives). ``postgresql://`` URLs use
psycopg 3. A URL with a password is refused on the command line (other users can read a
process's arguments): give it in ``$PAYERKIT_DB``, or leave it out and let libpq find it
(``~/.pgpass``, ``PGPASSFILE``). Messages show a URL without its password.

**Private.** The ledger holds patient data: a SQLite file is created readable by its owner
only (``0600``) in a folder only its owner can enter (``0700``, when payerkit creates it).

**Migrated on open.** The Alembic migrations shipped in ``payerkit/ledger/migrations`` are
applied when the ledger is opened, under a lock (SQLite's write lock, PostgreSQL's advisory
lock), so two processes opening a new ledger at once migrate it once; ``on_migrate`` is
told each step (the CLI prints it). A ledger made by a newer payerkit is refused.

**Transactions.** On SQLite every transaction begins ``IMMEDIATE`` (the write lock at once:
two writers queue instead of failing half-way), with a 30 s busy timeout and foreign keys on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import LedgerError

DEFAULT_FILE = "ledger.sqlite3"
#: PostgreSQL's advisory lock key for migrations (any constant; "payerkit" in ASCII, cut).
_MIGRATION_LOCK = 0x7061796572


def default_url() -> str:
    from ..formats.control import resolve_data_dir

    return f"sqlite:///{resolve_data_dir() / DEFAULT_FILE}"


def choose_url(given: str | None, *, from_command_line: bool = True) -> str:
    """The database URL: ``given`` (``--db``), ``$PAYERKIT_DB``, or the default SQLite file.
    Refuses a password in ``given`` when it came from the command line."""
    if given:
        if from_command_line and _password(given):
            raise LedgerError("--db: the URL holds a password, which other users of this "
                              "machine can read in the process list; put the URL in "
                              "PAYERKIT_DB, or leave the password out and keep it in "
                              "~/.pgpass (PGPASSFILE)")
        return given
    return os.environ.get("PAYERKIT_DB") or default_url()


def shown(url: str) -> str:
    """The URL as messages show it: the password hidden."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: its scheme only
        return url.split(":", 1)[0] + ":..."


def _password(url: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password is not None
    except Exception:
        return False


def open_engine(url: str, on_migrate: Callable[[str], None] | None = None):
    """An engine for the ledger at ``url``, its schema migrated to this payerkit's."""
    try:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url
    except ImportError:
        raise LedgerError("the ledger needs its extra: pip install 'payerkit[ledger]'") from None
    try:
        parsed = make_url(url)
    except Exception:
        raise LedgerError(f"database URL: expected sqlite:///FILE or postgresql://..., got "
                          f"{shown(url)!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite(parsed)
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            engine = sa.create_engine(parsed, pool_pre_ping=True)
        except ImportError:
            raise LedgerError("a PostgreSQL ledger needs psycopg 3: pip install "
                              "'payerkit[ledger]'") from None
    else:
        raise LedgerError(f"database URL: payerkit's ledger runs on SQLite or PostgreSQL, not "
                          f"{backend!r}")
    try:
        migrate(engine, on_migrate)
    except LedgerError:
        engine.dispose()
        raise
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise LedgerError(f"cannot open the ledger at {shown(url)}: "
                          f"{_reason(exc)}") from None
    return engine


def _reason(exc: Exception) -> str:
    """The database's own reason, first line, without values (SQLAlchemy's text may quote
    parameters: only the driver's message is kept)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0][:200] if text else type(orig).__name__


def _sqlite(parsed):
    import sqlalchemy as sa
    from sqlalchemy import event

    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        _private_file(Path(database).expanduser())
    engine = sa.create_engine(parsed, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, record):  # payerkit begins its own transactions
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # the write lock at once: writers queue, none fails half-way
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _private_file(path: Path) -> None:
    """Create the SQLite file (and its folder) for its owner only; an existing one is left
    as it is (its owner chose its mode)."""
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
    except FileExistsError:
        pass  # another process created it first
    except OSError as exc:
        raise LedgerError(f"cannot create the ledger file in {str(folder)!r}: "
                          f"{exc.strerror or type(exc).__name__}") from None


def _config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    return config


def migrate(engine, on_migrate: Callable[[str], None] | None = None) -> None:
    """Bring the ledger's schema to this payerkit's (the migrations' head), once. A ledger
    already at :data:`~payerkit.ledger.migrations.HEAD` is told by one query, without
    loading Alembic (a test holds ``HEAD`` equal to the migrations' own head)."""
    from .migrations import HEAD

    if _revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config = _config(connection)
        script = ScriptDirectory.from_config(config)
        head = script.get_current_head()
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise LedgerError(f"the ledger's schema ({current}) was made by a newer payerkit "
                              f"than this one (which knows up to {head}); upgrade payerkit")
        steps = [rev for rev in script.iterate_revisions(head, current or "base")][::-1]
        for rev in steps:
            if on_migrate is not None:
                on_migrate(f"ledger: applying migration {rev.revision} "
                           f"({rev.doc.strip().splitlines()[0]})")
        command.upgrade(config, "head")


def _revision(engine) -> str | None:
    """The ledger's schema revision (``None``: a new ledger, or one Alembic must look at)."""
    import sqlalchemy as sa

    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return versions[0][0] if len(versions) == 1 else None

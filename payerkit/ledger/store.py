"""The ledger: claims recorded once, remittances posted once, and what reports read.

:class:`Ledger` is the one object every door uses (the CLI's ``payerkit ledger``, the
claim-writing commands, the HTTP API). Writes are one transaction each — a batch's claims,
one 835 file — so a failure or ``kill -9`` leaves the ledger as it was before, and the
same file can be posted again.

**Recording.** A claim is known by its claim id (CLM01), frequency and program. Written
again with the same content, it is not recorded again; written again with other content
before any payment was posted, its lines are replaced (the later file is the one sent);
once a payment was posted it is left as it is and the caller is told.

**Posting** (:mod:`payerkit.ledger.posting`) is keyed by the 835's trace number (TRN02)
and payer (TRN03): a unique index, so the same payment posts once even when two processes
post it at the same moment.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable

from attrs import frozen

from ..errors import LedgerError
from . import tables as t
from .database import choose_url, open_engine, shown
from .entry import ClaimEntry


@frozen
class Recorded:
    """What :meth:`Ledger.record` did: claims new to the ledger, written again unchanged,
    replaced (written again with other content before a payment), and kept (written again
    after a payment was posted: the ledger keeps what was paid against)."""

    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    kept: tuple[str, ...] = ()

    def json(self) -> dict:
        return {"new": self.new, "unchanged": self.unchanged, "replaced": self.replaced,
                "kept": list(self.kept)}


class Ledger:
    """An open ledger. ``Ledger.open()`` chooses the database as ``payerkit ledger`` does
    (``url``, ``$PAYERKIT_DB``, the default SQLite file) and migrates it."""

    def __init__(self, engine, url: str):
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None, *, from_command_line: bool = False,
             on_migrate: Callable[[str], None] | None = None) -> Ledger:
        chosen = choose_url(url, from_command_line=from_command_line)
        return cls(open_engine(chosen, on_migrate), chosen)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def where(self) -> str:
        return shown(self.url)

    # -- recording -------------------------------------------------------------------------

    def record(self, entries: Iterable[ClaimEntry]) -> Recorded:
        """Record claims written, all in one transaction (retried once if another process
        recorded one of them at the same moment)."""
        import sqlalchemy as sa

        entries = list(entries)
        for attempt in (1, 2):
            try:
                with self.engine.begin() as conn:
                    return _Recorder(conn).record(entries)
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise LedgerError("cannot record the claims: another process kept "
                                      "recording the same ones; try again") from None
            except sa.exc.SQLAlchemyError as exc:
                raise _failed("record the claims", exc) from None
        raise AssertionError("unreachable")

    # -- reading ---------------------------------------------------------------------------

    def connect(self):
        """A connection for reading (reports): the caller closes it."""
        return self.engine.connect()


def _failed(what: str, exc: Exception) -> LedgerError:
    from .database import _reason

    return LedgerError(f"cannot {what}: {_reason(exc)}")


class _Recorder:
    def __init__(self, conn):
        self.conn = conn
        self.practices: dict[str, int] = {}
        self.patients: dict[str, int] = {}

    def record(self, entries: list[ClaimEntry]) -> Recorded:
        import sqlalchemy as sa

        new = unchanged = replaced = 0
        kept: list[str] = []
        for entry in entries:
            row = self.conn.execute(
                sa.select(t.claims.c.id, t.claims.c.content, t.claims.c.paid_cents)
                .where(t.claims.c.claim_id == entry.claim_id,
                       t.claims.c.frequency == entry.frequency,
                       t.claims.c.program == entry.program)).first()
            if row is None:
                self._insert(entry)
                new += 1
            elif row.content == entry.content:
                unchanged += 1
            elif self._paid_against(row.id):
                kept.append(entry.claim_id)
            else:
                self.conn.execute(t.claim_lines.delete().where(t.claim_lines.c.claim_id == row.id))
                self.conn.execute(t.claims.update().where(t.claims.c.id == row.id)
                                  .values(**self._claim_values(entry)))
                self._lines(row.id, entry)
                replaced += 1
        return Recorded(new, unchanged, replaced, tuple(kept))

    def _paid_against(self, claim: int) -> bool:
        import sqlalchemy as sa

        return self.conn.execute(sa.select(t.claim_payments.c.id).where(
            t.claim_payments.c.claim_id == claim).limit(1)).first() is not None

    def _insert(self, entry: ClaimEntry) -> None:
        values = self._claim_values(entry)
        claim = self.conn.execute(t.claims.insert().values(
            claim_id=entry.claim_id, frequency=entry.frequency, program=entry.program,
            status="open", paid_cents=0, patient_cents=0, **values)).inserted_primary_key[0]
        self._lines(claim, entry)

    def _claim_values(self, entry: ClaimEntry) -> dict:
        return dict(
            payer_id=entry.payer_id, payer_name=entry.payer_name[:120],
            practice_id=self._practice(entry), patient_id=self._patient(entry),
            format=entry.format, interchange=entry.interchange, transaction=entry.transaction,
            written_on=entry.written_on, charge_cents=entry.charge_cents,
            expected_cents=entry.expected_cents, due_on=entry.due_on, terms=entry.terms,
            patient_billing=entry.patient_billing, content=entry.content)

    def _lines(self, claim: int, entry: ClaimEntry) -> None:
        self.conn.execute(t.claim_lines.insert(), [
            dict(claim_id=claim, number=line.number, control_number=line.control_number,
                 service_date=line.date, code=line.code, modifiers=",".join(line.modifiers),
                 units=line.units, charge_cents=line.charge_cents,
                 expected_cents=line.expected_cents, paid_cents=0, patient_cents=0)
            for line in entry.lines])

    def _practice(self, entry: ClaimEntry) -> int:
        return self._upsert(self.practices, t.practices, t.practices.c.npi, entry.practice_npi,
                            entry.practice)

    def _patient(self, entry: ClaimEntry) -> int:
        return self._upsert(self.patients, t.patients, t.patients.c.patient_key,
                            entry.patient_key, entry.patient)

    def _upsert(self, cache: dict, table, key_column, key: str, data: str) -> int:
        import sqlalchemy as sa

        found = cache.get(key)
        if found is not None:
            return found
        row = self.conn.execute(sa.select(table.c.id, table.c.data).where(key_column == key)).first()
        if row is None:
            found = self.conn.execute(table.insert().values(
                {key_column.name: key, "data": data})).inserted_primary_key[0]
        else:
            found = row.id
            if row.data != data:  # the latest claim's name and address
                self.conn.execute(table.update().where(table.c.id == found).values(data=data))
        cache[key] = found
        return found


def loads(text: str | None):
    return None if text is None else json.loads(text)


def today() -> dt.date:
    return dt.date.today()

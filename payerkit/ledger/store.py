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
    """Records many claims with few statements: what exists is read in chunks, new claims
    and their lines are inserted many at a time (``RETURNING`` their ids, in order)."""

    CHUNK = 500

    def __init__(self, conn):
        self.conn = conn

    def record(self, entries: list[ClaimEntry]) -> Recorded:
        last: dict[tuple, ClaimEntry] = {}
        unchanged = replaced = 0
        for entry in entries:  # one call naming a claim twice: the later write is the one
            key = (entry.claim_id, entry.frequency, entry.program)
            earlier = last.get(key)
            if earlier is not None:
                unchanged += earlier.content == entry.content
                replaced += earlier.content != entry.content
            last[key] = entry
        wanted = list(last.values())
        practices = self._keyed(t.practices, t.practices.c.npi,
                                {e.practice_npi: e.practice for e in wanted}, update=True)
        patients = self._keyed(t.patients, t.patients.c.patient_key,
                               {e.patient_key: e.patient for e in wanted}, update=True)
        rules = self._keyed(t.claim_rules, t.claim_rules.c.digest,
                            {_rules_digest(e): (e.terms, e.patient_billing) for e in wanted})
        found = self._existing(wanted)
        new: list[ClaimEntry] = []
        kept: list[str] = []
        c = t.claims
        for entry in wanted:
            row = found.get((entry.claim_id, entry.frequency, entry.program))
            if row is None:
                new.append(entry)
            elif row.content == entry.content:
                unchanged += 1
            elif self._paid_against(row.id):
                kept.append(entry.claim_id)
            else:
                self.conn.execute(t.claim_lines.delete().where(t.claim_lines.c.claim_id == row.id))
                self.conn.execute(c.update().where(c.c.id == row.id).values(
                    **_values(entry, practices, patients, rules)))
                self._lines([(row.id, entry)])
                replaced += 1
        for start in range(0, len(new), self.CHUNK):
            chunk = new[start:start + self.CHUNK]
            ids = self.conn.execute(
                c.insert().returning(c.c.id, sort_by_parameter_order=True),
                [dict(claim_id=e.claim_id, frequency=e.frequency, program=e.program,
                      status="open", paid_cents=0, patient_cents=0,
                      **_values(e, practices, patients, rules)) for e in chunk]).scalars().all()
            self._lines(list(zip(ids, chunk, strict=True)))
        return Recorded(len(new), unchanged, replaced, tuple(kept))

    def _existing(self, entries: list[ClaimEntry]) -> dict[tuple, object]:
        import sqlalchemy as sa

        c = t.claims
        found = {}
        ids = sorted({e.claim_id for e in entries})
        for start in range(0, len(ids), self.CHUNK):
            rows = self.conn.execute(
                sa.select(c.c.id, c.c.claim_id, c.c.frequency, c.c.program, c.c.content)
                .where(c.c.claim_id.in_(ids[start:start + self.CHUNK])))
            for row in rows:
                found[(row.claim_id, row.frequency, row.program)] = row
        return found

    def _paid_against(self, claim: int) -> bool:
        import sqlalchemy as sa

        return self.conn.execute(sa.select(t.claim_payments.c.id).where(
            t.claim_payments.c.claim_id == claim).limit(1)).first() is not None

    def _lines(self, claims: list[tuple[int, ClaimEntry]]) -> None:
        rows = [dict(claim_id=claim, number=line.number, control_number=line.control_number,
                     service_date=line.date, code=line.code, modifiers=",".join(line.modifiers),
                     units=line.units, charge_cents=line.charge_cents,
                     expected_cents=line.expected_cents, paid_cents=0, patient_cents=0)
                for claim, entry in claims for line in entry.lines]
        if rows:
            self.conn.execute(t.claim_lines.insert(), rows)

    def _keyed(self, table, key_column, wanted: dict, update: bool = False) -> dict:
        """The ids of ``wanted``'s keys in ``table``, the missing rows inserted (and, with
        ``update``, a row whose data changed updated: the latest claim's name and address)."""
        import sqlalchemy as sa

        ids: dict = {}
        keys = sorted(wanted)
        data_columns = [col for col in table.c if col.name not in ("id", key_column.name)]
        for start in range(0, len(keys), self.CHUNK):
            chunk = keys[start:start + self.CHUNK]
            for row in self.conn.execute(sa.select(table.c.id, key_column, *data_columns)
                                         .where(key_column.in_(chunk))):
                key = row[1]
                ids[key] = row.id
                if update and tuple(row[2:]) != _data(wanted[key]):
                    self.conn.execute(table.update().where(table.c.id == row.id).values(
                        dict(zip([col.name for col in data_columns], _data(wanted[key]),
                                 strict=True))))
            missing = [k for k in chunk if k not in ids]
            if missing:
                rows = self.conn.execute(
                    table.insert().returning(table.c.id, sort_by_parameter_order=True),
                    [{key_column.name: k, **dict(zip([col.name for col in data_columns],
                                                     _data(wanted[k]), strict=True))}
                     for k in missing]).scalars().all()
                ids.update(zip(missing, rows, strict=True))
        return ids


def _data(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _rules_digest(entry: ClaimEntry) -> str:
    import hashlib

    return hashlib.sha256(f"{entry.terms}\n{entry.patient_billing}".encode()).hexdigest()


def _values(entry: ClaimEntry, practices: dict, patients: dict, rules: dict) -> dict:
    return dict(
        payer_id=entry.payer_id, payer_name=entry.payer_name[:120],
        practice_id=practices[entry.practice_npi], patient_id=patients[entry.patient_key],
        format=entry.format, interchange=entry.interchange, transaction=entry.transaction,
        written_on=entry.written_on, charge_cents=entry.charge_cents,
        expected_cents=entry.expected_cents, due_on=entry.due_on,
        rules_id=rules[_rules_digest(entry)], content=entry.content)

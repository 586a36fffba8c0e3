"""What each ``payerkit ledger`` command does (``post``, ``claims``, ``aging``, ``denials``,
``underpayments``, ``statement``), named by its record in :mod:`payerkit.command_table`;
and :func:`record_written`, the step the claim-writing commands take after writing.

Every command opens the ledger as :meth:`Ledger.open` does (``--db``, ``$PAYERKIT_DB``, the
default file), tells on stderr when it migrates it, and prints text or, with ``--json``, the
shapes docs/ledger.md documents. Exit status: 0 done; 1 a file not posted (it does not
balance); 2 bad input (an 835 that cannot be read, an unknown patient); 3 the ledger cannot
be opened.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..errors import EXIT_OK, LedgerError, LedgerInputError
from ..output import emit, table

MAX_835_BYTES = 64 * 1024 * 1024


def open_ledger(db: str | None):
    """The ledger ``--db`` (else ``PAYERKIT_DB``, else the default) names, opened and migrated
    (saying so on stderr); the extra not installed is a :class:`LedgerError` saying how."""
    try:
        from .store import Ledger
    except ImportError:
        raise LedgerError("the ledger needs its extra: pip install 'payerkit[ledger]' (from a "
                          "checkout: pip install '.[ledger]')") from None
    return Ledger.open(db, from_command_line=True,
                       on_migrate=lambda message: print(message, file=sys.stderr))


def _descriptions(path: str | None) -> dict[str, str]:
    if path is None:
        return {}
    from ..remittance import load_code_descriptions

    return load_code_descriptions(path)


def post(kit, options) -> int:
    data = read_835_bytes(options.file)
    with open_ledger(options.db) as ledger:
        from .posting import post as post_data  # the extra is there: the ledger opened

        done = post_data(ledger, data)
    result = done.json()
    lines = [f"posted {len(done.posted)} of {done.transactions} payment(s) ({done.paid:.2f}), "
             f"{done.claims} claim payment(s), {done.matched} matched to claims"]
    if done.already:
        lines.append(f"already posted, skipped: {', '.join(done.already)}")
    if done.unmatched:
        lines.append("payments that match no claim in the ledger (written elsewhere?):")
        lines += [f"  {u.claim_id} (payer claim {u.payer_claim_number or '-'}): {u.paid:.2f}"
                  for u in done.unmatched]
    emit(result, options.json, "\n".join(lines))
    return EXIT_OK


def read_835_bytes(path: str) -> bytes:
    from ..files import FileTooLarge, read_regular, show

    try:
        return read_regular(path, MAX_835_BYTES)
    except FileNotFoundError:
        raise LedgerInputError(f"FILE: no such file {show(path)}") from None
    except FileTooLarge:
        raise LedgerInputError(f"FILE: {show(path)} is larger than "
                               f"{MAX_835_BYTES // (1024 * 1024)} MiB") from None
    except OSError as exc:
        raise LedgerInputError(f"FILE: cannot read {show(path)}: "
                               f"{exc.strerror or type(exc).__name__}") from None


def claims(kit, options) -> int:
    with open_ledger(options.db) as ledger, ledger.connect() as conn:
        from .reports import claims as listed

        found = listed(conn, options.status)
    rows = [[c["claim_id"], c["program"], c["patient"], c["written_on"], c["status"], c["charge"],
             c["expected_allowed"] or "-", c["paid"], c["patient_responsibility"],
             c["due_on"] or "-"] for c in found]
    emit({"claims": found}, options.json,
         table(rows, ["claim", "program", "patient", "written", "status", "charge", "expected",
                      "paid", "patient", "due"]) if rows else "no claims recorded")
    return EXIT_OK


def aging(kit, options) -> int:
    as_of = options.as_of or dt.date.today()
    with open_ledger(options.db) as ledger, ledger.connect() as conn:
        from .reports import BUCKETS
        from .reports import aging as aged

        report = aged(conn, as_of)
    rows = [[p["payer_name"], p["payer_id"], p["claims"], *(p["buckets"][b] for b in BUCKETS),
             p["total"]] for p in report["payers"]]
    rows.append(["total", "", sum(p["claims"] for p in report["payers"]),
                 *(report["totals"][b] for b in BUCKETS), report["total"]])
    text = [f"claims awaiting the payer on {report['as_of']} ({report['counted_from']})", "",
            table(rows, ["payer", "id", "claims", *BUCKETS, "total"])]
    late = [c for c in report["claims"] if c["days_late"]]
    if late:
        text += ["", "late claims:"]
        for c in late:
            owed = c["interest"]
            interest = "" if owed is None else (
                f"; interest {owed['owed']} {owed['amount']} ({owed['rate_per_month']} a month "
                f"from {owed['from']}{', ' + owed['condition'] if owed['condition'] else ''}; "
                f"{owed['citation']['source'] if owed['citation'] else 'no citation'})")
            text.append(f"  {c['claim_id']} {c['program']}: due {c['due_on']}, "
                        f"{c['days_late']} days late{interest}")
    emit(report, options.json, "\n".join(text))
    return EXIT_OK


def denials(kit, options) -> int:
    descriptions = _descriptions(options.codes)
    with open_ledger(options.db) as ledger, ledger.connect() as conn:
        from .reports import denials as denied

        report = denied(conn, descriptions)
    rows = [[r["code"], r["description"] or "-", r["claims"], r["amount"]]
            for r in report["reasons"]]
    emit(report, options.json, table(rows, ["reason", "description", "claims", "amount"])
         if rows else "no denials posted")
    return EXIT_OK


def underpayments(kit, options) -> int:
    with open_ledger(options.db) as ledger, ledger.connect() as conn:
        from .reports import underpayments as short

        report = short(conn)
    rows = [[r["claim_id"], r["line"], r["code"], r["date"], r["payer_name"],
             r["expected_allowed"], r["allowed_by_payer"], r["short"]] for r in report["lines"]]
    emit(report, options.json,
         (table(rows, ["claim", "line", "code", "date", "payer", "expected", "allowed", "short"])
          + f"\n\nshort in all: {report['total_short']}") if rows else "no underpayments")
    return EXIT_OK


def statement(kit, options) -> int:
    from ..files import check_output, write_atomic
    from ..formats.patient_statement import write_patient_statement

    output = options.output or f"statement-{_safe(options.patient)}.pdf"
    check_output(output, force=options.force, example="statement.pdf")
    descriptions = _descriptions(options.codes)
    with open_ledger(options.db) as ledger, ledger.connect() as conn:
        from .statement import statement as make

        bill = make(conn, options.patient, options.on or dt.date.today(), descriptions)
    write_atomic(output, write_patient_statement(bill), force=options.force,
                 example="statement.pdf")
    summary = {"patient": options.patient, "file": str(Path(output)), "lines": len(bill.lines),
               "billed": f"{bill.billed:.2f}", "insurer_paid": f"{bill.insurer_paid:.2f}",
               "written_off": f"{bill.written_off:.2f}", "patient_owes": f"{bill.patient_owes:.2f}",
               "rule": bill.rule, "citation": bill.citation, "notes": list(bill.notes)}
    emit(summary, options.json, f"wrote {output}: the patient owes {bill.patient_owes:.2f} "
         f"({bill.rule})")
    return EXIT_OK


def _safe(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isalnum())[:20] or "patient"


def record_written(db: str | None, entries) -> str:
    """Record claims just written (``--ledger``/``--db`` of ``claim``, ``batch``); what was
    done, in words, for the command's summary."""
    with open_ledger(db) as ledger:
        done = ledger.record(entries)
    said = f"ledger: {done.new} new, {done.unchanged} already recorded"
    if done.replaced:
        said += f", {done.replaced} replaced (written again with other content)"
    if done.kept:
        said += (f", {len(done.kept)} kept as first recorded (payments were posted against "
                 "them)")
    return said

"""The ``payerkit`` subcommands, one record each, in one table (:data:`COMMANDS`).

A record (:class:`Command`) holds a command's name, its help, its options and the function
that runs it. The options are a frozen attrs class with one field per argument: the field
holds its argument's spelling and parser settings (:func:`option`), so an option is declared
once, the parser is built from the fields (:func:`add_arguments`), and a handler gets an
instance of the class, reading only what its command declares. Light on purpose: the CLI
imports this module to parse, and a command's modules only when it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

import attrs

from .formats import X12_837P
from .formats.x12_limits import EARLIEST_DATE, LATEST_DATE, MAX_CLAIMS_PER_TRANSACTION
from .scaffold.names import AdapterNames

#: A recorded claim's statuses (payerkit.ledger.reports.STATUSES, said here so that parsing
#: imports no ledger code).
LEDGER_STATUSES = ("open", "paid", "patient", "denied", "reversed")

_ARGUMENT = "payerkit.argument"


def option(*flags: str, group: str | None = None, **settings: Any) -> Any:
    """A field of a command's options and the argument that sets it: ``flags`` as argparse
    takes them (none: a positional argument named by the field); ``settings`` are argparse's
    (``help``, ``type``, ``default``, ``action``...); the fields of one ``group`` exclude
    each other. The argument's ``dest`` is the field's name."""
    return attrs.field(metadata={_ARGUMENT: (flags, group, settings)})


def add_arguments(parser: argparse.ArgumentParser, options: type) -> None:
    """Add an argument to ``parser`` for each field of ``options``, in their order."""
    groups: dict[str, Any] = {}
    for field in attrs.fields(options):
        flags, group, settings = field.metadata[_ARGUMENT]
        if group is not None and group not in groups:
            groups[group] = parser.add_mutually_exclusive_group()
        target = parser if group is None else groups[group]
        if flags:
            target.add_argument(*flags, dest=field.name, **settings)
        else:
            target.add_argument(field.name, **settings)


# ------------------------------------------------------------------ what arguments read


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-03-20, got {text!r}") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(f"expected a date from {EARLIEST_DATE.isoformat()} to "
                                         f"{LATEST_DATE.isoformat()}, got {day.isoformat()}")
    return day


def _folder(text: str) -> str:
    """A folder name; an empty one (``-o "$OUT"`` with ``OUT`` unset) is refused, not taken
    for the working folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a folder name, got an empty one")
    return text


def _file(text: str) -> str:
    """A file name; an empty one (``-o "$OUT"`` with ``OUT`` unset) is refused, not taken
    for stdout."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a file name, got an empty one")
    return text


def _adapter_name(text: str) -> str:
    """A new adapter's name, from which every other name is derived (a bad one: exit 2)."""
    try:
        return AdapterNames.of(text).name
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(most: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"expected 1 to {most}, got {value}")
        return value
    return parse


# ------------------------------------------------------------------ options several share


def _json() -> Any:
    return option("--json", action="store_true", help="print JSON (the documented shape)")


def _case() -> Any:
    return option(metavar="CASE", help="case file (.toml or .json)")


def _as_of() -> Any:
    return option("--as-of", type=_date, metavar="DATE",
                  help="the day to answer for and judge deadlines on "
                  "(default: the case's as_of, else today)")


def _as_of_every_case() -> Any:
    return option("--as-of", type=_date, metavar="DATE",
                  help="judge every case on this day (default: each case's as_of)")


def _parents() -> Any:
    return option("--parents", action="store_true",
                  help="create the output file's missing folders")


def _force_output() -> Any:
    return option("--force", action="store_true",
                  help="replace a symbolic link (the link itself, never its target) or a "
                  "read-only file at the output path")


def _force_outputs() -> Any:
    return option("--force", action="store_true",
                  help="replace symbolic links (the links themselves) or read-only files "
                  "among the outputs")


def _ledger() -> Any:
    return option("--ledger", action="store_true",
                  help="record the claims written in the ledger (PAYERKIT_DB, else the default "
                  "ledger; needs payerkit[ledger])")


def _db() -> Any:
    return option("--db", metavar="URL", help="record the claims written in this ledger "
                  "(implies --ledger; no password in it)")


# ------------------------------------------------------------------ each command's options


@attrs.frozen
class Listing:
    """``programs``, ``plugins``: what is installed."""

    json: bool = _json()


@attrs.frozen
class Question:
    """``check``, ``price``, ``limits``, ``terms``: one question about one visit of a case."""

    case: str = _case()
    visit: dt.date | None = option("--visit", type=_date, metavar="DATE",
                                   help="the visit to bill (default: the last one)")
    as_of: dt.date | None = _as_of()
    json: bool = _json()


@attrs.frozen
class ScrubOptions(Question):
    format: str | None = option("--format", metavar="FORMAT",
                                help="also check what this format's writer would refuse "
                                "(default: the program's first format, its electronic claim)")


@attrs.frozen
class PlanOptions:
    """``plan``: the treatment plan's state, and its progress report."""

    case: str = _case()
    as_of: dt.date | None = _as_of()
    json: bool = _json()
    output: str | None = option("-o", "--output", metavar="FILE", type=_file,
                                help="also write the progress report (PDF) to FILE")
    parents: bool = _parents()
    force: bool = _force_output()


@attrs.frozen
class ClaimOptions:
    case: str = _case()
    visit: list[dt.date] | None = option(  # a claim may bill several visits
        "--visit", group="visits", type=_date, metavar="DATE", action="append",
        help="a visit to bill; repeat it to bill several on one claim (default: the last one)")
    all_visits: bool = option("--all-visits", group="visits", action="store_true",
                              help="bill every visit of the case on one claim")
    as_of: dt.date | None = _as_of()
    json: bool = _json()
    format: str = option("--format", default=X12_837P,
                         help=f"claim format id (default {X12_837P})")
    output: str | None = option("-o", "--output", metavar="FILE", type=_file,
                                help="file to write (default: stdout)")
    parents: bool = _parents()
    force: bool = _force_output()
    ledger: bool = _ledger()
    db: str | None = _db()


@attrs.frozen
class DemoOptions:
    json: bool = _json()
    as_of: dt.date | None = _as_of_every_case()
    examples: str = option(nargs="?", default="examples", help="folder of case files")
    output: str = option("-o", "--output", default="demo-out", type=_folder,
                         help="folder to write into")
    force: bool = _force_outputs()


@attrs.frozen
class BatchOptions:
    json: bool = _json()
    inputs: list[str] = option(nargs="+", metavar="INPUT",
                               help="a folder of case files, a glob (quote it), a .jsonl file, "
                               "or - for JSON Lines on stdin")
    output: str = option("-o", "--output", default="batch-out", type=_folder,
                         help="folder for results.jsonl, summary.json and the claims "
                         "(default batch-out)")
    jobs: int | None = option("-j", "--jobs", type=_positive(256), metavar="N",
                              help="worker processes (default: the number of CPUs)")
    format: str = option("--format", default=X12_837P,
                         help=f"claim format id (default {X12_837P}); paper formats are "
                         "written one file per case")
    per_case: bool = option("--per-case", action="store_true",
                            help="one 837P file per case instead of one interchange per payer")
    per_transaction: int = option("--claims-per-transaction", metavar="N",
                                  type=_positive(MAX_CLAIMS_PER_TRANSACTION),
                                  default=MAX_CLAIMS_PER_TRANSACTION,
                                  help="claims per ST/SE transaction set (default and most: "
                                  f"{MAX_CLAIMS_PER_TRANSACTION})")
    all_visits: bool = option("--all-visits", action="store_true",
                              help="bill every visit of each case on one claim "
                              "(default: the last)")
    as_of: dt.date | None = _as_of_every_case()
    quiet: bool = option("-q", "--quiet", action="store_true", help="no progress bar")
    force: bool = _force_outputs()
    dask: str | None = option("--dask", metavar="SCHEDULER",
                              help="evaluate on a Dask cluster (address such as "
                              "tcp://host:8786; needs payerkit[dask])")
    ledger: bool = _ledger()
    db: str | None = _db()


@attrs.frozen
class NewAdapterOptions:
    name: str = option(metavar="NAME", type=_adapter_name,
                       help="the program's id, lowercase words joined by dashes (acme-wa): "
                       "the distribution is payerkit-NAME, the package payerkit_NAME")
    output: str | None = option("-o", "--output", metavar="DIR", type=_folder,
                                help="the folder to create; it must not exist or be empty "
                                "(default: ./payerkit-NAME)")


@attrs.frozen
class ServeOptions:
    host: str = option("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; any address but the "
                       "loopback needs PAYERKIT_API_TOKEN)")
    port: int = option("--port", type=_positive(65535), default=8000, help="port (default 8000)")
    workers: int = option("--workers", type=_positive(64), default=1, metavar="N",
                          help="worker processes (default 1)")
    files_dir: str | None = option("--files-dir", metavar="DIR", type=_folder,
                                   help="the only folder a case may name a file in (fees.file); "
                                   "without it, a case naming any file is refused")
    ledger: bool = option("--ledger", action="store_true",
                          help="record the claims /v1/claims writes, and answer /v1/ledger "
                          "(PAYERKIT_DB, else the default ledger; needs payerkit[ledger])")


@attrs.frozen
class LedgerOptions:
    """What every ``payerkit ledger`` command takes: the database and JSON."""

    db: str | None = option("--db", metavar="URL", help="the ledger's database: sqlite:///FILE "
                            "or postgresql://USER@HOST/DB, no password (default: PAYERKIT_DB, "
                            "else ledger.sqlite3 in payerkit's data folder)")
    json: bool = _json()


@attrs.frozen
class LedgerPost(LedgerOptions):
    file: str = option(metavar="FILE", help="an X12 835 (5010) remittance file")


@attrs.frozen
class LedgerAging(LedgerOptions):
    as_of: dt.date | None = option("--as-of", type=_date, metavar="DATE",
                                   help="the day to age claims to (default: today)")


@attrs.frozen
class LedgerClaims(LedgerOptions):
    status: str | None = option("--status", choices=LEDGER_STATUSES,
                                help="only claims of this status")


@attrs.frozen
class LedgerDenials(LedgerOptions):
    codes: str | None = option("--codes", metavar="CSV", type=_file,
                               help="your file of adjustment reason descriptions "
                               "(code,description); X12 owns their text, so payerkit ships none")


@attrs.frozen
class LedgerStatement(LedgerOptions):
    patient: str = option(metavar="PATIENT", help="the patient's number in the ledger (P..., "
                          "as `payerkit ledger claims` shows)")
    output: str | None = option("-o", "--output", metavar="FILE", type=_file,
                                help="the statement PDF to write (default: "
                                "statement-PATIENT.pdf)")
    on: dt.date | None = option("--on", type=_date, metavar="DATE",
                                help="the statement's date (default: today)")
    codes: str | None = option("--codes", metavar="CSV", type=_file,
                               help="your file of adjustment reason descriptions")
    force: bool = _force_outputs()


# ------------------------------------------------------------------ the table


@attrs.frozen
class Command:
    """One subcommand, ``payerkit <name>``.

    ``options`` is its options class (its fields are its arguments); ``run`` names the
    function of :mod:`payerkit.commands` that runs it (a dotted name: a function of that
    module of payerkit, ``ledger.commands.post``), ``run(kit, options) -> exit status``:
    named, not imported, so that parsing (``--help``) loads no plugin machinery. ``kit``
    says whether it needs the installed plugins (``kit`` is ``None`` otherwise).
    """

    name: str
    help: str
    options: type
    run: str
    kit: bool = True


#: Commands with subcommands (``payerkit ledger post``): their help.
GROUPS = {"ledger": "The ledger (needs payerkit[ledger]): claims written, 835 remittances "
          "posted, aging, denials, underpayments, patient statements; docs/ledger.md."}

COMMANDS: dict[str, Command] = {c.name: c for c in [
    Command("programs", "List installed payer programs.", Listing, "programs"),
    Command("plugins", "List installed plugins and the hooks they implement.", Listing,
            "plugins"),
    Command("check", "Eligibility: will the program pay, and on what conditions?", Question,
            "check"),
    Command("price", "Units, charges and allowed amounts for a visit.", Question, "price"),
    Command("limits", "Visits or units used and left under the program's limits.", Question,
            "limits"),
    Command("terms", "What the payer owes on a claim and by when (prompt pay, interest).",
            Question, "terms"),
    Command("scrub", "Problems with the claim before it goes out (exit 1 on errors).",
            ScrubOptions, "scrub"),
    Command("plan", "The treatment plan: days and visits left, progress on each goal, what "
            "is due; -o writes the progress report.", PlanOptions, "plan"),
    Command("claim", "Write the claim file (refused when the scrub finds errors).",
            ClaimOptions, "claim"),
    Command("demo", "Run every example case: decision, price, findings and claim files.",
            DemoOptions, "demo"),
    Command("batch", "Evaluate many cases and write their claims: one 837P interchange per "
            "payer, a result line per case, a summary.", BatchOptions, "batch"),
    Command("serve", "Serve the HTTP API (needs payerkit[server]); docs/http.md.",
            ServeOptions, "serve", kit=False),
    Command("new-adapter", "Create a new adapter package: every hook with a worked SAMPLE "
            "example, cited figures, example cases and its conformance test.",
            NewAdapterOptions, "new_adapter", kit=False),
    Command("ledger post", "Post an 835 remittance: checked to balance, matched to claims, "
            "posted once.", LedgerPost, "ledger.commands.post", kit=False),
    Command("ledger claims", "The claims recorded, with what was paid.", LedgerClaims,
            "ledger.commands.claims", kit=False),
    Command("ledger aging", "Claims awaiting the payer by age, with due dates and interest.",
            LedgerAging, "ledger.commands.aging", kit=False),
    Command("ledger denials", "Denied payments by adjustment reason.", LedgerDenials,
            "ledger.commands.denials", kit=False),
    Command("ledger underpayments", "Lines paid below the expected allowed amount.",
            LedgerOptions, "ledger.commands.underpayments", kit=False),
    Command("ledger statement", "A patient's statement (PDF): billed, paid by the insurer, "
            "owed by the patient and why.", LedgerStatement, "ledger.commands.statement", kit=False),
]}

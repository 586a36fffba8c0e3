"""The ``payerkit`` command: parse arguments, call the facade, print or write. No logic of its own.

Exit status: 0 done; 1 the scrub found errors (``scrub``, ``claim``); 2 bad
input (a case file, an option, an unknown program), one line per problem
naming the field; 3 a plugin or set-up problem (a conflict, a failed plugin in
strict mode, a plugin that fails while answering, a damaged control-number
counter, an output path payerkit will not write; an interrupt). Never a traceback,
unless ``--debug`` or ``PAYERKIT_DEBUG=1``; never a plugin's ``sys.exit()``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback

from . import __version__
from .env import flag
from .errors import EXIT_OK, EXIT_PLUGIN, PayerKitError
from .formats import X12_837P
from .formats.x12_limits import MAX_CLAIMS_PER_TRANSACTION
from .output import print_problems


def _date(text: str) -> dt.date:
    from .formats.x12_limits import EARLIEST_DATE, LATEST_DATE

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-03-20, got {text!r}") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(f"expected a date from {EARLIEST_DATE.isoformat()} to "
                                         f"{LATEST_DATE.isoformat()}, got {day.isoformat()}")
    return day


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="payerkit", description="Payers' rules for massage therapy: eligibility, prices, "
        "visit limits, scrubbing and claims, with reasons and citations.")
    parser.add_argument("--version", action="version", version=f"payerkit {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show tracebacks of unexpected errors (also PAYERKIT_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, help_, case=True, visit=False):
        p = sub.add_parser(name, help=help_, description=help_)
        if case:
            p.add_argument("case", metavar="CASE", help="case file (.toml or .json)")
        if visit == "many":  # a claim may bill several visits
            which = p.add_mutually_exclusive_group()
            which.add_argument("--visit", type=_date, metavar="DATE", action="append",
                               help="a visit to bill; repeat it to bill several on one claim "
                               "(default: the last one)")
            which.add_argument("--all-visits", dest="all_visits", action="store_true",
                               help="bill every visit of the case on one claim")
        elif visit:
            p.add_argument("--visit", type=_date, metavar="DATE",
                           help="the visit to bill (default: the last one)")
        if case or visit:
            p.add_argument("--as-of", dest="as_of", type=_date, metavar="DATE",
                           help="the day to answer for and judge deadlines on "
                           "(default: the case's as_of, else today)")
        p.add_argument("--json", action="store_true", help="print JSON (the documented shape)")
        return p

    command("programs", "List installed payer programs.", case=False)
    command("plugins", "List installed plugins and the hooks they implement.", case=False)
    command("check", "Eligibility: will the program pay, and on what conditions?", visit=True)
    command("price", "Units, charges and allowed amounts for a visit.", visit=True)
    command("limits", "Visits or units used and left under the program's limits.", visit=True)
    command("terms", "What the payer owes on a claim and by when (prompt pay, interest).",
            visit=True)
    scrub = command("scrub", "Problems with the claim before it goes out (exit 1 on errors).",
                    visit=True)
    scrub.add_argument("--format", metavar="FORMAT",
                       help="also check what this format's writer would refuse "
                       "(default: the program's first format, its electronic claim)")
    claim = command("claim", "Write the claim file (refused when the scrub finds errors).",
                    visit="many")
    claim.add_argument("--format", default=X12_837P, help=f"claim format id (default {X12_837P})")
    claim.add_argument("-o", "--output", metavar="FILE", type=_file,
                       help="file to write (default: stdout)")
    claim.add_argument("--parents", action="store_true",
                       help="create the output file's missing folders")
    claim.add_argument("--force", action="store_true",
                       help="replace a symbolic link (the link itself, never its target) or a "
                       "read-only file at the output path")
    demo = command("demo", "Run every example case: decision, price, findings and claim files.",
                   case=False, visit=False)
    demo.add_argument("--as-of", dest="as_of", type=_date, metavar="DATE",
                      help="judge every case on this day (default: each case's as_of)")
    demo.add_argument("examples", nargs="?", default="examples", help="folder of case files")
    demo.add_argument("-o", "--output", default="demo-out", type=_folder,
                      help="folder to write into")
    demo.add_argument("--force", action="store_true",
                      help="replace symbolic links (the links themselves) or read-only files "
                      "among the outputs")
    batch = command("batch", "Evaluate many cases and write their claims: one 837P interchange "
                    "per payer, a result line per case, a summary.", case=False)
    batch.add_argument("inputs", nargs="+", metavar="INPUT",
                       help="a folder of case files, a glob (quote it), a .jsonl file, or - "
                       "for JSON Lines on stdin")
    batch.add_argument("-o", "--output", default="batch-out", type=_folder,
                       help="folder for results.jsonl, summary.json and the claims "
                       "(default batch-out)")
    batch.add_argument("-j", "--jobs", type=_positive(256), metavar="N",
                       help="worker processes (default: the number of CPUs)")
    batch.add_argument("--format", default=X12_837P,
                       help=f"claim format id (default {X12_837P}); paper formats are written "
                       "one file per case")
    batch.add_argument("--per-case", dest="per_case", action="store_true",
                       help="one 837P file per case instead of one interchange per payer")
    batch.add_argument("--claims-per-transaction", dest="per_transaction", metavar="N",
                       type=_positive(MAX_CLAIMS_PER_TRANSACTION),
                       default=MAX_CLAIMS_PER_TRANSACTION,
                       help="claims per ST/SE transaction set (default and most: "
                       f"{MAX_CLAIMS_PER_TRANSACTION})")
    batch.add_argument("--all-visits", dest="all_visits", action="store_true",
                       help="bill every visit of each case on one claim (default: the last)")
    batch.add_argument("--as-of", dest="as_of", type=_date, metavar="DATE",
                       help="judge every case on this day (default: each case's as_of)")
    batch.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    batch.add_argument("--force", action="store_true",
                       help="replace symbolic links (the links themselves) or read-only files "
                       "among the outputs")
    batch.add_argument("--dask", metavar="SCHEDULER",
                       help="evaluate on a Dask cluster (address such as tcp://host:8786; "
                       "needs payerkit[dask])")
    return parser


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


def main(argv: list[str] | None = None) -> int:
    """Run one command; every outcome is an exit status 0-3, never a traceback.

    With ``--debug`` (or ``PAYERKIT_DEBUG=1``) an unexpected error shows its
    traceback, for developers; otherwise it is exit 3 naming its type only
    (its text may hold patient data).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        debug = args.debug or flag("PAYERKIT_DEBUG")
    except PayerKitError as exc:
        return _report(exc, debug=False)
    try:
        from .commands import run

        return run(args)
    except PayerKitError as exc:  # our own message, no patient data; the class knows its status
        return _report(exc, debug)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print_problems(["interrupted; nothing was written"], "stopped")
        return EXIT_PLUGIN
    except BaseException as exc:  # a bug, or a sys.exit() past the plugin boundary: its type only
        if debug:
            raise
        print_problems([f"internal error ({type(exc).__name__}); run again with --debug "
                        "(or PAYERKIT_DEBUG=1) to see where, and report it"], "cannot answer")
        return EXIT_PLUGIN


def _report(exc: PayerKitError, debug: bool) -> int:
    """Print an expected error's lines under its heading; its exit status (``exit_code``).
    With ``--debug``, a plugin or set-up problem shows the traceback of what caused it (a
    plugin's exception); an input error's cause may quote the input, so it never does."""
    print_problems(exc.problem_lines(), exc.heading)
    if debug and exc.exit_code == EXIT_PLUGIN and exc.__cause__ is not None:
        traceback.print_exception(exc.__cause__)
    return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


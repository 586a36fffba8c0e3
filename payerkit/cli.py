"""The ``payerkit`` command: parse the arguments (a parser built from the table of
subcommands, :mod:`payerkit.command_table`), run the command (:mod:`payerkit.commands`,
imported only then) and end every outcome in an exit status. No logic of its own.

Exit status: 0 done; 1 the scrub found errors (``scrub``, ``claim``); 2 bad
input (a case file, an option, an unknown program), one line per problem
naming the field; 3 a plugin or set-up problem (a conflict, a failed plugin in
strict mode, a plugin that fails while answering, a damaged control-number
counter, an output path payerkit will not write; an interrupt). Never a traceback,
unless ``--debug`` (before the command or after it) or ``PAYERKIT_DEBUG=1``; never a
plugin's ``sys.exit()``.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from . import __version__
from .command_table import COMMANDS, Command, add_arguments
from .env import flag
from .errors import EXIT_OK, EXIT_PLUGIN, PayerKitError
from .output import print_problems


def build_parser() -> argparse.ArgumentParser:
    """The parser of :data:`~payerkit.command_table.COMMANDS`: a subparser per record, its
    arguments from its options' fields. ``--debug`` is the error boundary's, not a command's:
    accepted before the command or after it, it never reaches the options."""
    parser = argparse.ArgumentParser(
        prog="payerkit", description="Payers' rules for massage therapy: eligibility, prices, "
        "visit limits, scrubbing and claims, with reasons and citations.")
    parser.add_argument("--version", action="version", version=f"payerkit {__version__}")
    _add_debug(parser, default=False)
    sub = parser.add_subparsers(dest="_command", required=True, metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for command in COMMANDS.values():
        group, _, name = command.name.rpartition(" ")  # "ledger post": post, of ledger
        where = sub if not group else groups.get(group) or _group(sub, groups, group)
        p = where.add_parser(name, help=command.help, description=command.help)
        p.set_defaults(command=command.name)
        add_arguments(p, command.options)
        # absent unless given: a subparser's default would overwrite ``payerkit --debug``
        _add_debug(p, default=argparse.SUPPRESS)
    return parser


def _group(sub, groups: dict, name: str):
    """The subcommands of ``payerkit <name>`` (``payerkit ledger post``...)."""
    from .command_table import GROUPS

    p = sub.add_parser(name, help=GROUPS[name], description=GROUPS[name])
    _add_debug(p, default=argparse.SUPPRESS)
    groups[name] = p.add_subparsers(dest=f"_{name}", required=True, metavar="COMMAND")
    return groups[name]


def _add_debug(parser: argparse.ArgumentParser, default) -> None:
    """``--debug``, defined once for the main parser and every subcommand's."""
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show tracebacks of unexpected errors (also PAYERKIT_DEBUG=1)")


def parse(argv: list[str] | None = None) -> tuple[Command, object, bool]:
    """The command ``argv`` names, its options (an instance of its options class) and
    whether ``--debug`` was given; a usage error exits 2 (argparse)."""
    given = {k: v for k, v in vars(build_parser().parse_args(argv)).items()
             if not k.startswith("_")}
    debug = given.pop("debug")
    command = COMMANDS[given.pop("command")]
    return command, command.options(**given), debug


def main(argv: list[str] | None = None) -> int:
    """Run one command; every outcome is an exit status 0-3, never a traceback.

    With ``--debug`` (or ``PAYERKIT_DEBUG=1``) an unexpected error shows its
    traceback, for developers; otherwise it is exit 3 naming its type only
    (its text may hold patient data).
    """
    command, options, debug = parse(argv)
    try:
        debug = debug or flag("PAYERKIT_DEBUG")
    except PayerKitError as exc:
        return _report(exc, debug=False)
    try:
        from .commands import run

        return run(command, options)
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


"""Exceptions payerkit raises on purpose, each with the ``payerkit`` command's exit status.

Their text never carries patient data. The command prints an error's
:meth:`~PayerKitError.problem_lines` under its :attr:`~PayerKitError.heading` and exits
with its :attr:`~PayerKitError.exit_code` (docs/cli.md): a new error says its own status,
and the command needs no change.
"""

from __future__ import annotations

import errno

#: The command's exit statuses: done; the scrub found errors; bad input; a plugin or set-up
#: problem (an interrupt too). Never any other.
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_PLUGIN = 0, 1, 2, 3


class PayerKitError(Exception):
    """Base class: an expected failure the CLI reports without a traceback."""

    #: The ``payerkit`` command's exit status: a plugin or set-up problem unless a
    #: subclass says otherwise.
    exit_code = EXIT_PLUGIN
    #: What the command prints above the problem lines.
    heading = "cannot answer"

    def problem_lines(self) -> list[str]:
        """What the command prints, one line each."""
        return [str(self)]


class CaseError(PayerKitError):
    """A case file is unreadable or invalid; ``problems`` lists ``path: what was expected``."""

    exit_code = EXIT_INPUT
    heading = "invalid input"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):  # pickled whole (a worker process, a Dask task), not as its text
        return CaseError, (self.problems,)

    def problem_lines(self) -> list[str]:
        return self.problems


class RemittanceError(PayerKitError):
    """An X12 835 remittance cannot be read: not an 835 (5010 X221), damaged, truncated, or a
    value that is not what the TR3 says. ``problems`` lists them, each naming the segment's
    position in the file (1-based), its id and the element (``segment 14 CLP04: expected an
    amount, got 'x'``) -- never a patient's name or member id (a claim id may appear: it is
    the practice's own patient control number). Raised by :mod:`payerkit.remittance.reader`."""

    exit_code = EXIT_INPUT
    heading = "invalid remittance"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):
        return RemittanceError, (self.problems,)

    def problem_lines(self) -> list[str]:
        return self.problems


class PluginError(PayerKitError):
    """A plugin failed to load, registered a bad record, or conflicts with another."""


class UnknownProgram(CaseError):
    """No installed plugin serves the case's program. ``failed``: plugins that failed to load
    (``'name' (distribution): reason``), named because one of them may serve it."""

    def __init__(self, program: str, known: list[str], failed: list[str] | tuple = ()):
        self.program, self.known, self.failed = program, list(known), list(failed)
        listing = ", ".join(sorted(known)) or "none installed"
        problem = f"program: unknown program {program!r} (installed: {listing})"
        if self.failed:
            problem += ("; plugin(s) that failed to load, one of which may serve it: "
                        + "; ".join(self.failed))
        super().__init__([problem])

    def __reduce__(self):
        return UnknownProgram, (self.program, self.known, self.failed)


class ProgramUnavailable(PluginError):
    """The case's program is served by an installed plugin that failed to load (or could not
    register that program): ``why`` names the plugin and the reason, which is not the
    user's input."""

    def __init__(self, program: str, why: str):
        self.program, self.why = program, why
        super().__init__(f"program {program!r} is unavailable: {why}. Fix or reinstall the "
                         "plugin (`payerkit plugins` lists what loaded; "
                         "PAYERKIT_STRICT_PLUGINS=1 makes a load failure an error)")

    def __reduce__(self):
        return ProgramUnavailable, (self.program, self.why)


class ClaimRefused(PayerKitError):
    """The scrub found errors, so no claim was written; ``findings`` says why."""

    exit_code = EXIT_FINDINGS
    heading = "claim refused"

    def __init__(self, findings):
        self.findings = tuple(findings)
        super().__init__(f"{self.heading}: {len(self.findings)} error(s) found")

    def __reduce__(self):
        return type(self), (self.findings,)

    def problem_lines(self) -> list[str]:
        # a format's finding already starts with its path: named once
        return [f.message if f.path and f.message.startswith(f"{f.path}: ")
                else f"{f.path or 'claim'}: {f.message}" for f in self.findings]


class ReportRefused(ClaimRefused):
    """A document about the treatment plan (the progress report), not a claim, was not
    written: its own findings (a value it cannot print) say why. A :class:`ClaimRefused`,
    so a caller that catches refused claims catches it too."""

    heading = "report refused"


class FormatError(PayerKitError, ValueError):
    """A claim value a format cannot carry. ``field`` is the claim field (``member_id``,
    ``lines[2].charge``); the kit turns it into the case field's path. Never holds the value."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")

    def __reduce__(self):
        return FormatError, (self.field, self.problem)


class OutputError(PayerKitError):
    """A file cannot be written there: the message names the path and what to do. Nothing
    was written (the CLI's exit status 3). Raised by :mod:`payerkit.files`."""


class RequestError(CaseError):
    """A request to ``payerkit serve`` that cannot be answered as sent: a body that is not
    JSON (or not UTF-8), a bad query parameter (HTTP :attr:`status` 400); the subclasses say
    404, 413 and 415. Its problem lines name the parameter or the body, never patient data."""

    heading = "malformed request"
    #: The HTTP status of the answer.
    status = 400


class NotFound(RequestError):
    """What a request's path names does not exist (a program id): 404."""

    heading = "not found"
    status = 404


class TooLarge(RequestError):
    """A request's body is larger than the endpoint's limit: 413."""

    heading = "too large"
    status = 413


class UnsupportedMediaType(RequestError):
    """A request's body is not of the type the endpoint takes (``Content-Type``): 415.
    Asking for JSON also keeps a web page of another site from posting a case with a plain
    form (a browser asks the server first before sending JSON across sites, and this server
    never says yes)."""

    heading = "unsupported media type"
    status = 415


class ServeError(PayerKitError):
    """``payerkit serve`` will not start: the extra is not installed, a non-loopback address
    without a token, a ``--files-dir`` that is not a folder. The message says what to do."""

    exit_code = EXIT_INPUT
    heading = "cannot serve"


class CounterError(PayerKitError):
    """The control-number counter cannot be used; the message names the path and the fix.
    The counter is left as it was, and no number was issued (:mod:`payerkit.formats.control`)."""


class ControlBlockExhausted(CounterError):
    """A :meth:`~payerkit.formats.control.ControlNumberSource.from_numbers` source has handed
    out every number of its block; the message names the block and the fix."""


# -- Reading a file: OSErrors the reader turns into its own error (a CaseError, a CounterError)

class NotRegularFile(OSError):
    """:func:`payerkit.files.read_regular` will not read it: a FIFO, a device, a socket or a
    folder. ``kind`` says which (``a FIFO (named pipe)``), and ``strerror``
    ``it is a FIFO (named pipe), not a regular file``."""

    def __init__(self, kind: str):
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file")
        self.kind = kind

    def __reduce__(self):
        return NotRegularFile, (self.kind,)


class FileTooLarge(OSError):
    """:func:`payerkit.files.read_regular` will not read it: it holds more than the reader's
    ``limit`` of bytes."""

    def __init__(self, limit: int):
        super().__init__(errno.EFBIG, f"it is larger than {limit} bytes")
        self.limit = limit

    def __reduce__(self):
        return FileTooLarge, (self.limit,)


class LedgerError(PayerKitError):
    """The ledger cannot be opened or used: a database that cannot be reached, a URL with a
    password on the command line, a ledger made by a newer payerkit, the ledger extra not
    installed. Never says a patient value; a URL is shown without its password."""

    heading = "ledger"


class LedgerInputError(LedgerError):
    """A ledger request that names what is not there (a patient, a claim status)."""

    exit_code = EXIT_INPUT


class NotPosted(LedgerError):
    """A remittance file was not posted: it does not balance, or repeats itself; ``problems``
    lists why, one line each (the posting's findings: the command's exit status 1)."""

    exit_code = EXIT_FINDINGS
    heading = "not posted"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):
        return NotPosted, (self.problems,)

    def problem_lines(self) -> list[str]:
        return self.problems

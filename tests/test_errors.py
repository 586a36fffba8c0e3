"""payerkit's exceptions: all in ``payerkit.errors``, each with the exit status the command
gives it (docs/cli.md), and whole across process boundaries (a batch worker, a Dask task)."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

import payerkit
from payerkit import CaseError, ClaimRefused, Finding, FormatError
from payerkit.cli import main
from payerkit.errors import (
    ControlBlockExhausted,
    CounterError,
    FileTooLarge,
    LedgerError,
    LedgerInputError,
    NotFound,
    NotPosted,
    NotRegularFile,
    OutputError,
    PayerKitError,
    PluginError,
    ProgramUnavailable,
    RemittanceError,
    ReportRefused,
    RequestError,
    ServeError,
    TooLarge,
    UnknownProgram,
    UnsupportedMediaType,
)


@pytest.mark.parametrize("error", [
    CaseError(["visits[0].date: expected a date", "provider.npi: expected 10 digits"]),
    ClaimRefused([Finding("error", "NPI-INVALID", "provider.npi: bad check digit", "provider.npi")]),
    ReportRefused([Finding("error", "FORMAT-LIMIT", "episode.plan.goals[0].description: too "
                           "wide", "episode.plan.goals[0].description")]),
    FormatError("lines[2].charge", "must be a non-negative amount"),
    UnknownProgram("nobody-pays", ["premera-wa", "ny-no-fault"]),
    UnknownProgram("wa-lni", ["premera-wa"], ["'lni' (payerkit-lni): ImportError: boom"]),
    ProgramUnavailable("wa-lni", "its plugin 'wa-lni' (payerkit-wa-lni) failed to load: E: x"),
    PluginError("plugin 'x' failed in payerkit_units: RuntimeError"),
    OutputError("cannot write 'out.837': it is a folder"),
    CounterError("the control-number counter 'c' is damaged"),
    ControlBlockExhausted("the block 1-4 is used up"),
    NotRegularFile("a FIFO (named pipe)"),
    FileTooLarge(1024),
    LedgerError("cannot open the ledger at sqlite:///x: disk I/O error"),
    NotPosted(["the file does not balance", "transaction 1: BPR02 is not the payments' sum"]),
    RemittanceError(["segment 14 CLP04: expected an amount, got 'x'"]),
], ids=lambda e: type(e).__name__)
def test_an_error_pickles_with_its_fields(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    for name in ("problems", "findings", "field", "problem", "errno", "strerror", "limit"):
        assert getattr(copy, name, None) == getattr(error, name, None)


def _modules():
    for info in pkgutil.walk_packages(payerkit.__path__, "payerkit."):
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional extra (dask, pyx12) not installed here
            continue


def test_every_exception_is_defined_in_payerkit_errors():
    """Every public exception class (a warning category is not one: it stops nothing)."""
    elsewhere = sorted(
        f"{module.__name__}.{name}" for module in _modules()
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException)
        and not issubclass(obj, Warning) and not name.startswith("_")
        and obj.__module__ == module.__name__ and module.__name__ != "payerkit.errors")
    assert elsewhere == []


def test_the_old_import_paths_still_work():
    from payerkit import errors, files
    from payerkit.formats import control

    assert payerkit.OutputError is files.OutputError is errors.OutputError
    assert payerkit.CounterError is control.CounterError is errors.CounterError
    assert control.ControlBlockExhausted is errors.ControlBlockExhausted
    assert files.NotRegularFile is errors.NotRegularFile and files.FileTooLarge is errors.FileTooLarge


#: docs/cli.md: 1 the scrub refused the claim, 2 bad input, 3 a plugin or set-up problem.
EXIT_STATUS = {ClaimRefused: 1, ReportRefused: 1, CaseError: 2, UnknownProgram: 2, PayerKitError: 3,
               PluginError: 3, FormatError: 3, OutputError: 3, CounterError: 3,
               ControlBlockExhausted: 3, ProgramUnavailable: 3, ServeError: 2,
               RequestError: 2, NotFound: 2, TooLarge: 2, UnsupportedMediaType: 2,
               LedgerError: 3, LedgerInputError: 2, NotPosted: 1, RemittanceError: 2}


def test_every_error_carries_its_exit_status():
    errors = {obj for module in [importlib.import_module("payerkit.errors")]
              for obj in vars(module).values()
              if inspect.isclass(obj) and issubclass(obj, PayerKitError)}
    assert errors == set(EXIT_STATUS)
    assert {cls: cls.exit_code for cls in errors} == EXIT_STATUS


class Refusal(PayerKitError):
    """An error of a future command: its class alone decides the exit status."""

    exit_code = 1
    heading = "refused"


@pytest.mark.parametrize("error, code, printed", [
    (Refusal("visits[0]: not today"), 1, "refused"),
    (CaseError(["visits[0].date: expected a date"]), 2, "invalid input"),
    (ClaimRefused([Finding("error", "X", "no NPI", "provider.npi")]), 1, "provider.npi: no NPI"),
    (OutputError("cannot write 'out.837'"), 3, "cannot write 'out.837'"),
], ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None)
def test_the_command_exits_with_the_errors_own_status(error, code, printed, monkeypatch, capsys):
    def run(command, options):
        raise error

    monkeypatch.setattr("payerkit.commands.run", run)
    assert main(["programs"]) == code
    err = capsys.readouterr().err
    assert printed in err and "Traceback" not in err

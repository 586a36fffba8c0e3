"""Batch billing: thousands of cases in one run, each evaluated once, claims in interchanges.

    from payerkit.batch import BatchSettings, find_items, run_batch

    summary = run_batch(find_items(["cases/"]), BatchSettings(out=Path("out")), jobs=2)

**Data flows one way.** Inputs (:func:`find_items`: case files in a folder, a
glob, JSON Lines from a file or stdin) become :class:`Item` records; each is
evaluated by :func:`evaluate_item` (load, :meth:`payerkit.PayerKit.evaluate`,
the JSON shapes of the single commands) in this process or in worker
processes; the driver (:func:`run_batch`) writes, in input order, one result
line per case to ``results.jsonl``, each clean claim of a format that streams
into its file through the format's own stream (the 837P: the interchange of its
payer, :class:`payerkit.formats.x12_837p.Interchange837P`), and
``summary.json`` at the end. A claim of a format that does not stream, or with
``per_case``, is its own file, written by :meth:`payerkit.model.Evaluation.write`
where it was evaluated: every claim is the evaluation's own rendering, as
``payerkit claim`` writes it.

**Streaming.** Items are read as they are needed, at most a few chunks per
worker ahead of the driver; results and interchanges are written as they come,
so memory does not grow with the number of cases (a folder's file *names* are
listed, and sorted, first).

**Nothing half-written.** Every output goes through
:class:`payerkit.files.AtomicFile` (one ``fsync`` each, at the end); a run that
stops on a set-up problem (a full disk, a damaged counter) or an interrupt
removes its temporary files and leaves the folder as it was. A bad case is not
such a problem: it is a result line (``"status": "invalid"``) naming the file
(and line) and what was expected. A worker process that dies (SIGKILL, a plugin's
``os._exit``) stops the run: what it finished is written, and every other case is a
result line saying it was not evaluated (:func:`not_evaluated`).

**Control numbers** come from one :class:`payerkit.formats.control.ControlNumberSource`
in the driver, reserved from the counter in blocks (one lock and one fsync
per block), so they never repeat across runs or concurrent batches.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import json
import os
import pickle
import re
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from attrs import field, frozen

from .errors import CaseError, ClaimRefused, FormatError, PayerKitError, PluginError
from .files import (
    AtomicFile,
    FolderLock,
    OutputError,
    file_kind,
    make_folder,
    open_regular,
    remove_stale_temps,
    show,
    write_atomic,
)
from .formats import CMS_1500_RED, X12_837P
from .formats.builtin import file_ending
from .formats.options import ControlNumbers, WriteOptions
from .formats.x12_limits import MAX_CLAIMS_PER_TRANSACTION
from .io import MAX_FILE_BYTES, case_from_text, load_case
from .output import (
    JSON,
    JsonBytes,
    eligibility_json,
    finding_json,
    limits_json,
    payment_terms_json,
    pricing_json,
    utf8,
)
from .rules.money import cents, format_money

#: Case files in a folder or a glob; anything else named on the command line is JSON Lines.
CASE_SUFFIXES = (".toml", ".json")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: What ``results.jsonl``'s ``status`` says about each case.
STATUSES = ("written", "refused", "invalid", "failed")
#: The status of a case whose claim would be written, when no claim is made
#: (:attr:`BatchSettings.claims` false: ``payerkit serve``'s ``/v1/batch``).
CLEAN = "clean"


@frozen
class Item:
    """One case to evaluate: a case file, or line ``line`` of a JSON Lines input
    (``source`` is that file, or ``-`` for stdin, and ``text`` the line). ``problem``: why
    a line is no case (too long, not UTF-8), found as it was read; its text is not kept."""

    source: str
    line: int | None = None
    text: str | None = None
    problem: str | None = None

    def where(self) -> dict:
        """The case's place in the inputs, as its result line gives it."""
        return {"path": self.source} if self.line is None else \
            {"path": self.source, "line": self.line}

    def load(self):
        if self.problem is not None:
            raise CaseError([self.problem])
        if self.text is None:
            return load_case(self.source)  # a FIFO or a device is refused, never read
        base = Path.cwd() if self.source == "-" else _folder(self.source)
        return case_from_text(self.text, "case.json", base)


@functools.lru_cache(maxsize=64)
def _folder(source: str) -> Path:
    """The folder of a JSON Lines file: where its cases' relative fee files are read from."""
    return Path(source).parent


@frozen
class BatchSettings:
    """What a batch does with each case.

    ``format``: the claim format (default the 837P); ``visits``: ``"last"`` (each
    case's last visit, as ``payerkit claim``) or ``"all"`` (every visit on one
    claim); ``as_of``: the day to judge every case on (default each case's own);
    ``written_on``: the day the claims are written (default today); ``per_case``:
    one claim file per case instead of the format's stream (one interchange per
    payer for the 837P; a format that does not stream, such as a paper form, is
    always one file per case); ``claims_per_transaction``: claims per ST/SE in an
    interchange (at most 5000, the TR3's limit).
    """

    out: Path = field(converter=Path)
    format: str = X12_837P
    visits: str = "last"
    as_of: dt.date | None = None
    written_on: dt.date = field(factory=dt.date.today)
    per_case: bool = False
    claims_per_transaction: int = MAX_CLAIMS_PER_TRANSACTION
    force: bool = False
    now: dt.datetime | None = None
    data_dir: Path | None = None
    #: Files the run reads (JSON Lines, named case files): never written over.
    inputs: tuple[str, ...] = field(default=(), converter=tuple)
    #: ``False``: evaluate only, make no claim (``payerkit serve``'s ``/v1/batch``): a case
    #: whose scrub found no error is ``clean`` (:data:`CLEAN`), and nothing is written.
    claims: bool = True
    #: Each claim written is recorded in the ledger :func:`run_batch` is given: the workers
    #: make each claim's :class:`payerkit.ledger.ClaimEntry` beside it.
    record: bool = False

    def streams(self, kit) -> bool:
        """Clean claims go into the format's stream (one 837P interchange per payer),
        written by the driver: the format streams, and ``per_case`` is not asked."""
        return not self.per_case and kit.claim_format_of(self.format).stream is not None

    @property
    def numbered_files(self) -> bool:
        """Each case's claim is its own 837P file, with control numbers of its own."""
        return self.format == X12_837P and self.per_case


class Evaluated(NamedTuple):
    """What a worker sends the driver for one case (small, quick to pickle).

    ``head``: the result line's JSON (UTF-8) without its closing brace (the driver adds
    the claim's place); ``rendering``: the claim as its format rendered it, for the
    driver to put into the format's stream (an 837P interchange), else ``None``;
    ``file``: the claim file a worker wrote (one file per case);
    ``charged``/``allowed``: the claim's totals to the cent (``allowed`` ``None``
    when unknown); ``errors``: the codes of what stopped the claim.
    """

    head: bytes
    status: str
    program: str | None
    eligibility: str | None
    rendering: object = None
    file: str | None = None
    charged: Decimal | None = None
    allowed: Decimal | None = None
    errors: tuple[str, ...] = ()
    #: The ledger's record of the claim written (``settings.record``), else ``None``.
    entry: object = None


# ---------------------------------------------------------------------------
# Inputs.
# ---------------------------------------------------------------------------


def batch_format(kit, format_id: str):
    """The installed format a batch writes (or judges) its claims in; unknown is bad input,
    and so is a format that draws the treatment plan rather than the claim (the progress
    report: ``payerkit plan -o``, ``payerkit claim --format``, ``payerkit demo``): a batch
    counts claims, their charges and why they were refused."""
    fmt = kit.claim_format_of(format_id)  # unknown: CaseError
    if fmt.renders == "plan":
        raise CaseError([f"format: {format_id} draws a case's treatment plan, not its claim: "
                         "a batch writes claims; write a progress report with payerkit plan "
                         "CASE -o FILE or payerkit claim CASE --format " + format_id])
    return fmt


def find_items(inputs: Sequence[str], stdin=None, *, out: str | os.PathLike | None = None,
               per_case: bool = False) -> Iterator[Item]:
    """The cases named by ``inputs``, in order: a folder (its ``.toml`` and ``.json``
    files, sorted by name), a case file, a JSON Lines file (``.jsonl``/``.ndjson``;
    one case per line), ``-`` (JSON Lines on stdin), or a glob (``cases/**/*.toml``;
    ``**`` does not follow links to folders).

    Every input is checked first, before any case is read; a problem is a
    :class:`CaseError` (exit 2): an empty input name (an unset variable: never taken for
    the working folder), an input that names nothing (no such path; a folder or glob
    without case files; a JSON Lines file, or stdin, without a line that is not blank; a
    closed stdin), and a case file named twice (by two inputs, or through a
    link: it would be billed twice). With ``per_case`` (one claim file per case), two
    cases that would write the same claim file (``a/x.toml`` and ``b/x.toml``, ``x.toml``
    and ``x.json``) are refused too: the second would replace the first's claim. With
    ``out``, an output folder that holds an input is an :class:`OutputError` (its
    ``summary.json`` would be read as a case next time). A case that cannot be read
    later is a result line, not the end of the run.
    """
    if not inputs:
        raise CaseError(["inputs: name a folder of case files, a glob, a .jsonl file or -"])
    if list(inputs).count("-") > 1:
        raise CaseError(["inputs: - (stdin) may be named once"])
    if any(not text.strip() for text in inputs):  # "$CASES" unset: never the working folder
        raise CaseError(["inputs: an empty name; name a folder of case files, a glob, a "
                         ".jsonl file or - (write . for the working folder)"])
    plan = [_resolve(text, stdin) for text in inputs]
    _check_plan(plan, out, per_case)
    return _items(plan)


def _resolve(text: str, stdin) -> tuple[str, object]:
    if text == "-":
        handle = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if handle is None:
            raise CaseError(["inputs: - reads JSON Lines from stdin, but stdin is closed"])
        lines = _Peeked(handle.readline)
        if not lines.found:
            raise CaseError(["inputs: no cases on stdin (-): it is empty, or holds only blank "
                             "lines"])
        return "stdin", lines
    path = Path(text)
    try:
        if path.is_dir():
            return "files", _case_files(path)
        if path.suffix.lower() in JSONL_SUFFIXES:
            return "jsonl", _jsonl_file(path)
        if path.is_file():
            return "files", [str(path)]
        if path.exists():  # a FIFO would block the run, a device never end
            raise CaseError([f"inputs: {show(path)} is {file_kind(path.stat().st_mode)}, not a case "
                             "file, a JSON Lines file or a folder"])
        if glob.has_magic(text):
            found = sorted(p for p in _glob(text)
                           if Path(p).suffix.lower() in CASE_SUFFIXES and not Path(p).is_dir())
            if not found:
                raise CaseError([f"inputs: no .toml or .json case files match {text!r}"])
            return "files", found
    except OSError as exc:  # a name too long, a folder that cannot be listed...
        raise CaseError([f"inputs: cannot use {show(path)} "
                         f"({exc.strerror or type(exc).__name__})"]) from None
    raise CaseError([f"inputs: no such file or folder {show(path)}"])


def _glob(pattern: str) -> list[str]:
    """``glob.glob(pattern, recursive=True)``'s files (folders are never cases), except that
    ``**`` never follows a link to a folder: a link to ``.`` (or to a parent) would have it
    walk every path of links the system resolves, for ever. A pattern without ``**`` is
    glob's own. As glob: ``**`` is recursive only as a whole path component; a wildcard does
    not match a name that starts with a dot, nor does ``**`` enter such a folder, unless
    the pattern names it."""
    parts = pattern.replace(os.altsep, os.sep) if os.altsep else pattern
    parts = parts.split(os.sep)
    parts = parts[:1] + [part for part in parts[1:] if part]  # d//x, d/**/: as d/x, d/**
    if "**" not in parts:
        return glob.glob(pattern)
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    base = os.sep.join(parts[:fixed]) if fixed else ""
    if fixed == 1 and parts[0] == "":  # an absolute pattern with a wildcard at the root
        base = os.sep
    rest = parts[fixed:]
    found = []
    for folder, folders, names in os.walk(base or os.curdir):  # links to folders not followed
        relative = os.path.relpath(folder, base or os.curdir)
        inside = [] if relative == os.curdir else relative.split(os.sep)
        folders[:] = [f for f in folders if _may_lead(rest, [*inside, f])]
        found += [os.path.join(base, *inside, name) for name in names
                  if _matches(rest, [*inside, name])]
    return found


def _name_matches(part: str, name: str) -> bool:
    import fnmatch

    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, part) if glob.has_magic(part) else name == part


def _matches(parts: list[str], names: list[str]) -> bool:
    """Whether the path components ``names`` match the pattern components ``parts``."""
    if not parts:
        return not names
    if parts[0] == "**":
        return _matches(parts[1:], names) or (
            bool(names) and not names[0].startswith(".") and _matches(parts, names[1:]))
    return bool(names) and _name_matches(parts[0], names[0]) and _matches(parts[1:], names[1:])


def _may_lead(parts: list[str], names: list[str]) -> bool:
    """Whether a file inside the folder ``names`` could match ``parts``: the walk enters it."""
    if not names:
        return True
    if not parts:
        return False
    if parts[0] == "**":
        return _may_lead(parts[1:], names) or (
            not names[0].startswith(".") and _may_lead(parts, names[1:]))
    return _name_matches(parts[0], names[0]) and _may_lead(parts[1:], names[1:])


def _case_files(folder: Path) -> list[str]:
    """The folder's case files, sorted; a subfolder is not a case, whatever its name."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries
                           if e.name.lower().endswith(CASE_SUFFIXES) and not e.name.startswith(".")
                           and not _is_dir(e))
    except OSError as exc:
        raise CaseError([f"inputs: cannot list {show(folder)} "
                         f"({exc.strerror or type(exc).__name__})"]) from None
    if not names:
        raise CaseError([f"inputs: no .toml or .json case files in {show(folder)}"])
    return [str(folder / name) for name in names]


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _jsonl_file(path: Path) -> Path:
    """A JSON Lines input, checked: a regular file with at least one case line."""
    if not path.exists():
        raise CaseError([f"inputs: no such JSON Lines file {show(path)}"])
    if not path.is_file():
        raise CaseError([f"inputs: {show(path)} is {file_kind(path.stat().st_mode)}, not a JSON "
                         "Lines file; to read a stream, pipe it to - (stdin)"])
    try:
        with open_regular(path) as handle:
            found = _Peeked(handle.readline).found
    except OSError as exc:
        raise CaseError([f"inputs: cannot read {show(path)} "
                         f"({exc.strerror or type(exc).__name__})"]) from None
    if not found:
        raise CaseError([f"inputs: no cases in {show(path)}: it is empty, or holds only blank "
                         "lines"])
    return path


def _check_plan(plan, out, per_case: bool) -> None:
    """The checks of :func:`find_items` that look at every input together."""
    seen: dict[tuple[int, int], str] = {}
    folders: set[str] = set()
    for kind, what in plan:
        for path in what if kind == "files" else [str(what)] if kind == "jsonl" else []:
            try:
                st = os.stat(path)
            except (OSError, ValueError):
                continue  # a dangling link...: its result line says so
            other = seen.setdefault((st.st_dev, st.st_ino), path)
            if other is not path:
                also = "" if other == path else f" (also as {show(other)})"
                raise CaseError([f"inputs: {show(path)} is named twice{also}; each case is "
                                 "billed once: name it once"])
            folders.add(os.path.dirname(path) or ".")
    if out is not None and os.path.isdir(out):
        for folder in folders:
            if os.path.samefile(out, folder):
                raise OutputError(f"cannot write the batch into {show(out)}: it holds the "
                                  "inputs, and its summary.json would be read as a case next "
                                  "time; choose another folder with -o")
    if per_case:
        _check_claim_names(plan)


def _check_claim_names(plan) -> None:
    """Refuse two cases that would write one claim file (one file per case)."""
    files: dict[str, str] = {}
    streams: dict[str, str] = {}
    for kind, what in plan:
        if kind == "files":
            for path in what:
                key = os.path.normcase(_claim_stem(Path(path).stem))
                other = files.setdefault(key, path)
                if other is not path:
                    raise _name_clash(show(other), show(path), _claim_stem(Path(path).stem))
        else:
            source = "-" if kind == "stdin" else str(what)
            stem = _claim_stem("stdin" if kind == "stdin" else Path(source).stem)
            other = streams.setdefault(os.path.normcase(stem), source)
            if other != source:
                raise _name_clash(show(other), show(source), f"{stem}-<line>")
    for key, source in streams.items():
        lines = re.compile(re.escape(key) + "-[0-9]+")
        for stem, path in files.items():
            if lines.fullmatch(stem):
                raise _name_clash(show(path), f"a line of {show(source)}", stem)


def _name_clash(one: str, other: str, stem: str) -> CaseError:
    return CaseError([f"inputs: {one} and {other} would both write the claim file "
                      f"claims/{stem}.<format>; rename one of them, or bill them in two runs"])


#: What a JSON Lines reader takes at a time: a case of the limit, a byte order mark, \r\n.
_BOM = b"\xef\xbb\xbf"
_LINE_READ = MAX_FILE_BYTES + len(_BOM) + 2


def _case_bytes(raw: bytes) -> bytes:
    """A line's case: without its line break, and without a byte order mark before it (Windows
    tools start a file with one; joined files, a line)."""
    return raw.rstrip(b"\r\n").removeprefix(_BOM)


def _blank(raw: bytes) -> bool:
    return not _case_bytes(raw).strip(b" \t\r\n")


class _Peeked:
    """A stream's ``readline``, read ahead to its first line that is not blank (``found``);
    the lines read are given back first, so nothing is lost from a pipe."""

    def __init__(self, readline):
        self._readline = readline
        self._blank = 0
        self._first = b""
        while raw := readline(_LINE_READ):
            if not _blank(raw):
                self._first = raw
                break
            self._blank += 1
        self.found = bool(self._first)

    def readline(self, size: int = -1) -> bytes:
        if self._blank:
            self._blank -= 1
            return b"\n"
        if self._first:
            first, self._first = self._first, b""
            return first
        return self._readline(size)


def _items(plan) -> Iterator[Item]:
    for kind, what in plan:
        if kind == "files":
            yield from (Item(path) for path in what)
        elif kind == "jsonl":
            try:
                handle = open_regular(what)  # closed below, after its last line
            except OSError as exc:  # gone since it was checked
                raise CaseError([f"inputs: cannot read {show(what)} "
                                 f"({exc.strerror or type(exc).__name__})"]) from None
            with handle:
                yield from _json_lines(handle.readline, str(what))
        else:
            yield from _json_lines(what.readline, "-")


def _json_lines(readline, source: str) -> Iterator[Item]:
    """One item per line that is not blank, numbered from 1. A line over the case-file limit
    (its line break and a byte order mark not counted), or not UTF-8, is an item whose
    ``problem`` says so, never read whole."""
    number = 0
    while raw := readline(_LINE_READ):
        number += 1
        if _blank(raw):
            continue
        case = _case_bytes(raw)
        if len(case) > MAX_FILE_BYTES:
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = readline(1 << 20)
            yield Item(source, number, problem=f"case: the line is larger than "
                       f"{MAX_FILE_BYTES // 1024} KiB (1 MiB), the limit for a case")
            continue
        try:
            text = case.decode("utf-8")
        except UnicodeDecodeError as exc:
            at = exc.start + 1 + (len(_BOM) if raw.startswith(_BOM) else 0)
            yield Item(source, number, problem=f"case: cannot read the line (not UTF-8 text: "
                       f"byte {at} is invalid)")
            continue
        yield Item(source, number, text)


# ---------------------------------------------------------------------------
# One case (in a worker, or in the driver with -j 1).
# ---------------------------------------------------------------------------


def evaluate_item(kit, item: Item, settings: BatchSettings, numbers=None) -> Evaluated:
    """Load and evaluate one case; never raises for the case's own problems.

    The result line has the shapes of the single commands: ``eligibility``
    (``check``), ``pricing`` (``price``, the last visit billed), ``limits``,
    ``payment_terms`` (``terms``) and ``scrub`` (``scrub``, judged as
    ``payerkit claim`` judges it: on ``as_of``, written on ``written_on``).
    A clean claim of a format that streams is sent to the driver as its rendering
    (:meth:`payerkit.model.Evaluation.to_stream`), unless a plugin's
    ``payerkit_format_claim`` writes it itself: then, as with one file per case
    (``per_case``, or a format that does not stream), the claim file is written
    here (:meth:`payerkit.model.Evaluation.write`); ``numbers`` gives its control
    numbers.
    """
    plan = _LAST_PLAN[0] if _LAST_PLAN else None
    if plan is None or plan.kit is not kit or plan.settings is not settings:
        plan = _plan(kit, settings)
    try:
        ev = kit.evaluate(item.load(), plan.visit, settings.as_of, format=settings.format,
                          written_on=settings.written_on)
    except ClaimRefused as exc:  # the program does not take the format
        return _stopped(item.where(), "refused", None, findings=exc.findings)
    except CaseError as exc:
        return _stopped(item.where(), "invalid", None, problems=exc.problems)
    except PayerKitError as exc:
        return _stopped(item.where(), "failed", None, problems=[str(exc)])
    except KeyboardInterrupt:  # Ctrl-C, or a plugin raising it: stops the run
        raise
    except BaseException as exc:  # a bug, sys.exit(): its type, never its text (patient data)
        return _stopped(item.where(), "failed", None, problems=[
            f"internal error ({type(exc).__name__}); run this case alone with --debug"])
    status = ev.eligibility.status
    claim = ev.claim
    if claim is None:  # the scrub found errors
        errors = tuple([f.code for f in ev.scrub.errors])
        return Evaluated(_result(item, "refused", ev), "refused", ev.program, status,
                         errors=errors)
    if not settings.claims:  # evaluate only: the claim would be written
        return Evaluated(_result(item, CLEAN, ev), CLEAN, ev.program, status)
    try:
        made = _claim(plan, ev, item, settings, numbers)
    except ClaimRefused as exc:  # the writer refused a value the scrub let through
        return Evaluated(_result(item, "refused", ev, exc.findings), "refused", ev.program,
                         status, errors=tuple([f.code for f in exc.findings]))
    except OutputError:  # the claims folder (a full disk): the run's problem, not the case's
        raise
    except PayerKitError as exc:
        if _counter_error(exc):  # a damaged counter stops the run, as in the driver
            raise
        return _stopped(item.where(), "failed", ev.program,
                        problems=[str(exc)])  # a writer failed
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        return _stopped(item.where(), "failed", ev.program, problems=[
            f"internal error ({type(exc).__name__}); run this case alone with --debug"])
    allowed: list = []
    head = _result(item, "written", ev, allowed=allowed)
    charged = cents(claim.total_charge)
    allowed = None if None in allowed else cents(sum(allowed, Decimal(0)))
    entry = None
    if settings.record:
        from .ledger import claim_entry

        entry = claim_entry(ev, settings.format, settings.written_on)
        if isinstance(made, tuple):  # a file of its own: its control numbers
            made, numbers = made
            entry = entry.placed(*numbers)
    elif isinstance(made, tuple):
        made = made[0]
    if isinstance(made, str):
        return Evaluated(head, "written", ev.program, status, None, made, charged, allowed,
                         entry=entry)
    return Evaluated(head, "written", ev.program, status, made, None, charged, allowed,
                     entry=entry)


class _Plan(NamedTuple):
    """What every case of a run does alike, worked out once per kit and settings."""

    kit: object
    settings: BatchSettings
    visit: str | None
    streams: bool
    options: WriteOptions


#: The last plan made (one run's kit and settings at a time, in a process).
_LAST_PLAN: list[_Plan] = []


def _plan(kit, settings: BatchSettings) -> _Plan:
    """The plan of ``kit`` and ``settings``, made now and kept as the last."""
    plan = _Plan(kit, settings, "all" if settings.visits == "all" else None,
                 settings.streams(kit), WriteOptions(None, settings.now, settings.data_dir))
    _LAST_PLAN[:] = [plan]
    return plan


def _stopped(where: dict, status: str, program, *, problems=(), findings=()) -> Evaluated:
    result = {**where, "status": status, "program": program}
    if findings:
        result["scrub"] = {"program": program, "findings": [finding_json(f) for f in findings]}
    if problems:
        result["problems"] = [str(p) for p in problems]
    codes = tuple(f.code for f in findings) or (("INVALID-INPUT",) if status == "invalid"
                                                else ("FAILED",))
    return Evaluated(utf8(JSON.encode(result)[:-1]), status, program, None, errors=codes)


def _counter_error(exc: Exception) -> bool:
    from .formats.control import CounterError

    return isinstance(exc, CounterError)


#: The JSON of the result lines' shapes (strings, citations, reasons and amounts kept).
_JSON_BYTES = JsonBytes()
#: A result line's status, as its JSON begins.
_STATUS = {status: f', "status": "{status}", "program": '.encode()
           for status in (*STATUSES, CLEAN)}


def _result(item: Item, status: str, ev, refused: Sequence = (),
            allowed: list | None = None) -> bytes:
    """A case's result line without its closing brace (the driver adds the claim's place),
    as UTF-8: its place (:meth:`Item.where`), ``status`` and the single commands' JSON
    shapes, the scrub's findings and then those of ``refused`` (the writer's). Written by
    :class:`payerkit.output.JsonBytes`, which keeps what repeats from case to case; a value
    it cannot write (a plugin's list where a string belongs) has the line written from the
    shapes (:func:`_result_shapes`), which it equals byte for byte. ``allowed``, when
    given, gets each pricing's total allowed amount (the summary's; written in the line)."""
    write = _JSON_BYTES
    totals = []
    try:
        out = [b'{"path": ', write.value(item.source)]
        if item.line is not None:
            out += (b', "line": ', write.value(item.line))
        out += (_STATUS[status], write.value(ev.program), b', "eligibility": ')
        write.eligibility(ev.eligibility, out)
        out.append(b', "pricing": ')
        totals.append(write.pricing(ev.pricing, out))
        out.append(b', "limits": ')
        write.limits(ev.limits, out)
        out.append(b', "payment_terms": ')
        write.payment_terms(ev.payment_terms, out)
        out.append(b', "scrub": ')
        write.scrub(ev.scrub, out, refused)
        if len(ev.pricings) > 1:
            out.append(b', "pricings": [')
            totals.clear()
            for i, pricing in enumerate(ev.pricings):
                if i:
                    out.append(b", ")
                totals.append(write.pricing(pricing, out))
            out.append(b"]")
    except TypeError:
        totals = [p.total_allowed for p in ev.pricings]
        out = [_result_shapes(item, status, ev, refused)]
    if allowed is not None:
        allowed += totals
    return b"".join(out)


def _result_shapes(item: Item, status: str, ev, refused: Sequence = ()) -> bytes:
    """:func:`_result`, from the shapes of :mod:`payerkit.output`."""
    result = {**item.where(), "status": status, "program": ev.program,
              "eligibility": eligibility_json(ev.eligibility), "pricing": pricing_json(ev.pricing),
              "limits": limits_json(ev.limits),
              "payment_terms": payment_terms_json(ev.payment_terms),
              "scrub": {"program": ev.scrub.program, "findings": [
                  finding_json(f) for f in (*ev.scrub.findings, *refused)]}}
    if len(ev.pricings) > 1:
        result["pricings"] = [pricing_json(p) for p in ev.pricings]
    return utf8(JSON.encode(result)[:-1])


def claim_file_name(item: Item, format_id: str) -> str:
    """``claims/<case file's stem><suffix>``, or ``claims/<JSONL stem>-<line>…`` for a line.
    A stem is cut to :data:`STEM_BYTES`, so that a long case file name still makes a name
    the file system takes (two cut alike are refused up front, :func:`find_items`)."""
    stem = _claim_stem("stdin" if item.source == "-" else Path(item.source).stem)
    if item.line is not None:
        stem = f"{stem}-{item.line}"
    return f"claims/{stem}{file_ending(format_id)}"


#: Bytes of a case file's stem kept in its claim file's name (names have at most 255 bytes).
STEM_BYTES = 200


def _claim_stem(stem: str) -> str:
    while len(os.fsencode(stem)) > STEM_BYTES:
        stem = stem[:-1]
    return stem


def _claim(plan: _Plan, ev, item: Item, settings: BatchSettings, numbers):
    """The evaluation's claim: its rendering, for the driver's stream (a format that
    streams, and not ``per_case``), else the name of the claim file written here (one file
    per case, or the file a plugin's ``payerkit_format_claim`` wrote in the stream's place)."""
    if plan.streams:
        made = ev.to_stream(plan.options)
        if not isinstance(made, bytes):
            return made
        data = made
    else:
        options = plan.options
        if numbers is not None:  # an 837P file of its own (settings.numbered_files)
            value = numbers()
            options = WriteOptions(ControlNumbers(value, value, value), settings.now,
                                   settings.data_dir)
        data = ev.write(settings.format, options)
    name = claim_file_name(item, settings.format)
    write_atomic(settings.out / name, data, inputs=settings.inputs, force=settings.force,
                 parents=True)
    if settings.record:
        from .ledger.entry import x12_control_numbers

        return name, x12_control_numbers(data)
    return name


# ---------------------------------------------------------------------------
# The driver: results, interchanges, summary.
# ---------------------------------------------------------------------------


@frozen
class InterchangeFile:
    """A streamed file the batch wrote (an 837P interchange): its file, receiver (the
    stream's name), ISA13 and counts (``None`` where the format has none)."""

    file: str
    receiver_id: str
    interchange: int | None
    claims: int
    transactions: int


class Summary:
    """Counts by status and eligibility, errors by code, the claims' totals."""

    def __init__(self) -> None:
        self.cases = 0
        self.statuses: Counter[str] = Counter()
        self.eligibility: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.charged = Decimal(0)
        self.allowed = Decimal(0)
        self.allowed_unknown = 0
        self.interchanges: list[InterchangeFile] = []
        self.claim_files = 0
        #: What the ledger recorded (``Recorded.json()``), when the run recorded its claims.
        self.ledger: dict | None = None

    def add(self, ev: Evaluated, status: str) -> None:
        self.cases += 1
        self.statuses[status] += 1
        if ev.eligibility is not None:
            self.eligibility[ev.eligibility] += 1
        if status != "written":
            self.errors.update(dict.fromkeys(ev.errors, 1))
            return
        self.charged += ev.charged
        if ev.allowed is None:
            self.allowed_unknown += 1
        else:
            self.allowed += ev.allowed

    @property
    def failed(self) -> int:
        """Cases with no claim written: refused, invalid or failed."""
        return self.cases - self.statuses["written"]

    @property
    def not_evaluated(self) -> int:
        """Cases not evaluated because a worker process died and the run stopped."""
        return self.errors[NOT_EVALUATED]

    def json(self) -> dict:
        return {
            "cases": self.cases,
            "statuses": {s: self.statuses[s] for s in STATUSES},
            "eligibility": dict(sorted(self.eligibility.items())),
            "errors": dict(self.errors.most_common()),
            "charged": format_money(self.charged),
            "allowed": format_money(self.allowed),
            "claims_with_unknown_allowed": self.allowed_unknown,
            "interchanges": [{"file": i.file, "receiver_id": i.receiver_id,
                              "interchange": i.interchange, "claims": i.claims,
                              "transactions": i.transactions} for i in self.interchanges],
            "claim_files": self.claim_files,
            **({"ledger": self.ledger} if self.ledger is not None else {}),
        }


class _Streams:
    """The open streams of a run (the format's own, :attr:`payerkit.model.ClaimFormat.stream`:
    the 837P's interchanges), one per :attr:`payerkit.model.Rendering.stream_key` (the
    837P's: sender, payer id, usage), each a file named after its stream name."""

    def __init__(self, settings: BatchSettings, numbers, claim_format, owner: str):
        self.settings = settings
        self.numbers = numbers
        self.format = claim_format
        self.owner = owner
        #: Each stream's file, the stream, the file's name, the stream's name, and its
        #: claims' place as JSON up to the stream's answer (:func:`_place_json`).
        self.open: dict[tuple, tuple[AtomicFile, object, str, str, bytes]] = {}
        self.names: set[str] = set()
        self.now = settings.now or dt.datetime.now()
        #: What the stream answered for the last claim added (its place: interchange...).
        self.placed: dict = {}

    def add(self, rendering) -> bytes:
        """Write a rendering into its stream; what the result line says of its place (its
        ``claim``: ``json.dumps`` of the format, the file and what the stream answered)."""
        key = rendering.stream_key
        entry = self.open.get(key)
        if entry is None:
            name = self._name(rendering.stream_name)
            out = AtomicFile(self.settings.out / name, inputs=self.settings.inputs,
                             force=self.settings.force)
            options = WriteOptions(None, self.now, self.settings.data_dir,
                                   self.settings.claims_per_transaction)
            stream = self._guarded(lambda: self.format.stream(out, self.numbers, options))
            head = _ascii_json({"format": self.format.id, "file": name})[:-1]
            entry = self.open[key] = (out, stream, name, rendering.stream_name, head)
        stream = entry[1]
        try:
            where = stream.add(rendering)
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:
            raise self._failed(exc) from exc
        self.placed = where if isinstance(where, dict) else {}
        return _place_json(entry[4], where) or _ascii_json(
            {"format": self.format.id, "file": entry[2], **(where or {})})

    def _guarded(self, write):
        """A stream's own failure is its format's writer's, named by its plugin (a value it
        cannot carry is the case's: ``FormatError`` is the caller's to report)."""
        try:
            return write()
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:
            raise self._failed(exc) from exc

    def _failed(self, exc: BaseException) -> PluginError:
        return PluginError(f"the {self.format.id} writer of plugin {self.owner} failed: "
                           f"{type(exc).__name__}")

    def _name(self, stream_name: str | None) -> str:
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_"
                       for c in stream_name or "") or "receiver"
        ending = file_ending(self.format.id)
        name, n = f"{safe[:60]}{ending}", 1
        while name in self.names:
            n += 1
            name = f"{safe[:60]}-{n}{ending}"
        self.names.add(name)
        return name

    def close(self, summary: Summary) -> list[AtomicFile]:
        """End every stream (its trailers written, not yet in place); their files."""
        for _out, stream, name, stream_name, _head in self.open.values():
            done = self._guarded(stream.close)
            summary.interchanges.append(InterchangeFile(
                name, stream_name, getattr(done, "interchange", None),
                getattr(done, "claims", None), getattr(done, "transactions", None)))
        return [out for out, *_ in self.open.values()]

    def discard(self) -> None:
        for out, *_ in self.open.values():
            out.discard()


Mapper = Callable[[Iterable[Item]], Iterable[Evaluated]]


def run_batch(items: Iterable[Item], settings: BatchSettings, *, kit=None, jobs: int = 1,
              mapper: Mapper | None = None, progress: Callable[[Evaluated], None] | None = None,
              ledger=None) -> Summary:
    """Evaluate every item and write ``results.jsonl``, the claims and ``summary.json``
    into ``settings.out``; returns the :class:`Summary`.

    ``jobs``: worker processes (1: in this process); ``mapper``: another way to
    evaluate items in order (the Dask path, :mod:`payerkit.dask`); ``progress`` is
    called after each case. Raises :class:`OutputError` or ``CounterError`` for a
    set-up problem, after removing every output it had begun. The output folder is locked
    for the run (:class:`payerkit.files.FolderLock`): a second run into it at the same time
    is refused (``OutputError``) before it writes anything. ``ledger`` (an open
    :class:`payerkit.ledger.Ledger`, with ``settings.record``) records every claim written,
    in one transaction, just before the files are put in place.
    """
    from .kit import PayerKit

    _check_environment(settings)
    kit = kit or PayerKit()
    out = make_folder(settings.out)
    with FolderLock(out, f"cannot write the batch into {show(out)}: another payerkit batch is "
                    "writing into it now, and one run's files would replace the other's; "
                    "wait for it to finish, or choose another folder with -o"):
        for folder in (out, out / "claims"):  # what a killed run left, whatever its target
            remove_stale_temps(folder)
        return _run(items, settings, kit, out, jobs, mapper, progress, ledger)


def _check_environment(settings: BatchSettings) -> None:
    """What the run reads from the environment, checked once before anything is written: a
    bad value is one error naming the variable, not a failure of every case (the red
    form's ``PAYERKIT_CMS1500_OFFSET``: :class:`CaseError`, exit 2; a relative
    ``PAYERKIT_DATA_DIR``: ``CounterError``, exit 3)."""
    from .formats.control import resolve_data_dir

    resolve_data_dir(settings.data_dir)
    if settings.format == CMS_1500_RED:
        from .formats.cms1500_red import printer_offset

        printer_offset()


def _run(items, settings: BatchSettings, kit, out: Path, jobs: int, mapper, progress,
         ledger=None) -> Summary:
    from .formats.control import ControlNumberSource

    numbers = ControlNumberSource(settings.data_dir)
    summary = Summary()
    claim_format = kit.claim_format_of(settings.format)
    interchanges = _Streams(settings, numbers, claim_format, kit.format_owner(settings.format))
    outputs: list[AtomicFile] = []
    entries: list = []
    try:
        # both begun now, before any case: a refused summary.json costs no run
        for name in ("results.jsonl", "summary.json"):
            outputs.append(AtomicFile(out / name, inputs=settings.inputs, force=settings.force))
        results, report = outputs
        if mapper is None:
            mapper = _local_mapper(kit, settings, jobs)
        evaluated = mapper(items)
        try:
            for ev in evaluated:
                status, claim, problems = ev.status, b"null", b""
                if ev.rendering is not None:
                    try:
                        claim = interchanges.add(ev.rendering)
                        if ev.entry is not None:
                            placed = interchanges.placed
                            entries.append(ev.entry.placed(placed.get("interchange"),
                                                           placed.get("transaction")))
                    except FormatError as exc:  # written as the scrub checked it: not expected
                        status = "failed"
                        ev = ev._replace(errors=("FORMAT-LIMIT",))
                        problems = b', "problems": ' + _ascii_json([
                            f"claim field {exc.field}: {exc.problem} (the {claim_format.id} "
                            "writer refused what the scrub let through; please report it)"])
                elif ev.file is not None:
                    claim = _ascii_json({"format": settings.format, "file": ev.file})
                    summary.claim_files += 1
                    if ev.entry is not None:
                        entries.append(ev.entry)
                head = ev.head if status == ev.status else \
                    ev.head.replace(b'"status": "written"', b'"status": "failed"', 1)
                results.write(b"".join((head, problems, b', "claim": ', claim, b"}\n")))
                summary.add(ev, status)
                if progress is not None:
                    progress(ev)
        finally:  # stopped early, the mapper is closed now (its workers stopped), not
            getattr(evaluated, "close", lambda: None)()  # whenever it is collected
        ended = interchanges.close(summary)
        if ledger is not None:  # recorded before the files are in place: a run that fails
            summary.ledger = ledger.record(entries).json()  # here leaves neither
        report.write((json.dumps(summary.json(), indent=2) + "\n").encode())
        _put_in_place([*ended, results, report])  # last: a summary.json says the run finished
    except BaseException:
        for output in outputs:
            output.discard()
        interchanges.discard()
        raise
    return summary


def _ascii_json(data) -> bytes:
    """``json.dumps(data)`` (non-ASCII escaped) as bytes."""
    return json.dumps(data).encode("ascii")


@functools.lru_cache(maxsize=256)
def _ascii_key(text: str) -> bytes:
    return _ascii_json(text)


def _place_json(head: bytes, where) -> bytes | None:
    """``head`` (a claim's format and file, as JSON without its closing brace) and the
    entries of ``where`` (what its stream answered: most often a dict of a few strings and
    integers, the 837P's claim id and control numbers), as ``json.dumps`` writes them;
    ``None`` for an answer written otherwise (:func:`_ascii_json`)."""
    if not where or where.__class__ is not dict or "format" in where or "file" in where:
        return None
    parts = [head]
    for key, value in where.items():
        if key.__class__ is not str:
            return None
        if value.__class__ is int:
            value = b"%d" % value
        elif value.__class__ is str:
            value = json.encoder.encode_basestring_ascii(value).encode("ascii")
        elif value is None:
            value = b"null"
        else:
            return None
        parts += (b", ", _ascii_key(key), b": ", value)
    parts.append(b"}")
    return b"".join(parts)


def _put_in_place(outputs: list[AtomicFile]) -> None:
    """Rename every output into place, the last (``summary.json``) last. When one fails (a
    full disk at its last flush, an interrupt), those already in place are removed, and so
    is an earlier run's ``summary.json``: a failed run leaves none of its files, and no
    folder says it finished beside a mix of two runs' files."""
    placed: list[tuple[Path, tuple | None]] = []
    try:
        _remove(outputs[-1].path)
        for output in outputs:
            placed.append((output.path, _identity(output.path)))
            output.commit()
    except BaseException:
        for path, before in placed:
            if _identity(path) != before:  # renamed into place by this run
                _remove(path)
        raise


def _identity(path: Path) -> tuple | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# ---------------------------------------------------------------------------
# Evaluating items: here, or in worker processes.
# ---------------------------------------------------------------------------

#: The worker's kit and settings (set in each worker process, or before a fork).
_WORKER: tuple | None = None


def _local_mapper(kit, settings: BatchSettings, jobs: int) -> Mapper:
    if jobs <= 1:
        def here(items: Iterable[Item]) -> Iterator[Evaluated]:
            numbers = _claim_numbers(settings)
            for item in items:
                yield evaluate_item(kit, item, settings, numbers)
        return here
    return lambda items: _in_processes(kit, settings, jobs, items)


def _claim_numbers(settings: BatchSettings):
    """A worker's control numbers for its own claim files (one file per case)."""
    if not settings.numbered_files:
        return None
    from .formats.control import ControlNumberSource

    return ControlNumberSource(settings.data_dir)


def _init_worker(settings: BatchSettings, kit=None) -> None:
    """A worker: its kit and settings. SIGINT, SIGTERM and SIGHUP sent to the whole process
    group (Ctrl-C, a closed terminal, a service manager's stop) are the driver's to handle:
    it stops the workers (:func:`_in_processes`), finishing or killing them itself."""
    global _WORKER
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, signal.SIG_IGN)
    threading.Thread(target=_end_with_the_driver, args=(os.getppid(),), daemon=True).start()
    if kit is None:
        from .kit import PayerKit

        kit = PayerKit()
    _WORKER = (kit, settings, _claim_numbers(settings))


def _end_with_the_driver(driver: int) -> None:
    """In a worker: end when the driver is gone (killed with SIGKILL, it cannot stop its
    workers, and they would wait for work for ever)."""
    while os.getppid() == driver:
        time.sleep(1)
    os._exit(1)


def _work(chunk: list[Item]) -> list[Evaluated]:
    kit, settings, numbers = _WORKER
    return [evaluate_item(kit, item, settings, numbers) for item in chunk]


def _serve(conn, settings: BatchSettings, kit=None) -> None:
    """A worker process: evaluate each chunk the driver sends, send back its results (or
    the set-up problem that stopped it, such as a full disk), until the driver sends
    ``None`` or is gone."""
    _init_worker(settings, kit)
    try:
        while (chunk := conn.recv()) is not None:
            try:
                answer = ("done", _work(chunk))
            except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - raised again in
                answer = ("raised", exc)  # the driver (a plugin's KeyboardInterrupt: as Ctrl-C)
            try:
                conn.send(answer)
            except (pickle.PicklingError, TypeError, AttributeError):
                conn.send(("raised", PayerKitError(
                    f"a batch worker could not send its answer ({type(answer[1]).__name__})")))
    except (EOFError, OSError):  # the driver is gone
        pass


#: Items sent to a worker at a time, and chunks evaluated but not yet taken by the driver,
#: per worker: enough to keep the workers busy, few enough that memory stays flat.
CHUNK = 32
AHEAD = 4
#: Seconds the workers have to finish the chunk they are on when a run stops early; a
#: worker still busy then (a case stuck in a plugin) is killed.
GRACE = 5.0
#: The error code, and the problem, of a case a run could not evaluate because a worker
#: process ended abruptly (killed by the out-of-memory killer, or by a plugin): the run
#: stops, writes what it finished, and names every other case with this.
NOT_EVALUATED = "NOT-EVALUATED"
LOST_WORKER = ("not evaluated: a batch worker process ended abruptly (killed, e.g. when "
               "memory ran out, or ended by a plugin) and the run stopped; bill this case "
               "again in a new run")


def not_evaluated(item: Item) -> Evaluated:
    """The result of a case the run did not evaluate (:data:`NOT_EVALUATED`)."""
    return _stopped(item.where(), "failed", None, problems=[LOST_WORKER])._replace(
        errors=(NOT_EVALUATED,))


class _Worker:
    """One worker process and the driver's end of its own pipe. A pipe per worker, not a
    shared queue: a worker that dies (SIGKILL, ``os._exit``), even half-way through
    sending a result, is seen at once (its pipe's end of file, its sentinel), and nothing
    another worker needs is left locked.

    ``torn``: an interrupt (Ctrl-C, SIGTERM) arrived while a message was half sent or half
    read, so the pipe no longer holds whole messages: the worker is then killed at once
    when the run stops, never waited for (it is not evaluating anything)."""

    def __init__(self, context, initargs: tuple):
        self.conn, self._theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(self._theirs, *initargs),
                                       name="payerkit-batch-worker")
        self.chunk: tuple[int, list[Item]] | None = None  # (index, items) it is evaluating
        self.torn = False

    def start(self) -> None:
        self.process.start()
        self._theirs.close()  # before the next worker is forked: its end is the worker's alone

    def give(self, index: int, chunk: list[Item]) -> bool:
        """Send a chunk; ``False`` when the worker is gone."""
        self.chunk = (index, chunk)
        self.torn = True
        try:
            self.conn.send(chunk)
        except OSError:
            return False
        self.torn = False
        return True

    def take(self) -> tuple | None:
        """The answer to its chunk (ready: see :func:`_answers`); ``None`` when it died."""
        self.torn = True
        try:
            answer = self.conn.recv() if self.conn.poll() else None
        except (EOFError, OSError):  # dead, or dead half-way through sending
            return None
        self.torn = False
        return answer

    def end(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass


def _answers(busy: list[_Worker], timeout: float | None = None):
    """The busy workers with something to take: an answer, or their death."""
    from multiprocessing.connection import wait

    by = {}
    for worker in busy:
        by[worker.conn] = by[worker.process.sentinel] = worker
    ready = wait(list(by), timeout)
    return list(dict.fromkeys(by[r] for r in ready))


def _in_processes(kit, settings: BatchSettings, jobs: int, items: Iterable[Item]):
    """Evaluate ``items`` in ``jobs`` worker processes, in order, at most ``jobs * AHEAD``
    chunks ahead of the caller.

    The items are read here, in the caller's thread (a problem reading them is raised here).
    A set-up problem raised in a worker (a full disk) is raised here. A worker that dies
    (the out-of-memory killer's SIGKILL, a plugin's ``os._exit``) stops the run: nothing
    more is sent, the other workers finish the chunks they are on, and every case not
    evaluated -- the dead worker's chunk, and the rest of the inputs -- comes back as
    :func:`not_evaluated`, in its place. Stopped early (an exception, an interrupt, or
    closed), the workers finish the chunk they are on (:data:`GRACE`), then end; one still
    busy then is killed.
    """
    import itertools
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():  # the workers start with this kit
        context, initargs = multiprocessing.get_context("fork"), (settings, kit)
    else:  # pragma: no cover - Windows, macOS without fork
        context, initargs = multiprocessing.get_context("spawn"), (settings,)
    items = iter(items)
    workers: list[_Worker] = []
    done: dict[int, list[Evaluated]] = {}
    sent = taken = 0  # chunks sent to a worker, chunks given to the caller
    more, lost = True, False
    try:
        for _ in range(jobs):
            workers.append(_Worker(context, initargs))  # listed first: stopped if interrupted
            workers[-1].start()
        while True:
            for worker in workers:
                if worker.chunk is not None or not more or lost or sent - taken >= jobs * AHEAD:
                    continue
                chunk = list(itertools.islice(items, CHUNK))
                if not chunk:
                    more = False
                    break
                if not worker.give(sent, chunk):
                    lost = True
                    done[sent] = [not_evaluated(item) for item in chunk]
                    worker.chunk = None
                sent += 1
            while taken in done:
                yield from done.pop(taken)
                taken += 1
            busy = [w for w in workers if w.chunk is not None]
            if not busy:
                break
            for worker in _answers(busy):
                index, chunk = worker.chunk
                answer = worker.take()
                worker.chunk = None
                if answer is None:
                    lost = True
                    done[index] = [not_evaluated(item) for item in chunk]
                elif answer[0] == "raised":
                    raise answer[1]
                else:
                    done[index] = answer[1]
        if lost:  # the inputs not read yet, each by name
            yield from (not_evaluated(item) for item in items)
    finally:
        _stop(workers)


def _stop(workers: list[_Worker]) -> None:
    """End every worker: an idle one when told, a busy one (a run stopped early) when its
    chunk is done, within :data:`GRACE` seconds; then any still there (and any whose pipe an
    interrupt tore) is killed -- that last, even if another interrupt cuts the wait short."""
    deadline = time.monotonic() + GRACE
    started = [w for w in workers if w.process.pid is not None]
    try:
        for worker in started:
            if worker.chunk is None and not worker.torn:
                worker.end()
        busy = [w for w in started if w.chunk is not None and not w.torn]
        while busy and (left := deadline - time.monotonic()) > 0:
            for worker in _answers(busy, left):
                if worker.take() is not None:  # its answer is not needed: the run stopped
                    worker.end()
                busy.remove(worker)
    finally:
        for worker in started:
            worker.process.join(0 if worker.torn else max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        for worker in workers:
            worker.conn.close()
            worker._theirs.close()


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover
        return os.cpu_count() or 1


__all__ = ["NOT_EVALUATED", "BatchSettings", "Evaluated", "Item", "Summary", "claim_file_name",
           "default_jobs", "evaluate_item", "find_items", "not_evaluated", "run_batch"]

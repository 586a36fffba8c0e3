"""Batch billing: thousands of cases in one run, each evaluated once, claims in interchanges.

    from payerkit.batch import BatchSettings, find_items, run_batch

    summary = run_batch(find_items(["cases/"]), BatchSettings(out=Path("out")), jobs=2)

**Data flows one way.** Inputs (:func:`find_items`: case files in a folder, a
glob, JSON Lines from a file or stdin) become :class:`Item` records; each is
evaluated by :func:`evaluate_item` (load, :meth:`payerkit.PayerKit.evaluate`,
the JSON shapes of the single commands) in this process or in worker
processes; the driver (:func:`run_batch`) writes, in input order, one result
line per case to ``results.jsonl``, each clean 837P claim into the interchange
of its payer (:class:`payerkit.formats.x12_837p.Interchange837P`), and
``summary.json`` at the end.

**Streaming.** Items are read as they are needed, at most a few chunks per
worker ahead of the driver; results and interchanges are written as they come,
so memory does not grow with the number of cases (a folder's file *names* are
listed, and sorted, first).

**Nothing half-written.** Every output goes through
:class:`payerkit.files.AtomicFile` (one ``fsync`` each, at the end); a run that
stops on a set-up problem (a full disk, a damaged counter) or an interrupt
removes its temporary files and leaves the folder as it was. A bad case is not
such a problem: it is a result line (``"status": "invalid"``) naming the file
(and line) and what was expected.

**Control numbers** come from one :class:`payerkit.formats.control.ControlNumberSource`
in the driver, reserved from the counter in blocks (one lock and one fsync
per block), so they never repeat across runs or concurrent batches.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from attrs import field, frozen

from .errors import CaseError, ClaimRefused, FormatError, PayerKitError
from .files import AtomicFile, make_folder, show, write_atomic
from .io import MAX_FILE_BYTES, case_from_text, load_case
from .output import (
    eligibility_json,
    finding_json,
    limits_json,
    payment_terms_json,
    pricing_json,
    scrub_json,
)
from .rules.money import format_money

#: Case files in a folder or a glob; anything else named on the command line is JSON Lines.
CASE_SUFFIXES = (".toml", ".json")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: What ``results.jsonl``'s ``status`` says about each case.
STATUSES = ("written", "refused", "invalid", "failed")
X12 = "x12-837p"


@frozen
class Item:
    """One case to evaluate: a case file, or line ``line`` of a JSON Lines input
    (``source`` is that file, or ``-`` for stdin, and ``text`` the line)."""

    source: str
    line: int | None = None
    text: str | None = None

    def where(self) -> dict:
        """The case's place in the inputs, as its result line gives it."""
        return {"path": self.source} if self.line is None else \
            {"path": self.source, "line": self.line}

    def load(self):
        if self.text is None:
            return load_case(self.source)
        base = Path.cwd() if self.source == "-" else Path(self.source).parent
        return case_from_text(self.text, "case.json", base)


@frozen
class BatchSettings:
    """What a batch does with each case.

    ``format``: the claim format (default the 837P); ``visits``: ``"last"`` (each
    case's last visit, as ``payerkit claim``) or ``"all"`` (every visit on one
    claim); ``as_of``: the day to judge every case on (default each case's own);
    ``written_on``: the day the claims are written (default today); ``per_case``:
    one 837P file per case instead of one interchange per payer (paper formats
    are always one file per case); ``claims_per_transaction``: claims per ST/SE
    in an interchange (at most 5000, the TR3's limit).
    """

    out: Path = field(converter=Path)
    format: str = X12
    visits: str = "last"
    as_of: dt.date | None = None
    written_on: dt.date = field(factory=dt.date.today)
    per_case: bool = False
    claims_per_transaction: int = 5000
    force: bool = False
    now: dt.datetime | None = None
    data_dir: Path | None = None
    #: Files the run reads (JSON Lines, named case files): never written over.
    inputs: tuple[str, ...] = field(default=(), converter=tuple)

    @property
    def interchanges(self) -> bool:
        return self.format == X12 and not self.per_case


class Evaluated(NamedTuple):
    """What a worker sends the driver for one case (small, quick to pickle).

    ``head``: the result line's JSON without its closing brace (the driver adds
    the claim's place); ``claim``: the claim model to put into an interchange,
    else ``None``; ``file``: the claim file a worker wrote (one file per case);
    ``charged``/``allowed``: the claim's totals as text (``allowed`` ``None``
    when unknown); ``errors``: the codes of what stopped the claim.
    """

    head: str
    status: str
    program: str | None
    eligibility: str | None
    claim: object = None
    file: str | None = None
    charged: str | None = None
    allowed: str | None = None
    errors: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# Inputs.
# ---------------------------------------------------------------------------


def find_items(inputs: Sequence[str], stdin=None) -> Iterator[Item]:
    """The cases named by ``inputs``, in order: a folder (its ``.toml`` and ``.json``
    files, sorted by name), a case file, a JSON Lines file (``.jsonl``/``.ndjson``;
    one case per line), ``-`` (JSON Lines on stdin), or a glob (``cases/**/*.toml``).

    Every input is checked first: one that names nothing is a :class:`CaseError`
    (exit 2) before any case is read. A case that cannot be read later is a
    result line, not the end of the run.
    """
    plan = [_resolve(text) for text in inputs]
    if not plan:
        raise CaseError(["inputs: name a folder of case files, a glob, a .jsonl file or -"])
    if sum(kind == "stdin" for kind, _ in plan) > 1:
        raise CaseError(["inputs: - (stdin) may be named once"])
    return _items(plan, stdin)


def _resolve(text: str) -> tuple[str, object]:
    if text == "-":
        return "stdin", None
    path = Path(text)
    if path.is_dir():
        return "files", _case_files(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        if not path.is_file():
            raise CaseError([f"inputs: no such JSON Lines file {show(path)}"])
        return "jsonl", path
    if path.is_file():
        return "files", [str(path)]
    if glob.has_magic(text):
        found = sorted(p for p in glob.glob(text, recursive=True)
                       if Path(p).suffix.lower() in CASE_SUFFIXES and Path(p).is_file())
        if not found:
            raise CaseError([f"inputs: no .toml or .json case files match {text!r}"])
        return "files", found
    raise CaseError([f"inputs: no such file or folder {show(path)}"])


def _case_files(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries
                           if e.name.lower().endswith(CASE_SUFFIXES) and not e.name.startswith("."))
    except OSError as exc:
        raise CaseError([f"inputs: cannot list {show(folder)} "
                         f"({exc.strerror or type(exc).__name__})"]) from None
    if not names:
        raise CaseError([f"inputs: no .toml or .json case files in {show(folder)}"])
    return [str(folder / name) for name in names]


def _items(plan, stdin) -> Iterator[Item]:
    for kind, what in plan:
        if kind == "files":
            yield from (Item(path) for path in what)
        elif kind == "jsonl":
            with open(what, "rb") as handle:
                yield from _json_lines(handle, str(what))
        else:
            yield from _json_lines(stdin if stdin is not None else sys.stdin.buffer, "-")


def _json_lines(handle, source: str) -> Iterator[Item]:
    """One item per non-blank line; a line over the case-file limit, or not UTF-8, is an
    item whose text says so (its result line names the problem), never read whole."""
    number = 0
    while True:
        raw = handle.readline(MAX_FILE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_FILE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = handle.readline(1 << 20)
            yield Item(source, number, "\x00too long")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Item(source, number, f"\x00not UTF-8 text: byte {exc.start + 1} is invalid")
            continue
        if text.strip():
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
    With one file per case (``per_case``, or a paper format), the claim file is
    written here; ``numbers`` gives its control numbers.
    """
    where = item.where()
    try:
        if item.text is not None and item.text.startswith("\x00"):
            raise CaseError([_line_problem(item.text[1:])])
        case = item.load()
        visit = "all" if settings.visits == "all" else None
        ev = kit.evaluate(case, visit, settings.as_of, format=settings.format,
                          written_on=settings.written_on)
    except ClaimRefused as exc:  # the program does not take the format
        return _stopped(where, "refused", None, findings=exc.findings)
    except CaseError as exc:
        return _stopped(where, "invalid", None, problems=exc.problems)
    except PayerKitError as exc:
        return _stopped(where, "failed", None, problems=[str(exc)])
    except Exception as exc:  # a bug: its type, never its text (it may hold patient data)
        return _stopped(where, "failed", None, problems=[
            f"internal error ({type(exc).__name__}); run this case alone with --debug"])
    result = {**where, "status": "written" if ev.clean else "refused", "program": ev.program,
              "eligibility": eligibility_json(ev.eligibility), "pricing": pricing_json(ev.pricing),
              "limits": limits_json(ev.limits), "payment_terms": payment_terms_json(ev.payment_terms),
              "scrub": scrub_json(ev.scrub)}
    if len(ev.pricings) > 1:
        result["pricings"] = [pricing_json(p) for p in ev.pricings]
    status = ev.eligibility.status
    if not ev.clean:
        errors = tuple(f.code for f in ev.scrub.errors)
        return Evaluated(_head(result), "refused", ev.program, status, errors=errors)
    claim = ev.claim
    charged = format_money(claim.total_charge)
    allowed = [p.total_allowed for p in ev.pricings]
    allowed = None if None in allowed else format_money(sum(allowed, Decimal(0)))
    if settings.interchanges:
        return Evaluated(_head(result), "written", ev.program, status, claim, None, charged, allowed)
    try:
        name = _write_claim_file(kit, case, ev, item, settings, numbers)
    except ClaimRefused as exc:  # the writer refused a value the scrub let through
        result["status"] = "refused"
        result["scrub"]["findings"] += [finding_json(f) for f in exc.findings]
        return Evaluated(_head(result), "refused", ev.program, status,
                         errors=tuple(f.code for f in exc.findings))
    return Evaluated(_head(result), "written", ev.program, status, None, name, charged, allowed)


def _line_problem(problem: str) -> str:
    if problem == "too long":
        return (f"case: the line is larger than {MAX_FILE_BYTES // 1024} KiB (1 MiB), the "
                "limit for a case")
    return f"case: cannot read the line ({problem})"


def _stopped(where: dict, status: str, program, *, problems=(), findings=()) -> Evaluated:
    result = {**where, "status": status, "program": program}
    if findings:
        result["scrub"] = {"program": program, "findings": [finding_json(f) for f in findings]}
    if problems:
        result["problems"] = [str(p) for p in problems]
    codes = tuple(f.code for f in findings) or (("INVALID-INPUT",) if status == "invalid"
                                                else ("FAILED",))
    return Evaluated(_head(result), status, program, None, errors=codes)


def _head(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)[:-1]


#: File name endings of the claim files a batch writes, one per case.
SUFFIXES = {"x12-837p": ".837", "cms-1500": ".cms-1500.pdf", "cms-1500-red": ".cms-1500-red.pdf",
            "nf-3": ".nf-3.pdf", "superbill": ".superbill.pdf", "superbill-html": ".superbill.html"}


def claim_file_name(item: Item, format_id: str) -> str:
    """``claims/<case file's stem><suffix>``, or ``claims/<JSONL stem>-<line>…`` for a line."""
    stem = "stdin" if item.source == "-" else Path(item.source).stem
    if item.line is not None:
        stem = f"{stem}-{item.line}"
    return f"claims/{stem}{SUFFIXES.get(format_id, '.' + format_id)}"


def _write_claim_file(kit, case, ev, item: Item, settings: BatchSettings, numbers) -> str:
    from .formats.options import ControlNumbers, WriteOptions

    control = None
    if settings.format == X12 and numbers is not None:
        value = numbers()
        control = ControlNumbers(value, value, value)
    options = WriteOptions(control, settings.now, settings.data_dir)
    data = kit.claim(case, settings.format, options=options, evaluation=ev)
    name = claim_file_name(item, settings.format)
    write_atomic(settings.out / name, data, inputs=settings.inputs, force=settings.force,
                 parents=True)
    return name


# ---------------------------------------------------------------------------
# The driver: results, interchanges, summary.
# ---------------------------------------------------------------------------


@frozen
class InterchangeFile:
    """An interchange the batch wrote: its file, receiver, ISA13 and counts."""

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

    def add(self, ev: Evaluated, status: str) -> None:
        self.cases += 1
        self.statuses[status] += 1
        if ev.eligibility is not None:
            self.eligibility[ev.eligibility] += 1
        if status != "written":
            self.errors.update(dict.fromkeys(ev.errors, 1))
            return
        self.charged += Decimal(ev.charged)
        if ev.allowed is None:
            self.allowed_unknown += 1
        else:
            self.allowed += Decimal(ev.allowed)

    @property
    def failed(self) -> int:
        """Cases with no claim written: refused, invalid or failed."""
        return self.cases - self.statuses["written"]

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
        }


class _Interchanges:
    """The open interchanges of a run, one per :func:`interchange_key` (payer, sender)."""

    def __init__(self, settings: BatchSettings, numbers):
        self.settings = settings
        self.numbers = numbers
        self.open: dict[tuple, tuple[AtomicFile, object, str, str]] = {}
        self.names: set[str] = set()
        self.now = settings.now or dt.datetime.now()

    def add(self, claim) -> dict:
        from .formats.x12_837p import Interchange837P, interchange_key

        key = interchange_key(claim)
        entry = self.open.get(key)
        if entry is None:
            name = self._name(claim.receiver_id)
            out = AtomicFile(self.settings.out / name, inputs=self.settings.inputs,
                             force=self.settings.force)
            writer = Interchange837P(out, self.numbers, self.now,
                                     claims_per_transaction=self.settings.claims_per_transaction)
            entry = self.open[key] = (out, writer, name, claim.receiver_id)
        out, writer, name, _ = entry
        writer.add(claim)
        return {"format": X12, "file": name, "claim_id": claim.id,
                "interchange": writer.interchange, "transaction": writer.transaction}

    def _name(self, receiver: str) -> str:
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_"
                       for c in receiver or "") or "receiver"
        name, n = f"{safe[:60]}.837", 1
        while name in self.names:
            n += 1
            name = f"{safe[:60]}-{n}.837"
        self.names.add(name)
        return name

    def close(self, summary: Summary) -> None:
        for out, writer, name, receiver in self.open.values():
            done = writer.close()
            out.commit()
            summary.interchanges.append(InterchangeFile(
                name, receiver, done.interchange, done.claims, done.transactions))

    def discard(self) -> None:
        for out, *_ in self.open.values():
            out.discard()


Mapper = Callable[[Iterable[Item]], Iterable[Evaluated]]


def run_batch(items: Iterable[Item], settings: BatchSettings, *, kit=None, jobs: int = 1,
              mapper: Mapper | None = None, progress: Callable[[Evaluated], None] | None = None,
              ) -> Summary:
    """Evaluate every item and write ``results.jsonl``, the claims and ``summary.json``
    into ``settings.out``; returns the :class:`Summary`.

    ``jobs``: worker processes (1: in this process); ``mapper``: another way to
    evaluate items in order (the Dask path, :mod:`payerkit.dask`); ``progress`` is
    called after each case. Raises :class:`OutputError` or ``CounterError`` for a
    set-up problem, after removing every output it had begun.
    """
    from .formats.control import ControlNumberSource
    from .kit import PayerKit

    kit = kit or PayerKit()
    out = make_folder(settings.out)
    numbers = ControlNumberSource(settings.data_dir)
    summary = Summary()
    results = AtomicFile(out / "results.jsonl", inputs=settings.inputs, force=settings.force)
    interchanges = _Interchanges(settings, numbers)
    try:
        if mapper is None:
            mapper = _local_mapper(kit, settings, jobs)
        for ev in mapper(items):
            status, claim = ev.status, "null"
            if ev.claim is not None:
                try:
                    claim = json.dumps(interchanges.add(ev.claim))
                except FormatError as exc:  # the scrub ran this writer dry: not expected
                    status = "failed"
                    ev = ev._replace(errors=("FORMAT-LIMIT",))
                    claim = json.dumps({"format": X12, "refused": f"{exc.field}: {exc.problem}"})
            elif ev.file is not None:
                claim = json.dumps({"format": settings.format, "file": ev.file})
                summary.claim_files += 1
            head = ev.head if status == ev.status else \
                ev.head.replace('"status": "written"', '"status": "failed"', 1)
            results.write(f'{head}, "claim": {claim}}}\n'.encode())
            summary.add(ev, status)
            if progress is not None:
                progress(ev)
        interchanges.close(summary)
        results.commit()
        # last: a summary.json says the run finished
        write_atomic(out / "summary.json", (json.dumps(summary.json(), indent=2) + "\n").encode(),
                     inputs=settings.inputs, force=settings.force)
    except BaseException:
        results.discard()
        interchanges.discard()
        raise
    return summary


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
    if settings.interchanges or settings.format != X12:
        return None
    from .formats.control import ControlNumberSource

    return ControlNumberSource(settings.data_dir)


def _init_worker(settings: BatchSettings, kit=None) -> None:
    global _WORKER
    if kit is None:
        from .kit import PayerKit

        kit = PayerKit()
    _WORKER = (kit, settings, _claim_numbers(settings))


def _work(item: Item) -> Evaluated:
    kit, settings, numbers = _WORKER
    return evaluate_item(kit, item, settings, numbers)


#: Items sent to a worker at a time, and chunks in flight per worker: enough to keep
#: the workers busy, few enough that memory stays flat.
CHUNK = 32
AHEAD = 4


def _in_processes(kit, settings: BatchSettings, jobs: int, items: Iterable[Item]):
    import multiprocessing

    global _WORKER
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:  # the workers start with this kit, its plugins loaded
        context = multiprocessing.get_context("fork")
        initargs = (settings, kit)
    else:  # pragma: no cover - Windows, macOS without fork
        context = multiprocessing.get_context("spawn")
        initargs = (settings,)
    window = threading.BoundedSemaphore(jobs * CHUNK * AHEAD)

    def fed() -> Iterator[Item]:  # the pool reads ahead only as far as the window allows
        for item in items:
            window.acquire()
            yield item

    pool = context.Pool(jobs, initializer=_init_worker, initargs=initargs)
    try:
        for ev in pool.imap(_work, fed(), chunksize=CHUNK):
            window.release()
            yield ev
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _WORKER = None


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover
        return os.cpu_count() or 1


__all__ = ["BatchSettings", "Evaluated", "Item", "Summary", "claim_file_name", "default_jobs",
           "evaluate_item", "find_items", "run_batch"]

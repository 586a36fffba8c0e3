"""What each request of ``payerkit serve`` asks, without the request: plain functions over a
kit, for the API's routes, the practice page, a test.

Every answer goes through the one pipeline (``kit.evaluate`` and its questions, then
``Evaluation.write``) and comes out in the shapes of ``payerkit --json``
(:mod:`payerkit.output`, the one serializer). A case is read by payerkit's own strict reader
(``payerkit.io``), with any file it names confined to ``--files-dir``.

**One evaluation at a time per process.** The kit's caches (routes, fee files, the batch's
JSON pieces) are built for one thread; the work is CPU-bound, so a lock costs no throughput
that threads would have given (Python runs one at a time anyway): serve more at once with
``--workers``. :meth:`Service.call` runs a method under the lock.

**Control numbers** come from one :class:`~payerkit.formats.control.ControlNumberSource` per
process, reserved from the counter in blocks under its file lock, so they never repeat
across uvicorn's worker processes, nor across servers and batches sharing the counter.

**Errors** (:func:`problem`): a case that is not valid is 422 with the exit-2 problem lines
(field paths); a body that is not JSON 400; a refused claim 422 with its findings; a plugin or
set-up problem 500 naming the plugin (never a traceback, never the exception's text).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from attrs import frozen

from ..batch import BatchSettings, Item, batch_format, evaluate_item
from ..errors import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    CaseError,
    ClaimRefused,
    NotFound,
    PayerKitError,
    RequestError,
    TooLarge,
)
from ..formats import X12_837P
from ..formats.builtin import file_ending
from ..formats.control import ControlNumberSource
from ..formats.options import ControlNumbers, WriteOptions
from ..formats.x12_limits import EARLIEST_DATE, LATEST_DATE
from ..io import case_from_text
from ..kit import ALL_VISITS, PayerKit
from ..output import (
    eligibility_json,
    evaluation_json,
    finding_json,
    limits_json,
    payment_terms_json,
    plan_json,
    pricing_json,
    printable,
    program_detail_json,
    program_json,
    scrub_json,
)
from .config import MAX_CASE_BYTES
from .schema import facts_fields

log = logging.getLogger("payerkit.http")

#: The questions about one visit, by endpoint, and the JSON shape of each answer.
QUESTIONS = ("check", "price", "limits", "terms")
#: The endpoints that take several visits (``visit`` repeated, or ``all``) and a format.
CLAIM_QUESTIONS = ("scrub", "evaluate")
#: A control-number block a process reserves at most (a restart leaves the rest as gaps).
MAX_NUMBER_BLOCK = 64


@frozen
class ClaimFile:
    """A claim file as the server sends it: its bytes, media type, a file name (the program
    and the last visit's date; no patient data) and the scrub's warnings."""

    data: bytes
    media_type: str
    filename: str
    warnings: tuple[dict, ...] = ()


@frozen
class Visits:
    """The visits a request asks about: ``None`` (the last), dates, or every visit."""

    dates: tuple[dt.date, ...] = ()
    every: bool = False

    @property
    def one(self) -> dt.date | None:
        return self.dates[0] if self.dates else None

    @property
    def billed(self):
        """What ``kit.evaluate``/``kit.scrub`` take as ``visit``."""
        if self.every:
            return ALL_VISITS
        return list(self.dates) if self.dates else None


# ---------------------------------------------------------------------------
# Query parameters.
# ---------------------------------------------------------------------------


def parse_date(name: str, text: str) -> dt.date:
    """A query parameter's date, as the CLI's options take it; else :class:`RequestError`."""
    try:
        day = dt.date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        shown = printable(text if len(text) <= 40 else text[:37] + "...")
        raise RequestError([f"{name}: expected a date such as 2026-03-20, got {shown!r}"])
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise RequestError([f"{name}: expected a date from {EARLIEST_DATE.isoformat()} to "
                          f"{LATEST_DATE.isoformat()}, got {day.isoformat()}"])
    return day


def parse_visits(values: list[str], many: bool) -> Visits:
    """``visit`` as given (repeated, or ``all``); one at most unless ``many``."""
    if not values:
        return Visits()
    if "all" in values:
        if not many:
            raise RequestError(["visit: this question is about one visit: give its date"])
        if len(values) > 1:
            raise RequestError(["visit: 'all' bills every visit: give it alone"])
        return Visits(every=True)
    if len(values) > 1 and not many:
        raise RequestError(["visit: this question is about one visit: give one date"])
    return Visits(tuple(parse_date("visit", v) for v in values))


# ---------------------------------------------------------------------------
# The service.
# ---------------------------------------------------------------------------


class Service:
    """The kit and what a request may reach: the folder of files, the control numbers.

    ``kit``: the installed plugins (default: a new :class:`~payerkit.PayerKit`);
    ``files_dir``: the only folder a case may name a file in (``None``: none);
    ``data_dir``: where the control-number counter is (default ``PAYERKIT_DATA_DIR``, else
    the user's data folder; a bad one is a ``CounterError`` now, not at the first claim).
    """

    def __init__(self, kit: PayerKit | None = None, files_dir: Path | None = None,
                 data_dir: Path | None = None, today: Callable[[], dt.date] = dt.date.today,
                 ledger=None):
        self.kit = kit if kit is not None else PayerKit()
        #: The open :class:`payerkit.ledger.Ledger` the claims written are recorded in, or
        #: ``None`` (``payerkit serve`` without ``--ledger``).
        self.ledger = ledger
        self.files_dir = None if files_dir is None else Path(files_dir)
        self.data_dir = data_dir
        self.numbers = ControlNumberSource(data_dir, max_block=MAX_NUMBER_BLOCK)
        self.lock = threading.Lock()
        self.today = today

    def call(self, method: Callable, *args):
        """``method(*args)`` under the service's lock (one evaluation at a time)."""
        with self.lock:
            return method(*args)

    # -- reading -------------------------------------------------------------------------

    def read_case(self, body: bytes):
        """A case from a JSON body, by payerkit's strict reader; its ``fees.file`` only inside
        ``files_dir``. A body that is not UTF-8 or not JSON is :class:`RequestError`; a case
        that is not valid, ``CaseError`` naming each field."""
        if len(body) > MAX_CASE_BYTES:
            raise TooLarge([f"body: larger than {MAX_CASE_BYTES} bytes, the limit for a case"])
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RequestError([f"body: not UTF-8 text (byte {exc.start + 1} is invalid)"]) from None
        try:
            return case_from_text(text, "case.json", self.files_dir, confined=True)
        except CaseError as exc:
            if _not_json(text):
                raise RequestError(exc.problems) from None
            raise

    def read_case_text(self, text: str, name: str):
        """A case from the text of a case file (TOML, or JSON by its ``name``: an upload), by
        the same reader and file rules as :meth:`read_case`."""
        if len(text) > MAX_CASE_BYTES:
            raise TooLarge([f"case: larger than {MAX_CASE_BYTES} bytes, the limit for a case"])
        return case_from_text(text, name, self.files_dir, confined=True)

    def read_case_data(self, data: dict):
        """A case from data as a JSON case file holds it (a form's fields, say): read as its
        JSON text is, by the same reader."""
        return self.read_case(json.dumps(data).encode())

    # -- programs ------------------------------------------------------------------------

    def programs(self) -> dict:
        """``payerkit programs --json``."""
        return {"programs": [program_json(e) for e in self.kit.programs()]}

    def program(self, program_id: str) -> dict:
        """One program with its facts fields and the formats it takes; :class:`NotFound`."""
        for entry in self.kit.programs():
            if entry.program.id == program_id:
                formats = [self.kit.claim_format_of(f) for f in entry.program.claim_formats]
                return program_detail_json(entry, formats, facts_fields(entry.program.facts))
        known = ", ".join(sorted(e.program.id for e in self.kit.programs())) or "none installed"
        shown = printable(program_id if len(program_id) <= 40 else program_id[:37] + "...")
        raise NotFound([f"program: unknown program {shown!r} (installed: {known})"])

    # -- questions -----------------------------------------------------------------------

    def answer(self, question: str, case, visits: Visits, as_of: dt.date | None,
               format: str | None = None) -> dict:
        """The answer to ``question`` (``check``, ``price``, ``limits``, ``terms``, ``scrub``,
        ``evaluate``) in its ``--json`` shape."""
        kit = self.kit
        if question == "check":
            return eligibility_json(kit.check(case, visits.one, as_of))
        if question == "price":
            return pricing_json(kit.price(case, visits.one, as_of))
        if question == "limits":
            return limits_json(kit.limits(case, visits.one, as_of))
        if question == "terms":
            return payment_terms_json(kit.payment_terms(case, visits.one, as_of))
        if question == "scrub":
            try:
                return scrub_json(kit.scrub(case, visits.billed, as_of, format=format))
            except ClaimRefused as exc:  # a format the program does not take: an answer too
                return {"program": case.program, "findings": [finding_json(f) for f in
                                                              exc.findings]}
        if question == "evaluate":
            return evaluation_json(kit.evaluate(case, visits.billed, as_of, format=format,
                                                written_on=self.today()))
        raise ValueError(f"unknown question {question!r}")

    def ask(self, question: str, body: bytes, visits: Visits, as_of: dt.date | None,
            format: str | None = None) -> dict:
        """Read the case in ``body`` and answer ``question`` about it."""
        return self.answer(question, self.read_case(body), visits, as_of, format)

    # -- claims --------------------------------------------------------------------------

    def claim(self, case, format: str, visits: Visits, as_of: dt.date | None) -> ClaimFile:
        """The claim file in ``format``, as ``payerkit claim`` writes it (evaluated once, then
        written from what the scrub checked); :class:`~payerkit.errors.ClaimRefused` with the
        findings when the scrub (or the format) finds errors."""
        claim_format = self.kit.claim_format_of(format)  # unknown: CaseError
        ev = self.kit.evaluate(case, visits.billed, as_of, format=format,
                               written_on=self.today())
        data = ev.write(format, self._options(format) if ev.clean else None)
        if self.ledger is not None and claim_format.renders != "plan":  # a report is no claim
            from ..ledger import claim_entry
            from ..ledger.entry import x12_control_numbers

            self.ledger.record([claim_entry(ev, format, self.today()).placed(
                *x12_control_numbers(data))])
        last = ev.visits[-1].date.isoformat()
        return ClaimFile(data, media_type(claim_format.media_type),
                         f"{case.program}-{last}{file_ending(format)}",
                         tuple(finding_json(f) for f in ev.scrub.findings))

    def write_claim(self, body: bytes, format: str, visits: Visits,
                    as_of: dt.date | None) -> ClaimFile:
        """Read the case in ``body`` and write its claim (:meth:`claim`)."""
        return self.claim(self.read_case(body), format, visits, as_of)

    def _options(self, format: str) -> WriteOptions | None:
        """An 837P's control numbers, from this process's block of the counter."""
        if format != X12_837P:
            return None
        value = self.numbers()
        return WriteOptions(ControlNumbers(value, value, value), None, self.data_dir)

    # -- the treatment plan ---------------------------------------------------------------

    def plan(self, case, as_of: dt.date | None, format: str | None = None) -> dict | ClaimFile:
        """The plan's state on ``as_of`` as ``payerkit plan --json`` gives it; with ``format``
        (a format that draws the plan: ``progress-report``), its file as ``payerkit claim
        --format`` writes it (:meth:`claim`: the same pass, the same bytes). A case without
        ``episode.plan``: :class:`CaseError` naming it."""
        if format is None:
            return plan_json(self.kit.plan(case, as_of))
        if self.kit.claim_format_of(format).renders != "plan":  # unknown: CaseError
            raise RequestError([f"format: {printable(format)} is a claim format: /v1/plan "
                                "writes the plan's documents (" + ", ".join(self.plan_formats())
                                + "); a claim is /v1/claims"])
        made = self.claim(case, format, Visits(), as_of)
        day = (as_of or case.today()).isoformat()
        return ClaimFile(made.data, made.media_type,
                         f"{case.program}-{day}{file_ending(format)}", made.warnings)

    def plan_formats(self) -> list[str]:
        """The installed formats that draw a case's treatment plan (the progress report)."""
        return [f.id for f in self.kit.claim_formats() if f.renders == "plan"]

    # -- batch ---------------------------------------------------------------------------

    def batch_items(self, body: bytes) -> list[Item]:
        """The cases of a JSON Lines body, one per line that is not blank (a line that is no
        case says why in its result line); :class:`CaseError` when there is none."""
        from ..batch import _json_lines

        items = [ConfinedItem(i.source, i.line, i.text, i.problem, files_dir=self.files_dir)
                 for i in _json_lines(io.BytesIO(body).readline, "-")]
        if not items:
            raise CaseError(["body: no case: expected JSON Lines, one case per line"])
        return items

    def batch_settings(self, format: str, every: bool, as_of: dt.date | None) -> BatchSettings:
        """What each case of a batch does: evaluated, judged as ``format``'s claim, no claim
        made (``clean`` when it would be written)."""
        batch_format(self.kit, format)  # unknown, or a plan's report: CaseError, before any line
        return BatchSettings(Path("."), format=format, visits="all" if every else "last",
                             as_of=as_of, written_on=self.today(), claims=False)

    def batch_line(self, item: Item, settings: BatchSettings) -> bytes:
        """One case's result line (``payerkit batch``'s, ``claim`` null), with its newline."""
        evaluated = evaluate_item(self.kit, item, settings)
        return evaluated.head + b', "claim": null}\n'

    def batch(self, body: bytes, format: str = X12_837P, every: bool = False,
              as_of: dt.date | None = None) -> Iterator[bytes]:
        """Every result line of a JSON Lines body, in order (each under the lock)."""
        settings = self.call(self.batch_settings, format, every, as_of)
        for item in self.batch_items(body):
            yield self.call(self.batch_line, item, settings)


@frozen
class ConfinedItem(Item):
    """A line of a batch sent to the server: read as the server reads a case (its files only
    in ``files_dir``), never relative to the server's working folder."""

    files_dir: Path | None = None

    def load(self):
        if self.problem is not None:
            raise CaseError([self.problem])
        return case_from_text(self.text, "case.json", self.files_dir, confined=True)


def media_type(text: str) -> str:
    """A media type with its type and subtype in lower case (``application/edi-x12``)."""
    kind, sep, rest = text.partition(";")
    return kind.strip().lower() + (sep + rest if sep else "")


def _not_json(text: str) -> bool:
    """Whether ``text`` is not JSON at all (told on the error path only: the case reader has
    already refused it, and its problem lines are the answer)."""
    try:
        json.loads(text)
    except RecursionError:
        return False  # JSON, nested too deeply: the reader's problem, 422
    except ValueError:
        return True
    return False


# ---------------------------------------------------------------------------
# Errors as HTTP answers.
# ---------------------------------------------------------------------------


def problem(exc: BaseException, program: str | None = None) -> tuple[int, dict]:
    """The status and JSON body for an error: never a traceback, never the text of an
    exception that is not payerkit's own (it may hold patient data)."""
    if isinstance(exc, ClaimRefused):
        return 422, {"error": exc.heading, "program": program,
                     "findings": [finding_json(f) for f in exc.findings]}
    if isinstance(exc, RequestError):
        return exc.status, {"error": exc.heading, "problems": exc.problem_lines()}
    if isinstance(exc, PayerKitError):
        status = 422 if exc.exit_code in (EXIT_INPUT, EXIT_FINDINGS) else 500
        return status, {"error": exc.heading, "problems": [printable(line) for line in
                                                           exc.problem_lines()]}
    return 500, {"error": "internal error", "problems": [
        f"internal error ({type(exc).__name__}); the server's log says where"]}


def log_failure(exc: BaseException, what: str, debug: bool = False) -> None:
    """One log line for an unexpected error: its type and where it was raised (file, line,
    function), never its text or a traceback (either may hold patient data); with ``debug``
    (``PAYERKIT_DEBUG=1`` for the server, a developer's switch) the traceback too."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames \
        else ""
    log.error("%s: internal error (%s)%s", what, type(exc).__name__, where,
              exc_info=exc if debug else None)

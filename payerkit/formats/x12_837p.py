"""The X12 837 Professional writer, 5010 (005010X222A1), built from a Claim.

:func:`write_837p` writes one interchange per claim. :class:`Interchange837P`
streams many claims into one interchange (and :func:`write_837p_interchange`
does it in one call): one ISA/GS, one ST/SE per up to 5000 claims (the TR3's
limit), each claim's segments written as it is added. The single-claim writer
is made of the same pieces (the claim's loops, the envelope), so both write
each claim's loops alike.

In a transaction set: ST, BHT and the header loops (1000A submitter, 1000B
receiver), then for each claim the billing provider (2000A/2010AA; a new
2000A only when it differs from the previous claim's), the subscriber
(2000B/2010BA/2010BB), the patient when not the subscriber (2000C/2010CA),
the claim (2300) with referring/rendering providers (2310A/B) and its service
lines (2400, up to 50; each with its own date, and its place of service when
not the claim's), then SE; GE/IEA close the interchange. In workers' compensation the
employer is the subscriber (2010BA ``NM1*IL*2``, no address) and the injured worker the
patient (2000C ``PAT*20``, 2010CA with the address, DMG and ``REF*Y4``), as X12's RFI 1925
reads the TR3. A replacement or void
(CLM05-3 ``7``/``8``) carries the payer's claim control number of the claim it
corrects (REF*F8).

Identifiers and codes are written as given (ASCII letters upper-cased) or
refused, never altered (:func:`payerkit.formats.x12.identifier`); names and
addresses are transliterated to the X12 basic set and cut to the element's
size (:func:`payerkit.formats.x12.clean`), so no data can carry a delimiter.
A value X12 cannot carry (an identifier with a delimiter, a name with nothing
left, a 5-digit billing ZIP, a pointer past the last diagnosis, a birth date
after the service...) raises :class:`payerkit.errors.FormatError` naming the
claim field, never its content. Every element size comes from
:mod:`payerkit.formats.x12_limits`.

**Rendered once.** :func:`render_837p` renders a claim's segments without the
moment of writing: no control number, no date, no HL number (a claim's loops
are numbered where it lands in a transaction set). It collects every problem
instead of stopping at the first, and lists the names and addresses written
differently from what was given (warnings): the scrub's findings for the 837P.
:func:`write_837p_rendering` and :class:`Interchange837P` write that rendering,
adding the envelope, the control numbers, the day and the HL numbers; so what
the scrub checked is what is written. :func:`write_837p` and
:func:`check_837p` are the two together, for one claim.

Segment order follows the pyx12 map of the TR3 (``837.5010.X222.A1.xml``).
Each loop is rendered by one small function returning finished segments (no
terminators); segments are f-strings because this is a hot path. What claims
share is a *part* (:func:`_part`): the 1000A/B header, the 2000A billing
provider, the 2310A/B providers, the payer, an address, the SBR and HI
segments, a service line's LX and SV1, the claim's total. A part is rendered
once for the values it is made of, and remembers the problems and name changes
met making it, which every claim using it reports again: a claim is checked
whole each time, at the cost of the values it does not share. A rendering keeps
its loops as text, each segment ending ``~`` and a newline (no element can hold
a ``~``), so that writing a claim into an interchange is one f-string.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache, wraps
from pathlib import Path
from typing import BinaryIO, NamedTuple

from attrs import frozen

from ..errors import FormatError
from ..model.case import Address, Person, Practitioner
from ..model.claim import Claim
from ..model.program import Rendering
from ..model.results import Finding
from ..rules.codes import X12_837P_GUIDE
from ..rules.money import total
from . import X12_837P
from .control import ControlNumberSource, next_control_numbers
from .options import ControlNumbers, WriteOptions
from .x12 import WRITABLE_IDENTIFIER, clean, d8, identifier_problem, number, transliterated
from .x12_limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT_CHARS,
    MAX_CLAIMS_PER_TRANSACTION,
    MAX_CONTROL,
    MAX_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_TRANSACTIONS_PER_GROUP,
    id_size,
    text_size,
)

VERSION = "005010X222A1"

#: PAT01: the patient's relationship to the insured; ``20`` employee: the injured worker of
#: a workers' compensation claim, whose insured is the employer.
_PATIENT_RELATION = {"spouse": "01", "child": "19", "other": "G8", "employee": "20"}
_RELATED_CAUSE = {"auto": "AA", "employment": "EM", "other": "OA"}
_TAX_ID_QUALIFIER = {"ein": "EI", "ssn": "SY"}
_SEXES = frozenset("FMU")
#: CLM05-3: 1 original, 7 replacement of a prior claim, 8 void of a prior claim.
_FREQUENCIES = frozenset("178")
FORMAT_ID = X12_837P
#: Every segment written ends with this; no element can hold a ``~`` (a delimiter is
#: refused in an identifier and turned into a space in a name).
END = "~\n"


class _Found:
    """What a rendering met: values the 837P cannot carry, ``(claim field, problem)``, and
    names written differently, ``(claim field, ("transliterated", "cut") or one of them)``."""

    __slots__ = ("changes", "made", "problems")

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.changes: list[tuple[str, tuple[str, ...]]] = []
        #: Parts made so far (:func:`_part`).
        self.made = 0


#: Set while a claim is rendered: what was found so far. A refused value is recorded and
#: replaced by a placeholder, so the rendering goes on to find the next one.
_FOUND: ContextVar[_Found | None] = ContextVar("payerkit_837p_found", default=None)


def _refuse(field: str, problem: str, placeholder: str = "XX") -> str:
    """Record a value the 837P cannot carry and go on with ``placeholder`` (outside a
    rendering, raise :class:`FormatError`)."""
    found = _FOUND.get()
    if found is None:
        raise FormatError(field, problem)
    found.problems.append((field, problem))
    return placeholder


def _changed(field: str, changes: tuple[str, ...]) -> None:
    """Record a name or address written differently from the claim's."""
    found = _FOUND.get()
    if found is not None:
        found.changes.append((field, changes))


def _part(make: Callable) -> Callable:
    """``make(*values)``, made once for each set of values (its arguments are everything
    it is made of), with the problems and name changes met making it; each later use
    reports them again, in order, as if it were made there. Unhashable values (a list for a
    string) are made each time. Only while a claim is rendered (:func:`_render`)."""

    def made(*values):
        found = _FOUND.get()
        found.made += 1
        problems, changes = len(found.problems), len(found.changes)
        value = make(*values)
        return value, tuple(found.problems[problems:]), tuple(found.changes[changes:])

    cached = lru_cache(maxsize=4096, typed=True)(made)

    @wraps(make)
    def part(*values):
        found = _FOUND.get()
        made_before = found.made
        try:
            value, problems, changes = cached(*values)
        except TypeError:  # an unhashable value
            return make(*values)
        if found.made == made_before and (problems or changes):  # not made here: report
            found.problems += problems
            found.changes += changes
        return value

    part.cache_clear = cached.cache_clear
    return part


class Segments837P(NamedTuple):
    """A claim's 837P loops without the moment of writing (:func:`render_837p`): the
    content of its :class:`payerkit.model.Rendering`. Each loop is text, every segment
    ending ``~`` and a newline, without its HL segment: the writer numbers the HL
    segments where the claim lands."""

    #: :func:`interchange_key` and :func:`transaction_key` of the claim.
    key: tuple
    transaction: tuple
    #: ISA06/GS02 sender, ISA08/GS03 receiver, ISA15 usage, as written.
    envelope: tuple[str, str, str]
    #: 1000A submitter and 1000B receiver (after each BHT).
    header: str
    #: 2000A after its HL.
    billing: str
    #: 2000B after its HL (HL04 is 0 when ``patient`` is ``None``, else 1).
    subscriber: str
    #: 2000C after its HL, or ``None`` when the patient is the insured.
    patient: str | None
    #: 2300 (CLM...), 2310A/B and the 2400 lines.
    claim: str
    #: The segments in ``subscriber``, ``patient`` and ``claim``.
    segments: int
    claim_id: str
    #: Every value the 837P cannot carry, in the order met: ``(claim field, problem)``.
    problems: tuple[tuple[str, str], ...]


def render_837p(claim: Claim) -> Rendering:
    """The claim rendered for the 837P, and what the 837P finds in it.

    The :class:`payerkit.model.Rendering`'s findings are every value the writer cannot
    carry, as ``(claim field, problem)`` (the same as :func:`check_837p`; the claim is
    then never written), and a warning for each name or address written differently from
    the claim (``TEXT-TRANSLITERATED``, ``TEXT-CUT``: :func:`text_changes_837p`). Its
    content (:class:`Segments837P`) is what :func:`write_837p_rendering` and
    :meth:`Interchange837P.add` write, adding only the envelope, control numbers, day and
    HL numbers. Its stream key is :func:`interchange_key`, its stream name the receiver id.
    """
    segments, changes = _render(claim)
    findings: list = _distinct(segments.problems, claim) if segments.problems else []
    if changes:
        findings += [_text_finding(field, change) for field, change in _text_changes(changes)]
    return Rendering(FORMAT_ID, segments, findings, segments.key, claim.receiver_id)


def _render(claim: Claim) -> tuple[Segments837P, list[tuple[str, tuple[str, ...]]]]:
    """The claim's :class:`Segments837P`, and the names written differently (as met)."""
    found = _Found()
    token = _FOUND.set(found)
    try:
        # Diagnoses, then lines, first: their errors are more precise than the claim total's.
        hi = _hi(claim.diagnoses)
        lines, charges = _service_lines(claim)
        header = _header(claim)
        rendering = _rendering(claim)
        billing = _billing(claim, rendering is None)
        subscriber = _subscriber(claim)
        patient = None if claim.patient_is_insured else _patient(claim)
        body = _claim(claim, hi, charges)
        body += _claim_providers(claim.referring, rendering, claim.billing.taxonomy)
        body += lines
        # last, as the writer always checked them
        envelope = _envelope_values(claim.sender_id, claim.receiver_id, claim.usage)
    finally:
        _FOUND.reset(token)
    count = len(subscriber) + len(body)
    if patient is not None:
        count += len(patient)
        patient = _joined(patient)
    segments = Segments837P(interchange_key(claim), transaction_key(claim), envelope, header,
                            billing, _joined(subscriber), patient, _joined(body), count,
                            claim.id, tuple(found.problems))
    return segments, found.changes


def _joined(segments: list[str]) -> str:
    """Segments as text, each ending ``~`` and a newline."""
    return END.join(segments) + END


def write_837p_rendering(rendering: Rendering, options: WriteOptions) -> bytes:
    """A rendered claim (:func:`render_837p`) as one 837P interchange: ASCII, each segment
    ending ``~`` + newline.

    ISA13/IEA02, GS06/GE02 and ST02/SE02 are ``options.control``'s (else the
    next number of the counter in ``options.data_dir``); BHT03 is ISA13. Raises
    :class:`FormatError` for the first value the 837P cannot carry.
    """
    control = options.control
    if control is None:
        control = next_control_numbers(options.data_dir)
    _check_control(control)
    clock = _clock(options.now if options.now is not None else dt.datetime.now())
    seg = _segments(rendering)
    if seg.problems:
        raise FormatError(*seg.problems[0])
    group, st02 = str(control.group), f"{control.transaction:04d}"
    billing, billing_count = _billing_loop(seg, 1)
    loops, count, _ = _claim_loops(seg, 2, 1)
    st_segments = 2 + seg.header.count("~") + billing_count + count
    return (f"{_envelope(*seg.envelope, control.interchange, group, clock)}"
            f"{_transaction_start(st02, f'{control.interchange:09d}', clock)}"
            f"{seg.header}{billing}{loops}"
            f"{_trailer(st_segments, st02, 1, group, control.interchange)}").encode("ascii")


def write_837p(claim: Claim, options: WriteOptions) -> bytes:
    """The claim as one 837P interchange: :func:`render_837p`, then
    :func:`write_837p_rendering`. Raises :class:`FormatError` for the first value the 837P
    cannot carry."""
    control = options.control
    if control is None:  # taken first, as ever: the counter moves even for a refused claim
        options = WriteOptions(next_control_numbers(options.data_dir), options.now,
                               options.data_dir, options.claims_per_transaction)
    return write_837p_rendering(render_837p(claim), options)


def stream_837p(out: BinaryIO, numbers: Callable[[], int],
                options: WriteOptions) -> Interchange837P:
    """The 837P's stream (:attr:`payerkit.model.ClaimFormat.stream`): an
    :class:`Interchange837P` writing to ``out``, dated ``options.now`` (default now), with
    ``options.claims_per_transaction`` claims per ST/SE."""
    return Interchange837P(out, numbers, options.now if options.now is not None
                           else dt.datetime.now(),
                           claims_per_transaction=options.claims_per_transaction)


# ---------------------------------------------------------------- many claims, one interchange


@frozen
class InterchangeSummary:
    """What :meth:`Interchange837P.close` wrote: ``claims`` and ``transactions`` (ST/SE
    sets) in the interchange, ``bytes`` written to ``out``, and ``control_numbers`` taken
    from ``numbers`` in order: ISA13 (= GS06) first, then each ST02. All zero and empty
    when no claim was added (then nothing was written)."""

    claims: int
    transactions: int
    bytes: int
    control_numbers: tuple[int, ...]

    @property
    def interchange(self) -> int | None:
        """ISA13/IEA02, the same number as GS06/GE02; ``None`` when nothing was written."""
        return self.control_numbers[0] if self.control_numbers else None


def interchange_key(claim: Claim) -> tuple:
    """The claim values written once per interchange: ISA06/GS02 and ISA08/GS03
    (``sender_id``, ``receiver_id``) and ISA15 (``usage``). Claims with equal keys share
    an interchange (:class:`Interchange837P` refuses a claim whose key differs from the
    first claim's): one per sender, payer id and usage, however the programs name the
    receiver. The values are compared as given, so two keys that differ may still write
    the same text."""
    return (claim.sender_id, claim.receiver_id, claim.usage)


def transaction_key(claim: Claim) -> tuple:
    """The claim values written once per transaction set (after each BHT): the 1000A
    submitter (the billing provider's name, which is also the contact name, and phone)
    and the 1000B receiver's name (``receiver_name``: two programs billed to one payer id
    may name it differently). A claim whose key differs from its transaction set's opens
    a new one, in the same interchange."""
    billing = claim.billing
    if billing.name is not None:  # an organization: its name is NM103 and PER02
        submitter: tuple = (billing.name,)
    else:
        submitter = (None, billing.last_name, billing.first_name)
    return (claim.receiver_name, submitter, billing.phone)


def _number_source(numbers: Callable[[], int] | Iterable[int]) -> Callable[[], int]:
    next_ = getattr(numbers, "__next__", None)
    if next_ is not None:
        return next_
    if callable(numbers):
        return numbers
    return iter(numbers).__next__


class Interchange837P:
    """Many claims in one 837P interchange, written to ``out`` as they are added.

    ``numbers`` hands out control numbers (a callable returning the next one, or
    an iterator or iterable of ints, each 1 to 999,999,999, none repeated in the
    interchange): one for ISA13 and GS06 (the same value), taken when the first
    claim is written, and one for each ST02 (also written as BHT03), taken when
    its transaction set opens. With payerkit's counter behind ``numbers`` no
    ISA13, GS06 or ST02 ever repeats across runs. ``now`` dates the envelope
    (ISA09/10, GS04/05, BHT04/05).

    One ISA/GS; one ST/SE for each ``claims_per_transaction`` claims (default and
    maximum 5000: the 837P TR3 asks trading partners to limit a transaction set, ST to
    SE, to 5000 CLM segments), each with its BHT, 1000A submitter and 1000B receiver; a
    claim whose :func:`transaction_key` (the submitter, the receiver's name) differs
    from the open set's opens a new one. Then, for each claim, exactly the segments
    :func:`write_837p` writes for it alone, with the HL numbers running on within the
    transaction set: its 2000A billing provider (a new 2000A only when it differs from
    the previous claim's in the same transaction set), its 2000B subscriber (one per
    claim), its 2000C patient when not the insured, and its 2300/2310/2400 loops.

    A claim is added as it was rendered (:func:`render_837p`): the interchange only
    numbers its HL segments and wraps it in the envelope. Each claim's segments are
    written to ``out`` (a binary stream) when it is added, whole or not at all
    (:meth:`add`); what is kept is counts and the control numbers taken (one per
    transaction set), so memory stays flat in the number of claims. :meth:`close`
    writes SE, GE and IEA. :attr:`interchange`, :attr:`transaction` and
    :attr:`claims` say where the last claim went.
    """

    def __init__(self, out: BinaryIO, numbers: Callable[[], int] | Iterable[int],
                 now: dt.datetime, *,
                 claims_per_transaction: int = MAX_CLAIMS_PER_TRANSACTION) -> None:
        if not (isinstance(claims_per_transaction, int)
                and 1 <= claims_per_transaction <= MAX_CLAIMS_PER_TRANSACTION):
            raise ValueError(f"claims_per_transaction must be 1 to {MAX_CLAIMS_PER_TRANSACTION}")
        self._out = out
        self._next_number = _number_source(numbers)
        self._clock = _clock(now)
        self._per_transaction = claims_per_transaction
        self._key: tuple | None = None       # interchange_key of the first claim
        self._st_key: tuple | None = None    # transaction_key of the open ST's claims
        self._header = ""                    # the open ST's 1000A and 1000B
        self._isa13: int | None = None
        self._gs06 = ""
        self._numbers: list[int] = []
        self._used: set[int] = set()
        self._st_number: int | None = None
        self._st02 = ""
        self._st_segments = 0                # ST .. last segment written, for SE01
        self._st_claims = 0
        self._hl = 0                         # the last HL01 in the transaction set
        self._billing_hl = 0                 # HL01 of the open 2000A
        self._last_billing: str | None = None
        self._claims = 0
        self._transactions = 0
        self._bytes = 0
        self._summary: InterchangeSummary | None = None

    def add(self, claim: Claim | Rendering) -> dict:
        """Write a claim (a :class:`Claim`, rendered here, or its :func:`render_837p`
        rendering) to ``out`` (after SE and a new ST when its transaction set is full; after
        ISA, GS and ST for the first claim); returns where it went: its ``claim_id``, and the
        ``interchange`` (ISA13) and ``transaction`` (ST02) numbers.

        Raises :class:`FormatError` ``(field, problem)`` for a claim X12 cannot
        carry (as :func:`write_837p` does), and then writes nothing of it and takes
        no control number: the interchange stays valid and the next claim may be
        added. Raises ``ValueError`` when the claim's :func:`interchange_key`
        differs from that of the first claim written, after :meth:`close`, or when
        ``numbers`` runs out or gives a number outside 1 to 999,999,999 or one
        already used.
        """
        if self._summary is not None:
            raise ValueError("the interchange is closed")
        if isinstance(claim, Rendering):
            seg, key = _segments(claim), claim.stream_key
        else:
            seg, key = None, interchange_key(claim)
        first = self._key is None
        if not first and key != self._key:
            raise ValueError("the claim's sender, receiver or usage differs from the "
                             "interchange's (interchange_key): write it in another interchange")
        if seg is None:
            seg = _render(claim)[0]
        if seg.problems:
            raise FormatError(*seg.problems[0])
        st_key = seg.transaction
        other_header = first or st_key != self._st_key
        header = seg.header if other_header else self._header
        billing = seg.billing
        new_st = other_header or self._st_claims >= self._per_transaction
        if new_st or (billing is not self._last_billing and billing != self._last_billing):
            billing_hl = 1 if new_st else self._hl + 1
            text, count = _billing_loop(seg, billing_hl)
            loops, claim_count, hl = _claim_loops(seg, billing_hl + 1, billing_hl)
            text += loops
            count += claim_count
        else:
            billing_hl = self._billing_hl
            text, count, hl = _claim_loops(seg, self._hl + 1, billing_hl)

        if new_st:  # first take the numbers (nothing is written if that fails)
            data = self._open(text, count, header, seg.envelope if first else None, key, st_key)
        else:
            data = text.encode("ascii")
            self._out.write(data)
            self._st_segments += count
            self._st_claims += 1
        self._hl = hl
        self._billing_hl = billing_hl
        self._last_billing = billing
        self._claims += 1
        self._bytes += len(data)
        return {"claim_id": seg.claim_id, "interchange": self._isa13,
                "transaction": self._st_number}

    def _open(self, text: str, count: int, header: str,
              envelope: tuple[str, str, str] | None, key: tuple, st_key: tuple) -> bytes:
        """Write a claim (its ``count`` segments, ``text``) that opens a transaction set (and
        the interchange, given its ``envelope`` values): the previous SE, ST, BHT, 1000A/B,
        then ``text``."""
        if self._transactions >= MAX_TRANSACTIONS_PER_GROUP:
            raise ValueError(f"an interchange holds at most {MAX_TRANSACTIONS_PER_GROUP} "
                             "transaction sets (GE01)")
        pending: list[int] = []
        if envelope is not None:
            isa13 = self._take(pending)
            gs06 = str(isa13)
            start = _envelope(*envelope, isa13, gs06, self._clock)
        else:
            start = f"SE*{self._st_segments + 1}*{self._st02}{END}"
        st_number = self._take(pending)
        st02 = f"{st_number:04d}"
        data = f"{start}{_transaction_start(st02, st02, self._clock)}{header}{text}".encode(
            "ascii")
        self._out.write(data)
        if envelope is not None:
            self._key, self._isa13, self._gs06 = key, isa13, gs06
        self._header, self._st_key = header, st_key
        self._numbers += pending
        self._used.update(pending)
        self._st_number, self._st02 = st_number, st02
        self._st_segments = 2 + header.count("~") + count
        self._st_claims = 1
        self._transactions += 1
        return data

    @property
    def interchange(self) -> int | None:
        """ISA13 (= GS06) once the first claim is written, else ``None``."""
        return self._isa13

    @property
    def transaction(self) -> int | None:
        """ST02 of the transaction set the last claim went into (``None`` before one)."""
        return self._st_number

    @property
    def claims(self) -> int:
        """Claims written so far."""
        return self._claims

    def close(self) -> InterchangeSummary:
        """Write SE, GE and IEA (nothing when no claim was added) and say what was written.
        Closing again returns the same summary and writes nothing."""
        if self._summary is None:
            if self._key is not None:
                data = _trailer(self._st_segments, self._st02, self._transactions, self._gs06,
                                self._isa13).encode("ascii")
                self._out.write(data)
                self._bytes += len(data)
            self._summary = InterchangeSummary(self._claims, self._transactions, self._bytes,
                                               tuple(self._numbers))
        return self._summary

    # ------------------------------------------------------------ control numbers

    def _take(self, pending: list[int]) -> int:
        try:
            value = self._next_number()
        except StopIteration:
            raise ValueError("the control numbers ran out") from None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONTROL:
            raise ValueError(f"a control number is an int from 1 to {MAX_CONTROL}")
        if value in pending or value in self._used:
            raise ValueError(f"control number {value} was already used in this interchange")
        pending.append(value)
        return value


def _segments(rendering: Rendering) -> Segments837P:
    """The content of an 837P rendering (``ValueError`` for another format's)."""
    if rendering.format != FORMAT_ID:
        raise ValueError(f"a {rendering.format} rendering is not an 837P claim")
    return rendering.content


def _billing_loop(seg: Segments837P, hl: int) -> tuple[str, int]:
    """The claim's 2000A, numbered ``hl``, and its number of segments."""
    return f"HL*{hl}**20*1{END}{seg.billing}", 1 + seg.billing.count("~")


def _claim_loops(seg: Segments837P, hl: int, billing_hl: int) -> tuple[str, int, int]:
    """The claim's 2000B (HL ``hl``, under the 2000A numbered ``billing_hl``), its 2000C
    (HL ``hl + 1``) when the patient is not the insured, then its 2300 loop on; their
    number of segments, and the last HL number."""
    if seg.patient is None:
        return (f"HL*{hl}*{billing_hl}*22*0{END}{seg.subscriber}{seg.claim}",
                seg.segments + 1, hl)
    return (f"HL*{hl}*{billing_hl}*22*1{END}{seg.subscriber}HL*{hl + 1}*{hl}*23*0{END}"
            f"{seg.patient}{seg.claim}", seg.segments + 2, hl + 1)


def write_837p_interchange(claims: Iterable[Claim],
                           numbers: Callable[[], int] | Iterable[int] | None = None,
                           now: dt.datetime | None = None, *, data_dir: Path | None = None,
                           claims_per_transaction: int = MAX_CLAIMS_PER_TRANSACTION) -> bytes:
    """``claims`` (an iterable; all with the same :func:`interchange_key`) as one 837P
    interchange, in memory: :class:`Interchange837P` over a ``BytesIO``.

    ``numbers``: as for :class:`Interchange837P`; by default payerkit's counter in
    ``data_dir`` (a :class:`payerkit.formats.control.ControlNumberSource`: numbers
    reserved in growing blocks, never repeated across runs). ``now``:
    the envelope's clock (default: now). Raises :class:`FormatError` for the first
    claim that cannot be written (to leave such claims out and go on, use
    :class:`Interchange837P` and catch it from ``add``), ``ValueError`` for no
    claims or claims of different keys.
    """
    if numbers is None:
        numbers = ControlNumberSource(data_dir)
    out = io.BytesIO()
    interchange = Interchange837P(out, numbers, now if now is not None else dt.datetime.now(),
                                  claims_per_transaction=claims_per_transaction)
    for claim in claims:
        interchange.add(claim)
    if not interchange.close().claims:
        raise ValueError("no claims: an interchange carries at least one")
    return out.getvalue()


# ---------------------------------------------------------------- envelope


def _check_control(control: ControlNumbers) -> None:
    for name, value in (("interchange", control.interchange), ("group", control.group),
                        ("transaction", control.transaction)):
        if not 1 <= value <= MAX_CONTROL:
            raise FormatError(f"control.{name}", f"must be 1 to {MAX_CONTROL}")


@_part
def _envelope_values(sender_id: str, receiver_id: str, usage: str) -> tuple[str, str, str]:
    """ISA06/GS02 sender, ISA08/GS03 receiver, ISA15 usage: checked, as written."""
    sender = _party_id(sender_id, "sender_id")
    receiver = _party_id(receiver_id, "receiver_id")
    if usage not in ("T", "P"):
        usage = _refuse("usage", "must be 'T' or 'P'", "P")
    return sender, receiver, usage


class _Clock(NamedTuple):
    """The moment of writing as the envelope writes it."""

    yymmdd: str  # ISA09
    ccyymmdd: str  # GS04, BHT04
    hhmm: str  # ISA10, GS05, BHT05


@lru_cache(maxsize=64)
def _clock(now: dt.datetime) -> _Clock:
    return _Clock(f"{now.year % 100:02d}{now.month:02d}{now.day:02d}", d8(now.date()),
                  f"{now.hour:02d}{now.minute:02d}")


def _envelope(sender: str, receiver: str, usage: str, isa13: int, gs06: str,
              clock: _Clock) -> str:
    """ISA and GS."""
    return (
        f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}*{clock.yymmdd}"
        f"*{clock.hhmm}*^*00501*{isa13:09d}*0*{usage}*:{END}"
        f"GS*HC*{sender}*{receiver}*{clock.ccyymmdd}*{clock.hhmm}*{gs06}*X*{VERSION}{END}"
    )


def _transaction_start(st02: str, bht03: str, clock: _Clock) -> str:
    """ST and BHT."""
    return (f"ST*837*{st02}*{VERSION}{END}"
            f"BHT*0019*00*{bht03}*{clock.ccyymmdd}*{clock.hhmm}*CH{END}")


def _trailer(st_segments: int, st02: str, transactions: int, gs06: str, isa13: int) -> str:
    """SE (``st_segments``: ST to the last segment before SE), GE and IEA."""
    return (f"SE*{st_segments + 1}*{st02}{END}GE*{transactions}*{gs06}{END}"
            f"IEA*1*{isa13:09d}{END}")


def _party_id(value: str, field: str) -> str:
    """ISA06/ISA08 and GS02/GS03: an identifier of 2 to 15 characters."""
    text = _ident(value, field)
    if not 2 <= len(text) <= 15:
        return _refuse(field, "must be 2 to 15 characters")
    return text


# ---------------------------------------------------------------- header: BHT, 1000A, 1000B


def _header(claim: Claim) -> str:
    billing = claim.billing
    return _submitter_receiver(claim.sender_id, claim.receiver_id, claim.receiver_name,
                               billing.name, billing.last_name, billing.first_name, billing.phone)


@_part
def _submitter_receiver(sender_id: str, receiver_id: str, receiver_name: str,
                        name: str | None, last_name: str | None, first_name: str | None,
                        phone: str | None) -> str:
    """1000A (NM1*41, PER) and 1000B (NM1*40), written after the BHT of every ST; ``name``
    to ``first_name`` are the billing provider's (an organization when ``name`` is given)."""
    entity, nm103, nm104 = _provider_name(name, last_name, first_name)
    sender = _ident(sender_id, "sender_id")
    nm1 = f"NM1*41*{entity}*{nm103}*{nm104}****46*{sender}"
    phone = _phone(phone)
    # PER02: the practice's name, or the practitioner's first and last name
    contact = name if name is not None else \
        " ".join(part for part in (first_name, last_name) if part)
    per = f"PER*IC*{clean(contact or '', text_size('contact'))}*TE*{phone}"
    receiver = _ident(receiver_id, "receiver_id")
    return (f"{nm1}{END}{per}{END}"
            f"NM1*40*2*{_text(receiver_name, 'receiver_name')}*****46*{receiver}{END}")


# ---------------------------------------------------------------- 2000A / 2010AA billing provider


def _billing(claim: Claim, prv: bool) -> str:
    """2000A after its HL: PRV*BI (``prv``: when no 2310B rendering provider is sent), 2010AA."""
    billing = claim.billing
    return _billing_provider(billing.taxonomy if prv else None, billing.name,
                             billing.last_name, billing.first_name, billing.npi,
                             billing.address, billing.tax_id_type, billing.tax_id)


@_part
def _billing_provider(taxonomy: str | None, name: str | None, last_name: str | None,
                      first_name: str | None, npi: str, address: Address, tax_id_type: str,
                      tax_id: str) -> str:
    """2000A after its HL: PRV*BI with ``taxonomy`` when given, 2010AA."""
    out = []
    if taxonomy is not None:
        out.append(f"PRV*BI*PXC*{_ident(taxonomy, 'billing.taxonomy')}")
    entity, nm103, nm104 = _provider_name(name, last_name, first_name)
    out.append(f"NM1*85*{entity}*{nm103}*{nm104}****XX*{_npi(npi, 'billing.npi')}")
    out += _address(address, "billing.address", nine_digit_zip=True)
    qualifier = _TAX_ID_QUALIFIER.get(tax_id_type)
    if qualifier is None:
        qualifier = _refuse("billing.tax_id_type", "must be 'ein' or 'ssn'", "EI")
    tax_id = tax_id.replace("-", "").replace(" ", "")
    if not (len(tax_id) == 9 and tax_id.isascii() and tax_id.isdigit()):
        tax_id = _refuse("billing.tax_id", "must have 9 digits", "000000000")
    out.append(f"REF*{qualifier}*{tax_id}")
    return _joined(out)


def _provider_name(name: str | None, last_name: str | None,
                   first_name: str | None) -> tuple[str, str, str]:
    """NM102 entity type, NM103, NM104 for the billing provider (an organization when
    ``name`` is given)."""
    if name is not None:
        return "2", _text(name, "billing.name"), ""
    return (
        "1",
        _text(last_name, "billing.last_name"),
        _optional_text(first_name, "billing.first_name"),
    )


# -------------------------------------------------------- 2000B / 2010BA / 2010BB subscriber


def _subscriber(claim: Claim) -> list[str]:
    """2000B after its HL, 2010BA, 2010BB (with the payer's id for the billing provider,
    ``REF*G2``, when the payer assigned one)."""
    self_ = claim.patient_is_insured
    out = [_sbr(self_, claim.group_number, claim.filing_indicator)]
    if claim.member_id is None:  # workers' compensation may give none: the TR3 needs one
        member_id = _refuse("member_id", "required: the 837P carries the subscriber's id "
                            "(2010BA NM109, required by the TR3)" + (
                                "; in workers' compensation give the identifier the payer uses "
                                "for the employee (NUCC 1500 item 1a), or send a paper claim"
                                if claim.employer_is_insured else ""), "XX")
    else:
        member_id = _own_ident(claim.member_id, "member_id")
    insured = claim.insured
    if claim.employer_is_insured:
        # Workers' compensation: the employer is the subscriber (X12 RFI 1925), an
        # organization with no address here (2010BA N3/N4 only when the patient is the
        # subscriber); NM108/NM109 are required by the TR3: the member id the payer gave.
        out.append(f"NM1*IL*2*{_employer(claim)}*****MI*{member_id}")
    else:
        last = _text(insured.last_name, "insured.last_name")
        first = _optional_text(insured.first_name, "insured.first_name")
        out.append(f"NM1*IL*1*{last}*{first}****MI*{member_id}")
    if self_:
        out += _address(insured.address, "insured.address")
        out.append(_dmg(insured, "insured", claim))
        _pc_claim_number(out, claim)
    out.append(_payer(claim.payer_id, claim.payer_name))
    if claim.billing.payer_assigned_id is not None:  # Billing Provider Secondary Identification
        out.append(f"REF*G2*{_ident(claim.billing.payer_assigned_id, 'billing.payer_assigned_id')}")
    return out


def _employer(claim: Claim) -> str:
    """2010BA NM103 of a workers' compensation claim: the employer's name."""
    if not claim.employer or not claim.employer.strip():
        return _refuse("employer", "required in workers' compensation: the employer is the "
                       "insured, the 837P's subscriber (2010BA NM1*IL)", "EMPLOYER")
    return _text(claim.employer, "employer")


@_part
def _payer(payer_id: str, payer_name: str) -> str:
    payer_id = _ident(payer_id, "payer_id")
    return f"NM1*PR*2*{_text(payer_name, 'payer_name')}*****PI*{payer_id}"


@_part
def _sbr(self_: bool, group_number: str | None, filing_indicator: str) -> str:
    """The SBR segment."""
    group = _ident(group_number, "group_number") if group_number else ""
    filing = _ident(filing_indicator, "filing_indicator")
    return f"SBR*P*{'18' if self_ else ''}*{group}******{filing}"


# ---------------------------------------------------------------- 2000C / 2010CA patient


def _patient(claim: Claim) -> list[str]:
    """2000C after its HL, 2010CA."""
    code = _PATIENT_RELATION.get(claim.relation)
    if code is None:
        code = _refuse("relation", "must be 'self', 'spouse', 'child' or 'other'", "G8")
    patient = claim.patient
    last = _text(patient.last_name, "patient.last_name")
    first = _optional_text(patient.first_name, "patient.first_name")
    out = [f"PAT*{code}", f"NM1*QC*1*{last}*{first}" if first else f"NM1*QC*1*{last}"]
    out += _address(patient.address, "patient.address")
    out.append(_dmg(patient, "patient", claim))
    _pc_claim_number(out, claim)
    return out


def _pc_claim_number(out: list[str], claim: Claim) -> None:
    number_ = claim.property_casualty_claim_number
    if number_:
        out.append(f"REF*Y4*{_own_ident(number_, 'property_casualty_claim_number')}")


# ---------------------------------------------------------------- 2300 claim


def _claim(claim: Claim, hi: str, charges: tuple[Decimal, ...]) -> list[str]:
    """2300: CLM, its dates and references, HI; ``charges``: the lines'."""
    claim_id = _own_ident(claim.id, "id")
    pos = _ident(claim.place_of_service, "place_of_service")
    cause = claim.related_cause
    accident = None
    if cause is None:
        related = ""
    else:
        code = _RELATED_CAUSE.get(cause)
        if code is None:
            code = _refuse("related_cause", "must be 'auto', 'employment' or 'other'", "OA")
        if code == "AA":
            if not claim.accident_state:
                state = _refuse("accident_state", "required when related_cause is 'auto'")
            else:
                state = _ident(claim.accident_state, "accident_state")
            related = f"**AA:::{state}"
        else:
            related = f"**{code}"
        accident = claim.accident_date
        if accident is None and code != "EM":
            _refuse("accident_date", f"required when related_cause is {cause!r}")
    total = _total_charge(charges)
    signature = "Y" if claim.provider_signature_on_file else "N"
    assignment = "A" if claim.accepts_assignment else "C"
    benefits = "Y" if claim.benefits_assigned else "N"  # the same value as box 13
    release = claim.release_of_information
    if release not in ("Y", "I"):
        release = _refuse("release_of_information", "must be 'Y' or 'I'", "Y")
    frequency = claim.frequency
    if frequency not in _FREQUENCIES:
        frequency = _refuse("frequency", "must be 'original', 'replacement' or 'void'", "1")
    out = [f"CLM*{claim_id}*{total}***{pos}:B:{frequency}*{signature}*{assignment}*{benefits}"
           f"*{release}{related}"]
    if claim.onset_date is not None:  # the TR3's order: onset (431) before accident (439)
        out.append(f"DTP*431*D8*{_date(claim.onset_date, 'onset_date')}")
    if accident is not None:
        out.append(f"DTP*439*D8*{_date(accident, 'accident_date')}")
    if claim.prior_authorization:
        out.append(f"REF*G1*{_own_ident(claim.prior_authorization, 'prior_authorization')}")
    if frequency != "1":  # a replacement or void names the payer's claim it corrects
        if not claim.original_claim_number:
            _refuse("original_claim_number", "required for a replacement or void claim: the "
                    "payer's claim control number of the claim it corrects (REF*F8)")
        else:
            out.append(f"REF*F8*{_own_ident(claim.original_claim_number, 'original_claim_number')}")
    out.append(hi)
    return out


@_part
def _total_charge(charges: tuple[Decimal, ...]) -> str:
    """CLM02: :attr:`payerkit.model.Claim.total_charge`, from the lines' ``charges``."""
    return _amount(total(charges), "total_charge")


@_part
def _hi(diagnoses: tuple[str, ...]) -> str:
    """The HI segment (a refused code written ``XX``)."""
    if not 1 <= len(diagnoses) <= MAX_DIAGNOSES:
        _refuse("diagnoses", f"a claim carries 1 to {MAX_DIAGNOSES} diagnosis codes")
    parts = []
    for i, code in enumerate(diagnoses):
        text = code.replace(".", "")
        problem = identifier_problem(text)
        if not text or " " in text or len(text) > 30:
            text = _refuse(f"diagnoses[{i}]", "not a diagnosis code")
        elif problem is not None:
            text = _refuse(f"diagnoses[{i}]", problem)
        text = text.upper()  # ASCII only (checked, or the placeholder)
        parts.append(f"ABF:{text}" if parts else f"ABK:{text}")
    return "HI*" + "*".join(parts)


# ---------------------------------------------------------------- 2310A referring, 2310B rendering


def _rendering(claim: Claim) -> Practitioner | None:
    """The rendering provider when it must be sent: only when it is not the billing NPI."""
    rendering = claim.rendering
    if rendering is None or rendering.npi == claim.billing.npi:
        return None
    return rendering


@_part
def _claim_providers(referring: Practitioner | None, rendering: Practitioner | None,
                     billing_taxonomy: str) -> tuple[str, ...]:
    """2310A referring and 2310B rendering providers (``rendering``: only when it must be
    sent, :func:`_rendering`); the rendering provider's taxonomy, else the billing's."""
    out = []
    if referring is not None:
        out.append(_practitioner_nm1("DN", referring, "referring"))
    if rendering is not None:
        out.append(_practitioner_nm1("82", rendering, "rendering"))
        if rendering.taxonomy is not None:
            taxonomy = _ident(rendering.taxonomy, "rendering.taxonomy")
        else:
            taxonomy = _ident(billing_taxonomy, "billing.taxonomy")
        out.append(f"PRV*PE*PXC*{taxonomy}")
        if rendering.payer_assigned_id is not None:  # Rendering Provider Secondary Id.
            out.append(f"REF*G2*{_ident(rendering.payer_assigned_id, 'rendering.payer_assigned_id')}")
    return tuple(out)


def _practitioner_nm1(entity: str, who: Practitioner, field: str) -> str:
    last = _text(who.last_name, f"{field}.last_name")
    first = _optional_text(who.first_name, f"{field}.first_name")
    return f"NM1*{entity}*1*{last}*{first}****XX*{_npi(who.npi, f'{field}.npi')}"


# ---------------------------------------------------------------- 2400 service lines


def _service_lines(claim: Claim) -> tuple[list[str], tuple[Decimal, ...]]:
    """The 2400 loops, and the lines' charges."""
    lines = claim.lines
    if not 1 <= len(lines) <= MAX_LINES:
        _refuse("lines", f"an 837P claim carries 1 to {MAX_LINES} service lines")
    out: list[str] = []
    charges = []
    claim_pos = claim.place_of_service
    n_diagnoses = len(claim.diagnoses)
    for i, line in enumerate(lines):
        # The field names (lines[i].date...) are only made for a refusal: this is the hot loop.
        charge = line.charge
        charges.append(charge)
        out += _service_line(i, line.code, line.modifiers, charge, line.units,
                             line.place_of_service, claim_pos, line.pointers, n_diagnoses)
        day = line.date
        if day.__class__ is not dt.date or (day := _d8_cached(day)) is None:
            day = _date(line.date, f"lines[{i}].date")
        out.append(f"DTP*472*D8*{day}")
        if line.prior_authorization:  # only when the lines' authorizations differ (2300: none)
            number = _own_ident(line.prior_authorization, f"lines[{i}].prior_authorization")
            out.append(f"REF*G1*{number}")
        control = line.control_number
        if control:
            control, problem = _identifier_checked(control, "control_number")
            if problem is not None:
                control = _refuse(f"lines[{i}].control_number", problem)
            out.append(f"REF*6R*{control}")
    return out, tuple(charges)


@_part
def _service_line(i: int, code: str, modifiers: tuple[str, ...], charge: Decimal | int,
                  units: int, place_of_service: str, claim_place: str, pointers: tuple[int, ...],
                  n_diagnoses: int) -> tuple[str, str]:
    """LX and SV1 of ``lines[i]``: SV105 only when its place of service is not the claim's
    (``claim_place``); ``n_diagnoses``: the claim's, for the pointers."""
    field = f"lines[{i}]"
    procedure, problem = _identifier(code, "code")
    if problem is not None:
        procedure = _refuse(f"{field}.code", problem)
    if modifiers:
        if len(modifiers) > MAX_MODIFIERS:
            _refuse(f"{field}.modifiers", f"at most {MAX_MODIFIERS}")
        for m in modifiers:
            problem = identifier_problem(m)
            if len(m) != 2 or " " in m:
                m = _refuse(f"{field}.modifiers", "each modifier has 2 characters")
            elif problem is not None:
                m = _refuse(f"{field}.modifiers", problem)
            procedure += ":" + m.upper()  # ASCII only (checked, or the placeholder)
    charge = _amount(charge, f"{field}.charge")
    if units.__class__ is int and units > 0:
        units = str(units)
    else:
        if not (isinstance(units, int) and units > 0):
            units = int(_refuse(f"{field}.units", "must be positive", "1"))
        units = number(units)
    pos = "" if place_of_service == claim_place else _ident(place_of_service,
                                                            f"{field}.place_of_service")
    if not 1 <= len(pointers) <= MAX_POINTERS:
        _refuse(f"{field}.pointers", f"1 to {MAX_POINTERS} diagnosis pointers")
    for p in pointers:
        if not (isinstance(p, int) and 1 <= p <= n_diagnoses):
            _refuse(f"{field}.pointers", f"each must be 1 to {n_diagnoses}")
            break
    return (f"LX*{i + 1}",
            f"SV1*HC:{procedure}*{charge}*UN*{units}*{pos}**{':'.join(map(str, pointers))}")


# ---------------------------------------------------------------- shared pieces


def _text(value: str | None, field: str) -> str:
    """Required free text (a name, an address line): transliterated, cut to the element's size."""
    text = ""
    if value:
        text, changes = _cleaned(value, field)
        if changes:
            _changed(field, changes)
    if not text:
        return _refuse(field, "required, and nothing of it is left in X12's basic characters")
    return text


def _optional_text(value: str | None, field: str) -> str:
    """Optional free text: ``""`` when not given; refused when given but nothing is left."""
    if value is None or not value.strip():
        return ""
    text, changes = _cleaned(value, field)
    if changes:
        _changed(field, changes)
    if not text:
        return _refuse(field, "nothing of it is left in X12's basic characters; correct it or "
                       "leave it out")
    return text


@lru_cache(maxsize=8192)  # names and addresses repeat across a batch of claims
def _cleaned(value: str, field: str) -> tuple[str, tuple[str, ...]]:
    """``value`` as the 837P writes it in ``field`` (:func:`payerkit.formats.x12.clean`,
    cut to the element's size), and how that differs from it: ``transliterated`` when more
    than letter case and spacing changed (``Søren`` → ``SOREN``, ``王`` → ``WANG``, ``#``
    dropped), ``cut`` when longer than the element; both, one or neither. Nothing when
    nothing is left (the writer refuses it)."""
    whole = _clean(value)
    if not whole:
        return "", ()
    size = text_size(field)
    changes = ("transliterated",) if transliterated(value, whole) else ()
    if len(whole) > size:
        return _clean(value, size), (*changes, "cut")
    return whole, changes


_clean = clean.__wrapped__  # without clean's cache: this one keeps the result


def _ident(value: str | None, field: str) -> str:
    """A required identifier or code: written as given (ASCII letters upper-cased) or refused;
    never cleaned, cut or otherwise altered (a changed ID is a wrong ID)."""
    text, problem = _identifier(value, field)
    if problem is not None:
        return _refuse(field, problem)
    return text


def _own_ident(value: str | None, field: str) -> str:
    """:func:`_ident` for an identifier of this claim alone (its id, member id, line control
    numbers...): checked without the cache, which would only churn."""
    text, problem = _identifier_checked(value, field)
    if problem is not None:
        return _refuse(field, problem)
    return text


def _identifier_checked(value: str | None, field: str) -> tuple[str, str | None]:
    """``(text to write, None)`` or ``("", why it cannot be written)``."""
    minimum, limit = _id_size(field)
    if value.__class__ is str and minimum <= len(value) <= limit and _writable(value):
        return value.upper(), None  # only ASCII: upper() is the a-z -> A-Z of identifier()
    if not value:
        return "", f"must be {minimum} to {limit} characters"
    problem = identifier_problem(value)
    if problem is not None:
        return "", problem
    if not minimum <= len(value) <= limit:
        return "", f"must be {minimum} to {limit} characters"
    return value.upper(), None  # only ASCII is left: upper() is the a-z -> A-Z of identifier()


_writable = WRITABLE_IDENTIFIER.fullmatch
#: Codes, payer ids, states and taxonomies repeat across a batch of claims.
_identifier = lru_cache(maxsize=4096)(_identifier_checked)
_id_size = lru_cache(maxsize=1024)(id_size)


def _date(value: dt.date, field: str) -> str:
    if value.__class__ is dt.date and (text := _d8_cached(value)) is not None:
        return text
    if not (isinstance(value, dt.date) and EARLIEST_DATE <= value <= LATEST_DATE):
        return _refuse(field, f"must be a date from {EARLIEST_DATE.isoformat()} to "
                       f"{LATEST_DATE.isoformat()}", "19000101")
    return d8(value)


@lru_cache(maxsize=4096)
def _d8_cached(value: dt.date) -> str | None:
    """CCYYMMDD for a date in the range written, else ``None``."""
    return _d8(value) if EARLIEST_DATE <= value <= LATEST_DATE else None


_d8 = d8.__wrapped__  # without d8's cache: _d8_cached keeps the result


def _address(address: Address, field: str, nine_digit_zip: bool = False) -> tuple[str, str]:
    """N3 and N4 of ``address``, the claim's ``field``."""
    return _address_part(field, address.line1, address.line2, address.city, address.state,
                         address.zip, nine_digit_zip)


@_part
def _address_part(field: str, line1: str, line2: str | None, city: str, state: str, zip_: str,
                  nine_digit_zip: bool) -> tuple[str, str]:
    fields = _address_parts(field)
    line1 = _text(line1, fields[0])
    line2 = _optional_text(line2, fields[1])
    city = _text(city, fields[2])
    if len(city) < 2:
        city = _refuse(fields[2], f"must be 2 to {text_size('city')} characters")
    state = _ident(state, fields[3])
    zip_, problem = _zip(zip_, nine_digit_zip)
    if problem is not None:
        zip_ = _refuse(fields[4], problem, zip_)
    return f"N3*{line1}*{line2}" if line2 else f"N3*{line1}", f"N4*{city}*{state}*{zip_}"


@lru_cache(maxsize=16)
def _address_parts(field: str) -> tuple[str, ...]:
    """The claim fields of an address's line1, line2, city, state and zip."""
    return tuple(f"{field}.{part}" for part in ("line1", "line2", "city", "state", "zip"))


def _zip(value: str, nine_digit: bool) -> tuple[str, str | None]:
    """N403: ``(digits, None)`` or ``("000000000", why not)``."""
    zip_ = value.replace("-", "").replace(" ", "")
    if not (zip_.isascii() and zip_.isdigit() and len(zip_) in (5, 9)):
        return "000000000", "must be 5 or 9 digits"
    if nine_digit and len(zip_) != 9:
        return "000000000", "the billing provider needs a 9-digit ZIP+4"
    return zip_, None


def _dmg(person: Person, field: str, claim: Claim) -> str:
    sex = person.sex
    if sex not in _SEXES:
        sex = _refuse(f"{field}.sex", "must be 'F', 'M' or 'U'", "U")
    birth = _date(person.birth_date, f"{field}.birth_date")
    lines = claim.lines
    if lines and isinstance(person.birth_date, dt.date):
        first_service = lines[0].date
        for line in lines:  # min(), without a generator
            if line.date < first_service:
                first_service = line.date
        if person.birth_date > first_service:
            birth = _refuse(f"{field}.birth_date", "after the date of service", birth)
    return f"DMG*D8*{birth}*{sex}"


def _npi(value: str, field: str) -> str:
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        return _refuse(field, "an NPI has 10 digits", "0000000000")
    return value


def _phone(value: str | None) -> str:
    """PER04: 10 digits."""
    if not value:
        return _refuse("billing.phone", "required: the provider's phone is the submitter "
                       "contact number (1000A PER), which the 837P requires", "0000000000")
    digits = "".join(c for c in value if "0" <= c <= "9")
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        return _refuse("billing.phone", "must be a 10-digit US phone number", "0000000000")
    return digits


def _amount(value: Decimal | int, field: str) -> str:
    try:
        text, problem = _amount_cached(value)
    except TypeError:  # unhashable, or a signaling NaN: checked without the cache
        text, problem = _amount_checked(value)
    if problem is not None:
        return _refuse(field, problem, text)
    return text


def _amount_checked(value: Decimal | int) -> tuple[str, str | None]:
    """``(X12 decimal, None)``, or ``("0", why it cannot be an amount)``."""
    try:
        text = number(value)
    except (TypeError, ValueError):
        return "0", _NOT_AN_AMOUNT
    if text[0] == "-" or len(text.partition(".")[2]) > 2:
        return "0", _NOT_AN_AMOUNT
    if len(text) > MAX_AMOUNT_CHARS:
        return "0", f"an amount of at most {MAX_AMOUNT_CHARS} characters"
    return text, None


_NOT_AN_AMOUNT = "must be a non-negative amount in dollars and cents"
#: Charges repeat (a fee schedule). Equal Decimals write the same text (no trailing zeros,
#: no exponent), and ``typed`` keeps an int, a bool and a Decimal apart.
_amount_cached = lru_cache(maxsize=4096, typed=True)(_amount_checked)


# ---------------------------------------------------------------- for the scrub


def check_837p(claim: Claim) -> list[tuple[str, str]]:
    """Every value :func:`write_837p` cannot carry, as ``[(claim field, problem)]``, each
    once, without writing (:func:`render_837p`'s errors); ``[]`` when the claim can be
    written."""
    return _distinct(_render(claim)[0].problems, claim)


def _distinct(problems: Iterable[tuple[str, str]], claim: Claim) -> list[tuple[str, str]]:
    """Each problem once; the receiver is the payer unless the case names another: one
    problem, said once."""
    found = dict.fromkeys(problems)
    for receiver, payer in _SAME_AS.items():
        if getattr(claim, receiver) == getattr(claim, payer):
            found = {(f, p): None for f, p in found if f != receiver or (payer, p) not in found}
    return list(found)


_SAME_AS = {"receiver_id": "payer_id", "receiver_name": "payer_name"}


def text_fields_837p(claim: Claim) -> list[tuple[str, str | None]]:
    """The names and addresses :func:`write_837p` writes, as ``[(claim field, value)]``.

    The same fields, in the same conditions, as the writer (a test holds them
    to it): the employer in workers' compensation, else the insured; the insured's
    address only when the insured is the patient, the
    patient only when not the insured, the rendering provider only when it is
    not the billing NPI.
    """
    billing = claim.billing
    fields: list[tuple[str, str | None]] = [("receiver_name", claim.receiver_name)]
    if billing.is_organization:
        fields.append(("billing.name", billing.name))
    else:
        fields += [("billing.last_name", billing.last_name),
                   ("billing.first_name", billing.first_name)]
    fields += _address_fields(billing.address, "billing.address")
    if claim.employer_is_insured:
        fields.append(("employer", claim.employer))
    else:
        fields += [("insured.last_name", claim.insured.last_name),
                   ("insured.first_name", claim.insured.first_name)]
    if claim.patient_is_insured:
        fields += _address_fields(claim.insured.address, "insured.address")
    fields.append(("payer_name", claim.payer_name))
    if not claim.patient_is_insured:
        fields += [("patient.last_name", claim.patient.last_name),
                   ("patient.first_name", claim.patient.first_name)]
        fields += _address_fields(claim.patient.address, "patient.address")
    for who, name in ((claim.referring, "referring"), (_rendering(claim), "rendering")):
        if who is not None:
            fields += [(f"{name}.last_name", who.last_name), (f"{name}.first_name", who.first_name)]
    return fields


def _address_fields(address: Address, field: str) -> list[tuple[str, str | None]]:
    return [(f"{field}.line1", address.line1), (f"{field}.line2", address.line2),
            (f"{field}.city", address.city)]


def text_changes_837p(claim: Claim) -> list[tuple[str, str]]:
    """Names and addresses the 837P writes differently from what was given.

    ``[(claim field, "transliterated" | "cut")]``, in the order of :func:`text_fields_837p`:
    transliterated when more than letter case and spacing changed (``Søren`` → ``SOREN``,
    ``王`` → ``WANG``, ``#`` dropped), cut when longer than the element. A value with
    nothing left is not listed here: the writer refuses it (:func:`check_837p`).
    """
    return _text_changes(_render(claim)[1])


#: Each field :func:`text_fields_837p` may list, in its order: the order of the warnings.
_TEXT_ORDER = {field: i for i, field in enumerate((
    "receiver_name", "billing.name", "billing.last_name", "billing.first_name",
    *(f"billing.address.{part}" for part in ("line1", "line2", "city")),
    "employer", "insured.last_name", "insured.first_name",
    *(f"insured.address.{part}" for part in ("line1", "line2", "city")),
    "payer_name", "patient.last_name", "patient.first_name",
    *(f"patient.address.{part}" for part in ("line1", "line2", "city")),
    "referring.last_name", "referring.first_name", "rendering.last_name",
    "rendering.first_name",
))}


def _text_changes(changes: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, str]]:
    """The changes a rendering met (a field met twice is one change) as
    :func:`text_changes_837p` lists them."""
    ordered = sorted(dict.fromkeys(changes), key=lambda change: _TEXT_ORDER[change[0]])
    return [(field, change) for field, kinds in ordered for change in kinds]


@lru_cache(maxsize=256)
def _text_finding(field: str, change: str) -> Finding:
    """The warning for a name or address written differently from the claim, naming the
    claim field (never the value, which is personal)."""
    if change == "transliterated":
        return Finding("warning", "TEXT-TRANSLITERATED", "written in X12's basic characters "
                       "(A-Z, 0-9 and a few symbols: transliterated, other characters "
                       "dropped) in the 837P; check the claim", field, X12_837P_GUIDE)
    return Finding("warning", "TEXT-CUT", f"longer than the {text_size(field)} characters the "
                   "837P holds, so it is cut; check the claim", field, X12_837P_GUIDE)


__all__ = ["VERSION", "Interchange837P", "InterchangeSummary", "Segments837P", "check_837p",
           "interchange_key", "render_837p", "stream_837p", "text_changes_837p",
           "text_fields_837p", "transaction_key", "write_837p", "write_837p_interchange",
           "write_837p_rendering"]

"""Reading X12 835 (5010, 005010X221A1) remittances into :mod:`payerkit.remittance.model`.

:func:`read_835` takes the bytes (or text) of one interchange; :func:`read_835_file` reads a
file first, through :func:`payerkit.files.read_regular` (a regular file of at most
:data:`MAX_835_BYTES`: a FIFO or a device is refused before it is opened).

Separators come from the ISA: the element separator is its 4th character, the repetition
separator ISA11, the component separator ISA16 and the segment terminator the character
right after ISA16. Line breaks (CR, LF) after a terminator are ignored, so a file wrapped
one segment a line reads the same. One interchange a file; it may hold several functional
groups (GS..GE), each several transactions (ST..SE): one :class:`Remittance` each, in
file order.

What is refused, with a :class:`~payerkit.errors.RemittanceError` listing every problem
found (at most :data:`MAX_PROBLEMS`), each naming the segment's position in the file
(1-based, the ISA is segment 1), its id and the element, and never a patient's value:

* anything that is not an 835: ST01 other than ``835``, GS08 other than ``005010X221...``;
* a damaged envelope: no ISA, an ISA without its 16 elements, separators that clash or are
  letters or digits, a missing SE/GE/IEA (a truncated file), SE01/GE01/IEA01 counts or
  SE02/GE02/IEA02 control numbers that do not match, text after the IEA;
* a required segment or element missing (BPR, TRN, N1*PR, N1*PE; BPR02, BPR16, CLP01-07...);
* an amount that is not X12 type R (``-12.5``, ``.5``, ``100``): an exponent, ``NaN``,
  ``+``, digits other than ASCII ``0-9``, more than 18 digits, or more than 2 decimals in
  money; a date that is not a real ``CCYYMMDD``;
* a CAS group other than CO, OA, PI, PR (or the pre-5010 CR), a reason without an amount.

Segments the records do not carry (N3, N4, PER, TS3, MIA, MOA, NM1 other than QC...) are
read past. Whether the amounts balance is :func:`payerkit.remittance.balance.check_balance`'s
question, not the reader's: a file that reads is not yet a file to post.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

from ..errors import RemittanceError
from .model import (
    ADJUSTMENT_GROUPS,
    Adjustment,
    ClaimPayment,
    PatientName,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)

#: The largest 835 read (bytes). An 835 of 10,000 claim payments with two lines each is
#: about 3 MiB; a payer's weekly remittance for a large group can be tens of MiB.
MAX_835_BYTES = 64 * 1024 * 1024
#: At most this many problems are listed; a file with more is refused after them.
MAX_PROBLEMS = 50
#: GS08 of every 835 5010 release (005010X221 and its addenda, 005010X221A1).
VERSION_PREFIX = "005010X221"

#: X12 type R: an optional minus, ASCII digits, at most one decimal point. No exponent, no
#: ``+``, no spaces, no other script's digits (``Decimal`` alone would take ``'１２'``).
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_D8 = re.compile(r"[0-9]{8}")
_QUALIFIER = re.compile(r"[A-Z0-9]{2}")
#: The largest number of digits of an X12 amount (element 782, R 1-18) and quantity (380).
_MONEY_DIGITS, _QUANTITY_DIGITS = 18, 15
#: Payment method (BPR04) and handling (BPR01) codes of the 5010 835.
_METHODS = frozenset({"ACH", "BOP", "CHK", "FWT", "NON"})
_HANDLING = frozenset({"C", "D", "H", "I", "P", "U", "X"})


class _TooMany(Exception):
    pass


class _Problems(list):
    def add(self, text: str) -> None:
        self.append(text)
        if len(self) >= MAX_PROBLEMS:
            self.append(f"(stopped after {MAX_PROBLEMS} problems)")
            raise _TooMany


def _show(value: str) -> str:
    """A value that is not patient data (an amount, a date, a code) for a message: quoted,
    cut to 20 characters."""
    return repr(value if len(value) <= 20 else value[:20] + "...")


def read_835_file(path: str | os.PathLike, *, limit: int = MAX_835_BYTES) -> tuple[Remittance, ...]:
    """:func:`read_835` on the regular file ``path`` of at most ``limit`` bytes. Every reason
    it cannot be read (no such file, a folder or FIFO, too large) is a
    :class:`~payerkit.errors.RemittanceError` naming the path."""
    from ..files import FileTooLarge, read_regular

    shown = repr(os.fspath(path))
    try:
        data = read_regular(path, limit)
    except FileNotFoundError:
        raise RemittanceError([f"835: no such file {shown}"]) from None
    except FileTooLarge:
        raise RemittanceError([f"835: {shown} is larger than {limit} bytes, the limit for "
                               "a remittance file"]) from None
    except OSError as exc:
        raise RemittanceError([f"835: cannot read {shown} "
                               f"({exc.strerror or type(exc).__name__})"]) from None
    except ValueError:  # a NUL in the path
        raise RemittanceError([f"835: cannot read {shown} (not a valid path)"]) from None
    return read_835(data, limit=limit)


def _decode(data: bytes | str, limit: int) -> str:
    if isinstance(data, str):
        if len(data) > limit:
            raise RemittanceError([f"835: larger than {limit} characters, the limit for a "
                                   "remittance"])
        return data
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_835 takes bytes or str, not {type(data).__name__}")
    if len(data) > limit:
        raise RemittanceError([f"835: larger than {limit} bytes, the limit for a remittance"])
    data = bytes(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # X12's character sets are ASCII; a payer's system may write a name in Latin-1.
        # Every delimiter and every value the records keep as money or a date is ASCII, and
        # both encodings agree on ASCII, so nothing but a name's accent can differ.
        return data.decode("latin-1")


def _separators(text: str) -> tuple[str, str, str | None, str, int]:
    """Element, component, repetition (``None`` when ISA11 is not one) and terminator, and
    where the text after the ISA starts."""
    if not text.startswith("ISA") or len(text) < 4:
        raise RemittanceError(["segment 1: an X12 interchange starts with ISA; this does not "
                               "(not an X12 file, or damaged)"])
    element = text[3]
    if element.isalnum() or element in " \r\n":
        raise RemittanceError([f"segment 1 ISA: the element separator {element!r} is a letter, "
                               "a digit or a space (not an X12 file, or damaged)"])
    pos = 3
    for _ in range(15):
        pos = text.find(element, pos + 1)
        if pos < 0 or pos > 200:
            raise RemittanceError(["segment 1 ISA: fewer than 16 elements (a truncated or "
                                   "damaged interchange header)"])
    if pos + 2 >= len(text):
        raise RemittanceError(["segment 1 ISA16: the file ends inside the ISA (truncated)"])
    component, terminator = text[pos + 1], text[pos + 2]
    isa = text[:pos + 1].split(element)
    repetition = isa[11] if len(isa[11]) == 1 and not isa[11].isalnum() else None
    problems = []
    if component.isalnum() or component in " \r\n":
        problems.append(f"segment 1 ISA16: the component separator {component!r} is a letter, "
                        "a digit or a space")
    if terminator.isalnum() or terminator == " ":
        problems.append(f"segment 1 ISA: the segment terminator {terminator!r} is a letter, a "
                        "digit or a space")
    used = [element, component, terminator] + ([repetition] if repetition else [])
    if len(set(used)) != len(used):
        problems.append("segment 1 ISA: the element, component, repetition and segment "
                        "separators are not all different")
    if problems:
        raise RemittanceError(problems)
    return element, component, repetition, terminator, pos + 3


def _segments(text: str, element: str, terminator: str, start: int) -> list[list[str]]:
    """Every segment as ``[tag, e1, e2...]``, the ISA first. Raises on an unterminated tail."""
    strip = "\r\n" if terminator not in "\r\n" else "\r\n".replace(terminator, "")
    pieces = text[start:].split(terminator)
    segments = [text[:start - 1].split(element)]
    tail = pieces.pop()  # after the last terminator: only line breaks and spaces belong there
    for piece in pieces:
        piece = piece.strip(strip)
        if piece:
            segments.append(piece.split(element))
    if tail.strip():
        tag = tail.strip().split(element)[0][:3]
        raise RemittanceError([f"segment {len(segments) + 1} {_tag(tag)}: not ended by the "
                               f"segment terminator {terminator!r} (the file is truncated)"])
    return segments


def _tag(tag: str) -> str:
    return tag if re.fullmatch(r"[A-Z][A-Z0-9]{1,2}", tag) else repr(tag[:10])


def read_835(data: bytes | str, *, limit: int = MAX_835_BYTES) -> tuple[Remittance, ...]:
    """Every 835 transaction of the interchange ``data`` (bytes or text, at most ``limit``),
    as :class:`~payerkit.remittance.model.Remittance` records in file order. Raises
    :class:`~payerkit.errors.RemittanceError` (see the module's docstring)."""
    text = _decode(data, limit).lstrip("\ufeff \t\r\n")
    element, component, repetition, terminator, start = _separators(text)
    segments = _segments(text, element, terminator, start)
    problems = _Problems()
    try:
        result = _Interchange(segments, component, problems).read()
    except _TooMany:
        result = ()
    if problems:
        raise RemittanceError(problems)
    return result


def _get(seg: list[str], i: int) -> str:
    return seg[i] if i < len(seg) else ""


class _Interchange:
    """One pass over the segments: the envelope here, each transaction in :class:`_Transaction`."""

    def __init__(self, segments: list[list[str]], component: str, problems: _Problems):
        self.segments, self.component, self.problems = segments, component, problems

    def read(self) -> tuple[Remittance, ...]:
        segs, p = self.segments, self.problems
        isa = segs[0]
        if len(isa) != 17:
            p.add(f"segment 1 ISA: expected 16 elements, got {len(isa) - 1}")
            return ()
        isa13 = isa[13]
        out: list[Remittance] = []
        groups = 0
        i, n = 1, len(segs)
        ended = False
        while i < n:
            seg = segs[i]
            tag = seg[0]
            if ended:
                p.add(f"segment {i + 1} {_tag(tag)}: after IEA (one interchange a file)")
                break
            if tag == "GS":
                groups += 1
                i = self._group(i, isa13, out)
                continue
            if tag == "IEA":
                if _get(seg, 1) != str(groups):
                    p.add(f"segment {i + 1} IEA01: says {_show(_get(seg, 1))} functional "
                          f"groups, the interchange has {groups}")
                if _get(seg, 2) != isa13:
                    p.add(f"segment {i + 1} IEA02: {_show(_get(seg, 2))} is not ISA13 "
                          f"{_show(isa13)}")
                ended = True
            else:
                p.add(f"segment {i + 1} {_tag(tag)}: expected GS or IEA")
            i += 1
        if not ended:
            p.add(f"segment {n + 1}: the file ends without IEA (truncated)")
        if not groups and ended:
            p.add("the interchange holds no functional group (GS)")
        return tuple(out)

    def _group(self, i: int, isa13: str, out: list[Remittance]) -> int:
        """Read the group whose GS is segment ``i`` (0-based); returns the index after its GE."""
        segs, p = self.segments, self.problems
        gs = segs[i]
        gs06 = _get(gs, 6)
        version = _get(gs, 8)
        if not version.startswith(VERSION_PREFIX):
            p.add(f"segment {i + 1} GS08: {_show(version)} is not an 835 5010 "
                  f"({VERSION_PREFIX}A1): payerkit reads 835 remittances only")
            raise _TooMany  # nothing else in this file is worth listing
        if not gs06:
            p.add(f"segment {i + 1} GS06: required, missing")
        sets = 0
        i += 1
        n = len(segs)
        while i < n:
            seg = segs[i]
            tag = seg[0]
            if tag == "ST":
                sets += 1
                i = _Transaction(segs, i, self.component, p).read(isa13, gs06, out)
                continue
            if tag == "GE":
                if _get(seg, 1) != str(sets):
                    p.add(f"segment {i + 1} GE01: says {_show(_get(seg, 1))} transaction "
                          f"sets, the group has {sets}")
                if _get(seg, 2) != gs06:
                    p.add(f"segment {i + 1} GE02: {_show(_get(seg, 2))} is not GS06 "
                          f"{_show(gs06)}")
                if not sets:
                    p.add(f"segment {i + 1} GE: the functional group holds no transaction (ST)")
                return i + 1
            if tag in ("GS", "IEA"):
                break
            p.add(f"segment {i + 1} {_tag(tag)}: expected ST or GE")
            i += 1
        p.add(f"segment {i + 1}: the functional group {_show(gs06)} ends without GE "
              "(truncated)")
        return i


class _Transaction:
    """One ST..SE: the records, built as the segments come."""

    def __init__(self, segments: list[list[str]], start: int, component: str, problems: _Problems):
        self.segs, self.start, self.c, self.p = segments, start, component, problems
        self.claims: list[ClaimPayment] = []
        self.plb: list[ProviderAdjustment] = []
        self.claim: dict | None = None
        self.line: dict | None = None
        self.problems_at_start = len(problems)

    # -- element readers: each adds a problem and returns None when the value is wrong ----

    def _where(self, n: int, tag: str, pos: int, sub: int | None = None) -> str:
        return f"segment {n} {tag}{pos:02d}" + (f"-{sub}" if sub else "")

    def text(self, n: int, seg: list[str], pos: int, required: bool = True) -> str | None:
        value = _get(seg, pos)
        if value:
            return value
        if required:
            self.p.add(f"{self._where(n, seg[0], pos)}: required, missing")
        return None

    def amount(self, n: int, seg: list[str], pos: int, required: bool = True,
               money: bool = True) -> Decimal | None:
        value = seg[pos] if pos < len(seg) else ""
        if not value:
            if required:
                self.p.add(f"{self._where(n, seg[0], pos)}: required, missing")
            return None
        if _NUMBER.fullmatch(value) is not None and len(value) <= (
                _MONEY_DIGITS if money else _QUANTITY_DIGITS) and (
                not money or "." not in value or len(value) - value.index(".") <= 3):
            return Decimal(value)  # the common case: no need to say where
        return self.number(value, self._where(n, seg[0], pos), money)

    def number(self, value: str, where: str, money: bool = True) -> Decimal | None:
        if _NUMBER.fullmatch(value) is None:
            self.p.add(f"{where}: expected an {'amount' if money else 'quantity'} "
                       f"(digits, an optional '-' and '.'), got {_show(value)}")
            return None
        digits = len(value) - value.startswith("-") - ("." in value)
        if digits > (_MONEY_DIGITS if money else _QUANTITY_DIGITS):
            self.p.add(f"{where}: more than {_MONEY_DIGITS if money else _QUANTITY_DIGITS} "
                       f"digits ({digits})")
            return None
        if money and "." in value and len(value) - value.index(".") - 1 > 2:
            self.p.add(f"{where}: an amount has at most 2 decimals, got {_show(value)}")
            return None
        return Decimal(value)

    def date(self, n: int, seg: list[str], pos: int, required: bool = True) -> dt.date | None:
        value = _get(seg, pos)
        if not value:
            if required:
                self.p.add(f"{self._where(n, seg[0], pos)}: required, missing")
            return None
        if _D8.fullmatch(value):
            try:
                return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                pass
        self.p.add(f"{self._where(n, seg[0], pos)}: expected a date CCYYMMDD, got {_show(value)}")
        return None

    def code(self, n: int, seg: list[str], pos: int, allowed: frozenset | tuple) -> str | None:
        value = _get(seg, pos)
        if value in allowed:
            return value
        where = self._where(n, seg[0], pos)
        if not value:
            self.p.add(f"{where}: required, missing")
            return None
        if value not in allowed:
            self.p.add(f"{where}: expected one of {', '.join(sorted(allowed))}, got {_show(value)}")
            return None
        return value

    # -- the transaction ---------------------------------------------------------------

    def read(self, isa13: str, gs06: str, out: list[Remittance]) -> int:
        segs, p = self.segs, self.p
        st_index = self.start
        st = segs[st_index]
        st_n = st_index + 1
        if _get(st, 1) != "835":
            p.add(f"segment {st_n} ST01: {_show(_get(st, 1))} is not 835: payerkit reads 835 "
                  "remittances only")
            raise _TooMany
        st02 = _get(st, 2)
        if not st02:
            p.add(f"segment {st_n} ST02: required, missing")
        head: dict = {}
        loop = "header"
        i, n = st_index + 1, len(segs)
        while i < n:
            seg = segs[i]
            tag = seg[0]
            num = i + 1
            if tag == "SE":
                self._close_claim()
                count = i - st_index + 1
                if _get(seg, 1) != str(count):
                    p.add(f"segment {num} SE01: says {_show(_get(seg, 1))} segments, the "
                          f"transaction has {count}")
                if _get(seg, 2) != st02:
                    p.add(f"segment {num} SE02: {_show(_get(seg, 2))} is not ST02 {_show(st02)}")
                self._finish(st_n, st02, isa13, gs06, head, out)
                return i + 1
            if tag in ("ST", "GE", "GS", "IEA", "ISA"):
                break
            if tag == "CLP":
                loop = "detail"
                self._close_claim()
                self._clp(num, seg)
            elif tag == "SVC":
                self._svc(num, seg)
            elif tag == "CAS":
                self._cas(num, seg)
            elif tag == "DTM":
                self._dtm(num, seg, head, loop)
            elif tag == "REF":
                self._ref(num, seg, head, loop)
            elif tag == "NM1":
                if self.claim is not None and self.line is None and _get(seg, 1) == "QC" \
                        and (_get(seg, 3) or _get(seg, 4)):
                    self.claim["patient_name"] = PatientName(
                        _get(seg, 3), _get(seg, 4) or None, _get(seg, 5) or None)
            elif tag == "AMT":
                if self.line is not None and _get(seg, 1) == "B6":
                    self.line["allowed"] = self.amount(num, seg, 2)
            elif tag == "LQ":
                if self.line is not None and _get(seg, 1) == "HE":
                    remark = self.text(num, seg, 2)
                    if remark:
                        self.line["remarks"].append(remark)
            elif tag == "PLB":
                loop = "footer"
                self._close_claim()
                self._plb(num, seg)
            elif tag == "LX":
                loop = "detail"
                self._close_claim()
            elif tag == "BPR":
                self._bpr(num, seg, head)
            elif tag == "TRN":
                if "trace_number" in head:
                    p.add(f"segment {num} TRN: a second TRN in the transaction")
                head["trace_number"] = self.text(num, seg, 2)
                head["originator_id"] = self.text(num, seg, 3)
            elif tag == "N1":
                loop = self._n1(num, seg, head, loop)
            i += 1
        p.add(f"segment {i + 1}: transaction {_show(st02)} (ST at segment {st_n}) ends without "
              "SE (truncated)")
        return i

    def _finish(self, st_n: int, st02: str, isa13: str, gs06: str, head: dict,
                out: list[Remittance]) -> None:
        p = self.p
        for key, what in (("total_paid", "BPR"), ("trace_number", "TRN"),
                          ("payer_name", "N1*PR (payer)"), ("payee_name", "N1*PE (payee)")):
            if key not in head:
                p.add(f"transaction {_show(st02)} (ST at segment {st_n}): no {what} segment")
        if len(p) > self.problems_at_start:
            return
        out.append(Remittance(
            interchange_control_number=isa13, group_control_number=gs06,
            transaction_control_number=st02, handling_code=head["handling_code"],
            total_paid=head["total_paid"], credit_debit=head["credit_debit"],
            payment_method=head["payment_method"], paid_on=head["paid_on"],
            trace_number=head["trace_number"], originator_id=head["originator_id"],
            payer_name=head["payer_name"], payee_name=head["payee_name"],
            payer_id=head.get("payer_id") or head.get("payer_ref_2u"),
            payee_npi=head.get("payee_npi"),
            payee_tin=head.get("payee_tin") or head.get("payee_ref_tj"),
            production_date=head.get("production_date"),
            claims=self.claims, provider_adjustments=self.plb,
        ))

    def _bpr(self, n: int, seg: list[str], head: dict) -> None:
        if "total_paid" in head:
            self.p.add(f"segment {n} BPR: a second BPR in the transaction")
        head["handling_code"] = self.code(n, seg, 1, _HANDLING)
        head["total_paid"] = self.amount(n, seg, 2)
        head["credit_debit"] = self.code(n, seg, 3, ("C", "D"))
        head["payment_method"] = self.code(n, seg, 4, _METHODS)
        head["paid_on"] = self.date(n, seg, 16)

    def _n1(self, n: int, seg: list[str], head: dict, loop: str) -> str:
        entity = _get(seg, 1)
        if entity == "PR":
            head["payer_name"] = self.text(n, seg, 2)
            head["payer_id"] = _get(seg, 4) or None
            return "payer"
        if entity == "PE":
            head["payee_name"] = self.text(n, seg, 2)
            qualifier, ident = _get(seg, 3), _get(seg, 4)
            if qualifier == "XX":
                head["payee_npi"] = ident or None
            elif qualifier == "FI":
                head["payee_tin"] = ident or None
            return "payee"
        return loop

    def _ref(self, n: int, seg: list[str], head: dict, loop: str) -> None:
        qualifier = _get(seg, 1)
        if self.line is not None:
            if qualifier == "6R":
                self.line["control_number"] = self.text(n, seg, 2)
        elif self.claim is None:
            if loop == "payer" and qualifier == "2U":
                head["payer_ref_2u"] = self.text(n, seg, 2)
            elif loop == "payee" and qualifier == "TJ":
                head["payee_ref_tj"] = self.text(n, seg, 2)

    def _dtm(self, n: int, seg: list[str], head: dict, loop: str) -> None:
        qualifier = _get(seg, 1)
        if self.line is not None:
            if qualifier in ("472", "150"):
                self.line["date"] = self.date(n, seg, 2)
            elif qualifier == "151":
                self.line["end_date"] = self.date(n, seg, 2)
        elif self.claim is not None:
            if qualifier == "232":
                self.claim["service_start"] = self.date(n, seg, 2)
            elif qualifier == "233":
                self.claim["service_end"] = self.date(n, seg, 2)
        elif loop == "header" and qualifier == "405":
            head["production_date"] = self.date(n, seg, 2)

    def _clp(self, n: int, seg: list[str]) -> None:
        self.claim = {
            "claim_id": self.text(n, seg, 1),
            "status": self.text(n, seg, 2),
            "charge": self.amount(n, seg, 3),
            "paid": self.amount(n, seg, 4),
            "patient_responsibility": self.amount(n, seg, 5, required=False),
            "filing_indicator": self.text(n, seg, 6),
            "payer_claim_number": self.text(n, seg, 7),
            "adjustments": [], "lines": [],
        }

    def _close_line(self) -> None:
        line, self.line = self.line, None
        if line is not None and len(self.p) == self.problems_at_start:
            self.claim["lines"].append(ServicePayment(**line))

    def _close_claim(self) -> None:
        self._close_line()
        claim, self.claim = self.claim, None
        if claim is not None and len(self.p) == self.problems_at_start:
            self.claims.append(ClaimPayment(**claim))

    def _procedure(self, n: int, seg: list[str], pos: int) -> tuple[str, str, tuple[str, ...]] | None:
        value = _get(seg, pos)
        where = f"segment {n} {seg[0]}{pos:02d}"
        if not value:
            self.p.add(f"{where}: required, missing")
            return None
        parts = value.split(self.c)
        qualifier = parts[0]
        if _QUALIFIER.fullmatch(qualifier) is None:
            hint = (f" (the component separator is ISA16 {self.c!r}; is another one used?)"
                    if len(qualifier) > 2 else "")
            self.p.add(f"{where}-1: expected a qualifier of 2 letters or digits (such as HC), "
                       f"got {_show(qualifier)}{hint}")
            return None
        if len(parts) < 2 or not parts[1]:
            self.p.add(f"{where}-2: the procedure code is required, missing")
            return None
        modifiers = list(parts[2:6])
        while modifiers and not modifiers[-1]:
            modifiers.pop()
        return qualifier, parts[1], tuple(modifiers)

    def _svc(self, n: int, seg: list[str]) -> None:
        if self.claim is None:
            self.p.add(f"segment {n} SVC: a service line outside a claim (no CLP before it)")
            return
        self._close_line()
        procedure = self._procedure(n, seg, 1)
        original = self._procedure(n, seg, 6) if _get(seg, 6) else None
        units = self.amount(n, seg, 5, required=False, money=False)
        self.line = {
            "qualifier": procedure[0] if procedure else "",
            "code": procedure[1] if procedure else "",
            "modifiers": procedure[2] if procedure else (),
            "charge": self.amount(n, seg, 2),
            "paid": self.amount(n, seg, 3),
            "revenue_code": _get(seg, 4) or None,
            "units": Decimal(1) if units is None else units,
            "original_qualifier": original[0] if original else None,
            "original_code": original[1] if original else None,
            "original_modifiers": original[2] if original else (),
            "original_units": self.amount(n, seg, 7, required=False, money=False),
            "adjustments": [], "remarks": [],
        }

    def _cas(self, n: int, seg: list[str]) -> None:
        target = self.line if self.line is not None else self.claim
        if target is None:
            self.p.add(f"segment {n} CAS: an adjustment outside a claim (no CLP before it)")
            return
        group = self.code(n, seg, 1, ADJUSTMENT_GROUPS)
        found = 0
        for k in range(6):
            r, a, q = 2 + 3 * k, 3 + 3 * k, 4 + 3 * k
            reason, amount, quantity = _get(seg, r), _get(seg, a), _get(seg, q)
            if not (reason or amount or quantity):
                continue
            found += 1
            if not reason:
                self.p.add(f"{self._where(n, 'CAS', r)}: an adjustment amount or quantity "
                           "without its reason code")
                continue
            value = self.amount(n, seg, a)
            qty = self.amount(n, seg, q, required=False, money=False)
            if group is not None and value is not None:
                target["adjustments"].append(Adjustment(group, reason, value, qty))
        if not found:
            self.p.add(f"segment {n} CAS02: required, missing")
        if len(seg) > 20:
            self.p.add(f"segment {n} CAS: more than 19 elements")

    def _plb(self, n: int, seg: list[str]) -> None:
        provider = self.text(n, seg, 1)
        period = self.date(n, seg, 2)
        found = 0
        for k in range(6):
            r, a = 3 + 2 * k, 4 + 2 * k
            reason_ref, amount = _get(seg, r), _get(seg, a)
            if not (reason_ref or amount):
                continue
            found += 1
            parts = reason_ref.split(self.c)
            if not parts[0]:
                self.p.add(f"{self._where(n, 'PLB', r)}-1: the adjustment reason code is "
                           "required, missing")
                continue
            value = self.amount(n, seg, a)
            if provider and period and value is not None:
                self.plb.append(ProviderAdjustment(provider, period, parts[0], value,
                                                   (parts[1] if len(parts) > 1 else "") or None))
        if not found:
            self.p.add(f"segment {n} PLB03: required, missing")
        if len(seg) > 15:
            self.p.add(f"segment {n} PLB: more than 14 elements")


__all__ = ["MAX_835_BYTES", "MAX_PROBLEMS", "VERSION_PREFIX", "read_835", "read_835_file"]

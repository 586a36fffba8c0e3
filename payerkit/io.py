"""Case files in: the one cattrs converter.

A case file is TOML or JSON with the same shape (``docs/case-file.md``).
:func:`load_case` reports every problem at once, each as
``path: what was expected`` (``visits[2].services[0].minutes: expected an
integer, got 'forty'``), and never quotes a value from a field that may hold
patient data beyond what is needed to locate the problem.

Every input ends in a :class:`~payerkit.model.Case` or a :class:`CaseError`:
the limits below (``docs/case-file.md``, "Limits") are checked before and
while the file is parsed, so no file can exhaust the parser's recursion,
Python's integer-digit limit or the money arithmetic. Every problem line is
printable: user text in it (unknown keys, quoted values) is escaped, so a
line never holds a newline, a terminal escape or any other control character.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import itertools
import json
import operator
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence, list_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, mapping_structure_factory, override

from .errors import CaseError
from .formats.x12_limits import EARLIEST_DATE, LATEST_DATE, MAX_DIAGNOSES, MAX_LINES
from .model import Case, Episode, FeeRates, Service, Visit
from .paths import facts_path, field_path
from .rules.fees import parse_fee_rows
from .rules.money import MAX_CHARGE, MAX_UNITS, parse_written_amount

# -- Limits (docs/case-file.md, "Limits") ------------------------------------------------------

#: Size of a case file, and of the fee file it names.
MAX_FILE_BYTES = 1024 * 1024
#: Tables and arrays nested in one another (the case itself is level 1; the deepest field of
#: the format, a service's modifier list, is at level 6).
MAX_DEPTH = 32
#: Any integer: at most 9 digits.
MAX_INT = 999_999_999
#: Characters of a number as written, before it is read (a number this long is refused by line).
MAX_NUMBER_CHARS = 100
#: Every date (services, onset, notice, prescription, authorization, ``as_of``, birth dates)
#: is one a claim can carry: from ``EARLIEST_DATE`` to ``LATEST_DATE`` (``x12_limits``).
#: Minutes of one service (a day).
MAX_MINUTES = 24 * 60
#: Visits in one file (one a day for a year); services per visit and diagnoses per episode
#: are what one claim carries (``x12_limits``: the 837P's 50 service lines, its 12 HI codes).
MAX_VISITS = 366
#: Any other list (networks, modifiers, diagnosis pointers).
MAX_ITEMS = 100
#: A count of visits given as a number (visits_used_elsewhere, prescription and
#: authorization visits).
MAX_VISIT_COUNT = 999
#: Problem lines reported at once; the rest are counted in one last line.
MAX_PROBLEMS = 100

#: Fields whose values are personal: their values are never echoed in errors.
_PRIVATE = ("first_name", "last_name", "birth_date", "line1", "line2", "member_id",
            "claim_number", "group_number", "tax_id", "city", "zip", "sex", "notice_date",
            "onset_date", "diagnoses", "number", "late_justification")

#: C0 and C1 control characters, the Unicode line and paragraph separators, lone surrogates.
_BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


# -- Text in problem lines ----------------------------------------------------------------------

def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every non-printable character escaped (``\\n`` → ``\\x0a``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _key(key: object, limit: int = 40) -> str:
    """A key of the user's file, as shown in a problem line: printable and short."""
    text = printable(key if isinstance(key, str) else repr(key))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int over Python's digit limit, a cycle
        return _kind(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any) -> str:
    """What a value is, in the file's words, without showing it."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date or time"
    return type(value).__name__


def _case_error(problems: list[str]) -> CaseError:
    lines = [printable(p) for p in problems]
    if len(lines) > MAX_PROBLEMS:
        extra = len(lines) - MAX_PROBLEMS
        lines = [*lines[:MAX_PROBLEMS], f"case: {extra} more problem(s) not shown"]
    return CaseError(lines)


# -- Structure hooks ----------------------------------------------------------------------------

def _strict_int(value: Any, _type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {_show(value)}")
    if not -MAX_INT <= value <= MAX_INT:
        raise ValueError("expected an integer of at most 9 digits, got a larger number")
    return value


def _strict_str(value: Any, _type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_show(value)}")
    if value.isprintable():  # no control character, separator or surrogate: the common case
        return value
    bad = _BAD_TEXT.search(value)
    if bad is not None:
        code = ord(bad.group())
        what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        raise ValueError("expected text without control characters, line breaks or lone "
                         f"surrogates, found {what} (U+{code:04X}) at character {bad.start() + 1}")
    return value


def _strict_bool(value: Any, _type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def _date(value: Any, _type) -> dt.date:
    day = None
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date such as 2026-03-20, got a date and time")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and len(value) <= 32:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        raise ValueError(f"expected a date such as 2026-03-20, got {_show(value)}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"expected a date from {EARLIEST_DATE.isoformat()} to "
                         f"{LATEST_DATE.isoformat()}, got {day.isoformat()}")
    return day


def _money(value: Any, _type) -> Decimal:
    """A per-unit amount (cash rate, fee) in dollars and cents, up to 4 decimals."""
    return parse_written_amount(value)


def _charge(value: Any, _type) -> Decimal | None:
    """A line's charge in dollars and cents, at most
    :data:`~payerkit.rules.money.MAX_CHARGE`."""
    return None if value is None else parse_written_amount(value, places=2, maximum=MAX_CHARGE)


#: The most a visit's ``amount_paid`` may be: what its services can be charged at most.
MAX_PAID = MAX_CHARGE * MAX_LINES


def _paid(value: Any, _type) -> Decimal | None:
    """What the patient paid for a visit, in dollars and cents."""
    return None if value is None else parse_written_amount(value, places=2, maximum=MAX_PAID)


def _sequence(conv: cattrs.Converter, type_, limit: int = MAX_ITEMS, noun: str = "items"):
    """A list only (never a string, a table or another iterable split into items), of at
    most ``limit`` items, checked before any item is read."""
    origin = getattr(type_, "__origin__", type_)
    inner = (homogenous_tuple_structure_factory if origin is tuple
             else list_structure_factory)(type_, conv)

    def structure(value: Any, _type):
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected a list, got {_kind(value)}")
        if len(value) > limit:
            raise ValueError(f"expected at most {limit} {noun}, got {len(value)}")
        return inner(value, _type)

    return structure


def _is_mapping(type_) -> bool:
    return type_ in (dict, Mapping) or getattr(type_, "__origin__", None) in (dict, Mapping)


def _mapping(type_, conv: cattrs.Converter):
    """A table only (never a list of pairs)."""
    inner = mapping_structure_factory(type_, conv)

    def structure(value: Any, _type):
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {_kind(value)}")
        return inner(value, _type)

    return structure


def _table(cls, conv: cattrs.Converter):
    """An attrs class from a table only, unknown keys refused, with the case's field limits."""
    overrides: dict = {}
    if cls is FeeRates:
        overrides["entries"] = override(omit=True)
    elif cls is Service:
        overrides["charge"] = override(struct_hook=_charge)
    elif cls is Case:
        overrides["visits"] = override(struct_hook=_sequence(conv, tuple[Visit, ...],
                                                             MAX_VISITS, "visits"))
    elif cls is Visit:
        overrides["services"] = override(struct_hook=_sequence(conv, tuple[Service, ...],
                                                               MAX_LINES, "services"))
        overrides["amount_paid"] = override(struct_hook=_paid)
    elif cls is Episode:
        overrides["diagnoses"] = override(struct_hook=_sequence(conv, tuple[str, ...],
                                                                MAX_DIAGNOSES, "diagnoses"))
    inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **overrides)

    def structure(value: Any, _type):
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {_kind(value)}")
        return inner(value, _type)

    return structure


def _is_optional(type_) -> bool:
    args = getattr(type_, "__args__", ())
    return typing.get_origin(type_) in (typing.Union, types.UnionType) and len(args) == 2 \
        and type(None) in args


def _optional(type_, conv: cattrs.Converter):
    """``X | None``: the hook of ``X`` looked up once, not at every value (the same errors)."""
    inner = next(a for a in type_.__args__ if a is not type(None))
    hook = conv.get_structure_hook(inner)

    def structure(value, _type):
        return None if value is None else hook(value, inner)

    return structure


def make_converter() -> cattrs.Converter:
    """payerkit's own converter (never the global one): strict types, no unknown keys.

    Lists are lists (a string or a table is never split into items), tables are tables,
    strings carry no control characters, integers have at most 9 digits, dates fall in
    1900-01-01 … 2099-12-31 and amounts within the money limits.
    """
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(Decimal, _money)
    conv.register_structure_hook_factory(is_sequence, lambda t, c: _sequence(c, t))
    conv.register_structure_hook_factory(_is_mapping, _mapping)
    conv.register_structure_hook_factory(attrs.has, _table)
    conv.register_structure_hook_factory(_is_optional, _optional)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    return conv


CONVERTER = make_converter()


def format_error(exc: BaseException, type_) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(_key(k) for k in exc.extra_fields))}"
    if isinstance(exc, ValueError) and str(exc).startswith("expected"):
        return str(exc)
    choices = _choices(type_)
    if choices and ("not in literal" in str(exc) or isinstance(exc, TypeError | ValueError)):
        return f"expected one of {' | '.join(repr(c) for c in choices)}"
    return cattrs.v.format_exception(exc, type_)


def _choices(type_) -> tuple:
    """The allowed values of a ``Literal`` or an optional ``Literal`` (``None`` left out)."""
    args = getattr(type_, "__args__", ())
    if getattr(type_, "__origin__", None) is Literal:
        return args
    literals = [a for a in args if getattr(a, "__origin__", None) is Literal]
    return tuple(c for lit in literals for c in lit.__args__)


def _tidy(message: str) -> str:
    """``msg @ $.a.b[0]`` → ``a.b[0]: msg``, hiding values of personal fields; printable."""
    text, _, path = message.rpartition(" @ ")
    path = path.removeprefix("$").removeprefix(".")
    if any(path.endswith(name) or f".{name}[" in path for name in _PRIVATE) and ", got" in text:
        text = text.split(", got")[0]
    return printable(f"{path or 'case'}: {text}")


# -- Shape: depth of the parsed data ------------------------------------------------------------

def _too_deep(data: Any) -> str | None:
    """The path (its first levels) of data nested deeper than :data:`MAX_DEPTH`, or ``None``.

    Iterative, so any depth (even a cycle in data built in code) is measured safely. The
    common case (not too deep) is found without building any path.
    """
    if _within_depth(data):
        return None
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, dict):
            items = [(f"{path}.{_key(k)}" if path else _key(k), v) for k, v in node.items()]
        elif isinstance(node, list | tuple):
            items = [(f"{path}[{i}]", v) for i, v in enumerate(node)]
        else:
            continue
        if depth > MAX_DEPTH:
            return path + "..."
        if depth <= 4:
            stack.extend((v, depth + 1, p) for p, v in items)
        else:
            stack.extend((v, depth + 1, path) for _p, v in items)
    return None


def _within_depth(data: Any) -> bool:
    """Whether ``data`` nests at most :data:`MAX_DEPTH` tables and lists deep (no paths):
    level by level, keeping only the containers (a cycle is simply too deep)."""
    level, depth = ([data] if isinstance(data, _NESTED) else []), 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return False
        deeper: list = []
        for node in level:
            children = node.values() if isinstance(node, dict) else node
            deeper += [child for child in children if isinstance(child, _NESTED)]
        level = deeper
    return True


_NESTED = (dict, list, tuple)


def _depth_error(path: str) -> CaseError:
    return _case_error([f"{path or 'case'}: expected tables and lists nested at most "
                        f"{MAX_DEPTH} levels deep"])


def structure_case(data: dict, base_dir: Path | None = None) -> Case:
    """A :class:`Case` from parsed TOML/JSON data; raises :class:`CaseError` with every problem."""
    return _structure(data, base_dir, depth_checked=False)


def case_from_text(text: str, name: str, base_dir: Path | None = None) -> Case:
    """A :class:`Case` from the text of a case file (``name`` ends ``.json`` for JSON, else
    TOML); relative fee files are read from ``base_dir`` (default: the working folder)."""
    return _structure(parse_text(text, name), base_dir, depth_checked=True)


def _structure(data: dict, base_dir: Path | None, depth_checked: bool) -> Case:
    if not isinstance(data, dict):
        raise _case_error(["case: expected a table of fields at the top level"])
    if not depth_checked:
        deep = _too_deep(data)
        if deep is not None:
            raise _depth_error(deep)
    try:
        case = CONVERTER.structure(data, Case)
    except cattrs.BaseValidationError as exc:
        messages = cattrs.transform_error(exc, "$", format_error)
        raise _case_error([_tidy(m) for m in messages]) from None
    problems = check_case(case)
    if problems:
        raise _case_error(problems)
    if case.fees is not None and case.fees.file:
        case = _with_fee_file(case, base_dir or Path.cwd())
    return case


def structure_facts(data: dict, facts_type: type, prefix: str):
    """A program's facts (``[facts.<program id>]``) as its own attrs class.

    Problems are reported like the case's own, under ``prefix``
    (``facts.ny-no-fault.vehicle: expected one of 'insured' | 'other'``).
    """
    if not isinstance(data, dict):
        raise _case_error([f"{prefix}: expected a table, got {_kind(data)}"])
    deep = _too_deep(data)
    if deep is not None:
        raise _depth_error(f"{prefix}.{deep}" if deep else prefix)
    try:
        return CONVERTER.structure(data, facts_type)
    except cattrs.BaseValidationError as exc:
        messages = [_tidy(m) for m in cattrs.transform_error(exc, "$", format_error)]
        raise _case_error([m.replace("case: ", f"{prefix}: ", 1) if m.startswith("case: ")
                           else f"{prefix}.{m}" for m in messages]) from None


def check_case(case: Case) -> list[str]:
    """Cross-field rules and limits a type cannot say."""
    problems = []
    p = case.provider
    if not p.name and not (p.first_name and p.last_name):
        problems.append("provider.name: expected name, or first_name and last_name")
    born_by = case.today()
    for who, person in (("patient", case.patient), ("subscriber", case.subscriber)):
        if person is not None and person.birth_date > born_by:
            problems.append(f"{who}.birth_date: expected a date on or before the case's as_of "
                            f"({born_by.isoformat()}), or today without one")
    if not case.visits:
        problems.append("visits: expected at least one visit")
    for i, (a, b) in enumerate(zip(case.visits, case.visits[1:], strict=False), start=1):
        if b.date < a.date:
            problems.append(f"{field_path('visits', i, 'date')}: expected visits in date order")
    for i, visit in enumerate(case.visits):
        if not visit.services:
            problems.append(f"{field_path('visits', i, 'services')}: expected at least one service")
        for j, service in enumerate(visit.services):
            where = field_path("visits", i, "services", j)
            if service.minutes is not None and not 0 <= service.minutes <= MAX_MINUTES:
                problems.append(f"{where}.minutes: expected a number of minutes from 0 to "
                                f"{MAX_MINUTES}")
            if service.units is not None and not 1 <= service.units <= MAX_UNITS:
                problems.append(f"{where}.units: expected a number of units from 1 to {MAX_UNITS}")
            if not service.diagnoses:
                problems.append(f"{where}.diagnoses: expected at least one diagnosis pointer")
    if not case.episode.diagnoses:
        problems.append("episode.diagnoses: expected at least one ICD-10-CM code")
    counts = [("coverage.visits_used_elsewhere", case.coverage.visits_used_elsewhere)]
    if case.episode.prescription is not None:
        counts.append(("episode.prescription.visits", case.episode.prescription.visits))
    if case.episode.authorization is not None:
        counts.append(("episode.authorization.visits", case.episode.authorization.visits))
    for where, count in counts:
        if count is not None and not 0 <= count <= MAX_VISIT_COUNT:
            problems.append(f"{where}: expected a number of visits from 0 to {MAX_VISIT_COUNT}")
    for key, table in case.facts.items():
        if not isinstance(table, dict):
            problems.append(f"{facts_path(_key(key))}: expected a table of the program's facts")
    return problems


def _with_fee_file(case: Case, base_dir: Path) -> Case:
    path = base_dir / case.fees.file
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        st = None  # _read names the problem
    key = (os.path.abspath(path), st.st_mtime_ns, st.st_size) if st is not None else None
    entries = _FEE_FILES.get(key) if key is not None else None
    if entries is None:
        text = _read(path, "fees.file", case.fees.file)
        try:
            entries = tuple(parse_fee_rows(text, path.name))
        except (ValueError, csv.Error) as exc:
            raise _case_error([f"fees.file: {line}" for line in str(exc).splitlines()]) from None
        if key is not None:
            if len(_FEE_FILES) >= _FEE_FILES_KEPT:
                _FEE_FILES.pop(next(iter(_FEE_FILES)))
            _FEE_FILES[key] = entries
    return attrs.evolve(case, fees=attrs.evolve(case.fees, entries=entries))


#: Parsed fee files by (absolute path, modification time in ns, size): a batch of a
#: practice's cases reads its schedule once; a changed file is read again.
_FEE_FILES: dict[tuple[str, int, int], tuple] = {}
_FEE_FILES_KEPT = 64


# -- Reading and parsing ------------------------------------------------------------------------

def _read(path: Path, where: str, shown: str | Path) -> str:
    """A regular text file of at most :data:`MAX_FILE_BYTES`, UTF-8, read through
    :func:`payerkit.files.read_regular` (a FIFO or a device is refused, never opened to wait
    or read without end); every failure a :class:`CaseError`."""
    from .files import FileTooLarge, read_regular

    name = repr(str(shown))
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise _case_error([f"{where}: no such file {name}"]) from None
    except FileTooLarge:
        raise _case_error([f"{where}: {name} is larger than {MAX_FILE_BYTES // 1024} KiB "
                           f"(1 MiB), the limit for a case file"]) from None
    except OSError as exc:
        raise _case_error([f"{where}: cannot read {name} ({exc.strerror or type(exc).__name__})"]
                          ) from None
    except ValueError:  # a NUL in the path
        raise _case_error([f"{where}: cannot read {name} (not a valid path)"]) from None
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark some editors write is not the case's
    except UnicodeDecodeError as exc:
        raise _case_error([f"{where}: cannot read {name} (not UTF-8 text: byte {exc.start + 1} "
                           "is invalid)"]) from None


#: A number longer than :data:`MAX_NUMBER_CHARS` (digits, and TOML's ``_`` separators).
_LONG_NUMBER = "[0-9][0-9_]{" + str(MAX_NUMBER_CHARS) + ",}"
#: What is skipped when brackets are counted: strings (and TOML's comments).
_JSON_SKIP = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOML_SKIP = (r'"""(?:[^\\]|\\.)*?"""|' r"'''.*?'''|"      # multi-line strings
              r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|' r"'[^'\n]*'|"  # one-line strings
              r"#[^\n]*")                                     # comments
_SKIP = {"JSON": re.compile(_JSON_SKIP, re.S), "TOML": re.compile(_TOML_SKIP, re.S)}
_TOKENS = {kind: re.compile(f"{skip}|[\\[\\]{{}}]|{_LONG_NUMBER}", re.S)
           for kind, skip in (("JSON", _JSON_SKIP), ("TOML", _TOML_SKIP))}
#: Every byte but the brackets (dropped), and the brackets' weights.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_WEIGHT = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def _max_depth(code: str) -> int:
    """Deepest bracket nesting of ``code`` (strings removed), counted in C: an opening
    bracket weighs 2 and a closing one 0, so the depth after ``i`` brackets is the running
    sum minus ``i`` (the brackets are ASCII: no byte of another character is one)."""
    weights = code.encode("utf-8", "surrogatepass").translate(_BRACKET_WEIGHT, _NOT_BRACKETS)
    if not weights:
        return 0
    return max(map(operator.sub, itertools.accumulate(weights), itertools.count(1)))


def _scan(text: str, kind: str) -> str | None:
    """Before parsing, without recursion: a problem with nesting or a number's length, naming
    the line, or ``None``. Strings and comments are skipped; brackets and braces counted."""
    code = _SKIP[kind].sub(" ", text)
    if _max_depth(code) <= MAX_DEPTH and re.search(_LONG_NUMBER, code) is None:
        return None
    depth = 0  # found: walk the tokens to name the line
    for match in _TOKENS[kind].finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return (f"case: line {line}: expected tables and lists nested at most "
                        f"{MAX_DEPTH} levels deep")
        elif token in ("]", "}"):
            depth -= 1
        elif token[0].isdigit():
            line = text.count("\n", 0, match.start()) + 1
            return (f"case: line {line}: expected a number of at most {MAX_NUMBER_CHARS} digits "
                    "(integers have at most 9)")
    return None


def parse_text(text: str, name: str) -> dict:
    """Parse TOML (``.toml``) or JSON (``.json``) text; errors name the line.

    The data is no deeper than :data:`MAX_DEPTH` and holds no integer of more than
    :data:`MAX_NUMBER_CHARS` digits. TOML is scanned for both before its (recursive,
    pure-Python) parser runs. JSON goes straight to the C parser, which refuses
    runaway nesting itself, with every integer's length checked as it is read, every
    object's keys checked to be different (a key given twice is refused naming its
    path, as TOML refuses it), and the depth of the result checked after; only a JSON
    text that fails is scanned, to name the line (the answer is the same, and a batch
    of JSON Lines does not pay the scan).
    """
    is_json = name.endswith(".json")
    kind = "JSON" if is_json else "TOML"
    if len(text) > MAX_FILE_BYTES:
        raise _case_error([f"case: larger than {MAX_FILE_BYTES // 1024} KiB (1 MiB), the limit "
                           "for a case file"])
    if is_json:
        try:
            data = json.loads(text, parse_int=_json_int, object_pairs_hook=_unique_keys)
        except _KeyTwice:
            raise _case_error(_keys_twice(text)) from None
        except (_LongNumber, RecursionError):
            data = None
        except json.JSONDecodeError as exc:
            problem = _scan(text, kind)  # a number too long, or nesting, found before the error
            raise _case_error([problem or f"case: not valid JSON ({exc.msg} at line "
                               f"{exc.lineno})"]) from None
        # brackets inside strings only make the text look deeper than the data: the exact
        # walk of the data is needed only then
        if data is not None and (_max_depth(text) <= MAX_DEPTH or _within_depth(data)):
            return data
    problem = _scan(text, kind)
    if problem:
        raise _case_error([problem])
    try:
        if is_json:
            return json.loads(text, object_pairs_hook=_unique_keys)
        return tomllib.loads(text)
    except _KeyTwice:
        raise _case_error(_keys_twice(text)) from None
    except json.JSONDecodeError as exc:
        raise _case_error([f"case: not valid JSON ({exc.msg} at line {exc.lineno})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise _case_error([f"case: not valid TOML ({exc})"]) from None
    except RecursionError:
        raise _case_error([f"case: not valid {kind} (nested too deeply: tables and lists "
                           f"nest at most {MAX_DEPTH} levels)"]) from None
    except ValueError:  # an integer beyond Python's digit limit
        raise _case_error([f"case: not valid {kind} (a number with too many digits; integers "
                           "have at most 9)"]) from None


class _LongNumber(Exception):
    pass


class _KeyTwice(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    """A JSON object whose keys are all different (the C parser keeps the last of two)."""
    table = dict(pairs)
    if len(table) != len(pairs):
        raise _KeyTwice
    return table


class _Table(dict):
    """A JSON object read again to name its keys given more than once (the error path)."""

    twice: tuple[str, ...] = ()


def _table_noting_twice(pairs: list[tuple[str, Any]]) -> _Table:
    table = _Table(pairs)
    if len(table) != len(pairs):
        counts = collections.Counter(k for k, _ in pairs)
        table.twice = tuple(k for k, n in counts.items() if n > 1)
    return table


def _keys_twice(text: str) -> list[str]:
    """One problem per key given more than once, with its path, in the order of the text
    (or the text's first problem of nesting or number length, met before reading it all)."""
    try:
        data = json.loads(text, parse_int=_json_int, object_pairs_hook=_table_noting_twice)
    except (_LongNumber, RecursionError):
        return [_scan(text, "JSON") or "case: not valid JSON (nested too deeply)"]
    problems, stack = [], [(data, "")]
    while stack:  # iterative: the C parser nests deeper than Python recursion goes
        node, path = stack.pop()
        if isinstance(node, _Table):
            problems += [f"{path}.{_key(k)}" if path else _key(k) for k in node.twice]
            items = [(v, f"{path}.{_key(k)}" if path else _key(k)) for k, v in node.items()]
        elif isinstance(node, list):
            items = [(v, f"{path}[{i}]") for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed(items))
    return [f"{where}: given more than once (a key may appear once in a table, as in TOML)"
            for where in problems]


def _json_int(digits: str) -> int:
    if len(digits) > MAX_NUMBER_CHARS:
        raise _LongNumber
    return int(digits)


def load_case(path: str | Path) -> Case:
    """Read a case file (``.toml`` or ``.json``)."""
    path = Path(path)
    return case_from_text(_read(path, "case", path), path.name, path.parent)


def unstructure_case(case: Case) -> dict:
    """The case as plain data of the case-file shape (dates and amounts as strings)."""
    data = CONVERTER.unstructure(case)
    if data.get("fees"):
        data["fees"].pop("entries", None)
    return _drop_none(data)


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value

"""The one cattrs converter of case files: how each field is read, its limits, its problem lines.

Every field of a case file has one rule here: strict types (a list is a list, a table a
table, a string carries no control character), integers of at most 9 digits, dates a claim
can carry, amounts within the money limits, lists within their limits. :func:`structure`
applies them with cattrs and reports every problem at once, each as ``path: what was
expected`` (``visits[2].services[0].minutes: expected an integer, got 'forty'``), never
quoting a value of a field that may hold patient data, every line printable.

:mod:`payerkit.reading` reads a well-formed case without cattrs, checking the common shape of
these same rules inline (``reading.INLINE``); :mod:`payerkit.io` reads every case through it,
and through :func:`structure` when anything is not plainly right.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence, list_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, mapping_structure_factory, override

from .errors import CaseError
from .formats.x12_limits import EARLIEST_DATE, LATEST_DATE, MAX_DIAGNOSES, MAX_LINES
from .model import Case, Episode, FeeRates, Service, TreatmentPlan, Visit
from .model.case import Score
from .rules.money import MAX_CHARGE, parse_written_amount

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
#: Treatment plans (``episode.plan``): goals of a plan, outcome measures taken at one visit,
#: authorizations on file (``episode.authorizations``).
MAX_GOALS = 20
MAX_MEASUREMENTS = 30
MAX_AUTHORIZATIONS = 20
#: An outcome measure's value (a goal's baseline and target, a measurement): at most
#: 99,999 either side of 0, with at most 2 decimals (``strict_score``); a measure of the
#: catalogue also within its own range (``payerkit/data/measures.toml``).
MAX_SCORE = Decimal("99999")
SCORE_PLACES = 2
#: Text of a plan: a goal's description, the discharge criteria; a measure's id.
MAX_GOAL_TEXT = 200
MAX_CRITERIA_TEXT = 1000
MAX_MEASURE_ID = 40
#: A plan's ``duration_weeks`` (two years) and ``visits_per_week``.
MAX_PLAN_WEEKS = 104
MAX_VISITS_PER_WEEK = 14

#: Fields whose values are personal: their values are never echoed in errors.
_PRIVATE = ("first_name", "last_name", "birth_date", "line1", "line2", "member_id",
            "claim_number", "group_number", "tax_id", "city", "zip", "sex", "notice_date",
            "onset_date", "diagnoses", "number", "late_justification", "description",
            "discharge_criteria", "baseline", "target", "value")

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


def shown_key(key: object, limit: int = 40) -> str:
    """A key of the user's file, as shown in a problem line: printable and short."""
    text = printable(key if isinstance(key, str) else repr(key))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int over Python's digit limit, a cycle
        return kind_of(value)
    return text if len(text) <= 40 else text[:37] + "..."


def kind_of(value: Any) -> str:
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


def case_error(problems: list[str]) -> CaseError:
    lines = [printable(p) for p in problems]
    if len(lines) > MAX_PROBLEMS:
        extra = len(lines) - MAX_PROBLEMS
        lines = [*lines[:MAX_PROBLEMS], f"case: {extra} more problem(s) not shown"]
    return CaseError(lines)


# -- Structure hooks ----------------------------------------------------------------------------

def strict_int(value: Any, _type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {_show(value)}")
    if not -MAX_INT <= value <= MAX_INT:
        raise ValueError("expected an integer of at most 9 digits, got a larger number")
    return value


def strict_str(value: Any, _type) -> str:
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


def strict_bool(value: Any, _type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def strict_date(value: Any, _type) -> dt.date:
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


def strict_amount(value: Any, _type) -> Decimal:
    """A per-unit amount (cash rate, fee) in dollars and cents, up to 4 decimals."""
    return parse_written_amount(value)


def strict_charge(value: Any, _type) -> Decimal | None:
    """A line's charge in dollars and cents, at most
    :data:`~payerkit.rules.money.MAX_CHARGE`."""
    return None if value is None else parse_written_amount(value, places=2, maximum=MAX_CHARGE)


#: The most a visit's ``amount_paid`` may be: what its services can be charged at most.
MAX_PAID = MAX_CHARGE * MAX_LINES


def strict_paid(value: Any, _type) -> Decimal | None:
    """What the patient paid for a visit, in dollars and cents."""
    return None if value is None else parse_written_amount(value, places=2, maximum=MAX_PAID)


def strict_score(value: Any, _type) -> Decimal:
    """An outcome measure's value: an integer, a number (``6.5``) or a string (``"6.5"``) of
    at most 2 decimals and at most :data:`MAX_SCORE` either side of 0; never true or false,
    never infinite or NaN. A number is read as it is written (``repr``), never by its binary
    value."""
    kind = type(value)
    if kind is int:
        number = Decimal(value)
    elif kind is float or kind is str:
        text = repr(value) if kind is float else value.strip()
        if len(text) > 20 or not _SCORE_TEXT.fullmatch(text):
            raise ValueError(f"expected a number such as 6 or 6.5, got {_show(value)}")
        number = Decimal(text)
    else:
        raise ValueError(f"expected a number such as 6 or 6.5, got {_show(value)}")
    if not -MAX_SCORE <= number <= MAX_SCORE:
        raise ValueError(f"expected a value from {-MAX_SCORE} to {MAX_SCORE}")
    if number.as_tuple().exponent < -SCORE_PLACES:
        raise ValueError(f"expected a value with at most {SCORE_PLACES} decimals")
    return number


#: A value as written: digits, a point and digits (``e`` notation, signs of ``+``, ``inf`` and
#: ``nan`` refused; a leading ``-`` allowed).
_SCORE_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")


def _sequence(conv: cattrs.Converter, type_, limit: int = MAX_ITEMS, noun: str = "items"):
    """A list only (never a string, a table or another iterable split into items), of at
    most ``limit`` items, checked before any item is read."""
    origin = getattr(type_, "__origin__", type_)
    inner = (homogenous_tuple_structure_factory if origin is tuple
             else list_structure_factory)(type_, conv)

    def structure(value: Any, _type):
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected a list, got {kind_of(value)}")
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
            raise ValueError(f"expected a table, got {kind_of(value)}")
        return inner(value, _type)

    return structure


# -- Fields read by a rule of their own, not their type's ---------------------------------------

#: Lists with a limit of their own, and the noun of their items (any other list:
#: :data:`MAX_ITEMS` items).
LIST_LIMITS = {(Case, "visits"): (MAX_VISITS, "visits"),
               (Visit, "services"): (MAX_LINES, "services"),
               (Episode, "diagnoses"): (MAX_DIAGNOSES, "diagnoses"),
               (Episode, "authorizations"): (MAX_AUTHORIZATIONS, "authorizations"),
               (TreatmentPlan, "goals"): (MAX_GOALS, "goals"),
               (Visit, "measures"): (MAX_MEASUREMENTS, "measurements")}
#: Amounts with a limit of their own (any other amount is a per-unit rate: :func:`strict_amount`).
AMOUNT_HOOKS = {(Service, "charge"): strict_charge, (Visit, "amount_paid"): strict_paid}
#: Fields never read from a file (the fee file's entries: :mod:`payerkit.io` reads the file).
NOT_READ = {(FeeRates, "entries")}


def _table(cls, conv: cattrs.Converter):
    """An attrs class from a table only, unknown keys refused, with the case's field limits."""
    attrs.resolve_types(cls)
    overrides: dict = {}
    for field in attrs.fields(cls):
        where = (cls, field.name)
        if where in NOT_READ:
            overrides[field.name] = override(omit=True)
        elif where in AMOUNT_HOOKS:
            overrides[field.name] = override(struct_hook=AMOUNT_HOOKS[where])
        elif where in LIST_LIMITS:
            overrides[field.name] = override(struct_hook=_sequence(conv, field.type,
                                                                   *LIST_LIMITS[where]))
    inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **overrides)

    def structure(value: Any, _type):
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {kind_of(value)}")
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
    conv.register_structure_hook(int, strict_int)
    conv.register_structure_hook(str, strict_str)
    conv.register_structure_hook(bool, strict_bool)
    conv.register_structure_hook(dt.date, strict_date)
    conv.register_structure_hook(Decimal, strict_amount)
    conv.register_structure_hook(Score, strict_score)
    conv.register_structure_hook_factory(is_sequence, lambda t, c: _sequence(c, t))
    conv.register_structure_hook_factory(_is_mapping, _mapping)
    conv.register_structure_hook_factory(attrs.has, _table)
    conv.register_structure_hook_factory(_is_optional, _optional)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    return conv


CONVERTER = make_converter()


def structure(data: Any, type_: type, prefix: str = ""):
    """``data`` as ``type_`` through :data:`CONVERTER`; else a :class:`CaseError` naming every
    problem, each under ``prefix`` when one is given (a program's facts:
    ``facts.ny-no-fault.vehicle: expected one of 'insured' | 'other'``)."""
    try:
        return CONVERTER.structure(data, type_)
    except cattrs.BaseValidationError as exc:
        messages = [_tidy(m) for m in cattrs.transform_error(exc, "$", format_error)]
    if prefix:
        messages = [m.replace("case: ", f"{prefix}: ", 1) if m.startswith("case: ")
                    else f"{prefix}.{m}" for m in messages]
    raise case_error(messages)


def format_error(exc: BaseException, type_) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(shown_key(k) for k in exc.extra_fields))}"
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


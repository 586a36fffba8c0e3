"""Case files in: the one cattrs converter.

A case file is TOML or JSON with the same shape (``docs/case-file.md``).
:func:`load_case` reports every problem at once, each as
``path: what was expected`` (``visits[2].services[0].minutes: expected an
integer, got 'forty'``), and never quotes a value from a field that may hold
patient data beyond what is needed to locate the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import cattrs
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, override

from .errors import CaseError
from .model import Case, FeeRates
from .rules.fees import parse_fee_rows
from .rules.money import parse_money

#: Fields whose values are personal: their values are never echoed in errors.
_PRIVATE = ("first_name", "last_name", "birth_date", "line1", "line2", "member_id",
            "claim_number", "group_number", "tax_id", "city", "zip", "sex", "notice_date",
            "onset_date", "diagnoses", "number", "late_justification")


def _strict_int(value: Any, _type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {_show(value)}")
    return value


def _strict_str(value: Any, _type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_show(value)}")
    return value


def _strict_bool(value: Any, _type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def _date(value: Any, _type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date such as 2026-03-20, got a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a date such as 2026-03-20, got {_show(value)}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _money(value: Any, _type) -> Decimal:
    return parse_money(value)


def make_converter() -> cattrs.Converter:
    """payerkit's own converter (never the global one): strict types, no unknown keys."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(Decimal, _money)
    conv.register_structure_hook(
        FeeRates, make_dict_structure_fn(FeeRates, conv, entries=override(omit=True),
                                         _cattrs_forbid_extra_keys=True)
    )
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    return conv


CONVERTER = make_converter()


def format_error(exc: BaseException, type_) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
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
    """``msg @ $.a.b[0]`` → ``a.b[0]: msg``, hiding values of personal fields."""
    text, _, path = message.rpartition(" @ ")
    path = path.removeprefix("$").removeprefix(".")
    if any(path.endswith(name) or f".{name}[" in path for name in _PRIVATE) and ", got" in text:
        text = text.split(", got")[0]
    return f"{path or 'case'}: {text}"


def structure_case(data: dict, base_dir: Path | None = None) -> Case:
    """A :class:`Case` from parsed TOML/JSON data; raises :class:`CaseError` with every problem."""
    if not isinstance(data, dict):
        raise CaseError(["case: expected a table of fields at the top level"])
    try:
        case = CONVERTER.structure(data, Case)
    except cattrs.BaseValidationError as exc:
        messages = cattrs.transform_error(exc, "$", format_error)
        raise CaseError([_tidy(m) for m in messages]) from None
    problems = check_case(case)
    if problems:
        raise CaseError(problems)
    if case.fees is not None and case.fees.file:
        case = _with_fee_file(case, base_dir or Path.cwd())
    return case


def structure_facts(data: dict, facts_type: type, prefix: str):
    """A program's facts (``[facts.<program id>]``) as its own attrs class.

    Problems are reported like the case's own, under ``prefix``
    (``facts.ny-no-fault.vehicle: expected one of 'insured' | 'other'``).
    """
    try:
        return CONVERTER.structure(data, facts_type)
    except cattrs.BaseValidationError as exc:
        messages = cattrs.transform_error(exc, "$", format_error)
        raise CaseError([_tidy(m).replace("case: ", f"{prefix}: ", 1) if _tidy(m).startswith(
            "case: ") else f"{prefix}.{_tidy(m)}" for m in messages]) from None


def check_case(case: Case) -> list[str]:
    """Cross-field rules a type cannot say."""
    problems = []
    p = case.provider
    if not p.name and not (p.first_name and p.last_name):
        problems.append("provider.name: expected name, or first_name and last_name")
    if not case.visits:
        problems.append("visits: expected at least one visit")
    for i, (a, b) in enumerate(zip(case.visits, case.visits[1:], strict=False), start=1):
        if b.date < a.date:
            problems.append(f"visits[{i}].date: expected visits in date order")
    for i, visit in enumerate(case.visits):
        if not visit.services:
            problems.append(f"visits[{i}].services: expected at least one service")
        for j, service in enumerate(visit.services):
            where = f"visits[{i}].services[{j}]"
            if service.minutes is not None and service.minutes < 0:
                problems.append(f"{where}.minutes: expected a number of minutes >= 0")
            if service.units is not None and service.units < 1:
                problems.append(f"{where}.units: expected a number of units >= 1")
            if not service.diagnoses:
                problems.append(f"{where}.diagnoses: expected at least one diagnosis pointer")
    if not case.episode.diagnoses:
        problems.append("episode.diagnoses: expected at least one ICD-10-CM code")
    if case.coverage.visits_used_elsewhere < 0:
        problems.append("coverage.visits_used_elsewhere: expected a number >= 0")
    for key, table in case.facts.items():
        if not isinstance(table, dict):
            problems.append(f"facts.{key}: expected a table of the program's facts")
    return problems


def _with_fee_file(case: Case, base_dir: Path) -> Case:
    import attrs

    path = base_dir / case.fees.file
    try:
        entries = parse_fee_rows(path.read_text(encoding="utf-8"), path.name)
    except OSError as exc:
        raise CaseError([f"fees.file: cannot read {case.fees.file!r} ({exc.strerror})"]) from None
    except ValueError as exc:
        raise CaseError([f"fees.file: {line}" for line in str(exc).splitlines()]) from None
    return attrs.evolve(case, fees=attrs.evolve(case.fees, entries=entries))


def parse_text(text: str, name: str) -> dict:
    """Parse TOML (``.toml``) or JSON (``.json``) text; errors name the line."""
    if name.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CaseError([f"case: not valid JSON ({exc.msg} at line {exc.lineno})"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError([f"case: not valid TOML ({exc})"]) from None


def load_case(path: str | Path) -> Case:
    """Read a case file (``.toml`` or ``.json``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseError([f"case: no such file {str(path)!r}"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError([f"case: cannot read {str(path)!r} ({exc})"]) from None
    return structure_case(parse_text(text, path.name), path.parent)


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


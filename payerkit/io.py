"""Case files in: every input ends in a :class:`~payerkit.model.Case` or a :class:`CaseError`.

A case file is TOML or JSON with the same shape (``docs/case-file.md``).
:func:`load_case` reports every problem at once, each as
``path: what was expected`` (``visits[2].services[0].minutes: expected an
integer, got 'forty'``), and never quotes a value from a field that may hold
patient data beyond what is needed to locate the problem.

The limits (``docs/case-file.md``, "Limits"; :mod:`payerkit.converter`) are checked
before and while the file is parsed, so no file can exhaust the parser's recursion,
Python's integer-digit limit or the money arithmetic. Every problem line is
printable: user text in it (unknown keys, quoted values) is escaped, so a
line never holds a newline, a terminal escape or any other control character.

Two ways lead to the same case. :mod:`payerkit.reading` reads a well-formed file in one
straight pass; the moment anything is not plainly right it gives up, and the file is read
again here, field by field through the converter (:mod:`payerkit.converter`), which names
every problem.
"""

from __future__ import annotations

import collections
import csv
import itertools
import json
import operator
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs

from . import reading
from .converter import (
    CONVERTER,
    MAX_CRITERIA_TEXT,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_GOAL_TEXT,
    MAX_MEASURE_ID,
    MAX_MINUTES,
    MAX_NUMBER_CHARS,
    MAX_PLAN_WEEKS,
    MAX_VISIT_COUNT,
    MAX_VISITS_PER_WEEK,
    case_error,
    kind_of,
    shown_key,
    structure,
)
from .errors import CaseError
from .model import Case
from .paths import facts_path, field_path
from .rules.fees import parse_fee_rows
from .rules.money import MAX_UNITS

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
            items = [(f"{path}.{shown_key(k)}" if path else shown_key(k), v) for k, v in node.items()]
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
    return case_error([f"{path or 'case'}: expected tables and lists nested at most "
                        f"{MAX_DEPTH} levels deep"])


def structure_case(data: dict, base_dir: Path | None = None) -> Case:
    """A :class:`Case` from parsed TOML/JSON data; raises :class:`CaseError` with every problem."""
    read = reading.read_case(data)
    return _checked(read[0] if read is not None else _structure(data), base_dir)


def case_from_text(text: str, name: str, base_dir: Path | None = None, *,
                   confined: bool = False) -> Case:
    """A :class:`Case` from the text of a case file (``name`` ends ``.json`` for JSON, else
    TOML); relative fee files are read from ``base_dir`` (default: the working folder).

    ``confined``: the case comes from someone who may not read this machine's disk (a
    request to ``payerkit serve``; ``base_dir`` is its ``--files-dir``): a file it names
    (``fees.file``) is read only when it lies inside ``base_dir``, links resolved; with no
    ``base_dir``, a case naming any file is refused. The refusal names the field and the
    path, before anything is opened."""
    case = _read_plainly(text, name)
    if case is None:
        case = _structure(parse_text(text, name), depth_checked=True)
    if confined:
        return _checked(case, _confined_base(case, base_dir))
    return _checked(case, base_dir)


def _confined_base(case: Case, base_dir: Path | None) -> Path | None:
    """``base_dir`` resolved, when every file ``case`` names lies inside it; else a
    :class:`CaseError` naming the field and the path (checked before the case's own rules:
    a path outside is refused whatever else is wrong)."""
    if case.fees is None or not case.fees.file:
        return base_dir
    name = case.fees.file
    shown = repr(name if len(name) <= 200 else name[:197] + "...")
    if base_dir is None:
        raise case_error([f"fees.file: {shown}: a case sent to payerkit serve may name no "
                          "file (the server was started without --files-dir); give the "
                          "rates in fees.rates"])
    try:
        root = os.path.realpath(base_dir)
        target = os.path.realpath(os.path.join(root, name))
        inside = os.path.commonpath([root, target]) == root and target != root
    except ValueError:  # a NUL in the path, or paths on two drives (Windows)
        inside = False
    if not inside:
        raise case_error([f"fees.file: {shown} is outside the server's --files-dir folder; "
                          "name a file inside it, by a path relative to it"])
    return Path(root)


def _read_plainly(text: str, name: str) -> Case | None:
    """The case of a well-formed text, read in one pass (:mod:`payerkit.reading`), or ``None``
    when anything is not plainly right: then :func:`parse_text` and the converter read it again
    and name every problem.

    The text is parsed with the limits :func:`parse_text` applies: TOML is scanned first, and
    its parser refuses a key given twice itself. JSON is parsed as it is, with no hook per
    number or per table; the reader then stands for those checks: it accepts integers of at
    most 9 digits and data nested at most :data:`MAX_DEPTH` levels, and a key given twice
    (which the parser keeps once) shows as fewer keys read than the text holds.
    """
    if len(text) > MAX_FILE_BYTES:
        return None
    is_json = name.endswith(".json")
    try:
        if is_json:
            data = json.loads(text)
        elif _scan(text, "TOML") is None:
            data = tomllib.loads(text)
        else:
            return None
    except (ValueError, RecursionError):  # not valid, or a number beyond Python's digit limit
        return None
    read = reading.read_case(data, clean=is_json and _only_printable_strings(text))
    if read is None or (is_json and not _each_key_once(text, read[1])):
        return None
    return read[0]


def _only_printable_strings(text: str) -> bool:
    """Whether every string of the valid JSON ``text`` is printable, told from the text at
    once: printable ASCII, as the parser refuses a control character in a string, and no
    escape (``\\n``) or DEL, the only ways left to put one there."""
    return text.isascii() and "\\" not in text and "\x7f" not in text


def _each_key_once(text: str, keys: int) -> bool:
    """Whether the valid JSON ``text`` holds no more than ``keys`` keys (those of the data read
    from it: then no table has a key twice, which the parser would have kept once).

    Every key has a colon of its own after it, so the text holds at most as many keys as
    colons; a colon in a string (``"10:30"``) makes more, and then the colons right after a
    quote, or after a space (``"key" : 1``), are counted instead."""
    if text.count(":") == keys:
        return True
    quoted = text.count('":')
    if quoted > keys:
        return False
    # a tab or a line break before a colon only where the text has one (a JSON line has none)
    return quoted + sum(text.count(spaced) for spaced in _SPACED_COLONS
                        if spaced[0] == " " or spaced[0] in text) == keys


_SPACED_COLONS = (" :", "\t:", "\n:", "\r:")


def _structure(data: Any, depth_checked: bool = False) -> Case:
    """A :class:`Case` through the converter, naming every problem."""
    if not isinstance(data, dict):
        raise case_error(["case: expected a table of fields at the top level"])
    if not depth_checked:
        deep = _too_deep(data)
        if deep is not None:
            raise _depth_error(deep)
    return structure(data, Case)


def _checked(case: Case, base_dir: Path | None) -> Case:
    """The case after the rules across fields (:func:`check_case`), with its fee file read."""
    problems = check_case(case)
    if problems:
        raise case_error(problems)
    if case.fees is not None and case.fees.file:
        case = _with_fee_file(case, base_dir or Path.cwd())
    return case


def structure_facts(data: dict, facts_type: type, prefix: str):
    """A program's facts (``[facts.<program id>]``) as its own attrs class.

    Problems are reported like the case's own, under ``prefix``
    (``facts.ny-no-fault.vehicle: expected one of 'insured' | 'other'``).
    """
    if not isinstance(data, dict):
        raise case_error([f"{prefix}: expected a table, got {kind_of(data)}"])
    read = reading.read(data, facts_type)
    if read is not None:
        return read[0]
    deep = _too_deep(data)
    if deep is not None:
        raise _depth_error(f"{prefix}.{deep}" if deep else prefix)
    return structure(data, facts_type, prefix)


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
    dates = [visit.date for visit in case.visits]
    if dates != sorted(dates):
        problems += [f"{field_path('visits', i, 'date')}: expected visits in date order"
                     for i in range(1, len(dates)) if dates[i] < dates[i - 1]]
    for i, visit in enumerate(case.visits):
        if not visit.services and visit.attendance == "attended":
            problems.append(f"{field_path('visits', i, 'services')}: expected at least one service")
        if visit.measures:
            problems += _measurement_problems(i, visit.measures)
            if visit.attendance != "attended":
                problems.append(f"{field_path('visits', i, 'measures')}: expected no measures "
                                "at a missed appointment (attendance is not 'attended')")
        for j, service in enumerate(visit.services):
            minutes, units = service.minutes, service.units
            if (minutes is not None and not 0 <= minutes <= MAX_MINUTES) or not service.diagnoses \
                    or (units is not None and not 1 <= units <= MAX_UNITS):
                problems += _service_problems(field_path("visits", i, "services", j), service)
    if not case.episode.diagnoses:
        problems.append("episode.diagnoses: expected at least one ICD-10-CM code")
    counts = [("coverage.visits_used_elsewhere", case.coverage.visits_used_elsewhere)]
    if case.episode.prescription is not None:
        counts.append(("episode.prescription.visits", case.episode.prescription.visits))
    if case.episode.authorization is not None:
        counts.append(("episode.authorization.visits", case.episode.authorization.visits))
    for i, auth in enumerate(case.episode.authorizations):
        counts.append((field_path("episode.authorizations", i, "visits"), auth.visits))
    problems += _authorization_problems(case.episode)
    plan = case.episode.plan
    if plan is not None:
        counts.append(("episode.plan.visits", plan.visits))
        problems += _plan_problems(plan)
    for where, count in counts:
        if count is not None and not 0 <= count <= MAX_VISIT_COUNT:
            problems.append(f"{where}: expected a number of visits from 0 to {MAX_VISIT_COUNT}")
    for key, table in case.facts.items():
        if not isinstance(table, dict):
            problems.append(f"{facts_path(shown_key(key))}: expected a table of the program's facts")
    return problems


_MEASURE_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?").fullmatch


def _measure_problems(where: str, measure_id: str, values: list[tuple[str, object]]) -> list[str]:
    """A measure's id (its shape and length) and its values within the catalogue's range,
    each named by ``where`` and the field; the values themselves never shown."""
    from .rules.measures import measure

    if len(measure_id) > MAX_MEASURE_ID or not _MEASURE_ID(measure_id):
        return [f"{where}.measure: expected a measure id of 1 to {MAX_MEASURE_ID} letters, "
                "digits, '_', '-' or '.', starting and ending with a letter or a digit (e.g. 'ndi', "
                "'rom.cervical_rotation')"]
    known = measure(measure_id)
    if known is None:
        return []
    return [f"{where}.{name}: expected a value from {known.low} to {known.high} "
            f"({known.id}: {known.name}, {known.unit})"
            for name, value in values if not known.contains(value)]


def _measurement_problems(i: int, measures) -> list[str]:
    problems, seen = [], set()
    for j, m in enumerate(measures):
        where = field_path("visits", i, "measures", j)
        problems += _measure_problems(where, m.measure, [("value", m.value)])
        if m.measure.lower() in seen:
            problems.append(f"{where}.measure: expected each measure once a visit (this one "
                            "is given before; name a detail to tell them apart, e.g. "
                            "'rom.flexion' and 'rom.extension')")
        seen.add(m.measure.lower())
    return problems


def _authorization_problems(episode) -> list[str]:
    """Each authorization ends on or after it starts (the single ``authorization`` too), and
    each number is given once, letters compared without regard to case (the claims write an
    identifier upper-cased, so ``evi-1`` and ``EVI-1`` are one number)."""
    problems = []
    every = [("episode.authorization", episode.authorization)] \
        if episode.authorization is not None else []
    every += [(field_path("episode.authorizations", i), auth)
              for i, auth in enumerate(episode.authorizations)]
    numbers: set[str] = set()
    for where, auth in every:
        if auth.start is not None and auth.end is not None and auth.end < auth.start:
            problems.append(f"{where}.end: expected a date on or after the authorization's start")
        if auth.number.upper() in numbers:
            problems.append(f"{where}.number: expected each authorization once (this number is "
                            "given before)")
        numbers.add(auth.number.upper())
    return problems


def _plan_problems(plan) -> list[str]:
    problems = []
    where = "episode.plan"
    if plan.end is not None and plan.duration_weeks is not None:
        problems.append(f"{where}.duration_weeks: expected end or duration_weeks, not both")
    if plan.end is not None and plan.end < plan.start:
        problems.append(f"{where}.end: expected a date on or after the plan's start")
    if plan.duration_weeks is not None and not 1 <= plan.duration_weeks <= MAX_PLAN_WEEKS:
        problems.append(f"{where}.duration_weeks: expected a number of weeks from 1 to "
                        f"{MAX_PLAN_WEEKS}")
    if plan.visits_per_week is not None and not 1 <= plan.visits_per_week <= MAX_VISITS_PER_WEEK:
        problems.append(f"{where}.visits_per_week: expected a number of visits from 1 to "
                        f"{MAX_VISITS_PER_WEEK}")
    if plan.reevaluation_date is not None and plan.reevaluation_date < plan.start:
        problems.append(f"{where}.reevaluation_date: expected a date on or after the plan's start")
    if plan.discharge_criteria is not None and len(plan.discharge_criteria) > MAX_CRITERIA_TEXT:
        problems.append(f"{where}.discharge_criteria: expected at most {MAX_CRITERIA_TEXT} "
                        "characters")
    for i, goal in enumerate(plan.goals):
        at = field_path(where, "goals", i)
        if not goal.description.strip() or len(goal.description) > MAX_GOAL_TEXT:
            problems.append(f"{at}.description: expected the functional activity in 1 to "
                            f"{MAX_GOAL_TEXT} characters")
        problems += _measure_problems(at, goal.measure, [("baseline", goal.baseline),
                                                         ("target", goal.target)])
    return problems


def _service_problems(where: str, service) -> list[str]:
    problems = []
    if service.minutes is not None and not 0 <= service.minutes <= MAX_MINUTES:
        problems.append(f"{where}.minutes: expected a number of minutes from 0 to {MAX_MINUTES}")
    if service.units is not None and not 1 <= service.units <= MAX_UNITS:
        problems.append(f"{where}.units: expected a number of units from 1 to {MAX_UNITS}")
    if not service.diagnoses:
        problems.append(f"{where}.diagnoses: expected at least one diagnosis pointer")
    return problems


def _with_fee_file(case: Case, base_dir: Path) -> Case:
    path = os.path.join(base_dir, case.fees.file)
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        st = None  # _read names the problem
    key = None if st is None else (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size) \
        if st.st_ino else (os.path.abspath(path), st.st_mtime_ns, st.st_size)
    entries = _FEE_FILES.get(key) if key is not None else None
    if entries is None:
        text = _read(Path(path), "fees.file", case.fees.file)
        try:
            entries = tuple(parse_fee_rows(text, os.path.basename(path)))
        except (ValueError, csv.Error) as exc:
            raise case_error([f"fees.file: {line}" for line in str(exc).splitlines()]) from None
        if key is not None:
            if len(_FEE_FILES) >= _FEE_FILES_KEPT:
                _FEE_FILES.pop(next(iter(_FEE_FILES)))
            _FEE_FILES[key] = entries
    return _with(case, "fees", _with(case.fees, "entries", entries))


#: Parsed fee files by the file (device and inode, or its absolute path where the file
#: system has no inode numbers), modification time in ns and size: a batch of a practice's
#: cases reads its schedule once; a changed file is read again.
_FEE_FILES: dict[tuple, tuple] = {}
_FEE_FILES_KEPT = 64


def _with(obj: Any, name: str, value: Any) -> Any:
    """``attrs.evolve(obj, name=value)``, quicker: every other field read at once (in C) and
    passed in order."""
    cls = type(obj)
    how = _EVOLVE.get(cls)
    if how is None:
        fields = attrs.fields(cls)
        if any(f.kw_only or not f.init for f in fields):
            return attrs.evolve(obj, **{name: value})
        how = _EVOLVE[cls] = (operator.attrgetter(*(f.name for f in fields)),
                              {f.name: i for i, f in enumerate(fields)})
    values = list(how[0](obj))
    values[how[1][name]] = value
    return cls(*values)


_EVOLVE: dict[type, tuple] = {}


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
        raise case_error([f"{where}: no such file {name}"]) from None
    except FileTooLarge:
        raise case_error([f"{where}: {name} is larger than {MAX_FILE_BYTES // 1024} KiB "
                           f"(1 MiB), the limit for a case file"]) from None
    except OSError as exc:
        raise case_error([f"{where}: cannot read {name} ({exc.strerror or type(exc).__name__})"]
                          ) from None
    except ValueError:  # a NUL in the path
        raise case_error([f"{where}: cannot read {name} (not a valid path)"]) from None
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark some editors write is not the case's
    except UnicodeDecodeError as exc:
        raise case_error([f"{where}: cannot read {name} (not UTF-8 text: byte {exc.start + 1} "
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
    pure-Python) parser runs, and its data measured after (dotted keys nest tables without
    a bracket). JSON goes straight to the C parser, which refuses
    runaway nesting itself, with every integer's length checked as it is read, every
    object's keys checked to be different (a key given twice is refused naming its
    path, as TOML refuses it), and the depth of the result checked after; only a JSON
    text that fails is scanned, to name the line (the answer is the same, and a batch
    of JSON Lines does not pay the scan).
    """
    is_json = name.endswith(".json")
    kind = "JSON" if is_json else "TOML"
    if len(text) > MAX_FILE_BYTES:
        raise case_error([f"case: larger than {MAX_FILE_BYTES // 1024} KiB (1 MiB), the limit "
                           "for a case file"])
    if is_json:
        try:
            data = json.loads(text, parse_int=_json_int, object_pairs_hook=_unique_keys)
        except _KeyTwice:
            raise case_error(_keys_twice(text)) from None
        except (_LongNumber, RecursionError):
            data = None
        except json.JSONDecodeError as exc:
            problem = _scan(text, kind)  # a number too long, or nesting, found before the error
            raise case_error([problem or f"case: not valid JSON ({exc.msg} at line "
                               f"{exc.lineno})"]) from None
        if data is not None and _within_depth(data):
            return data
    problem = _scan(text, kind)
    if problem:
        raise case_error([problem])
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys) if is_json else tomllib.loads(text)
    except _KeyTwice:
        raise case_error(_keys_twice(text)) from None
    except json.JSONDecodeError as exc:
        raise case_error([f"case: not valid JSON ({exc.msg} at line {exc.lineno})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise case_error([f"case: not valid TOML ({exc})"]) from None
    except RecursionError:
        raise case_error([f"case: not valid {kind} (nested too deeply: tables and lists "
                           f"nest at most {MAX_DEPTH} levels)"]) from None
    except ValueError:  # an integer beyond Python's digit limit
        raise case_error([f"case: not valid {kind} (a number with too many digits; integers "
                           "have at most 9)"]) from None
    if not _within_depth(data):  # TOML's dotted keys nest tables without a bracket
        raise _depth_error(_too_deep(data))
    return data


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
            problems += [f"{path}.{shown_key(k)}" if path else shown_key(k) for k in node.twice]
            items = [(v, f"{path}.{shown_key(k)}" if path else shown_key(k)) for k, v in node.items()]
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
    """The case as plain data of the case-file shape (dates and amounts as strings).

    The treatment-plan fields are left out where they hold their defaults (no other
    authorization, no measure, an attended visit), so a case without them is written as it
    was before they existed (and an older payerkit reads it)."""
    data = CONVERTER.unstructure(case)
    if data.get("fees"):
        data["fees"].pop("entries", None)
    episode = data.get("episode")
    if isinstance(episode, dict) and not episode.get("authorizations"):
        episode.pop("authorizations", None)
    for visit in data.get("visits") or ():
        if not visit.get("measures"):
            visit.pop("measures", None)
        if visit.get("attendance") == "attended":
            visit.pop("attendance", None)
    return _drop_none(data)


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value

"""The straight reader (payerkit.reading) and the converter read every input the same way.

A case is read in one pass when it is plainly right, and through the converter otherwise,
which names every problem. Whatever the input, the answer must be the one the converter
alone gives: the same ``Case`` (equal), or the same problem lines. These tests compare the
two ways on the examples, on mutated cases (wrong types, missing and unknown keys, odd
unicode, huge numbers, deep nesting), on JSON written in other ways (spaces, escapes, keys
given twice) and on the limits' edges, and check that the plain cases do take the straight
way.
"""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path

import pytest
from case_samples import BASE_CASE
from fuzzing import HOSTILE, OPS, VALUES, base_cases, mutate, to_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit import io, reading
from payerkit.converter import MAX_DEPTH, MAX_INT
from payerkit.errors import CaseError
from payerkit.io import case_from_text, structure_case, unstructure_case
from payerkit.model import Case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
BASES = base_cases()
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fees_dir(tmp_path_factory):
    """A folder with the examples' fee files, for cases that name one."""
    folder = tmp_path_factory.mktemp("fees")
    for fees in (ROOT / "examples").glob("*.csv"):
        (folder / fees.name).write_bytes(fees.read_bytes())
    return folder


def outcome(read) -> tuple:
    """``("case", case)`` or ``("problems", lines)``: what a way of reading answered."""
    try:
        return "case", read()
    except CaseError as exc:
        return "problems", tuple(exc.problems)


def detailed(text: str, name: str, base_dir: Path | None = None) -> Case:
    """The text read through the converter alone (what ``case_from_text`` did before)."""
    data = io.parse_text(text, name)
    return io._checked(io._structure(data, depth_checked=True), base_dir)


def same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    return a == b or repr(a) == repr(b)  # a NaN in the facts is equal only to itself


def assert_read_alike(text: str, name: str, base_dir: Path | None = None) -> tuple:
    ours = outcome(lambda: case_from_text(text, name, base_dir))
    theirs = outcome(lambda: detailed(text, name, base_dir))
    assert same(ours, theirs), (ours, theirs)
    return ours


def straight(text: str, name: str = "case.json") -> Case | None:
    """The case as the straight reader reads the text, or ``None`` where it gives up."""
    return io._read_plainly(text, name)


# -- The plain cases take the straight way, to the same case -----------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_read_straight_to_the_converters_case(path):
    text = path.read_text(encoding="utf-8")
    case = straight(text, path.name)
    assert case is not None
    assert case == io._structure(io.parse_text(text, path.name), depth_checked=True)
    as_json = json.dumps(unstructure_case(io.load_case(path)))
    assert straight(as_json) is not None
    assert outcome(lambda: case_from_text(text, path.name, path.parent)) == \
        outcome(lambda: detailed(text, path.name, path.parent))


@pytest.mark.parametrize("options", [
    {}, {"indent": 2}, {"separators": (",", ":")}, {"ensure_ascii": False},
    {"separators": (" ,", " : ")}, {"indent": "\t", "separators": (",", " :\n")},
], ids=["default", "indented", "compact", "unicode", "spaced", "odd"])
def test_json_written_any_valid_way_is_read_straight(options):
    data = unstructure_case(io.load_case(ROOT / "examples" / "premera-covered.toml"))
    text = json.dumps(data, **options)
    assert straight(text) == straight(json.dumps(data))
    assert_read_alike(text, "case.json", ROOT / "examples")


def test_a_reader_is_written_for_every_class_of_the_case_and_of_the_programs_facts():
    from payerkit import PayerKit

    assert reading.reader(Case) is not None
    facts = [e.program.facts for e in PayerKit().programs() if e.program.facts is not None]
    assert facts, "no installed program declares facts: nothing checked"
    for facts_type in facts:
        assert reading.reader(facts_type) is not None, facts_type


# -- Mutated cases: the same case, or the same problems ----------------------------------------

STEP = st.tuples(st.integers(0, 10**6), st.integers(0, len(OPS) - 1),
                 st.integers(0, len(VALUES) - 1))


@FUZZ
@given(base=st.integers(0, len(BASES) - 1), plan=st.lists(STEP, max_size=4))
def test_a_mutated_case_is_read_alike(fees_dir, base, plan):
    data = mutate(BASES[base], plan)
    assert_read_alike(to_json(data), "case.json", fees_dir)
    ours = outcome(lambda: structure_case(copy.deepcopy(data), fees_dir))
    theirs = outcome(lambda: io._checked(io._structure(copy.deepcopy(data)), fees_dir))
    assert same(ours, theirs), (ours, theirs)


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_every_hostile_file_is_read_alike(path, fees_dir):
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    assert_read_alike(text, path.name, fees_dir)


JSON_TEXT = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=12)


@FUZZ
@given(where=st.sampled_from(["facts", "provider", "episode", "visits", "claim", "coverage",
                              "provider.cash_rates", "facts.premera-wa", "patient.address"]),
       value=JSON_TEXT)
def test_any_value_anywhere_is_read_alike(where, value):
    data = json.loads(json.dumps(BASE_CASE, default=str))
    node, *path = where.split(".")
    parent, key = data, node
    for step in path:
        parent = parent.setdefault(key, {})
        key = step
    parent[key] = value
    assert_read_alike(json.dumps(data), "case.json")


def _facts_types() -> list[type]:
    from payerkit import PayerKit

    return [e.program.facts for e in PayerKit().programs() if e.program.facts is not None]


FACTS_TYPES = _facts_types()
FACT_VALUES = st.sampled_from(VALUES) | JSON_TEXT | st.sampled_from(
    ["named_insured", "insured", "regence", "cms_8_minute", "2026-03-02", 30, True])


@FUZZ
@given(facts_type=st.sampled_from(FACTS_TYPES), data=st.data())
def test_a_programs_facts_are_read_alike(facts_type, data):
    import attrs

    from payerkit.converter import structure

    names = [f.name for f in attrs.fields(facts_type)] + ["unknown"]
    table = data.draw(st.dictionaries(st.sampled_from(names), FACT_VALUES, max_size=4))
    ours = outcome(lambda: io.structure_facts(copy.deepcopy(table), facts_type, "facts.p"))

    def converter_alone():
        deep = io._too_deep(table)
        if deep is not None:
            raise io._depth_error(f"facts.p.{deep}" if deep else "facts.p")
        return structure(copy.deepcopy(table), facts_type, "facts.p")

    assert same(ours, outcome(converter_alone))


# -- JSON the straight reader must not take as it is ----------------------------------------------

def _first_value(data, key: str):
    """The value of the first ``key`` in ``data``, in the order JSON writes it."""
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for k, value in items:
        if k == key:
            return value
        found = _first_value(value, key)
        if found is not None:
            return found
    return None


def _with_key_twice(data: dict, key: str) -> str:
    """``data`` as JSON text with its first ``key`` written twice (the first value twice)."""
    text = json.dumps(data)
    value = json.dumps(_first_value(data, key))
    return text.replace(f'"{key}": ', f'"{key}": {value}, "{key}": ', 1)


@pytest.mark.parametrize("key", ["program", "line1", "97124", "code", "minutes",
                                 "injured_person", "usage", "diagnoses", "as_of"])
def test_a_key_given_twice_is_never_read_straight(key):
    data = unstructure_case(io.load_case(ROOT / "examples" / "ny-covered.toml"))
    text = _with_key_twice(data, key)
    assert straight(text) is None
    with pytest.raises(CaseError, match="given more than once"):
        case_from_text(text, "case.json", ROOT / "examples")


def test_colons_in_strings_and_spaces_before_colons_still_find_a_key_twice():
    data = json.loads(json.dumps(BASE_CASE, default=str))
    data["claim"] = {"claim_id": "A:B:C", "late_justification": "at 10:30, late"}
    text = json.dumps(data, separators=(", ", " : "))
    assert straight(text) is not None
    twice = text.replace('"claim_id" : ', '"claim_id" : "x", "claim_id" : ', 1)
    assert straight(twice) is None
    assert_read_alike(twice, "case.json")


@pytest.mark.parametrize("text", ["line\\nbreak", "tab\\there", "nul\\u0000", "del\x7f",
                                  "sep\\u2028", "esc\\u001b[2J", "quote\\\"s", "sl\\/ash",
                                  "caf\\u00e9", "caf\u00e9", "\\ud800"])
def test_escapes_and_control_characters_in_strings_are_read_alike(text):
    data = json.loads(json.dumps(BASE_CASE, default=str))
    line = json.dumps(data).replace('"line1": "', f'"line1": "{text}', 1)
    assert_read_alike(line, "case.json")


# -- The limits' edges ---------------------------------------------------------------------------

def _nested(levels: int) -> dict:
    table: dict = {"leaf": 1}
    for _ in range(levels - 1):
        table = {"x": table}
    return table


@pytest.mark.parametrize("levels", [MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH + 5])
@pytest.mark.parametrize("decoy", ["", "]]]]]]]]]]]]"], ids=["plain", "brackets-in-a-string"])
def test_facts_nested_near_the_limit_are_read_alike(levels, decoy):
    """The case is level 1, facts 2, the program's table 3: facts of ``levels`` levels reach
    ``levels + 2``. Closing brackets in a string no longer hide the depth of the data."""
    data = json.loads(json.dumps(BASE_CASE, default=str))
    data["facts"] = {data["program"]: _nested(levels)}
    data["claim"] = {"claim_id": decoy or "x"}
    text = json.dumps(data)
    kind, answer = assert_read_alike(text, "case.json")
    assert (kind == "case") == (levels + 2 <= MAX_DEPTH), answer


def test_toml_dotted_keys_nested_beyond_the_limit_are_refused():
    text = (ROOT / "examples" / "premera-covered.toml").read_text()
    text += "\n[facts.premera-wa." + ".".join(["x"] * MAX_DEPTH) + "]\nleaf = 1\n"
    kind, answer = assert_read_alike(text, "case.toml", ROOT / "examples")
    assert kind == "problems"
    assert answer[0].endswith(f"expected tables and lists nested at most {MAX_DEPTH} levels deep")


@pytest.mark.parametrize("number", [str(MAX_INT), str(MAX_INT + 1), str(-MAX_INT - 1),
                                    "1" + "0" * 99, "-1" + "0" * 99, "1" + "0" * 100, "9" * 5000,
                                    "1.5", "1e400", "-0.0", "Infinity", "NaN", "true"],
                         ids=lambda n: n if len(n) < 12 else f"{len(n)}-digits")
@pytest.mark.parametrize("where", ["facts", "minutes", "visits_used_elsewhere"])
def test_numbers_near_and_over_the_limits_are_read_alike(number, where):
    data = json.loads(json.dumps(BASE_CASE, default=str))
    if where == "facts":
        data["facts"] = {data["program"]: {"n": ["NUMBER"]}}
    elif where == "minutes":
        data["visits"][0]["services"][0]["minutes"] = "NUMBER"
    else:
        data["coverage"]["visits_used_elsewhere"] = "NUMBER"
    assert_read_alike(json.dumps(data).replace('"NUMBER"', number), "case.json")


def test_remembered_dates_and_amounts_are_read_alike_every_time():
    data = json.loads(json.dumps(BASE_CASE, default=str))
    data["provider"]["cash_rates"] = {"97124": "30.00", "97140": "30"}
    for _ in range(3):  # the second time from memory: the same answer
        assert_read_alike(json.dumps(data), "case.json")
    data["provider"]["cash_rates"] = {"97124": "30.00"}
    data["as_of"] = "2026-13-01"
    for _ in range(3):
        assert_read_alike(json.dumps(data), "case.json")


def test_toml_is_read_straight_and_alike():
    for path in EXAMPLES:
        text = path.read_text()
        assert straight(text, path.name) is not None
        data = tomllib.loads(text)
        data["episode"]["onset_date"] = "2026-02-30"
        assert reading.read_case(data) is None


@pytest.mark.parametrize("line", ["1" * 150 + " = 1", "n = 1." + "0" * 150,
                                  "n = " + "[" * 20 + "1" + "]" * 20, 'n = "' + "1" * 150 + '"'],
                         ids=["long-bare-key", "long-float", "nested-arrays", "long-string"])
def test_toml_numbers_and_nesting_the_scan_refuses_are_read_alike(line):
    """TOML is scanned before it is parsed, on both ways: a number written longer than
    100 characters, even as a key, or as a float the data no longer shows, is refused."""
    text = (ROOT / "examples" / "premera-covered.toml").read_text()
    text += f"\n[facts.premera-wa]\n{line}\n"
    assert_read_alike(text, "case.toml", ROOT / "examples")

"""A JSON case that gives a key twice is refused naming where, as TOML refuses it."""

from __future__ import annotations

import copy
import json

import pytest
from case_samples import BASE_CASE
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit.errors import CaseError
from payerkit.io import case_from_text, parse_text

DATA = json.loads(json.dumps(BASE_CASE, default=str))


def tables(data, path=""):
    """The path of every table (JSON object) of ``data`` with at least one key."""
    found = [path] if isinstance(data, dict) and data else []
    items = data.items() if isinstance(data, dict) else \
        enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found += tables(value, f"{path}[{key}]" if isinstance(key, int) else
                        f"{path}.{key}" if path else key)
    return found


def with_key_twice(data, target: str, path: str = "") -> str:
    """``data`` as JSON text, the first key of the table at ``target`` written twice."""
    if isinstance(data, dict):
        pairs = [(k, with_key_twice(v, target, f"{path}.{k}" if path else k))
                 for k, v in data.items()]
        if path == target:
            pairs.insert(1, pairs[0])
        return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(with_key_twice(v, target, f"{path}[{i}]")
                               for i, v in enumerate(data)) + "]"
    return json.dumps(data)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(tables(DATA)))
def test_a_key_given_twice_anywhere_is_refused_naming_it(target):
    text = with_key_twice(DATA, target)
    assert json.loads(text) == DATA  # the same data to a lenient reader: the last one wins
    table = DATA
    for step in _steps(target) if target else ():
        table = table[int(step[1:-1])] if step.startswith("[") else table[step]
    first = next(iter(table))
    with pytest.raises(CaseError) as caught:
        case_from_text(text, "case.json")
    where = f"{target}.{first}" if target else first
    assert caught.value.problems == [f"{where}: given more than once (a key may appear once "
                                     "in a table, as in TOML)"]


def _steps(path: str) -> list[str]:
    """``visits[0].services`` → ``['visits', '[0]', 'services']``."""
    steps = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        steps += [name] + [f"[{i}]" for i in rest.rstrip("]").split("][") if rest]
    return steps


def test_every_key_given_twice_is_named_once():
    text = ('{"program": "a", "program": "b", "patient": {"sex": "F", "sex": "F", '
            '"sex": "M"}, "visits": [{"date": "2026-03-02", "date": "2026-03-03"}]}')
    with pytest.raises(CaseError) as caught:
        parse_text(text, "case.json")
    assert caught.value.problems == [
        f"{where}: given more than once (a key may appear once in a table, as in TOML)"
        for where in ("program", "patient.sex", "visits[0].date")]


def test_toml_refuses_it_too():
    with pytest.raises(CaseError, match="not valid TOML"):
        parse_text('program = "a"\nprogram = "b"\n', "case.toml")


def test_a_case_with_every_key_once_still_loads():
    data = copy.deepcopy(DATA)
    assert case_from_text(json.dumps(data), "case.json").program == data["program"]


@pytest.mark.parametrize("rest", ['"b": ' + "9" * 5000,
                                  '"b": ' + "[" * 100_000 + "]" * 100_000])
def test_a_key_twice_before_a_number_or_nesting_too_big_is_still_a_case_error(rest):
    with pytest.raises(CaseError) as caught:
        parse_text('{"a": {"x": 1, "x": 1}, ' + rest + "}", "case.json")
    assert len(caught.value.problems) == 1

"""The case is frozen all the way down: a plugin that tries to change what it reads fails, is
named, and nothing is answered or written."""

from __future__ import annotations

import copy
import json
import pickle

import attrs
import pytest
from case_samples import make_case
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit.errors import PluginError
from payerkit.hookspecs import hookimpl
from payerkit.io import structure_case, unstructure_case
from payerkit.model.frozendict import FrozenDict
from payerkit.reading import read

FACTS = {"example-adapter": {"note": "x", "table": {"deep": [1, {"deeper": "y"}]}}}


def paths(obj, path="case"):
    """Every (path, owner, field) of the attrs objects under ``obj``."""
    found = []
    if attrs.has(type(obj)):
        for a in attrs.fields(type(obj)):
            found.append((f"{path}.{a.name}", obj, a.name))
            found += paths(getattr(obj, a.name), f"{path}.{a.name}")
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            found += paths(item, f"{path}[{i}]")
    return found


CASE_PATHS = [p for p, _, _ in paths(make_case())]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CASE_PATHS))
def test_no_field_of_the_case_can_be_set(path):
    case = make_case()
    [(_, owner, name)] = [p for p in paths(case) if p[0] == path]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(owner, name, "changed")


def tables(case):
    """Every table of a case (the facts' nested ones too), by path."""
    found = {"provider.cash_rates": case.provider.cash_rates, "fees.rates": case.fees.rates,
             "facts": case.facts}
    stack = [("facts", case.facts)]
    while stack:
        path, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(value, dict):
                found[f"{path}.{key}"] = value
            if isinstance(value, dict | list | tuple):
                stack.append((f"{path}.{key}", value))
    return found


CHANGES = {
    "item set": lambda t: t.__setitem__("K", 1),
    "item removed": lambda t: t.__delitem__(next(iter(t))),
    "update": lambda t: t.update({"K": 1}),
    "setdefault": lambda t: t.setdefault("K", 1),
    "pop": lambda t: t.pop(next(iter(t))),
    "popitem": lambda t: t.popitem(),
    "clear": lambda t: t.clear(),
    "|=": lambda t: t.__ior__({"K": 1}),
}


def frozen_case():
    return make_case(facts=FACTS, fees={"source": "the practice", "rates": {"97124": "20.00"}})


@pytest.mark.parametrize("change", CHANGES)
def test_no_table_of_the_case_takes_a_change(change):
    case = frozen_case()
    found = tables(case)
    assert set(found) >= {"provider.cash_rates", "fees.rates", "facts", "facts.example-adapter",
                          "facts.example-adapter.table", "facts.example-adapter.table.deep.1"}
    for table in found.values():
        assert type(table) is FrozenDict
        before = dict(table)
        with pytest.raises(TypeError, match="read-only"):
            CHANGES[change](table)
        assert table == before
    assert case.facts["example-adapter"]["table"]["deep"] == (1, {"deeper": "y"})


def test_a_frozen_table_reads_writes_pickles_and_copies_as_a_dict():
    case = frozen_case()
    assert unstructure_case(case)["facts"] == FACTS  # the case-file shape, as given
    assert json.loads(json.dumps(unstructure_case(case))) == json.loads(json.dumps(
        unstructure_case(structure_case(unstructure_case(case)))))
    for again in (pickle.loads(pickle.dumps(case)), copy.deepcopy(case), copy.copy(case)):
        assert again == case
        assert type(again.facts["example-adapter"]["table"]) is FrozenDict
    assert isinstance(case.facts, dict)
    assert case.facts["example-adapter"]["table"] == {"deep": (1, {"deeper": "y"})}
    assert type(dict(case.provider.cash_rates)) is dict


def test_a_programs_facts_are_read_from_the_frozen_case_in_one_pass():
    @attrs.frozen
    class Deep:
        deeper: str

    @attrs.frozen
    class Facts:
        note: str
        table: dict

    case = frozen_case()
    assert read(dict(case.facts["example-adapter"]), Facts) is not None
    assert read(FrozenDict({"deeper": "y"}), Deep)[0] == Deep("y")


class Changes:
    """Tries to change the case it reads, from one hook."""

    def __init__(self, change, hook):
        def answer(case):
            change(case)

        setattr(self, hook, hookimpl(specname=hook)(answer))


ATTEMPTS = {
    "a field": lambda case: setattr(case.coverage, "member_id", "CHANGED9"),
    "a service": lambda case: setattr(case.visits[-1].services[0], "minutes", 59),
    "the facts": lambda case: case.facts.update({"test-plan": {}}),
    "the rates": lambda case: case.provider.cash_rates.__setitem__("97124", 0),
}


@pytest.mark.parametrize("hook", ["payerkit_outcomes", "payerkit_units", "payerkit_scrub",
                                  "payerkit_visit_limits", "payerkit_format_claim"])
@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_plugin_changing_the_case_is_its_error_and_no_claim(attempt, hook, kit):
    kit.register(Changes(ATTEMPTS[attempt], hook), name="changes")
    case = make_case()
    before = unstructure_case(case)
    with pytest.raises(PluginError) as caught:
        kit.evaluate(case).write(None)
    message = str(caught.value)
    assert "'changes' (local)" in message and hook in message
    assert "CHANGED9" not in message
    assert unstructure_case(case) == before

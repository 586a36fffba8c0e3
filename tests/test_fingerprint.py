"""A plugin that changes the frozen case it reads is caught: the fingerprint, and the kit's guard."""

from __future__ import annotations

import attrs
import pytest
from case_samples import make_case
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit import PayerKit
from payerkit.errors import PluginError
from payerkit.fingerprint import fingerprint, first_change
from payerkit.hookspecs import hookimpl


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


class Changed:
    """A sentinel no field ever holds."""


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CASE_PATHS))
def test_setting_any_field_changes_the_fingerprint_and_is_named(path):
    case = make_case()
    before = fingerprint(case)
    assert fingerprint(case) == before
    [(_, owner, name)] = [p for p in paths(case) if p[0] == path]
    object.__setattr__(owner, name, Changed())
    assert fingerprint(case) != before
    assert first_change(case, before, "case") == path


def test_an_item_put_in_a_dict_of_the_case_changes_the_fingerprint():
    case = make_case()
    before = fingerprint(case)
    case.provider.cash_rates["97999"] = case.provider.cash_rates["97124"]
    assert fingerprint(case) != before
    assert first_change(case, before, "case").startswith("case.provider.cash_rates")


def mutations():
    return {
        "a field": lambda case: object.__setattr__(case.coverage, "member_id", "CHANGED9"),
        "a service": lambda case: object.__setattr__(case.visits[-1].services[0], "minutes", 59),
        "a dict": lambda case: case.facts.update({"test-plan": {}}),
    }


class Mutates:
    """Changes the case it reads, from one hook."""

    def __init__(self, change, hook):
        def answer(case):
            change(case)

        setattr(self, hook, hookimpl(specname=hook)(answer))


@pytest.mark.parametrize("hook", ["payerkit_outcomes", "payerkit_units", "payerkit_scrub",
                                  "payerkit_format_claim"])
@pytest.mark.parametrize("change", mutations())
def test_a_plugin_changing_the_case_is_a_plugin_error_and_no_claim(change, hook, kit):
    kit.register(Mutates(mutations()[change], hook), name="mutates")
    with pytest.raises(PluginError) as caught:
        kit.claim(make_case(), "x12-837p")
    message = str(caught.value)
    assert "changed case." in message and "'mutates' (local)" in message
    assert "CHANGED9" not in message


def test_an_evaluation_whose_case_a_plugin_changed_is_refused(kit):
    kit.register(Mutates(mutations()["a field"], "payerkit_outcomes"), name="mutates")
    with pytest.raises(PluginError, match="changed case.coverage.member_id"):
        kit.evaluate(make_case())


def test_the_questions_are_guarded_too(kit):
    kit.register(Mutates(mutations()["a field"], "payerkit_visit_limits"), name="mutates")
    with pytest.raises(PluginError, match="changed case.coverage.member_id"):
        kit.limits(make_case())


def test_an_unchanged_case_answers_as_before(payerkit_data_dir):
    from case_samples import SampleAdapter

    kit = PayerKit(entry_points=False, plugins=[SampleAdapter()])
    assert kit.claim(make_case(), "x12-837p").startswith(b"ISA*")


def test_a_refusal_on_a_changed_case_is_the_plugins_error(kit):
    def bad_npi(case):  # the scrub refuses it: its findings come from what the plugin did
        object.__setattr__(case.provider, "npi", "1234567890")

    kit.register(Mutates(bad_npi, "payerkit_outcomes"), name="mutates")
    with pytest.raises(PluginError, match=r"changed case\.provider\.npi"):
        kit.claim(make_case(), "x12-837p")

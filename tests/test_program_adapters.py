"""Programs that carry their rules: a plugin with several programs gives each its own adapter.

``Program.adapter`` is the object whose ``@hookimpl`` hooks answer that program's questions;
the kit's route asks it in the plugin's place, so no hook branches on the program.
"""

import re
import warnings
from pathlib import Path

import attrs
import pytest
from case_samples import TEST_CITATION, make_case

from payerkit import PayerKit
from payerkit.errors import PluginError
from payerkit.hookspecs import hookimpl
from payerkit.manager import PluginLoadWarning
from payerkit.model import Citation, Program, note
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.units import CMS_8_MINUTE, CPT_MIDPOINT
from payerkit.testing.conformance import AdapterSuite


class PlanRules:
    """One program's rules: its own outcome code, rate and unit rule (no program checks)."""

    def __init__(self, code, rate, units):
        self.code, self.rate, self.units, self.asked = code, rate, units, []

    @hookimpl
    def payerkit_outcomes(self, program):
        self.asked.append(program.id)
        return [note(self.code, f"{self.code} rule", TEST_CITATION)]

    @hookimpl
    def payerkit_units(self):
        return self.units

    @hookimpl
    def payerkit_fee_schedule(self):
        return FeeSchedule.from_rates({"97124": self.rate, "97140": self.rate}, TEST_CITATION)


def program(pid, adapter=None):
    return Program(id=pid, name=pid.title(), line_of_business="commercial", states=("WA",),
                   sources=(TEST_CITATION,), adapter=adapter)


class TwoPlans:
    """A payer with two programs, each carrying its adapter, and a third with none (the plugin's
    own hooks answer it, as in contract 2 before adapters)."""

    def __init__(self, gold=None, silver=None):
        self.gold = gold or PlanRules("GOLD-RULE", "30.00", CPT_MIDPOINT)
        self.silver = silver or PlanRules("SILVER-RULE", "20.00", CMS_8_MINUTE)
        self.asked = []

    @hookimpl
    def payerkit_programs(self):
        return [program("gold-plan", self.gold), program("silver-plan", self.silver),
                program("bronze-plan")]

    @hookimpl
    def payerkit_outcomes(self, program):
        self.asked.append(program.id)
        return [note("PLUGIN-RULE", "the plugin's own rule", TEST_CITATION)]


def codes(result):
    return {r.code for r in result.reasons + result.requirements}


@pytest.fixture
def payer():
    return TwoPlans()


@pytest.fixture
def kit(payer, payerkit_data_dir):
    return PayerKit(entry_points=False, plugins=[payer], strict=True)


def test_each_program_is_answered_by_its_own_adapter_only(kit, payer):
    gold, silver = make_case(program="gold-plan"), make_case(program="silver-plan")
    assert "GOLD-RULE" in codes(kit.check(gold))
    assert not codes(kit.check(gold)) & {"SILVER-RULE", "PLUGIN-RULE"}
    assert "SILVER-RULE" in codes(kit.check(silver))
    assert not codes(kit.check(silver)) & {"GOLD-RULE", "PLUGIN-RULE"}
    assert set(payer.gold.asked) == {"gold-plan"} and set(payer.silver.asked) == {"silver-plan"}
    assert payer.asked == []
    # 97124 40 min + 97140 15 min: per code 3 + 1 units, by the total 55 min 4 units (3 + 1)
    assert [str(ln.allowed) for ln in kit.price(gold).lines] == ["90.00", "30.00"]
    assert [str(ln.allowed) for ln in kit.price(silver).lines] == ["60.00", "20.00"]
    assert kit.price(gold).reasons[0].message.endswith(CPT_MIDPOINT.name)
    assert kit.price(silver).reasons[0].message.endswith(CMS_8_MINUTE.name)


def test_a_program_without_an_adapter_is_answered_by_its_plugin(kit, payer):
    assert codes(kit.check(make_case(program="bronze-plan"))) >= {"PLUGIN-RULE"}
    assert payer.asked and set(payer.asked) == {"bronze-plan"}
    assert payer.gold.asked == payer.silver.asked == []


def test_local_plugins_still_override_and_wrap_the_adapters_answers(kit):
    class Rates:
        @hookimpl
        def payerkit_fee_schedule(self):
            return FeeSchedule.from_rates({"97124": "1.00", "97140": "1.00"},
                                          Citation("Invented contract", confidence="practice"))

    class Stricter:
        @hookimpl(wrapper=True)
        def payerkit_outcomes(self):
            results = yield
            return [[attrs.evolve(o, effect="requirement") for o in found or ()]
                    for found in results]

    kit.register(Rates())
    kit.register(Stricter())
    case = make_case(program="gold-plan")
    assert [str(ln.allowed) for ln in kit.price(case).lines] == ["3.00", "1.00"]
    result = kit.check(case)
    assert result.status == "action_required"
    assert "GOLD-RULE" in {r.code for r in result.requirements}


def test_one_adapter_object_may_serve_two_programs(payerkit_data_dir):
    shared = PlanRules("SHARED-RULE", "10.00", CMS_8_MINUTE)
    kit = PayerKit(entry_points=False, plugins=[TwoPlans(shared, shared)], strict=True)
    for pid in ("gold-plan", "silver-plan"):
        assert "SHARED-RULE" in codes(kit.check(make_case(program=pid)))
    assert set(shared.asked) == {"gold-plan", "silver-plan"}


def test_the_plugins_listing_shows_its_adapters_hooks(kit):
    [entry] = [p for p in kit.plugins() if p.info.name == "TwoPlans"]
    assert {"payerkit_programs", "payerkit_outcomes", "payerkit_units",
            "payerkit_fee_schedule"} <= set(entry.hooks)
    assert set(entry.programs) == {"gold-plan", "silver-plan", "bronze-plan"}


# -- broken adapters: checked at registration like a plugin's hooks ----------------------------

class Typo:
    @hookimpl
    def payerkit_outcomse(self, program):  # misspelt on purpose
        return []


class RemovedHook:
    @hookimpl
    def payerkit_eligibility(self, program):
        return None


class WrongArgument:
    @hookimpl
    def payerkit_outcomes(self, patient):
        return []


class Registers:
    @hookimpl
    def payerkit_outcomes(self):
        return []

    @hookimpl
    def payerkit_rule_sets(self):
        return []


class Unmarked:
    def payerkit_outcomes(self, program):  # no @hookimpl: pluggy would never call it
        return []


class NoDir:
    def __dir__(self):
        raise RuntimeError("broken adapter")


BROKEN = {
    "typo": (Typo(), "unknown hook.*payerkit_outcomse"),
    "removed": (RemovedHook(), "payerkit_eligibility.*replaced by payerkit_outcomes"),
    "argument": (WrongArgument(), "payerkit_outcomes.*patient"),
    "registration": (Registers(), "payerkit_rule_sets.*read from the plugin"),
    "unmarked": (Unmarked(), "payerkit_outcomes.*not marked @hookimpl"),
    "class": (PlanRules, "the class PlanRules, not an object"),
    "dir": (NoDir(), "RuntimeError"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_adapter_drops_its_program_only_naming_plugin_and_program(name,
                                                                          payerkit_data_dir):
    adapter, problem = BROKEN[name]
    with pytest.warns(PluginLoadWarning) as caught:
        kit = PayerKit(entry_points=False, plugins=[TwoPlans(gold=adapter)], strict=False)
    [message] = [str(w.message) for w in caught]
    assert "'TwoPlans'" in message and "program 'gold-plan'" in message
    assert re.search(problem, message, re.S), message
    assert {e.program.id for e in kit.programs()} == {"silver-plan", "bronze-plan"}
    assert "SILVER-RULE" in codes(kit.check(make_case(program="silver-plan")))
    with pytest.raises(PluginError, match="'TwoPlans'.*program 'gold-plan'"):
        PayerKit(entry_points=False, plugins=[TwoPlans(gold=adapter)], strict=True)


def test_a_sound_set_of_adapters_raises_no_warning(payerkit_data_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PayerKit(entry_points=False, plugins=[TwoPlans()], strict=False)


class Raises(PlanRules):
    @hookimpl
    def payerkit_units(self):
        raise RuntimeError("a bug, with a patient's name in it")


class AnswersText(PlanRules):
    @hookimpl
    def payerkit_units(self):
        return "cms"


@pytest.mark.parametrize("adapter, expected", [
    (Raises("X", "1.00", CMS_8_MINUTE), "failed in payerkit_units: RuntimeError"),
    (AnswersText("X", "1.00", CMS_8_MINUTE), "answered payerkit_units with str, expected a UnitRule or None"),
])
def test_an_adapter_failing_at_call_time_is_named_with_its_program(adapter, expected,
                                                                  payerkit_data_dir):
    kit = PayerKit(entry_points=False, plugins=[TwoPlans(gold=adapter)], strict=True)
    with pytest.raises(PluginError) as exc:
        kit.price(make_case(program="gold-plan"))
    assert str(exc.value) == f"plugin 'TwoPlans' (not installed) for program 'gold-plan' {expected}"
    assert "patient" not in str(exc.value)
    assert kit.price(make_case(program="silver-plan")).lines


# -- the conformance suite runs on every program of the plugin ---------------------------------

TWO_PLANS_CASES = Path(__file__).resolve().parent / "data" / "two-plans"


class DeclaredTwoPlans(TwoPlans):
    """TwoPlans with the codes its rules give declared, as the suite wants."""

    CODES = frozenset({"GOLD-RULE", "SILVER-RULE", "PLUGIN-RULE"})


class TestTwoPlansConform(AdapterSuite):
    """The whole suite, on a plugin whose programs carry adapters: every program has a case."""

    plugin = DeclaredTwoPlans()
    cases = sorted(TWO_PLANS_CASES.glob("*.toml"))
    # a test double inside payerkit's own tests, which import its internals on purpose
    test_imports_only_the_public_api = None


def test_the_suite_wants_a_case_for_every_program():
    class OneCase(TestTwoPlansConform):
        cases = [TWO_PLANS_CASES / "gold-plan.toml"]

    OneCase().test_program_has_a_case("gold-plan")
    with pytest.raises(AssertionError, match="program bronze-plan: no case names it"):
        OneCase().test_program_has_a_case("bronze-plan")


def test_the_suite_checks_the_hooks_of_every_programs_adapter():
    class WithTypo(TestTwoPlansConform):
        plugin = DeclaredTwoPlans(silver=Typo())

    with pytest.raises(AssertionError, match="silver-plan.*payerkit_outcomse"):
        WithTypo().test_implements_only_known_hooks()

"""Rules that apply across programs: a plugin that owns no program governs every match."""

from __future__ import annotations

import copy

import attrs
import pytest
from case_samples import BASE_CASE, SampleAdapter

from payerkit import Citation, PayerKit, Program, RuleSet, hookimpl, not_covered, note, requirement
from payerkit.io import structure_case
from payerkit.model.program import FUNDINGS
from payerkit.rules.units import CMS_8_MINUTE, CPT_MIDPOINT

LAW = Citation("Invented Washington statute § 1 (test)", "2026", "high")
EXCLUDED = Citation("Invented plan booklet: massage therapists excluded (test)", "2026", "high")


def _adapter(program_id: str, state: str, line: str):
    class Adapter(SampleAdapter):
        program = Program(id=program_id, name=program_id, line_of_business=line,
                          states=(state,), payer_id="99999", sources=(LAW,))
    return Adapter()


class OverrideExclusion:
    """The law forbids excluding a provider category: it rewrites such an outcome."""

    @hookimpl
    def payerkit_rule_sets(self):
        return [RuleSet("test-every-category", "Invented every-category law", ("WA",),
                        ("commercial",), ("fully_insured",), (LAW,))]

    @hookimpl(wrapper=True)
    def payerkit_outcomes(self):
        results = yield
        return [[note("TEST-CATEGORY-LAW", "the law forbids excluding massage therapists "
                      "as a category", LAW) if o.code == "LMT-EXCLUDED" else o
                 for o in found or ()] for found in results]


def _case(program: str, funding: str | None = "fully_insured"):
    data = copy.deepcopy(BASE_CASE)
    data["program"] = program
    if funding is not None:
        data["coverage"]["funding"] = funding
    return structure_case(data)


@pytest.fixture
def adapters():
    return [_adapter("wa-one", "WA", "commercial"), _adapter("wa-two", "WA", "commercial"),
            _adapter("ny-auto", "NY", "auto"), _adapter("wa-comp", "WA", "workers_comp")]


class Law:
    @hookimpl
    def payerkit_rule_sets(self):
        return [RuleSet("test-wa-law", "Invented Washington law", ("WA",), ("commercial",),
                        ("fully_insured",), (LAW,))]

    @hookimpl
    def payerkit_outcomes(self, visit):
        return [requirement("TEST-WA-NOTICE", f"the law asks for a notice before "
                            f"{visit.date.isoformat()}", LAW, "visits")]

    @hookimpl
    def payerkit_units(self):
        return CMS_8_MINUTE


def codes(result):
    return [r.code for r in result.requirements + result.reasons]


def test_a_rule_set_applies_to_every_matching_program_it_does_not_own(adapters, payerkit_data_dir):
    kit = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    assert [rs.id for rs in kit.rule_sets()] == ["test-wa-law"]
    assert "test-wa-law" not in [e.program.id for e in kit.programs()]
    for program in ("wa-one", "wa-two"):
        result = kit.check(_case(program))
        assert result.status == "action_required"
        assert "TEST-WA-NOTICE" in codes(result)
        assert "TEST-WA-NOTICE" in [f.code for f in kit.scrub(_case(program)).errors]
    for program in ("ny-auto", "wa-comp"):  # another state, another line of business
        assert "TEST-WA-NOTICE" not in codes(kit.check(_case(program)))


def test_removing_the_rule_set_changes_the_answers(adapters, payerkit_data_dir):
    with_law = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    without = PayerKit(entry_points=False, plugins=adapters)
    case = _case("wa-one")
    assert with_law.check(case).status == "action_required"
    assert without.check(case).status == "covered"
    # its firstresult answer replaces the owner's (the owner counts by the CPT midpoint rule)
    assert with_law.price(case).reasons[0].message.endswith(CMS_8_MINUTE.name)
    assert without.price(case).reasons[0].message.endswith(CPT_MIDPOINT.name)


def test_a_self_funded_plan_is_untouched(adapters, payerkit_data_dir):
    kit = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    alone = PayerKit(entry_points=False, plugins=adapters)
    case = _case("wa-one", funding="self_funded")
    assert kit.check(case) == alone.check(case)
    assert kit.price(case) == alone.price(case)
    assert kit.scrub(case) == alone.scrub(case)


def test_a_medicare_advantage_plan_is_federal_and_untouched(adapters, payerkit_data_dir):
    """42 CFR Part 422: a state's insurance law does not govern a Medicare Advantage plan."""
    kit = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    alone = PayerKit(entry_points=False, plugins=adapters)
    case = _case("wa-one", funding="medicare_advantage")
    assert case.coverage.funding == "medicare_advantage"
    assert kit.check(case) == alone.check(case) and kit.scrub(case) == alone.scrub(case)
    assert "PLAN-FUNDING-UNKNOWN" not in codes(kit.check(case))
    law = RuleSet("x", "x", ("WA",), ("commercial",), ("fully_insured",))
    assert not law.governs("medicare_advantage") and law.governs(None)
    assert RuleSet("y", "y", ("WA",), ("commercial",)).governs("medicare_advantage")


def test_a_rule_set_for_every_funding_needs_no_caution_when_funding_is_unknown(
        adapters, payerkit_data_dir):
    class Everywhere(Law):
        @hookimpl
        def payerkit_rule_sets(self):
            return [RuleSet("test-any-plan", "Invented rule for every plan", ("WA",),
                            ("commercial",), FUNDINGS, (LAW,))]

    kit = PayerKit(entry_points=False, plugins=[*adapters, Everywhere()])
    result = kit.check(_case("wa-one", funding=None))
    assert "TEST-WA-NOTICE" in codes(result) and "PLAN-FUNDING-UNKNOWN" not in codes(result)


def test_unknown_funding_applies_the_law_and_says_what_it_assumed(adapters, payerkit_data_dir):
    kit = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    result = kit.check(_case("wa-one", funding=None))
    assert "TEST-WA-NOTICE" in codes(result)
    [assumed] = [r for r in result.reasons if r.code == "PLAN-FUNDING-UNKNOWN"]
    assert "fully insured plans only" in assumed.message
    assert "PLAN-FUNDING-UNKNOWN" in [f.code for f in kit.scrub(_case("wa-one", None)).findings]


def test_a_local_plugin_still_overrides_the_rule_set(adapters, payerkit_data_dir):
    class Practice:
        @hookimpl
        def payerkit_units(self):
            return attrs.evolve(CPT_MIDPOINT, name="practice's own rule")

    kit = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    kit.register(Practice())
    assert kit.price(_case("wa-one")).reasons[0].message.endswith("practice's own rule")


def test_a_rule_set_can_override_an_outcome_the_law_forbids(payerkit_data_dir):
    class Excluding(SampleAdapter):
        program = Program(id="wa-excl", name="Excluding plan", line_of_business="commercial",
                          states=("WA",), payer_id="99999", sources=(EXCLUDED,))

        @hookimpl
        def payerkit_outcomes(self, program):
            return [not_covered("LMT-EXCLUDED", "massage therapists are not covered providers",
                                EXCLUDED, "provider")]

    plain = PayerKit(entry_points=False, plugins=[Excluding()])
    lawful = PayerKit(entry_points=False, plugins=[Excluding(), OverrideExclusion()])
    assert plain.check(_case("wa-excl")).status == "not_covered"
    result = lawful.check(_case("wa-excl"))
    assert result.status == "covered"
    assert codes(result) == ["TEST-CATEGORY-LAW"]
    assert lawful.check(_case("wa-excl", "self_funded")).status == "not_covered"


def test_plugins_listing_shows_what_a_rule_set_applies_to(adapters, payerkit_data_dir):
    kit = PayerKit(entry_points=False, plugins=[*adapters, Law()])
    [entry] = [p for p in kit.plugins() if p.rule_sets]
    assert entry.programs == ()
    assert entry.rule_sets[0].scope == "WA commercial, fully insured"


def test_a_program_whose_plans_are_all_self_funded_is_never_given_to_the_law(payerkit_data_dir):
    state_plan = _adapter("wa-state-plan", "WA", "commercial")
    state_plan.program = attrs.evolve(state_plan.program, funding="self_funded")
    kit = PayerKit(entry_points=False, plugins=[state_plan, Law()])
    result = kit.check(_case("wa-state-plan", funding=None))
    assert "TEST-WA-NOTICE" not in codes(result) and "PLAN-FUNDING-UNKNOWN" not in codes(result)
    assert "TEST-WA-NOTICE" in codes(kit.check(_case("wa-state-plan", funding="fully_insured")))

"""The plugin system: discovery, broken plugins, conflicts, routing, local overrides."""

import warnings
from importlib.metadata import EntryPoint

import pytest
from case_samples import make_case

from payerkit import PayerKit
from payerkit.errors import PluginError
from payerkit.hookspecs import hookimpl
from payerkit.manager import PluginLoadWarning
from payerkit.model import Citation, Eligibility
from payerkit.rules.fees import FeeSchedule


def ep(name, value):
    return EntryPoint(name, value, "payerkit")


GOOD = ep("good", "plugin_samples:GOOD")
MISSING = ep("missing", "payerkit_no_such_module_xyz")


def test_a_plugin_that_fails_to_import_warns_and_the_rest_work(payerkit_data_dir):
    with pytest.warns(PluginLoadWarning, match="'missing'.*failed to load.*ModuleNotFoundError"):
        kit = PayerKit(entry_points=[MISSING, GOOD], strict=False)
    assert [e.program.id for e in kit.programs()] == ["test-plan"]
    assert kit.check(make_case()).status == "covered"


def test_strict_mode_turns_the_warning_into_an_error(monkeypatch):
    monkeypatch.setenv("PAYERKIT_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="'missing'"):
        PayerKit(entry_points=[MISSING, GOOD])


def test_a_plugin_that_fails_at_registration_is_skipped():
    with pytest.warns(PluginLoadWarning, match="'broken' failed in payerkit_programs"):
        kit = PayerKit(entry_points=[ep("broken", "plugin_samples:BROKEN_AT_REGISTRATION"),
                                     GOOD], strict=False)
    assert [e.program.id for e in kit.programs()] == ["test-plan"]


def test_unknown_hook_names_are_reported():
    with pytest.warns(PluginLoadWarning, match="unknown hook.*payerkit_eligibilty"):
        PayerKit(entry_points=[ep("typo", "plugin_samples:TYPO"), GOOD], strict=False)


def test_two_plugins_claiming_one_program_is_an_error_naming_both():
    with pytest.raises(PluginError) as exc:
        PayerKit(entry_points=[GOOD, ep("clash", "plugin_samples:CONFLICTING")])
    assert "'test-plan'" in str(exc.value)
    assert "'good'" in str(exc.value) and "'clash'" in str(exc.value)


def test_disabled_plugins_are_skipped(monkeypatch):
    monkeypatch.setenv("PAYERKIT_DISABLE_PLUGINS", "clash")
    kit = PayerKit(entry_points=[GOOD, ep("clash", "plugin_samples:CONFLICTING")])
    assert [e.program.id for e in kit.programs()] == ["test-plan"]


def test_questions_go_only_to_the_owning_plugin(payerkit_data_dir):
    import plugin_samples

    plugin_samples.OTHER.asked = 0
    kit = PayerKit(entry_points=[GOOD, ep("other", "plugin_samples:OTHER")])
    for _ in range(3):
        kit.check(make_case())
    assert plugin_samples.OTHER.asked == 0


def test_unknown_program_is_an_input_error(kit):
    from payerkit.errors import CaseError

    with pytest.raises(CaseError, match="program: unknown program 'nope'.*test-plan"):
        kit.check(make_case(program="nope"))


class ContractedRates:
    """A practice's local plugin: its contracted rates override the adapter's schedule."""

    @hookimpl(tryfirst=True)
    def payerkit_fee_schedule(self, program, case):
        return FeeSchedule.from_rates({"97124": "22.00", "97140": "27.00"},
                                      Citation("Invented practice contract 2026",
                                               confidence="practice"))


class HalfOff:
    """A wrapper that adjusts whatever the owner answers."""

    @hookimpl(wrapper=True)
    def payerkit_eligibility(self, program, case):
        result = yield
        return Eligibility(result.program, "action_required", result.requirements,
                           result.reasons)


def test_a_local_plugin_overrides_the_fee_schedule(kit):
    case = make_case()
    before = kit.price(case)
    kit.register(ContractedRates())
    after = kit.price(case)
    assert [ln.allowed for ln in before.lines] == [pytest.approx(60), pytest.approx(25)]
    assert str(after.lines[0].allowed) == "66.00" and str(after.lines[1].allowed) == "27.00"
    assert "Invented practice contract 2026" in after.lines[0].fee_source


def test_a_local_wrapper_wraps_the_owners_answer(kit):
    kit.register(HalfOff())
    result = kit.check(make_case())
    assert result.status == "action_required"
    assert result.reasons[0].code == "TEST-OK"


def test_a_bad_local_plugin_is_refused(kit):
    import plugin_samples

    with pytest.raises(PluginError, match="unknown hook"):
        kit.register(plugin_samples.TYPO)


def test_plugins_listing_names_hooks(kit):
    listing = {info.name: hooks for info, hooks in kit.plugins()}
    assert "payerkit_format_claim" in listing["payerkit.formats.builtin"]
    assert "payerkit_eligibility" in listing["SampleAdapter"]


def test_no_warnings_for_a_clean_set(payerkit_data_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PayerKit(entry_points=[GOOD, ep("other", "plugin_samples:OTHER")])

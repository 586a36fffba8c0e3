"""The plugin system: discovery, broken plugins, conflicts, routing, local overrides."""

import warnings
from importlib.metadata import EntryPoint

import attrs
import pytest
from case_samples import make_case

from payerkit import PayerKit
from payerkit.errors import PluginError
from payerkit.hookspecs import hookimpl
from payerkit.manager import PluginLoadWarning
from payerkit.model import Citation
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
    with pytest.warns(PluginLoadWarning, match="'broken'.*cannot be registered: RuntimeError"):
        kit = PayerKit(entry_points=[ep("broken", "plugin_samples:BROKEN_AT_REGISTRATION"),
                                     GOOD], strict=False)
    assert [e.program.id for e in kit.programs()] == ["test-plan"]


class Escape(BaseException):
    """A plugin's own BaseException subclass."""


class _EscapesAtRegistration:
    @hookimpl
    def payerkit_programs(self):
        raise Escape("not an Exception")


def test_a_plugin_raising_a_base_exception_at_load_or_registration_is_skipped(
        tmp_path, monkeypatch, payerkit_data_dir):
    (tmp_path / "escaping_plugin.py").write_text(
        "class Escape(BaseException):\n    pass\nraise Escape('at import')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("plugin_samples.ESCAPES", _EscapesAtRegistration(), raising=False)
    with pytest.warns(PluginLoadWarning) as caught:
        kit = PayerKit(entry_points=[ep("at-import", "escaping_plugin"),
                                     ep("at-registration", "plugin_samples:ESCAPES"), GOOD])
    messages = [str(w.message) for w in caught]
    assert any("'at-import'" in m and "failed to load: Escape" in m for m in messages)
    assert any("'at-registration'" in m and "cannot be registered: Escape" in m
               for m in messages)
    assert [e.program.id for e in kit.programs()] == ["test-plan"]


def test_ctrl_c_while_a_plugin_loads_stops_the_kit(tmp_path, monkeypatch):
    (tmp_path / "interrupted_plugin.py").write_text("raise KeyboardInterrupt\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(KeyboardInterrupt):
        PayerKit(entry_points=[ep("slow", "interrupted_plugin"), GOOD])


def test_unknown_hook_names_are_reported():
    with pytest.warns(PluginLoadWarning, match="unknown hook.*payerkit_outcomse"):
        PayerKit(entry_points=[ep("typo", "plugin_samples:TYPO"), GOOD], strict=False)


def test_two_plugins_claiming_one_program_is_an_error_naming_both_when_strict():
    with pytest.raises(PluginError) as exc:
        PayerKit(entry_points=[GOOD, ep("clash", "plugin_samples:CONFLICTING")], strict=True)
    assert "'test-plan'" in str(exc.value)
    assert "'good'" in str(exc.value) and "'clash'" in str(exc.value)


def test_a_conflict_disables_that_program_only_and_warns_naming_both(payerkit_data_dir):
    with pytest.warns(PluginLoadWarning, match="'test-plan' is claimed by 'good'.*and 'clash'"):
        kit = PayerKit(entry_points=[GOOD, ep("clash", "plugin_samples:CONFLICTING"),
                                     ep("other", "plugin_samples:OTHER")], strict=False)
    assert [e.program.id for e in kit.programs()] == ["other-plan"]


def test_a_plugin_failing_both_registration_hooks_is_dropped_once(payerkit_data_dir):
    with pytest.warns(PluginLoadWarning) as caught:
        kit = PayerKit(entry_points=[ep("twice", "plugin_samples:BROKEN_TWICE"), GOOD],
                       strict=False)
    assert len([w for w in caught if "'twice'" in str(w.message)]) == 1
    assert [e.program.id for e in kit.programs()] == ["test-plan"]
    assert "twice" not in {p.info.name for p in kit.plugins()}


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

    @hookimpl
    def payerkit_fee_schedule(self):
        return FeeSchedule.from_rates({"97124": "22.00", "97140": "27.00"},
                                      Citation("Invented practice contract 2026",
                                               confidence="practice"))


class Stricter:
    """A wrapper that adjusts whatever the owner answers: every note becomes a requirement."""

    @hookimpl(wrapper=True)
    def payerkit_outcomes(self):
        results = yield
        return [[attrs.evolve(o, effect="requirement") for o in found or ()]
                for found in results]


def test_a_local_plugin_overrides_the_fee_schedule(kit):
    case = make_case()
    before = kit.price(case)
    kit.register(ContractedRates())
    after = kit.price(case)
    assert [ln.allowed for ln in before.lines] == [pytest.approx(60), pytest.approx(25)]
    assert str(after.lines[0].allowed) == "66.00" and str(after.lines[1].allowed) == "27.00"
    assert "Invented practice contract 2026" in after.lines[0].fee_source


def test_a_local_wrapper_wraps_the_owners_answer(kit):
    kit.register(Stricter())
    result = kit.check(make_case())
    assert result.status == "action_required"
    assert result.requirements[0].code == "TEST-OK"


def test_a_bad_local_plugin_is_refused(kit):
    import plugin_samples

    with pytest.raises(PluginError, match="unknown hook"):
        kit.register(plugin_samples.TYPO)


def test_plugins_listing_names_hooks(kit):
    listing = {p.info.name: p.hooks for p in kit.plugins()}
    assert "payerkit_format_claim" in listing["payerkit.formats.builtin"]
    assert "payerkit_outcomes" in listing["SampleAdapter"]


def test_no_warnings_for_a_clean_set(payerkit_data_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PayerKit(entry_points=[GOOD, ep("other", "plugin_samples:OTHER")])

"""The plugin system: discovery, broken plugins, conflicts, routing, local overrides."""

import warnings
from importlib.metadata import EntryPoint

import attrs
import pytest
from case_samples import make_case

from payerkit import PayerKit, note
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


class Installed:
    """An entry point of an installed distribution (what importlib.metadata gives)."""

    def __init__(self, name, value, distribution):
        self.name, self._ep = name, ep(name, value)
        self.dist = type("Dist", (), {"metadata": {"Name": distribution}, "version": "1.0"})()

    def load(self):
        return self._ep.load()


@pytest.mark.parametrize("named", ["payerkit-clash", "Payerkit_Clash", "clash"])
def test_a_plugin_is_disabled_by_its_entry_point_or_distribution_name(named, monkeypatch):
    monkeypatch.setenv("PAYERKIT_DISABLE_PLUGINS", f" {named} ")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PluginLoadWarning)
        kit = PayerKit(entry_points=[GOOD, Installed("clash", "plugin_samples:CONFLICTING",
                                                     "payerkit-clash")])
    assert [e.program.id for e in kit.programs()] == ["test-plan"]


def test_disabled_names_that_match_no_plugin_are_named(monkeypatch):
    monkeypatch.setenv("PAYERKIT_DISABLE_PLUGINS", "clash,premeraa,payerkit.checks")
    entry_points = [GOOD, Installed("clash", "plugin_samples:CONFLICTING", "payerkit-clash")]
    with pytest.warns(PluginLoadWarning) as caught:
        PayerKit(entry_points=entry_points)
    [message] = [str(w.message) for w in caught]
    assert "PAYERKIT_DISABLE_PLUGINS" in message
    assert "'premeraa'" in message and "'payerkit.checks'" in message and "'clash'" not in message
    with pytest.raises(PluginError, match="'premeraa'"):
        PayerKit(entry_points=entry_points, strict=True)


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


# -- a plugin fault names that plugin, and only it ------------------------------------------

LAW_CITE = Citation("invented test law", confidence="high")


class Law:
    """A rule set for the test program, with its own outcomes and a wrapper over everyone's
    (as the Washington-law plugin has): innocent in the tests below unless told otherwise."""

    def __init__(self, breaks_answers=False):
        self.breaks_answers = breaks_answers

    @hookimpl
    def payerkit_rule_sets(self):
        from payerkit import RuleSet

        return [RuleSet("test-law", "Test law", ("WA",), ("commercial",),
                        ("fully_insured", "self_funded"), (LAW_CITE,))]

    @hookimpl
    def payerkit_outcomes(self):
        from payerkit import note

        return [note("TEST-LAW", "the invented law applies", LAW_CITE)]

    @hookimpl(wrapper=True, specname="payerkit_outcomes")
    def lawful(self):
        results = yield
        if self.breaks_answers:
            return [["not an outcome"] for _ in results]
        return [list(found) if isinstance(found, list | tuple) else found for found in results]

    @hookimpl
    def payerkit_units(self):
        return None


def kit_with(*plugins, local=()):
    from case_samples import SampleAdapter

    kit = PayerKit(entry_points=False, plugins=[SampleAdapter(), *plugins])
    for plugin in local:
        kit.register(plugin)
    return kit


class WrongOutcomes:
    @hookimpl
    def payerkit_outcomes(self):
        return ["not an outcome"]


class WrongUnits:
    @hookimpl
    def payerkit_units(self):
        return "the CMS rule"


@pytest.mark.parametrize("local, ask, named", [
    (WrongOutcomes(), "check", "'WrongOutcomes' (local) answered payerkit_outcomes with str"),
    (WrongUnits(), "price", "'WrongUnits' (local) answered payerkit_units with str"),
])
def test_a_wrong_answer_names_only_the_plugin_that_gave_it(local, ask, named,
                                                           payerkit_data_dir):
    kit = kit_with(Law(), local=[local])
    with pytest.raises(PluginError) as caught:
        getattr(kit, ask)(make_case())
    assert named in str(caught.value)
    assert "Law" not in str(caught.value) and "SampleAdapter" not in str(caught.value)


def test_a_wrapper_that_spoils_the_answers_is_the_one_named(payerkit_data_dir):
    with pytest.raises(PluginError) as caught:
        kit_with(Law(breaks_answers=True)).check(make_case())
    assert "plugin 'Law' (not installed) answered payerkit_outcomes with str" in str(caught.value)
    assert "SampleAdapter" not in str(caught.value)


class Lazy:
    """Generator hooks that fail only when their answer is read."""

    def __init__(self, hook):
        def answer():
            yield from ()
            raise RuntimeError("fails when read")

        setattr(self, hook, hookimpl(specname=hook)(answer))


@pytest.mark.parametrize("hook, ask", [("payerkit_outcomes", "check"),
                                       ("payerkit_scrub", "scrub"),
                                       ("payerkit_payment_terms", "payment_terms"),
                                       ("payerkit_visit_limits", "limits"),
                                       ("payerkit_filing_deadline", "scrub")])
def test_a_generator_hook_failing_when_read_is_named(hook, ask, payerkit_data_dir):
    kit = kit_with(Law(), local=[Lazy(hook)])
    with pytest.raises(PluginError) as caught:
        getattr(kit, ask)(make_case())
    assert f"plugin 'Lazy' (local) failed in {hook}: RuntimeError" in str(caught.value)
    assert "Law" not in str(caught.value)


def plugin_format(write=None, check=None, format_id="text-bill"):
    from payerkit.model import ClaimFormat, Program

    class Formats:
        @hookimpl
        def payerkit_claim_formats(self):
            return [ClaimFormat(format_id, "Invented text bill", ".txt", "text/plain",
                                write or (lambda claim, options: b"bill"), check)]

    class Adapter:
        program = Program(id="text-plan", name="Text", line_of_business="commercial",
                          states=("WA",), payer_id="99999", claim_formats=(format_id,))

        @hookimpl
        def payerkit_programs(self):
            return [self.program]

        @hookimpl
        def payerkit_outcomes(self):  # a program without coverage rules is never billed
            return [note("TEXT-COVERED", "covered", Citation("invented plan", confidence="sample"))]

    return PayerKit(entry_points=False, plugins=[Adapter(), Formats()])


def test_a_format_check_that_raises_names_its_plugin(payerkit_data_dir):
    def check(claim):
        raise RuntimeError("the check is broken")

    kit = plugin_format(check=check)
    with pytest.raises(PluginError) as caught:
        kit.scrub(make_case(program="text-plan"), format="text-bill")
    assert "the text-bill check of plugin 'Formats' (not installed) failed: RuntimeError" \
        in str(caught.value)


def test_a_format_check_answering_the_wrong_type_names_its_plugin(payerkit_data_dir):
    kit = plugin_format(check=lambda claim: ["member_id is too long"])
    with pytest.raises(PluginError, match="the text-bill check of plugin 'Formats' "
                       r"\(not installed\) answered str, expected \(claim field, problem"):
        kit.scrub(make_case(program="text-plan"), format="text-bill")


@pytest.mark.parametrize("answer", [("member_id", "too long", "fatal"), ("member_id",),
                                    ("member_id", "too long", "warning", "extra")])
def test_a_format_check_answering_a_bad_severity_or_size_names_its_plugin(answer,
                                                                          payerkit_data_dir):
    kit = plugin_format(check=lambda claim: [answer])
    with pytest.raises(PluginError, match="the text-bill check of plugin 'Formats'"):
        kit.scrub(make_case(program="text-plan"), format="text-bill")


def test_a_format_checks_warning_is_a_finding_and_the_claim_is_written(payerkit_data_dir):
    kit = plugin_format(check=lambda claim: [("member_id", "looks odd", "warning")])
    case = make_case(program="text-plan")
    found = [f for f in kit.scrub(case, format="text-bill").findings if f.code == "FORMAT-WARNING"]
    assert [(f.severity, f.path) for f in found] == [("warning", "coverage.member_id")]
    assert kit.claim(case, "text-bill")


def test_a_writer_answering_text_names_its_plugin_not_payerkit(payerkit_data_dir):
    kit = plugin_format(write=lambda claim, options: "bill")
    with pytest.raises(PluginError) as caught:
        kit.claim(make_case(program="text-plan"), "text-bill")
    assert "the text-bill writer of plugin 'Formats' (not installed) answered str, expected " \
        "bytes" in str(caught.value)
    assert "plugin payerkit" not in str(caught.value)


def test_a_plugin_registering_a_builtin_format_id_loses_to_payerkit_loudly(payerkit_data_dir):
    from case_samples import SampleAdapter

    from payerkit.model import ClaimFormat

    class Impostor:
        @hookimpl
        def payerkit_claim_formats(self):
            return [ClaimFormat("x12-837p", "Not the 837P", ".837", "text/plain",
                                lambda claim, options: b"not an 837P")]

    with pytest.warns(PluginLoadWarning, match="claim format id 'x12-837p' is payerkit's own.*"
                      "'Impostor'.*ignored"):
        kit = PayerKit(entry_points=False, plugins=[SampleAdapter(), Impostor()])
    assert kit.claim(make_case(), "x12-837p").startswith(b"ISA*")
    with pytest.raises(PluginError, match="'Impostor'"):
        PayerKit(entry_points=False, plugins=[SampleAdapter(), Impostor()], strict=True)


def test_a_plugins_own_format_claim_answering_text_is_that_plugin(payerkit_data_dir):
    class Rewriter:
        @hookimpl
        def payerkit_format_claim(self):
            return "not bytes"

    kit = kit_with(local=[Rewriter()])
    with pytest.raises(PluginError) as caught:
        kit.claim(make_case(), "x12-837p")
    assert str(caught.value) == ("plugin 'Rewriter' (local) answered payerkit_format_claim "
                                 "with str, expected bytes")


def test_a_plugins_own_format_claim_that_raises_is_that_plugin_not_the_writer(payerkit_data_dir):
    class Rewriter:
        @hookimpl(wrapper=True)
        def payerkit_format_claim(self):
            yield
            raise RuntimeError("cannot rewrite")

    kit = kit_with(local=[Rewriter()])
    with pytest.raises(PluginError) as caught:
        kit.claim(make_case(), "x12-837p")
    assert str(caught.value) == ("plugin 'Rewriter' (local) failed in payerkit_format_claim: "
                                 "RuntimeError")

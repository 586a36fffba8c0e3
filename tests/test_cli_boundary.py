"""One error boundary: every command ends in exit 0/1/2/3, never a traceback, never a plugin's text."""

from __future__ import annotations

import json
import os
import sys
import warnings
from importlib.metadata import EntryPoint

import pytest
from case_samples import BASE_CASE, SampleAdapter

from payerkit import PayerKit, hookimpl
from payerkit.cli import main
from payerkit.manager import PluginLoadWarning

MARKER = "Zqxmarker"  # an invented patient's name: it must never reach the screen


def case_file(tmp_path, data=None):
    data = json.loads(json.dumps(data or BASE_CASE, default=str))
    data["patient"]["last_name"] = MARKER
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    return str(path)


def use(monkeypatch, *local, installed=(), strict=False):
    """The CLI's kit: the sample adapter, ``installed`` plugins, and ``local`` plugins."""
    def kit():
        made = PayerKit(entry_points=False, plugins=[SampleAdapter(), *installed], strict=strict)
        for plugin in local:
            made.register(plugin)
        return made
    monkeypatch.setattr("payerkit.commands.PayerKit", kit)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


class Leaky:
    """Raises with patient data in its text, from every question."""

    def _boom(self, case):
        raise RuntimeError(f"cannot handle {case.patient.last_name}")

    @hookimpl
    def payerkit_outcomes(self, case):
        self._boom(case)

    @hookimpl
    def payerkit_visit_limits(self, case):
        self._boom(case)


@pytest.mark.parametrize("command", ["check", "limits", "scrub", "claim"])
def test_a_plugin_failing_at_call_time_is_exit_3_naming_it_without_its_text(
        command, tmp_path, capsys, monkeypatch, payerkit_data_dir):
    use(monkeypatch, Leaky())
    code, text = run(capsys, command, case_file(tmp_path), "-o", str(tmp_path / "x.837")) \
        if command == "claim" else run(capsys, command, case_file(tmp_path))
    assert code == 3
    assert "plugin 'Leaky' (local) failed in payerkit_" in text
    assert "RuntimeError" in text
    assert MARKER not in text and "Traceback" not in text
    assert not (tmp_path / "x.837").exists()


def test_a_hook_answering_the_wrong_type_is_exit_3(tmp_path, capsys, monkeypatch,
                                                   payerkit_data_dir):
    class Wrong:
        @hookimpl
        def payerkit_units(self):
            return "the CMS rule"

    use(monkeypatch, Wrong())
    code, text = run(capsys, "price", case_file(tmp_path))
    assert code == 3 and "answered payerkit_units with str" in text and "Traceback" not in text


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_plugins_traceback(where, tmp_path, capsys, monkeypatch,
                                           payerkit_data_dir):
    """``--debug`` before the command or after it (as the hint "run again with --debug"
    reads): one switch, the same answer."""
    use(monkeypatch, Leaky())
    argv = ["check", case_file(tmp_path)]
    code, text = run(capsys, *(["--debug", *argv] if where == "before" else [*argv, "--debug"]))
    assert code == 3 and "Traceback" in text


def test_an_internal_error_is_exit_3_with_its_type_only(tmp_path, capsys, monkeypatch,
                                                        payerkit_data_dir):
    def broken(*args, **kwargs):
        raise ZeroDivisionError(f"secret {MARKER}")

    use(monkeypatch)
    monkeypatch.setattr("payerkit.commands.eligibility_json", broken)
    code, text = run(capsys, "check", case_file(tmp_path))
    assert code == 3 and "internal error (ZeroDivisionError)" in text
    assert MARKER not in text and "Traceback" not in text
    assert "run again with --debug" in text
    with pytest.raises(ZeroDivisionError):  # the hint, followed as it reads
        main(["check", case_file(tmp_path), "--debug"])
    monkeypatch.setenv("PAYERKIT_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["check", case_file(tmp_path)])


def test_an_unknown_key_cannot_forge_a_line_or_repaint_the_terminal(tmp_path, capsys,
                                                                     monkeypatch):
    use(monkeypatch)
    data = json.loads(json.dumps(BASE_CASE, default=str))
    data["provider"]["x\nfake.path: all good\x1b[2J"] = 1
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    code, text = run(capsys, "check", str(path))
    assert code == 2
    problem_lines = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(problem_lines) == 1
    assert "\x1b" not in text and "\\x0afake.path" in problem_lines[0]


def test_strict_mode_names_the_problem_once(tmp_path, capsys, monkeypatch):
    class Typo:
        @hookimpl
        def payerkit_outcomse(self):
            return []

    use(monkeypatch, installed=[Typo()], strict=True)
    code, text = run(capsys, "check", case_file(tmp_path))
    assert code == 3
    assert "payerkit: payerkit:" not in text and "unknown hook(s) payerkit_outcomse" in text


def test_a_plugin_calling_sys_exit_at_import_is_only_a_warning(tmp_path, monkeypatch,
                                                               payerkit_data_dir):
    (tmp_path / "exiting_plugin.py").write_text("import sys\nsys.exit(0)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("exiting_plugin", None)
    with pytest.warns(PluginLoadWarning, match="'exiting'.*failed to load: SystemExit"):
        kit = PayerKit(entry_points=[EntryPoint("exiting", "exiting_plugin", "payerkit"),
                                     EntryPoint("good", "plugin_samples:GOOD", "payerkit")])
    assert [e.program.id for e in kit.programs()] == ["test-plan"]


def test_a_second_plugin_claiming_a_program_leaves_other_programs_working(payerkit_data_dir):
    import plugin_samples

    eps = [EntryPoint("good", "plugin_samples:GOOD", "payerkit"),
           EntryPoint("clash", "plugin_samples:CONFLICTING", "payerkit"),
           EntryPoint("other", "plugin_samples:OTHER", "payerkit")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginLoadWarning)
        kit = PayerKit(entry_points=eps)
    assert [e.program.id for e in kit.programs()] == [plugin_samples.OTHER.program.id]


class Escape(BaseException):
    """A plugin's own BaseException subclass (not an Exception)."""


#: What a plugin may raise that is not an ``Exception``; each text holds the invented name.
ESCAPES = {
    "sys.exit()": lambda: SystemExit(0),
    "sys.exit(text)": lambda: SystemExit(f"cannot bill {MARKER}, member ABC123456789"),
    "BaseException subclass": lambda: Escape(f"{MARKER} ABC123456789"),
    "GeneratorExit": lambda: GeneratorExit(MARKER),
}


class Exits:
    """Ends its answer its own way (``sys.exit``, a BaseException) from the outcomes hook."""

    def __init__(self, make):
        self.make = make

    @hookimpl
    def payerkit_outcomes(self):
        raise self.make()


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_plugin_exiting_while_answering_is_exit_3_naming_it_never_its_text(
        escape, tmp_path, capsys, monkeypatch, payerkit_data_dir):
    use(monkeypatch, Exits(ESCAPES[escape]))
    out = tmp_path / "x.837"
    code, text = run(capsys, "claim", case_file(tmp_path), "-o", str(out))
    assert code == 3
    kind = type(ESCAPES[escape]()).__name__
    assert f"plugin 'Exits' (local) failed in payerkit_outcomes: {kind}" in text
    assert MARKER not in text and "ABC123456789" not in text and "Traceback" not in text
    assert not out.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("escape", ["sys.exit()", "BaseException subclass"])
def test_a_plugin_exiting_in_a_batch_fails_its_cases_not_the_run(
        escape, jobs, tmp_path, capsys, monkeypatch, payerkit_data_dir):
    use(monkeypatch, Exits(ESCAPES[escape]))
    cases = tmp_path / "cases"
    cases.mkdir()
    for n in range(3):
        os.rename(case_file(cases), cases / f"case-{n}.json")  # case_file writes case.json
    out = tmp_path / "out"
    code, text = run(capsys, "batch", str(cases), "-o", str(out), "-j", jobs, "--quiet")
    assert code == 1
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    kind = type(ESCAPES[escape]()).__name__
    assert [r["status"] for r in results] == ["failed"] * 3
    assert all(r["problems"] == [f"plugin 'Exits' (local) failed in payerkit_outcomes: {kind}"]
               for r in results)
    written = text + "".join(p.read_text() for p in out.iterdir())
    assert MARKER not in written and "Traceback" not in written


def test_a_plugin_raising_keyboard_interrupt_stops_the_run_as_ctrl_c_does(
        tmp_path, capsys, monkeypatch, payerkit_data_dir):
    use(monkeypatch, Exits(KeyboardInterrupt))
    out = tmp_path / "x.837"
    code, text = run(capsys, "claim", case_file(tmp_path), "-o", str(out))
    assert code == 3 and "stopped" in text and "interrupted" in text
    assert "failed in" not in text and not out.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_plugin_raising_keyboard_interrupt_in_a_batch_stops_it_whole(
        jobs, tmp_path, capsys, monkeypatch, payerkit_data_dir):
    use(monkeypatch, Exits(KeyboardInterrupt))
    cases = tmp_path / "cases"
    cases.mkdir()
    os.rename(case_file(cases), cases / "one.json")
    out = tmp_path / "out"
    code, text = run(capsys, "batch", str(cases), "-o", str(out), "-j", jobs, "--quiet")
    assert code == 3 and "interrupted" in text and "Traceback" not in text
    assert list(out.iterdir()) == []


def test_a_sys_exit_past_the_plugin_boundary_is_an_internal_error(
        tmp_path, capsys, monkeypatch, payerkit_data_dir):
    """Plugin code the kit calls outside a hook (a method of an object it answered with)."""
    def leaves(*args, **kwargs):
        raise SystemExit(f"bye {MARKER}")

    use(monkeypatch)
    monkeypatch.setattr("payerkit.commands.eligibility_json", leaves)
    code, text = run(capsys, "check", case_file(tmp_path))
    assert code == 3 and "internal error (SystemExit)" in text
    assert MARKER not in text and "Traceback" not in text
    monkeypatch.setattr("payerkit.kit.PayerKit.evaluate", leaves)
    cases = tmp_path / "cases"
    cases.mkdir()
    os.rename(case_file(cases), cases / "one.json")
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        code, text = run(capsys, "batch", str(cases), "-o", str(out), "-j", jobs, "--quiet")
        [result] = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
        assert code == 1 and result["status"] == "failed"
        assert "internal error (SystemExit)" in result["problems"][0]
        assert MARKER not in text + (out / "results.jsonl").read_text()


@pytest.mark.parametrize("value, strict", [("on", True), ("ON ", True), ("yes", True),
                                           ("true", True), ("1", True), ("off", False),
                                           ("no", False), ("false", False), ("0", False),
                                           ("", False)])
def test_strict_plugins_takes_the_usual_spellings(value, strict, monkeypatch):
    from payerkit.manager import strict_from_env

    monkeypatch.setenv("PAYERKIT_STRICT_PLUGINS", value)
    assert strict_from_env() is strict


@pytest.mark.parametrize("variable", ["PAYERKIT_STRICT_PLUGINS", "PAYERKIT_DEBUG"])
def test_an_on_off_variable_with_another_value_is_exit_2_naming_it(variable, tmp_path, capsys,
                                                                   monkeypatch):
    monkeypatch.setattr("payerkit.commands.PayerKit", PayerKit)  # reads the variable itself
    monkeypatch.setenv(variable, "sometimes")
    code, text = run(capsys, "programs")
    assert code == 2
    assert f"{variable}: expected on or off (1, true, yes, on / 0, false, no, off), got " \
        "'sometimes'" in text and "Traceback" not in text


def test_debug_on_shows_the_traceback(tmp_path, capsys, monkeypatch, payerkit_data_dir):
    use(monkeypatch, Leaky())
    monkeypatch.setenv("PAYERKIT_DEBUG", "on")
    code, text = run(capsys, "check", case_file(tmp_path))
    assert code == 3 and "Traceback" in text

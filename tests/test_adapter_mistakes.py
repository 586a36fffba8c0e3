"""An adapter author's mistakes, each made to a fresh copy of the template (contrib/template)
and of a community adapter written from it (contrib/wa-lni), and loaded through an entry
point as an installed adapter is: each ends in a message that
names the plugin and the hook (or the field, or the program), never payerkit's "internal
error", and never in a claim.

A mistake is code appended to the copy's ``plugin.py`` (a later definition replaces an
earlier one, as an author's edit would) or a change to a line of it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import shutil
import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import pytest

from payerkit import PayerKit, load_case
from payerkit.errors import ClaimRefused, PayerKitError, PluginError, UnknownProgram

CONTRIB = Path(__file__).resolve().parents[1] / "contrib"
TEMPLATE = CONTRIB / "template"
PACKAGE = next((TEMPLATE / "src").glob("payerkit_*/plugin.py")).parent
CASE = sorted((TEMPLATE / "tests" / "cases").glob("*.toml"))[0]
PROGRAM = "example-adapter"


class Adapter(NamedTuple):
    """An adapter the mistakes are made to: its package, a case it bills, its program."""

    label: str
    package: Path
    case: Path
    program: str


ADAPTERS = [
    Adapter("template", PACKAGE, CASE, PROGRAM),
    Adapter("wa_lni", CONTRIB / "wa-lni" / "src" / "payerkit_wa_lni",
            CONTRIB / "wa-lni" / "tests" / "cases" / "wa-lni-covered.toml", "wa-lni"),
]

#: Appended to plugin.py: what each mistake adds.
IMPORTS = """
import attrs as _attrs
import datetime as _dt
from decimal import Decimal as _D
from payerkit import Citation as _C, Deadline as _Deadline, Finding as _Finding
from payerkit import Limit as _Limit, PaymentTerm as _Term, hookimpl as _hookimpl, note as _note
from payerkit.rules.units import CMS_8_MINUTE as _CMS_8_MINUTE
_CITE = _C("Invented Act s. 1", "2026", confidence="sample")
"""

#: (id, how the copy is changed, the exception, words its message must hold).
#: A change is ("append", code) or ("sub", regex, replacement).
MISTAKES = [
    ("outcomes-not-marked", ("sub", r"@hookimpl\s*\n(def payerkit_outcomes)", r"\1"),
     PluginError, ["payerkit_outcomes is not marked @hookimpl", "$program"]),
    ("programs-not-marked", ("sub", r"@hookimpl\s*\n(def payerkit_programs)", r"\1"),
     PluginError, ["payerkit_programs is not marked @hookimpl"]),
    ("outcomes-deleted", ("sub", r"@hookimpl\s*\ndef payerkit_outcomes", "def _old_outcomes"),
     ClaimRefused, ["NO-ELIGIBILITY-RULES"]),
    ("marked-but-no-such-hook", ("append", "@_hookimpl\ndef payerkit_outcome(case):\n"
                                 "    return []\n"),
     PluginError, ["unknown hook", "payerkit_outcome"]),
    ("marked-helper-name", ("append", "@_hookimpl\ndef rules(case):\n    return []\n"),
     PluginError, ["rules is marked @hookimpl", "no hook of that name"]),
    ("argument-the-spec-lacks", ("append", "@_hookimpl\ndef payerkit_scrub(claim_number):\n"
                                 "    return []\n"),
     PluginError, ["payerkit_scrub", "claim_number"]),
    ("fatal-severity", ("append", "@_hookimpl\ndef payerkit_scrub(case):\n"
                        "    return [_Finding('fatal', 'X-FATAL', 'bad', 'episode', _CITE)]\n"),
     PluginError, ["payerkit_scrub", "Finding", "field severity", "'fatal'"]),
    ("outcome-without-citation", ("append", "@_hookimpl\ndef payerkit_outcomes(case):\n"
                                  "    return [_note('X-OK', 'covered', None)]\n"),
     PluginError, ["payerkit_outcomes", "Outcome", "field citation", "expected a Citation"]),
    ("float-allowed-amount", ("append", "@_hookimpl\ndef payerkit_adjust_pricing(pricing):\n"
                              "    return _attrs.evolve(pricing, lines=tuple(_attrs.evolve("
                              "line, allowed=float(line.charge)) for line in pricing.lines))\n"),
     PluginError, ["payerkit_adjust_pricing", "Pricing", "lines[0].allowed", "got float"]),
    ("deadline-without-days", ("append", "@_hookimpl\ndef payerkit_filing_deadline(visit):\n"
                               "    return [_Deadline('claim', 'service', visit.date, None, "
                               "_CITE)]\n"),
     PluginError, ["payerkit_filing_deadline", "Deadline", "field days", "got None"]),
    ("limit-as-float", ("append", "@_hookimpl\ndef payerkit_visit_limits():\n"
                        "    return [_Limit('visits', 'visits', 20.0, 1, 'a year', _CITE)]\n"),
     PluginError, ["payerkit_visit_limits", "Limit", "field allowed", "got float"]),
    ("payment-term-float-share", ("append", "@_hookimpl\ndef payerkit_payment_terms():\n"
                                  "    return [_Term('pay', 'paid in 30 days', _CITE, 30, "
                                  "0.8)]\n"),
     PluginError, ["payerkit_payment_terms", "PaymentTerm", "field share", "got float"]),
    ("a-unit-rule-that-raises", ("append", "@_hookimpl\ndef payerkit_units():\n"
                                 "    return _attrs.evolve(_CMS_8_MINUTE, timed=lambda m: 1 / 0)\n"),
     PluginError, ["failed while payerkit computed", "ZeroDivisionError", "$program"]),
    ("hook-raises", ("append", "@_hookimpl\ndef payerkit_scrub(case):\n"
                     "    raise KeyError('member')\n"),
     PluginError, ["failed in payerkit_scrub", "KeyError"]),
    ("wrong-answer-type", ("append", "@_hookimpl\ndef payerkit_visit_limits():\n"
                           "    return {'visits': 20}\n"),
     PluginError, ["payerkit_visit_limits", "expected Limit items"]),
    ("facts-field-without-default", ("append", "@_attrs.frozen\nclass _Facts:\n"
                                     "    insurer: str\n"
                                     "PROGRAM = _attrs.evolve(PROGRAM, facts=_Facts)\n"),
     PluginError, ["insurer", "no default", "$program"]),
    ("facts-type-unresolvable", ("append", "@_attrs.frozen\nclass _Facts:\n"
                                 "    insurer: 'NoSuchType' = None\n"
                                 "PROGRAM = _attrs.evolve(PROGRAM, facts=_Facts)\n"),
     PluginError, ["cannot be resolved", "NoSuchType", "$program"]),
    ("program-id-twice", ("append", "@_hookimpl\ndef payerkit_programs():\n"
                          "    return [PROGRAM, PROGRAM]\n"),
     PluginError, ["registers", "$program", "2 times"]),
    ("bad-program-id", ("append", "PROGRAM = _attrs.evolve(PROGRAM, id='Example Adapter')\n"),
     PluginError, ["failed to load", "Program.id", "'Example Adapter'"]),
    ("import-error", ("append", "import payerkit_no_such_helper\n"),
     PluginError, ["failed to load", "ModuleNotFoundError", "payerkit_no_such_helper"]),
]


def _mutant(tmp_path: Path, mistake: str, change: tuple, package: Path = PACKAGE) -> str:
    """A copy of an adapter's package (the template's), changed; its importable name."""
    name = "mutant_" + re.sub(r"\W", "_", mistake)
    shutil.copytree(package, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    plugin = tmp_path / name / "plugin.py"
    text = plugin.read_text(encoding="utf-8")
    if change[0] == "append":
        text += IMPORTS + change[1]
    else:
        changed = re.sub(change[1], change[2], text, count=1)
        assert changed != text, f"{mistake}: the template no longer has {change[1]!r}"
        text = changed
    plugin.write_text(text, encoding="utf-8")
    return name


def _kit(tmp_path: Path, monkeypatch, mistake: str, change: tuple,
         adapter: Adapter = ADAPTERS[0]) -> PayerKit:
    """A kit with the changed copy installed under the adapter's entry-point name."""
    name = _mutant(tmp_path, mistake, change, adapter.package)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    entry = importlib.metadata.EntryPoint(adapter.program, f"{name}.plugin", "payerkit")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return PayerKit(entry_points=[entry])
    finally:  # the copy's modules stay for the test (facts types resolve their names late)
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            monkeypatch.setitem(sys.modules, module, sys.modules.pop(module))  # gone after


def _answer(kit: PayerKit, adapter: Adapter) -> tuple[type, str]:
    """Check, scrub and claim the adapter's example: the first error each raises, or the
    scrub's findings (then the claim must be refused)."""
    case = load_case(adapter.case)
    try:
        kit.check(case)
        kit.scrub(case)
        ev = kit.evaluate(case)
        ev.write(ev.format)
    except PayerKitError as exc:
        return type(exc), str(exc) + " " + " ".join(
            f.code for f in getattr(exc, "findings", ()))
    pytest.fail("a broken adapter's claim was written")


@pytest.mark.parametrize("adapter", ADAPTERS, ids=[a.label for a in ADAPTERS])
@pytest.mark.parametrize(("mistake", "change", "error", "words"), MISTAKES,
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_named_and_never_billed(tmp_path, monkeypatch, payerkit_data_dir,
                                                adapter, mistake, change, error, words):
    kit = _kit(tmp_path, monkeypatch, mistake, change, adapter)
    raised, message = _answer(kit, adapter)
    assert issubclass(raised, error), f"{mistake}: {raised.__name__}: {message}"
    assert "internal error" not in message
    for word in words:
        word = word.replace("$program", adapter.program)
        assert word in message, f"{mistake}: {word!r} not in {message!r}"
    if issubclass(raised, PluginError):
        assert f"'{adapter.program}'" in message or \
            f"mutant_{mistake.replace('-', '_')}" in message, \
            f"{mistake}: the plugin is not named: {message}"


@pytest.mark.parametrize("adapter", ADAPTERS, ids=[a.label for a in ADAPTERS])
def test_each_unchanged_adapter_writes_its_claim(tmp_path, monkeypatch, payerkit_data_dir,
                                                 adapter):
    kit = _kit(tmp_path, monkeypatch, "unchanged", ("append", ""), adapter)
    ev = kit.evaluate(load_case(adapter.case))
    assert ev.write(ev.format).startswith(b"ISA*")


def test_a_plugin_that_fails_to_load_is_named_for_its_program(tmp_path, monkeypatch,
                                                               payerkit_data_dir):
    kit = _kit(tmp_path, monkeypatch, "import-error", MISTAKES[-1][1])
    with pytest.raises(PluginError) as caught:
        kit.check(load_case(CASE))
    assert str(caught.value).startswith(f"program '{PROGRAM}' is unavailable: its plugin "
                                        f"'{PROGRAM}'")
    assert caught.value.exit_code == 3


def test_an_unknown_program_lists_the_plugins_that_failed_to_load(tmp_path, monkeypatch):
    name = _mutant(tmp_path, "elsewhere", ("append", "import payerkit_no_such_helper\n"))
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = importlib.metadata.EntryPoint("some-other-name", f"{name}.plugin", "payerkit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kit = PayerKit(entry_points=[entry])
    with pytest.raises(UnknownProgram) as caught:
        kit.check(load_case(CASE))
    assert "failed to load, one of which may serve it: 'some-other-name'" in str(caught.value)
    assert caught.value.exit_code == 2

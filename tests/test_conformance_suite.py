"""The conformance suite fails the real mistakes of a new adapter, and says where.

Each row copies the template adapter (``contrib/template``) under a package name of its own,
makes one mistake in the copy, and runs the suite on it as an adapter author does
(``pytest`` in a subprocess, every copy in one run); the row's test must fail with its
message. The unchanged copy passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "contrib" / "template"
PACKAGE = "payerkit_example_adapter"
SUITE = '''from pathlib import Path

from payerkit.testing.conformance import AdapterSuite

import {package}.plugin as plugin


class TestConformance(AdapterSuite):
    plugin = plugin
    cases = sorted((Path(__file__).parent / "cases").glob("*.toml"))
'''


def edit(file: str, old: str, new: str):
    """A mistake: ``old`` replaced by ``new`` in one of the copy's files (:func:`files`)."""
    def apply(copy: dict[str, Path]) -> None:
        text = copy[file].read_text(encoding="utf-8")
        assert old in text, f"the template changed: {old!r} is no longer in its {file}"
        copy[file].write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


PLUGIN, FIGURES, CASE = "plugin", "figures", "case"


def files(copy: Path, package: str) -> dict[str, Path]:
    """The files of a copy a mistake is made in."""
    return {PLUGIN: copy / "src" / package / "plugin.py",
            FIGURES: copy / "src" / package / "data" / "figures.toml",
            CASE: copy / "tests" / "cases" / "example.toml"}


#: Lines of the template's plugin.py the mistakes are made in.
DEADLINE = 'return [Deadline("claim submission", "service", visit.date, days.integer, days.citation,'
OUTCOMES = '    return [note("EXAMPLE-COVERED", "prescribed care is covered", SAMPLE)]'
LAST_HOOK_END = '                     path=visit_path(case, visit, "date"))]\n'
TERMS = '''

@hookimpl
def payerkit_payment_terms():
    return [PaymentTerm("clean claims paid", "paid within 30 days of receipt", SAMPLE, {terms})]
'''


def payment_term(terms: str) -> list:
    """Mistakes giving the template a payment term (``terms``: its keyword arguments)."""
    return [edit(PLUGIN, "    Deadline,\n", "    Deadline,\n    PaymentTerm,\n"),
            edit(PLUGIN, LAST_HOOK_END, LAST_HOOK_END + TERMS.format(terms=terms))]


#: (name, mistakes, [(a test that must fail, what its message must say), ...])
MISTAKES = [
    ("absence-cited-as-source",
     [edit(FIGURES, 'source = "payerkit template adapter: invented SAMPLE filing limit"\n'
                    'edition = "template"\nconfidence = "sample"',
           'source = "No L&I text setting a filing limit for massage therapists was found"\n'
           'edition = "2026"\nconfidence = "medium"')],
     [("test_figure_is_cited[filing_days]",
       "data/figures.toml: figure filing_days: citation: cites an absence as a 'medium' source"),
      ("test_deadlines_are_well_formed[example.toml@2026-03-12]",
       "example.toml visit 2026-03-12 (program example-adapter): deadline 'claim submission': "
       "citation: cites an absence")]),
    ("source-nobody-can-look-up",
     [edit(PLUGIN, OUTCOMES, '    return [note("EXAMPLE-COVERED", "prescribed care is covered", '
                             'Citation("Example Payer website", "2026", "high"))]')],
     [("test_answers_are_cited[example.toml@2026-03-12]",
       "example.toml visit 2026-03-12 (program example-adapter): outcome EXAMPLE-COVERED (no field): "
       "citation: names nothing a reader can look up")]),
    ("deadline-without-days",
     [edit(PLUGIN, DEADLINE, DEADLINE.replace("days.integer", "None"))],
     [("test_deadlines_are_well_formed[example.toml@2026-03-12]",
       "deadline 'claim submission': days: expected a whole number of days > 0, got None")]),
    ("deadline-without-field",
     [edit(PLUGIN, LAST_HOOK_END, "                     )]\n")],
     [("test_deadlines_are_well_formed[example.toml@2026-03-12]",
       "deadline 'claim submission': path: blank (the case field it is about)")]),
    ("payment-term-float-share",
     payment_term("days=30, share=0.95"),
     [("test_payment_terms_are_well_formed[example.toml@2026-03-12]",
       "payment term 'clean claims paid': share: expected a Decimal fraction (0.95 for 95%), "
       "got 0.95")]),
    ("payment-term-without-days",
     payment_term("share=None"),
     [("test_payment_terms_are_well_formed[example.toml@2026-03-12]",
       "payment term 'clean claims paid': days: a term says by when")]),
    ("program-without-a-case",
     [edit(PLUGIN, "    return [PROGRAM]",
           '    return [PROGRAM, attrs.evolve(PROGRAM, id="example-adapter-oregon", states=("OR",))]'),
      edit(PLUGIN, "from importlib.resources import files\n",
           "from importlib.resources import files\n\nimport attrs\n")],
     [("test_program_has_a_case[example-adapter-oregon]",
       "program example-adapter-oregon: no case names it")]),
    ("code-never-reached",
     [edit(PLUGIN, '"EXAMPLE-COVERED", "EXAMPLE-RX",', '"EXAMPLE-COVERED", "EXAMPLE-NEVER", "EXAMPLE-RX",'),
      edit(PLUGIN, OUTCOMES, '    if case.coverage.group_number == "NEVER":\n'
                             '        return [note("EXAMPLE-NEVER", "never reached", SAMPLE)]\n'
                             + OUTCOMES)],
     [("test_code_is_reached[EXAMPLE-NEVER]",
       "code EXAMPLE-NEVER: no visit of any case reaches it")]),
    ("code-not-declared",
     [edit(PLUGIN, '"EXAMPLE-COVERED", "EXAMPLE-RX",', '"EXAMPLE-RX",')],
     [("test_declares_every_code_it_writes",
       "codes written in the plugin but missing from its CODES: EXAMPLE-COVERED (plugin.py:")]),
    ("no-declaration",
     [edit(PLUGIN, 'CODES = frozenset({\n    "EXAMPLE-COVERED", "EXAMPLE-RX",\n})\n', "")],
     [("test_declares_every_code_it_writes",
       "the plugin declares no CODES: list every code its rules can give")]),
    ("internal-import",
     [edit(PLUGIN, "from payerkit.formats import X12_837P\n",
           "from payerkit.formats import X12_837P\nfrom payerkit.io import printable  # noqa: F401\n")],
     [("test_imports_only_the_public_api",
       "imports what docs/api.md does not make public"),
      ("test_imports_only_the_public_api", ": from payerkit.io import printable")]),
    ("limit-wrong-on-an-earlier-visit",
     [edit(CASE, "[[visits]]\n", '[[visits]]\ndate = 2026-03-05\nservices = [ { code = "97124", '
                                 'minutes = 30 } ]\n\n[[visits]]\n'),
      edit(PLUGIN, "limit.integer, used,",
           "limit.integer if visit == case.visits[-1] else 20.0, used,")],
     [("test_limits_are_well_formed[example.toml@2026-03-05]",
       "example.toml visit 2026-03-05 (program example-adapter): limit 'visits per calendar year': "
       "allowed: expected None, an int or a Decimal >= 0, got 20.0")]),
    ("answers-change-between-runs",
     [edit(PLUGIN, OUTCOMES, '    ASKED.append(1)\n    return [note("EXAMPLE-COVERED", '
                             'f"prescribed care is covered ({len(ASKED)})", SAMPLE)]'),
      edit(PLUGIN, "FIGURES = load_figures(__package__)\n",
           "FIGURES = load_figures(__package__)\nASKED = []\n")],
     [("test_same_answers_twice[example.toml@2026-03-12]",
       "example.toml visit 2026-03-12 (program example-adapter): check: a second run answers "
       "otherwise")]),
]


def make_copy(root: Path, name: str, mistakes) -> Path:
    """The template copied to ``root/name`` as package ``payerkit_<name>``, mistakes made."""
    package = "payerkit_" + name.replace("-", "_")
    copy = root / name
    shutil.copytree(TEMPLATE / "src" / PACKAGE, copy / "src" / package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(TEMPLATE / "tests" / "cases", copy / "tests" / "cases")
    (copy / "tests" / "test_conformance.py").write_text(SUITE.format(package=package))
    for mistake in mistakes:
        mistake(files(copy, package))
    return copy


@pytest.fixture(scope="module")
def failures(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Each copy's failed tests (``{copy: {test: message}}``), from one pytest run over all."""
    root = tmp_path_factory.mktemp("mistakes")
    copies = [make_copy(root, "unchanged", [])]
    copies += [make_copy(root, name, mistakes) for name, mistakes, _ in MISTAKES]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(c / "src") for c in copies),
           "PAYERKIT_DATA_DIR": str(root / "data")}
    report = root / "report.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
         "-o", "addopts=", "-k", "not 837p", f"--junitxml={report}", "--rootdir", str(root),
         *(str(c / "tests") for c in copies)],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    found: dict[str, dict[str, str]] = {c.name: {} for c in copies}
    for case in ET.parse(report).iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            copy = re.split(r"[./]", case.get("classname", ""))[0]
            found[copy][case.get("name")] = f"{problem.get('message', '')}\n{problem.text or ''}"
    return found


def test_the_unchanged_template_passes(failures):
    assert failures["unchanged"] == {}


@pytest.mark.parametrize("name, expected", [(n, e) for n, _, e in MISTAKES],
                         ids=[n for n, _, _ in MISTAKES])
def test_the_suite_fails_the_mistake_saying_where(failures, name, expected):
    failed = failures[name]
    for test, message in expected:
        assert test in failed, f"{test} did not fail; failed: {sorted(failed)}"
        assert message in failed[test], failed[test]

"""The conformance suite fails the real mistakes of a new adapter, and says where.

Each row writes a new adapter under a name of its own, as ``payerkit new-adapter`` does
(:func:`new_adapter`; ``contrib/template`` is what it writes for ``example-adapter``), makes
one mistake in the files written, and runs the adapter's tests as its author does
(``pytest`` in a subprocess, every copy in one run); the row's test must fail with its
message. The unchanged adapter passes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from string import Template

import pytest

from payerkit.scaffold.names import AdapterNames
from payerkit.scaffold.write import new_adapter

#: The files of a new adapter a mistake is made in (relative; ``$module`` its package).
PLUGIN = "src/$module/plugin.py"
SOURCES = "src/$module/sources.py"
FIGURES = "src/$module/data/figures.toml"
#: Where the scaffold writes each file from (said when it no longer holds an edit's text).
SCAFFOLD = "payerkit/scaffold/template"


def fill(text: str, names: AdapterNames) -> str:
    """``text`` with the copy's names: ``$name`` (the program id), ``$code`` (the prefix
    of its codes), ``$module`` (its package)."""
    return Template(text).substitute(name=names.name, code=names.code, module=names.module)


def edit(file: str, old: str, new: str):
    """A mistake: ``old`` replaced by ``new`` (both :func:`fill`-ed) in one of the files a
    new adapter is written with."""
    def apply(copy: Path, names: AdapterNames) -> None:
        written, was = fill(file, names), fill(old, names)
        path = copy / written
        text = path.read_text(encoding="utf-8")
        template = SCAFFOLD + "/" + file.replace("src/$module", "package") + ".tmpl"
        assert was in text, f"the scaffold changed: the {written} it writes (from " \
            f"{template}) no longer has {was!r}: make this mistake in its new text"
        path.write_text(text.replace(was, fill(new, names), 1), encoding="utf-8")
    return apply


#: The text of the generated plugin.py the mistakes are made in.
FIRST_OUTCOME = "    found = []\n"
LAST_CODE = '    "$code-DAILY-UNIT-CAP",\n'
CLEAN_CLAIM_DAYS = "days.citation, days=days.integer),"
#: How payerkit names a plugin whose answer is of the wrong type (a float for a Decimal):
#: it stops the evaluation there, before the suite's own check of the answer.
ANSWERED = "plugin '$module.plugin' (not installed) answered "


#: (name, mistakes, [(a test that must fail, what its message must say), ...]); the
#: messages are :func:`fill`-ed with the copy's names.
MISTAKES = [
    ("absence-cited-as-source",
     [edit(FIGURES, "90 days after the date of service",
           "no payer text setting a filing limit for massage therapists was found"),
      edit(FIGURES, '#timely-filing"\nconfidence = "sample"', '#timely-filing"\nconfidence = "medium"')],
     [("test_figure_is_cited[filing_days]",
       "data/figures.toml: figure filing_days: citation: cites an absence as a 'medium' source"),
      ("test_deadlines_are_well_formed[covered.toml@2026-03-12]",
       "covered.toml visit 2026-03-12 (program $name): deadline 'claim submission': "
       "citation: cites an absence")]),
    ("source-nobody-can-look-up",
     [edit(SOURCES, 'EDITION, "sample", f"{POLICY_URL}#prescription")',
           '"2026", "high")')],
     [("test_answers_are_cited[covered.toml@2026-03-12]",
       "covered.toml visit 2026-03-12 (program $name): outcome $code-PRESCRIBED "
       "(episode.prescription): citation: names nothing a reader can look up")]),
    ("deadline-without-days",
     [edit(PLUGIN, "visit.date, days.integer, days.citation,", "visit.date, None, days.citation,")],
     [("test_deadlines_are_well_formed[covered.toml@2026-03-12]",
       "deadline 'claim submission': days: expected a whole number of days > 0, got None")]),
    ("deadline-without-field",
     [edit(PLUGIN, 'late_severity=late, path=visit_path(case, visit, "date"))]',
           "late_severity=late)]")],
     [("test_deadlines_are_well_formed[covered.toml@2026-03-12]",
       "deadline 'claim submission': path: blank (the case field it is about)")]),
    ("payment-term-float-share",
     [edit(PLUGIN, CLEAN_CLAIM_DAYS, CLEAN_CLAIM_DAYS.replace(")", ", share=0.95)"))],
     [("test_payment_terms_are_well_formed[covered.toml@2026-03-12]",
       ANSWERED + "payerkit_payment_terms with a PaymentTerm that does not hold what it must: "
       "field share: expected a Decimal or None, got float")]),
    ("payment-term-without-days",
     [edit(PLUGIN, CLEAN_CLAIM_DAYS, "days.citation),")],
     [("test_payment_terms_are_well_formed[covered.toml@2026-03-12]",
       "payment term 'clean-claim payment': days: a term says by when")]),
    ("program-without-a-case",
     [edit(PLUGIN, "    return [PROGRAM]",
           '    return [PROGRAM, attrs.evolve(PROGRAM, id="$name-oregon", states=("OR",))]')],
     [("test_program_has_a_case[$name-oregon]",
       "program $name-oregon: no case names it")]),
    ("code-never-reached",
     [edit(PLUGIN, LAST_CODE, LAST_CODE + '    "$code-NEVER",\n'),
      edit(PLUGIN, FIRST_OUTCOME, FIRST_OUTCOME + '    if case.coverage.group_number == "NEVER":\n'
           '        found.append(note("$code-NEVER", "never reached", sources.POLICY))\n')],
     [("test_code_is_reached[$code-NEVER]",
       "code $code-NEVER: no visit of any case reaches it")]),
    ("code-not-declared",
     [edit(PLUGIN, '    "$code-PRESCRIBED",\n', "")],
     [("test_declares_every_code_it_writes",
       "codes written in the plugin but missing from its CODES: $code-PRESCRIBED (plugin.py:")]),
    ("no-declaration",
     [edit(PLUGIN, "\nCODES = frozenset({\n", "\nKNOWN_CODES = frozenset({\n")],
     [("test_declares_every_code_it_writes",
       "the plugin declares no CODES: list every code its rules can give")]),
    ("internal-import",
     [edit(PLUGIN, "from payerkit.formats import CMS_1500, X12_837P\n",
           "from payerkit.formats import CMS_1500, X12_837P\n"
           "from payerkit.io import load_case  # noqa: F401\n")],
     [("test_imports_only_the_public_api",
       "imports what docs/api.md does not make public"),
      ("test_imports_only_the_public_api", ": from payerkit.io import load_case")]),
    ("limit-wrong-on-an-earlier-visit",  # covered.toml has two visits: wrong on the first
     [edit(PLUGIN, '"visits", limit.integer, used,',
           '"visits", limit.integer if visit == case.visits[-1] else 20.0, used,')],
     [("test_limits_are_well_formed[covered.toml@2026-03-05]",
       ANSWERED + "payerkit_visit_limits with a Limit that does not hold what it must: "
       "field allowed: expected a Decimal or an integer or None, got float")]),
    ("answers-change-between-runs",
     [edit(PLUGIN, "from .sources import FIGURES\n", "from .sources import FIGURES\n\nASKED = []\n"),
      edit(PLUGIN, FIRST_OUTCOME, "    ASKED.append(1)\n" + FIRST_OUTCOME),
      edit(PLUGIN, '"prescribed massage therapy is covered",',
           'f"prescribed massage therapy is covered ({len(ASKED)})",')],
     [("test_same_answers_twice[covered.toml@2026-03-12]",
       "covered.toml visit 2026-03-12 (program $name): check: a second run answers "
       "otherwise")]),
]


#: The tests of a new adapter not run here: the 837P's validation (slow, and no mistake is
#: about it) and the entry point's discovery (the copies are on the path, not installed).
NOT_RUN = "not 837p and not entry_point"


def make_copy(root: Path, name: str, mistakes) -> Path:
    """A new adapter ``name`` written to ``root/name`` (package ``payerkit_<name>``),
    mistakes made."""
    copy = new_adapter(name, root / name)
    for mistake in mistakes:
        mistake(copy, AdapterNames.of(name))
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
         "-o", "addopts=", "-k", NOT_RUN, f"--junitxml={report}", "--rootdir", str(root),
         *(str(c / "tests") for c in copies)],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    found: dict[str, dict[str, str]] = {c.name: {} for c in copies}
    for case in ET.parse(report).iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            # a module that fails to import is reported with no class name, under its dotted path
            copy = re.split(r"[./]", case.get("classname") or case.get("name", ""))[0]
            found[copy][case.get("name")] = f"{problem.get('message', '')}\n{problem.text or ''}"
    return found


def test_the_unchanged_adapter_passes(failures):
    assert failures["unchanged"] == {}


@pytest.mark.parametrize("name, expected", [(n, e) for n, _, e in MISTAKES],
                         ids=[n for n, _, _ in MISTAKES])
def test_the_suite_fails_the_mistake_saying_where(failures, name, expected):
    failed, names = failures[name], AdapterNames.of(name)
    for test, message in ((fill(t, names), fill(m, names)) for t, m in expected):
        assert test in failed, f"{test} did not fail; failed: {sorted(failed)}"
        assert message in failed[test], failed[test]

"""The conformance suite: what every payerkit adapter must show about itself.

Subclass :class:`AdapterSuite` in your plugin's tests (the model is
SQLAlchemy's dialect compliance suite)::

    from pathlib import Path
    from payerkit.testing.conformance import AdapterSuite
    import payerkit_my_state.plugin as plugin

    EXAMPLES = Path(__file__).parent / "cases"

    class TestConformance(AdapterSuite):
        plugin = plugin
        cases = sorted(EXAMPLES.glob("*.toml"))

The suite checks that the plugin registers well-formed programs with sources
and only installed claim formats, and is given a case for each of them (a
plugin with several programs is checked on every one, each answered by its
own adapter when its ``Program`` carries one); implements only hooks of the
contract, in the plugin and in each program's adapter;
keeps its figures in ``data/figures.toml``, each cited with an allowed
confidence; cites every reason, finding and limit with a primary source
(never a research note); prices in Decimal cents whose totals add up; gives
the same answers twice; answers ``check`` and ``scrub`` alike for every visit
of every case; and writes 837P claims that pyx12 accepts, and that pass the
semantic rules no validator checks, for every case the scrub passes.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from ..figures import FIGURES_FILE, parse_figures
from ..formats import X12_837P
from ..hookspecs import hookspecs_names
from ..io import load_case
from ..kit import PayerKit
from ..model import Citation
from ..rules.money import CENT

#: A citation must name the primary source, not a file of notes users do not have.
NOTES = re.compile(r"\b[\w-]+\.md\b|research notes", re.I)


def _package(plugin: object) -> str | None:
    name = getattr(plugin, "__package__", None) or type(plugin).__module__.rpartition(".")[0]
    return name or None


def assert_primary(citation: Citation | None, what: str) -> None:
    """A citation exists and names a primary source, not payerkit's research notes."""
    assert citation is not None, f"{what}: no citation"
    text = f"{citation.source} {citation.edition or ''}"
    assert not NOTES.search(text), f"{what}: cites notes users do not have: {text!r}"


class AdapterSuite:
    """Base class: set ``plugin`` (module or object) and ``cases`` (case file paths).

    A plugin that owns no program (a rule set, such as a state's law) sets
    ``hosts``: adapters whose programs its cases name (invented ones will do).
    """

    plugin: object = None
    cases: list[Path] = []
    hosts: list = []

    @pytest.fixture
    def kit(self, payerkit_data_dir):
        return PayerKit(entry_points=False, plugins=[self.plugin, *self.hosts], strict=True)

    def _cases(self):
        assert self.cases, "give the suite at least one case file for each program"
        return [(Path(p).name, load_case(p)) for p in self.cases]

    def _visits(self):
        for name, case in self._cases():
            for visit in case.visits:
                yield f"{name} visit {visit.date.isoformat()}", case, visit

    def test_registers_programs_with_sources(self, kit):
        programs = self._programs()
        rule_sets = list(getattr(self.plugin, "payerkit_rule_sets", lambda: [])())
        assert programs or rule_sets, "the plugin registers no program and no rule set"
        installed = {f.id for f in kit.claim_formats()}
        for program in programs:
            assert program.sources, f"{program.id}: no sources"
            assert program.states, f"{program.id}: no states"
            assert program.claim_formats, f"{program.id}: no claim formats"
            missing = set(program.claim_formats) - installed
            assert not missing, f"{program.id}: lists formats no plugin writes: {missing}"
            for citation in program.sources:
                assert_primary(citation, f"{program.id} source")
            if program.payer_id is not None:
                assert_primary(program.payer_id_citation, f"{program.id} payer_id")
            if program.claim_formats_citation is not None:
                assert_primary(program.claim_formats_citation, f"{program.id} claim formats")
        for rule_set in rule_sets:
            assert rule_set.sources, f"{rule_set.id}: no sources"
            for citation in rule_set.sources:
                assert_primary(citation, f"{rule_set.id} source")

    def _programs(self) -> list:
        return list(getattr(self.plugin, "payerkit_programs", lambda: [])())

    def test_implements_only_known_hooks(self):
        hooks = [n for n in dir(self.plugin) if n.startswith("payerkit_")]
        assert hooks, "the plugin implements no hook"
        owners = [("the plugin", hooks)] + [
            (f"the adapter of {p.id}", [n for n in dir(p.adapter) if n.startswith("payerkit_")])
            for p in self._programs() if p.adapter is not None]
        for owner, names in owners:
            unknown = sorted(set(names) - set(hookspecs_names()))
            assert not unknown, f"{owner}: unknown hooks (typo, or a hook of contract v1?): " \
                f"{unknown}"

    def test_cases_cover_every_program(self):
        named = {case.program for _, case in self._cases()}
        missing = sorted(p.id for p in self._programs() if p.id not in named)
        assert not missing, f"no case for program(s) {', '.join(map(repr, missing))}: give the " \
            "suite at least one case file for each program"

    def test_figures_are_cited_data(self):
        package = _package(self.plugin)
        if package is None:
            pytest.skip("the plugin is not a package with data")
        path = resources.files(package) / "data" / FIGURES_FILE  # a namespace package too
        if not path.is_file():
            pytest.skip(f"{package} keeps no data/{FIGURES_FILE}")
        figures = parse_figures(path.read_text(encoding="utf-8"), f"{package}/data/{FIGURES_FILE}")
        for figure in figures:
            assert_primary(figure.citation, f"figure {figure.name}")
            assert figure.citation.confidence != "practice", f"figure {figure.name}: a shipped " \
                "figure cannot be the practice's"

    def test_cases_name_its_programs(self, kit):
        ids = {e.program.id for e in kit.programs()}
        for name, case in self._cases():
            assert case.program in ids, f"{name}: program {case.program!r} is not the plugin's"

    def test_every_answer_is_cited(self, kit):
        for name, case in self._cases():
            result = kit.check(case)
            assert result.status in {"covered", "action_required", "not_covered"}
            for reason in result.requirements + result.reasons:
                assert_primary(reason.citation, f"{name}: {reason.code}")
            if result.status == "action_required":
                assert result.requirements, f"{name}: action_required without requirements"
            for reason in kit.price(case).reasons:
                assert_primary(reason.citation, f"{name}: pricing {reason.code}")
            for limit in kit.limits(case).limits:
                assert_primary(limit.citation, f"{name}: limit {limit.name!r}")
            for finding in kit.scrub(case).findings:
                assert_primary(finding.citation, f"{name}: {finding.code}")
                assert finding.path, f"{name}: {finding.code} names no field path"

    def test_check_and_scrub_agree_on_every_visit(self, kit):
        for name, case, visit in self._visits():
            result = kit.check(case, visit)
            codes = {f.code for f in kit.scrub(case, visit).findings}
            for reason in result.requirements:
                assert reason.code in codes, f"{name}: requirement {reason.code} not in scrub"
            if result.status == "not_covered":
                assert kit.scrub(case, visit).errors, f"{name}: not covered, yet scrub is clean"
            for outcome in kit.outcomes(case, visit):
                if outcome.finding is not None:
                    assert outcome.code in codes, f"{name}: {outcome.code} missing from scrub"

    def test_prices_are_decimal_cents_that_add_up(self, kit):
        for name, case, visit in self._visits():
            pricing = kit.price(case, visit)
            for line in pricing.lines:
                assert isinstance(line.charge, Decimal), name
                assert line.charge == line.charge.quantize(CENT), name
                assert isinstance(line.units, int) and line.units >= 0, name
                if line.allowed is not None:
                    assert isinstance(line.allowed, Decimal), name
                    assert line.allowed == line.allowed.quantize(CENT), name
                    assert line.fee_source, f"{name}: allowed amount without a fee source"
            assert pricing.total_charge == sum(ln.charge for ln in pricing.lines), name

    def test_same_case_same_answers(self, kit):
        for name, case in self._cases():
            assert kit.check(case) == kit.check(case), name
            assert kit.price(case) == kit.price(case), name
            assert kit.limits(case) == kit.limits(case), name
            assert kit.scrub(case) == kit.scrub(case), name

    def test_clean_cases_write_valid_837p(self, kit):
        from ..formats.options import ControlNumbers, WriteOptions
        from .x12 import semantic_errors_837p, validate_with_pyx12

        written = 0
        for name, case in self._cases():
            if X12_837P not in kit.program(case.program).claim_formats:
                continue
            if kit.scrub(case).errors:
                continue
            now = dt.datetime.combine(case.today(), dt.time(12, 0))
            options = WriteOptions(ControlNumbers(1, 1, 1), now)
            text = kit.claim(case, X12_837P, options=options).decode("ascii")
            assert validate_with_pyx12(text) == [], name
            assert semantic_errors_837p(text) == [], name
            written += 1
        programs = {case.program for _, case in self._cases()}
        if any(X12_837P in kit.program(p).claim_formats for p in programs):
            assert written, "no case scrubs clean: add one that makes a claim"

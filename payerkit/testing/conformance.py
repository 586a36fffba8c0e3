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

The suite checks that the plugin registers well-formed programs with sources,
answers only for its own programs, cites every reason, finding and limit,
prices in Decimal cents whose totals add up, gives the same answers twice,
and writes 837P claims that pyx12 accepts, and that pass the semantic rules no
validator checks, for every case the scrub passes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ..hookspecs import hookspecs_names
from ..io import load_case
from ..kit import PayerKit
from ..manager import new_plugin_manager
from ..model import Program

FOREIGN = Program(id="conformance-foreign-program", name="Not yours",
                  line_of_business="commercial", states=("ZZ",))
CENT = Decimal("0.01")


class AdapterSuite:
    """Base class: set ``plugin`` (module or object) and ``cases`` (case file paths)."""

    plugin: object = None
    cases: list[Path] = []

    @pytest.fixture
    def kit(self, payerkit_data_dir):
        return PayerKit(entry_points=False, plugins=[self.plugin], strict=True)

    def _cases(self):
        assert self.cases, "give the suite at least one case file for each program"
        return [(Path(p).name, load_case(p)) for p in self.cases]

    def test_registers_programs_with_sources(self, kit):
        mine = [e for e in kit.programs() if e.plugin.distribution != "payerkit"]
        assert mine, "the plugin registers no program"
        for entry in mine:
            program = entry.program
            assert program.sources, f"{program.id}: no sources"
            assert program.states, f"{program.id}: no states"
            assert program.claim_formats, f"{program.id}: no claim formats"

    def test_implements_only_known_hooks(self):
        hooks = [n for n in dir(self.plugin) if n.startswith("payerkit_")]
        assert hooks, "the plugin implements no hook"
        unknown = sorted(set(hooks) - set(hookspecs_names()))
        assert not unknown, f"unknown hooks (typo?): {unknown}"

    def test_answers_only_for_its_own_programs(self):
        pm = new_plugin_manager()
        pm.register(self.plugin)
        for name, case in self._cases():
            visit = case.visits[-1]
            hook = pm.hook
            assert hook.payerkit_eligibility(program=FOREIGN, case=case, visit=visit) is None
            assert hook.payerkit_units(program=FOREIGN, case=case) is None, name
            assert hook.payerkit_fee_schedule(program=FOREIGN, case=case) is None, name
            assert hook.payerkit_visit_limits(program=FOREIGN, case=case) is None, name
            assert hook.payerkit_filing_deadline(program=FOREIGN, case=case, visit=visit) is None
            found = hook.payerkit_scrub(program=FOREIGN, case=case, visit=visit, pricing=None)
            assert not [f for fs in found for f in (fs or ())], name

    def test_cases_name_its_programs(self, kit):
        ids = {e.program.id for e in kit.programs()}
        for name, case in self._cases():
            assert case.program in ids, f"{name}: program {case.program!r} is not the plugin's"

    def test_every_answer_is_cited(self, kit):
        for name, case in self._cases():
            result = kit.check(case)
            assert result.status in {"covered", "action_required", "not_covered"}
            for reason in result.requirements + result.reasons:
                assert reason.citation is not None, f"{name}: {reason.code} has no citation"
            if result.status == "action_required":
                assert result.requirements, f"{name}: action_required without requirements"
            for reason in kit.price(case).reasons:
                assert reason.citation is not None, f"{name}: pricing {reason.code} uncited"
            for limit in kit.limits(case).limits:
                assert limit.citation is not None, f"{name}: limit {limit.name!r} uncited"
            for finding in kit.scrub(case).findings:
                assert finding.citation is not None, f"{name}: {finding.code} has no citation"
                assert finding.path, f"{name}: {finding.code} names no field path"

    def test_prices_are_decimal_cents_that_add_up(self, kit):
        for name, case in self._cases():
            pricing = kit.price(case)
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

        options = WriteOptions(ControlNumbers(1, 1, 1), dt.datetime(2026, 1, 1, 12, 0))
        written = 0
        for name, case in self._cases():
            if "x12-837p" not in kit.program(case.program).claim_formats:
                continue
            if kit.scrub(case).errors:
                continue
            text = kit.claim(case, "x12-837p", options=options).decode("ascii")
            assert validate_with_pyx12(text) == [], name
            assert semantic_errors_837p(text) == [], name
            written += 1
        programs = {case.program for _, case in self._cases()}
        if any("x12-837p" in kit.program(p).claim_formats for p in programs):
            assert written, "no case scrubs clean: add one that makes a claim"

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

The suite is data-driven: each check is a test parametrized by what it checks
— a program, a figure, a code, a case file, a visit of a case — so a failure
names the program, the case file, the visit and the field. It checks:

* **registration**: every program (and rule set) is well formed, lists only
  installed claim formats, and is cited; each program has a case; the plugin
  and each program's adapter implement only hooks of the contract; every
  figure of ``data/figures.toml`` is cited;
* **the public API**: the plugin's package imports nothing of payerkit that
  ``docs/api.md`` does not make public (:mod:`payerkit.testing.public_api`);
* **every rule exercised**: the plugin declares the codes its rules can give
  (``CODES``, :mod:`payerkit.testing.codes`), writes no code it does not
  declare, and some visit of some case reaches each one;
* **every visit of every case**: answers cited by a structured source
  (:mod:`payerkit.testing.citations`: an edition, a url or a citation a reader
  can look up, never an absence graded as a source); ``check`` and ``scrub``
  agree; prices are Decimal amounts, to the cent, that add up; limits, filing deadlines and
  payment terms are well formed (days given, Decimal where money or a rate,
  the field named); the same visit gets the same answers twice;
* **claims**: every case the scrub passes writes an 837P that pyx12 accepts and
  that passes the semantic rules no validator checks, and some case does.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import get_args

import attrs
import pytest

from ..errors import CaseError
from ..figures import FIGURES_FILE, parse_figures
from ..formats import X12_837P
from ..hookspecs import hookimpl, hookspecs_names
from ..io import load_case
from ..kit import PayerKit
from ..model import (
    Case,
    Deadline,
    Eligibility,
    Limits,
    Outcome,
    PaymentTerm,
    PaymentTerms,
    Pricing,
    Scrub,
    Visit,
)
from ..model.results import LimitUnit, Severity, Status
from ..rules.money import CENT
from .citations import NOTES, citation_problems
from .codes import declared_codes, written_codes
from .expectations import check_expected, has_expectations
from .public_api import private_imports

STATUSES, LIMIT_UNITS, SEVERITIES = get_args(Status), get_args(LimitUnit), get_args(Severity)


def assert_primary(citation: object, what: str) -> None:
    """``citation`` is a structured citation of a primary source (``citation_problems``)."""
    problems = citation_problems(citation)
    assert not problems, f"{what}: citation: " + "; ".join(problems)


def _package(plugin: object) -> str | None:
    name = getattr(plugin, "__package__", None) or type(plugin).__module__.rpartition(".")[0]
    return name or None


def _source_of(plugin: object) -> Path | None:
    """The plugin's source: the folder of its top-level package (one with an ``__init__.py``:
    a distribution's), else the module defining it (or its class)."""
    module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(type(plugin).__module__)
    top = sys.modules.get((_package(plugin) or "").partition(".")[0])
    if getattr(top, "__file__", None):
        return Path(top.__file__).parent
    file = getattr(module, "__file__", None)
    return Path(file) if file else None


def _whole_days(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _amount(value: object) -> bool:
    """A count or an amount: an int or a Decimal, never a float (nor a bool)."""
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


class _DeadlineSpy:
    """A local plugin wrapping ``payerkit_filing_deadline``: keeps the last answer given."""

    answer: object = None

    @hookimpl(wrapper=True)
    def payerkit_filing_deadline(self):
        answer = yield
        self.answer = answer = None if answer is None else list(answer)
        return answer


@attrs.frozen
class VisitAnswers:
    """What the kit answers for one visit of one case, in one evaluation."""

    where: str
    case: Case
    visit: Visit
    eligibility: Eligibility | None = None
    pricing: Pricing | None = None
    limits: Limits | None = None
    payment_terms: PaymentTerms | None = None
    scrub: Scrub | None = None
    outcomes: tuple[Outcome, ...] = ()
    #: the deadlines the kit judged (the answer of ``payerkit_filing_deadline``), or None
    deadlines: list | None = None
    #: what stopped the evaluation, if anything (raised by :meth:`ok`)
    error: BaseException | None = None

    def ok(self) -> VisitAnswers:
        if self.error is not None:
            raise self.error
        return self

    def compared(self) -> dict[str, object]:
        return {"check": self.eligibility, "price": self.pricing, "limits": self.limits,
                "payment terms": self.payment_terms, "scrub": self.scrub,
                "outcomes": self.outcomes, "deadlines": self.deadlines}

    @property
    def codes(self) -> set[str]:
        """Every code this visit's answers carry."""
        return {*(o.code for o in self.outcomes),
                *(r.code for r in self.eligibility.reasons + self.eligibility.requirements),
                *(r.code for r in self.pricing.reasons), *(f.code for f in self.scrub.findings)}


class _Answers:
    """Each visit's answers, evaluated once per suite class (the kit asked as a user's is)."""

    def __init__(self, kit: PayerKit, spy: _DeadlineSpy):
        self.kit, self.spy, self._known = kit, spy, {}

    def of(self, visit_of: tuple[Path, int]) -> VisitAnswers:
        if visit_of not in self._known:
            self._known[visit_of] = self.evaluate(visit_of)
        return self._known[visit_of]

    def evaluate(self, visit_of: tuple[Path, int]) -> VisitAnswers:
        path, index = visit_of
        case = load_case(path)
        visit = case.visits[index]
        where = f"{Path(path).name} visit {visit.date.isoformat()} (program {case.program})"
        self.spy.answer = None
        try:
            ev = self.kit.evaluate(case, visit)
            outcomes = self.kit.outcomes(case, visit)
        except Exception as exc:  # reported by the tests that need the answers
            return VisitAnswers(where, case, visit, deadlines=self.spy.answer, error=exc)
        return VisitAnswers(where, case, visit, ev.eligibility, ev.pricing, ev.limits,
                            ev.payment_terms, ev.scrub, tuple(outcomes), self.spy.answer)


class AdapterSuite:
    """Base class: set ``plugin`` (module or object) and ``cases`` (case file paths).

    The plugin declares ``CODES``, the codes its rules can give (docs/hooks.md,
    Conformance). A plugin that owns no program (a rule set, such as a state's
    law) sets ``hosts``: adapters whose programs its cases name (invented ones
    will do).
    """

    plugin: object = None
    cases: list[Path] = []
    hosts: list = []

    # -- what the tests are parametrized by -----------------------------------------------

    def pytest_generate_tests(self, metafunc):
        """Parametrize each test by what it checks, each value named in the test's id."""
        given = {
            "registered": lambda: [(("program", p.id), p.id) for p in self._programs()] + [
                (("rule set", r.id), r.id) for r in self._rule_sets()],
            "program_id": lambda: [(p.id, p.id) for p in self._programs()],
            "figure_name": lambda: [(n, n) for n in sorted(getattr(self._figures(), "by_name", ()))],
            "code": lambda: [(c, c) for c in sorted(self._own_codes())],
            "case_file": lambda: [(Path(p), Path(p).name) for p in self.cases],
            "visit_of": self._visit_params,
        }
        for name, values in given.items():
            if name in metafunc.fixturenames:
                pairs = values()
                metafunc.parametrize(name, [v for v, _ in pairs], ids=[i for _, i in pairs])

    @classmethod
    def _visit_params(cls) -> list[tuple[tuple[Path, int], str]]:
        """Every visit of every case that loads (one that does not fails its case's tests)."""
        found = []
        for path in map(Path, cls.cases):
            try:
                visits = load_case(path).visits
            except (CaseError, OSError):
                continue
            dates = [v.date.isoformat() for v in visits]
            for i, date in enumerate(dates):
                nth = f"#{dates[:i + 1].count(date)}" if dates.count(date) > 1 else ""
                found.append(((path, i), f"{path.name}@{date}{nth}"))
        return found

    def _programs(self) -> list:
        return list(getattr(self.plugin, "payerkit_programs", lambda: [])())

    def _rule_sets(self) -> list:
        return list(getattr(self.plugin, "payerkit_rule_sets", lambda: [])())

    def _figures(self):
        package = _package(self.plugin)
        if package is None:
            return None
        path = resources.files(package) / "data" / FIGURES_FILE  # a namespace package too
        if not path.is_file():
            return None
        return parse_figures(path.read_text(encoding="utf-8"), f"{package}/data/{FIGURES_FILE}")

    def _own_codes(self) -> frozenset[str]:
        """The declared codes, or none (the declaration's own test says what is missing)."""
        return frozenset(getattr(self.plugin, "CODES", None) or ())

    # -- fixtures -------------------------------------------------------------------------

    @classmethod
    def _new_kit(cls) -> PayerKit:
        return PayerKit(entry_points=False, plugins=[cls.plugin, *cls.hosts], strict=True)

    @pytest.fixture
    def kit(self, payerkit_data_dir):
        return self._new_kit()

    @pytest.fixture(scope="class")
    @classmethod
    def answers(cls) -> _Answers:
        spy = _DeadlineSpy()
        kit = cls._new_kit()
        kit.register(spy, "payerkit conformance suite")
        return _Answers(kit, spy)

    @pytest.fixture(scope="class")
    @classmethod
    def reached(cls, answers) -> set[str]:
        """Every code some visit of some case reaches."""
        found: set[str] = set()
        for visit_of, _ in cls._visit_params():
            result = answers.of(visit_of)
            if result.error is None:
                found |= result.codes
        return found

    # -- registration ---------------------------------------------------------------------

    def test_registers_a_program_or_rule_set(self):
        assert self._programs() or self._rule_sets(), \
            "the plugin registers no program and no rule set"

    def test_registration_is_well_formed(self, registered, kit):
        kind, record_id = registered
        records = self._programs() if kind == "program" else self._rule_sets()
        [record] = [r for r in records if r.id == record_id]
        where = f"{kind} {record_id}"
        assert record.sources, f"{where}: sources: none: cite the rules it encodes"
        for i, citation in enumerate(record.sources):
            assert_primary(citation, f"{where}: sources[{i}]")
        if kind == "rule set":
            return
        assert record.states, f"{where}: states: none"
        assert record.claim_formats, f"{where}: claim_formats: none"
        missing = set(record.claim_formats) - {f.id for f in kit.claim_formats()}
        assert not missing, f"{where}: claim_formats: lists formats no plugin writes: {missing}"
        if record.payer_id is not None:
            assert_primary(record.payer_id_citation, f"{where}: payer_id_citation")
        if record.claim_formats_citation is not None:
            assert_primary(record.claim_formats_citation, f"{where}: claim_formats_citation")

    def test_program_has_a_case(self, program_id):
        named = [Path(p).name for p in self.cases if _program_of(p) == program_id]
        assert named, f"program {program_id}: no case names it: give the suite at least one " \
            f"case file with program = \"{program_id}\""

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

    def test_figure_is_cited(self, figure_name):
        for figure in self._figures().by_name[figure_name]:
            dates = f" (from {figure.effective_from or '...'} to {figure.effective_to or '...'})" \
                if figure.effective_from or figure.effective_to else ""
            where = f"data/{FIGURES_FILE}: figure {figure_name}{dates}"
            assert_primary(figure.citation, where)
            assert figure.citation.confidence != "practice", \
                f"{where}: confidence: a shipped figure cannot be the practice's"

    def test_imports_only_the_public_api(self):
        source = _source_of(self.plugin)
        if source is None:
            pytest.skip("the plugin has no source file to read")
        found = private_imports(source)
        assert not found, f"{source.name} imports what docs/api.md does not make public " \
            "(internal: it may change in any release): " + "; ".join(found)

    # -- every rule exercised -------------------------------------------------------------

    def test_declares_every_code_it_writes(self):
        declared = declared_codes(self.plugin)
        source = _source_of(self.plugin)
        written = written_codes(source) if source is not None else {}
        undeclared = {code: at for code, at in written.items() if code not in declared}
        assert not undeclared, "codes written in the plugin but missing from its CODES: " + \
            ", ".join(f"{code} ({at})" for code, at in sorted(undeclared.items()))

    def test_code_is_reached(self, code, reached):
        assert code in reached, f"code {code}: no visit of any case reaches it: add a case " \
            "whose answers (outcomes, scrub findings or pricing reasons) give it, or take it " \
            "out of CODES if the plugin can no longer give it"

    # -- each case ------------------------------------------------------------------------

    def test_case_names_a_program_of_the_kit(self, case_file, kit):
        case = load_case(case_file)
        ids = {e.program.id for e in kit.programs()}
        assert case.program in ids, f"{case_file.name}: program: {case.program!r} is not the " \
            f"plugin's (nor a host's): {sorted(ids)}"
        assert case.visits, f"{case_file.name}: visits: none"

    def test_case_gives_its_expected_outcome(self, case_file, kit, payerkit_data_dir):
        """A case that states its outcome in ``# expect-*`` comments gives it
        (:mod:`payerkit.testing.expectations`); a case without them is not checked here."""
        if has_expectations(case_file):
            check_expected(kit, case_file)

    def test_clean_case_writes_valid_837p(self, case_file, kit):
        from ..formats.options import ControlNumbers, WriteOptions
        from .x12 import semantic_errors_837p, validate_with_pyx12

        case = load_case(case_file)
        if X12_837P not in kit.program(case.program).claim_formats or kit.scrub(case).errors:
            return  # no 837P to write: the program takes none, or the scrub stops the claim
        now = dt.datetime.combine(case.today(), dt.time(12, 0))
        text = kit.claim(case, X12_837P, options=WriteOptions(ControlNumbers(1, 1, 1), now)
                         ).decode("ascii")
        where = f"{case_file.name} (program {case.program}): the 837P of its last visit"
        assert validate_with_pyx12(text) == [], where
        assert semantic_errors_837p(text) == [], where

    def test_some_case_makes_a_claim(self, kit):
        cases = [load_case(p) for p in self.cases]
        electronic = [c for c in cases if X12_837P in kit.program(c.program).claim_formats]
        if electronic:
            assert any(not kit.scrub(c).errors for c in electronic), \
                "no case scrubs clean: add one that makes a claim"

    # -- every visit of every case --------------------------------------------------------

    def test_answers_are_cited(self, visit_of, answers):
        got = answers.of(visit_of).ok()
        own, where = self._own_codes(), got.where
        for outcome in got.outcomes:
            if outcome.code in own:
                assert_primary(outcome.citation, f"{where}: outcome {outcome.code} "
                               f"({outcome.path or 'no field'})")
        for reason in got.pricing.reasons:
            if reason.code in own:
                assert_primary(reason.citation, f"{where}: pricing reason {reason.code}")
        for finding in got.scrub.findings:
            if finding.code in own:
                assert finding.path, f"{where}: finding {finding.code}: path: names no field"
                assert_primary(finding.citation, f"{where}: finding {finding.code} "
                               f"({finding.path})")

    def test_check_and_scrub_agree(self, visit_of, answers):
        got = answers.of(visit_of).ok()
        where, result = got.where, got.eligibility
        assert result.status in STATUSES, f"{where}: status {result.status!r}"
        if result.status == "action_required":
            assert result.requirements, f"{where}: action_required without requirements"
        codes = {f.code for f in got.scrub.findings}
        for reason in result.requirements:
            assert reason.code in codes, f"{where}: requirement {reason.code} not in the scrub"
        if result.status == "not_covered":
            assert got.scrub.errors, f"{where}: not covered, yet the scrub is clean"
        for outcome in got.outcomes:
            if outcome.finding is not None:
                assert outcome.code in codes, f"{where}: outcome {outcome.code} is missing " \
                    "from the scrub"

    def test_prices_are_decimal_cents_that_add_up(self, visit_of, answers):
        got = answers.of(visit_of).ok()
        for i, line in enumerate(got.pricing.lines):
            at = f"{got.where}: pricing line {i + 1} ({line.code})"
            assert isinstance(line.charge, Decimal) and line.charge == line.charge.quantize(
                CENT), f"{at}: charge: expected Decimal cents, got {line.charge!r}"
            assert isinstance(line.units, int) and line.units >= 0, \
                f"{at}: units: expected a whole number >= 0, got {line.units!r}"
            if line.allowed is not None:
                assert isinstance(line.allowed, Decimal) and line.allowed == \
                    line.allowed.quantize(CENT), \
                    f"{at}: allowed: expected Decimal cents, got {line.allowed!r}"
                assert line.fee_source, f"{at}: fee_source: an allowed amount without a source"
        assert got.pricing.total_charge == sum(ln.charge for ln in got.pricing.lines), got.where

    def test_limits_are_well_formed(self, visit_of, answers):
        got = answers.of(visit_of).ok()
        for limit in got.limits.limits:
            at = f"{got.where}: limit {limit.name!r}"
            assert isinstance(limit.name, str) and limit.name.strip(), f"{at}: name: blank"
            assert limit.unit in LIMIT_UNITS, f"{at}: unit: {limit.unit!r} is not one of " \
                f"{LIMIT_UNITS}"
            assert limit.allowed is None or (_amount(limit.allowed) and limit.allowed >= 0), \
                f"{at}: allowed: expected None, an int or a Decimal >= 0, got {limit.allowed!r}"
            assert _amount(limit.used) and limit.used >= 0, \
                f"{at}: used: expected an int or a Decimal >= 0, got {limit.used!r}"
            assert isinstance(limit.window, str) and limit.window.strip(), \
                f"{at}: window: say over what the limit counts"
            assert_primary(limit.citation, at)

    def test_deadlines_are_well_formed(self, visit_of, answers):
        got = answers.of(visit_of)
        for i, deadline in enumerate(got.deadlines or ()):
            at = f"{got.where}: deadline {i + 1}"
            assert isinstance(deadline, Deadline), f"{at}: not a Deadline: " \
                f"{type(deadline).__name__}"
            at = f"{got.where}: deadline {deadline.name!r}"
            for name in ("name", "event", "convention", "path"):
                value = getattr(deadline, name)
                assert isinstance(value, str) and value.strip(), \
                    f"{at}: {name}: blank" + (" (the case field it is about)" * (name == "path"))
            assert isinstance(deadline.event_date, dt.date) and \
                not isinstance(deadline.event_date, dt.datetime), \
                f"{at}: event_date: expected a date, got {deadline.event_date!r}"
            assert _whole_days(deadline.days), \
                f"{at}: days: expected a whole number of days > 0, got {deadline.days!r}"
            assert deadline.late_severity in SEVERITIES, \
                f"{at}: late_severity: {deadline.late_severity!r}"
            assert deadline.done_on is None or isinstance(deadline.done_on, dt.date), \
                f"{at}: done_on: expected a date or None, got {deadline.done_on!r}"
            assert_primary(deadline.citation, at)
        got.ok()

    def test_payment_terms_are_well_formed(self, visit_of, answers):
        got = answers.of(visit_of).ok()
        for term in got.payment_terms.terms:
            at = f"{got.where}: payment term {term.name!r}"
            assert isinstance(term, PaymentTerm), f"{at}: not a PaymentTerm"
            for name in ("name", "description"):
                value = getattr(term, name)
                assert isinstance(value, str) and value.strip(), f"{at}: {name}: blank"
            assert term.days is not None or term.interest_after_days is not None, \
                f"{at}: days: a term says by when: give days (or interest_after_days)"
            for name in ("days", "interest_after_days"):
                value = getattr(term, name)
                assert value is None or _whole_days(value), \
                    f"{at}: {name}: expected a whole number of days > 0, got {value!r}"
            for name, top in (("share", Decimal(1)), ("interest_per_month", Decimal(1))):
                value = getattr(term, name)
                assert value is None or (isinstance(value, Decimal) and 0 < value <= top), \
                    f"{at}: {name}: expected a Decimal fraction (0.95 for 95%), got {value!r}"
            if term.interest_per_month is not None:
                assert term.interest_after_days is not None, \
                    f"{at}: interest_after_days: interest is owed after how many days?"
            assert_primary(term.citation, at)

    def test_same_answers_twice(self, visit_of, answers):
        first = answers.of(visit_of).ok()
        again = answers.evaluate(visit_of).ok()
        for name, value in first.compared().items():
            assert again.compared()[name] == value, \
                f"{first.where}: {name}: a second run answers otherwise"


def _program_of(path: Path) -> str | None:
    try:
        return load_case(path).program
    except (CaseError, OSError):
        return None


__all__ = ["NOTES", "AdapterSuite", "VisitAnswers", "assert_primary"]

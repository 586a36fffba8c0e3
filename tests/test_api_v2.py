"""Contract v2: the context, program facts, outcomes by confidence, and the review's defects."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.metadata
from pathlib import Path

import attrs
import pytest
from attrs import frozen
from case_samples import BASE_CASE, TEST_CITATION, SampleAdapter, make_case

import payerkit
from payerkit import (
    CaseError,
    Citation,
    ClaimFormat,
    ClaimRefused,
    FormatError,
    PayerKit,
    PluginError,
    Program,
    hookimpl,
    not_covered,
    requirement,
)
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.io import structure_case
from payerkit.manager import PluginLoadWarning

OPTIONS = WriteOptions(ControlNumbers(3, 3, 3), dt.datetime(2026, 3, 20, 9, 0))
HIGH = Citation("invented regulation (test)", confidence="high")
MEDIUM = Citation("invented secondary source (test)", confidence="medium")
LOW = Citation("invented practitioner blog (test)", confidence="low")


def kit_with(*plugins, strict=False):
    return PayerKit(entry_points=False, plugins=plugins, strict=strict)


def test_the_package_exports_what_the_docs_use():
    from payerkit import Case, Outcome, Visit, load_case  # noqa: F401

    assert payerkit.hookimpl is payerkit.hookspecs.hookimpl
    assert payerkit.CONTRACT_VERSION == 2


def test_lxml_is_a_core_dependency_because_the_core_uses_it():
    # it left the core while nothing imported it; the HTML superbill builds its markup with it
    requires = importlib.metadata.requires("payerkit") or []
    assert [r for r in requires if r.startswith("lxml") and "extra" not in r]
    assert "from lxml" in (Path(payerkit.__file__).parent / "formats" / "superbill.py").read_text()


def test_a_citation_with_an_unknown_confidence_is_refused():
    with pytest.raises(ValueError, match="confidence"):
        Citation("x", confidence="hgih")


# -- every hook gets the same context ------------------------------------------------------


class Recorder(SampleAdapter):
    def __init__(self):
        super().__init__()
        self.seen = {}

    def _see(self, hook, visit, as_of):
        self.seen[hook] = (visit.date, as_of)

    @hookimpl
    def payerkit_outcomes(self, visit, as_of):
        self._see("outcomes", visit, as_of)
        return []

    @hookimpl
    def payerkit_units(self, visit, as_of):
        self._see("units", visit, as_of)

    @hookimpl
    def payerkit_fee_schedule(self, visit, as_of):
        self._see("fee_schedule", visit, as_of)

    @hookimpl
    def payerkit_adjust_pricing(self, visit, as_of):
        self._see("adjust_pricing", visit, as_of)

    @hookimpl
    def payerkit_visit_limits(self, visit, as_of):
        self._see("visit_limits", visit, as_of)

    @hookimpl
    def payerkit_filing_deadline(self, visit, as_of):
        self._see("filing_deadline", visit, as_of)

    @hookimpl
    def payerkit_scrub(self, visit, as_of):
        self._see("scrub", visit, as_of)


def two_visits():
    return make_case(visits=[
        {"date": dt.date(2026, 3, 5), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 12), "services": [{"code": "97124", "minutes": 30}]}])


def test_every_question_gets_the_visit_asked_about_and_the_day(payerkit_data_dir):
    adapter = Recorder()
    kit = kit_with(adapter)
    first, day = dt.date(2026, 3, 5), dt.date(2026, 4, 1)
    kit.check(two_visits(), first, as_of=day)
    kit.scrub(two_visits(), first, as_of=day)
    kit.limits(two_visits(), first, as_of=day)
    assert set(adapter.seen) == {"outcomes", "units", "fee_schedule", "adjust_pricing",
                                 "visit_limits", "filing_deadline", "scrub"}
    assert set(adapter.seen.values()) == {(first, day)}


def test_as_of_defaults_to_the_case_then_today(payerkit_data_dir):
    adapter = Recorder()
    kit = kit_with(adapter)
    kit.check(two_visits())
    assert adapter.seen["outcomes"] == (dt.date(2026, 3, 12), dt.date(2026, 3, 20))
    kit.check(make_case(as_of=None))
    assert adapter.seen["outcomes"][1] == dt.date.today()


# -- program facts --------------------------------------------------------------------------


@frozen
class PlanFacts:
    referral_number: str | None = None
    sessions_booked: int = 0


class WithFacts(SampleAdapter):
    program = Program(id="facts-plan", name="Facts plan", line_of_business="auto",
                      states=("NY",), payer_id="99999", sources=(HIGH,), facts=PlanFacts,
                      fact_aliases={"referral_number": "coverage.group_number"})

    @hookimpl
    def payerkit_outcomes(self, facts):
        if facts.referral_number is None:
            return [requirement("NEED-REFERRAL", "record the referral", HIGH,
                                "facts.facts-plan.referral_number")]
        return []


def facts_case(facts=None, **coverage):
    data = copy.deepcopy(BASE_CASE)
    data["program"] = "facts-plan"
    data["episode"] = {**data["episode"], "kind": "auto_accident", "state": "NY"}
    data["coverage"].update(coverage)
    if facts is not None:
        data["facts"] = facts
    return structure_case(data)


def test_program_facts_are_typed_from_their_namespaced_table(payerkit_data_dir):
    kit = kit_with(WithFacts())
    assert kit.check(facts_case()).status == "action_required"
    case = facts_case({"facts-plan": {"referral_number": "R1", "sessions_booked": 4}})
    assert kit.context(case).facts == PlanFacts("R1", 4)
    assert kit.check(case).status == "covered"


def test_bad_program_facts_name_their_path(payerkit_data_dir):
    kit = kit_with(WithFacts())
    with pytest.raises(CaseError) as exc:
        kit.check(facts_case({"facts-plan": {"sessions_booked": "four", "colour": "red"}}))
    text = "\n".join(exc.value.problems)
    assert "facts.facts-plan.sessions_booked: expected an integer" in text
    assert "facts.facts-plan: unknown field(s): colour" in text
    with pytest.raises(CaseError, match=r"facts.other-plan: this case is for 'facts-plan'"):
        kit.check(facts_case({"other-plan": {}}))


def test_an_older_field_is_an_alias_of_a_fact(payerkit_data_dir):
    kit = kit_with(WithFacts())
    assert kit.context(facts_case(group_number="G-1")).facts.referral_number == "G-1"
    both = facts_case({"facts-plan": {"referral_number": "R2"}}, group_number="G-1")
    assert kit.context(both).facts.referral_number == "R2"  # the facts table wins


# -- outcomes are only as strong as their citation ---------------------------------------------


def adapter_saying(*outcomes):
    class Saying(SampleAdapter):
        @hookimpl
        def payerkit_outcomes(self):
            return list(outcomes)
    return Saying()


def test_a_confirmed_exclusion_refuses(payerkit_data_dir):
    kit = kit_with(adapter_saying(not_covered("EXCLUDED", "not a covered service", HIGH, "x")))
    assert kit.check(make_case()).status == "not_covered"
    assert [f.code for f in kit.scrub(make_case()).errors] == ["EXCLUDED"]


def test_an_unconfirmed_exclusion_is_verify_with_the_plan_not_a_refusal(payerkit_data_dir):
    kit = kit_with(adapter_saying(not_covered("EXCLUDED", "not a covered service", MEDIUM, "x")))
    result = kit.check(make_case())
    assert result.status == "action_required"
    assert "verify with the plan" in result.requirements[0].message
    assert [f.code for f in kit.scrub(make_case()).errors] == ["EXCLUDED"]


def test_a_weak_rule_never_stops_a_claim(payerkit_data_dir):
    kit = kit_with(adapter_saying(not_covered("RUMOUR", "a blog says so", LOW, "x"),
                                  requirement("GUESS", "maybe needed", LOW, "y", "error")))
    assert kit.check(make_case()).status == "action_required"
    scrub = kit.scrub(make_case())
    assert scrub.errors == ()
    assert {f.code: f.severity for f in scrub.findings} == {"RUMOUR": "warning",
                                                             "GUESS": "warning"}
    assert kit.claim(make_case(), options=OPTIONS).startswith(b"ISA*")


def test_check_and_scrub_read_one_list(payerkit_data_dir):
    kit = kit_with(adapter_saying(requirement("A", "do a", HIGH, "a"),
                                  requirement("B", "do b", HIGH, "b")))
    assert [r.code for r in kit.check(make_case()).requirements] == ["A", "B"]
    assert [f.code for f in kit.scrub(make_case()).errors] == ["A", "B"]


# -- defects found in review ----------------------------------------------------------------------


def test_an_adjust_pricing_that_adds_lines_is_a_plugin_error_naming_it(payerkit_data_dir):
    class Adder:
        @hookimpl
        def payerkit_adjust_pricing(self, pricing):
            return attrs.evolve(pricing, lines=[*pricing.lines, pricing.lines[0]])

    kit = kit_with(SampleAdapter())
    kit.register(Adder(), name="adder")
    for question in (kit.price, kit.scrub):
        with pytest.raises(PluginError, match="'adder' .local. answered payerkit_adjust_pricing"):
            question(make_case())


def test_a_hook_that_raises_is_a_plugin_error_naming_plugin_hook_and_type(payerkit_data_dir):
    class Leaky:
        @hookimpl
        def payerkit_scrub(self, case):
            raise RuntimeError(f"patient {case.patient.last_name} broke me")

    kit = kit_with(SampleAdapter())
    kit.register(Leaky(), name="leaky")
    with pytest.raises(PluginError) as exc:
        kit.scrub(make_case())
    assert str(exc.value) == "plugin 'leaky' (local) failed in payerkit_scrub: RuntimeError"
    assert "Person" not in str(exc.value)


def test_a_hook_answering_the_wrong_type_is_a_plugin_error(payerkit_data_dir):
    class Wrong:
        @hookimpl
        def payerkit_visit_limits(self):
            return "ten visits"

    kit = kit_with(SampleAdapter())
    kit.register(Wrong(), name="wrong")
    with pytest.raises(PluginError, match="'wrong' .local. answered payerkit_visit_limits with str"):
        kit.limits(make_case())


def formats_plugin(write, check=None):
    class Formats:
        @hookimpl
        def payerkit_claim_formats(self):
            return [ClaimFormat("test-paper", "Test paper", ".txt", "text/plain", write, check)]
    return Formats()


def paper_adapter():
    class Paper(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("x12-837p", "test-paper"))
    return Paper()


def test_a_writer_bug_is_a_plugin_error_not_a_user_error(payerkit_data_dir):
    def write(claim, options):
        raise ValueError("internal: list index out of range")

    kit = kit_with(paper_adapter(), formats_plugin(write))
    with pytest.raises(PluginError, match="test-paper writer of plugin 'Formats'.*ValueError"):
        kit.claim(make_case(), "test-paper", options=OPTIONS)


def test_a_value_the_format_cannot_carry_names_the_case_field(payerkit_data_dir):
    def write(claim, options):
        raise FormatError("insured.address.city", "at most 10 characters")

    kit = kit_with(paper_adapter(), formats_plugin(write))
    with pytest.raises(ClaimRefused) as exc:
        kit.claim(make_case(), "test-paper", options=OPTIONS)
    [finding] = exc.value.findings
    assert (finding.code, finding.path) == ("FORMAT-LIMIT", "patient.address.city")
    assert finding.message == "patient.address.city: at most 10 characters (Test paper)"


def test_the_scrub_reports_what_the_837p_writer_would_refuse(payerkit_data_dir):
    case = make_case(coverage={**BASE_CASE["coverage"], "member_id": "A" * 81})
    kit = kit_with(SampleAdapter())
    [finding] = kit.scrub(case).errors
    assert (finding.code, finding.path) == ("FORMAT-LIMIT", "coverage.member_id")
    with pytest.raises(ClaimRefused):
        kit.claim(case, options=OPTIONS)


def test_a_program_may_list_only_installed_formats(payerkit_data_dir):
    with pytest.warns(PluginLoadWarning, match="'test-plan' lists claim format.*test-paper"):
        kit = kit_with(paper_adapter())
    assert kit.program("test-plan").claim_formats == ("x12-837p",)
    with pytest.raises(PluginError):
        kit_with(paper_adapter(), strict=True)


def test_an_installed_format_the_program_does_not_take_is_a_finding(payerkit_data_dir):
    kit = kit_with(SampleAdapter(), formats_plugin(lambda claim, options: b"paper"))
    with pytest.raises(ClaimRefused) as exc:
        kit.claim(make_case(), "test-paper", options=OPTIONS)
    assert exc.value.findings[0].code == "FORMAT-NOT-ACCEPTED"
    # no rule of its own: the program's name, as before
    assert exc.value.findings[0].citation == Citation(SampleAdapter.program.name, confidence="rule")
    with pytest.raises(CaseError, match="unknown claim format 'nope'"):
        kit.claim(make_case(), "nope", options=OPTIONS)


def test_format_not_accepted_cites_the_programs_claim_formats_rule(payerkit_data_dir):
    """A program cites the payer's rule on the claims it takes (electronic only; when paper is
    allowed), and FORMAT-NOT-ACCEPTED cites it instead of the program's name."""
    rule = Citation("Invented plan manual: claims electronically; paper only from members",
                    "2026", "high")

    class Electronic(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats_citation=rule)

    kit = kit_with(Electronic(), formats_plugin(lambda claim, options: b"paper"))
    with pytest.raises(ClaimRefused) as exc:
        kit.claim(make_case(), "test-paper", options=OPTIONS)
    [finding] = exc.value.findings
    assert finding.code == "FORMAT-NOT-ACCEPTED" and finding.citation == rule


# -- deadlines are judged on the day the claim is written ----------------------------------------


def test_a_stale_as_of_is_named_and_lateness_on_the_writing_day_is_shown(payerkit_data_dir):
    kit = kit_with(SampleAdapter())  # claims within 90 days of service
    case = make_case()  # as_of 2026-03-20, service 2026-03-12
    later = WriteOptions(ControlNumbers(4, 4, 4), dt.datetime(2026, 7, 1, 9, 0))
    scrub = kit.scrub(case, written_on=dt.date(2026, 7, 1))
    stale = [f for f in scrub.findings if f.code == "AS-OF-BEFORE-WRITING"]
    assert stale and "2026-03-20" in stale[0].message and "2026-07-01" in stale[0].message
    [late] = [f for f in scrub.findings if f.code == "LATE-CLAIM-SUBMISSION"]
    assert late.severity == "warning" and late.message.startswith("if sent on 2026-07-01")
    assert kit.claim(case, options=later).startswith(b"ISA*")  # judged on as_of: warned only
    with pytest.raises(ClaimRefused):  # judged on the writing day: late
        kit.claim(case, options=later, as_of=dt.date(2026, 7, 1))


def test_assignment_facts_drive_clm06_to_clm09(payerkit_data_dir):
    data = copy.deepcopy(BASE_CASE)
    data["claim"] = {"benefits_assigned": False, "accepts_assignment": False,
                     "release_of_information": "I", "provider_signature_on_file": False}
    text = kit_with(SampleAdapter()).claim(structure_case(data), options=OPTIONS).decode()
    clm = next(s for s in text.split("~\n") if s.startswith("CLM*"))
    assert clm.split("*")[6:10] == ["N", "C", "N", "I"]
    default = kit_with(SampleAdapter()).claim(make_case(), options=OPTIONS).decode()
    clm = next(s for s in default.split("~\n") if s.startswith("CLM*"))
    assert clm.split("*")[6:10] == ["Y", "A", "Y", "Y"]


def test_the_payer_id_defaults_to_the_programs(payerkit_data_dir):
    data = copy.deepcopy(BASE_CASE)
    del data["coverage"]["payer_id"]
    text = kit_with(SampleAdapter()).claim(structure_case(data), options=OPTIONS).decode()
    assert "NM1*PR*2*TEST PLAN*****PI*99999~" in text


def test_citations_of_the_test_adapter_are_primary():
    assert TEST_CITATION.confidence == "sample"


def test_a_line_problem_names_its_service_when_an_earlier_service_has_no_unit(payerkit_data_dir):
    case = make_case(visits=[{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 3},                       # no unit: not on the claim
        {"code": "97140", "minutes": 15, "modifiers": ["5@"]}]}])
    found = [f for f in kit_with(SampleAdapter()).scrub(case).errors if f.code == "FORMAT-LIMIT"]
    assert found and all(f.path.startswith("visits[0].services[1]") for f in found)


def test_a_paper_forms_box_never_stops_the_electronic_claim(payerkit_data_dir):
    # the NF-3 needs the insurer's claim number; an 837P for a commercial plan does not
    class Paper(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("x12-837p", "nf-3"))

    kit = kit_with(Paper())
    assert kit.scrub(make_case()).errors == ()
    assert kit.claim(make_case(), options=OPTIONS).startswith(b"ISA*")
    assert kit.scrub(make_case(), format="nf-3").errors
    with pytest.raises(ClaimRefused):
        kit.claim(make_case(), "nf-3", options=OPTIONS)

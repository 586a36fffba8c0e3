"""One test per hook (datasette's rule, checked by test_docs.py): the facade honours each."""

import datetime as dt

import attrs
import pytest
from case_samples import BASE_CASE, SampleAdapter, make_case

from payerkit import PayerKit, RuleSet, requirement
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.hookspecs import hookimpl
from payerkit.model import Citation, ClaimFormat, Finding, Program

CITE = Citation("invented test rule", confidence="sample")
HIGH = Citation("invented test law", confidence="high")
OPTIONS = WriteOptions(ControlNumbers(7, 7, 7), dt.datetime(2026, 3, 20, 9, 30))


def test_hook_payerkit_programs(kit):
    [entry] = [e for e in kit.programs() if e.program.id == "test-plan"]
    assert entry.program.payer_id == "99999"
    assert kit.program("test-plan").claim_filing_indicator == "CI"


def test_hook_payerkit_claim_formats(payerkit_data_dir):
    class Superbill:
        @hookimpl
        def payerkit_claim_formats(self):
            return [ClaimFormat("superbill-text", "Plain superbill", ".txt", "text/plain",
                                lambda claim, options: f"{claim.id} {claim.total_charge}".encode())]

    class Adapter(SampleAdapter):
        program = Program(id="test-plan", name="Test", line_of_business="commercial",
                          states=("WA",), payer_id="99999",
                          claim_formats=("x12-837p", "superbill-text"))

    kit = PayerKit(entry_points=False, plugins=[Adapter(), Superbill()])
    assert {"x12-837p", "superbill-text"} <= {f.id for f in kit.claim_formats()}
    assert kit.claim(make_case(), "superbill-text").endswith(b" 125.00")


def test_hook_payerkit_outcomes(kit, adapter):
    assert kit.check(make_case()).status == "covered"
    assert adapter.calls == [("outcomes", "test-plan")]


def test_hook_payerkit_rule_sets(payerkit_data_dir):
    class Law:
        @hookimpl
        def payerkit_rule_sets(self):
            return [RuleSet("test-law", "Test law", ("WA",), ("commercial",),
                            ("fully_insured",), (CITE,))]

        @hookimpl
        def payerkit_outcomes(self):
            return [requirement("TEST-LAW", "the invented law requires a form", HIGH, "visits")]

    kit = PayerKit(entry_points=False, plugins=[SampleAdapter(), Law()])
    case = make_case(coverage={**BASE_CASE["coverage"], "funding": "fully_insured"})
    assert kit.check(case).status == "action_required"
    assert [r.code for r in kit.check(case).requirements] == ["TEST-LAW"]


def test_hook_payerkit_units(kit):
    # the adapter picks the CPT midpoint rule: 8 + 8 minutes = 2 units (CMS would give 1)
    case = make_case(visits=[{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8}]}])
    assert [ln.units for ln in kit.price(case).lines] == [1, 1]


def test_hook_payerkit_units_default_is_cms(payerkit_data_dir):
    class NoUnits(SampleAdapter):
        payerkit_units = None

    kit = PayerKit(entry_points=False, plugins=[NoUnits()])
    case = make_case(visits=[{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8}]}])
    pricing = kit.price(case)
    assert [ln.units for ln in pricing.lines] == [1, 0]
    assert pricing.reasons[0].code == "UNITS-DEFAULT"


def test_hook_payerkit_fee_schedule(kit):
    pricing = kit.price(make_case())
    assert [str(ln.allowed) for ln in pricing.lines] == ["60.00", "25.00"]
    assert str(pricing.total_allowed) == "85.00" and str(pricing.total_charge) == "125.00"
    assert any(r.code == "SAMPLE-FEES" for r in pricing.reasons)


def test_hook_payerkit_adjust_pricing(kit):
    class Cap:
        @hookimpl
        def payerkit_adjust_pricing(self, pricing):
            first = attrs.evolve(pricing.lines[0], allowed=pricing.lines[0].allowed / 2)
            return attrs.evolve(pricing, lines=[first, *pricing.lines[1:]])

    kit.register(Cap())
    assert str(kit.price(make_case()).lines[0].allowed) == "30.00"


def test_hook_payerkit_visit_limits(kit):
    [limit] = kit.limits(make_case()).limits
    assert (limit.allowed, limit.used, limit.remaining) == (10, 1, 9)


def test_hook_payerkit_filing_deadline(kit):
    assert kit.scrub(make_case()).findings == ()
    late = kit.scrub(make_case(as_of=dt.date(2026, 6, 11)))
    assert [f.code for f in late.errors] == ["LATE-CLAIM-SUBMISSION"]
    assert late.errors[0].path == "visits[0].date"


def test_hook_payerkit_format_claim(kit):
    class Stamp:
        @hookimpl(wrapper=True)
        def payerkit_format_claim(self, claim_format):
            data = yield
            return data if claim_format.id != "x12-837p" else data.replace(b"\n", b"")

    kit.register(Stamp())
    data = kit.claim(make_case(), "x12-837p", options=OPTIONS)
    assert data.startswith(b"ISA*") and b"\n" not in data


def test_hook_payerkit_scrub(kit):
    class NoMondays:
        @hookimpl
        def payerkit_scrub(self, visit):
            if visit.date.weekday() == 3:
                return [Finding("warning", "THURSDAY", "invented", "visits[0].date", CITE)]
            return []

    kit.register(NoMondays())
    assert [f.code for f in kit.scrub(make_case()).findings] == ["THURSDAY"]


@pytest.mark.parametrize("hook", ["payerkit_outcomes", "payerkit_fee_schedule"])
def test_hooks_get_keyword_arguments_only_they_ask_for(kit, hook):
    class Minimal:
        pass

    def impl(case):  # accepts fewer arguments than the spec: pluggy's opt-in arguments
        return None

    setattr(Minimal, hook, staticmethod(hookimpl(impl)))
    kit.register(Minimal())
    kit.check(make_case())
    kit.price(make_case())


def test_hook_payerkit_patient_billing(kit):
    from payerkit.model import PatientBilling
    from payerkit.model.results import UNSTATED_PATIENT_BILLING

    class NoBalanceBilling:
        @hookimpl
        def payerkit_patient_billing(self):
            return PatientBilling("nothing", "the law forbids billing the patient", HIGH)

    # no plugin answers: only the payer's PR amounts, and payerkit says the rule is unstated
    assert kit.evaluate(make_case()).patient_billing is UNSTATED_PATIENT_BILLING
    assert "verify with the plan" in UNSTATED_PATIENT_BILLING.description
    kit.register(NoBalanceBilling())
    answer = kit.evaluate(make_case()).patient_billing
    assert (answer.rule, answer.citation) == ("nothing", HIGH)


def test_a_patient_billing_rule_is_one_of_two():
    from payerkit.model import PatientBilling

    with pytest.raises(ValueError):
        PatientBilling("everything", "balance billing", HIGH)


def test_a_wrong_patient_billing_answer_names_the_plugin(kit):
    from payerkit.errors import PluginError

    class Wrong:
        @hookimpl
        def payerkit_patient_billing(self):
            return "nothing"

    kit.register(Wrong(), "wrong-billing")
    with pytest.raises(PluginError, match="wrong-billing.*payerkit_patient_billing"):
        kit.evaluate(make_case()).patient_billing  # noqa: B018 - asked when first read


def test_hook_payerkit_payment_terms(kit):
    from decimal import Decimal

    from payerkit.model import PaymentTerm

    class PromptPay:
        @hookimpl
        def payerkit_payment_terms(self):
            return [PaymentTerm("clean claims", "95% of clean claims paid within 30 days", HIGH,
                                days=30, share=Decimal("0.95"))]

    assert kit.payment_terms(make_case()).terms == ()
    kit.register(PromptPay())
    [term] = kit.payment_terms(make_case()).terms
    assert (term.days, term.share) == (30, Decimal("0.95"))

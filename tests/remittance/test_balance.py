"""The 835 balancing rules, one broken at a time; reversals; generated remittances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit.remittance import check_balance, read_835, read_835_file
from payerkit.remittance.balance import RULE_CLAIM, RULE_LINE, RULE_LINES, RULE_TRANSACTION
from payerkit.remittance.model import (
    Adjustment,
    ClaimPayment,
    PatientName,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)
from payerkit.testing.remit import Separators, sample_remittance, write_835

DATA = Path(__file__).resolve().parents[1] / "data" / "x12" / "835"
D = Decimal


def base() -> Remittance:
    """partial-payment.835: a line with CO/PR adjustments, a claim with a claim-level PR-3."""
    (r,) = read_835_file(DATA / "partial-payment.835")
    assert check_balance(r) == ()
    return r


def with_claim(r: Remittance, index: int, **changes) -> Remittance:
    claims = list(r.claims)
    claims[index] = attrs.evolve(claims[index], **changes)
    return attrs.evolve(r, claims=claims)


def with_line(r: Remittance, claim: int, line: int, **changes) -> Remittance:
    lines = list(r.claims[claim].lines)
    lines[line] = attrs.evolve(lines[line], **changes)
    return with_claim(r, claim, lines=lines)


def rules(r: Remittance) -> list[tuple[str, str]]:
    return [(p.where, p.rule) for p in check_balance(r)]


def test_rule_1_the_payment_total():
    r = attrs.evolve(base(), total_paid=D("113.61"))
    (problem,) = check_balance(r)
    assert (problem.where, problem.claim_id, problem.rule, problem.expected, problem.actual) == (
        "", None, RULE_TRANSACTION, D("113.6"), D("113.61"))
    assert problem.message == ("transaction: BPR02 = sum of CLP04 - sum of PLB amounts: "
                               "expected 113.6, the file has 113.61")


def test_rule_1_counts_provider_adjustments_and_the_debit_flag():
    r = base()
    recovery = ProviderAdjustment("1234567893", dt.date(2026, 12, 31), "WO", D("13.6"), "X1")
    assert rules(attrs.evolve(r, provider_adjustments=[recovery])) == [("", RULE_TRANSACTION)]
    assert check_balance(attrs.evolve(r, provider_adjustments=[recovery], total_paid=D(100))) == ()
    owed = ProviderAdjustment("1234567893", dt.date(2026, 12, 31), "WO", D("213.6"))
    debit = attrs.evolve(r, provider_adjustments=[owed], total_paid=D(100), credit_debit="D")
    assert check_balance(debit) == ()
    assert rules(attrs.evolve(debit, credit_debit="C")) == [("", RULE_TRANSACTION)]


def test_rule_2_the_claim():
    r = with_claim(base(), 1, charge=D(106))
    (problem,) = check_balance(r)
    assert (problem.where, problem.claim_id, problem.rule, problem.expected, problem.actual) == (
        "claims[1]", "PK-1003", RULE_CLAIM, D(42), D(41))


def test_rule_2_counts_line_level_adjustments_too():
    r = with_claim(base(), 1, adjustments=())  # the claim-level copay dropped
    assert rules(r) == [("claims[1]", RULE_CLAIM), ("claims[1]", RULE_LINES)]


def test_rule_3_the_service_line():
    r = with_line(base(), 1, 0, charge=D(71))
    (problem,) = check_balance(r)
    assert (problem.where, problem.claim_id, problem.rule, problem.expected, problem.actual) == (
        "claims[1].lines[0]", "PK-1003", RULE_LINE, D(15), D(14))


def test_rule_4_the_claim_against_its_lines():
    r = with_line(base(), 1, 1, charge=D(45), paid=D(38))  # the line still balances itself
    (problem,) = check_balance(r)
    assert (problem.where, problem.rule, problem.expected, problem.actual) == (
        "claims[1]", RULE_LINES, D(74), D(64))


def test_rule_4_needs_lines():
    r = with_claim(base(), 1, lines=(), adjustments=[Adjustment("CO", "45", D(41))])
    assert check_balance(r) == ()


def test_a_line_adjustment_changed_breaks_the_line_and_the_claim():
    adjustments = list(base().claims[0].lines[0].adjustments)
    adjustments[1] = attrs.evolve(adjustments[1], amount=D(49))
    assert rules(with_line(base(), 0, 0, adjustments=adjustments)) == [
        ("claims[0].lines[0]", RULE_LINE), ("claims[0]", RULE_CLAIM)]


def test_the_unbalanced_test_file():
    (r,) = read_835_file(DATA / "not-balanced.835")
    assert rules(r) == [("claims[0].lines[0]", RULE_LINE), ("claims[0]", RULE_CLAIM),
                        ("", RULE_TRANSACTION)]
    assert [p.claim_id for p in check_balance(r)] == ["PK-1015", "PK-1015", None]


def test_a_reversal_balances_with_negative_amounts_and_breaks_like_any_claim():
    (r,) = read_835_file(DATA / "reversal-and-correction.835")
    reversal = r.claims[0]
    assert reversal.is_reversal and reversal.paid < 0 and check_balance(r) == ()
    broken = with_line(r, 0, 0, paid=D(-111))
    assert rules(broken) == [("claims[0].lines[0]", RULE_LINE), ("claims[0]", RULE_LINES)]
    # a reversal whose adjustment kept the original's sign
    flipped = with_line(r, 0, 0, adjustments=[Adjustment("CO", "45", D(28))])
    assert rules(flipped) == [("claims[0].lines[0]", RULE_LINE), ("claims[0]", RULE_CLAIM)]


def test_a_problem_names_no_patient():
    (r,) = read_835_file(DATA / "not-balanced.835")
    assert r.claims[0].patient_name is not None
    for problem in check_balance(r):
        assert "TESTPATIENT" not in problem.message + repr(problem)


# -- Generated remittances -----------------------------------------------------------------

money = st.decimals(min_value=D("-999.99"), max_value=D("9999.99"), places=2,
                    allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.01"), max_value=D("9999.99"), places=2)
code = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=5)
ident = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-", min_size=1, max_size=20).filter(
    lambda s: s[0] != "-")
day = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
adjustment = st.builds(Adjustment, st.sampled_from(("CO", "PR", "OA", "PI")), code, money,
                       st.none() | st.decimals(min_value=D(-99), max_value=D(99), places=1))


@st.composite
def lines(draw):
    adjustments = draw(st.lists(adjustment, max_size=7))
    paid = draw(money)
    charge = paid + sum((a.amount for a in adjustments), D(0))
    return ServicePayment(
        "HC", draw(st.sampled_from(("97124", "97140", "97112"))), charge, paid,
        modifiers=draw(st.lists(st.sampled_from(("GP", "59", "KX")), max_size=4)),
        units=draw(st.decimals(min_value=D(1), max_value=D(12), places=0)),
        original_qualifier=None, original_code=None,
        date=draw(st.none() | day), control_number=draw(st.none() | ident),
        adjustments=adjustments, allowed=draw(st.none() | money),
        remarks=draw(st.lists(code, max_size=2)))


@st.composite
def claims(draw, index):
    service = draw(st.lists(lines(), max_size=4))
    claim_level = draw(st.lists(adjustment, max_size=3))
    if service:
        paid = sum((s.paid for s in service), D(0)) - sum((a.amount for a in claim_level), D(0))
        charge = sum((s.charge for s in service), D(0))
    else:
        paid = draw(money)
        charge = paid + sum((a.amount for a in claim_level), D(0))
    status = draw(st.sampled_from(("1", "2", "4", "22")))
    return ClaimPayment(
        f"PK-{index}", status, charge, paid, "12", draw(ident),
        patient_responsibility=draw(st.none() | money), adjustments=claim_level, lines=service,
        service_start=draw(st.none() | day), service_end=draw(st.none() | day),
        patient_name=draw(st.none() | st.builds(PatientName, st.sampled_from(("DOE", "ROE")),
                                                st.none() | st.just("ALEX"))))


@st.composite
def remittances(draw):
    n = draw(st.integers(0, 5))
    payments = [draw(claims(i)) for i in range(n)]
    plb = draw(st.lists(st.builds(ProviderAdjustment, st.just("1234567893"), day,
                                  st.sampled_from(("WO", "L6", "FB", "CS")), money,
                                  st.none() | ident), max_size=8))
    total = sum((c.paid for c in payments), D(0)) - sum((a.amount for a in plb), D(0))
    return Remittance(
        "000000835", "17", draw(st.text("0123456789", min_size=4, max_size=9)),
        draw(st.sampled_from(("I", "C", "H"))), abs(total), "D" if total < 0 else "C",
        draw(st.sampled_from(("ACH", "CHK", "NON"))), draw(day), draw(ident), "1999999999",
        "TEST PAYER", "TEST PAYEE", payer_id=draw(st.none() | ident),
        payee_npi="1234567893", payee_tin=draw(st.none() | st.just("911234567")),
        production_date=draw(st.none() | day), claims=payments, provider_adjustments=plb)


separators = st.sampled_from((Separators(), Separators("|", ">", "!", "\n"),
                              Separators(newline="\r\n"), Separators("^", "\\", "{", "'", "\n")))


@settings(max_examples=60, deadline=None)
@given(remittances(), separators)
def test_a_written_remittance_reads_back_the_same(remittance, seps):
    assert read_835(write_835([remittance], separators=seps)) == (remittance,)


@settings(max_examples=60, deadline=None)
@given(remittances())
def test_a_generated_remittance_balances(remittance):
    assert check_balance(remittance) == ()


def _amount_paths(r: Remittance) -> list[tuple]:
    """Every amount balancing uses, as a path to change it."""
    paths = [("total_paid",)]
    for c, claim in enumerate(r.claims):
        paths += [("claim", c, "charge"), ("claim", c, "paid")]
        paths += [("claim-cas", c, a) for a in range(len(claim.adjustments))]
        for i, line in enumerate(claim.lines):
            paths += [("line", c, i, "charge"), ("line", c, i, "paid")]
            paths += [("line-cas", c, i, a) for a in range(len(line.adjustments))]
    paths += [("plb", a) for a in range(len(r.provider_adjustments))]
    return paths


def _changed(r: Remittance, path: tuple, delta: Decimal) -> Remittance:
    kind = path[0]
    if kind == "total_paid":
        return attrs.evolve(r, total_paid=r.total_paid + delta)
    if kind == "claim":
        _, c, name = path
        return with_claim(r, c, **{name: getattr(r.claims[c], name) + delta})
    if kind == "claim-cas":
        _, c, a = path
        adjustments = list(r.claims[c].adjustments)
        adjustments[a] = attrs.evolve(adjustments[a], amount=adjustments[a].amount + delta)
        return with_claim(r, c, adjustments=adjustments)
    if kind == "line":
        _, c, i, name = path
        return with_line(r, c, i, **{name: getattr(r.claims[c].lines[i], name) + delta})
    if kind == "line-cas":
        _, c, i, a = path
        adjustments = list(r.claims[c].lines[i].adjustments)
        adjustments[a] = attrs.evolve(adjustments[a], amount=adjustments[a].amount + delta)
        return with_line(r, c, i, adjustments=adjustments)
    _, a = path
    plb = list(r.provider_adjustments)
    plb[a] = attrs.evolve(plb[a], amount=plb[a].amount + delta)
    return attrs.evolve(r, provider_adjustments=plb)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_any_single_amount_changed_breaks_the_balance(data):
    remittance = data.draw(remittances())
    path = data.draw(st.sampled_from(_amount_paths(remittance)))
    delta = data.draw(st.decimals(min_value=D("0.01"), max_value=D(500), places=2))
    changed = _changed(remittance, path, data.draw(st.sampled_from((delta, -delta))))
    assert check_balance(changed) != ()


def test_the_sample_remittance_of_ten_thousand_claims_balances():
    remittance = sample_remittance(claims=10_000)
    assert check_balance(remittance) == ()
    assert len(remittance.claims) == 10_000


@pytest.mark.parametrize("claims_count", [0, 1, 3])
def test_the_sample_remittance_reads_back(claims_count):
    remittance = sample_remittance(claims=claims_count)
    assert read_835(write_835([remittance])) == (remittance,)

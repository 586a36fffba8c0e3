"""Posting 835s: balanced files posted once, matched to claims and lines; reversals,
unmatched payments, files that do not balance; reports after posting — on both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from attrs import evolve
from remits import file_of, payment, remittance, reversal

from payerkit.errors import NotPosted, RemittanceError
from payerkit.ledger import Ledger, post
from payerkit.ledger import tables as t
from payerkit.ledger.reports import aging, claims, denials, underpayments
from payerkit.testing.x12 import validate_with_pyx12


def rows(ledger, table) -> int:
    with ledger.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def claim_row(ledger, claim_id: str):
    with ledger.connect() as conn:
        return conn.execute(sa.select(t.claims).where(t.claims.c.claim_id == claim_id)).one()


@pytest.fixture
def ledger(db_url, example_entries):
    with Ledger.open(db_url) as opened:
        opened.record(example_entries.values())
        yield opened


def test_a_payment_is_posted_matched_to_claim_and_lines(ledger, example_entries):
    ny = example_entries["ny-covered"]
    data = file_of(remittance([payment(ny)]))
    assert validate_with_pyx12(data.decode()) == []
    done = post(ledger, data)
    assert (done.posted, done.claims, done.matched, done.unmatched) == (("EFT0001",), 1, 1, ())
    row = claim_row(ledger, ny.claim_id)
    assert (row.status, row.paid_cents, row.paid_on) == ("paid", ny.expected_cents,
                                                         dt.date(2026, 5, 15))
    with ledger.connect() as conn:
        lines = conn.execute(sa.select(t.claim_lines.c.paid_cents).where(
            t.claim_lines.c.claim_id == row.id).order_by(t.claim_lines.c.number)).scalars().all()
        matched = conn.execute(sa.select(sa.func.count()).select_from(t.line_payments).where(
            t.line_payments.c.claim_line_id.is_not(None))).scalar_one()
    assert lines == [line.expected_cents for line in ny.lines]
    assert matched == len(ny.lines)


def test_the_same_file_posted_twice_posts_once(ledger, example_entries):
    data = file_of(remittance([payment(example_entries["ny-covered"])]))
    post(ledger, data)
    counts = [rows(ledger, table) for table in (t.remittances, t.claim_payments,
                                                t.line_payments, t.adjustments)]
    again = post(ledger, data)
    assert (again.posted, again.already) == ((), ("EFT0001",))
    assert [rows(ledger, table) for table in (t.remittances, t.claim_payments,
                                              t.line_payments, t.adjustments)] == counts
    assert claim_row(ledger, example_entries["ny-covered"].claim_id).paid_cents == \
        example_entries["ny-covered"].expected_cents


def test_a_payment_for_no_claim_is_posted_and_listed(ledger, example_entries):
    stranger = evolve(example_entries["ny-covered"], claim_id="ELSEWHERE01")
    done = post(ledger, file_of(remittance([payment(stranger, number="PCN9")])))
    assert done.matched == 0
    [unmatched] = done.unmatched
    assert (unmatched.claim_id, unmatched.payer_claim_number) == ("ELSEWHERE01", "PCN9")
    assert rows(ledger, t.claim_payments) == 1


def test_a_file_that_does_not_balance_posts_nothing(ledger, example_entries):
    good = payment(example_entries["ny-covered"])
    bad = evolve(good, paid=good.paid + Decimal("1.00"))  # CLP04 no longer what the lines say
    data = file_of(remittance([payment(example_entries["premera-covered"]), bad]))
    with pytest.raises(NotPosted) as caught:
        post(ledger, data)
    assert "does not balance" in caught.value.problems[0]
    assert any(example_entries["ny-covered"].claim_id in line for line in caught.value.problems)
    assert rows(ledger, t.remittances) == rows(ledger, t.claim_payments) == 0
    assert claim_row(ledger, example_entries["premera-covered"].claim_id).status == "open"


def test_an_835_that_cannot_be_read_is_an_input_error(ledger):
    with pytest.raises(RemittanceError):
        post(ledger, b"ISA*this is not an 835~")
    assert rows(ledger, t.remittances) == 0


def test_a_reversal_then_its_correction(ledger, example_entries):
    ny = example_entries["ny-covered"]
    first = payment(ny)
    post(ledger, file_of(remittance([first], trace="EFT0001")))
    post(ledger, file_of(remittance([reversal(first)], trace="EFT0002")))
    row = claim_row(ledger, ny.claim_id)
    assert (row.status, row.paid_cents) == ("reversed", 0)
    with ledger.connect() as conn:
        assert conn.execute(sa.select(t.claims.c.claim_id)).scalars().all().count(
            ny.claim_id) == 1
        assert ny.claim_id in {c["claim_id"] for c in aging(conn, dt.date(2026, 6, 1))["claims"]}
    post(ledger, file_of(remittance([payment(ny, short=Decimal("5.00"), number="PCN2")],
                                    trace="EFT0003")))
    row = claim_row(ledger, ny.claim_id)
    assert (row.status, row.paid_cents) == ("paid", ny.expected_cents - 500)


def test_reversal_and_correction_in_one_file(ledger, example_entries):
    ny = example_entries["ny-covered"]
    first = payment(ny)
    post(ledger, file_of(remittance([first], trace="EFT0001")))
    corrected = payment(ny, short=Decimal("5.00"), number="PCN2")
    post(ledger, file_of(remittance([reversal(first), corrected], trace="EFT0002")))
    row = claim_row(ledger, ny.claim_id)
    assert (row.status, row.paid_cents) == ("paid", ny.expected_cents - 500)
    with ledger.connect() as conn:
        lines = conn.execute(sa.select(t.claim_lines.c.paid_cents).where(
            t.claim_lines.c.claim_id == row.id).order_by(t.claim_lines.c.number)).scalars().all()
    assert lines[0] == ny.lines[0].expected_cents - 500


def test_statuses_after_a_mixed_remittance(ledger, example_entries):
    e = example_entries
    data = file_of(remittance([
        payment(e["ny-covered"]),
        payment(e["regence-covered"], short=Decimal("9.00")),
        payment(e["premera-covered"], deductible=Decimal("100.00")),
        payment(e["ct-wc-covered"], "denied", reason="197"),
    ]))
    assert validate_with_pyx12(data.decode()) == []
    post(ledger, data)
    with ledger.connect() as conn:
        status = {c["claim_id"]: c["status"] for c in claims(conn)}
        short = underpayments(conn)
        denied = denials(conn, {"197": "a description the practice wrote"})
    assert status[e["ny-covered"].claim_id] == "paid"
    assert status[e["regence-covered"].claim_id] == "paid"
    assert status[e["premera-covered"].claim_id] == "patient"
    assert status[e["ct-wc-covered"].claim_id] == "denied"
    assert [(x["claim_id"], x["short"]) for x in short["lines"]] == [
        (e["regence-covered"].claim_id, "9.00")]
    assert short["total_short"] == "9.00"
    [reason] = denied["reasons"]
    assert (reason["code"], reason["claims"], reason["description"]) == (
        "CO-197", 1, "a description the practice wrote")
    assert reason["amount"] == f"{e['ct-wc-covered'].charge_cents / 100:.2f}"


def test_aging_after_posting_leaves_out_what_was_decided(ledger, example_entries):
    e = example_entries
    post(ledger, file_of(remittance([payment(e["regence-covered"])])))
    with ledger.connect() as conn:
        report = aging(conn, dt.date(2026, 7, 1))
    aged = {c["claim_id"] for c in report["claims"]}
    assert e["regence-covered"].claim_id not in aged
    assert e["ny-covered"].claim_id in aged
    ny = next(c for c in report["claims"] if c["claim_id"] == e["ny-covered"].claim_id)
    # written 2026-04-01, due 30 days later; 2% a month simple on the expected amount, from
    # 2026-05-02 to 2026-07-01: 61 days
    assert (ny["due_on"], ny["days_late"], ny["bucket"]) == ("2026-05-01", 61, "90+")
    expected = (Decimal(e["ny-covered"].expected_cents) / 100 * Decimal("0.02") * 61 / 30
                ).quantize(Decimal("0.01"))
    assert ny["interest"]["amount"] == str(expected) and ny["interest"]["owed"] == "owed"
    premera = next(c for c in report["claims"]
                   if c["claim_id"] == e["premera-covered"].claim_id)
    assert premera["interest"]["owed"] == "may be owed"  # only while WA's standard is missed
    total = sum(Decimal(p["total"]) for p in report["payers"])
    assert str(total) == report["total"]

"""Money is Decimal rounded once; fee schedules with dates, modifiers and sources."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payerkit.model import Citation
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.money import format_money, line_amount, parse_money

SRC = Citation("invented test schedule", "2026", "sample")


@given(st.decimals(min_value=0, max_value=10000, places=4, allow_nan=False),
       st.integers(min_value=0, max_value=40))
def test_line_amount_rounds_once_half_up_to_cents(rate, units):
    amount = line_amount(rate, units)
    assert amount == amount.quantize(Decimal("0.01"))
    assert abs(amount - rate * units) <= Decimal("0.005")


def test_line_amount_half_up():
    assert line_amount(Decimal("0.125"), 1) == Decimal("0.13")
    assert line_amount(Decimal("18.785"), 2) == Decimal("37.57")


@pytest.mark.parametrize("value", [30.0, True, "thirty", "-1", "NaN", "1.00001", None])
def test_parse_money_refuses_floats_and_junk(value):
    with pytest.raises(ValueError, match="expected"):
        parse_money(value)


def test_parse_money_and_format():
    assert parse_money("30") == Decimal("30")
    assert parse_money(30) == Decimal("30")
    assert format_money(Decimal("30")) == "30.00"
    assert format_money(None) is None


CSV = """# Invented schedule for tests
code,modifier,amount,effective_from,effective_to
97124,,25.00,2025-01-01,2025-12-31
97124,,24.00,2026-01-01,
97124,59,20.00,2026-01-01,
97140,,30.50,,
"""


def test_csv_schedule_effective_dates_and_modifiers():
    schedule = FeeSchedule.from_csv(io.StringIO(CSV), SRC)
    assert schedule.lookup("97124", (), dt.date(2025, 6, 1)).amount == Decimal("25.00")
    assert schedule.lookup("97124", (), dt.date(2026, 6, 1)).amount == Decimal("24.00")
    assert schedule.lookup("97124", ("59",), dt.date(2026, 6, 1)).amount == Decimal("20.00")
    assert schedule.lookup("97140", ("GP",), dt.date(2020, 1, 1)).amount == Decimal("30.50")
    assert schedule.lookup("97112", (), dt.date(2026, 1, 1)) is None
    assert schedule.lookup("97124", (), dt.date(2024, 12, 31)) is None
    assert "invented test schedule" in schedule.source


def test_csv_errors_name_row_and_column():
    bad = "code,amount,effective_from\n97124,abc,2026-01-01\n97140,10.00,2026-13-01\n"
    with pytest.raises(ValueError) as exc:
        FeeSchedule.from_csv(io.StringIO(bad), SRC)
    assert "fee schedule:2 amount" in str(exc.value)
    assert "fee schedule:3 effective_from" in str(exc.value)

"""X12 text primitives: clean(), number(), d8(), segment()."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from payerkit.formats.x12 import clean, d8, number, segment

FORBIDDEN = re.compile(r"[*:^~\r\n\x00-\x1f\x7f]")


@given(st.text())
@example("O*BRIEN")
@example("APT 4:B")
@example("SMITH^JONES")
@example("12 ELM ST~N3*X")
@example("  line\r\nbreak\t tab  ")
@example("José Ñúñez-Öberg")
@example("\x00\x1b\x7f\u2028\u00a0")
def test_clean_output_is_safe(text):
    out = clean(text)
    assert not FORBIDDEN.search(out)
    assert out.isascii()
    assert out == out.strip()
    assert "  " not in out
    assert out == out.upper()


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_clean_limit(text, limit):
    out = clean(text, limit)
    assert len(out) <= limit
    assert out == out.strip()
    assert out == clean(text)[:limit].rstrip()


@given(st.text())
def test_clean_is_idempotent(text):
    assert clean(clean(text)) == clean(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("o*Brien", "O BRIEN"),
        ("Apt 4:B", "APT 4 B"),
        ("Smith^Jones", "SMITH JONES"),
        ("a~b", "A B"),
        ("  two\r\n lines  ", "TWO LINES"),
        ("René Côté", "RENE COTE"),
        ("Smith & Sons, Inc.", "SMITH & SONS, INC."),
        ("Suite #200", "SUITE 200"),
        ("***", ""),
        ("", ""),
    ],
)
def test_clean_examples(text, expected):
    assert clean(text) == expected


@given(st.decimals(allow_nan=False, allow_infinity=False))
@example(Decimal("1E+2"))
@example(Decimal("1.000E+5"))
@example(Decimal("0E-10"))
@example(Decimal("-0.00"))
@example(Decimal("1E-7"))
def test_number_round_trips_without_trailing_zeros_or_exponent(value):
    out = number(value)
    assert Decimal(out) == value
    assert "E" not in out.upper()
    assert "+" not in out
    if "." in out:
        assert not out.endswith("0")
        assert not out.endswith(".")
    assert re.fullmatch(r"-?\d+(\.\d+)?", out)


@given(st.integers())
def test_number_integers(value):
    assert number(value) == str(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("120.00"), "120"),
        (Decimal("12.50"), "12.5"),
        (Decimal("0.00"), "0"),
        (Decimal("-0.00"), "0"),
        (Decimal("0.05"), "0.05"),
        (Decimal("-3.10"), "-3.1"),
        (Decimal("1E+2"), "100"),
        (Decimal("190"), "190"),
        (4, "4"),
    ],
)
def test_number_examples(value, expected):
    assert number(value) == expected


def test_number_refuses_floats_and_non_finite():
    with pytest.raises(TypeError):
        number(1.5)
    with pytest.raises(ValueError):
        number(Decimal("NaN"))
    with pytest.raises(ValueError):
        number(Decimal("Infinity"))


@given(st.dates())
def test_d8(date):
    assert d8(date) == date.isoformat().replace("-", "")


def test_d8_example():
    assert d8(dt.date(2026, 1, 5)) == "20260105"
    assert d8(dt.date(999, 12, 31)) == "09991231"


def test_segment_drops_trailing_empty_elements_and_components():
    assert segment("PAT", "19", "", None) == "PAT*19"
    assert segment("NM1", "IL", "1", "SMITH", "", "", "", "", "MI", "X1") == (
        "NM1*IL*1*SMITH*****MI*X1"
    )
    assert segment("CLM", "A", ("AA", "", "", "NY")) == "CLM*A*AA:::NY"
    assert segment("SV1", ("HC", "97124", None, None), "100") == "SV1*HC:97124*100"
    assert segment("X", ("", None), None) == "X"

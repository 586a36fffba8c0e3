"""X12 text primitives: clean(), transliterated(), identifier(), number(), d8(), segment()."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from payerkit.formats.x12 import (
    clean,
    d8,
    identifier,
    identifier_problem,
    number,
    segment,
    transliterate,
    transliterated,
)

FORBIDDEN = re.compile(r"[*:^~\r\n\x00-\x1f\x7f]")
#: The X12 basic character set, and what clean() may write: it less the delimiters * and :.
BASIC = re.compile(r"[A-Z0-9!\"&'()*+,\-./:;?= ]*")
WRITTEN = re.compile(r"[A-Z0-9!\"&'()+,\-./;?= ]*")


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
    assert WRITTEN.fullmatch(out)


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
        # transliterated, not blanked (issue 6: "Søren Łukasz-Øberg" was "S REN" / "UKASZ- BERG")
        ("Søren", "SOREN"),
        ("Łukasz-Øberg", "LUKASZ-OBERG"),
        ("Straße", "STRASSE"),
        ("O\u2019Brien", "O'BRIEN"),
        ("王小明", "WANGXIAOMING"),
        ("Владимир", "VLADIMIR"),
        ("Ελένη", "ELENI"),
        ("김", "GIM"),
        ("Ｍａｒｙ", "MARY"),
        ("Ann\u00a0Lee", "ANN LEE"),
        # emoji and invisible characters are dropped, not spelled out (":SLIGHT SMILE:")
        ("🙂", ""),
        ("Ann 🙂\u200d🙂", "ANN"),
        ("🇺🇸", ""),
        ("\ue000\U0010ffff", ""),
        ("A\ud800B", "AB"),
    ],
)
def test_clean_examples(text, expected):
    assert clean(text) == expected


@pytest.mark.parametrize("text", ["Søren", "王", "A#B", "a*b", "A\x00B", "🙂", "Müller", "Straße",
                                  "Apt\u00a04 ☺"])
def test_transliterated_when_more_than_case_and_spacing_changes(text):
    assert transliterated(text)


@pytest.mark.parametrize("text", ["Smith", "o'brien", "  Mary   Ann ", "Smith\t&\nSons", "Ann\u00a0Lee",
                                  "", "12 Elm St."])
def test_not_transliterated_when_only_case_and_spacing_change(text):
    assert not transliterated(text)


@given(st.text())
@example("Ｍａｒｙ")
@example("ß")
def test_transliterated_is_honest(text):
    """Not reported as transliterated ⇔ the written text is the given one, up to case and spacing."""
    if not transliterated(text):
        assert clean(text) == " ".join(text.split()).upper()


@given(st.text(alphabet=st.sampled_from("abcXYZ019 \t\n!\"&'()+,-./;?=")))
def test_plain_text_is_not_transliterated(text):
    assert not transliterated(text)


@given(st.text())
def test_transliterate_is_ascii(text):
    assert transliterate(text).isascii()


# ------------------------------------------------------------------ identifiers: as given or refused

IDENTIFIER_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from("*:^~ \t\r\n@#%_aZ09-.éØ王ı\u00a0\x00"), st.characters()),
    max_size=20,
)


@given(IDENTIFIER_TEXT)
@example("NF2025*12:20~A")
@example("a*b")
@example("ıd")
@example("ß1")
@example(" AB")
@example("AB ")
@example("Ａ1")
def test_an_identifier_is_written_as_given_or_refused(value):
    problem = identifier_problem(value)
    if problem is None:
        written = identifier(value)
        # only ASCII a-z change (to A-Z): same length, same characters otherwise
        assert written == value.upper() and len(written) == len(value)
        assert value.isascii() and BASIC.fullmatch(written)
        assert not set(written) & set("*:^~")
        assert written == written.strip()
    else:
        with pytest.raises(ValueError):
            identifier(value)
        # one of a few fixed texts: never the value (it may be a member id)
        assert problem in {identifier_problem(v) for v in ("A*", "AÉ", " A", "")}


@pytest.mark.parametrize(
    ("value", "problem"),
    [("NF2025*12:20~A", "delimiter"), ("A:B", "delimiter"), ("A^B", "delimiter"),
     ("A~B", "delimiter"), ("AÉB", "basic character set"), ("A@B", "basic character set"),
     ("A#1", "basic character set"), ("A_1", "basic character set"), ("ıd", "basic character set"),
     ("A\nB", "basic character set"), (" AB", "leading or trailing"), ("AB ", "leading or trailing"),
     ("", "required")],
)
def test_identifier_problems(value, problem):
    assert problem in identifier_problem(value)


@pytest.mark.parametrize(("value", "written"), [("ab12", "AB12"), ("XYZ-123/4", "XYZ-123/4"),
                                                ("AB 12", "AB 12"), ("A\"&'()+,-./;?=", "A\"&'()+,-./;?=")])
def test_identifiers_upper_cased_and_otherwise_kept(value, written):
    assert identifier(value) == written


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

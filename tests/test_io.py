"""Case files: TOML and JSON in, every error at once with its field path, round trips."""

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from case_samples import BASE_CASE
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit.errors import CaseError
from payerkit.io import load_case, structure_case, unstructure_case


def problems(data):
    with pytest.raises(CaseError) as exc:
        structure_case(data)
    return exc.value.problems


def test_structures_the_base_case():
    case = structure_case(copy.deepcopy(BASE_CASE))
    assert case.provider.cash_rates["97124"] == Decimal("30.00")
    assert case.episode.onset_date == dt.date(2026, 2, 1)
    assert case.visits[0].services[1].diagnoses == (1,)
    assert case.claim.usage == "P"


def test_every_error_at_once_with_paths(case_data):
    case_data["visits"][0]["services"][0]["minutes"] = "forty"
    case_data["visits"][0]["date"] = "2026-02-30"
    del case_data["provider"]["npi"]
    case_data["episode"]["kind"] = "car crash"
    case_data["provider"]["cash_rates"]["97124"] = 30.5
    case_data["coverage"]["colour"] = "blue"
    found = problems(case_data)
    assert "visits[0].services[0].minutes: expected an integer, got 'forty'" in found
    assert "visits[0].date: expected a date such as 2026-03-20, got '2026-02-30'" in found
    assert "provider.npi: required field missing" in found
    assert any(p.startswith("episode.kind: expected one of 'auto_accident'") for p in found)
    assert any(p.startswith("provider.cash_rates['97124']: expected an amount") for p in found)
    assert "coverage: unknown field(s): colour" in found


def test_personal_values_are_not_echoed(case_data):
    case_data["patient"]["birth_date"] = "22/07/1975"
    case_data["coverage"]["member_id"] = 12345
    found = problems(case_data)
    assert "patient.birth_date: expected a date such as 2026-03-20" in found
    assert "coverage.member_id: expected a string" in found
    assert not any("1975" in p or "12345" in p for p in found)


def test_cross_field_rules(case_data):
    case_data["provider"].pop("name")
    case_data["visits"].append({"date": dt.date(2026, 1, 1), "services": []})
    found = problems(case_data)
    assert "provider.name: expected name, or first_name and last_name" in found
    assert "visits[1].date: expected visits in date order" in found
    assert "visits[1].services: expected at least one service" in found


def test_toml_and_json_files_give_the_same_case(tmp_path):
    case = structure_case(copy.deepcopy(BASE_CASE))
    data = unstructure_case(case)
    (tmp_path / "c.json").write_text(json.dumps(data))
    assert load_case(tmp_path / "c.json") == case


@pytest.mark.parametrize("name,text,expected", [
    ("c.toml", "program = [", "case: not valid TOML"),
    ("c.json", "{", "case: not valid JSON"),
    ("c.toml", "program = 'x'", "provider: required field missing"),
    ("missing.toml", None, "case: no such file"),
])
def test_bad_files(tmp_path, name, text, expected):
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    with pytest.raises(CaseError) as exc:
        load_case(path)
    assert any(p.startswith(expected) for p in exc.value.problems), exc.value.problems


def test_fee_file_is_read_relative_to_the_case(tmp_path, case_data):
    (tmp_path / "fees.csv").write_text("code,amount\n97124,21.00\n")
    case_data["fees"] = {"source": "invented contract", "file": "fees.csv"}
    (tmp_path / "c.json").write_text(json.dumps(case_data, default=str))
    case = load_case(tmp_path / "c.json")
    assert case.fees.entries[0].amount == Decimal("21.00")
    (tmp_path / "fees.csv").write_text("code,amount\n97124,cheap\n")
    with pytest.raises(CaseError, match="fees.file: fees.csv:2 amount"):
        load_case(tmp_path / "c.json")


def test_a_byte_order_mark_before_the_case_is_ignored(tmp_path):
    for name in ("premera-covered.toml", "ny-covered.toml"):
        source = Path(__file__).resolve().parent.parent / "examples" / name
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
        for fees in source.parent.glob("*.csv"):
            (tmp_path / fees.name).write_bytes(fees.read_bytes())
        assert load_case(tmp_path / name) == load_case(source)


def test_a_fee_file_is_parsed_once_until_it_changes(tmp_path, case_data, monkeypatch):
    import os

    import payerkit.io

    parsed = []
    real = payerkit.io.parse_fee_rows
    monkeypatch.setattr(payerkit.io, "parse_fee_rows",
                        lambda text, name: parsed.append(name) or real(text, name))
    fees = tmp_path / "fees.csv"
    fees.write_text("code,amount\n97124,21.00\n")
    case_data["fees"] = {"source": "invented contract", "file": "fees.csv"}
    (tmp_path / "c.json").write_text(json.dumps(case_data, default=str))
    for _ in range(3):
        assert load_case(tmp_path / "c.json").fees.entries[0].amount == Decimal("21.00")
    assert parsed == ["fees.csv"]
    # same size, another time: read again
    fees.write_text("code,amount\n97124,22.00\n")
    st = fees.stat()
    os.utime(fees, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_case(tmp_path / "c.json").fees.entries[0].amount == Decimal("22.00")
    assert parsed == ["fees.csv", "fees.csv"]
    fees.unlink()
    with pytest.raises(CaseError, match="fees.file: no such file"):
        load_case(tmp_path / "c.json")


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=20)


@settings(max_examples=40)
@given(first=names, minutes=st.integers(0, 300),
       rate=st.decimals(min_value=0, max_value=999, places=2, allow_nan=False),
       day=st.dates(min_value=dt.date(2026, 3, 1), max_value=dt.date(2026, 12, 31)))
def test_round_trip_through_the_converter(first, minutes, rate, day):
    data = copy.deepcopy(BASE_CASE)
    data["patient"]["first_name"] = first
    data["provider"]["cash_rates"]["97124"] = str(rate)
    data["visits"][0]["date"] = day
    data["visits"][0]["services"][0]["minutes"] = minutes
    case = structure_case(data)
    plain = json.loads(json.dumps(unstructure_case(case)))
    assert structure_case(plain) == case


def test_a_bad_optional_choice_lists_just_the_choices():
    import copy

    from case_samples import BASE_CASE

    from payerkit.errors import CaseError

    data = copy.deepcopy(BASE_CASE)
    data["coverage"]["funding"] = "both"
    with pytest.raises(CaseError) as exc:
        structure_case(data)
    assert exc.value.problems == ["coverage.funding: expected one of 'fully_insured' | "
                                  "'self_funded' | 'medicare_advantage'"]


def test_printable_text_skips_the_search_for_what_is_refused():
    """The reader lets printable text through without searching it: every character it
    refuses in text (controls, line and paragraph separators, lone surrogates) is one
    ``str.isprintable`` refuses too."""
    import sys

    from payerkit.converter import _BAD_TEXT

    refused = (chr(c) for c in range(sys.maxunicode + 1) if _BAD_TEXT.fullmatch(chr(c)))
    assert not any(char.isprintable() for char in refused)

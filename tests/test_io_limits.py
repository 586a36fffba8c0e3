"""Hardening of case-file input (issue 6): limits, strict lists, text, money; and a fuzzer.

Every input ends in a :class:`Case` or a :class:`CaseError` whose lines are
``path: expected …``, printable, one line each, never quoting a personal value.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import tomllib
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, Inexact, localcontext
from pathlib import Path

import pytest
from case_samples import BASE_CASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit import ClaimRefused
from payerkit.converter import _PRIVATE, MAX_DEPTH, MAX_FILE_BYTES, MAX_PROBLEMS
from payerkit.errors import CaseError
from payerkit.formats import x12_limits
from payerkit.formats.x12_limits import EARLIEST_DATE, LATEST_DATE
from payerkit.io import load_case, parse_text, structure_case
from payerkit.model import Case
from payerkit.rules.money import CENT, MAX_CHARGE, MAX_RATE, line_amount, parse_money

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.toml"))
#: Characters no string field may hold: C0, DEL, C1, line/paragraph separators, a lone surrogate.
BAD_CHARS = ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029",
             "\ud800", "\udfff"]
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def short_id(value) -> str | None:
    """A test id for a huge parameter (pytest would print it whole, or fail on a huge int)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"int{value.bit_length()}bits"
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:10]!r}...{len(value)}chars"
    return None


def problems(data, base_dir=None) -> list[str]:
    with pytest.raises(CaseError) as exc:
        structure_case(data, base_dir)
    assert_clean(exc.value.problems)
    return exc.value.problems


def assert_clean(lines: list[str]) -> None:
    """Problem lines: ``path: text``, printable (no newline, escape, surrogate), one each."""
    assert lines
    for line in lines:
        assert line.isprintable(), repr(line)
        assert ": " in line, line


def load_problems(path) -> list[str]:
    with pytest.raises(CaseError) as exc:
        load_case(path)
    assert_clean(exc.value.problems)
    return exc.value.problems


def service(data, i=0, j=0) -> dict:
    return data["visits"][i]["services"][j]


# -- 1. Limits ----------------------------------------------------------------------------------

def test_a_file_over_1_mib_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text('program = "x"\n' + "# padding\n" * (MAX_FILE_BYTES // 10 + 10))
    assert any("larger than 1024 KiB (1 MiB)" in p for p in load_problems(path))


@pytest.mark.parametrize("name,text", [
    ("deep.json", "[" * 1000 + "]" * 1000),
    ("deep.json", '{"a":' * 1000 + "1" + "}" * 1000),
    ("deep.toml", "a = " + "[" * 500 + "]" * 500),
    ("deep.toml", "a = " + "{b = " * 500 + "1" + "}" * 500),
    ("deep.json", "[" * 100000),
], ids=short_id)
def test_deep_nesting_is_refused_before_the_parser_recurses(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    found = load_problems(path)
    assert found == [f"case: line 1: expected tables and lists nested at most {MAX_DEPTH} "
                     "levels deep"]


def test_nesting_without_brackets_is_refused_by_path():
    # TOML dotted keys nest without a bracket; data built in code may nest too
    data = tomllib.loads("facts.x" + ".a" * 40 + " = 1")
    assert problems(data) == [f"facts.x.a.a...: expected tables and lists nested at most "
                              f"{MAX_DEPTH} levels deep"]
    deep = cyclic = {}
    for _ in range(5000):
        deep = {"a": deep}
    cyclic["self"] = cyclic
    for data in (deep, {"facts": cyclic}):
        assert problems(data)[0].endswith(f"nested at most {MAX_DEPTH} levels deep")


def test_the_shipped_shape_is_well_within_the_depth_limit(case_data):
    case_data["visits"][0]["services"][0]["modifiers"] = ["59"]
    assert structure_case(case_data).visits[0].services[0].modifiers == ("59",)


@pytest.mark.parametrize("name,text", [
    ("big.json", '{"program": ' + "9" * 5000 + "}"),
    ("big.toml", "program = " + "9" * 5000),
    ("big.toml", "program = " + "9_" * 3000 + "9"),
], ids=short_id)
def test_an_integer_beyond_pythons_digit_limit_is_refused_by_line(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    assert load_problems(path) == ["case: line 1: expected a number of at most 100 digits "
                                   "(integers have at most 9)"]


@pytest.mark.parametrize("value,ok", [(999_999_999, False), (10**9, False), (10**31, False),
                                      (10**5000, False), (-(10**12), False), (1440, True),
                                      (1441, False), (0, True), (-1, False)], ids=short_id)
def test_minutes_of_a_service(case_data, value, ok):
    service(case_data)["minutes"] = value
    if ok:
        assert structure_case(case_data).visits[0].services[0].minutes == value
        return
    found = problems(case_data)
    assert len(found) == 1 and found[0].startswith("visits[0].services[0].minutes: expected ")
    # 10**9 minutes would have been 66,666,667 units: now it is not a case at all
    assert "66666667" not in found[0]


@pytest.mark.parametrize("value,ok", [(1, True), (999, True), (1000, False), (0, False),
                                      (10**10, False)])
def test_units_of_a_service(case_data, value, ok):
    service(case_data)["units"] = value
    if ok:
        assert structure_case(case_data).visits[0].services[0].units == value
    else:
        assert problems(case_data)[0].startswith("visits[0].services[0].units: expected ")


DATE_FIELDS = [
    (("visits", 0, "date"), "visits[0].date"),
    (("episode", "onset_date"), "episode.onset_date"),
    (("episode", "notice_date"), "episode.notice_date"),
    (("episode", "prescription", "date"), "episode.prescription.date"),
    (("episode", "authorization", "start"), "episode.authorization.start"),
    (("episode", "authorization", "end"), "episode.authorization.end"),
    (("as_of",), "as_of"),
]


def put(data, keys, value):
    for key in keys[:-1]:
        if isinstance(data, dict) and key not in data:
            data[key] = {"number": "AUTH1"} if key == "authorization" else {}
        data = data[key]
    data[keys[-1]] = value


@pytest.mark.parametrize("keys,path", DATE_FIELDS)
@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2100, 1, 1),
                                 dt.date(9999, 12, 31), "9999-12-31"])
def test_dates_outside_1900_2099_are_refused(case_data, keys, path, day):
    put(case_data, keys, day)
    found = problems(case_data)
    assert any(p.startswith(f"{path}: expected a date from 1900-01-01 to 2099-12-31") for p in found)


@pytest.mark.parametrize("keys,path", DATE_FIELDS)
def test_dates_at_the_ends_of_the_range_load(case_data, keys, path):
    for day in (EARLIEST_DATE, LATEST_DATE):
        data = copy.deepcopy(case_data)
        put(data, keys, day)
        if path != "as_of":
            data["as_of"] = LATEST_DATE
        data["patient"]["birth_date"] = EARLIEST_DATE
        assert isinstance(structure_case(data), Case)


@given(day=st.dates())
@settings(max_examples=60, deadline=None)
def test_any_visit_date_loads_or_is_refused_by_path(day):
    data = copy.deepcopy(BASE_CASE)
    data["visits"][0]["date"] = day
    if EARLIEST_DATE <= day <= LATEST_DATE:
        assert structure_case(data).visits[0].date == day
    else:
        assert problems(data) == ["visits[0].date: expected a date from 1900-01-01 to 2099-12-31, "
                                  f"got {day.isoformat()}"]


@pytest.mark.parametrize("who", ["patient", "subscriber"])
@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2026, 3, 21),
                                 dt.date(2099, 1, 1), "0001-01-01"])
def test_a_birth_date_in_the_future_or_before_1900_is_refused_unechoed(case_data, who, day):
    case_data["subscriber"] = {**copy.deepcopy(case_data["patient"]), "relationship": "spouse"}
    case_data[who]["birth_date"] = day
    found = problems(case_data)
    assert len(found) == 1 and found[0].startswith(f"{who}.birth_date: expected a date ")
    shown = day if isinstance(day, str) else day.isoformat()
    assert shown not in found[0]


def test_a_birth_date_is_judged_on_today_without_as_of(case_data):
    del case_data["as_of"]
    case_data["patient"]["birth_date"] = dt.date.today() + dt.timedelta(days=1)
    assert problems(case_data)[0].startswith("patient.birth_date: expected a date on or before")
    case_data["patient"]["birth_date"] = dt.date.today()
    assert structure_case(case_data).patient.birth_date == dt.date.today()


@pytest.mark.parametrize("field,count,path,expected", [
    ("visits", 367, "visits", "expected at most 366 visits, got 367"),
    ("services", 51, "visits[0].services", "expected at most 50 services, got 51"),
    ("diagnoses", 13, "episode.diagnoses", "expected at most 12 diagnoses"),
    ("modifiers", 101, "visits[0].services[0].modifiers", "expected at most 100 items, got 101"),
    ("networks", 101, "provider.networks", "expected at most 100 items, got 101"),
])
def test_counts_of_lists(case_data, field, count, path, expected):
    visit, svc = case_data["visits"][0], service(case_data)
    if field == "visits":
        case_data["visits"] = [copy.deepcopy(visit) for _ in range(count)]
    elif field == "services":
        visit["services"] = [copy.deepcopy(svc) for _ in range(count)]
    elif field == "diagnoses":
        case_data["episode"]["diagnoses"] = ["M62.830"] * count
    elif field == "modifiers":
        svc["modifiers"] = ["59"] * count
    else:
        case_data["provider"]["networks"] = ["x"] * count
    assert problems(case_data) == [f"{path}: {expected}"]


def test_counts_at_the_limit_load(case_data):
    visit = case_data["visits"][0]
    visit["services"] = [copy.deepcopy(visit["services"][0]) for _ in range(50)]
    case_data["visits"] = [copy.deepcopy(visit) for _ in range(366)]
    case_data["episode"]["diagnoses"] = ["M62.830"] * 12
    case = structure_case(case_data)
    assert len(case.visits) == 366 and len(case.visits[0].services) == 50


@pytest.mark.parametrize("keys,path", [
    (("coverage", "visits_used_elsewhere"), "coverage.visits_used_elsewhere"),
    (("episode", "prescription", "visits"), "episode.prescription.visits"),
    (("episode", "authorization", "visits"), "episode.authorization.visits"),
])
@pytest.mark.parametrize("value", [-1, 1000, 999_999_999])
def test_counts_of_visits(case_data, keys, path, value):
    put(case_data, keys, value)
    assert problems(case_data) == [f"{path}: expected a number of visits from 0 to 999"]


def test_problems_are_capped(case_data):
    case_data["provider"]["networks"] = [1] * 100
    case_data["episode"]["diagnoses"] = [1] * 12
    found = problems(case_data)
    assert len(found) == MAX_PROBLEMS + 1 and found[-1] == "case: 12 more problem(s) not shown"


# -- 2. Lists are lists ---------------------------------------------------------------------------

@pytest.mark.parametrize("keys,path", [
    (("episode", "diagnoses"), "episode.diagnoses"),
    (("visits", 0, "services", 0, "modifiers"), "visits[0].services[0].modifiers"),
    (("visits", 0, "services", 0, "diagnoses"), "visits[0].services[0].diagnoses"),
    (("provider", "networks"), "provider.networks"),
    (("visits", 0, "services"), "visits[0].services"),
    (("visits",), "visits"),
])
@pytest.mark.parametrize("value,kind", [("S13.4XXA", "a string"), ("59", "a string"),
                                        ("premera", "a string"), ("x", "a string"),
                                        ({"S13.4XXA": 1, "M62.830": 2}, "a table"), ("", "a string"),
                                        (7, "an integer")])
def test_a_string_or_table_where_a_list_is_expected_is_refused(case_data, keys, path, value, kind):
    put(case_data, keys, value)
    found = problems(case_data)
    private = path == "episode.diagnoses" or path.endswith(".diagnoses")
    assert found == [f"{path}: expected a list" + ("" if private else f", got {kind}")]


@pytest.mark.parametrize("keys,path", [
    (("patient",), "patient"), (("provider", "address"), "provider.address"),
    (("provider", "cash_rates"), "provider.cash_rates"), (("facts",), "facts"),
    (("facts", "test-plan"), "facts['test-plan']"), (("episode", "authorization"),
                                                     "episode.authorization"),
    (("visits", 0), "visits[0]"), (("claim",), "claim"),
])
@pytest.mark.parametrize("value,kind", [("Maria Garcia", "a string"), (["a", "b"], "a list"),
                                        (1, "an integer"), (True, "true or false")])
def test_a_value_where_a_table_is_expected_is_refused_unechoed(case_data, keys, path, value, kind):
    put(case_data, keys, value)
    found = problems(case_data)
    assert found == [f"{path}: expected a table, got {kind}"]
    assert "Maria" not in found[0]


# -- 3. Money -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1e400", "1E+2", "NaN", "nan", "Infinity", "-Infinity", "sNaN",
                                  "-1", "-0.01", "+30", "1_000", "٣٠", "30,00", "", " ", "0x1e",
                                  "1" * 30, "100000", "100000.00", "99999.99999", "30.00001",
                                  "3" * 5000], ids=short_id)
def test_parse_money_refuses(text):
    with pytest.raises(ValueError, match="^expected"):
        parse_money(text)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 30.5, True, None, [], Decimal("NaN"),
                                   Decimal("Infinity"), 10**5000, -1, 100_000], ids=short_id)
def test_parse_money_refuses_other_values(value):
    with pytest.raises(ValueError, match="^expected"):
        parse_money(value)


@pytest.mark.parametrize("text,amount", [("30.00", "30.00"), ("30", "30"), ("30.", "30"),
                                         (".5", "0.5"), (" 30.00 ", "30.00"), ("99999.9999",
                                                                              "99999.9999"),
                                         ("0", "0"), ("0030.1234", "30.1234")])
def test_parse_money_reads_plain_amounts(text, amount):
    assert parse_money(text) == Decimal(amount)


@pytest.mark.parametrize("charge,ok", [("30.125", False), ("30.12", True), ("99999.99", True),
                                       ("100000.00", False), ("1e3", False), ("30.1000", False)])
def test_a_line_charge_is_dollars_with_at_most_two_decimals(case_data, charge, ok):
    service(case_data)["charge"] = charge
    if ok:
        assert structure_case(case_data).visits[0].services[0].charge == Decimal(str(charge))
    else:
        assert problems(case_data)[0].startswith("visits[0].services[0].charge: expected")


#: Every amount a case file gives, by its path, and where to put it in the case's data.
AMOUNTS = {
    "visits[0].services[0].charge": lambda data, v: service(data).update(charge=v),
    "visits[0].amount_paid": lambda data, v: data["visits"][0].update(amount_paid=v),
    "provider.cash_rates['97124']": lambda data, v: data["provider"]["cash_rates"].update(
        {"97124": v}),
    "fees.rates['97124']": lambda data, v: data.update(
        fees={"source": "invented", "rates": {"97124": v}}),
}
WHOLE = ('expected dollars and cents as a string such as "25.00" (a whole number could be '
         'meant as cents)')


@pytest.mark.parametrize("path", list(AMOUNTS))
@given(dollars=st.integers(0, 99_999), written=st.sampled_from(["int", "str", "str."]))
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_amount_without_its_cents_is_refused_as_ambiguous(case_data, path, dollars, written):
    """``amount_paid = 2500`` was read as $2,500.00 while the docs said cents: an amount
    must say its cents ("25.00"), so that a 100x error cannot be read in."""
    data = copy.deepcopy(case_data)
    value = {"int": dollars, "str": str(dollars), "str.": f"{dollars}."}[written]
    AMOUNTS[path](data, value)
    assert problems(data) == [f"{path}: {WHOLE}, got {value!r}"]


@pytest.mark.parametrize("path", list(AMOUNTS))
@given(cents=st.integers(0, 9_999_999))
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_dollars_and_cents_are_read_as_dollars(case_data, path, cents):
    data = copy.deepcopy(case_data)
    text = f"{cents // 100}.{cents % 100:02d}"
    AMOUNTS[path](data, text)
    case = structure_case(data)
    read = {"visits[0].services[0].charge": lambda: case.visits[0].services[0].charge,
            "visits[0].amount_paid": lambda: case.visits[0].amount_paid,
            "provider.cash_rates['97124']": lambda: case.provider.cash_rates["97124"],
            "fees.rates['97124']": lambda: case.fees.rates["97124"]}[path]()
    assert read == Decimal(text) == Decimal(cents) / 100


def test_an_amount_paid_has_at_most_two_decimals(case_data):
    case_data["visits"][0]["amount_paid"] = "25.001"
    assert problems(case_data)[0].startswith(
        "visits[0].amount_paid: expected an amount to the cent (at most 2 decimals)")


def test_a_rate_keeps_four_decimals_and_a_rate_beyond_the_limit_is_refused(case_data):
    case_data["provider"]["cash_rates"] = {"97124": "30.1234"}
    case_data["fees"] = {"source": "invented", "rates": {"97124": "29.9999"}}
    case = structure_case(case_data)
    assert case.provider.cash_rates["97124"] == Decimal("30.1234")
    case_data["fees"]["rates"]["97124"] = "1" * 20 + ".00"
    assert problems(case_data)[0].startswith(
        "fees.rates['97124']: expected an amount from 0 to 99999.9999")


rates = st.decimals(min_value=0, max_value=MAX_RATE, places=4, allow_nan=False,
                    allow_infinity=False)


@given(rate=rates, units=st.integers(0, 999))
def test_line_amount_is_exact_half_up_to_the_cent_in_any_ambient_context(rate, units):
    with localcontext() as wide:
        wide.prec = 60
        expected = (rate * units).quantize(CENT, rounding=ROUND_HALF_UP)
    with localcontext() as hostile:  # a plugin or library changed the thread's context
        hostile.prec, hostile.rounding = 3, ROUND_DOWN
        hostile.traps[Inexact] = True
        assert line_amount(rate, units) == expected
        assert line_amount(int(rate), units) == line_amount(Decimal(int(rate)), units)
    assert len(f"{expected * 50:f}") <= x12_limits.MAX_AMOUNT_CHARS


@given(text=st.one_of(st.text(max_size=40), st.from_regex(r"\A[0-9]{0,7}(\.[0-9]{0,6})?\Z"),
                      st.decimals().map(str)))
def test_parse_money_either_reads_an_amount_within_the_limits_or_says_what_was_expected(text):
    for places, maximum in ((4, MAX_RATE), (2, MAX_CHARGE)):
        try:
            amount = parse_money(text, places=places, maximum=maximum)
        except ValueError as exc:
            assert str(exc).startswith("expected")
            continue
        assert amount.is_finite() and 0 <= amount <= maximum
        assert amount.as_tuple().exponent >= -places
        assert amount == Decimal(text.strip())


@given(rate=rates)
def test_parse_money_round_trips_a_rate(rate):
    assert parse_money(str(rate)) == rate
    assert parse_money(f"{rate:f}") == rate


@pytest.mark.parametrize("rate,units", [(Decimal("100000"), 1), (Decimal("NaN"), 1),
                                        (Decimal("-1"), 1), (Decimal("1E+999999"), 1),
                                        (Decimal(1), 10**9), (Decimal(1), -1), (1.5, 1),
                                        (None, 1), (Decimal(1), 1.5)])
def test_line_amount_refuses_out_of_range_values_with_a_value_error(rate, units):
    with pytest.raises(ValueError):
        line_amount(rate, units)


def test_line_amount_of_no_rate():
    assert line_amount(0, 5) == Decimal("0.00") == line_amount(Decimal(0), 5)


def test_line_amount_is_exact_for_any_9_digit_count_of_units():
    assert line_amount(MAX_RATE, 999_999_999) == Decimal("99999999800000.00")


def test_a_case_without_cash_rates_is_priced_scrubbed_and_claimed(kit, case_data):
    del case_data["provider"]["cash_rates"]
    service(case_data)["code"] = "97112"          # not in the test plan's fee schedule
    case = structure_case(case_data)
    pricing = kit.price(case)
    assert [line.charge for line in pricing.lines] == [Decimal("0.00"), Decimal("0.00")]
    assert pricing.lines[0].allowed is None and pricing.lines[1].allowed is not None
    assert kit.scrub(case) is not None
    try:
        kit.claim(case, "x12-837p")
    except ClaimRefused:
        pass


def test_an_ny_example_without_cash_rates_runs_without_a_traceback(payerkit_data_dir):
    plugin = pytest.importorskip("payerkit_ny_no_fault.plugin")
    from payerkit import PayerKit

    kit = PayerKit(entry_points=False, plugins=[plugin])
    data = tomllib.loads((EXAMPLES_DIR / "ny-covered.toml").read_text(encoding="utf-8"))
    del data["provider"]["cash_rates"]
    case = structure_case(data, EXAMPLES_DIR)
    assert all(line.charge == Decimal("0.00") for line in kit.price(case).lines)
    kit.scrub(case)
    try:
        kit.claim(case, "x12-837p")
    except ClaimRefused:
        pass


# -- 4. Text --------------------------------------------------------------------------------------

def string_fields(data, path=()):
    """Paths of every string value of the case (dict keys of amounts left out)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ("cash_rates", "rates"):
                yield from string_fields(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from string_fields(value, (*path, i))
    elif isinstance(data, str):
        yield path


def dotted(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


CASE_WITH_EVERYTHING = {
    **copy.deepcopy(BASE_CASE),
    "rendering": {"first_name": "Jane", "last_name": "Doe", "npi": "1992999999",
                  "license": "LMT-1", "taxonomy": "225700000X"},
    "fees": {"source": "invented", "rates": {"97124": "20.00"}},
    "claim": {"claim_id": "PK-1", "sender_id": "S1", "receiver_id": "R1", "receiver_name": "Payer",
              "late_justification": "the patient was in hospital"},
}
CASE_WITH_EVERYTHING["coverage"].update(group_number="GRP1", claim_number="CLM1")
CASE_WITH_EVERYTHING["episode"].update(
    state="WA", authorization={"number": "AUTH998877", "visits": 8})
CASE_WITH_EVERYTHING["patient"]["address"]["line2"] = "Apt 2"
STRING_FIELDS = list(string_fields(CASE_WITH_EVERYTHING))


def test_the_case_with_everything_loads():
    assert len(STRING_FIELDS) > 35
    structure_case(copy.deepcopy(CASE_WITH_EVERYTHING))


@pytest.mark.parametrize("path", STRING_FIELDS, ids=dotted)
@pytest.mark.parametrize("char", BAD_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_and_lone_surrogates_are_refused_in_every_string(path, char):
    data = copy.deepcopy(CASE_WITH_EVERYTHING)
    target = data
    for part in path[:-1]:
        target = target[part]
    original = target[path[-1]]
    target[path[-1]] = original[:2] + char + original[2:]
    found = problems(data)
    assert any(p.startswith(f"{dotted(path)}: expected ") for p in found), found
    assert not any(char in p for p in found), found
    if (path[-1] in _PRIVATE or path[-2:-1] == ("diagnoses",)) and len(original) > 5:
        assert not any(original[2:] in p for p in found), found


@pytest.mark.parametrize("char", BAD_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_in_a_key_are_refused_and_escaped(case_data, char):
    case_data["provider"]["cash_rates"][f"97{char}124"] = "30.00"
    found = problems(case_data)
    assert found[0].startswith(f"provider.cash_rates[{f'97{char}124'!r}]: expected text without "
                               "control characters")


def test_a_lone_surrogate_in_a_json_member_id_is_refused_at_load(tmp_path, case_data):
    case_data["coverage"]["member_id"] = "NF2025\ud800"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(case_data, default=str), encoding="ascii")
    assert '"NF2025\\ud800"' in path.read_text()
    assert load_problems(path) == [
        "coverage.member_id: expected text without control characters, line breaks or lone "
        "surrogates, found a lone surrogate (U+D800) at character 7"]


@pytest.mark.parametrize("key", ["colour\nfake.path: all good", "\x1b[2J\x1b[H", "a\rb",
                                 "\u202eevil", "\ud800", "x" * 500, "tab\there", "\x85next"],
                         ids=short_id)
def test_unknown_keys_are_escaped_so_one_problem_is_one_line(case_data, key):
    case_data["coverage"][key] = 1
    found = problems(case_data)
    assert len(found) == 1 and found[0].startswith("coverage: unknown field(s): ")
    assert "\n" not in found[0] and "\x1b" not in found[0] and len(found[0]) < 100


@given(key=st.text(min_size=1, max_size=30), where=st.sampled_from(
    ["", "provider", "patient", "coverage", "episode", "claim", "facts"]))
@FUZZ
def test_any_unknown_key_gives_printable_lines(key, where):
    data = copy.deepcopy(BASE_CASE)
    (data.setdefault(where, {}) if where else data)[key] = "value\n\x1b[31m"
    try:
        structure_case(data)
    except CaseError as exc:
        assert_clean(exc.problems)


# -- 5. The authorization number is private -------------------------------------------------------

@pytest.mark.parametrize("number", [998877, ["AUTH998877"], {"AUTH998877": 1}, "AUTH998877\x00",
                                    "AUTH998877\ud800", 99887766554433221100])
def test_the_authorization_number_is_never_echoed(case_data, number):
    case_data["episode"]["authorization"] = {"number": number, "visits": 8}
    found = problems(case_data)
    assert found[0].startswith("episode.authorization.number: expected ")
    assert not any("998877" in p for p in found), found


# -- 6. Files, and a fuzzer: a Case or a CaseError, nothing else ---------------------------------

@pytest.mark.parametrize("name,content,expected", [
    ("empty.toml", b"", "provider: required field missing"),
    ("empty.json", b"", "case: not valid JSON"),
    ("binary.toml", bytes(range(256)), "case: cannot read"),
    ("latin1.toml", "program = 'Søren'".encode("latin-1"), "case: cannot read"),
    ("nul.toml", b"program = 'a\x00b'", "case: not valid TOML"),
    ("bom.json", b"\xef\xbb\xbf{}", "program: required field missing"),  # the BOM is skipped
    ("bom-twice.json", b"\xef\xbb\xbf\xef\xbb\xbf{}", "case: not valid JSON"),
    ("list.json", b"[1, 2]", "case: expected a table of fields at the top level"),
    ("nan.json", b'{"program": NaN}', "program: expected a string, got nan"),
    ("datetime.toml", b"as_of = 2026-03-20T10:00:00", "as_of: expected a date such as"),
])
def test_odd_files(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert any(p.startswith(expected) for p in load_problems(path))


def test_a_directory_a_nul_in_the_path_and_a_long_name(tmp_path):
    assert load_problems(tmp_path)[0].startswith("case: cannot read")
    assert load_problems(str(tmp_path / "a\x00b.toml"))[0].startswith("case: cannot read")
    assert load_problems(tmp_path / ("x" * 300 + ".toml"))[0].startswith("case: ")
    assert load_problems(tmp_path / "a\nb.toml")[0] == "case: no such file '" + str(
        tmp_path).replace("\\", "\\\\") + "/a\\nb.toml'"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("program = 'x'")
    path.chmod(0)
    assert load_problems(path)[0].startswith("case: cannot read")


def test_special_files_are_refused_unread():
    """A device is never read (it may never end): refused by its kind, not after 1 MiB."""
    if Path("/dev/zero").exists():
        assert load_problems("/dev/zero") == [
            "case: cannot read '/dev/zero' (it is a device, not a regular file)"]


def test_a_bad_fee_file(tmp_path, case_data):
    case_data["fees"] = {"source": "invented", "file": "fees.csv"}
    (tmp_path / "fees.csv").write_text("code,amount\n" + "9" * 200_000 + ",1\n")
    assert problems(case_data, tmp_path)[0].startswith("fees.file: ")
    (tmp_path / "fees.csv").write_bytes(b"\xff\xfe")
    assert problems(case_data, tmp_path)[0].startswith("fees.file: cannot read")
    (tmp_path / "fees.csv").write_text("code,amount\n97124,1e400\n")
    assert problems(case_data, tmp_path) == [
        "fees.file: fees.csv:2 amount: expected an amount such as \"30.00\", got '1e400'"]
    (tmp_path / "fees.csv").write_text("code,amount\n97124,2400\n97140,24.00\n")
    assert problems(case_data, tmp_path) == [
        f"fees.file: fees.csv:2 amount: {WHOLE}, got '2400'"]
    case_data["fees"]["file"] = "."
    assert problems(case_data, tmp_path)[0].startswith("fees.file: cannot read")


def example_data() -> list[tuple[Path, dict]]:
    return [(p, tomllib.loads(p.read_text(encoding="utf-8"))) for p in EXAMPLES]


EXAMPLE_DATA = example_data()
MARKER = "ZQPRIVATEQZ"
PRIVATE = {"first_name", "last_name", "line1", "line2", "member_id", "claim_number",
           "group_number", "city", "late_justification", "number"}

HOSTILE = st.sampled_from([
    None, True, False, 0, -1, 1441, 10**9, 10**31, 10**5000, -(10**40), 1.5, float("nan"),
    float("inf"), "", " ", "x" * 2000, "\ud800", "\x00", "\x1b[2J", "a\nb", "\u2028", "1e400",
    "NaN", "Infinity", "30.125", "-5", "99999999999999999999.99", [], {}, ["x"], [1, 2, 3],
    {"a": 1}, {"number": 1}, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1900, 1, 1),
    dt.date(2099, 12, 31), dt.date(2100, 1, 1), dt.datetime(2026, 3, 20, 10, 0), dt.time(10, 0),
    "2026-02-30", "0001-01-01", "9999-12-31", "S13.4XXA", "59", "premera", "Søren Łukasz-Øberg",
    "名前", "\u202eevil", "\U0001f600", Decimal("NaN"), [[[[[[[[[[[[]]]]]]]]]]]],
])


def paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, (*path, i))


def plant(data, path=()):
    """Put the marker into every personal value, so an echo of one can be seen."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PRIVATE and isinstance(value, str):
                data[key] = value + MARKER
            else:
                plant(value, (*path, key))
    elif isinstance(data, list):
        for value in data:
            plant(value)


@st.composite
def mutated_cases(draw):
    path, data = draw(st.sampled_from(EXAMPLE_DATA))
    data = copy.deepcopy(data)
    plant(data)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(list(paths(data))))
        if not where:
            continue
        parent = data
        for part in where[:-1]:
            parent = parent[part]
        key = where[-1]
        op = draw(st.sampled_from(["drop", "replace", "wrap_list", "wrap_table", "stringify",
                                   "unknown", "nest", "duplicate"]))
        if op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = copy.deepcopy(draw(HOSTILE))
        elif op == "wrap_list":
            parent[key] = [parent[key]]
        elif op == "wrap_table":
            parent[key] = {"value": parent[key]}
        elif op == "stringify":
            try:
                parent[key] = str(parent[key])[:50]
            except ValueError:  # an int beyond Python's digit limit
                parent[key] = "9" * 50
        elif op == "unknown" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=20))] = copy.deepcopy(draw(HOSTILE))
        elif op == "nest":
            value = parent[key]
            for _ in range(draw(st.integers(1, 80))):
                value = [value] if draw(st.booleans()) else {"a": value}
            parent[key] = value
        elif op == "duplicate" and isinstance(parent, list):
            parent.extend([copy.deepcopy(parent[key])] * draw(st.sampled_from([1, 60, 400])))
    return path, data


def outcome(run) -> Case | CaseError:
    try:
        return run()
    except CaseError as exc:
        assert_clean(exc.problems)
        assert not any(MARKER in p for p in exc.problems), exc.problems
        return exc


@given(case=mutated_cases())
@FUZZ
def test_fuzz_mutated_examples_give_a_case_or_a_case_error(case):
    path, data = case
    result = outcome(lambda: structure_case(data, path.parent))
    assert isinstance(result, Case | CaseError)


TEXT_INSERTS = st.sampled_from([
    "[", "]", "{", "}", "[" * 40, "{a=" * 40, '"', "'", '"""', "\\", "#", "=", "\n", "\x00",
    "\x1b", "\ud7ff", "\uffff", "9" * 5000, "-", ".", "e400", "nan", "inf", "0001-01-01",
    "9999-12-31", "T25:61:61", "\\ud800", "\\u0000", "\\x", "\r\n", "\t", ",", ":",
])


@st.composite
def mutated_texts(draw):
    path = draw(st.sampled_from(EXAMPLES))
    text = path.read_text(encoding="utf-8")
    as_json = draw(st.booleans())
    if as_json:
        text = json.dumps(tomllib.loads(text), default=str, ensure_ascii=draw(st.booleans()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "truncate", "garbage"]))
        if op == "insert":
            text = text[:at] + draw(TEXT_INSERTS) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "truncate":
            text = text[:at]
        else:
            text = text[:at] + draw(st.text(max_size=20)) + text[at:]
    return path, text, ".json" if as_json else ".toml"


@given(case=mutated_texts())
@FUZZ
def test_fuzz_mutated_example_text_gives_a_case_or_a_case_error(case):
    path, text, suffix = case
    result = outcome(lambda: structure_case(parse_text(text, "case" + suffix), path.parent))
    assert isinstance(result, Case | CaseError)


@given(raw=st.binary(max_size=300))
@settings(max_examples=100, deadline=None, derandomize=True)
def test_fuzz_garbage_bytes(raw):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name in ("c.toml", "c.json"):
            target = Path(tmp) / name
            target.write_bytes(raw)
            assert isinstance(outcome(lambda path=target: load_case(path)), Case | CaseError)


@pytest.mark.parametrize("name,text,expected", [
    ("deep.json", "[" * 5000 + "]" * 5000, "case: not valid JSON (nested too deeply"),
    ("deep.toml", "a = " + "[" * 5000 + "]" * 5000, "case: not valid TOML (nested too deeply"),
    ("big.json", "9" * 5000, "case: not valid JSON (a number with too many digits"),
    ("big.toml", "a = " + "9" * 5000, "case: not valid TOML (a number with too many digits"),
], ids=short_id)
def test_the_parsers_own_limits_are_a_case_error_too(monkeypatch, name, text, expected):
    """Should the scan before parsing ever miss something, the parser's failure is caught."""
    from payerkit import io

    monkeypatch.setattr(io, "_scan", lambda text, kind: None)
    with pytest.raises(CaseError) as exc:
        parse_text(text, name)
    assert exc.value.problems[0].startswith(expected)

"""Reading 835 remittances: the test files, the public samples, and what is refused."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from payerkit.errors import EXIT_INPUT, RemittanceError
from payerkit.remittance import check_balance, read_835, read_835_file
from payerkit.remittance.reader import MAX_PROBLEMS
from payerkit.testing.remit import Separators, sample_remittance, write_835
from payerkit.testing.x12 import validate_with_pyx12

DATA = Path(__file__).resolve().parents[1] / "data" / "x12" / "835"
VALID = sorted(DATA.glob("*.835"))


def read(name: str):
    return read_835_file(DATA / name)


def problems(data) -> list[str]:
    with pytest.raises(RemittanceError) as caught:
        read_835(data)
    return caught.value.problems


# -- The test files ------------------------------------------------------------------------

@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_test_file_passes_pyx12(path):
    assert validate_with_pyx12(path.read_text(encoding="ascii")) == []


def test_the_test_files_are_all_there():
    assert {p.name for p in VALID} == {
        "paid-with-lines.835", "partial-payment.835", "denials.835",
        "reversal-and-correction.835", "provider-adjustments.835", "several-transactions.835",
        "not-balanced.835"}


@pytest.mark.parametrize("path", [p for p in VALID if p.name != "not-balanced.835"],
                         ids=lambda p: p.name)
def test_every_valid_test_file_balances(path):
    for remittance in read_835_file(path):
        assert check_balance(remittance) == ()


def test_a_paid_claim_with_lines():
    (r,) = read("paid-with-lines.835")
    assert (r.interchange_control_number, r.group_control_number,
            r.transaction_control_number) == ("000000101", "101", "0001")
    assert (r.handling_code, r.total_paid, r.credit_debit, r.payment_method, r.paid_on) == (
        "I", Decimal("210"), "C", "CHK", dt.date(2026, 1, 20))
    assert (r.trace_number, r.originator_id) == ("CHK100234", "1999999999")
    assert (r.payer_name, r.payer_id) == ("EVERGREEN TEST HEALTH", "EVG01")
    assert (r.payee_name, r.payee_npi, r.payee_tin) == (
        "HARBOR MASSAGE THERAPY", "1234567893", "911234567")
    assert r.production_date == dt.date(2026, 1, 19)
    (claim,) = r.claims
    assert (claim.claim_id, claim.status, claim.charge, claim.paid, claim.patient_responsibility,
            claim.filing_indicator, claim.payer_claim_number) == (
        "PK-1001", "1", Decimal(210), Decimal(210), Decimal(0), "12", "EVG26010001")
    assert claim.service_start == dt.date(2026, 1, 5) and claim.service_end is None
    assert [(s.qualifier, s.code, s.modifiers, s.charge, s.paid, s.units, s.date,
             s.control_number, s.allowed) for s in claim.lines] == [
        ("HC", "97124", ("GP",), Decimal(140), Decimal(140), Decimal(4), dt.date(2026, 1, 5),
         "PK-1001-1", Decimal(140)),
        ("HC", "97140", ("GP",), Decimal(70), Decimal(70), Decimal(2), dt.date(2026, 1, 5),
         "PK-1001-2", Decimal(70)),
    ]
    assert claim.patient_name.last == "TESTPATIENT" and claim.patient_name.first == "ALEX"


def test_the_patient_is_never_in_a_repr():
    (r,) = read("paid-with-lines.835")
    text = repr(r) + repr(r.claims[0]) + str(r.claims[0]) + repr(r.claims[0].patient_name)
    assert "TESTPATIENT" not in text and "ALEX" not in text
    assert "XQZ000000001" not in text  # the member id is not even kept
    assert "XQZ000000001" not in repr(pickle.dumps(r))


def test_a_partial_payment_and_a_claim_level_copay():
    (r,) = read("partial-payment.835")
    first, second = r.claims
    assert first.patient_responsibility == Decimal("62.4")
    assert [(a.group, a.reason, a.amount, a.quantity) for a in first.lines[0].adjustments] == [
        ("CO", "45", Decimal(28), None), ("PR", "1", Decimal(50), None),
        ("PR", "2", Decimal("12.4"), None)]
    assert first.lines[0].allowed == Decimal(112)
    assert [(a.group, a.reason, a.amount) for a in second.adjustments] == [("PR", "3", Decimal(20))]
    assert second.lines[1].modifiers == () and second.lines[1].units == 1  # SVC05 absent: 1
    assert len(second.all_adjustments()) == 3


def test_denials():
    (r,) = read("denials.835")
    unknown, denied = r.claims
    assert (unknown.status, unknown.paid) == ("4", 0)
    assert denied.status == "1" and denied.paid == 0
    assert [(a.group, a.reason) for line in denied.lines for a in line.adjustments] == [
        ("CO", "50"), ("CO", "197")]
    assert [line.remarks for line in denied.lines] == [("N386",), ("N210",)]
    assert (r.handling_code, r.payment_method, r.total_paid) == ("H", "NON", 0)


def test_a_reversal_then_its_correction():
    (r,) = read("reversal-and-correction.835")
    reversal, corrected, other = r.claims
    assert reversal.is_reversal and not corrected.is_reversal
    assert reversal.claim_id == corrected.claim_id == "PK-1006"
    assert (reversal.charge, reversal.paid) == (Decimal(-140), Decimal(-112))
    assert reversal.lines[0].adjustments[0].amount == Decimal(-28)
    assert reversal.lines[0].control_number == corrected.lines[0].control_number
    assert check_balance(r) == ()


def test_provider_adjustments():
    (r,) = read("provider-adjustments.835")
    assert [(a.provider_id, a.fiscal_period, a.reason, a.reference, a.amount)
            for a in r.provider_adjustments] == [
        ("1234567893", dt.date(2026, 12, 31), "WO", "EVG25120999", Decimal(30)),
        ("1234567893", dt.date(2026, 12, 31), "L6", "EVG26010008", Decimal("-2.15"))]
    assert r.total_paid == Decimal("112.15")


def test_several_transactions_in_several_groups():
    remittances = read("several-transactions.835")
    assert [(r.group_control_number, r.transaction_control_number, r.trace_number,
             len(r.claims)) for r in remittances] == [
        ("201", "0001", "CHK100301", 2), ("201", "0002", "CHK100302", 1),
        ("202", "0001", "CHK100303", 1)]


def test_a_file_that_does_not_balance_still_reads():
    (r,) = read("not-balanced.835")
    assert len(check_balance(r)) == 3


# -- The public samples --------------------------------------------------------------------

PUBLIC = DATA / "public"


def test_the_pyx12_sample_reads_balances_and_passes_pyx12():
    path = PUBLIC / "pyx12" / "835_mult_loops.txt"
    assert validate_with_pyx12(path.read_text(encoding="ascii")) == []
    (r,) = read_835_file(path)
    (claim,) = r.claims
    assert claim.status == "4" and len(claim.lines) == 3
    # DTM*150/151 give a line's period
    assert (claim.lines[0].date, claim.lines[0].end_date) == (dt.date(2003, 11, 29),) * 2
    assert check_balance(r) == ()


def test_the_medicare_part_a_sample_reads_and_balances():
    (r,) = read_835_file(PUBLIC / "linuxforhealth" / "medicare-part-a.835")
    assert [c.claim_id for c in r.claims] == ["666123", "777777"]
    assert r.payer_id == "999"  # REF*2U
    assert [(a.reason, a.reference, a.amount) for a in r.provider_adjustments] == [
        ("CV", "CP", Decimal("-1.27"))]
    assert check_balance(r) == ()


def test_the_managed_care_sample_is_refused_for_its_date_and_balances_when_mended():
    data = (PUBLIC / "linuxforhealth" / "managed-care.835").read_bytes()
    assert problems(data) == ["segment 4 BPR16: expected a date CCYYMMDD, got '20002316'"]
    (r,) = read_835(data.replace(b"*20002316~", b"*20020316~"))
    assert [a.reason for a in r.claims[0].adjustments] == ["A2"]  # claim level, beside lines
    assert check_balance(r) == ()


def test_the_secondary_payment_sample_is_refused_naming_its_segments():
    found = problems((PUBLIC / "linuxforhealth" / "secondary-payment.835").read_bytes())
    assert found[0] == "segment 4 BPR16: required, missing"
    assert found[1].startswith("segment 29 SVC01-1: expected a qualifier")
    assert "component separator is ISA16 ':'" in found[1]


# -- Separators, line breaks, envelopes ----------------------------------------------------

@pytest.mark.parametrize("separators", [
    Separators(),
    Separators("|", ">", "!", "\n"),
    Separators("^", "\\", "{", "'"),
    Separators("\x1d", "\x1f", "\x1e", "\x1c"),
    Separators(newline="\r\n"),
    Separators(newline="\n"),
    Separators("*", ":", "^", "~", "\n\r\n"),
], ids=["default", "pipe-newline", "edifact-like", "control-characters", "crlf", "lf",
        "blank-lines"])
def test_any_separators_read_the_same(separators):
    remittance = sample_remittance(claims=6)
    assert read_835(write_835([remittance], separators=separators)) == (remittance,)


def test_crlf_wrapped_test_file_reads_the_same():
    text = (DATA / "partial-payment.835").read_text(encoding="ascii")
    assert read_835(text.replace("\n", "\r\n")) == read_835(text) == read_835(text.replace("\n", ""))


def test_a_byte_order_mark_and_leading_blank_lines_are_skipped():
    data = (DATA / "paid-with-lines.835").read_bytes()
    assert read_835(b"\xef\xbb\xbf\r\n" + data) == read_835(data)


def test_str_and_bytes_read_the_same():
    data = (DATA / "several-transactions.835").read_bytes()
    assert read_835(data) == read_835(data.decode("ascii")) == read_835(bytearray(data))


def test_an_837_is_refused():
    data = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    assert problems(data.replace("005010X221A1", "005010X222A1")) == [
        "segment 2 GS08: '005010X222A1' is not an 835 5010 (005010X221A1): payerkit reads "
        "835 remittances only"]
    found = problems(data.replace("ST*835*", "ST*837*"))
    assert found == ["segment 3 ST01: '837' is not 835: payerkit reads 835 remittances only"]


def test_a_4010_835_is_refused():
    data = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    assert "GS08" in problems(data.replace("005010X221A1", "004010X091A1"))[0]


@pytest.mark.parametrize("cut", [10, 105, 106, 200, 400, -40, -12, -2])
def test_a_truncated_file_is_refused(cut):
    data = (DATA / "partial-payment.835").read_bytes()
    found = problems(data[:cut])
    assert found and all("segment" in p or "transaction" in p for p in found)


def test_a_missing_trailer_says_truncated():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    cut = text[:text.index("SE*")]
    found = problems(cut)
    assert any("ends without SE (truncated)" in p for p in found)
    assert any("ends without GE" in p for p in found)
    assert any("without IEA" in p for p in found)


def test_wrong_counts_and_control_numbers_are_refused():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    assert problems(text.replace("SE*24*0001", "SE*23*0001")) == [
        "segment 26 SE01: says '23' segments, the transaction has 24"]
    assert problems(text.replace("SE*24*0001", "SE*24*0002")) == [
        "segment 26 SE02: '0002' is not ST02 '0001'"]
    assert problems(text.replace("GE*1*101", "GE*2*101")) == [
        "segment 27 GE01: says '2' transaction sets, the group has 1"]
    assert problems(text.replace("IEA*1*000000101", "IEA*1*000000102")) == [
        "segment 28 IEA02: '000000102' is not ISA13 '000000101'"]


def test_text_after_the_interchange_is_refused():
    data = (DATA / "paid-with-lines.835").read_bytes()
    assert problems(data + data)[0] == "segment 29 ISA: after IEA (one interchange a file)"


@pytest.mark.parametrize("garbage", [
    b"", b"hello", b"\x00" * 200, b"ISA", b"ISA*00*", b"ISA1", b"\xff\xfe" * 100,
    b"<?xml version='1.0'?><x/>", b"ISA*" + b"*" * 200,
    b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *260120*1015*^*00501"
    b"*000000001*0*T**~",
])
def test_garbage_is_refused_with_a_remittance_error(garbage):
    assert problems(garbage)


def test_separators_that_clash_are_refused():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    assert "not all different" in problems(text.replace("*T*:~", "*T*~~", 1))[0]


def test_a_missing_required_element_names_its_segment():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    assert problems(text.replace("CLP*PK-1001*1*210*210*0*12*EVG26010001",
                                 "CLP*PK-1001*1*210**0*12*EVG26010001")) == [
        "segment 15 CLP04: required, missing"]
    assert problems(text.replace("*CHK************20260120", "*CHK")) == [
        "segment 4 BPR16: required, missing"]
    assert problems(text.replace("N1*PE*HARBOR MASSAGE THERAPY*XX*1234567893~\n", "").replace(
        "SE*24*", "SE*23*")) == ["transaction '0001' (ST at segment 3): no N1*PE (payee) segment"]


def test_structure_out_of_place_is_refused():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    moved = text.replace("LX*1~\n", "LX*1~\nSVC*HC:97124*1*1~\n").replace("SE*24*", "SE*25*")
    assert problems(moved) == ["segment 15 SVC: a service line outside a claim (no CLP before it)"]


# -- Amounts -------------------------------------------------------------------------------

def _with_clp04(value: str) -> str:
    text = (DATA / "paid-with-lines.835").read_text(encoding="utf-8")
    return text.replace("CLP*PK-1001*1*210*210*", f"CLP*PK-1001*1*210*{value}*")


@pytest.mark.parametrize("value, expected", [
    ("x", "expected an amount"), ("1e3", "expected an amount"), ("1E3", "expected an amount"),
    ("NaN", "expected an amount"), ("Infinity", "expected an amount"), ("+5", "expected an amount"),
    ("1.234", "at most 2 decimals"), ("1 0", "expected an amount"), ("--1", "expected an amount"),
    ("1,5", "expected an amount"), ("1234567890123456789", "more than 18 digits"),
    ("\uff12\uff11\uff10", "expected an amount"), ("\u0662\u0661\u0660", "expected an amount"),
    ("210\u200b", "expected an amount"), ("-", "expected an amount"), (".", "expected an amount"),
    ("0x10", "expected an amount"), ("210.001", "at most 2 decimals"),
])
def test_an_amount_that_is_not_x12_money_is_refused(value, expected):
    (problem,) = problems(_with_clp04(value))
    assert problem.startswith("segment 15 CLP04: ") and expected in problem


def test_the_message_quotes_the_bad_amount():
    assert problems(_with_clp04("x")) == ["segment 15 CLP04: expected an amount (digits, an "
                                          "optional '-' and '.'), got 'x'"]


@pytest.mark.parametrize("value, amount", [
    ("210", Decimal(210)), ("210.", Decimal(210)), ("210.0", Decimal(210)),
    ("210.00", Decimal(210)), (".5", Decimal("0.5")), ("-12.5", Decimal("-12.5")),
    ("0", Decimal(0)), ("-0", Decimal(0)), ("123456789012345678", Decimal(123456789012345678)),
    ("1234567890123456.78", Decimal("1234567890123456.78")),
])
def test_x12_money_is_read_exactly(value, amount):
    (r,) = read_835(_with_clp04(value))
    assert r.claims[0].paid == amount and isinstance(r.claims[0].paid, Decimal)


def test_a_quantity_may_have_more_decimals_than_money():
    text = (DATA / "partial-payment.835").read_text(encoding="ascii")
    (r,) = read_835(text.replace("SVC*HC:97124:GP*140*49.6**4", "SVC*HC:97124:GP*140*49.6**1.125"))
    assert r.claims[0].lines[0].units == Decimal("1.125")


@pytest.mark.parametrize("value", ["20260230", "2026010", "202601011", "2026-01-20", "２０２６０１２０"])
def test_a_bad_date_is_refused(value):
    text = (DATA / "paid-with-lines.835").read_text(encoding="utf-8")
    (problem,) = problems(text.replace("*20260120~\nTRN", f"*{value}~\nTRN"))
    assert problem.startswith("segment 4 BPR16: expected a date CCYYMMDD")


def test_unknown_codes_are_refused():
    text = (DATA / "partial-payment.835").read_text(encoding="ascii")
    assert problems(text.replace("CAS*CO*45*28", "CAS*XX*45*28")) == [
        "segment 20 CAS01: expected one of CO, CR, OA, PI, PR, got 'XX'"]
    assert problems(text.replace("CAS*CO*45*28", "CAS*CO**28")) == [
        "segment 20 CAS02: an adjustment amount or quantity without its reason code"]
    assert "BPR04" in problems(text.replace("*C*ACH*", "*C*WIRE*"))[0]


def test_a_cas_carries_six_reasons():
    text = (DATA / "partial-payment.835").read_text(encoding="ascii")
    six = "CAS*CO*A1*1*1*A2*2**A3*3*3*A4*4**A5*5**45*13"
    (r,) = read_835(text.replace("CAS*CO*45*28", six))
    assert [(a.reason, a.amount, a.quantity) for a in r.claims[0].lines[0].adjustments[:6]] == [
        ("A1", 1, 1), ("A2", 2, None), ("A3", 3, 3), ("A4", 4, None), ("A5", 5, None),
        ("45", 13, None)]
    assert check_balance(r) == ()
    assert "more than 19 elements" in problems(text.replace("CAS*CO*45*28", six + "*1*A6*0"))[0]


def test_odd_unicode_in_a_name_is_read_and_not_in_messages():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    odd = text.replace("TESTPATIENT*ALEX", "TÉST\u202eP\u0000ATIENT*АЛЕКС")
    (r,) = read_835(odd.encode("utf-8"))
    assert r.claims[0].patient_name.first == "АЛЕКС"
    (r,) = read_835(odd.replace("\u202e", "").replace("\u0000", "").replace("АЛЕКС", "ALEX")
                    .encode("latin-1"))  # Latin-1 from an older system
    assert r.claims[0].patient_name.last == "TÉSTPATIENT"
    found = problems(odd.replace("CLP*PK-1001*1*210*210*", "CLP*PK-1001*1*210*x*"))
    assert not any("TÉST" in p or "АЛЕКС" in p for p in found)


def test_no_patient_value_is_in_any_problem():
    text = (DATA / "paid-with-lines.835").read_text(encoding="ascii")
    broken = (text.replace("NM1*QC*1*TESTPATIENT*ALEX****MI*XQZ000000001",
                           "NM1*QC*1*TESTPATIENT*ALEX****MI*XQZ000000001*EXTRA*x")
              .replace("*140*140**4", "*140*abc**4").replace("SE*24", "SE*99"))
    found = problems(broken)
    assert len(found) == 2
    assert not any(s in p for p in found for s in ("TESTPATIENT", "ALEX", "XQZ000000001"))


def test_many_problems_are_capped():
    remittance = sample_remittance(claims=200, interest=False)
    data = write_835([remittance]).replace(b"REF*6R*", b"CAS*ZZ*1*1~REF*6R*")
    found = problems(data)
    assert len(found) == MAX_PROBLEMS + 1 and found[-1].startswith("(stopped after")


def test_huge_numbers_and_sizes():
    assert "more than 18 digits" in problems(_with_clp04("9" * 10_000))[0]
    with pytest.raises(RemittanceError, match="larger than"):
        read_835(b"ISA" + b" " * 100, limit=50)


def test_the_file_reader_refuses_what_is_not_a_file(tmp_path):
    with pytest.raises(RemittanceError, match="no such file"):
        read_835_file(tmp_path / "missing.835")
    with pytest.raises(RemittanceError, match="cannot read"):
        read_835_file(tmp_path)
    big = tmp_path / "big.835"
    big.write_bytes((DATA / "paid-with-lines.835").read_bytes())
    with pytest.raises(RemittanceError, match="larger than 100 bytes"):
        read_835_file(big, limit=100)


def test_the_error_is_input_and_pickles():
    error = RemittanceError(problems(_with_clp04("x")))
    assert error.exit_code == EXIT_INPUT and error.heading == "invalid remittance"
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and copy.problem_lines() == error.problems


def test_a_quantity_has_at_most_15_digits():
    text = (DATA / "partial-payment.835").read_text(encoding="ascii")
    long_units = "SVC*HC:97124:GP*140*49.6**" + "1" * 16
    (problem,) = problems(text.replace("SVC*HC:97124:GP*140*49.6**4", long_units))
    assert problem == "segment 18 SVC05: more than 15 digits (16)"

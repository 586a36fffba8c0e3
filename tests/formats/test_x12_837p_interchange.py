"""Many claims in one 837P interchange (``Interchange837P``, ``write_837p_interchange``).

Every interchange is checked by the semantic rules (``payerkit.testing.x12``), and
the fixed ones by pyx12 as well; each claim in it must be exactly the segments the
single-claim writer makes for it, under HL numbers that run on within each
transaction set. Every person, practice, payer and number is invented.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
from decimal import Decimal

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit.errors import FormatError
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.formats.x12_837p import (
    Interchange837P,
    InterchangeSummary,
    interchange_key,
    transaction_key,
    write_837p,
    write_837p_interchange,
)
from payerkit.model.case import Address
from payerkit.model.claim import ClaimLine
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12

NOW = dt.datetime(2026, 1, 15, 10, 30)
#: The single-claim writer's options in the comparisons (conftest's FIXED_OPTIONS).
SINGLE = WriteOptions(ControlNumbers(101, 101, 1), NOW)
POOL_SIZE = 30


def second_location(billing):
    """Another location of the same practice: its own NPI and address, the same name and
    phone (so the same 1000A submitter, and the same interchange key)."""
    return evolve(billing, npi="1555555550",
                  address=Address(line1="7 Broadway", city="Saratoga Springs", state="NY",
                                  zip="128660002"))


def _weekly(claim, visits: int, suffix: str):
    """``claim`` with two lines on each of ``visits`` weekly dates, the last at home (12)."""
    lines = []
    for d in range(visits):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=7 * d)
        place = "12" if d == visits - 1 and visits > 1 else "11"
        for code, charge in (("97124", "60.00"), ("97140", "45.50")):
            lines.append(ClaimLine(day, code, 2, Decimal(charge), (1,), place_of_service=place,
                                   control_number=f"{suffix}-{len(lines) + 1}"))
    return evolve(claim, id=f"{claim.id}-{suffix}", lines=lines)


@pytest.fixture(scope="session")
def pool(auto_accident_claim, commercial_dependent_claim):
    """30 claims: dependents (2000C), self-insured, auto accident and commercial, two billing
    providers interleaved, with and without a rendering provider, multi-line."""
    auto, dependent = auto_accident_claim, commercial_dependent_claim
    second = second_location(auto.billing)
    self_insured = evolve(dependent, relation="self", patient=dependent.insured,
                          referring=None, member_id="XYZ555000111")
    claims = []
    for i in range(POOL_SIZE):
        base = (auto, dependent, self_insured)[i % 3]
        changes = {"id": f"{base.id}-{i:02d}"}
        if i % 4 in (1, 2):
            changes["billing"] = second
        if i % 5 == 4:
            changes["rendering"] = None  # PRV*BI: another 2000A for the same provider
        if i % 7 == 3:
            changes["relation"] = "spouse"
            changes["patient"] = evolve(dependent.patient, first_name="Laura",
                                        birth_date=dt.date(1982, 6, 1))
            changes["insured"] = dependent.insured
        if i % 6 == 5:
            changes["frequency"] = "7"
            changes["original_claim_number"] = f"ORIG{i:04d}"
        claim = evolve(base, **changes)
        if i % 3 == 1:
            claim = _weekly(claim, 1 + i % 4, f"W{i}")
        claims.append(claim)
    return claims


def assert_valid(text: str, pyx12: bool = True) -> None:
    if pyx12:
        errors = validate_with_pyx12(text)
        assert errors == [], "pyx12 rejected the file:\n" + "\n".join(errors) + "\n\n" + text
    problems = semantic_errors_837p(text)
    assert problems == [], "semantic errors:\n" + "\n".join(problems) + "\n\n" + text


def write(claims, numbers=None, k=5000) -> tuple[str, InterchangeSummary]:
    out = io.BytesIO()
    interchange = Interchange837P(out, numbers if numbers is not None else itertools.count(500),
                                  NOW, claims_per_transaction=k)
    for claim in claims:
        interchange.add(claim)
    summary = interchange.close()
    assert summary.bytes == len(out.getvalue())
    return out.getvalue().decode("ascii"), summary


def segs(text: str, tag: str) -> list[list[str]]:
    return [s for s in parse_segments(text) if s[0] == tag]


def structure(text: str):
    """``[(transaction segments, [(2000A segments, claim segments)])]`` with the HL
    segments left out of both, after checking each HL's number and parent: HL01 runs 1,
    2, 3... in each transaction set, a 2000B names the 2000A before it, a 2000C the 2000B
    before it. A claim's segments run from its 2000B to the next 2000A/2000B or the SE."""
    transactions = []
    for seg in parse_segments(text):
        tag = seg[0]
        if tag == "ST":
            transactions.append((seg, []))
            hl_seen, billing, current = 0, None, None
            parents: dict[str, str] = {}
        elif not transactions or tag in ("GE", "IEA"):
            continue
        elif tag == "SE":
            current = None
        elif tag == "HL":
            hl_seen += 1
            assert seg[1] == str(hl_seen)
            level = seg[3]
            if level == "20":
                assert seg[2] == ""
                billing, current = [], None
                parents["20"] = seg[1]
            elif level == "22":
                assert seg[2] == parents["20"]
                current = []
                transactions[-1][1].append((billing, current))
                parents["22"] = seg[1]
            else:
                assert level == "23" and seg[2] == parents["22"]
        elif current is not None:
            current.append(seg)
        elif billing is not None:
            billing.append(seg)
    return transactions


def alone(claim):
    """The single-claim writer's 2000A and claim segments for ``claim``."""
    [(_, [(billing, segments)])] = structure(write_837p(claim, SINGLE).decode("ascii"))
    return billing, segments


# ------------------------------------------------------------------ valid interchanges


def test_one_claim(commercial_dependent_claim):
    text, summary = write([commercial_dependent_claim], iter([41, 42]))
    assert_valid(text)
    assert segs(text, "ISA")[0][13] == "000000041" == segs(text, "IEA")[0][2]
    assert segs(text, "GS")[0][6] == "41" == segs(text, "GE")[0][2]
    assert segs(text, "ST")[0][2] == "0042" == segs(text, "SE")[0][2] == segs(text, "BHT")[0][3]
    assert summary == InterchangeSummary(claims=1, transactions=1, bytes=len(text),
                                         control_numbers=(41, 42))
    assert summary.interchange == 41
    # the same segments as the single-claim writer, from BHT to the last line
    single = write_837p(commercial_dependent_claim, SINGLE).decode("ascii")
    assert text.split("BHT*")[1].split("~\nSE*")[0].split("~", 1)[1] == \
        single.split("BHT*")[1].split("~\nSE*")[0].split("~", 1)[1]


def test_thirty_mixed_claims_in_one_transaction_set(pool):
    numbers = [7001, 7002]
    text, summary = write(pool, iter(numbers))
    assert_valid(text)
    [(st_seg, claims)] = structure(text)
    assert len(claims) == len(pool) == len(segs(text, "CLM"))
    assert [s[1] for s in segs(text, "CLM")] == [c.id.upper() for c in pool]
    assert {s[3] for s in segs(text, "HL")} == {"20", "22", "23"}
    # a new 2000A only when the billing provider's loop differs from the previous claim's
    changes = sum(1 for a, b in zip(pool, pool[1:], strict=False)
                  if alone(a)[0] != alone(b)[0])
    assert len([s for s in segs(text, "HL") if s[3] == "20"]) == 1 + changes
    assert 2 < 1 + changes < len(pool)
    assert summary.control_numbers == (7001, 7002) and summary.transactions == 1
    assert segs(text, "GE")[0][1] == "1" and segs(text, "IEA")[0][1] == "1"


def test_several_transaction_sets(pool):
    numbers = [900, 31, 32, 33, 77, 78, 999]
    text, summary = write(pool, iter(numbers), k=7)
    assert_valid(text)
    n_st = math.ceil(len(pool) / 7)
    assert summary == InterchangeSummary(claims=len(pool), transactions=n_st, bytes=len(text),
                                         control_numbers=tuple(numbers[:n_st + 1]))
    isa, gs, ge, iea = segs(text, "ISA")[0], segs(text, "GS")[0], segs(text, "GE")[0], \
        segs(text, "IEA")[0]
    assert isa[13] == "000000900" == iea[2] and gs[6] == "900" == ge[2]
    assert ge[1] == str(n_st) and iea[1] == "1"
    st02 = [s[2] for s in segs(text, "ST")]
    assert st02 == [f"{n:04d}" for n in numbers[1:n_st + 1]] == [s[2] for s in segs(text, "SE")]
    assert st02 == [s[3] for s in segs(text, "BHT")]
    assert len(set(st02)) == n_st
    # SE01 counts its own segments; every ST repeats the header loops
    segments = parse_segments(text)
    starts = [i for i, s in enumerate(segments) if s[0] == "ST"]
    ends = [i for i, s in enumerate(segments) if s[0] == "SE"]
    for start, end in zip(starts, ends, strict=True):
        assert segments[end][1] == str(end - start + 1)
        assert [s[0] + s[1] for s in segments[start + 2:start + 5]] == ["NM141", "PERIC", "NM140"]
    per_st = [len(claims) for _, claims in structure(text)]
    assert per_st == [7, 7, 7, 7, 2]


# ------------------------------------------------------------------ each claim as written alone


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.integers(0, POOL_SIZE - 1), min_size=1, max_size=60),
       k=st.integers(1, 10))
def test_each_claim_is_what_the_single_writer_writes(pool, picks, k):
    claims = [pool[i] for i in picks]
    text, summary = write(claims, k=k)
    assert semantic_errors_837p(text) == []
    transactions = structure(text)  # checks every HL number and parent
    assert len(transactions) == summary.transactions == math.ceil(len(claims) / k)
    assert [len(c) for _, c in transactions] == [k] * (len(claims) // k) + (
        [len(claims) % k] if len(claims) % k else [])
    written = [claim for _, in_st in transactions for claim in in_st]
    assert len(written) == len(claims) == summary.claims
    for claim, (billing, segments) in zip(claims, written, strict=True):
        assert (billing, segments) == alone(claim)
    assert len(set(summary.control_numbers)) == len(summary.control_numbers)


# ------------------------------------------------------------------ refused claims


@pytest.mark.parametrize(("change", "field"), [
    (lambda c: evolve(c, billing=evolve(c.billing, npi="123456789X")), "billing.npi"),
    (lambda c: evolve(c, billing=evolve(c.billing, address=evolve(c.billing.address,
                                                                    zip="12207"))),
     "billing.address.zip"),
    (lambda c: evolve(c, member_id="A*B"), "member_id"),
    (lambda c: evolve(c, lines=(evolve(c.lines[0], pointers=(9,)),)), "lines[0].pointers"),
])
def test_a_refused_claim_writes_nothing(pool, change, field):
    out = io.BytesIO()
    numbers = iter(range(300, 400))
    interchange = Interchange837P(out, numbers, NOW, claims_per_transaction=2)
    good = pool[:5]
    bad = change(pool[1])
    # refused as the first claim: nothing written, no number taken
    with pytest.raises(FormatError) as info:
        interchange.add(bad)
    assert info.value.field == field and out.getvalue() == b""
    for claim in good[:2]:
        interchange.add(claim)
    size = len(out.getvalue())
    with pytest.raises(FormatError) as info:  # would have opened the second transaction set
        interchange.add(bad)
    assert info.value.field == field and len(out.getvalue()) == size
    for claim in good[2:]:
        interchange.add(claim)
    summary = interchange.close()
    text = out.getvalue().decode("ascii")
    assert_valid(text)
    assert summary.claims == 5 and summary.control_numbers == (300, 301, 302, 303)
    assert [s[1] for s in segs(text, "CLM")] == [c.id.upper() for c in good]


def test_claims_are_written_as_they_are_added(pool):
    out = io.BytesIO()
    interchange = Interchange837P(out, itertools.count(1), NOW, claims_per_transaction=2)
    assert (interchange.interchange, interchange.transaction, interchange.claims) == (None, None, 0)
    sizes, where = [], []
    for claim in pool[:4]:
        interchange.add(claim)
        sizes.append(len(out.getvalue()))
        where.append((interchange.interchange, interchange.transaction, interchange.claims))
    assert sizes == sorted(set(sizes)) and out.getvalue().endswith(b"~\n")
    assert where == [(1, 2, 1), (1, 2, 2), (1, 3, 3), (1, 3, 4)]
    assert interchange.close().bytes > sizes[-1]
    assert interchange.close() == interchange.close()  # closing again writes nothing
    with pytest.raises(ValueError, match="closed"):
        interchange.add(pool[0])


# ------------------------------------------------------------------ keys, numbers, arguments


def test_interchange_key(pool):
    claim = pool[0]
    assert interchange_key(claim) == interchange_key(pool[1]) == interchange_key(pool[2])
    for change in ({"sender_id": "OTHERSUB"}, {"receiver_id": "CLEARHOUSE02"}, {"usage": "P"}):
        other = evolve(claim, **change)
        assert interchange_key(other) != interchange_key(claim), change
        interchange = Interchange837P(io.BytesIO(), itertools.count(1), NOW)
        interchange.add(claim)
        with pytest.raises(ValueError, match="interchange_key"):
            interchange.add(other)
    # the 1000A submitter and the 1000B receiver's name are per transaction set: one
    # interchange, a new ST where they change (and back), each ST with its own header
    for change in ({"receiver_name": "Other Clearinghouse"},
                   {"billing": evolve(claim.billing, name="Calm Hands PLLC")},
                   {"billing": evolve(claim.billing, phone="5185550000")}):
        other = evolve(claim, **change)
        assert interchange_key(other) == interchange_key(claim), change
        assert transaction_key(other) != transaction_key(claim), change
        text, summary = write([claim, pool[1], other, other, claim])
        assert_valid(text)
        assert (summary.claims, summary.transactions) == (5, 3)
        headers: list[list] = []
        for segment in parse_segments(text):
            if segment[0] == "ST":
                headers.append([])
            elif segment[0] in ("NM1", "PER") and segment[1] in ("41", "IC", "40"):
                headers[-1].append(segment)
        assert len(headers) == 3 and headers[0] == headers[2] != headers[1]
    # what is not written once per interchange does not matter
    assert interchange_key(evolve(claim, member_id="ZZ1", billing=second_location(claim.billing))) == \
        interchange_key(claim)


def test_write_837p_interchange(pool, tmp_path):
    text = write_837p_interchange(pool[:9], iter(range(10, 20)), NOW,
                                  claims_per_transaction=4).decode("ascii")
    assert text == write(pool[:9], iter(range(10, 20)), k=4)[0]
    # by default the numbers come from payerkit's counter: never the same twice
    first = write_837p_interchange(pool[:3], now=NOW, data_dir=tmp_path,
                                   claims_per_transaction=2).decode("ascii")
    assert segs(first, "ISA")[0][13] == "000000001"
    assert [s[2] for s in segs(first, "ST")] == ["0002", "0003"]
    second = write_837p_interchange(pool[:1], now=NOW, data_dir=tmp_path).decode("ascii")
    assert int(segs(second, "ISA")[0][13]) > 3
    assert int(segs(second, "ST")[0][2]) > int(segs(second, "ISA")[0][13])
    assert_valid(first)
    with pytest.raises(ValueError, match="no claims"):
        write_837p_interchange([], iter([1]), NOW)


@pytest.mark.parametrize(("numbers", "problem"), [
    ([5, 5], "already used"), ([5, 6, 6], "already used"), ([0, 1], "1 to 999999999"),
    ([1_000_000_000], "1 to 999999999"), ([5, True], "1 to 999999999"), ([5, "6"], "1 to"),
    ([5], "ran out"),
])
def test_numbers_are_checked(pool, numbers, problem):
    out = io.BytesIO()
    interchange = Interchange837P(out, iter(numbers), NOW, claims_per_transaction=1)
    with pytest.raises(ValueError, match=problem):
        for claim in pool[:3]:
            interchange.add(claim)
    # what was written before is still a valid interchange once closed
    if interchange.close().claims:
        assert semantic_errors_837p(out.getvalue().decode("ascii")) == []


def test_numbers_from_a_callable(pool):
    counter = itertools.count(999_999_998)
    text, summary = write(pool[:1], lambda: next(counter))
    assert summary.control_numbers == (999_999_998, 999_999_999)
    assert segs(text, "ST")[0][2] == "999999999"
    assert_valid(text)
    with pytest.raises(ValueError, match="1 to 999999999"):  # past ISA13's nine digits
        write(pool[:1], lambda: next(counter))


@pytest.mark.parametrize("k", [0, 5001, -1, 2.5])
def test_claims_per_transaction_is_1_to_5000(k):
    with pytest.raises(ValueError, match="claims_per_transaction"):
        Interchange837P(io.BytesIO(), itertools.count(1), NOW, claims_per_transaction=k)


def test_an_empty_interchange_writes_nothing():
    out = io.BytesIO()
    summary = Interchange837P(out, iter(()), NOW).close()
    assert summary == InterchangeSummary(0, 0, 0, ()) and summary.interchange is None
    assert out.getvalue() == b""


# ------------------------------------------------------------------ the semantic checker


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("GE*3*", "GE*2*", "GE01 is 2"),
    ("IEA*1*", "IEA*2*", "IEA01 is 2"),
    ("ST*837*0002*", "ST*837*0001*", "ST02 0001 repeats"),
    ("HL*4*3*22*", "HL*5*3*22*", "HL01 5 is not 4"),
    ("HL*4*3*22*", "HL*4*1*22*", "HL02 of HL 4"),
    ("HL*1**20*1", "HL*1*1*20*1", "HL02 of HL 1"),
])
def test_the_semantic_checker_reads_every_transaction_set(pool, old, new, problem):
    text, _ = write(pool[:6], iter([10, 1, 2, 3]), k=2)
    assert old in text, old
    assert semantic_errors_837p(text) == []
    problems = semantic_errors_837p(text.replace(old, new, 1))
    assert any(problem in p for p in problems), problems


# ------------------------------------------------------------------ the writer's fast paths


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(" *:^~@#aZ09-.!\"&'()+,/;?=\n\t"),
                                  st.characters()), max_size=8))
def test_the_fast_identifier_test_agrees_with_identifier_problem(value):
    from payerkit.formats.x12 import WRITABLE_IDENTIFIER, identifier_problem

    assert (WRITABLE_IDENTIFIER.fullmatch(value) is not None) == (identifier_problem(value) is None)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_equal_amounts_are_written_alike(value):
    """The writer's amount cache holds one text per value (and type): equal Decimals, however
    written (``100``, ``100.00``, ``1E+2``), must give the same X12 number."""
    from payerkit.formats.x12 import number

    sign, digits, exponent = value.as_tuple()
    for twin in (lambda: value.normalize(), lambda: value + Decimal("0.000"),
                 lambda: Decimal((sign, (*digits, 0), exponent - 1))):  # one more 0 after
        try:
            other = twin()
        except (ArithmeticError, ValueError):
            continue
        if other == value:
            assert number(other) == number(value)

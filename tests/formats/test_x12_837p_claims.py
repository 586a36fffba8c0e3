"""The 837P writer on claims of several dates of service, and on corrected claims
(CLM05-3 replacement/void with REF*F8). Every file written is checked by pyx12 and by
the semantic rules (``payerkit.testing.x12``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from attrs import evolve

from payerkit.errors import FormatError
from payerkit.formats.x12_837p import check_837p, write_837p
from payerkit.model.claim import ClaimLine
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12


def assert_valid(data: bytes) -> str:
    text = data.decode("ascii")
    errors = validate_with_pyx12(text)
    assert errors == [], "pyx12 rejected the file:\n" + "\n".join(errors) + "\n\n" + text
    problems = semantic_errors_837p(text)
    assert problems == [], "semantic errors:\n" + "\n".join(problems) + "\n\n" + text
    return text


def segs(text: str, tag: str) -> list[list[str]]:
    return [s for s in parse_segments(text) if s[0] == tag]


def tags_2300(text: str) -> list[str]:
    tags = [s[0] + (s[1] if s[0] in ("DTP", "REF") else "") for s in parse_segments(text)]
    return tags[tags.index("CLM"):tags.index("LX")]


def visits_claim(claim, days: int, per_day: int = 2, home_every: int = 0):
    """``claim`` with ``per_day`` lines on each of ``days`` weekly dates; every
    ``home_every``-th date at home (12) instead of the office (11)."""
    lines = []
    for d in range(days):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=7 * d)
        place = "12" if home_every and d % home_every == home_every - 1 else "11"
        for k in range(per_day):
            lines.append(ClaimLine(day, ("97124", "97140")[k % 2], 2, Decimal("60.00"), (1,),
                                   place_of_service=place,
                                   control_number=str(len(lines) + 1), service=k, visit=d))
    return evolve(claim, lines=lines, place_of_service="11")


# ------------------------------------------------------------------ several dates of service


@pytest.mark.parametrize("days", [2, 13])
def test_a_claim_of_several_visits_is_accepted(commercial_dependent_claim, fixed_options, days):
    claim = visits_claim(commercial_dependent_claim, days, home_every=3)
    text = assert_valid(write_837p(claim, fixed_options))
    assert [s[1] for s in segs(text, "LX")] == [str(n) for n in range(1, 2 * days + 1)]
    dates = [s[3] for s in segs(text, "DTP") if s[1] == "472"]
    assert dates == [f"{line.date:%Y%m%d}" for line in claim.lines]
    assert segs(text, "CLM")[0][2] == str(120 * days)
    # SV105 only on the lines at home (12), never repeating the claim's 11
    assert [s[5] for s in segs(text, "SV1")] == ["12" if ln.place_of_service == "12" else ""
                                                 for ln in claim.lines]
    assert [s[2] for s in segs(text, "REF") if s[1] == "6R"] == [str(n) for n in
                                                                range(1, 2 * days + 1)]


def test_fifty_lines_written_fifty_one_refused(commercial_dependent_claim, fixed_options):
    fifty = visits_claim(commercial_dependent_claim, 25)
    assert_valid(write_837p(fifty, fixed_options))
    assert check_837p(fifty) == []
    more = evolve(fifty, lines=[*fifty.lines, fifty.lines[-1]])
    with pytest.raises(FormatError, match="^lines: an 837P claim carries 1 to 50"):
        write_837p(more, fixed_options)
    assert ("lines", "an 837P claim carries 1 to 50 service lines") in check_837p(more)


def test_birth_date_checked_against_the_first_date_of_service(commercial_dependent_claim,
                                                              fixed_options):
    claim = visits_claim(commercial_dependent_claim, 3)
    born = claim.lines[2].date  # after the first date of service, before the last
    late = evolve(claim, patient=evolve(claim.patient, birth_date=born))
    assert ("patient.birth_date", "after the date of service") in check_837p(late)


def test_claim_dates(commercial_dependent_claim):
    claim = visits_claim(commercial_dependent_claim, 3)
    assert claim.dates == tuple(dt.date(2026, 1, 5) + dt.timedelta(days=7 * d) for d in range(3))


# ------------------------------------------------------------------ corrected claims


@pytest.mark.parametrize("frequency", ["7", "8"])
def test_replacement_and_void_carry_the_original_claim_number(commercial_dependent_claim,
                                                              fixed_options, frequency):
    claim = evolve(commercial_dependent_claim, frequency=frequency,
                   original_claim_number="2026012345678ab")
    text = assert_valid(write_837p(claim, fixed_options))
    assert segs(text, "CLM")[0][5] == f"11:B:{frequency}"
    assert ["REF", "F8", "2026012345678AB"] in segs(text, "REF")
    # 2300 order (pyx12's map): DTP, REF*G1 prior authorization, REF*F8, then HI
    assert tags_2300(text)[:5] == ["CLM", "DTP431", "REFG1", "REFF8", "HI"]


def test_an_original_claim_has_frequency_1_and_no_f8(commercial_dependent_claim, fixed_options):
    claim = evolve(commercial_dependent_claim, original_claim_number="IGNORED1")
    text = assert_valid(write_837p(claim, fixed_options))
    assert segs(text, "CLM")[0][5] == "11:B:1"
    assert not [s for s in segs(text, "REF") if s[1] == "F8"]


@pytest.mark.parametrize("frequency", ["7", "8"])
def test_a_correction_without_the_original_number_is_refused(commercial_dependent_claim,
                                                             fixed_options, frequency):
    claim = evolve(commercial_dependent_claim, frequency=frequency)
    with pytest.raises(FormatError) as info:
        write_837p(claim, fixed_options)
    assert info.value.field == "original_claim_number"
    assert [f for f, _ in check_837p(claim)] == ["original_claim_number"]


@pytest.mark.parametrize("bad", ["AB*12", "AB:12", "AB~12", "AB^12", "AB#12", "ÄB12", " AB12",
                                 "X" * 51])
def test_an_original_claim_number_is_refused_not_altered(commercial_dependent_claim,
                                                         fixed_options, bad):
    claim = evolve(commercial_dependent_claim, frequency="7", original_claim_number=bad)
    with pytest.raises(FormatError) as info:
        write_837p(claim, fixed_options)
    assert info.value.field == "original_claim_number"
    assert bad not in str(info.value)


def test_fifty_characters_are_written_whole(commercial_dependent_claim, fixed_options):
    number = "1234567890" * 5
    claim = evolve(commercial_dependent_claim, frequency="8", original_claim_number=number)
    text = assert_valid(write_837p(claim, fixed_options))
    assert ["REF", "F8", number] in segs(text, "REF")


@pytest.mark.parametrize("bad", ["2", "", "replacement", 7])
def test_an_unknown_frequency_is_refused(commercial_dependent_claim, fixed_options, bad):
    claim = evolve(commercial_dependent_claim, frequency=bad, original_claim_number="A1")
    assert ("frequency", "must be 'original', 'replacement' or 'void'") in check_837p(claim)
    with pytest.raises(FormatError, match="^frequency: "):
        write_837p(claim, fixed_options)


@pytest.mark.parametrize(("old", "new"), [
    ("***11:B:1*", "***11:B:7*"),     # a replacement without REF*F8
    ("~\nHI*", "~\nREF*F8*ORIG1~\nHI*"),  # REF*F8 on an original claim
])
def test_the_semantic_checker_pairs_frequency_and_f8(commercial_dependent_claim, fixed_options,
                                                      old, new):
    text = write_837p(commercial_dependent_claim, fixed_options).decode()
    assert old in text
    assert "REF*F8 (payer claim control number) must be sent exactly when CLM05-3 is 7 or 8" \
        in semantic_errors_837p(text.replace(old, new, 1))


def test_the_semantic_checker_refuses_a_repeated_sv105(commercial_dependent_claim,
                                                       fixed_options):
    text = write_837p(commercial_dependent_claim, fixed_options).decode()
    broken = text.replace("*UN*4***1:2", "*UN*4*11**1:2", 1)
    assert "SV105 repeats CLM05-1: send it only when the line's place differs" \
        in semantic_errors_837p(broken)

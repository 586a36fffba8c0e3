"""Claims of several visits (the kit, the scrub, the CLI) and corrected claims from the case
file: replacement and void with the payer's original claim number."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json

import pytest
from case_samples import BASE_CASE, SampleAdapter, make_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit import ALL_VISITS, CaseError, ClaimRefused, PayerKit
from payerkit.cli import main
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.io import structure_case
from payerkit.rules.money import total
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12

OPTIONS = WriteOptions(ControlNumbers(11, 11, 11), dt.datetime(2026, 3, 20, 9, 0))
FIRST = dt.date(2026, 2, 2)


def visits(n: int, every: int = 2, services: int = 2, start: dt.date = FIRST, **extra) -> list:
    """``n`` visits ``every`` days apart from ``start``, each with ``services`` billable lines."""
    codes = [{"code": "97124", "minutes": 40, "diagnoses": [1, 2]}, {"code": "97140", "minutes": 15}]
    return [{"date": start + dt.timedelta(days=every * i), **extra,
             "services": [codes[k % 2] for k in range(services)]} for i in range(n)]


def segs(text: str, tag: str) -> list[list[str]]:
    return [s for s in parse_segments(text) if s[0] == tag]


def assert_valid(data: bytes) -> str:
    text = data.decode("ascii")
    assert validate_with_pyx12(text) == [], text
    assert semantic_errors_837p(text) == [], text
    return text


# ------------------------------------------------------------------ several visits on one claim


@pytest.mark.parametrize("n", [2, 13])
def test_a_claim_of_several_visits_is_written_and_accepted(kit, n):
    case = make_case(visits=visits(n))
    text = assert_valid(kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS))
    claim = kit.build_claim(case, ALL_VISITS)
    assert len(claim.lines) == 2 * n == len(segs(text, "LX"))
    assert [s[3] for s in segs(text, "DTP") if s[1] == "472"] == [
        f"{v.date:%Y%m%d}" for v in case.visits for _ in v.services]
    assert [(ln.visit, ln.service) for ln in claim.lines] == [(i, j) for i in range(n)
                                                             for j in range(2)]
    assert claim.dates == tuple(v.date for v in case.visits)
    # the total is the sum of each visit's own price
    assert segs(text, "CLM")[0][2] == str(sum(kit.price(case, v).total_charge
                                              for v in case.visits)).rstrip("0").rstrip(".")


def test_visits_chosen_by_date_by_visit_or_all_give_the_same_claim(kit):
    case = make_case(visits=visits(3))
    by_date = kit.claim(case, "x12-837p", [v.date for v in case.visits], options=OPTIONS)
    assert kit.claim(case, "x12-837p", list(case.visits), options=OPTIONS) == by_date
    assert kit.claim(case, "x12-837p", "all", options=OPTIONS) == by_date
    # order and repetition do not matter: the claim is in date order, each visit once
    shuffled = [case.visits[2].date, case.visits[0], case.visits[1].date, case.visits[0].date]
    assert kit.claim(case, "x12-837p", shuffled, options=OPTIONS) == by_date


def test_one_visit_is_billed_as_before(kit):
    case = make_case(visits=visits(3))
    day = case.visits[1].date
    one = kit.claim(case, "x12-837p", day, options=OPTIONS)
    assert kit.claim(case, "x12-837p", [day], options=OPTIONS) == one
    assert kit.claim(case, "x12-837p", case.visits[1], options=OPTIONS) == one
    assert kit.claim(case, "x12-837p", (day,), options=OPTIONS) == one
    # the claim id of one visit: the digest of its date (base 32), 14 characters for box 26
    digest = base64.b32encode(hashlib.sha256(
        f"test-plan|ABC123456789|{day.isoformat()}".encode()).digest()).decode()
    assert kit.build_claim(case, day).id == f"PK{day:%y%m%d}{digest[:6]}"
    assert kit.build_claim(case).lines == kit.build_claim(case, case.visits[-1].date).lines


def test_two_visits_on_one_day_are_two_visits(kit):
    """A date names the first visit that day (as for one visit); the visits themselves, or
    all of them, bill both, each line naming its own visit, even when they are alike."""
    case = make_case(visits=visits(2, every=0))
    both = kit.build_claim(case, ALL_VISITS)
    assert [ln.visit for ln in both.lines] == [0, 0, 1, 1]
    assert kit.build_claim(case, list(case.visits)).lines == both.lines
    assert [ln.visit for ln in kit.build_claim(case, [FIRST, FIRST]).lines] == [0, 0]
    assert_valid(kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS))


def test_the_claim_id_covers_every_date_billed(kit):
    case = make_case(visits=visits(3))
    a, b, c = (v.date for v in case.visits)
    ids = {kit.build_claim(case, chosen).id for chosen in ([a], [a, b], [a, c], [a, b, c])}
    assert len(ids) == 4
    assert all(i.startswith(f"PK{a:%y%m%d}") and len(i) == 14 and i.isalnum() for i in ids)
    assert kit.build_claim(case, [b, a]).id == kit.build_claim(case, [a, b]).id


def test_each_line_keeps_its_place_of_service(kit):
    data = visits(3)
    data[1]["place_of_service"] = "12"
    case = make_case(visits=data)
    text = assert_valid(kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS))
    assert segs(text, "CLM")[0][5] == "11:B:1"  # the place of most lines
    assert [s[5] for s in segs(text, "SV1")] == ["", "", "12", "12", "", ""]
    home = make_case(visits=[data[0], data[1], {**data[2], "place_of_service": "12"}])
    text = assert_valid(kit.claim(home, "x12-837p", ALL_VISITS, options=OPTIONS))
    assert segs(text, "CLM")[0][5] == "12:B:1"
    assert [s[5] for s in segs(text, "SV1")] == ["11", "11", "", "", "", ""]


def test_fifty_lines_go_fifty_one_are_refused_by_the_scrub_with_a_path(kit):
    fifty = make_case(visits=visits(25, every=1))
    assert not kit.scrub(fifty, ALL_VISITS).errors
    assert_valid(kit.claim(fifty, "x12-837p", ALL_VISITS, options=OPTIONS))
    more = make_case(visits=visits(25, every=1) + visits(1, services=1,
                                                         start=FIRST + dt.timedelta(days=25)))
    errors = kit.scrub(more, ALL_VISITS).errors
    assert [(f.code, f.path) for f in errors] == [("FORMAT-LIMIT", "visits")]
    assert "1 to 50 service lines" in errors[0].message
    with pytest.raises(ClaimRefused) as info:
        kit.claim(more, "x12-837p", ALL_VISITS, options=OPTIONS)
    assert [(f.code, f.path) for f in info.value.findings] == [("FORMAT-LIMIT", "visits")]
    # each visit alone, or fewer of them, still goes
    assert not kit.scrub(more).errors
    assert not kit.scrub(more, [v.date for v in more.visits[1:]]).errors


def test_a_bad_visit_among_several_refuses_the_claim_naming_its_own_path(kit):
    data = visits(4)
    data[2]["services"] = [{"code": "9712X", "minutes": 30}, {"code": "97140", "minutes": 15}]
    case = make_case(visits=data)
    errors = kit.scrub(case, ALL_VISITS).errors
    paths = {f.path for f in errors}  # the code, and its charge (no cash rate for it)
    assert paths == {"visits[2].services[0].code", "visits[2].services[0].charge"}
    with pytest.raises(ClaimRefused) as info:
        kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS)
    assert {f.path for f in info.value.findings} == paths
    others = [v.date for i, v in enumerate(case.visits) if i != 2]
    assert_valid(kit.claim(case, "x12-837p", others, options=OPTIONS))


def test_a_value_the_837p_cannot_carry_names_its_visit(kit, monkeypatch):
    """A line the writer refuses (found by the whole-claim format check) names the case field
    of its own visit and service, not the first visit's."""
    import payerkit.checks

    data = visits(3)
    data[1]["services"] = [{"code": "97124", "minutes": 40}, {"code": "97*40", "minutes": 15}]
    case = make_case(visits=data)
    monkeypatch.setattr(payerkit.checks, "visit_findings", lambda *a: [])  # only the writer
    errors = kit.scrub(case, ALL_VISITS).errors
    assert [(f.code, f.path) for f in errors] == [("FORMAT-LIMIT", "visits[1].services[1].code")]
    with pytest.raises(ClaimRefused) as info:
        kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS)
    assert [f.path for f in info.value.findings] == ["visits[1].services[1].code"]


def test_deadlines_are_judged_per_visit(kit):
    """The sample adapter's 90-day filing limit: the first visit is late on as_of, the others
    are not; a case-wide finding is said once, not once per visit."""
    data = visits(1) + visits(2, start=dt.date(2026, 4, 20))
    case = make_case(visits=data, as_of=dt.date(2026, 5, 10))
    errors = kit.scrub(case, ALL_VISITS).errors
    assert [(f.code, f.path) for f in errors] == [("LATE-CLAIM-SUBMISSION", "visits[0].date")]
    assert "2026-02-02" in errors[0].message
    with pytest.raises(ClaimRefused):
        kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS)
    assert_valid(kit.claim(case, "x12-837p", [v.date for v in case.visits[1:]], options=OPTIONS))
    findings = kit.scrub(case, [v.date for v in case.visits[1:]],
                         written_on=dt.date(2026, 8, 1)).findings
    assert [f.code for f in findings].count("AS-OF-BEFORE-WRITING") == 1
    assert {f.path for f in findings if f.code == "LATE-CLAIM-SUBMISSION"} == {
        "visits[1].date", "visits[2].date"}  # late if sent on August 1


def test_the_visits_asked_for_must_be_the_cases(kit):
    case = make_case(visits=visits(2))
    for bad, problem in [([], "visits: no visit was chosen to bill"),
                         ([FIRST, dt.date(2026, 2, 3)], "visits: no visit on 2026-02-03"),
                         ("every", "visits: expected a visit, a date, a list of them or 'all'")]:
        with pytest.raises(CaseError) as info:
            kit.claim(case, "x12-837p", bad, options=OPTIONS)
        assert info.value.problems[0].startswith(problem)
        with pytest.raises(CaseError):
            kit.scrub(case, bad)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_visits_give_a_claim_whose_total_is_the_sum_of_its_lines(data):
    n = data.draw(st.integers(1, 8), label="visits")
    every = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n), label="gaps")
    rows, day = [], FIRST
    for gap in every:
        day += dt.timedelta(days=gap)
        services = data.draw(st.lists(st.sampled_from([
            {"code": "97124", "minutes": 40}, {"code": "97140", "minutes": 15},
            {"code": "97124", "minutes": 5}, {"code": "97140", "minutes": 23, "charge": "51.07"}]),
            min_size=1, max_size=4))
        rows.append({"date": day, "services": services,
                     "place_of_service": data.draw(st.sampled_from(["11", "12"]))})
    case = make_case(visits=rows)
    chosen = data.draw(st.lists(st.integers(0, n - 1), min_size=1), label="chosen")
    kit = PayerKit(entry_points=False, plugins=[SampleAdapter()])
    claim = kit.build_claim(case, [case.visits[i] for i in chosen])
    picked = sorted(set(chosen))
    billed = [(i, j) for i in picked for j, line in enumerate(kit.price(case, case.visits[i]).lines)
              if line.units > 0]
    assert [(ln.visit, ln.service) for ln in claim.lines] == billed
    assert claim.total_charge == total(ln.charge for ln in claim.lines) == total(
        kit.price(case, case.visits[i]).total_charge for i in picked)
    assert [ln.date for ln in claim.lines] == sorted(ln.date for ln in claim.lines)
    assert all(ln.place_of_service == case.visits[ln.visit].place_of_service for ln in claim.lines)
    if not claim.lines:
        return
    try:
        text = kit.claim(case, "x12-837p", [case.visits[i] for i in chosen],
                         options=OPTIONS).decode()
    except ClaimRefused as exc:  # a visit chosen with nothing billable
        assert {f.code for f in exc.findings} == {"NOTHING-TO-BILL"}
        return
    assert semantic_errors_837p(text) == []
    assert segs(text, "CLM")[0][2] == str(claim.total_charge).rstrip("0").rstrip(".")


# ------------------------------------------------------------------ corrected claims


@pytest.mark.parametrize(("frequency", "code"), [("replacement", "7"), ("void", "8")])
def test_a_corrected_claim_from_the_case_file(kit, frequency, code):
    case = make_case(claim={"frequency": frequency, "original_claim_number": "2026 0415 ab-7"})
    assert not kit.scrub(case).errors
    claim = kit.build_claim(case)
    assert (claim.frequency, claim.original_claim_number) == (code, "2026 0415 ab-7")
    text = assert_valid(kit.claim(case, "x12-837p", options=OPTIONS))
    assert segs(text, "CLM")[0][5] == f"11:B:{code}"
    assert ["REF", "F8", "2026 0415 AB-7"] in segs(text, "REF")


def test_an_original_claim_by_default(kit):
    case = make_case()
    assert (case.claim.frequency, case.claim.original_claim_number) == ("original", None)
    assert kit.build_claim(case).frequency == "1"
    text = kit.claim(case, "x12-837p", options=OPTIONS).decode()
    assert segs(text, "CLM")[0][5] == "11:B:1" and "REF*F8" not in text


@pytest.mark.parametrize("frequency", ["replacement", "void"])
def test_a_correction_without_the_original_number_is_an_error(kit, frequency):
    case = make_case(claim={"frequency": frequency})
    errors = kit.scrub(case).errors
    assert "NO-ORIGINAL-CLAIM-NUMBER" in {f.code for f in errors}
    assert {f.path for f in errors} == {"claim.original_claim_number"}
    with pytest.raises(ClaimRefused) as info:
        kit.claim(case, "x12-837p", options=OPTIONS)
    assert {f.path for f in info.value.findings} == {"claim.original_claim_number"}


def test_an_original_claim_with_an_original_number_is_an_error(kit):
    case = make_case(claim={"original_claim_number": "ABC123"})
    errors = kit.scrub(case).errors
    assert [(f.code, f.path) for f in errors] == [("ORIGINAL-CLAIM-NUMBER-UNUSED", "claim.frequency")]


@pytest.mark.parametrize("bad", ["AB*123", "AB:123", "ÄB123", "AB#123", "X" * 51])
def test_an_original_number_x12_cannot_carry_is_refused_not_altered(kit, bad):
    case = make_case(claim={"frequency": "replacement", "original_claim_number": bad})
    errors = kit.scrub(case).errors
    assert [(f.code, f.path) for f in errors] == [("FORMAT-LIMIT", "claim.original_claim_number")]
    assert bad not in errors[0].message
    with pytest.raises(ClaimRefused) as info:
        kit.claim(case, "x12-837p", options=OPTIONS)
    assert [f.path for f in info.value.findings] == ["claim.original_claim_number"]


def test_the_case_file_checks_frequency_and_keeps_the_number_private():
    data = copy.deepcopy(BASE_CASE)
    data["claim"] = {"frequency": "corrected", "original_claim_number": 12345}
    with pytest.raises(CaseError) as info:
        structure_case(data)
    text = "\n".join(info.value.problems)
    assert "claim.frequency: expected one of 'original' | 'replacement' | 'void'" in text
    assert "claim.original_claim_number" in text and "12345" not in text


def test_a_corrected_claim_of_several_visits(kit):
    case = make_case(visits=visits(3), claim={"frequency": "replacement",
                                              "original_claim_number": "PAYER0001"})
    text = assert_valid(kit.claim(case, "x12-837p", ALL_VISITS, options=OPTIONS))
    assert segs(text, "CLM")[0][5] == "11:B:7" and len(segs(text, "LX")) == 6


# ------------------------------------------------------------------ the command


@pytest.fixture
def cli(monkeypatch, payerkit_data_dir, tmp_path, capsys):
    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[SampleAdapter()]))

    def run(data, *argv):
        path = tmp_path / "case.json"
        path.write_text(json.dumps(data, default=str))
        code = main([argv[0], str(path), *argv[1:]])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_bills_the_visits_asked_for(cli):
    data = {**copy.deepcopy(BASE_CASE), "visits": visits(3)}
    dates = [v["date"].isoformat() for v in data["visits"]]
    code, out, _ = cli(data, "claim", "--visit", dates[0], "--visit", dates[2])
    assert code == 0
    assert [s[3] for s in segs(out, "DTP") if s[1] == "472"] == [
        d.replace("-", "") for d in (dates[0], dates[0], dates[2], dates[2])]
    code, out, _ = cli(data, "claim", "--all-visits")
    assert code == 0 and len(segs(out, "LX")) == 6
    code, out, _ = cli(data, "claim", "--visit", dates[1])
    assert code == 0 and len(segs(out, "LX")) == 2
    code, out, _ = cli(data, "claim")  # the last visit, as before
    assert code == 0 and {s[3] for s in segs(out, "DTP") if s[1] == "472"} == {
        dates[2].replace("-", "")}


def test_cli_refuses_a_claim_naming_the_bad_visit(cli):
    data = {**copy.deepcopy(BASE_CASE), "visits": visits(3)}
    data["visits"][1]["place_of_service"] = "1X"
    code, out, err = cli(data, "claim", "--all-visits", "--json")
    assert code == 1
    assert {f["path"] for f in json.loads(out)["findings"]} == {"visits[1].place_of_service"}
    code, _, err = cli(data, "claim", "--visit", "2026-02-03")
    assert code == 2 and "visits: no visit on 2026-02-03" in err


def test_cli_visit_and_all_visits_do_not_mix(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli(copy.deepcopy(BASE_CASE), "claim", "--all-visits", "--visit", "2026-03-12")
    assert info.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_a_patient_statement_is_written_through_a_coverage_refusal_not_a_data_error(
        payerkit_data_dir):
    """The superbill is the patient's statement (ClaimFormat.for_patient): a visit the program
    does not cover still gets it, the payer's claim does not; a statement the provider's data
    cannot make (a bad NPI) is refused like any claim."""
    import attrs

    from payerkit import ClaimRefused, PayerKit, hookimpl, not_covered
    from payerkit.model import Citation

    class NotCovered(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("x12-837p", "superbill"))

        @hookimpl
        def payerkit_outcomes(self):
            return [not_covered("INVENTED-NOT-COVERED", "the invented plan pays no massage",
                                Citation("Invented Plan s. 1", "2026"))]

    kit = PayerKit(entry_points=False, plugins=[NotCovered()])
    ev = kit.evaluate(make_case())
    assert ev.eligibility.status == "not_covered"
    assert kit.claim_format_of("superbill").for_patient
    assert ev.write("superbill").startswith(b"%PDF")
    with pytest.raises(ClaimRefused) as refused:
        ev.write("x12-837p")
    assert [f.code for f in refused.value.findings] == ["INVENTED-NOT-COVERED"]
    provider = dict(BASE_CASE["provider"], npi="1234567890")  # a bad check digit
    with pytest.raises(ClaimRefused) as refused:
        kit.evaluate(make_case(provider=provider)).write("superbill")
    assert "NPI-INVALID" in {f.code for f in refused.value.findings}

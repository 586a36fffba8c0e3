"""``PayerKit.evaluate``: one pass, the same answers as the single questions, and the claim
written by the evaluation itself, from what its scrub checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import attrs
import pytest
from case_samples import BASE_CASE, make_case

from payerkit import ALL_VISITS, ClaimRefused, PayerKit, Scrub, hookimpl, load_case
from payerkit.formats.options import ControlNumbers, WriteOptions

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.toml"))
FIXED = WriteOptions(ControlNumbers(7, 7, 7), dt.datetime(2026, 4, 1, 9, 30))
WRITTEN = dt.date(2026, 4, 1)


@pytest.fixture(scope="module")
def installed():
    return PayerKit()


def visits_of(case):
    """Every way to bill: each visit alone, and all of them on one claim."""
    return [*case.visits, ALL_VISITS]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_evaluate_answers_what_each_question_answers(path, installed, payerkit_data_dir):
    kit = installed
    case = load_case(path)
    for visit in visits_of(case):
        ev = kit.evaluate(case, visit, written_on=WRITTEN)
        last = ev.visits[-1]
        assert ev.eligibility == kit.check(case, last)
        assert ev.limits == kit.limits(case, last)
        assert ev.payment_terms == kit.payment_terms(case, last)
        assert ev.pricings == tuple(kit.price(case, v) for v in ev.visits)
        assert ev.scrub == kit.scrub(case, visit, written_on=WRITTEN)
        assert ev.clean == (not ev.scrub.errors)
        try:
            expected = kit.claim(case, "x12-837p", visit, FIXED)
        except ClaimRefused as exc:
            with pytest.raises(ClaimRefused) as got:
                ev.write("x12-837p", FIXED)
            assert got.value.findings == exc.findings
            continue
        assert ev.claim == kit.build_claim(case, visit)
        assert ev.write("x12-837p", FIXED) == expected


class Counting:
    """A local plugin counting the question hooks it is asked."""

    def __init__(self):
        self.calls = Counter()

    @hookimpl
    def payerkit_outcomes(self):
        self.calls["outcomes"] += 1

    @hookimpl
    def payerkit_fee_schedule(self):
        self.calls["fee_schedule"] += 1

    @hookimpl
    def payerkit_units(self):
        self.calls["units"] += 1

    @hookimpl
    def payerkit_scrub(self):
        self.calls["scrub"] += 1

    @hookimpl
    def payerkit_visit_limits(self):
        self.calls["visit_limits"] += 1

    @hookimpl
    def payerkit_filing_deadline(self):
        self.calls["filing_deadline"] += 1

    @hookimpl
    def payerkit_payment_terms(self):
        self.calls["payment_terms"] += 1


def two_visits():
    return make_case(visits=[
        {"date": dt.date(2026, 3, 5), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 12), "services": [{"code": "97124", "minutes": 30}]}])


def test_one_pass_asks_each_question_once_per_visit_and_the_claim_asks_none(kit):
    counting = Counting()
    kit.register(counting)
    case = two_visits()
    ev = kit.evaluate(case, ALL_VISITS)
    assert ev.clean, ev.scrub.errors
    per_visit = {"outcomes": 2, "fee_schedule": 2, "units": 2, "scrub": 2, "filing_deadline": 2}
    assert counting.calls == Counter({**per_visit, "visit_limits": 1, "payment_terms": 1})
    counting.calls.clear()
    ev.write(options=FIXED)
    assert counting.calls == Counter()


def test_a_claim_from_an_evaluation_equals_the_claim_without(kit):
    case = two_visits()
    ev = kit.evaluate(case, ALL_VISITS)
    assert ev.write(options=FIXED) == kit.claim(case, visit=ALL_VISITS, options=FIXED)


def test_an_evaluation_writes_its_own_case(kit):
    """An evaluation carries its case, visits and day: there is no other case to hand it."""
    case = two_visits()
    ev = kit.evaluate(case, dt.date(2026, 3, 5))
    assert ev.case is case and [v.date for v in ev.visits] == [dt.date(2026, 3, 5)]
    assert ev.write(options=FIXED) == kit.claim(case, visit=dt.date(2026, 3, 5), options=FIXED)


def test_the_old_evaluation_argument_says_how_to_migrate(kit):
    case = two_visits()
    ev = kit.evaluate(case)
    with pytest.raises(TypeError, match=r"replaced by ev\.write\(format, options\)"):
        kit.claim(case, options=FIXED, evaluation=ev)


def test_an_edited_copy_still_writes_only_what_its_scrub_checked(kit):
    provider = {**BASE_CASE["provider"], "npi": "1234567890"}  # a bad check digit
    case = make_case(provider=provider)
    ev = kit.evaluate(case)
    assert not ev.clean and ev.claim is None
    with pytest.raises(ClaimRefused) as refused:
        ev.write(options=FIXED)
    assert refused.value.findings == ev.scrub.errors
    # a copy that hides the errors writes nothing either: the claim is the run's, not the copy's
    cleaned = attrs.evolve(ev, scrub=Scrub(ev.program, []))
    with pytest.raises(ClaimRefused) as refused:
        cleaned.write(options=FIXED)
    assert refused.value.findings == ev.scrub.errors


def test_a_claim_in_another_format_ignores_only_the_other_writers_limits(kit):
    case = two_visits()
    ev = kit.evaluate(case, format="x12-837p")
    assert ev.format == "x12-837p"
    program = kit.program(case.program)
    for fmt in program.claim_formats:
        assert ev.write(fmt, FIXED) == kit.claim(case, fmt, options=FIXED)

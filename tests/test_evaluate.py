"""``PayerKit.evaluate``: one pass, the same answers as the single questions, and a claim
written on an evaluation only when it is this case's own, unedited and current."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import attrs
import pytest
from case_samples import BASE_CASE, SampleAdapter, make_case

from payerkit import ALL_VISITS, ClaimRefused, Evaluation, PayerKit, Scrub, hookimpl, load_case
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
                kit.claim(case, "x12-837p", options=FIXED, evaluation=ev)
            assert got.value.findings == exc.findings
            continue
        assert ev.claim == kit.build_claim(case, visit)
        assert kit.claim(case, "x12-837p", options=FIXED, evaluation=ev) == expected


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
    kit.claim(case, evaluation=ev, options=FIXED)
    assert counting.calls == Counter()


def test_a_claim_from_an_evaluation_equals_the_claim_without(kit):
    case = two_visits()
    ev = kit.evaluate(case, ALL_VISITS)
    assert kit.claim(case, options=FIXED, evaluation=ev) == \
        kit.claim(case, visit=ALL_VISITS, options=FIXED)
    # the visits and day may be repeated, if they are the evaluation's own
    assert kit.claim(case, visit=ALL_VISITS, as_of=ev.as_of, options=FIXED, evaluation=ev) == \
        kit.claim(case, visit=ALL_VISITS, options=FIXED)


def mismatch(kit, case, ev, **kwargs) -> str:
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, options=FIXED, evaluation=ev, **kwargs)
    (finding,) = refused.value.findings
    assert finding.code == "SCRUB-MISMATCH" and finding.severity == "error"
    return finding.message


def test_an_evaluation_of_another_case_is_refused(kit):
    ev = kit.evaluate(two_visits())
    other = make_case(coverage={**BASE_CASE["coverage"], "member_id": "ZZ999"})
    assert "another case" in mismatch(kit, other, ev)


def test_an_equal_case_may_use_the_evaluation(kit):
    ev = kit.evaluate(two_visits())
    assert kit.claim(two_visits(), options=FIXED, evaluation=ev)


def test_an_edited_or_forged_evaluation_is_refused(kit):
    provider = {**BASE_CASE["provider"], "npi": "1234567890"}  # a bad check digit
    case = make_case(provider=provider)
    ev = kit.evaluate(case)
    assert not ev.clean and ev.claim is None
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, options=FIXED, evaluation=ev)
    assert refused.value.findings == ev.scrub.errors
    # an edited copy that hides the errors, or one built by hand, is not the kit's own
    cleaned = attrs.evolve(ev, scrub=Scrub(ev.program, []), claim=ev.draft)
    assert "not made by this kit" in mismatch(kit, case, cleaned)
    forged = Evaluation(**{a.alias: getattr(cleaned, a.name) for a in attrs.fields(Evaluation)})
    assert "not made by this kit" in mismatch(kit, case, forged)
    assert "not made by this kit" in mismatch(kit, case, "not an evaluation")


def test_another_kits_evaluation_is_refused(kit):
    case = two_visits()
    ev = PayerKit(entry_points=False, plugins=[SampleAdapter()]).evaluate(case)
    assert "not made by this kit" in mismatch(kit, case, ev)


def test_a_stale_evaluation_is_refused(kit, monkeypatch):
    case = two_visits()
    ev = kit.evaluate(case)
    kit.register(Counting())
    assert "before a plugin was registered" in mismatch(kit, case, ev)

    ev = kit.evaluate(case, dt.date(2026, 3, 5))
    assert "other visits" in mismatch(kit, case, ev, visit=dt.date(2026, 3, 12))
    assert "judged the case on 2026-03-20" in mismatch(kit, case, ev, as_of=dt.date(2026, 3, 21))

    # no as_of anywhere: judged on the day it was made, so it is stale the next day
    undated = make_case(as_of=None)
    ev = kit.evaluate(undated)

    tomorrow = dt.date.fromordinal(dt.date.today().toordinal() + 1)

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return tomorrow

    monkeypatch.setattr("payerkit.model.case.dt.date", Tomorrow)
    assert "judged the case on" in mismatch(kit, undated, ev)


def test_a_claim_in_another_format_ignores_only_the_other_writers_limits(kit):
    case = two_visits()
    ev = kit.evaluate(case, format="x12-837p")
    assert ev.format == "x12-837p"
    program = kit.program(case.program)
    for fmt in program.claim_formats:
        assert kit.claim(case, fmt, options=FIXED, evaluation=ev) == \
            kit.claim(case, fmt, options=FIXED)

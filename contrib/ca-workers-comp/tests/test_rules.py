"""The rules at their boundaries: the 24th and 25th visit, the cap's exceptions, and scope.
Every person is invented."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from payerkit import PayerKit, structure_case

from payerkit_ca_workers_comp import plugin

D = dt.date
CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


def build(elsewhere=0, facts=None, **episode):
    """The covered example (its 3rd visit billed) with visits elsewhere, facts and episode
    changes."""
    data = tomllib.loads((CASES / "ca-wc-covered.toml").read_text(encoding="utf-8"))
    data["coverage"]["visits_used_elsewhere"] = elsewhere
    data["facts"]["ca-workers-comp"].update(facts or {})
    data["episode"].update(episode)
    return structure_case(data, CASES)


def outcomes(kit, case):
    return {o.code: o for o in kit.outcomes(case)}


def test_the_24th_visit_is_within_the_cap_and_the_25th_over_it(kit):
    assert "visit 24 of the 24" in outcomes(kit, build(21))["CA-WC-VISIT-CAP"].message
    over = outcomes(kit, build(22))["CA-WC-CAP-EXCEEDED"]
    assert over.effect == "requirement"  # not confirmed for massage: verify, never a refusal
    assert over.message.endswith("verify with the plan)")
    assert kit.check(build(22)).status == "action_required"
    [limit] = kit.limits(build(22)).limits
    assert (limit.allowed, limit.used, limit.over) == (24, 25, 1)


def test_an_authorization_covers_visits_over_the_cap_only_within_its_dates_and_visits(kit):
    auth = {"number": "EXEA1", "visits": 1, "start": D(2026, 2, 16), "end": D(2026, 3, 31)}
    assert "CA-WC-CAP-NOT-APPLICABLE" in outcomes(kit, build(22, authorization=auth))
    used_up = dict(auth, start=D(2026, 2, 9))
    assert "CA-WC-CAP-EXCEEDED" in outcomes(kit, build(22, authorization=used_up))
    later = dict(auth, start=D(2026, 2, 17))
    assert "CA-WC-CAP-EXCEEDED" in outcomes(kit, build(22, authorization=later))


def test_post_surgical_physical_medicine_is_outside_the_cap(kit):
    found = outcomes(kit, build(40, {"post_surgical": True}))
    assert "post-surgical" in found["CA-WC-CAP-NOT-APPLICABLE"].message


def test_the_cap_is_for_injuries_from_2004(kit):
    before = outcomes(kit, build(40, onset_date=D(2003, 12, 31)))
    assert "before 2004-01-01" in before["CA-WC-CAP-NOT-APPLICABLE"].message
    [limit] = kit.limits(build(40, onset_date=D(2003, 12, 31))).limits
    assert limit.allowed is None
    assert "CA-WC-CAP-EXCEEDED" in outcomes(kit, build(40, onset_date=D(2004, 1, 1)))


def test_an_injury_at_work_marked_employment_related_is_in_scope(kit):
    assert kit.check(build(kind="other_accident", employment_related=True)).status == "covered"
    assert kit.check(build(kind="illness")).status == "not_covered"


def test_without_fees_allowed_amounts_are_unknown_and_say_why(kit):
    data = tomllib.loads((CASES / "ca-wc-over-cap.toml").read_text(encoding="utf-8"))
    pricing = kit.price(structure_case(data, CASES))
    assert pricing.total_allowed is None
    assert "CA-WC-NO-FEES" in {r.code for r in pricing.reasons}


def test_the_authorization_covering_the_visit_is_found_among_several(kit):
    ended = {"number": "EXEA0", "visits": 2, "start": D(2026, 1, 1), "end": D(2026, 2, 1)}
    current = {"number": "EXEA1", "visits": 1, "start": D(2026, 2, 16), "end": D(2026, 3, 31)}
    case = build(22, authorizations=[ended, current])
    assert "CA-WC-CAP-NOT-APPLICABLE" in outcomes(kit, case)
    assert "CA-WC-CAP-EXCEEDED" in outcomes(kit, build(22, authorizations=[ended]))

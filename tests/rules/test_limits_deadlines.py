"""Visit windows and filing deadlines."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payerkit.model import Citation, Deadline, Limit
from payerkit.rules.deadlines import late_findings
from payerkit.rules.limits import (
    VISITS_BEFORE_REVIEW,
    benefit_year_start,
    count_between,
    count_in_benefit_year,
    count_in_episode,
    count_in_window,
    episode_start,
    review_window,
    with_review_window,
)

D = dt.date
VISITS = [D(2026, 1, 5), D(2026, 1, 20), D(2026, 3, 1), D(2026, 7, 1), D(2026, 7, 15)]


def test_episode_restarts_after_a_gap_of_more_than_90_days():
    assert episode_start(VISITS, D(2026, 3, 1)) == D(2026, 1, 5)
    assert count_in_episode(VISITS, D(2026, 3, 1)) == 3
    assert episode_start(VISITS, D(2026, 7, 15)) == D(2026, 7, 1)   # 122-day gap
    assert count_in_episode(VISITS, D(2026, 7, 15)) == 2
    assert count_in_episode([D(2026, 1, 1), D(2026, 4, 1)], D(2026, 4, 1)) == 2   # 90 days
    assert count_in_episode([D(2026, 1, 1), D(2026, 4, 2)], D(2026, 4, 2)) == 1   # 91 days
    assert episode_start([], D(2026, 1, 1)) is None


def test_windows_and_benefit_years():
    assert count_between(VISITS, D(2026, 1, 20), D(2026, 7, 1)) == 3
    assert count_in_window(VISITS, D(2026, 1, 5), 15, D(2026, 12, 31)) == 1
    assert count_in_window(VISITS, D(2026, 1, 5), 16, D(2026, 12, 31)) == 2
    assert benefit_year_start(D(2026, 3, 1), month=7) == D(2025, 7, 1)
    assert count_in_benefit_year(VISITS, D(2026, 7, 15), month=7) == 2


OWNER, FLOOR = Citation("payer's page", confidence="high"), Citation("state law", confidence="high")


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.booleans())
def test_one_review_window_row_the_one_leaving_more_visits(allowed, floor, used, has_owner):
    other = Limit("prescribed visits", "visits", 12, used, "since the prescription")
    owner = review_window(allowed, used, "the payer's episode", OWNER)
    given_limits = [owner, other] if has_owner else [other]
    found = with_review_window(given_limits, review_window(floor, used, "the law's", FLOOR))
    rows = [lim for lim in found if lim.name == VISITS_BEFORE_REVIEW]
    assert len(rows) == 1 and other in found and len(found) == len(given_limits) + (
        0 if has_owner else 1)
    [row] = rows
    if not has_owner:
        assert row.citation == FLOOR
    else:  # either rule exempts the visit: the more generous binds; a tie keeps the owner's
        assert row.citation == (FLOOR if floor > allowed else OWNER)
        assert row.allowed == max(allowed, floor)


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_a_limit_never_has_a_negative_remaining(allowed, used):
    limit = Limit("visits", "visits", allowed, used, "calendar year")
    assert limit.remaining >= 0 and limit.over >= 0
    assert limit.remaining - limit.over == allowed - used
    assert (limit.over > 0) is (used > allowed)


def test_over_a_limit_in_rvus_keeps_decimals_and_unknown_stays_unknown():
    from decimal import Decimal
    rvu = Limit("daily RVUs", "rvu", Decimal("8"), Decimal("9.5"), "this day")
    assert (rvu.remaining, rvu.over) == (Decimal("0"), Decimal("1.5"))
    assert str(rvu.remaining) == "0"
    unknown = Limit("rehab visits", "visits", None, 30, "calendar year")
    assert unknown.remaining is None and unknown.over is None


def test_deadline_counts_days_after_the_event():
    cite = Citation("invented rule", confidence="rule")
    bill = Deadline("bill", "service", D(2026, 3, 1), 45, cite, excuse="Excusable.")
    assert bill.due == D(2026, 4, 15)
    assert late_findings([bill], D(2026, 4, 15)) == []
    [late] = late_findings([bill], D(2026, 4, 16))
    assert late.severity == "error" and late.code == "LATE-BILL" and "1 day(s) late" in late.message
    [excused] = late_findings([bill], D(2026, 4, 16), excused=True)
    assert excused.severity == "warning"
    strict = Deadline("claim", "service", D(2026, 3, 1), 365, cite)
    [late] = late_findings([strict], D(2027, 3, 2), excused=True)
    assert late.severity == "error"


@pytest.mark.parametrize("confidence, severity", [
    ("high", "error"), ("rule", "error"), ("medium", "error"), ("practice", "error"),
    ("low", "warning"), ("sample", "warning")])
def test_a_weak_deadline_never_stops_a_claim(confidence, severity):
    """A lead or a sample deadline is at most a warning, saying it is not confirmed."""
    bill = Deadline("bill", "service", D(2026, 3, 1), 45, Citation("a rule", confidence=confidence))
    [late] = late_findings([bill], D(2026, 4, 16))
    assert late.severity == severity
    assert ("source is" in late.message) == (severity == "warning")


def test_a_done_act_is_judged_on_the_day_it_was_done():
    cite = Citation("invented rule", confidence="sample")
    notice = Deadline("notice", "accident", D(2026, 3, 1), 30, cite, done_on=D(2026, 4, 5))
    [late] = late_findings([notice], D(2026, 3, 10))   # prepared early, but given late
    assert "5 day(s) late on 2026-04-05" in late.message
    on_time = Deadline("notice", "accident", D(2026, 3, 1), 30, cite, done_on=D(2026, 3, 20))
    assert late_findings([on_time], D(2026, 12, 31)) == []

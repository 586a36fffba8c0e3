"""Deadlines: notice 30 days after the accident, bill 45 days after the service, both excusable."""

from __future__ import annotations

import datetime as dt

import pytest

from payerkit_ny_no_fault.coverage import bill_deadline, deadlines, notice_deadline


def visit_on(day, minutes=30):
    return [{"date": day, "services": [{"code": "97124", "minutes": minutes}]}]


@pytest.mark.parametrize("service, due", [
    (dt.date(2026, 3, 1), dt.date(2026, 4, 15)),
    (dt.date(2026, 1, 5), dt.date(2026, 2, 19)),
    (dt.date(2024, 1, 20), dt.date(2024, 3, 5)),  # leap year
])
def test_bill_due_45_days_after_the_service(make_case, service, due):
    case = make_case(episode={"onset_date": dt.date(2023, 12, 1)}, visits=visit_on(service))
    deadline = bill_deadline(case, case.visits[0])
    assert deadline.due == due
    assert (deadline.event, deadline.path, deadline.late_severity) == (
        "service", "visits[0].date", "error")
    assert "65-3.3(e)" in deadline.excuse
    assert "45 days" in deadline.citation.source and deadline.citation.confidence == "high"


def test_day_counting_cites_what_is_known(make_case):
    """No source states the counting rule; the one lead (a law firm's blog) is named as low."""
    case = make_case()
    notice, bill = (d.convention for d in deadlines(case, case.visits[0]))
    assert "no source seen states the counting rule" in notice
    assert "'within 30 days after'" in notice and "accident day" in notice
    assert "no source seen states the counting rule" in bill
    assert "Rubin & Licatesi, Jan 2022, low" in bill and "day 1" in bill
    assert "mailed" in bill and "Jun 30, 2003" in bill
    assert "General Construction Law" not in notice + bill


def test_notice_due_30_days_after_the_accident(make_case):
    deadline = notice_deadline(make_case(episode={"onset_date": dt.date(2026, 3, 2)}))
    assert deadline.due == dt.date(2026, 4, 1)
    assert (deadline.event, deadline.path) == ("accident", "episode.notice_date")
    assert "65-3.3(e)" in deadline.excuse


def test_a_recorded_notice_is_judged_on_the_day_it_was_given(make_case):
    recorded = make_case()
    notice, bill = deadlines(recorded, recorded.visits[0])
    assert (notice.name, bill.name) == ("notice of claim", "bill")
    assert notice.done_on == recorded.episode.notice_date
    missing = make_case(episode={"notice_date": None}, coverage={"claim_number": None})
    assert deadlines(missing, missing.visits[0])[0].done_on is None


def test_no_notice_deadline_when_a_claim_number_shows_notice_was_given(make_case):
    case = make_case(episode={"notice_date": None})
    assert [d.name for d in deadlines(case, case.visits[0])] == ["bill"]


@pytest.mark.parametrize("as_of, late", [
    (dt.date(2026, 4, 26), False),  # service 2026-03-12 is due 2026-04-26
    (dt.date(2026, 4, 27), True),
])
def test_late_bill_boundary(kit, make_case, as_of, late):
    scrub = kit.scrub(make_case(as_of=as_of))
    found = [f for f in scrub.findings if f.code == "LATE-BILL"]
    assert bool(found) is late
    if late:
        assert (found[0].severity, found[0].path) == ("error", "visits[0].date")


def test_late_bill_excused_by_a_written_justification(kit, make_case):
    case = make_case(as_of=dt.date(2026, 5, 1),
                     claim={"late_justification": "the insurer's claim number arrived late"})
    finding = next(f for f in kit.scrub(case).findings if f.code == "LATE-BILL")
    assert finding.severity == "warning"


def test_missing_notice_past_30_days_is_a_late_error(kit, make_case):
    case = make_case(episode={"notice_date": None}, coverage={"claim_number": None},
                     as_of=dt.date(2026, 4, 2))
    scrub = kit.scrub(case)
    late = next(f for f in scrub.findings if f.code == "LATE-NOTICE-OF-CLAIM")
    assert (late.severity, late.path) == ("error", "episode.notice_date")
    # the requirement to give notice stays a warning: the deadline is the one error
    assert [f.severity for f in scrub.findings if f.code == "NY-NO-NOTICE"] == ["warning"]


def test_notice_given_late_is_late_as_of_the_notice_date(kit, make_case):
    case = make_case(episode={"notice_date": dt.date(2026, 4, 3)}, visits=visit_on(
        dt.date(2026, 4, 6)), as_of=dt.date(2026, 5, 1))
    found = [f for f in kit.scrub(case).findings if f.code == "LATE-NOTICE-OF-CLAIM"]
    assert len(found) == 1
    assert found[0].severity == "error"
    assert "2 day(s) late on 2026-04-03" in found[0].message
    excused = make_case(episode={"notice_date": dt.date(2026, 4, 3)}, visits=visit_on(
        dt.date(2026, 4, 6)), as_of=dt.date(2026, 5, 1), claim={"late_justification": "x"})
    assert [f.severity for f in kit.scrub(excused).findings
            if f.code == "LATE-NOTICE-OF-CLAIM"] == ["warning"]


def test_notice_on_time_gives_no_notice_finding(kit, make_case):
    case = make_case(episode={"notice_date": dt.date(2026, 4, 1)})  # the last day
    assert not [f for f in kit.scrub(case).findings if "NOTICE" in f.code]


def test_no_deadlines_when_no_fault_does_not_apply(kit, make_case):
    case = make_case(episode={"employment_related": True}, as_of=dt.date(2026, 12, 1))
    assert not [f for f in kit.scrub(case).findings if f.code.startswith("LATE-")]

"""Fees (the practice's prevailing fee, 11 NYCRR 68.5(b)), units, and limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from payerkit.rules.units import CMS_8_MINUTE

from payerkit_ny_no_fault import plugin
from payerkit_ny_no_fault.fees import prevailing_fee_schedule


def test_no_fees_means_unknown_allowed_explained_by_68_5b(kit, make_case):
    case = make_case(fees=None)
    assert prevailing_fee_schedule(case) is None
    pricing = kit.price(case)
    assert pricing.total_allowed is None
    reason = next(r for r in pricing.reasons if r.code == "NY-NO-PREVAILING-FEE")
    assert "68.5(b)" in reason.message and "68.5(b)" in reason.citation.source
    assert "NO-FEE-SCHEDULE" in [r.code for r in pricing.reasons]


def test_practice_rates_cite_68_5b_and_the_practice_source(kit, make_case):
    case = make_case()
    schedule = prevailing_fee_schedule(case)
    assert schedule.citation.confidence == "practice"
    assert "68.5(b)" in schedule.citation.source
    assert "Test practice prevailing fee" in schedule.citation.source
    pricing = kit.price(case)
    assert [line.allowed for line in pricing.lines] == [Decimal("40.00"), Decimal("30.00")]
    assert pricing.lines[0].fee_source == schedule.source
    assert "NY-PREVAILING-FEE" in [r.code for r in pricing.reasons]


def test_fee_file_entries_come_before_flat_rates(kit, make_case, tmp_path):
    (tmp_path / "fees.csv").write_text(
        "code,modifier,amount,effective_from,effective_to\n"
        "97124,,22.00,2026-01-01,2026-12-31\n", encoding="utf-8")
    case = make_case(base_dir=tmp_path, fees={"file": "fees.csv"})
    assert [str(line.allowed) for line in kit.price(case).lines] == ["44.00", "30.00"]
    # outside the file's dates, the flat rate applies
    old = make_case(base_dir=tmp_path, fees={"file": "fees.csv"}, as_of=dt.date(2025, 12, 20),
                    episode={"onset_date": dt.date(2025, 12, 1),
                             "notice_date": dt.date(2025, 12, 2), "prescription": None},
                    visits=[{"date": dt.date(2025, 12, 15),
                             "services": [{"code": "97124", "minutes": 30}]}])
    assert [str(line.allowed) for line in kit.price(old).lines] == ["40.00"]


def test_unit_rule_is_cms_and_said_to_be_unconfirmed(kit, program, make_case):
    assert plugin.payerkit_units(program) is CMS_8_MINUTE
    pricing = kit.price(make_case())
    reason = next(r for r in pricing.reasons if r.code == "NY-UNIT-RULE-NOT-CONFIRMED")
    assert "not confirmed" in reason.message
    assert reason.citation.confidence == "sample"
    assert "UNITS-RULE" in [r.code for r in pricing.reasons]


def test_limits(kit, make_case):
    case = make_case(visits=[
        {"date": dt.date(2026, 3, 4), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 6), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 12), "services": [{"code": "97124", "minutes": 40},
                                                    {"code": "97140", "minutes": 15}]},
    ])
    rvu, rx, total = kit.limits(case).limits
    assert (rvu.unit, rvu.allowed, rvu.used) == ("rvu", Decimal(12), Decimal("12.09"))
    assert rvu.remaining == Decimal("-0.09")
    assert "2026-03-12" in rvu.name
    # prescription of 2026-03-05: visits on 03-06 and 03-12 count, 03-04 is before it
    assert (rx.unit, rx.allowed, rx.used, rx.remaining) == ("visits", 12, 2, 10)
    assert rx.citation.confidence == "practice"
    assert (total.allowed, total.used) == (None, 3)
    assert "no statutory cap" in total.name and "$50,000" in total.citation.source


def test_limits_before_2019_and_without_prescription_visits(kit, make_case):
    day = dt.date(2019, 3, 1)
    case = make_case(as_of=day, episode={"onset_date": day, "notice_date": day,
                                         "prescription": {"visits": None, "date": day}},
                     visits=[{"date": day, "services": [{"code": "97124", "minutes": 15}]}])
    limits = kit.limits(case).limits
    assert [lim.unit for lim in limits] == ["rvu", "visits"]
    assert limits[0].allowed == Decimal(8)
    assert limits[0].used == Decimal("2.62")

"""Fees (the practice's prevailing fee, 11 NYCRR 68.5(b)) and their ceiling (Ins. Law § 5108,
11 NYCRR 68.1), units, and limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from payerkit.rules.units import CMS_8_MINUTE, cms_total_time

from payerkit_ny_no_fault import plugin
from payerkit_ny_no_fault.pricing import fee_schedule


def test_no_fees_means_unknown_allowed_explained_by_68_5b(kit, make_case):
    case = make_case(fees=None)
    schedule = fee_schedule(case)
    assert schedule.entries == () and "68.5(b)" in schedule.citation.source
    pricing = kit.price(case)
    assert pricing.total_allowed is None
    assert [line.allowed for line in pricing.lines] == [None, None]
    reason = next(r for r in pricing.reasons if r.code == "NY-NO-PREVAILING-FEE")
    assert "68.5(b)" in reason.message and "68.5(b)" in reason.citation.source
    assert "add a [fees] table" in reason.message
    # one reason says why; no per-line noise, no generic "no schedule"
    assert not {"NO-FEE", "NO-FEE-SCHEDULE"} & {r.code for r in pricing.reasons}


def test_practice_rates_cite_68_5b_and_the_practice_source(kit, make_case):
    case = make_case()
    schedule = fee_schedule(case)
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


def test_unit_rule_is_cms_and_said_to_be_unconfirmed(kit, make_case):
    rule = plugin.payerkit_units()
    assert (rule.id, rule.timed, rule.citation) == (
        CMS_8_MINUTE.id, cms_total_time, CMS_8_MINUTE.citation)
    pricing = kit.price(make_case())
    assert [r.code for r in pricing.reasons][:2] == ["UNITS-RULE", "NY-UNIT-RULE-NOT-CONFIRMED"]
    reason = pricing.reasons[1]
    assert "not confirmed" in reason.message
    assert reason.citation.confidence == "sample"


# -- the fee ceiling ----------------------------------------------------------------------------


def ceiling_errors(kit, case):
    return [(f.code, f.path) for f in kit.scrub(case).errors if f.code == "NY-ABOVE-FEE-CEILING"]


def test_charge_at_the_ceiling_is_clean(kit, make_case):
    case = make_case()
    pricing = kit.price(case)
    assert [line.charge for line in pricing.lines] == [line.allowed for line in pricing.lines]
    assert kit.scrub(case).errors == ()


def test_charge_above_the_ceiling_is_an_error_per_line(kit, make_case):
    case = make_case(provider={"cash_rates": {"97124": "30.00", "97140": "35.00"}})
    assert ceiling_errors(kit, case) == [
        ("NY-ABOVE-FEE-CEILING", "visits[0].services[0].charge"),
        ("NY-ABOVE-FEE-CEILING", "visits[0].services[1].charge")]
    error = kit.scrub(case).errors[0]
    assert "60.00" in error.message and "40.00" in error.message  # 2 units x 30.00 vs 20.00
    assert "5108" in error.citation.source and "68.1" in error.citation.source
    assert error.citation.confidence == "high"


def test_a_service_charge_above_the_ceiling_names_its_line(kit, make_case):
    case = make_case(visits=[
        {"date": dt.date(2026, 3, 6), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 12), "services": [
            {"code": "97140", "minutes": 15},
            {"code": "97124", "minutes": 30, "charge": "40.01"}]}])
    assert ceiling_errors(kit, case) == [("NY-ABOVE-FEE-CEILING", "visits[1].services[1].charge")]
    assert ceiling_errors(kit, make_case(visits=[{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 30, "charge": "40.00"}]}])) == []


@pytest.mark.parametrize("changes", [
    {"fees": None},                                          # no fee known: no ceiling
    {"visits": [{"date": dt.date(2026, 3, 12), "services": [  # a code without a fee
        {"code": "97112", "minutes": 30}]}]},
])
def test_no_fee_no_ceiling(kit, make_case, changes):
    case = make_case(provider={"cash_rates": {"97124": "99.00", "97140": "99.00",
                                              "97112": "99.00"}}, **changes)
    assert ceiling_errors(kit, case) == []


def test_a_capped_line_billed_at_the_ceiling_is_not_above_it(kit, make_case):
    # 97124 x3 + 97140 x1 = 12.09 RVUs: 97140 is allowed 0.00 under the cap, but its charge is
    # the schedule's fee for the unit billed, so it is not above the ceiling
    case = make_case(visits=[{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 40}, {"code": "97140", "minutes": 15}]}])
    assert kit.price(case).lines[1].allowed == Decimal("0.00")
    assert ceiling_errors(kit, case) == []


def test_limits(kit, make_case):
    case = make_case(visits=[
        {"date": dt.date(2026, 3, 4), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 6), "services": [{"code": "97124", "minutes": 30}]},
        {"date": dt.date(2026, 3, 12), "services": [{"code": "97124", "minutes": 40},
                                                    {"code": "97140", "minutes": 15}]},
    ])
    rvu, rx, total = kit.limits(case).limits
    assert (rvu.unit, rvu.allowed, rvu.used) == ("rvu", Decimal(12), Decimal("12.09"))
    assert (rvu.remaining, rvu.over) == (Decimal(0), Decimal("0.09"))  # never negative
    assert "2026-03-12" in rvu.name
    # prescription of 2026-03-05: visits on 03-06 and 03-12 count, 03-04 is before it
    assert (rx.unit, rx.allowed, rx.used, rx.remaining) == ("visits", 12, 2, 10)
    assert rx.citation.confidence == "practice"
    assert (total.allowed, total.used) == (None, 3)
    assert "no statutory cap" in total.name and "$50,000" in total.citation.source
    assert "Insurance Law § 5102(a)" in total.citation.source
    # as of an earlier visit, everything is counted up to that visit
    rvu, rx, total = kit.limits(case, dt.date(2026, 3, 6)).limits
    assert (rvu.used, rx.used, total.used) == (Decimal("5.24"), 1, 2)
    assert "2026-03-06" in rvu.name


def test_limits_before_2019_and_without_prescription_visits(kit, make_case):
    day = dt.date(2019, 3, 1)
    case = make_case(as_of=day, episode={"onset_date": day, "notice_date": day,
                                         "prescription": {"visits": None, "date": day}},
                     visits=[{"date": day, "services": [{"code": "97124", "minutes": 15}]}])
    limits = kit.limits(case).limits
    assert [lim.unit for lim in limits] == ["rvu", "visits"]
    assert limits[0].allowed == Decimal(8)
    assert limits[0].used == Decimal("2.62")


def test_the_50000_basic_economic_loss_cites_insurance_law_5102a():
    from payerkit_ny_no_fault.sources import FIGURES

    basic = FIGURES.get("basic_benefit", dt.date(2026, 3, 4))
    assert basic.decimal == 50000
    assert basic.citation.source.startswith("N.Y. Insurance Law § 5102(a)")
    assert basic.citation.confidence == "high" and "nysenate.gov" in basic.citation.url
    assert "blog" not in basic.citation.source.lower()

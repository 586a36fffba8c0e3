"""The daily physical-medicine RVU cap: the figures, the cap by date, and the capped pricing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from payerkit import parse_figures

from payerkit_ny_no_fault import pricing
from payerkit_ny_no_fault.pricing import cap_fits, day_rvus, rvu
from payerkit_ny_no_fault.sources import FIGURES

DAY = dt.date(2026, 3, 12)


def test_rvu_figures_values_and_sources():
    assert rvu("97124", DAY).decimal == Decimal("2.62")
    assert rvu("97140", DAY).decimal == Decimal("4.23")
    assert rvu("97112", DAY) is None
    for code, (figure,) in FIGURES.group("rvu").items():
        assert code in figure.citation.source
        assert figure.citation.confidence == "medium"
        assert "jeenabelil.com" in figure.citation.source
        assert "LMTs is not established" in figure.citation.source
        assert figure.citation.edition == "effective 2019-04-01"


@pytest.mark.parametrize("day, cap", [
    (dt.date(2018, 6, 1), Decimal(8)),
    (dt.date(2019, 3, 31), Decimal(8)),
    (dt.date(2019, 4, 1), Decimal(12)),
    (DAY, Decimal(12)),
])
def test_cap_by_date_of_service(day, cap):
    found = FIGURES.get("daily_rvu_cap", day)
    assert found.decimal == cap
    assert found.citation.confidence == "high"
    assert "NYLJ, Apr 10, 2019" in found.citation.source


def test_cap_boundary_exact_fit(monkeypatch):
    monkeypatch.setattr(pricing, "FIGURES", parse_figures(
        '[daily_rvu_cap]\nvalue = "12"\nsource = "test"\nconfidence = "sample"\n'
        '[rvu.X]\nvalue = "3"\nsource = "test"\nconfidence = "sample"\n', "test"))
    assert cap_fits([("X", 4)], DAY) == (4,)  # 12 RVUs: exactly the cap
    assert cap_fits([("X", 5)], DAY) == (4,)  # the 5th would be 15


def test_units_allowed_in_billing_order():
    # 97140 x2 = 8.46, 97124 x2 would be 13.70: only one 97124 fits under 12
    assert cap_fits([("97140", 2), ("97124", 2)], DAY) == (2, 1)
    # an over-cap code does not block a later one that still fits
    assert cap_fits([("97124", 3), ("97140", 1), ("97124", 1)], DAY) == (3, 0, 1)
    assert cap_fits([("97112", 2), ("97124", 1)], dt.date(2019, 1, 1)) == (None, 1)
    assert cap_fits([("97124", 4)], dt.date(2019, 1, 1)) == (3,)  # 7.86 of 8


def test_day_rvus_counts_every_billed_unit():
    assert day_rvus([("97124", 3), ("97140", 1), ("97112", 4)], DAY) == Decimal("12.09")


def services(*pairs):
    return [{"code": code, "minutes": minutes} for code, minutes in pairs]


@pytest.mark.parametrize("day, allowed", [
    (dt.date(2019, 3, 31), ["30.00", "20.00"]),  # cap 8: 4.23 + 2.62 fits, a second 97124 not
    (dt.date(2019, 4, 1), ["30.00", "40.00"]),   # cap 12: 4.23 + 5.24 = 9.47 fits
])
def test_cap_before_and_after_2019_04_01(kit, make_case, day, allowed):
    case = make_case(
        as_of=day, episode={"onset_date": day, "notice_date": day, "prescription": None},
        visits=[{"date": day, "services": services(("97140", 15), ("97124", 30))}])
    priced = kit.price(case)
    assert [str(line.allowed) for line in priced.lines] == allowed
    assert [line.units for line in priced.lines] == [1, 2]  # units billed are kept
    capped = [r for r in priced.reasons if r.code == "NY-RVU-CAP"]
    assert len(capped) == (1 if day < dt.date(2019, 4, 1) else 0)


def test_capped_line_is_allowed_for_the_fitting_units_only(kit, make_case):
    case = make_case(fees={"rates": {"97124": "18.7854"}},
                     provider={"cash_rates": {"97124": "18.7854"}},
                     visits=[{"date": DAY, "services": services(("97124", 40), ("97140", 15))}])
    priced = kit.price(case)
    assert [(line.code, line.units) for line in priced.lines] == [("97124", 3), ("97140", 1)]
    assert priced.lines[0].allowed == Decimal("56.36")  # 3 x 18.7854, rounded once
    assert priced.lines[1].allowed == Decimal("0.00")
    reason = next(r for r in priced.reasons if r.code == "NY-RVU-CAP")
    assert "97140: 1 of 1 unit(s) not allowed" in reason.message
    assert reason.citation.source.startswith("NY Workers' Compensation Board Medical Fee Schedule")
    daily = next(r for r in priced.reasons if r.code == "NY-RVU-DAILY-CAP")
    assert "12.09 RVUs" in daily.message
    scope = next(r for r in priced.reasons if r.code == "NY-RVU-CAP-SCOPE")
    assert "other providers' same-day services are not known" in scope.message
    warning = next(f for f in kit.scrub(case).findings if f.code == "NY-RVU-CAP")
    assert (warning.severity, warning.path) == ("warning", "visits[0].services[1]")


def test_partly_capped_line_uses_the_per_unit_fee(kit, make_case):
    case = make_case(fees={"rates": {"97124": "18.7825", "97140": "30.00"}},
                     visits=[{"date": DAY, "services": services(("97140", 30), ("97124", 30))}])
    priced = kit.price(case)
    assert priced.lines[1].units == 2
    assert priced.lines[1].allowed == Decimal("18.78")  # 1 x 18.7825, not 37.57 / 2


def test_code_without_rvu_cannot_be_capped(kit, make_case):
    case = make_case(visits=[{"date": DAY, "services": services(("97112", 30), ("97124", 15))}])
    priced = kit.price(case)
    unknown = [r for r in priced.reasons if r.code == "NY-RVU-UNKNOWN"]
    assert len(unknown) == 1 and unknown[0].message.startswith("97112")


def test_over_cap_without_fees_keeps_allowed_unknown(kit, make_case):
    case = make_case(fees=None, visits=[{"date": DAY,
                                         "services": services(("97124", 40), ("97140", 15))}])
    priced = kit.price(case)
    assert [line.allowed for line in priced.lines] == [None, None]
    assert "NY-RVU-CAP" in [r.code for r in priced.reasons]

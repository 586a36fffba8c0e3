"""Codes and units, contract rates before the practice's copy of the schedule, no fees shipped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from payerkit_ct_workers_comp import pricing, sources
from payerkit_ct_workers_comp.billing import AUTHORIZATION
from payerkit_ct_workers_comp.facts import CtFacts

D = dt.date
CONTRACT = {"contract_rates": {"97124": "24.50"}, "contract_source": "Test contract 2026"}


def reasons(pricing_):
    return {r.code: r for r in pricing_.reasons}


def lines(pricing_):
    return {ln.code: ln for ln in pricing_.lines}


# -- fees ----------------------------------------------------------------------------------------


def test_no_fees_and_no_contract_leave_allowed_unknown(kit, make_case):
    priced = kit.price(make_case(fees=None))
    assert all(line.allowed is None and line.fee_source is None for line in priced.lines)
    assert priced.total_allowed is None
    why = reasons(priced)["CT-WC-NO-FEES"]
    assert why.citation == sources.FEE_SCHEDULE and "purchased publication" in why.message
    assert "contract_rates" in why.message and "[fees]" in why.message


def test_the_practices_copy_of_the_schedule_prices_the_visit(kit, make_case):
    priced = kit.price(make_case())
    by_code = lines(priced)
    assert (by_code["97124"].units, by_code["97124"].allowed) == (3, Decimal("60.00"))
    assert (by_code["97140"].units, by_code["97140"].allowed) == (1, Decimal("25.00"))
    assert "Test copy of a fee schedule" in by_code["97124"].fee_source
    assert "[practice]" in by_code["97124"].fee_source
    assert "CT-WC-PRACTICE-SCHEDULE" in reasons(priced)


def test_a_contract_rate_beats_the_schedule(kit, make_case):
    priced = kit.price(make_case(facts=CONTRACT))
    by_code = lines(priced)
    assert by_code["97124"].rate == Decimal("24.50")          # the contract, not 20.00
    assert by_code["97124"].allowed == Decimal("73.50")
    assert by_code["97140"].rate == Decimal("25.00")          # no contract rate: the schedule
    assert "Test contract 2026" in by_code["97124"].fee_source
    contract = reasons(priced)["CT-WC-CONTRACT-RATES"]
    assert contract.citation == sources.CONTRACT_FIRST and "97124" in contract.message


def test_a_contract_rate_beats_a_modifier_specific_schedule_entry(kit, make_case, tmp_path):
    (tmp_path / "fees.csv").write_text(
        "code,modifier,amount,effective_from,effective_to\n97124,GP,19.00,,\n97124,,20.00,,\n",
        encoding="utf-8")
    gp = [{"date": D(2026, 2, 16), "services": [
        {"code": "97124", "minutes": 30, "modifiers": ["GP"]}]}]
    fees = {"source": "Test copy", "file": "fees.csv", "rates": None}
    without = kit.price(make_case(visits=gp, fees=fees, base_dir=tmp_path))
    assert lines(without)["97124"].rate == Decimal("19.00")
    with_contract = kit.price(make_case(visits=gp, fees=fees, facts=CONTRACT, base_dir=tmp_path))
    assert lines(with_contract)["97124"].rate == Decimal("24.50")


def test_contract_rates_alone(kit, make_case):
    priced = kit.price(make_case(fees=None, facts=CONTRACT))
    by_code = lines(priced)
    assert by_code["97124"].allowed == Decimal("73.50") and by_code["97140"].allowed is None
    assert priced.total_allowed is None
    assert "CT-WC-NO-SCHEDULE-COPY" in reasons(priced)


def test_the_schedule_file_is_read_by_date(kit, make_case, examples):
    case = make_case(fees={"source": "SAMPLE", "file": "ct-wc-practice-fees.csv", "rates": None},
                     base_dir=examples)
    assert lines(kit.price(case))["97124"].rate == Decimal("21.00")


@pytest.mark.parametrize(("day", "edition"), [
    (D(2025, 7, 14), D(2024, 7, 15)), (D(2025, 7, 15), D(2025, 7, 15)),
    (D(2026, 2, 16), D(2025, 7, 15)), (D(2024, 12, 31), D(2024, 7, 15))])
def test_the_edition_in_force_is_the_last_july_15(day, edition):
    assert pricing.edition_for(day) == edition


def test_the_pricing_names_the_edition_for_the_date_of_service(kit, make_case):
    note = reasons(kit.price(make_case()))["CT-WC-PRACTICE-SCHEDULE"].message
    assert "the one effective 2025-07-15" in note and "2024, effective 2024-07-15" in note


# -- codes and units -----------------------------------------------------------------------------


def test_default_unit_rule_is_the_cms_8_minute_rule_said_not_confirmed(kit, make_case):
    priced = kit.price(make_case())
    found = reasons(priced)
    assert "CMS 8-minute" in found["UNITS-RULE"].message
    assert found["CT-WC-UNIT-RULE-NOT-CONFIRMED"].citation.confidence == "sample"
    codes = found["CT-WC-CODES"]
    assert "97124" in codes.message and "97140" in codes.message and "15-minute" in codes.message
    assert codes.citation.confidence == "rule"


def test_units_of_two_short_codes_depend_on_the_rule(kit, make_case):
    short = [{"date": D(2026, 2, 16), "services": [
        {"code": "97124", "minutes": 10}, {"code": "97140", "minutes": 10}]}]
    cms = kit.price(make_case(visits=short))
    assert [ln.units for ln in cms.lines] == [1, 0]            # 20 minutes in all: one unit
    midpoint = kit.price(make_case(visits=short, facts={"unit_rule": "cpt-midpoint"}))
    assert [ln.units for ln in midpoint.lines] == [1, 1]       # each code on its own
    chosen = reasons(midpoint)["CT-WC-UNIT-RULE-CHOSEN"]
    assert chosen.citation.confidence == "practice"
    assert "CT-WC-UNIT-RULE-NOT-CONFIRMED" not in reasons(midpoint)


def test_the_unit_rule_can_be_chosen_explicitly():
    assert pricing.unit_rule(CtFacts(unit_rule="cms-8-minute")).id == "cms-8-minute"
    assert pricing.unit_rule(CtFacts(unit_rule="cpt-midpoint")).id == "cpt-midpoint"
    assert pricing.unit_rule(CtFacts()).id == "cms-8-minute"


# -- limits --------------------------------------------------------------------------------------


def test_limits_count_the_referral_and_the_authorization(kit, make_case):
    found = {lim.name: lim for lim in kit.limits(make_case()).limits}
    referred = found["visits referred"]
    assert (referred.allowed, referred.used, referred.remaining) == (8, 3, 5)
    authorized = found["authorization 1"]  # the carrier's: payerkit adds none of its own
    assert (authorized.allowed, authorized.used) == (8, 3)
    assert authorized.citation == AUTHORIZATION
    assert kit.limits(make_case(episode={"prescription": None, "authorization": None})).limits == ()


# -- figures -------------------------------------------------------------------------------------


def test_figures_are_cited_data():
    figures = sources.FIGURES
    assert figures.get("notice_years").value == 1
    assert figures.get("notice_years_occupational_disease").value == 3
    assert figures.get("contest_days").value == 28
    assert figures.get("latest_fee_schedule_edition").effective_from == D(2024, 7, 15)
    assert figures.get("fee_schedule_reissue_day").value == "07-15"
    for figure in figures:
        assert figure.citation.confidence in {"high", "medium"}
    assert "31-294c" in figures.get("contest_days").citation.source
    assert "2024-06" in figures.get("latest_fee_schedule_edition").citation.source

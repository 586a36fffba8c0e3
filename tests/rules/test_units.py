"""Timed-code units: the CMS table and examples, the CPT midpoint rule, properties."""

from hypothesis import given
from hypothesis import strategies as st

from payerkit.model import Service
from payerkit.rules.units import (
    CMS_8_MINUTE,
    CPT_MIDPOINT,
    cms_total_time,
    per_code_midpoint,
    units_for_minutes,
)

# Medicare Claims Processing Manual ch. 5 § 20.2 table (payer-rules.md § 10.1).
CMS_TABLE = [(1, 7, 0), (8, 22, 1), (23, 37, 2), (38, 52, 3), (53, 67, 4), (68, 82, 5),
             (83, 97, 6), (98, 112, 7), (113, 127, 8)]


def test_units_for_minutes_matches_the_cms_table_at_every_minute():
    for low, high, units in CMS_TABLE:
        for minutes in range(low, high + 1):
            assert units_for_minutes(minutes) == units, minutes


def test_cms_examples_from_the_manual():
    assert cms_total_time([7, 7]) == (1, 0)        # 14 min: one unit, to the longer/first
    assert cms_total_time([33, 7]) == (2, 1)       # 40 min = 3 units
    assert cms_total_time([24, 23]) == (2, 1)      # 47 min = 3 units, more left over wins
    assert cms_total_time([8, 8]) == (1, 0)        # 16 min: one unit only
    assert cms_total_time([5]) == (0,)


def test_per_code_gives_more_than_total_time_for_two_short_codes():
    assert per_code_midpoint([8, 8]) == (1, 1)     # payer-rules.md § 10.1 example
    assert per_code_midpoint([22, 23]) == (1, 2)


@given(st.lists(st.integers(min_value=0, max_value=180), min_size=1, max_size=5))
def test_cms_units_add_up_to_the_total_time_units(minutes):
    units = cms_total_time(minutes)
    assert sum(units) == units_for_minutes(sum(minutes))
    for m, u in zip(minutes, units, strict=True):
        assert u >= m // 15                         # every full 15 minutes is billed
        assert u <= m // 15 + 1                     # at most one extra unit per code


@given(st.lists(st.integers(min_value=0, max_value=180), min_size=1, max_size=5))
def test_per_code_units_round_each_code_at_its_midpoint(minutes):
    for m, u in zip(minutes, per_code_midpoint(minutes), strict=True):
        assert u == (0 if m < 8 else (m + 7) // 15)


def test_untimed_codes_are_one_unit_and_explicit_units_win():
    services = [Service("97124", minutes=40), Service("97010", minutes=10),
                Service("97010", units=2)]
    assert CMS_8_MINUTE.units(services) == (3, 1, 2)
    assert CPT_MIDPOINT.units(services) == (3, 1, 2)

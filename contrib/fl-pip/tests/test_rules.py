"""The rules at their boundaries: the exclusion's first day, who is a massage therapist, massage
billed with other care, and the 14 days. Every person is invented."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from payerkit import PayerKit, structure_case
from payerkit.formats import SUPERBILL, SUPERBILL_HTML

from payerkit_fl_pip import plugin

D = dt.date
CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


def build(name, day=None, services=None, **tables):
    """A case file with the visit's day and services, and table changes."""
    data = tomllib.loads((CASES / name).read_text(encoding="utf-8"))
    if day is not None:
        data["visits"][0]["date"] = day
    if services is not None:
        data["visits"][0]["services"] = [{"code": c, "minutes": m} for c, m in services]
    for table, fields in tables.items():
        data.setdefault(table, {}).update(fields)
    return structure_case(data, CASES)


def outcomes(kit, case):
    return {o.code: o for o in kit.outcomes(case)}


@pytest.mark.parametrize("day, status", [(D(2012, 12, 31), "action_required"),
                                         (D(2013, 1, 1), "not_covered")])
def test_the_exclusion_begins_with_services_on_2013_01_01(kit, day, status):
    case = build("fl-pip-massage-therapist.toml", day)
    assert kit.check(case).status == status


def test_a_massage_therapist_rendering_under_another_practice_is_not_reimbursed(kit):
    case = build("fl-pip-other-care.toml", rendering={
        "first_name": "Jane", "last_name": "Doe", "npi": "1992999999",
        "taxonomy": "225700000X"})
    found = outcomes(kit, case)["FL-PIP-LMT-NOT-REIMBURSABLE"]
    assert (found.effect, found.path) == ("not_covered", "rendering.taxonomy")
    assert "2013-01-01" in found.message


def test_massage_billed_with_other_care_must_come_off_the_claim(kit):
    case = build("fl-pip-massage-by-chiropractor.toml",
                 services=[("97140", 15), ("97124", 30)])
    found = outcomes(kit, case)
    assert found["FL-PIP-MASSAGE-EXCLUDED"].effect == "requirement"
    assert found["FL-PIP-MASSAGE-EXCLUDED"].path == "visits[0].services[1].code"
    assert "FL-PIP-NOT-ENCODED" in found
    assert kit.check(case).status == "action_required"


@pytest.mark.parametrize("days, warned", [(14, False), (15, True)])
def test_initial_treatment_within_14_days_is_a_caution(kit, days, warned):
    case = build("fl-pip-other-care.toml", D(2026, 1, 10) + dt.timedelta(days=days))
    assert ("FL-PIP-INITIAL-TREATMENT" in outcomes(kit, case)) is warned
    assert "FL-PIP-INITIAL-TREATMENT" not in {f.code for f in kit.scrub(case).errors}


def test_no_allowed_amounts_and_only_the_superbill(kit):
    case = build("fl-pip-massage-therapist.toml")
    assert kit.price(case).total_allowed is None
    assert kit.program("fl-pip").claim_formats == (SUPERBILL, SUPERBILL_HTML)

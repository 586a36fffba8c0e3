"""Case builders for the Premera tests. Every person, practice and number is invented;
NPIs pass the Luhn check (1234567893, 1992999999, 1245319599)."""

from __future__ import annotations

import copy
import datetime as dt

import payerkit_wa_insurance_law.plugin as law_plugin
import pytest
from payerkit import PayerKit, structure_case

from payerkit_premera import plugin

PRESCRIBER = {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"}


def visit(day: dt.date, *services: dict) -> dict:
    services = services or ({"code": "97124", "minutes": 45, "diagnoses": [1, 2]},)
    return {"date": day, "services": list(services)}


def weekly(first: dt.date, count: int) -> list[dict]:
    """``count`` visits a week apart from ``first``."""
    return [visit(first + dt.timedelta(weeks=i)) for i in range(count)]


def base_data() -> dict:
    return {
        "program": "premera-wa",
        "as_of": dt.date(2026, 3, 2),
        "provider": {
            "name": "Cascade Bodywork LLC", "npi": "1234567893", "tax_id": "123456789",
            "phone": "2065550100", "networks": ["premera"],
            "address": {"line1": "100 Pine St", "city": "Seattle", "state": "WA",
                        "zip": "981010001"},
            "cash_rates": {"97124": "30.00", "97140": "35.00"},
        },
        "rendering": {"first_name": "Jane", "last_name": "Doe", "npi": "1992999999"},
        "patient": {
            "first_name": "Maria", "last_name": "Garcia", "birth_date": dt.date(1975, 7, 22),
            "sex": "F",
            "address": {"line1": "9 River Rd", "city": "Tacoma", "state": "WA", "zip": "98402"},
        },
        "coverage": {"member_id": "XYZ900000001", "group_number": "GRP12345",
                     "insurer": "Premera Blue Cross", "funding": "fully_insured"},
        "episode": {
            "kind": "illness", "onset_date": dt.date(2026, 1, 2), "state": "WA",
            "diagnoses": ["M54.2", "M62.830"],
            "prescription": {"prescriber": dict(PRESCRIBER), "date": dt.date(2026, 1, 2),
                             "visits": 12},
        },
        "visits": weekly(dt.date(2026, 1, 5), 3),
        "claim": {"benefits_assigned": True},  # recorded: not recorded is a scrub warning
    }


def make_case(visits=None, **sections):
    """A Premera case; each keyword replaces keys of one top-level section (or the value)."""
    data = copy.deepcopy(base_data())
    if visits is not None:
        data["visits"] = visits
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(name), dict):
            data[name] = {**data[name], **value}
        elif value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return structure_case(data)


@pytest.fixture
def kit() -> PayerKit:
    """A kit as installing payerkit-premera gives: this plugin and the Washington law it depends on.

    Premera never imports the law; only the tests put the two in one kit.
    """
    return PayerKit(entry_points=False, plugins=[plugin, law_plugin], strict=True)


@pytest.fixture
def premera_only() -> PayerKit:
    """A kit holding only this plugin (and payerkit's built-ins): Premera's own answers."""
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


@pytest.fixture(name="make_case")
def _make_case():
    return make_case


@pytest.fixture(name="weekly")
def _weekly():
    return weekly


@pytest.fixture(name="visit")
def _visit():
    return visit

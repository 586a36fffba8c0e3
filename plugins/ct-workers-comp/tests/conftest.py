"""Fixtures for the Connecticut workers' compensation tests: a kit with only this plugin, and
case builders. Every person, company and number is invented; NPIs pass the Luhn check."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from payerkit import PayerKit, structure_case

from payerkit_ct_workers_comp import plugin

D = dt.date
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PRESCRIBER = {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"}

#: An accepted claim, referred, the carrier agreed to pay the practice, fees from a test table.
BASE = {
    "program": "ct-workers-comp",
    "as_of": D(2026, 2, 20),
    "provider": {
        "name": "Elm City Massage Therapy LLC", "npi": "1234567893", "tax_id": "123456789",
        "phone": "2035550100",
        "address": {"line1": "200 Chapel St", "city": "New Haven", "state": "CT",
                    "zip": "065101234"},
        "cash_rates": {"97124": "30.00", "97140": "35.00"},
    },
    "rendering": {"first_name": "Jane", "last_name": "Doe", "npi": "1992999999"},
    "patient": {
        "first_name": "Ana", "last_name": "Rivera", "birth_date": D(1984, 5, 17), "sex": "F",
        "address": {"line1": "15 Orange St", "city": "Hamden", "state": "CT", "zip": "06514"},
    },
    "coverage": {"member_id": "WC0112026", "claim_number": "WC26004417",
                 "insurer": "Example Mutual Insurance Co", "payer_id": "EXMWC",
                 "employer": "Riverside Distribution LLC"},
    "episode": {
        "kind": "work_injury", "onset_date": D(2026, 1, 12), "state": "CT",
        "diagnoses": ["S16.1XXA", "M62.830"],
        "prescription": {"prescriber": dict(PRESCRIBER), "date": D(2026, 1, 20), "visits": 8},
        "authorization": {"number": "WCA55210", "visits": 8, "start": D(2026, 1, 26),
                          "end": D(2026, 4, 30)},
    },
    "facts": {"ct-workers-comp": {
        "notice_of_claim_date": D(2026, 1, 14),
        "accepted_date": D(2026, 1, 28), "billing_arrangement": "carrier_agreement"}},
    "claim": {"benefits_assigned": True},
    "fees": {"source": "Test copy of a fee schedule (test figures)",
             "rates": {"97124": "20.00", "97140": "25.00"}},
    "visits": [{"date": D(2026, 2, 2 + 7 * i), "services": [
        {"code": "97124", "minutes": 40, "diagnoses": [1, 2]},
        {"code": "97140", "minutes": 15, "diagnoses": [1]},
    ]} for i in range(3)],
}


def _merge(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build(facts: dict | None = None, replace_facts: dict | None = None,
          base_dir: Path | None = None, **changes):
    """BASE with nested ``changes`` (``None`` drops a key). ``facts`` changes the program's
    facts (``None`` drops one); ``replace_facts`` replaces them whole."""
    data = _merge(BASE, changes)
    table = data["facts"]["ct-workers-comp"]
    if replace_facts is not None:
        table = dict(replace_facts)
    for key, value in (facts or {}).items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    data["facts"] = {"ct-workers-comp": table}
    return structure_case(data, base_dir)


@pytest.fixture
def make_case():
    return build


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)

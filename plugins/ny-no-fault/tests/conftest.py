"""Fixtures for the NY no-fault adapter's tests: a kit with only this plugin, and case builders."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from payerkit import PayerKit, structure_case

from payerkit_ny_no_fault import plugin

#: An invented case: the named insured, hurt in the insured car in New York, every paper on file.
BASE = {
    "program": "ny-no-fault",
    "as_of": dt.date(2026, 3, 20),
    "provider": {
        "name": "Harbor Massage Therapy PLLC", "npi": "1234567893", "tax_id": "123456789",
        "license": "NY-LMT-012345", "phone": "5185550100",
        "address": {"line1": "100 Main St", "city": "Albany", "state": "NY", "zip": "122070001"},
        # at the fee ceiling (the prevailing fee in "fees"); 97112 has no fee, so no ceiling
        "cash_rates": {"97124": "20.00", "97140": "30.00", "97112": "40.00"},
    },
    "patient": {
        "first_name": "Maria", "last_name": "Garcia", "birth_date": dt.date(1975, 7, 22),
        "sex": "F",
        "address": {"line1": "9 River Rd", "city": "Schenectady", "state": "NY", "zip": "12305"},
    },
    "coverage": {"member_id": "NF20251220A", "claim_number": "CLM7788990011",
                 "insurer": "Example Auto Insurance Co", "payer_id": "98765"},
    "claim": {"benefits_assigned": True},
    "episode": {
        "kind": "auto_accident", "onset_date": dt.date(2026, 3, 2), "state": "NY",
        "notice_date": dt.date(2026, 3, 10), "diagnoses": ["S13.4XXA", "M62.830"],
        "prescription": {"prescriber": {"first_name": "Robert", "last_name": "Jones",
                                        "npi": "1245319599"},
                         "date": dt.date(2026, 3, 5), "visits": 12},
    },
    "facts": {"ny-no-fault": {"injured_person": "named_insured", "vehicle": "insured"}},
    "fees": {"source": "Test practice prevailing fee (test figures)",
             "rates": {"97124": "20.00", "97140": "30.00"}},
    "visits": [{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 30, "diagnoses": [1, 2]},
        {"code": "97140", "minutes": 15, "diagnoses": [1, 2]},
    ]}],
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


@pytest.fixture
def make_case():
    """``make_case(episode={"state": "NJ"}, fees=None)``: BASE with nested changes (None drops).

    ``ny={...}`` replaces the program's facts (``[facts.ny-no-fault]``; None leaves one out).
    """

    def build(base_dir: Path | None = None, ny: dict | None = None, **changes):
        data = _merge(BASE, changes)
        if ny is not None:
            data["facts"] = {"ny-no-fault": {k: v for k, v in ny.items() if v is not None}}
        return structure_case(data, base_dir)

    return build


@pytest.fixture(scope="session")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin])


@pytest.fixture(scope="session")
def program(kit):
    return kit.program("ny-no-fault")


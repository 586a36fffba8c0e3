"""Case builders for the Regence and UMP tests (``from regence_cases import ...``).

Every person, practice and number is invented; the NPIs pass the Luhn check (1234567893,
1992999999, 1245319599)."""

from __future__ import annotations

import copy
import datetime as dt

from payerkit import structure_case
from payerkit.formats import ControlNumbers, WriteOptions

D = dt.date
PRESCRIBER = {"first_name": "Robert", "last_name": "Jones", "npi": "1245319599"}
STATES = {"regence-wa": "WA", "regence-or": "OR", "regence-id": "ID", "regence-ut": "UT", "ump": "WA"}
#: A practice in each plan's own state (a provider elsewhere bills through BlueCard).
PRACTICES = {
    "WA": {"line1": "200 Union St", "city": "Seattle", "state": "WA", "zip": "981010002"},
    "OR": {"line1": "300 SW Main St", "city": "Portland", "state": "OR", "zip": "972040003"},
    "ID": {"line1": "500 W Idaho St", "city": "Boise", "state": "ID", "zip": "837020004"},
    "UT": {"line1": "60 S State St", "city": "Salt Lake City", "state": "UT", "zip": "841110005"},
}


def visit(day: dt.date, *services: dict) -> dict:
    services = services or ({"code": "97124", "minutes": 45},)
    return {"date": day, "services": list(services)}


def weekly(first: dt.date, count: int) -> list[dict]:
    return [visit(first + dt.timedelta(weeks=i)) for i in range(count)]


def base_data(program: str = "regence-wa") -> dict:
    """A covered case: contracted provider, prescription, notification approved on time."""
    data = {
        "program": program,
        "as_of": D(2026, 3, 20),
        "provider": {
            "name": "Evergreen Therapeutic Massage LLC", "npi": "1234567893",
            "tax_id": "123456789", "phone": "2065550111", "networks": ["regence"],
            "address": dict(PRACTICES[STATES[program]]),
            "cash_rates": {"97124": "30.00", "97140": "35.00", "97112": "40.00"},
        },
        "patient": {
            "first_name": "Lena", "last_name": "Okafor", "birth_date": D(1982, 4, 14),
            "sex": "F",
            "address": {"line1": "12 Alder Ave", "city": "Everett", "state": "WA",
                        "zip": "98201"},
        },
        "coverage": {"member_id": "RGW100000001", "group_number": "GRP20001"},
        "episode": {
            "kind": "illness", "onset_date": D(2026, 2, 20), "state": STATES[program],
            "diagnoses": ["M54.2", "M62.830"],
            "prescription": {"prescriber": dict(PRESCRIBER), "date": D(2026, 2, 26),
                             "visits": 8},
        },
        "visits": weekly(D(2026, 3, 2), 3),
    }
    if program != "ump":
        data["facts"] = {program: {"notification_date": D(2026, 3, 4),
                                   "notification_approved_date": D(2026, 3, 6)}}
    return data


def make_case(program: str = "regence-wa", visits=None, facts=None, **sections):
    """A case; ``facts`` replaces keys of the program's facts table (``None`` values drop
    them), each keyword replaces keys of one top-level section (or the value)."""
    data = copy.deepcopy(base_data(program))
    if visits is not None:
        data["visits"] = visits
    if facts is not None:
        table = data.setdefault("facts", {}).setdefault(program, {})
        for key, value in facts.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(name), dict):
            data[name] = {**data[name], **value}
        elif value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return structure_case(data)


def options(day: dt.date) -> WriteOptions:
    return WriteOptions(ControlNumbers(1, 1, 1), dt.datetime.combine(day, dt.time(12, 0)))

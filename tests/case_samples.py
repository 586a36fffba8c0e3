"""An invented adapter and an invented patient's case, shared by the core tests."""

from __future__ import annotations

import copy
import datetime as dt

from payerkit.hookspecs import hookimpl
from payerkit.io import structure_case
from payerkit.model import Citation, Deadline, Limit, Program, note
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.units import CPT_MIDPOINT

TEST_CITATION = Citation("payerkit test adapter (invented rules)", confidence="sample")
#: The test adapter's deadline, graded as a confirmed rule so that a late claim is stopped
#: (a sample deadline is at most a warning).
TEST_DEADLINE = Citation("payerkit test adapter (an invented deadline, graded as a rule)",
                         confidence="rule")


class SampleAdapter:
    """A small adapter with invented rules, for testing the core's plumbing.

    ``calls`` records which hooks the kit asked (the kit routes only this
    program's questions here: no hook checks the program).
    """

    program = Program(id="test-plan", name="Test Plan", line_of_business="commercial",
                      states=("WA",), payer_id="99999", sources=(TEST_CITATION,),
                      payer_id_citation=TEST_CITATION)

    def __init__(self):
        self.calls = []

    @hookimpl
    def payerkit_programs(self):
        return [self.program]

    @hookimpl
    def payerkit_outcomes(self, program):
        self.calls.append(("outcomes", program.id))
        return [note("TEST-OK", "invented rule", TEST_CITATION)]

    @hookimpl
    def payerkit_units(self):
        self.calls.append("units")
        return CPT_MIDPOINT

    @hookimpl
    def payerkit_fee_schedule(self):
        self.calls.append("fee_schedule")
        return FeeSchedule.from_rates({"97124": "20.00", "97140": "25.00"}, TEST_CITATION)

    @hookimpl
    def payerkit_visit_limits(self, case, visit):
        self.calls.append("visit_limits")
        used = case.visits.index(visit) + 1
        return [Limit("test visits", "visits", 10, used, "benefit year", TEST_CITATION)]

    @hookimpl
    def payerkit_filing_deadline(self, case, visit):
        self.calls.append("filing_deadline")
        return [Deadline("claim submission", "service", visit.date, 90, TEST_DEADLINE,
                         path=f"visits[{case.visits.index(visit)}].date")]


BASE_CASE = {
    "program": "test-plan",
    "as_of": dt.date(2026, 3, 20),
    "provider": {
        "name": "Invented Massage LLC", "npi": "1234567893", "tax_id": "123456789",
        "phone": "2065550100", "networks": ["test-plan"],
        "address": {"line1": "100 Main St", "city": "Seattle", "state": "WA",
                    "zip": "981010001"},
        "cash_rates": {"97124": "30.00", "97140": "35.00"},
    },
    "patient": {"first_name": "Testa", "last_name": "Person", "birth_date": dt.date(1980, 1, 2),
                "sex": "F", "address": {"line1": "1 Elm St", "city": "Seattle", "state": "WA",
                                        "zip": "98102"}},
    "coverage": {"member_id": "ABC123456789", "payer_id": "99999", "insurer": "Test Plan"},
    "episode": {"kind": "illness", "onset_date": dt.date(2026, 2, 1),
                "diagnoses": ["M62.830", "M54.50"],
                "prescription": {"prescriber": {"first_name": "Rx", "last_name": "Writer",
                                                "npi": "1245319599"},
                                 "date": dt.date(2026, 2, 2), "visits": 8}},
    "visits": [{"date": dt.date(2026, 3, 12), "services": [
        {"code": "97124", "minutes": 40, "diagnoses": [1, 2]},
        {"code": "97140", "minutes": 15}]}],
    "claim": {"benefits_assigned": True},  # recorded: not recorded is a scrub warning
}


def replaced(data: dict, changes: dict) -> dict:
    """A deep copy of case data with top-level keys replaced; ``None`` removes a key."""
    data = copy.deepcopy(data)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def make_case(**changes):
    """The base case with top-level keys replaced; ``None`` removes a key."""
    return structure_case(replaced(BASE_CASE, changes))

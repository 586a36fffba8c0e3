"""Invented treatment-plan cases (examples-style: a plan, its goals, measured visits,
authorizations, a missed appointment), shared by the plan tests. No real patient."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from case_samples import BASE_CASE, replaced

from payerkit.cli import main
from payerkit.io import case_from_text, structure_case
from payerkit.model import Citation

ROOT = Path(__file__).resolve().parent.parent
#: The invented plan of care the doors' tests start from (examples/plans).
NECK = ROOT / "examples" / "plans" / "premera-neck-plan.toml"


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """``payerkit ARGV`` in process: its exit status, stdout and stderr (never a traceback)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err

#: The program's own citation, as an adapter would pass it: confirmed, and a weak one.
RULE = Citation("Invented payer medical policy 9.99 (treatment plans)", "2026", "high")
WEAK = Citation("Invented payer practice page", "2026", "low")
MEDIUM = Citation("Invented payer bulletin", "2026", "medium")

D = dt.date


def _visit(day: dt.date, *measures: tuple[str, object], attendance: str | None = None,
           services: bool = True) -> dict:
    visit: dict = {"date": day, "services": [{"code": "97124", "minutes": 40}] if services else []}
    if measures:
        visit["measures"] = [{"measure": m, "value": v} for m, v in measures]
    if attendance is not None:
        visit["attendance"] = attendance
    return visit


#: A neck-pain plan of 8 weeks and 12 visits, two goals (NDI, sitting tolerance), measured at
#: every other visit; two authorizations (the older file's single one, and a second).
PLAN_DATA = {
    **copy.deepcopy(BASE_CASE),
    "as_of": D(2026, 4, 10),
    "episode": {
        **copy.deepcopy(BASE_CASE["episode"]),
        "authorization": {"number": "AUTH-A1", "visits": 6, "start": D(2026, 3, 2),
                          "end": D(2026, 3, 31)},
        "authorizations": [{"number": "AUTH-B2", "visits": 6, "start": D(2026, 4, 1),
                            "end": D(2026, 4, 30)}],
        "plan": {
            "start": D(2026, 3, 2), "duration_weeks": 8, "visits": 12, "visits_per_week": 2,
            "reevaluation_date": D(2026, 4, 13),
            "discharge_criteria": "Sits through a 60-minute work meeting without neck pain",
            "goals": [
                {"description": "Sit at a desk for a work meeting", "measure": "sitting_tolerance",
                 "baseline": 15, "target": 60},
                {"description": "Daily activities with less neck disability", "measure": "ndi",
                 "baseline": 42, "target": 20},
            ],
        },
    },
    "visits": [
        _visit(D(2026, 3, 3), ("ndi", 42), ("sitting_tolerance", 15)),
        _visit(D(2026, 3, 6)),
        _visit(D(2026, 3, 10), ("ndi", 36), ("sitting_tolerance", 20)),
        _visit(D(2026, 3, 13), attendance="no_show", services=False),
        _visit(D(2026, 3, 17), ("ndi", 30), ("sitting_tolerance", 30)),
        _visit(D(2026, 3, 20)),
        _visit(D(2026, 3, 24), ("ndi", 26), ("sitting_tolerance", "35.5")),
        _visit(D(2026, 4, 2), ("ndi", 24), ("sitting_tolerance", 40)),
        _visit(D(2026, 4, 9), ("ndi", 22), ("sitting_tolerance", 45)),
    ],
}

PLAN_TOML = '''\
program = "test-plan"
as_of = 2026-04-10

[provider]
name = "Invented Massage LLC"
npi = "1234567893"
tax_id = "123456789"
phone = "2065550100"
address = { line1 = "100 Main St", city = "Seattle", state = "WA", zip = "981010001" }
cash_rates = { "97124" = "30.00" }

[patient]
first_name = "Testa"
last_name = "Person"
birth_date = 1980-01-02
sex = "F"
address = { line1 = "1 Elm St", city = "Seattle", state = "WA", zip = "98102" }

[coverage]
member_id = "ABC123456789"

[episode]
kind = "illness"
onset_date = 2026-02-01
diagnoses = ["M54.2"]
authorization = { number = "AUTH-A1", visits = 6, start = 2026-03-02, end = 2026-03-31 }
authorizations = [ { number = "AUTH-B2", visits = 6, start = 2026-04-01, end = 2026-04-30 } ]

[episode.plan]
start = 2026-03-02
duration_weeks = 8
visits = 12
visits_per_week = 2
reevaluation_date = 2026-04-13
discharge_criteria = "Sits through a 60-minute work meeting without neck pain"
progress_reports = [2026-03-24]

[[episode.plan.goals]]
description = "Sit at a desk for a work meeting"
measure = "sitting_tolerance"
baseline = 15
target = 60

[[episode.plan.goals]]
description = "Turn the head to check traffic"
measure = "rom.cervical_rotation_left"
baseline = 40
target = 70

[[episode.plan.goals]]
description = "Daily activities with less neck disability"
measure = "NDI"
baseline = 42
target = 20.5

[[visits]]
date = 2026-03-03
services = [ { code = "97124", minutes = 40 } ]
measures = [ { measure = "ndi", value = 42 }, { measure = "sitting_tolerance", value = 15 } ]

[[visits]]
date = 2026-03-13
attendance = "no_show"
services = []

[[visits]]
date = 2026-03-17
services = [ { code = "97124", minutes = 40 } ]
measures = [ { measure = "ndi", value = "30" }, { measure = "rom.cervical_rotation_left", value = 55.5 } ]
'''


def plan_data(**changes) -> dict:
    """The plan case's data with top-level keys replaced (``None`` removes one)."""
    return replaced(PLAN_DATA, changes)


def plan_case(data: dict | None = None):
    return structure_case(copy.deepcopy(data if data is not None else PLAN_DATA))


def with_plan(**plan_changes):
    """The plan case with fields of its plan replaced (``None`` removes one)."""
    data = plan_data()
    plan = data["episode"]["plan"]
    for key, value in plan_changes.items():
        if value is None:
            plan.pop(key, None)
        else:
            plan[key] = value
    return plan_case(data)


def toml_case(text: str = PLAN_TOML):
    return case_from_text(text, "plan.toml", Path("."))


visit = _visit

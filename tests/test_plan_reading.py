"""Reading treatment plans, measures, attendance and authorizations (issue 18).

The strict reader (the converter) and the one-pass reader give the same case or the same
problem lines, each with its field path; old case files read unchanged; the limits of
docs/case-file.md ("Limits") hold.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_samples import PLAN_DATA, PLAN_TOML, plan_case, plan_data, toml_case
from test_reading import assert_read_alike, straight

from payerkit import io
from payerkit.converter import (
    MAX_AUTHORIZATIONS,
    MAX_CRITERIA_TEXT,
    MAX_GOAL_TEXT,
    MAX_GOALS,
    MAX_MEASUREMENTS,
    MAX_SCORE,
)
from payerkit.errors import CaseError
from payerkit.io import case_from_text, structure_case, unstructure_case
from payerkit.model import Goal, Measurement, TreatmentPlan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def problems_of(data) -> list[str]:
    with pytest.raises(CaseError) as exc:
        structure_case(copy.deepcopy(data))
    for line in exc.value.problems:
        assert line.isprintable() and ": " in line
    return exc.value.problems


def as_json(data) -> str:
    return json.dumps(data, default=str)


# -- The plan is read, both ways alike -----------------------------------------------------------

def test_the_plan_case_is_read_straight_to_the_converters_case():
    text = as_json(PLAN_DATA)
    case = straight(text)
    assert case is not None
    assert case == io._structure(io.parse_text(text, "case.json"), depth_checked=True)
    plan = case.episode.plan
    assert isinstance(plan, TreatmentPlan) and plan.last_day == dt.date(2026, 4, 26)
    assert plan.goals[0] == Goal("Sit at a desk for a work meeting", "sitting_tolerance",
                                 Decimal(15), Decimal(60))
    assert case.visits[6].measures[1] == Measurement("sitting_tolerance", Decimal("35.5"))
    assert case.visits[3].attendance == "no_show" and not case.visits[3].attended
    assert [a.number for a in case.episode.all_authorizations] == ["AUTH-A1", "AUTH-B2"]


def test_the_toml_plan_reads_straight_and_round_trips_through_json():
    case = toml_case()
    assert straight(PLAN_TOML, "plan.toml") == case
    assert case.episode.plan.goals[2].target == Decimal("20.5")  # a TOML float, as written
    assert case.visits[2].measures[1].value == Decimal("55.5")
    again = json.dumps(unstructure_case(case))
    assert straight(again) == case
    assert case_from_text(again, "case.json") == case
    assert_read_alike(PLAN_TOML, "plan.toml")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_old_case_files_read_unchanged(path):
    """No example gives a plan: each reads to the case it did, with the new fields' defaults."""
    case = io.load_case(path)
    assert case.episode.plan is None and case.episode.authorizations == ()
    assert case.episode.all_authorizations == ((case.episode.authorization,)
                                               if case.episode.authorization else ())
    assert all(v.attendance == "attended" and v.measures == () for v in case.visits)
    data = unstructure_case(case)
    assert "plan" not in data["episode"]


def test_the_single_authorization_is_the_first_of_all():
    case = plan_case()
    assert case.episode.authorization.number == "AUTH-A1"
    assert case.episode.all_authorizations[0] is case.episode.authorization
    only_list = plan_data()
    del only_list["episode"]["authorization"]
    case = plan_case(only_list)
    assert [a.number for a in case.episode.all_authorizations] == ["AUTH-B2"]


# -- Errors, each with its path ------------------------------------------------------------------

def _set(data: dict, path: str, value) -> dict:
    data = copy.deepcopy(data)
    node = data
    keys = [int(k) if k.isdigit() else k for k in path.replace("]", "").replace("[", ".").split(".")]
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    return data


@pytest.mark.parametrize("path,value,expected", [
    ("episode.plan.goals[1].target", "twenty", "episode.plan.goals[1].target: expected a number "
     "such as 6 or 6.5"),
    ("episode.plan.goals[1].target", 101, "episode.plan.goals[1].target: expected a value from "
     "0 to 100 (ndi: Neck Disability Index, percent)"),
    ("episode.plan.goals[0].baseline", True, "episode.plan.goals[0].baseline: expected a number "
     "such as 6 or 6.5"),
    ("episode.plan.goals[0].baseline", "1e3", "episode.plan.goals[0].baseline: expected a number "
     "such as 6 or 6.5"),
    ("episode.plan.goals[0].baseline", "12.345", "episode.plan.goals[0].baseline: expected a "
     "value with at most 2 decimals"),
    ("episode.plan.goals[0].baseline", 10**6, "episode.plan.goals[0].baseline: expected a value "
     "from -99999 to 99999"),
    ("episode.plan.goals[0].measure", "", "episode.plan.goals[0].measure: expected a measure id"),
    ("episode.plan.goals[0].measure", "x" * 41, "episode.plan.goals[0].measure: expected a "
     "measure id"),
    ("episode.plan.goals[0].measure", "ndi.", "episode.plan.goals[0].measure: expected a "
     "measure id"),  # counted as NDI at a visit but never drawn on its goal's chart
    ("visits[2].measures[0].measure", "rom-", "visits[2].measures[0].measure: expected a "
     "measure id"),
    ("episode.plan.goals[0].description", " ", "episode.plan.goals[0].description: expected the "
     "functional activity in 1 to 200 characters"),
    ("episode.plan.goals[0].description", "x" * (MAX_GOAL_TEXT + 1),
     "episode.plan.goals[0].description: expected the functional activity"),
    ("episode.plan.discharge_criteria", "x" * (MAX_CRITERIA_TEXT + 1),
     "episode.plan.discharge_criteria: expected at most 1000 characters"),
    ("episode.plan.start", "2026-02-30", "episode.plan.start: expected a date such as"),
    ("episode.plan.end", "2026-03-01", "episode.plan.duration_weeks: expected end or "
     "duration_weeks, not both"),
    ("episode.plan.duration_weeks", 0, "episode.plan.duration_weeks: expected a number of weeks "
     "from 1 to 104"),
    ("episode.plan.visits", 1000, "episode.plan.visits: expected a number of visits from 0 to 999"),
    ("episode.plan.visits_per_week", 15, "episode.plan.visits_per_week: expected a number of "
     "visits from 1 to 14"),
    ("episode.plan.reevaluation_date", "2026-03-01", "episode.plan.reevaluation_date: expected a "
     "date on or after the plan's start"),
    ("episode.plan.goals", "ndi", "episode.plan.goals: expected a list"),
    ("episode.plan.unknown", 1, "episode.plan: unknown field(s): unknown"),
    ("visits[2].measures[0].value", 51, None),  # ndi 51 is within 0-100: read
    ("visits[2].measures[0].value", -1, "visits[2].measures[0].value: expected a value from 0 "
     "to 100 (ndi: Neck Disability Index, percent)"),
    ("visits[2].measures[1].measure", "NDI", "visits[2].measures[1].measure: expected each "
     "measure once a visit"),
    ("visits[2].attendance", "maybe", "visits[2].attendance: expected one of 'attended' | "
     "'no_show' | 'late_cancel'"),
    ("visits[2].services", [], "visits[2].services: expected at least one service"),
    ("visits[3].measures", [{"measure": "ndi", "value": 30}], "visits[3].measures: expected no "
     "measures at a missed appointment"),
    ("episode.authorizations[0].end", "2026-03-01", "episode.authorizations[0].end: expected a "
     "date on or after the authorization's start"),
    ("episode.authorizations[0].number", "AUTH-A1", "episode.authorizations[0].number: expected "
     "each authorization once"),
    ("episode.authorizations[0].visits", -1, "episode.authorizations[0].visits: expected a number "
     "of visits from 0 to 999"),
])
def test_each_problem_names_its_field(path, value, expected):
    data = _set(PLAN_DATA, path, value)
    assert_read_alike(as_json(data), "case.json")
    if expected is None:
        structure_case(data)
        return
    found = problems_of(data)
    assert any(line.startswith(expected) for line in found), found


def test_a_missed_appointment_may_have_no_services():
    case = plan_case()
    assert case.visits[3].services == () and case.visits[3].attendance == "no_show"


@pytest.mark.parametrize("where,limit,item", [
    ("episode.plan.goals", MAX_GOALS, {"description": "x", "measure": "nprs", "baseline": 6,
                                       "target": 2}),
    ("visits[0].measures", MAX_MEASUREMENTS, None),
    ("episode.authorizations", MAX_AUTHORIZATIONS, None),
])
def test_list_limits(where, limit, item):
    def items(n):
        if where == "visits[0].measures":
            return [{"measure": f"own{i}", "value": i} for i in range(n)]
        if where == "episode.authorizations":
            return [{"number": f"N{i}", "visits": 1} for i in range(n)]
        return [item] * n

    structure_case(_set(PLAN_DATA, where, items(limit)))
    data = _set(PLAN_DATA, where, items(limit + 1))
    assert_read_alike(as_json(data), "case.json")
    assert problems_of(data) == [f"{where}: expected at most {limit} "
                                 f"{where.rsplit('.', 1)[1].replace('measures', 'measurements')}, "
                                 f"got {limit + 1}"]


def test_measured_values_are_never_shown_in_problems():
    data = _set(PLAN_DATA, "episode.plan.goals[0].baseline", "7.123")
    data = _set(data, "visits[0].measures[0].value", "secret 42")
    found = problems_of(data)
    assert found and not any("7.123" in line or "secret" in line for line in found)


# -- Hypothesis: values near and over the limits, both ways alike -------------------------------

SCORES = (st.integers(-10**7, 10**7) | st.decimals(-200000, 200000, places=3).map(str)
          | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
              ["", " 7", "+7", "7.", ".5", "-.5", "1_000", "0x10", "٣", None, [], {}]))


@FUZZ
@given(value=SCORES, where=st.sampled_from(["episode.plan.goals[0].baseline",
                                            "episode.plan.goals[1].target",
                                            "visits[0].measures[0].value",
                                            "visits[6].measures[1].value"]))
def test_any_measured_value_is_read_alike(value, where):
    data = _set(PLAN_DATA, where, value)
    text = json.dumps(data, default=str)
    kind, answer = assert_read_alike(text, "case.json")
    if kind == "case":
        read = answer.episode.plan.goals[0].baseline if "baseline" in where else None
        if read is not None:
            assert abs(read) <= MAX_SCORE and read.as_tuple().exponent >= -2


PLAN_VALUES = st.sampled_from([None, True, 0, -1, 7, 10**9, 3.5, "", "x" * 300, "2026-03-05",
                               "2026-02-30", [], {}, ["a"], {"a": 1}, "no_show", "ndi"])


@FUZZ
@given(where=st.sampled_from([
    "episode.plan", "episode.plan.start", "episode.plan.end", "episode.plan.duration_weeks",
    "episode.plan.visits", "episode.plan.goals", "episode.plan.goals[0]",
    "episode.plan.goals[0].measure", "episode.plan.progress_reports", "episode.authorizations",
    "episode.authorizations[0]", "episode.authorizations[0].start", "visits[0].measures",
    "visits[0].measures[0]", "visits[0].measures[0].measure", "visits[1].attendance",
    "episode.plan.discharge_criteria"]), value=PLAN_VALUES)
def test_any_plan_field_is_read_alike(where, value):
    assert_read_alike(as_json(_set(PLAN_DATA, where, value)), "case.json")


STEP = st.tuples(st.integers(0, 10**6), st.integers(0, 4), st.integers(0, 60))


@FUZZ
@given(plan=st.lists(STEP, min_size=1, max_size=4))
def test_a_mutated_plan_case_is_read_alike(plan):
    """The fuzzer's mutations (dropped keys, wrong types, odd text, huge numbers, unknown keys)
    anywhere in a case with a plan, measures, attendance and authorizations."""
    from fuzzing import mutate

    data = mutate(json.loads(as_json(PLAN_DATA)), plan)
    assert_read_alike(json.dumps(data), "case.json")


def test_a_case_without_a_plan_is_written_as_before():
    """unstructure_case leaves the new fields out at their defaults: the JSON of an old case is
    the JSON it was, which an older payerkit reads too."""
    for path in EXAMPLES:
        data = unstructure_case(io.load_case(path))
        assert "authorizations" not in data["episode"] and "plan" not in data["episode"]
        assert not any({"measures", "attendance"} & set(v) for v in data["visits"])
    data = unstructure_case(plan_case())
    assert data["visits"][3]["attendance"] == "no_show" and "attendance" not in data["visits"][0]
    assert structure_case(data) == plan_case()


def test_the_documented_plan_reads():
    """docs/case-file.md's "Treatment plans" example, put in a case, reads as it says."""
    import re
    import tomllib

    doc = (ROOT / "docs" / "case-file.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Treatment plans"):doc.index("## Limits")]
    block = tomllib.loads(re.search(r"```toml\n(.*?)```", section, re.S).group(1))
    data = plan_data()
    data["episode"] = {**data["episode"], **block["episode"]}
    data["visits"] = block["visits"]
    data["as_of"] = dt.date(2026, 3, 20)
    case = structure_case(data)
    assert case.episode.plan.last_day == dt.date(2026, 4, 26)
    assert [g.measure for g in case.episode.plan.goals] == ["sitting_tolerance", "ndi"]
    assert [a.number for a in case.episode.all_authorizations] == ["AUTH-A1", "AUTH-B2"]
    assert case.visits[1].attendance == "no_show" and case.visits[1].services == ()

"""Treatment plans and authorizations fed what a careless clerk or a hostile file would (issue 18):
overlapping authorizations, a discharge text of nothing printable, a refused report from
``payerkit plan -o``, a missing output folder, a refused report in the demo, a goal whose target
is no better than its baseline. Each answer is an exit status and a message naming the field,
with the right numbers."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import attrs
import pdfplumber
import pytest
from case_samples import BASE_CASE, SampleAdapter
from plan_samples import NECK, ROOT, run_cli

import payerkit
from payerkit.errors import ClaimRefused, ReportRefused
from payerkit.formats import PROGRESS_REPORT
from payerkit.io import structure_case, unstructure_case
from payerkit.rules import plans

D = dt.date


@pytest.fixture(scope="module")
def kit():
    return payerkit.PayerKit()


def neck(**plan) -> dict:
    """The neck plan example as data, its plan changed by ``plan``; its fee file named whole."""
    data = unstructure_case(payerkit.load_case(NECK))
    data["episode"]["plan"].update(plan)
    return data


def write_case(folder: Path, name: str, data: dict) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- overlapping authorizations: a visit uses one of them, never each -------------------------


def visit(day: dt.date) -> dict:
    return {"date": day, "services": [{"code": "97124", "minutes": 40, "diagnoses": [1, 2]}]}


def overlapping(*days: dt.date):
    data = copy.deepcopy(BASE_CASE)
    data["episode"] = {
        **data["episode"],
        "authorization": {"number": "AUTH-ONE", "visits": 2, "start": D(2026, 3, 2),
                          "end": D(2026, 3, 15)},
        "authorizations": [{"number": "AUTH-TWO", "visits": 4, "start": D(2026, 3, 1),
                            "end": D(2026, 4, 30)}]}
    data["visits"] = [visit(d) for d in days]
    data["as_of"] = D(2026, 4, 1)
    return structure_case(data)


def test_overlapping_authorizations_count_each_visit_against_one_of_them():
    # 03-02 and 03-03 use AUTH-ONE (first on file, 2 visits); 03-04 and 03-05 AUTH-TWO. Counting
    # every visit within each one's dates said AUTH-TWO had used 4 of 4: 6 visits for 4 made.
    case = overlapping(D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5))
    one, two = case.episode.all_authorizations
    on = D(2026, 3, 5)
    assert plans.authorization_used(case, one, on) == 2
    assert plans.authorization_used(case, two, on) == 2
    assert [(u.number, u.used, u.left) for u in plans.authorization_use(case, on)] == \
        [("AUTH-ONE", 2, 0), ("AUTH-TWO", 2, 2)]
    assert plans.covering_authorization(case, D(2026, 3, 3)).number == "AUTH-ONE"
    assert plans.covering_authorization(case, D(2026, 3, 4)).number == "AUTH-TWO"
    # before 03-04 AUTH-TWO had used none
    assert plans.authorization_used(case, two, D(2026, 3, 3)) == 0


class Adapter(SampleAdapter):
    """The invented adapter, knowing nothing of authorizations: payerkit's own rows and checks."""

    program = attrs.evolve(SampleAdapter.program, claim_formats=("x12-837p",))


def test_overlapping_authorizations_in_limits_and_scrub(payerkit_data_dir):
    kit = payerkit.PayerKit(entry_points=False, plugins=[Adapter()])
    case = overlapping(D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5))
    rows = {lim.name: (lim.used, lim.remaining) for lim in kit.limits(case).limits
            if lim.name.startswith("authorization")}
    assert rows == {"authorization 1": (2, 0), "authorization 2": (2, 2)}
    # the visit on 03-05 is AUTH-TWO's second of four: nothing to warn about
    codes = {f.code for f in kit.scrub(case).findings}
    assert plans.AUTHORIZATION_VISITS_USED not in codes
    assert plans.AUTHORIZATION_ENDING not in codes


# -- the progress report: nothing printed is never "N/A" --------------------------------------


def test_discharge_criteria_with_nothing_printable_is_refused_not_written_as_na(kit):
    case = structure_case(neck(discharge_criteria="\U0001f9d8" * 50), NECK.parent)
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, PROGRESS_REPORT)
    [error] = refused.value.findings
    assert error.code == "FORMAT-LIMIT" and error.path == "episode.plan.discharge_criteria"


def test_discharge_criteria_printable_in_part_is_written(kit):
    case = structure_case(neck(discharge_criteria="Sits \U0001f9d8 through a meeting"),
                          NECK.parent)
    text = pdfplumber.open(io.BytesIO(kit.claim(case, PROGRESS_REPORT))).pages[0].extract_text()
    assert "Sits through a meeting" in text


# -- a goal whose target is no better than its baseline is never "met" -----------------------


@pytest.mark.parametrize("baseline, target", [(20, 42), (30, 30)])
def test_a_goal_not_aiming_at_an_improvement_is_not_met(kit, baseline, target, tmp_path,
                                                       capsys):
    data = neck()
    data["episode"]["plan"]["goals"][0].update(baseline=baseline, target=target)  # NDI
    case = structure_case(data, NECK.parent)
    goal = kit.plan(case).goals[0]
    assert goal.latest == 28 and not goal.met  # worse than (or as) planned is not "met"
    pages = pdfplumber.open(io.BytesIO(kit.claim(case, PROGRESS_REPORT))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Target met." not in text
    assert "not an improvement over its baseline" in text


# -- the CLI: payerkit plan -o refused, a missing folder, the demo ---------------------------


def test_plan_o_refused_names_each_field_once_and_writes_nothing(tmp_path, capsys):
    data = neck()
    data["episode"]["authorization"]["number"] = "EVI-\u05e9"  # not printable in Windows-1252
    data["fees"]["file"] = str(ROOT / "examples" / "premera-sample-fees.csv")
    path = write_case(tmp_path, "rtl", data)
    out = tmp_path / "report.pdf"
    code, _, err = run_cli(capsys, "plan", path, "-o", out)
    assert code == 1 and not out.exists() and list(tmp_path.iterdir()) == [path]
    assert "claim refused" not in err  # a progress report is no claim
    assert "episode.authorization.number: episode.authorization.number" not in err
    assert "[FORMAT-LIMIT] episode.authorization.number" in err


def test_a_refused_report_is_a_report_refused_not_a_claim_refused(kit):
    data = neck()
    data["episode"]["authorization"]["number"] = "EVI-\u05e9"  # not printable in Windows-1252
    data["fees"]["file"] = str(ROOT / "examples" / "premera-sample-fees.csv")
    with pytest.raises(ReportRefused) as refused:
        kit.claim(structure_case(data), PROGRESS_REPORT)
    assert isinstance(refused.value, ClaimRefused)  # caught where refused claims are
    assert str(refused.value) == "report refused: 1 error(s) found"
    assert refused.value.heading == "report refused"


@pytest.mark.parametrize(("command", "suggested"), [
    (("plan", NECK), "progress-report.pdf"),
    (("claim", NECK, "--format", "cms-1500"), "claim.pdf"),
    (("claim", NECK, "--format", "superbill-html"), "claim.html"),
    (("claim", NECK), "claim.837"),
])
def test_o_into_a_folder_suggests_a_file_of_what_is_written(tmp_path, capsys, command,
                                                               suggested):
    code, _, err = run_cli(capsys, *command, "-o", tmp_path)
    assert code == 3 and "it is a folder" in err and str(tmp_path / suggested) in err
    assert list(tmp_path.iterdir()) == []


def test_plan_o_into_a_missing_folder_takes_parents(tmp_path, capsys):
    out = tmp_path / "new" / "report.pdf"
    code, _, err = run_cli(capsys, "plan", NECK, "-o", out)
    assert code == 3 and "--parents" in err and not out.parent.exists()
    code, _, _ = run_cli(capsys, "plan", NECK, "-o", out, "--parents")
    assert code == 0 and out.read_bytes().startswith(b"%PDF")


def test_the_demo_goes_on_past_a_refused_progress_report(tmp_path, capsys, payerkit_data_dir):
    examples = tmp_path / "examples"
    (examples / "plans").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "premera-sample-fees.csv", examples)
    shutil.copy(NECK, examples / "plans")
    data = neck()
    data["episode"]["authorization"]["number"] = "EVI-\u05e9"
    data["fees"]["file"] = "../premera-sample-fees.csv"
    write_case(examples / "plans", "a-rtl", data)
    shutil.copy(NECK, examples)  # the demo wants one case of its own
    shutil.copy(ROOT / "examples" / "premera-sample-fees.csv", tmp_path)
    code, out, err = run_cli(capsys, "demo", examples, "-o", tmp_path / "out", "--json")
    assert code == 0, err
    reports = {p["case"]: p["progress_report"] for p in json.loads(out)["plans"]}
    assert reports == {"a-rtl.json": None,
                       "premera-neck-plan.toml": "premera-neck-plan.progress-report.pdf"}


# -- authorizations read from the file -------------------------------------------------------


def authorizations(single: dict | None, *more: dict) -> dict:
    data = copy.deepcopy(BASE_CASE)
    data["episode"] = {**data["episode"], "authorization": single, "authorizations": list(more)}
    if single is None:
        del data["episode"]["authorization"]
    return data


def test_the_single_authorization_ending_before_it_starts_is_refused_as_the_others_are():
    swapped = {"number": "AUTH-ONE", "visits": 3, "start": D(2026, 3, 31), "end": D(2026, 3, 1)}
    with pytest.raises(payerkit.CaseError) as refused:
        structure_case(authorizations(swapped))
    assert refused.value.problems == [
        "episode.authorization.end: expected a date on or after the authorization's start"]


def test_two_authorization_numbers_differing_in_case_only_are_the_same_number():
    # the 837P and the CMS-1500 write identifiers upper-cased: both would read EVI-0042
    first = {"number": "EVI-0042", "visits": 3, "start": D(2026, 3, 1), "end": D(2026, 3, 31)}
    second = {**first, "number": "evi-0042", "start": D(2026, 4, 1), "end": D(2026, 4, 30)}
    with pytest.raises(payerkit.CaseError) as refused:
        structure_case(authorizations(first, second))
    assert refused.value.problems == [
        "episode.authorizations[0].number: expected each authorization once (this number is "
        "given before)"]

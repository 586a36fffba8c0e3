"""``payerkit plan`` and ``PayerKit.plan``: the treatment plan's state and its progress report,
on the example plan (examples/plans/); a case without a plan is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

import payerkit
from payerkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "plans" / "premera-neck-plan.toml"


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_api_answers_the_plans_state():
    report = payerkit.PayerKit().plan(payerkit.load_case(PLAN))
    assert report.program == "Premera Blue Cross (Washington)"
    assert (report.visits_attended, report.visits_missed, report.visits_left) == (9, 1, 3)
    ndi, sitting = report.goals
    assert (ndi.measure, ndi.latest, ndi.mcid, ndi.progressed) == ("NDI", 28, 14, True)
    assert (sitting.mcid, sitting.progressed) == (None, None)  # no published MCID: verify
    assert report.due == ("Re-evaluation due on 04/13/2026.",)


@pytest.mark.parametrize(("example", "warning", "due"), [
    ("premera-plan-no-progress", "PLAN-NO-PROGRESS", None),
    ("premera-plan-note-without-measure", "PLAN-MEASURE-MISSING", None),
    ("premera-plan-authorization-ending", None, "has 1 visit(s) left and expires 04/30/2026"),
])
def test_each_plan_example_says_what_it_is_for(example, warning, due):
    kit = payerkit.PayerKit()
    case = payerkit.load_case(ROOT / "examples" / "plans" / f"{example}.toml")
    if warning is not None:
        found = [f for f in kit.evaluate(case).scrub.findings if f.code == warning]
        assert found and all(f.severity == "warning" and f.citation for f in found)
    if due is not None:
        assert any(due in item for item in kit.plan(case).due)


def test_plan_json_and_the_progress_report(tmp_path, capsys):
    pdf = tmp_path / "report.pdf"
    code, out, _ = run(["plan", str(PLAN), "--json", "-o", str(pdf)], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["file"] == str(pdf) and data["days_left"] == 23
    assert [g["measure"] for g in data["goals"]] == ["NDI", "sitting_tolerance"]
    assert data["goals"][1]["mcid"] is None and data["goals"][1]["progressed"] is None
    assert data["goals"][0]["points"][0] == {"date": "2026-02-17", "value": "42"}
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Neck Disability Index" in text and "Garcia" in text and "re-evaluation" in text.lower()


def test_as_of_moves_the_plan(capsys):
    code, out, _ = run(["plan", str(PLAN), "--as-of", "2026-03-01", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["days_left"] == 42 and data["visits_attended"] == 4


@pytest.mark.parametrize("case", ["ny-covered.toml", "premera-covered.toml"])
def test_a_case_without_a_plan_is_exit_2(case, capsys):
    code, _, err = run(["plan", str(ROOT / "examples" / case)], capsys)
    assert code == 2 and "episode.plan" in err


@pytest.mark.parametrize("example", ["ny-covered.toml", "premera-covered.toml",
                                     "ct-wc-covered.toml", "regence-covered.toml"])
@pytest.mark.parametrize("attendance", ["no_show", "late_cancel"])
def test_a_missed_appointment_is_on_no_claim_whatever_the_program(example, attendance):
    import attrs

    kit = payerkit.PayerKit()
    case = payerkit.load_case(ROOT / "examples" / example)
    missed = attrs.evolve(case.visits[-1], attendance=attendance)
    case = attrs.evolve(case, visits=(*case.visits[:-1], missed))
    ev = kit.evaluate(case)
    [finding] = [f for f in ev.scrub.errors if f.code == "MISSED-APPOINTMENT-BILLED"]
    assert finding.path == f"visits[{len(case.visits) - 1}].attendance"
    assert "patient's charge" in finding.message and not ev.clean
    with pytest.raises(payerkit.ClaimRefused):
        ev.write("x12-837p")

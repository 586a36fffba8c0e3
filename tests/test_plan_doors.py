"""The treatment plan's progress report from every door (issue 18): a format of the one pipeline
(``progress-report``), the same bytes from ``payerkit plan -o``, ``payerkit claim --format``,
the Python API and the demo; the claim's errors never stop it, its own do, naming the case
field; a case without a plan is exit 2 naming ``episode.plan``."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from plan_samples import NECK, ROOT, run_cli

import payerkit
from payerkit.formats import PROGRESS_REPORT
from payerkit.formats.progress_report import write_progress_report
from payerkit.pipeline import plan_case_path
from payerkit.testing.expectations import expectations

PLANS = sorted((ROOT / "examples" / "plans").glob("*.toml"))
NO_SHOW = ROOT / "examples" / "plans" / "premera-plan-no-show-fee.toml"


@pytest.fixture(scope="module")
def kit():
    return payerkit.PayerKit()


def test_the_progress_report_is_a_format_of_every_program_drawn_from_the_plan(kit):
    fmt = kit.claim_format_of(PROGRESS_REPORT)
    assert (fmt.renders, fmt.media_type, fmt.for_patient) == ("plan", "application/pdf", False)
    # no program lists it, yet every program takes it: it is no claim to the payer
    for entry in kit.programs():
        assert PROGRESS_REPORT not in entry.program.claim_formats
        assert kit.claim_format(PROGRESS_REPORT, entry.program) is fmt
    assert {f.renders for f in kit.claim_formats() if f.id != PROGRESS_REPORT} == {"claim"}


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_the_same_bytes_from_the_api_plan_and_claim(path, kit, tmp_path, capsys,
                                                    payerkit_data_dir):
    case = payerkit.load_case(path)
    report = kit.plan(case)
    ev = kit.evaluate(case, format=PROGRESS_REPORT)
    assert ev.plan == report
    made = {"write_progress_report": write_progress_report(report),
            "ev.write": ev.write(PROGRESS_REPORT),
            "kit.claim": kit.claim(case, PROGRESS_REPORT)}
    assert run_cli(capsys, "plan", path, "-o", tmp_path / "plan.pdf")[0] == 0
    code, _, err = run_cli(capsys, "claim", path, "--format", PROGRESS_REPORT,
                       "-o", tmp_path / "claim.pdf")
    assert code == 0, err
    made["plan -o"] = (tmp_path / "plan.pdf").read_bytes()
    made["claim --format"] = (tmp_path / "claim.pdf").read_bytes()
    assert made["plan -o"].startswith(b"%PDF-")
    assert len(set(made.values())) == 1, made.keys()


def test_the_claims_errors_do_not_stop_the_report(kit, tmp_path, capsys, payerkit_data_dir):
    """A no-show fee on the claim refuses the claim, never the plan's report (a document for
    the reviewer and the client, not a bill); the claim command says so."""
    case = payerkit.load_case(NO_SHOW)
    ev = kit.evaluate(case, format=PROGRESS_REPORT)
    assert [f.code for f in ev.scrub.errors] == ["MISSED-APPOINTMENT-BILLED"] and not ev.clean
    with pytest.raises(payerkit.ClaimRefused):
        ev.write("x12-837p")
    assert ev.write(PROGRESS_REPORT) == write_progress_report(kit.plan(case))
    code, _, err = run_cli(capsys, "claim", NO_SHOW, "--format", PROGRESS_REPORT,
                       "-o", tmp_path / "r.pdf")
    assert code == 0 and (tmp_path / "r.pdf").exists()
    assert "not a claim" in err and "MISSED-APPOINTMENT-BILLED" in err


def test_as_of_and_the_visits_billed(kit, tmp_path, capsys, payerkit_data_dir):
    """The report is the plan on the run's day (``--as-of``), whatever visits are billed."""
    case = payerkit.load_case(NECK)
    early = payerkit.PayerKit().plan(case, as_of=case.visits[3].date)
    assert kit.claim(case, PROGRESS_REPORT, as_of=case.visits[3].date) == \
        write_progress_report(early) != kit.claim(case, PROGRESS_REPORT)
    assert kit.claim(case, PROGRESS_REPORT, visit="all") == kit.claim(case, PROGRESS_REPORT)
    run_cli(capsys, "plan", NECK, "--as-of", "2026-02-27", "-o", tmp_path / "a.pdf")
    run_cli(capsys, "claim", NECK, "--format", PROGRESS_REPORT, "--as-of", "2026-02-27",
        "-o", tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes() == \
        write_progress_report(early)


@pytest.mark.parametrize("example", ["ny-covered.toml", "premera-covered.toml"])
def test_a_case_without_a_plan_is_exit_2_naming_episode_plan(example, kit, tmp_path, capsys,
                                                            payerkit_data_dir):
    path = ROOT / "examples" / example
    code, out, err = run_cli(capsys, "claim", path, "--format", PROGRESS_REPORT,
                         "-o", tmp_path / "r.pdf")
    assert code == 2 and "episode.plan" in err and not (tmp_path / "r.pdf").exists()
    with pytest.raises(payerkit.CaseError, match=r"episode\.plan"):
        kit.claim(payerkit.load_case(path), PROGRESS_REPORT)
    with pytest.raises(payerkit.CaseError, match=r"episode\.plan"):
        kit.evaluate(payerkit.load_case(path), format=PROGRESS_REPORT)
    assert kit.evaluate(payerkit.load_case(path)).clean  # its claim is as it was


def _with_goal(case, **changes):
    plan = case.episode.plan
    goal = attrs.evolve(plan.goals[0], **changes)
    return attrs.evolve(case, episode=attrs.evolve(
        case.episode, plan=attrs.evolve(plan, goals=(goal, *plan.goals[1:]))))


def _with_measure(case, visit: int, value: Decimal):
    v = case.visits[visit]
    measures = (attrs.evolve(v.measures[0], value=value), *v.measures[1:])
    return attrs.evolve(case, visits=(*case.visits[:visit], attrs.evolve(v, measures=measures),
                                      *case.visits[visit + 1:]))


def test_the_reports_own_limits_refuse_it_naming_the_case_field(kit):
    case = payerkit.load_case(NECK)
    long = _with_goal(case, description="word " * 80)
    with pytest.raises(payerkit.ClaimRefused) as refused:
        kit.claim(long, PROGRESS_REPORT)
    [finding] = refused.value.findings
    assert (finding.code, finding.path) == ("FORMAT-LIMIT", "episode.plan.goals[0].description")
    assert "word" not in finding.message  # the field named, never its value
    # the fourth NDI measurement (visits[3]) charted as goals[0].points[3]
    fine = _with_measure(case, 3, Decimal("38.125"))
    with pytest.raises(payerkit.ClaimRefused) as refused:
        kit.claim(fine, PROGRESS_REPORT)
    assert [f.path for f in refused.value.findings] == ["visits[3].measures[0].value"]
    # the scrub for the format says the same, and the claim itself is not refused for it
    scrub = kit.scrub(fine, format=PROGRESS_REPORT)
    assert [f.path for f in scrub.errors] == ["visits[3].measures[0].value"]
    assert kit.claim(fine, "x12-837p")


def test_report_fields_name_their_case_fields():
    case = payerkit.load_case(NECK)
    no_show = case.visits.index(next(v for v in case.visits if v.attendance != "attended"))
    assert no_show == 5
    assert [plan_case_path(f, case) for f in (
        "practice.address.city", "patient.birth_date", "program", "start", "end",
        "planned_visits", "re_evaluation", "discharge", "due[0]", "notes[1]",
        "goals[1].target", "goals[1].measure_name", "goals[0].points[0]", "goals[0].points[5]",
        "goals[0].points[99]", "authorizations[0].number", "goals[7].target")] == [
        "provider.address.city", "patient.birth_date", "program", "episode.plan.start",
        "episode.plan.end" if case.episode.plan.end else "episode.plan.duration_weeks",
        "episode.plan.visits", "episode.plan.reevaluation_date",
        "episode.plan.discharge_criteria", "episode.plan", "episode.plan",
        "episode.plan.goals[1].target", "episode.plan.goals[1].measure",
        "visits[0].measures[0].value", "visits[6].measures[0].value",  # the no-show skipped
        "episode.plan.goals[0]",
        "episode.authorization.number" if case.episode.authorization is not None
        else "episode.authorizations[0].number", "episode.plan"]


def test_a_report_is_never_recorded_in_the_ledger_nor_written_by_a_batch(tmp_path, capsys,
                                                                         payerkit_data_dir):
    code, _, err = run_cli(capsys, "claim", NECK, "--format", PROGRESS_REPORT, "--db",
                       f"sqlite:///{tmp_path / 'ledger.db'}", "-o", tmp_path / "r.pdf")
    assert code == 2 and "not a claim" in err and not (tmp_path / "r.pdf").exists()
    code, _, err = run_cli(capsys, "batch", NECK, "--format", PROGRESS_REPORT, "-o", tmp_path / "b",
                       "-q")
    assert code == 2 and "payerkit plan CASE -o FILE" in err and not (tmp_path / "b").exists()


# -- the demo -------------------------------------------------------------------------------------


def _examples(tmp_path: Path, plans: bool) -> Path:
    folder = tmp_path / ("with" if plans else "without")
    folder.mkdir()
    for name in ("premera-covered.toml", "ny-covered.toml", "premera-sample-fees.csv",
                 "ny-fees.csv"):
        shutil.copy(ROOT / "examples" / name, folder / name)
    if plans:
        shutil.copytree(ROOT / "examples" / "plans", folder / "plans")
    return folder


def test_the_demo_runs_the_plan_examples_and_keeps_its_other_output(tmp_path, capsys,
                                                                    payerkit_data_dir):
    outputs = {}
    for plans in (False, True):
        examples = _examples(tmp_path, plans)
        code, out, _ = run_cli(capsys, "demo", examples, "-o", tmp_path / f"out-{plans}")
        assert code == 0
        outputs[plans] = out.replace(str(tmp_path / f"out-{plans}"), "OUT")
    without, with_plans = outputs[False], outputs[True]
    assert with_plans.startswith(without.rstrip("\n"))  # the demo's own table, as it was
    top = sorted(p.name for p in (tmp_path / "out-False").iterdir())
    assert sorted(p.name for p in (tmp_path / "out-True").iterdir()) == sorted([*top, "plans"])
    for name in top:
        if not name.endswith(".837"):  # the 837's control numbers differ from run to run
            assert (tmp_path / "out-False" / name).read_bytes() == \
                (tmp_path / "out-True" / name).read_bytes(), name
    folder = tmp_path / "out-True" / "plans"
    assert "treatment plans (plans/)" in with_plans
    assert f"and {len(PLANS)} progress report(s) to OUT/plans/" in with_plans
    for path in PLANS:
        decision = json.loads((folder / f"{path.stem}.json").read_text())
        assert decision["as_expected"] is True, path.name
        assert decision["plan"] == json.loads(run_cli(capsys, "plan", path, "--json")[1])
        report = folder / decision["progress_report"]
        assert report.name == f"{path.stem}.progress-report.pdf"
        assert report.read_bytes() == write_progress_report(
            payerkit.PayerKit().plan(payerkit.load_case(path)))
        claimed = expectations(path)["claim"] == "yes"
        assert (f"{path.stem}.837" in decision["claim_files"]) == claimed
        assert path.name in with_plans


def test_the_demo_json_lists_the_plans(tmp_path, capsys, payerkit_data_dir):
    code, out, _ = run_cli(capsys, "demo", _examples(tmp_path, True), "-o", tmp_path / "out",
                       "--json")
    data = json.loads(out)
    assert code == 0 and [c["case"] for c in data["cases"]] == ["ny-covered.toml",
                                                                 "premera-covered.toml"]
    assert [p["case"] for p in data["plans"]] == [p.name for p in PLANS]
    assert all(p["as_expected"] for p in data["plans"])
    code, out, _ = run_cli(capsys, "demo", _examples(tmp_path, False), "-o", tmp_path / "out2",
                       "--json")
    assert "plans" not in json.loads(out)

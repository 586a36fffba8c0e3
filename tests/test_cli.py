"""The payerkit command: exit codes, JSON shapes, bad input without tracebacks, no partial files."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from case_samples import BASE_CASE, SampleAdapter

from payerkit import PayerKit
from payerkit.cli import main


@pytest.fixture(autouse=True)
def sample_kit(monkeypatch, payerkit_data_dir):
    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[SampleAdapter()]))


def write_case(tmp_path, data=None, name="case.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data or BASE_CASE, default=str))
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_shape(tmp_path, capsys):
    code, out, _ = run(capsys, "check", write_case(tmp_path), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"program", "status", "requirements", "reasons"}
    assert data["status"] == "covered"
    assert set(data["reasons"][0]) == {"code", "message", "severity", "citation"}


def test_price_json_shape(tmp_path, capsys):
    code, out, _ = run(capsys, "price", write_case(tmp_path), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"program", "lines", "total_charge", "total_allowed", "reasons"}
    assert set(data["lines"][0]) == {"date", "code", "modifiers", "minutes", "units", "charge",
                                     "allowed", "fee_source"}
    assert data["lines"][0]["charge"] == "90.00" and data["total_allowed"] == "85.00"


def test_price_allowed_is_null_without_a_schedule(tmp_path, capsys, monkeypatch):
    class NoFees(SampleAdapter):
        payerkit_fee_schedule = None

    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[NoFees()]))
    code, out, _ = run(capsys, "price", write_case(tmp_path), "--json")
    data = json.loads(out)
    assert data["lines"][0]["allowed"] is None and data["total_allowed"] is None
    assert any(r["code"] == "NO-FEE-SCHEDULE" for r in data["reasons"])


def test_price_visit_option(tmp_path, capsys):
    code, _, err = run(capsys, "price", write_case(tmp_path), "--visit", "2026-01-01")
    assert code == 2 and "visits: no visit on 2026-01-01" in err


def test_limits_json_shape(tmp_path, capsys):
    code, out, _ = run(capsys, "limits", write_case(tmp_path), "--json")
    [limit] = json.loads(out)["limits"]
    assert set(limit) == {"name", "unit", "allowed", "used", "remaining", "over", "window",
                          "citation"}
    assert (limit["allowed"], limit["used"], limit["remaining"], limit["over"]) == (10, 1, 9, 0)


def test_limits_never_show_a_negative_remaining(capsys, monkeypatch):
    """UMP's 25th massage visit of 24: remaining 0, over by 1 (never -1)."""
    monkeypatch.setattr("payerkit.commands.PayerKit", lambda: PayerKit(strict=True))
    example = Path(__file__).resolve().parent.parent / "examples" / "ump-over-limit.toml"
    code, out, _ = run(capsys, "limits", str(example), "--json")
    [ump] = [lim for lim in json.loads(out)["limits"] if lim["name"] == "UMP massage therapy visits"]
    assert code == 0 and (ump["allowed"], ump["used"], ump["remaining"], ump["over"]) == (
        24, 25, 0, 1)
    code, out, _ = run(capsys, "limits", str(example))
    [row] = [line for line in out.splitlines() if line.startswith("UMP massage therapy visits")]
    assert "0 (over by 1)" in row and "-1" not in row


def test_scrub_exit_status(tmp_path, capsys):
    code, out, _ = run(capsys, "scrub", write_case(tmp_path), "--json")
    assert code == 0 and json.loads(out)["findings"] == []
    bad = json.loads(json.dumps(BASE_CASE, default=str))
    bad["provider"]["npi"] = "1234567890"
    code, out, _ = run(capsys, "scrub", write_case(tmp_path, bad), "--json")
    [finding] = json.loads(out)["findings"]
    assert code == 1
    assert set(finding) == {"severity", "code", "message", "path", "citation"}
    assert finding["path"] == "provider.npi" and finding["severity"] == "error"


def test_claim_writes_a_file(tmp_path, capsys):
    target = tmp_path / "out" / "claim.837"
    target.parent.mkdir()  # without --parents the folder must exist (tests/test_files.py)
    code, out, _ = run(capsys, "claim", write_case(tmp_path), "--format", "x12-837p", "-o",
                       str(target))
    assert code == 0 and "wrote" in out
    assert target.read_bytes().startswith(b"ISA*")
    assert [p.name for p in target.parent.iterdir()] == ["claim.837"]


def test_claim_refused_writes_nothing(tmp_path, capsys):
    bad = json.loads(json.dumps(BASE_CASE, default=str))
    bad["episode"]["diagnoses"] = ["V43.52XA", "M62.830"]
    target = tmp_path / "claim.837"
    code, _, err = run(capsys, "claim", write_case(tmp_path, bad), "-o", str(target))
    assert code == 1 and "ICD-EXTERNAL-PRINCIPAL" in err
    assert not target.exists() and list(tmp_path.iterdir()) == [tmp_path / "case.json"]


def test_claim_unknown_format_is_input_error(tmp_path, capsys):
    code, _, err = run(capsys, "claim", write_case(tmp_path), "--format", "no-such-format")
    assert code == 2 and "format: unknown claim format 'no-such-format'" in err


@pytest.mark.parametrize("mutate,expected", [
    (lambda d: d["visits"][0]["services"][0].update(minutes="forty"),
     "visits[0].services[0].minutes: expected an integer, got 'forty'"),
    (lambda d: d["provider"].pop("tax_id"), "provider.tax_id: required field missing"),
    (lambda d: d.update(program="nowhere"), "program: unknown program 'nowhere'"),
    (lambda d: d["episode"].update(onset_date="2026-13-01"),
     "episode.onset_date: expected a date such as 2026-03-20"),
])
def test_bad_input_exits_2_with_the_field_path(tmp_path, capsys, mutate, expected):
    data = json.loads(json.dumps(BASE_CASE, default=str))
    mutate(data)
    for command in ("check", "price", "limits", "scrub", "claim"):
        code, out, err = run(capsys, command, write_case(tmp_path, data))
        assert code == 2, command
        assert expected in err and "Traceback" not in err and out == ""


def test_not_toml(tmp_path, capsys):
    path = tmp_path / "case.toml"
    path.write_text("this is [not toml")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and "case: not valid TOML" in err


def test_console_script_reports_bad_input_without_traceback(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text('program = "x"\nas_of = 2026-03-40\n')
    result = subprocess.run([sys.executable, "-m", "payerkit.cli", "check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "case: not valid TOML" in result.stderr and "Traceback" not in result.stderr


def test_text_output_names_citations(tmp_path, capsys):
    code, out, _ = run(capsys, "check", write_case(tmp_path))
    assert code == 0 and "COVERED" in out and "source: payerkit test adapter" in out


def test_demo_writes_decisions_and_claims(tmp_path, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    write_case(examples, name="one.json")
    late = json.loads(json.dumps(BASE_CASE, default=str))
    late["as_of"] = (dt.date(2026, 3, 12) + dt.timedelta(days=200)).isoformat()
    write_case(examples, late, name="late.json")
    code, out, _ = run(capsys, "demo", str(examples), "-o", str(tmp_path / "out"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["late.json", "one.837",
                                                                    "one.json"]
    assert "refused" in out
    decision = json.loads((tmp_path / "out" / "late.json").read_text())
    assert decision["claim_file"] is None
    assert decision["scrub"]["findings"][0]["code"] == "LATE-CLAIM-SUBMISSION"


def test_a_value_the_837p_cannot_carry_is_refused_with_its_case_path(tmp_path, capsys):
    data = json.loads(json.dumps(BASE_CASE, default=str))
    data["coverage"]["member_id"] = "A" * 81          # X12 NM109 holds at most 80
    target = tmp_path / "claim.837"
    code, _, err = run(capsys, "claim", write_case(tmp_path, data), "-o", str(target))
    assert code == 1 and "Traceback" not in err
    # the scrub finds it first (scrub ⊇ writer), naming the case field
    assert "[FORMAT-LIMIT] coverage.member_id: must be 2 to 80 characters" in err
    assert not target.exists()
    data["coverage"]["member_id"] = "ABC123"
    data["patient"]["address"]["city"] = "*"          # nothing left once delimiters are removed
    code, _, err = run(capsys, "claim", write_case(tmp_path, data), "-o", str(target))
    assert code == 1 and "patient.address.city" in err and not target.exists()


def test_a_damaged_counter_is_reported_without_traceback(tmp_path, capsys, payerkit_data_dir):
    payerkit_data_dir.mkdir(parents=True, exist_ok=True)
    (payerkit_data_dir / "x12-control-number").write_text("not a number")
    code, _, err = run(capsys, "claim", write_case(tmp_path), "-o", str(tmp_path / "c.837"))
    assert code == 3 and "damaged" in err and "Traceback" not in err
    assert not (tmp_path / "c.837").exists()


def test_demo_names_the_case_file_it_cannot_read(tmp_path, capsys, payerkit_data_dir):
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "zz-broken.toml").write_text("program = \n")
    assert main(["demo", str(examples), "-o", str(tmp_path / "out")]) == 2
    assert "zz-broken.toml: case: not valid TOML" in capsys.readouterr().err


@pytest.mark.parametrize("as_json", [True, False])
def test_scrub_for_a_format_the_program_does_not_take_prints_its_findings(tmp_path, capsys,
                                                                          as_json):
    code, out, err = run(capsys, "scrub", write_case(tmp_path), "--format", "cms-1500",
                         *(["--json"] if as_json else []))
    assert code == 1
    if as_json:
        data = json.loads(out)
        assert data["program"] == "test-plan"
        [finding] = data["findings"]
        assert finding["code"] == "FORMAT-NOT-ACCEPTED" and finding["severity"] == "error"
        assert set(finding) == {"severity", "code", "message", "path", "citation"}
    else:
        assert "[FORMAT-NOT-ACCEPTED]" in out and "test-plan does not take 'cms-1500'" in out
    assert err == ""


class PaperAdapter(SampleAdapter):
    from payerkit.model import Program

    program = Program(id="test-plan", name="Test Plan", line_of_business="commercial",
                      states=("WA",), payer_id="99999",
                      claim_formats=("x12-837p", "cms-1500", "cms-1500-red"))


@pytest.mark.parametrize("form", ["cms-1500", "cms-1500-red"])
def test_claim_and_scrub_refuse_a_paper_form_with_the_same_list(form, tmp_path, capsys,
                                                               monkeypatch):
    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[PaperAdapter()]))
    data = json.loads(json.dumps(BASE_CASE, default=str))
    data["patient"]["last_name"] = "W" * 40  # too long for boxes 2 and 4... of the form
    data["provider"]["address"]["line1"] = "1" * 40
    data["coverage"]["insurer"] = "I" * 60
    case = write_case(tmp_path, data)
    code, out, _ = run(capsys, "scrub", case, "--format", form, "--json")
    scrubbed = [f for f in json.loads(out)["findings"] if f["code"] == "FORMAT-LIMIT"]
    assert code == 1 and len(scrubbed) >= 3
    code, out, _ = run(capsys, "claim", case, "--format", form, "--json", "-o",
                       str(tmp_path / "claim.pdf"))
    assert code == 1 and json.loads(out)["findings"] == scrubbed
    assert not (tmp_path / "claim.pdf").exists()

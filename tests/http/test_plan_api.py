"""``POST /v1/plan`` and ``progress-report`` over ``/v1/claims`` (issue 18): the plan's state as
``payerkit plan --json`` gives it, its progress report as ``payerkit claim --format
progress-report`` writes it (the same bytes), hostile requests answered below 500."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from serve_samples import EXAMPLES, JSON_BODY, PLANS, body, plan_json

from payerkit import load_case, unstructure_case
from payerkit.cli import main
from payerkit.formats import PROGRESS_REPORT

PDF = {**JSON_BODY, "accept": "application/pdf"}


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_every_door_gives_the_same_report(path, client, tmp_path, capsys, payerkit_data_dir):
    sent = body(plan_json(path))
    assert main(["claim", str(path), "--format", PROGRESS_REPORT,
                 "-o", str(tmp_path / "claim.pdf")]) == 0
    capsys.readouterr()
    assert main(["plan", str(path), "--json", "-o", str(tmp_path / "plan.pdf")]) == 0
    state = json.loads(capsys.readouterr().out)
    expected = (tmp_path / "claim.pdf").read_bytes()
    assert (tmp_path / "plan.pdf").read_bytes() == expected
    answers = {
        "accept": client.post("/v1/plan", content=sent, headers=PDF),
        "format": client.post(f"/v1/plan?format={PROGRESS_REPORT}", content=sent,
                              headers=JSON_BODY),
        "claims": client.post(f"/v1/claims?format={PROGRESS_REPORT}", content=sent,
                              headers=JSON_BODY),
    }
    for door, answer in answers.items():
        assert answer.status_code == 200, (door, answer.text)
        assert answer.headers["content-type"] == "application/pdf", door
        assert answer.content == expected, door
        assert answer.headers["content-disposition"].endswith('.progress-report.pdf"')
    as_json = client.post("/v1/plan", content=sent, headers=JSON_BODY)
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    del state["file"]
    assert as_json.json() == state


def test_the_report_is_named_for_its_program_and_day(client):
    sent = body(plan_json(EXAMPLES / "plans" / "premera-neck-plan.toml"))
    answer = client.post("/v1/plan?as_of=2026-03-01", content=sent, headers=PDF)
    assert answer.headers["content-disposition"] == \
        'attachment; filename="premera-wa-2026-03-01.progress-report.pdf"'
    assert client.post("/v1/plan?as_of=2026-03-01", content=sent,
                       headers=JSON_BODY).json()["visits_attended"] == 4


@pytest.mark.parametrize(("accept", "pdf"), [
    (None, False), ("*/*", False), ("application/json", False), ("application/pdf", True),
    ("application/json, application/pdf", False), ("application/pdf, application/json", True),
    ("application/json;q=0.5, application/pdf", True), ("application/pdf;q=0", False),
    ("application/pdf;q=nope", False), ("application/pdf;q=nan", False),
    ("text/html, */*;q=0.8", False), (",,;;==", False), ("application/pdf;q=inf", True),
])
def test_accept_chooses_the_report_or_the_state(client, accept, pdf):
    sent = body(plan_json(EXAMPLES / "plans" / "premera-neck-plan.toml"))
    headers = JSON_BODY if accept is None else {**JSON_BODY, "accept": accept}
    answer = client.post("/v1/plan", content=sent, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == ("application/pdf" if pdf else "application/json")


def test_the_claims_errors_do_not_stop_the_report_and_it_is_not_recorded(make_client,
                                                                         monkeypatch, tmp_path):
    """A no-show fee refuses the claim (422), never the report; a server with a ledger records
    no report (it is not a claim)."""
    pytest.importorskip("sqlalchemy")
    monkeypatch.setenv("PAYERKIT_DB", f"sqlite:///{tmp_path / 'ledger.db'}")
    client = make_client(ledger=True)
    sent = body(plan_json(EXAMPLES / "plans" / "premera-plan-no-show-fee.toml"))
    refused = client.post("/v1/claims", content=sent, headers=JSON_BODY)
    assert refused.status_code == 422
    assert [f["code"] for f in refused.json()["findings"]] == ["MISSED-APPOINTMENT-BILLED"]
    report = client.post("/v1/plan", content=sent, headers=PDF)
    assert report.status_code == 200 and report.headers["payerkit-warnings"] != "0"
    neck = body(plan_json(EXAMPLES / "plans" / "premera-neck-plan.toml"))
    assert client.post(f"/v1/claims?format={PROGRESS_REPORT}", content=neck,
                       headers=JSON_BODY).status_code == 200
    assert client.get("/v1/ledger/claims").json()["claims"] == []


@pytest.mark.parametrize(("query", "status", "problem"), [
    ("format=x12-837p", 400, "x12-837p is a claim format: /v1/plan writes the plan's"),
    ("format=fax", 422, "format: unknown claim format 'fax'"),
    ("visit=2026-03-20", 400, "visit: unknown query parameter"),
    ("as_of=tomorrow", 400, "as_of: expected a date"),
    (f"format={PROGRESS_REPORT}&format={PROGRESS_REPORT}", 400, "format: given more than once"),
])
def test_bad_queries_are_refused(client, query, status, problem):
    sent = body(plan_json(EXAMPLES / "plans" / "premera-neck-plan.toml"))
    answer = client.post(f"/v1/plan?{query}", content=sent, headers=JSON_BODY)
    assert answer.status_code == status and problem in answer.json()["problems"][0]


@pytest.mark.parametrize("headers", [JSON_BODY, PDF])
def test_a_case_without_a_plan_is_422_naming_episode_plan(client, headers):
    sent = body(unstructure_case(load_case(EXAMPLES / "ny-covered.toml")))
    answer = client.post("/v1/plan", content=sent, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["problems"][0].startswith("episode.plan: the case has no treatment plan")
    answer = client.post(f"/v1/claims?format={PROGRESS_REPORT}", content=sent, headers=JSON_BODY)
    assert answer.status_code == 422 and "episode.plan" in answer.json()["problems"][0]


@pytest.mark.parametrize("raw", [b"{nope", b"", b"[]", b'{"program": "premera-wa"}',
                                 b"\xff\xfe{}", b'{"episode": {"plan": 1}}'])
def test_hostile_bodies_are_below_500(client, raw):
    for headers in (JSON_BODY, PDF):
        answer = client.post("/v1/plan", content=raw, headers=headers)
        assert 400 <= answer.status_code < 500 and answer.json()["problems"]


def test_a_report_that_cannot_print_a_value_is_422_with_its_findings(client):
    data = plan_json(EXAMPLES / "plans" / "premera-neck-plan.toml")
    data["episode"]["plan"]["goals"][0]["description"] = ("W" * 45 + " ") * 4  # 184 wide ones
    answer = client.post("/v1/plan", content=body(data), headers=PDF)
    assert answer.status_code == 422 and answer.json()["error"] == "report refused"
    [finding] = answer.json()["findings"]
    assert finding["path"] == "episode.plan.goals[0].description" and "WWW" not in \
        finding["message"]
    # the state is still answered: the report's limits are the PDF's
    assert client.post("/v1/plan", content=body(data), headers=JSON_BODY).status_code == 200


def test_a_report_over_http_looks_right(client, tmp_path):
    """Rendered to PNG with pdftoppm (poppler) and read back: the page is drawn, with the
    chart; pdfplumber finds the plan's words (the golden images of the report are
    tests/formats/test_progress_report.py's)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    sent = body(plan_json(EXAMPLES / "plans" / "premera-plan-no-show-fee.toml"))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.post("/v1/plan", content=sent, headers=PDF).content)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 5000 for p in pages)
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
        assert document.pages[0].curves or document.pages[0].lines  # the chart is drawn
    assert "Neck Disability Index" in text and "no-show; not billed to the insurer" in text


def test_the_doc_s_plan_example_is_the_example_plan():
    """examples/http/premera-neck-plan.json (docs/http.md's curl) is examples/plans'
    premera-neck-plan.toml as a billing app sends it."""
    sent = json.loads((EXAMPLES / "http" / "premera-neck-plan.json").read_text())
    assert sent == plan_json(EXAMPLES / "plans" / "premera-neck-plan.toml")

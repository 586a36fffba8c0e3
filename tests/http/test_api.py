"""``payerkit serve``'s endpoints: the CLI's answers, in the CLI's JSON shapes, over HTTP."""

from __future__ import annotations

import json
import sys
import types
from importlib.machinery import ModuleSpec

import pytest
from serve_samples import EXAMPLES, JSON_BODY, body, case_json

from payerkit.cli import main


def cli_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    main([*args, "--json"])
    return json.loads(capsys.readouterr().out)


def test_programs_are_the_cli_listing(client, capsys, payerkit_data_dir):
    answer = client.get("/v1/programs")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == cli_json(capsys, "programs")


def test_a_program_gives_its_facts_fields_and_formats(client):
    answer = client.get("/v1/programs/ny-no-fault")
    assert answer.status_code == 200
    data = answer.json()
    assert data["id"] == "ny-no-fault"
    assert data["facts"]["table"] == "facts.ny-no-fault"
    fields = {f["name"]: f for f in data["facts"]["fields"]}
    assert fields["vehicle"]["schema"]["anyOf"][0] == {"enum": ["insured", "other"]}
    assert fields["motorcycle"] == {"name": "motorcycle", "required": False, "default": False,
                                    "schema": {"type": "boolean"}, "description": None}
    formats = {f["id"]: f for f in data["formats"]}
    assert list(formats) == data["claim_formats"]
    assert formats["nf-3"]["media_type"] == "application/pdf"
    assert formats["superbill"]["for_patient"] is True


def test_facts_fields_carry_their_comments(client):
    fields = {f["name"]: f for f in client.get("/v1/programs/ct-workers-comp").json()
              ["facts"]["fields"]}
    assert "Form 30C" in fields["notice_of_claim_date"]["description"]
    assert fields["notice_of_claim_date"]["schema"]["anyOf"][0]["format"] == "date"


def test_an_unknown_program_is_404(client):
    answer = client.get("/v1/programs/no-such-plan")
    assert answer.status_code == 404
    assert answer.json()["problems"][0].startswith("program: unknown program 'no-such-plan'")


@pytest.mark.parametrize("name", ["ny-covered", "premera-seventh-visit", "ct-wc-contested"])
@pytest.mark.parametrize("question", ["check", "price", "limits", "terms", "scrub"])
def test_each_question_answers_as_the_cli(client, capsys, name, question):
    """The same case, read from the TOML file by the CLI and sent as JSON over HTTP (its fee
    file inside --files-dir), gets the same answer, byte for byte once parsed."""
    answer = client.post(f"/v1/{question}", content=body(case_json(name)), headers=JSON_BODY)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json(capsys, question, str(EXAMPLES / f"{name}.toml"))


def test_visit_and_as_of_are_the_cli_options(client, capsys):
    case = str(EXAMPLES / "ny-covered.toml")
    answer = client.post("/v1/price?visit=2026-03-06&as_of=2026-03-10",
                         content=body(case_json("ny-covered")), headers=JSON_BODY)
    assert answer.json() == cli_json(capsys, "price", case, "--visit", "2026-03-06",
                                     "--as-of", "2026-03-10")
    assert answer.json()["lines"][0]["date"] == "2026-03-06"


def test_scrub_in_another_format_and_one_not_taken(client, capsys):
    case = str(EXAMPLES / "premera-covered.toml")
    for fmt in ("cms-1500", "nf-3"):
        answer = client.post(f"/v1/scrub?format={fmt}", content=body(case_json("premera-covered")),
                             headers=JSON_BODY)
        assert answer.status_code == 200
        assert answer.json() == cli_json(capsys, "scrub", case, "--format", fmt)
    assert answer.json()["findings"][0]["code"] == "FORMAT-NOT-ACCEPTED"


def test_evaluate_holds_every_answer_of_one_pass(client, capsys, tmp_path):
    case = str(EXAMPLES / "ny-covered.toml")
    data = client.post("/v1/evaluate", content=body(case_json("ny-covered")),
                       headers=JSON_BODY).json()
    assert data["status"] == "clean" and data["format"] == "x12-837p"
    assert data["eligibility"] == cli_json(capsys, "check", case)
    assert data["pricing"] == cli_json(capsys, "price", case)
    assert data["limits"] == cli_json(capsys, "limits", case)
    assert data["payment_terms"] == cli_json(capsys, "terms", case)
    # the scrub of the claim written today, as `payerkit claim` runs it
    claim = cli_json(capsys, "claim", case, "-o", str(tmp_path / "claim.837"))
    assert data["scrub"]["findings"] == claim["warnings"]
    every = client.post("/v1/evaluate?visit=all", content=body(case_json("ny-covered")),
                        headers=JSON_BODY).json()
    assert [p["lines"][0]["date"] for p in every["pricings"]] == ["2026-03-06", "2026-03-12"]
    refused = client.post("/v1/evaluate", content=body(case_json("ct-wc-contested")),
                          headers=JSON_BODY).json()
    assert refused["status"] == "refused"


# -- claims ---------------------------------------------------------------------------------


def test_a_claim_is_the_file_with_its_media_type_and_name(client, capsys):
    answer = client.post("/v1/claims", content=body(case_json("ny-covered")), headers=JSON_BODY)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/edi-x12"
    assert answer.headers["content-disposition"] == \
        'attachment; filename="ny-no-fault-2026-03-12.837"'
    assert answer.content.startswith(b"ISA*00*")
    # the CLI's claim of the same case: equal but for the moment (ISA09/10, GS04/05, BHT04/05)
    capsys.readouterr()
    main(["claim", str(EXAMPLES / "ny-covered.toml")])
    cli = capsys.readouterr().out.encode()
    assert _without_moment(answer.content) == _without_moment(cli)


def _without_moment(x12: bytes) -> list[list[bytes]]:
    segments = [s.strip().split(b"*") for s in x12.split(b"~") if s.strip()]
    for seg in segments:
        if seg[0] == b"ISA":
            seg[9:11] = [b"", b""]
            seg[13] = b""
        elif seg[0] == b"GS":
            seg[4:7] = [b"", b"", b""]
        elif seg[0] in (b"ST", b"SE", b"GE", b"IEA"):
            seg[2:] = [b""] * len(seg[2:])
        elif seg[0] == b"BHT":
            seg[3:6] = [b"", b"", b""]
    return segments


@pytest.mark.parametrize(("fmt", "media", "start"), [
    ("nf-3", "application/pdf", b"%PDF-"), ("cms-1500", "application/pdf", b"%PDF-"),
    ("superbill-html", "text/html", b"<!DOCTYPE html>")])
def test_paper_claims_come_with_their_media_type(client, fmt, media, start):
    answer = client.post(f"/v1/claims?format={fmt}", content=body(case_json("ny-covered")),
                         headers=JSON_BODY)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media)
    assert answer.content.startswith(start)
    assert answer.headers["content-disposition"].endswith(f'.{fmt}{"" if fmt.endswith("html") else ".pdf"}"'
                                                          .replace(".superbill-html", ".superbill.html"))


def test_a_refused_claim_is_422_with_the_findings_of_the_cli(client, capsys):
    answer = client.post("/v1/claims", content=body(case_json("ct-wc-contested")),
                         headers=JSON_BODY)
    assert answer.status_code == 422
    data = answer.json()
    assert data["error"] == "claim refused" and data["program"] == "ct-workers-comp"
    capsys.readouterr()
    assert main(["claim", str(EXAMPLES / "ct-wc-contested.toml"), "--json"]) == 1
    assert data["findings"] == json.loads(capsys.readouterr().out)["findings"]
    assert "CT-WC-CONTESTED" in {f["code"] for f in data["findings"]}


def test_an_unknown_format_is_bad_input(client):
    answer = client.post("/v1/claims?format=fax", content=body(case_json("ny-covered")),
                         headers=JSON_BODY)
    assert answer.status_code == 422
    assert answer.json()["problems"][0].startswith("format: unknown claim format 'fax'")


# -- batch ----------------------------------------------------------------------------------


def test_batch_streams_a_result_line_per_case(client):
    lines = (EXAMPLES / "http" / "cases.jsonl").read_bytes()
    answer = client.post("/v1/batch", content=lines,
                         headers={"content-type": "application/x-ndjson"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/x-ndjson"
    results = [json.loads(line) for line in answer.text.splitlines()]
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "clean"), (2, "clean"), (3, "refused"), (4, "invalid")]
    assert all(r["path"] == "-" and r["claim"] is None for r in results)
    one = client.post("/v1/evaluate", content=lines.splitlines()[0], headers=JSON_BODY).json()
    for key in ("eligibility", "pricing", "limits", "payment_terms", "scrub"):
        assert results[0][key] == one[key]
    assert "coverage: required field missing" in results[3]["problems"]


def test_batch_with_every_visit_and_a_format(client):
    lines = (EXAMPLES / "http" / "cases.jsonl").read_bytes()
    answer = client.post("/v1/batch?visit=all&format=nf-3", content=lines,
                         headers={"content-type": "application/x-ndjson"})
    results = [json.loads(line) for line in answer.text.splitlines()]
    assert len(results[0]["pricings"]) == 2
    assert results[1]["status"] == "refused"  # Premera takes no NF-3
    assert results[1]["scrub"]["findings"][0]["code"] == "FORMAT-NOT-ACCEPTED"


def test_an_empty_batch_is_bad_input(client):
    answer = client.post("/v1/batch", content=b"\n\n",
                         headers={"content-type": "application/x-ndjson"})
    assert answer.status_code == 422


# -- the page's place -----------------------------------------------------------------------


def test_without_a_page_the_root_says_where_the_api_is(make_client, monkeypatch):
    monkeypatch.setattr("payerkit.http.app._page_routes", lambda service: None)
    answer = make_client().get("/")
    assert answer.status_code == 200
    assert answer.json()["openapi"] == "/v1/openapi.json"


def test_a_page_module_gets_the_service_and_is_mounted(make_client, monkeypatch):
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    seen = []
    page = types.ModuleType("payerkit.http.page")
    page.__spec__ = ModuleSpec("payerkit.http.page", None)

    def routes(service):
        seen.append(service)
        return [Route("/", lambda request: PlainTextResponse(
            f"{len(service.programs()['programs'])} programs"))]

    page.routes = routes
    monkeypatch.setitem(sys.modules, "payerkit.http.page", page)
    client = make_client()
    assert client.get("/").text.endswith(" programs")
    assert seen and hasattr(seen[0], "read_case") and hasattr(seen[0], "claim")

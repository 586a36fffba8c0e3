"""``payerkit serve``'s errors and safety: statuses, the problem lines, the limits, the token,
the folder of files, and no traceback or patient data in an answer or a log line."""

from __future__ import annotations

import json
import logging
import os
import sys

import pytest
from serve_samples import EXAMPLES, JSON_BODY, TOKEN, body, case_json

from payerkit import PayerKit, hookimpl
from payerkit.cli import main
from payerkit.http.config import MAX_CASE_BYTES, ServeConfig

#: Values of the New York example that must never reach a log line.
PATIENT = ("Maria", "Garcia", "1975-07-22", "NF20251220A", "CLM7788990011", "9 River Rd")


def logged(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


# -- bad input --------------------------------------------------------------------------------


def test_a_bad_case_is_422_with_the_exit_2_problem_lines(client, capsys, tmp_path):
    case = case_json("ny-covered")
    case["visits"][1]["services"][0]["minutes"] = "forty"
    case["patient"]["birth_date"] = "1975-13-40"
    answer = client.post("/v1/check", content=body(case), headers=JSON_BODY)
    assert answer.status_code == 422
    data = answer.json()
    assert data["error"] == "invalid input"
    (tmp_path / "case.json").write_text(json.dumps({**case, "fees": {
        **case["fees"], "file": str(EXAMPLES / "ny-fees.csv")}}))
    capsys.readouterr()
    assert main(["check", str(tmp_path / "case.json")]) == 2
    cli = [line.strip() for line in capsys.readouterr().err.splitlines()[1:]]
    assert data["problems"] == cli
    assert "visits[1].services[0].minutes: expected an integer, got 'forty'" in cli
    assert any(p.startswith("patient.birth_date: expected a date") for p in cli)
    assert "1975-13-40" not in answer.text  # a personal field's value is never echoed


@pytest.mark.parametrize("raw", [b"{nope", b"", b'{"program": "ny-no-fault",}', b"\xff\xfe{}"])
def test_malformed_json_is_400(client, raw):
    answer = client.post("/v1/check", content=raw, headers=JSON_BODY)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "malformed request"


def test_json_that_is_no_case_is_422(client):
    for raw in (b"[1, 2]", b"42", b'{"program": "ny-no-fault"}'):
        assert client.post("/v1/check", content=raw, headers=JSON_BODY).status_code == 422


def test_a_key_given_twice_is_refused_as_in_a_case_file(client):
    raw = body(case_json("ny-covered"))[:-1] + b', "program": "premera-wa"}'
    answer = client.post("/v1/check", content=raw, headers=JSON_BODY)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        "program: given more than once (a key may appear once in a table, as in TOML)"]


def test_a_body_that_is_not_json_by_its_type_is_415(client):
    for kind in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": kind} if kind else {}
        answer = client.post("/v1/check", content=body(case_json("ny-covered")), headers=headers)
        assert answer.status_code == 415, kind
    assert client.post("/v1/check", content=body(case_json("ny-covered")), headers={
        "content-type": "application/json; charset=utf-8"}).status_code == 200


@pytest.mark.parametrize(("query", "problem"), [
    ("?verbose=1", "verbose: unknown query parameter"),
    ("?visit=yesterday", "visit: expected a date such as 2026-03-20, got 'yesterday'"),
    ("?as_of=2026-02-30", "as_of: expected a date such as 2026-03-20"),
    ("?visit=2026-03-06&visit=2026-03-12", "visit: this question is about one visit"),
    ("?visit=all", "visit: this question is about one visit"),
    ("?as_of=2026-03-20&as_of=2026-03-21", "as_of: given more than once"),
    ("?format=nf-3", "format: unknown query parameter"),
])
def test_bad_query_parameters_are_400(client, query, problem):
    answer = client.post(f"/v1/check{query}", content=body(case_json("ny-covered")),
                         headers=JSON_BODY)
    assert answer.status_code == 400
    assert answer.json()["problems"][0].startswith(problem)


def test_a_visit_not_in_the_case_is_422(client):
    answer = client.post("/v1/check?visit=2026-03-07", content=body(case_json("ny-covered")),
                         headers=JSON_BODY)
    assert answer.status_code == 422
    assert answer.json()["problems"] == ["visits: no visit on 2026-03-07"]


def test_unknown_paths_and_methods_answer_json(client):
    assert client.get("/v1/nothing").status_code == 404
    answer = client.get("/v1/check")
    assert answer.status_code == 405 and answer.json()["error"] == "method not allowed"


# -- limits -----------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_by_its_length(client):
    answer = client.post("/v1/check", content=b" " * (MAX_CASE_BYTES + 1), headers=JSON_BODY)
    assert answer.status_code == 413
    assert answer.json()["problems"] == [
        f"body: {MAX_CASE_BYTES + 1} bytes, more than {MAX_CASE_BYTES}, the limit here"]


def test_a_streamed_body_over_the_limit_is_413_as_it_grows(client):
    sent = []

    async def chunks():  # no Content-Length: chunked
        for _ in range(40):
            sent.append(1)
            yield b" " * 65536

    answer = client.post("/v1/check", content=chunks(), headers=JSON_BODY)
    assert answer.status_code == 413
    assert answer.json()["problems"] == [f"body: more than {MAX_CASE_BYTES} bytes, the limit here"]
    assert len(sent) == MAX_CASE_BYTES // 65536 + 1  # read no further than the limit


def test_the_batch_limit_is_its_own(make_client):
    client = make_client(max_batch_bytes=1000)
    lines = (EXAMPLES / "http" / "cases.jsonl").read_bytes()
    answer = client.post("/v1/batch", content=lines, headers={"content-type": "application/x-ndjson"})
    assert answer.status_code == 413


# -- the folder of files ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "../examples/ny-fees.csv/..",
                                  "ny-fees.csv/../../pyproject.toml"])
def test_a_file_outside_files_dir_is_refused_naming_the_field_and_path(client, path):
    case = case_json("ny-covered")
    case["fees"]["file"] = path
    answer = client.post("/v1/price", content=body(case), headers=JSON_BODY)
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["problems"]
    assert problem.startswith("fees.file: ")
    assert "is outside the server's --files-dir folder" in problem
    assert repr(path) in problem


def test_a_link_out_of_files_dir_is_refused(make_client, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (tmp_path / "secret.csv").write_text("code,modifier,amount,effective_from,effective_to\n")
    os.symlink(tmp_path / "secret.csv", folder / "fees.csv")
    client = make_client(files_dir=folder)
    case = case_json("ny-covered")
    case["fees"]["file"] = "fees.csv"
    answer = client.post("/v1/price", content=body(case), headers=JSON_BODY)
    assert answer.status_code == 422
    assert answer.json()["problems"][0].startswith("fees.file: 'fees.csv' is outside")


def test_a_file_inside_files_dir_is_read(make_client, tmp_path):
    folder = tmp_path / "files"
    (folder / "practice").mkdir(parents=True)
    (folder / "practice" / "fees.csv").write_bytes((EXAMPLES / "ny-fees.csv").read_bytes())
    client = make_client(files_dir=folder)
    case = case_json("ny-covered")
    case["fees"]["file"] = "practice/fees.csv"
    answer = client.post("/v1/price", content=body(case), headers=JSON_BODY)
    assert answer.status_code == 200
    assert answer.json()["total_allowed"] == "67.91"


def test_without_files_dir_any_file_is_refused(make_client):
    client = make_client(files_dir=None)
    case = case_json("ny-covered")
    answer = client.post("/v1/price", content=body(case), headers=JSON_BODY)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        "fees.file: 'ny-fees.csv': a case sent to payerkit serve may name no file (the server "
        "was started without --files-dir); give the rates in fees.rates"]
    del case["fees"]["file"]
    case["fees"]["rates"] = {"97124": "18.79", "97140": "30.33"}
    assert client.post("/v1/price", content=body(case), headers=JSON_BODY).json()[
        "total_allowed"] == "67.91"


def test_a_batch_line_is_confined_too(make_client):
    client = make_client(files_dir=None)
    answer = client.post("/v1/batch", content=body(case_json("ny-covered")) + b"\n",
                         headers={"content-type": "application/x-ndjson"})
    (line,) = [json.loads(x) for x in answer.text.splitlines()]
    assert line["status"] == "invalid"
    assert line["problems"][0].startswith("fees.file: 'ny-fees.csv': a case sent to payerkit serve")


# -- the token and the host -------------------------------------------------------------------


def test_with_a_token_every_request_needs_it(make_client):
    client = make_client(token=TOKEN)
    for method, url in (("GET", "/v1/programs"), ("GET", "/v1/openapi.json"), ("GET", "/"),
                        ("POST", "/v1/check"), ("GET", "/nowhere")):
        answer = client.request(method, url)
        assert answer.status_code == 401, url
        assert answer.headers["www-authenticate"] == "Bearer"
    for given in ("Bearer wrong-token-0123456789", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"):
        assert client.get("/v1/programs", headers={"Authorization": given}).status_code == 401
    good = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/v1/programs", headers=good).status_code == 200
    answer = client.post("/v1/check", content=body(case_json("ny-covered")),
                         headers={**good, **JSON_BODY})
    assert answer.json()["status"] == "covered"
    assert json.loads(client.get("/v1/openapi.json", headers=good).content)["security"] == \
        [{"bearer": []}]


def test_with_a_token_any_host_name_is_answered(make_client):
    client = make_client(token=TOKEN, base_url="http://billing.example.net")
    assert client.get("/v1/programs", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_without_a_token_only_loopback_names_are_answered(make_client):
    for url in ("http://127.0.0.1:8000", "http://localhost", "http://[::1]:8000"):
        assert make_client(base_url=url).get("/v1/programs").status_code == 200, url
    for url in ("http://attacker.example", "http://127.0.0.1.attacker.example:8000"):
        answer = make_client(base_url=url).get("/v1/programs")
        assert answer.status_code == 400, url
        assert answer.json()["problems"][0].startswith("Host: a server without a token")


@pytest.mark.parametrize(("settings", "problem"), [
    ({"host": "0.0.0.0"}, "refusing to listen on '0.0.0.0' without a token"),
    ({"host": "192.168.1.20"}, "refusing to listen on '192.168.1.20' without a token"),
    ({"host": "::"}, "refusing to listen on '::' without a token"),
    ({"token": "short"}, "PAYERKIT_API_TOKEN is 5 characters long"),
    ({"files_dir": "no/such/folder"}, "--files-dir 'no/such/folder' is not a folder"),
])
def test_settings_a_server_refuses(settings, problem):
    from payerkit.errors import ServeError

    with pytest.raises(ServeError) as raised:
        ServeConfig(**settings).check()
    assert str(raised.value).startswith(problem)
    assert raised.value.exit_code == 2


def test_loopback_needs_no_token_and_any_address_may_have_one():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        ServeConfig(host=host).check()
    ServeConfig(host="0.0.0.0", token=TOKEN).check()


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "starlette", None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'payerkit[server]'" in err and "Traceback" not in err


# -- failures: named, never a traceback or patient data ------------------------------------------


class FailingOutcomes:
    """A local plugin whose coverage rules fail with patient data in the exception's text."""

    @hookimpl
    def payerkit_outcomes(self, program, case, visit, as_of, facts):
        raise ValueError(f"cannot place {case.patient.first_name} {case.patient.last_name}")


def test_a_plugin_that_fails_is_500_naming_it_without_its_text(make_client, caplog,
                                                                 payerkit_data_dir):
    kit = PayerKit()
    kit.register(FailingOutcomes(), "failing-local")
    client = make_client(kit=kit)
    caplog.set_level(logging.INFO)
    answer = client.post("/v1/check?as_of=2026-03-20", content=body(case_json("ny-covered")),
                         headers=JSON_BODY)
    assert answer.status_code == 500
    data = answer.json()
    assert "failing-local" in data["problems"][0] and "ValueError" in data["problems"][0]
    for text in (answer.text, logged(caplog)):
        assert "Traceback" not in text
        assert not any(value in text for value in PATIENT)


def test_an_unexpected_error_is_500_with_its_type_only(client, caplog, monkeypatch):
    from payerkit.http.service import Service

    def broken(self, *args):
        raise RuntimeError("Maria Garcia 1975-07-22")

    monkeypatch.setattr(Service, "answer", broken)
    caplog.set_level(logging.INFO)
    answer = client.post("/v1/check", content=body(case_json("ny-covered")), headers=JSON_BODY)
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal error", "problems": [
        "internal error (RuntimeError); the server's log says where"]}
    log = logged(caplog)
    assert "internal error (RuntimeError) at " in log and "in broken" in log
    assert "Traceback" not in log and not any(value in log for value in PATIENT)


def test_the_access_log_has_no_body_and_no_query_value(client, caplog):
    caplog.set_level(logging.INFO, logger="payerkit.http.access")
    client.post("/v1/claims?visit=2026-03-06&as_of=2026-03-19&format=nf-3",
                content=body(case_json("ny-covered")), headers=JSON_BODY)
    client.get("/v1/programs/ny-no-fault")
    client.get("/v1/Maria-Garcia")
    lines = [r.getMessage() for r in caplog.records if r.name == "payerkit.http.access"]
    assert len(lines) == 3
    assert '"POST /v1/claims" 200 ' in lines[0]
    assert '"GET /v1/programs/{id}" 200 ' in lines[1]
    assert '"GET -" 404 ' in lines[2]
    text = "\n".join(lines)
    for value in (*PATIENT, "2026-03-06", "2026-03-19", "nf-3", "ny-no-fault", "Maria"):
        assert value not in text


class InterruptingOutcomes:
    @hookimpl
    def payerkit_outcomes(self, program, case, visit, as_of, facts):
        raise KeyboardInterrupt


def test_a_plugin_raising_keyboard_interrupt_ends_its_request_not_the_server(make_client):
    kit = PayerKit()
    kit.register(InterruptingOutcomes(), "interrupting-local")
    client = make_client(kit=kit)
    answer = client.post("/v1/check", content=body(case_json("ny-covered")), headers=JSON_BODY)
    assert answer.status_code == 500
    assert answer.json()["problems"][0].startswith("the answer was interrupted (KeyboardInterrupt")
    assert client.get("/v1/programs").status_code == 200

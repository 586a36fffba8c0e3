"""The ledger's door, ``/v1/ledger`` (``payerkit serve --ledger``): each route on a ledger
with claims recorded through ``/v1/claims`` and through ``Ledger.record``, answers equal to
``payerkit ledger ... --json`` on the same ledger, posting once, the errors, the OpenAPI
document, and no traceback or patient value in an answer or a log line."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from serve_samples import (
    DOC_835,
    EXAMPLES,
    JSON_BODY,
    body,
    case_json,
    claim_payment,
    doc_remittances,
    remittance,
    service_line,
)

pytest.importorskip("sqlalchemy", reason="the ledger extra is not installed")

import payerkit  # noqa: E402
from payerkit.cli import main  # noqa: E402
from payerkit.testing.remit import Separators, write_835  # noqa: E402

#: The day the tests' claims are written (/v1/claims's "today" too).
WRITTEN = dt.date(2026, 4, 1)
X12 = {"content-type": "application/edi-x12"}
#: Values of the examples' patients that must never reach an answer's error or a log line.
PATIENT = ("Maria", "MARIA", "Garcia", "GARCIA", "1975-07-22", "NF20251220A", "9 River Rd")
#: Recorded through /v1/claims, and through Ledger.record.
BY_HTTP = ("ny-covered", "regence-covered")
BY_RECORD = ("premera-covered", "ct-wc-covered", "ump-covered")
#: The Regence example's patient (the New York example's, PEQ3H55NBM, has claims of two
#: programs).
REGENCE_PATIENT = "PVJZ2V2DW2"
#: Their claim ids (claims.claim_id: the same visits, the same id).
NY, REGENCE, PREMERA, CT, UMP = ("PK2603124BXARX", "PK260316SNYD2E", "PK260224OSEQQT",
                                 "PK260216Y6EYMN", "PK2609157ZDCQG")


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """The ledger of the server and of the CLI: a SQLite file of its own."""
    url = f"sqlite:///{tmp_path / 'ledger' / 'ledger.sqlite3'}"
    monkeypatch.setenv("PAYERKIT_DB", url)
    return url


@pytest.fixture
def ledger_client(make_client, db):
    """A client of ``payerkit serve --ledger`` whose today is :data:`WRITTEN`."""
    client = make_client(ledger=True)
    client.app.state.service.today = lambda: WRITTEN
    return client


def record(client, db: str) -> None:
    """Claims written through /v1/claims (recorded by the server) and recorded directly."""
    from payerkit.ledger import Ledger, claim_entry

    for name in BY_HTTP:
        answer = client.post("/v1/claims", content=body(case_json(name)), headers=JSON_BODY)
        assert answer.status_code == 200, answer.text
    kit = client.app.state.service.kit
    entries = []
    for name in BY_RECORD:
        ev = kit.evaluate(payerkit.load_case(EXAMPLES / f"{name}.toml"), format="x12-837p",
                          written_on=WRITTEN)
        assert ev.clean, name
        entries.append(claim_entry(ev, "x12-837p", WRITTEN))
    with Ledger.open(db) as ledger:
        assert ledger.record(entries).new == len(BY_RECORD)


def payments() -> bytes:
    """An 835 of four payers' transactions: New York pays its claim (the 97140 below the fee
    schedule), Regence underpays its 97124, Premera applies the claim to the deductible, the
    Connecticut carrier denies, and a payment for a claim the ledger does not hold."""
    ny, regence = dt.date(2026, 3, 12), dt.date(2026, 3, 16)
    premera, ct = dt.date(2026, 2, 24), dt.date(2026, 2, 16)
    return write_835([
        remittance("CHK100200", "EXAMPLE AUTO INSURANCE CO", "98765", [
            claim_payment(NY, "1", [
                service_line("1", "97124", ny, 2, "37.58", "37.58"),
                service_line("2", "97140", ny, 1, "30.33", "25.00", ("CO", "45", "5.33"))],
                "NF20251220A", filing="AM"),
            claim_payment("PKNOSUCHCLAIM1", "1", (), "PAYER0001", charge="10.00",
                          paid="10.00")]),
        remittance("EFT7700", "REGENCE BLUESHIELD", "00932", [claim_payment(REGENCE, "1", [
            service_line("1", "97124", regence, 3, "90.00", "60.00", ("CO", "45", "30.00")),
            service_line("2", "97140", regence, 1, "35.00", "27.00", ("CO", "45", "8.00"))],
            "REG0000001")], st02="0002"),
        remittance("EFT8800", "PREMERA BLUE CROSS", "00430", [claim_payment(PREMERA, "1", [
            service_line("1", "97124", premera, 3, "90.00", "0.00", ("CO", "45", "18.00"),
                         ("PR", "1", "72.00")),
            service_line("2", "97140", premera, 1, "35.00", "0.00", ("CO", "45", "7.00"),
                         ("PR", "1", "28.00"))], "PRE0000001")], st02="0003"),
        remittance("CHK9900", "EXAMPLE WORKERS COMP CARRIER", "EXMWC", [claim_payment(CT, "4", [
            service_line("1", "97124", ct, 3, "90.00", "0.00", ("CO", "50", "90.00")),
            service_line("2", "97140", ct, 1, "35.00", "0.00", ("CO", "50", "35.00"))],
            "WC00000001", filing="WC")], st02="0004"),
    ], separators=Separators(newline="\n"))


def server_log(caplog) -> str:
    """What the server logged (not the test client's own lines, which show the URL)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("payerkit"))


def cli_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def post(client, data: bytes, headers: dict | None = None):
    return client.post("/v1/ledger/remittances", content=data, headers=X12 if headers is None else headers)


# -- the routes ------------------------------------------------------------------------------


def test_the_test_835s_pass_pyx12():
    from payerkit.testing.x12 import validate_with_pyx12

    assert validate_with_pyx12(payments().decode("ascii")) == []
    assert validate_with_pyx12(DOC_835.read_text(encoding="ascii")) == []


def test_the_doc_s_835_is_the_one_its_sample_writes():
    assert DOC_835.read_bytes() == write_835(doc_remittances(),
                                             separators=Separators(newline="\n"))


def test_the_doc_s_835_posted_again_answers_as_the_doc_says(ledger_client):
    import re

    from serve_samples import ROOT

    documented = re.search(r"```bash\n# server: ledger\ncurl [^\n]*payment.835[^\n]*\n```"
                           r"\n\nanswers\n\n```json\n(.*?)\n```",
                           (ROOT / "docs" / "http.md").read_text(encoding="utf-8"), re.S)
    for name in ("ny-covered", "regence-covered"):
        answer = ledger_client.post("/v1/claims", content=(EXAMPLES / "http" / f"{name}.json")
                                    .read_bytes(), headers=JSON_BODY)
        assert answer.status_code == 200
    first = post(ledger_client, DOC_835.read_bytes())
    assert first.json()["posted"] == ["CHK100200", "EFT7700"] and first.json()["matched"] == 2
    assert post(ledger_client, DOC_835.read_bytes()).json() == json.loads(documented.group(1))
    short = ledger_client.get("/v1/ledger/underpayments").json()
    assert [(x["claim_id"], x["code"], x["short"]) for x in short["lines"]] == [
        (NY, "97140", "5.33"), (REGENCE, "97124", "12.00")]
    claims = {c["claim_id"]: c for c in ledger_client.get("/v1/ledger/claims").json()["claims"]}
    assert claims[REGENCE]["patient"] == REGENCE_PATIENT
    assert claims[REGENCE]["patient_responsibility"] == "17.40"
    assert set(json.loads((EXAMPLES / "http" / "regence-covered.json").read_text())) \
        == set(case_json("regence-covered"))


def test_claims_recorded_both_ways_are_listed(ledger_client, db):
    record(ledger_client, db)
    answer = ledger_client.get("/v1/ledger/claims")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    claims = {c["claim_id"]: c for c in answer.json()["claims"]}
    assert set(claims) == {NY, REGENCE, PREMERA, CT, UMP}
    assert {c["status"] for c in claims.values()} == {"open"}
    assert claims[NY]["written_on"] == WRITTEN.isoformat() and claims[NY]["interchange"]
    assert claims[NY]["patient"] == claims[PREMERA]["patient"] == "PEQ3H55NBM"


def test_posting_matches_the_claims_and_the_reports_follow(ledger_client, db):
    record(ledger_client, db)
    answer = post(ledger_client, payments())
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done == {
        "transactions": 4, "posted": ["CHK100200", "EFT7700", "EFT8800", "CHK9900"],
        "already_posted": [], "claim_payments": 5, "matched": 4, "paid": "159.58",
        "unmatched": [{"claim_id": "PKNOSUCHCLAIM1", "payer_claim_number": "PAYER0001",
                       "paid": "10.00", "trace_number": "CHK100200"}]}
    status = {c["claim_id"]: c["status"] for c in
              ledger_client.get("/v1/ledger/claims").json()["claims"]}
    assert status == {NY: "paid", REGENCE: "paid", PREMERA: "patient", CT: "denied",
                      UMP: "open"}
    assert [c["claim_id"] for c in ledger_client.get("/v1/ledger/claims?status=denied")
            .json()["claims"]] == [CT]
    short = ledger_client.get("/v1/ledger/underpayments").json()
    assert [(line["claim_id"], line["code"], line["short"]) for line in short["lines"]] == [
        (NY, "97140", "5.33"), (REGENCE, "97124", "12.00")]
    assert short["total_short"] == "17.33"
    denied = ledger_client.get("/v1/ledger/denials").json()
    assert [(r["code"], r["claims"], r["amount"]) for r in denied["reasons"]] == [
        ("CO-50", 1, "125.00")]  # the deductible (Premera) is not a denial
    assert {r["description"] for r in denied["reasons"]} == {None}  # codes only
    aging = ledger_client.get("/v1/ledger/aging?as_of=2026-06-15").json()
    assert [c["claim_id"] for c in aging["claims"]] == [UMP] and aging["total"] == "95.00"


def test_the_answers_equal_the_cli_s_on_the_same_ledger(ledger_client, db, capsys):
    record(ledger_client, db)
    assert post(ledger_client, payments()).status_code == 200
    for path, args in (
            ("/v1/ledger/claims", ["ledger", "claims"]),
            ("/v1/ledger/claims?status=paid", ["ledger", "claims", "--status", "paid"]),
            ("/v1/ledger/aging?as_of=2026-08-01", ["ledger", "aging", "--as-of", "2026-08-01"]),
            ("/v1/ledger/denials", ["ledger", "denials"]),
            ("/v1/ledger/underpayments", ["ledger", "underpayments"])):
        answer = ledger_client.get(path)
        assert answer.status_code == 200, path
        assert answer.json() == cli_json(capsys, *args, "--db", db), path


def test_aging_defaults_to_the_server_s_today(ledger_client, db, capsys):
    record(ledger_client, db)
    answer = ledger_client.get("/v1/ledger/aging").json()
    assert answer["as_of"] == WRITTEN.isoformat()
    assert answer == cli_json(capsys, "ledger", "aging", "--as-of", WRITTEN.isoformat(),
                              "--db", db)


def test_the_same_835_posted_twice_posts_once(ledger_client, db, tmp_path, capsys):
    record(ledger_client, db)
    data = payments()
    first = post(ledger_client, data).json()
    claims = ledger_client.get("/v1/ledger/claims").json()
    again = post(ledger_client, data, {"content-type": "text/plain; charset=us-ascii"})
    assert again.status_code == 200
    assert again.json() == {**first, "posted": [], "already_posted": first["posted"],
                            "claim_payments": 0, "matched": 0, "paid": "0.00", "unmatched": []}
    assert ledger_client.get("/v1/ledger/claims").json() == claims
    # the CLI, posting the same file to the same ledger, says the same
    (tmp_path / "payment.835").write_bytes(data)
    assert cli_json(capsys, "ledger", "post", str(tmp_path / "payment.835"), "--db", db) \
        == again.json()


def test_a_file_that_does_not_balance_is_422_and_posts_nothing(ledger_client, db):
    record(ledger_client, db)
    data = payments().replace(b"CLP*PK260316SNYD2E*1*125*87", b"CLP*PK260316SNYD2E*1*125*97")
    answer = post(ledger_client, data)
    assert answer.status_code == 422
    problems = answer.json()
    assert problems["error"] == "not posted"
    assert problems["problems"][0] == ("the file does not balance, so nothing in it was "
                                       "posted:")
    assert any("claims[0] (claim 'PK260316SNYD2E')" in p for p in problems["problems"][1:])
    assert {c["status"] for c in ledger_client.get("/v1/ledger/claims").json()["claims"]} \
        == {"open"}
    assert post(ledger_client, payments()).json()["already_posted"] == []


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "segment 1: an X12 interchange starts with ISA"),
    (b"hello", "segment 1: an X12 interchange starts with ISA"),
    (None, "segment 13 CLP04: expected an amount"),
])
def test_an_835_that_cannot_be_read_is_422_naming_segment_and_element(ledger_client, data,
                                                                      problem):
    if data is None:
        data = payments().replace(b"CLP*PK2603124BXARX*1*67.91*62.58",
                                  b"CLP*PK2603124BXARX*1*67.91*sixty")
    answer = post(ledger_client, data)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid remittance"
    assert answer.json()["problems"][0].startswith(problem), answer.json()


# -- the errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "problem"), [
    ("/v1/ledger/claims?status=lost", "status: expected one of open, paid, patient, denied, "
     "reversed, got 'lost'"),
    ("/v1/ledger/claims?status=paid&status=open", "status: given more than once"),
    ("/v1/ledger/claims?as_of=2026-04-01", "as_of: unknown query parameter"),
    ("/v1/ledger/aging?as_of=2026-02-30", "as_of: expected a date such as 2026-03-20"),
    ("/v1/ledger/aging?as_of=", "as_of: expected a date such as 2026-03-20"),
    ("/v1/ledger/aging?as_of=1850-01-01", "as_of: expected a date from"),
    ("/v1/ledger/denials?codes=codes.csv", "codes: unknown query parameter"),
    ("/v1/ledger/underpayments?x=1", "x: unknown query parameter"),
    ("/v1/ledger/statements/PEQ3H55NBM?on=tomorrow", "on: expected a date"),
])
def test_bad_query_values_are_400(ledger_client, path, problem):
    answer = ledger_client.get(path)
    assert answer.status_code == 400
    assert answer.json()["problems"][0].startswith(problem)


def test_a_remittance_of_another_media_type_is_415(ledger_client):
    for kind in ("application/json", "application/x-www-form-urlencoded",
                 "application/octet-stream", None):
        answer = post(ledger_client, payments(), {"content-type": kind} if kind else {})
        assert answer.status_code == 415, kind
        assert answer.json()["problems"][0].startswith(
            "Content-Type: expected application/edi-x12 or text/plain")


def test_a_remittance_over_the_limit_is_413(make_client, db):
    client = make_client(ledger=True, max_remittance_bytes=1000)
    data = payments()
    answer = post(client, data)
    assert answer.status_code == 413
    assert answer.json()["problems"] == [
        f"body: {len(data)} bytes, more than 1000, the limit here"]

    async def chunks():  # no Content-Length: refused as it grows
        for _ in range(10):
            yield data[:500]

    assert post(client, chunks()).status_code == 413


def test_the_default_remittance_limit_is_the_config_s(make_client, db):
    from payerkit.http.config import MAX_REMITTANCE_BYTES, ServeConfig

    assert ServeConfig().max_remittance_bytes == MAX_REMITTANCE_BYTES == 16 * 1024 * 1024
    client = make_client(ledger=True)
    answer = post(client, b"", {**X12, "content-length": str(MAX_REMITTANCE_BYTES + 1)})
    assert answer.status_code == 413


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v1/ledger/claims"), ("GET", "/v1/ledger/aging?as_of=2026-05-01"),
    ("GET", "/v1/ledger/denials"), ("GET", "/v1/ledger/underpayments"),
    ("POST", "/v1/ledger/remittances"), ("GET", "/v1/ledger/statements/PEQ3H55NBM")])
def test_without_ledger_every_route_is_404_saying_how_to_open_it(client, method, path):
    answer = client.request(method, path, content=payments() if method == "POST" else None,
                            headers=X12 if method == "POST" else {})
    assert answer.status_code == 404
    assert answer.json() == {"error": "not found", "problems": [
        "ledger: this server keeps no ledger; start it with `payerkit serve --ledger` (the "
        "ledger of PAYERKIT_DB, else the default one; needs payerkit[ledger]): "
        "docs/ledger.md"]}


def test_the_routes_take_only_their_methods(ledger_client):
    assert ledger_client.post("/v1/ledger/claims").status_code == 405
    assert ledger_client.get("/v1/ledger/remittances").status_code == 405


# -- the statement ---------------------------------------------------------------------------


def _needs_the_statement_writer():
    pytest.importorskip("payerkit.formats.patient_statement",
                        reason="the patient statement's PDF writer is not on this branch")


@pytest.mark.parametrize("patient", [REGENCE_PATIENT, "PEQ3H55NBM"])
def test_a_patient_s_statement_is_the_cli_s_pdf(ledger_client, db, tmp_path, capsys, patient):
    _needs_the_statement_writer()
    record(ledger_client, db)
    post(ledger_client, payments())
    answer = ledger_client.get(f"/v1/ledger/statements/{patient}?on=2026-06-01")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == \
        'attachment; filename="statement-2026-06-01.pdf"'
    assert answer.content.startswith(b"%PDF-")
    out = tmp_path / "statement.pdf"
    cli_json(capsys, "ledger", "statement", patient, "--on", "2026-06-01", "-o", str(out),
             "--db", db)
    assert answer.content == out.read_bytes()


@pytest.mark.parametrize("patient", ["PAAAAAAAAA", "P", "PEQ3H55NBM1", "Maria%20Garcia",
                                     "%C3%A9t%C3%A9..x"])
def test_an_unknown_patient_is_404_without_the_number(ledger_client, db, patient, caplog):
    _needs_the_statement_writer()
    record(ledger_client, db)
    caplog.set_level(logging.INFO)
    answer = ledger_client.get(f"/v1/ledger/statements/{patient}")
    assert answer.status_code == 404
    assert answer.json()["problems"] == [
        "patient: no patient of that number in the ledger (GET /v1/ledger/claims lists each "
        "claim's patient)"]
    for text in (answer.text, server_log(caplog)):
        assert patient not in text and "Maria" not in text


# -- no traceback, no patient value ----------------------------------------------------------


def test_no_patient_value_or_traceback_in_an_error_or_a_log_line(ledger_client, db, caplog):
    record(ledger_client, db)
    caplog.set_level(logging.INFO)
    errors = [post(ledger_client, payments().replace(b"*GARCIA*MARIA~", b"*GARCIA*MARIA*Q*R*"
                                                     b"S*T*U*V*W~").replace(b"62.58", b"6x")),
              post(ledger_client, payments().replace(b"67.91*62.58", b"67.91*61.58")),
              ledger_client.get("/v1/ledger/statements/PEQ3H55NBM?on=someday"),
              ledger_client.get("/v1/ledger/aging?as_of=soon")]
    ok = [post(ledger_client, payments()), ledger_client.get("/v1/ledger/claims"),
          ledger_client.get("/v1/ledger/aging?as_of=2026-06-01"),
          ledger_client.get("/v1/ledger/denials"), ledger_client.get("/v1/ledger/underpayments")]
    assert [a.status_code for a in errors] == [422, 422, 400, 400]
    assert all(a.status_code == 200 for a in ok)
    log = server_log(caplog)
    for text in (*(a.text for a in errors), *(a.text for a in ok), log):
        assert "Traceback" not in text
        assert not any(value in text for value in PATIENT), text[:300]
    access = [r.getMessage() for r in caplog.records if r.name == "payerkit.http.access"]
    assert any('"GET /v1/ledger/statements/{patient}" 400' in line for line in access)
    assert any('"POST /v1/ledger/remittances" 200' in line for line in access)
    assert "PEQ3H55NBM" not in log and "2026-06-01" not in log


def test_a_database_that_fails_is_500_with_its_type_only(ledger_client, db, caplog,
                                                         monkeypatch):
    import sqlalchemy as sa

    from payerkit.ledger import reports

    def broken(conn, status=None):
        raise sa.exc.OperationalError("SELECT ... WHERE name = 'Maria Garcia'", {}, Exception())

    monkeypatch.setattr(reports, "claims", broken)
    caplog.set_level(logging.INFO)
    answer = ledger_client.get("/v1/ledger/claims")
    assert answer.status_code == 500
    assert answer.json()["problems"] == [
        "internal error (OperationalError); the server's log says where"]
    log = server_log(caplog)
    assert "Maria" not in log and "Traceback" not in log
    assert "GET /v1/ledger/claims: internal error (OperationalError)" in log


# -- the OpenAPI document --------------------------------------------------------------------


def test_the_document_has_the_ledger_s_paths_only_with_a_ledger(client, ledger_client):
    openapi_spec_validator = pytest.importorskip("openapi_spec_validator")
    without = json.loads(client.get("/v1/openapi.json").content)
    document = json.loads(ledger_client.get("/v1/openapi.json").content)
    openapi_spec_validator.validate(document)
    assert not [p for p in without["paths"] if p.startswith("/v1/ledger")]
    assert "Aging" not in without["components"]["schemas"]
    assert sorted(p for p in document["paths"] if p.startswith("/v1/ledger")) == [
        "/v1/ledger/aging", "/v1/ledger/claims", "/v1/ledger/denials",
        "/v1/ledger/remittances", "/v1/ledger/statements/{patient}",
        "/v1/ledger/underpayments"]
    assert {k: v for k, v in document["paths"].items() if not k.startswith("/v1/ledger")} \
        == without["paths"]


def test_every_ledger_answer_matches_its_schema(ledger_client, db):
    jsonschema = pytest.importorskip("jsonschema")
    document = json.loads(ledger_client.get("/v1/openapi.json").content)

    def check(answer, schema: str):
        assert answer.status_code == 200
        jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{schema}",
                                         "components": document["components"]}
                                        ).validate(answer.json())

    record(ledger_client, db)
    for day in ("2026-04-01", "2026-06-15", "2026-09-01", "2027-03-01"):  # late, with interest
        check(ledger_client.get(f"/v1/ledger/aging?as_of={day}"), "Aging")
    late = ledger_client.get("/v1/ledger/aging?as_of=2027-03-01").json()
    assert {c["interest"]["owed"] for c in late["claims"] if c["interest"]} == {"owed",
                                                                             "may be owed"}
    check(post(ledger_client, payments()), "Posted")
    check(post(ledger_client, payments()), "Posted")
    check(ledger_client.get("/v1/ledger/claims"), "LedgerClaims")
    check(ledger_client.get("/v1/ledger/aging?as_of=2027-03-01"), "Aging")
    check(ledger_client.get("/v1/ledger/denials"), "Denials")
    check(ledger_client.get("/v1/ledger/underpayments"), "Underpayments")


# -- schemathesis: requests generated from the document, against a ledger with claims ---------

schemathesis = pytest.importorskip("schemathesis")


@schemathesis.serializer("application/edi-x12")
def _x12(ctx, value) -> bytes:
    """An 835 body as generated (a string; anything else as its JSON text)."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else \
        json.dumps(value).encode()


#: The ledger's operations.
OPERATIONS = [("GET", "/v1/ledger/claims"), ("GET", "/v1/ledger/aging"),
              ("GET", "/v1/ledger/denials"), ("GET", "/v1/ledger/underpayments"),
              ("POST", "/v1/ledger/remittances"), ("GET", "/v1/ledger/statements/{patient}")]


@pytest.fixture(scope="module")
def ledger_api(installed_kit, tmp_path_factory):
    """A ledger-on app with the tests' claims recorded and their 835 posted, and its document
    as schemathesis loads it."""
    from serve_samples import AppClient

    from payerkit.http.app import create_app
    from payerkit.http.config import ServeConfig

    folder = tmp_path_factory.mktemp("ledger-api")
    url = f"sqlite:///{folder / 'ledger.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAYERKIT_DB", url)
        patch.setenv("PAYERKIT_DATA_DIR", str(folder / "data"))
        app = create_app(ServeConfig(files_dir=EXAMPLES, data_dir=folder / "data", ledger=True),
                         kit=installed_kit)
        app.state.service.today = lambda: WRITTEN
        client = AppClient(app)
        record(client, url)
        assert post(client, payments()).status_code == 200
    schema = schemathesis.openapi.from_dict(json.loads(app.state.openapi))
    schema.app = app
    yield schema
    app.state.service.ledger.close()


def test_the_ledger_operations_tested_are_the_document_s(ledger_client):
    document = json.loads(ledger_client.get("/v1/openapi.json").content)
    assert sorted((method.upper(), path) for path, item in document["paths"].items()
                  for method in item if path.startswith("/v1/ledger")) == sorted(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_generated_ledger_requests_find_no_server_error(ledger_api, method, path):
    """As tests/http/test_openapi.py does for the rest of the API: every answer below 500 and
    as its schema says, on a ledger that holds claims and payments."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import positive_data_acceptance

    if path.startswith("/v1/ledger/statements"):
        _needs_the_statement_writer()
    statuses = []

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), derandomize=True)
    @given(case=ledger_api[path][method].as_strategy())
    def run(case):
        response = case.call_and_validate(base_url="http://127.0.0.1",
                                          excluded_checks=[positive_data_acceptance])
        statuses.append(response.status_code)

    run()
    assert statuses and max(statuses) < 500

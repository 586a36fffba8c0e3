"""The practice page, in process: the form, the answer, the errors next to their fields,
an uploaded case file and the claim files."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html
from page_support import NY_VISIT

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from payerkit.http.form import case_data, path_parts  # noqa: E402
from payerkit.paths import field_path  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def labelled(page: str) -> None:
    """Every input, select and textarea has a label pointing at it."""
    tree = lxml_html.fromstring(page)
    labels = {label.get("for") for label in tree.iter("label")}
    for control in tree.xpath("//input[not(@type='hidden')] | //select | //textarea"):
        assert control.get("id") in labels, lxml_html.tostring(control)


def test_the_form_offers_every_program_and_labels_every_field(client):
    page = client.get("/").text
    assert "ny-no-fault" in page and "premera" in page
    labelled(page)
    ny = client.get("/?program=ny-no-fault").text
    labelled(ny)
    # the program's own facts are drawn from its facts type, with their choices
    assert "name='facts.ny-no-fault.vehicle'" in ny and "value='insured'" in ny


def test_a_filled_visit_gets_its_answer_with_citations(client):
    answer = client.post("/", data=NY_VISIT)
    assert answer.status_code == 200
    assert "class='status covered'>Covered<" in answer.text
    assert "NY-ELIGIBLE-INSURED" in answer.text and "Source: 11 NYCRR 65-1.1" in answer.text
    # the scrub finds no error (a warning may depend on today's date: not asserted)
    assert "Before the claim goes out" in answer.text and "error(s): fix them" not in answer.text
    for fmt in ("x12-837p", "nf-3", "cms-1500"):
        assert f"formaction='/claim?format={fmt}'" in answer.text


def test_a_bad_field_shows_its_error_next_to_it(client):
    answer = client.post("/", data={**NY_VISIT, "patient.birth_date": "22/07/1975",
                                     "provider.npi": ""})
    assert answer.status_code == 422
    tree = lxml_html.fromstring(answer.text)
    born = tree.get_element_by_id("f-patient-birth-date")
    assert born.get("aria-invalid") == "true" and born.get("value") == "22/07/1975"
    error = tree.get_element_by_id("f-patient-birth-date-error")
    assert "expected a date" in error.text_content()
    assert "f-patient-birth-date-error" in born.get("aria-describedby")
    assert tree.get_element_by_id("f-provider-npi").get("aria-invalid") == "true"


def test_every_claim_the_program_takes_downloads(client):
    answer = client.post("/", data=NY_VISIT).text
    case = html.unescape(re.search(r"name=case value='([^']*)'", answer).group(1))
    kinds = {"x12-837p": (b"ISA*", "application/edi-x12"), "nf-3": (b"%PDF", "application/pdf"),
             "cms-1500": (b"%PDF", "application/pdf")}
    for fmt, (start, media) in kinds.items():
        got = client.post(f"/claim?format={fmt}", data={"case": case})
        assert got.status_code == 200, got.text[-500:]
        assert got.content.startswith(start) and got.headers["content-type"].startswith(media)
        assert "attachment" in got.headers["content-disposition"]


def test_a_refused_claim_shows_its_findings_not_a_file(client):
    answer = client.post("/", data={**NY_VISIT, "provider.cash_rates": ""}).text
    case = html.unescape(re.search(r"name=case value='([^']*)'", answer).group(1))
    got = client.post("/claim?format=x12-837p", data={"case": case})
    assert got.status_code == 422 and "NO-CHARGE" in got.text
    assert got.headers["content-type"].startswith("text/html")


def test_an_uploaded_case_file_is_answered(client):
    upload = EXAMPLES / "premera-seventh-visit.toml"
    got = client.post("/upload", files={"case": (upload.name, upload.read_bytes())})
    assert got.status_code == 200 and "class='status action_required'" in got.text


def test_an_uploaded_case_may_not_read_the_servers_files(client):
    text = (EXAMPLES / "ny-covered.toml").read_text().replace(
        'file = "ny-fees.csv"', 'file = "/etc/passwd"')
    got = client.post("/upload", files={"case": ("ny.toml", text.encode())})
    assert got.status_code == 422 and "fees.file" in got.text
    assert "root:" not in got.text


def test_what_the_page_shows_is_escaped(client):
    answer = client.post("/", data={**NY_VISIT, "patient.last_name": "<script>x</script>"})
    assert "<script>x" not in answer.text and "&lt;script&gt;" in answer.text


def test_the_form_makes_the_case_file_shape():
    from payerkit import PayerKit

    program = PayerKit().program("ny-no-fault")
    data = case_data(program, NY_VISIT)
    assert data["visits"][0]["services"][1] == {"code": "97140", "minutes": 15,
                                                "diagnoses": [1]}
    assert data["episode"]["diagnoses"] == ["S13.4XXA", "M62.830", "V43.52XA"]
    assert data["fees"]["rates"] == {"97124": "18.79", "97140": "30.33"}
    assert data["claim"]["benefits_assigned"] is True
    assert data["facts"]["ny-no-fault"] == {"injured_person": "named_insured",
                                            "vehicle": "insured"}
    assert "rendering" not in data  # a table left empty is left out


@given(st.lists(st.one_of(st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
                          st.integers(0, 99)), min_size=1, max_size=6)
       .filter(lambda parts: isinstance(parts[0], str)))
def test_a_field_path_reads_back_into_its_parts(parts):
    assert path_parts(field_path(*parts)) == parts


@pytest.mark.parametrize("how, request_", [
    ("too many fields", ("post", "/", {"data": {f"x{i}": "1" for i in range(500)}})),
    ("an unknown program", ("post", "/", {"data": {"program": "nobody-pays"}})),
    ("a case that is not JSON", ("post", "/claim?format=nf-3", {"data": {"case": "{not"}})),
    ("a case that is a list", ("post", "/claim?format=nf-3", {"data": {"case": "[]"}})),
    ("an unknown format", ("post", "/claim?format=zzz", {"data": {"case": "{}"}})),
    ("huge and odd values", ("post", "/", {"data": {
        **NY_VISIT, "patient.last_name": "Garcíа\U0001F600",
        "visits[0].services[0].minutes": "9" * 30}})),
    ("an upload that is not text", ("post", "/upload", {"files": {"case": ("x.toml",
                                                                           b"\xff\xfe")}})),
    ("an upload with no file", ("post", "/upload", {"data": {"nothing": "1"}})),
    ("a program id of control bytes", ("get", "/?program=%00%ff", {})),
])
def test_a_careless_or_hostile_request_is_answered_never_a_5xx(client, how, request_):
    method, url, kwargs = request_
    answer = getattr(client, method)(url, **kwargs)
    assert answer.status_code < 500, answer.text[-300:]
    assert "Traceback" not in answer.text


def test_a_form_from_another_site_is_refused(client):
    answer = client.post("/", data=NY_VISIT, headers={"origin": "http://elsewhere.example"})
    assert answer.status_code == 403

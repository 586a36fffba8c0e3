"""The OpenAPI 3.1 document: valid, generated from the model, and true of every answer
(requests generated from it by schemathesis find no 5xx and no answer off its schema)."""

from __future__ import annotations

import json

import attrs
import pytest
from serve_samples import EXAMPLES, JSON_BODY, PLANS, body, case_json, plan_json

from payerkit.converter import NOT_READ
from payerkit.model import Case

openapi_spec_validator = pytest.importorskip("openapi_spec_validator")
jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture
def document(client) -> dict:
    answer = client.get("/v1/openapi.json")
    assert answer.status_code == 200
    return json.loads(answer.content)


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    openapi_spec_validator.validate(document)


def _attrs_classes(cls, seen=None):
    import typing

    seen = seen if seen is not None else {}
    if cls in seen:
        return seen
    seen[cls] = True
    for hint in typing.get_type_hints(cls).values():
        for inner in (hint, *typing.get_args(hint), *(a for arg in typing.get_args(hint)
                                                    for a in typing.get_args(arg))):
            if isinstance(inner, type) and attrs.has(inner):
                _attrs_classes(inner, seen)
    return seen


def test_every_field_of_the_case_model_is_in_the_document(document):
    """Generated, not written: each attrs class a case holds is a schema with each field the
    reader reads, required exactly when it has no default, and no other key."""
    schemas = document["components"]["schemas"]
    for cls in _attrs_classes(Case):
        schema = schemas[cls.__name__]
        read = [f for f in attrs.fields(cls) if (cls, f.name) not in NOT_READ]
        assert list(schema["properties"]) == [f.name for f in read], cls
        assert schema.get("required", []) == [f.name for f in read
                                              if f.default is attrs.NOTHING], cls
        assert schema["additionalProperties"] is False


def test_each_program_s_facts_are_in_the_case_schema(document, installed_kit):
    facts = document["components"]["schemas"]["Case"]["properties"]["facts"]["properties"]
    for entry in installed_kit.programs():
        if entry.program.facts is not None:
            ref = facts[entry.program.id]["$ref"]
            schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert list(schema["properties"]) == [f.name for f in attrs.fields(entry.program.facts)]


def test_the_example_cases_validate_against_the_case_schema(document):
    validator = _validator(document, "Case")
    for path in sorted(EXAMPLES.glob("*.toml")):
        errors = list(validator.iter_errors(case_json(path.stem)))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].path)}"


def _validator(document: dict, name: str):
    schema = {"$ref": f"#/components/schemas/{name}",
              "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", ["ny-covered", "premera-seventh-visit", "ct-wc-contested",
                                  "regence-medicare-advantage"])
def test_every_answer_matches_its_schema(client, document, name):
    for question, schema in (("check", "Eligibility"), ("price", "Pricing"),
                             ("limits", "Limits"), ("terms", "PaymentTerms"),
                             ("scrub", "Scrub"), ("evaluate", "Evaluation")):
        answer = client.post(f"/v1/{question}?visit=all" if question == "evaluate" else
                             f"/v1/{question}", content=body(case_json(name)), headers=JSON_BODY)
        _validator(document, schema).validate(answer.json())
    _validator(document, "Programs").validate(client.get("/v1/programs").json())
    for program in ("ny-no-fault", "ct-workers-comp", "premera-wa"):
        _validator(document, "ProgramDetail").validate(client.get(f"/v1/programs/{program}").json())


def test_the_plan_answers_match_their_schema(client, document):
    for path in PLANS:
        answer = client.post("/v1/plan", content=body(plan_json(path)), headers=JSON_BODY)
        _validator(document, "Plan").validate(answer.json())
    operation = document["paths"]["/v1/plan"]["post"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json",
                                                             "application/pdf"}
    assert [p["schema"]["enum"] for p in operation["parameters"] if p["name"] == "format"] == \
        [["progress-report"]]
    # a batch counts claims: no plan format among its formats; /v1/claims takes every one
    [batch_format] = [p for p in document["paths"]["/v1/batch"]["post"]["parameters"]
                      if p["name"] == "format"]
    assert "progress-report" not in batch_format["schema"]["enum"]
    [claims_format] = [p for p in document["paths"]["/v1/claims"]["post"]["parameters"]
                       if p["name"] == "format"]
    assert "progress-report" in claims_format["schema"]["enum"]


def test_the_document_s_example_case_is_answered_by_every_case_endpoint(client, document):
    example = document["paths"]["/v1/check"]["post"]["requestBody"]["content"][
        "application/json"]["example"]
    assert example["program"] == "ny-no-fault" and "file" not in example["fees"]
    for path in ("check", "price", "limits", "terms", "scrub", "evaluate", "claims"):
        answer = client.post(f"/v1/{path}", content=body(example), headers=JSON_BODY)
        assert answer.status_code == 200, path
    assert client.get("/v1/programs/" + document["paths"]["/v1/programs/{id}"]["get"][
        "parameters"][0]["example"]).status_code == 200


# -- schemathesis: requests generated from the document -------------------------------------------

schemathesis = pytest.importorskip("schemathesis")


@schemathesis.serializer("application/x-ndjson")
def _json_lines(ctx, value) -> bytes:
    """A batch body as generated (a string of lines, or anything else as one JSON line)."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else \
        json.dumps(value).encode() + b"\n"


@pytest.fixture(scope="module")
def api(installed_kit, tmp_path_factory):
    """The app and its document, as schemathesis loads it (once for every operation)."""
    from payerkit.http.app import create_app
    from payerkit.http.config import ServeConfig

    app = create_app(ServeConfig(files_dir=EXAMPLES, data_dir=tmp_path_factory.mktemp("data")),
                     kit=installed_kit)
    schema = schemathesis.openapi.from_dict(json.loads(app.state.openapi))
    schema.app = app
    return schema


def _operations():
    """Every operation of the document (read from a document made without plugins' facts,
    for the ids only: the test itself uses the installed kit's)."""
    return [("GET", "/v1/programs"), ("GET", "/v1/programs/{id}"), ("POST", "/v1/check"),
            ("POST", "/v1/price"), ("POST", "/v1/limits"), ("POST", "/v1/terms"),
            ("POST", "/v1/scrub"), ("POST", "/v1/evaluate"), ("POST", "/v1/claims"),
            ("POST", "/v1/plan"), ("POST", "/v1/batch"), ("GET", "/v1/openapi.json")]


def test_the_operations_tested_are_the_document_s(document):
    found = [(method.upper(), path) for path, item in document["paths"].items()
             for method in item]
    assert sorted(found) == sorted(_operations())


@pytest.mark.parametrize(("method", "path"), _operations())
def test_generated_requests_find_no_server_error(api, method, path):
    """Examples first (the document's example case: the success paths), then generated cases,
    valid and not; every answer below 500 and as its schema says. About 25 requests per
    operation keep the whole run near 30 s.

    Not checked: that every request valid by the schema is accepted. A JSON Schema cannot
    state every rule of a case (a program id that is installed, an NPI's check digit, a
    name or else a first and last name): those are 422 with their problem lines."""
    from hypothesis import HealthCheck, settings
    from schemathesis.checks import positive_data_acceptance

    operation = api[path][method]
    strategy = operation.as_strategy()
    examples = []

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), derandomize=True)
    @schemathesis_given(strategy)
    def run(case):
        response = case.call_and_validate(base_url="http://127.0.0.1",
                                          excluded_checks=[positive_data_acceptance])
        examples.append(response.status_code)

    run()
    assert examples and max(examples) < 500


def schemathesis_given(strategy):
    from hypothesis import given

    return given(case=strategy)

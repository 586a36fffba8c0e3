"""The OpenAPI 3.1 document of ``payerkit serve``, generated from the model.

The request body of every case endpoint is the case-file contract: its schema is made here
from the attrs classes of :mod:`payerkit.model` (``Case`` and what it holds) with the case
reader's own rules (:mod:`payerkit.converter`: unknown keys refused, integers of at most 9
digits, amounts as strings of dollars and cents, the lists' limits, the fields never read),
and ``facts.<program id>`` from each installed program's facts type. A new field of the model
or a new program's facts appear in the document without a change here.

The answers are the JSON shapes of ``payerkit --json`` (``docs/cli.md``; one serializer,
:mod:`payerkit.output`): their schemas are declared below, next to nothing else, and the tests
hold every answer to them (schemathesis checks each response it gets against its schema).

Our own small generator rather than a library: msgspec and pydantic generate schemas from
their own types, not from attrs classes read through a strict cattrs converter, and neither
knows the reader's rules (amounts as strings, the list limits, the fields never read).
JSON Schema 2020-12, as OpenAPI 3.1 takes it; no web framework imported.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import types
import typing
from decimal import Decimal
from typing import Any, Literal

import attrs

from .. import __version__
from ..converter import AMOUNT_HOOKS, LIST_LIMITS, MAX_INT, MAX_ITEMS, NOT_READ
from ..formats import X12_837P
from ..formats.x12_limits import EARLIEST_DATE, LATEST_DATE
from ..model import Case, Episode, Service, Visit

#: Amounts as the reader takes them: dollars and cents as a string, up to 4 decimals for a
#: rate; a line's charge and a visit's amount paid to the cent (``parse_written_amount``).
RATE = {"type": "string", "pattern": r"^[0-9]{0,5}\.[0-9]{1,4}$",
        "description": 'dollars and cents as a string, e.g. "30.00" (never a number: a whole '
        "number could be meant as cents)"}
CHARGE = {**RATE, "pattern": r"^[0-9]{0,5}\.[0-9]{1,2}$"}
PAID = {**RATE, "pattern": r"^[0-9]{0,7}\.[0-9]{1,2}$"}
AMOUNT_SCHEMAS = {"strict_charge": CHARGE, "strict_paid": PAID}
#: Lists that must hold something (``payerkit.io.check_case``: a case without a visit, a
#: visit without a service, no diagnosis).
MIN_ITEMS = {(Case, "visits"): 1, (Visit, "services"): 1, (Episode, "diagnoses"): 1,
             (Service, "diagnoses"): 1}
DATE = {"type": "string", "format": "date",
        "description": f"a date, YYYY-MM-DD, from {EARLIEST_DATE.isoformat()} to "
        f"{LATEST_DATE.isoformat()}"}


class SchemaBuilder:
    """JSON Schemas of attrs classes, each class once under ``components/schemas``."""

    def __init__(self) -> None:
        self.components: dict[str, dict] = {}
        self._names: dict[type, str] = {}

    def ref(self, cls: type, name: str | None = None) -> dict:
        """A ``$ref`` to the schema of the attrs class ``cls`` (made on first use)."""
        known = self._names.get(cls)
        if known is None:
            known = name or cls.__name__
            while known in self.components:  # two plugins' classes of one name
                known += "_"
            self._names[cls] = known
            self.components[known] = {}  # taken now: a class may hold itself
            self.components[known] = self.table(cls)
        return {"$ref": f"#/components/schemas/{known}"}

    def table(self, cls: type) -> dict:
        """An attrs class as the reader takes it: a table of its fields, no other key; a field
        without a default is required; a field the reader never reads is left out."""
        hints = typing.get_type_hints(cls)
        notes = field_notes(cls)
        properties, required = {}, []
        for field in attrs.fields(cls):
            if (cls, field.name) in NOT_READ or not field.init:
                continue
            schema = self.field_schema(cls, field.name, hints.get(field.name, Any))
            if field.name in notes:
                schema = {**schema, "description": notes[field.name]}
            properties[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        doc = inspect.getdoc(cls)
        if doc and cls.__module__.startswith("payerkit"):
            schema["description"] = doc.split("\n\n")[0]
        return schema

    def field_schema(self, cls: type, name: str, type_: Any) -> dict:
        hook = AMOUNT_HOOKS.get((cls, name))
        if hook is not None:
            return {"anyOf": [AMOUNT_SCHEMAS.get(hook.__name__, RATE), {"type": "null"}]}
        limit = LIST_LIMITS.get((cls, name))
        schema = self.schema(type_)
        if limit is not None and schema.get("type") == "array":
            schema = {**schema, "maxItems": limit[0]}
        if (cls, name) in MIN_ITEMS and schema.get("type") == "array":
            schema = {**schema, "minItems": MIN_ITEMS[(cls, name)]}
        return schema

    def schema(self, type_: Any) -> dict:
        """The JSON Schema of a type of the model, as the reader takes it."""
        if type_ is type(None):
            return {"type": "null"}
        if type_ is str:
            return {"type": "string"}
        if type_ is bool:
            return {"type": "boolean"}
        if type_ is int:
            return {"type": "integer", "minimum": -MAX_INT, "maximum": MAX_INT}
        if type_ is dt.date:
            return dict(DATE)
        if type_ is Decimal:
            return dict(RATE)
        origin, args = typing.get_origin(type_), typing.get_args(type_)
        if origin is Literal:
            return {"enum": list(args)}
        if origin in (typing.Union, types.UnionType):
            options = [self.schema(a) for a in args]
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin in (tuple, list) or type_ in (tuple, list):
            items = args[0] if args else Any
            return {"type": "array", "items": self.schema(items), "maxItems": MAX_ITEMS}
        if origin is dict or type_ is dict or origin is typing.Mapping:
            value = args[1] if len(args) == 2 else Any
            return {"type": "object", "additionalProperties": self.schema(value)}
        if isinstance(type_, type) and attrs.has(type_):
            return self.ref(type_)
        return {}


def field_notes(cls: type) -> dict[str, str]:
    """The ``#:`` comments above each field of ``cls`` in its source (Sphinx's attribute
    docs), by field name; empty when the source cannot be read."""
    notes: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not attrs.has(klass):
            continue
        try:
            lines = inspect.getsource(klass).splitlines()
        except (OSError, TypeError):
            continue
        comment: list[str] = []
        for line in lines:
            text = line.strip()
            if text.startswith("#:"):
                comment.append(text[2:].strip())
                continue
            match = _FIELD.match(text)
            if match and comment:
                notes[match.group(1)] = " ".join(comment)
            comment = []
    return notes


_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def facts_fields(facts_type: type | None) -> list[dict]:
    """A program's facts, one entry per field: ``{"name", "required", "default", "schema",
    "description"}`` (``default`` as a case file would write it; ``description`` from the
    field's ``#:`` comment, or ``null``)."""
    if facts_type is None:
        return []
    builder = SchemaBuilder()
    table = builder.table(facts_type)
    from ..converter import CONVERTER

    fields = []
    for field in attrs.fields(facts_type):
        if field.name not in table["properties"]:
            continue
        schema = dict(table["properties"][field.name])
        description = schema.pop("description", None)
        default = field.default
        if isinstance(default, attrs.Factory):
            default = default.factory() if not default.takes_self else None
        required = default is attrs.NOTHING
        fields.append({"name": field.name, "required": required,
                       "default": None if required else CONVERTER.unstructure(default),
                       "schema": _inline(schema, builder.components),
                       "description": description})
    return fields


def _inline(schema: Any, components: dict) -> Any:
    """``schema`` with its ``$ref``s replaced by what they name (a facts field standing alone)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref is not None:
            return _inline(components[ref.rsplit("/", 1)[1]], components)
        return {k: _inline(v, components) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(v, components) for v in schema]
    return schema


# ---------------------------------------------------------------------------
# The answers: the shapes of docs/cli.md.
# ---------------------------------------------------------------------------

def _obj(required: bool = True, **properties: Any) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(properties)
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NSTR = {"type": ["string", "null"]}
NINT = {"type": ["integer", "null"]}
NUMBER = {"type": ["integer", "string", "null"],
          "description": "an integer, another number as a decimal string, or null (unknown)"}
MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
NMONEY = {"anyOf": [MONEY, {"type": "null"}]}

ANSWERS: dict[str, dict] = {
    "Citation": _obj(source=STR, edition=NSTR, confidence=STR, url=NSTR),
    "Reason": _obj(code=STR, message=STR, severity=NSTR,
                   citation={"anyOf": [_ref("Citation"), {"type": "null"}]}),
    "Finding": _obj(severity={"enum": ["error", "warning"]}, code=STR, message=STR, path=NSTR,
                    citation={"anyOf": [_ref("Citation"), {"type": "null"}]}),
    "Eligibility": _obj(program=STR, status={"enum": ["covered", "action_required",
                                                      "not_covered"]},
                        requirements=_array(_ref("Reason")), reasons=_array(_ref("Reason"))),
    "PricedLine": _obj(date=STR, code=STR, modifiers=_array(STR), minutes=NINT, units=INT,
                       charge=MONEY, allowed=NMONEY, fee_source=NSTR),
    "Pricing": _obj(program=STR, lines=_array(_ref("PricedLine")), total_charge=MONEY,
                    total_allowed=NMONEY, reasons=_array(_ref("Reason"))),
    "Limit": _obj(name=STR, unit=STR, allowed=NUMBER, used=NUMBER, remaining=NUMBER,
                  over=NUMBER, window=NSTR,
                  citation={"anyOf": [_ref("Citation"), {"type": "null"}]}),
    "Limits": _obj(program=STR, limits=_array(_ref("Limit"))),
    "PaymentTerm": _obj(name=STR, description=STR, days=NINT, share=NSTR,
                        interest_per_month=NSTR, interest_after_days=NINT,
                        citation={"anyOf": [_ref("Citation"), {"type": "null"}]}),
    "PaymentTerms": _obj(program=STR, terms=_array(_ref("PaymentTerm"))),
    "Scrub": _obj(program=STR, findings=_array(_ref("Finding"))),
    "Evaluation": {**_obj(program=STR, status={"enum": ["clean", "refused"]}, format=NSTR,
                          eligibility=_ref("Eligibility"), pricing=_ref("Pricing"),
                          limits=_ref("Limits"), payment_terms=_ref("PaymentTerms"),
                          scrub=_ref("Scrub")),
                   "description": "every answer in one pass; `pricings` (each visit's) when "
                   "several visits are billed"},
    "Program": _obj(id=STR, name=STR, plugin=STR, distribution=NSTR, version=NSTR,
                    states=_array(STR), line_of_business=STR, claim_formats=_array(STR),
                    sources=_array(_ref("Citation"))),
    "ClaimFormat": _obj(id=STR, name=STR, media_type=STR, suffix=STR, for_patient=BOOL),
    "FactsField": _obj(name=STR, required=BOOL, default={}, schema={"type": "object"},
                       description=NSTR),
    "Programs": _obj(programs=_array(_ref("Program"))),
    "Problems": _obj(error=STR, problems=_array(STR)),
    "Refused": _obj(error=STR, program=STR, findings=_array(_ref("Finding"))),
}
ANSWERS["Evaluation"]["properties"]["pricings"] = _array(_ref("Pricing"))
NDATE = {"type": ["string", "null"], "format": "date"}
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
NDECIMAL = {"anyOf": [DECIMAL, {"type": "null"}]}
ANSWERS["GoalProgress"] = _obj(
    description=STR, measure=STR, measure_name=STR, unit=NSTR,
    better={"enum": ["lower", "higher"]}, baseline=DECIMAL, target=DECIMAL,
    points=_array(_obj(date={"type": "string", "format": "date"}, value=DECIMAL)),
    latest=NDECIMAL, change=NDECIMAL, mcid=NDECIMAL, mcid_source=NSTR, met=BOOL,
    progressed={"type": ["boolean", "null"]})
ANSWERS["AuthorizationState"] = _obj(number=STR, visits=NINT, used=INT, left=NINT,
                                     start=NDATE, end=NDATE)
ANSWERS["Plan"] = {**_obj(
    program=STR, as_of={"type": "string", "format": "date"},
    start={"type": "string", "format": "date"}, end=NDATE, planned_visits=NINT,
    visits_per_week=NINT, re_evaluation=NDATE, discharge=NSTR, visits_attended=INT,
    visits_missed=INT, visits_left=NINT, days_left=NINT, goals=_array(_ref("GoalProgress")),
    authorizations=_array(_ref("AuthorizationState")), due=_array(STR), notes=_array(STR)),
    "description": "the treatment plan's state (as `payerkit plan --json`): its dates, the "
    "visits attended, missed and left, each goal's measurements against its baseline, target "
    "and the measure's MCID, every authorization with what is left, what is due"}
ANSWERS["ProgramDetail"] = {
    "allOf": [_ref("Program"), _obj(payer_id=NSTR, funding=NSTR,
                                    formats=_array(_ref("ClaimFormat")),
                                    facts=_obj(table=STR, fields=_array(_ref("FactsField"))))]}



def ledger_answers() -> dict[str, dict]:
    """The answers of ``/v1/ledger``: the shapes of ``payerkit ledger ... --json``
    (docs/ledger.md). Made only for a server with a ledger (the ledger extra is there)."""
    from ..ledger.reports import BUCKETS, STATUSES

    day, nday = {"type": "string", "format": "date"}, {"type": ["string", "null"],
                                                       "format": "date"}
    status = {"enum": list(STATUSES)}
    # a sum of the 835's amounts as the reader gives them ("0", "100", "12.5")
    decimal = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    buckets = {**_obj(**dict.fromkeys(BUCKETS, MONEY)), "additionalProperties": False}
    return {
        "LedgerCitation": _obj(source=STR, edition=NSTR, confidence=STR),
        "LedgerClaim": _obj(claim_id=STR, frequency=STR, program=STR, payer_id=STR,
                            payer_name=STR, patient=STR, written_on=day, format=STR,
                            interchange=NSTR, status=status, charge=MONEY,
                            expected_allowed=NMONEY, paid=MONEY, patient_responsibility=MONEY,
                            due_on=nday, paid_on=nday),
        "LedgerClaims": _obj(claims=_array(_ref("LedgerClaim"))),
        "AgingBuckets": buckets,
        "AgingPayer": _obj(payer_id=STR, payer_name=STR, claims=INT,
                           buckets=_ref("AgingBuckets"), total=MONEY),
        "LateInterest": _obj(**{
            "amount": MONEY, "owed": {"enum": ["owed", "may be owed"]}, "condition": NSTR,
            "rate_per_month": decimal, "from": day, "days": INT, "term": STR,
            "citation": {"anyOf": [_ref("LedgerCitation"), {"type": "null"}]},
            "principal": MONEY, "month": STR}),
        "AgingClaim": _obj(claim_id=STR, program=STR, payer_id=STR, written_on=day,
                           age_days=INT, bucket={"enum": list(BUCKETS)}, outstanding=MONEY,
                           status=status, due_on=nday, days_late=NINT,
                           interest={"anyOf": [_ref("LateInterest"), {"type": "null"}]},
                           no_due_date=NSTR),
        "Aging": _obj(as_of=day, counted_from=STR, buckets=_array({"enum": list(BUCKETS)}),
                      payers=_array(_ref("AgingPayer")), totals=_ref("AgingBuckets"),
                      total=MONEY, claims=_array(_ref("AgingClaim"))),
        "DenialReason": _obj(group=STR, reason=STR, code=STR, description=NSTR, claims=INT,
                             amount=MONEY),
        "Denials": _obj(reasons=_array(_ref("DenialReason"))),
        "Underpayment": _obj(claim_id=STR, program=STR, payer_id=STR, payer_name=STR, line=INT,
                             code=STR, date=day, expected_allowed=MONEY,
                             allowed_by_payer=MONEY, paid=MONEY, short=MONEY),
        "Underpayments": _obj(lines=_array(_ref("Underpayment")), total_short=MONEY),
        "UnmatchedPayment": _obj(claim_id=STR, payer_claim_number=NSTR, paid=MONEY,
                                 trace_number=STR),
        "Posted": _obj(transactions=INT, posted=_array(STR), already_posted=_array(STR),
                       claim_payments=INT, matched=INT, paid=MONEY,
                       unmatched=_array(_ref("UnmatchedPayment"))),
    }


# ---------------------------------------------------------------------------
# The document.
# ---------------------------------------------------------------------------

def _json(schema_name: str) -> dict:
    return {"application/json": {"schema": _ref(schema_name)}}


def _error(description: str, schema: str = "Problems") -> dict:
    return {"description": description, "content": _json(schema)}


ERRORS = {
    "400": _error("malformed request: the body is not JSON (or not UTF-8), or a query "
                  "parameter is unknown or not valid"),
    "401": _error("the server has a token and the request did not give it "
                  "(`Authorization: Bearer ...`)"),
    "413": _error("the body is larger than the limit"),
    "415": _error("the body's Content-Type is not the one the endpoint takes"),
    "422": _error("the case is not valid: one problem per line, naming the field path"),
    "500": _error("a plugin failed (named, with its hook and the exception's type), or "
                  "payerkit did (the exception's type only)"),
}


def _visit_params(many: bool) -> list[dict]:
    visit = {"name": "visit", "in": "query", "required": False,
             "description": "the visit's date (default: the last visit)"}
    if many:
        visit["description"] = ("the date of a visit to bill; repeat it to bill several, or "
                                "`all` for every visit (default: the last)")
        visit["schema"] = _array({"anyOf": [DATE, {"const": "all"}]})
        visit["style"], visit["explode"] = "form", True
    else:
        visit["schema"] = DATE
    as_of = {"name": "as_of", "in": "query", "required": False, "schema": DATE,
             "description": "the day to answer for and judge deadlines on (default: the case's "
             "as_of, else today)"}
    return [visit, as_of]


def _format_param(formats: list[str], default: str | None, what: str) -> dict:
    schema: dict = {"type": "string", "enum": formats}
    if default is not None:
        schema["default"] = default
    return {"name": "format", "in": "query", "required": False, "schema": schema,
            "description": what}


def ledger_paths(max_remittance_bytes: int) -> dict:
    """The ``/v1/ledger`` operations (docs/http.md), for a server with a ledger."""
    from ..ledger.reports import STATUSES

    def report(summary: str, operation: str, answer: str, *params: dict) -> dict:
        return {"get": {"summary": summary, "operationId": operation,
                        "parameters": list(params),
                        "responses": {"200": {"description": "the report",
                                              "content": _json(answer)},
                                      "400": ERRORS["400"], "401": ERRORS["401"]}}}

    def day(name: str, description: str) -> dict:
        return {"name": name, "in": "query", "required": False, "schema": DATE,
                "description": description}

    pdf = {"application/pdf": {"schema": {"type": "string",
                                          "contentMediaType": "application/pdf"}}}
    x12 = {"schema": {"type": "string"}}
    return {
        "/v1/ledger/claims": report(
            "The claims recorded, with what was paid (as `payerkit ledger claims --json`)",
            "ledgerClaims", "LedgerClaims",
            {"name": "status", "in": "query", "required": False,
             "schema": {"type": "string", "enum": list(STATUSES)},
             "description": "only the claims of this status"}),
        "/v1/ledger/aging": report(
            "Claims awaiting the payer by payer and age, with due dates and interest (as "
            "`payerkit ledger aging --json`)", "ledgerAging", "Aging",
            day("as_of", "the day to age the claims to (default: today)")),
        "/v1/ledger/denials": report(
            "Payments of nothing by adjustment group and reason code (as `payerkit ledger "
            "denials --json`; codes only)", "ledgerDenials", "Denials"),
        "/v1/ledger/underpayments": report(
            "Lines the payer allowed less for than expected (as `payerkit ledger "
            "underpayments --json`)", "ledgerUnderpayments", "Underpayments"),
        "/v1/ledger/remittances": {"post": {
            "summary": "Post an X12 835 remittance (as `payerkit ledger post --json`): "
            "checked to balance, matched to the claims, posted once (the same 835 again is "
            "`already_posted`)", "operationId": "ledgerPost",
            "requestBody": {"required": True, "description": f"the 835 (5010); at most "
                            f"{max_remittance_bytes} bytes",
                            "content": {"application/edi-x12": x12, "text/plain": x12}},
            "responses": {"200": {"description": "what was posted", "content": _json("Posted")},
                          **{k: ERRORS[k] for k in ("400", "401", "413", "415")},
                          "422": _error("the 835 cannot be read (each problem names its "
                                        "segment and element), or it does not balance "
                                        "(nothing in it was posted)"),
                          "500": ERRORS["500"]}}},
        "/v1/ledger/statements/{patient}": {"get": {
            "summary": "A patient's statement PDF: billed, paid by the insurer, owed by the "
            "patient and why (as `payerkit ledger statement`)", "operationId": "ledgerStatement",
            "parameters": [{"name": "patient", "in": "path", "required": True,
                            "schema": {"type": "string"},
                            "description": "the patient's number in the ledger (`P` and nine "
                            "letters and digits, as the claims list it)"},
                           day("on", "the statement's date (default: today)")],
            "responses": {"200": {"description": "the statement", "content": pdf},
                          "400": ERRORS["400"], "401": ERRORS["401"],
                          "404": _error("no patient of that number in the ledger")}}},
    }


def openapi(kit, example: dict | None = None, *, max_case_bytes: int, max_batch_bytes: int,
            token: bool = False, ledger: bool = False,
            max_remittance_bytes: int | None = None) -> dict:
    """The OpenAPI 3.1 document for ``kit``'s installed programs and formats. ``example``: a
    case (as JSON data) shown with each case endpoint. ``ledger``: the server has a ledger
    (``--ledger``), and the ``/v1/ledger`` operations are documented; an 835 posted to it is
    at most ``max_remittance_bytes``."""
    builder = SchemaBuilder()
    builder.ref(Case)
    facts = {}
    for entry in kit.programs():
        facts_type = entry.program.facts
        if facts_type is not None:
            facts[entry.program.id] = builder.ref(facts_type, f"Facts-{entry.program.id}")
    case_facts = builder.components["Case"]["properties"]["facts"]
    builder.components["Case"]["properties"]["facts"] = {
        **case_facts, "type": "object", "properties": facts,
        "additionalProperties": {"type": "object"},
        "description": "each program's own facts, under its id (`facts.ny-no-fault`)"}
    formats = [f.id for f in kit.claim_formats()]
    #: The formats that draw a claim (a batch's): not those that draw the plan.
    claim_formats = [f.id for f in kit.claim_formats() if f.renders == "claim"]
    case_body = {"required": True, "description": f"a case, as a JSON case file "
                 f"(docs/case-file.md); at most {max_case_bytes} bytes",
                 "content": {"application/json": {"schema": _ref("Case")}}}
    if example is not None:
        case_body["content"]["application/json"]["example"] = example

    def question(summary: str, answer: str, many: bool = False, fmt: str | None = None):
        params = _visit_params(many)
        if fmt is not None:
            params.append(_format_param(formats, None, fmt))
        return {"post": {"summary": summary, "operationId": answer[0].lower() + answer[1:],
                         "parameters": params, "requestBody": case_body,
                         "responses": {"200": {"description": "the answer",
                                               "content": _json(answer)}, **ERRORS}}}

    paths = {
        "/v1/programs": {"get": {
            "summary": "The installed programs (as `payerkit programs --json`)",
            "operationId": "programs",
            "responses": {"200": {"description": "the programs", "content": _json("Programs")},
                          "401": ERRORS["401"]}}},
        "/v1/programs/{id}": {"get": {
            "summary": "One program: its facts fields and the formats it takes",
            "operationId": "program",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}, "example": "ny-no-fault"}],
            "responses": {"200": {"description": "the program",
                                  "content": _json("ProgramDetail")},
                          "401": ERRORS["401"],
                          "404": _error("no installed program has that id")}}},
        "/v1/check": question("Eligibility (as `payerkit check --json`)", "Eligibility"),
        "/v1/price": question("Units, charges and allowed amounts (as `payerkit price "
                              "--json`)", "Pricing"),
        "/v1/limits": question("Visit and unit limits (as `payerkit limits --json`)",
                               "Limits"),
        "/v1/terms": question("Payment terms (as `payerkit terms --json`)", "PaymentTerms"),
        "/v1/scrub": question("Findings on the claim (as `payerkit scrub --json`; errors "
                              "are an answer, 200)", "Scrub", True,
                              "the format to check (default: the program's first)"),
        "/v1/evaluate": question("Every answer in one pass: eligibility, pricing, limits, "
                                 "payment terms, scrub", "Evaluation", True,
                                 "the format the scrub checks (default: the program's first)"),
    }
    media = {}
    for claim_format in kit.claim_formats():
        media.setdefault(claim_format.media_type.lower(), {
            "schema": {"type": "string", "contentMediaType": claim_format.media_type.lower()}})
    paths["/v1/claims"] = {"post": {
        "summary": "The claim file (as `payerkit claim`), or the scrub's findings when it is "
        "refused", "operationId": "claim",
        "parameters": [*_visit_params(True),
                       _format_param(formats, X12_837P, "the claim format")],
        "requestBody": case_body,
        "responses": {"200": {"description": "the claim file, named in Content-Disposition",
                              "content": media},
                      **ERRORS,
                      "422": {"description": "the case is not valid (`problems`), or the "
                              "claim is refused (`findings`)",
                              "content": {"application/json": {"schema": {"anyOf": [
                                  _ref("Problems"), _ref("Refused")]}}}}}}}
    plan_formats = [f.id for f in kit.claim_formats() if f.renders == "plan"]
    plan_media = {}
    for claim_format in kit.claim_formats():
        if claim_format.renders == "plan":
            plan_media.setdefault(claim_format.media_type.lower(), {"schema": {
                "type": "string", "contentMediaType": claim_format.media_type.lower()}})
    paths["/v1/plan"] = {"post": {
        "summary": "The treatment plan's state (as `payerkit plan --json`); with `format`, or "
        "`Accept: application/pdf`, its progress report (the bytes `payerkit claim --format "
        "progress-report` writes: the claim's errors do not stop it)", "operationId": "plan",
        "parameters": [_visit_params(False)[1],
                       _format_param(plan_formats, None, "a document about the plan to write "
                                     "instead of its state (default: the state, as JSON; "
                                     "`Accept: application/pdf` asks for the progress "
                                     "report)")],
        "requestBody": case_body,
        "responses": {"200": {"description": "the plan's state, or its document (named in "
                              "Content-Disposition)",
                              "content": {**_json("Plan"), **plan_media}},
                      **ERRORS,
                      "422": {"description": "the case is not valid, or has no treatment plan "
                              "(`problems`, naming `episode.plan`), or the report cannot print "
                              "a value (`findings`)",
                              "content": {"application/json": {"schema": {"anyOf": [
                                  _ref("Problems"), _ref("Refused")]}}}}}}}
    paths["/v1/batch"] = {"post": {
        "summary": "Many cases, JSON Lines in (one case per line), the batch's result lines "
        "streamed out (docs/batch.md); no claim is written: a case whose claim would be "
        "written is `clean`", "operationId": "batch",
        "parameters": [{"name": "visit", "in": "query", "required": False,
                        "schema": {"const": "all"},
                        "description": "`all`: bill every visit of each case (default: the "
                        "last)"},
                       _visit_params(False)[1],
                       _format_param(claim_formats, X12_837P,
                                     "the format each scrub checks")],
        "requestBody": {"required": True, "description": f"JSON Lines, one case per line; at "
                        f"most {max_batch_bytes} bytes",
                        "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        "responses": {"200": {"description": "one result line per case, in input order",
                              "content": {"application/x-ndjson": {
                                  "schema": {"type": "string"}}}},
                      **ERRORS}}}
    answers = dict(ANSWERS)
    if ledger:
        from .config import MAX_REMITTANCE_BYTES

        paths.update(ledger_paths(max_remittance_bytes or MAX_REMITTANCE_BYTES))
        answers.update(ledger_answers())
    paths["/v1/openapi.json"] = {"get": {
        "summary": "This document", "operationId": "openapi",
        "responses": {"200": {"description": "the OpenAPI 3.1 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "401": ERRORS["401"]}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "payerkit", "version": __version__,
                 "description": "US insurance payers' rules for massage therapy: eligibility, "
                 "prices, visit limits, scrubbing and claims, with reasons and citations "
                 "(docs/http.md)."},
        "paths": paths,
        "components": {"schemas": {**builder.components, **answers}},
    }
    if token:
        document["components"]["securitySchemes"] = {"bearer": {"type": "http",
                                                                "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
    return document

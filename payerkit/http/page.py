"""The practice page at ``/``: pick the program, fill in one visit (or upload a case file),
see the decision with its reasons and citations, the price, the limits and the scrub, and
download every claim the program takes.

Server-rendered HTML with no script and nothing fetched from elsewhere: it works offline
and by keyboard, and every input has its label. The form's fields are
:mod:`payerkit.http.form`'s; the answers are the one pipeline's (``PayerKit.evaluate``),
read and written through the server's service (the same case reader, the same path
confinement and the same claim files as ``/v1``).

Routes: ``GET /`` (the form; ``?program=ID`` draws that program's own facts),
``POST /`` (the answer for the filled form), ``POST /upload`` (the answer for a case file),
``POST /claim?format=ID`` (the claim file for the case the answer was given on).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..errors import CaseError, ClaimRefused, PayerKitError
from ..io import unstructure_case
from ..model import Program
from ..output import (
    eligibility_json,
    finding_json,
    limits_json,
    payment_terms_json,
    pricing_json,
)
from .form import SECTIONS, Field, all_fields, case_data, errors_by_field, facts_fields
from .service import Visits

#: The largest case file the page takes (an upload); the API's own limit applies to ``/v1``.
MAX_UPLOAD = 1_000_000
STATUS_WORDS = {"covered": "Covered", "action_required": "Action required",
                "not_covered": "Not covered"}

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;
line-height:1.4;color:#111}
fieldset{margin:1rem 0;border:1px solid #999;padding:.5rem 1rem}
legend{font-weight:bold}
.field{display:grid;grid-template-columns:16rem 1fr;gap:.5rem;margin:.3rem 0;align-items:start}
.hint{color:#444;font-size:.85em}
.error{color:#a00;font-weight:bold}
input[aria-invalid=true],select[aria-invalid=true]{border:2px solid #a00}
.status{font-size:1.4em;font-weight:bold;padding:.3rem .6rem;display:inline-block}
.covered{background:#dfd}.action_required{background:#ffd}.not_covered{background:#fdd}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}
:focus{outline:3px solid #05a;outline-offset:1px}
"""


def routes(service) -> list:
    """The page's routes, for the server's app (:func:`payerkit.http.app.create_app`):
    ``service`` is its :class:`~payerkit.http.service.Service` (the kit, the case reader with
    the server's file rules, the claim files, one evaluation at a time)."""
    from starlette.routing import Route

    from .app import in_thread  # the API's line: one evaluation at a time, first come first

    async def form(request):
        program = _program(service, request.query_params.get("program"))
        return _html(_form_page(service, program, {}, {}, []))

    async def answer(request):
        refused = _cross_site(request)
        if refused is not None:
            return refused
        values = await _values(request)
        return await in_thread(service, _answer_form, service, values)

    async def upload(request):
        refused = _cross_site(request)
        if refused is not None:
            return refused
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("case")
            if upload is None or not hasattr(upload, "read"):
                return _html(_form_page(service, None, {}, {}, ["case: choose a case file"]),
                             422)
            data = await upload.read(MAX_UPLOAD + 1)
            name = upload.filename or "case.toml"
        if len(data) > MAX_UPLOAD:
            return _html(_form_page(service, None, {}, {}, [
                f"case: the file is over {MAX_UPLOAD:,} bytes"]), 413)
        return await in_thread(service, _answer_upload, service, data, name)

    async def claim(request):
        refused = _cross_site(request)
        if refused is not None:
            return refused
        values = await _values(request)
        return await in_thread(service, _claim_file, service, values.get("case", ""),
                               request.query_params.get("format", ""))

    return [Route("/", form, methods=["GET"]), Route("/", answer, methods=["POST"]),
            Route("/upload", upload, methods=["POST"]), Route("/claim", claim, methods=["POST"])]


def _cross_site(request):
    """A form posted from another site's page (its ``Origin`` is not this server's) is
    refused: such a page could spend the practice's control numbers or fill its screen."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null" and request.headers.get("sec-fetch-site") in (
            None, "same-origin"):
        return None
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] == host:
        return None
    return _html(_page("Refused", "<p class=error>This form may only be sent from this "
                       "server's own page.</p>"), 403)


def _answer_form(service, values: dict):
    program = _program(service, values.get("program"))
    if program is None:
        return _html(_form_page(service, None, values, {},
                                ["program: choose the program that pays"]), 422)
    try:
        case = service.read_case_data(case_data(program, values))
    except CaseError as error:
        by_field, others = errors_by_field(error.problems, all_fields(program))
        return _html(_form_page(service, program, values, by_field, others), 422)
    return _answered(service, program, case, values)


def _answer_upload(service, data: bytes, name: str):
    try:
        case = service.read_case_text(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        return _html(_form_page(service, None, {}, {}, ["case: expected UTF-8 text"]), 422)
    except CaseError as error:
        return _html(_form_page(service, None, {}, {}, error.problems), 422)
    program = _program(service, case.program)
    if program is None:
        return _html(_form_page(service, None, {}, {}, [
            f"program: {case.program!r} is not installed here"]), 422)
    return _answered(service, program, case, {})


def _claim_file(service, case_json: str, fmt: str):
    from starlette.responses import Response

    try:
        case = service.read_case_data(json.loads(case_json))
        made = service.claim(case, fmt, Visits(), None)  # in the service's line already
    except (ValueError, CaseError) as error:
        problems = getattr(error, "problems", ["case: the page's case was not readable"])
        return _html(_form_page(service, None, {}, {}, problems), 422)
    except ClaimRefused as refused:
        return _html(_page("Claim refused", _findings_html(
            "The claim was not written", list(refused.findings))), 422)
    except PayerKitError as error:
        return _html(_page("Not written", f"<p class=error>{escape(str(error))}</p>"), 422)
    return Response(made.data, media_type=made.media_type, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"'})


# ---------------------------------------------------------------------------- reading


async def _values(request) -> dict[str, str]:
    async with request.form(max_files=0, max_fields=400) as form:
        return {key: value for key, value in form.items() if isinstance(value, str)}


def _program(service, program_id: str | None) -> Program | None:
    if not program_id:
        return None
    return next((e.program for e in service.kit.programs() if e.program.id == program_id), None)


# ---------------------------------------------------------------------------- pages


def _html(body: str, status: int = 200):
    from starlette.responses import HTMLResponse

    return HTMLResponse(body, status)


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)} · payerkit</title><style>{STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>")


def _programs(service) -> list[Program]:
    return sorted((e.program for e in service.kit.programs()), key=lambda p: p.id)


def _form_page(service, program: Program | None, values: dict, errors: dict,
               others: list[str]) -> str:
    chosen = program.id if program is not None else ""
    options = "".join(f"<option value='{escape(p.id)}'{' selected' if p.id == chosen else ''}>"
                      f"{escape(p.id)} — {escape(p.name)}</option>" for p in _programs(service))
    parts = ["<h1>Will the insurer pay for this visit?</h1>",
             "<form method=get action='/'><label for=choose>Program</label> "
             f"<select id=choose name=program><option value=''>choose…</option>{options}"
             "</select> <button type=submit>Choose</button></form>"]
    if others:
        parts.append("<div role=alert><p class=error>Please correct:</p><ul>" + "".join(
            f"<li class=error>{escape(p)}</li>" for p in others) + "</ul></div>")
    if program is not None:
        parts.append(f"<form method=post action='/' novalidate>"
                     f"<input type=hidden name=program value='{escape(program.id)}'>"
                     f"<p>Program: <strong>{escape(program.name)}</strong></p>")
        own = facts_fields(program)
        for section in SECTIONS:
            parts.append(_fieldset(section.title, section.fields, values, errors))
        if own:
            parts.append(_fieldset(f"{program.name}: its own facts", own, values, errors))
        parts.append("<button type=submit>Get the answer</button></form>")
    parts.append("<h2>Or upload a case file</h2><form method=post action='/upload' "
                 "enctype=multipart/form-data><label for=case-file>Case file (TOML or "
                 "JSON)</label> <input id=case-file type=file name=case "
                 "accept='.toml,.json'> <button type=submit>Get the answer</button></form>")
    return _page("Will the insurer pay for this visit?", "".join(parts))


def _fieldset(title: str, fields: tuple[Field, ...], values: dict, errors: dict) -> str:
    return (f"<fieldset><legend>{escape(title)}</legend>"
            + "".join(_input(f, values.get(f.path, ""), errors.get(f.path, [])) for f in fields)
            + "</fieldset>")


def _input(field: Field, value: str, problems: list[str]) -> str:
    ident = "f-" + "".join(c if c.isalnum() else "-" for c in field.path)
    described = []
    extra = ""
    if field.hint:
        described.append(f"{ident}-hint")
        extra += f"<span id={ident}-hint class=hint>{escape(field.hint)}</span>"
    if problems:
        described.append(f"{ident}-error")
        extra += (f"<span id={ident}-error class=error role=alert>"
                  f"{escape('; '.join(problems))}</span>")
    attrs_ = (f" id={ident} name='{escape(field.path)}'"
              + (" required aria-required=true" if field.required else "")
              + (" aria-invalid=true" if problems else "")
              + (f" aria-describedby='{' '.join(described)}'" if described else ""))
    if field.kind in ("choice", "yesno"):
        choices = field.choices if field.kind == "choice" else (("yes", "yes"), ("no", "no"))
        options = "<option value=''>—</option>" + "".join(
            f"<option value='{escape(v)}'{' selected' if v == value else ''}>{escape(t)}</option>"
            for v, t in choices)
        control = f"<select{attrs_}>{options}</select>"
    elif field.kind == "rates":
        control = f"<textarea{attrs_} rows=3>{escape(value)}</textarea>"
    else:
        kind = {"date": "date", "number": "number"}.get(field.kind, "text")
        control = f"<input type={kind}{attrs_} value='{escape(value)}'>"
    label = escape(field.label) + (" <span aria-hidden=true>*</span>" if field.required else "")
    return (f"<div class=field><label for={ident}>{label}</label>"
            f"<div>{control}<br>{extra}</div></div>")


def _answered(service, program: Program, case, values: dict):
    try:
        evaluation = service.kit.evaluate(case, None, None, written_on=service.today())
    except CaseError as error:  # a program's facts, read when asked
        by_field, others = errors_by_field(error.problems, all_fields(program))
        return _html(_form_page(service, program, values, by_field, others), 422)
    except PayerKitError as error:
        return _html(_page("No answer", f"<p class=error>{escape(str(error))}</p>"), 422)
    return _html(_answer_page(program, evaluation))


def _answer_page(program: Program, evaluation) -> str:
    eligibility = eligibility_json(evaluation.eligibility)
    status = eligibility["status"]
    parts = [f"<h1>{escape(program.name)}</h1>",
             f"<p role=status><span class='status {escape(status)}'>"
             f"{escape(STATUS_WORDS.get(status, status))}</span> "
             f"for the visit of {escape(evaluation.visits[-1].date.isoformat())}</p>"]
    parts.append(_reasons_html("What must be done first", eligibility.get("requirements", [])))
    parts.append(_reasons_html("Why", eligibility.get("reasons", [])))
    parts.append(_pricing_html(pricing_json(evaluation.pricing)))
    parts.append(_limits_html(limits_json(evaluation.limits)))
    parts.append(_terms_html(payment_terms_json(evaluation.payment_terms)))
    parts.append(_findings_html("Before the claim goes out (the scrub)",
                                evaluation.scrub.findings))
    case = json.dumps(unstructure_case(evaluation.case), default=str)
    buttons = "".join(
        f"<button type=submit formaction='/claim?format={escape(fmt)}'>Download the "
        f"{escape(fmt)}</button> " for fmt in program.claim_formats)
    parts.append("<h2>Claims</h2><form method=post action='/claim'>"
                 f"<input type=hidden name=case value='{escape(case)}'>{buttons}</form>"
                 "<p><a href='/?program=" + escape(program.id) + "'>Another visit</a></p>")
    return _page(f"{program.name}: {STATUS_WORDS.get(status, status)}", "".join(parts))


def _citation_html(citation: dict | None) -> str:
    if not citation:
        return ""
    text = escape(citation["source"])
    if citation.get("edition"):
        text += f", {escape(citation['edition'])}"
    text += f" [{escape(citation['confidence'])}]"
    if citation.get("url"):
        text = f"<a href='{escape(citation['url'])}'>{text}</a>"
    return f"<br><span class=hint>Source: {text}</span>"


def _reasons_html(title: str, reasons: list[dict]) -> str:
    if not reasons:
        return ""
    return (f"<h2>{escape(title)}</h2><ul class=reasons>" + "".join(
        f"<li><strong>{escape(r['code'])}</strong> {escape(r['message'])}"
        f"{_citation_html(r.get('citation'))}</li>" for r in reasons) + "</ul>")


def _pricing_html(pricing: dict) -> str:
    rows = "".join(
        f"<tr><td>{escape(str(line['code']))}</td><td>{escape(str(line['units']))}</td>"
        f"<td>{escape(str(line['charge']))}</td><td>{escape(str(line.get('allowed') or '—'))}"
        f"</td></tr>" for line in pricing["lines"])
    return ("<h2>The price</h2><table><caption>Each service line</caption><thead><tr>"
            "<th scope=col>Code</th><th scope=col>Units</th><th scope=col>Charge</th>"
            f"<th scope=col>Allowed</th></tr></thead><tbody>{rows}</tbody><tfoot><tr>"
            f"<th scope=row colspan=2>Total</th><td>{escape(str(pricing['total_charge']))}</td>"
            f"<td>{escape(str(pricing.get('total_allowed') or '—'))}</td></tr></tfoot></table>"
            + _reasons_html("How it was priced", pricing.get("reasons", [])))


def _limits_html(limits: dict) -> str:
    items = limits.get("limits", [])
    if not items:
        return ""
    return ("<h2>Limits</h2><ul>" + "".join(
        f"<li>{escape(item['name'])}: {escape(str(item['used']))} "
        + (f"of {escape(str(item['allowed']))} " if item.get("allowed") is not None else "")
        + f"{escape(item['unit'])} used ({escape(item['window'])})"
        + (f", {escape(str(item['remaining']))} left" if item.get("remaining") is not None
           else "")
        + f"{_citation_html(item.get('citation'))}</li>" for item in items) + "</ul>")


def _terms_html(terms: dict) -> str:
    items = terms.get("terms", [])
    if not items:
        return ""
    return ("<h2>Payment terms</h2><ul>" + "".join(
        f"<li>{escape(item.get('description') or item.get('name', ''))}"
        f"{_citation_html(item.get('citation'))}</li>" for item in items) + "</ul>")


def _findings_html(title: str, findings: list[Any]) -> str:
    found = [finding_json(f) for f in findings]
    if not found:
        return f"<h2>{escape(title)}</h2><p>Nothing to fix.</p>"
    errors = sum(f["severity"] == "error" for f in found)
    summary = (f"{errors} error(s): fix them before the claim goes out" if errors else
               "No errors: the claim can be written; look at the warnings")
    return (f"<h2>{escape(title)}</h2><p>{summary}</p><ul>" + "".join(
        f"<li><strong>{escape(f['severity'].upper())}</strong> {escape(f['code'])}: "
        f"{escape(f['message'])}{_citation_html(f.get('citation'))}</li>" for f in found)
        + "</ul>")

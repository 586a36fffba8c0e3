"""The practice page's form: its fields, named by their case path, and the case they make.

Every input is named by the case field it fills, in the path syntax payerkit's errors use
(``patient.birth_date``, ``visits[0].services[1].code``, ``facts.ny-no-fault.vehicle``),
so a problem the case reader reports lands next to its field with no table between them.
:func:`case_data` turns the submitted values into the case-file contract's JSON shape and
payerkit's own strict reader judges it; nothing here decides what is valid.

The program's own facts are drawn from its facts type (:func:`facts_fields`): a ``Literal``
is a choice, a ``bool`` a yes/no, a ``date`` a date, an ``int`` a number, anything else text.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from typing import Literal

import attrs
from attrs import frozen

from ..model.program import Program
from ..paths import facts_path, field_path

Kind = Literal["text", "date", "number", "choice", "yesno", "list", "pointers", "rates", "money"]


@frozen
class Field:
    """One input: the case path it fills, its label, its kind; ``choices`` for a choice."""

    path: str
    label: str
    kind: Kind = "text"
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    hint: str = ""


@frozen
class Section:
    """A fieldset: its legend and fields."""

    title: str
    fields: tuple[Field, ...]


def _address(prefix: str, zip_hint: str = "5 or 9 digits") -> tuple[Field, ...]:
    return (Field(f"{prefix}.line1", "Street address", required=True),
            Field(f"{prefix}.city", "City", required=True),
            Field(f"{prefix}.state", "State (2 letters)", required=True),
            Field(f"{prefix}.zip", "ZIP code", required=True, hint=zip_hint))


SEX = (("F", "female"), ("M", "male"), ("U", "unknown"))
EPISODE_KINDS = (("auto_accident", "auto accident"), ("work_injury", "work injury"),
                 ("other_accident", "other accident"), ("illness", "illness or condition"))
#: How many service lines the visit offers (a massage visit bills one to three codes).
SERVICES = 3

SECTIONS = (
    Section("The practice", (
        Field("provider.name", "Practice name", required=True),
        Field("provider.npi", "NPI", required=True, hint="10 digits"),
        Field("provider.tax_id", "Tax ID (EIN)", required=True, hint="9 digits, no dash"),
        Field("provider.phone", "Phone", hint="10 digits"),
        Field("provider.license", "Licence number"),
        Field("provider.payer_assigned_id", "The payer's id for the practice",
              hint="e.g. an L&I provider account number"),
        Field("provider.cash_rates", "Your usual fee per unit, by code", "rates",
              hint="one per line: 97124 = 18.79 (what cash clients pay; charges come from it)"),
        *_address("provider.address", "9 digits (ZIP+4, no dash): a claim needs them"),
    )),
    Section("The therapist, when not the practice", (
        Field("rendering.first_name", "Therapist's first name"),
        Field("rendering.last_name", "Therapist's last name"),
        Field("rendering.npi", "Therapist's NPI"),
        Field("rendering.license", "Therapist's licence number"),
    )),
    Section("The client", (
        Field("patient.first_name", "First name", required=True),
        Field("patient.last_name", "Last name", required=True),
        Field("patient.birth_date", "Date of birth", "date", required=True),
        Field("patient.sex", "Sex", "choice", SEX, required=True),
        *_address("patient.address"),
    )),
    Section("The coverage", (
        Field("coverage.insurer", "Insurer"),
        Field("coverage.member_id", "Member ID", hint="as on the card"),
        Field("coverage.group_number", "Group number"),
        Field("coverage.claim_number", "Insurer's claim number",
              hint="auto and workers' compensation"),
        Field("coverage.payer_id", "Payer ID (X12)"),
        Field("coverage.employer", "Employer", hint="workers' compensation"),
    )),
    Section("The injury or condition", (
        Field("episode.kind", "What happened", "choice", EPISODE_KINDS, required=True),
        Field("episode.onset_date", "Date of the accident or onset", "date", required=True),
        Field("episode.state", "State where it happened (2 letters)"),
        Field("episode.notice_date", "Date the insurer was notified", "date"),
        Field("episode.diagnoses", "Diagnoses (ICD-10-CM)", "list", required=True,
              hint="separated by commas, the principal first"),
        Field("episode.prescription.prescriber.first_name", "Prescriber's first name"),
        Field("episode.prescription.prescriber.last_name", "Prescriber's last name"),
        Field("episode.prescription.prescriber.npi", "Prescriber's NPI"),
        Field("episode.prescription.date", "Date of the prescription", "date"),
        Field("episode.prescription.visits", "Visits prescribed", "number"),
        Field("episode.authorization.number", "Authorization number"),
    )),
    Section("The visit", (
        Field("visits[0].date", "Date of the visit", "date", required=True),
        Field("visits[0].place_of_service", "Place of service", hint="11 office, 12 home"),
        *(field for n in range(SERVICES) for field in (
            Field(field_path("visits", 0, "services", n, "code"), f"Service {n + 1}: code",
                  hint="97124 massage, 97140 manual therapy" if n == 0 else ""),
            Field(field_path("visits", 0, "services", n, "minutes"),
                  f"Service {n + 1}: minutes", "number"),
            Field(field_path("visits", 0, "services", n, "diagnoses"),
                  f"Service {n + 1}: diagnoses", "pointers",
                  hint="which diagnoses, by number: 1, 2"))),
        Field("visits[0].amount_paid", "Paid by the client at the visit", "money",
              hint="dollars and cents: 25.00"),
    )),
    Section("Fees and the claim", (
        Field("fees.rates", "Allowed amount per unit, by code", "rates",
              hint="one per line: 97124 = 18.79 (the payer's schedule or your contract)"),
        Field("fees.source", "Where those amounts come from",
              hint="the schedule or contract, and its edition"),
        Field("claim.benefits_assigned", "The client assigned benefits to the practice",
              "yesno"),
        Field("as_of", "Judge deadlines on", "date", hint="default: today"),
    )),
)


def facts_fields(program: Program) -> tuple[Field, ...]:
    """The program's own facts (``[facts.<program id>]``), one input per field of its facts
    type, in the type's order."""
    if program.facts is None:
        return ()
    hints = typing.get_type_hints(program.facts)
    fields = []
    for item in attrs.fields(program.facts):
        kind, choices = _kind(hints.get(item.name, str))
        label = item.name.replace("_", " ").capitalize()
        fields.append(Field(facts_path(program, item.name), label, kind, choices))
    return tuple(fields)


def _kind(hint) -> tuple[Kind, tuple[tuple[str, str], ...]]:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    if typing.get_origin(hint) is Literal:
        return "choice", tuple((str(v), str(v).replace("_", " ")) for v in typing.get_args(hint))
    if hint is bool:
        return "yesno", ()
    if hint is dt.date:
        return "date", ()
    if hint is int:
        return "number", ()
    return "text", ()


def all_fields(program: Program | None) -> tuple[Field, ...]:
    own = facts_fields(program) if program is not None else ()
    return tuple(f for s in SECTIONS for f in s.fields) + own


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_parts(path: str) -> list[str | int]:
    """``visits[0].services[1].code`` → ``["visits", 0, "services", 1, "code"]``; a facts
    path keeps the program id whole (``facts.ny-no-fault.vehicle``)."""
    return [int(index) if index else name for name, index in _PART.findall(path)]


def case_data(program: Program, values: Mapping[str, str]) -> dict:
    """The case (the case-file contract's JSON shape) the form's ``values`` make: each filled
    field put at its path, in the type its kind says; what cannot be read that way is passed
    on as given, for the case reader to refuse naming the field. Empty fields are left out,
    and so is a table the form left empty (an optional therapist, prescription...)."""
    data: dict = {"program": program.id}
    for field in all_fields(program):
        raw = values.get(field.path, "")
        value = _value(field, raw.strip() if isinstance(raw, str) else raw)
        if value is not None:
            _put(data, path_parts(field.path), value)
    for visit in data.get("visits", []):
        if "services" in visit:  # rows left empty are not services
            visit["services"] = [s for s in visit["services"] if s]
    return data


def _value(field: Field, text: str):
    if text == "":
        return None
    if field.kind == "number":
        return int(text) if text.isdigit() else text
    if field.kind == "yesno":
        return {"yes": True, "no": False}.get(text, text)
    if field.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if field.kind == "pointers":
        parts = [part.strip() for part in text.split(",") if part.strip()]
        return [int(p) if p.isdigit() else p for p in parts]
    if field.kind == "rates":
        rates = {}
        for line in text.splitlines():
            code, sep, amount = line.partition("=")
            if code.strip():
                rates[code.strip()] = amount.strip() if sep else ""
        return rates or None
    return text


def _put(data: dict, parts: list[str | int], value) -> None:
    """Put ``value`` at ``parts`` under ``data``, making the tables and lists on the way."""
    node = data
    for part, after in zip(parts, parts[1:], strict=False):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(after, int) else {})
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append({})
        node[last] = value
    else:
        node[last] = value


def errors_by_field(problems: list[str], fields: tuple[Field, ...]) -> tuple[dict, list]:
    """The case reader's problems (``path: what was expected``) by the form field they are
    about (the field at that path, or the first field under it), and those no field holds."""
    by_field: dict[str, list[str]] = {}
    others: list[str] = []
    for problem in problems:
        path, _, message = problem.partition(": ")
        field = next((f.path for f in fields if f.path == path), None) or next(
            (f.path for f in fields if f.path.startswith(path + ".")
             or f.path.startswith(path + "[")), None)
        if field is None:
            others.append(problem)
        else:
            by_field.setdefault(field, []).append(message or problem)
    return by_field, others

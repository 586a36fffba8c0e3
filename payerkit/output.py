"""What the ``payerkit`` command prints: the documented JSON shapes, the text renderings.

The JSON shapes (``docs/cli.md``) are a public contract. Used by :mod:`payerkit.cli` and
:mod:`payerkit.commands`; imports neither.

Exit status: 0 done; 1 the scrub found errors (``scrub``, ``claim``); 2 bad
input (a case file, an option, an unknown program), one line per problem
naming the field; 3 a plugin or set-up problem (a conflict, a failed plugin in
strict mode, a damaged control-number counter). The codes are :mod:`payerkit.errors`'s,
where each error carries its own (``exit_code``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal

from .errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_PLUGIN  # noqa: F401 (the command's)
from .paths import facts_path
from .rules.money import format_money

# ---------------------------------------------------------------------------
# Printing.
# ---------------------------------------------------------------------------


def emit(data: dict, as_json: bool, text: str) -> None:
    print(json.dumps(data, indent=2) if as_json else text)


def printable(text: str) -> str:
    """``text`` with every control, format, surrogate or separator character escaped.

    A problem line may quote what the user wrote (an unknown key); escaped, it
    can never become two lines (``fake.path: all good``) or repaint a terminal.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                    if ord(c) < 0x10000 else f"\\U{ord(c):08x}") for c in text)


def print_problems(lines: list[str], title: str) -> None:
    """One line per problem on stderr, each made printable."""
    print(f"payerkit: {title}:", file=sys.stderr)
    for line in lines:
        print(f"  {printable(str(line))}", file=sys.stderr)


# ---------------------------------------------------------------------------
# Results as the documented JSON shapes of the CLI (docs/cli.md).
# ---------------------------------------------------------------------------


def citation_json(citation) -> dict | None:
    if citation is None:
        return None
    return {"source": citation.source, "edition": citation.edition,
            "confidence": citation.confidence, "url": citation.url}


def reason_json(reason) -> dict:
    return {"code": reason.code, "message": reason.message, "severity": reason.severity,
            "citation": citation_json(reason.citation)}


def eligibility_json(result) -> dict:
    return {"program": result.program, "status": result.status,
            "requirements": [reason_json(r) for r in result.requirements],
            "reasons": [reason_json(r) for r in result.reasons]}


def pricing_json(result) -> dict:
    return {
        "program": result.program,
        "lines": [{"date": line.date.isoformat(), "code": line.code,
                   "modifiers": list(line.modifiers), "minutes": line.minutes,
                   "units": line.units, "charge": format_money(line.charge),
                   "allowed": format_money(line.allowed), "fee_source": line.fee_source}
                  for line in result.lines],
        "total_charge": format_money(result.total_charge),
        "total_allowed": format_money(result.total_allowed),
        "reasons": [reason_json(r) for r in result.reasons],
    }


def _number(value):
    if value is None or isinstance(value, int):
        return value
    return str(value)


def limits_json(result) -> dict:
    return {"program": result.program, "limits": [
        {"name": lim.name, "unit": lim.unit, "allowed": _number(lim.allowed),
         "used": _number(lim.used), "remaining": _number(lim.remaining),
         "over": _number(lim.over), "window": lim.window, "citation": citation_json(lim.citation)}
        for lim in result.limits]}


def finding_json(finding) -> dict:
    return {"severity": finding.severity, "code": finding.code, "message": finding.message,
            "path": finding.path, "citation": citation_json(finding.citation)}


def scrub_json(result) -> dict:
    return {"program": result.program, "findings": [finding_json(f) for f in result.findings]}


def _decimal(value):
    return None if value is None else str(value)


def payment_terms_json(result) -> dict:
    return {"program": result.program, "terms": [
        {"name": t.name, "description": t.description, "days": t.days, "share": _decimal(t.share),
         "interest_per_month": _decimal(t.interest_per_month),
         "interest_after_days": t.interest_after_days, "citation": citation_json(t.citation)}
        for t in result.terms]}


def evaluation_json(ev) -> dict:
    """An evaluation (``kit.evaluate``): the single commands' shapes in one answer, as a
    batch's result line holds them, and whether the claim may be written (``status``:
    ``clean`` or ``refused``, the scrub's errors in ``scrub``) in ``format``, the format
    the scrub checked. ``pricings`` lists each visit's pricing when several are billed."""
    data = {"program": ev.program, "status": "clean" if ev.clean else "refused",
            "format": ev.format, "eligibility": eligibility_json(ev.eligibility),
            "pricing": pricing_json(ev.pricing), "limits": limits_json(ev.limits),
            "payment_terms": payment_terms_json(ev.payment_terms), "scrub": scrub_json(ev.scrub)}
    if len(ev.pricings) > 1:
        data["pricings"] = [pricing_json(p) for p in ev.pricings]
    return data


def program_json(entry) -> dict:
    """A program with its plugin (``payerkit programs``; ``entry``: a ``ProgramEntry``)."""
    program, plugin = entry.program, entry.plugin
    return {"id": program.id, "name": program.name, "plugin": plugin.name,
            "distribution": plugin.distribution, "version": plugin.version,
            "states": list(program.states), "line_of_business": program.line_of_business,
            "claim_formats": list(program.claim_formats),
            "sources": [citation_json(c) for c in program.sources]}


def claim_format_json(claim_format) -> dict:
    return {"id": claim_format.id, "name": claim_format.name, "media_type": claim_format.media_type,
            "suffix": claim_format.suffix, "for_patient": claim_format.for_patient}


def program_detail_json(entry, formats: list, facts: list[dict]) -> dict:
    """A program as :func:`program_json`, with the formats it takes (``formats``: its
    ``ClaimFormat`` records, in its order) and its own case facts (``facts``: one entry per
    field of its facts type, ``{"name", "required", "default", "schema"}``, read from the
    case's ``facts.<program id>`` table; empty when it declares none)."""
    program = entry.program
    return {**program_json(entry), "payer_id": program.payer_id,
            "funding": program.funding, "formats": [claim_format_json(f) for f in formats],
            "facts": {"table": facts_path(program), "fields": facts}}


def rule_set_json(rule_set) -> dict:
    return {"id": rule_set.id, "name": rule_set.name, "applies_to": rule_set.scope,
            "states": list(rule_set.states), "lines_of_business": list(rule_set.lines_of_business),
            "funding": list(rule_set.funding),
            "sources": [citation_json(c) for c in rule_set.sources]}


def plugin_json(entry) -> dict:
    info = entry.info
    return {"name": info.name, "distribution": info.distribution, "version": info.version,
            "hooks": list(entry.hooks), "programs": list(entry.programs),
            "rule_sets": [rule_set_json(rs) for rs in entry.rule_sets]}


# ---------------------------------------------------------------------------
# The same shapes as JSON text, for results by the thousand (a batch's result lines).
# ---------------------------------------------------------------------------

#: ``json.dumps(..., ensure_ascii=False)``, without the check for cycles (a result is a tree).
JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def utf8(text: str) -> bytes:
    """JSON text as UTF-8. A lone surrogate (a file name that is not UTF-8, read with
    ``surrogateescape``) becomes its JSON escape (``\\udcff``): the bytes stay UTF-8, the JSON
    valid, and ``os.fsencode`` of the parsed string gives the name back."""
    return text.encode("utf-8", "backslashreplace")


class JsonBytes:
    """The JSON of a result's shape as UTF-8 bytes: byte for byte
    ``utf8(json.dumps(shape(result), ensure_ascii=False))``, made without building the
    shape. Each method appends the pieces of one shape to a list, which the caller joins
    once (a batch's result line). Results repeat their strings (codes, messages,
    citations, fee sources, amounts, payment terms) from case to case, so the JSON of each
    string, date and amount, of each citation and reason (by its values, when they are all
    strings or ``None``) and of each payment term (by the term itself: a program's terms
    are its constants) is made once and kept: at most :attr:`KEPT` of each, then all are
    forgotten and kept anew, so memory stays flat.

    A value of a type a shape does not expect (a plugin's float, a ``str`` subclass) is
    written by :data:`JSON`, as ``json.dumps`` writes it; one that ``json.dumps`` refuses,
    or that cannot be looked up (a list where a string belongs), raises ``TypeError``: the
    caller then writes that result from its shape, with :data:`JSON`.
    """

    KEPT = 20_000

    def __init__(self) -> None:
        self._values: dict = {None: b"null"}
        self._citations: dict[tuple, bytes] = {}
        self._reasons: dict[tuple, bytes] = {}
        self._money: dict[Decimal, bytes] = {}
        self._dates: dict[dt.date, bytes] = {}
        self._terms: dict[int, tuple[object, bytes]] = {}

    def value(self, value) -> bytes:
        """A string or ``None`` (kept), an integer, or whatever else ``json.dumps`` writes."""
        text = self._values.get(value)
        if text is not None:
            return text
        if value.__class__ is int:
            return b"%d" % value
        text = utf8(JSON.encode(value))
        if value.__class__ is str:
            _keep(self._values, value, self.KEPT, text)
            self._values[None] = b"null"  # kept, whatever was forgotten
        return text

    def money(self, amount) -> bytes:
        """``format_money(amount)``'s JSON; kept by amount (``30.0`` and ``30.00`` write
        alike), but for zero (``-0`` equals ``0``, and writes ``-0.00``)."""
        if amount.__class__ is not Decimal:
            return self.value(format_money(amount))
        text = self._money.get(amount)
        if text is None:
            text = self.value(format_money(amount))
            if amount and amount.is_finite():
                _keep(self._money, amount, self.KEPT, text)
        return text

    def date(self, day) -> bytes:
        """``day.isoformat()``'s JSON."""
        text = self._dates.get(day) if day.__class__ is dt.date else None
        if text is None:
            text = self.value(day.isoformat())
            if day.__class__ is dt.date:
                _keep(self._dates, day, self.KEPT, text)
        return text

    def citation(self, c) -> bytes:
        if c is None:
            return b"null"
        key = (c.source, c.edition, c.confidence, c.url)
        text = self._citations.get(key)
        if text is None:
            v = self.value
            text = b"".join((b'{"source": ', v(c.source), b', "edition": ', v(c.edition),
                             b', "confidence": ', v(c.confidence), b', "url": ', v(c.url), b"}"))
            if _plain(key):
                _keep(self._citations, key, self.KEPT, text)
        return text

    def reasons(self, reasons) -> bytes:
        """A list of reasons; each reason's JSON kept by its values (:meth:`_reason`)."""
        kept, texts = self._reasons.get, []
        for r in reasons:
            c = r.citation
            key = (r.code, r.message, r.severity, c if c is None else
                   (c.source, c.edition, c.confidence, c.url))
            texts.append(kept(key) or self._reason(r, key))
        return b"[" + b", ".join(texts) + b"]"

    def _reason(self, r, key: tuple) -> bytes:
        v = self.value
        text = b"".join((b'{"code": ', v(r.code), b', "message": ', v(r.message),
                         b', "severity": ', v(r.severity), b', "citation": ',
                         self.citation(r.citation), b"}"))
        if _plain(key[:3]) and (key[3] is None or _plain(key[3])):
            _keep(self._reasons, key, self.KEPT, text)
        return text

    def eligibility(self, result, out: list) -> None:
        get, v = self._values.get, self.value
        out += (b'{"program": ', get(result.program) or v(result.program),
                b', "status": ', get(result.status) or v(result.status),
                b', "requirements": ', self.reasons(result.requirements),
                b', "reasons": ', self.reasons(result.reasons), b"}")

    def pricing(self, result, out: list) -> Decimal | None:
        """Writes the pricing; returns its ``total_allowed`` (written in it), for a caller
        that needs it too."""
        get, v, money, dates = self._values.get, self.value, self.money, self._dates.get
        out += (b'{"program": ', get(result.program) or v(result.program), b', "lines": [')
        between = b""
        for line in result.lines:
            day, minutes, units, modifiers = line.date, line.minutes, line.units, line.modifiers
            out += (between, b'{"date": ', dates(day) or self.date(day),
                    b', "code": ', get(line.code) or v(line.code),
                    b', "modifiers": [',
                    b", ".join([get(m) or v(m) for m in modifiers]) if modifiers else b"",
                    b'], "minutes": ', b"%d" % minutes if minutes.__class__ is int else v(minutes),
                    b', "units": ', b"%d" % units if units.__class__ is int else v(units),
                    b', "charge": ', money(line.charge), b', "allowed": ', money(line.allowed),
                    b', "fee_source": ', get(line.fee_source) or v(line.fee_source), b"}")
            between = b", "
        allowed = result.total_allowed
        out += (b'], "total_charge": ', money(result.total_charge),
                b', "total_allowed": ', money(allowed),
                b', "reasons": ', self.reasons(result.reasons), b"}")
        return allowed

    def number(self, value) -> bytes:
        """``_number(value)``'s JSON: an integer as it is, another number as a string."""
        if value.__class__ is int:
            return b"%d" % value
        return self.value(_number(value))

    def limits(self, result, out: list) -> None:
        get, v, number = self._values.get, self.value, self.number
        out += (b'{"program": ', get(result.program) or v(result.program), b', "limits": [')
        between = b""
        for lim in result.limits:
            used, allowed = lim.used, lim.allowed
            out += (between, b'{"name": ', get(lim.name) or v(lim.name),
                    b', "unit": ', get(lim.unit) or v(lim.unit),
                    b', "allowed": ', b"%d" % allowed if allowed.__class__ is int else number(allowed),
                    b', "used": ', b"%d" % used if used.__class__ is int else number(used),
                    b', "remaining": ', number(lim.remaining), b', "over": ', number(lim.over),
                    b', "window": ', get(lim.window) or v(lim.window),
                    b', "citation": ', self.citation(lim.citation), b"}")
            between = b", "
        out.append(b"]}")

    def scrub(self, result, out: list, more=()) -> None:
        """``scrub_json(result)``; ``more``: findings after the scrub's own."""
        get, v = self._values.get, self.value
        out += (b'{"program": ', get(result.program) or v(result.program), b', "findings": [')
        between = b""
        for f in (*result.findings, *more):
            out += (between, b'{"severity": ', get(f.severity) or v(f.severity),
                    b', "code": ', get(f.code) or v(f.code),
                    b', "message": ', get(f.message) or v(f.message),
                    b', "path": ', get(f.path) or v(f.path),
                    b', "citation": ', self.citation(f.citation), b"}")
            between = b", "
        out.append(b"]}")

    def payment_terms(self, result, out: list) -> None:
        get, v = self._values.get, self.value
        out += (b'{"program": ', get(result.program) or v(result.program), b', "terms": [',
                b", ".join([self._term(t) for t in result.terms]), b"]}")

    def _term(self, t) -> bytes:
        """A term's JSON, kept by the term itself (a program's terms are its own constants,
        the same objects from case to case; results are frozen)."""
        found = self._terms.get(id(t))
        if found is not None:
            return found[1]
        v = self.value
        text = b"".join((b'{"name": ', v(t.name), b', "description": ', v(t.description),
                         b', "days": ', v(t.days), b', "share": ', v(_decimal(t.share)),
                         b', "interest_per_month": ', v(_decimal(t.interest_per_month)),
                         b', "interest_after_days": ', v(t.interest_after_days),
                         b', "citation": ', self.citation(t.citation), b"}"))
        _keep(self._terms, id(t), self.KEPT, (t, text))  # kept alive: its id stays its own
        return text


def _keep(kept: dict, key, most: int, text: object) -> None:
    if len(kept) >= most:
        kept.clear()
    kept[key] = text


def _plain(values: tuple) -> bool:
    """Whether ``values`` are strings or ``None`` only: a key no value of another type
    equals (``True == 1``, though ``json.dumps`` writes them apart), so its text may be kept."""
    return all(x is None or x.__class__ is str for x in values)


# ---------------------------------------------------------------------------
# Text renderings (without ``--json``), built from the JSON shapes above.
# ---------------------------------------------------------------------------


def citation_text(citation: dict | None) -> str:
    if not citation:
        return ""
    edition = f", {citation['edition']}" if citation.get("edition") else ""
    return f"\n      source: {printable(citation['source'] + edition)} [{citation['confidence']}]"


def plan_json(report) -> dict:
    """``payerkit plan --json``: the treatment plan's state (a ``PlanReport``)."""
    def day(value):
        return None if value is None else value.isoformat()

    def number(value):
        return None if value is None else str(value)

    return {
        "program": report.program, "as_of": day(report.as_of), "start": day(report.start),
        "end": day(report.end), "planned_visits": report.planned_visits,
        "visits_per_week": report.visits_per_week, "re_evaluation": day(report.re_evaluation),
        "discharge": report.discharge, "visits_attended": report.visits_attended,
        "visits_missed": report.visits_missed, "visits_left": report.visits_left,
        "days_left": report.days_left,
        "goals": [{"description": g.description, "measure": g.measure,
                   "measure_name": g.measure_name, "unit": g.unit, "better": g.better,
                   "baseline": number(g.baseline), "target": number(g.target),
                   "points": [{"date": day(d), "value": number(v)} for d, v in g.points],
                   "latest": number(g.latest), "change": number(g.change),
                   "mcid": number(g.mcid), "mcid_source": g.mcid_source, "met": g.met,
                   "progressed": g.progressed} for g in report.goals],
        "authorizations": [{"number": a.number, "visits": a.visits, "used": a.used,
                            "left": a.left, "start": day(a.start), "end": day(a.end)}
                           for a in report.authorizations],
        "due": list(report.due), "notes": list(report.notes),
    }


def plan_text(data: dict) -> str:
    """``payerkit plan``'s text: the plan, each goal's progress, what is due."""
    left = "-" if data["visits_left"] is None else data["visits_left"]
    days = "-" if data["days_left"] is None else data["days_left"]
    lines = [f"{data['program']}: plan {data['start']} to {data['end'] or 'no end given'} "
             f"(on {data['as_of']}): {data['visits_attended']} visit(s) attended, "
             f"{data['visits_missed']} missed, {left} planned visit(s) and {days} day(s) left"]
    if data["re_evaluation"]:
        lines.append(f"re-evaluation: {data['re_evaluation']}")
    rows = [[g["measure"], g["baseline"], g["latest"] or "-", g["target"], g["change"] or "-",
             g["mcid"] or "none published",
             "met" if g["met"] else {True: "progressed", False: "not yet",
                                     None: "verify"}[g["progressed"]]] for g in data["goals"]]
    if rows:
        lines += ["", table(rows, ["measure", "baseline", "latest", "target", "change", "MCID",
                                   "progress"])]
    rows = [[a["number"], a["visits"] if a["visits"] is not None else "-", a["used"],
             a["left"] if a["left"] is not None else "-", a["end"] or "-"]
            for a in data["authorizations"]]
    if rows:
        lines += ["", table(rows, ["authorization", "visits", "used", "left", "expires"])]
    if data["due"]:
        lines += ["", "due:"] + [f"  - {item}" for item in data["due"]]
    if data["notes"]:
        lines += ["", "notes:"] + [f"  - {item}" for item in data["notes"]]
    return "\n".join(lines)


def table(rows: list[list[str]], header: list[str]) -> str:
    rows = [[printable(str(x)) for x in row] for row in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
             for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def reasons_text(title: str, items: list[dict]) -> list[str]:
    if not items:
        return []
    return [f"{title}:"] + [f"  - {'WARNING ' if r.get('severity') == 'warning' else ''}"
                            f"[{printable(r['code'])}] {printable(r['message'])}"
                            f"{citation_text(r['citation'])}" for r in items]


def value_text(value) -> str:
    return "unknown" if value is None else str(value)


def findings_text(data: dict) -> str:
    if not data["findings"]:
        return f"{data['program']}: no findings"
    lines = [f"{data['program']}: {len(data['findings'])} finding(s)"]
    for f in data["findings"]:
        lines.append(f"  {f['severity'].upper():7} [{printable(f['code'])}] "
                     f"{printable(f['message'])}"
                     + (f"\n      at: {printable(f['path'])}" if f["path"] else "")
                     + citation_text(f["citation"]))
    return "\n".join(lines)

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

import json
import sys

from .errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_PLUGIN  # noqa: F401 (the command's)
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
# Text renderings (without ``--json``), built from the JSON shapes above.
# ---------------------------------------------------------------------------


def citation_text(citation: dict | None) -> str:
    if not citation:
        return ""
    edition = f", {citation['edition']}" if citation.get("edition") else ""
    return f"\n      source: {printable(citation['source'] + edition)} [{citation['confidence']}]"


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

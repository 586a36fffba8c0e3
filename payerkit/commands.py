"""What each ``payerkit`` command does, with its text rendering. Called by :mod:`payerkit.cli`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import io
from .cli import EXIT_FINDINGS, EXIT_OK, emit
from .errors import CaseError, ClaimRefused
from .files import write_atomic
from .kit import PayerKit


def run(args) -> int:
    kit = PayerKit()
    handler = HANDLERS[args.command]
    return handler(kit, args)


def _cite(citation: dict | None) -> str:
    if not citation:
        return ""
    edition = f", {citation['edition']}" if citation.get("edition") else ""
    return f"\n      source: {citation['source']}{edition} [{citation['confidence']}]"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
             for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def programs(kit: PayerKit, args) -> int:
    entries = kit.programs()
    data = {"programs": [{
        "id": e.program.id, "name": e.program.name,
        "plugin": e.plugin.name, "distribution": e.plugin.distribution,
        "version": e.plugin.version, "states": list(e.program.states),
        "line_of_business": e.program.line_of_business,
        "claim_formats": list(e.program.claim_formats),
        "sources": [io.citation_json(c) for c in e.program.sources]} for e in entries]}
    rows = [[p["id"], p["name"], f"{p['distribution']} {p['version']}", ",".join(p["states"]),
             p["line_of_business"], ",".join(p["claim_formats"])] for p in data["programs"]]
    text = _table(rows, ["id", "name", "plugin", "states", "line", "formats"]) if rows else \
        "no payer programs installed (pip install a payerkit plugin, e.g. payerkit-premera)"
    emit(data, args.json, text)
    return EXIT_OK


def plugins(kit: PayerKit, args) -> int:
    data = {"plugins": [{"name": info.name, "distribution": info.distribution,
                         "version": info.version, "hooks": list(hooks)}
                        for info, hooks in kit.plugins()]}
    rows = [[p["name"], f"{p['distribution']} {p['version']}", ", ".join(p["hooks"])]
            for p in data["plugins"]]
    emit(data, args.json, _table(rows, ["plugin", "distribution", "hooks"]))
    return EXIT_OK


def _reasons(title: str, items: list[dict]) -> list[str]:
    if not items:
        return []
    return [f"{title}:"] + [f"  - [{r['code']}] {r['message']}{_cite(r['citation'])}"
                            for r in items]


def check(kit: PayerKit, args) -> int:
    data = io.eligibility_json(kit.check(io.load_case(args.case), args.visit))
    text = "\n".join([f"{data['program']}: {data['status'].upper().replace('_', ' ')}"]
                     + _reasons("requirements", data["requirements"])
                     + _reasons("reasons", data["reasons"]))
    emit(data, args.json, text)
    return EXIT_OK


def price(kit: PayerKit, args) -> int:
    data = io.pricing_json(kit.price(io.load_case(args.case), args.visit))
    rows = [[ln["date"], ln["code"], ",".join(ln["modifiers"]), ln["minutes"] or "",
             ln["units"], ln["charge"], ln["allowed"] or "-"] for ln in data["lines"]]
    rows.append(["total", "", "", "", "", data["total_charge"], data["total_allowed"] or "-"])
    text = "\n".join([f"{data['program']}", _table(rows, ["date", "code", "mods", "min", "units",
                                                          "charge", "allowed"])]
                     + _reasons("reasons", data["reasons"]))
    emit(data, args.json, text)
    return EXIT_OK


def limits(kit: PayerKit, args) -> int:
    data = io.limits_json(kit.limits(io.load_case(args.case)))
    rows = [[lim["name"], lim["unit"], _n(lim["allowed"]), _n(lim["used"]), _n(lim["remaining"]),
             lim["window"]] for lim in data["limits"]]
    text = f"{data['program']}\n" + (_table(rows, ["limit", "unit", "allowed", "used",
                                                   "remaining", "window"]) if rows else
                                     "no limits known for this program")
    emit(data, args.json, text)
    return EXIT_OK


def _n(value) -> str:
    return "unknown" if value is None else str(value)


def _findings_text(data: dict) -> str:
    if not data["findings"]:
        return f"{data['program']}: no findings"
    lines = [f"{data['program']}: {len(data['findings'])} finding(s)"]
    for f in data["findings"]:
        lines.append(f"  {f['severity'].upper():7} [{f['code']}] {f['message']}"
                     + (f"\n      at: {f['path']}" if f["path"] else "") + _cite(f["citation"]))
    return "\n".join(lines)


def scrub(kit: PayerKit, args) -> int:
    result = kit.scrub(io.load_case(args.case), args.visit)
    data = io.scrub_json(result)
    emit(data, args.json, _findings_text(data))
    return EXIT_FINDINGS if result.errors else EXIT_OK


def claim(kit: PayerKit, args) -> int:
    case = io.load_case(args.case)
    try:
        data = kit.claim(case, args.format, args.visit)
    except ClaimRefused as exc:
        refused = {"program": case.program, "findings": [io.finding_json(f)
                                                         for f in exc.findings]}
        print(_findings_text(refused) if not args.json else json.dumps(refused, indent=2),
              file=sys.stderr if not args.json else sys.stdout)
        return EXIT_FINDINGS
    if args.output:
        write_atomic(args.output, data)
        summary = {"program": case.program, "format": args.format, "file": args.output,
                   "bytes": len(data)}
        emit(summary, args.json, f"wrote {args.output} ({len(data)} bytes, {args.format})")
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def demo(kit: PayerKit, args) -> int:
    folder, out = Path(args.examples), Path(args.output)
    cases = sorted(p for p in folder.glob("*") if p.suffix in {".toml", ".json"})
    if not cases:
        raise CaseError([f"examples: no .toml or .json case files in {str(folder)!r}"])
    rows, summary = [], []
    for path in cases:
        case = io.load_case(path)
        program = kit.program(case.program)
        result = {"case": path.name,
                  "eligibility": io.eligibility_json(kit.check(case)),
                  "pricing": io.pricing_json(kit.price(case)),
                  "limits": io.limits_json(kit.limits(case)),
                  "scrub": io.scrub_json(kit.scrub(case))}
        claim_file = None
        if "x12-837p" in program.claim_formats:
            try:
                claim_file = write_atomic(out / f"{path.stem}.837", kit.claim(case, "x12-837p"))
            except ClaimRefused:
                pass
        result["claim_file"] = claim_file.name if claim_file else None
        write_atomic(out / f"{path.stem}.json", (json.dumps(result, indent=2) + "\n").encode())
        errors = sum(f["severity"] == "error" for f in result["scrub"]["findings"])
        summary.append(result)
        rows.append([path.name, case.program, result["eligibility"]["status"],
                     result["pricing"]["total_charge"],
                     result["pricing"]["total_allowed"] or "-", errors,
                     result["claim_file"] or "refused"])
    emit({"output": str(out), "cases": summary}, args.json,
         _table(rows, ["case", "program", "status", "charge", "allowed", "errors", "claim"])
         + f"\n\nwrote {len(cases)} decision file(s) and "
         f"{sum(r['claim_file'] is not None for r in summary)} claim file(s) to {out}/")
    return EXIT_OK


HANDLERS = {"programs": programs, "plugins": plugins, "check": check, "price": price,
            "limits": limits, "scrub": scrub, "claim": claim, "demo": demo}

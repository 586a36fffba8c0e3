"""What each ``payerkit`` command does: ``<name>(kit, options)``, named by its record in
:mod:`payerkit.command_table` and given that record's options (typed, named; no other).
Called by :mod:`payerkit.cli`; prints through :mod:`payerkit.output` (exit codes, JSON
shapes, text renderings) and never imports the CLI."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path

from .command_table import (
    BatchOptions,
    ClaimOptions,
    Command,
    DemoOptions,
    Listing,
    NewAdapterOptions,
    PlanOptions,
    Question,
    ScrubOptions,
    ServeOptions,
)
from .errors import CaseError, ClaimRefused
from .files import OutputError, check_output, make_folder, show, write_atomic
from .formats import PROGRESS_REPORT
from .formats.builtin import FILE_ENDINGS, file_ending
from .kit import ALL_VISITS, PayerKit
from .output import (
    EXIT_FINDINGS,
    EXIT_OK,
    citation_text,
    eligibility_json,
    emit,
    finding_json,
    findings_text,
    limits_json,
    payment_terms_json,
    plan_json,
    plan_text,
    plugin_json,
    pricing_json,
    program_json,
    reasons_text,
    scrub_json,
    table,
    value_text,
)


def load_case(path):
    """Read a case file (the case reader is imported by the commands that read one)."""
    from .io import load_case as load

    return load(path)


def run(command: Command, options) -> int:
    """Run ``command`` (a record of the table) with its ``options``; its exit status."""
    kit = PayerKit() if command.kit else None
    return handler(command)(kit, options)


def handler(command: Command):
    """The function that runs ``command``: named in this module, or by a dotted name in a
    module of its own (``ledger.commands.post``), imported only now."""
    module, _, name = command.run.rpartition(".")
    if not module:
        return globals()[name]
    import importlib

    return getattr(importlib.import_module(f".{module}", __package__), name)


def programs(kit: PayerKit, options: Listing) -> int:
    data = {"programs": [program_json(e) for e in kit.programs()]}
    rows = [[p["id"], p["name"], f"{p['distribution']} {p['version']}", ",".join(p["states"]),
             p["line_of_business"], ",".join(p["claim_formats"])] for p in data["programs"]]
    text = table(rows, ["id", "name", "plugin", "states", "line", "formats"]) if rows else \
        "no payer programs installed (pip install a payerkit plugin, e.g. payerkit-premera)"
    emit(data, options.json, text)
    return EXIT_OK


def plugins(kit: PayerKit, options: Listing) -> int:
    data = {"plugins": [plugin_json(entry) for entry in kit.plugins()]}
    rows = [[p["name"], f"{p['distribution']} {p['version']}",
             "; ".join([*p["programs"], *(f"rules for {rs['applies_to']}" for rs in p["rule_sets"])])
             or "-", ", ".join(h.removeprefix("payerkit_") for h in p["hooks"])]
            for p in data["plugins"]]
    emit(data, options.json, table(rows, ["plugin", "distribution", "serves", "hooks"]))
    return EXIT_OK


def check(kit: PayerKit, options: Question) -> int:
    data = eligibility_json(kit.check(load_case(options.case), options.visit, options.as_of))
    text = "\n".join([f"{data['program']}: {data['status'].upper().replace('_', ' ')}"]
                     + reasons_text("requirements", data["requirements"])
                     + reasons_text("reasons", data["reasons"]))
    emit(data, options.json, text)
    return EXIT_OK


def price(kit: PayerKit, options: Question) -> int:
    data = pricing_json(kit.price(load_case(options.case), options.visit, options.as_of))
    rows = [[ln["date"], ln["code"], ",".join(ln["modifiers"]), ln["minutes"] or "",
             ln["units"], ln["charge"], ln["allowed"] or "-"] for ln in data["lines"]]
    rows.append(["total", "", "", "", "", data["total_charge"], data["total_allowed"] or "-"])
    text = "\n".join([f"{data['program']}", table(rows, ["date", "code", "mods", "min", "units",
                                                         "charge", "allowed"])]
                     + reasons_text("reasons", data["reasons"]))
    emit(data, options.json, text)
    return EXIT_OK


def limits(kit: PayerKit, options: Question) -> int:
    data = limits_json(kit.limits(load_case(options.case), options.visit, options.as_of))
    rows = [[lim["name"], lim["unit"], value_text(lim["allowed"]), value_text(lim["used"]),
             value_text(lim["remaining"]) + (f" (over by {lim['over']})" if lim["over"] else ""),
             lim["window"]] for lim in data["limits"]]
    text = f"{data['program']}\n" + (table(rows, ["limit", "unit", "allowed", "used",
                                                  "remaining", "window"]) if rows else
                                     "no limits known for this program")
    emit(data, options.json, text)
    return EXIT_OK


def terms(kit: PayerKit, options: Question) -> int:
    data = payment_terms_json(kit.payment_terms(load_case(options.case), options.visit,
                                                options.as_of))
    lines = [f"{data['program']}"] + ([f"  - [{t['name']}] {t['description']}"
                                       f"{citation_text(t['citation'])}" for t in data["terms"]]
                                      or ["  no payment terms known for this program"])
    emit(data, options.json, "\n".join(lines))
    return EXIT_OK


def scrub(kit: PayerKit, options: ScrubOptions) -> int:
    case = load_case(options.case)
    try:
        result = kit.scrub(case, options.visit, options.as_of, format=options.format)
    except ClaimRefused as exc:  # a format the program does not take: the scrub's answer too
        data = {"program": case.program, "findings": [finding_json(f) for f in exc.findings]}
        emit(data, options.json, findings_text(data))
        return EXIT_FINDINGS
    data = scrub_json(result)
    emit(data, options.json, findings_text(data))
    return EXIT_FINDINGS if result.errors else EXIT_OK


def plan(kit: PayerKit, options: PlanOptions) -> int:
    case = load_case(options.case)
    writing = {"inputs": [options.case], "force": options.force, "parents": options.parents,
               "example": "progress-report.pdf"}
    if options.output:  # checked first: a refused path writes nothing
        check_output(options.output, **writing)
        # one pass: the report, and the PDF drawn from it, as claim writes it
        ev = kit.evaluate(case, as_of=options.as_of, format=PROGRESS_REPORT)
        try:
            report, pdf = ev.plan, ev.write(PROGRESS_REPORT)
        except ClaimRefused as exc:  # the report's own limits: its findings, as claim gives them
            return _refused(case.program, exc, options.json)
    else:
        report = kit.plan(case, options.as_of)
    data = plan_json(report)
    if options.output:
        write_atomic(options.output, pdf, **writing)
        data["file"] = options.output
    emit(data, options.json, plan_text(data)
         + (f"\n\nwrote the progress report to {options.output}" if options.output else ""))
    return EXIT_OK


def claim(kit: PayerKit, options: ClaimOptions) -> int:
    case = load_case(options.case)
    # -o is checked before the claim is made, so a refused path costs no control number;
    # the case file is an input of the run and is never written over.
    writing = {"inputs": [options.case], "force": options.force, "parents": options.parents,
               "example": f"claim{kit.claim_format_of(options.format).suffix}"}
    if options.output:
        check_output(options.output, **writing)
    today = dt.date.today()
    visits = ALL_VISITS if options.all_visits else options.visit
    _no_plan_in_ledger(kit, options.format, options.ledger or options.db)
    # opened first: a ledger that cannot be opened costs no control number
    ledger = _ledger(options.ledger, options.db)
    try:  # one pass: the claim is written from what its scrub checked
        ev = kit.evaluate(case, visits, options.as_of, format=options.format, written_on=today)
        data = ev.write(options.format)
    except ClaimRefused as exc:
        return _refused(case.program, exc, options.json)
    warnings = [finding_json(f) for f in ev.scrub.findings]
    if warnings and not options.json:
        if ev.scrub.errors and kit.claim_format_of(options.format).renders == "plan":
            print(f"{options.format} is about the treatment plan, not a claim: the claim's "
                  "errors below do not stop it", file=sys.stderr)
        print(findings_text({"program": case.program, "findings": warnings}), file=sys.stderr)
    if options.output:
        write_atomic(options.output, data, **writing)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    recorded = None
    if ledger is not None:
        from .ledger import claim_entry
        from .ledger.entry import x12_control_numbers

        with ledger:
            entry = claim_entry(ev, options.format, today).placed(*x12_control_numbers(data))
            recorded = ledger.record([entry]).json()
        if not options.output or not options.json:
            print(f"ledger: {'new' if recorded['new'] else 'already recorded'} "
                  f"({ledger.where})", file=sys.stderr)
    if options.output:
        summary = {"program": case.program, "format": options.format, "file": options.output,
                   "bytes": len(data), "warnings": warnings}
        if recorded is not None:
            summary["ledger"] = recorded
        emit(summary, options.json, f"wrote {options.output} ({len(data)} bytes, {options.format})")
    return EXIT_OK


def _refused(program: str, exc: ClaimRefused, as_json: bool) -> int:
    """A refused claim (or report): its findings, as JSON on stdout or as text on stderr."""
    refused = {"program": program, "findings": [finding_json(f) for f in exc.findings]}
    print(json.dumps(refused, indent=2) if as_json else findings_text(refused),
          file=sys.stdout if as_json else sys.stderr)
    return EXIT_FINDINGS


def _no_plan_in_ledger(kit: PayerKit, format_id: str, ledger: object) -> None:
    """A plan's document (the progress report) is no claim: asking to record it in the
    ledger is refused before anything is written."""
    if ledger and kit.claim_format_of(format_id).renders == "plan":
        raise CaseError([f"--ledger: {format_id} is a document about the treatment plan, not a "
                         "claim: there is nothing to record in the ledger"])


def _ledger(asked: bool, db: str | None):
    """The ledger a claim-writing command records into (``--ledger``, ``--db``), opened;
    ``None`` when neither is given."""
    if not (asked or db):
        return None
    from .ledger.commands import open_ledger

    return open_ledger(db)


def demo(kit: PayerKit, options: DemoOptions) -> int:
    folder, out = Path(options.examples), Path(options.output)
    cases = _case_files(folder)
    if not cases:
        raise CaseError([f"examples: no .toml or .json case files in {str(folder)!r}"])
    # treatment plans (issue 18): a folder of their own, examples/plans, written to OUT/plans
    plans = _case_files(folder / PLANS) if (folder / PLANS).is_dir() else []
    force = options.force
    inputs = cases + plans
    _demo_outputs(cases, out, force, inputs)  # refusals before anything is written
    if plans:
        _demo_outputs(plans, out / PLANS, force, inputs)
    make_folder(out / PLANS if plans else out)
    rows, summary = [], []
    for path in cases:
        result, ev = _demo_case(kit, path, out, inputs, options.as_of, force)
        _write_decision(out, path, result, inputs, force)
        summary.append(result)
        rows.append(_demo_row(path, ev, result))
    text = table(rows, ["case", "program", "status", "charge", "allowed", "errors", "claim"]) \
        + f"\n\nwrote {len(cases)} decision file(s) and " \
        f"{sum(len(r['claim_files']) for r in summary)} claim file(s) to {out}/"
    data: dict = {"output": str(out), "cases": summary}
    if plans:
        data["plans"], text = _demo_plans(kit, plans, out / PLANS, inputs, options.as_of,
                                          force, text)
    emit(data, options.json, text)
    return EXIT_OK


#: The examples' folder of treatment plans, and the demo's output folder for them.
PLANS = "plans"


def _case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix in {".toml", ".json"})


def _demo_case(kit: PayerKit, path: Path, out: Path, inputs: list[Path],
               as_of: dt.date | None, force: bool) -> tuple[dict, object]:
    """One example: its decision file and every claim its program takes (one pass)."""
    try:
        case = load_case(path)
    except CaseError as exc:  # name the file: the demo reads many
        raise CaseError([f"{path.name}: {problem}" for problem in exc.problems]) from None
    program = kit.program(case.program)
    ev = kit.evaluate(case, as_of=as_of, written_on=dt.date.today())  # one pass
    result = {"case": path.name,
              "eligibility": eligibility_json(ev.eligibility),
              "pricing": pricing_json(ev.pricing),
              "limits": limits_json(ev.limits),
              "payment_terms": payment_terms_json(ev.payment_terms),
              "scrub": scrub_json(ev.scrub)}
    claim_files = []
    for fmt in program.claim_formats:  # every format the program takes, paper included
        try:
            data = ev.write(fmt)
        except ClaimRefused:
            continue  # refused (by the scrub, or by this format): that file is not written
        claim_files.append(write_atomic(out / _demo_name(path, fmt), data, inputs=inputs,
                                        force=force).name)
    result["claim_file"] = claim_files[0] if claim_files else None
    result["claim_files"] = claim_files
    return result, ev


def _demo_row(path: Path, ev, result: dict) -> list:
    errors = sum(f["severity"] == "error" for f in result["scrub"]["findings"])
    return [path.name, ev.program, result["eligibility"]["status"],
            result["pricing"]["total_charge"], result["pricing"]["total_allowed"] or "-", errors,
            result["claim_file"] or "refused"]


def _demo_plans(kit: PayerKit, plans: list[Path], out: Path, inputs: list[Path],
                as_of: dt.date | None, force: bool, text: str) -> tuple[list[dict], str]:
    """The treatment-plan examples: each as every other example (decision file, claims),
    plus the plan's state in its decision file, its progress report, and whether its
    ``# expect-`` comments hold; a table of their own after the demo's."""
    from .testing.expectations import expected_errors

    results, rows = [], []
    for path in plans:
        result, ev = _demo_case(kit, path, out, inputs, as_of, force)
        if ev.case.episode.plan is not None:
            report = ev.plan
            result["plan"] = plan_json(report)
            try:
                result["progress_report"] = write_atomic(
                    out / _demo_name(path, PROGRESS_REPORT), ev.write(PROGRESS_REPORT),
                    inputs=inputs, force=force).name
            except ClaimRefused:  # refused by its own limits, as a claim is: not written
                result["progress_report"] = None
        else:
            result["plan"] = result["progress_report"] = None
        expect = _expectations(path)
        if expect is not None:
            errors = {f["code"] for f in result["scrub"]["findings"] if f["severity"] == "error"}
            wanted = expected_errors(expect)
            first = kit.program(ev.program).claim_formats[:1]
            written = bool(first) and _demo_name(path, first[0]) in result["claim_files"]
            result["as_expected"] = (result["eligibility"]["status"] == expect["status"]
                                     and wanted <= errors and bool(wanted or not errors)
                                     and written == (expect["claim"] == "yes"))
        else:
            result["as_expected"] = None
        _write_decision(out, path, result, inputs, force)
        results.append(result)
        plan = result["plan"]
        case, program, status, *_, errors, claim = _demo_row(path, ev, result)
        rows.append([case, program, status, errors, claim,
                     "-" if plan is None or plan["visits_left"] is None else plan["visits_left"],
                     len(plan["due"]) if plan else "-",
                     {True: "yes", False: "NO", None: "-"}[result["as_expected"]],
                     result["progress_report"] or "-"])
    text += "\n\ntreatment plans (" + PLANS + "/):\n" + table(
        rows, ["case", "program", "status", "errors", "claim", "visits left", "due",
               "as expected", "progress report"]) + \
        f"\n\nwrote {len(plans)} decision file(s), " \
        f"{sum(len(r['claim_files']) for r in results)} claim file(s) and " \
        f"{sum(r['progress_report'] is not None for r in results)} progress report(s) to {out}/"
    return results, text


def _expectations(path: Path) -> dict | None:
    """The example's ``# expect-`` comments, when it states all three."""
    from .testing.expectations import KEYS, LINE

    found = dict(LINE.findall(path.read_text(encoding="utf-8")))
    return found if all(key in found for key in KEYS) else None


def _write_decision(out: Path, path: Path, result: dict, inputs: list[Path],
                    force: bool) -> None:
    write_atomic(out / f"{path.stem}.json", (json.dumps(result, indent=2) + "\n").encode(),
                 inputs=inputs, force=force)


def _demo_name(path: Path, fmt: str) -> str:
    """``ny-covered.837``, ``ny-covered.nf-3.pdf``; a plugin's own format: ``.<id>``."""
    return path.stem + file_ending(fmt)


def _demo_outputs(cases: list[Path], out: Path, force: bool, inputs: list[Path]) -> None:
    """Refuse the demo's outputs before writing any: an output folder that is the examples
    folder (its decisions would be read as cases next time), an output that is an input, two
    cases writing one file, or a target ``write_atomic`` would refuse. The demo creates its
    output folder (and missing parents) itself, once every output is checked."""
    folder = cases[0].parent
    if out.is_dir() and os.path.samefile(out, folder):
        raise OutputError(f"cannot write the demo into {show(out)}: it is the examples folder, "
                          "and its .json decisions would be read as cases next time; choose "
                          "another folder with -o")
    writers: dict[str, Path] = {}
    for path in cases:
        names = [f"{path.stem}.json", *(_demo_name(path, fmt) for fmt in FILE_ENDINGS)]
        for target in (out / name for name in names):
            check_output(target, inputs=inputs, force=force, parents=True)
            other = writers.setdefault(os.path.normcase(target.name), path)
            if other != path:
                raise OutputError(f"cannot write {show(target)} for both {show(other.name)} and "
                                  f"{show(path.name)}; rename one of the case files")


def batch(kit: PayerKit, options: BatchOptions) -> int:
    from .batch import BatchSettings, batch_format, default_jobs, find_items, run_batch

    batch_format(kit, options.format)  # unknown, or no claim (a plan's report): bad input
    out = Path(options.output)
    named = [p for p in options.inputs if p != "-" and os.path.isfile(p)]
    settings = BatchSettings(out, format=options.format, as_of=options.as_of,
                             visits="all" if options.all_visits else "last",
                             per_case=options.per_case, claims_per_transaction=options.per_transaction,
                             force=options.force, inputs=named,
                             record=bool(options.ledger or options.db))
    ledger = _ledger(options.ledger, options.db)  # opened before anything is read or written
    with _stop_on_signals():
        # every input checked (and the output folder against them) before a case is read
        items = find_items(options.inputs, out=out, per_case=not settings.streams(kit))
        client = mapper = None
        if options.dask is not None:  # connected before anything is written
            from .dask import connect, dask_mapper

            client = connect(options.dask)
            mapper = dask_mapper(client, settings)
        try:
            # what is loaded now (plugins, figures, code tables) lives as long as the run:
            # the collector need not walk it for every case (nor a forked worker copy it)
            gc.freeze()
            with _progress(options.quiet) as bar:
                summary = run_batch(items, settings, kit=kit, jobs=options.jobs or default_jobs(),
                                    mapper=mapper, progress=bar, ledger=ledger)
        finally:
            if client is not None:
                client.close()
            if ledger is not None:
                ledger.close()
    data = {"output": str(out), **summary.json()}
    try:
        # a folder name that is not UTF-8 is shown with escapes, never a failed print
        emit(data, options.json, _batch_text({**data, "output": os.fsencode(out).decode(
            "utf-8", "backslashreplace")}))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (| head); the run is done, its answer stands
        _stdout_to_devnull()
    if summary.not_evaluated:  # a worker died: the run stopped, its results name the rest
        from .output import EXIT_PLUGIN, print_problems

        print_problems([f"{summary.not_evaluated} case(s) not evaluated: a worker process "
                        "ended abruptly (killed, e.g. when memory ran out, or ended by a "
                        "plugin) and the run stopped; the claims of the cases it finished are "
                        "written, and results.jsonl names each case not evaluated"], "stopped")
        return EXIT_PLUGIN
    return EXIT_FINDINGS if summary.failed else EXIT_OK


def serve(kit: None, options: ServeOptions) -> int:
    """``payerkit serve``: needs the ``server`` extra; the server builds its own kit (in each
    worker process)."""
    import importlib.util

    from .errors import ServeError

    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise ServeError(f"payerkit serve needs the server extra ({', '.join(missing)} not "
                         "installed): pip install 'payerkit[server]' (from a checkout: "
                         "pip install '.[server]')")
    from .http.config import ServeConfig, debug_from_environ, token_from_environ
    from .http.server import serve as run_server

    return run_server(ServeConfig(options.host, options.port, options.workers,
                                  options.files_dir, token_from_environ(),
                                  debug=debug_from_environ(), ledger=options.ledger))


def new_adapter(kit: None, options: NewAdapterOptions) -> int:
    from .scaffold.write import new_adapter as create

    folder = create(options.name, options.output)
    print(f"wrote the adapter {options.name} to {show(folder)}; next: cd {show(folder)} && "
          "pip install -e '.[test]' && pytest")
    return EXIT_OK


def _stdout_to_devnull() -> None:
    """What is left in stdout's buffer goes nowhere, not into a broken pipe at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class _stop_on_signals:
    """SIGTERM and SIGHUP stop a batch as Ctrl-C does (``KeyboardInterrupt``: its temporary
    files removed, its workers stopped, exit 3) rather than end the process with them left
    on disk. Only in the main thread; a signal that is ignored (``nohup``) stays ignored; a
    second signal while the run cleans up is not raised again; the previous handlers come
    back afterwards."""

    def __init__(self):
        self.previous: dict = {}
        self.raised = False

    def _handle(self, signum, frame) -> None:
        if not self.raised:
            self.raised = True
            raise KeyboardInterrupt

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            for name in ("SIGTERM", "SIGHUP"):
                sig = getattr(signal, name, None)
                if sig is not None and signal.getsignal(sig) not in (signal.SIG_IGN, None):
                    self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        import signal

        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


class _progress:
    """A progress bar on stderr when it is a terminal and ``--quiet`` is not given."""

    def __init__(self, quiet: bool):
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            try:  # a terminal that reports no size (a bare pty, some emulators): 80 x 24
                size = os.get_terminal_size(sys.stderr.fileno())
                sized = size.columns > 0 and size.lines > 0
            except (OSError, ValueError):
                sized = False
            shape = {"dynamic_ncols": True} if sized else {"ncols": 80, "nrows": 24}
            self.bar = tqdm(unit=" cases", file=sys.stderr, smoothing=0.1, **shape)

    def __enter__(self):
        return self.update if self.bar is not None else None

    def update(self, evaluated) -> None:
        self.bar.update(1)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _batch_text(data: dict) -> str:
    statuses = ", ".join(f"{n} {s}" for s, n in data["statuses"].items() if n)
    lines = [f"{data['cases']} case(s): {statuses or 'none'}",
             f"claims written: charged {data['charged']}, allowed {data['allowed']}"
             + (f" ({data['claims_with_unknown_allowed']} claim(s) with unknown allowed "
                "amounts not counted)" if data["claims_with_unknown_allowed"] else "")]
    if data["errors"]:
        lines.append("why claims were not written (cases per code):")
        lines += [f"  {code}: {n}" for code, n in data["errors"].items()]
    rows = [[i["file"], i["receiver_id"], i["interchange"], i["claims"], i["transactions"]]
            for i in data["interchanges"]]
    if rows:
        lines += ["", table(rows, ["interchange", "receiver", "ISA13", "claims", "ST/SE"])]
    if data["claim_files"]:
        lines.append(f"{data['claim_files']} claim file(s) in {data['output']}/claims/")
    if data.get("ledger"):
        done = data["ledger"]
        lines.append(f"ledger: {done['new']} claim(s) recorded, {done['unchanged']} already "
                     f"recorded, {done['replaced']} replaced, {len(done['kept'])} kept")
    lines.append(f"results: {data['output']}/results.jsonl; summary: {data['output']}/summary.json")
    return "\n".join(lines)

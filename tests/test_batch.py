"""``payerkit batch``: every case a result line, bad files named, one valid interchange per
payer, the single commands' answers, nothing half-written."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import multiprocessing
import os
import re
import shutil
from pathlib import Path

import pytest

from payerkit import PayerKit, load_case
from payerkit.batch import BatchSettings, Item, find_items, run_batch
from payerkit.cli import main
from payerkit.io import unstructure_case
from payerkit.output import (
    eligibility_json,
    limits_json,
    payment_terms_json,
    pricing_json,
    scrub_json,
)
from payerkit.testing.x12 import semantic_errors_837p, validate_with_pyx12

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = dt.date.today()

BAD_FILES = {
    "zz-bad-toml.toml": b"program = \n",
    "zz-binary.toml": b"\xff\xfe\x00garbage",
    "zz-empty.json": b"",
    "zz-list.json": b"[1, 2, 3]",
    "zz-wrong-type.toml": None,  # an example with a number where a date belongs
    "zz-unknown-program.toml": None,
}


def make_cases(folder: Path) -> Path:
    """The shipped examples (and their fee files) plus bad files, in one folder."""
    shutil.copytree(EXAMPLES, folder)
    premera = (EXAMPLES / "premera-covered.toml").read_text()
    for name, data in BAD_FILES.items():
        if name == "zz-wrong-type.toml":
            data = re.sub(r"as_of = [0-9-]+", "as_of = 20260302", premera, count=1).encode()
            assert data != premera.encode()
        elif name == "zz-unknown-program.toml":
            data = re.sub(r'program = "[^"]+"', 'program = "nobody-pays"', premera, count=1).encode()
        (folder / name).write_bytes(data)
    return folder


def read_results(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def segments(text: str) -> list[str]:
    return [s.strip() for s in text.split("~") if s.strip()]


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """One batch over the examples and the bad files, with 2 workers (shared by the tests)."""
    root = tmp_path_factory.mktemp("batch")
    cases = make_cases(root / "cases")
    out = root / "out"
    old = os.environ.get("PAYERKIT_DATA_DIR")
    os.environ["PAYERKIT_DATA_DIR"] = str(root / "data")
    try:
        code = main(["batch", str(cases), "-o", str(out), "-j", "2", "--quiet", "--json",
                     "--claims-per-transaction", "3"])
    finally:
        if old is None:
            os.environ.pop("PAYERKIT_DATA_DIR")
        else:
            os.environ["PAYERKIT_DATA_DIR"] = old
    return code, cases, out


def test_every_file_is_a_result_line_in_order_and_bad_ones_are_named(batch_run):
    code, cases, out = batch_run
    assert code == 1  # some cases had no claim written
    results = read_results(out)
    names = sorted(p.name for p in cases.iterdir() if p.suffix in (".toml", ".json"))
    assert [Path(r["path"]).name for r in results] == names
    by_name = {Path(r["path"]).name: r for r in results}
    for name in BAD_FILES:
        result = by_name[name]
        assert result["status"] == "invalid", result
        assert result["problems"] and result["claim"] is None
    assert any("program" in p for p in by_name["zz-unknown-program.toml"]["problems"])
    assert any(p.startswith("as_of") for p in by_name["zz-wrong-type.toml"]["problems"])
    assert not list(out.rglob("*.payerkit-tmp"))


def test_results_equal_the_single_questions(batch_run):
    code, cases, out = batch_run
    kit = PayerKit()
    for result in read_results(out):
        if result["status"] == "invalid":
            continue
        case = load_case(result["path"])
        assert result["eligibility"] == eligibility_json(kit.check(case))
        assert result["pricing"] == pricing_json(kit.price(case))
        assert result["limits"] == limits_json(kit.limits(case))
        assert result["payment_terms"] == payment_terms_json(kit.payment_terms(case))
        # judged as `payerkit claim` judges it: on as_of, written today
        assert result["scrub"] == scrub_json(kit.scrub(case, written_on=TODAY))
        errors = [f for f in result["scrub"]["findings"] if f["severity"] == "error"]
        assert (result["status"] == "written") == (not errors)
        assert (result["claim"] is not None) == (not errors)


def test_results_equal_the_commands_output(batch_run, capsys, payerkit_data_dir):
    code, cases, out = batch_run
    results = {Path(r["path"]).name: r for r in read_results(out)}
    for name in ("ny-covered.toml", "premera-no-prescription.toml", "ct-wc-covered.toml"):
        for command, key in (("check", "eligibility"), ("price", "pricing"),
                             ("limits", "limits"), ("terms", "payment_terms")):
            main([command, str(cases / name), "--json"])
            assert json.loads(capsys.readouterr().out) == results[name][key], (name, command)


def test_one_valid_interchange_per_payer(batch_run):
    code, cases, out = batch_run
    results = read_results(out)
    summary = json.loads((out / "summary.json").read_text())
    written = [r for r in results if r["status"] == "written"]
    assert written and summary["statuses"]["written"] == len(written)
    files = {r["claim"]["file"] for r in written}
    assert files == {i["file"] for i in summary["interchanges"]}
    numbers = []
    for name in files:
        text = (out / name).read_text()
        assert validate_with_pyx12(text) == [], name
        assert semantic_errors_837p(text) == [], name
        segs = segments(text)
        claims_here = [r for r in written if r["claim"]["file"] == name]
        clm = [s for s in segs if s.startswith("CLM*")]
        assert [s.split("*")[1] for s in clm] == [r["claim"]["claim_id"] for r in claims_here]
        sts = [s for s in segs if s.startswith("ST*")]
        # 3 claims per transaction set, and a new one when its 1000A/1000B header changes
        sets = text.split("~\nST*")[1:]
        headers = [[s for s in segments(st) if s.startswith(("NM1*41*", "PER*", "NM1*40*"))]
                   for st in sets]
        counts = [sum(s.startswith("CLM*") for s in segments(st)) for st in sets]
        assert len(sets) == len(sts) and all(1 <= n <= 3 for n in counts)
        assert all(counts[i] == 3 for i in range(len(sets) - 1) if headers[i] == headers[i + 1])
        assert sum(s.startswith("ISA*") for s in segs) == 1
        receivers = {s.split("*")[8].strip() for s in segs if s.startswith("ISA*")}
        assert len(receivers) == 1
        isa13 = int(segs[0].split("*")[13])
        numbers += [isa13, *(int(s.split("*")[2]) for s in sts)]
        assert all(r["claim"]["interchange"] == isa13 for r in claims_here)
    assert len(numbers) == len(set(numbers))


def test_one_interchange_per_sender_and_payer_id(batch_run):
    """Defect: Regence's and UMP's claims, both for payer id 00932, went into 00932.837 and
    00932-2.837 because the programs name the receiver differently. The receiver's name
    (1000B) and the submitter (1000A) are written per transaction set: one interchange per
    sender, payer id and usage, a new ST where the name changes."""
    code, cases, out = batch_run
    summary = json.loads((out / "summary.json").read_text())
    receivers = [i["receiver_id"] for i in summary["interchanges"]]
    assert sorted(receivers) == sorted(set(receivers))
    assert "00932.837" in {i["file"] for i in summary["interchanges"]}
    text = (out / "00932.837").read_text()
    names = {s.split("*")[3] for s in segments(text) if s.startswith("NM1*40*")}
    payers = {s.split("*")[3] for s in segments(text) if s.startswith("NM1*PR*")}
    assert len(names) == 2 and names == payers  # the receiver's name defaults to the payer's
    assert validate_with_pyx12(text) == [] and semantic_errors_837p(text) == []


def test_the_summary_counts_what_the_results_say(batch_run):
    code, cases, out = batch_run
    results = read_results(out)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cases"] == len(results)
    for status in ("written", "refused", "invalid", "failed"):
        assert summary["statuses"][status] == sum(r["status"] == status for r in results)
    assert summary["errors"]["INVALID-INPUT"] == len(BAD_FILES)
    refused_codes = {f["code"] for r in results if r["status"] == "refused"
                     for f in r["scrub"]["findings"] if f["severity"] == "error"}
    assert refused_codes <= set(summary["errors"])
    from decimal import Decimal

    charged = sum((Decimal(r["pricing"]["total_charge"]) for r in results
                   if r["status"] == "written"), Decimal(0))
    assert Decimal(summary["charged"]) == charged


def test_one_worker_and_two_give_the_same_results(batch_run, tmp_path, payerkit_data_dir):
    code, cases, out = batch_run
    assert main(["batch", str(cases), "-o", str(tmp_path / "one"), "-j", "1", "--quiet",
                 "--claims-per-transaction", "3"]) == code

    def without_numbers(path):
        lines = read_results(path)
        for r in lines:
            if r["claim"]:
                r["claim"].pop("interchange"), r["claim"].pop("transaction")
        return lines

    assert without_numbers(tmp_path / "one") == without_numbers(out)


def json_lines(extra: list[bytes]) -> bytes:
    lines = [json.dumps(unstructure_case(load_case(p)), default=str).encode()
             for p in sorted(EXAMPLES.glob("*.toml"))[:6]]
    return b"\n".join([*lines[:3], b"", *extra, *lines[3:]]) + b"\n"


def with_fee_files(folder: Path) -> None:
    """The examples' fee files, found beside a JSON Lines file as beside a case file."""
    for fees in EXAMPLES.glob("*.csv"):
        shutil.copy(fees, folder)


JSONL_BAD = [b"{not json", b"\xff\xfe", b'{"program": "premera-wa"}']


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_json_lines_name_each_line(via, tmp_path, monkeypatch, capsys, payerkit_data_dir):
    with_fee_files(tmp_path)
    monkeypatch.chdir(tmp_path)  # stdin's fee files are found from the working folder
    data = json_lines(JSONL_BAD)
    out = tmp_path / "out"
    if via == "file":
        source = tmp_path / "cases.jsonl"
        source.write_bytes(data)
        argv = [str(source)]
    else:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        argv = ["-"]
    assert main(["batch", *argv, "-o", str(out), "-j", "1", "--quiet"]) == 1
    results = read_results(out)
    assert [r["line"] for r in results] == [1, 2, 3, 5, 6, 7, 8, 9, 10]  # line 4 is blank
    assert [r["status"] for r in results[3:6]] == ["invalid"] * 3
    assert "not valid JSON" in results[3]["problems"][0]
    assert "not UTF-8" in results[4]["problems"][0]
    assert all(r["path"] == (argv[0]) for r in results)
    kit = PayerKit()
    for result, path in zip([*results[:3], *results[6:]], sorted(EXAMPLES.glob("*.toml"))[:6],
                            strict=True):
        assert result["eligibility"] == eligibility_json(kit.check(load_case(path)))


def test_a_line_over_the_limit_is_skipped_not_read(tmp_path, payerkit_data_dir):
    with_fee_files(tmp_path)
    source = tmp_path / "big.jsonl"
    source.write_bytes(b'{"a": "' + b"x" * (2 << 20) + b'"}\n' + json_lines([]))
    items = list(find_items([str(source)]))
    assert items[0].line == 1 and items[0].text is None and "larger than" in items[0].problem
    summary = run_batch(items, BatchSettings(tmp_path / "out"))
    assert summary.statuses["invalid"] == 1 and summary.cases == 7
    assert "larger than 1024 KiB" in read_results(tmp_path / "out")[0]["problems"][0]


def test_one_file_per_case_on_request(tmp_path, payerkit_data_dir):
    cases = make_cases(tmp_path / "cases")
    out = tmp_path / "out"
    assert main(["batch", str(cases), "-o", str(out), "-j", "2", "--quiet", "--per-case"]) == 1
    written = [r for r in read_results(out) if r["status"] == "written"]
    numbers = []
    for r in written:
        assert r["claim"]["file"] == f"claims/{Path(r['path']).stem}.837"
        text = (out / r["claim"]["file"]).read_text()
        assert validate_with_pyx12(text) == []
        numbers.append(segments(text)[0].split("*")[13])
    assert len(set(numbers)) == len(numbers) == len(written)
    assert not list(out.glob("*.837"))


def test_a_paper_format_is_one_pdf_per_case(tmp_path, payerkit_data_dir):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("premera-covered.toml", "premera-sample-fees.csv", "ny-covered.toml",
                 "ny-fees.csv"):
        shutil.copy(EXAMPLES / name, cases)
    out = tmp_path / "out"
    main(["batch", str(cases), "-o", str(out), "-j", "1", "--quiet", "--format", "cms-1500"])
    by_name = {Path(r["path"]).name: r for r in read_results(out)}
    premera = by_name["premera-covered.toml"]
    assert premera["claim"]["file"] == "claims/premera-covered.cms-1500.pdf"
    assert (out / premera["claim"]["file"]).read_bytes().startswith(b"%PDF")
    ny = by_name["ny-covered.toml"]  # no-fault takes the NF-3, not the CMS-1500
    if ny["status"] != "written":
        assert ny["claim"] is None


def test_a_full_disk_leaves_nothing_behind(tmp_path, monkeypatch, capsys, payerkit_data_dir):
    cases = make_cases(tmp_path / "cases")
    out = tmp_path / "out"
    from payerkit import files

    real, calls = files.AtomicFile.write, []

    def full(self, data):
        calls.append(len(data))
        if len(calls) == 12:
            raise files._os_error(self.path, OSError(errno.ENOSPC, "No space left on device"))
        return real(self, data)

    monkeypatch.setattr(files.AtomicFile, "write", full)
    assert main(["batch", str(cases), "-o", str(out), "-j", "1", "--quiet"]) == 3
    assert "the disk is full" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == []


def test_an_interrupt_leaves_nothing_behind(tmp_path, monkeypatch, capsys, payerkit_data_dir):
    cases = make_cases(tmp_path / "cases")
    out = tmp_path / "out"
    import payerkit.batch as batch

    real, seen = batch.evaluate_item, []

    def interrupted(*args):
        seen.append(1)
        if len(seen) == 20:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(batch, "evaluate_item", interrupted)
    assert main(["batch", str(cases), "-o", str(out), "-j", "1", "--quiet"]) == 3
    assert "interrupted" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("argv, expected", [
    (["nowhere/"], "inputs: no such file or folder"),
    (["nothing-matches-*.toml"], "inputs: no .toml or .json case files match"),
    (["examples", "--format", "fax"], "format: unknown claim format 'fax'"),
    (["-", "-"], "inputs: - (stdin) may be named once"),
])
def test_bad_inputs_are_exit_2_before_anything_is_written(argv, expected, tmp_path, capsys,
                                                          monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["batch", *argv, "-o", str(tmp_path / "out"), "--quiet"]) == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_output_folder_may_not_be_an_input_folder(tmp_path, capsys):
    cases = make_cases(tmp_path / "cases")
    assert main(["batch", str(cases), "-o", str(cases), "--quiet"]) == 3
    assert "holds the inputs" in capsys.readouterr().err


def test_a_jsonl_input_is_never_written_over(tmp_path, capsys, payerkit_data_dir):
    source = tmp_path / "results.jsonl"
    source.write_bytes(json_lines([]))
    assert main(["batch", str(source), "-o", str(tmp_path), "--quiet"]) == 3
    assert "input" in capsys.readouterr().err
    assert source.read_bytes() == json_lines([])


def test_progress_bar_on_a_terminal_only(tmp_path, capsys, monkeypatch, payerkit_data_dir):
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(EXAMPLES / "ct-wc-covered.toml", cases)
    main(["batch", str(cases), "-o", str(tmp_path / "a"), "-j", "1"])
    assert capsys.readouterr().err == ""  # not a terminal: silent
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    main(["batch", str(cases), "-o", str(tmp_path / "b"), "-j", "1"])
    assert "1 cases" in capsys.readouterr().err
    main(["batch", str(cases), "-o", str(tmp_path / "c"), "-j", "1", "--quiet"])
    assert capsys.readouterr().err == ""


# -- control numbers across concurrent batches and single claims -------------------------------


def _one_batch(args):
    cases, out, data_dir = args
    os.environ["PAYERKIT_DATA_DIR"] = data_dir
    run_batch([Item(str(p)) for p in sorted(Path(cases).glob("*.toml"))],
              BatchSettings(Path(out), claims_per_transaction=1))


def test_control_numbers_never_repeat_across_concurrent_batches(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(data_dir))
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("premera-covered.toml", "premera-sample-fees.csv", "ct-wc-covered.toml",
                 "ct-wc-practice-fees.csv", "ny-covered.toml", "ny-fees.csv"):
        shutil.copy(EXAMPLES / name, cases)
    context = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else "spawn")
    jobs = [(str(cases), str(tmp_path / f"out{i}"), str(data_dir)) for i in range(20)]
    with context.Pool(20) as pool:  # all 20 batches at once
        waiting = pool.map_async(_one_batch, jobs)
        kit = PayerKit()
        singles = [kit.claim(load_case(cases / "premera-covered.toml")) for _ in range(200)]
        waiting.get(timeout=300)
    texts = [s.decode() for s in singles]
    for out in tmp_path.glob("out*"):
        texts += [p.read_text() for p in out.glob("*.837")]
    isa13, gs06, st02 = [], [], []
    for text in texts:
        for seg in segments(text):
            fields = seg.split("*")
            if fields[0] == "ISA":
                isa13.append(fields[13])
            elif fields[0] == "GS":
                gs06.append(fields[6])
            elif fields[0] == "ST":
                st02.append(fields[2])
    assert len(isa13) >= 200 + 20
    for numbers in (isa13, gs06, st02):
        assert len(numbers) == len(set(numbers))

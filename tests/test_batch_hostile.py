"""``payerkit batch`` against a careless clerk and a hostile file: every answer is exit 0/1/2/3,
never a traceback; a bad case is a result line naming the file (and line) and what was
expected; set-up problems and interrupts leave no half-written or temporary file; no patient
data in messages. Each test names the defect it pins down, where there was one."""

from __future__ import annotations

import errno
import io
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from payerkit import files
from payerkit.batch import STATUSES, find_items
from payerkit.cli import main
from payerkit.io import MAX_FILE_BYTES, load_case, unstructure_case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PREMERA = EXAMPLES / "premera-covered.toml"
MARKER = "Zqxmarker"  # an invented patient's surname: never in a message
POSIX = sys.platform != "win32"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


# -- helpers ---------------------------------------------------------------------------------


def case_data(path: Path = PREMERA) -> dict:
    return json.loads(json.dumps(unstructure_case(load_case(path)), default=str))


def line(data) -> bytes:
    return json.dumps(data).encode()


def with_fee_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for fees in EXAMPLES.glob("*.csv"):
        shutil.copy(fees, folder)
    return folder


def one_case_folder(folder: Path, *names: str) -> Path:
    with_fee_files(folder)
    for name in names or ("premera-covered.toml",):
        shutil.copy(PREMERA, folder / name)
    return folder


def results(out: Path) -> list[dict]:
    """``results.jsonl``, read strictly (UTF-8, one JSON object per line), in the documented
    shape."""
    lines = []
    for text in (out / "results.jsonl").read_bytes().decode("utf-8").splitlines():
        r = json.loads(text)
        assert {"path", "status", "program", "claim"} <= set(r), r
        assert r["status"] in STATUSES
        if r["status"] in ("invalid", "failed"):
            assert r["problems"] and all(isinstance(p, str) and p for p in r["problems"])
            assert r["claim"] is None
        if r["status"] == "written":
            assert r["claim"] and r["claim"]["format"]
        lines.append(r)
    return lines


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(files.TEMP_SUFFIX))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["batch", *map(str, argv), "-q"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and MARKER not in err
    return code, out, err


# -- JSON Lines: odd lines ---------------------------------------------------------------------


def hostile_lines() -> list[tuple[bytes, str | None, str | None]]:
    """(line, expected status, a problem's text); status ``None``: written or refused."""
    good = case_data()

    def changed(edit):
        data = case_data()
        data["patient"]["last_name"] = MARKER
        edit(data)
        return line(data)

    def set_service(key, value):  # the last visit's first service
        def edit(data):
            data["visits"][-1]["services"][0][key] = value
        return edit

    optional = case_data()
    optional.pop("as_of")
    optional["coverage"].pop("group_number")
    optional["provider"].pop("cash_rates")
    return [
        (b"\xef\xbb\xbf" + line(good), None, None),                  # BOM at the start of the file
        (b'"just a string"', "invalid", "expected a table"),
        (b"42", "invalid", "expected a table"),
        (b"null", "invalid", "expected a table"),
        (b"[1, 2]", "invalid", "expected a table"),
        (b"\xef\xbb\xbf" + line(good), None, None),                  # BOM at a line's start (joined)
        (b"\xef\xbb\xbf", "blank", None),                            # a BOM alone: a blank line
        (changed(lambda x: x["patient"].update(last_name="Riv\ud800era")), "invalid",
         "patient.last_name"),                                       # a lone surrogate, escaped
        (changed(lambda x: x["patient"].update(last_name="Ri\x00v")), "invalid",
         "patient.last_name"),                                       # NUL, escaped
        (b"\x00" + line({"patient": MARKER}), "invalid", "not valid JSON"),  # a raw NUL first
        (changed(lambda x: x["patient"].update(last_name="Rive\u0301ra\u200f\u202e")), None, None),
        (changed(lambda x: x["patient"].update(last_name=12)), "invalid", "patient.last_name"),
        (changed(set_service("units", 10 ** 30)), "invalid", "units"),
        (changed(set_service("units", 1e308)), "invalid", "units"),
        (changed(set_service("charge", "1e400")), "invalid", "charge"),
        (changed(set_service("charge", "99999999999999999999.99")), "invalid", "charge"),
        (changed(lambda x: x.pop("patient")), "invalid", "patient: required field missing"),
        (line(optional), None, None),                                # missing optional fields
        (b"{}", "invalid", "program: required field missing"),
        (b'{"a": 1}{"b": 2}', "invalid", "not valid JSON"),
        (b"   \t", "blank", None),
        (b'{"patient": "\xed\xa0\x80"}', "invalid", "not UTF-8"),   # a surrogate's UTF-8 bytes
    ]


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_odd_json_lines_are_result_lines_naming_the_problem(via, tmp_path, monkeypatch, capsys,
                                                            payerkit_data_dir):
    """Defects: a line starting with NUL was read as the reader's own "cannot read" marker
    and echoed into the result (patient data); a byte order mark made a line invalid."""
    cases = with_fee_files(tmp_path / "cases")
    monkeypatch.chdir(cases)
    lines = hostile_lines()
    data = b"\r\n".join(raw for raw, *_ in lines) + b"\r\n"  # CRLF line endings throughout
    if via == "file":
        (cases / "in.jsonl").write_bytes(data)
        source = "in.jsonl"
    else:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        source = "-"
    code, _, _ = run(capsys, source, "-o", tmp_path / "out", "-j", "1")
    assert code == 1
    got = results(tmp_path / "out")
    expected = [(n, status, text) for n, (_, status, text) in enumerate(lines, start=1)
                if status != "blank"]
    assert [r["line"] for r in got] == [n for n, *_ in expected]
    for r, (n, status, text) in zip(got, expected, strict=True):
        assert r["path"] == source
        if status is None:
            assert r["status"] in ("written", "refused"), (n, r.get("problems"))
        else:
            assert r["status"] == status, (n, r)
            assert any(text in p for p in r["problems"]), (n, r["problems"])
        assert MARKER not in json.dumps(r.get("problems", [])), n
    assert leftovers(tmp_path) == []


def test_a_line_is_limited_to_a_case_without_its_line_break(tmp_path):
    """Defect: a line of exactly 1 MiB was refused (its line break counted) with the case-file
    message; a BOM or a CR took room from the case."""
    case = b'"' + b"x" * (MAX_FILE_BYTES - 2) + b'"'
    assert len(case) == MAX_FILE_BYTES
    source = tmp_path / "big.jsonl"
    source.write_bytes(case + b"\n" + b"\xef\xbb\xbf" + case + b"\r\n" + case + b"x\n"
                       + b"y" * (3 * MAX_FILE_BYTES) + b"\n" + line(case_data()) + b"\n")
    items = list(find_items([str(source)]))
    assert [i.line for i in items] == [1, 2, 3, 4, 5]
    assert [i.problem is None for i in items] == [True, True, False, False, True]
    assert all("larger than 1024 KiB" in i.problem for i in items[2:4])
    assert items[1].text.strip() == case.decode()


# -- inputs that name no case ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["empty.jsonl", "blank.jsonl", "stdin-empty", "stdin-closed",
                                  "empty-folder", "folder-of-folders"])
def test_inputs_without_a_case_are_exit_2_before_anything_is_written(kind, tmp_path, monkeypatch,
                                                                       capsys):
    """Defects: an empty or blank JSON Lines file (or stdin) was a successful run of no case
    (an empty folder is exit 2); a closed stdin was an internal error."""
    source = tmp_path / kind
    if kind == "empty.jsonl":
        source.write_bytes(b"")
    elif kind == "blank.jsonl":
        source.write_bytes(b"\n \r\n\t\n\xef\xbb\xbf\n")
    elif kind == "stdin-empty":
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\n\n")))
        source = "-"
    elif kind == "stdin-closed":
        monkeypatch.setattr("sys.stdin", None)
        source = "-"
    else:
        source.mkdir()
        if kind == "folder-of-folders":
            (source / "x.toml").mkdir()  # a folder named like a case is not one
    code, _, err = run(capsys, source, "-o", tmp_path / "out")
    assert code == 2
    assert "inputs:" in err and ("no cases" in err or "no .toml" in err or "closed" in err)
    assert not (tmp_path / "out").exists()


# -- odd entries and names in a folder ---------------------------------------------------------


@pytest.mark.skipif(not POSIX or not hasattr(os, "mkfifo"), reason="FIFOs, links, byte names")
def test_odd_entries_and_names_in_a_folder(tmp_path, payerkit_data_dir):
    """Defects: a FIFO named x.toml blocked the run for ever (and a kill left temporary
    files); a file name that is not UTF-8 ended the run with an internal error."""
    cases = one_case_folder(tmp_path / "cases", "good.toml", "with space.toml", "new\nline.toml")
    shutil.copy(PREMERA, os.path.join(os.fsencode(cases), b"bad\xff.toml"))
    (cases / "sub.toml").mkdir()
    os.mkfifo(cases / "fifo.toml")
    (cases / "loop.toml").symlink_to("loop.toml")
    (cases / "dangling.json").symlink_to("nowhere.json")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "payerkit.cli", "batch", str(cases), "-o",
                           str(out), "-j", "2", "-q"], capture_output=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    by_name = {os.fsencode(Path(r["path"]).name): r for r in results(out)}
    assert set(by_name) == {b"bad\xff.toml", b"dangling.json", b"fifo.toml", b"good.toml",
                            b"loop.toml", b"new\nline.toml", b"with space.toml"}
    for name in (b"bad\xff.toml", b"good.toml", b"new\nline.toml", b"with space.toml"):
        assert by_name[name]["status"] == "written"
    assert "FIFO" in by_name[b"fifo.toml"]["problems"][0]
    assert "symbolic links" in by_name[b"loop.toml"]["problems"][0]
    assert "no such file" in by_name[b"dangling.json"]["problems"][0]
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not POSIX or not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("name", ["fifo.toml", "fifo.jsonl"])
def test_a_fifo_named_as_an_input_is_exit_2(name, tmp_path, capsys):
    os.mkfifo(tmp_path / name)
    code, _, err = run(capsys, tmp_path / name, "-o", tmp_path / "out")
    assert code == 2 and "FIFO" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(ROOT_USER or not POSIX, reason="root reads a chmod 000 file")
def test_an_unreadable_case_file_is_a_result_line(tmp_path, capsys, payerkit_data_dir):
    cases = one_case_folder(tmp_path / "cases", "good.toml", "locked.toml")
    (cases / "locked.toml").chmod(0)
    try:
        code, _, _ = run(capsys, cases, "-o", tmp_path / "out", "-j", "1")
    finally:
        (cases / "locked.toml").chmod(0o644)
    assert code == 1
    locked = [r for r in results(tmp_path / "out") if r["path"].endswith("locked.toml")]
    assert locked[0]["status"] == "invalid" and "ermission" in locked[0]["problems"][0]


@pytest.mark.skipif(not POSIX, reason="long names")
def test_input_and_output_names_too_long_are_messages(tmp_path, capsys):
    """Defect: a name too long for the file system was an internal error (OSError)."""
    long = tmp_path / ("x" * 300)
    code, _, err = run(capsys, long, "-o", tmp_path / "out")
    assert code == 2 and "File name too long" in err
    code, _, err = run(capsys, one_case_folder(tmp_path / "cases"), "-o", long)
    assert code == 3 and "too long" in err


# -- the same case twice; two cases, one claim file --------------------------------------------


@pytest.mark.parametrize("how", ["folder twice", "folder and its file", "a link to it",
                                 "jsonl twice"])
def test_a_case_named_twice_is_refused(how, tmp_path, capsys):
    """Defect: it was evaluated twice and its claim put twice into one interchange (the same
    claim id): a double bill."""
    cases = one_case_folder(tmp_path / "cases")
    inputs = {"folder twice": [cases, cases],
              "folder and its file": [cases, cases / "premera-covered.toml"],
              "a link to it": [cases], "jsonl twice": [tmp_path / "c.jsonl"] * 2}[how]
    if how == "a link to it":
        (cases / "alias.toml").symlink_to("premera-covered.toml")
    (tmp_path / "c.jsonl").write_bytes(line(case_data()) + b"\n")
    code, _, err = run(capsys, *inputs, "-o", tmp_path / "out")
    assert code == 2 and "named twice" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("how", ["same stem in two folders", "toml and json", "jsonl and file",
                                 "two jsonl", "paper format"])
def test_two_cases_writing_one_claim_file_are_refused(how, tmp_path, capsys, payerkit_data_dir):
    """Defect: one file per case wrote both into claims/<stem>…, the second over the first;
    the first case's result line named a file holding another patient's claim."""
    a, b = one_case_folder(tmp_path / "a", "x.toml"), one_case_folder(tmp_path / "b", "x.toml")
    (a / "x.json").write_text(json.dumps(case_data()))
    (a / "c.jsonl").write_bytes(line(case_data()) + b"\n")
    (b / "c.jsonl").write_bytes(line(case_data()) + b"\n")
    shutil.copy(PREMERA, b / "c-1.toml")
    inputs, options = {
        "same stem in two folders": ([a / "x.toml", b / "x.toml"], ["--per-case"]),
        "toml and json": ([a / "x.toml", a / "x.json"], ["--per-case"]),
        "jsonl and file": ([a / "c.jsonl", b / "c-1.toml"], ["--per-case"]),
        "two jsonl": ([a / "c.jsonl", b / "c.jsonl"], ["--per-case"]),
        "paper format": ([a / "x.toml", b / "x.toml"], ["--format", "cms-1500"]),
    }[how]
    code, _, err = run(capsys, *inputs, "-o", tmp_path / "out", *options)
    assert code == 2 and "would both write the claim file" in err
    assert not (tmp_path / "out").exists()
    if how == "same stem in two folders":  # interchanges have no such files: allowed
        code, _, _ = run(capsys, *inputs, "-o", tmp_path / "out", "-j", "1")
        assert code == 0 and len(results(tmp_path / "out")) == 2


def test_a_long_case_file_name_still_gets_its_claim_file(tmp_path, capsys, payerkit_data_dir):
    """A stem of 240 bytes plus ``.cms-1500-red.pdf`` is over the 255-byte limit of a name:
    the claim file's name is cut, not the run ended."""
    name = "é" * 120 + ".toml"
    cases = one_case_folder(tmp_path / "cases", name)
    code, _, _ = run(capsys, cases, "-o", tmp_path / "out", "-j", "1", "--per-case")
    assert code == 0
    (written,) = results(tmp_path / "out")
    target = tmp_path / "out" / written["claim"]["file"]
    assert target.is_file() and len(os.fsencode(target.name)) <= 255


# -- the output folder -------------------------------------------------------------------------


def test_the_output_folder_may_not_hold_inputs_matched_by_a_glob(tmp_path, capsys):
    """Defect: only named folders and files were checked; with a glob the outputs went into
    the cases' folder, and its summary.json was read as a case next time."""
    cases = one_case_folder(tmp_path / "cases")
    code, _, err = run(capsys, f"{cases}/*.toml", "-o", cases)
    assert code == 3 and "holds the inputs" in err
    assert sorted(p.name for p in cases.iterdir() if not p.name.endswith(".csv")) == [
        "premera-covered.toml"]


@pytest.mark.skipif(not POSIX, reason="links")
def test_a_recursive_glob_does_not_follow_links_to_folders(tmp_path):
    """Defect: ``d/**/*.toml`` never finished when ``d`` held links to ``.``: the recursive
    glob followed them, down every path of links the system would resolve."""
    cases = tmp_path / "d"
    one_case_folder(cases / "sub" / "deeper", "deep.toml")
    shutil.copy(PREMERA, cases / "top.toml")
    with_fee_files(cases)
    for name in ("loop", "again"):
        (cases / name).symlink_to(".")
    (cases / "sub" / "up").symlink_to("..")
    (cases / ".hidden").mkdir()
    shutil.copy(PREMERA, cases / ".hidden" / "hidden.toml")  # glob's ** skips hidden folders
    try:
        done = subprocess.run([sys.executable, "-m", "payerkit.cli", "batch",
                               f"{cases}/**/*.toml", "-o", str(tmp_path / "out"), "-j", "1",
                               "-q"], capture_output=True, timeout=60,
                              env={**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")})
    except subprocess.TimeoutExpired:
        pytest.fail("the glob never finished")
    assert done.returncode == 0, done.stderr
    assert sorted(r["path"] for r in results(tmp_path / "out")) == [
        f"{cases}/sub/deeper/deep.toml", f"{cases}/top.toml"]


def test_an_empty_input_name_is_exit_2(tmp_path, capsys, monkeypatch):
    """Defect: ``payerkit batch "" -o out`` (an unset variable) billed every case in the
    working folder."""
    one_case_folder(tmp_path / "cases")
    monkeypatch.chdir(tmp_path / "cases")
    for inputs in ([""], [" "], ["-", ""]):
        code, _, err = run(capsys, *inputs, "-o", tmp_path / "out")
        assert code == 2 and "inputs: an empty name" in err, err
        assert not (tmp_path / "out").exists()


def test_an_output_folder_inside_the_input_folder_is_not_read_again(tmp_path, capsys,
                                                                     payerkit_data_dir):
    cases = one_case_folder(tmp_path / "cases")
    for _ in range(2):
        code, _, _ = run(capsys, cases, "-o", cases / "out", "-j", "1")
        assert code == 0 and len(results(cases / "out")) == 1


def test_an_output_that_is_a_file_or_a_link(tmp_path, capsys, payerkit_data_dir):
    cases = one_case_folder(tmp_path / "cases")
    code, _, err = run(capsys, cases, "-o", cases / "premera-covered.toml")
    assert code == 3 and "not a folder" in err
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "target"
    target.write_text("keep")
    (out / "results.jsonl").symlink_to(target)
    code, _, err = run(capsys, cases, "-o", out, "-j", "1")
    assert code == 3 and "symbolic link" in err
    assert (out / "results.jsonl").is_symlink() and sorted(p.name for p in out.iterdir()) == [
        "results.jsonl"]
    code, _, _ = run(capsys, cases, "-o", out, "-j", "1", "--force")
    assert code == 0 and not (out / "results.jsonl").is_symlink()
    assert target.read_text() == "keep"


@pytest.mark.skipif(ROOT_USER or not POSIX, reason="root writes into a read-only folder")
def test_an_unwritable_output_folder(tmp_path, capsys, payerkit_data_dir):
    cases = one_case_folder(tmp_path / "cases")
    out = tmp_path / "out"
    out.mkdir(mode=0o555)
    code, _, err = run(capsys, cases, "-o", out)
    assert code == 3 and "permission denied" in err


def test_a_full_disk_while_the_files_are_put_in_place(tmp_path, monkeypatch, capsys,
                                                      payerkit_data_dir):
    """Defect: the interchanges were renamed into place one by one before results.jsonl; a
    full disk at its last flush left them there (exit 3, "nothing was written"), beside an
    earlier run's summary.json that said the run had finished."""
    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLES, cases)
    out = tmp_path / "out"
    code, _, _ = run(capsys, cases, "-o", out, "-j", "1")
    assert code == 1 and (out / "summary.json").exists()
    earlier = {p.name: p.read_bytes() for p in out.glob("*.837")}
    real = files.AtomicFile.commit

    def full(self):
        if self.path.name == "results.jsonl":
            self.discard()
            raise files._os_error(self.path, OSError(errno.ENOSPC, "No space left on device"))
        return real(self)

    monkeypatch.setattr(files.AtomicFile, "commit", full)
    code, _, err = run(capsys, cases, "-o", out, "-j", "1")
    assert code == 3 and "the disk is full" in err
    left = {p.name: p.read_bytes() for p in out.glob("*.837")}
    assert all(earlier[name] == data for name, data in left.items())  # none of this run's
    assert not (out / "summary.json").exists()
    assert leftovers(out) == []
    fresh = tmp_path / "fresh"
    assert run(capsys, cases, "-o", fresh, "-j", "1")[0] == 3
    assert list(fresh.iterdir()) == []


def test_a_full_disk_with_workers_stops_at_once(tmp_path, monkeypatch, capsys, payerkit_data_dir):
    """Defect: with -j 2 on a folder, a full disk while the workers were ahead hung the run
    for ever (the pool's feeder waited for room; terminate() waited for the feeder), its
    temporary files left behind."""
    cases = with_fee_files(tmp_path / "cases")
    toml = sorted(EXAMPLES.glob("*.toml"))
    for n in range(400):
        shutil.copy(toml[n % len(toml)], cases / f"c{n:04d}.toml")
    real, calls = files.AtomicFile.write, []

    def full(self, data):
        calls.append(1)
        if len(calls) == 40:
            raise files._os_error(self.path, OSError(errno.ENOSPC, "No space left on device"))
        return real(self, data)

    monkeypatch.setattr(files.AtomicFile, "write", full)
    started = time.monotonic()
    code, _, err = run(capsys, cases, "-o", tmp_path / "out", "-j", "2")
    assert code == 3 and "the disk is full" in err
    assert time.monotonic() - started < 30
    assert list((tmp_path / "out").iterdir()) == []
    assert multiprocessing.active_children() == []


def test_a_writer_failing_on_one_case_is_its_result_line(tmp_path, monkeypatch, capsys,
                                                         payerkit_data_dir):
    """Defect: with one file per case, a claim writer (a plugin's) failing on one case ended
    the whole run (exit 3) instead of a "failed" result line."""
    from payerkit.errors import PluginError
    from payerkit.model import Evaluation

    cases = one_case_folder(tmp_path / "cases", "a.toml")
    data = case_data()
    data["patient"]["last_name"] = MARKER
    (cases / "b.json").write_text(json.dumps(data))
    real = Evaluation.write

    def write(self, *args, **kwargs):
        if self.case.patient.last_name == MARKER:
            raise PluginError("the cms-1500 writer of plugin 'paper' failed: RuntimeError")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Evaluation, "write", write)
    code, _, _ = run(capsys, cases, "-o", tmp_path / "out", "-j", "1", "--format", "cms-1500")
    assert code == 1
    a, b = results(tmp_path / "out")
    assert a["status"] == "written" and b["status"] == "failed"
    assert "writer" in b["problems"][0] and MARKER not in b["problems"][0]


# -- the control-number counter ----------------------------------------------------------------


@pytest.mark.parametrize("content, mode", [(b"garbage", "interchanges"), (b"", "interchanges"),
                                           (b"9999999999", "interchanges"),
                                           (b"\xff\xfe12", "interchanges"),
                                           (b"garbage", "per-case")])
def test_a_damaged_counter_stops_the_run_and_leaves_nothing(content, mode, tmp_path, capsys,
                                                            payerkit_data_dir):
    counter = payerkit_data_dir / "x12-control-number"
    counter.parent.mkdir(parents=True, exist_ok=True)
    counter.write_bytes(content)
    cases = one_case_folder(tmp_path / "cases", "a.toml", "b.toml")
    extra = ["--per-case", "-j", "2"] if mode == "per-case" else ["-j", "1"]
    code, _, err = run(capsys, cases, "-o", tmp_path / "out", *extra)
    assert code == 3 and "control-number counter" in err
    assert counter.read_bytes() == content
    assert leftovers(tmp_path) == []
    assert not {"results.jsonl", "summary.json"} & {p.name for p in (tmp_path / "out").iterdir()}


# -- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize("option, expected", [
    (["-j", "0"], "expected 1 to 256, got 0"), (["-j", "10000"], "expected 1 to 256"),
    (["-j", "many"], "expected a whole number"),
    (["--claims-per-transaction", "0"], "expected 1 to 5000, got 0"),
    (["--claims-per-transaction", "5001"], "expected 1 to 5000, got 5001"),
    (["--claims-per-transaction", "abc"], "expected a whole number, got 'abc'"),
    (["-o", ""], "expected a folder name, got an empty one"),  # was: the working folder
])
def test_bad_option_values_are_exit_2(option, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["batch", str(EXAMPLES), "-o", str(tmp_path / "out"), *option])
    assert stop.value.code == 2 and expected in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_bad_printer_offset_is_one_exit_2_before_anything_runs(tmp_path, capsys,
                                                                  monkeypatch, payerkit_data_dir):
    """Defect: a bad PAYERKIT_CMS1500_OFFSET failed each case of a red-form batch."""
    monkeypatch.setenv("PAYERKIT_CMS1500_OFFSET", "down a bit")
    cases = one_case_folder(tmp_path / "cases")
    code, _, err = run(capsys, cases, "-o", tmp_path / "out", "--format", "cms-1500-red",
                       "-j", "1")
    assert code == 2 and "PAYERKIT_CMS1500_OFFSET: must be 'lines,columns'" in err
    assert not (tmp_path / "out").exists()
    monkeypatch.setenv("PAYERKIT_CMS1500_OFFSET", "-0.5,1")  # a good one: written
    assert run(capsys, cases, "-o", tmp_path / "out", "--format", "cms-1500-red", "-j", "1"
               )[0] == 0


def test_a_relative_data_dir_stops_a_batch_before_anything_runs(tmp_path, capsys,
                                                                monkeypatch):
    monkeypatch.setenv("PAYERKIT_DATA_DIR", "payerkit-data")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, one_case_folder(tmp_path / "cases"), "-o", tmp_path / "out")
    assert code == 3 and "PAYERKIT_DATA_DIR is a relative path" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases"]


KILLED_AT_COMMIT = """
import os, signal, sys
import payerkit.files as files

def killed(job, *args):  # kill -9 as the first output is put in place: all are temp files
    os.kill(os.getpid(), signal.SIGKILL)
files._finish = killed
from payerkit.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not POSIX, reason="kill -9")
def test_temp_files_a_killed_run_left_go_with_the_next_run_into_the_folder(tmp_path):
    """Defect: after a driver's kill -9, the temporary file of an interchange for a payer the
    next run into the folder did not bill (another payer's target) stayed for ever, with its
    claims in it."""
    out = tmp_path / "out"
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")}
    first = one_case_folder(tmp_path / "premera")
    done = subprocess.run([sys.executable, "-c", KILLED_AT_COMMIT, "batch", str(first), "-o",
                           str(out), "-j", "1", "-q"], env=env, capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = leftovers(out)
    assert any(name.startswith(".00430.837.") for name in left), left
    claims = out / "claims"
    claims.mkdir()
    (claims / f".x.837.{2**22 + 12345}.0badcafe{files.TEMP_SUFFIX}").write_bytes(b"ISA*")
    second = with_fee_files(tmp_path / "ump")
    shutil.copy(EXAMPLES / "ump-covered.toml", second)
    done = subprocess.run([sys.executable, "-m", "payerkit.cli", "batch", str(second), "-o",
                           str(out), "-j", "1", "-q"], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert leftovers(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["00932.837", "claims", "results.jsonl",
                                                      "summary.json"]


def test_a_temp_file_being_written_is_left_alone(tmp_path, capsys, payerkit_data_dir):
    """The sweep removes only temporary files whose writer is gone: one still locked by its
    writer (a ``payerkit claim -o`` into the folder at this moment) stays."""
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    busy = out / f".claim.837.{os.getpid()}.0badcafe{files.TEMP_SUFFIX}"
    busy.write_bytes(b"ISA*")
    with open(busy, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _, _ = run(capsys, one_case_folder(tmp_path / "cases"), "-o", out, "-j", "1")
        assert code == 0 and busy.exists()


def test_a_paper_format_the_program_does_not_take(tmp_path, capsys, payerkit_data_dir):
    code, _, _ = run(capsys, one_case_folder(tmp_path / "cases"), "-o", tmp_path / "out",
                     "--format", "nf-3", "-j", "1")
    assert code == 1
    (r,) = results(tmp_path / "out")
    assert r["status"] == "refused" and r["claim"] is None
    assert [f["code"] for f in r["scrub"]["findings"]] == ["FORMAT-NOT-ACCEPTED"]


# -- signals, pipes ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backlog(tmp_path_factory) -> Path:
    """2000 cases as JSON Lines, beside the examples' fee files."""
    folder = with_fee_files(tmp_path_factory.mktemp("backlog"))
    rows = [line(case_data(p)) for p in sorted(EXAMPLES.glob("*.toml"))]
    (folder / "backlog.jsonl").write_bytes(b"\n".join(rows[n % len(rows)] for n in range(2000)))
    return folder / "backlog.jsonl"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for whoever reaps it)."""
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child, before Python starts: SIGINT handled by default, as in a terminal, even
    when the tests run where it is ignored (a job started in the background by a shell
    inherits SIG_IGN, and Python then leaves Ctrl-C ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum, to", [(signal.SIGTERM, "group"), (signal.SIGINT, "group"),
                                        (signal.SIGTERM, "driver")])
def test_a_signal_mid_run_leaves_nothing_and_no_worker(signum, to, backlog, tmp_path):
    """Defects: SIGTERM ended the process at once, its temporary files (claims, results)
    left on disk; SIGINT to the process group (Ctrl-C) printed each worker's traceback;
    SIGTERM to the group (a service manager, kill -- -PGID) hung the run for ever."""
    out = tmp_path / "out"
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")}
    child = subprocess.Popen([sys.executable, "-m", "payerkit.cli", "batch", str(backlog), "-o",
                              str(out), "-j", "2", "-q"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, start_new_session=True,
                             preexec_fn=_ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 30
    while not any(out.glob(".results.jsonl.*")) and time.monotonic() < deadline:
        time.sleep(0.02)  # the run has begun: its results are being written
    time.sleep(0.3)
    workers = _children(child.pid)
    (os.killpg if to == "group" else os.kill)(child.pid, signum)
    try:
        _, err = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail("the run hung after the signal")
    assert child.returncode == 3, err
    assert b"interrupted; nothing was written" in err and b"Traceback" not in err
    assert list(out.iterdir()) == []
    time.sleep(0.2)
    assert [pid for pid in workers if _running(pid)] == []


STUCK = """
import sys, time
import payerkit.batch as batch
batch.GRACE = 0.5
real = batch.evaluate_item
def stuck(kit, item, *args):
    if item.line == 300:  # a case a plugin never finishes
        time.sleep(600)
    return real(kit, item, *args)
batch.evaluate_item = stuck
from payerkit.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["a stuck worker", "the driver killed"])
def test_workers_never_outlive_the_run(how, backlog, tmp_path):
    """A worker stuck on a case is killed after GRACE when the run is stopped (the run does
    not wait for it for ever); workers of a driver killed with SIGKILL end by themselves
    (defect of the first fix: the pool's workers held their queue open and waited)."""
    out = tmp_path / "out"
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")}
    argv = ["batch", str(backlog), "-o", str(out), "-j", "2", "-q"]
    command = [sys.executable, "-c", STUCK] if how == "a stuck worker" else \
        [sys.executable, "-m", "payerkit.cli"]
    child = subprocess.Popen([*command, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while not any(out.glob(".results.jsonl.*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    workers = _children(child.pid)
    assert workers
    os.kill(child.pid, signal.SIGTERM if how == "a stuck worker" else signal.SIGKILL)
    try:
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    if how == "a stuck worker":
        assert child.returncode == 3 and b"interrupted" in err
        assert list(out.iterdir()) == []
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if _running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


def test_sigterm_in_process_is_an_interrupt_and_the_handler_comes_back(tmp_path, monkeypatch,
                                                                       capsys, payerkit_data_dir):
    import payerkit.batch as batch

    before = signal.getsignal(signal.SIGTERM)
    real, seen = batch.evaluate_item, []

    def killed(*args):
        seen.append(1)
        if len(seen) == 5:
            os.kill(os.getpid(), signal.SIGTERM)
        return real(*args)

    monkeypatch.setattr(batch, "evaluate_item", killed)
    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLES, cases)
    code, _, err = run(capsys, cases, "-o", tmp_path / "out", "-j", "1")
    assert code == 3 and "interrupted" in err
    assert list((tmp_path / "out").iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.skipif(not POSIX, reason="pipes")
def test_a_reader_that_left_keeps_the_runs_exit_status(tmp_path):
    """Defect: with stdout a broken pipe (``| head -c 10``), the exit status was 0 although
    cases had no claim written."""
    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLES, cases)
    for option in ([], ["--json"]):
        out = tmp_path / f"out{len(option)}"
        read, write = os.pipe()
        os.close(read)
        try:
            done = subprocess.run([sys.executable, "-m", "payerkit.cli", "batch", str(cases),
                                   "-o", str(out), "-j", "1", "-q", *option], stdout=write,
                                  stderr=subprocess.PIPE, timeout=60,
                                  env={**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "d")})
        finally:
            os.close(write)
        assert done.returncode == 1 and done.stderr == b""
        assert (out / "summary.json").exists()


@pytest.mark.skipif(not POSIX, reason="byte file names")
def test_a_folder_name_that_is_not_utf8_prints_on_a_strict_stdout(tmp_path, monkeypatch,
                                                                   payerkit_data_dir):
    cases = one_case_folder(tmp_path / "cases")
    out = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"out\xff"))
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["batch", str(cases), "-o", out, "-j", "1", "-q"]) == 0
    stdout.flush()
    assert b"out\\xff/results.jsonl" in stdout.buffer.getvalue()


# -- --dask ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def garbage_server():
    """A TCP service that is not a Dask scheduler: it answers every connection with bytes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.sendall(b"\xff" * 64)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.mark.parametrize("address, expected", [
    ("unreachable", "cannot reach the Dask scheduler"), ("garbage", "cannot"),
    ("nonsense!!", "cannot use the address"), ("", "cannot use the address"),
])
def test_dask_addresses_that_are_no_scheduler_are_exit_3_quickly(address, expected, tmp_path,
                                                                 monkeypatch, capsys,
                                                                 garbage_server):
    """Defects: an unreachable scheduler took 20 s to say so; a bad address, or a service
    that is not Dask, was an internal error (ValueError, MemoryError); an empty address ran
    the batch locally; the output folder was made before connecting."""
    pytest.importorskip("distributed")
    import payerkit.dask

    assert payerkit.dask.CONNECT_TIMEOUT <= 10
    monkeypatch.setattr(payerkit.dask, "CONNECT_TIMEOUT", 1)
    address = {"unreachable": f"tcp://127.0.0.1:{_free_port()}",
               "garbage": garbage_server}.get(address, address)
    started = time.monotonic()
    code, _, err = run(capsys, one_case_folder(tmp_path / "cases"), "-o", tmp_path / "out",
                       "--dask", address)
    assert code == 3 and expected in err, err
    assert time.monotonic() - started < 10
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("missing", ["distributed", "dask"])
def test_dask_not_installed_is_a_clear_exit_3(missing, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as if not installed
    if missing == "dask":
        monkeypatch.setitem(sys.modules, "distributed", None)
    code, _, err = run(capsys, one_case_folder(tmp_path / "cases"), "-o", tmp_path / "out",
                       "--dask", "tcp://127.0.0.1:8786")
    assert code == 3 and "pip install 'payerkit[dask]'" in err
    assert not (tmp_path / "out").exists()


# -- a worker that dies ------------------------------------------------------------------------

DIES = """
import os, sys, time
from pathlib import Path
import payerkit.batch as batch
import payerkit.commands as commands
from payerkit.hookspecs import hookimpl
from payerkit.kit import PayerKit

how, marker = sys.argv[1], Path(sys.argv[2])
driver = os.getpid()


class Exits:
    "A plugin that ends the worker process (os._exit) on the case at line 300."

    @hookimpl
    def payerkit_scrub(self, program, case, visit, as_of, facts, pricing):
        if os.getpid() != driver and case.coverage.member_id == "XYZEXIT00300":
            os._exit(0)


class Kit(PayerKit):
    def __init__(self, **kw):
        super().__init__(**kw)
        if how == "os._exit":
            self.register(Exits(), "exits")


real = batch.evaluate_item


def waiting(kit, item, *args):
    if how == "kill -9" and item.line == 300:  # wait here, mid-chunk, to be killed
        marker.write_text(str(os.getpid()))
        time.sleep(600)
    return real(kit, item, *args)


batch.evaluate_item = waiting
commands.PayerKit = Kit
from payerkit.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _workers(pid: int) -> list[int]:
    """The batch's worker processes (not multiprocessing's resource tracker)."""
    return [p for p in _children(pid)
            if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]


def _broken_run(command: list[str], out: Path, env: dict, kill) -> tuple[int, bytes]:
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             start_new_session=True)
    try:
        workers = kill(child)
        _, err = child.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail("the run hung after a worker died")
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if _running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "a worker outlived the run"
    assert leftovers(out) == []
    return child.returncode, err


def _check_cut_short(out: Path, code: int, err: bytes, cases: int, lost: int) -> None:
    """Exit 3; every case has its line, in input order; the finished cases' claims are in
    the interchanges the summary names; the others say they were not evaluated."""
    assert code == 3, err
    assert b"Traceback" not in err and b"not evaluated" in err
    lines = results(out)
    assert [r["line"] for r in lines] == list(range(1, cases + 1))
    missing = [r for r in lines if "not evaluated" in " ".join(r.get("problems", ()))]
    assert all(r["status"] == "failed" and r["program"] is None for r in missing)
    assert lost in [r["line"] for r in missing]
    assert len(missing) < cases
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cases"] == cases and summary["errors"]["NOT-EVALUATED"] == len(missing)
    written = [r for r in lines if r["status"] == "written"]
    assert written and sum(i["claims"] for i in summary["interchanges"]) == len(written)
    for r in written:
        text = (out / r["claim"]["file"]).read_text()
        assert f"*{r['claim']['interchange']:09d}*" in text and r["claim"]["claim_id"] in text


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_worker_killed_with_sigkill_ends_the_run_with_what_it_finished(backlog, tmp_path):
    """Defect: a worker killed with SIGKILL (the OOM killer) hung the driver for ever: the
    pool's clean-up sent SIGTERM, which workers ignore, and waited for them."""
    out, marker = tmp_path / "out", tmp_path / "waiting"
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")}

    def kill(child):
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
        workers = _workers(child.pid)
        os.kill(int(marker.read_text()), signal.SIGKILL)
        return workers

    code, err = _broken_run([sys.executable, "-c", DIES, "kill -9", str(marker), "batch",
                             str(backlog), "-o", str(out), "-j", "2", "-q"], out, env, kill)
    _check_cut_short(out, code, err, 2000, 300)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_plugin_ending_its_worker_ends_the_run_with_what_it_finished(tmp_path):
    """Defect: a plugin calling os._exit in a worker hung the driver or lost every case."""
    folder = with_fee_files(tmp_path / "in")
    rows = [case_data(p) for p in sorted(EXAMPLES.glob("*.toml"))]
    lines = [rows[n % len(rows)] for n in range(400)]
    lines[299] = case_data()
    lines[299]["coverage"]["member_id"] = "XYZEXIT00300"
    (folder / "cases.jsonl").write_bytes(b"\n".join(map(line, lines)))
    out = tmp_path / "out"
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")}

    def kill(child):  # the plugin does it; the workers, as soon as they are there
        deadline = time.monotonic() + 30
        while not (workers := _workers(child.pid)) and time.monotonic() < deadline:
            time.sleep(0.01)
        return workers

    code, err = _broken_run([sys.executable, "-c", DIES, "os._exit", str(tmp_path / "m"),
                             "batch", str(folder / "cases.jsonl"), "-o", str(out), "-j", "2",
                             "-q"], out, env, kill)
    _check_cut_short(out, code, err, 400, 300)


# -- one output folder, several runs -----------------------------------------------------------

HELD = """
import sys, time
from pathlib import Path
import payerkit.batch as batch

hold = Path(sys.argv[1])
real = batch.evaluate_item


def held(kit, item, *args):  # the run waits (mid-run, its outputs begun) while the file is there
    (hold.parent / "running").touch()
    while hold.exists():
        time.sleep(0.05)
    return real(kit, item, *args)


batch.evaluate_item = held
from payerkit.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _consistent(out: Path) -> int:
    """The folder's results and summary name only claims that are in its interchanges."""
    summary = json.loads((out / "summary.json").read_text())
    for entry in summary["interchanges"]:
        text = (out / entry["file"]).read_text()
        assert f"*{entry['interchange']:09d}*" in text
        assert text.count("\nCLM*") == entry["claims"]
    written = [r for r in results(out) if r["status"] == "written"]
    for r in written:
        text = (out / r["claim"]["file"]).read_text()
        assert f"*{r['claim']['interchange']:09d}*" in text and r["claim"]["claim_id"] in text
    return len(written)


def test_a_folder_another_batch_is_writing_into_is_refused(tmp_path):
    """Defect: runs into one output folder at once all reported success, but only one run's
    interchanges survived, and results.jsonl/summary.json named ISA13s that were not in the
    .837 files beside them."""
    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLES, cases)
    out, hold = tmp_path / "out", tmp_path / "hold"
    hold.touch()
    env = {**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")}
    argv = ["batch", str(cases), "-o", str(out), "-j", "1", "-q"]
    first = subprocess.Popen([sys.executable, "-c", HELD, str(hold), *argv], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "running").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        others = [subprocess.Popen([sys.executable, "-m", "payerkit.cli", *argv], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                  for _ in range(5)]
        answers = [p.communicate(timeout=120) for p in others]
        hold.unlink()
        first.communicate(timeout=120)
    finally:
        for p in [first, *locals().get("others", [])]:
            if p.poll() is None:
                p.kill()
                p.communicate()
    for p, (_, err) in zip(others, answers, strict=True):
        assert p.returncode == 3, err
        assert b"another payerkit batch is writing into it" in err and b"Traceback" not in err
    assert first.returncode == 1
    assert _consistent(out) > 0
    assert leftovers(out) == []



TORN = """
import os, sys
import multiprocessing.connection as connection

driver, seen = os.getpid(), []
real = connection.Connection._recv


def torn(self, size, *args):  # Ctrl-C half-way through reading a worker's answer
    if os.getpid() == driver and size > 1000:
        seen.append(size)
        if len(seen) == 3:
            real(self, size // 2, *args)
            raise KeyboardInterrupt
    return real(self, size, *args)


connection.Connection._recv = torn
from payerkit.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_an_interrupt_half_way_through_an_answer_stops_the_run(backlog, tmp_path):
    """Defect of the first pipe-per-worker pool: an interrupt while the driver read a
    worker's answer left half of it in the pipe; stopping the run read the rest as a new
    message and waited for ever."""
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-c", TORN, "batch", str(backlog), "-o", str(out),
                              "-j", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path / "data")},
                             start_new_session=True)
    try:
        _, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail("the run hung after the interrupt")
    assert child.returncode == 3 and b"interrupted; nothing was written" in err, err
    assert list(out.iterdir()) == []

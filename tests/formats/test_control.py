"""Control numbers: persisted, increasing, unique under concurrent use."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import stat
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from payerkit.errors import ClaimRefused, PayerKitError
from payerkit.formats import control
from payerkit.formats.control import LAST, CounterError, next_control_numbers
from payerkit.formats.options import ControlNumbers
from payerkit.formats.x12_837p import MAX_CONTROL

#: A process id no process has (above Linux's largest pid_max, 2**22).
DEAD_PID = 2**22 + 12345


def test_starts_at_one_and_increments(tmp_path):
    assert next_control_numbers(tmp_path) == ControlNumbers(1, 1, 1)
    assert next_control_numbers(tmp_path) == ControlNumbers(2, 2, 2)
    assert next_control_numbers(tmp_path).interchange == 3


def test_persists_in_the_data_dir(tmp_path):
    data = tmp_path / "nested" / "data"
    for _ in range(5):
        next_control_numbers(data)
    assert (data / control.COUNTER_FILE).read_text().strip() == "5"
    assert next_control_numbers(data).interchange == 6
    # no temp files left behind
    assert sorted(p.name for p in data.iterdir()) == [control.COUNTER_FILE, control.LOCK_FILE]


def test_uses_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(tmp_path / "env"))
    assert next_control_numbers().interchange == 1
    assert (tmp_path / "env" / control.COUNTER_FILE).exists()


def test_wraps_only_at_the_x12_limit(tmp_path):
    assert LAST == 999_999_999 == MAX_CONTROL  # ISA13: nine digits
    (tmp_path / control.COUNTER_FILE).write_text(f"{LAST - 1}\n")
    assert next_control_numbers(tmp_path).interchange == LAST
    assert next_control_numbers(tmp_path).interchange == 1
    assert next_control_numbers(tmp_path).interchange == 2


def test_damaged_counter_is_an_error_not_a_restart(tmp_path):
    (tmp_path / control.COUNTER_FILE).write_text("garbage")
    with pytest.raises(PayerKitError, match="damaged"):
        next_control_numbers(tmp_path)
    assert (tmp_path / control.COUNTER_FILE).read_text() == "garbage"


def test_unique_across_threads(tmp_path):
    results: list[int] = []
    lock = threading.Lock()

    def work():
        for _ in range(20):
            value = next_control_numbers(tmp_path).interchange
            with lock:
                results.append(value)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(1, 161))


def _take(args) -> list[int]:
    path, count = args
    return [next_control_numbers(path).interchange for _ in range(count)]


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method")
def test_unique_across_processes(tmp_path):
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        chunks = pool.map(_take, [(tmp_path, 25)] * 4)
    values = [v for chunk in chunks for v in chunk]
    assert sorted(values) == list(range(1, 101))
    assert next_control_numbers(tmp_path).interchange == 101


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method")
def test_unique_across_twenty_processes(tmp_path):
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(20) as pool:
        chunks = pool.map(_take, [(tmp_path, 10)] * 20)
    assert sorted(v for chunk in chunks for v in chunk) == list(range(1, 201))


# ----------------------------------------------------------------- damage (issue 6)


def counter_of(tmp_path):
    return tmp_path / control.COUNTER_FILE


def refused(tmp_path, *words):
    """The counter refuses with a CounterError naming the path; nothing is issued."""
    with pytest.raises(CounterError) as info:
        next_control_numbers(tmp_path)
    message = str(info.value)
    assert isinstance(info.value, PayerKitError) and not isinstance(info.value, ClaimRefused)
    assert str(tmp_path) in message and "Traceback" not in message
    for word in words:
        assert word in message
    return message


@pytest.mark.parametrize("content", [
    b"\xc3\xa9\n", b"\xff\xfe1\x00", b"\xd9\xa3",          # non-ASCII (the last: an Arabic-Indic 3)
    b"-5\n", b"+5", b"12abc", b"1e3", b"1 2", b"", b"  \n",  # signs, letters, empty
    b"7" * 80,                                              # too long to be a counter
])
def test_damaged_content_is_refused_and_kept(tmp_path, content):
    counter_of(tmp_path).write_bytes(content)
    refused(tmp_path, "damaged", "write the last control number you sent")
    assert counter_of(tmp_path).read_bytes() == content


@pytest.mark.parametrize("value", ["99999999999999999999", "1000000000", str(LAST + 1)])
def test_a_value_beyond_the_x12_limit_never_restarts_at_one(tmp_path, value):
    counter_of(tmp_path).write_text(f"{value}\n")
    refused(tmp_path, "beyond the X12 limit of 999999999")
    assert counter_of(tmp_path).read_text() == f"{value}\n"


def test_surrounding_whitespace_and_leading_zeros_are_fine(tmp_path):
    counter_of(tmp_path).write_text("  0041\r\n")
    assert next_control_numbers(tmp_path).interchange == 42


def test_counter_path_is_a_folder(tmp_path):
    counter_of(tmp_path).mkdir()
    refused(tmp_path, "is a folder, not the counter file")
    assert counter_of(tmp_path).is_dir()


def test_counter_path_is_a_link_or_a_device(tmp_path):
    real = tmp_path / "elsewhere"
    real.write_text("5\n")
    counter_of(tmp_path).symlink_to(real)
    refused(tmp_path, "symbolic link")
    assert real.read_text() == "5\n" and counter_of(tmp_path).is_symlink()
    counter_of(tmp_path).unlink()
    os.mkfifo(counter_of(tmp_path))
    refused(tmp_path, "not a regular file")


def test_lock_path_is_a_folder(tmp_path):
    (tmp_path / control.LOCK_FILE).mkdir()
    refused(tmp_path, "(the lock file) is a folder", "remove it")
    assert not counter_of(tmp_path).exists()


def test_lock_path_is_a_fifo(tmp_path):
    os.mkfifo(tmp_path / control.LOCK_FILE)
    refused(tmp_path, "(the lock file) is not a regular file")


def test_data_dir_is_a_file(tmp_path):
    data = tmp_path / "data"
    data.write_text("not a folder")
    with pytest.raises(CounterError, match="is not a folder.*PAYERKIT_DATA_DIR"):
        next_control_numbers(data)
    with pytest.raises(CounterError, match="cannot be used: not a directory"):
        next_control_numbers(data / "below")
    assert data.read_text() == "not a folder"


@pytest.mark.parametrize("err", [errno.EACCES, errno.EROFS])
def test_data_dir_not_writable(tmp_path, monkeypatch, err):
    """Simulated: as root, chmod 555 does not stop a write (the real case is below)."""
    real_open = os.open

    def read_only_fs(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(err, os.strerror(err), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_fs)
    message = refused(tmp_path, "PAYERKIT_DATA_DIR")
    assert os.strerror(err).lower() in message
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_counter_cannot_be_replaced_on_a_read_only_file_system(tmp_path, monkeypatch):
    next_control_numbers(tmp_path)                  # lock and counter exist
    real_open = os.open

    def read_only_fs(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and str(path).endswith(".payerkit-tmp"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_fs)
    refused(tmp_path, "read-only", "PAYERKIT_DATA_DIR")
    monkeypatch.undo()
    assert counter_of(tmp_path).read_text() == "1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [control.COUNTER_FILE, control.LOCK_FILE]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_data_dir_and_counter_without_permission(shared_folder):
    """For real: as root, the attempts run in a child process that is user nobody."""
    data = shared_folder / "data"
    data.mkdir()
    next_control_numbers(data)
    (data / control.LOCK_FILE).unlink()
    data.chmod(0o555)                                   # a read-only data folder
    assert "lock file" in as_unprivileged(_refusal, data)
    data.chmod(0o777)
    counter_of(data).chmod(0o222)                       # writable, but nobody may read it
    assert "cannot be read" in as_unprivileged(_refusal, data)
    counter_of(data).chmod(0o644)
    assert counter_of(data).read_text() == "1\n"


def test_a_read_only_counter_is_not_replaced(tmp_path):
    counter_of(tmp_path).write_text("41\n")
    counter_of(tmp_path).chmod(0o444)
    refused(tmp_path, "read-only", "chmod u+w")      # also as root
    assert counter_of(tmp_path).read_text() == "41\n"
    assert stat.S_IMODE(counter_of(tmp_path).stat().st_mode) == 0o444


def test_the_counter_keeps_its_mode(tmp_path):
    counter_of(tmp_path).write_text("7\n")
    counter_of(tmp_path).chmod(0o640)
    assert next_control_numbers(tmp_path).interchange == 8
    assert stat.S_IMODE(counter_of(tmp_path).stat().st_mode) == 0o640


def test_stale_temp_files_of_a_killed_writer_are_removed(tmp_path):
    next_control_numbers(tmp_path)
    stale = tmp_path / f".{control.COUNTER_FILE}.{DEAD_PID}.0badf00d.payerkit-tmp"
    stale.write_text("2\n")
    next_control_numbers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [control.COUNTER_FILE, control.LOCK_FILE]


@pytest.mark.parametrize("setup, words", [
    (lambda d: (d / control.COUNTER_FILE).mkdir(parents=True), "is a folder"),
    (lambda d: (d / control.LOCK_FILE).mkdir(parents=True), "lock file"),
    (lambda d: d.write_text("x"), "not a folder"),
    (lambda d: (d.mkdir(), (d / control.COUNTER_FILE).write_bytes(b"\xc3\xa9")), "damaged"),
    (lambda d: (d.mkdir(), (d / control.COUNTER_FILE).write_text("99999999999999999999")),
     "X12 limit"),
])
def test_the_cli_reports_counter_damage_as_exit_3(tmp_path, capsys, monkeypatch,
                                                  payerkit_data_dir, setup, words):
    from case_samples import BASE_CASE, SampleAdapter

    from payerkit import PayerKit
    from payerkit.cli import main

    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[SampleAdapter()]))
    case = tmp_path / "case.json"
    case.write_text(json.dumps(BASE_CASE, default=str))
    setup(payerkit_data_dir)
    code = main(["claim", str(case), "-o", str(tmp_path / "c.837")])
    out, err = capsys.readouterr()
    assert code == 3 and words in err and str(payerkit_data_dir) in err
    assert "Traceback" not in err and "claim refused" not in err
    assert not (tmp_path / "c.837").exists()


def test_a_relative_data_dir_is_refused(tmp_path, monkeypatch):
    """Defect: a relative PAYERKIT_DATA_DIR gave one counter per working folder, so two runs
    from two folders wrote the same ISA13."""
    monkeypatch.setenv("PAYERKIT_DATA_DIR", "payerkit-data")
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        with pytest.raises(CounterError) as info:
            next_control_numbers()
        message = str(info.value)
        assert "PAYERKIT_DATA_DIR" in message and "'payerkit-data'" in message
        assert "absolute" in message
        assert list((tmp_path / folder).iterdir()) == []


def test_a_data_dir_from_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYERKIT_DATA_DIR", "~/payerkit")
    monkeypatch.chdir(tmp_path)
    assert next_control_numbers().interchange == 1
    assert (tmp_path / "home" / "payerkit" / "x12-control-number").read_text() == "1\n"


# ----------------------------------------------------------------- helpers


@pytest.fixture
def shared_folder():
    """A fresh folder an unprivileged user may enter (pytest's tmp_path is root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="payerkit-test-"))
    folder.chmod(0o777)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o777)
    shutil.rmtree(folder)


def _refusal(data) -> str:
    try:
        next_control_numbers(data)
    except CounterError as exc:
        return str(exc)
    return "no error"


def as_unprivileged(fn, *args) -> str:
    """``fn(*args)`` as user nobody when we are root (permissions matter then), else as ourselves."""
    if os.geteuid() != 0:
        return fn(*args)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            text = fn(*args)
        except BaseException as exc:
            text = f"child failed: {exc!r}"
        os.write(write, text.encode("utf-8", "replace"))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text

"""Output files (issue 6): whole or not at all, never over something that is not a regular file
or an input of the run, nothing left behind on a failure, a signal or (next time) a kill -9."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import attrs
import pytest
from case_samples import BASE_CASE, SampleAdapter

from payerkit import PayerKit
from payerkit import files as files_module
from payerkit.cli import main, parse
from payerkit.commands import run as run_command
from payerkit.errors import PayerKitError
from payerkit.files import TEMP_SUFFIX, OutputError, check_output, write_atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files, signals and devices")

DATA = b"ISA*00*claim with patient data~\n"
#: A process id no process has (above Linux's largest pid_max, 2**22).
DEAD_PID = 2**22 + 12345
IS_ROOT = os.geteuid() == 0


SYSTEM = ("/dev/", "/proc/", "/sys/", "/etc/")


@pytest.fixture(autouse=True)
def system_files_are_safe():
    """A safety net, for CI running as root: should a regression try to replace, or open for
    writing, anything in /dev, /proc, /sys or /etc, the test fails instead of the system.
    (Its own MonkeyPatch: a test's ``monkeypatch.undo()`` leaves it in place.)"""
    import builtins

    def system(path) -> bool:  # writing to the null device itself is harmless
        try:
            real = os.path.realpath(os.fspath(path))
        except (TypeError, ValueError):
            return False
        return real.startswith(SYSTEM) and real != os.devnull

    def into_system(dst) -> bool:
        parent = os.path.dirname(os.path.abspath(os.fspath(dst)))
        return (os.path.realpath(parent) + "/").startswith(SYSTEM)

    def guarded(real, check):
        def call(*args, **kwargs):
            if check(*args, **kwargs):
                raise AssertionError(f"the test tried to write a system file: {args!r}")
            return real(*args, **kwargs)
        return call

    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    with pytest.MonkeyPatch.context() as net:
        net.setattr(os, "replace", guarded(os.replace, lambda src, dst, *a, **k: into_system(dst)))
        net.setattr(os, "rename", guarded(os.rename, lambda src, dst, *a, **k: into_system(dst)))
        net.setattr(os, "open", guarded(
            os.open, lambda path, flags, *a, **k: bool(flags & writing) and system(path)))
        net.setattr(builtins, "open", guarded(
            builtins.open, lambda file, mode="r", *a, **k: not isinstance(file, int)
            and any(c in mode for c in "wax+") and system(file)))
        yield


def test_the_safety_net_holds(tmp_path):
    probe = Path("/etc/payerkit-safety-net-probe")   # harmless should the net fail
    source = tmp_path / "x"
    source.write_bytes(b"x")
    try:
        for attempt in (lambda: os.replace(source, probe), lambda: os.replace(source, "/dev/full"),
                        lambda: open(probe, "wb"), lambda: os.open(probe, os.O_WRONLY | os.O_CREAT)):
            with pytest.raises(AssertionError, match="system file"):
                attempt()
    finally:
        if probe.exists() and not probe.is_symlink():
            probe.unlink()
    assert source.exists() and stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def refused(path, *words, **kwargs) -> str:
    with pytest.raises(OutputError) as info:
        write_atomic(path, DATA, **kwargs)
    message = str(info.value)
    assert isinstance(info.value, PayerKitError)
    assert repr(str(Path(path))) in message, message  # names the path
    for word in words:
        assert word in message, message
    return message


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- writing


def test_writes_a_new_file_with_the_usual_mode(tmp_path):
    target = tmp_path / "claim.837"
    assert write_atomic(target, DATA) == target
    assert target.read_bytes() == DATA
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()
    assert listing(tmp_path) == ["claim.837"]


def test_replacing_keeps_the_mode(tmp_path):
    target = tmp_path / "claim.837"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, DATA)
    assert target.read_bytes() == DATA
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(tmp_path) == ["claim.837"]


def test_works_from_a_thread(tmp_path):
    """Signal handlers can only be set in the main thread: elsewhere the write goes on without."""
    target = tmp_path / "claim.837"
    errors = []
    thread = threading.Thread(target=lambda: _collect(errors, write_atomic, target, DATA))
    thread.start()
    thread.join()
    assert errors == [] and target.read_bytes() == DATA


def _collect(errors, fn, *args):
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        errors.append(exc)


# ---------------------------------------------------------------- what is refused


def test_refuses_a_folder(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    refused(folder, "it is a folder", "claim.837")
    assert listing(folder) == []
    with pytest.raises(OutputError, match="folder"):
        write_atomic(tmp_path / ".", DATA)


@pytest.mark.parametrize("device", ["/dev/full", "/dev/zero"])
def test_refuses_dev_full_and_dev_zero(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    before = os.lstat(device)
    refused(device, "/dev holds system and device files")
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino


@pytest.mark.skipif(not os.path.exists(os.devnull), reason="no null device")
def test_writes_to_the_null_device_and_leaves_it_be():
    """Defect: ``-o /dev/null`` (would this claim be written?) was refused. Writing to the
    null device is harmless: it is allowed, and nothing is put in place of it."""
    before = os.lstat(os.devnull)
    assert check_output(os.devnull) == Path(os.devnull)
    assert write_atomic(os.devnull, DATA) == Path(os.devnull)
    assert write_atomic(os.devnull.replace("/dev/", "/dev/./"), DATA)  # the device, not a name
    after = os.lstat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == \
        (before.st_ino, before.st_rdev)
    assert not [n for n in os.listdir(os.path.dirname(os.devnull)) if n.endswith(TEMP_SUFFIX)]


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_the_null_device_is_known_by_its_identity_not_its_name(tmp_path):
    node = tmp_path / "null"  # the null device's own numbers, in a folder of one's own
    null = os.stat(os.devnull).st_rdev
    os.mknod(node, 0o666 | stat.S_IFCHR, null)
    write_atomic(node, DATA)
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    other = tmp_path / "sub" / "null"  # named like it, another device
    other.parent.mkdir()
    os.mknod(other, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    refused(other, "it is a device")
    link = tmp_path / "to-null"  # a link to it is a link, as any other
    link.symlink_to(os.devnull)
    refused(link, "symbolic link")


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_refuses_a_device_anywhere(tmp_path):
    node = tmp_path / "full"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    refused(node, "it is a device")
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert listing(tmp_path) == ["full"]


def test_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(fifo, "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and listing(tmp_path) == ["pipe"]


@pytest.mark.parametrize("path", ["/proc/version", "/proc/self/status", "/sys/kernel/payerkit"])
def test_refuses_proc_and_sys(path):
    if not os.path.isdir("/" + path.split("/")[1]):
        pytest.skip("no /proc or /sys")
    refused(path, "holds system and device files")


def test_refuses_a_symlink_and_force_replaces_the_link_not_its_target(tmp_path):
    target = tmp_path / "real.837"
    target.write_bytes(b"keep me")
    link = tmp_path / "link.837"
    link.symlink_to(target)
    refused(link, "symbolic link", "--force")
    assert link.is_symlink() and target.read_bytes() == b"keep me"
    write_atomic(link, DATA, force=True)
    assert not link.is_symlink() and link.read_bytes() == DATA
    assert target.read_bytes() == b"keep me"
    assert listing(tmp_path) == ["link.837", "real.837"]


def test_a_symlink_to_etc_hostname_never_changes_it(tmp_path):
    hostname = Path("/etc/hostname")
    if not hostname.exists():
        pytest.skip("no /etc/hostname")
    before = (hostname.read_bytes(), os.stat(hostname))
    link = tmp_path / "claim.837"
    link.symlink_to(hostname)
    refused(link, "symbolic link")
    write_atomic(link, DATA, force=True)
    after = os.stat(hostname)
    assert hostname.read_bytes() == before[0]
    assert (after.st_ino, after.st_mtime_ns, after.st_mode) == \
        (before[1].st_ino, before[1].st_mtime_ns, before[1].st_mode)
    assert link.read_bytes() == DATA and not link.is_symlink()


def test_a_dangling_symlink_is_refused_too(tmp_path):
    link = tmp_path / "claim.837"
    link.symlink_to(tmp_path / "nowhere" / "x")
    refused(link, "symbolic link")
    assert not (tmp_path / "nowhere").exists()


def test_refuses_a_read_only_file_unless_forced(tmp_path):
    target = tmp_path / "sent.837"
    target.write_bytes(b"sent")
    target.chmod(0o444)
    refused(target, "read-only", "--force")          # even as root
    assert target.read_bytes() == b"sent"
    write_atomic(target, DATA, force=True)
    assert target.read_bytes() == DATA and stat.S_IMODE(target.stat().st_mode) == 0o444


def test_refuses_an_input_of_the_run_however_it_is_named(tmp_path, monkeypatch):
    case = tmp_path / "case.toml"
    case.write_text("program = 'x'\n")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "hard.toml"
    os.link(case, hard)
    alias = tmp_path / "alias.toml"
    alias.symlink_to(case)
    for spelling in [case, "case.toml", "./case.toml", "sub/../case.toml", hard]:
        message = refused(spelling, "input of this run", inputs=["case.toml"])
        assert "choose another output file" in message
    # an input given through a link: its target is an input too
    refused(case, "input of this run", inputs=[alias])
    # the link itself, even with --force (the run reads through it)
    refused(alias, "input of this run", inputs=[alias], force=True)
    assert case.read_text() == "program = 'x'\n"
    write_atomic(tmp_path / "claim.837", DATA, inputs=[case])  # anything else is fine


def test_missing_folders_only_with_parents(tmp_path):
    target = tmp_path / "a" / "b" / "claim.837"
    refused(target, "does not exist", "--parents")
    assert listing(tmp_path) == []
    write_atomic(target, DATA, parents=True)
    assert target.read_bytes() == DATA


def test_a_file_in_the_way_of_the_folders(tmp_path):
    (tmp_path / "case.toml").write_text("x")
    refused(tmp_path / "case.toml" / "claim.837", "not a folder")
    refused(tmp_path / "case.toml" / "more" / "claim.837", "not a folder", parents=True)
    assert listing(tmp_path) == ["case.toml"]


def test_a_name_too_long_for_the_file_system(tmp_path):
    target = tmp_path / ("x" * 300)
    refused(target, "too long", "shorter")
    assert listing(tmp_path) == []


def test_a_long_name_that_fits_still_gets_a_temporary_file(tmp_path):
    target = tmp_path / ("é" * 120 + ".837")               # 244 bytes: the temp name is shortened
    write_atomic(target, DATA)
    assert listing(tmp_path) == [target.name]


def test_check_output_writes_nothing(tmp_path):
    check_output(tmp_path / "new" / "claim.837", parents=True)
    check_output(tmp_path / "claim.837")
    assert listing(tmp_path) == []


# ---------------------------------------------------------------- failures leave nothing behind


@pytest.mark.parametrize("err, words", [
    (errno.ENOSPC, "the disk is full"),
    (errno.EDQUOT, "quota"),
    (errno.EIO, "input/output error"),
    (errno.EFBIG, "too large"),
])
def test_a_failing_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, err,
                                                                   words):
    target = tmp_path / "claim.837"
    target.write_bytes(b"old claim")
    real_write = os.write
    calls = []

    def full_disk(fd, data):
        calls.append(fd)
        if len(calls) == 1:  # part of the data gets written, then the disk is full
            return real_write(fd, bytes(data[:5]))
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "write", full_disk)
    message = refused(target, words, "nothing was written")
    monkeypatch.undo()
    assert len(calls) == 2
    assert target.read_bytes() == b"old claim" and listing(tmp_path) == ["claim.837"]
    assert "Traceback" not in message


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_any_failing_step_leaves_nothing(tmp_path, monkeypatch, step):
    def fail(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, step, fail)
    refused(tmp_path / "claim.837", "input/output error")
    monkeypatch.undo()
    assert listing(tmp_path) == []


def test_a_mode_that_cannot_be_set_leaves_the_file_in_place_owner_only(tmp_path, monkeypatch):
    """The mode is given after the rename (the temporary file stays 0600): a file system
    that refuses it leaves the whole file in place, readable by its owner only."""
    def fail(*args, **kwargs):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "fchmod", fail)
    write_atomic(tmp_path / "claim.837", DATA)
    monkeypatch.undo()
    assert listing(tmp_path) == ["claim.837"]
    assert (tmp_path / "claim.837").read_bytes() == DATA
    assert stat.S_IMODE((tmp_path / "claim.837").stat().st_mode) == 0o600


def test_an_unexpected_exception_is_not_hidden_and_leaves_nothing(tmp_path, monkeypatch):
    def boom(fd, data):
        raise RuntimeError("boom")

    monkeypatch.setattr(os, "write", boom)
    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "claim.837", DATA)
    monkeypatch.undo()
    assert listing(tmp_path) == []


@pytest.mark.parametrize("err, words", [(errno.EACCES, "permission denied"),
                                        (errno.EROFS, "read-only")])
def test_a_folder_that_cannot_be_written_simulated(tmp_path, monkeypatch, err, words):
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(err, os.strerror(err), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    refused(tmp_path / "claim.837", words)
    monkeypatch.undo()
    assert listing(tmp_path) == []


@pytest.fixture
def shared_folder():
    """A folder user nobody may enter (pytest's tmp_path is for root only)."""
    folder = Path(tempfile.mkdtemp(prefix="payerkit-test-"))
    folder.chmod(0o777)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o777)
    shutil.rmtree(folder)


def _try_write(path) -> str:
    try:
        write_atomic(path, DATA)
    except OutputError as exc:
        return str(exc)
    return "written"


def as_unprivileged(fn, *args) -> str:
    """``fn(*args)`` as user nobody when we are root (root ignores chmod 555), else as ourselves."""
    if not IS_ROOT:
        return fn(*args)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            text = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            text = f"child failed: {exc!r}"
        os.write(write, text.encode("utf-8", "replace"))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text


def test_a_read_only_folder_for_real(shared_folder):
    folder = shared_folder / "out"
    folder.mkdir()
    folder.chmod(0o555)
    message = as_unprivileged(_try_write, folder / "claim.837")
    assert "permission denied" in message and "nothing was written" in message
    assert listing(folder) == []


# ---------------------------------------------------------------- signals


def _signal_on_write(monkeypatch, signum):
    """Patch os.write so the process gets ``signum`` in the middle of the data."""
    real_write = os.write

    def write(fd, data):
        done = real_write(fd, bytes(data[:3]))
        os.kill(os.getpid(), signum)
        time.sleep(0.05)  # the handler runs here, inside the write
        return done

    monkeypatch.setattr(os, "write", write)


def test_sigint_during_the_write_removes_the_temp_file_and_raises_keyboardinterrupt(
        tmp_path, monkeypatch):
    target = tmp_path / "claim.837"
    target.write_bytes(b"old claim")
    # Ctrl-C as Python handles it in a terminal, also where the tests run with SIGINT ignored
    # (a job a shell starts in the background inherits SIG_IGN)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _signal_on_write(monkeypatch, signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            write_atomic(target, DATA)
        monkeypatch.undo()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert target.read_bytes() == b"old claim" and listing(tmp_path) == ["claim.837"]


def test_the_previous_handler_runs_once_and_the_write_is_reported_as_interrupted(
        tmp_path, monkeypatch):
    seen = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    try:
        mine = signal.getsignal(signal.SIGTERM)
        _signal_on_write(monkeypatch, signal.SIGTERM)
        refused(tmp_path / "claim.837", "interrupted")
        monkeypatch.undo()
        assert seen == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is mine
        assert listing(tmp_path) == []
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_an_ignored_signal_stays_ignored(tmp_path, monkeypatch):
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        _signal_on_write(monkeypatch, signal.SIGTERM)
        write_atomic(tmp_path / "claim.837", DATA)
        monkeypatch.undo()
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        assert (tmp_path / "claim.837").read_bytes() == DATA
    finally:
        signal.signal(signal.SIGTERM, previous)


CHILD = textwrap.dedent("""
    import os, signal, sys, time
    from payerkit.files import write_atomic

    target, mode = sys.argv[1], sys.argv[2]
    real_write = os.write
    def slow_write(fd, data):
        done = real_write(fd, bytes(data[:10]))
        if mode == "term":
            os.kill(os.getpid(), signal.SIGTERM)
        print("writing", flush=True)
        time.sleep(30)
        return done
    os.write = slow_write
    write_atomic(target, b"ISA*00*" + b"x" * 1000)
    print("finished", flush=True)
""")


def test_sigterm_during_the_write_ends_the_process_as_sigterm_would_and_leaves_nothing(
        tmp_path):
    target = tmp_path / "claim.837"
    target.write_bytes(b"old claim")
    result = subprocess.run([sys.executable, "-c", CHILD, str(target), "term"],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == -signal.SIGTERM, result.stderr
    assert "finished" not in result.stdout and "Traceback" not in result.stderr
    assert target.read_bytes() == b"old claim" and listing(tmp_path) == ["claim.837"]


def test_kill_9_leaves_a_recognisable_temp_file_that_the_next_write_removes(tmp_path):
    target = tmp_path / "claim.837"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), "kill"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        [temp] = [p for p in tmp_path.iterdir() if p.name != "claim.837"]
        assert temp.name.startswith(".claim.837.") and temp.name.endswith(TEMP_SUFFIX)
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600
        write_atomic(target, DATA)          # the writer is alive: its temp file stays
        assert temp.exists()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    write_atomic(target, DATA)              # the writer is gone: its temp file goes
    assert listing(tmp_path) == ["claim.837"]


# ---------------------------------------------------------------- stale temporary files


KILLED_AT = textwrap.dedent("""
    import os, signal, sys
    from payerkit import files

    target, how, step = sys.argv[1], sys.argv[2], sys.argv[3]
    os.umask(0o022)
    def killed(*args):  # kill -9 at this step of the write: nothing can clean up
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(os, step, killed)
    if how == "write_atomic":
        files.write_atomic(target, b"ISA*00*claim with patient data~" * 1000)
    else:
        with files.AtomicFile(target) as out:
            out.write(b"ISA*00*claim with patient data~" * 1000)
            out.commit()
""")


@pytest.mark.parametrize("how", ["write_atomic", "AtomicFile"])
@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_temp_file_left_by_kill_9_is_readable_by_its_owner_only(how, step, tmp_path):
    """Defect: the final mode (0644 with umask 022) was given to the temporary file before
    it was synced and renamed, so a kill -9 (or a power cut) then left a world-readable
    file holding the whole claim. It is 0600 until it is in place."""
    target = tmp_path / "claim.837"
    done = subprocess.run([sys.executable, "-c", KILLED_AT, str(target), how, step],
                          capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    [temp] = [p for p in tmp_path.iterdir()]
    assert temp.name.endswith(TEMP_SUFFIX)
    assert stat.S_IMODE(temp.stat().st_mode) == 0o600


def test_the_target_gets_its_mode_once_in_place(tmp_path, monkeypatch):
    """Every moment a temporary file exists under its own name it is 0600; the target has
    the usual mode (and a replaced file its own) once it is in place."""
    seen = []
    real = os.replace

    def replace(source, target):
        seen.append(stat.S_IMODE(os.stat(source).st_mode))
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "claim.837"
    write_atomic(target, DATA)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()
    target.chmod(0o640)
    with files_module.AtomicFile(target) as out:
        out.write(DATA)
        out.commit()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert seen == [0o600, 0o600]


def test_stale_temp_files_of_the_same_target_only(tmp_path):
    dead = tmp_path / f".claim.837.{DEAD_PID}.0badf00d{TEMP_SUFFIX}"
    other = tmp_path / f".other.837.{DEAD_PID}.0badf00d{TEMP_SUFFIX}"
    fresh_alive = tmp_path / f".claim.837.{os.getpid()}.00000001{TEMP_SUFFIX}"
    old_alive = tmp_path / f".claim.837.{os.getpid()}.00000002{TEMP_SUFFIX}"
    legacy_old = tmp_path / ".claim.837.ab_cd123.tmp"
    legacy_new = tmp_path / ".claim.837.zz_cd123.tmp"
    for path in (dead, other, fresh_alive, old_alive, legacy_old, legacy_new):
        path.write_bytes(b"patient data")
    long_ago = time.time() - 3600
    for path in (old_alive, legacy_old):
        os.utime(path, (long_ago, long_ago))
    write_atomic(tmp_path / "claim.837", DATA)
    # the dead writer's, the unlocked hour-old one (a recycled pid), and the old 0.2 one go
    assert listing(tmp_path) == sorted([other.name, fresh_alive.name, legacy_new.name,
                                        "claim.837"])


def test_a_temp_file_locked_by_its_writer_is_never_removed(tmp_path):
    import fcntl

    busy = tmp_path / f".claim.837.{DEAD_PID}.0badf00d{TEMP_SUFFIX}"
    busy.write_bytes(b"in progress")
    long_ago = time.time() - 3600
    os.utime(busy, (long_ago, long_ago))
    with open(busy, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        write_atomic(tmp_path / "claim.837", DATA)
        assert busy.exists()
    write_atomic(tmp_path / "claim.837", DATA)
    assert not busy.exists()


def test_stale_temp_files_of_a_long_name(tmp_path):
    target = tmp_path / ("n" * 240)
    stale = tmp_path / f".{'n' * 200}.{DEAD_PID}.0badf00d{TEMP_SUFFIX}"
    stale.write_bytes(b"patient data")
    write_atomic(target, DATA)
    assert listing(tmp_path) == [target.name]


def test_a_special_file_with_a_temp_name_is_left_alone(tmp_path):
    fifo = tmp_path / f".claim.837.{DEAD_PID}.0badf00d{TEMP_SUFFIX}"
    os.mkfifo(fifo)
    write_atomic(tmp_path / "claim.837", DATA)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_the_stale_rule_is_documented():
    doc = files_module.__doc__
    assert ".<name>.<pid>.<random>.payerkit-tmp" in doc and "flock" in doc


# ---------------------------------------------------------------- the CLI: claim -o and demo


@pytest.fixture(autouse=True)
def sample_kit(monkeypatch, payerkit_data_dir):
    monkeypatch.setattr("payerkit.commands.PayerKit",
                        lambda: PayerKit(entry_points=False, plugins=[SampleAdapter()]))


def case_file(folder: Path, name="case.json", data=None) -> Path:
    path = folder / name
    path.write_text(json.dumps(data or BASE_CASE, default=str))
    return path


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def handler(capsys, *argv, **options):
    """Run a command with ``options`` set on what ``argv`` parses to (--force, --parents)."""
    command, parsed, _ = parse([str(a) for a in argv])
    code = run_command(command, attrs.evolve(parsed, **options))
    capsys.readouterr()
    return code


def snapshot(folder: Path) -> dict:
    """What is in ``folder`` (not the counter's data folder): names, kinds, inodes, sizes, times."""
    return {p.name: (st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns)
            for p in folder.iterdir() if p.name != "payerkit-data" for st in [p.lstat()]}


def test_claim_over_its_own_case_file_is_refused_before_a_number_is_taken(
        tmp_path, capsys, payerkit_data_dir):
    case = case_file(tmp_path)
    before = case.read_bytes()
    for spelling in (case, tmp_path / "." / "case.json"):
        code, out, err = cli(capsys, "claim", case, "-o", spelling)
        assert code == 3 and "input of this run" in err and "Traceback" not in err
    assert case.read_bytes() == before and listing(tmp_path) == ["case.json"]
    assert not (payerkit_data_dir / "x12-control-number").exists()  # no control number spent


@pytest.mark.parametrize("target", [
    "/dev/full", "/dev/zero", "/proc/version", "{tmp}", "{tmp}/folder", "{tmp}/link",
    "{tmp}/" + "y" * 300, "{tmp}/missing/claim.837", "{tmp}/case.json/claim.837",
    "{tmp}/read-only.837",
])
def test_claim_to_a_bad_output_is_exit_3_and_leaves_nothing(tmp_path, capsys, target):
    case = case_file(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "read-only.837").write_bytes(b"sent")
    (tmp_path / "read-only.837").chmod(0o444)
    hostname = Path("/etc/hostname")
    (tmp_path / "link").symlink_to(hostname)
    before = snapshot(tmp_path)
    host_before = hostname.read_bytes() if hostname.exists() else None
    code, out, err = cli(capsys, "claim", case, "-o", target.format(tmp=tmp_path))
    assert code == 3, err
    assert "Traceback" not in err and "cannot write" in err and out == ""
    assert snapshot(tmp_path) == before
    if host_before is not None:
        assert hostname.read_bytes() == host_before
    for device in ("/dev/full", "/dev/null"):
        if os.path.exists(device):
            assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.skipif(not os.path.exists(os.devnull), reason="no null device")
def test_claim_to_the_null_device(tmp_path, capsys):
    """``payerkit claim CASE -o /dev/null``: would this claim be written?"""
    case = case_file(tmp_path)
    code, out, err = cli(capsys, "claim", case, "--format", "x12-837p", "-o", os.devnull,
                         "--json")
    assert code == 0, err
    assert json.loads(out)["file"] == os.devnull and json.loads(out)["bytes"] > 0
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)


@pytest.mark.parametrize("command, expected", [("claim", "a file name"),
                                               ("demo", "a folder name")])
def test_an_empty_output_name_is_exit_2_naming_the_option(tmp_path, capsys, monkeypatch,
                                                          command, expected):
    """Defect: ``claim -o ""`` (an unset variable) printed the claim to stdout; ``demo -o ""``
    wrote into the working folder."""
    (tmp_path / "cases").mkdir()
    case = case_file(tmp_path / "cases")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    argv = ["claim", case, "--format", "x12-837p"] if command == "claim" else \
        ["demo", case.parent]
    for empty in ("", " "):
        with pytest.raises(SystemExit) as exit_:
            main([*map(str, argv), "-o", empty])
        out, err = capsys.readouterr()
        assert exit_.value.code == 2 and out == ""
        assert f"argument -o/--output: expected {expected}, got an empty one" in err
    assert list(work.iterdir()) == [] and listing(case.parent) == ["case.json"]


def test_claim_on_a_full_disk_is_exit_3_with_nothing_left(tmp_path, capsys, monkeypatch):
    case = case_file(tmp_path)
    (tmp_path / "out").mkdir()
    real_write = os.write

    def full(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(TEMP_SUFFIX):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    if not os.path.exists("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    monkeypatch.setattr(os, "write", full)
    code, out, err = cli(capsys, "claim", case, "-o", tmp_path / "out" / "claim.837")
    monkeypatch.undo()
    assert code == 3 and "the disk is full" in err and "Traceback" not in err
    assert listing(tmp_path / "out") == []


def test_claim_with_parents_and_force(tmp_path, capsys):
    case = case_file(tmp_path)
    target = tmp_path / "new" / "claims" / "claim.837"
    assert handler(capsys, "claim", case, "-o", target, parents=True) == 0
    assert target.read_bytes().startswith(b"ISA*")
    elsewhere = tmp_path / "elsewhere.837"
    elsewhere.write_bytes(b"keep")
    link = tmp_path / "link.837"
    link.symlink_to(elsewhere)
    with pytest.raises(OutputError, match="symbolic link"):
        handler(capsys, "claim", case, "-o", link)
    assert handler(capsys, "claim", case, "-o", link, force=True) == 0
    assert not link.is_symlink() and elsewhere.read_bytes() == b"keep"


def test_demo_creates_its_output_folder(tmp_path, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    case_file(examples, "one.json")
    code, _, _ = cli(capsys, "demo", examples, "-o", tmp_path / "a" / "b")
    assert code == 0 and listing(tmp_path / "a" / "b") == ["one.837", "one.json"]


def test_demo_never_writes_over_its_examples(tmp_path, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    case = case_file(examples, "one.json")
    before = case.read_bytes()
    for out in (examples, tmp_path / "examples" / "."):
        code, _, err = cli(capsys, "demo", examples, "-o", out)
        assert code == 3 and "examples folder" in err and "Traceback" not in err
    assert listing(examples) == ["one.json"] and case.read_bytes() == before


def test_demo_refuses_two_cases_writing_one_file_before_writing_anything(tmp_path, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    case_file(examples, "a.json")
    case_file(examples, "one.json")
    (examples / "one.toml").write_text("")  # one.json and one.toml both write one.json
    code, _, err = cli(capsys, "demo", examples, "-o", tmp_path / "out")
    assert code == 3 and "'one.json' and 'one.toml'" in err
    assert not (tmp_path / "out").exists()


def test_demo_refuses_a_bad_target_before_writing_anything(tmp_path, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    case_file(examples, "a.json")
    case_file(examples, "b.json")
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.837").mkdir()                  # the second case's claim path is a folder
    code, _, err = cli(capsys, "demo", examples, "-o", out)
    assert code == 3 and "it is a folder" in err
    assert listing(out) == ["b.837"]         # a.json / a.837 were not written either


def test_demo_into_a_file_is_refused(tmp_path, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    case_file(examples, "a.json")
    (tmp_path / "out").write_text("a file")
    code, _, err = cli(capsys, "demo", examples, "-o", tmp_path / "out")
    assert code == 3 and "not a folder" in err and "Traceback" not in err
    assert (tmp_path / "out").read_text() == "a file"


def test_a_folder_name_too_long_is_an_output_error(tmp_path):
    from payerkit.files import make_folder

    with pytest.raises(OutputError, match="too long"):
        make_folder(tmp_path / ("x" * 300))
    assert make_folder(tmp_path / "fine") == tmp_path / "fine"
    assert make_folder(tmp_path / "fine").is_dir()


# ---------------------------------------------------------------- reading: FIFOs, devices, sizes


def _payerkit(*argv, env=None, timeout=60) -> subprocess.CompletedProcess:
    """``payerkit ARGV`` in a child with a timeout: a hang is a failure, not a hung test run."""
    try:
        return subprocess.run([sys.executable, "-m", "payerkit.cli", *map(str, argv)],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"payerkit {' '.join(map(str, argv))} hung")


def _case_with_fees_fifo(folder: Path) -> Path:
    examples = Path(__file__).resolve().parent.parent / "examples"
    folder.mkdir(exist_ok=True)
    case = folder / "premera-covered.toml"
    shutil.copy(examples / "premera-covered.toml", case)
    text = case.read_text()
    assert 'file = "premera-sample-fees.csv"' in text
    os.mkfifo(folder / "premera-sample-fees.csv")
    return case


@pytest.mark.parametrize("command", ["check", "price", "scrub", "claim"])
def test_a_fees_file_that_is_a_fifo_is_exit_2_not_a_hang(command, tmp_path):
    """Defect: a ``fees.file`` that was a FIFO hung every command (and a whole batch)."""
    case = _case_with_fees_fifo(tmp_path)
    extra = ["--format", "x12-837p"] if command == "claim" else []
    done = _payerkit(command, case, *extra, env={"PAYERKIT_DATA_DIR": str(tmp_path / "d")})
    assert done.returncode == 2, done.stderr
    assert "fees.file: cannot read 'premera-sample-fees.csv' (it is a FIFO" in done.stderr


def test_a_batch_with_a_fees_file_that_is_a_fifo_names_it_per_case(tmp_path):
    case = _case_with_fees_fifo(tmp_path / "cases")
    done = _payerkit("batch", case.parent, "-o", tmp_path / "out", "-j", "1", "-q",
                     env={"PAYERKIT_DATA_DIR": str(tmp_path / "d")})
    assert done.returncode == 1, done.stderr
    [result] = [json.loads(line) for line in (tmp_path / "out/results.jsonl").open()]
    assert result["status"] == "invalid"
    assert "fees.file: cannot read 'premera-sample-fees.csv' (it is a FIFO" in \
        result["problems"][0]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_case_file_that_is_a_fifo_or_a_device_is_exit_2_not_a_hang(kind, tmp_path):
    """Defect: the single commands hung on a FIFO named as the case file."""
    case = tmp_path / "case.toml"
    if kind == "fifo":
        os.mkfifo(case)
    else:
        case.symlink_to("/dev/zero")
    done = _payerkit("check", case)
    assert done.returncode == 2, done.stderr
    expected = "a FIFO (named pipe)" if kind == "fifo" else "a device"
    assert f"case: cannot read {str(case)!r} (it is {expected}, not a regular file)" in \
        done.stderr


ICD_CACHE = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # reading /dev/zero whole fails
    from payerkit.rules import icd10
    folder, which = sys.argv[1], sys.argv[2]
    if which == "index":
        print(icd10.load(folder).is_valid_item("M54.50"))
    else:
        print(icd10.load_descriptions(folder).get("M54.50"))
""")


def _bad_cache_file(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind in ("/dev/zero", "/dev/urandom"):
        path.symlink_to(kind)
    else:  # a 4 GB file (sparse: it takes no room)
        with open(path, "wb") as handle:
            handle.truncate(4 << 30)


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom", "4 GB"])
@pytest.mark.parametrize("which", ["index", "descriptions"])
def test_a_bad_icd10_cache_file_is_rebuilt(kind, which, tmp_path):
    """Defect: an ICD-10-CM cache file that was a FIFO hung; one that was a link to
    /dev/zero or /dev/urandom, or a 4 GB file, was read whole (and the MemoryError blamed on
    the plugin payerkit.checks). Now it is not read: it is rebuilt, a regular file."""
    from payerkit.rules import icd10

    version = icd10.package_version()
    name = icd10.cache_file_name(version) if which == "index" else \
        icd10.descriptions_file_name(version)
    _bad_cache_file(tmp_path / name, kind)
    try:
        done = subprocess.run([sys.executable, "-c", ICD_CACHE, str(tmp_path), which],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("reading the cache hung")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("True", "Low back pain, unspecified")
    assert stat.S_ISREG(os.lstat(tmp_path / name).st_mode)
    assert os.path.getsize(tmp_path / name) < 16 << 20


def test_a_bad_icd10_cache_is_never_blamed_on_a_plugin(tmp_path):
    from payerkit.rules import icd10

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / icd10.cache_file_name(icd10.package_version())).symlink_to("/dev/zero")
    examples = Path(__file__).resolve().parent.parent / "examples"
    done = _payerkit("scrub", examples / "premera-covered.toml",
                     env={"PAYERKIT_CACHE_DIR": str(cache)}, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert "plugin" not in done.stderr and "internal error" not in done.stderr

"""Output files are written whole or not at all, and only where a file belongs; input files
are read only when they are regular files of a bounded size.

Reading (:func:`read_regular`, :func:`open_regular`): every reader of a file a user or
another program may have put there -- a case file and its ``fees.file``, JSON Lines, the
control-number counter, the ICD-10-CM cache -- refuses a FIFO (opening one waits for ever),
a device (``/dev/zero`` never ends), a socket or a folder before opening it, and a file
larger than the reader's limit before reading it, with an ``OSError`` that says which.

:func:`write_atomic` writes through a temporary file in the target's folder,
then renames it into place: a reader sees the old file or the new one, never
part of one. On any failure -- an ``OSError`` (full disk, read-only folder,
name too long), an exception, or SIGTERM/SIGINT/SIGHUP arriving during the
write -- the temporary file is removed and the target is untouched. Signal
handlers are installed only for the duration of the write (only in the main
thread, and not for a signal that is ignored); afterwards the previous
handlers are restored and the signal is delivered again, so the process ends
(or raises ``KeyboardInterrupt``) as it would have without payerkit.

It refuses, with an :class:`OutputError` naming the path and what to do:

* anything that is not a regular file: a folder, a device (``/dev/full``,
  ``/dev/zero``), a FIFO, a socket; anything in ``/proc``, ``/sys`` or
  ``/dev`` (except ``/dev/shm``) -- but the null device itself (``os.devnull``,
  known by its device numbers, not its name: :func:`null_device`) is written to,
  in place: ``-o /dev/null`` asks "would this claim be written?";
* a symbolic link, unless ``force=True`` -- then the link itself is
  replaced by a regular file; its target is never written through;
* a read-only file (no write permission, even for root), unless ``force``;
* an input of the same run (``inputs``: same resolved path, or the same
  file through another name);
* a missing folder, unless ``parents=True`` (the CLI's ``--parents``).

A replaced file keeps its mode (and, when allowed, its owner and group); a
new file gets ``0o666`` less the umask, like any file the user creates.
Temporary files are ``0o600`` from their first byte until they are in place: the
final mode is given just after the rename, so a ``kill -9`` or a power cut never
leaves a temporary file (a whole claim) that others may read.

Stale temporary files. A ``kill -9`` (or a power cut) cannot be cleaned up
in-process, and a temporary file holds a whole claim, with patient data. So
temporary files are named ``.<name>.<pid>.<random>.payerkit-tmp`` (``<name>``
is the target's name, shortened to fit the file system when it is long) and
the writer holds an exclusive ``flock`` on it while it writes. Before each
write into a folder, payerkit removes the temporary files *for the same
target* that nobody holds locked and whose writer is gone: its process id is
not running on this machine, or the file is more than a minute old (a write
takes milliseconds; this also covers a recycled process id). Without
``flock`` (Windows) a temporary file is removed when it is more than an hour
old. Temporary files of payerkit 0.2 and earlier (``.<name>.<8 characters>.tmp``,
never locked) are removed when they are more than ten minutes old. A batch, which
holds its output folder (:class:`FolderLock`), removes by the same rule every
temporary file there, whatever its target (:func:`remove_stale_temps`): a killed
run's interchange for a payer the next run does not bill would otherwise stay.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import FileTooLarge, NotRegularFile, OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

TEMP_SUFFIX = ".payerkit-tmp"
#: Bytes of the target's name kept in a temporary file's name (the rest of
#: ``.<name>.<pid>.<random>.payerkit-tmp`` stays within 255 bytes).
_TEMP_STEM_BYTES = 200
#: An unlocked temporary file older than this is stale even if its process id is in use.
STALE_AFTER = 60.0
_STALE_UNLOCKED_NO_FLOCK = 3600.0
_LEGACY_STALE_AFTER = 600.0
_SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
_SYSTEM_EXCEPTIONS = ("/dev/shm",)
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                 if hasattr(signal, name))


def show(path: str | os.PathLike) -> str:
    """A path for a message: quoted, with any control character escaped."""
    return repr(os.fspath(path))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message: ``a FIFO (named pipe)``."""
    return ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")


# ---------------------------------------------------------------------------
# Reading: regular files only, and only so much of them.
# ---------------------------------------------------------------------------


def open_regular(path: str | os.PathLike):
    """``path`` opened for reading in binary if it is a regular file (links followed), else
    :class:`NotRegularFile`. A FIFO, a device (``/dev/zero``, ``/dev/urandom``, a terminal), a
    socket or a folder is found before it is opened (opening a FIFO waits for a writer for
    ever; a device may never end), and again on what was opened -- opened without waiting --
    in case it was replaced in between. The open's own errors are raised as they are."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(file_kind(mode))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) |
                 getattr(os, "O_BINARY", 0))
    handle = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        handle.close()
        raise NotRegularFile(file_kind(mode))
    return handle


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file ``path``, which must hold at most ``limit`` bytes. Every
    reader of a file someone else may have put there -- a case file, its ``fees.file``, the
    control-number counter, a cache -- reads through here (a stream of JSON Lines, through
    :func:`open_regular`). A file that is not a regular file is :class:`NotRegularFile`
    (:func:`open_regular`); one of more than ``limit`` bytes is :class:`FileTooLarge`, found
    from its size before anything is read, and by reading at most ``limit + 1`` bytes if it
    grows. Both are ``OSError``, as are the open's own errors (``FileNotFoundError``...), so
    a caller handles every reason it cannot read the file in one place."""
    with open_regular(path) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise FileTooLarge(limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(limit)
    return data


# ---------------------------------------------------------------------------
# Checks before writing.
# ---------------------------------------------------------------------------


def check_output(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                 force: bool = False, parents: bool = False,
                 example: str = "claim.837") -> Path:
    """Raise :class:`OutputError` unless ``write_atomic`` may write ``path``; return it as a Path.

    ``example``: the file name suggested when ``path`` is a folder (what the caller writes:
    a claim, a progress report, a statement).

    Writes nothing and creates no folder: callers run it before doing work
    (or taking a control number) that a refused output would waste.
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        raise OutputError(f"cannot write {show(path)}: it is a folder; give a file name, "
                          f"e.g. {show(path / example)}")
    if null_device(path):
        return path
    _refuse_system_folder(path)
    for source in inputs:
        if _same_file(path, Path(source)):
            raise OutputError(f"cannot write {show(path)}: it is an input of this run "
                              f"({show(source)}); choose another output file")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        _check_folder(path, parents)
        return path
    except OSError as exc:
        raise _os_error(path, exc) from exc
    _check_existing(path, st, force, example)
    return path


def null_device(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the null device (``os.devnull``), known by what it is -- a
    character device with the null device's numbers -- not by its name; a link to it is a
    link (refused as any other). Writing to it is harmless: ``-o /dev/null`` asks "would
    this claim be written?", and :func:`write_atomic` writes to it in place."""
    if sys.platform == "win32":  # pragma: no cover - NUL is no file to stat
        return False
    try:
        st, null = os.lstat(path), os.stat(os.devnull)
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(st.st_mode) and stat.S_ISCHR(null.st_mode) and \
        st.st_rdev == null.st_rdev


def _write_null(path: Path, data: bytes) -> None:
    """Write ``data`` to the null device ``path``: no temporary file, nothing renamed. Opened
    without following a link or waiting (something else put there since the check -- a
    FIFO with no reader -- is then an error, never a wait), and checked again once open."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) |
                 getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not (stat.S_ISCHR(st.st_mode) and st.st_rdev == os.stat(os.devnull).st_rdev):
            raise OutputError(f"cannot write {show(path)}: it changed while it was written to; "
                              "nothing was written")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _check_existing(path: Path, st: os.stat_result, force: bool,
                    example: str = "claim.837") -> None:
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        if not force:
            raise OutputError(f"cannot write {show(path)}: it is a symbolic link (to "
                              f"{show(os.readlink(path))}); payerkit never writes through a link. "
                              "Choose another file, or pass --force to replace the link itself "
                              "(its target is left alone)")
        return
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {show(path)}: it is a folder; give a file name inside "
                          f"it, e.g. {show(path / example)}")
    if not stat.S_ISREG(mode):
        raise OutputError(f"cannot write {show(path)}: it is {file_kind(mode)}, not a regular "
                          "file; choose a file name in a folder of your own")
    if not force and _read_only(path, st):
        raise OutputError(f"cannot write {show(path)}: the file is read-only; make it writable "
                          "(chmod u+w) if it may be replaced, or pass --force")


def _read_only(path: Path, st: os.stat_result) -> bool:
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True  # even root may not replace a file nobody may write
    return not os.access(path, os.W_OK, follow_symlinks=False)


def _check_folder(path: Path, parents: bool) -> None:
    folder = path.parent
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        if parents:
            _check_can_create(folder)
            return
        raise OutputError(f"cannot write {show(path)}: the folder {show(folder)} does not "
                          "exist; create it first, or pass --parents") from None
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {show(path)}: {show(folder)} is not a folder; "
                          "check the path")


def _check_can_create(folder: Path) -> None:
    """A folder ``parents=True`` would create: every existing ancestor must be a folder."""
    for ancestor in folder.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise OutputError(f"cannot create the folder {show(folder)}: {show(ancestor)} "
                                  "is not a folder; check the path")
            return


def _refuse_system_folder(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    folder = os.path.realpath(path.parent)
    for system in _SYSTEM_FOLDERS:
        inside = folder == system or folder.startswith(system + "/")
        if inside and not any(folder == ok or folder.startswith(ok + "/")
                              for ok in _SYSTEM_EXCEPTIONS):
            raise OutputError(f"cannot write {show(path)}: {system} holds system and device "
                              "files, not output; choose a file in a folder of your own")


def _same_file(target: Path, source: Path) -> bool:
    try:
        if os.path.samefile(target, source):  # through links, other spellings, hard links
            return True
    except OSError:
        pass
    return _named(target) == _named(source)  # the same name, even before it exists


def _named(path: Path) -> str:
    return os.path.join(os.path.realpath(path.parent), path.name)


# ---------------------------------------------------------------------------
# Writing.
# ---------------------------------------------------------------------------


def make_folder(path: str | os.PathLike) -> Path:
    """Create ``path`` (and its parents) unless it is a folder already; refusals as OutputError."""
    path = Path(path)
    _refuse_system_folder(path / "x")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # a name too long, a loop of links, a file where a folder is
        raise _os_error(path, exc, creating=True) from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        return path
    if st is not None or path.is_symlink():
        raise OutputError(f"cannot write into {show(path)}: it is not a folder; choose "
                          "another output folder")
    _check_can_create(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(path, exc, creating=True) from exc
    return path


class FolderLock:
    """An exclusive lock on a folder, held while one run writes into it (``flock`` on the
    folder itself, so no lock file is left behind). Taken at once or refused: when another
    process holds it, :class:`OutputError` with the ``busy`` message. On a system or file
    system without such locks (Windows, some network file systems) the folder is not
    locked. Released by :meth:`release` (or leaving the ``with`` block), or when the process
    ends, however it ends."""

    def __init__(self, folder: str | os.PathLike, busy: str):
        self.fd: int | None = None
        if fcntl is None:  # pragma: no cover - Windows
            return
        folder = Path(folder)
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) |
                         getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise _os_error(folder, exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(busy) from None
        except OSError:  # no locks on this file system
            os.close(fd)
            return
        self.fd = fd

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


def write_atomic(path: str | os.PathLike, data: bytes, *,
                 inputs: Iterable[str | os.PathLike] = (), force: bool = False,
                 parents: bool = False, example: str = "claim.837") -> Path:
    """Write ``data`` to ``path`` whole or not at all; see the module docstring for what is
    refused. Raises :class:`OutputError` naming the path and the fix (``example``: the file
    name suggested for a folder); nothing is left behind."""
    inputs = list(inputs)
    path = check_output(path, inputs=inputs, force=force, parents=parents, example=example)
    if null_device(path):
        try:
            _write_null(path, data)
        except OSError as exc:
            raise _os_error(path, exc) from exc
        return path
    if parents and not path.parent.is_dir():
        make_folder(path.parent)
    _remove_stale(path)
    try:
        previous = os.lstat(path)
    except FileNotFoundError:
        previous = None
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if previous is not None and stat.S_ISLNK(previous.st_mode):
        previous = None  # a replaced link: the new file is an ordinary new file

    job = _Job(path)
    guard = _SignalGuard()
    interrupted, failure = False, None
    try:
        try:
            guard.install()
            _write(job, data, previous, force)
            job.done = True
        finally:  # twice (here and below): a signal can interrupt one of them, never both
            guard.armed = False
            job.cleanup()
    except _Interrupted:
        interrupted = True
    except BaseException as exc:  # noqa: BLE001 - raised again below, after the signal
        failure = exc
    finally:
        guard.armed = False
        job.cleanup()
        guard.restore()
    if guard.signum is not None:
        signal.raise_signal(guard.signum)  # the previous handler: end the process, or raise
    if isinstance(failure, OSError):
        raise _os_error(path, failure) from failure
    if failure is not None:
        raise failure
    if interrupted and not job.done:
        raise OutputError(f"cannot write {show(path)}: interrupted by a signal; nothing was "
                          "written")
    return path


class _Job:
    def __init__(self, path: Path):
        self.path = path
        self.tmp: Path | None = None
        self.fd: int | None = None
        self.created = False
        self.done = False

    def cleanup(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
        if not self.done and self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                # created, and gone: a signal arrived just after the rename put it in place
                self.done = self.created
            except OSError:
                pass
            self.tmp = None


def _write(job: _Job, data: bytes, previous: os.stat_result | None, force: bool) -> None:
    _open_temp(job)
    view = memoryview(data)
    while view:
        written = os.write(job.fd, view)
        view = view[written:]
    _finish(job, previous, force)


def _open_temp(job: _Job) -> None:
    """Create the job's temporary file beside its target, locked while it is written."""
    path = job.path
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | \
        getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.parent / _temp_name(path.name)
        job.tmp = tmp  # before it exists: a signal right after the open still removes it
        try:
            job.fd = os.open(tmp, flags, 0o600)
            job.created = True
            break
        except FileExistsError:  # our own process id is in the name: a fresh token is enough
            job.tmp = None
    if fcntl is not None:
        fcntl.flock(job.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _finish(job: _Job, previous: os.stat_result | None, force: bool) -> None:
    """Sync the written temporary file once, rename it into place, then give it its mode.

    The mode comes after the rename: a temporary file holds a whole claim, and one that a
    ``kill -9`` or a power cut leaves behind must still be ``0o600``. A crash between the
    rename and the ``fchmod`` leaves the target ``0o600``, never a readable temporary file.
    """
    path = job.path
    if previous is not None:
        _keep_owner(job.fd, previous)
    os.fsync(job.fd)
    # The target may have changed since the checks: look once more, just before the rename.
    try:
        _check_existing(path, os.lstat(path), force)
    except FileNotFoundError:
        pass
    os.replace(job.tmp, path)
    job.done = True
    if hasattr(os, "fchmod"):
        try:
            os.fchmod(job.fd, stat.S_IMODE(previous.st_mode) if previous is not None
                      else 0o666 & ~_umask())
        except OSError:  # a file system without modes: the file is in place, as 0o600
            pass
    _sync_folder(path.parent)


class AtomicFile:
    """An output written in pieces and put in place whole, or not at all.

    For outputs too big to hold in memory (a batch's results, an interchange of
    thousands of claims): the same checks, temporary file and rename as
    :func:`write_atomic`, and one ``fsync`` at :meth:`commit`, however many
    pieces were written. Used as a context manager, leaving the block without
    :meth:`commit` (an exception, ``KeyboardInterrupt``) removes the temporary
    file and leaves the target as it was::

        with AtomicFile(out / "results.jsonl") as results:
            for line in lines:
                results.write(line)
            results.commit()
    """

    def __init__(self, path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                 force: bool = False, parents: bool = False):
        self.path = check_output(path, inputs=list(inputs), force=force, parents=parents)
        self._force = force
        if parents and not self.path.parent.is_dir():
            make_folder(self.path.parent)
        _remove_stale(self.path)
        try:
            previous = os.lstat(self.path)
        except FileNotFoundError:
            previous = None
        except OSError as exc:
            raise _os_error(self.path, exc) from exc
        self._previous = None if previous is not None and stat.S_ISLNK(previous.st_mode) \
            else previous
        self._job = _Job(self.path)
        self.size = 0
        try:
            _open_temp(self._job)
            self._out = os.fdopen(self._job.fd, "wb", buffering=1 << 16, closefd=False)
        except OSError as exc:
            self._job.cleanup()
            raise _os_error(self.path, exc) from exc

    def write(self, data: bytes) -> int:
        """Append ``data``; an ``OSError`` (a full disk) is an :class:`OutputError`."""
        try:
            self._out.write(data)
        except OSError as exc:
            self.discard()
            raise _os_error(self.path, exc) from exc
        self.size += len(data)
        return len(data)

    def commit(self) -> Path:
        """Flush, sync once and rename into place; the file is then the target."""
        try:
            self._out.flush()
            _finish(self._job, self._previous, self._force)
        except OSError as exc:
            self.discard()
            raise _os_error(self.path, exc) from exc
        finally:
            self._close()
        return self.path

    def discard(self) -> None:
        """Remove the temporary file; the target is left as it was."""
        self._close()

    def _close(self) -> None:
        out, self._out = getattr(self, "_out", None), None
        if out is not None:
            try:
                out.close()
            except OSError:
                pass
        self._job.cleanup()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._job.done:
            self.discard()


def _keep_owner(fd: int, previous: os.stat_result) -> None:
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows
        return
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) != (previous.st_uid, previous.st_gid):
        try:
            os.fchown(fd, previous.st_uid, previous.st_gid)
        except OSError:
            pass  # not allowed: the writer's owner it is


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is done
    finally:
        os.close(fd)


_umask_lock = threading.Lock()


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _umask_lock:  # pragma: no cover - without /proc
        mask = os.umask(0o077)
        os.umask(mask)
        return mask


# ---------------------------------------------------------------------------
# Temporary files: names, and removing those a killed writer left behind.
# ---------------------------------------------------------------------------


def _temp_stem(name: str) -> str:
    """The target's name, cut to at most ``_TEMP_STEM_BYTES`` bytes (on a UTF-8 boundary)."""
    raw = os.fsencode(name)
    if len(raw) <= _TEMP_STEM_BYTES:
        return name
    cut = _TEMP_STEM_BYTES
    while cut and raw[cut] & 0xC0 == 0x80:  # do not split a UTF-8 character
        cut -= 1
    return os.fsdecode(raw[:cut])


def _temp_name(name: str) -> str:
    return f".{_temp_stem(name)}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"


def _remove_stale(path: Path) -> None:
    """Remove temporary files for ``path`` whose writer is gone (module docstring); never fails."""
    ours = re.compile(rf"\.{re.escape(_temp_stem(path.name))}\.(\d+)\.[0-9a-f]+"
                      rf"{re.escape(TEMP_SUFFIX)}", re.S)
    legacy = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp", re.S)
    prefix = "." + _temp_stem(path.name)
    try:
        with os.scandir(path.parent) as entries:
            names = [e.name for e in entries if e.name.startswith(prefix)]
    except OSError:
        return
    now = time.time()
    for name in names:
        candidate = path.parent / name
        try:
            if match := ours.fullmatch(name):
                _remove_if_abandoned(candidate, int(match.group(1)), now)
            elif legacy.fullmatch(name):
                st = os.lstat(candidate)
                if stat.S_ISREG(st.st_mode) and now - st.st_mtime > _LEGACY_STALE_AFTER:
                    os.unlink(candidate)
        except OSError:
            continue


_ANY_TEMP = re.compile(rf"\..+\.(\d+)\.[0-9a-f]+{re.escape(TEMP_SUFFIX)}", re.S)


def remove_stale_temps(folder: str | os.PathLike) -> None:
    """Remove every payerkit temporary file in ``folder`` whose writer is gone (the rule of
    the module docstring), whatever its target; never fails. For a run that holds the
    folder (a batch, under :class:`FolderLock`): a run killed with ``kill -9`` leaves
    temporary files for targets the next run may not write (another payer's interchange),
    which the per-target clean-up before each write would never find."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    now = time.time()
    for name in names:
        if match := _ANY_TEMP.fullmatch(name):
            try:
                _remove_if_abandoned(Path(folder) / name, int(match.group(1)), now)
            except OSError:
                continue


def _remove_if_abandoned(candidate: Path, pid: int, now: float) -> None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    fd = os.open(candidate, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return
        age = now - st.st_mtime
        if fcntl is None:  # pragma: no cover - Windows
            if age > _STALE_UNLOCKED_NO_FLOCK:
                os.unlink(candidate)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a writer is at work
        if age > STALE_AFTER or not _running(pid):
            os.unlink(candidate)
    finally:
        os.close(fd)


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OverflowError:  # not a process id this system can have
        return False
    except PermissionError:  # someone else's process
        return True
    return True


# ---------------------------------------------------------------------------
# Signals during a write.
# ---------------------------------------------------------------------------


class _Interrupted(BaseException):
    """Raised by the write's signal handler; never leaves :func:`write_atomic`."""


class _SignalGuard:
    """While installed, SIGTERM/SIGINT/SIGHUP abort the write (once) and are remembered."""

    def __init__(self):
        self.previous: dict[int, object] = {}
        self.signum: int | None = None
        self.armed = False

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set handlers; signals are delivered there
        for sig in _SIGNALS:
            try:
                old = signal.getsignal(sig)
                if old is signal.SIG_IGN or old is None:
                    continue  # an ignored signal stays ignored; None: set outside Python
                signal.signal(sig, self._handle)
                self.previous[sig] = old
            except (ValueError, OSError):  # pragma: no cover
                continue
        self.armed = True

    def _handle(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum
        if self.armed:
            self.armed = False
            raise _Interrupted(signum)

    def restore(self) -> None:
        self.armed = False
        previous, self.previous = self.previous, {}
        for sig, old in previous.items():
            try:
                signal.signal(sig, old)
            except (ValueError, OSError):  # pragma: no cover
                pass


# ---------------------------------------------------------------------------
# OSError → a message naming the path and the fix.
# ---------------------------------------------------------------------------

_REASONS = {
    errno.ENAMETOOLONG: "the name is too long for the file system; choose a shorter file name",
    errno.EACCES: "permission denied; choose a folder you may write to, or fix its permissions",
    errno.EPERM: "not permitted; choose a folder you may write to, or fix its permissions",
    errno.EROFS: "the file system is read-only; choose a folder on a writable disk",
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EFBIG: "the file is too large for the file system",
    errno.ENOENT: "the folder does not exist; create it first, or pass --parents",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
    errno.EISDIR: "it is a folder; give a file name inside it",
    errno.ELOOP: "too many symbolic links in the path; check the path",
    errno.EIO: "the disk reported an input/output error; check the disk and run again",
    errno.EXDEV: "the temporary file and the target are on different file systems",
}


def _os_error(path: Path, exc: OSError, creating: bool = False) -> OutputError:
    reason = _REASONS.get(exc.errno) or \
        f"{exc.strerror or type(exc).__name__}; check the path and run again"
    what = "create the folder" if creating else "write"
    return OutputError(f"cannot {what} {show(path)}: {reason} (nothing was written)")


__all__ = ["AtomicFile", "FileTooLarge", "FolderLock", "NotRegularFile", "OutputError", "TEMP_SUFFIX",
           "check_output", "file_kind", "make_folder", "null_device", "open_regular",
           "read_regular", "remove_stale_temps", "show", "write_atomic"]

"""X12 control numbers that never repeat across runs.

One counter file in the data directory (``$PAYERKIT_DATA_DIR``, else the
user's data directory) holds the last number issued. Each call takes an
exclusive lock on a separate lock file, reads the counter, and replaces the
file atomically (:func:`payerkit.files.write_atomic`: temp file in the same
directory, then ``os.replace``; the file keeps its mode), so concurrent
processes never get the same number and a crash never leaves a
half-written counter.

Numbers run 1, 2, ... up to :data:`LAST` = 999,999,999, the largest ISA13
(nine digits). After 999,999,999 the next number is 1: that wrap, at the X12
limit and only there, is the one time a number comes round again (a billion
interchanges later). The counter never goes backwards otherwise: a stored
value above the limit, or anything that is not a plain number, is damage,
not a reason to start again at 1.

Every problem is a :class:`CounterError` (the CLI's exit status 3) naming
the path and the fix, and the counter is left as it was: a data directory
that is a file, missing or not writable; a counter or lock path that is a
folder, a link or a special file; a counter that cannot be read, is
read-only (payerkit will not replace a file nobody may write, even as root),
or holds anything but digits (non-ASCII, a sign, letters, an empty file, a
value beyond 999,999,999). To reset deliberately, write the last control
number you sent into the counter file (digits only); never a lower one, as a
payer may reject a repeated number.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import PayerKitError
from ..files import OutputError, show, write_atomic
from .options import ControlNumbers

COUNTER_FILE = "x12-control-number"
LOCK_FILE = "x12-control-number.lock"
#: Numbers run 1 .. LAST, then wrap to 1 (ISA13 has 9 digits: 999,999,999 is the X12 limit).
LAST = 999_999_999
#: A counter file is a short line of digits; anything longer is damage.
_MAX_BYTES = 64
_DIGITS = re.compile(rb"[ \t\r\n]*([0-9]+)[ \t\r\n]*")

#: How to repair a counter, in every message about its content.
RESET = ("write the last control number you sent into it (digits only, at most 999999999), "
         "never a lower one: a payer may reject a repeated number")

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


class CounterError(PayerKitError):
    """The control-number counter cannot be used; the message names the path and the fix.
    The counter is left as it was, and no number was issued."""


def resolve_data_dir(path: Path | None = None) -> Path:
    """Where payerkit keeps its state: ``path``, ``$PAYERKIT_DATA_DIR``, or the
    platform's user data directory."""
    if path is not None:
        return Path(path)
    env = os.environ.get("PAYERKIT_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("payerkit"))


def next_control_numbers(data_dir: Path | None = None) -> ControlNumbers:
    """Take the next number from the counter; interchange, group and transaction
    numbers all use it. Raises :class:`CounterError` on any problem with the counter."""
    value = _next_value(resolve_data_dir(data_dir))
    return ControlNumbers(interchange=value, group=value, transaction=value)


def _next_value(directory: Path) -> int:
    _data_dir(directory)
    counter = directory / COUNTER_FILE
    fd = _open_lock(directory / LOCK_FILE)
    try:
        _lock(fd, directory / LOCK_FILE)
        try:
            last = _read(counter)
            value = 1 if last >= LAST else last + 1  # the documented wrap, at the X12 limit only
            _write(counter, value)
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
    return value


def _error(path: Path, problem: str, fix: str) -> CounterError:
    return CounterError(f"control-number counter: {show(path)} {problem}; {fix}")


def _data_dir(directory: Path) -> None:
    fix = "set PAYERKIT_DATA_DIR to a folder payerkit may write to"
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _error(directory, f"(the data folder) cannot be used: {_strerror(exc)}", fix) from exc
    if st is not None:
        if not stat.S_ISDIR(st.st_mode):
            raise _error(directory, "(the data folder) is not a folder", f"move it away, or {fix}")
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error(directory, f"(the data folder) cannot be created: {_strerror(exc)}",
                     fix) from exc


def _open_lock(path: Path) -> int:
    # flock needs no write access: a lock file another user made still locks
    flags = (os.O_RDONLY if fcntl is not None else os.O_RDWR) | os.O_CREAT | \
        getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fix = ("remove it (payerkit makes a new lock file), or set PAYERKIT_DATA_DIR to another "
           "folder")
    try:
        fd = os.open(path, flags, 0o666)
    except IsADirectoryError as exc:
        raise _error(path, "(the lock file) is a folder", fix) from exc
    except OSError as exc:
        if path.is_symlink():
            raise _error(path, "(the lock file) is a symbolic link", fix) from exc
        raise _error(path, f"(the lock file) cannot be opened: {_strerror(exc)}",
                     "make the data folder and the lock file writable, or set "
                     "PAYERKIT_DATA_DIR to a folder payerkit may write to") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _error(path, "(the lock file) is not a regular file", fix)
    return fd


def _read(counter: Path) -> int:
    try:
        st = os.lstat(counter)
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise _error(counter, f"cannot be read: {_strerror(exc)}",
                     "check the data folder's permissions") from exc
    if stat.S_ISDIR(st.st_mode):
        raise _error(counter, "is a folder, not the counter file",
                     f"move it away and create a file there; {RESET}")
    if stat.S_ISLNK(st.st_mode):
        raise _error(counter, "is a symbolic link",
                     "replace it with the file itself, or set PAYERKIT_DATA_DIR to the folder "
                     "it points into")
    if not stat.S_ISREG(st.st_mode):
        raise _error(counter, "is not a regular file", f"replace it with a file; {RESET}")
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or \
            not os.access(counter, os.W_OK):
        raise _error(counter, "is read-only, and payerkit will not replace it",
                     f"if it should keep counting, make it writable (chmod u+w {show(counter)})")
    try:
        with open(counter, "rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise _error(counter, f"cannot be read: {_strerror(exc)}",
                     f"make it readable (chmod u+rw {show(counter)})") from exc
    match = _DIGITS.fullmatch(raw) if len(raw) <= _MAX_BYTES else None
    if match is None:
        raise _error(counter, "is damaged: it does not hold a control number (digits only)", RESET)
    value = int(match.group(1))
    if value > LAST:
        raise _error(counter, f"is damaged: it holds a number beyond the X12 limit of {LAST} "
                     "(ISA13 has 9 digits), which payerkit never writes", RESET)
    return value


def _write(counter: Path, value: int) -> None:
    try:
        write_atomic(counter, f"{value}\n".encode("ascii"))
    except OutputError as exc:
        raise CounterError(f"control-number counter: {exc}; or set PAYERKIT_DATA_DIR to "
                           "another folder") from exc


def _strerror(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _lock(fd: int, path: Path) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
    except OSError as exc:
        raise _error(path, f"(the lock file) cannot be locked: {_strerror(exc)}",
                     "set PAYERKIT_DATA_DIR to a folder on a local disk") from exc


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


__all__ = ["LAST", "CounterError", "next_control_numbers", "resolve_data_dir"]

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

Blocks. Each reservation costs one lock and one fsync'd write (milliseconds
on a local disk), so a batch takes its numbers in blocks:
:func:`reserve_control_numbers` advances the counter by ``count`` (1 to
:data:`MAX_BLOCK`) under one lock, with one write, and returns the reserved
numbers as a ``range``; :func:`next_control_numbers` is a block of one.
:class:`ControlNumberSource` hands out numbers one at a time and reserves
blocks as it needs them: 1, then 2, 4, 8, ... up to ``max_block`` (1024 by
default), so a run of one claim reserves one number and a batch of n claims
pays about log2(1024) + n / 1024 reservations.

Gaps. The counter records what was *reserved*, not what was sent: numbers a
batch reserved but did not use (it failed, was interrupted, or simply had
fewer claims) are never handed out again. The next run starts after the
block. That is by design: X12 requires control numbers to be unique, not
consecutive, and a payer does not expect them to follow on from one another.

The wrap, with blocks. A block never crosses :data:`LAST`: when the numbers
after the counter's value up to 999,999,999 are fewer than the block needs,
the block starts at 1 instead and those last few numbers are simply never
used. That is the same wrap as above, at the X12 limit and only there.

Processes and threads. A :class:`ControlNumberSource` is safe to share
between threads. Its reserved numbers belong to the process that reserved
them: in another process (after ``os.fork``, a ``multiprocessing`` worker,
an unpickled copy) it checks ``os.getpid()`` before every number, drops the
block it inherited and reserves a fresh one from the counter, so parent and
child never hand out the same number. Pickling or copying a source copies
its settings (data folder, block sizes), never its numbers. A source made
with :meth:`ControlNumberSource.from_numbers` (a block someone else
reserved) takes nothing from the counter: it raises
:class:`ControlBlockExhausted` when the block is used up, refuses to work in
a process other than the one that made it, and cannot be pickled -- hand
each worker its own range (a slice of a range is a range) instead.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import weakref
from pathlib import Path

from ..errors import (
    ControlBlockExhausted,
    CounterError,
    FileTooLarge,
    NotRegularFile,
    OutputError,
)
from ..files import read_regular, show, write_atomic
from .options import ControlNumbers
from .x12_limits import MAX_CONTROL

COUNTER_FILE = "x12-control-number"
LOCK_FILE = "x12-control-number.lock"
#: Numbers run 1 .. LAST, then wrap to 1 (ISA13 has 9 digits: 999,999,999 is the X12 limit).
LAST = MAX_CONTROL
#: The most numbers one reservation may take (a thousandth of the X12 range).
MAX_BLOCK = 1_000_000
#: A :class:`ControlNumberSource` reserves at most this many numbers at a time by default.
DEFAULT_MAX_BLOCK = 1024
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


def resolve_data_dir(path: Path | None = None) -> Path:
    """Where payerkit keeps its state: ``path``, ``$PAYERKIT_DATA_DIR``, or the
    platform's user data directory.

    ``$PAYERKIT_DATA_DIR`` must name one folder wherever payerkit runs: ``~`` is the home
    folder, and a relative path is a :class:`CounterError` (each working folder would
    have a counter of its own, and two runs would write the same ISA13)."""
    if path is not None:
        return Path(path)
    env = os.environ.get("PAYERKIT_DATA_DIR")
    if env:
        folder = Path(env).expanduser()
        if not folder.is_absolute():
            raise CounterError(f"control-number counter: PAYERKIT_DATA_DIR is a relative path "
                               f"({show(env)}): each working folder would have a counter of "
                               "its own, and control numbers would repeat; set it to the "
                               "folder's absolute path (one starting with / or ~)")
        return folder
    import platformdirs

    return Path(platformdirs.user_data_dir("payerkit"))


def next_control_numbers(data_dir: Path | None = None) -> ControlNumbers:
    """Take the next number from the counter (a block of one); interchange, group and
    transaction numbers all use it. Raises :class:`CounterError` on any problem with the
    counter."""
    value = _next_value(resolve_data_dir(data_dir))
    return ControlNumbers(interchange=value, group=value, transaction=value)


def reserve_control_numbers(count: int, data_dir: Path | None = None) -> range:
    """Reserve ``count`` consecutive numbers (1 to :data:`MAX_BLOCK`) with one lock and one
    write of the counter, and return them, e.g. ``range(101, 201)``.

    The numbers are the caller's: nobody else, in this process or another, is given them,
    and the ones the caller does not use are gaps, never handed out again. A block never
    crosses :data:`LAST`: if it would, it starts at 1 (see the module docstring). Raises
    ``TypeError``/``ValueError`` for a bad ``count`` (before touching anything) and
    :class:`CounterError` on any problem with the counter; then nothing is reserved.
    """
    count = _count(count, "count")
    start = _reserve(resolve_data_dir(data_dir), count)
    return range(start, start + count)


class ControlNumberSource:
    """Control numbers one at a time, reserved from the counter in growing blocks.

    ``source()`` (or ``next(source)``) returns the next number. The first call reserves
    ``block`` numbers (default 1), each later reservation twice as many as the one before,
    up to ``max_block`` (default :data:`DEFAULT_MAX_BLOCK`); numbers left over when the run
    ends are gaps (see the module docstring). ``data_dir`` is resolved when the source is
    made (``$PAYERKIT_DATA_DIR`` or the user's data folder, as for
    :func:`next_control_numbers`). A :class:`CounterError` from a reservation leaves the
    source as it was: call again once the counter is fixed.

    Safe to share between threads; in another process it reserves a fresh block (the
    module docstring, "Processes and threads"). For reports: :attr:`reserved` (numbers
    reserved by this source in this process), :attr:`used` (numbers handed out),
    :attr:`reservations` (blocks taken from the counter: one lock and write each).
    """

    def __init__(self, data_dir: Path | None = None, *, block: int = 1,
                 max_block: int = DEFAULT_MAX_BLOCK):
        block = _count(block, "block")
        max_block = _count(max_block, "max_block")
        if block > max_block:
            raise ValueError(f"block ({block}) must not be larger than max_block ({max_block})")
        self._directory: Path | None = resolve_data_dir(data_dir)
        self._first_block = block
        self._max_block = max_block
        self._setup()

    @classmethod
    def from_numbers(cls, numbers: range) -> ControlNumberSource:
        """A source that hands out ``numbers`` (e.g. a block from
        :func:`reserve_control_numbers`, or a slice of one) and never touches a counter.
        When they are used up it raises :class:`ControlBlockExhausted` (an empty range is
        allowed, e.g. for a part of a batch with no claims: it raises at the first number);
        in a process other
        than this one it raises :class:`CounterError`. The caller makes sure no one else
        uses the same numbers."""
        if not isinstance(numbers, range):
            raise TypeError(f"from_numbers takes a range of control numbers, not "
                            f"{type(numbers).__name__}")
        if numbers and not (1 <= min(numbers) and max(numbers) <= LAST):
            raise ValueError(f"control numbers run from 1 to {LAST}; {numbers!r} goes beyond")
        source = cls.__new__(cls)
        source._directory = None
        source._first_block = source._max_block = len(numbers)
        source._setup()
        source._block, source._pid = numbers, os.getpid()
        source.reserved = len(numbers)
        return source

    def _setup(self) -> None:
        self._lock = threading.Lock()
        self._block: range = range(0)
        self._position = 0
        self._pid: int | None = None
        self._next_size = self._first_block
        #: Numbers this source reserved (or was handed) in this process.
        self.reserved = 0
        #: Numbers this source handed out in this process.
        self.used = 0
        #: Blocks this source took from the counter in this process.
        self.reservations = 0
        _SOURCES.add(self)

    def __call__(self) -> int:
        """The next control number; reserves a block from the counter when needed."""
        with self._lock:
            if self._pid != os.getpid():
                self._moved()
            if self._position >= len(self._block):
                self._refill()
            value = self._block[self._position]
            self._position += 1
            self.used += 1
            return value

    def __iter__(self) -> ControlNumberSource:
        return self

    def __next__(self) -> int:
        """As ``source()``: never a quiet ``StopIteration`` (a claim without a number is an
        error), but :class:`ControlBlockExhausted` from a used-up ``from_numbers`` source."""
        return self()

    @property
    def remaining(self) -> int:
        """Numbers left in the current block (0 in a process that has not reserved one)."""
        if self._pid != os.getpid():
            return 0
        return len(self._block) - self._position

    def _moved(self) -> None:
        """First use in this process (or after a fork): the numbers held are not ours."""
        if self._directory is None:  # from_numbers: made in process self._pid
            raise CounterError(
                f"control numbers: the block {_show(self._block)} was handed over in "
                f"process {self._pid} and cannot be used in process {os.getpid()}, which "
                "would repeat its numbers; give each process its own block (e.g. a slice "
                "of a reserved range), or a ControlNumberSource on the counter")
        self._block, self._position = range(0), 0
        self._next_size = self._first_block
        self.reserved = self.used = self.reservations = 0
        self._pid = os.getpid()

    def _refill(self) -> None:
        if self._directory is None:
            raise ControlBlockExhausted(
                f"control numbers: the block {_show(self._block)} handed over is used up "
                f"(all {len(self._block)} numbers); reserve a larger block "
                "(reserve_control_numbers) or use ControlNumberSource(data_dir), which "
                "takes more from the counter")
        size = self._next_size
        start = _reserve(self._directory, size)  # raises CounterError: nothing changes here
        self._block, self._position = range(start, start + size), 0
        self._next_size = min(size * 2, self._max_block)
        self.reserved += size
        self.reservations += 1

    def __getstate__(self) -> dict:
        if self._directory is None:
            raise TypeError("a ControlNumberSource.from_numbers source cannot be pickled or "
                            "copied: two copies would hand out the same numbers; give each "
                            "process its own range")
        return {"directory": self._directory, "block": self._first_block,
                "max_block": self._max_block}

    def __setstate__(self, state: dict) -> None:
        self._directory = state["directory"]
        self._first_block = state["block"]
        self._max_block = state["max_block"]
        self._setup()

    def __repr__(self) -> str:
        where = show(self._directory) if self._directory is not None else "handed over"
        return (f"<ControlNumberSource {where}: reserved={self.reserved} used={self.used} "
                f"reservations={self.reservations}>")


#: Live sources, so that a child process gets fresh thread locks: a fork while another
#: thread held one (during a reservation, for milliseconds) would leave it locked for ever.
_SOURCES: weakref.WeakSet[ControlNumberSource] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for source in list(_SOURCES):
        source._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number of control numbers, not {value!r}")
    if not 1 <= value <= MAX_BLOCK:
        raise ValueError(f"{name} must be 1 to {MAX_BLOCK:,} control numbers, not {value:,}")
    return value


def _show(numbers: range) -> str:
    if not numbers:
        return "(empty)"
    if numbers.step == 1:
        return f"{numbers.start}-{numbers.stop - 1}"
    return repr(numbers)


def _next_value(directory: Path) -> int:
    return _reserve(directory, 1)


def _reserve(directory: Path, count: int) -> int:
    """Advance the counter by ``count`` under the lock, in one write; the first number."""
    _data_dir(directory)
    counter = directory / COUNTER_FILE
    fd = _open_lock(directory / LOCK_FILE)
    try:
        _lock(fd, directory / LOCK_FILE)
        try:
            last = _read(counter)
            # the documented wrap, at the X12 limit only: a block never crosses LAST
            start = 1 if last > LAST - count else last + 1
            _write(counter, start + count - 1)
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
    return start


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
    try:  # its owner's only: the ledger (patient data) lives here by default too
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
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
        raw = read_regular(counter, _MAX_BYTES)  # replaced by a FIFO since the lstat: refused
    except FileTooLarge:
        raw = None
    except NotRegularFile as exc:
        raise _error(counter, "is not a regular file", f"replace it with a file; {RESET}") from exc
    except OSError as exc:
        raise _error(counter, f"cannot be read: {_strerror(exc)}",
                     f"make it readable (chmod u+rw {show(counter)})") from exc
    match = _DIGITS.fullmatch(raw) if raw is not None else None
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


__all__ = ["DEFAULT_MAX_BLOCK", "LAST", "MAX_BLOCK", "ControlBlockExhausted", "ControlNumberSource",
           "CounterError", "next_control_numbers", "reserve_control_numbers", "resolve_data_dir"]

"""X12 control numbers that never repeat across runs.

One counter file in the data directory (``$PAYERKIT_DATA_DIR``, else the
user's data directory) holds the last number issued. Each call takes an
exclusive lock on a separate lock file, reads the counter, and replaces the
file atomically (temp file in the same directory, then ``os.replace``), so
concurrent processes never get the same number and a crash never leaves a
half-written counter.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import PayerKitError
from ..files import write_atomic
from .options import ControlNumbers

COUNTER_FILE = "x12-control-number"
LOCK_FILE = "x12-control-number.lock"
#: Numbers run 1 .. LAST, then start again at 1 (ISA13 has 9 digits).
LAST = 999_999_998

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


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
    numbers all use it."""
    value = _next_value(resolve_data_dir(data_dir))
    return ControlNumbers(interchange=value, group=value, transaction=value)


def _next_value(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    counter = directory / COUNTER_FILE
    with open(directory / LOCK_FILE, "a+b") as lock:
        _lock(lock)
        try:
            last = _read(counter)
            value = last + 1 if last < LAST else 1
            _write(counter, value)
        finally:
            _unlock(lock)
    return value


def _read(counter: Path) -> int:
    try:
        text = counter.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return 0
    if not text.isdigit():
        raise PayerKitError(f"control-number counter {counter} is damaged: expected digits")
    return int(text)


def _write(counter: Path, value: int) -> None:
    write_atomic(counter, f"{value}\n".encode("ascii"))


def _lock(f) -> None:
    if fcntl is not None:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
    else:  # pragma: no cover - Windows
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)


def _unlock(f) -> None:
    if fcntl is not None:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)


__all__ = ["LAST", "next_control_numbers", "resolve_data_dir"]

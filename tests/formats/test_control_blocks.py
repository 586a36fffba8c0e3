"""Control numbers reserved in blocks: one lock and one write per block, never a repeat."""

from __future__ import annotations

import copy
import errno
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading

import pytest

from payerkit.errors import PayerKitError
from payerkit.formats import control
from payerkit.formats.control import (
    LAST,
    MAX_BLOCK,
    ControlBlockExhausted,
    ControlNumberSource,
    CounterError,
    next_control_numbers,
    reserve_control_numbers,
)
from payerkit.formats.options import ControlNumbers

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork (POSIX only)")


def counter_of(tmp_path):
    return tmp_path / control.COUNTER_FILE


def stored(tmp_path) -> int:
    return int(counter_of(tmp_path).read_text())


# ----------------------------------------------------------------- reserve_control_numbers


def test_a_block_advances_the_counter_once(tmp_path):
    assert reserve_control_numbers(100, tmp_path) == range(1, 101)
    assert stored(tmp_path) == 100
    assert next_control_numbers(tmp_path) == ControlNumbers(101, 101, 101)
    assert reserve_control_numbers(1, tmp_path) == range(102, 103)
    assert reserve_control_numbers(MAX_BLOCK, tmp_path) == range(103, 103 + MAX_BLOCK)
    assert sorted(p.name for p in tmp_path.iterdir()) == [control.COUNTER_FILE, control.LOCK_FILE]


def test_the_environment_variable_names_the_counter(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(tmp_path / "env"))
    assert reserve_control_numbers(3) == range(1, 4)
    source = ControlNumberSource()
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(tmp_path / "elsewhere"))  # resolved when made
    assert source() == 4
    assert stored(tmp_path / "env") == 4 and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("count, error", [
    (0, ValueError), (-1, ValueError), (MAX_BLOCK + 1, ValueError), (10**12, ValueError),
    (1.0, TypeError), ("3", TypeError), (True, TypeError), (None, TypeError),
])
def test_count_is_checked_before_anything_is_touched(tmp_path, count, error):
    data = tmp_path / "data"
    with pytest.raises(error, match="1 to 1,000,000|whole number"):
        reserve_control_numbers(count, data)
    with pytest.raises(error):
        ControlNumberSource(data, block=count)
    with pytest.raises(error):
        ControlNumberSource(data, max_block=count)
    assert not data.exists()


def test_block_sizes_of_a_source_are_checked(tmp_path):
    with pytest.raises(ValueError, match="must not be larger than max_block"):
        ControlNumberSource(tmp_path, block=8, max_block=4)
    assert ControlNumberSource(tmp_path, block=MAX_BLOCK, max_block=MAX_BLOCK)() == 1


# ----------------------------------------------------------------- the X12 limit


def test_a_block_that_fits_ends_at_the_limit_and_the_next_starts_at_one(tmp_path):
    counter_of(tmp_path).write_text(f"{LAST - 8}\n")
    assert reserve_control_numbers(8, tmp_path) == range(LAST - 7, LAST + 1)
    assert stored(tmp_path) == LAST
    assert reserve_control_numbers(8, tmp_path) == range(1, 9)
    assert stored(tmp_path) == 8


def test_a_block_never_crosses_the_limit(tmp_path):
    counter_of(tmp_path).write_text(f"{LAST - 2}\n")
    assert reserve_control_numbers(3, tmp_path) == range(1, 4)  # LAST-1, LAST: unused
    assert stored(tmp_path) == 3
    counter_of(tmp_path).write_text(f"{LAST - 1}\n")
    assert next_control_numbers(tmp_path).interchange == LAST    # a block of one still fits
    counter_of(tmp_path).write_text(f"{LAST}\n")
    assert reserve_control_numbers(MAX_BLOCK, tmp_path) == range(1, MAX_BLOCK + 1)


def test_a_source_wraps_at_the_limit_without_repeats(tmp_path):
    counter_of(tmp_path).write_text(f"{LAST - 100}\n")
    source = ControlNumberSource(tmp_path, max_block=64)
    numbers = [source() for _ in range(300)]
    assert len(set(numbers)) == 300
    assert all(1 <= n <= LAST for n in numbers)
    wrap = numbers.index(1)
    before, after = numbers[:wrap], numbers[wrap:]
    assert before == list(range(LAST - 99, LAST - 99 + len(before))) and max(before) <= LAST
    assert after == list(range(1, len(after) + 1))                  # blocks follow on from 1
    assert stored(tmp_path) == source.reserved - len(before)        # the rest of the last block
    assert stored(tmp_path) >= max(after)


# ----------------------------------------------------------------- the source


def test_blocks_grow_from_one_to_max_block(tmp_path):
    source = ControlNumberSource(tmp_path, max_block=8)
    assert source() == 1 and (source.reserved, source.used, source.reservations) == (1, 1, 1)
    assert stored(tmp_path) == 1                 # a run of one claim wastes nothing
    assert [source() for _ in range(2)] == [2, 3] and stored(tmp_path) == 3
    numbers = [source() for _ in range(4 + 8 + 8 + 1)]
    assert numbers == list(range(4, 25))
    assert source.reservations == 6 and source.reserved == 1 + 2 + 4 + 8 + 8 + 8
    assert source.used == 24 and source.remaining == 7 and stored(tmp_path) == 31
    assert next_control_numbers(tmp_path).interchange == 32  # the 7 left over are a gap
    assert next(iter(source)) == 25


def test_numbers_cost_few_reservations_and_fsyncs(tmp_path, monkeypatch):
    writes, syncs = [], []
    real_write, real_fsync = control.write_atomic, os.fsync
    monkeypatch.setattr(control, "write_atomic", lambda *a, **k: (writes.append(a), real_write(*a, **k))[1])
    monkeypatch.setattr(os, "fsync", lambda fd: (syncs.append(fd), real_fsync(fd))[1])
    source = ControlNumberSource(tmp_path, max_block=1024)
    numbers = [source() for _ in range(1000)]
    assert numbers == list(range(1, 1001))
    assert source.reservations == len(writes) == 10            # 1 + 2 + ... + 512 = 1023
    assert len(syncs) <= 2 * 11                                 # the file and its folder
    assert stored(tmp_path) == source.reserved == 1023


def test_a_source_is_safe_between_threads(tmp_path):
    source = ControlNumberSource(tmp_path, max_block=16)
    results: list[list[int]] = [[] for _ in range(8)]

    def work(mine):
        for _ in range(300):
            mine.append(source())

    threads = [threading.Thread(target=work, args=(mine,)) for mine in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [n for mine in results for n in mine]
    assert sorted(numbers) == list(range(1, 2401)) and source.used == 2400


# ----------------------------------------------------------------- a block handed over


def test_a_block_handed_over_touches_no_counter(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(tmp_path / "never"))
    block = reserve_control_numbers(10, tmp_path)
    source = ControlNumberSource.from_numbers(block[4:7])
    assert [source(), next(source), source()] == [5, 6, 7]
    assert (source.reserved, source.used, source.reservations, source.remaining) == (3, 3, 0, 0)
    with pytest.raises(ControlBlockExhausted, match="block 5-7 handed over is used up") as info:
        source()
    assert isinstance(info.value, CounterError) and isinstance(info.value, PayerKitError)
    with pytest.raises(ControlBlockExhausted):
        next(source)                                       # never a quiet StopIteration
    assert source.used == 3 and stored(tmp_path) == 10 and not (tmp_path / "never").exists()
    stepped = ControlNumberSource.from_numbers(range(1, 10, 4))
    assert [stepped() for _ in range(3)] == [1, 5, 9]


@pytest.mark.parametrize("numbers, error", [
    (range(0, 3), ValueError), (range(LAST, LAST + 2), ValueError), (range(-3, 3, 2), ValueError),
    ([1, 2, 3], TypeError), (None, TypeError), (range(5, 2, -1), None),
])
def test_a_block_handed_over_is_checked(numbers, error):
    if error is None:
        assert ControlNumberSource.from_numbers(numbers)() == 5
        return
    with pytest.raises(error):
        ControlNumberSource.from_numbers(numbers)


def test_an_empty_block_is_fine_until_a_number_is_needed():
    source = ControlNumberSource.from_numbers(range(0))     # a part of a batch with no claims
    assert (source.reserved, source.remaining) == (0, 0)
    with pytest.raises(ControlBlockExhausted, match="all 0 numbers"):
        source()


def test_pickling_copies_settings_never_numbers(tmp_path):
    source = ControlNumberSource(tmp_path, block=4, max_block=4)
    assert source() == 1                                     # 1-4 reserved
    twin = pickle.loads(pickle.dumps(source))
    clone = copy.deepcopy(source)
    assert (twin.reserved, twin.used) == (0, 0)
    assert [twin(), clone(), source()] == [5, 9, 2]
    handed = ControlNumberSource.from_numbers(range(1, 5))
    for how in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot be pickled or copied"):
            how(handed)


def test_an_unpickled_source_in_another_interpreter_reserves_its_own_block(tmp_path):
    source = ControlNumberSource(tmp_path, block=8)
    assert source() == 1                                      # 1-8 reserved here
    script = ("import pickle, sys; s = pickle.loads(sys.stdin.buffer.read()); "
              "print(*[s() for _ in range(3)])")
    child = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(source),
                           capture_output=True, check=True)
    assert child.stdout.split() == [b"9", b"10", b"11"]
    assert [source() for _ in range(7)] == list(range(2, 9))


# ----------------------------------------------------------------- fork safety


def in_child(fn) -> str:
    """``fn()`` in a forked child, with a 10 s alarm; its result (or failure) as text."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            signal.alarm(10)
            text = repr(fn())
        except BaseException as exc:
            text = f"{type(exc).__name__}: {exc}"
        os.write(write, text.encode("utf-8", "replace"))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text


@needs_fork
def test_a_forked_child_reserves_its_own_block(tmp_path):
    source = ControlNumberSource(tmp_path, block=8, max_block=8)
    assert source() == 1                                      # 1-8 reserved by the parent
    child = in_child(lambda: ([source() for _ in range(3)], source.reserved, source.used))
    assert child == repr(([9, 10, 11], 8, 3))
    assert [source() for _ in range(7)] == list(range(2, 9))   # the parent keeps its block
    assert (source.reserved, source.used) == (8, 8)
    assert source() == 17 and stored(tmp_path) == 24


@needs_fork
def test_a_forked_child_may_not_use_a_block_handed_to_its_parent(tmp_path):
    source = ControlNumberSource.from_numbers(range(1, 11))
    assert source() == 1
    child = in_child(source)
    assert child.startswith("CounterError:") and "cannot be used in process" in child
    assert source() == 2


@needs_fork
def test_a_fork_during_a_reservation_does_not_leave_the_child_locked(tmp_path):
    source = ControlNumberSource(tmp_path, block=4)
    assert source() == 1
    with source._lock:               # as if another thread were reserving when we fork
        child = in_child(source)
    assert child == "5"


# ----------------------------------------------------------------- damage


def test_a_damaged_counter_reserves_nothing(tmp_path):
    counter_of(tmp_path).write_text("garbage")
    with pytest.raises(CounterError, match="damaged"):
        reserve_control_numbers(50, tmp_path)
    source = ControlNumberSource(tmp_path, block=4)
    with pytest.raises(CounterError, match="damaged") as info:
        source()
    assert str(tmp_path) in str(info.value)
    assert counter_of(tmp_path).read_text() == "garbage"
    assert (source.reserved, source.used, source.reservations) == (0, 0, 0)
    counter_of(tmp_path).write_text("41\n")                    # repaired: the source goes on
    assert source() == 42 and source.reserved == 4 and stored(tmp_path) == 45


def test_an_unwritable_folder_mid_batch_reserves_nothing(tmp_path, monkeypatch):
    source = ControlNumberSource(tmp_path, block=2, max_block=2)
    assert [source(), source()] == [1, 2]
    real_open = os.open

    def read_only_fs(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and str(path).endswith(".payerkit-tmp"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_fs)
    for take in (source, lambda: reserve_control_numbers(10, tmp_path)):
        with pytest.raises(CounterError, match="read-only.*PAYERKIT_DATA_DIR"):
            take()
    monkeypatch.undo()
    assert stored(tmp_path) == 2 and (source.reserved, source.used) == (2, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [control.COUNTER_FILE, control.LOCK_FILE]
    assert [source(), source(), source()] == [3, 4, 5]


def test_a_data_dir_that_is_a_file(tmp_path):
    data = tmp_path / "data"
    data.write_text("x")
    source = ControlNumberSource(data)
    with pytest.raises(CounterError, match="is not a folder"):
        source()
    with pytest.raises(CounterError, match="is not a folder"):
        reserve_control_numbers(5, data)
    assert data.read_text() == "x" and source.reserved == 0


# ----------------------------------------------------------------- many processes


def _batch(data, count, ready, results) -> None:
    ready.wait()
    source = ControlNumberSource(data)
    numbers = [source() for _ in range(count)]
    results.put((numbers, source.reserved, source.reservations))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork start method")
def test_twenty_batches_and_single_claims_never_share_a_number(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(tmp_path))
    ctx = multiprocessing.get_context("fork")
    ready, results = ctx.Barrier(21), ctx.Queue()
    workers = [ctx.Process(target=_batch, args=(None, 150, ready, results)) for _ in range(20)]
    for worker in workers:
        worker.start()
    ready.wait()
    singles = [next_control_numbers().interchange for _ in range(200)]  # while the batches run
    batches = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    numbers = singles + [n for taken, _, _ in batches for n in taken]
    assert len(numbers) == 20 * 150 + 200 == len(set(numbers))
    assert all(reservations == 8 for _, _, reservations in batches)  # 1 + 2 + ... + 128 >= 150
    reserved = sum(r for _, r, _ in batches) + 200
    assert stored(tmp_path) == reserved >= max(numbers)   # every number reserved exactly once

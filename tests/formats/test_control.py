"""Control numbers: persisted, increasing, unique under concurrent use."""

from __future__ import annotations

import multiprocessing
import sys
import threading

import pytest

from payerkit.errors import PayerKitError
from payerkit.formats import control
from payerkit.formats.control import LAST, next_control_numbers
from payerkit.formats.options import ControlNumbers


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


def test_wraps_before_nine_nines(tmp_path):
    (tmp_path / control.COUNTER_FILE).write_text(f"{LAST - 1}\n")
    assert next_control_numbers(tmp_path).interchange == LAST
    assert next_control_numbers(tmp_path).interchange == 1
    assert LAST < 999_999_999


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

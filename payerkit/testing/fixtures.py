"""pytest plugin shipped with payerkit (entry point ``pytest11``): fixtures for adapter tests.

* ``payerkit_data_dir`` — a temporary ``PAYERKIT_DATA_DIR`` so claim control
  numbers never touch the user's real counter.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def payerkit_data_dir(tmp_path, monkeypatch):
    path = tmp_path / "payerkit-data"
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(path))
    return path

"""The example cases: each states its expected outcome in comments at its top
(``# expect-status``, ``# expect-errors``, ``# expect-claim``: see
:mod:`payerkit.testing.expectations`). That every code of ``CODES`` is reached by some case is
the conformance suite's test (``test_code_is_reached``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from payerkit import PayerKit
from payerkit.testing.expectations import check_expected

from payerkit_fl_pip import plugin

CASES = sorted((Path(__file__).parent / "cases").glob("*.toml"))


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_gives_its_expected_outcome(path, kit, payerkit_data_dir):
    check_expected(kit, path)

"""Fixtures for the Regence and UMP tests; the case builders are in ``regence_cases``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from payerkit import PayerKit

# The test modules import their case builders by name; under --import-mode=importlib (the
# repository's root configuration) a test directory is not on sys.path, so put it there.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from regence_cases import make_case  # noqa: E402

from payerkit_regence import plugin


@pytest.fixture
def kit() -> PayerKit:
    """A kit holding only this plugin (and payerkit's built-ins)."""
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


@pytest.fixture(name="make_case")
def _make_case():
    return make_case

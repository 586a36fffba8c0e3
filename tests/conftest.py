"""Shared fixtures for the core tests."""

from __future__ import annotations

import copy

import pytest
from case_samples import BASE_CASE, SampleAdapter

from payerkit import PayerKit


@pytest.fixture
def case_data():
    return copy.deepcopy(BASE_CASE)


@pytest.fixture
def adapter():
    return SampleAdapter()


@pytest.fixture
def kit(adapter, payerkit_data_dir):
    return PayerKit(entry_points=False, plugins=[adapter])


def pytest_addoption(parser):
    parser.addoption("--fuzz-long", action="store_true",
                     help="run the mutation fuzzer on thousands of cases instead of a few hundred")

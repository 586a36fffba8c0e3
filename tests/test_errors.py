"""payerkit's exceptions cross process boundaries whole (a batch worker, a Dask task)."""

from __future__ import annotations

import pickle

import pytest

from payerkit import CaseError, ClaimRefused, Finding, FormatError
from payerkit.errors import UnknownProgram


@pytest.mark.parametrize("error", [
    CaseError(["visits[0].date: expected a date", "provider.npi: expected 10 digits"]),
    ClaimRefused([Finding("error", "NPI-INVALID", "provider.npi: bad check digit", "provider.npi")]),
    FormatError("lines[2].charge", "must be a non-negative amount"),
    UnknownProgram("nobody-pays", ["premera-wa", "ny-no-fault"]),
], ids=lambda e: type(e).__name__)
def test_an_error_pickles_with_its_fields(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    for name in ("problems", "findings", "field", "problem"):
        assert getattr(copy, name, None) == getattr(error, name, None)

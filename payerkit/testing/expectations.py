"""Example cases that state their expected outcome, and the check that they give it.

A case file says, in comments at its top, what payerkit must answer for it::

    # expect-status: covered | action_required | not_covered
    # expect-errors: CODE, CODE | none
    # expect-claim: yes | no

``errors`` lists the scrub's error codes that must be among the errors (``none``: the
scrub has no error); ``claim`` says whether the claim is written, in the program's first
claim format. The conformance suite (:class:`~payerkit.testing.conformance.AdapterSuite`)
checks every case of an adapter that states its outcome; payerkit's own examples
(``examples/``) are checked the same way by ``check_expected(kit, path)``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ClaimRefused
from ..io import load_case
from ..kit import PayerKit
from ..model import Evaluation

KEYS = ("status", "errors", "claim")
LINE = re.compile(r"^# expect-(status|errors|claim):\s*(.+?)\s*$", re.M)


def has_expectations(path: Path) -> bool:
    """Whether the case file states any expected outcome (an ``# expect-`` comment)."""
    return bool(LINE.search(Path(path).read_text(encoding="utf-8")))


def expectations(path: Path) -> dict[str, str]:
    """The case file's ``# expect-*`` comments, by key; all three must be there."""
    found = dict(LINE.findall(Path(path).read_text(encoding="utf-8")))
    missing = [key for key in KEYS if key not in found]
    assert not missing, f"{Path(path).name}: no '# expect-{missing[0]}: ...' comment " \
        "(see payerkit.testing.expectations)"
    return found


def expected_errors(expect: dict[str, str]) -> set[str]:
    """The error codes ``# expect-errors`` lists (none: an empty set)."""
    text = expect["errors"]
    return set() if text == "none" else {code.strip() for code in text.split(",")}


def check_expected(kit: PayerKit, path: Path) -> Evaluation:
    """Evaluate the case at ``path`` and assert what its comments expect; the evaluation,
    for a test that checks more (the claim's bytes, say)."""
    expect, case = expectations(path), load_case(path)
    where = Path(path).name
    evaluation = kit.evaluate(case)
    status = evaluation.eligibility.status
    assert status == expect["status"], f"{where}: status {status}, expected {expect['status']}"
    errors, wanted = {f.code for f in evaluation.scrub.errors}, expected_errors(expect)
    assert wanted <= errors and (wanted or not errors), \
        f"{where}: scrub errors {sorted(errors)}, expected {sorted(wanted) or 'none'}"
    if expect["claim"] == "yes":
        assert evaluation.write(evaluation.format), f"{where}: no claim written"
    else:
        try:
            evaluation.write(evaluation.format)
        except ClaimRefused:
            pass
        else:
            raise AssertionError(f"{where}: a claim was written, expected none")
    return evaluation


__all__ = ["check_expected", "expectations", "expected_errors", "has_expectations"]

"""The example cases: each states its expected outcome in comments, and every outcome code this
adapter can answer is reached by at least one of them.

    # expect-status: covered | action_required | not_covered
    # expect-errors: CODE, CODE | none
    # expect-claim: yes | no
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from payerkit import ClaimRefused, PayerKit, load_case

from payerkit_medicare_part_b import plugin

CASES = sorted((Path(__file__).parent / "cases").glob("*.toml"))
SOURCE = Path(plugin.__file__).parent


def expected(path: Path) -> dict[str, str]:
    found = dict(re.findall(r"^# expect-(status|errors|claim):\s*(.+?)\s*$",
                            path.read_text(encoding="utf-8"), re.M))
    assert set(found) == {"status", "errors", "claim"}, f"{path.name}: expect-* comments missing"
    return found


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_has_its_expected_outcome(path, kit, payerkit_data_dir):
    expect, case = expected(path), load_case(path)
    assert kit.check(case).status == expect["status"]
    errors = {f.code for f in kit.scrub(case).errors}
    wanted = set() if expect["errors"] == "none" else set(expect["errors"].split(", "))
    assert wanted <= errors and (wanted or not errors), f"expected {wanted}, got {errors}"
    if expect["claim"] == "yes":
        assert kit.claim(case, kit.program(case.program).claim_formats[0])
    else:
        with pytest.raises(ClaimRefused):
            kit.claim(case, kit.program(case.program).claim_formats[0])


def test_every_code_is_declared_and_reached_by_a_case(kit):
    """Each code written in the adapter is in its CODES, and some visit of a case answers it
    (an outcome or a pricing reason)."""
    written = set(re.findall(r'"(MEDICARE-B-[A-Z0-9-]+)"', "\n".join(
        p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py"))))
    assert written <= plugin.CODES
    reached = set()
    for path in CASES:
        case = load_case(path)
        for visit in case.visits:
            reached |= {o.code for o in kit.outcomes(case, visit)}
            reached |= {r.code for r in kit.price(case, visit).reasons}
    assert plugin.CODES - reached == set()

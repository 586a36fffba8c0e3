"""Each example case gives what tests/expected.toml says, and together they reach every code
the adapter declares (``CODES``): change a rule, and its case says what changed."""

import tomllib
from decimal import Decimal
from pathlib import Path

import payerkit_example_adapter.plugin as plugin
import pytest

from payerkit import PayerKit, load_case

HERE = Path(__file__).parent
CASES = HERE / "cases"
EXPECTED = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))


@pytest.fixture
def kit(payerkit_data_dir):
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


def codes_of(evaluation) -> set[str]:
    """Every code the evaluation shows: eligibility, pricing, scrub."""
    eligibility = evaluation.eligibility
    return {r.code for r in (*eligibility.requirements, *eligibility.reasons)} \
        | {r.code for pricing in evaluation.pricings for r in pricing.reasons} \
        | {f.code for f in evaluation.scrub.findings}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_gives_what_is_expected(name, kit):
    expect = EXPECTED[name]
    evaluation = kit.evaluate(load_case(CASES / name))
    assert evaluation.eligibility.status == expect["status"]
    assert sorted({f.code for f in evaluation.scrub.errors}) == sorted(expect["errors"])
    missing = set(expect["codes"]) - codes_of(evaluation)
    assert not missing, f"{name}: expected codes not given: {sorted(missing)}"
    assert evaluation.pricing.total_allowed == Decimal(expect["allowed"])
    [limit] = evaluation.limits.limits
    assert limit.used == expect["visits_used"]
    assert evaluation.clean is expect["claim"]


def test_every_case_has_its_expectations():
    assert sorted(EXPECTED) == sorted(p.name for p in CASES.glob("*.toml"))


def test_the_cases_reach_every_code_of_the_adapter():
    reached = {code for expect in EXPECTED.values() for code in expect["codes"]}
    missing = sorted(plugin.CODES - reached)
    assert not missing, f"no case is expected to reach {missing}: add one to cases/ and " \
        "to expected.toml"

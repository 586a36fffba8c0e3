"""Washington law as installed: removing it changes Premera's and Regence's answers, and a
self-funded plan is the same with or without it (the shipped examples, with every plugin)."""

from __future__ import annotations

from pathlib import Path

import pytest

from payerkit import PayerKit, load_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def kits(monkeypatch, payerkit_data_dir):
    with_law = PayerKit(strict=True)
    monkeypatch.setenv("PAYERKIT_DISABLE_PLUGINS", "wa-insurance-law")
    return with_law, PayerKit(strict=True)


def test_the_fifth_visit_of_a_new_episode_on_premera(kits):
    with_law, without = kits
    case = load_case(EXAMPLES / "wa-law-premera-fifth-visit.toml")
    assert with_law.check(case).status == "covered"
    result = without.check(case)
    assert result.status == "action_required"
    assert [r.code for r in result.requirements] == ["PRIOR-AUTHORIZATION-REQUIRED"]


def test_premeras_own_six_visits_hold_without_the_law(kits):
    """Premera's page exempts the first six visits of an episode: disabling the law keeps them."""
    _, without = kits
    case = load_case(EXAMPLES / "premera-seventh-visit.toml")
    for visit in case.visits[:6]:
        assert without.check(case, visit.date).status == "covered"
        assert without.scrub(case, visit.date).errors == ()
    result = without.check(case)
    assert result.status == "action_required"
    assert [r.code for r in result.requirements] == ["PRIOR-AUTHORIZATION-REQUIRED"]


def test_regences_answers_carry_the_law(kits):
    with_law, without = kits
    case = load_case(EXAMPLES / "regence-covered.toml")
    codes = {r.code for r in with_law.check(case).reasons}
    assert {"WA-EVERY-CATEGORY", "WA-SIX-VISITS"} <= codes
    assert not {c for c in (r.code for r in without.check(case).reasons) if c.startswith("WA-")}
    assert len(with_law.payment_terms(case).terms) == 3
    assert without.payment_terms(case).terms == ()


@pytest.mark.parametrize("name", ["wa-law-premera-self-funded.toml", "ump-covered.toml"])
def test_a_self_funded_plan_is_unaffected(kits, name):
    with_law, without = kits
    case = load_case(EXAMPLES / name)
    assert with_law.check(case) == without.check(case)
    assert with_law.scrub(case) == without.scrub(case)
    assert with_law.payment_terms(case) == without.payment_terms(case)


@pytest.mark.parametrize("name", ["wa-law-regence-medicare-advantage.toml",
                                  "regence-medicare-advantage.toml"])
def test_a_medicare_advantage_plan_gets_no_state_law(kits, name):
    """Medicare Advantage is federal (42 CFR Part 422): no RCW 48.43 / WAC 284-170 note on it."""
    with_law, without = kits
    case = load_case(EXAMPLES / name)
    assert case.coverage.funding == "medicare_advantage"
    result = with_law.check(case)
    assert result.status == "not_covered"
    assert not {r.code for r in result.reasons + result.requirements
                if r.code.startswith("WA-") or r.code == "PLAN-FUNDING-UNKNOWN"}
    assert with_law.check(case) == without.check(case)
    assert with_law.payment_terms(case).terms == ()

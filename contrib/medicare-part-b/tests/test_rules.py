"""Who is a massage therapist here, and what the program takes. Every person is invented."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from payerkit import PayerKit, RuleSet, hookimpl, note, structure_case
from payerkit.formats import SUPERBILL, SUPERBILL_HTML, X12_837P

from payerkit_medicare_part_b import plugin

CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="module")
def kit():
    return PayerKit(entry_points=False, plugins=[plugin], strict=True)


def build(name, **tables):
    data = tomllib.loads((CASES / name).read_text(encoding="utf-8"))
    for table, fields in tables.items():
        data.setdefault(table, {}).update(fields)
    return structure_case(data, CASES)


def test_a_massage_therapist_rendering_for_another_practice_is_not_covered(kit):
    case = build("medicare-part-b-physical-therapist.toml", rendering={
        "first_name": "Jane", "last_name": "Doe", "npi": "1992999999",
        "taxonomy": "225700000X"})
    assert kit.check(case).status == "not_covered"
    [refused] = [o for o in kit.outcomes(case) if o.effect == "not_covered"]
    assert refused.path == "rendering.taxonomy"


def test_no_claim_goes_to_medicare_and_no_amount_is_allowed(kit):
    program = kit.program("medicare-part-b")
    assert program.claim_formats == (SUPERBILL, SUPERBILL_HTML)
    assert X12_837P not in program.claim_formats
    assert kit.price(build("medicare-part-b-massage-therapist.toml")).total_allowed is None


class WashingtonLaw:
    """A state's rule set (invented): it must never select Medicare, which state law does not
    govern."""

    @hookimpl
    def payerkit_rule_sets(self):
        return [RuleSet("wa-law-stand-in", "a Washington law stand-in", ("WA",), ("commercial",))]

    @hookimpl
    def payerkit_outcomes(self):
        return [note("STATE-LAW", "a state law applied", plugin.sources.CODES)]


def test_no_state_rule_set_selects_the_program():
    kit = PayerKit(entry_points=False, plugins=[plugin, WashingtonLaw()], strict=True)
    case = build("medicare-part-b-massage-therapist.toml",
                 patient={"address": {"line1": "1 A St", "city": "Olympia", "state": "WA",
                                      "zip": "98501"}})
    assert "STATE-LAW" not in {o.code for o in kit.outcomes(case)}

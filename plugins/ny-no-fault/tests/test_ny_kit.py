"""The adapter through PayerKit: the program record, the examples, the 837P claim."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
from payerkit import Citation, ClaimRefused, load_case
from payerkit.formats import ControlNumbers, WriteOptions
from payerkit.testing.citations import citation_problems
from payerkit.testing.x12 import parse_segments, semantic_errors_837p

from payerkit_ny_no_fault import plugin, sources
from payerkit_ny_no_fault.coverage import NyFacts

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
NY_EXAMPLES = sorted(EXAMPLES.glob("ny-*.toml"))
OPTIONS = WriteOptions(control=ControlNumbers(1, 1, 1), now=dt.datetime(2026, 3, 20, 9, 0))


def test_program_record(program):
    assert program == plugin.PROGRAM
    assert (program.line_of_business, program.states) == ("auto", ("NY",))
    assert program.claim_formats == ("x12-837p", "nf-3", "cms-1500", "cms-1500-red", "superbill",
                                     "superbill-html")
    assert program.claim_filing_indicator == "AM"
    assert program.facts is NyFacts
    assert dict(program.fact_aliases) == {f: f"episode.{f}" for f in
                                          ("injured_person", "vehicle", "motorcycle")}
    text = " ".join(c.source for c in program.sources)
    assert "65-3.5(f)" in text and "65-1.1" in text and "68.5(b)" in text and "5108" in text
    assert any("837P" in c.source and "NOT CONFIRMED" in c.source for c in program.sources)


def test_no_hook_asks_which_program_it_is(make_case):
    """The core routes questions to this plugin only for its program: no hook takes ``program``."""
    hooks = {name: getattr(plugin, name) for name in dir(plugin) if name.startswith("payerkit_")}
    assert "payerkit_outcomes" in hooks and "payerkit_eligibility" not in hooks
    for name, hook in hooks.items():
        assert "program" not in inspect.signature(hook).parameters, name


def test_every_citation_is_a_structured_source(kit, make_case):
    citations = [v for v in vars(sources).values() if isinstance(v, Citation)]
    citations += [f.citation for f in sources.FIGURES]
    case = make_case(episode={"prescription": None}, claim={"benefits_assigned": None})
    citations += [r.citation for r in kit.price(case).reasons + kit.check(case).reasons
                  if r.code in plugin.CODES]  # payerkit's own reasons are the core's
    assert len(citations) > 25
    for citation in citations:
        assert citation_problems(citation) == [], citation


def test_every_answer_carries_a_citation(kit, make_case):
    case = make_case(episode={"prescription": None, "notice_date": None},
                     coverage={"claim_number": None}, claim={"benefits_assigned": None})
    result = kit.check(case)
    assert all(r.citation for r in result.reasons + result.requirements)
    assert all(r.citation for r in kit.price(case).reasons if r.code.startswith("NY-"))
    assert all(lim.citation for lim in kit.limits(case).limits)
    findings = [f for f in kit.scrub(case).findings if f.code.startswith(("NY-", "LATE-"))]
    assert findings and all(f.citation and f.path for f in findings)


def expectations(path: Path) -> dict[str, str]:
    """The ``# expect-status/errors/claim:`` header every example starts with."""
    return dict(re.findall(r"^# expect-(status|errors|claim):\s*(.+?)\s*$",
                           path.read_text(encoding="utf-8"), re.M))


def test_there_are_at_least_four_examples():
    if not EXAMPLES.is_dir():
        pytest.skip("examples/ is not beside this plugin (tested on its own)")
    assert {p.name for p in NY_EXAMPLES} >= {
        "ny-covered.toml", "ny-work-injury.toml", "ny-late-bill.toml", "ny-no-prescription.toml"}


@pytest.mark.parametrize("path", NY_EXAMPLES, ids=lambda p: p.name)
def test_example_outcome(kit, path, payerkit_data_dir):
    expect = expectations(path)
    assert set(expect) == {"status", "errors", "claim"}
    case = load_case(path)
    assert case.as_of is not None
    assert kit.check(case).status == expect["status"]
    errors = {f.code for f in kit.scrub(case).errors}
    if expect["errors"] == "none":
        assert errors == set()
    else:
        assert {code.strip() for code in expect["errors"].split(",")} <= errors
    if expect["claim"] == "yes":
        text = kit.claim(case, "x12-837p", options=OPTIONS).decode("ascii")
        assert semantic_errors_837p(text) == []
    else:
        with pytest.raises(ClaimRefused):
            kit.claim(case, "x12-837p", options=OPTIONS)


def test_covered_example_bills_at_the_sample_fee_ceiling_with_parity(kit):
    case = load_case(EXAMPLES / "ny-covered.toml") if EXAMPLES.is_dir() else pytest.skip()
    pricing = kit.price(case)
    assert pricing.total_allowed == pricing.total_charge == Decimal("67.91")
    assert all("SAMPLE" in line.fee_source for line in pricing.lines)
    assert kit.scrub(case).findings == ()


@pytest.fixture
def claim_text(kit, make_case):
    def write(**changes) -> list[list[str]]:
        case = make_case(**changes)
        return parse_segments(kit.claim(case, "x12-837p", options=OPTIONS).decode("ascii"))
    return write


def test_claim_carries_the_no_fault_elements(claim_text):
    segments = claim_text()
    by_tag = {}
    for seg in segments:
        by_tag.setdefault(seg[0], []).append(seg)
    referring = [s for s in by_tag["NM1"] if s[1] == "DN"]
    assert referring and referring[0][9] == "1245319599"  # the prescriber, loop 2310A
    assert ["REF", "Y4", "CLM7788990011"] in by_tag["REF"]
    assert by_tag["CLM"][0][11] == "AA:::NY"
    assert ["DTP", "439", "D8", "20260302"] in by_tag["DTP"]
    assert by_tag["SBR"][0][9] == "AM"


def test_claim_for_a_passenger_puts_the_claim_number_on_the_patient(claim_text):
    segments = claim_text(
        ny={"injured_person": "other", "vehicle": "insured"},
        subscriber={"relationship": "other", "first_name": "Samuel", "last_name": "Okafor",
                    "birth_date": dt.date(1968, 2, 14), "sex": "M",
                    "address": {"line1": "44 Elm St", "city": "Troy", "state": "NY",
                                "zip": "12180"}})
    tags = [s[0] + ("*" + s[1] if s[0] in ("NM1", "REF") else "") for s in segments]
    assert tags.index("NM1*QC") < tags.index("REF*Y4") < tags.index("NM1*DN")


def test_claim_validates_with_pyx12(kit, make_case):
    pytest.importorskip("pyx12")
    from payerkit.testing.x12 import validate_with_pyx12

    text = kit.claim(make_case(), "x12-837p", options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == []


def test_claim_without_claim_number_is_refused(kit, make_case):
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(make_case(coverage={"claim_number": None}), "x12-837p", options=OPTIONS)
    assert "NY-NO-CLAIM-NUMBER" in [f.code for f in refused.value.findings]

"""A batch's result line is written piece by piece (:class:`payerkit.output.JsonBytes`,
its kept strings, citations, reasons, amounts and terms): byte for byte what ``json.dumps``
of the documented shapes writes, whatever the text holds, whatever repeats."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from payerkit import PayerKit, load_case
from payerkit.batch import Item, _result, _result_shapes
from payerkit.model import (
    Citation,
    Eligibility,
    Finding,
    Limit,
    Limits,
    PaymentTerm,
    PaymentTerms,
    PricedLine,
    Pricing,
    Reason,
    Scrub,
)
from payerkit.output import (
    JSON,
    JsonBytes,
    eligibility_json,
    finding_json,
    limits_json,
    payment_terms_json,
    pricing_json,
    scrub_json,
    utf8,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: Text a message, a name or a citation may hold: quotes, backslashes, every control
#: character, separators JSON leaves alone, characters beyond the BMP, lone surrogates.
ODD = ['Zoë "quoted" \\ back\\slash', "tab\there\nnew line\r\x0b\x0c\x08", "\x00\x01\x1f\x7f",
       "\u2028\u2029 separators", "emoji 😀 𝄞", "é ü ß § —", "\udcff\ud800 lone", "", " "]


def shapes_of(result) -> list[tuple]:
    """(JsonBytes method, json shape) pairs for one result's own shape."""
    return [
        (JsonBytes.eligibility, eligibility_json),
        (JsonBytes.pricing, pricing_json),
        (JsonBytes.limits, limits_json),
        (JsonBytes.payment_terms, payment_terms_json),
        (JsonBytes.scrub, scrub_json),
    ][[Eligibility, Pricing, Limits, PaymentTerms, Scrub].index(type(result))]


def assert_same(writer: JsonBytes, result) -> None:
    method, shape = shapes_of(result)
    for _ in range(2):  # made, then kept
        out: list[bytes] = []
        returned = method(writer, result, out)
        assert b"".join(out) == utf8(JSON.encode(shape(result)))
        assert returned == (result.total_allowed if isinstance(result, Pricing) else None)


def citation(i: int) -> Citation:
    return Citation(ODD[i % len(ODD)] or "source", ODD[(i + 1) % len(ODD)] or None,
                    "sample" if i % 2 else "high", None if i % 3 else ODD[(i + 2) % len(ODD)])


def odd_results(i: int) -> list:
    text = ODD[i % len(ODD)]
    reasons = (Reason(f"CODE-{i}", text, citation(i)), Reason("X", text + "!", None, "warning"))
    line = PricedLine(dt.date(2026, 3, 1 + i % 28), text or "97124", (text, "GP") if i % 2 else (),
                      None if i % 4 == 0 else 8 + i, i % 5, Decimal("30.0") if i % 2 else
                      Decimal("0.00"), None if i % 3 == 0 else Decimal("-0"), text or None)
    return [
        Eligibility(text or "prog", "covered", reasons[:1], reasons),
        Pricing(text, (line, line), reasons),
        Pricing(text, ()),
        Limits(text, (Limit(text, "visits", None if i % 2 else 12, i, text, citation(i + 1)),
                      Limit(text, "rvu", Decimal("12.50"), Decimal("9.470"), text, None))),
        PaymentTerms(text, (PaymentTerm(text, text, citation(i), days=30 if i % 2 else None,
                                        share=Decimal("0.10") if i % 2 else None),)),
        Scrub(text, (Finding("error", f"F-{i}", text, text or None, citation(i)),
                     Finding("warning", "W", text, None, None))),
    ]


@pytest.mark.parametrize("i", range(len(ODD) * 2))
def test_odd_text_writes_as_json_dumps_does(i):
    writer = JsonBytes()
    for result in odd_results(i):
        assert_same(writer, result)


def test_what_is_kept_is_forgotten_at_the_bound_and_still_right():
    writer = JsonBytes()
    writer.KEPT = 5
    for i in range(40):
        for result in odd_results(i):
            assert_same(writer, result)
    assert all(len(kept) <= 5 + 1 for kept in vars(writer).values() if isinstance(kept, dict))


def test_values_of_other_types_write_as_json_dumps_does():
    """A plugin's bool, float or str subclass is written by json, never taken for the string,
    integer or amount it equals (``True == 1``), and never kept."""

    class Text(str):
        pass

    writer = JsonBytes()
    kept = [Reason("A", "1", None, None), Limits("p", (Limit("n", "visits", 1, 1, "w"),))]
    odd = [Reason("A", "1", None, True), Reason(Text("A"), Text("1"), None, None),
           Limits("p", (Limit("n", "visits", True, 1.5, "w"),)),
           Pricing("p", (PricedLine(dt.date(2026, 1, 2), "9", (), True, 1, Decimal(1),
                                    Decimal(1), 1.0),))]
    for result in [*kept, *odd, *kept]:
        if isinstance(result, Reason):
            assert writer.reasons([result]) == utf8(JSON.encode(
                [eligibility_json(Eligibility("p", "covered", (), (result,)))["reasons"][0]]))
        else:
            assert_same(writer, result)


@pytest.fixture(scope="module")
def evaluations():
    kit = PayerKit()
    found = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        for visits in (None, "all"):
            try:
                found.append((path, kit.evaluate(load_case(path), visits)))
            except Exception:  # noqa: BLE001 - a refused example is no result line
                continue
    return found


def test_every_example_result_line_equals_its_shapes(evaluations, payerkit_data_dir):
    for path, ev in evaluations * 2:  # made, then kept
        for item in (Item(str(path)), Item("cases.jsonl", 7, "{}")):
            for status, refused in (("written", ()), ("refused", ev.scrub.findings[:1])):
                line = _result(item, status, ev, refused)
                assert line == _result_shapes(item, status, ev, refused)
                assert json.loads(line + b"}")["scrub"]["findings"][len(ev.scrub.findings):] == \
                    [finding_json(f) for f in refused]


def test_a_value_that_cannot_be_looked_up_is_written_from_the_shapes(evaluations):
    """A list where a string belongs (a plugin's bug) cannot be kept: the line is the shapes'."""
    import attrs

    path, ev = evaluations[0]
    listed = attrs.evolve(ev.eligibility, reasons=(Reason("A", ["a", "list"], None),))
    ev = attrs.evolve(ev, eligibility=listed)
    line = _result(Item(str(path)), "written", ev)
    assert line == _result_shapes(Item(str(path)), "written", ev)
    assert json.loads(line + b"}")["eligibility"]["reasons"][0]["message"] == ["a", "list"]

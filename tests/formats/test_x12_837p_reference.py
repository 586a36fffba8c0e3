"""The 837P writer against a plain generator (``benchmarks/reference_837p.py``, the
benchmark's yardstick): for varied claims both write the same bytes, one claim per
interchange and many. And the writer's parts (what claims share, rendered once) change
nothing: a claim's bytes and findings are the same whatever was rendered before it.
Every person, practice, payer and number is invented."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import string
from decimal import Decimal
from pathlib import Path

from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit.formats import x12_837p
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.formats.x12 import clean, transliterated
from payerkit.formats.x12_837p import (
    check_837p,
    render_837p,
    text_changes_837p,
    text_fields_837p,
    write_837p,
    write_837p_interchange,
)
from payerkit.formats.x12_limits import text_size
from payerkit.model.case import Address, Person, Practitioner, Provider
from payerkit.model.claim import Claim, ClaimLine

_SPEC = importlib.util.spec_from_file_location(
    "reference_837p", Path(__file__).resolve().parents[2] / "benchmarks" / "reference_837p.py")
reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(reference)

NOW = dt.datetime(2026, 3, 9, 8, 5)
CONTROL = ControlNumbers(interchange=7001, group=7002, transaction=7003)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ------------------------------------------------------------------ claims the writer takes

#: Names and addresses: anything at all after two letters (odd unicode, emoji, delimiters,
#: control characters, very long), so that something is always left to write.
ODD = st.text(alphabet=st.one_of(st.sampled_from("*:^~\r\n\t  @#%&'-.,ß王ø\u200d🙂"),
                                 st.characters(blacklist_categories=("Cs",))), max_size=80)
NAME = st.builds(lambda a, b: f"Q{a}Z{b}", st.text(string.ascii_letters, max_size=3), ODD)
IDENTIFIER = st.text(string.ascii_letters + string.digits + "-./", min_size=2, max_size=20)
CODE = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=5)
DIAGNOSIS = st.builds(lambda a, b, c: f"{a}{b}.{c}" if c else f"{a}{b}",
                      st.sampled_from("MSGZ"), st.integers(10, 99).map(str),
                      st.text(string.ascii_uppercase + string.digits, max_size=4))
AMOUNT = st.one_of(st.integers(0, 10**7).map(lambda cents: Decimal(cents).scaleb(-2)),
                   st.integers(0, 5000).map(Decimal), st.sampled_from([Decimal("70"),
                                                                       Decimal("120.00")]))
SERVICE = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
ZIP5 = st.from_regex(r"[0-9]{5}", fullmatch=True)
ZIP9 = st.from_regex(r"[0-9]{5}-?[0-9]{4}", fullmatch=True)
NPI = st.from_regex(r"[0-9]{10}", fullmatch=True)
PHONE = st.sampled_from(["(518) 555-1234", "5185550000", "1-518-555-9876", "518.555.4321"])


def addresses(zip_=ZIP5):
    return st.builds(Address, line1=NAME, line2=st.one_of(st.none(), st.just(""), NAME),
                     city=NAME, state=st.sampled_from(["NY", "wa", "CT"]), zip=zip_)


PERSON = st.builds(Person, first_name=st.one_of(NAME, st.just("")), last_name=NAME,
                   birth_date=st.dates(dt.date(1930, 1, 1), dt.date(2019, 12, 31)),
                   sex=st.sampled_from("FMU"), address=addresses())
PRACTITIONER = st.builds(Practitioner, first_name=NAME, last_name=NAME, npi=NPI,
                         taxonomy=st.one_of(st.none(), st.just("225700000x")))
BILLING = st.one_of(
    st.builds(Provider, npi=NPI, tax_id=st.sampled_from(["12-3456789", "987654321"]),
              address=addresses(ZIP9), name=NAME, phone=PHONE,
              tax_id_type=st.sampled_from(["ein", "ssn"])),
    st.builds(Provider, npi=NPI, tax_id=st.just("123456789"), address=addresses(ZIP9),
              last_name=NAME, first_name=st.one_of(st.none(), NAME), phone=PHONE),
)


USAGE = st.sampled_from("TP")


@st.composite
def claims(draw, billing=BILLING, usage=USAGE, receiver_name=NAME):
    """Claims the 837P takes, of one sender and receiver id."""
    diagnoses = tuple(draw(st.lists(DIAGNOSIS, min_size=1, max_size=12)))
    place = draw(st.sampled_from(["11", "12"]))
    lines = tuple(draw(st.lists(st.builds(
        ClaimLine, date=SERVICE, code=CODE, units=st.integers(1, 96), charge=AMOUNT,
        pointers=st.lists(st.integers(1, len(diagnoses)), min_size=1, max_size=4),
        modifiers=st.lists(st.text(string.ascii_letters + string.digits, min_size=2,
                                   max_size=2), max_size=4),
        place_of_service=st.sampled_from([place, place, "02"]),
        control_number=st.one_of(st.none(), IDENTIFIER)), min_size=1, max_size=50)))
    first_day = min(line.date for line in lines)
    relation = draw(st.sampled_from(["self", "child", "spouse", "other", "employee"]))
    insured = draw(PERSON.filter(lambda p: p.birth_date <= first_day))
    patient = insured if relation == "self" else draw(
        PERSON.filter(lambda p: p.birth_date <= first_day))
    cause = draw(st.sampled_from([None, "auto", "employment", "other"]))
    frequency = draw(st.sampled_from("178"))
    billing = draw(billing)
    rendering = draw(st.one_of(st.none(), PRACTITIONER,
                               st.builds(Practitioner, first_name=NAME, last_name=NAME,
                                         npi=st.just(billing.npi))))
    return Claim(
        id=draw(IDENTIFIER), program_id="example", billing=billing, insured=insured,
        patient=patient, relation=relation, member_id=draw(IDENTIFIER),
        payer_name=draw(NAME), payer_id=draw(IDENTIFIER), filing_indicator="CI",
        diagnoses=diagnoses, lines=lines, place_of_service=place,
        group_number=draw(st.one_of(st.none(), IDENTIFIER)),
        property_casualty_claim_number=draw(st.one_of(st.none(), IDENTIFIER)),
        rendering=rendering, referring=draw(st.one_of(st.none(), PRACTITIONER)),
        related_cause=cause, accident_state="NY" if cause == "auto" else None,
        accident_date=None if cause is None else draw(st.dates(dt.date(2019, 1, 1),
                                                               first_day)),
        onset_date=draw(st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), first_day))),
        prior_authorization=draw(st.one_of(st.none(), IDENTIFIER)),
        sender_id="PAYERKITSUB", receiver_id="CLEARHOUSE01",
        receiver_name=draw(receiver_name), usage=draw(usage),
        provider_signature_on_file=draw(st.booleans()), accepts_assignment=draw(st.booleans()),
        benefits_assigned=draw(st.booleans()), release_of_information=draw(st.sampled_from("YI")),
        frequency=frequency,
        original_claim_number=None if frequency == "1" else draw(IDENTIFIER),
        employer=draw(NAME) if relation == "employee" else None,
    )


@SETTINGS
@given(claim=claims())
def test_one_claim_as_the_plain_generator_writes_it(claim):
    assert check_837p(claim) == []
    options = WriteOptions(CONTROL, NOW)
    expected = reference.claim_837p(claim, (CONTROL.interchange, CONTROL.group,
                                            CONTROL.transaction), NOW)
    assert write_837p(claim, options) == expected


@SETTINGS
@given(claim=claims())
def test_names_written_differently_are_the_ones_said(claim):
    """The warnings are those of each name :func:`text_fields_837p` lists: transliterated
    when more than case and spacing changed, cut when longer than its element."""
    expected = []
    for field, value in text_fields_837p(claim):
        whole = clean(value) if value else ""
        if whole:
            if transliterated(value):
                expected.append((field, "transliterated"))
            if len(whole) > text_size(field):
                expected.append((field, "cut"))
    assert text_changes_837p(claim) == expected
    assert [(f.path, f.code) for f in render_837p(claim).findings] == [
        (field, f"TEXT-{change.upper()}") for field, change in expected]


#: A few practices, so that claims share a 1000A submitter or a 2000A billing provider, or not.
PRACTICES = [
    Provider(npi="1234567893", tax_id="12-3456789", name="Serenity Massage LLC",
             address=Address(line1="100 Main St", city="Albany", state="NY", zip="12207-0001"),
             phone="(518) 555-1234"),
    Provider(npi="1555555550", tax_id="12-3456789", name="Serenity Massage LLC",
             address=Address(line1="7 Broadway", city="Saratoga Springs", state="NY",
                             zip="128660002"), phone="(518) 555-1234"),
    Provider(npi="1992999999", tax_id="987654321", last_name="Łukasz", first_name="Øster",
             tax_id_type="ssn", address=Address(line1="9 Elm St", city="Troy", state="NY",
                                                zip="121800001"), phone="5185559876"),
]


@SETTINGS
@given(batch=st.lists(claims(billing=st.sampled_from(PRACTICES), usage=st.just("P"),
                             receiver_name=st.sampled_from(["Example Clearinghouse", "Ｅx"])),
                      min_size=1, max_size=12),
       per_transaction=st.integers(1, 5))
def test_many_claims_as_the_plain_generator_writes_them(batch, per_transaction):
    expected = reference.interchange_837p(batch, itertools.count(40), NOW, per_transaction)
    written = write_837p_interchange(batch, itertools.count(40), NOW,
                                     claims_per_transaction=per_transaction)
    assert written == expected


# ------------------------------------------------------------------ parts change nothing


def _clear_parts() -> None:
    """Forget every part and cached value the writer made."""
    for value in vars(x12_837p).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def _mutations(claim: Claim) -> list[Claim]:
    """``claim`` and variants with problems and name changes, some in shared parts (the
    billing provider, its address), some in the claim's own values."""
    billing = claim.billing
    return [
        claim,
        evolve(claim, billing=evolve(billing, npi="12345")),
        evolve(claim, billing=evolve(billing, address=evolve(billing.address, zip="12207"))),
        evolve(claim, billing=evolve(billing, name="Søren's ### Massage " * 5)),
        evolve(claim, billing=evolve(billing, npi="1999999992",
                                     address=evolve(billing.address, zip="12207"))),
        evolve(claim, member_id="A*B", payer_name="###"),
        evolve(claim, patient=evolve(claim.patient, last_name="王小明"),
               insured=evolve(claim.insured, address=evolve(claim.insured.address,
                                                            city="~"))),
        evolve(claim, lines=(evolve(claim.lines[0], charge=Decimal("1.005"), pointers=(9,)),
                             *claim.lines[1:])),
        evolve(claim, diagnoses=("M54.*",), receiver_id=claim.payer_id,
               payer_id="bad id ", receiver_name=claim.payer_name),
    ]


def _rendered(claim: Claim) -> tuple:
    rendering = render_837p(claim)
    written = write_837p(claim, WriteOptions(CONTROL, NOW)) if rendering.clean else None
    return rendering.findings, check_837p(claim), text_changes_837p(claim), written


@settings(max_examples=15, deadline=None)
@given(order=st.permutations(range(27)))
def test_a_claim_renders_alike_whatever_came_before(auto_accident_claim,
                                                    commercial_dependent_claim,
                                                    workers_comp_claim, order):
    variants = [*_mutations(auto_accident_claim), *_mutations(commercial_dependent_claim),
                *_mutations(workers_comp_claim)]
    _clear_parts()
    alone = []
    for claim in variants:
        _clear_parts()
        alone.append(_rendered(claim))
    assert any(findings for findings, *_ in alone)
    for i in order:  # each after others, the parts they share made by another claim
        assert _rendered(variants[i]) == alone[i]
        assert _rendered(variants[i]) == alone[i]  # and again, every part made before

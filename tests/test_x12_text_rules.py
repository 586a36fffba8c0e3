"""X12 text through the whole kit (issue 6): identifiers refused with their case path, never
altered; names and addresses transliterated with a warning; scrub ⊇ writer (a clean scrub is
a written claim pyx12 accepts); the authorization number never echoed in findings or reasons."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
from case_samples import BASE_CASE, SampleAdapter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payerkit import ClaimRefused, PayerKit
from payerkit.errors import CaseError
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.io import load_case, structure_case
from payerkit.output import eligibility_json, limits_json, pricing_json, scrub_json
from payerkit.testing.x12 import parse_segments, semantic_errors_837p, validate_with_pyx12

OPTIONS = WriteOptions(ControlNumbers(7, 7, 7), dt.datetime(2026, 3, 20, 9, 0))
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.toml"))


@pytest.fixture
def kit(payerkit_data_dir):
    return PayerKit(entry_points=False, plugins=[SampleAdapter()])


def data_with(path: str, value) -> dict:
    """The sample case's data with the value at ``path`` (``patient.address.line1``) replaced."""
    data = copy.deepcopy(BASE_CASE)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        if "[" in key:
            name, index = key[:-1].split("[")
            node = node[name][int(index)]
        else:
            node = node.setdefault(key, {})
    node[last] = value
    return data


def errors(scrub) -> list[tuple[str, str | None]]:
    return [(f.code, f.path) for f in scrub.findings if f.severity == "error"]


def segs(text: str, tag: str) -> list[list[str]]:
    return [s for s in parse_segments(text) if s[0] == tag]


def written_or_refused(kit, case) -> str | None:
    """Scrub ⊇ writer: a clean scrub is a claim pyx12 accepts; a scrub with errors is refused.

    Returns the claim's text, or ``None`` when the scrub found errors (and the claim was refused
    for exactly those).
    """
    scrub = kit.scrub(case)
    if scrub.errors:
        with pytest.raises(ClaimRefused) as info:
            kit.claim(case, options=OPTIONS)
        assert {(f.code, f.path) for f in info.value.findings} <= set(errors(scrub))
        return None
    text = kit.claim(case, options=OPTIONS).decode("ascii")
    assert validate_with_pyx12(text) == [], text
    assert semantic_errors_837p(text) == [], text
    return text


# ------------------------------------------------------------------ identifiers


IDENTIFIERS = [
    ("coverage.member_id", "coverage.member_id"),
    ("claim.claim_id", "claim.claim_id"),
    ("coverage.payer_id", "coverage.payer_id"),
    ("coverage.group_number", "coverage.group_number"),
    ("claim.sender_id", "claim.sender_id"),
    ("claim.receiver_id", "claim.receiver_id"),
    ("provider.taxonomy", "provider.taxonomy"),
    ("rendering.taxonomy", "rendering.taxonomy"),
    ("episode.authorization.number", "episode.authorization.number"),
]


def _with_identifier(path: str, value: str) -> dict:
    data = data_with(path, value)
    if path.startswith("rendering."):
        data["rendering"].update(first_name="Rae", last_name="Ndering", npi="1992999999")
    if path.startswith("episode.authorization"):
        data["episode"]["authorization"].setdefault("start", dt.date(2026, 3, 1))
    return data


@pytest.mark.parametrize(("path", "case_path"), IDENTIFIERS)
@pytest.mark.parametrize("bad", ["NF2025*12:20~A", "AB^12", "ABÉ12", "AB@12", " AB12", "AB12 ",
                                 "ＡＢ12"])
def test_an_identifier_with_what_x12_cannot_carry_is_refused_with_its_path(kit, path, case_path,
                                                                           bad):
    """Issue 6: member id ``NF2025*12:20~A`` was written as ``NF2025 12 20 A``, a claim id
    ``a*b`` as ``A B``: a changed identifier is a claim for the wrong person."""
    case = structure_case(_with_identifier(path, bad))
    scrub = kit.scrub(case)
    found = [f for f in scrub.errors if f.path == case_path]
    assert [f.code for f in found] == ["FORMAT-LIMIT"], errors(scrub)
    assert bad.strip() not in found[0].message
    with pytest.raises(ClaimRefused) as info:
        kit.claim(case, options=OPTIONS)
    assert case_path in {f.path for f in info.value.findings}


def test_the_insurers_claim_number_is_refused_with_its_path(payerkit_data_dir):
    """``coverage.claim_number`` is written (REF*Y4) for no-fault: refused, not altered."""
    data = example_data("ny-covered")
    data["coverage"]["claim_number"] = "CL*77:1"
    scrub = PayerKit().scrub(structure_case(data, EXAMPLES_DIR))
    assert ("FORMAT-LIMIT", "coverage.claim_number") in errors(scrub)
    assert "CL*77:1" not in json.dumps(scrub_json(scrub))


def example_data(name: str) -> dict:
    return tomllib.loads((EXAMPLES_DIR / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("path", "value", "expected"), [
    ("visits[0].services[0].code", "97124*", "visits[0].services[0].code"),
    ("episode.diagnoses", ["M62.830*", "M54.50"], "episode.diagnoses[0]"),
    ("patient.address.state", "W*", "patient.address.state"),
])
def test_codes_are_refused_with_their_path(kit, path, value, expected):
    case = structure_case(data_with(path, value))
    assert expected in {p for _, p in errors(kit.scrub(case))}
    assert written_or_refused(kit, case) is None


def test_lower_case_identifiers_are_upper_cased_and_otherwise_kept(kit):
    data = data_with("coverage.member_id", "abc-123 456")
    data["claim"] = {"claim_id": "pk-0001"}
    text = written_or_refused(kit, structure_case(data))
    assert {s[1]: s for s in segs(text, "NM1")}["IL"][-1] == "ABC-123 456"
    assert segs(text, "CLM")[0][1] == "PK-0001"


# ------------------------------------------------------------------ names and addresses


def test_non_ascii_names_are_transliterated_with_a_warning(kit):
    """Issue 6: ``Søren Łukasz-Øberg`` was written ``S REN`` / ``UKASZ- BERG``."""
    data = copy.deepcopy(BASE_CASE)
    data["patient"].update(first_name="Søren", last_name="Łukasz-Øberg")
    data["patient"]["address"].update(line1="Königstraße 5", city="Zürich")
    case = structure_case(data)
    scrub = kit.scrub(case)
    warned = {f.path: f for f in scrub.findings if f.code == "TEXT-TRANSLITERATED"}
    assert set(warned) == {"patient.first_name", "patient.last_name", "patient.address.line1",
                           "patient.address.city"}
    for finding in warned.values():
        assert finding.severity == "warning"
        for value in ("Søren", "Łukasz", "Königstraße", "Zürich", "SOREN", "LUKASZ", "ZURICH"):
            assert value.upper() not in finding.message.upper()
    text = written_or_refused(kit, case)
    nm1 = {s[1]: s for s in segs(text, "NM1")}
    assert nm1["IL"][3:5] == ["LUKASZ-OBERG", "SOREN"]
    assert segs(text, "N3")[1] == ["N3", "KONIGSTRASSE 5"]
    assert segs(text, "N4")[1][1] == "ZURICH"


def test_a_cjk_name_is_romanised_not_dropped(kit):
    """Issue 6: a CJK first name silently disappeared."""
    data = copy.deepcopy(BASE_CASE)
    data["patient"].update(first_name="小明", last_name="王")
    case = structure_case(data)
    assert {f.path for f in kit.scrub(case).findings if f.code == "TEXT-TRANSLITERATED"} == {
        "patient.first_name", "patient.last_name"}
    text = written_or_refused(kit, case)
    assert {s[1]: s for s in segs(text, "NM1")}["IL"][3:5] == ["WANG", "XIAOMING"]


def test_plain_names_get_no_warning(kit):
    data = copy.deepcopy(BASE_CASE)
    data["patient"].update(first_name="mary  ann", last_name="o'brien-smith")
    assert not [f for f in kit.scrub(structure_case(data)).findings if f.code.startswith("TEXT")]


def test_a_long_name_is_cut_with_a_warning(kit):
    data = data_with("provider.name", "Invented Massage and Bodywork Therapy Associates of Seattle LLC")
    case = structure_case(data)
    cut = [f for f in kit.scrub(case).findings if f.code == "TEXT-CUT"]
    assert [(f.path, f.severity) for f in cut] == [("provider.name", "warning")]
    assert "60 characters" in cut[0].message
    written_or_refused(kit, case)


@pytest.mark.parametrize(("path", "value"), [
    ("patient.last_name", "🙂"), ("patient.last_name", "\U0001f1fa\U0001f1f8"),
    ("patient.first_name", "🙂"), ("patient.address.line1", "   "),
    ("patient.address.line2", "☺️"), ("patient.address.city", "*"), ("provider.name", "~^"),
    ("episode.prescription.prescriber.last_name", "\ue000"), ("coverage.insurer", "**"),
    ("claim.receiver_name", "🙂"),
])
def test_a_name_with_nothing_left_is_refused_with_its_path(kit, path, value):
    case = structure_case(data_with(path, value))
    assert ("FORMAT-LIMIT", path) in errors(kit.scrub(case))
    assert written_or_refused(kit, case) is None


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(("birth", "problem"), [
    (dt.date(1, 1, 1), "1900-01-01 to 2099-12-31"),      # was written; pyx12 rejects it
    (dt.date(1899, 12, 31), "1900-01-01 to 2099-12-31"),
    (dt.date(2030, 1, 1), "after the date of service"),   # in the future
    (dt.date(2026, 3, 13), "after the date of service"),  # before as_of, after the visit
])
def test_impossible_birth_dates_are_refused(kit, birth, problem):
    """Refused as input (exit 2) when the case file's limits catch it, else a scrub error:
    either way naming the field, and never written."""
    try:
        case = structure_case(data_with("patient.birth_date", birth))
    except CaseError as exc:
        assert [p for p in exc.problems if p.startswith("patient.birth_date:")]
        return
    found = [f for f in kit.scrub(case).errors if f.path == "patient.birth_date"]
    assert found and problem in found[0].message
    assert written_or_refused(kit, case) is None


def test_a_dependents_birth_date_names_the_patient(kit):
    data = copy.deepcopy(BASE_CASE)
    data["subscriber"] = {**copy.deepcopy(data["patient"]), "first_name": "Sub",
                          "relationship": "child"}
    data["patient"]["birth_date"] = dt.date(2026, 3, 15)   # after the visit, before as_of
    case = structure_case(data)
    paths = {p for _, p in errors(kit.scrub(case))}
    assert "patient.birth_date" in paths and "subscriber.birth_date" not in paths


# ------------------------------------------------------------------ scrub ⊇ writer


def _services(n):
    return [{"code": "97124", "minutes": 15, "diagnoses": [1]}] * n


HOSTILE = {
    "member id with delimiters": ("coverage.member_id", "NF2025*12:20~A"),
    "81-character member id": ("coverage.member_id", "A" * 81),
    "39-character claim id": ("claim.claim_id", "X" * 39),
    "16-character sender id": ("claim.sender_id", "S" * 16),
    "CJK last name": ("patient.last_name", "王"),
    "emoji last name": ("patient.last_name", "🙂"),
    "emoji first name": ("patient.first_name", "🙂"),
    "blank street line": ("patient.address.line1", " "),
    "non-ASCII street line 2": ("patient.address.line2", "Wohnung №5"),
    "one-letter city": ("patient.address.city", "Ö"),
    "birth 0001-01-01": ("patient.birth_date", dt.date(1, 1, 1)),
    "birth in the future": ("patient.birth_date", dt.date(2030, 6, 1)),
    "13 diagnoses": ("episode.diagnoses", ["M62.830"] * 13),
    "50 services": ("visits[0].services", _services(50)),
    "60 services": ("visits[0].services", _services(60)),
    "lower-case state": ("patient.address.state", "wa"),
    "state with a delimiter": ("patient.address.state", "W:"),
    "5-digit billing zip": ("provider.address.zip", "98101"),
    "short phone": ("provider.phone", "555-0100"),
    "phone in other digits": ("provider.phone", "٢٠٦٥٥٥٠١٠٠"),
    "tax id in other digits": ("provider.tax_id", "١٢٣٤٥٦٧٨٩"),
    "modifier with a delimiter": ("visits[0].services[0].modifiers", ["G*"]),
    "five modifiers": ("visits[0].services[0].modifiers", ["GP", "59", "GO", "KX", "XU"]),
    "group number with #": ("coverage.group_number", "GRP#5"),
    "empty group number": ("coverage.group_number", ""),
    "insurer in Greek": ("coverage.insurer", "Ασφάλεια"),
    "receiver name blank": ("claim.receiver_name", "  "),
    "sole practitioner billing": ("provider", {**BASE_CASE["provider"], "name": None}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_clean_scrub_is_a_claim_pyx12_accepts(kit, name):
    """Issue 6: an 81-character member id, a CJK last name, 60 services, a blank street line
    passed the scrub and the writer refused; a birth date of 0001-01-01 was written."""
    path, value = HOSTILE[name]
    data = data_with(path, value)
    if name == "sole practitioner billing":
        data["provider"] = {k: v for k, v in value.items() if v is not None}
        data["provider"].update(first_name="Ann", last_name="Løe")
    try:
        case = structure_case(data)
    except CaseError:
        return  # refused as input (exit 2), naming the field: nothing reaches the writer
    written_or_refused(kit, case)


NAMES = st.text(alphabet=st.one_of(st.sampled_from("*:^~ \t\n@#-'.aZé王🙂"), st.characters()),
                max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(last=NAMES, first=NAMES, line1=NAMES, member_id=NAMES, claim_id=NAMES, group=NAMES)
def test_scrub_and_writer_agree_on_arbitrary_text(kit, last, first, line1, member_id, claim_id,
                                                  group):
    data = copy.deepcopy(BASE_CASE)
    data["patient"].update(last_name=last, first_name=first)
    data["patient"]["address"]["line1"] = line1
    data["coverage"].update(member_id=member_id, group_number=group)
    data["claim"] = {"claim_id": claim_id}
    try:
        case = structure_case(data)
    except CaseError:
        return
    text = written_or_refused(kit, case)
    if text is not None:  # identifiers arrive exactly (upper-cased), or not at all
        assert {s[1]: s for s in segs(text, "NM1")}["IL"][-1] == member_id.upper()
        assert segs(text, "CLM")[0][1] == (claim_id.upper() if claim_id else segs(text, "CLM")[0][1])
        assert segs(text, "SBR")[0][3] == group.upper()


# ------------------------------------------------------------------ the authorization number


def _said(kit, case, limits: bool = False) -> str:
    """Every finding, reason and price (and with ``limits``, limit) for each visit, as JSON."""
    said = []
    for visit in case.visits:
        said.append(eligibility_json(kit.check(case, visit=visit.date)))
        said.append(pricing_json(kit.price(case, visit=visit.date)))
        said.append(scrub_json(kit.scrub(case, visit=visit.date)))
        if limits:
            said.append(limits_json(kit.limits(case, visit=visit.date)))
    return json.dumps(said, default=str)


def _authorization_variants(data: dict):
    """The case's authorization as it is, ending before the visits, and used up."""
    auth = data["episode"]["authorization"]
    first = min(v["date"] for v in data["visits"])
    for change in ({}, {"start": first - dt.timedelta(days=30), "end": first - dt.timedelta(days=1)},
                   {"visits": 1}):
        yield structure_case({**data, "episode": {**data["episode"],
                                                  "authorization": {**auth, **change}}},
                             EXAMPLES_DIR)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_finding_or_reason_echoes_the_authorization_number(payerkit_data_dir, path):
    """Issue 6: "authorization EVI0000123 does not cover ..." although the core's list of
    private fields covers ``episode.authorization.number``."""
    kit = PayerKit()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["episode"].setdefault("authorization", {"number": "ZQAUTH4711", "visits": 2})
    number = data["episode"]["authorization"]["number"]
    for case in _authorization_variants(data):
        said = _said(kit, case, limits=True)
        assert number.upper() not in said.upper()


def test_the_authorization_number_is_still_on_the_claim(payerkit_data_dir):
    kit = PayerKit()
    case = load_case(EXAMPLES_DIR / "premera-authorized.toml")
    text = kit.claim(case, options=OPTIONS).decode("ascii")
    assert ["REF", "G1", case.episode.authorization.number] in segs(text, "REF")
    assert "authorization on file" in _said(kit, case, limits=True)


def test_the_transliteration_library_is_a_core_dependency_with_a_permissive_licence():
    """anyascii (ISC), not Unidecode (GPL, which payerkit's MIT licence cannot take)."""
    import importlib.metadata

    requires = importlib.metadata.requires("payerkit") or []
    assert [r for r in requires if r.startswith("anyascii") and "extra" not in r]
    classifiers = importlib.metadata.metadata("anyascii").get_all("Classifier") or []
    assert "License :: OSI Approved :: ISC License (ISCL)" in classifiers
    assert not [r for r in requires if r.lower().startswith("unidecode")]


# ------------------------------------------------------------------ claim fields → case paths


@pytest.mark.parametrize(("claim_path", "submission", "expected"), [
    ("member_id", {}, "coverage.member_id"),
    ("id", {}, "claim.claim_id"),
    ("insured.birth_date", {}, "patient.birth_date"),
    ("lines[1].code", {}, "visits[0].services[1].code"),
    ("lines[1].pointers", {}, "visits[0].services[1].diagnoses"),
    ("lines[1].date", {}, "visits[0].date"),
    ("lines[0].place_of_service", {}, "visits[0].place_of_service"),
    ("place_of_service", {}, "visits[0].place_of_service"),
    ("total_charge", {}, "visits[0].services"),
    ("onset_date", {}, "episode.onset_date"),
    ("referring.first_name", {}, "episode.prescription.prescriber.first_name"),
    ("billing.address.line1", {}, "provider.address.line1"),
    ("receiver_id", {}, "coverage.payer_id"),
    ("receiver_id", {"receiver_id": "CLEARHOUSE"}, "claim.receiver_id"),
    ("sender_id", {}, "provider.npi"),
    ("sender_id", {"sender_id": "SUBMITTER1"}, "claim.sender_id"),
    ("receiver_name", {}, "coverage.insurer"),
    ("receiver_name", {"receiver_name": "Clearing House"}, "claim.receiver_name"),
])
def test_a_claim_field_names_the_case_field_to_correct(claim_path, submission, expected):
    from payerkit.claims import case_path

    data = copy.deepcopy(BASE_CASE)
    data["claim"] = submission
    case = structure_case(data)
    assert case_path(claim_path, case, case.visits[0]) == expected


def test_a_lone_surrogate_in_an_identifier_is_refused_not_a_crash(kit):
    """Issue 6: a lone surrogate in a JSON member id was a UnicodeEncodeError in claims.py.
    (Case files now refuse it as input; a case built in Python still reaches the claim.)"""
    import attrs

    case = structure_case(copy.deepcopy(BASE_CASE))
    case = attrs.evolve(case, coverage=attrs.evolve(case.coverage, member_id="AB\ud800CD"))
    assert ("FORMAT-LIMIT", "coverage.member_id") in errors(kit.scrub(case))
    with pytest.raises(ClaimRefused):
        kit.claim(case, options=OPTIONS)

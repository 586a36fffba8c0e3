"""Every authorization on file, to its last visit (issue 18): a limit each in every program, the
covering one on the claim (837P 2300 or 2400 REF*G1, CMS-1500 box 23, the superbill), and a
missed appointment's charge listed apart on the superbill as the patient's."""

from __future__ import annotations

import copy
import datetime as dt
import io

import attrs
import lxml.html
import pdfplumber
import pytest
from case_samples import BASE_CASE, SampleAdapter

from payerkit import PayerKit
from payerkit.errors import ClaimRefused
from payerkit.formats.options import WriteOptions
from payerkit.hookspecs import hookimpl
from payerkit.io import structure_case
from payerkit.rules import plans
from payerkit.testing.x12 import semantic_errors_837p, validate_with_pyx12

D = dt.date
OPTIONS = WriteOptions(now=dt.datetime(2026, 4, 2, 9, 0))
AS_OF = D(2026, 4, 1)
FIRST = {"number": "AUTH-ONE", "visits": 2, "start": D(2026, 3, 2), "end": D(2026, 3, 15)}
SECOND = {"number": "AUTH-TWO", "visits": 4, "start": D(2026, 3, 16), "end": D(2026, 4, 30)}


class Adapter(SampleAdapter):
    """The invented adapter, knowing nothing of authorizations, taking every claim format."""

    program = attrs.evolve(SampleAdapter.program, claim_formats=(
        "x12-837p", "cms-1500", "superbill", "superbill-html"))


@pytest.fixture
def kit(payerkit_data_dir):
    return PayerKit(entry_points=False, plugins=[Adapter()])


def visit(day: dt.date, attendance: str = "attended", **more) -> dict:
    return {"date": day, "attendance": attendance, **more,
            "services": [{"code": "97124", "minutes": 40, "diagnoses": [1, 2]}]}


def two_authorizations(*visits: dict, as_of: dt.date = AS_OF):
    data = copy.deepcopy(BASE_CASE)
    data["episode"] = {**data["episode"], "authorization": FIRST, "authorizations": [SECOND]}
    data["visits"] = list(visits) or [visit(D(2026, 3, 5)), visit(D(2026, 3, 12)),
                                      visit(D(2026, 3, 19)), visit(D(2026, 3, 26))]
    data["as_of"] = as_of
    return structure_case(data)


# -- the covering authorization ---------------------------------------------------------------


def test_the_covering_authorization_is_the_one_whose_dates_hold_the_day():
    case = two_authorizations()
    assert plans.covering_authorization(case, D(2026, 3, 5)).number == "AUTH-ONE"
    assert plans.covering_authorization(case, D(2026, 3, 19)).number == "AUTH-TWO"
    assert plans.covering_authorization(case, D(2026, 5, 1)) is None
    assert plans.authorization_path(case, case.episode.authorizations[0]) == \
        "episode.authorizations[0]"


def test_overlapping_authorizations_use_the_first_with_a_visit_left():
    case = two_authorizations(visit(D(2026, 3, 2)), visit(D(2026, 3, 3)), visit(D(2026, 3, 4)))
    overlapping = attrs.evolve(case.episode.authorizations[0], start=D(2026, 3, 1))
    case = attrs.evolve(case, episode=attrs.evolve(case.episode, authorizations=[overlapping]))
    assert plans.covering_authorization(case, D(2026, 3, 3)).number == "AUTH-ONE"
    assert plans.covering_authorization(case, D(2026, 3, 4)).number == "AUTH-TWO"  # 1 used up


def test_a_missed_appointment_uses_none_of_an_authorizations_visits():
    case = two_authorizations(visit(D(2026, 3, 5)), visit(D(2026, 3, 9), "no_show"),
                              visit(D(2026, 3, 12), "late_cancel"), visit(D(2026, 3, 13)))
    assert plans.authorization_used(case, case.episode.authorization, D(2026, 3, 13)) == 2


# -- a limit each, in every program -----------------------------------------------------------


def test_every_program_gets_a_limit_for_each_authorization_on_file(kit):
    limits = kit.limits(two_authorizations()).limits
    assert [lim.name for lim in limits] == ["test visits", "authorization 1", "authorization 2"]
    first, second = limits[1:]
    assert (first.allowed, first.used, first.remaining) == (2, 2, 0)
    assert (second.allowed, second.used, second.remaining) == (4, 2, 2)
    assert "expired" in first.window and "expires 2026-04-30 (35 day(s) left" in second.window
    assert first.citation == plans.AUTHORIZATIONS_ON_FILE


def test_no_authorization_no_limit(kit):
    case = two_authorizations()
    case = attrs.evolve(case, episode=attrs.evolve(case.episode, authorization=None,
                                                   authorizations=()))
    assert [lim.name for lim in kit.limits(case).limits] == ["test visits"]


def test_a_plugins_own_rows_are_kept_and_not_doubled(payerkit_data_dir):
    class Knows(Adapter):
        @hookimpl
        def payerkit_visit_limits(self, case, visit):
            return plans.authorization_limits(case, visit, plans.AUTHORIZATIONS_ON_FILE)[:1]

    kit = PayerKit(entry_points=False, plugins=[Knows()])
    names = [lim.name for lim in kit.limits(two_authorizations()).limits]
    assert names == ["authorization 1", "authorization 2"]


def test_running_out_is_a_warning_in_a_program_that_does_not_judge_authorizations(kit):
    over = two_authorizations(visit(D(2026, 3, 5)), visit(D(2026, 3, 9)), visit(D(2026, 3, 12)))
    found = {f.code: f for f in kit.scrub(over).findings}
    assert found[plans.AUTHORIZATION_VISITS_USED].severity == "warning"
    assert found[plans.AUTHORIZATION_VISITS_USED].path == "episode.authorization.visits"
    after = two_authorizations(visit(D(2026, 5, 4)), as_of=D(2026, 5, 5))
    assert kit.scrub(after).findings[0].code == plans.AUTHORIZATION_NOT_IN_FORCE
    before = two_authorizations(visit(D(2026, 3, 1)))  # before every one: the program says
    assert plans.AUTHORIZATION_NOT_IN_FORCE not in {f.code for f in kit.scrub(before).findings}
    assert not kit.scrub(two_authorizations()).errors


def test_premera_counts_the_covering_authorization_and_gives_each_row_once(payerkit_data_dir):
    kit = PayerKit()
    case = attrs.evolve(two_authorizations(), program="premera-wa")
    rows = [lim for lim in kit.limits(case).limits if lim.name.startswith("authorization")]
    assert [(r.name, r.used) for r in rows] == [("authorization 1", 2), ("authorization 2", 2)]
    assert all("Premera" in r.citation.source or "eviCore" in r.citation.source for r in rows)


# -- the claim carries the covering authorization ---------------------------------------------


def test_one_visit_carries_its_own_authorization_at_the_claim(kit):
    text = kit.claim(two_authorizations(), "x12-837p", options=OPTIONS).decode()
    assert "REF*G1*AUTH-TWO~" in text and "AUTH-ONE" not in text
    assert text.index("REF*G1*AUTH-TWO") < text.index("LX*1")  # 2300, not 2400


def test_lines_under_different_authorizations_carry_theirs(kit):
    case = two_authorizations()
    text = kit.claim(case, "x12-837p", visit=[D(2026, 3, 12), D(2026, 3, 19)],
                     options=OPTIONS).decode()
    head, _, lines = text.partition("LX*1")
    assert "REF*G1" not in head
    first, _, second = lines.partition("LX*2")
    assert "REF*G1*AUTH-ONE~" in first and "REF*G1*AUTH-TWO~" in second
    assert first.index("DTP*472") < first.index("REF*G1")
    assert validate_with_pyx12(text) == [] and semantic_errors_837p(text) == []


def test_cms1500_holds_one_authorization_in_box_23(kit):
    case = two_authorizations()
    assert kit.claim(case, "cms-1500", options=OPTIONS).startswith(b"%PDF")
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, "cms-1500", visit=[D(2026, 3, 12), D(2026, 3, 19)], options=OPTIONS)
    [error] = refused.value.findings
    assert "box 23 holds one" in error.message and error.path == "visits"


def test_superbill_names_each_authorization_with_its_dates(kit):
    case = two_authorizations()
    doc = lxml.html.document_fromstring(kit.claim(
        case, "superbill-html", visit=[D(2026, 3, 12), D(2026, 3, 19)], options=OPTIONS))
    said = [dd.text_content() for dd in doc.xpath("//dl[@class='referral']/dd")]
    assert "AUTH-ONE (services 03/12/2026)" in said and "AUTH-TWO (services 03/19/2026)" in said


# -- a missed appointment on the superbill -----------------------------------------------------


def test_the_superbill_lists_a_missed_appointment_apart_as_the_patients(kit):
    case = two_authorizations(visit(D(2026, 3, 19)), visit(D(2026, 3, 26), "no_show"))
    days = [D(2026, 3, 19), D(2026, 3, 26)]
    with pytest.raises(ClaimRefused) as refused:
        kit.claim(case, "x12-837p", visit=days, options=OPTIONS)
    assert [e.code for e in refused.value.findings] == [plans.MISSED_APPOINTMENT_BILLED]
    pages = pdfplumber.open(io.BytesIO(kit.claim(case, "superbill", visit=days,
                                                 options=OPTIONS))).pages
    text = pages[0].extract_text()
    title = "MISSED APPOINTMENT - THE PATIENT'S CHARGE, NOT BILLABLE TO INSURANCE"
    services, _, missed = text.partition(title)
    assert title in text
    assert "03/19/2026" in services and "03/26/2026" not in services
    assert "Total charges 90.00" in services and "Balance due 90.00" in services  # one visit
    assert "03/26/2026 No-show 97124" in missed
    assert "Patient's missed-appointment charges" in missed and "CR 5613" in missed
    assert missed.split("Patient's missed-appointment charges")[1].split()[0] == "90.00"
    html = lxml.html.document_fromstring(kit.claim(case, "superbill-html", visit=days,
                                                   options=OPTIONS))
    assert [tr.text_content().split()[0] for tr in html.xpath("//tr[@class='missed-line']")] \
        == ["03/26/2026"]
    assert [tr.text_content().split()[0] for tr in html.xpath("//tr[@class='line']")] == \
        ["03/19/2026"]

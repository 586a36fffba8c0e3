"""Washington insurance law as a rule set: applies to WA fully insured commercial plans only."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from payerkit import (
    PRIOR_AUTHORIZATION_REQUIRED,
    PROVIDER_CATEGORY_EXCLUDED,
    Citation,
    PayerKit,
    Program,
    hookimpl,
    not_covered,
    requirement,
    structure_case,
)
from payerkit.testing.conformance import AdapterSuite

import payerkit_wa_insurance_law.plugin as law

PLAN = Citation("Invented plan booklet (test)", "2026", "high")


class HostPlan:
    def __init__(self, program_id="wa-host-plan", state="WA", line="commercial",
                 excludes_lmt=False):
        self.program = Program(id=program_id, name="Invented WA plan", line_of_business=line,
                               states=(state,), payer_id="99999", payer_id_citation=PLAN,
                               sources=(PLAN,))
        self.excludes_lmt = excludes_lmt

    @hookimpl
    def payerkit_programs(self):
        return [self.program]

    @hookimpl
    def payerkit_outcomes(self, case, visit):
        found = []
        if self.excludes_lmt:
            found.append(not_covered(PROVIDER_CATEGORY_EXCLUDED, "massage therapists are not "
                                     "covered providers under this plan", PLAN, "provider"))
        auth = case.episode.authorization
        if auth is None or not auth.covers(visit.date):
            found.append(requirement(PRIOR_AUTHORIZATION_REQUIRED, "get prior authorization "
                                     "before the visit", PLAN, "episode.authorization"))
        return found

CASES = sorted((Path(__file__).parent / "cases").glob("*.toml"))
FIFTH = tomllib.loads((Path(__file__).parent / "cases" / "host-fifth-visit.toml").read_text(
    encoding="utf-8"))


class TestConformance(AdapterSuite):
    plugin = law
    cases = CASES
    hosts = [HostPlan(), HostPlan("wa-host-plan-lmt-excluded", excludes_lmt=True)]


def case(**changes):
    data = copy.deepcopy(FIFTH)
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            data[section][field] = value
        else:
            data[section] = value
    return structure_case(data)


def kits(*hosts):
    hosts = hosts or (HostPlan(),)
    return (PayerKit(entry_points=False, plugins=[*hosts, law], strict=True),
            PayerKit(entry_points=False, plugins=list(hosts), strict=True))


def codes(result):
    return {r.code for r in result.requirements + result.reasons}


def test_the_fifth_visit_of_a_new_episode_needs_no_prior_authorization(payerkit_data_dir):
    with_law, without = kits()
    assert without.check(case()).status == "action_required"
    result = with_law.check(case())
    assert result.status == "covered"
    assert {"WA-NO-PRIOR-AUTHORIZATION", "WA-SIX-VISITS", "WA-EVERY-CATEGORY"} <= codes(result)
    assert not with_law.scrub(case()).errors and without.scrub(case()).errors


def test_the_seventh_visit_needs_it_again(payerkit_data_dir):
    with_law, _ = kits()
    visits = FIFTH["visits"] + [{"date": dt.date(2026, 3, 26), "services": [
        {"code": "97124", "minutes": 30}]}, {"date": dt.date(2026, 4, 2), "services": [
            {"code": "97124", "minutes": 30}]}]
    seventh = case(visits=visits)
    assert with_law.check(seventh, dt.date(2026, 3, 26)).status == "covered"  # the sixth
    result = with_law.check(seventh)
    assert result.status == "action_required"
    assert "PRIOR-AUTHORIZATION-REQUIRED" in codes(result)


def test_a_gap_of_more_than_90_days_starts_a_new_episode(payerkit_data_dir):
    with_law, _ = kits()
    visits = [{"date": dt.date(2025, 6, 1) + dt.timedelta(days=7 * i), "services": [
        {"code": "97124", "minutes": 30}]} for i in range(8)] + FIFTH["visits"]
    result = with_law.check(case(visits=visits))
    assert result.status == "covered"  # the first eight visits ended more than 90 days before


def test_before_june_7_2018_the_law_did_not_apply(payerkit_data_dir):
    with_law, _ = kits()
    old = [{"date": dt.date(2018, 6, 6), "services": [{"code": "97124", "minutes": 30}]}]
    result = with_law.check(case(visits=old, episode__onset_date=dt.date(2018, 6, 1),
                                 as_of=dt.date(2018, 6, 10)))
    assert result.status == "action_required" and "WA-SIX-VISITS" not in codes(result)


def test_a_self_funded_plan_is_untouched(payerkit_data_dir):
    with_law, without = kits()
    self_funded = case(coverage={**FIFTH["coverage"], "funding": "self_funded"})
    assert with_law.check(self_funded) == without.check(self_funded)
    assert with_law.payment_terms(self_funded).terms == ()


def test_other_states_and_lines_are_untouched(payerkit_data_dir):
    for host in (HostPlan("or-plan", state="OR"), HostPlan("wa-auto", line="auto")):
        with_law, without = kits(host)
        other = case(program=host.program.id)
        assert with_law.check(other) == without.check(other)


def test_an_exclusion_of_massage_therapists_is_overridden(payerkit_data_dir):
    with_law, without = kits(HostPlan(excludes_lmt=True))
    assert without.check(case()).status == "not_covered"
    result = with_law.check(case())
    assert result.status == "covered" and "WA-EVERY-CATEGORY-OVERRIDE" in codes(result)


def test_prompt_pay_terms(payerkit_data_dir):
    with_law, without = kits()
    terms = {t.name: t for t in with_law.payment_terms(case()).terms}
    assert (terms["clean claims paid"].days, terms["clean claims paid"].share) == (
        30, Decimal("0.95"))
    assert terms["all claims decided"].days == 60
    interest = terms["interest on late clean claims"]
    assert (interest.interest_per_month, interest.interest_after_days) == (Decimal("0.01"), 61)
    assert without.payment_terms(case()).terms == ()


def test_unknown_funding_applies_the_law_with_a_caution(payerkit_data_dir):
    with_law, _ = kits()
    result = with_law.check(case(coverage={"member_id": "WAH123456789"}))
    assert result.status == "covered"
    assert "PLAN-FUNDING-UNKNOWN" in codes(result)


@pytest.mark.parametrize("installed", [True])
def test_installed_plugin_is_discovered_and_listed(installed, payerkit_data_dir):
    kit = PayerKit(strict=True)
    [rule_set] = [rs for rs in kit.rule_sets() if rs.id == "wa-insurance-law"]
    assert rule_set.scope == "WA commercial, fully insured"
    [entry] = [p for p in kit.plugins() if p.rule_sets]
    assert entry.info.distribution == "payerkit-wa-insurance-law" and entry.programs == ()


def test_limits_show_the_laws_review_window_when_the_payer_gives_none(payerkit_data_dir):
    """The host plan states no limit: the law's six visits are the clerk's review window."""
    with_law, without = kits()
    assert without.limits(case()).limits == ()
    [row] = with_law.limits(case()).limits
    assert (row.name, row.unit, row.allowed, row.used, row.remaining) == (
        "visits before review", "visits", 6, 5, 1)
    assert row.citation == CURRENT and "new episode of care, since" in row.window
    self_funded = case(coverage={**FIFTH["coverage"], "funding": "self_funded"})
    assert with_law.limits(self_funded).limits == ()


class WindowPlan(HostPlan):
    """A plan stating its own review window of ``allowed`` visits, with its own citation."""

    def __init__(self, allowed):
        super().__init__()
        self.allowed = allowed

    @hookimpl
    def payerkit_visit_limits(self, case, visit):
        from payerkit.rules.limits import review_window
        return [review_window(self.allowed, len(case.visits), "the plan's episode", PLAN)]


CURRENT = law.FIGURES.get("pa_free_treatment_visits", dt.date(2026, 1, 1)).citation


@pytest.mark.parametrize(("allowed", "source"), [(6, PLAN), (8, PLAN), (4, CURRENT)])
def test_one_review_window_row_with_the_payers_own(payerkit_data_dir, allowed, source):
    """The payer's window and the law's floor make one row: the one leaving more visits (the
    payer's on a tie, with its source)."""
    with_law, _ = kits(WindowPlan(allowed))
    [row] = with_law.limits(case()).limits
    assert row.citation == source and row.allowed == max(allowed, 6)


# -- citations: the text in force on the date of service ------------------------------------------


@pytest.mark.parametrize(("day", "act", "confidence"), [
    (dt.date(2019, 3, 1), "ESSB 6157", "high"), (dt.date(2020, 6, 10), "ESSB 6157", "high"),
    (dt.date(2020, 6, 11), "2ESB 5887 (Laws of 2020, ch. 193)", "medium"),
    (dt.date(2026, 2, 2), "2ESB 5887 (Laws of 2020, ch. 193)", "medium")])
def test_rcw_48_43_016_is_cited_as_in_force_on_the_date_of_service(payerkit_data_dir, day, act,
                                                                   confidence):
    with_law, _ = kits()
    one = case(visits=[{"date": day, "services": [{"code": "97124", "minutes": 30}]}],
               episode__onset_date=day - dt.timedelta(days=3), as_of=day + dt.timedelta(days=2))
    result = with_law.check(one)
    [six] = [r for r in result.reasons if r.code == "WA-SIX-VISITS"]
    assert act in six.citation.source and six.citation.confidence == confidence
    assert "as enacted by" not in six.citation.source
    [lawful] = [r for r in result.reasons if r.code == "WA-NO-PRIOR-AUTHORIZATION"]
    assert lawful.citation == six.citation
    # an edition not seen in full is said so: a warning to verify, never silence
    assert (lawful.severity == "warning") is (confidence != "high")
    assert result.status == "covered"


def test_every_edition_of_the_six_visits_is_dated_and_in_the_rule_sets_sources():
    editions = law.FIGURES.by_name["pa_free_treatment_visits"]
    assert [(f.effective_from, f.effective_to) for f in editions] == [
        (dt.date(2018, 6, 7), dt.date(2020, 6, 10)), (dt.date(2020, 6, 11), None)]
    assert {f.citation for f in editions} <= set(law.RULE_SET.sources)
    episodes = law.FIGURES.by_name["new_episode_days"]
    assert [f.effective_from for f in episodes] == [f.effective_from for f in editions]


def test_the_interest_is_owed_only_while_the_carrier_misses_the_standard(payerkit_data_dir):
    with_law, _ = kits()
    interest = {t.name: t for t in with_law.payment_terms(case()).terms}[
        "interest on late clean claims"]
    assert interest.description.startswith("only while the carrier misses the 95")
    assert "owed only while the carrier misses the standard" in interest.citation.source

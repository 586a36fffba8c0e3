"""The template adapter's hooks. Keep this module small: figures in data/figures.toml,
rules composed from payerkit.rules, one citation beside every figure.

payerkit asks these hooks only about this plugin's own program: no hook checks
which program it is asked about.
"""

from __future__ import annotations

from importlib.resources import files

from payerkit import (
    Citation,
    Deadline,
    Limit,
    Program,
    hookimpl,
    load_figures,
    note,
    requirement,
    visit_path,
)
from payerkit.formats import X12_837P
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.limits import count_in_benefit_year
from payerkit.rules.units import CMS_8_MINUTE

FIGURES = load_figures(__package__)
SAMPLE = Citation("payerkit template adapter: invented SAMPLE rule", "template",
                  confidence="sample")
FEES = FeeSchedule.from_csv(
    files(__package__) / "data" / "fees.csv",
    Citation("payerkit template: SAMPLE fee schedule (data/fees.csv)", "2026",
             confidence="sample"))

PROGRAM = Program(
    id="example-adapter",
    name="Example payer program (template)",
    line_of_business="commercial",
    states=("WA",),
    claim_formats=(X12_837P,),
    # the payer's own rule on the claims it takes (electronic only? paper when?): cite it
    claim_formats_citation=SAMPLE,
    sources=(SAMPLE,),
    payer_id=FIGURES.get("payer_id").value,
    payer_id_citation=FIGURES.get("payer_id").citation,
)


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): the
#: conformance suite wants a case reaching each one (docs/hooks.md, Conformance).
CODES = frozenset({
    "EXAMPLE-COVERED", "EXAMPLE-RX",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case):
    """One list feeds both `check` and `scrub`."""
    if case.episode.prescription is None:
        return [requirement("EXAMPLE-RX", "get a prescription before billing", SAMPLE,
                            "episode.prescription")]
    return [note("EXAMPLE-COVERED", "prescribed care is covered", SAMPLE)]


@hookimpl
def payerkit_units():
    return CMS_8_MINUTE


@hookimpl
def payerkit_fee_schedule():
    return FEES


@hookimpl
def payerkit_visit_limits(case, visit):
    limit = FIGURES.get("visits_per_year", visit.date)
    used = count_in_benefit_year(case.visits, visit.date) + case.coverage.visits_used_elsewhere
    return [Limit("visits per calendar year", "visits", limit.integer, used,
                  f"calendar year {visit.date.year}", limit.citation)]


@hookimpl
def payerkit_filing_deadline(case, visit):
    days = FIGURES.get("filing_days", visit.date)
    return [Deadline("claim submission", "service", visit.date, days.integer, days.citation,
                     path=visit_path(case, visit, "date"))]

"""The template adapter's hooks. Keep this module small: data in data/, rules composed
from payerkit.rules, one citation beside every figure."""

from __future__ import annotations

from importlib.resources import files

from payerkit.hookspecs import hookimpl
from payerkit.model import Citation, Deadline, Eligibility, Finding, Limit, Program, Reason
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.limits import count_in_benefit_year
from payerkit.rules.units import CMS_8_MINUTE

# Every figure below is a SAMPLE with no public source: confidence="sample" makes
# payerkit say so in its output. Replace each with the payer's text and edition.
SAMPLE = Citation("payerkit template adapter: invented SAMPLE rule", "template",
                  confidence="sample")
FEES_CITATION = Citation("payerkit template: SAMPLE fee schedule (data/fees.csv)", "2026",
                         confidence="sample")
FILING_DAYS = 90          # SAMPLE
VISITS_PER_YEAR = 20      # SAMPLE

PROGRAM = Program(
    id="example-adapter",
    name="Example payer program (template)",
    line_of_business="commercial",
    states=("WA",),
    claim_formats=("x12-837p",),
    sources=(SAMPLE,),
)


def _mine(program) -> bool:
    return program.id == PROGRAM.id


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_eligibility(program, case):
    if not _mine(program):
        return None
    if case.episode.prescription is None:
        return Eligibility(program.id, "action_required", requirements=[
            Reason("EXAMPLE-RX", "get a prescription before billing", SAMPLE)])
    return Eligibility(program.id, "covered", reasons=[
        Reason("EXAMPLE-COVERED", "prescribed care is covered", SAMPLE)])


@hookimpl
def payerkit_units(program, case):
    return CMS_8_MINUTE if _mine(program) else None


@hookimpl
def payerkit_fee_schedule(program, case):
    if not _mine(program):
        return None
    return FeeSchedule.from_csv(files(__package__) / "data" / "fees.csv", FEES_CITATION)


@hookimpl
def payerkit_visit_limits(program, case):
    if not _mine(program):
        return None
    on = case.visits[-1].date
    used = count_in_benefit_year(case.visits, on) + case.coverage.visits_used_elsewhere
    return [Limit("visits per calendar year", "visits", VISITS_PER_YEAR, used,
                  f"calendar year {on.year}", SAMPLE)]


@hookimpl
def payerkit_filing_deadline(program, case, visit):
    if not _mine(program):
        return None
    return [Deadline("claim submission", "service", visit.date, FILING_DAYS, SAMPLE,
                     path=f"visits[{case.visits.index(visit)}].date")]


@hookimpl
def payerkit_scrub(program, case, visit, pricing):
    if not _mine(program):
        return []
    if not case.episode.prescription:
        return [Finding("error", "EXAMPLE-RX", "a prescription is required",
                        "episode.prescription", SAMPLE)]
    return []

"""The Uniform Medical Plan (Washington State PEBB/SEBB, self-insured, administered by Regence).

* **Massage visits per calendar year**: 24 from 2024 (the 2024 certificate of coverage), 16
  before (the 2020 documents); the year of the change is not confirmed, so the figures file
  keeps one edition per period with its own confidence. ``[facts.ump]
  massage_visits_per_year`` overrides it for a plan that says otherwise.
* **UMP's counting rules** (HCA, "Limited benefit"): every massage visit of the calendar year
  counts, whoever paid it — visits applied to the deductible and visits paid by a primary plan
  count too; visits with other providers go in ``coverage.visits_used_elsewhere``. A visit
  counts by its codes, not the provider type: one with massage (97124, 97140) counts against
  the massage limit, and one that also carries another limited benefit's code (physical
  therapy, manipulation, acupuncture) counts against both. Over the limit: not covered (UMP
  makes no exceptions), as strong as the figure's citation: action required to verify for the
  2024 figure (medium), a warning for an assumed year (low), not covered for the member's own
  limit the case gives.
* **Prescription required**; massage is **not in UMP's eviCore Physical Medicine program**, so
  no notification.

The program (:data:`PROGRAM`) carries its adapter, an :class:`Ump`.
"""

from __future__ import annotations

import attrs
from payerkit import (
    Case,
    Citation,
    Limit,
    Outcome,
    Program,
    Visit,
    caution,
    hookimpl,
    not_covered,
    note,
    visit_path,
)
from payerkit.formats import SUPERBILL, SUPERBILL_HTML, X12_837P
from payerkit.rules.limits import count_between

from . import common
from . import sources as src
from .codes import OTHER_THERAPY, in_ranges
from .facts import UmpFacts, ump_problems


class Ump(common.Plan):
    """The adapter of the Uniform Medical Plan: UMP's benefit rules; its facts are
    :class:`UmpFacts`."""

    def problems(self, at: str, case: Case, facts: UmpFacts) -> list[str]:
        return ump_problems(at, case, facts)

    @hookimpl
    def payerkit_outcomes(self, program, case, visit, facts):
        return outcomes(program, case, visit, self.checked(program, case, facts))

    @hookimpl
    def payerkit_visit_limits(self, program, case, visit, facts):
        return limits(program, case, visit, self.checked(program, case, facts))


def _program() -> Program:
    payer = src.FIGURES.get("payer_id.ump")
    guide = attrs.evolve(src.LMP_GUIDE, edition=f"{src.LMP_GUIDE.edition}; Regence BlueShield's "
                         "Washington manual applied to UMP, which Regence BlueShield administers "
                         "(not confirmed for UMP)", confidence="medium")
    return Program(
        id="ump", name="Uniform Medical Plan (Washington PEBB/SEBB, administered by Regence "
        "BlueShield)", line_of_business="commercial", states=("WA",),
        claim_formats=(X12_837P, SUPERBILL, SUPERBILL_HTML), filing_indicator="BL",
        payer_id=payer.value, claim_formats_citation=src.UMP_CLAIM_FORMATS,
        payer_id_citation=payer.citation, facts=UmpFacts, adapter=Ump(guide),
        # the state's self-insured employee plan (RCW 41.05): no carrier law of RCW 48.43 applies
        funding="self_funded",
        sources=(src.UMP_ADMINISTERED, *(f.citation for f in src.FIGURES.by_name["ump_massage_visits"]),
                 src.UMP_LIMITED_BENEFIT, src.UMP_PRESCRIPTION, src.UMP_NOT_IN_PHYSICAL_MEDICINE,
                 src.FIGURES.get("ump_massage_codes").citation, guide, src.FEES_NOT_PUBLIC,
                 src.UNITS_DEFAULT, src.FILING_UNKNOWN, src.UMP_FILING_INDICATOR, payer.citation,
                 src.UMP_CLAIM_FORMATS))


def massage_codes() -> frozenset[str]:
    return frozenset(c.strip() for c in str(src.FIGURES.get("ump_massage_codes").value).split(","))


def is_massage_visit(visit: Visit) -> bool:
    return any(s.code in massage_codes() for s in visit.services)


def other_limited_codes(visit: Visit) -> list[str]:
    """Codes of the visit UMP counts under another limited benefit than massage."""
    codes = massage_codes()
    return list(dict.fromkeys(s.code for s in visit.services
                              if s.code not in codes and in_ranges(s.code, OTHER_THERAPY)))


def limit_figure(program: Program, visit: Visit, facts: UmpFacts) -> tuple[int, Citation]:
    """The massage visits a year for the visit's year, with the citation of where it comes from."""
    if facts.massage_visits_per_year is not None:
        return facts.massage_visits_per_year, Citation(
            f"the member's UMP plan: {facts.massage_visits_per_year} massage visits a calendar "
            f"year, as the case sets in [facts.{program.id}] massage_visits_per_year",
            confidence="practice")
    figure = src.FIGURES.get("ump_massage_visits", visit.date)
    return figure.integer, figure.citation


def massage_used(case: Case, visit: Visit) -> int:
    """Massage visits of the visit's calendar year up to it, plus those had elsewhere."""
    start = visit.date.replace(month=1, day=1)
    here = [v for v in case.visits if is_massage_visit(v)]
    return count_between(here, start, visit.date) + case.coverage.visits_used_elsewhere


def outcomes(program: Program, case: Case, visit: Visit, facts: UmpFacts) -> list[Outcome]:
    found = [
        note("UMP-COVERED-DIAGNOSES", "UMP covers massage therapy for covered diagnoses with a "
             "prescription, up to a number of visits each calendar year", src.UMP_PRESCRIPTION,
             "episode.diagnoses"),
        common.prescription(case, visit, src.UMP_PRESCRIPTION, "UMP",
                            "UMP requires a prescription for massage therapy"),
        note("UMP-NO-NOTIFICATION", "massage is not in UMP's Physical Medicine (eviCore) "
             "program: no eviCore notification or authorization is needed for it",
             src.UMP_NOT_IN_PHYSICAL_MEDICINE),
        *_limit_outcomes(program, case, visit, facts),
        common.payer_id(program, case),
    ]
    filing = common.filing_outcome(program, facts.filing_limit_days)
    if filing is not None:
        found.append(filing)
    return found


def _limit_outcomes(program: Program, case: Case, visit: Visit, facts: UmpFacts) -> list[Outcome]:
    allowed, cited = limit_figure(program, visit, facts)
    used, year = massage_used(case, visit), visit.date.year
    others = other_limited_codes(visit)
    path = "visits"
    found: list[Outcome] = []
    if not is_massage_visit(visit):
        found.append(note("UMP-NOT-A-MASSAGE-VISIT", f"the visit on {visit.date.isoformat()} "
                          f"carries no massage code ({', '.join(sorted(massage_codes()))}): it "
                          "does not count against the massage limit", src.UMP_LIMITED_BENEFIT,
                          path))
    elif used > allowed:
        # UMP admits no exceptions: not covered when the figure is confirmed; payerkit's settle
        # makes a medium figure "action required, verify" and an assumed (low) one a warning
        found.append(not_covered("UMP-MASSAGE-LIMIT-REACHED", f"this is massage visit {used} "
                                 f"of {year}, over UMP's {allowed} a calendar year: UMP makes "
                                 "no exceptions to the limit, even when the visits are "
                                 "medically necessary, so expect the visit to be denied "
                                 "(visits applied to the deductible or paid by a primary plan "
                                 "count too)",
                                 cited, visit_path(case, visit)))
    else:
        found.append(note("UMP-MASSAGE-VISITS", f"massage visit {used} of {allowed} in {year} "
                          "(visits applied to the deductible or paid by a primary plan count "
                          "too)", cited, path))
    if others:
        both = (" and, as it also carries massage, against the massage limit: both limits"
                if is_massage_visit(visit) else "")
        found.append(caution("UMP-OTHER-LIMITED-BENEFIT", f"the visit on "
                             f"{visit.date.isoformat()} carries {', '.join(others)}, which UMP "
                             "counts by code (not by provider type) under another limited "
                             f"benefit (therapy, manipulation or acupuncture){both} are used",
                             src.UMP_LIMITED_BENEFIT, visit_path(case, visit, "services")))
    return found


def limits(program: Program, case: Case, visit: Visit, facts: UmpFacts) -> list[Limit]:
    allowed, cited = limit_figure(program, visit, facts)
    return [Limit("UMP massage therapy visits", "visits", allowed, massage_used(case, visit),
                  f"calendar year {visit.date.year} (visits with {', '.join(sorted(massage_codes()))}; "
                  "deductible and primary-plan visits count; coverage.visits_used_elsewhere "
                  "added)", cited),
            *common.prescribed_visits(case, visit)]


#: The Uniform Medical Plan, carrying its adapter.
PROGRAM = _program()

"""payerkit hooks for ``fl-pip``, Florida personal injury protection (motor vehicle no-fault).

payerkit asks these hooks only about this plugin's own program. What it answers:

* From **2013-01-01** (date of service) PIP medical benefits exclude **massage** (CPT 97124),
  whoever gives it, and a **licensed massage therapist** (the billing provider's or the
  rendering practitioner's taxonomy 225700000X) is not reimbursed for any service: the visit is
  **not covered**, with the reason and the date. Massage billed with other care by another
  provider: the massage line must come off the claim (a requirement).
* Before 2013-01-01: no rule is encoded: "verify with the insurer".
* Other care by other providers is outside this adapter ("verify"), with a caution when the
  first visit recorded is more than 14 days after the accident (initial treatment within 14
  days, a rule seen only in a summary).
"""

from __future__ import annotations

import datetime as dt

from payerkit import (
    Case,
    Outcome,
    Program,
    Reason,
    Visit,
    caution,
    hookimpl,
    not_covered,
    requirement,
    visit_path,
)
from payerkit.formats import SUPERBILL, SUPERBILL_HTML
from payerkit.rules.fees import FeeSchedule

from . import sources
from .sources import FIGURES, MASSAGE, MASSAGE_THERAPIST

PROGRAM = Program(
    id="fl-pip",
    name="Florida personal injury protection (PIP), Fla. Stat. § 627.736",
    line_of_business="auto",
    states=("FL",),
    claim_formats=(SUPERBILL, SUPERBILL_HTML),
    claim_formats_citation=sources.CLAIM_FORMATS,
    sources=(sources.EXCLUSION, sources.INITIAL_TREATMENT, sources.CODES),
)


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): each is
#: reached by a case in tests/cases.
CODES = frozenset({
    "FL-PIP-BEFORE-2013", "FL-PIP-INITIAL-TREATMENT", "FL-PIP-LMT-NOT-REIMBURSABLE",
    "FL-PIP-MASSAGE-EXCLUDED", "FL-PIP-NO-FEES", "FL-PIP-NOT-ENCODED",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case, visit):
    excluded = FIGURES.find("massage_exclusion", visit.date)
    if excluded is None:
        return [requirement(
            "FL-PIP-BEFORE-2013", f"the visit of {visit.date.isoformat()} is before 2013-01-01, "
            "when PIP's exclusion of massage and of licensed massage therapists began; payerkit "
            "encodes no earlier PIP rule: verify with the insurer", sources.BEFORE_EXCLUSION,
            visit_path(case, visit, "date"))]
    therapist = _massage_therapist(case)
    if therapist is not None:
        return [not_covered(
            "FL-PIP-LMT-NOT-REIMBURSABLE", "Florida PIP does not reimburse a licensed massage "
            f"therapist for any service on or after {excluded.effective_from.isoformat()} "
            "(Fla. Stat. § 627.736(1)(a)5., as amended in 2012): the insurer pays nothing for "
            "this visit", excluded.citation, therapist)]
    massage = [j for j, s in enumerate(visit.services) if s.code == MASSAGE]
    if massage:
        return _massage_by_another(case, visit, massage, excluded.citation)
    return _outside_scope(case, visit)


def _massage_therapist(case: Case) -> str | None:
    """The field saying a massage therapist billed or gave the care, if one does."""
    if case.rendering is not None and case.rendering.taxonomy == MASSAGE_THERAPIST:
        return "rendering.taxonomy"
    return "provider.taxonomy" if case.provider.taxonomy == MASSAGE_THERAPIST else None


def _massage_by_another(case: Case, visit: Visit, lines: list[int], cited) -> list[Outcome]:
    """Massage (97124) is excluded whoever gives it: the visit, or its massage lines."""
    path = visit_path(case, visit, "services", lines[0], "code")
    if len(lines) == len(visit.services):
        return [not_covered(
            "FL-PIP-MASSAGE-EXCLUDED", "Florida PIP excludes massage (CPT 97124), whoever gives "
            "it, for services on or after 2013-01-01: the insurer pays nothing for this visit",
            cited, path)]
    return [requirement(
        "FL-PIP-MASSAGE-EXCLUDED", "Florida PIP excludes massage (CPT 97124), whoever gives it, "
        "for services on or after 2013-01-01: take the massage line off the PIP claim", cited,
        path), *_outside_scope(case, visit)]


def _outside_scope(case: Case, visit: Visit) -> list[Outcome]:
    """Care by another provider, not massage: not encoded here; the 14-day caution."""
    found = [requirement(
        "FL-PIP-NOT-ENCODED", "this visit is neither massage nor given by a licensed massage "
        "therapist: payerkit's fl-pip adapter encodes no other PIP rule (the emergency medical "
        "condition determination, referrals for follow-up care, the fee schedule)",
        sources.NOT_ENCODED, visit_path(case, visit, "services"))]
    days = FIGURES.get("initial_treatment_days")
    first = case.visits[0].date
    if first > case.episode.onset_date + dt.timedelta(days=days.integer):
        found.append(caution(
            "FL-PIP-INITIAL-TREATMENT", f"the first visit recorded ({first.isoformat()}) is more "
            f"than {days.value} days after the accident of {case.episode.onset_date.isoformat()}: "
            "PIP pays for initial treatment received within 14 days of the accident; unless the "
            "patient's initial treatment was earlier elsewhere, expect the insurer to refuse",
            days.citation, "episode.onset_date"))
    return found


@hookimpl
def payerkit_fee_schedule():
    return FeeSchedule(sources.NO_FEES, [], [Reason(
        "FL-PIP-NO-FEES", "no allowed amounts: Florida PIP does not reimburse a licensed massage "
        "therapist or massage, and payerkit ships no PIP fee schedule for other care",
        sources.NO_FEES)])

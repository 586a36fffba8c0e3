"""Scope, the claim number, who bills, and the 24-visit cap.

* Scope: an industrial (work) injury; anything else is not covered.
* The claims administrator's claim number (837P ``REF*Y4``).
* Who bills: that a licensed massage therapist may bill a claims administrator directly is not
  confirmed, so until the practice records the administrator's written confirmation
  (``billing_confirmed``) the visit is "verify with the plan".
* The cap (Labor Code § 4604.5(c)(1)): 24 physical therapy visits per industrial injury, for
  injuries on and after 2004-01-01; not for post-surgical physical medicine, nor once the
  employer authorizes more in writing (``episode.authorization`` covering the visit). Whether
  massage counts against it is not confirmed: a visit over it is "verify with the plan", never
  a refusal. Visits are counted per injury: the case's and ``coverage.visits_used_elsewhere``.
"""

from __future__ import annotations

from payerkit import Case, Limit, Outcome, Visit, not_covered, note, requirement
from payerkit.rules import plans
from payerkit.rules.limits import count_between

from . import sources
from .facts import CaFacts, at
from .sources import FIGURES

CAP = "physical_medicine_visit_cap"


def outcomes(case: Case, visit: Visit, facts: CaFacts) -> list[Outcome]:
    """Every rule's outcome for the visit; a condition that is not a work injury, alone."""
    if not case.episode.work_related:
        return [not_covered(
            "CA-WC-NOT-WORK-INJURY", "workers' compensation covers only an industrial injury: "
            "this episode is not a work injury (episode.kind is not \"work_injury\" and it is "
            "not marked employment_related)", sources.SCOPE, "episode.kind")]
    found = []
    if not case.coverage.claim_number:
        found.append(requirement(
            "CA-WC-NO-CLAIM-NUMBER", "record the claims administrator's claim number in "
            "coverage.claim_number: the 837P carries it as REF*Y4", sources.CLAIM_NUMBER,
            "coverage.claim_number"))
    if facts.billing_confirmed:
        found.append(note("CA-WC-BILLING-CONFIRMED", "the claims administrator confirmed in "
                          "writing that it pays this practice for massage therapy",
                          sources.BILLING_CONFIRMED))
    else:
        found.append(requirement(
            "CA-WC-WHO-BILLS", "it is not confirmed that a licensed massage therapist may bill a "
            "California workers' compensation claims administrator directly: before treating, "
            "get the administrator's written confirmation that it pays this practice (then "
            f"record {at('billing_confirmed')} = true)", sources.WHO_BILLS,
            at("billing_confirmed")))
    return [*found, *visit_cap(case, visit, facts), note(
        "CA-WC-MTUS", "treatment must be medically necessary under the Medical Treatment "
        "Utilization Schedule; no massage-specific limit in it is encoded (none confirmed)",
        sources.MTUS), note(
        "CA-WC-DEADLINES-UNKNOWN", "no bill or payment deadline for California workers' "
        "compensation was found, so none is judged", sources.DEADLINES_UNKNOWN)]


def visits_for_injury(case: Case, visit: Visit) -> int:
    """Physical medicine visits for the injury up to this one: the case's and elsewhere."""
    return count_between(case.visits, None, visit.date) + case.coverage.visits_used_elsewhere


def visit_cap(case: Case, visit: Visit, facts: CaFacts) -> list[Outcome]:
    """The 24-visit cap: within it, not applicable, or over it (verify with the plan)."""
    injury = case.episode.onset_date
    cap = FIGURES.find(CAP, injury)
    used = visits_for_injury(case, visit)
    if cap is None:
        return [note("CA-WC-CAP-NOT-APPLICABLE", f"the injury of {injury.isoformat()} is before "
                     "2004-01-01: the 24-visit cap does not apply", sources.CAP_EXCEPTIONS)]
    if facts.post_surgical:
        return [note("CA-WC-CAP-NOT-APPLICABLE", "post-surgical physical medicine follows the "
                     "post-surgical treatment utilization schedule, not the 24-visit cap",
                     sources.CAP_EXCEPTIONS)]
    if used <= cap.integer:
        return [note("CA-WC-VISIT-CAP", f"visit {used} of the {cap.value} physical therapy "
                     "visits per industrial injury, if massage counts against them (not "
                     "confirmed)", sources.VISIT_CAP_FOR_MASSAGE)]
    auth = plans.covering_authorization(case, visit.date)  # among every one on file
    if auth is not None and (
            auth.visits is None or plans.authorization_used(case, auth, visit.date) <= auth.visits):
        return [note("CA-WC-CAP-NOT-APPLICABLE", f"visit {used} is over the {cap.value}-visit "
                     "cap, but the employer's written authorization on file covers it",
                     sources.CAP_EXCEPTIONS)]
    return [not_covered(
        "CA-WC-CAP-EXCEEDED", f"visit {used} for this industrial injury is over the {cap.value} "
        "physical therapy visits of Labor Code § 4604.5(c)(1), if massage counts against them; "
        "get the employer's written authorization of more visits (record it in "
        "episode.authorizations), or record that the care is post-surgical",
        sources.VISIT_CAP_FOR_MASSAGE, "episode.authorization")]


def limits(case: Case, visit: Visit) -> list[Limit]:
    """The injury's physical medicine visits against the cap (none before 2004)."""
    injury = case.episode.onset_date
    cap = FIGURES.find(CAP, injury)
    return [Limit(
        "physical therapy visits per industrial injury (if massage counts)", "visits",
        None if cap is None else cap.integer, visits_for_injury(case, visit),
        f"the industrial injury of {injury.isoformat()}", sources.VISIT_CAP_FOR_MASSAGE)]

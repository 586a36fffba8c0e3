"""Who may bill, on whose order, and what the bill needs.

* Not confirmed that a massage therapist may bill a Connecticut workers' compensation carrier
  directly: the case records either the carrier's written agreement to pay the practice
  (``billing_arrangement = "carrier_agreement"``, with its authorization in
  ``episode.authorization``) or that the bill goes out under the authorized treating practice
  (``"under_treating_practice"``). Neither → action required, saying what to obtain.
* The authorized treating practitioner's referral is ``episode.prescription``; the diagnosis is
  that clinician's (massage therapy does not include diagnosis, C.G.S. § 20-206a).
* The carrier's claim number (837P ``REF*Y4``) and the employer (``coverage.employer``: the
  insured of the claim, which payerkit's writers put in the 837P's 2010BA and box 4).
* No part of a fee is ever billed to the employee (Reg. § 31-279-9(e)).
"""

from __future__ import annotations

from payerkit import Case, Citation, Outcome, Visit, caution, note, requirement
from payerkit.rules import plans
from payerkit.rules.limits import count_between

from . import sources
from .facts import CtFacts, at

AUTHORIZATION = Citation(
    "The carrier's written authorization to pay the practice directly, as the practice records "
    "it in episode.authorization (number, visits, dates; later ones in episode.authorizations); "
    "the 837P carries the number of the one covering each visit as REF*G1",
    confidence="practice")
CONTRACT = Citation(
    f"The practice's written contract with the carrier, as recorded in "
    f"{at('contract_rates')} and contract_source", confidence="practice")


def outcomes(case: Case, visit: Visit, facts: CtFacts) -> list[Outcome]:
    """What the bill needs, who may send it, and on whose order."""
    found: list[Outcome] = []
    if not case.coverage.claim_number:
        found.append(requirement(
            "CT-WC-NO-CLAIM-NUMBER", "get the carrier's claim number for this injury and record "
            "it in coverage.claim_number: the 837P carries it as REF*Y4", sources.CLAIM_NUMBER,
            "coverage.claim_number"))
    if not (case.coverage.employer or "").strip():
        found.append(requirement(
            "CT-WC-NO-EMPLOYER", "record the employer in coverage.employer: the employer "
            "furnishes the care, the notice of claim goes to it, and it is the insured of the "
            "claim (the 837P's subscriber, the CMS-1500's box 4)", sources.EMPLOYER,
            "coverage.employer"))
    found += referral(case, visit)
    found += who_bills(case, visit, facts)
    if facts.contract_rates and not (facts.contract_source or "").strip():
        found.append(caution(
            "CT-WC-CONTRACT-SOURCE", f"name the contract the rates in {at('contract_rates')} come "
            f"from in {at('contract_source')} (its parties and date): every priced line quotes it",
            CONTRACT, at("contract_source")))
    found.append(note(
        "CT-WC-NO-BILLING-EMPLOYEE", "all charges are the employer's or carrier's alone: never "
        "bill the employee for any part of a fee (no copay, no balance above the allowed "
        "amount, no charge for a denied visit)", sources.NO_BILLING_EMPLOYEE))
    if facts.bill_days is None:
        found.append(note(
            "CT-WC-BILL-DEADLINE-UNKNOWN", "no bill deadline for Connecticut workers' "
            f"compensation was found, so none is judged; if your contract or the carrier gives "
            f"one, record its days in {at('bill_days')}", sources.BILL_DEADLINE_UNKNOWN))
    return found


def referral(case: Case, visit: Visit) -> list[Outcome]:
    """The authorized treating practitioner's referral: on file, in time, not used up."""
    rx, path = case.episode.prescription, "episode.prescription"
    if rx is None:
        return [requirement(
            "CT-WC-NO-REFERRAL", "get the written referral of the employee's authorized treating "
            "practitioner (the physician the employee chose under C.G.S. § 31-294d) for massage "
            "therapy, with the diagnoses, and record it in episode.prescription: the carrier "
            "pays for the rehabilitation services that practitioner deems reasonable or "
            "necessary, and a massage therapist may not diagnose", sources.REFERRAL, path)]
    if rx.date > visit.date:
        return [requirement(
            "CT-WC-REFERRAL-AFTER-VISIT", f"the referral is dated {rx.date.isoformat()}, after "
            f"the visit of {visit.date.isoformat()}: the visit was not on the authorized treating "
            "practitioner's order", sources.REFERRAL, path + ".date")]
    used = count_between(case.visits, rx.date, visit.date)
    if rx.visits is not None and used > rx.visits:
        return [requirement(
            "CT-WC-REFERRAL-VISITS-USED", f"this is visit {used} since the referral of "
            f"{rx.date.isoformat()}, which orders {rx.visits}: get a renewed referral from the "
            "authorized treating practitioner", sources.REFERRAL, path + ".visits")]
    return [
        note("CT-WC-REFERRAL", f"referred by the authorized treating practitioner on "
             f"{rx.date.isoformat()} (the 837P names them as the referring provider)",
             sources.REFERRAL),
        note("CT-WC-DIAGNOSIS", "the diagnoses on the claim must be the treating "
             "practitioner's: massage therapy does not include diagnosis", sources.DIAGNOSIS),
    ]


def who_bills(case: Case, visit: Visit, facts: CtFacts) -> list[Outcome]:
    """The carrier's agreement to pay the practice, or the treating practice's bill."""
    path, auth_first = at("billing_arrangement"), case.episode.authorization
    advice = caution(
        "CT-WC-PREAUTHORIZATION-ADVISED", "practitioners advise getting the adjuster's "
        "authorization before treating any workers' compensation client: record it in "
        "episode.authorization (number, visits, dates)", sources.PREAUTHORIZATION_ADVICE,
        "episode.authorization")
    if facts.billing_arrangement is None:
        found = [requirement(
            "CT-WC-WHO-BILLS", "it is not confirmed that a massage therapist may bill a "
            "Connecticut workers' compensation carrier directly. Before treating, obtain either "
            "the carrier's written agreement to pay this practice directly (then record "
            f"{path} = \"carrier_agreement\" and its authorization in episode.authorization), "
            "or the authorized treating practice's agreement that the bill goes out under it "
            f"({path} = \"under_treating_practice\")", sources.WHO_BILLS, path)]
        return found + ([advice] if not case.episode.all_authorizations else [])
    if facts.billing_arrangement == "under_treating_practice":
        found = [note(
            "CT-WC-UNDER-TREATING-PRACTICE", "the bill goes out under the authorized treating "
            "practice: [provider] must be that practice (its NPI and tax id) and the massage "
            "therapist the rendering provider", sources.WHO_BILLS)]
        if case.rendering is None:
            found.append(caution(
                "CT-WC-RENDERING", "record the massage therapist who treated in [rendering]: "
                "under the treating practice's bill the therapist is the rendering provider",
                sources.WHO_BILLS, "rendering"))
        return found
    found = [note("CT-WC-CARRIER-AGREEMENT", "the carrier agreed in writing to pay this practice "
                  "directly", AUTHORIZATION)]
    every = case.episode.all_authorizations
    if not every:
        return [*found, advice]
    auth = plans.covering_authorization(case, visit.date)
    if auth is None:
        windows = ", ".join(f"{a.start.isoformat() if a.start else '...'} to "
                            f"{a.end.isoformat() if a.end else '...'}" for a in every)
        which = "the carrier's authorization covers" if len(every) == 1 else \
            "the carrier's authorizations on file cover"
        return [*found, requirement(
            "CT-WC-AUTHORIZATION-DATES", f"{which} {windows}, not the visit of "
            f"{visit.date.isoformat()}: get it extended in writing", AUTHORIZATION,
            "episode.authorization" if len(every) == 1 and auth_first else
            "episode.authorizations")]
    used = plans.authorization_used(case, auth, visit.date)
    if auth.visits is not None and used > auth.visits:
        return [*found, requirement(
            "CT-WC-AUTHORIZATION-USED-UP", f"this is visit {used} under the carrier's "
            f"authorization, which allows {auth.visits}: get it extended in writing",
            AUTHORIZATION, plans.authorization_path(case, auth) + ".visits")]
    return found

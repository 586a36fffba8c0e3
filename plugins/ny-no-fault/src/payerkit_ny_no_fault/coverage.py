"""Who no-fault covers, where, what the bill still needs, and the two deadlines.

Who is covered (11 NYCRR 65-1.1; Ins. Law § 5103(a)):

=================================  ==============================================
injured person                     covered when
=================================  ==============================================
named insured, resident relative   any motor vehicle, anywhere in the territory
other person                       the insured vehicle, used in New York
other person, NY resident          the insured vehicle outside NY, subject to
                                   exclusion (j) (a caution)
motorcycle occupant                never
anyone, accident outside the US,   never
its territories/possessions and
Canada
=================================  ==============================================
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen
from payerkit import (
    Case,
    Deadline,
    Outcome,
    Visit,
    caution,
    facts_path,
    not_covered,
    note,
    requirement,
    visit_path,
)
from payerkit.rules.codes import US_TERRITORIES

from . import sources
from .sources import FIGURES

#: The program's id: its facts are the case file's ``[facts.ny-no-fault]``.
PROGRAM_ID = "ny-no-fault"
#: Country codes inside the endorsement's territory: the US, its territories and
#: possessions (ISO codes equal to their USPS codes), and Canada.
TERRITORY_COUNTRIES = frozenset({"US", "USA", "CA", "CAN"}) | US_TERRITORIES
EXCUSE = ("A late filing is excused on written proof of a clear and reasonable justification "
          "(11 NYCRR 65-3.3(e)): write it in claim.late_justification and send it with the bill.")
UNCOUNTED = ("calendar days, the {event} day not counted: payerkit's reading of 'within {days} "
             "days after', as no source seen states the counting rule")


@frozen
class NyFacts:
    """New York no-fault's own case facts (``[facts.ny-no-fault]``; old files: ``[episode]``)."""

    injured_person: Literal["named_insured", "relative", "other"] | None = None
    vehicle: Literal["insured", "other"] | None = None
    motorcycle: bool = False


def at(name: str) -> str:
    """Where one of these facts is in the case: ``facts.ny-no-fault.<name>``."""
    return facts_path(PROGRAM_ID, name)


def accident_place(case: Case) -> Literal["ny", "territory", "outside", "unknown"]:
    """Where the accident happened, as the endorsement's territory sees it."""
    country = (case.episode.country or "US").strip().upper()
    if country not in TERRITORY_COUNTRIES:
        return "outside"
    if country not in ("US", "USA"):
        return "territory"
    if not case.episode.state:
        return "unknown"
    return "ny" if case.episode.state.strip().upper() == "NY" else "territory"


def outcomes(case: Case, facts: NyFacts) -> list[Outcome]:
    """The no-fault rules for a visit; after a refusal, only what explains it."""
    refused = outside_no_fault(case)
    if refused:
        return refused
    person = injured_person(case, facts)
    if any(o.effect == "not_covered" for o in person):
        return person
    return person + paperwork(case)


def outside_no_fault(case: Case) -> list[Outcome]:
    """Refusals when the injury is not a no-fault one at all (work injury, not a car)."""
    episode = case.episode
    if episode.work_related:
        path = "episode.kind" if episode.kind == "work_injury" else "episode.employment_related"
        return [
            not_covered("NY-WORK-INJURY", "the injury happened at work: workers' compensation is "
                        "primary and pays in lieu of no-fault; bill the employer's workers' "
                        "compensation carrier", sources.WC_PRIMARY, path),
            note("NY-WC-LMT-NOT-AUTHORIZED", "New York workers' compensation does not authorize "
                 "licensed massage therapists as providers: a massage bill there is paid only ad "
                 "hoc, if at all", sources.WC_LMT),
        ]
    if episode.kind != "auto_accident":
        return [not_covered("NY-NOT-MOTOR-VEHICLE", f"the episode is {episode.kind!r}: no-fault "
                            "pays only for injuries arising out of the use or operation of a motor "
                            "vehicle", sources.INS_LAW_5103, "episode.kind")]
    return []


def injured_person(case: Case, facts: NyFacts) -> list[Outcome]:
    """Whether the injured person is an eligible injured person under the endorsement."""
    if facts.motorcycle:
        return [not_covered("NY-MOTORCYCLE", "the injured person was occupying a motorcycle: "
                            "motorcycle occupants are not eligible for no-fault benefits",
                            sources.MOTORCYCLE, at("motorcycle"))]
    place = accident_place(case)
    if place == "outside":
        return [not_covered("NY-OUTSIDE-TERRITORY", "the accident happened outside the United "
                            "States, its territories or possessions and Canada: outside the "
                            "policy territory", sources.PIP_ENDORSEMENT, "episode.country")]
    person, vehicle = facts.injured_person, facts.vehicle
    if person in ("named_insured", "relative"):
        found = [note("NY-ELIGIBLE-INSURED", f"the injured person is the policy's "
                      f"{person.replace('_', ' ')}: covered for any motor vehicle in the US, its "
                      "territories or possessions and Canada", sources.PIP_ENDORSEMENT)]
        if person == "relative":
            found.append(note("NY-RELATIVE", "a relative counts only when related by blood, "
                              "marriage or adoption and regularly residing in the named "
                              "insured's household", sources.RELATIVE))
        return found
    if person is None and not (place == "ny" and vehicle == "insured"):
        return [requirement("NY-RECORD-INJURED-PERSON", f"record who was hurt ({at('injured_person')}"
                            ": named_insured, relative or other): outside New York, or in another "
                            "vehicle, only the named insured and resident relatives are covered",
                            sources.PIP_ENDORSEMENT, at("injured_person"), "warning")]
    # someone other than the named insured or a relative (or unknown, hurt by the insured car in NY)
    if vehicle == "other":
        return [not_covered("NY-OTHER-VEHICLE", "a person other than the named insured or a "
                            "relative, hurt in or by a vehicle other than the insured one, is not "
                            "covered by this policy: claim from that vehicle's insurer",
                            sources.INS_LAW_5103, at("vehicle"))]
    if place == "unknown":
        return [requirement("NY-RECORD-ACCIDENT-STATE", "record the accident state "
                            "(episode.state): a person other than the named insured or a relative "
                            "is covered in New York, elsewhere only if a New York resident",
                            sources.INS_LAW_5103, "episode.state", "warning")]
    if place == "territory" and case.patient.address.state.strip().upper() != "NY":
        return [not_covered("NY-OTHER-PERSON-OUTSIDE-NY", "a person other than the named insured "
                            "or a relative who does not live in New York is covered only for use "
                            "of the insured vehicle in New York", sources.INS_LAW_5103,
                            "episode.state")]
    if vehicle is None:
        return [requirement("NY-RECORD-VEHICLE", f"record whether the insured vehicle was "
                            f"involved ({at('vehicle')}: insured or other): a person other than the "
                            "named insured or a relative is covered only by the insured vehicle's "
                            "policy", sources.INS_LAW_5103, at("vehicle"), "warning")]
    if place == "ny":
        return [note("NY-ELIGIBLE-IN-NY", "the injured person was hurt through the use of the "
                     "insured vehicle in New York: covered whoever they are (unless occupying "
                     "another vehicle)", sources.INS_LAW_5103)]
    return [caution("NY-EXCLUSION-J", "a New York resident hurt by the insured vehicle outside "
                    "New York is covered subject to exclusion (j): not covered if they own, or are "
                    "a relative of the owner of, a vehicle insured under another policy; confirm "
                    "with the insurer", sources.EXCLUSION_J, at("injured_person"))]


def paperwork(case: Case) -> list[Outcome]:
    """What the bill needs: claim number, notice, licence, assignment; the prescription caution."""
    found = [note("NY-LMT-SERVICES", "licensed massage therapy necessary and related to the "
                  "accident is eligible for no-fault reimbursement", sources.LMT_SERVICES)]
    if not case.coverage.claim_number:
        found.append(requirement("NY-NO-CLAIM-NUMBER", "get the insurer's claim number and record "
                                 "it in coverage.claim_number: the NF-3 and the 837P (REF*Y4) "
                                 "carry it", sources.CLAIM_NUMBER, "coverage.claim_number"))
    found += notice(case)
    if not (case.provider.license or (case.rendering and case.rendering.license)):
        found.append(requirement("NY-NO-LICENSE", "record the treating therapist's licence "
                                 "number (provider.license or rendering.license): the NF-3 asks "
                                 "for it", sources.LICENSE, "provider.license"))
    found.append(assignment(case.claim.benefits_assigned))
    if case.episode.prescription is None:
        found.append(caution("NY-NO-PRESCRIPTION", "no prescription is recorded. No rule found "
                             "requires one for massage therapy under no-fault, but insurers deny "
                             "for lack of medical necessity after peer review, and a physician's "
                             "prescription is the usual evidence of it", sources.PRESCRIPTION,
                             "episode.prescription"))
    return found


def assignment(assigned: bool | None) -> Outcome:
    """Who the insurer pays: the provider only on an executed assignment (65-3.11(b))."""
    path = "claim.benefits_assigned"
    if assigned is None:
        return requirement("NY-NO-ASSIGNMENT", "record in claim.benefits_assigned whether the "
                           "patient executed an assignment of benefits to the practice (on the "
                           "NF-3 or an NF-AOB): the insurer pays the provider directly only on an "
                           "executed assignment", sources.ASSIGNMENT, path)
    if not assigned:
        return caution("NY-BENEFITS-NOT-ASSIGNED", "no assignment of benefits: the insurer pays "
                       "the patient, not the practice (the 837P says CLM08 = N); the patient may "
                       "still be charged no more than the fee schedule (Ins. Law § 5108)",
                       sources.ASSIGNMENT, path)
    return note("NY-BENEFITS-ASSIGNED", "the patient assigned benefits to the practice: the "
                "insurer pays the practice directly", sources.ASSIGNMENT, path)


def notice(case: Case) -> list[Outcome]:
    """Written notice of the accident: recorded, on time, or excused."""
    deadline = notice_deadline(case)
    due = deadline.due.isoformat()
    path = "episode.notice_date"
    if case.episode.notice_date is None and case.coverage.claim_number:
        return [caution("NY-NO-NOTICE-DATE", f"the insurer's claim number shows it was notified, "
                        f"but not when: record the day written notice was given in {path} (due "
                        f"{due}; later notice needs a written justification)", sources.NOTICE,
                        path)]
    if case.episode.notice_date is None:
        return [requirement("NY-NO-NOTICE", f"give the insurer written notice of the accident "
                            f"(an NF-2, or a police MV-104 showing injuries, counts), due {due}, "
                            f"and record its date in {path}", sources.NOTICE, path, "warning")]
    if not deadline.is_late(case.episode.notice_date):
        return []
    if case.claim.late_justification:
        return [note("NY-LATE-NOTICE", f"written notice was given after {due}; the written "
                     "justification in claim.late_justification goes to the insurer",
                     sources.LATE_EXCUSE)]
    return [requirement("NY-LATE-NOTICE-JUSTIFICATION", f"written notice was given after {due}: "
                        "the insurer may deny unless a clear and reasonable justification is "
                        "given in writing; write it in claim.late_justification and send it",
                        sources.LATE_EXCUSE, "claim.late_justification", "warning")]


def notice_deadline(case: Case) -> Deadline:
    days = FIGURES.get("notice_days", case.episode.onset_date)
    return Deadline(
        "notice of claim", "accident", case.episode.onset_date, days.integer, days.citation,
        excuse=EXCUSE, path="episode.notice_date", done_on=case.episode.notice_date,
        convention=UNCOUNTED.format(days=days.value, event="accident")
        + "; notice counts as given when mailed, DFS OGC Op. 04-02-12")


def bill_deadline(case: Case, visit: Visit) -> Deadline:
    days = FIGURES.get("bill_days", visit.date)
    return Deadline(
        "bill", "service", visit.date, days.integer, days.citation, excuse=EXCUSE,
        path=visit_path(case, visit, "date"),
        convention=UNCOUNTED.format(days=days.value, event="service")
        + " (one law firm's blog, Rubin & Licatesi, Jan 2022, low, counts the service day as day "
        "1: the bill would be due a day earlier); a bill counts as given when mailed, DFS OGC Op. "
        "Jun 30, 2003")


def deadlines(case: Case, visit: Visit) -> list[Deadline]:
    """The notice and bill deadlines; none outside no-fault, no notice one when it cannot be judged."""
    if outside_no_fault(case):
        return []
    bill = bill_deadline(case, visit)
    if case.episode.notice_date is None and case.coverage.claim_number:
        return [bill]  # notified (there is a claim number) on a day not recorded: not judged
    return [notice_deadline(case), bill]

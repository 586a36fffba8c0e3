"""Who no-fault covers, where, and what the bill still needs.

:func:`checks` turns a case into a list of :class:`Check` records; the plugin
reads the same list twice: as eligibility (``stop`` → not covered,
``require`` → action required, ``note`` → a reason) and as scrub findings
(each check's ``finding`` severity, when it has one). So eligibility and the
scrub cannot disagree.

Who is covered (11 NYCRR 65-1.1; Ins. Law § 5103(a); payer-rules-2.md §3.1):

=================================  ==============================================
injured person                     covered when
=================================  ==============================================
named insured, resident relative   any motor vehicle, anywhere in the territory
other person                       the insured vehicle, used in New York
other person, NY resident          the insured vehicle outside NY, subject to
                                   exclusion (j) (a warning)
motorcycle occupant                never
anyone, accident outside the US,   never
its territories/possessions and
Canada
=================================  ==============================================
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen
from payerkit.model import Case, Citation, Finding, Reason
from payerkit.rules.codes import US_TERRITORIES

from . import sources
from .deadlines import notice_deadline, notice_given_late

Kind = Literal["stop", "require", "note"]
Place = Literal["ny", "territory", "outside", "unknown"]

#: Country codes inside the endorsement's territory: the US, its territories and
#: possessions (ISO codes equal to their USPS codes), and Canada.
TERRITORY_COUNTRIES = frozenset({"US", "USA", "CA", "CAN"}) | US_TERRITORIES


@frozen
class Check:
    kind: Kind
    code: str
    message: str
    citation: Citation
    path: str | None = None
    finding: Literal["error", "warning"] | None = None

    @property
    def reason(self) -> Reason:
        return Reason(self.code, self.message, self.citation)

    def as_finding(self) -> Finding:
        return Finding(self.finding, self.code, self.message, self.path, self.citation)


def _stop(code: str, message: str, citation: Citation, path: str) -> Check:
    return Check("stop", code, message, citation, path, "error")


def accident_place(case: Case) -> Place:
    """Where the accident happened, as the endorsement's territory sees it."""
    episode = case.episode
    country = (episode.country or "US").strip().upper()
    if country not in TERRITORY_COUNTRIES:
        return "outside"
    if country in ("US", "USA"):
        if not episode.state:
            return "unknown"
        return "ny" if episode.state.strip().upper() == "NY" else "territory"
    return "territory"


def checks(case: Case) -> list[Check]:
    """The no-fault checks on the case; after a stop, only what explains it."""
    stops = outside_no_fault(case)
    if stops:
        return stops
    person = injured_person(case)
    if any(c.kind == "stop" for c in person):
        return person
    return person + paperwork(case)


def outside_no_fault(case: Case) -> list[Check]:
    """Stops when the injury is not a no-fault one at all (work injury, not a car)."""
    episode = case.episode
    if episode.work_related:
        path = "episode.kind" if episode.kind == "work_injury" else "episode.employment_related"
        return [
            _stop("NY-WORK-INJURY", "the injury happened at work: workers' compensation is "
                  "primary and pays in lieu of no-fault; bill the employer's workers' "
                  "compensation carrier", sources.WC_PRIMARY, path),
            Check("note", "NY-WC-LMT-NOT-AUTHORIZED", "New York workers' compensation does not "
                  "authorize licensed massage therapists as providers: a massage bill there is "
                  "paid only ad hoc, if at all", sources.WC_LMT),
        ]
    if episode.kind != "auto_accident":
        return [_stop("NY-NOT-MOTOR-VEHICLE", f"the episode is {episode.kind!r}: no-fault pays "
                      "only for injuries arising out of the use or operation of a motor vehicle",
                      sources.INS_LAW_5103, "episode.kind")]
    return []


def injured_person(case: Case) -> list[Check]:
    """Whether the injured person is an eligible injured person under the endorsement."""
    episode = case.episode
    if episode.motorcycle:
        return [_stop("NY-MOTORCYCLE", "the injured person was occupying a motorcycle: "
                      "motorcycle occupants are not eligible for no-fault benefits",
                      sources.MOTORCYCLE, "episode.motorcycle")]
    place = accident_place(case)
    if place == "outside":
        return [_stop("NY-OUTSIDE-TERRITORY", "the accident happened outside the United States, "
                      "its territories or possessions and Canada: outside the policy territory",
                      sources.PIP_ENDORSEMENT, "episode.country")]
    person, vehicle = episode.injured_person, episode.vehicle
    if person in ("named_insured", "relative"):
        found = [Check("note", "NY-ELIGIBLE-INSURED", f"the injured person is the policy's "
                       f"{person.replace('_', ' ')}: covered for any motor vehicle in the US, its "
                       "territories or possessions and Canada", sources.PIP_ENDORSEMENT)]
        if person == "relative":
            found.append(Check("note", "NY-RELATIVE", "a relative counts only when related by "
                               "blood, marriage or adoption and regularly residing in the named "
                               "insured's household", sources.RELATIVE))
        return found
    if person is None and not (place == "ny" and vehicle == "insured"):
        return [Check("require", "NY-RECORD-INJURED-PERSON", "record who was hurt "
                      "(episode.injured_person: named_insured, relative or other): outside New "
                      "York, or in another vehicle, only the named insured and resident relatives "
                      "are covered", sources.PIP_ENDORSEMENT, "episode.injured_person", "warning")]
    # someone other than the named insured or a relative (or unknown, hurt by the insured car in NY)
    if vehicle == "other":
        return [_stop("NY-OTHER-VEHICLE", "a person other than the named insured or a relative, "
                      "hurt in or by a vehicle other than the insured one, is not covered by this "
                      "policy: claim from that vehicle's insurer", sources.INS_LAW_5103, "episode.vehicle")]
    if place == "unknown":
        return [Check("require", "NY-RECORD-ACCIDENT-STATE", "record the accident state "
                      "(episode.state): a person other than the named insured or a relative is "
                      "covered in New York, elsewhere only if a New York resident",
                      sources.INS_LAW_5103, "episode.state")]
    if place == "territory" and case.patient.address.state.strip().upper() != "NY":
        return [_stop("NY-OTHER-PERSON-OUTSIDE-NY", "a person other than the named insured or a "
                      "relative who does not live in New York is covered only for use of the "
                      "insured vehicle in New York", sources.INS_LAW_5103, "episode.state")]
    if vehicle is None:
        return [Check("require", "NY-RECORD-VEHICLE", "record whether the insured vehicle was "
                      "involved (episode.vehicle: insured or other): a person other than the "
                      "named insured or a relative is covered only by the insured vehicle's "
                      "policy", sources.INS_LAW_5103, "episode.vehicle", "warning")]
    if place == "ny":
        return [Check("note", "NY-ELIGIBLE-IN-NY", "the injured person was hurt through the use of "
                      "the insured vehicle in New York: covered whoever they are (unless "
                      "occupying another vehicle)", sources.INS_LAW_5103)]
    return [Check("note", "NY-EXCLUSION-J", "warning: a New York resident hurt by the insured "
                  "vehicle outside New York is covered subject to exclusion (j): not covered if "
                  "they own, or are a relative of the owner of, a vehicle insured under another "
                  "policy; confirm with the insurer", sources.EXCLUSION_J,
                  "episode.injured_person", "warning")]


def paperwork(case: Case) -> list[Check]:
    """What the bill needs: claim number, notice, licence; the prescription warning."""
    found = [Check("note", "NY-LMT-SERVICES", "licensed massage therapy necessary and related to "
                   "the accident is eligible for no-fault reimbursement", sources.LMT_SERVICES)]
    if not case.coverage.claim_number:
        found.append(Check("require", "NY-NO-CLAIM-NUMBER", "get the insurer's claim number and "
                           "record it in coverage.claim_number: the NF-3 and the 837P (REF*Y4) "
                           "carry it", sources.CLAIM_NUMBER, "coverage.claim_number", "error"))
    found += notice(case)
    licence = case.provider.license or (case.rendering.license if case.rendering else None)
    if not licence:
        found.append(Check("require", "NY-NO-LICENSE", "record the treating therapist's licence "
                           "number (provider.license or rendering.license): the NF-3 asks for it",
                           sources.LICENSE, "provider.license", "error"))
    if case.episode.prescription is None:
        found.append(Check("note", "NY-NO-PRESCRIPTION", "warning: no prescription is recorded. "
                           "No rule found requires one for massage therapy under no-fault, but "
                           "insurers deny for lack of medical necessity after peer review, and a "
                           "physician's prescription is the usual evidence of it",
                           sources.PRESCRIPTION, "episode.prescription", "warning"))
    return found


def notice(case: Case) -> list[Check]:
    deadline = notice_deadline(case)
    if case.episode.notice_date is None:
        late = deadline.is_late(case.today())
        return [Check("require", "NY-NO-NOTICE", f"give the insurer written notice of the "
                      f"accident (an NF-2, or a police MV-104 showing injuries, counts), due "
                      f"{deadline.due.isoformat()}, and record its date in episode.notice_date",
                      sources.NOTICE, "episode.notice_date", None if late else "warning")]
    if notice_given_late(case) is None:
        return []
    found = [Check("note", "NY-LATE-NOTICE", f"written notice was given after "
                   f"{deadline.due.isoformat()}, 30 days after the accident: the insurer may "
                   "deny unless a clear and reasonable justification is given in writing",
                   sources.LATE_EXCUSE)]
    if not case.claim.late_justification:
        found.append(Check("require", "NY-LATE-NOTICE-JUSTIFICATION", "write the reason notice "
                           "was late in claim.late_justification and send it to the insurer",
                           sources.LATE_EXCUSE, "claim.late_justification"))
    return found

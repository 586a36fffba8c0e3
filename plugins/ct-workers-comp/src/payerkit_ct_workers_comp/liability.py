"""Is this a Connecticut workers' compensation claim, and has the employer accepted it?

* Scope (C.G.S. ch. 568, § 31-275(1)): an injury arising out of and in the course of
  employment. Anything else is not covered.
* Notice of claim (§ 31-294c(a)): written notice within one year from the date of the accident
  (three years from the first manifestation of a symptom of an occupational disease). A late
  or missing notice is excused (§ 31-294c(c)) when the employer furnished medical care for the
  injury within that period (``medical_care_date``); a payment begun after it is not.
* Liability (§ 31-294c(b)): the employer contests on Form 43 on or before the 28th day after
  receiving the notice of claim, or begins paying; if it does neither, it is conclusively
  presumed to have accepted compensability from the 29th day (Harpaz v. Laidlaw Transit, 2008:
  a later Form 43 does not undo the presumption).

================  ============================================================  ============
state             when                                                          outcome
================  ============================================================  ============
contested         a Form 43 against liability on or before the 28th day (or     not covered
                  the notice date unknown, or after payment begun by then)
treatment_denied  a Form 43 against this treatment only (cited medium:          not covered
                  reported as "verify with the plan")
presumed          notice on time, no Form 43 and no payment by the 28th day,    note
                  judged after it (a later Form 43 adds a caution)
open              notice on time, judged on or before the 28th day              caution
accepted, paying  the carrier accepted in writing, or began paying (a late      note
                  notice must be excused first)
excused           a late or missing notice excused by the employer's medical    caution
                  care within the year, and nothing else settles liability
no_notice         no notice recorded, the year still running                    requirement
late_notice       notice after the year, or none by then, not accepted and      requirement
                  not excused
================  ============================================================  ============
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from attrs import frozen
from payerkit import Case, Outcome, caution, not_covered, note, requirement

from . import sources
from .facts import CtFacts, at
from .sources import FIGURES

State = Literal["contested", "treatment_denied", "presumed", "open", "accepted", "paying",
                "excused", "no_notice", "late_notice"]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (February 29 → February 28)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@frozen
class Liability:
    """Where the claim stands on a day, with the dates it was judged from."""

    state: State
    #: The last day the written notice of claim is on time.
    notice_due: dt.date
    #: The employer's last day to contest or begin paying (``None`` without a notice date).
    last_contest_day: dt.date | None
    #: A Form 43 filed after the last contest day did not undo the presumption.
    late_contest: bool = False

    @property
    def presumption_day(self) -> dt.date | None:
        """The first day of the conclusive presumption (the 29th after the notice)."""
        return None if self.last_contest_day is None else self.last_contest_day + dt.timedelta(1)


def notice_due(case: Case, facts: CtFacts) -> dt.date:
    name = "notice_years_occupational_disease" if facts.occupational_disease else "notice_years"
    return add_years(case.episode.onset_date, FIGURES.get(name).integer)


def last_contest_day(notice: dt.date) -> dt.date:
    return notice + dt.timedelta(days=FIGURES.get("contest_days").integer)


def liability(case: Case, facts: CtFacts, as_of: dt.date) -> Liability:
    """The claim's liability state on ``as_of``, computed from the dates the case gives."""
    due = notice_due(case, facts)
    notice = facts.notice_of_claim_date
    last = last_contest_day(notice) if notice is not None else None
    on_time = notice is not None and notice <= due
    if facts.form_43_date is not None:
        if facts.form_43_contests == "treatment":
            return Liability("treatment_denied", due, last)
        paid_in_time = facts.first_payment_date is not None and last is not None \
            and facts.first_payment_date <= last
        if on_time and facts.form_43_date > last and not paid_in_time:
            return Liability("presumed", due, last, late_contest=True)
        return Liability("contested", due, last)
    if facts.accepted_date is not None:
        return Liability("accepted", due, last)
    late = (notice is None and as_of > due) or (notice is not None and not on_time)
    if late and not notice_excused(facts, due):
        return Liability("late_notice", due, last)
    if facts.first_payment_date is not None:
        return Liability("paying", due, last)
    if notice is None:
        return Liability("excused" if late else "no_notice", due, last)
    if not on_time:
        return Liability("excused", due, last)
    return Liability("presumed" if as_of > last else "open", due, last)


def notice_excused(facts: CtFacts, due: dt.date) -> bool:
    """§ 31-294c(c): the employer furnished medical care for the injury within the notice period."""
    return facts.medical_care_date is not None and facts.medical_care_date <= due


def in_scope(case: Case) -> list[Outcome]:
    """Not a work injury: not covered. Work-related under another kind: fix the kind."""
    episode = case.episode
    if not episode.work_related:
        return [not_covered(
            "CT-WC-NOT-WORK-INJURY", f"the episode is {episode.kind!r}: Connecticut workers' "
            "compensation (C.G.S. chapter 568) pays only for an injury or occupational disease "
            "arising out of and in the course of employment; bill the patient's own coverage "
            "instead", sources.SCOPE, "episode.kind")]
    if episode.kind != "work_injury":
        return [requirement(
            "CT-WC-EPISODE-KIND", f"the injury is marked employment-related but episode.kind is "
            f"{episode.kind!r}: set episode.kind = \"work_injury\" so the 837P says CLM11 = EM "
            "(employment) with the date of injury, as a workers' compensation carrier expects",
            sources.RELATED_CAUSE, "episode.kind")]
    return []


def outcomes(case: Case, facts: CtFacts, as_of: dt.date) -> list[Outcome]:
    """The liability outcomes for a claim judged on ``as_of``."""
    state = liability(case, facts, as_of)
    due = state.notice_due.isoformat()
    notice = facts.notice_of_claim_date
    found: list[Outcome] = []
    if notice is not None and notice <= state.notice_due:
        found.append(note(
            "CT-WC-NOTICE-ON-TIME", f"written notice of claim received {notice.isoformat()}, "
            f"on time (due by {due})", _notice_citation(facts)))
    elif state.state in ("paying", "excused") and notice_excused(facts, state.notice_due):
        when = f"received {notice.isoformat()}" if notice else "not recorded"
        found.append(note(
            "CT-WC-NOTICE-EXCUSED", f"the written notice of claim ({when}) was not given by "
            f"{due}, but the employer furnished medical care for the injury on "
            f"{facts.medical_care_date.isoformat()}, within that period: the want of notice "
            "does not bar the claim", sources.NOTICE_EXCUSED, at("medical_care_date")))
    found += _by_state(state, facts, due)
    return found


def _notice_citation(facts: CtFacts):
    return sources.NOTICE_DISEASE if facts.occupational_disease else sources.NOTICE


def _by_state(state: Liability, facts: CtFacts, due: str) -> list[Outcome]:
    last = state.last_contest_day.isoformat() if state.last_contest_day else None
    first = state.presumption_day.isoformat() if state.presumption_day else None
    form_43 = facts.form_43_date.isoformat() if facts.form_43_date else None
    if state.state == "contested":
        message = (f"the employer contests liability (Form 43 filed {form_43}): the carrier "
                   "owes nothing on this claim unless it accepts it or an administrative law "
                   "judge finds it compensable")
        if last is None:
            message += (f"; record {at('notice_of_claim_date')}: a Form 43 filed after the 28th day "
                        "after the notice does not defeat the presumption of acceptance")
        return [not_covered("CT-WC-CONTESTED", message, sources.CONTESTED, at("form_43_date"))]
    if state.state == "treatment_denied":
        return [not_covered(
            "CT-WC-TREATMENT-DENIED", f"the carrier denied authorization of this treatment on "
            f"Form 43 (filed {form_43}): it will not pay for it unless the denial is withdrawn "
            "or overruled", sources.TREATMENT_DENIED, at("form_43_date"))]
    if state.state == "presumed":
        found = [note(
            "CT-WC-PRESUMED-ACCEPTED", f"the employer neither contested on Form 43 nor began "
            f"paying by {last}, the 28th day after the notice of claim: it is conclusively "
            f"presumed to have accepted the injury's compensability from {first}",
            sources.PRESUMPTION)]
        if state.late_contest:
            found.append(caution(
                "CT-WC-LATE-CONTEST", f"a Form 43 was filed on {form_43}, after {last}: it does "
                "not undo the presumption of acceptance, but expect the carrier to resist "
                "payment until an administrative law judge rules", sources.LATE_CONTEST,
                at("form_43_date")))
        return found
    if state.state == "open":
        return [caution(
            "CT-WC-LIABILITY-OPEN", f"liability is not settled yet: the employer may contest on "
            f"Form 43 or begin paying until {last} (28 days after the notice of claim); if it "
            f"does neither it is presumed to accept from {first}. Record "
            f"{at('form_43_date')}, first_payment_date or accepted_date when one happens",
            sources.PRESUMPTION, at("form_43_date"))]
    if state.state == "accepted":
        return [note("CT-WC-ACCEPTED", f"the carrier accepted the claim in writing on "
                     f"{facts.accepted_date.isoformat()}", sources.ACCEPTED)]
    if state.state == "paying":
        return [note("CT-WC-PAYMENT-COMMENCED", f"the employer or carrier began paying on the "
                     f"claim on {facts.first_payment_date.isoformat()}", sources.PRESUMPTION)]
    if state.state == "excused":
        return [caution(
            "CT-WC-LIABILITY-UNSETTLED", "the notice of claim does not bar the claim, but nothing "
            "recorded settles liability (payerkit does not apply the 28-day presumption to a late "
            f"notice): get the carrier's written acceptance ({at('accepted_date')}) or record when "
            f"it began paying ({at('first_payment_date')})", sources.NOTICE_EXCUSED,
            at("accepted_date"))]
    if state.state == "no_notice":
        return [requirement(
            "CT-WC-NO-NOTICE-OF-CLAIM", f"record the day the employer received the employee's "
            f"written notice of claim (Form 30C) in {at('notice_of_claim_date')} (due by {due}), or "
            f"the carrier's acceptance ({at('accepted_date')} or "
            "first_payment_date): without them payerkit cannot tell whether the claim is "
            "accepted, presumed accepted or contested", _notice_citation(facts),
            at("notice_of_claim_date"))]
    when = (f"was received {facts.notice_of_claim_date.isoformat()}" if facts.notice_of_claim_date
            else "is not recorded")
    paid = (f" A payment begun on {facts.first_payment_date.isoformat()} does not excuse it."
            if facts.first_payment_date else "")
    care = (f" The employer's medical care recorded from {facts.medical_care_date.isoformat()} "
            "began after that period." if facts.medical_care_date else "")
    return [requirement(
        "CT-WC-LATE-NOTICE", f"the written notice of claim {when}, after {due}, the last day "
        "allowed after the injury: no proceedings for compensation may be maintained "
        "on a late notice unless an exception of § 31-294c(c) applies: the employer furnished "
        f"medical care for the injury by {due} (record the day in {at('medical_care_date')}), or a "
        f"hearing was held or requested by then.{paid}{care} Otherwise get the carrier's "
        f"written acceptance ({at('accepted_date')}) before treating on the claim (payerkit does not "
        "apply the 28-day presumption to a late notice)", _notice_citation(facts),
        at("notice_of_claim_date"))]

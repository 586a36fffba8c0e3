"""Who L&I pays, on whose order, with which authorization, and what the bill needs.

* Scope: a worker's industrial injury or occupational disease; anything else is not covered.
* The L&I claim number (837P ``REF*Y4``) and the practice's L&I provider account number
  (``provider.payer_assigned_id``: 837P ``REF*G2``, CMS-1500 box 33b).
* The attending provider's written order (``episode.prescription``): on file, dated on or before
  the visit, not used up.
* Authorization, counted per claim (the case's visits and ``coverage.visits_used_elsewhere``):
  on a State Fund claim visits 1-6 need none, visits 7-12 the Provider Hotline Service
  Authorization Request (form F245-417-000), later visits the claim manager; a self-insured
  employer authorizes its own claims; massage at the worker's home always needs one. Every
  missing authorization is the shared ``PRIOR_AUTHORIZATION_REQUIRED``; an authorization on file
  (``episode.authorization``) that covers the visit's date and is not used up meets it.
* The progress report to the attending provider and L&I after six treatment visits or one
  month, whichever comes first (``progress_report_date`` in the program's facts).
* The worker is never billed for an accepted claim.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from payerkit import (
    PRIOR_AUTHORIZATION_REQUIRED,
    Case,
    Citation,
    Outcome,
    Visit,
    caution,
    not_covered,
    note,
    requirement,
)
from payerkit.rules import plans
from payerkit.rules.limits import count_between

from . import sources
from .facts import LniFacts, at
from .sources import FIGURES

HOME = "12"
ACCOUNT_PATH = "provider.payer_assigned_id"
ACCOUNT_NUMBER = re.compile(r"[0-9]{6,7}")
AUTHORIZATION_ON_FILE = Citation(
    "The authorization as the practice records it in episode.authorization (number, visits, "
    "dates); the 837P carries its number as REF*G1", confidence="practice")


def outcomes(case: Case, visit: Visit, facts: LniFacts) -> list[Outcome]:
    """Every rule's outcome for the visit; a condition that is not a work injury, alone."""
    if not case.episode.work_related:
        return [not_covered(
            "WA-LNI-NOT-WORK-INJURY", "L&I pays only for the treatment of a worker's industrial "
            "injury or occupational disease: this episode is not a work injury (episode.kind is "
            "not \"work_injury\" and it is not marked employment_related)", sources.SCOPE,
            "episode.kind")]
    return [*numbers(case), *order(case, visit), *authorization(case, visit, facts),
            *progress_report(case, visit, facts), *plan_outcomes(case, visit), *billing()]


#: The functional modalities WAC 296-23-250 names, as payerkit's measure ids.
FUNCTIONAL = ("rom", "sitting_tolerance", "standing_tolerance", "medication")


def plan_outcomes(case: Case, visit: Visit) -> list[Outcome]:
    """The treatment plan (when the case has one): each visit measures at least one functional
    modality, and six visits without measured functional improvement is a maintenance caution
    (L&I authorizes more only on substantiated improvement)."""
    if case.episode.plan is None:
        return []
    return [*plans.required_measures(case, visit, sources.FUNCTIONAL_MEASURES, FUNCTIONAL,
                                     any_of=True),
            *plans.maintenance(case, visit, sources.FUNCTIONAL_MEASURES, visits=6)]


def numbers(case: Case) -> list[Outcome]:
    """The L&I claim number and the practice's L&I provider account number."""
    found = []
    if not case.coverage.claim_number:
        found.append(requirement(
            "WA-LNI-NO-CLAIM-NUMBER", "record the worker's L&I claim number in "
            "coverage.claim_number: it goes at the top right of every page of a bill, and the "
            "837P carries it as REF*Y4", sources.CLAIM_NUMBER, "coverage.claim_number"))
    account = (case.provider.payer_assigned_id or "").strip()
    if not account:
        found.append(requirement(
            "WA-LNI-NO-PROVIDER-ACCOUNT", "record the practice's L&I provider account number in "
            "provider.payer_assigned_id: L&I pays only providers enrolled in its provider "
            "network, and the claim carries the number (837P REF*G2, CMS-1500 box 33b)",
            sources.PROVIDER_ACCOUNT, ACCOUNT_PATH))
    elif not ACCOUNT_NUMBER.fullmatch(account):
        found.append(caution(
            "WA-LNI-PROVIDER-ACCOUNT-FORMAT", "provider.payer_assigned_id: L&I's provider "
            "account number is 6 or 7 digits with no dashes; check the number L&I gave the "
            "practice", sources.PROVIDER_ACCOUNT_FORMAT, ACCOUNT_PATH))
    return found


def order(case: Case, visit: Visit) -> list[Outcome]:
    """The attending provider's written order: on file, in time, not used up."""
    rx, path = case.episode.prescription, "episode.prescription"
    if rx is None:
        return [requirement(
            "WA-LNI-NO-ORDER", "get the written order of the worker's attending provider (a "
            "physician assistant may order for the attending doctor) for massage therapy and "
            "record it in episode.prescription: L&I pays for massage only on that order",
            sources.ORDER, path)]
    if rx.date > visit.date:
        return [requirement(
            "WA-LNI-NO-ORDER", f"the attending provider's order is dated {rx.date.isoformat()}, "
            f"after the visit of {visit.date.isoformat()}: the visit was not on a written order",
            sources.ORDER, path + ".date")]
    used = count_between(case.visits, rx.date, visit.date)
    if rx.visits is not None and used > rx.visits:
        return [requirement(
            "WA-LNI-NO-ORDER", f"this is visit {used} since the attending provider's order of "
            f"{rx.date.isoformat()}, which orders {rx.visits}: get a new written order",
            sources.ORDER, path + ".visits")]
    return [note("WA-LNI-ORDERED", f"given by a licensed massage therapist on the attending "
                 f"provider's written order of {rx.date.isoformat()} (the 837P names the "
                 "provider as the referring provider)", sources.ORDER)]


def visit_number(case: Case, visit: Visit) -> int:
    """The visit's number on the claim: the case's visits up to it, and those given elsewhere."""
    return count_between(case.visits, None, visit.date) + case.coverage.visits_used_elsewhere


def authorization(case: Case, visit: Visit, facts: LniFacts) -> list[Outcome]:
    """What authorization the visit needs, and whether one on file meets it."""
    number, path = visit_number(case, visit), "episode.authorization"
    first = FIGURES.get("visits_without_authorization")
    home = visit.place_of_service == HOME
    self_insured = facts.insurer == "self_insured"
    if number <= first.integer and not home:
        if self_insured:
            return [caution(
                "WA-LNI-SELF-INSURED", f"visit {number} of the claim: a self-insured employer "
                "authorizes its own claims, and whether it lets the first visits go without "
                "authorization is not confirmed: ask the self-insured employer before treating",
                sources.SELF_INSURED_EARLY_VISITS, at("insurer"))]
        return [note("WA-LNI-NO-AUTHORIZATION-NEEDED", f"visit {number} of the claim: visits "
                     f"1-{first.value} need no authorization", first.citation)]
    auth = plans.covering_authorization(case, visit.date)
    if auth is not None and (
            auth.visits is None or plans.authorization_used(case, auth, visit.date) <= auth.visits):
        return [note("WA-LNI-AUTHORIZED", f"visit {number} of the claim needs authorization; "
                     "the authorization on file covers it", AUTHORIZATION_ON_FILE)]
    why, cited = _who_authorizes(number, home, self_insured)
    where = f"visit {number} of the claim" + (" at the worker's home" if home else "")
    every = case.episode.all_authorizations
    held = "" if not every else " (the authorization on file does not cover this visit: " \
        "its dates or its visits)" if len(every) == 1 else " (no authorization on file " \
        "covers this visit: their dates or their visits)"
    return [requirement(PRIOR_AUTHORIZATION_REQUIRED, f"{where}: {why}; record the authorization in "
                        f"{path}{held}", cited, path)]


def _who_authorizes(number: int, home: bool, self_insured: bool) -> tuple[str, Citation]:
    """Whom to ask for the visit's authorization, and the rule that says so."""
    if self_insured:
        return ("a self-insured employer authorizes its own claims: ask it for authorization"),\
            sources.SELF_INSURED
    if home:
        return ("massage therapy at the worker's home needs prior authorization, with the "
                "justification for it"), sources.HOME_VISIT
    last = FIGURES.get("last_hotline_visit")
    if number <= last.integer:
        form = FIGURES.get("hotline_form").value
        return (f"visits 7-{last.value} need authorization: send L&I the Provider Hotline "
                f"Service Authorization Request (form {form})"), last.citation
    return (f"visits after the {last.value}th need the claim manager's authorization: "
            "contact the L&I claim manager"), last.citation


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_due(case: Case, visit: Visit) -> dt.date | None:
    """The day the progress report fell due before ``visit`` (the day of the sixth treatment
    visit or one month after the first, whichever comes first), or ``None`` if none has yet."""
    # treatment visits: a missed appointment is none (nor does it start the month)
    days = sorted(v.date for v in case.visits if v.attended and v.date <= visit.date)
    if not days:
        return None
    after = FIGURES.get("progress_report_visits").integer
    month = add_months(days[0], FIGURES.get("progress_report_months").integer)
    due = min(days[after - 1], month) if len(days) >= after else month
    return due if visit.date > due else None


def report_sent(case: Case, facts: LniFacts, on: dt.date) -> dt.date | None:
    """The day the last progress report went out, on or before ``on``, as the case records it:
    ``facts.wa-lni.progress_report_date``, or the treatment plan's ``progress_reports``."""
    days = [facts.progress_report_date] if facts.progress_report_date is not None else []
    plan = case.episode.plan
    if plan is not None:
        days += [day for day in plan.progress_reports if day <= on]
    return max(days, default=None)


def progress_report(case: Case, visit: Visit, facts: LniFacts) -> list[Outcome]:
    """The progress report, once due: sent on or after the day it fell due, before the visit."""
    due = report_due(case, visit)
    if due is None:
        return []
    sent, path = report_sent(case, facts, visit.date), at("progress_report_date")
    if sent is not None and due <= sent <= visit.date:
        return [note("WA-LNI-PROGRESS-REPORT-SENT", f"the progress report due from "
                     f"{due.isoformat()} went to the attending provider and L&I on "
                     f"{sent.isoformat()}", sources.PROGRESS_REPORT)]
    return [requirement(
        "WA-LNI-PROGRESS-REPORT", f"a progress report fell due on {due.isoformat()} (after six "
        "treatment visits or one month, whichever comes first): send it to the attending "
        "provider and to L&I (or the self-insurer), showing improvement in functional terms "
        "(range of motion, sitting and standing tolerance, reduction in medication) with the "
        "proposed treatment, its goals and expected length, and record its date in "
        f"{path} (or in episode.plan.progress_reports)", sources.PROGRESS_REPORT, path)]


def billing() -> list[Outcome]:
    """What every bill must respect: the worker is never billed; the form; no known deadline."""
    return [
        note("WA-LNI-NO-BILLING-WORKER", "never bill the worker for treatment of an accepted "
             "claim; if eligibility is in question and the worker paid, refund the worker in "
             "full once the claim is allowed and bill L&I", sources.NO_BILLING_WORKER),
        note("WA-LNI-BILL-FORM", "which form L&I takes from a massage therapist today (the "
             "CMS-1500, an electronic 837P, or the department's statement for miscellaneous "
             "services) is not confirmed: check L&I's General Provider Billing Manual",
             sources.BILL_FORM),
        note("WA-LNI-BILL-DEADLINE-UNKNOWN", "no deadline for sending medical bills to L&I was "
             "found, so none is judged", sources.BILL_DEADLINE_UNKNOWN),
    ]

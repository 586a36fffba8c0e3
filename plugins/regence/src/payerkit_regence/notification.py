"""Regence's eviCore notification for massage (commercial plans).

Regence's Physical Medicine and Therapies page: massage needs a **notification** submitted
**within 7 days of the start of treatment**; the notification number authorizes payment; and
the provider must have the **approved notification at least 4 days before submitting the
claim**. payerkit reads:

* the start of treatment: ``[facts.<program>] treatment_start``, else the case's first visit;
* the notification: ``notification_date`` (submitted) and ``notification_approved_date``.

Days are calendar days after the event, the event day not counted (payerkit's reading of
"within seven days of" and "at least four days prior to": not stated on the page). So for a
start on March 2 the notification is on time through March 9, and a notification approved on
March 10 lets the claim go from March 14 (on March 13 it is refused).

A notification that is missing, late or not yet approved is reported as
``REGENCE-NOTIFICATION-REQUIRED``, Regence's own code, not payerkit's shared
``PRIOR-AUTHORIZATION-REQUIRED``: Regence frames it as a notification, not a review, and
whether Washington's six-visit law (RCW 48.43.016) reaches it is a legal question the sources
do not answer, so no rule set overrides it (filing the notification is cheap; a denial is not).
A claim judged before approval + 4 days is a scrub error naming the day it can go. The rule
does not apply to groups Regence Group Administrators or a joint-administration TPA
administers (their own pre-authorization rules), nor to groups outside the Physical Medicine
program (``physical_medicine_program = false``).
"""

from __future__ import annotations

import datetime as dt

from payerkit import Case, Finding, Outcome, Program, caution, facts_path, note, requirement

from . import sources as src
from .facts import RegenceFacts

#: Regence's own code: a notification is not treated as a prior authorization (see above).
NOTIFICATION_REQUIRED = "REGENCE-NOTIFICATION-REQUIRED"


def start_of_treatment(case: Case, facts: RegenceFacts) -> dt.date:
    return facts.treatment_start or case.visits[0].date


def due(case: Case, facts: RegenceFacts) -> dt.date:
    """The last day the notification is on time."""
    days = src.FIGURES.get("notification_days").integer
    return start_of_treatment(case, facts) + dt.timedelta(days=days)


def earliest_claim(approved: dt.date) -> dt.date:
    """The first day a claim may be sent after the notification's approval."""
    return approved + dt.timedelta(days=src.FIGURES.get("claim_after_approval_days").integer)


def applies(facts: RegenceFacts) -> bool:
    return facts.administrator == "regence" and facts.physical_medicine_program


def outcomes(program: Program, case: Case, as_of: dt.date, facts: RegenceFacts) -> list[Outcome]:
    def at(name: str) -> str:
        return facts_path(program, name)

    wait = src.FIGURES.get("claim_after_approval_days").value
    if facts.administrator != "regence":
        who = ("Regence Group Administrators (RGA)" if facts.administrator == "rga"
               else "a joint-administration TPA")
        cited = src.RGA if facts.administrator == "rga" else src.PROGRAM_MEMBERS
        return [caution("REGENCE-OWN-PREAUTHORIZATION", f"the member's group is administered by "
                        f"{who}, whose pre-authorization rules differ from Regence's: Regence's "
                        "eviCore notification rule is not applied; ask the administrator what it "
                        "requires for massage before the claim", cited, at("administrator"))]
    if not facts.physical_medicine_program:
        return [note("REGENCE-NOTIFICATION-NOT-APPLIED", "the case records that the member's "
                     "group is not in Regence's Physical Medicine (eviCore) program "
                     f"({at('physical_medicine_program')} = false): no notification is required",
                     src.PROGRAM_MEMBERS, at("physical_medicine_program"))]
    start, last = start_of_treatment(case, facts), due(case, facts)
    sent, approved = facts.notification_date, facts.notification_approved_date
    window = (f"within {src.FIGURES.get('notification_days').value} days of the start of "
              f"treatment on {start.isoformat()}, i.e. by {last.isoformat()}")
    cited = src.NOTIFICATION
    if sent is None and approved is None:
        late = (f"; that day has passed ({as_of.isoformat()}): submit it now and ask eviCore "
                "whether the visits before it will be paid" if as_of > last else "")
        return [requirement(NOTIFICATION_REQUIRED, f"no eviCore notification is "
                            f"recorded: Regence requires one for massage {window}{late}. The "
                            f"claim can be sent {wait} days after eviCore approves it. Record "
                            f"{at('notification_date')} and {at('notification_approved_date')}",
                            cited, at("notification_date"))]
    found: list[Outcome] = []
    if sent is None:
        found.append(caution("REGENCE-NOTIFICATION-DATE", "the notification's approval is "
                             f"recorded but not the day it was submitted: record "
                             f"{at('notification_date')} so payerkit can check it was sent {window}",
                             cited, at("notification_date")))
    elif sent > last:
        found.append(requirement(NOTIFICATION_REQUIRED, f"the eviCore notification was "
                                 f"submitted on {sent.isoformat()}, {(sent - last).days} day(s) "
                                 f"late: Regence requires it {window}. Ask eviCore or Regence "
                                 "whether the late notification covers the visits before it",
                                 cited, at("notification_date")))
    if approved is None:
        found.append(requirement(NOTIFICATION_REQUIRED, f"the eviCore notification "
                                 f"submitted on {sent.isoformat()} is not recorded as approved: "
                                 f"the claim can be sent {wait} days after eviCore approves it; "
                                 f"record the day in {at('notification_approved_date')}",
                                 cited, at("notification_approved_date")))
    else:
        found.append(note("REGENCE-NOTIFICATION-APPROVED", f"eviCore approved the notification "
                          f"on {approved.isoformat()}: claims can be sent from "
                          f"{earliest_claim(approved).isoformat()} ({wait} days after the "
                          "approval)", src.FIGURES.get("claim_after_approval_days").citation,
                          at("notification_approved_date")))
        if sent is not None and sent <= last:
            found.append(note("REGENCE-NOTIFICATION-ON-TIME", f"the notification was submitted "
                              f"on {sent.isoformat()}, {window}", cited, at("notification_date")))
    return found


def claim_timing(case: Case, as_of: dt.date, facts: RegenceFacts) -> list[Finding]:
    """A claim judged before the approval + 4 days is an error naming the day it can go."""
    approved = facts.notification_approved_date
    if not applies(facts) or approved is None:
        return []
    first = earliest_claim(approved)
    if as_of >= first:
        return []
    wait = src.FIGURES.get("claim_after_approval_days")
    return [Finding("error", "REGENCE-CLAIM-TOO-EARLY", f"eviCore approved the notification on "
                    f"{approved.isoformat()} and Regence needs the approval at least {wait.value} "
                    f"days before the claim is submitted: this claim, judged on "
                    f"{as_of.isoformat()}, can go on {first.isoformat()} (judge it then with "
                    f"--as-of {first.isoformat()})", "as_of", wait.citation)]

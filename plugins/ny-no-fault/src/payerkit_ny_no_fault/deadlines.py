"""The two no-fault deadlines: written notice of the accident, and the bill.

Both run in calendar days after their event, the event day not counted
(payerkit's convention: a service on 2026-03-01 is billed by 2026-04-15), and
both are excused on a written clear and reasonable justification
(11 NYCRR 65-3.3(e)), so a late one is an error unless the case gives
``claim.late_justification``.
"""

from __future__ import annotations

import datetime as dt

from payerkit.model import Case, Deadline, Visit

from . import sources

#: Written notice of the accident: 30 days after it (11 NYCRR 65-1.1; payer-rules.md §5.2, HIGH).
NOTICE_DAYS = 30
#: Proof of claim for health services: 45 days after the service (65-1.1, 65-2.4(c); HIGH).
BILL_DAYS = 45

EXCUSE = (
    "A late filing is excused on written proof of a clear and reasonable justification "
    "(11 NYCRR 65-3.3(e)): write it in claim.late_justification and send it with the bill."
)
NOTICE_CONVENTION = (
    "calendar days, the accident day not counted; notice counts as given when mailed, "
    "DFS OGC Op. 04-02-12"
)
# One law-firm blog (rubinlicatesi, Jan 2022; LOW) counts the day of service as day 1, which
# would make a bill due one day earlier; payerkit keeps its documented convention.
BILL_CONVENTION = (
    "calendar days, the service day not counted; a bill counts as given when mailed, "
    "DFS OGC Op. Jun 30, 2003"
)


def notice_deadline(case: Case) -> Deadline:
    return Deadline(
        name="notice of claim", event="accident", event_date=case.episode.onset_date,
        days=NOTICE_DAYS, citation=sources.NOTICE, late_severity="error", excuse=EXCUSE,
        convention=NOTICE_CONVENTION, path="episode.notice_date",
        done_on=case.episode.notice_date,
    )


def bill_deadline(case: Case, visit: Visit) -> Deadline:
    return Deadline(
        name="bill", event="service", event_date=visit.date, days=BILL_DAYS,
        citation=sources.BILL, late_severity="error", excuse=EXCUSE,
        convention=BILL_CONVENTION, path=f"visits[{case.visits.index(visit)}].date",
    )


def notice_given_late(case: Case) -> dt.date | None:
    """The recorded notice date when it is past the 30-day deadline, else ``None``."""
    given = case.episode.notice_date
    if given is not None and notice_deadline(case).is_late(given):
        return given
    return None


def open_deadlines(case: Case, visit: Visit) -> list[Deadline]:
    """The notice and bill deadlines; a recorded notice date is judged as of that day."""
    return [notice_deadline(case), bill_deadline(case, visit)]

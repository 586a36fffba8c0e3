"""Filing deadlines and the findings for late ones.

A :class:`payerkit.model.Deadline` counts ``days`` calendar days after its
event; the event day is not counted, so a bill due "within 45 days after the
date services are rendered" for a service on March 1 is due by April 15. An
adapter that finds a different convention in its payer's text states it in
``Deadline.convention``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..model.results import Deadline, Finding


def late_findings(deadlines: Iterable[Deadline], on: dt.date, excused: bool = False) -> list[Finding]:
    """One finding per deadline that is past: on the day it was done, else on ``on``.

    A deadline whose rule allows an excuse is a warning when ``excused`` (the
    case gives a written justification) and keeps its own severity otherwise. A
    deadline whose citation is weak (``low``, ``sample``: a lead or a configurable
    placeholder) is at most a warning, as a weak rule's outcome is
    (:func:`payerkit.model.outcome.settle`).
    """
    findings = []
    for d in deadlines:
        judged = d.done_on or on
        if not d.is_late(judged):
            continue
        days_late = (judged - d.due).days
        message = (
            f"{d.name}: due {d.due.isoformat()} ({d.days} {d.convention}, after the "
            f"{d.event} on {d.event_date.isoformat()}); {days_late} day(s) late on {judged.isoformat()}"
        )
        severity = d.late_severity
        if severity == "error" and d.citation.weak:  # a lead or a sample never stops a claim
            severity = "warning"
            message += (f"; the deadline's source is {d.citation.confidence} (not confirmed): "
                        "verify it with the payer")
        if d.excuse:
            message += f". {d.excuse}"
            if excused:
                severity = "warning"
                message += " A written justification is on file."
        findings.append(
            Finding(severity, f"LATE-{d.name.upper().replace(' ', '-')}", message, d.path, d.citation)
        )
    return findings

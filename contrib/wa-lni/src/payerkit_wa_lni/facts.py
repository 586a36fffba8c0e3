"""Washington L&I's own case facts: ``[facts.wa-lni]``.

Every field has a default, so a case may leave any of them out; the rules say what is missing
and why it matters. The date of injury is the case's ``episode.onset_date``, the L&I claim
number its ``coverage.claim_number``, the practice's L&I provider account number its
``provider.payer_assigned_id``, the employer its ``coverage.employer``, the attending
provider's written order ``episode.prescription`` and an authorization ``episode.authorization``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from attrs import frozen
from payerkit import facts_path

#: The program's id: its facts are the case file's ``[facts.wa-lni]``.
PROGRAM_ID = "wa-lni"
#: Who insures the claim: the department's State Fund, or a self-insured employer.
Insurer = Literal["state_fund", "self_insured"]


def at(name: str) -> str:
    """Where one of these facts is in the case: ``facts.wa-lni.<name>``."""
    return facts_path(PROGRAM_ID, name)


@frozen
class LniFacts:
    """The program's facts, typed (read by payerkit's converter with path-addressed errors)."""

    #: The State Fund, or a self-insured employer (who authorizes and pays its own claims).
    insurer: Insurer = "state_fund"
    #: The day the latest progress report went to the attending provider and to L&I (or the
    #: self-insurer): due after six treatment visits or one month, whichever comes first.
    progress_report_date: dt.date | None = None

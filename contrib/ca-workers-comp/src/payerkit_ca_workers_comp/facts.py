"""California workers' compensation's own case facts: ``[facts.ca-workers-comp]``.

Every field has a default, so a case may leave any of them out. The date of injury is the
case's ``episode.onset_date``, the claims administrator's claim number ``coverage.claim_number``,
the employer ``coverage.employer``, the employer's written authorization of more visits
``episode.authorization``, and physical medicine visits for the injury with other providers
``coverage.visits_used_elsewhere``.
"""

from __future__ import annotations

from attrs import frozen
from payerkit import facts_path

#: The program's id: its facts are the case file's ``[facts.ca-workers-comp]``.
PROGRAM_ID = "ca-workers-comp"


def at(name: str) -> str:
    """Where one of these facts is in the case: ``facts.ca-workers-comp.<name>``."""
    return facts_path(PROGRAM_ID, name)


@frozen
class CaFacts:
    """The program's facts, typed (read by payerkit's converter with path-addressed errors)."""

    #: The claims administrator confirmed in writing that it pays this practice for massage
    #: therapy on this claim (that a massage therapist may bill directly is not confirmed).
    billing_confirmed: bool = False
    #: The care is post-surgical physical medicine under the post-surgical treatment
    #: utilization schedule (8 CCR § 9792.24.3): the 24-visit cap does not apply to it.
    post_surgical: bool = False

"""One pass over a case: every answer :class:`payerkit.PayerKit` gives, each computed once.

:meth:`payerkit.PayerKit.evaluate` returns an :class:`Evaluation`; hand it to
:meth:`payerkit.PayerKit.claim` (``evaluation=``) to write the claim without
pricing or scrubbing again. Only an evaluation the same kit made, for the same
case, visits and day, is accepted: a claim is never written on another case's
scrub, an edited copy, or yesterday's answer (see ``PayerKit.claim``).
"""

from __future__ import annotations

import datetime as dt

from attrs import define, field

from .case import Case, Visit
from .claim import Claim
from .results import Deadline, Eligibility, Finding, Limits, PaymentTerms, Pricing, Scrub


@define(frozen=True, eq=False, weakref_slot=True)
class Evaluation:
    """What a visit (or the visits one claim bills) gets from the kit, in one pass.

    ``eligibility``, ``limits`` and ``payment_terms`` answer for the last
    visit billed (what ``check``, ``limits`` and ``terms`` answer by default);
    ``pricings`` has one :class:`Pricing` per visit billed, in date order
    (``pricing`` is the last's); ``scrub`` is the whole claim's, the writer of
    ``format`` included. ``claim`` is the claim model when the scrub found no
    error, else ``None``.

    Compared by identity (``eq=False``): two evaluations are never "equal",
    so an edited copy is never mistaken for the kit's own.
    """

    program: str
    case: Case = field(repr=False)
    visits: tuple[Visit, ...] = field(repr=False)
    as_of: dt.date
    format: str | None
    eligibility: Eligibility
    pricings: tuple[Pricing, ...]
    limits: Limits
    payment_terms: PaymentTerms
    scrub: Scrub
    claim: Claim | None = field(repr=False)
    #: The kit's private parts: what PayerKit.claim checks and reuses. Not API.
    draft: Claim = field(repr=False, alias="draft")
    format_findings: tuple[Finding, ...] = field(repr=False)
    deadlines: tuple[tuple[Deadline, ...], ...] = field(repr=False)
    asked_as_of: dt.date | None = field(repr=False)
    generation: int = field(repr=False)

    @property
    def pricing(self) -> Pricing:
        """The last billed visit's pricing (what ``price`` answers by default)."""
        return self.pricings[-1]

    @property
    def clean(self) -> bool:
        """``True`` when the scrub found no error: the claim may be written."""
        return self.claim is not None


__all__ = ["Evaluation"]

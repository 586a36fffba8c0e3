"""One pass over a case: every answer :class:`payerkit.PayerKit` gives, each computed once.

:meth:`payerkit.PayerKit.evaluate` returns an :class:`Evaluation`; its
:meth:`Evaluation.write` makes the claim file, from the rendering its scrub
checked, without pricing or scrubbing again. An evaluation carries its own
case, visits and day, so it can only ever write its own claim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import define, field

from .case import Case, Visit
from .claim import Claim
from .results import Eligibility, Limits, PaymentTerms, Pricing, Scrub


@define(frozen=True, eq=False)
class Evaluation:
    """What a visit (or the visits one claim bills) gets from the kit, in one pass.

    ``eligibility``, ``limits`` and ``payment_terms`` answer for the last
    visit billed (what ``check``, ``limits`` and ``terms`` answer by default);
    ``pricings`` has one :class:`Pricing` per visit billed, in date order
    (``pricing`` is the last's); ``scrub`` is the whole claim's, the findings of
    ``format`` (the format it checked) included. ``claim`` is the claim model
    when the scrub found no error, else ``None``.
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
    #: The pass that made it (``payerkit.pipeline.Run``): what write() writes from.
    _run: Any = field(repr=False)

    @property
    def pricing(self) -> Pricing:
        """The last billed visit's pricing (what ``price`` answers by default)."""
        return self.pricings[-1]

    @property
    def clean(self) -> bool:
        """``True`` when the scrub found no error: the claim may be written."""
        return self.claim is not None

    @property
    def patient_billing(self):
        """What the patient may be billed once the payer decides the claim (a
        :class:`payerkit.model.PatientBilling`): asked of the plugins when first read (the
        ledger reads it when it records the claim)."""
        return self._run.patient_billing

    @property
    def plan(self):
        """The treatment plan's state on the evaluation's day (a
        :class:`payerkit.model.PlanReport`, as ``PayerKit.plan`` answers it), made when first
        read: what the progress report (``write("progress-report")``) draws. A case without
        ``episode.plan``: :class:`payerkit.errors.CaseError` naming it."""
        return self._run.plan_report

    def write(self, format: str | None = None, options: Any = None) -> bytes:
        """The claim file's bytes in ``format`` (default: the format the scrub checked).

        Written from the rendering the scrub checked (nothing is asked or rendered
        again), with ``options`` (a :class:`payerkit.formats.WriteOptions`: control
        numbers, the clock; default the counter and now). Raises
        :class:`payerkit.errors.ClaimRefused` when the scrub for that format finds errors:
        the visits' and the deadlines' errors; when there are none, the format's own (in
        another format than the one checked, the claim is rendered in it once, then).
        """
        return self._run.write(format, options)

    def to_stream(self, options: Any = None):
        """The claim ready for its format's stream (``payerkit batch``'s interchanges): the
        :class:`payerkit.model.Rendering` the scrub checked, or, when a plugin's
        ``payerkit_format_claim`` writes the claim itself (asked without payerkit's own
        writer), that plugin's bytes, a file of its own. Refused as :meth:`write` is."""
        return self._run.write(None, options, stream=True)


__all__ = ["Evaluation"]

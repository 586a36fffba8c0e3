"""Outcomes: one list of rule results that feeds both eligibility and the scrub.

An adapter (and a cross-program rule set) answers ``payerkit_outcomes`` with
:class:`Outcome` records for one visit. The kit reads the same list twice, so
``check`` and ``scrub`` cannot disagree about a visit:

=============  ===========================  ===========================
effect         eligibility                  scrub finding (default)
=============  ===========================  ===========================
not_covered    status ``not_covered``       error
requirement    status ``action_required``   error
caution        a reason                     warning
note           a reason                     none
=============  ===========================  ===========================

Honest rules: an outcome is only as strong as its citation (:func:`settle`).
A ``not_covered`` outcome whose citation is not confirmed (confidence other
than ``high``, ``rule`` or ``practice``) is read as a ``requirement`` to
verify with the plan, never a refusal; and a rule cited only ``low`` or
``sample`` is at most a scrub *warning*, so a lead or a placeholder never
stops a claim. ``severity`` overrides the scrub severity of one outcome
within those bounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

import attrs
from attrs import frozen

from .results import Citation, Finding, Reason, Severity

#: Shared outcome codes: an adapter uses them for these common grounds, so a rule set
#: (a state's law) can recognise and override them without knowing the payer.
#: A prior authorization (utilization review) is required before the payer pays.
PRIOR_AUTHORIZATION_REQUIRED = "PRIOR-AUTHORIZATION-REQUIRED"
#: Care is refused only because of the provider's category (e.g. massage therapists).
PROVIDER_CATEGORY_EXCLUDED = "PROVIDER-CATEGORY-EXCLUDED"

Effect = Literal["not_covered", "requirement", "caution", "note"]
EFFECTS: tuple[Effect, ...] = get_args(Effect)
_DEFAULT_SEVERITY: dict[str, Severity | None] = {
    "not_covered": "error", "requirement": "error", "caution": "warning", "note": None,
}
UNCONFIRMED_SUFFIX = " (rule not confirmed from the payer's or the law's own text: verify with the plan)"


@frozen
class Outcome:
    """One rule's result for a visit.

    :param effect: ``not_covered``, ``requirement``, ``caution`` or ``note``.
    :param code: a stable upper-case code (``NY-NO-CLAIM-NUMBER``).
    :param message: what the clerk reads; names no patient data.
    :param citation: where the rule comes from (required: every answer is cited).
    :param path: the case field the outcome is about (``episode.prescription``).
    :param severity: the scrub severity, when it must differ from the effect's default.
    """

    effect: Effect = attrs.field(validator=attrs.validators.in_(EFFECTS))
    code: str
    message: str
    citation: Citation
    path: str | None = None
    severity: Severity | None = None

    @property
    def reason(self) -> Reason:
        """The outcome as eligibility shows it; a caution or weak requirement keeps its warning."""
        return Reason(self.code, self.message, self.citation,
                      "warning" if self.finding_severity == "warning" else None)

    @property
    def finding_severity(self) -> Severity | None:
        return self.severity if self.severity is not None else _DEFAULT_SEVERITY[self.effect]

    @property
    def finding(self) -> Finding | None:
        severity = self.finding_severity
        if severity is None:
            return None
        return Finding(severity, self.code, self.message, self.path, self.citation)


def not_covered(code: str, message: str, citation: Citation, path: str | None = None,
                severity: Severity | None = None) -> Outcome:
    """The program does not pay for this care (when the citation confirms it)."""
    return Outcome("not_covered", code, message, citation, path, severity)


def requirement(code: str, message: str, citation: Citation, path: str | None = None,
                severity: Severity | None = None) -> Outcome:
    """Something must be done before the program pays (a prescription, a number...)."""
    return Outcome("requirement", code, message, citation, path, severity)


def caution(code: str, message: str, citation: Citation, path: str | None = None,
            severity: Severity | None = None) -> Outcome:
    """A risk the clerk must see (another payer first, an unconfirmed limit)."""
    return Outcome("caution", code, message, citation, path, severity)


def note(code: str, message: str, citation: Citation, path: str | None = None) -> Outcome:
    """Why a rule is met: a reason in the answer, no finding."""
    return Outcome("note", code, message, citation, path)


def settle(outcome: Outcome) -> Outcome:
    """The outcome as the kit reports it: unconfirmed rules never refuse, weak ones never stop."""
    citation = outcome.citation
    changes: dict = {}
    if outcome.effect == "not_covered" and not citation.confirmed:
        changes["effect"] = "requirement"
    if citation.weak and outcome.finding_severity == "error":
        changes["severity"] = "warning"
    if outcome.effect in ("not_covered", "requirement") and not citation.confirmed \
            and not outcome.message.endswith(UNCONFIRMED_SUFFIX):
        changes["message"] = outcome.message + UNCONFIRMED_SUFFIX
    return attrs.evolve(outcome, **changes) if changes else outcome


def status_of(outcomes: Iterable[Outcome]) -> str:
    """``not_covered`` if any outcome says so, else ``action_required`` on a requirement."""
    effects = {o.effect for o in outcomes}
    if "not_covered" in effects:
        return "not_covered"
    return "action_required" if "requirement" in effects else "covered"


__all__ = ["EFFECTS", "Effect", "Outcome", "PRIOR_AUTHORIZATION_REQUIRED",
           "PROVIDER_CATEGORY_EXCLUDED", "UNCONFIRMED_SUFFIX", "caution", "not_covered", "note",
           "requirement", "settle", "status_of"]

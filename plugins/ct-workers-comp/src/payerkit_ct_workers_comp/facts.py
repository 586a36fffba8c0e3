"""Connecticut workers' compensation's own case facts: ``[facts.ct-workers-comp]``.

Every field has a default, so a case may leave any of them out; the rules say what is
missing and why it matters. The date of injury is the case's ``episode.onset_date``, the
carrier's claim number its ``coverage.claim_number`` and the employer its ``coverage.employer``
(and ``coverage.employer_address``); the authorized treating practitioner's
referral is ``episode.prescription`` and the carrier's authorization ``episode.authorization``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from attrs import field, frozen
from payerkit import Case, CaseError, facts_path

BillingArrangement = Literal["carrier_agreement", "under_treating_practice"]
UnitRuleChoice = Literal["cms-8-minute", "cpt-midpoint"]
Form43Scope = Literal["liability", "treatment"]
#: The program's id: its facts are the case file's ``[facts.ct-workers-comp]``.
PROGRAM_ID = "ct-workers-comp"


def at(name: str) -> str:
    """Where one of these facts is in the case: ``facts.ct-workers-comp.<name>``."""
    return facts_path(PROGRAM_ID, name)


@frozen
class CtFacts:
    """The program's facts, typed (read by payerkit's converter with path-addressed errors)."""

    #: Older spelling of the case's ``coverage.employer`` (the employer is the insured of a
    #: workers' compensation claim, a core field): still read, and moved there when the case
    #: leaves ``coverage.employer`` out (``Program.moved_facts``). New files use the core field.
    employer: str | None = None
    #: The day the employer (or an administrative law judge) received the employee's written
    #: notice of claim (Form 30C): it starts the employer's 28 days (C.G.S. § 31-294c(b)).
    notice_of_claim_date: dt.date | None = None
    #: The injury is an occupational disease: notice within three years of the first
    #: manifestation of a symptom (``episode.onset_date``) instead of one year of the accident.
    occupational_disease: bool = False
    #: The day the employer or carrier filed a Form 43 (notice contesting liability).
    form_43_date: dt.date | None = None
    #: What the Form 43 contests: the claim (``liability``) or only this treatment
    #: (``treatment``: a denial of authorization on an otherwise accepted claim).
    form_43_contests: Form43Scope = "liability"
    #: The day the employer or carrier began paying on the claim.
    first_payment_date: dt.date | None = None
    #: The first day the employer furnished the employee medical or surgical care for the
    #: injury: within the notice period it excuses a late or missing notice of claim
    #: (C.G.S. § 31-294c(c)); care paid by the employee's group health plan does not count.
    medical_care_date: dt.date | None = None
    #: The day the carrier accepted the claim in writing (a voluntary agreement, a letter).
    accepted_date: dt.date | None = None
    #: Who bills: the carrier agreed in writing to pay the massage practice directly, or the
    #: bill goes out under the authorized treating practice. ``None``: not yet arranged.
    billing_arrangement: BillingArrangement | None = None
    #: The practice's written contract rates with the carrier, per unit: code -> amount.
    #: They take precedence over the Official Connecticut Practitioner Fee Schedule.
    contract_rates: dict[str, Decimal] = field(factory=dict)
    #: The contract the rates come from (its name and date), quoted in every priced line.
    contract_source: str | None = None
    #: How minutes become 15-minute units; ``None``: the CMS 8-minute rule, as a default.
    unit_rule: UnitRuleChoice | None = None
    #: The carrier's bill deadline in days after the date of service, when the practice knows
    #: it (a contract, the carrier's letter): none is judged otherwise.
    bill_days: int | None = None


#: The claim's dates that cannot come before the injury (``episode.onset_date``).
AFTER_INJURY = ("notice_of_claim_date", "form_43_date", "first_payment_date", "accepted_date",
                "medical_care_date")


def checked(case: Case, facts: CtFacts) -> CtFacts:
    """The facts, or a :class:`payerkit.CaseError` naming each field a type cannot check: a
    number out of range, a date of the claim before the injury (dates are not echoed)."""
    problems = []
    if facts.bill_days is not None and facts.bill_days < 1:
        problems.append(f"{at('bill_days')}: expected a number of days >= 1")
    injury = case.episode.onset_date
    problems += [f"{at(name)}: expected a date on or after the injury (episode.onset_date)"
                 for name in AFTER_INJURY
                 if getattr(facts, name) is not None and getattr(facts, name) < injury]
    if problems:
        raise CaseError(problems)
    return facts

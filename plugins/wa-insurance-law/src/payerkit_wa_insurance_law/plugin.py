"""Washington insurance law as a payerkit rule set: it owns no program.

It governs every installed Washington commercial program (Premera, Regence, any
community adapter declaring state WA and line commercial) for fully insured
plans; the kit never asks it about a self-funded (ERISA) plan, and applies it
with a caution when a case does not say how its plan is funded.

* **Every category of provider** (RCW 48.43.045, WAC 284-170-270): a payer's
  outcome ``PROVIDER-CATEGORY-EXCLUDED`` (care refused only because the
  provider is a massage therapist) is overridden with a reason citing the law.
* **Six visits without prior authorization** (RCW 48.43.016, from dates of
  service on 2018-06-07): a payer's ``PRIOR-AUTHORIZATION-REQUIRED`` for
  visits 1-6 of a new episode of care is overridden; a referral or
  prescription may still be required, and the visits count toward limits.
  The text in force on the date of service is cited: ESSB 6157's (2018) until
  2020-06-10, 2ESB 5887's (Laws of 2020, ch. 193) from 2020-06-11, whose
  wording was not seen in full, so from then the override is a caution to
  verify rather than a plain note.
* **Prompt pay** (WAC 284-170-431): the payment terms of every governed plan;
  the interest is owed only while the carrier misses the 95% standard.
* **Limits**: the six visits are reported as the shared "visits before review" limit
  (:func:`payerkit.rules.limits.with_review_window`): one row with a payer's own review window,
  the one that leaves more visits.

Figures are in ``data/figures.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable

from payerkit import (
    PRIOR_AUTHORIZATION_REQUIRED,
    PROVIDER_CATEGORY_EXCLUDED,
    Citation,
    Limit,
    PatientBilling,
    PaymentTerm,
    RuleSet,
    caution,
    hookimpl,
    load_figures,
    note,
)
from payerkit.rules.limits import count_between, episode_start, review_window, with_review_window

FIGURES = load_figures(__package__)
EVERY_CATEGORY = Citation(
    "RCW 48.43.045(1)(a) and WAC 284-170-270: a health plan must permit every category of "
    "licensed health care provider to provide covered services within its scope of practice; "
    "an issuer may apply medical-necessity, visit-limit and network standards but may not "
    "exclude a category; Washington Office of the Insurance Commissioner, 'Your rights to see "
    "a medical provider (Every Category law)', names licensed massage therapists",
    "WAC 284-170-270 (2020 archive); OIC page undated; current RCW text not seen", "high")
SIX_VISITS = "pa_free_treatment_visits"
RULE_SET = RuleSet(
    "wa-insurance-law", "Washington insurance law (RCW 48.43, WAC 284-170)", ("WA",),
    ("commercial",), ("fully_insured",),
    (EVERY_CATEGORY, *(f.citation for f in FIGURES.by_name[SIX_VISITS]),
     FIGURES.get("clean_claims_days").citation))


def _terms() -> tuple[PaymentTerm, ...]:
    clean, share = FIGURES.get("clean_claims_days"), FIGURES.get("clean_claims_share")
    every, rate = FIGURES.get("all_claims_days"), FIGURES.get("interest_per_month")
    after = FIGURES.get("interest_after_days")
    return (
        PaymentTerm("clean claims paid", f"at least {share.decimal:%} of each provider's "
                    f"clean claims of a month are paid within {clean.value} days of receipt",
                    clean.citation, days=clean.integer, share=share.decimal),
        PaymentTerm("all claims decided", f"at least {share.decimal:%} of each provider's claims "
                    f"of a month are paid or denied within {every.value} days of receipt",
                    every.citation, days=every.integer, share=share.decimal),
        PaymentTerm("interest on late clean claims", f"only while the carrier misses the "
                    f"{share.decimal:%} standards above: {rate.decimal:%} a month, simple, on "
                    f"undenied, unpaid clean claims more than {after.value} days old, added "
                    "without the provider asking", rate.citation,
                    interest_per_month=rate.decimal, interest_after_days=after.integer,
                    interest_condition=f"only while the carrier misses the {share.decimal:%} "
                    "prompt-payment standards (WAC 284-170-431)"),
    )


TERMS = _terms()


def six_visits(case, visit) -> Limit | None:
    """The law's visits without prior authorization in the visit's new episode of care, as a
    :data:`~payerkit.rules.limits.VISITS_BEFORE_REVIEW` limit (``None`` before the law)."""
    rule = FIGURES.find(SIX_VISITS, visit.date)
    if rule is None:
        return None
    gap = FIGURES.get("new_episode_days", visit.date).integer
    start = episode_start(case.visits, visit.date, gap) or visit.date
    return review_window(rule.integer, count_between(case.visits, start, visit.date),
                         f"this new episode of care, since {start.isoformat()} (RCW 48.43.016: no "
                         f"prior authorization for up to {rule.value} consecutive treatment "
                         "visits)", rule.citation)


def pa_free_visit(case, visit) -> int | None:
    """The visit's number in a new episode of care when the law bars prior authorization for it."""
    limit = six_visits(case, visit)
    return limit.used if limit is not None and limit.used <= limit.allowed else None


#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): the
#: conformance suite wants a case reaching each one (docs/hooks.md, Conformance).
CODES = frozenset({
    "WA-EVERY-CATEGORY", "WA-EVERY-CATEGORY-OVERRIDE", "WA-NO-PRIOR-AUTHORIZATION", "WA-SIX-VISITS",
})


@hookimpl
def payerkit_rule_sets():
    return [RULE_SET]


@hookimpl
def payerkit_outcomes(case, visit):
    found = [note("WA-EVERY-CATEGORY", "Washington's every-category law: a fully insured plan "
                  "may not exclude licensed massage therapists as a category from covered "
                  "services within their scope; it may still apply medical necessity, visit "
                  "limits and network standards", EVERY_CATEGORY)]
    number = pa_free_visit(case, visit)
    if number is not None:
        found.append(note("WA-SIX-VISITS", f"visit {number} of a new episode of care (no "
                          "treatment by this provider in the 90 days before it began): no prior "
                          "authorization may be required for up to 6 consecutive treatment "
                          "visits with a contracting provider; a referral or prescription may "
                          "still be, and the visits count toward the plan's limits",
                          six_visits_citation(visit)))
    return found


def six_visits_citation(visit) -> Citation:
    """RCW 48.43.016 as in force on the visit's date of service."""
    return FIGURES.get(SIX_VISITS, visit.date).citation


@hookimpl(wrapper=True, specname="payerkit_outcomes")
def lawful_outcomes(case, visit):
    """Override what the law forbids in the owner's (and anyone's) outcomes."""
    results = yield
    number = pa_free_visit(case, visit)
    cited = six_visits_citation(visit) if number is not None else None
    return [[_lawful(o, number, cited) for o in found] if isinstance(found, list | tuple)
             else found for found in results]


def _lawful(outcome, number: int | None, cited: Citation | None):
    code = getattr(outcome, "code", None)  # a wrong type is left for the kit to report
    if code == PROVIDER_CATEGORY_EXCLUDED:
        return note("WA-EVERY-CATEGORY-OVERRIDE", "the plan's exclusion of this provider's "
                    "category does not apply: Washington law requires a fully insured plan to "
                    "permit every category of licensed provider to provide covered services "
                    "within its scope", EVERY_CATEGORY, outcome.path)
    if code == PRIOR_AUTHORIZATION_REQUIRED and number is not None:
        message = (f"the plan's prior authorization does not apply to visit {number} of a new "
                   "episode of care: Washington law bars it for up to 6 consecutive treatment "
                   "visits with a contracting provider")
        if cited.confirmed:
            return note("WA-NO-PRIOR-AUTHORIZATION", message, cited, outcome.path)
        return caution("WA-NO-PRIOR-AUTHORIZATION", f"{message} (the text in force on this "
                       "date of service was not seen in full: verify with the plan before "
                       "relying on it)", cited, outcome.path)
    return outcome


@hookimpl(wrapper=True, specname="payerkit_visit_limits")
def review_window_limit(case, visit):
    """Add the law's visits before review to the owner's limits, one row with the payer's own."""
    found = yield
    limit = six_visits(case, visit)
    if found is None:
        found = []
    if limit is None or isinstance(found, str | bytes) or not isinstance(found, Iterable):
        return found  # a wrong type is left for the kit to report
    found = list(found)
    if not all(isinstance(item, Limit) for item in found):
        return found
    return with_review_window(found, limit)


@hookimpl
def payerkit_payment_terms() -> Iterable[PaymentTerm]:
    return TERMS


HOLD_HARMLESS = PatientBilling(
    "responsibility", "a participating (contracted) provider may bill the enrollee only "
    "deductibles, copayments, coinsurance and services the plan does not cover, never the "
    "difference between the charge and the plan's payment (the contract's hold-harmless clause; "
    "a provider without a contract is not bound by it: check yours)", Citation(
        "WAC 284-170-421(3)(a): every participating provider contract holds the enrollee "
        "harmless for covered services, except deductibles, copayments, coinsurance and "
        "payment for non-covered services", "app.leg.wa.gov current copy", "high"))


@hookimpl
def payerkit_patient_billing() -> PatientBilling:
    return HOLD_HARMLESS

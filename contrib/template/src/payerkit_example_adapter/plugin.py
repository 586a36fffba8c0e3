"""The hooks of the adapter: a small worked example of each hook a payer adapter needs.

Every rule is an invented SAMPLE cited in sources.py, and every figure lives in
data/figures.toml beside its citation. Replace them one at a time with the payer's own;
tests/cases holds an invented case for each example and tests/expected.toml what it gives.

payerkit asks these hooks only about this plugin's own program (the core owns dispatch), so
no hook checks which program it is asked about. Each hook takes only the arguments it needs
of the context: program, case, visit, as_of, facts (docs/hooks.md in payerkit).
"""

from __future__ import annotations

import attrs

from payerkit import (
    Deadline,
    Finding,
    Limit,
    PaymentTerm,
    Program,
    Reason,
    caution,
    facts_path,
    hookimpl,
    not_covered,
    note,
    requirement,
    visit_path,
)
from payerkit.formats import CMS_1500, X12_837P
from payerkit.rules.fees import FeeEntry, FeeSchedule
from payerkit.rules.limits import count_in_benefit_year
from payerkit.rules.money import line_amount
from payerkit.rules.units import CMS_8_MINUTE

from . import sources
from .facts import ExampleAdapterFacts
from .sources import FIGURES

PROGRAM = Program(
    id="example-adapter",
    name="Example adapter (SAMPLE program: every rule invented)",
    line_of_business="commercial",
    states=("WA",),
    claim_formats=(X12_837P, CMS_1500),
    claim_formats_citation=sources.CLAIM_FORMATS,
    sources=(sources.POLICY, sources.CLAIM_FORMATS, sources.FEE_SCHEDULE),
    payer_id=FIGURES.get("payer_id").value,
    payer_id_citation=FIGURES.get("payer_id").citation,
    facts=ExampleAdapterFacts,
)

#: Every code this adapter's rules give (outcomes, scrub findings, pricing reasons): a case
#: in tests/cases reaches each one, and tests/expected.toml says which.
CODES = frozenset({
    "EXAMPLE-ADAPTER-NO-PRESCRIPTION",
    "EXAMPLE-ADAPTER-PRESCRIBED",
    "EXAMPLE-ADAPTER-VISIT-LIMIT",
    "EXAMPLE-ADAPTER-OTHER-PAYER-FIRST",
    "EXAMPLE-ADAPTER-UNIT-RULE",
    "EXAMPLE-ADAPTER-DAILY-UNIT-CAP",
})


# ------------------------------------------------------------------ registration


@hookimpl
def payerkit_programs():
    """The programs this plugin answers for; asked once, when the kit starts."""
    return [PROGRAM]


# ------------------------------------------------------------------ coverage


@hookimpl
def payerkit_outcomes(program, case, visit, facts):
    """Coverage rules for a visit: one list feeds both ``payerkit check`` and the scrub.

    ``not_covered`` (the payer does not pay), ``requirement`` (something to do first),
    ``caution`` (a risk the clerk must see) and ``note`` (why a rule is met), each with a
    code, a message naming no patient data, a citation and the case field it is about.
    """
    found = []
    if case.episode.prescription is None:
        found.append(requirement(
            "EXAMPLE-ADAPTER-NO-PRESCRIPTION",
            "get a prescription for massage therapy before billing",
            sources.PRESCRIPTION, "episode.prescription"))
    else:
        found.append(note(
            "EXAMPLE-ADAPTER-PRESCRIBED",
            "prescribed massage therapy is covered",
            sources.PRESCRIPTION, "episode.prescription"))
    limit = visits_this_year(case, visit)
    if limit.over:
        found.append(not_covered(
            "EXAMPLE-ADAPTER-VISIT-LIMIT",
            f"visit {limit.used} of the {limit.window}: past the plan's {limit.allowed} "
            "visits a year", limit.citation, visit_path(case, visit, "date")))
    another_pays = case.episode.kind == "auto_accident" or case.episode.work_related
    if another_pays and not facts.other_payer_denied:
        found.append(caution(
            "EXAMPLE-ADAPTER-OTHER-PAYER-FIRST",
            "care after an accident is billed to the auto or workers' compensation carrier "
            "first; record other_payer_denied once it has refused",
            sources.OTHER_PAYER_FIRST, facts_path(program, "other_payer_denied")))
    return found


# ------------------------------------------------------------------ pricing

#: The payer's unit rule; its notes are repeated in every pricing.
UNIT_RULE = attrs.evolve(CMS_8_MINUTE, notes=[Reason(
    "EXAMPLE-ADAPTER-UNIT-RULE",
    "the payer counts timed units by the CMS 8-minute rule", sources.UNIT_RULE)])
#: The fee schedule, from the ``fee.<code>`` figures (each edition with its dates).
FEES = FeeSchedule(sources.FEE_SCHEDULE, [
    FeeEntry(code, fee.decimal, effective_from=fee.effective_from, effective_to=fee.effective_to)
    for code, editions in FIGURES.group("fee").items() for fee in editions])


@hookimpl
def payerkit_units():
    """How timed minutes become 15-minute units."""
    return UNIT_RULE


@hookimpl
def payerkit_fee_schedule():
    """The allowed amount per unit of each code, on the visit's date of service."""
    return FEES


@hookimpl
def payerkit_adjust_pricing(visit, pricing):
    """The payer's payment rules on a priced visit: units past the daily cap are not allowed.

    Return the same lines in the same order with new amounts and reasons, or ``None`` to
    keep the pricing as it is. Round money only with ``line_amount``.
    """
    cap = FIGURES.get("units_per_day", visit.date)
    left, lines, reasons = cap.integer, [], list(pricing.reasons)
    for line in pricing.lines:
        fits = min(line.units, left)
        left -= fits
        if fits < line.units:
            reasons.append(Reason(
                "EXAMPLE-ADAPTER-DAILY-UNIT-CAP",
                f"{line.code}: {line.units - fits} of {line.units} unit(s) not allowed, past "
                f"the {cap.value} units a day", cap.citation))
            if line.rate is not None:
                line = attrs.evolve(line, allowed=line_amount(line.rate, fits))
        lines.append(line)
    if len(reasons) == len(pricing.reasons):
        return None
    return attrs.evolve(pricing, lines=lines, reasons=reasons)


@hookimpl
def payerkit_scrub(case, visit, pricing):
    """Problems in the claim's form, given its pricing, before it goes out.

    A ``warning`` lets the claim go, an ``error`` stops it; payerkit already checks codes,
    NPIs, dates, addresses and every field limit of the claim's formats.
    """
    cap = FIGURES.get("units_per_day", visit.date)
    billed = sum(line.units for line in pricing.lines)
    if billed <= cap.integer:
        return []
    return [Finding(
        "warning", "EXAMPLE-ADAPTER-DAILY-UNIT-CAP",
        f"{billed} units billed for one day; the payer allows {cap.value}: expect the rest "
        "to be denied", visit_path(case, visit, "services"), cap.citation)]


# ------------------------------------------------------------------ limits, deadlines, terms


def visits_this_year(case, visit) -> Limit:
    """Visits of the calendar year up to this one, here and elsewhere, against the limit."""
    limit = FIGURES.get("visits_per_year", visit.date)
    used = count_in_benefit_year(case.visits, visit.date) + case.coverage.visits_used_elsewhere
    return Limit("visits per calendar year", "visits", limit.integer, used,
                 f"calendar year {visit.date.year}", limit.citation)


@hookimpl
def payerkit_visit_limits(case, visit):
    """What is used and what is left under the plan's limits, as of the visit."""
    return [visits_this_year(case, visit)]


@hookimpl
def payerkit_filing_deadline(case, visit):
    """The deadlines for billing the visit; payerkit judges them on as_of.

    A deadline whose figure is not confirmed from the payer's own text only warns; once
    its figure is cited ``high``, a late claim is an error and is not written.
    """
    days = FIGURES.get("filing_days", visit.date)
    late = "error" if days.citation.confirmed else "warning"
    return [Deadline("claim submission", "service", visit.date, days.integer, days.citation,
                     late_severity=late, path=visit_path(case, visit, "date"))]


@hookimpl
def payerkit_payment_terms(visit):
    """What the payer owes on a claim for the visit, and by when."""
    days = FIGURES.get("payment_days", visit.date)
    interest = FIGURES.get("interest_per_month", visit.date)
    return [
        PaymentTerm("clean-claim payment", f"a clean claim is paid within {days.value} days "
                    "of its receipt", days.citation, days=days.integer),
        PaymentTerm("interest on late payment", f"{interest.decimal * 100:g}% a month on a "
                    f"clean claim unpaid after {days.value} days", interest.citation,
                    interest_per_month=interest.decimal, interest_after_days=days.integer),
    ]

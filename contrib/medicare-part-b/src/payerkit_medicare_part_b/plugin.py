"""payerkit hooks for ``medicare-part-b``, Medicare Part B (original Medicare).

payerkit asks these hooks only about this plugin's own program. What it answers:

* **Massage therapists are not Medicare providers**: when the billing provider or the
  rendering practitioner is a massage therapist (taxonomy 225700000X), the visit is **not
  covered**, with the reason, and a note that a Medicare Advantage plan (a different program)
  may offer massage as a supplemental benefit.
* Another provider's therapy is outside this adapter: "verify with the plan".

The program takes only the superbill: no claim goes to Medicare for a massage therapist.
payerkit's ``Program`` has no line of business for Medicare: the program is registered as
``commercial`` with the state ``US`` (nationwide), so that no state's rule set (state
insurance law, which does not govern Medicare) selects it.
"""

from __future__ import annotations

from payerkit import Program, Reason, hookimpl, not_covered, note, requirement
from payerkit.formats import SUPERBILL, SUPERBILL_HTML
from payerkit.rules.fees import FeeSchedule
from payerkit.rules.units import CMS_8_MINUTE

from . import sources
from .sources import MASSAGE_THERAPIST

PROGRAM = Program(
    id="medicare-part-b",
    name="Medicare Part B (original Medicare)",
    line_of_business="medicare",
    states=("US",),
    claim_formats=(SUPERBILL, SUPERBILL_HTML),
    claim_formats_citation=sources.CLAIM_FORMATS,
    sources=(sources.NOT_A_PROVIDER, sources.ADVANTAGE_SUPPLEMENTAL, sources.CODES),
)

#: Every code this plugin's rules give (outcomes, scrub findings, pricing reasons): each is
#: reached by a case in tests/cases.
CODES = frozenset({
    "MEDICARE-B-ADVANTAGE-SUPPLEMENTAL", "MEDICARE-B-NO-FEES", "MEDICARE-B-NOT-A-PROVIDER",
    "MEDICARE-B-NOT-ENCODED",
})


@hookimpl
def payerkit_programs():
    return [PROGRAM]


@hookimpl
def payerkit_outcomes(case):
    treating = {"provider.taxonomy": case.provider.taxonomy}
    if case.rendering is not None:
        treating["rendering.taxonomy"] = case.rendering.taxonomy
    therapist = [path for path, code in treating.items() if code == MASSAGE_THERAPIST]
    if not therapist:
        return [requirement(
            "MEDICARE-B-NOT-ENCODED", "neither the billing provider nor the rendering "
            "practitioner is a massage therapist: payerkit's medicare-part-b adapter encodes no "
            "Medicare rule for another provider's therapy (the plan of care, its certification, "
            "the Medicare administrative contractor's rules)", sources.NOT_ENCODED,
            "provider.taxonomy")]
    return [
        not_covered(
            "MEDICARE-B-NOT-A-PROVIDER", "massage therapists are not Medicare providers: "
            "Medicare Part B does not pay for a massage therapist's services, so no claim goes "
            "to Medicare", sources.NOT_A_PROVIDER, therapist[-1]),
        note(
            "MEDICARE-B-ADVANTAGE-SUPPLEMENTAL", "a Medicare Advantage plan (a different "
            "program from Part B) may offer therapeutic massage by a licensed massage therapist, "
            "ordered by a physician, as a supplemental benefit: if the patient has one, check "
            "that plan", sources.ADVANTAGE_SUPPLEMENTAL),
    ]


@hookimpl
def payerkit_units():
    return CMS_8_MINUTE


@hookimpl
def payerkit_fee_schedule():
    return FeeSchedule(sources.NO_FEES, [], [Reason(
        "MEDICARE-B-NO-FEES", "no allowed amounts: Medicare pays nothing for a massage "
        "therapist's services, and payerkit ships no Medicare Physician Fee Schedule",
        sources.NO_FEES)])

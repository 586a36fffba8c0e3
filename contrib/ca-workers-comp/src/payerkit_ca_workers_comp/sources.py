"""The sources of the California workers' compensation rules, and the figures
(``data/figures.toml``).

Each citation names the statute, regulation or coding rule, its edition as seen, and a
confidence: ``high`` (the primary text was seen), ``medium`` (the text was seen but its
application to massage therapists is not confirmed), ``low`` (a lead only), ``sample``
(payerkit's own default), ``rule`` (a coding or format rule), ``practice`` (what the practice
records).
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)
CAP = FIGURES.get("physical_medicine_visit_cap")
_FINDLAW = "codes.findlaw.com copy, current as of January 1, 2025"

SCOPE = Citation(
    "California workers' compensation covers industrial (work) injuries: Labor Code § "
    "4604.5(c)(1) counts treatment per industrial injury",
    _FINDLAW, "high")
VISIT_CAP = CAP.citation
VISIT_CAP_FOR_MASSAGE = Citation(
    "California Labor Code § 4604.5(c)(1): no more than 24 chiropractic, 24 occupational therapy "
    "and 24 physical therapy visits per industrial injury (injuries on and after January 1, "
    "2004); whether massage by a licensed massage therapist counts against the physical therapy "
    "visits is NOT CONFIRMED", _FINDLAW, "medium")
CAP_EXCEPTIONS = Citation(
    "California Labor Code § 4604.5(c)(2)(A): the visit cap does not apply when the employer "
    "authorizes additional visits in writing; post-surgical physical medicine follows the "
    "post-surgical treatment utilization schedule (8 CCR § 9792.24.3; AB 1073, 2007); the cap "
    "applies to injuries on and after January 1, 2004", f"{_FINDLAW}; AB 1073 (2007) text",
    "high")
WHO_BILLS = Citation(
    "California Labor Code § 4604.5(c)(1) names chiropractic, occupational therapy and physical "
    "therapy visits, not massage therapy; whether a licensed massage therapist may bill a "
    "workers' compensation claims administrator directly is NOT CONFIRMED either way",
    _FINDLAW, "medium")
BILLING_CONFIRMED = Citation(
    "The claims administrator's written confirmation that it pays this practice for massage "
    "therapy on the claim, as the practice records it (facts.ca-workers-comp.billing_confirmed)",
    confidence="practice")
MTUS = Citation(
    "Medical Treatment Utilization Schedule, 8 CCR § 9792.20 and following: the standard of "
    "medical necessity for treatment; a massage-specific visit limit in it could NOT be "
    "confirmed from its text and is not encoded", "regulation as cited; its text not read",
    "low")
CLAIM_NUMBER = Citation(
    "X12 837P REF*Y4 (property and casualty claim number), required on property and casualty "
    "claims (X12 RFI #974); NUCC 1500 item 11b with qualifier Y4; no California-specific rule "
    "was found", "RFI #974, 2010", "high")
DEADLINES_UNKNOWN = Citation(
    "No bill-submission deadline for a massage therapist and no payment deadline for California "
    "workers' compensation were found in the sources seen (NOT CONFIRMED)",
    confidence="sample")
FEES = Citation(
    "California workers' compensation fees for massage therapy: NOT FOUND in the sources seen; "
    "payerkit ships no amounts, and allowed amounts come only from what the practice records in "
    "the case's [fees] (its agreement with the claims administrator)", confidence="sample")
UNIT_RULE_DEFAULT = Citation(
    "How California workers' compensation counts 15-minute units for massage: NOT CONFIRMED; "
    "payerkit uses the CMS 8-minute rule (Medicare Claims Processing Manual, Pub. 100-04, ch. 5 "
    "§ 20.2) as a stated default", confidence="sample")
CLAIM_FORMATS = Citation(
    "No California rule on the form of a massage therapist's bill was found; payerkit writes "
    "the professional claim, as the X12 837P 005010X222A1 (SBR09 WC) and the CMS-1500 (02/12): "
    "ask the claims administrator which it takes", confidence="sample")

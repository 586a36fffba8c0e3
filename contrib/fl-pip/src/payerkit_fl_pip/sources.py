"""The sources of the Florida PIP rules, and the figures (``data/figures.toml``).

Confidence: ``high`` (the text was seen, here as quoted in secondary copies and applied by the
courts), ``medium`` (a secondary summary), ``rule`` (a coding rule), ``sample`` (payerkit's own
default).
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)

EXCLUSION = FIGURES.get("massage_exclusion").citation
INITIAL_TREATMENT = FIGURES.get("initial_treatment_days").citation
#: The NUCC provider taxonomy code of a massage therapist, and the CPT code of massage.
MASSAGE_THERAPIST = "225700000X"
MASSAGE = "97124"
CODES = Citation(
    "NUCC Health Care Provider Taxonomy: 225700000X Massage Therapist; AMA CPT 97124: massage, "
    "including effleurage, petrissage and/or tapotement, each 15 minutes",
    confidence="rule")
NOT_ENCODED = Citation(
    "Fla. Stat. § 627.736, as amended by HB 119 (2012): payerkit's fl-pip adapter encodes only "
    "the exclusion of massage and of licensed massage therapists (and the 14-day rule, as a "
    "caution); the insurer's other PIP rules (the emergency medical condition determination and "
    "the benefit it sets, referrals for follow-up care, the fee schedule) are not encoded",
    "HB 119 (2012)", "medium")
BEFORE_EXCLUSION = Citation(
    f"{EXCLUSION.source}. payerkit encodes no PIP rule for services before January 1, 2013",
    EXCLUSION.edition, "high")
NO_FEES = Citation(
    "payerkit ships no Florida PIP fee amounts: a licensed massage therapist is not reimbursed "
    "(Fla. Stat. § 627.736(1)(a)5.), and other care is outside this adapter", confidence="sample")
CLAIM_FORMATS = Citation(
    "Fla. Stat. § 627.736(1)(a)5., as amended by HB 119 (2012): the PIP insurer does not "
    "reimburse a licensed massage therapist, so payerkit writes no claim to it; the superbill is "
    "the patient's own statement of the services and charges",
    EXCLUSION.edition, "high")

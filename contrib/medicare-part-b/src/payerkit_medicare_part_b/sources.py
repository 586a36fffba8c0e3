"""The sources of the Medicare Part B rule for massage therapists.

Confidence: ``high`` (the text was seen), ``medium`` (a secondary report), ``rule`` (a coding
rule), ``sample`` (payerkit's own default). Medicare Part B has no figure payerkit uses, so
this adapter keeps no ``data/figures.toml``.
"""

from __future__ import annotations

from payerkit import Citation

#: The NUCC provider taxonomy code of a massage therapist.
MASSAGE_THERAPIST = "225700000X"
_REGENCE_PAGE = "https://www.regence.com/web/regence_provider/physical-medicine-and-therapies"

NOT_A_PROVIDER = Citation(
    "Medicare Benefit Policy Manual (CMS Pub. 100-02), ch. 15 § 220: therapy services are paid "
    "only when furnished by the qualified personnel it names, and massage therapists are not "
    "Medicare-recognized therapy providers, so Medicare does not pay for their services; "
    "Regence, 'Physical Medicine and Therapies' provider page: 'Acupuncturists and massage "
    "therapists are not Medicare-eligible providers'",
    "manual as quoted by a patient-advocacy FAQ; Regence page, undated copy, seen verbatim",
    "high", _REGENCE_PAGE)
ADVANTAGE_SUPPLEMENTAL = Citation(
    "CMS reinterpretation of 'primarily health related' supplemental benefits for Medicare "
    "Advantage plans (42 CFR Part 422): a plan may offer therapeutic massage by a "
    "state-licensed massage therapist, ordered by a physician or other medical professional, "
    "as a supplemental benefit for pain management",
    "2018-2019, as reported by a massage trade publication", "medium")
NOT_ENCODED = Citation(
    "Medicare Benefit Policy Manual (CMS Pub. 100-02), ch. 15 §§ 220-220.3 (outpatient therapy: "
    "the plan of care, its certification, progress reports); payerkit's medicare-part-b adapter "
    "encodes only that massage therapists are not Medicare providers, not how a Medicare "
    "provider bills therapy", "older edition, copy of the manual's pages", "medium")
CODES = Citation("NUCC Health Care Provider Taxonomy: 225700000X Massage Therapist",
                 confidence="rule")
NO_FEES = Citation(
    "payerkit ships no Medicare Physician Fee Schedule amounts: Medicare pays nothing for a "
    "massage therapist's services, and a Medicare provider's therapy is outside this adapter",
    confidence="sample")
CLAIM_FORMATS = Citation(
    f"{NOT_A_PROVIDER.source}. payerkit therefore writes no claim to Medicare (no 837P, no "
    "CMS-1500), only the superbill, the patient's own statement of services and charges",
    NOT_A_PROVIDER.edition, "high", _REGENCE_PAGE)

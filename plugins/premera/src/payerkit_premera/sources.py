"""Premera's citations and figures: every rule's primary source, edition and confidence.

Figures (numbers, the payer id) are cited data in ``data/figures.toml``; the
citations of rules without a figure are here. Confidence: ``high`` = Premera's
own page or the statute was seen, ``medium`` = secondary, partial or another
state's page, ``low`` = a lead only, ``sample`` = payerkit's own choice.
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)
#: The network id a case lists in ``provider.networks`` when the provider is contracted.
NETWORK_ID = "premera"
_AK_MANUAL = "https://www.premera.com/ak/provider/reference/medical-manuals/claim-submission-payments/"

OUTPATIENT_REHAB = Citation(
    "Premera Blue Cross, Outpatient Rehabilitation program (premera.com/wa/provider/"
    "utilization-review/outpatient-rehabilitation/): eviCore reviews the medical necessity of "
    "outpatient rehabilitation, massage therapy included; request review after the 6th treatment "
    "visit of an episode of care (services by the same provider type within a 90-day period); "
    "providers of the same type share the 6 visits, counted in the order Premera receives the "
    "claims", edition="undated copy, for dates of service on or after 2018-06-07",
    confidence="high",
    url="https://www.premera.com/wa/provider/utilization-review/outpatient-rehabilitation/")
PROGRAM_FUNDING = Citation(
    "Premera Blue Cross, Outpatient Rehabilitation (employer page, premera.com/ak/employer/"
    "outpatient-rehabilitation): all fully insured and OptiFlex plans include the program; "
    "self-funded groups may opt in", edition="undated copy (Alaska page; Washington assumed the "
    "same)", confidence="medium", url="https://www.premera.com/ak/employer/outpatient-rehabilitation/")
CREDENTIALING = Citation(
    "Premera Blue Cross, Reference Information (premera.com/wa/provider/reference/"
    "reference-manuals): licensed massage therapists bill Premera as contracted (credentialed) "
    "providers; Premera does its own credentialing", edition="undated copy", confidence="medium",
    url="https://www.premera.com/wa/provider/reference/reference-manuals/")
MEDICAL_POLICY = Citation(
    "Premera Medical Policy 8.03.502, Physical Medicine and Rehabilitation - Physical Therapy "
    "and Medical Massage Therapy: documented functional limitation, expected measurable "
    "improvement, qualified provider", edition="LifeWise OR copy eff. 2014-02-15; Premera "
    "editions eff. 2018-02-01 and 2020-12-01 seen only in part", confidence="high")
PRESCRIPTION_RULE = Citation(
    "Premera Medical Policy 8.03.502: medical massage needs a diagnosis-specific prescription "
    "from the attending clinician stating the number of visits, kept in the massage record",
    edition="eff. 2018-02-01 (rev. 2018-06-07) and 2020-12-01, criteria seen only in part",
    confidence="medium")
WELLNESS_EXCLUSION = Citation(
    "Premera Medical Policy 8.03.502 pays for a documented functional limitation; its exclusion "
    "of maintenance, preventive and stress-only massage was not seen in Premera's text (reported "
    "by massageseattle.net); which diagnoses count as wellness is payerkit's own sample list "
    "(payerkit_premera/data/wellness_codes.csv)",
    edition="8.03.502: LifeWise OR copy eff. 2014-02-15; practitioner site 2017 and 2019",
    confidence="low")
BILLING_FOR_TIME = Citation(
    'Premera Blue Cross, "Billing for Time" (premera.com/wa/provider/news/reminders-updates/'
    "billing-for-time/): AMA CPT midpoint rule, under 8 minutes not billable, 8-22 minutes = "
    "1 unit; modifier 52 on a timed code is denied", edition="2019-11-07", confidence="high",
    url="https://www.premera.com/wa/provider/news/reminders-updates/billing-for-time/")
FEES_NOT_PUBLIC = Citation(
    "Premera Blue Cross, New provider onboarding (premera.com/ak/provider/new-provider-"
    "onboarding): contracted providers view their fee schedules in Availity; Premera publishes "
    "no per-code allowed amounts", edition="undated copy (Alaska page; Washington assumed the "
    "same)", confidence="medium", url="https://www.premera.com/ak/provider/new-provider-onboarding/")
MEMBER_ID_RULE = Citation(
    'Premera Blue Cross Alaska medical manual, "Claim Submission and Payments": the member ID '
    "exactly as on the card, including the 3-character prefix",
    edition="undated copy (Alaska manual; Washington assumed the same)", confidence="high",
    url=_AK_MANUAL)
CLAIM_FORMATS = Citation(
    'Premera Blue Cross Alaska medical manual, "Claim Submission and Payments": claims are '
    "submitted electronically; paper CMS-1500 claims (scanned by OCR, so on the red form) only "
    "from providers who cannot submit electronically. The superbill is payerkit's statement for "
    "a member who files their own claim, not a Premera form",
    edition="undated copy (Alaska manual; Washington assumed the same)", confidence="medium",
    url=_AK_MANUAL)
FILING_INDICATOR = Citation(
    "ASC X12 837P 005010X222A1, SBR09 claim filing indicator code BL = Blue Cross/Blue Shield",
    confidence="rule")
PIP_PRIMARY = Citation(
    "RCW 48.22.095 (Washington personal injury protection, at least $10,000 medical); PIP pays "
    "before health insurance", edition="RCW copy as published by instalawyer.io; admiralty.com",
    confidence="medium")
EVICORE_EXCLUSIONS = Citation(
    "eviCore massage therapy guideline, as summarised by a third party (verity.backworkai.com, "
    '"EVICORE-MASSAGE-THERAPY"): excludes preventive and maintenance care and auto- or '
    "workers'-compensation-related services; which Premera plans use it is unknown",
    edition="undated summary", confidence="low")

# -- treatment plans ------------------------------------------------------------------------------

PLAN_OF_CARE = Citation(
    "Premera Medical Policy 8.03.502: care must carry a reasonable expectation of achieving "
    "measurable improvement in a reasonable and predictable period; Premera's treatment-plan "
    "review (eviCore) looks at the condition, progress and treatment goals "
    "(premera.com outpatient-rehabilitation page); the policy's 'Documentation Requirements' "
    "text and any plan validity period were not seen",
    edition="8.03.502 editions eff. 2018-02-01 and 2020-12-01 seen only in part",
    confidence="medium")
#: No progress window is published: payerkit's sample (Premera reviews care after the first six
#: visits of an episode), a warning only.
MAINTENANCE_WINDOW = Citation(
    "payerkit's sample progress window of 6 visits (Premera reviews visits after the first six "
    "of an episode; no progress window is published), against each measure's MCID "
    "(J Orthop Sports Phys Ther 2014;44(8):560-564)", confidence="sample")

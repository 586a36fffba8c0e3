"""Premera's rules and figures, each beside its source, edition and confidence.

Every figure here comes from payerkit's research notes (payer-rules.md §1, §3,
§10; payer-rules-2.md §4). Confidence follows those notes: ``high`` = the
payer's own page or the statute was seen, ``medium`` = secondary or partial,
``low`` = a lead only, ``sample`` = payerkit's own choice with no public source.
"""

from __future__ import annotations

from payerkit.model import Citation

# -- who may bill -------------------------------------------------------------

#: Premera credentials the providers it contracts with (payer-rules.md §1.1).
CREDENTIALING = Citation(
    "Premera Blue Cross, Reference Information (premera.com/wa/provider/reference/"
    "reference-manuals): licensed massage therapists bill Premera as contracted "
    "(credentialed) providers; Premera does its own credentialing",
    edition="undated copy", confidence="medium",
    url="https://www.premera.com/wa/provider/reference/reference-manuals/",
)

#: The network id a case lists in ``provider.networks`` when the provider is contracted.
NETWORK_ID = "premera"

# -- medical necessity (Medical Policy 8.03.502) -----------------------------------

MEDICAL_POLICY = Citation(
    "Premera Medical Policy 8.03.502, Physical Medicine and Rehabilitation - Physical Therapy "
    "and Medical Massage Therapy: documented functional limitation, expected measurable "
    "improvement, qualified provider",
    edition="LifeWise OR copy eff. 2014-02-15 (high); Premera copies eff. 2018-02-01 and "
    "2020-12-01 (medium: criteria only partly visible)",
    confidence="high",
)

PRESCRIPTION_RULE = Citation(
    "Premera Medical Policy 8.03.502: medical massage needs a diagnosis-specific prescription "
    "from the attending clinician stating the number of visits, kept in the massage record",
    edition="eff. 2018-02-01 (rev. 2018-06-07) and 2020-12-01, via docslib/vdocument copies",
    confidence="medium",
)

#: The exclusion list of 8.03.502 was not seen; practitioners report maintenance, preventive
#: and stress-only massage are not covered (payer-rules.md §1.2).
WELLNESS_EXCLUSION = Citation(
    "Premera Medical Policy 8.03.502 requires a documented functional limitation; its "
    "exclusion list (maintenance, preventive, stress-only massage) is NOT CONFIRMED from "
    "Premera text, reported by massageseattle.net (low)",
    edition="8.03.502 criteria: 2014 text (high); exclusions: practitioner site 2017/2019 (low)",
    confidence="low",
)

# -- visits without review (eviCore outpatient rehabilitation program) -------------

OUTPATIENT_REHAB = Citation(
    "Premera Blue Cross, Outpatient Rehabilitation (eviCore) program "
    "(premera.com/wa/provider/utilization-review/outpatient-rehabilitation/): no review for "
    "the first 6 treatment visits of a 90-day episode of care; the 7th visit needs review; "
    "per WA law RCW 48.43.016 (ESSB 6157)",
    edition="undated copy; dates of service on or after 2018-06-07",
    confidence="high",
    url="https://www.premera.com/wa/provider/utilization-review/outpatient-rehabilitation/",
)
#: Treatment visits of an episode of care that need no eviCore review (OUTPATIENT_REHAB).
VISITS_WITHOUT_REVIEW = 6
#: A visit with no visit in the 90 days before it opens a new episode (OUTPATIENT_REHAB;
#: RCW 48.43.016 "new episode of care").
EPISODE_GAP_DAYS = 90

# -- units -------------------------------------------------------------------------

BILLING_FOR_TIME = Citation(
    'Premera Blue Cross, "Billing for Time" (premera.com/wa/provider/news/reminders-updates/'
    "billing-for-time/): AMA CPT midpoint rule, under 8 minutes not billable, 8-22 minutes "
    "= 1 unit; modifier 52 on a timed code is denied. Whether minutes are rounded per code "
    "or on the day's total is NOT CONFIRMED: payerkit rounds each code on its own",
    edition="2019-11-07", confidence="high",
    url="https://www.premera.com/wa/provider/news/reminders-updates/billing-for-time/",
)

# -- fees -------------------------------------------------------------------------

FEES_NOT_PUBLIC = Citation(
    "Premera Blue Cross, New provider onboarding (premera.com/ak/provider/"
    "new-provider-onboarding): contracted fee schedules are viewed by contracted providers in "
    "Availity; no public per-code allowed amounts exist",
    edition="undated copy (Alaska page; Washington assumed the same)", confidence="medium",
    url="https://www.premera.com/ak/provider/new-provider-onboarding/",
)

# -- filing and claim form (Alaska medical manual) ------------------------------------

CLAIM_MANUAL = Citation(
    'Premera Blue Cross Alaska medical manual, "Claim Submission and Payments" '
    "(premera.com/ak/provider/reference/medical-manuals/claim-submission-payments/)",
    edition="undated copy; high for Alaska, the Washington manual was not retrieved (medium)",
    confidence="medium",
    url="https://www.premera.com/ak/provider/reference/medical-manuals/claim-submission-payments/",
)
#: Claims no later than 365 calendar days after the date of service (CLAIM_MANUAL).
FILING_DAYS = 365
#: How late-claim messages describe the count: the source's reach is said in the message.
FILING_CONVENTION = ("calendar days per Premera's Alaska medical manual (high for Alaska; medium "
                     "for Washington, whose manual was not retrieved); the event day is not "
                     "counted")

MEMBER_ID_RULE = Citation(
    'Premera Blue Cross Alaska medical manual, "Claim Submission and Payments": the member ID '
    "exactly as on the card, including the 3-character prefix",
    edition="undated copy (Alaska manual; Washington assumed the same)", confidence="high",
    url=CLAIM_MANUAL.url,
)

FILING_INDICATOR = Citation(
    "ASC X12 837P 005010X222A1, SBR09 claim filing indicator code BL = Blue Cross/Blue Shield",
    confidence="rule",
)

# -- other payers first: auto and work injuries ---------------------------------------------

PIP_PRIMARY = Citation(
    "RCW 48.22.095 (Washington personal injury protection, at least $10,000 medical); PIP is "
    "primary to health insurance (payer-rules.md §10.9)",
    edition="instalawyer.io RCW copy; admiralty.com", confidence="medium",
)

EVICORE_EXCLUSIONS = Citation(
    'eviCore massage therapy guideline, third-party summary "EVICORE-MASSAGE-THERAPY" '
    "(verity.backworkai.com): excludes preventive/maintenance care and auto- or "
    "workers'-compensation-related services; which Premera plans use it is unknown",
    edition="undated summary", confidence="low",
)

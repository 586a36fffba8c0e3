"""The program this plugin answers for: Premera Blue Cross commercial plans in Washington."""

from __future__ import annotations

from payerkit.model import Program

from . import sources

PROGRAM_ID = "premera-wa"

#: No ``payer_id``: Premera's X12 payer id is not in payerkit's research, so each case gives
#: its own (``coverage.payer_id``, from the clearinghouse's payer list). Electronic claims are
#: preferred; paper CMS-1500 only when a practice cannot submit electronically (AK manual).
PROGRAM = Program(
    id=PROGRAM_ID,
    name="Premera Blue Cross (Washington)",
    line_of_business="commercial",
    states=("WA",),
    claim_formats=("x12-837p", "cms-1500"),
    filing_indicator="BL",
    sources=(sources.OUTPATIENT_REHAB, sources.MEDICAL_POLICY, sources.PRESCRIPTION_RULE,
             sources.BILLING_FOR_TIME, sources.CLAIM_MANUAL, sources.CREDENTIALING,
             sources.FEES_NOT_PUBLIC, sources.FILING_INDICATOR),
)

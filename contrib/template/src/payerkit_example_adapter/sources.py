"""Where each rule of the adapter comes from: one citation per rule.

Every rule here is an invented SAMPLE, graded ``sample``: payerkit says so in its output,
reads a sample refusal as "verify with the plan" and never lets a sample rule stop a claim.
Replace each citation with the payer's own source: its title, the edition you read, its URL
or legal cite, and a grade: ``high`` (you read the primary text), ``medium`` (a secondary
or partial source) or ``low`` (a lead only). Figures (days, limits, fees) are cited beside
their values in data/figures.toml.
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)

#: The edition every SAMPLE source is "seen" in; example.org is reserved for examples.
EDITION = "invented for payerkit's adapter scaffold, 2026"
POLICY_URL = "https://example.org/sample-payer/massage-therapy-policy"

POLICY = Citation("SAMPLE payer: massage therapy medical policy (invented)", EDITION, "sample",
                  POLICY_URL)
CLAIM_FORMATS = Citation(
    "SAMPLE payer: provider manual, claims: electronic 837P, or the CMS-1500 on paper",
    EDITION, "sample", "https://example.org/sample-payer/provider-manual#claims")
PRESCRIPTION = Citation("SAMPLE payer: massage therapy policy, section 2: a prescription is "
                        "required", EDITION, "sample", f"{POLICY_URL}#prescription")
OTHER_PAYER_FIRST = Citation(
    "SAMPLE payer: coordination of benefits: auto and workers' compensation carriers pay "
    "first for an accident", EDITION, "sample",
    "https://example.org/sample-payer/provider-manual#coordination")
UNIT_RULE = Citation("SAMPLE payer: provider manual, timed codes: the CMS 8-minute rule",
                     EDITION, "sample", "https://example.org/sample-payer/provider-manual#units")
FEE_SCHEDULE = Citation("SAMPLE payer: professional fee schedule, massage therapy codes",
                        EDITION, "sample", "https://example.org/sample-payer/fee-schedule")

"""payerkit's nouns: the case (input), the claim, and the results (answers)."""

from .case import (
    Address,
    Authorization,
    Case,
    Coverage,
    Episode,
    FeeRates,
    Goal,
    Measurement,
    Person,
    Practitioner,
    Prescription,
    Provider,
    Service,
    Submission,
    Subscriber,
    TreatmentPlan,
    Visit,
)
from .claim import Claim, ClaimLine
from .evaluation import Evaluation
from .outcome import Outcome, caution, not_covered, note, requirement
from .plan_report import AuthorizationState, GoalProgress, PlanReport
from .program import ClaimFormat, PluginInfo, Program, ProgressReports, Rendering, RuleSet
from .results import (
    Citation,
    Deadline,
    Eligibility,
    Finding,
    Limit,
    Limits,
    PatientBilling,
    PaymentTerm,
    PaymentTerms,
    PricedLine,
    Pricing,
    Reason,
    Scrub,
)
from .statement import PatientStatement, StatementLine

__all__ = [
    "Address", "Authorization", "AuthorizationState", "Case", "Citation", "Claim",
    "ClaimFormat", "ClaimLine", "Coverage", "Deadline", "Eligibility", "Episode", "Evaluation",
    "FeeRates", "Finding", "Goal", "GoalProgress", "Limit", "Limits", "Measurement", "Outcome",
    "PatientBilling", "PatientStatement", "PaymentTerm", "PaymentTerms", "Person", "PlanReport",
    "PluginInfo", "Practitioner", "Prescription", "PricedLine", "Pricing", "Program",
    "ProgressReports", "Provider", "Reason", "Rendering", "RuleSet", "Scrub", "Service", "StatementLine",
    "Submission", "Subscriber", "TreatmentPlan", "Visit", "caution", "not_covered", "note",
    "requirement",
]

"""The sources of the Washington L&I rules, and the figures (``data/figures.toml``).

Each citation names the statute, rule (WAC), or L&I page or bulletin, its edition as seen, and a
confidence: ``high`` (the primary text was seen), ``medium`` (seen in part, old, or a secondary
copy), ``low`` (a lead only), ``sample`` (payerkit's own default), ``rule`` (a coding or format
rule).
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)

_THERAPY_PAGE = ("Washington State Department of Labor & Industries, provider page 'Physical, "
                 "occupational, and massage therapy'")
_WAC_296_23_250 = "as amended by WSR 08-09-120, effective July 1, 2008"
#: L&I's site: its provider pages were seen as undated copies, without their own addresses.
LNI = "https://lni.wa.gov"

SCOPE = Citation(
    "Title 51 RCW (industrial insurance); WAC 296-20-020: the department pays for the "
    "treatment of a worker's accepted industrial injury or occupational disease",
    "WAC 296-20-020: apps.leg.wa.gov current copy", "high")
NO_BILLING_WORKER = Citation(
    "RCW 51.04.030; WAC 296-20-020: a worker shall not be billed for treatment of an accepted "
    "industrial injury or occupational disease; when eligibility is questionable the provider may "
    "require the worker to pay, but once the claim is allowed refunds the worker (or another "
    "insurer) in full and bills the department",
    "WAC 296-20-020: apps.leg.wa.gov current copy", "high")
ORDER = Citation(
    "WAC 296-23-250: massage therapy is paid only when given by a licensed massage therapist on "
    "the written orders of the worker's attending doctor (a physician assistant may order for "
    "the attending doctor); more than one treatment a day must be justified by the attending "
    "doctor", _WAC_296_23_250, "high")
LICENSED_MASSAGE_THERAPIST = Citation(
    f"WAC 296-23-250: massage therapy is paid only when a licensed massage therapist gives it; "
    f"{_THERAPY_PAGE}: no student or assistant route, unlike physical and occupational therapy",
    f"{_WAC_296_23_250}; lni.wa.gov page, undated copy", "high")
AUTHORIZATION = FIGURES.get("visits_without_authorization").citation
HOME_VISIT = Citation(
    "WAC 296-23-250: massage therapy outside the therapist's usual place of business (the "
    "worker's home) needs prior justification and authorization", _WAC_296_23_250, "high")
PROGRESS_REPORT = FIGURES.get("progress_report_visits").citation
CLAIM_NUMBER = Citation(
    "Washington State Department of Labor & Industries, 'How to Bill Us': the L&I claim number "
    "goes at the top right of every page of a bill; chart notes are sent separately; bills are "
    "not faxed (General Provider Billing Manual, F245-432-000); X12 837P REF*Y4 carries a "
    "property and casualty claim number (X12 RFI #974)", "lni.wa.gov page, current copy", "high")
PROVIDER_ACCOUNT = Citation(
    "Washington State Department of Labor & Industries, rule history page: only providers "
    "enrolled in L&I's provider network (with an L&I provider account number) may treat injured "
    "workers beyond the initial visit, from January 1, 2013", "lni.wa.gov page, undated copy",
    "medium", LNI)
PROVIDER_ACCOUNT_FORMAT = Citation(
    "Washington State Department of Labor & Industries, online payment page: \"The Provider ID "
    "is the number L&I assigns to you when you begin accepting L&I patients. It is a 6 or "
    "7-digit number with no dashes.\"", "secure.lni.wa.gov page, current copy", "medium",
    "https://secure.lni.wa.gov/payabalancedue")
SELF_INSURED = Citation(
    f"{_THERAPY_PAGE}: self-insured employers authorize their own claims (contact the "
    "self-insured employer); the page's visit counts are the department's (State Fund) rules",
    "lni.wa.gov page, undated copy", "high", LNI)
SELF_INSURED_EARLY_VISITS = Citation(
    f"{_THERAPY_PAGE}: self-insured employers authorize their own claims; whether a self-insurer "
    "also lets the first six visits go without authorization is NOT CONFIRMED",
    "lni.wa.gov page, undated copy", "medium", LNI)
BILL_FORM = Citation(
    "WAC 296-20-125(1): massage therapists bill on the department's 'statement for miscellaneous "
    "services' (physicians and physical therapists on the health insurance claim form), and "
    "electronic bills follow the department's file specifications; which form L&I takes from "
    "massage therapists today is NOT CONFIRMED (General Provider Billing Manual, F245-432-000, "
    "not read)", "mrsc.org copy, undated and old", "medium")
BILL_DEADLINE_UNKNOWN = Citation(
    "No bill-submission deadline for medical bills to L&I was found: WAC 296-19A-360(6) (one "
    "year from the date of service) is for vocational bills only (NOT CONFIRMED for medical "
    "bills)", "WAC 296-19A-360 as seen", "low")

# -- fees and units ----------------------------------------------------------------------------

FEE_SCHEDULE = Citation(
    "Washington State Department of Labor & Industries, Medical Aid Rules and Fee Schedules "
    "(MARFS): the Professional Services Fee Schedule, each edition effective July 1, published "
    "as a spreadsheet download; payerkit ships none of its amounts",
    "2024 edition effective July 1, 2024 (lni.wa.gov '2024 Fee Schedules'); 2025 edition "
    "effective July 1, 2025", "high")
CODES = Citation(
    "WAC 296-23-250: billing codes, reimbursement levels and supporting policies for massage "
    "therapy are listed in the fee schedules; which codes (97124, 97140) L&I pays a licensed "
    "massage therapist, and whether it wants the GP modifier, is NOT CONFIRMED (the fee schedule "
    "was not read)", _WAC_296_23_250, "medium")
UNIT_RULE_DEFAULT = Citation(
    "How L&I counts 15-minute units for massage: NOT CONFIRMED (the daily maximum governs the "
    "payment); payerkit uses the CMS 8-minute rule (Medicare Claims Processing Manual, Pub. "
    "100-04, ch. 5 § 20.2) as a stated default", confidence="sample")
DAILY_MAX_SPREAD = Citation(
    "How L&I takes the daily maximum out of a bill's lines, and whether other providers' massage "
    "on the same day counts toward it: NOT CONFIRMED; payerkit reduces the visit's last lines "
    "first, so that the day's allowed total is the maximum", confidence="sample")
CLAIM_FORMATS = Citation(
    f"{BILL_FORM.source}; payerkit writes the X12 837P (SBR09 WC) and the CMS-1500: verify with "
    "L&I's billing manual which one it takes from a massage therapist",
    BILL_FORM.edition, "medium")

#: What a plan of care must show: improvement in functional terms (WAC 296-23-250).
FUNCTIONAL_MEASURES = Citation(
    "WAC 296-23-250: massage beyond the initial six visits is authorized only upon "
    "substantiation of improvement in the worker's condition in terms of functional modalities, "
    "i.e. range of motion, sitting and standing tolerance, reduction in medication, with the "
    "proposed treatment, its expected restoration goals and length",
    "WSR 08-09-120, eff. 2008-07-01 (lawfilesext copy)", "high")

"""The sources of the Connecticut workers' compensation rules, and the figures (``data/figures.toml``).

Each citation names the statute, regulation, WCC memorandum, court decision or publication, its
edition as seen, and a confidence: ``high`` (the primary text was seen), ``medium`` (seen in part,
old, or an inference from primary texts that do not name massage therapists), ``low`` (a lead
only: practitioners' advice), ``sample`` (payerkit's own default), ``rule`` (a coding or format
rule), ``practice`` (what the practice records: its contract, the carrier's agreement).
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)

_CASETEXT_568 = ("https://casetext.com/statute/general-statutes-of-connecticut/title-31-labor/"
                 "chapter-568-workers-compensation-act/part-a-workers-compensation-commission-"
                 "compensation-commissioners-employers-liability/subpart-i-workers-compensation-"
                 "commissioncompensation-commissioners/section-31-275-definitions")
_CASETEXT_294C = ("https://casetext.com/statute/general-statutes-of-connecticut/volume-9/"
                  "title-31-chapters-556-to-574-secs-31-1-to-31-429-labor/chapter-568-secs-31-275-"
                  "to-31-355b-workers-compensation-act/part-b-workers-compensation/sec-31-294c-"
                  "notice-of-claim-for-compensation-notice-contesting-liability-exception-for-"
                  "dependents-of-certain-deceased-employees")
_MEMO_2001_07 = ("https://portal.ct.gov/wcc/workers-compensation-news/commission-memorandums/"
                 "2001-memos/memorandum-no-2001-07")
_MEMO_INDEX = "https://portal.ct.gov/wcc/workers-compensation-news/all-commission-memorandums"
_GUIDELINES_2010 = (
    "Connecticut Workers' Compensation Commission, Payor and Medical Provider Guidelines to "
    "Improve the Coordination of Medical Services (Chairman John A. Mastropietro)")

# -- scope, the claim, liability ---------------------------------------------------------------

SCOPE = Citation(
    "C.G.S. chapter 568 (Workers' Compensation Act), § 31-275(1): compensation is for an "
    "accidental injury or occupational disease arising out of and in the course of employment",
    "casetext copy current with the 2024 Regular and Special Sessions", "high", _CASETEXT_568)
RELATED_CAUSE = Citation(
    "ASC X12 837P 005010X222A1: SBR09 claim filing indicator WC (workers' compensation health "
    "claim); loop 2300 CLM11-1 related-causes code EM (employment), with the accident date in "
    "DTP*439", confidence="rule")
CLAIM_NUMBER = Citation(
    "The carrier's claim number: X12 837P REF*Y4 (property and casualty claim number, X12 RFI "
    "#974) and NUCC 1500 item 11b with qualifier Y4; no Connecticut-specific rule was found",
    "RFI #974, 2010; NUCC 1500 instructions", "medium")
EMPLOYER = Citation(
    "C.G.S. § 31-294d(a): the employer furnishes the medical care, including medical "
    "rehabilitation services; § 31-294c(a): the notice of claim may be given to the employer",
    "instalawyer.io copies (current text)", "high")
NOTICE = FIGURES.get("notice_years").citation
NOTICE_DISEASE = FIGURES.get("notice_years_occupational_disease").citation
NOTICE_EXCUSED = Citation(
    "C.G.S. § 31-294c(c): no want of a timely notice of claim bars the proceedings if, within "
    "the notice period, there was a hearing or a written request or assignment for one, a "
    "voluntary agreement was submitted, or the employer furnished the employee medical or "
    "surgical care for the injury; a payment of compensation is not among them. Clapps v. "
    "Waterbury Iron Works, Inc., 38 Conn. Supp. 644 (1983): care paid by a group health fund "
    "the employer contributes to is not care furnished by the employer",
    "casetext and laws9 copies of § 31-294c (current text); Clapps decided January 14, 1983",
    "high", _CASETEXT_294C)
PRESUMPTION = FIGURES.get("contest_days").citation
CONTESTED = Citation(
    "C.G.S. § 31-294c(b): an employer contesting liability files a notice contesting it (WCC "
    "Form 43) on or before the twenty-eighth day after receiving the written notice of claim, "
    "stating the specific grounds on which compensation is contested",
    "casetext copy current with the 2023 Regular and Special Sessions", "high")
LATE_CONTEST = Citation(
    "Harpaz v. Laidlaw Transit, Inc., 286 Conn. 102 (2008): an employer conclusively presumed "
    "to have accepted compensability under C.G.S. § 31-294c(b) may not contest it, nor the "
    "extent of disability, by a later notice", "decided March 18, 2008", "high")
ACCEPTED = Citation(
    f"{_GUIDELINES_2010}: payor responsibilities on accepted claims and accepted body parts, "
    "voluntary agreements, payment without prejudice on contested claims",
    "effective July 1, 2010 (title page and table of contents seen)", "medium")
TREATMENT_DENIED = Citation(
    f"{_GUIDELINES_2010}: a denial of authorization of treatment is made on Form 43",
    "effective July 1, 2010 (title page and table of contents seen)", "medium")

# -- who may treat and bill ------------------------------------------------------------------

REFERRAL = Citation(
    "C.G.S. § 31-294d(a)-(b): the employer furnishes the medical rehabilitation services the "
    "employee's authorized treating physician deems reasonable or necessary; C.G.S. § "
    "20-206a(d): massage therapy does not include diagnosis, so the diagnosis comes from that "
    "clinician. No Connecticut text names massage therapy: that it is paid only on the "
    "authorized treating practitioner's referral is payerkit's reading of these sections",
    "31-294d: instalawyer.io copy (current text); 20-206a: chapter 384a as amended by P.A. "
    "14-122", "medium")
DIAGNOSIS = Citation(
    "C.G.S. § 20-206a(d): massage therapy does not encompass diagnosis, prescribing, joint "
    "manipulation or any service that requires a licence in medicine, chiropractic, "
    "naturopathy, physical therapy or podiatry", "chapter 384a as amended by P.A. 14-122",
    "high")
WHO_BILLS = Citation(
    "Conn. Agencies Regs. § 31-280-3(a)(7): a 'Practitioner' under the fee schedule is a health "
    "care practitioner authorized by the Workers' Compensation Commission; the WCC memoranda "
    "of Feb 17, 1994 and Apr 11, 1995 name physicians, registered physical and occupational "
    "therapists, podiatrists and chiropractors as physical-medicine providers, not massage "
    "therapists. No text seen lets, or forbids, a massage therapist to bill a carrier directly "
    "(NOT CONFIRMED either way)", "31-280-3: portal.ct.gov regulation page (undated copy); "
    "memoranda of 1994 and 1995", "medium")
PREAUTHORIZATION_ADVICE = Citation(
    "Practitioners' advice: get the adjuster's authorization before treating a workers' "
    "compensation client (V. Madison-Mahoney, LMT, 'Accepting Insurance: From A to Z', "
    "massagetoday.com; AMTA, 'Workers' Compensation Massage Clients': the claim must be "
    "approved by the insurer before payment); not a Connecticut rule",
    "May 29, 2009; AMTA career guidance page, undated", "low",
    "http://www.massagetoday.com/mpacms/mt/article.php?id=13837")
NO_PREAPPROVAL_PT = Citation(
    f"{_GUIDELINES_2010}: on accepted claims payors may not require pre-approval for basic "
    "services such as routine office visits and physical therapy for the accepted body part; "
    "massage therapy is not named (whether it counts as physical therapy there is NOT "
    "CONFIRMED)", "effective July 1, 2010 (title page and table of contents seen; "
    "reduceyourworkerscomp.com, Aug 21, 2010)", "medium")
NO_BILLING_EMPLOYEE = Citation(
    "Conn. Agencies Regs. § 31-279-9(e): all charges for medical, surgical, hospital and nursing "
    "services (except expert testimony) are solely the responsibility of the employer or "
    "carrier, and no claim is made against the injured employee for all or part of a fee; WCC "
    "Memorandum No. 2001-07, 'Charges for Medical Services' (providers who bill the worker may "
    "be removed from the authorized list)", "Memorandum of September 21, 2001", "high",
    _MEMO_2001_07)
BILL_DEADLINE_UNKNOWN = Citation(
    "No provider bill-submission deadline for Connecticut workers' compensation was found in "
    "C.G.S. chapter 568, the WCC memoranda seen or the 2010 Payor and Medical Provider "
    "Guidelines (NOT CONFIRMED)", "sources seen through 2024", "low")

# -- fees and units ----------------------------------------------------------------------------

FEE_SCHEDULE = Citation(
    "Official Connecticut Practitioner Fee Schedule, a Workers' Compensation Commission "
    "publication reissued each July 15, for services on or after its effective date regardless "
    "of the date of injury; a purchased publication: payerkit ships none of its amounts",
    "2024 edition effective July 15, 2024 (WCC Memorandum No. 2024-06, July 11, 2024)", "high",
    _MEMO_INDEX)
CONTRACT_FIRST = Citation(
    "WCC Memorandum of April 11, 1995: the practitioner fee schedule applies only where there "
    "is no written contract between the provider and the payer (the contract controls); bills "
    "on the HCFA (CMS) 1500", "April 11, 1995 (old: not re-checked against the ground rules of "
    "the current schedule)", "medium")
CLAIM_FORMATS = Citation(
    "WCC Memorandum of April 11, 1995: practitioners' bills go on the HCFA (CMS) 1500; no "
    "Connecticut rule for electronic (837P) medical bills was found, so an 837P goes only to a "
    "carrier that takes one", "April 11, 1995 (old: not re-checked against the current fee "
    "schedule's ground rules)", "medium")
CPT_CODES = Citation(
    "AMA CPT: 97124 massage, including effleurage, petrissage and/or tapotement, each 15 "
    "minutes; 97140 manual therapy techniques (e.g. mobilization/manipulation, manual lymphatic "
    "drainage, manual traction), one or more regions, each 15 minutes, the code for myofascial "
    "release",
    confidence="rule")
UNIT_RULE_DEFAULT = Citation(
    "How the Official Connecticut Practitioner Fee Schedule's ground rules count 15-minute "
    "units: not seen (NOT CONFIRMED); payerkit uses the CMS 8-minute rule (Medicare Claims "
    "Processing Manual, Pub. 100-04, ch. 5 § 20.2) as a configurable default",
    confidence="sample")

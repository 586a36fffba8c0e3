"""The sources of the New York no-fault rules, and the figures (``data/figures.toml``).

Each citation names the law, regulation, opinion, court case or publication,
its edition as seen, and a confidence grade. Figures (days, caps, RVUs) are
cited in the figures file beside their values.
"""

from __future__ import annotations

from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)

# -- who is covered, where -------------------------------------------------------------------

INS_LAW_5103 = Citation(
    "N.Y. Insurance Law § 5103(a): an owner's policy pays persons other than occupants of "
    "another motor vehicle or a motorcycle for use of the insured vehicle in New York; the "
    "named insured and household members anywhere in the US, its territories or possessions, "
    "or Canada", "laws9.com copy, undated", "high")
PIP_ENDORSEMENT = Citation(
    "11 NYCRR 65-1.1, Mandatory Personal Injury Protection Endorsement: territory (US, its "
    "territories or possessions, Canada) and eligible injured persons",
    "version for policies issued or renewed on or after 2011-01-26; quoted in NYLJ, "
    "D. Barshay, Jun 12, 2019", "high")
RELATIVE = Citation(
    "11 NYCRR 65-1.1 endorsement, 'Other Definitions': a relative is related by blood, marriage "
    "or adoption and regularly resides in the named insured's household",
    "quoted in NYLJ, D. Barshay, Jun 12, 2019", "high")
EXCLUSION_J = Citation(
    "11 NYCRR 65-1.1 eligible injured person (d) and exclusion (j); DFS OGC Op. 'No-Fault "
    "Coverage for New York Resident Injured Outside New York'", "Oct 3, 2005", "high")
MOTORCYCLE = Citation(
    "N.Y. Insurance Law § 5103(a)(1); Boyson v. Kwasowsky, 2015 NY Slip Op 03964 (4th Dept): "
    "motorcycle occupants are not eligible", "May 8, 2015", "high")
WC_PRIMARY = Citation(
    "N.Y. Insurance Law § 5102(b)(2); DFS OGC Op. 03-01-05: workers' compensation is primary "
    "for an employee hurt in a motor-vehicle accident in the course of employment",
    "Jan 3, 2003", "high")
WC_LMT = Citation(
    "N.Y. Workers' Compensation Law § 13-b: licensed massage therapists are not authorized "
    "providers (S5421-A vetoed Nov 27, 2020; S4612 in committee, 2025-26)",
    "nysenate.gov and nyassembly.gov bill pages, as of Feb 10, 2025", "high")

# -- who may bill, what the bill needs -------------------------------------------------------

LMT_SERVICES = Citation(
    "NYS Insurance Department Property Bureau letter: LMT services necessary and related to an "
    "auto accident are eligible for no-fault reimbursement (cited in Marigliano LMT v. State "
    "Farm, Kings Civ. Ct.)", "May 30, 2008, via nycoveragecounsel.blogspot.com, Mar 23, 2009",
    "medium")
CLAIM_NUMBER = Citation(
    "Insurer's claim number: NF-3 header item; NUCC 1500 box 11b qualifier Y4 and X12 837P "
    "REF*Y4, required on property and casualty claims (X12 RFI #974)",
    "RFI #974, 2010; NF-3 as described by nofaultcollectionlawyer.com", "high")
LICENSE = Citation(
    "NF-3: treating provider's license or certification number; insurers may reject an NF-3 "
    "with boxes left blank (Exoto v. Progressive, 2011 NY Slip Op 50329(U), App. Term 2d Dept)",
    "NF-3 as described by nofaultcollectionlawyer.com and jtnylaw.com", "medium")
PRESCRIPTION = Citation(
    "No NY regulation or DFS opinion requiring a prescription for LMT no-fault bills was found "
    "(NOT CONFIRMED either way); payment rests on medical necessity (Property Bureau letter May "
    "30, 2008) and insurers defend with peer reviews; DFS OGC Op. 07-09-28",
    "Sept 27, 2007", "low")
ASSIGNMENT = Citation(
    "11 NYCRR 65-3.11(b): the insurer pays benefits directly to the provider only on an "
    "executed assignment of benefits (on the prescribed NF-3 or NF-AOB, or another form the "
    "insurer accepts)", "revised NF-3 for accidents on or after 2002-03-01", "high")

# -- deadlines -------------------------------------------------------------------------------

NOTICE = Citation(
    "11 NYCRR 65-1.1 Mandatory PIP Endorsement, conditions: written notice of the accident "
    f"within {FIGURES.get('notice_days').value} days after it (DFS OGC Op. 04-02-12; effective "
    "on mailing); a police MV-104 showing injuries, an NF-2 or a hospital NF-5 counts as notice "
    "(65-3.3(c)-(d))", "OGC opinion of Feb 18, 2004", "high")
LATE_EXCUSE = Citation(
    "11 NYCRR 65-3.3(e): late notice or proof of claim is excused on written proof of a clear "
    "and reasonable justification for the delay", "casetext/justia copy current through 2024",
    "high")

# -- fees, units, limits ---------------------------------------------------------------------

PREVAILING_FEE = Citation(
    "11 NYCRR 68.5(b): services not in the NY Workers' Compensation Board fee schedules are "
    "billed at the prevailing fee in the provider's geographic location, subject to insurer "
    "review against similar procedures; no WCB schedule exists for licensed massage therapists "
    "(whether LMT fees fall under 68.5(b) or a PT/chiropractic schedule is contested: NOT "
    "CONFIRMED)", "NYLJ, D. Barshay, Oct 10, 2018; Power Acupuncture v. State Farm, 2006",
    "medium")
FEE_CEILING = Citation(
    "N.Y. Insurance Law § 5108(a), (c) and 11 NYCRR 68.1: no-fault charges may not exceed the "
    "fee schedule, and a provider may not demand any payment beyond it (DFS OGC Op. 05-05-29: "
    "not even from the patient)", "NYLJ, D. Barshay, Oct 10, 2018; OGC opinion of May 26, 2005",
    "high")
UNIT_RULE = Citation(
    "Unit rule for NY no-fault and WCB timed codes: no source seen states it (NOT CONFIRMED); "
    "payerkit uses the CMS 8-minute rule (Medicare Claims Processing Manual, Pub. 100-04, ch. 5 "
    "§ 20.2) as a configurable default", confidence="sample")
RVU_CAP_SCOPE = Citation(
    "The daily RVU cap is per patient per day regardless of body parts or number of "
    "practitioners (WCB Deputy General Counsel email, Jan 30, 2018, quoted by the arbitrator in "
    "21st Physical v. GEICO); insurers assert it against massage P.C.s (Gotham Massage Therapy "
    "v. Allstate, 2017 NY Slip Op 32140(U)); whether it binds LMT bills is not established",
    "jtnylaw.com, Feb 2018", "medium")
NO_VISIT_CAP = Citation(
    "No statutory visit cap in NY no-fault: limits come from medical-necessity review and the "
    "daily RVU cap (New York Legal Blog, nylegalblog, 2007); basic economic loss is up to "
    f"${int(FIGURES.get('basic_benefit').decimal):,} per person (N.Y. Insurance Law § 5102(a); "
    "not tracked by payerkit)", "blog of 2007; Insurance Law as published 2023", "medium")

# -- claim forms -----------------------------------------------------------------------------

CLAIM_FORMS = Citation(
    "11 NYCRR 65-3.5(f): bills go on the prescribed NF-3; insurers must accept a non-prescribed "
    "form with substantially the same information (e.g. CMS-1500) but may demand the NF-3 "
    "(All-Boro Med. Supplies v. Progressive, Kings Civ. Ct. Apr 15, 2008)",
    "nycoveragecounsel.blogspot.com, May 2008; nofaultcollectionlawyer.com", "medium")
ELECTRONIC_837P = Citation(
    "Electronic 837P acceptance by NY no-fault carriers is carrier-specific: NOT CONFIRMED; "
    "send an 837P only to a carrier that takes it, else the NF-3 or CMS-1500",
    "no carrier's 837P companion guide seen", "low")

# -- after the bill --------------------------------------------------------------------------

NO_BALANCE_BILLING = Citation(
    "N.Y. Insurance Law § 5108(c): no provider may demand or request any payment in addition "
    "to the charges the fee schedule authorizes; DFS OGC Op. 05-05-29: billing the patient the "
    "difference between usual rates and the fee schedule violates § 5108; DFS OGC Op. 08-07-28: "
    "after benefits are exhausted the patient may be billed directly, at fee-schedule amounts "
    "only", "opinions of May 26, 2005 and Jul 30, 2008 (dfs.ny.gov); § 5108(c) as quoted in "
    "NYLJ, Oct 10, 2018", "high")

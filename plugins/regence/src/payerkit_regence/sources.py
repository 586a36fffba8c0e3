"""Regence's and UMP's citations and figures: every rule's primary source, edition and confidence.

Figures (days, caps, visit limits, payer ids) are cited data in ``data/figures.toml``; the
citations of rules without a figure are here. Confidence: ``high`` = Regence's, UMP's or the
state's own page was seen; ``medium`` = a partial text, a secondary source quoting it, a
clearinghouse's list, or Regence's Washington page standing in for another state's plan;
``low`` = a lead only; ``sample`` = payerkit's own default where no source was found.
"""

from __future__ import annotations

import attrs
from payerkit import Citation, load_figures

FIGURES = load_figures(__package__)
#: The network id a case lists in ``provider.networks`` when the provider is contracted.
NETWORK_ID = "regence"
#: NUCC taxonomy code of a massage therapist (the case's default).
MASSAGE_THERAPIST = "225700000X"

_LMP_URL = ("http://www.wa.regence.com/provider/library/manual/administrative-manual/"
            "alternative-care/massage/index.html")
_PM_URL = "https://www.regence.com/web/regence_provider/physical-medicine-and-therapies"

# -- Regence commercial ----------------------------------------------------------------------

LMP_GUIDE = Citation(
    "Regence BlueShield (Washington) Administrative Manual, 'Licensed Massage Therapists (LMPs) "
    "- Billing Guidelines' (wa.regence.com): coverage needs a physician's diagnosis of a medical "
    "condition that has resulted in functional loss, for which rehabilitation therapy is "
    "prescribed; the prescription must be on file (it need not accompany the claim); services "
    "fall under the outpatient rehabilitation benefit and its limits; chiropractic and "
    "osteopathic manipulation and E&M codes are not payable to massage practitioners",
    edition="undated copy, pre-2017 'LMP' wording", confidence="high", url=_LMP_URL)


def lmp_guide(state: str) -> Citation:
    """The LMP billing guideline: Washington's own page; for another state's plan it stands in."""
    if state == "WA":
        return LMP_GUIDE
    return attrs.evolve(LMP_GUIDE, edition=f"{LMP_GUIDE.edition}; Regence's Washington manual "
                        f"standing in for its {state} plan, whose manual was not seen",
                        confidence="medium")


NOTIFICATION = FIGURES.get("notification_days").citation
MEDICARE_ADVANTAGE = Citation(
    "Regence, Physical Medicine and Therapies (regence.com/web/regence_provider/physical-"
    "medicine-and-therapies): 'Acupuncturists and massage therapists are not Medicare-eligible "
    "providers. Services rendered by these provider types are non-covered services for Medicare "
    "Advantage plans.'", edition="undated copy", confidence="high", url=_PM_URL)
PROGRAM_MEMBERS = Citation(
    "Regence, Commercial Pre-authorization List (regence.com/provider/pre-authorization/"
    "commercial): the requirements apply to group, Individual, ASO and joint administration "
    "members; whether a plan participates in the Physical Medicine (eviCore) program is shown in "
    "Availity's Electronic Authorization application and Regence's list of participating groups; "
    "services authorized by vendors (eviCore) do not apply to joint administration members",
    edition="undated copy", confidence="high",
    url="https://www.regence.com/provider/pre-authorization/commercial")
RGA = Citation(
    "Regence BlueShield, Regence Group Administrators (wa.regence.com/provider/quick-links/"
    "rga.html): RGA administers self-funded employer groups; contact RGA for pre-authorization "
    "(its groups' requirements differ from Regence's); do not submit RGA claims to Regence "
    "(they are returned)", edition="undated copy (older: names the Availity payer id HMA01, "
    "since replaced by RGA01 in Office Ally's list)", confidence="high",
    url="http://www.wa.regence.com/provider/quick-links/rga.html")
ELECTRONIC = Citation(
    "Regence, Receiving payment (regence.com/provider/claims-payment/payment): 'we require all "
    "provider claims to be submitted electronically' and EFT for network participation; Regence "
    "BlueShield of Idaho, Claims Submission Requirements (id.regence.com): participating "
    "providers and providers practising in the service area submit claims electronically, paper "
    "claims are accepted only from members and from providers outside the service area",
    edition="payment page current copy; Idaho page older, undated", confidence="high",
    url="https://www.regence.com/provider/claims-payment/payment")
BLUECARD = Citation(
    "Regence, BlueCard program (regence.com/provider/programs/bluecard) and Filing claims "
    "(regence.com/web/regence_provider/filing-claims): a provider submits the claims of members "
    "of other Blue plans to its local Blue plan, which routes them to the member's plan; in "
    "bordering counties the claim goes to the Blue plan of the state where the service was "
    "given, unless the provider is contracted with the member's bordering plan, and a provider "
    "contracted with one plan but not the other files with its contracted plan; Medicare "
    "Advantage is a separate program", edition="undated copies", confidence="medium",
    url="https://www.regence.com/web/regence_provider/filing-claims")
CONTRACTING = Citation(
    "Regence, Contracting (regence.com/provider/contracting-credentialing/contracting): all "
    "providers must be credentialed before they participate; claims submitted before the "
    "participation effective date are processed as out-of-network", edition="undated copy",
    confidence="high", url="https://www.regence.com/provider/contracting-credentialing/contracting")
FEES_NOT_PUBLIC = Citation(
    "Regence, Receiving payment (regence.com/provider/claims-payment/payment): a professional "
    "reimbursement methodology for contracted providers; no per-code allowed amounts for "
    "97124/97140 are published", edition="undated copy (methodology page not retrieved)",
    confidence="medium", url="https://www.regence.com/provider/claims-payment/payment")
UNITS_DEFAULT = Citation(
    "Regence's rule for counting timed-code units (CMS total time or CPT midpoint per code): NOT "
    "FOUND on Regence's pages; payerkit uses the CMS 8-minute rule (Medicare Claims Processing "
    "Manual, Pub. 100-04, ch. 5 § 20.2) as a stated, configurable default", confidence="sample")
FILING_UNKNOWN = Citation(
    "Regence's provider filing limit: NOT FOUND on Regence's provider pages (claims payment, "
    "contracting, filing claims); it is in the provider's agreement. (UMP's 12 months is for "
    "claims members submit, not providers.)", confidence="sample")
FILING_INDICATOR = Citation(
    "ASC X12 837P 005010X222A1, SBR09 claim filing indicator code BL = Blue Cross/Blue Shield",
    confidence="rule")

# -- Uniform Medical Plan --------------------------------------------------------------------

UMP_ADMINISTERED = Citation(
    "Washington State Health Care Authority, Uniform Medical Plan (hca.wa.gov/about-hca/"
    "uniform-medical-plan-ump): UMP is a self-insured plan of the PEBB and SEBB programs, "
    "administered by Regence BlueShield", edition="undated copy", confidence="high",
    url="https://hca.wa.gov/about-hca/uniform-medical-plan-ump")
UMP_CLAIM_FORMATS = attrs.evolve(
    ELECTRONIC, edition=f"{ELECTRONIC.edition}; Regence's rule applied to UMP, which Regence "
    "BlueShield administers (UMP's own provider rule was not seen); UMP members file their own "
    "claims within 12 months of the date of service (ump.regence.com, hca.wa.gov)",
    confidence="medium")
UMP_FILING_INDICATOR = Citation(
    "ASC X12 837P 005010X222A1, SBR09 code BL = Blue Cross/Blue Shield: payerkit's choice for "
    "UMP, whose claims Regence BlueShield (a Blue plan) administers under payer id 00932; UMP's "
    "own companion guide was not seen", confidence="rule")
UMP_NOT_IN_PHYSICAL_MEDICINE = Citation(
    "Regence, 'New members coming in 2020: Physical Medicine program updates' (regence.com/web/"
    "regence_provider/physical-medicine): chiropractic, acupuncture and massage services are "
    "not included in UMP's Physical Medicine program", edition="2020 copy", confidence="high",
    url="https://www.regence.com/web/regence_provider/physical-medicine")
UMP_LIMITED_BENEFIT = Citation(
    "Washington State Health Care Authority, UMP glossary 'Limited benefit' (hca.wa.gov/ump/"
    "glossary/limited-benefit): visits applied to the deductible and visits paid by a primary "
    "plan count against the limit; limits apply per member; services count by type of service "
    "(code), not provider type; a visit with services of two limited benefits counts against "
    "both; no exceptions, even when medically necessary", edition="undated copy",
    confidence="high", url="https://www.hca.wa.gov/ump/glossary/limited-benefit")
UMP_PRESCRIPTION = Citation(
    "Uniform Medical Plan 2020 certificates of coverage, 'Massage therapy': 'You must have a "
    "prescription' (quoted by the Washington State Massage Therapy Association, mywsmta.org/"
    "clinical-practices); later certificates' wording not seen",
    edition="2020 plan documents as quoted in 2020", confidence="medium",
    url="https://www.mywsmta.org/clinical-practices")

# -- treatment plans ------------------------------------------------------------------------------

EVICORE_MASSAGE = Citation(
    "eviCore Clinical Guidelines, Massage Therapy (V1.0, eff. 2020-02-14; 2021 edition): "
    "'services for preventive, maintenance, or wellness care' are excluded; the 2021 edition "
    "asks for recommended standardized assessments (MT-2.2, MT-3.2); Regence uses eviCore for "
    "its physical medicine program (a Regence-branded massage edition was not found)",
    edition="2020 and 2021 editions as copied on document sites; assessment names not seen",
    confidence="medium")
#: No progress window is published: payerkit's sample, a warning only.
MAINTENANCE_WINDOW = Citation(
    "payerkit's sample progress window of 6 visits (no eviCore or Regence progress window was "
    "found), against each measure's MCID (J Orthop Sports Phys Ther 2014;44(8):560-564)",
    confidence="sample")

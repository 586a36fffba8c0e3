"""Code checks: ICD-10-CM, NPI, CPT/HCPCS, modifiers, place of service, states.

Each check returns ``None`` when the value is fine, or a short phrase saying
what was expected (no patient data): callers prefix it with the field path.
The checks are pure functions of a string, cached: a practice's claims repeat
the same NPIs and diagnosis codes.
"""

from __future__ import annotations

import functools
import re

from ..model.results import Citation
from . import icd10

#: The 837P's implementation guide: what the checks every claim needs cite, and the 837P's
#: own findings (names and addresses written in X12's basic characters, or cut).
X12_837P_GUIDE = Citation("ASC X12 837P 005010X222A1 implementation guide", confidence="rule")
NPI_CITATION = Citation(
    "CMS, Requirements for National Provider Identifier (NPI) check digit (Luhn, prefix 80840)",
    confidence="rule",
)
ICD_CITATION = Citation(
    "ICD-10-CM, CDC/NCHS release as packaged by simple-icd-10-cm", confidence="rule"
)
EXTERNAL_CAUSE_CITATION = Citation(
    "ICD-10-CM Official Guidelines: external cause codes (V00-Y99) are never the principal "
    "diagnosis; X12 837P HI01 (ABK)", confidence="rule"
)
POS_CITATION = Citation("CMS Place of Service Code Set", confidence="rule")
PROCEDURE_CITATION = Citation("CPT (5 digits, or 4 digits + F/T/U) and HCPCS Level II "
                              "(letter + 4 digits) code shapes", confidence="rule")

_CPT = re.compile(r"^(\d{5}|\d{4}[FTU]|[A-V]\d{4})$")
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
_NPI = re.compile(r"^\d{10}$")

#: CMS Place of Service code set (codes in use; 28-30, 35-40, 43-48, 59, 63-64,
#: 67-70, 73-80 and 82-98 are unassigned).
PLACE_OF_SERVICE = {
    "01": "Pharmacy", "02": "Telehealth provided other than in patient's home",
    "03": "School", "04": "Homeless shelter", "05": "Indian Health Service free-standing facility",
    "06": "Indian Health Service provider-based facility", "07": "Tribal 638 free-standing facility",
    "08": "Tribal 638 provider-based facility", "09": "Prison/correctional facility",
    "10": "Telehealth provided in patient's home", "11": "Office", "12": "Home",
    "13": "Assisted living facility", "14": "Group home", "15": "Mobile unit",
    "16": "Temporary lodging", "17": "Walk-in retail health clinic",
    "18": "Place of employment-worksite", "19": "Off campus-outpatient hospital",
    "20": "Urgent care facility", "21": "Inpatient hospital", "22": "On campus-outpatient hospital",
    "23": "Emergency room-hospital", "24": "Ambulatory surgical center", "25": "Birthing center",
    "26": "Military treatment facility", "27": "Outreach site/street",
    "31": "Skilled nursing facility", "32": "Nursing facility", "33": "Custodial care facility",
    "34": "Hospice", "41": "Ambulance-land", "42": "Ambulance-air or water",
    "49": "Independent clinic", "50": "Federally qualified health center",
    "51": "Inpatient psychiatric facility", "52": "Psychiatric facility-partial hospitalization",
    "53": "Community mental health center", "54": "Intermediate care facility/individuals "
    "with intellectual disabilities", "55": "Residential substance abuse treatment facility",
    "56": "Psychiatric residential treatment center",
    "57": "Non-residential substance abuse treatment facility",
    "58": "Non-residential opioid treatment facility", "60": "Mass immunization center",
    "61": "Comprehensive inpatient rehabilitation facility",
    "62": "Comprehensive outpatient rehabilitation facility",
    "65": "End-stage renal disease treatment facility", "66": "Programs of All-Inclusive Care "
    "for the Elderly (PACE) center", "71": "Public health clinic", "72": "Rural health clinic",
    "81": "Independent laboratory", "99": "Other place of service",
}

#: USPS codes of the states, DC, and the territories and possessions.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
US_TERRITORIES = frozenset("AS GU MP PR VI UM FM MH PW".split())
CANADA_PROVINCES = frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())


@functools.lru_cache(maxsize=4096)
def npi_error(npi: str) -> str | None:
    """``None`` for a valid NPI: 10 digits whose last is the Luhn check digit over 80840 + 9."""
    if not _NPI.match(npi or ""):
        return "expected a 10-digit NPI"
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    check = (10 - total % 10) % 10
    return None if check == int(npi[9]) else "expected an NPI with a valid check digit"


def procedure_error(code: str) -> str | None:
    return None if _CPT.match(code or "") else "expected a CPT or HCPCS code such as 97124"


def modifier_error(modifier: str) -> str | None:
    return None if _MODIFIER.match(modifier or "") else "expected a 2-character modifier such as 59"


def place_of_service_error(code: str) -> str | None:
    return None if code in PLACE_OF_SERVICE else "expected a CMS place-of-service code such as 11"


def state_error(code: str, allow_canada: bool = False) -> str | None:
    known = US_STATES | US_TERRITORIES | (CANADA_PROVINCES if allow_canada else frozenset())
    return None if code in known else "expected a 2-letter US state code such as NY"


@functools.lru_cache(maxsize=4096)
def normalize_icd(code: str) -> str:
    """``s13.4xxa`` → ``S13.4XXA`` (dot after the third character)."""
    code = (code or "").strip().upper().replace(".", "")
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@functools.lru_cache(maxsize=4096)
def icd10_error(code: str) -> str | None:
    """``None`` for a billable (full, leaf) ICD-10-CM code. The answers are simple-icd-10-cm's
    ``is_valid_item`` and ``is_leaf``, read from the index of :mod:`payerkit.rules.icd10`."""
    leaf = icd10.default_index().lookup(normalize_icd(code))
    if leaf is None:
        return "expected an ICD-10-CM code such as M62.830"
    if not leaf:
        return "expected a complete (billable) ICD-10-CM code, not a category"
    return None


def is_external_cause(code: str) -> bool:
    """ICD-10-CM chapter 20 (V00-Y99): how an injury happened, never a principal diagnosis."""
    return normalize_icd(code)[:1] in {"V", "W", "X", "Y"}

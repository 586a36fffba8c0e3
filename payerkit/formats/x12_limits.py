"""Sizes of the 837P elements payerkit fills (ASC X12 005010X222A1): one table.

The writer (:mod:`payerkit.formats.x12_837p`) reads every size from here, and
the scrub runs the writer's own checks without writing (``check_837p``), so a
clean scrub is never refused by the writer. Keys are the last part of a claim
field's path (``billing.address.city`` → ``city``).
"""

from __future__ import annotations

import datetime as dt

# HI01-HI12, SV107-1..4, SV101-3..6: the limits of a claim in every format, the model's
from ..model.claim import MAX_DIAGNOSES, MAX_MODIFIERS, MAX_POINTERS  # noqa: F401

#: Identifiers and codes: (minimum, maximum) characters. An identifier is never cut or
#: otherwise altered (:func:`payerkit.formats.x12.identifier`): a cut member id is a claim
#: for someone else.
ID_SIZES = {
    "sender_id": (2, 80),            # 1000A NM109
    "receiver_id": (2, 80),          # 1000B NM109
    "member_id": (2, 80),            # 2010BA NM109
    "group_number": (1, 50),         # SBR03
    "payer_id": (2, 80),             # 2010BB NM109
    "taxonomy": (1, 50),             # PRV03
    "filing_indicator": (1, 2),      # SBR09
    "property_casualty_claim_number": (1, 50),  # REF*Y4
    "id": (1, 38),                   # CLM01
    "place_of_service": (1, 2),      # CLM05-1, SV105
    "accident_state": (2, 2),        # CLM11-4
    "prior_authorization": (1, 50),  # REF*G1
    "original_claim_number": (1, 50),  # REF*F8
    "code": (1, 48),                 # SV101-2
    "control_number": (1, 50),       # REF*6R
    "state": (2, 2),                 # N402
    "payer_assigned_id": (1, 50),    # REF*G2 (2010BB, 2310B)
}
#: Free text (names, addresses), transliterated to the basic set and cut to this many
#: characters; the scrub warns when either changed what was given (TEXT-TRANSLITERATED,
#: TEXT-CUT).
TEXT_SIZES = {
    "name": 60, "last_name": 60, "first_name": 35, "receiver_name": 60, "payer_name": 60,
    "employer": 60,
    "line1": 55, "line2": 55, "city": 30, "contact": 60,
}
MIN_CITY = 2
MAX_LINES = 50       # 2400 loop repeat
#: The paper forms letter the diagnoses A to L (CMS-1500 item 21, the NF-3, the superbill).
DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"
#: ISA13, GS06 and ST02 control numbers: at most 9 digits, from 1.
MAX_CONTROL = 999_999_999
#: Claims (CLM segments) in one transaction set, ST to SE: 5000, the limit the 837P TR3
#: (005010X222A1) sets for a transaction set, as billing systems apply it (e.g. NextGen
#: Enterprise PM, "Common options for the 5010 format": "the CLM segment limit per
#: transaction set cannot exceed 5000"); a trading partner may ask for fewer
#: (``--claims-per-transaction``). No limit on transaction sets per group but GE01's size.
MAX_CLAIMS_PER_TRANSACTION = 5000
#: Transaction sets in one functional group: GE01 is N0 1/6.
MAX_TRANSACTIONS_PER_GROUP = 999_999
#: SV102/CLM02 are R (decimal) elements of at most 18 characters.
MAX_AMOUNT_CHARS = 18
#: Every D8 date written (birth, accident, onset, service). X12 takes any CCYYMMDD, pyx12
#: refuses years before 1800; no patient alive was born before 1900 and no service is
#: billed after 2099, so a date outside is a typing error, refused rather than sent.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def id_size(field: str) -> tuple[int, int]:
    return ID_SIZES[field.rpartition(".")[2].partition("[")[0]]


def text_size(field: str) -> int:
    return TEXT_SIZES[field.rpartition(".")[2]]

"""Which CPT codes a rule is about, by the CPT code set's own sections (not payer figures).

* **E&M**: the Evaluation and Management section, 99201-99499 (99202-99215 office visits...).
* **Chiropractic manipulative treatment** 98940-98943; **osteopathic** 98925-98929.
* **Modalities** 97010-97039 and **therapeutic procedures** 97110-97546 of the Physical
  Medicine and Rehabilitation section: payerkit's reading of the "modalities/procedures" of
  Regence's four-unit sentence (its scope is not confirmed).
* **Physical medicine** 97010-97799 as a whole: codes UMP may count under a limited benefit
  other than massage (with the chiropractic and acupuncture codes).
"""

from __future__ import annotations

from collections.abc import Iterable

EM = ((99201, 99499),)
CHIROPRACTIC_MANIPULATION = ((98940, 98943),)
OSTEOPATHIC_MANIPULATION = ((98925, 98929),)
MODALITIES_PROCEDURES = ((97010, 97039), (97110, 97546))
#: Codes of other limited benefits UMP counts by code: physical medicine and rehabilitation,
#: chiropractic manipulation, acupuncture.
OTHER_THERAPY = ((97010, 97799), (98940, 98943), (97810, 97814))


def in_ranges(code: str, ranges: Iterable[tuple[int, int]]) -> bool:
    """Whether a five-digit CPT code falls in one of ``ranges`` (HCPCS letters never do)."""
    if len(code) != 5 or not code.isdigit():
        return False
    number = int(code)
    return any(low <= number <= high for low, high in ranges)

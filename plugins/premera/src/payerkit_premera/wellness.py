"""Which diagnoses show no treatable condition: payerkit's wellness classification.

Premera Medical Policy 8.03.502 pays for massage that treats a documented
functional limitation. Which ICD-10-CM codes mean "no such condition"
(examinations, screening, counselling, stress) is payerkit's own
classification, kept in ``data/wellness_codes.csv`` and cited with
``confidence="sample"``: Premera's exclusion list was not seen.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from importlib import resources

from attrs import field, frozen
from payerkit.model import Citation
from payerkit.rules.codes import is_external_cause, normalize_icd

DATA_FILE = "wellness_codes.csv"

CLASSIFICATION = Citation(
    "payerkit's classification of ICD-10-CM wellness, screening, counselling and stress codes "
    "(payerkit_premera/data/wellness_codes.csv: Z00-Z13, Z71, Z73.3), applying the functional-"
    "limitation criterion of Premera Medical Policy 8.03.502; not Premera text",
    edition="payerkit-premera 0.1", confidence="sample",
)


@frozen
class WellnessCodes:
    """ICD-10-CM prefixes (``Z00``, ``Z73.3``) that mark a wellness/stress diagnosis."""

    prefixes: tuple[str, ...] = field(converter=lambda v: tuple(normalize_icd(p) for p in v))
    citation: Citation = CLASSIFICATION

    def matches(self, code: str) -> bool:
        normal = normalize_icd(code)
        return any(normal.startswith(prefix) for prefix in self.prefixes)

    def only_wellness(self, diagnoses: Iterable[str]) -> bool:
        """True when every diagnosis that names a condition (not an external cause) is wellness.

        External-cause codes (V00-Y99) say how an injury happened, not what is treated,
        so they neither add nor remove a condition.
        """
        conditions = [code for code in diagnoses if not is_external_cause(code)]
        return bool(conditions) and all(self.matches(code) for code in conditions)


def parse(text: str) -> WellnessCodes:
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    prefixes = [row["prefix"].strip() for row in csv.DictReader(rows) if row["prefix"].strip()]
    return WellnessCodes(prefixes)


def packaged() -> WellnessCodes:
    """The classification shipped with the plugin."""
    text = resources.files(__package__).joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return parse(text)

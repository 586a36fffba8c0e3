"""docs/adapters.md is the catalogue the installed entry points make (payerkit.catalogue),
and it lists every adapter of this repository."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

from payerkit import PayerKit
from payerkit.catalogue import confidences, markdown
from payerkit.model import Citation

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "adapters.md"
ADAPTERS = sorted([*ROOT.glob("plugins/*/pyproject.toml"), *ROOT.glob("contrib/*/pyproject.toml")])


def _distribution(pyproject: Path) -> str:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"]


def _installed(name: str) -> bool:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def test_every_adapter_of_the_repository_is_in_the_catalogue():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert ADAPTERS
    for pyproject in ADAPTERS:
        assert f"`{_distribution(pyproject)}`" in text, f"{pyproject.parent} is not catalogued"


def test_the_catalogue_is_what_the_installed_entry_points_make():
    missing = [_distribution(p) for p in ADAPTERS if not _installed(_distribution(p))]
    if missing:  # tox's core environment installs every adapter: there this never skips
        pytest.skip(f"not installed here: {', '.join(missing)}")
    assert markdown(PayerKit()) == CATALOGUE.read_text(encoding="utf-8"), \
        "docs/adapters.md is stale: python -m payerkit.catalogue > docs/adapters.md"


def test_each_row_counts_citations_by_confidence_strongest_first():
    cited = [Citation("a", confidence="sample"), Citation("b"), Citation("c"),
             Citation("d", confidence="medium")]
    assert confidences(cited) == "high 2, medium 1, sample 1"
    assert confidences([]) == "none"


def test_a_row_names_the_payerkit_versions_the_distribution_asks_for():
    rows = [line for line in CATALOGUE.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")]
    assert rows
    for row in rows:
        assert re.search(r"\| (<|>=|==|~=|any)[^|]* \|", row), row

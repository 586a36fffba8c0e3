"""The catalogue of installed adapters: ``docs/adapters.md`` is its output.

    python -m payerkit.catalogue > docs/adapters.md

One row per program of every installed plugin (entry-point group ``payerkit``), plus
one per rule set: the plugin's distribution and version range of payerkit it asks for,
the states, line of business and funding, the claim formats, how confident its rules
are (its program's sources and its ``data/figures.toml``, counted by confidence) and the
hook contract it was loaded under. Nothing is written by hand: a test regenerates it
from the installed plugins and compares.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from collections import Counter
from collections.abc import Iterable

from .errors import PluginError
from .figures import load_figures
from .hookspecs import CONTRACT_VERSION
from .kit import PayerKit
from .model import Citation, PluginInfo, Program, RuleSet
from .model.results import CONFIDENCES

#: A requirement on payerkit itself (not payerkit-premera), with its version range.
REQUIREMENT = re.compile(r"^payerkit\s*(?:\[[^]]*\])?\s*([<>=!~][^;]*)?\s*(?:;|$)")

HEADER = f"""# Adapters

Every payer adapter payerkit knows of: the first-party plugins under `plugins/` and the
community adapters under `contrib/`, each its own distribution. Generated from the
installed entry points by `python -m payerkit.catalogue` (a test regenerates it and
compares); do not edit by hand. "Rules" counts the citations of the program's sources
and of its plugin's `data/figures.toml` by confidence (`high`: primary text seen;
`medium`: secondary or partial; `low`: a lead; `sample`: no public source, a
configurable placeholder; `rule`: a coding rule; `practice`: the practice's own figure).
Every plugin listed was loaded under hook contract {CONTRACT_VERSION}, payerkit's current one.
"""


def confidences(citations: Iterable[Citation]) -> str:
    """``high 5, medium 2, sample 1``: the citations counted by confidence."""
    counts = Counter(c.confidence for c in citations)
    return ", ".join(f"{grade} {counts[grade]}" for grade in CONFIDENCES if counts[grade]) or "none"


def _requires(info: PluginInfo) -> str:
    """The versions of payerkit the plugin's distribution asks for (``>=0.2,<0.3``)."""
    try:
        requires = importlib.metadata.requires(info.distribution or "") or []
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return "-"
    for requirement in requires:
        found = REQUIREMENT.match(requirement)
        if found:
            return found.group(1).replace(" ", "") or "any"
    return "-"


def _figures(plugin: object) -> tuple[Citation, ...]:
    module = getattr(plugin, "__name__", None) or type(plugin).__module__
    try:
        return tuple(f.citation for f in load_figures(module.partition(".")[0]))
    except PluginError:  # no data/figures.toml: only the sources count
        return ()


def rows(kit: PayerKit) -> list[list[str]]:
    """A row per program and rule set of every plugin but payerkit's own, by distribution."""
    found: list[list[str]] = []
    for entry in kit.plugins():
        info = entry.info
        if info.distribution == "payerkit":
            continue
        figures = _figures(entry.plugin)
        dist = f"`{info.distribution or info.name}`"
        for program_id in entry.programs:
            program: Program = kit.program(program_id)
            funding = program.funding.replace("_", " ") if program.funding else "any"
            found.append([f"`{program.id}`", program.name, dist, _requires(info),
                          ", ".join(program.states), program.line_of_business.replace("_", " "),
                          funding, ", ".join(program.claim_formats),
                          confidences((*program.sources, *figures))])
        for rule_set in entry.rule_sets:
            rs: RuleSet = rule_set
            found.append([f"rules `{rs.id}`", rs.name, dist, _requires(info), ", ".join(rs.states),
                          "/".join(lob.replace("_", " ") for lob in rs.lines_of_business),
                          "/".join(f.replace("_", " ") for f in rs.funding), "-",
                          confidences((*rs.sources, *figures))])
    return sorted(found, key=lambda row: (row[2], row[0]))


def markdown(kit: PayerKit) -> str:
    """The catalogue as ``docs/adapters.md`` holds it."""
    head = ["program", "name", "distribution", "payerkit", "states", "line", "funding",
            "claim formats", "rules (citations by confidence)"]
    lines = [HEADER, "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows(kit)]
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.stdout.write(markdown(PayerKit()))


if __name__ == "__main__":
    main()

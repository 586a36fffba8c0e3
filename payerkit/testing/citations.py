"""What makes a citation a source: the rules the conformance suite holds every citation to.

A :class:`payerkit.model.Citation` is structured: ``source`` (what the rule
or figure comes from), ``edition`` (its date or version as seen),
``confidence`` and ``url``. :func:`citation_problems` says what is wrong
with one, in words an adapter author can act on::

    from payerkit.testing.citations import citation_problems

    assert citation_problems(FIGURES.get("filing_days").citation) == []

The rules, by confidence:

* every citation names something (``source`` not blank) and never payerkit's
  research notes (``*.md``, "research notes"): users do not have them;
* ``high``, ``medium`` and ``low`` (a source someone read) give the ``edition``
  seen, and a ``url`` or a citation a reader can look up (:data:`LOOKUP`: a
  section, a statute or regulation, a court decision, an agency's memorandum,
  opinion, manual, policy or fee schedule, a coding standard, a web address in
  the text); ``rule`` (a coding or format rule) gives a ``url`` or names its
  standard;
* an absence is not a source: a citation whose source opens (before its first
  ``;``) by saying nothing was found — "No L&I text on units was found", "filing
  limit: NOT FOUND", "unknown" — is a figure payerkit cannot source, so it must
  be a configurable figure graded ``sample`` (or a ``low`` lead, or the
  ``practice``'s own setting), never ``high``, ``medium`` or ``rule``. A real
  source may still end with a caveat ("...; no Connecticut-specific rule was
  found").

``sample`` (no public source: a configurable placeholder) and ``practice``
(the practice's own figure) name no public document and need neither.
"""

from __future__ import annotations

import re

from ..model import Citation

#: A citation must name the primary source, not a file of notes users do not have.
NOTES = re.compile(r"\b[\w-]+\.md\b|research notes", re.I)

#: Text saying nothing was found: "not found", "no ... was found", "unknown".
ABSENCE = re.compile(r"\bnot\s+found\b|\bno\b[^;]*?\b(?:was|were)\s+found\b|\bunknown\b", re.I)

#: A citation a reader can look up without a URL.
LOOKUP = re.compile("|".join((
    r"§",  # a section of a statute or regulation
    r"\b(?:RCW|WAC|CFR|C\.F\.R\.|U\.S\.C\.|NYCRR|C\.G\.S\.|ORS|OAR|IDAPA)(?![\w])",
    r"\b(?:Laws|Acts) of \d{4}\b", r"\bP\.A\.\s*\d", r"\bPub\.\s*(?:L\.\s*)?\d",
    r"\b(?:Insurance|Workers' Compensation) Law\b", r"\bRegs?\.", r"\bStatutes\b",
    r"\bv\.\s+[A-Z]", r"\bSlip Op\b",  # a court decision
    # an agency's or payer's document
    r"\b(?:Memorandum|Bulletin|Opinion|Op\.|Advisory|Manual|Guidelines?|Medical Policy|"
    r"Fee Schedule|Endorsement|Certificates? of [Cc]overage|[Cc]ompanion [Gg]uide)",
    # a coding or claim-form standard
    r"\b(?:X12|837P|CPT|HCPCS|ICD-10(?:-CM)?|NUCC|NPI|CMS-1500|NF-3)\b",
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|net|io|us)\b",  # a web address in the text
)))

#: Grades given to a source someone read: it has an edition and can be looked up.
READ = ("high", "medium", "low")
#: Grades an absence may carry: a placeholder, a lead, or the practice's own setting (the
#: configurable figure that stands in for the source not found) — never a confirmed source.
UNSOURCED = ("sample", "low", "practice")


def opening(source: str) -> str:
    """The source up to its first ``;``: where a citation names what it cites."""
    return source.partition(";")[0]


def citation_problems(citation: object) -> list[str]:
    """What is wrong with ``citation`` (``[]`` when nothing is), each as one sentence."""
    if not isinstance(citation, Citation):
        return [f"no Citation (got {type(citation).__name__})"]
    source, edition = (citation.source or "").strip(), (citation.edition or "").strip()
    if not source:
        return ["the source is blank: name the regulation, payer page or schedule"]
    problems = []
    text = f"{source} {edition}"
    if NOTES.search(text):
        problems.append(f"cites notes users do not have: {text!r}")
    absence = ABSENCE.search(opening(source))
    if absence and citation.confidence not in UNSOURCED:
        problems.append(
            f"cites an absence as a {citation.confidence!r} source ({absence.group(0)!r} in "
            f"{source[:80]!r}): a figure no source gives is configurable and graded 'sample' "
            "(or 'low' for a lead, 'practice' for the practice's setting), never cited as found")
    if citation.confidence in READ and not edition:
        problems.append(f"a {citation.confidence!r} source without its edition: give the "
                        "date or version seen")
    if citation.confidence in (*READ, "rule") and not citation.url and not LOOKUP.search(text):
        problems.append(
            f"names nothing a reader can look up ({source[:80]!r}): give the url, or cite the "
            "section, regulation, decision, agency document or coding standard")
    return problems


__all__ = ["ABSENCE", "LOOKUP", "NOTES", "citation_problems", "opening"]

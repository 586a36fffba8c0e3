"""Registration records: the typed things plugins give the host.

Plugins return these from ``payerkit_programs`` and ``payerkit_claim_formats``
(conda's way: typed registration records, not loose dicts). The manager checks
their ids and refuses two plugins claiming one id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, get_args

from attrs import field, frozen, validators

from ..formats import X12_837P
from .results import Citation, Finding

LineOfBusiness = Literal["commercial", "auto", "workers_comp", "medicare"]
#: How a plan is funded: state insurance law governs fully insured plans; self-funded (ERISA)
#: plans and Medicare Advantage plans (federal: 42 CFR Part 422) are outside state mandates.
Funding = Literal["fully_insured", "self_funded", "medicare_advantage"]
LINES_OF_BUSINESS: tuple[LineOfBusiness, ...] = get_args(LineOfBusiness)
FUNDINGS: tuple[Funding, ...] = get_args(Funding)
#: What a claim format draws: the claim, or the case's treatment plan (a progress report).
Renders = Literal["claim", "plan"]
RENDERS: tuple[Renders, ...] = get_args(Renders)
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: X12 claim filing indicator (SBR09) by line of business (``MB``: Medicare Part B).
FILING_INDICATORS = {"commercial": "CI", "auto": "AM", "workers_comp": "WC", "medicare": "MB"}


def _record_id(instance, attribute, value) -> None:
    """A record id: lowercase words of letters and digits joined by single hyphens."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(f"{type(instance).__name__}.{attribute.name}: expected lowercase "
                         "letters and digits in words joined by single hyphens (like "
                         f"'wa-lni'), got {value!r}")


def _tuple(value):
    return tuple(value)


def _count(instance: Any, attribute: Any, value: int | None) -> None:
    if value is not None and (type(value) is not int or not 1 <= value <= 10_000):
        raise ValueError(f"{attribute.name}: expected a whole number from 1 to 10000 or None")


@frozen
class ProgressReports:
    """A program's rule on progress reports during a treatment plan: one is due after
    ``visits`` attended visits or ``months`` calendar months (or ``days`` days) since the
    plan's start or the last report, whichever comes first, as ``citation`` says (WA L&I:
    six visits or one month, WAC 296-23-250). ``PayerKit.plan`` and the progress report
    name the next one due."""

    citation: Citation
    visits: int | None = field(default=None, validator=_count)
    months: int | None = field(default=None, validator=_count)
    days: int | None = field(default=None, validator=_count)

    def __attrs_post_init__(self) -> None:
        if self.visits is None and self.months is None and self.days is None:
            raise ValueError("ProgressReports: give visits, months or days")


@frozen
class Program:
    """A payer program a plugin answers for, e.g. ``ny-no-fault``.

    ``claim_formats`` lists the ids of the formats the payer takes
    (``x12-837p``, ``cms-1500``, ``nf-3``); each must be an installed format.
    ``filing_indicator`` overrides the SBR09 code implied by
    ``line_of_business``. ``payer_id`` is the default X12 payer id (a case's
    ``coverage.payer_id`` overrides it), cited by ``payer_id_citation``.
    ``claim_formats_citation`` cites the payer's own rule on the claims it
    takes (electronic only, and when paper is allowed): a claim in another
    format is refused with ``FORMAT-NOT-ACCEPTED`` citing it (without it, the
    program's name).

    ``facts`` is an attrs class of the program's own case facts, read from the
    case file's ``[facts.<program id>]`` table by payerkit's converter (so a
    new adapter needs no core release); its fields need defaults.
    ``fact_aliases`` maps a facts field to an older case-file path that still
    loads (``{"vehicle": "episode.vehicle"}``); the facts table wins.
    ``moved_facts`` is the other way round: a facts field older case files gave that
    payerkit now reads from a case field (``{"employer": "coverage.employer"}``); the
    facts field still loads and fills the case field when the case leaves it out.

    ``adapter`` is the object that answers this program's questions: an instance (or a
    module) whose ``@hookimpl`` question and contribution hooks hold the program's own
    rules. The kit asks it in place of the plugin that registered the program, so a plugin
    with several programs gives each its adapter (its figures, its rules, with ``facts`` its
    facts type) and no hook branches on the program. ``None`` (the default): the plugin's own
    hooks answer. It takes no part in comparing programs.

    ``progress_reports``: the program's rule on progress reports during a treatment plan
    (:class:`ProgressReports`), for what ``PayerKit.plan`` says is due.
    """

    id: str = field(validator=_record_id)
    name: str
    line_of_business: LineOfBusiness
    states: tuple[str, ...] = field(converter=_tuple)
    claim_formats: tuple[str, ...] = field(default=(X12_837P,), converter=_tuple)
    sources: tuple[Citation, ...] = field(default=(), converter=_tuple)
    payer_id: str | None = None
    filing_indicator: str | None = None
    payer_id_citation: Citation | None = None
    #: How every plan of the program is funded, when that is one way (a state employees'
    #: self-insured plan); a case's ``coverage.funding`` still says it for one case.
    funding: Funding | None = None
    facts: type | None = None
    fact_aliases: Mapping[str, str] = field(factory=dict)
    claim_formats_citation: Citation | None = None
    moved_facts: Mapping[str, str] = field(factory=dict)
    adapter: object | None = field(default=None, eq=False)
    #: When the program wants a progress report on a treatment plan (:class:`ProgressReports`);
    #: ``None``: its sources say nothing, and what is due names none.
    progress_reports: ProgressReports | None = None

    @property
    def claim_filing_indicator(self) -> str:
        return self.filing_indicator or FILING_INDICATORS[self.line_of_business]


@frozen
class RuleSet:
    """Rules a plugin adds to every program that matches, without owning one.

    A state's insurance law, for example, governs every fully insured
    commercial plan of the state: ``states=("WA",)``,
    ``lines_of_business=("commercial",)``, ``funding=("fully_insured",)``.
    The kit asks the plugin's question hooks for each matching program,
    after the owner and before the practice's local plugins (so its answer
    overrides the owner's in firstresult hooks, and its outcomes and findings
    are added to the owner's). A case whose ``coverage.funding`` is not given
    gets the rule set with a caution saying which funding it assumes.
    """

    id: str = field(validator=_record_id)
    name: str
    states: tuple[str, ...] = field(converter=_tuple)
    lines_of_business: tuple[LineOfBusiness, ...] = field(
        converter=_tuple, validator=validators.deep_iterable(validators.in_(LINES_OF_BUSINESS)))
    funding: tuple[Funding, ...] = field(
        default=FUNDINGS, converter=_tuple,
        validator=validators.deep_iterable(validators.in_(FUNDINGS)))
    sources: tuple[Citation, ...] = field(default=(), converter=_tuple)

    def selects(self, program: Program) -> bool:
        """Whether the rule set governs ``program`` (state and line of business)."""
        return (program.line_of_business in self.lines_of_business
                and bool(set(program.states) & set(self.states)))

    def governs(self, funding: str | None) -> bool:
        """Whether a plan of this funding is governed (unknown funding: yes, with a caution)."""
        return funding is None or funding in self.funding

    @property
    def scope(self) -> str:
        """``WA commercial, fully insured`` — what ``payerkit plugins`` shows."""
        lines = "/".join(lob.replace("_", " ") for lob in self.lines_of_business)
        funding = "/".join(f.replace("_", " ") for f in self.funding)
        return f"{'/'.join(self.states)} {lines}, {funding}"


@frozen
class Rendering:
    """A claim as one format renders it, before the moment of writing.

    A format's ``render(claim)`` returns it; its ``write(rendering, options)`` makes the
    file's bytes from it, adding only what depends on the moment (control numbers, the
    day). What the scrub checked is then what is written: the claim is rendered once.

    ``findings``: what the format found, each either a :class:`Finding` whose ``path`` is
    the claim field (``member_id``, ``lines[2].charge``) and whose message does not repeat
    it, or a ``(claim field, problem[, "warning"])`` tuple (a ``FORMAT-LIMIT`` error, or a
    ``FORMAT-WARNING``, citing the format); the kit names the case field behind each
    (``coverage.member_id: ...``). A rendering with an error is never written.
    ``content``: what the format's ``write`` needs; the format's own business (picklable:
    a batch sends it from a worker process to the writer). ``stream_key``/``stream_name``:
    for a format that streams many claims into one file (:attr:`ClaimFormat.stream`), the
    claims whose keys are equal share a file, named after ``stream_name`` (the 837P: one
    interchange per sender, payer id and usage, named after the payer id).
    """

    format: str
    content: Any = field(repr=False)
    findings: tuple[Any, ...] = field(default=(), converter=_tuple)
    stream_key: tuple | None = None
    stream_name: str | None = None

    @property
    def clean(self) -> bool:
        """``True`` when the format found no error: the claim can be written."""
        return not any(severity_of(f) == "error" for f in self.findings)


def severity_of(found: Any) -> str:
    """A rendering finding's severity: a :class:`Finding`'s own, a tuple's third part, else
    ``error``."""
    if isinstance(found, Finding):
        return found.severity
    return found[2] if len(found) == 3 else "error"


@frozen
class ClaimFormat:
    """A claim format: how a claim becomes a file (``suffix`` is the file-name ending the CLI
    uses, ``media_type`` its type).

    **A rendering format** (``render`` given): ``render(claim)`` returns a :class:`Rendering` (the
    format's findings, warnings too, and what its writer needs), and
    ``write(rendering, options)`` returns the file's bytes, adding only what depends on the
    moment (``options``: a :class:`payerkit.formats.WriteOptions`: control numbers, the
    clock). The kit renders a claim once per format: the scrub's findings and the file
    come from the same rendering. Such a format may also give ``check(claim)`` (its
    findings as tuples) for callers asking the format alone; the kit uses ``render``.

    **A claim-writing format** (no ``render``: the earlier way, still taken):
    ``write(claim, options)`` returns the
    bytes, raising :class:`payerkit.errors.FormatError` naming the claim field of a value
    it cannot carry, and ``check(claim)``, when given, returns those problems as
    ``(claim field, problem[, "warning"])`` tuples without writing. The kit adapts it: the
    rendering's findings are ``check``'s, its content the claim.

    ``stream``, when given, writes many claims into one file (the 837P's interchange):
    ``stream(out, numbers, options)`` returns an object whose ``add(rendering)`` writes
    one claim to the binary stream ``out`` (whole, or nothing of it) and returns what to
    say about where it went (a dict, e.g. ``{"claim_id": ..., "interchange": 12}``), and
    whose ``close()`` ends the file and returns a summary with ``claims`` (and, where the
    format has them, ``interchange`` and ``transactions``). ``numbers()`` gives the next
    control number of payerkit's counter. Only renderings with equal
    :attr:`Rendering.stream_key` go into one stream. ``payerkit batch`` writes a streaming
    format's claims this way, every other format's one file per case.

    ``for_patient``: the file is the patient's own statement (a superbill), not a claim to
    the payer. The payer's coverage rules and filing deadlines do not stop it: a visit the
    program does not cover (Medicare Part B and a massage therapist, say) still gets the
    statement the patient pays from and may send on; what the statement itself needs (the
    provider, the codes, the format's own findings) still does.

    ``renders``: what the format draws. ``"claim"`` (every claim format): the
    :class:`~payerkit.model.Claim`, as above. ``"plan"``: the case's treatment plan — a
    document for the payer's reviewer and the client (the progress report), not a bill:
    ``render(report)`` gets the :class:`~payerkit.model.PlanReport` of the plan on the run's
    day (the one ``PayerKit.plan`` answers) and its findings name the report's fields
    (``goals[1].points[3]``), which the kit names by case field. Such a format is taken for
    every program (it is no claim to the payer: ``claim_formats`` need not list it); the
    claim's findings do not stop it, only its own; a case without ``episode.plan`` is a
    :class:`~payerkit.errors.CaseError` naming that field.
    """

    id: str = field(validator=_record_id)
    name: str
    suffix: str
    media_type: str
    write: Callable[..., bytes]
    check: Callable[..., list[tuple[str, str]]] | None = None
    render: Callable[..., Rendering] | None = None
    stream: Callable[..., Any] | None = None
    for_patient: bool = False
    renders: Renders = field(default="claim", validator=validators.in_(RENDERS))

    def render_claim(self, claim: Any) -> Rendering:
        """The claim rendered: ``render``'s answer, or for a claim-writing format the
        claim itself with ``check``'s problems."""
        if self.render is not None:
            return self.render(claim)
        return Rendering(self.id, claim, () if self.check is None else tuple(self.check(claim)))

    def write_rendering(self, rendering: Rendering, options: Any) -> bytes:
        """The file's bytes from a rendering of this format (a claim-writing format's
        ``write`` gets the claim)."""
        return self.write(rendering if self.render is not None else rendering.content, options)


@frozen
class PluginInfo:
    """What ``payerkit programs`` and ``payerkit plugins`` show about a plugin."""

    name: str
    distribution: str | None
    version: str | None

"""The one evaluation pipeline: (case, visits, as_of, format, written_on) → answers → bytes.

Every door (:class:`payerkit.PayerKit`'s questions, ``payerkit claim``, ``demo``,
``batch``, Dask) goes through here, in two steps::

    run = pipeline.run(case, visits, as_of, format, written_on)   # one pass
    run.evaluation()          # every answer: an Evaluation
    run.write(format, options)  # the claim file's bytes (Evaluation.write)

A :class:`Run` computes each part once, when first needed, and keeps it: the
pricing of each visit, its outcomes, deadlines and scrub findings, the claim
(built once), the claim as each format renders it (rendered once, for the scrub
and the file alike), the scrub, the eligibility, limits and payment terms. A
single question (``check``) is a run asked for one part; ``evaluate`` asks for
all; a claim is written from the rendering its scrub checked.

Questions go to the program's :class:`payerkit.routing.Route`: the same
:class:`Context` for every hook (program, case, visit, as_of, facts), each hook
asked once per visit billed. Program facts are read once per run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from .checks import authorization_findings, authorization_limits
from .claims import build_claim, case_path
from .errors import (
    CaseError,
    ClaimRefused,
    FormatError,
    PayerKitError,
    PluginError,
    ProgramUnavailable,
    ReportRefused,
    UnknownProgram,
)
from .formats.options import WriteOptions
from .manager import Failure, Registered, describe
from .model import (
    Case,
    Citation,
    Claim,
    ClaimFormat,
    Deadline,
    Eligibility,
    Finding,
    Limit,
    Limits,
    PatientBilling,
    PaymentTerm,
    PaymentTerms,
    PlanReport,
    PricedLine,
    Pricing,
    Program,
    Reason,
    Rendering,
    Scrub,
    Visit,
)
from .model.evaluation import Evaluation
from .model.outcome import Outcome, caution, settle, status_of
from .model.results import UNSTATED_PATIENT_BILLING
from .paths import facts_path, field_path, visit_index
from .routing import Route, Router
from .rules.deadlines import late_findings
from .rules.fees import FeeSchedule
from .rules.money import line_amount
from .rules.plans import PLAN as PLAN_PATH
from .rules.plans import plan_report, same_measure
from .rules.units import CMS_8_MINUTE, UnitRule

SEVERITY_ORDER = {"error": 0, "warning": 1}
NO_SCHEDULE = Citation("payerkit: allowed amounts need a fee schedule from the program's plugin "
                       "or the practice; none was given", confidence="rule")
NO_RULES = Citation("payerkit: a program's plugin gives its coverage rules through "
                    "payerkit_outcomes; a program without them is never billed",
                    confidence="rule")
MIDPOINT_CITATION = Citation("CMS Pub. 100-04 ch. 5 § 20.2 and the CPT time rule: a 15-minute "
                             "unit needs at least 8 minutes", confidence="high")
ERISA = Citation("ERISA § 514(a)-(b), 29 U.S.C. § 1144: state insurance laws do not reach "
                 "self-funded employee benefit plans; 42 CFR § 422.402: the Medicare Advantage "
                 "standards supersede State law (other than licensing and plan solvency) for "
                 "MA plans", confidence="medium")
JUDGED_DAY = Citation("payerkit: a claim's deadlines are judged on the day it is sent; the "
                      "case's as_of is the day it was judged", confidence="rule")
NO_PLAN = (f"{PLAN_PATH}: the case has no treatment plan (docs/case-file.md, \"Treatment "
           "plans\")")
#: ``visit=ALL_VISITS`` bills every visit of the case on one claim.
ALL_VISITS = "all"
WRITE = "payerkit_format_claim"


class _once:
    """A property computed on first use and kept in the instance (``functools.cached_property``
    without the lock Python 3.11's takes at every first use: a run is one thread's).

    The plugin error boundary's last line: an exception raised by a plugin's code that a
    hook call did not catch (a function the plugin gave payerkit, called later) becomes a
    :class:`PluginError` naming the plugin and what was being computed
    (:meth:`Route.blame`), never payerkit's "internal error".
    """

    def __init__(self, compute):
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, run, owner=None):
        if run is None:
            return self
        try:
            value = self.compute(run)
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:
            culprit = run.route.blame(exc)
            if culprit is None:
                raise
            raise PluginError(f"plugin {culprit} failed while payerkit computed the "
                              f"{self.name.replace('_', ' ')} of program {run.program.id!r}: "
                              f"{type(exc).__name__}") from exc
        run.__dict__[self.name] = value
        return value


@frozen
class Context:
    """What every question is asked about: the same for every hook (contract v2)."""

    program: Program
    case: Case
    visit: Visit
    as_of: dt.date
    facts: Any = None

    def kwargs(self) -> dict[str, Any]:
        return {"program": self.program, "case": self.case, "visit": self.visit,
                "as_of": self.as_of, "facts": self.facts}

    @property
    def visit_index(self) -> int:
        return self.case.visits.index(self.visit)


class Pipeline:
    """A kit's programs, formats and routes: what turns a case into answers and claims."""

    def __init__(self, router: Router, programs: dict[str, tuple[Program, Registered]],
                 formats: dict[str, tuple[ClaimFormat, Registered]],
                 failures: tuple[Failure, ...] = ()):
        self.router = router
        self.programs = programs
        self.formats = formats
        #: Plugins and programs left out at load: what a missing program is explained by.
        self.failures = failures

    # -- what a run is about ----------------------------------------------------------

    def program(self, program_id: str) -> Program:
        try:
            return self.programs[program_id][0]
        except KeyError:
            raise self.unknown(program_id) from None

    def unknown(self, program_id: str) -> PayerKitError:
        """Why no plugin answers for ``program_id``: its plugin failed to load (a plugin
        problem, named), or no installed plugin serves it (the case's input)."""
        for failure in self.failures:
            if failure.may_serve(program_id):
                return ProgramUnavailable(program_id, failure.why())
        return UnknownProgram(program_id, list(self.programs),
                              [f"{f.label()}: {f.reason}" for f in self.failures])

    def format_of(self, format_id: str) -> ClaimFormat:
        """The installed format of that id; unknown is bad input."""
        if format_id not in self.formats:
            known = ", ".join(self.formats) or "none"
            raise CaseError([f"format: unknown claim format {format_id!r} (installed: {known})"])
        return self.formats[format_id][0]

    def claim_format(self, format_id: str, program: Program) -> ClaimFormat:
        """The format asked for: unknown is bad input; one the program does not take, a finding."""
        fmt = self.format_of(format_id)
        if fmt.renders == "plan":  # a document about the plan, not a claim: every program's
            return fmt
        if format_id not in program.claim_formats:
            raise ClaimRefused([Finding(
                "error", "FORMAT-NOT-ACCEPTED", f"{program.id} does not take {format_id!r} "
                f"claims (it takes {', '.join(program.claim_formats) or 'none installed'})",
                None, program.claim_formats_citation or Citation(program.name, confidence="rule"))])
        return self.formats[format_id][0]

    def format_owner(self, fmt: ClaimFormat) -> str:
        return describe(self.formats[fmt.id][1].info)

    def context(self, case: Case, visit: object = None, as_of: dt.date | None = None) -> Context:
        """The context every hook gets: the visit (default the last), the day, the facts."""
        return self._contexts(case, (self.visit(case, visit),), as_of)[0]

    def _contexts(self, case: Case, visits: tuple[Visit, ...],
                  as_of: dt.date | None) -> tuple[Context, ...]:
        program = self.program(case.program)
        day, facts = as_of or case.today(), _facts(program, case)
        case = _moved(program, case, facts)
        return tuple(Context(program, case, v, day, facts) for v in visits)

    @staticmethod
    def visits(case: Case, visit) -> tuple[Visit, ...]:
        """The visits a claim bills, in the case's (date) order, each once: ``visit`` is a
        visit, a date, ``None`` (the last), ``"all"`` (:data:`ALL_VISITS`) or a sequence of
        visits and dates."""
        if isinstance(visit, str):
            if visit != ALL_VISITS:
                raise CaseError([f"visits: expected a visit, a date, a list of them or "
                                 f"{ALL_VISITS!r}, not another text"])
            return case.visits
        if visit is None or isinstance(visit, Visit | dt.date) or not isinstance(visit, Iterable):
            return (Pipeline.visit(case, visit),)
        chosen = {visit_index(case, Pipeline.visit(case, v)) for v in visit}
        if not chosen:
            raise CaseError(["visits: no visit was chosen to bill"])
        return tuple(case.visits[i] for i in sorted(chosen))

    @staticmethod
    def visit(case: Case, visit) -> Visit:
        if isinstance(visit, Visit):
            if visit not in case.visits:
                raise CaseError(["visits: the visit asked about is not one of the case's visits"])
            return visit
        try:
            return case.visit_on(visit)
        except LookupError as exc:
            raise CaseError([str(exc)]) from None

    # -- runs -------------------------------------------------------------------------

    def run(self, case: Case, visits: tuple[Visit, ...], as_of: dt.date | None = None,
            format: str | None = None, written_on: dt.date | None = None) -> Run:
        """One pass over the visits a claim bills; ``format`` is the format its scrub
        checks (the one asked for, else the program's first)."""
        contexts = self._contexts(case, visits, as_of)
        program = contexts[0].program
        if format:
            format = self.claim_format(format, program).id
        else:
            format = program.claim_formats[0] if program.claim_formats else None
        return Run(self, case, contexts, format, written_on, as_of)


class Run:
    """One pass over a case: each answer computed once, when first asked, and kept.

    ``case`` is the caller's case; the contexts carry it with the program's moved facts
    in place. ``format`` is the format whose rendering the scrub checks.
    """

    def __init__(self, pipeline: Pipeline, case: Case, contexts: tuple[Context, ...],
                 format: str | None, written_on: dt.date | None, asked_as_of: dt.date | None):
        self.pipeline = pipeline
        self.case = case
        self.contexts = contexts
        self.format = format
        self.written_on = written_on
        self.asked_as_of = asked_as_of
        first = contexts[0]
        self.program = first.program
        self.visits = tuple(c.visit for c in contexts)
        self.route: Route = pipeline.router.route(
            first.program, first.case.coverage.funding or first.program.funding)
        self._renderings: dict[str, tuple[Rendering, list[Finding]]] = {}

    # -- the parts, each once -----------------------------------------------------------

    @_once
    def pricings(self) -> tuple[Pricing, ...]:
        return tuple(_price(self.route, ctx) for ctx in self.contexts)

    @_once
    def outcomes(self) -> tuple[tuple[Outcome, ...], ...]:
        return tuple(_outcomes(self.route, ctx) for ctx in self.contexts)

    @_once
    def deadlines(self) -> tuple[tuple[Deadline, ...], ...]:
        return tuple(_deadlines(self.route, ctx) for ctx in self.contexts)

    @_once
    def claim(self) -> Claim:
        """The claim the visits make (whatever the scrub says): built once."""
        ctx = self.contexts[0]
        return build_claim(ctx.case, ctx.program, self.visits, self.pricings)

    @_once
    def plan_report(self) -> PlanReport:
        """The treatment plan's state on the run's day (:class:`PlanReport`): what
        ``PayerKit.plan`` answers and a plan format (the progress report) draws. A case
        without ``episode.plan``: :class:`CaseError` naming it."""
        ctx = self.contexts[-1]
        if ctx.case.episode.plan is None:
            raise CaseError([NO_PLAN])
        window = self.program.progress_reports
        if window is None:
            return plan_report(ctx.case, ctx.as_of, program=self.program.name)
        return plan_report(ctx.case, ctx.as_of, program=self.program.name,
                           report_visits=window.visits, report_months=window.months,
                           report_days=window.days, report_citation=window.citation)

    @_once
    def visit_findings(self) -> list[Finding]:
        """Each visit's findings: its coverage rules' and its scrub hooks'."""
        route = self.route
        findings: list[Finding] = [] if route.answered("payerkit_outcomes") else [Finding(
            "error", "NO-ELIGIBILITY-RULES", f"the plugin for {self.program.id} gives no "
            "coverage rules (no payerkit_outcomes hook), so no claim can be checked: fix the "
            "plugin", "program", NO_RULES)]
        for ctx, pricing, found in zip(self.contexts, self.pricings, self.outcomes, strict=True):
            findings += [o.finding for o in found if o.finding is not None]
            findings += authorization_findings(ctx.case, ctx.visit, found)
            kwargs = {**ctx.kwargs(), "pricing": pricing}
            findings += route.many("payerkit_scrub", route.call("payerkit_scrub", kwargs),
                                   Finding, kwargs)
        return findings

    @_once
    def late(self) -> list[Finding]:
        findings: list[Finding] = []
        for ctx, dated in zip(self.contexts, self.deadlines, strict=True):
            findings += _late(ctx, dated, self.written_on)
        return findings

    @_once
    def scrub(self) -> Scrub:
        """The findings on the claim, its format's included; errors first."""
        return self.scrub_for(self.format)

    @_once
    def eligibility(self) -> Eligibility:
        ctx, route = self.contexts[-1], self.route
        outcomes = self.outcomes[-1]
        if not outcomes and not route.answered("payerkit_outcomes"):
            return Eligibility(ctx.program.id, "action_required", requirements=[Reason(
                "NO-ELIGIBILITY-RULES",
                f"the plugin for {ctx.program.id} gives no coverage rules; verify with the payer",
                NO_RULES)])
        return Eligibility(ctx.program.id, status_of(outcomes),
                           requirements=[o.reason for o in outcomes if o.effect == "requirement"],
                           reasons=[o.reason for o in outcomes if o.effect != "requirement"])

    @_once
    def limits(self) -> Limits:
        ctx, route = self.contexts[-1], self.route
        kwargs = ctx.kwargs()
        result = route.call("payerkit_visit_limits", kwargs)
        found = route.many("payerkit_visit_limits", [result], Limit, kwargs)
        # every authorization on file, in every program (payerkit's own rows, checks.py)
        return Limits(ctx.program.id, authorization_limits(ctx.case, ctx.visit, found))

    @_once
    def payment_terms(self) -> PaymentTerms:
        ctx, route = self.contexts[-1], self.route
        kwargs = ctx.kwargs()
        results = route.call("payerkit_payment_terms", kwargs)
        return PaymentTerms(ctx.program.id, route.many(
            "payerkit_payment_terms", list(reversed(results)), PaymentTerm, kwargs))

    @_once
    def patient_billing(self) -> PatientBilling:
        """What the patient may be billed once the payer decides (asked for the ledger)."""
        ctx, route = self.contexts[-1], self.route
        kwargs = ctx.kwargs()
        answer = route.one("payerkit_patient_billing",
                           route.call("payerkit_patient_billing", kwargs), PatientBilling, kwargs)
        return UNSTATED_PATIENT_BILLING if answer is None else answer

    def scrub_for(self, format_id: str | None) -> Scrub:
        """The findings, in order: each visit's rules and scrub hooks, the format's, the
        deadlines'; a finding said alike for several visits once; errors first."""
        self.pricings, self.outcomes, self.deadlines  # noqa: B018 - asked first, as ever
        findings = self.format_findings(format_id)
        findings = self.visit_findings + findings + self.late
        findings = list(dict.fromkeys(findings))  # case-wide findings, said once per claim
        findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        return Scrub(self.program.id, findings)

    def format_findings(self, format_id: str | None) -> list[Finding]:
        """What the format finds in the whole claim (all its visits), named by case field."""
        if format_id is None:
            return []
        fmt = self.pipeline.formats[format_id][0]
        if fmt.renders != "plan" and not self.claim.lines:
            return []
        return self.rendered(fmt)[1]

    def rendered(self, fmt: ClaimFormat) -> tuple[Rendering, list[Finding]]:
        """The claim (or, for a plan format, the plan's report) as ``fmt`` renders it
        (once), and its findings named by case field."""
        done = self._renderings.get(fmt.id)
        if done is None:
            ctx = self.contexts[0]
            if fmt.renders == "plan":
                rendering = _render(self.pipeline, fmt, self.plan_report)
                found = [_plan_finding(fmt, f, ctx.case) for f in rendering.findings]
            else:
                rendering = _render(self.pipeline, fmt, self.claim)
                found = [_case_finding(fmt, f, ctx.case, self.visits, self.claim)
                         for f in rendering.findings]
            done = self._renderings[fmt.id] = (rendering, found)
        return done

    # -- the whole evaluation, and the claim file ------------------------------------------

    def evaluation(self) -> Evaluation:
        """Every answer, each computed once (the questions in the order they were always
        asked: pricing, outcomes, deadlines, the scrub, then eligibility, limits, terms)."""
        scrub = self.scrub
        last = self.contexts[-1]
        return Evaluation(self.program.id, self.case, self.visits, last.as_of, self.format,
                          self.eligibility, self.pricings, self.limits, self.payment_terms,
                          scrub, None if scrub.errors else self.claim, self)

    def write(self, format_id: str | None, options: WriteOptions | None = None, *,
              stream: bool = False) -> bytes | Rendering:
        """The claim file's bytes in ``format_id`` (default: the format the scrub checked).

        Refused (:class:`ClaimRefused`) when the scrub for that format finds errors: the
        visits' and the deadlines' errors; when there are none, the format's own. Written
        from the rendering the scrub checked (another format is rendered once, here),
        through ``payerkit_format_claim`` (payerkit's own implementation writes the
        rendering; a plugin may write the claim itself).

        ``stream``: for a format that streams (``payerkit batch``): the rendering, to go
        into its stream, unless a plugin's ``payerkit_format_claim`` (asked without
        payerkit's own) writes the claim itself: then its bytes.
        """
        if format_id is None:
            format_id = self.format
            if format_id is None:
                raise CaseError([f"format: {self.program.id} takes no installed claim format"])
        claim_format = self.pipeline.claim_format(format_id, self.program)
        if claim_format.id != self.format or claim_format.for_patient or \
                claim_format.renders == "plan" or self.scrub.errors:
            self._refuse(claim_format)
        rendering = self.rendered(claim_format)[0]
        return self._write(claim_format, rendering, options or WriteOptions(), stream)

    def _refuse(self, claim_format: ClaimFormat) -> None:
        """Refuse the claim in ``claim_format`` when its scrub finds errors: those of the
        visits and deadlines first; only when there are none, the format's own. A patient's
        statement (:attr:`ClaimFormat.for_patient`) is not the payer's claim: the coverage
        rules' and the filing deadlines' errors do not stop it, nor a missed appointment's
        charge (the statement lists it apart, as the patient's). A plan's document
        (:attr:`ClaimFormat.renders` ``"plan"``: the progress report) is no claim at all: only
        its own findings stop it."""
        if claim_format.renders == "plan":
            errors = [f for f in self.format_findings(claim_format.id) if f.severity == "error"]
            if errors:
                raise ReportRefused(errors)
            return
        errors = self.scrub_for(None).errors
        if claim_format.for_patient:
            from .rules.plans import MISSED_APPOINTMENT_BILLED

            # a missed appointment's charge is shown on the statement as the patient's
            payers = {f.code for found in self.outcomes for o in found
                      if (f := o.finding) is not None} | {f.code for f in self.late} | \
                {MISSED_APPOINTMENT_BILLED}
            errors = [f for f in errors if f.code not in payers]
        if not errors:
            errors = [f for f in self.format_findings(claim_format.id) if f.severity == "error"]
        if errors:
            raise ClaimRefused(errors)

    def _write(self, claim_format: ClaimFormat, rendering: Rendering, options: WriteOptions,
               stream: bool) -> bytes | Rendering:
        """The claim file from ``payerkit_format_claim``: payerkit's own implementation writes
        the rendering with the format's ``write``, so what fails there is that format's
        writer (named by the plugin that registered it), and what fails in another plugin's
        implementation is that plugin."""
        route, ctx = self.route, self.contexts[0]
        kwargs = {"program": ctx.program, "case": ctx.case, "claim": self.claim,
                  "claim_format": claim_format, "options": options, "rendering": rendering}
        writer = self.pipeline.format_owner(claim_format)
        if stream:
            call = route.without_builtins(WRITE)
            if call is None:
                return rendering
        else:
            caller = route.callers[WRITE]

            def call(**kwargs):
                return caller(kwargs)
        try:
            data = call(**kwargs)
        except FormatError as exc:  # a value the format cannot carry, found as it was written
            raise ClaimRefused([_format_finding(claim_format, exc.field, exc.problem, ctx.case,
                                                self.visits, self.claim)]) from None
        except (PayerKitError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # a writer's bug or sys.exit(): its type, not its text
            raiser = route.raiser(getattr(route.pm.hook, WRITE), exc)
            if raiser is not None and raiser not in route.builtins:
                raise route.failed(WRITE, exc) from exc
            raise PluginError(f"the {claim_format.id} writer of plugin {writer} failed: "
                              f"{type(exc).__name__}") from exc
        if stream and data is None:
            return rendering
        if not isinstance(data, bytes):
            culprit = route.answerer(WRITE, kwargs,
                                     lambda answer: answer is None or isinstance(answer, bytes))
            who = (f"plugin {culprit} answered {WRITE} with" if culprit else
                   f"the {claim_format.id} writer of plugin {writer} answered")
            raise PluginError(f"{who} {type(data).__name__}, expected bytes")
        return data


# ---------------------------------------------------------------------------- the questions


def _outcomes(route: Route, ctx: Context) -> tuple[Outcome, ...]:
    kwargs = ctx.kwargs()
    results = route.call("payerkit_outcomes", kwargs)
    # pluggy answers last-registered first: put the owner's first, then rule sets, locals
    found = route.many("payerkit_outcomes", list(reversed(results)), Outcome, kwargs)
    for rule_set in route.assumed:
        found.append(caution(
            "PLAN-FUNDING-UNKNOWN", f"coverage.funding is not given: {rule_set.name} "
            f"governs {' and '.join(f.replace('_', ' ') for f in rule_set.funding)} plans "
            "only and was applied; record coverage.funding (a self-funded ERISA plan and a "
            "Medicare Advantage plan are outside state insurance law)", ERISA,
            "coverage.funding"))
    return tuple(settle(o) for o in found)


def _price(route: Route, ctx: Context) -> Pricing:
    program, case, target = ctx.program, ctx.case, ctx.visit
    reasons: list[Reason] = []
    kwargs = ctx.kwargs()
    rule = route.one("payerkit_units", route.call("payerkit_units", kwargs), UnitRule, kwargs)
    if rule is None:
        rule = CMS_8_MINUTE
        reasons.append(Reason("UNITS-DEFAULT", f"no unit rule given by {program.id}; "
                              f"used the {rule.name}", rule.citation))
    else:
        reasons.append(Reason("UNITS-RULE", f"units counted by the {rule.name}", rule.citation))
    reasons += rule.notes
    schedule = route.one("payerkit_fee_schedule", route.call("payerkit_fee_schedule", kwargs),
                         FeeSchedule, kwargs)
    if schedule is None:
        reasons.append(Reason("NO-FEE-SCHEDULE", "no fee schedule is configured for "
                              f"{program.id}: allowed amounts are unknown; give the "
                              "practice's schedule in the case's [fees]", NO_SCHEDULE))
    else:
        reasons += schedule.notes
        if schedule.citation.confidence == "sample":
            reasons.append(Reason("SAMPLE-FEES", "allowed amounts come from a SAMPLE "
                                  "schedule with no public source: replace it with the "
                                  "payer's published schedule, or the practice's contract "
                                  "rates where the payer publishes none", schedule.citation))
    units = rule.units(target.services)
    lines = [_line(case, target, service, n, schedule, reasons)
             for service, n in zip(target.services, units, strict=True)]
    pricing = Pricing(program.id, lines, reasons)
    kwargs = {**kwargs, "pricing": pricing}
    adjusted = route.one("payerkit_adjust_pricing",
                         route.call("payerkit_adjust_pricing", kwargs), Pricing, kwargs)
    if adjusted is None:
        return pricing
    given = [(ln.date, ln.code) for ln in lines]
    if [(ln.date, ln.code) for ln in adjusted.lines] != given:
        def fits(answer) -> bool:
            return answer is None or [(ln.date, ln.code) for ln in answer.lines] == given

        culprit = route.answerer("payerkit_adjust_pricing", kwargs, fits) or \
            route.suspects(route.pm.hook.payerkit_adjust_pricing)
        raise PluginError(f"plugin {culprit} answered "
                          "payerkit_adjust_pricing with other lines than it was given "
                          f"({len(adjusted.lines)} for {len(lines)}); it may change "
                          "amounts and reasons, not add, remove or reorder lines")
    return adjusted


def _line(case, visit, service, units, schedule, reasons) -> PricedLine:
    cash = case.provider.cash_rates.get(service.code)
    if service.charge is not None:
        charge = service.charge
    elif cash is not None:
        charge = line_amount(cash, units)
    else:
        charge = line_amount(Decimal(0), units)
    allowed = source = rate = None
    if schedule is not None:
        entry = schedule.lookup(service.code, service.modifiers, visit.date)
        if entry is None:
            if schedule.entries:
                reasons.append(Reason("NO-FEE", f"{service.code}: not in the fee schedule "
                                      f"for {visit.date.isoformat()}", schedule.citation))
        else:
            rate, source = entry.amount, schedule.source
            allowed = line_amount(rate, units)
    if units == 0:
        reasons.append(Reason("ZERO-UNITS", f"{service.code}: {service.minutes or 0} "
                              "minutes is under the 8 needed for a unit: not billable",
                              MIDPOINT_CITATION))
    return PricedLine(visit.date, service.code, service.modifiers, service.minutes, units,
                      charge, allowed, source, service.diagnoses, rate)


def _deadlines(route: Route, ctx: Context) -> tuple[Deadline, ...]:
    kwargs = ctx.kwargs()
    deadlines = route.call("payerkit_filing_deadline", kwargs)
    return tuple(route.many("payerkit_filing_deadline", [deadlines], Deadline, kwargs))


def _late(ctx: Context, deadlines: tuple[Deadline, ...],
          written_on: dt.date | None) -> list[Finding]:
    """What is late on ``as_of``; and, when the claim is written later, on that day too
    (warnings: the deadlines were judged on ``as_of``)."""
    excused = bool(ctx.case.claim.late_justification)
    findings = late_findings(deadlines, ctx.as_of, excused=excused)
    if written_on is None or written_on <= ctx.as_of:
        return findings
    findings.append(Finding(
        "warning", "AS-OF-BEFORE-WRITING", f"deadlines were judged on "
        f"{ctx.as_of.isoformat()} (as_of), but this claim is written on "
        f"{written_on.isoformat()}: judge it on the day it is sent with --as-of "
        f"{written_on.isoformat()}", "as_of", JUDGED_DAY))
    late_then = {f.code for f in findings}
    for finding in late_findings(deadlines, written_on, excused=excused):
        if finding.code not in late_then:
            findings.append(attrs.evolve(
                finding, severity="warning",
                message=f"if sent on {written_on.isoformat()}: {finding.message}"))
    return findings


# ---------------------------------------------------------------------------- formats


def _render(pipeline: Pipeline, fmt: ClaimFormat, claim: Claim) -> Rendering:
    """The format's rendering of the claim, its answer checked: what fails is the format's
    check, named by the plugin that registered the format."""
    try:
        rendering = fmt.render_claim(claim)
    except (PayerKitError, KeyboardInterrupt):
        raise
    except BaseException as exc:  # the format's bug or sys.exit(): its type, not its text
        raise PluginError(f"the {fmt.id} check of plugin {pipeline.format_owner(fmt)} "
                          f"failed: {type(exc).__name__}") from exc
    expected = "(claim field, problem[, severity]) tuples of text" + \
        (" or Findings" if fmt.render is not None else "")
    if not isinstance(rendering, Rendering):
        raise PluginError(f"the {fmt.id} check of plugin {pipeline.format_owner(fmt)} "
                          f"answered {type(rendering).__name__}, expected a Rendering")
    for found in rendering.findings:
        if not (isinstance(found, Finding) and fmt.render is not None or (
                isinstance(found, tuple | list) and len(found) in (2, 3)
                and all(isinstance(part, str) for part in found)
                and (len(found) == 2 or found[2] in ("error", "warning")))):
            raise PluginError(f"the {fmt.id} check of plugin {pipeline.format_owner(fmt)} "
                              f"answered {type(found).__name__}, expected {expected}")
    return rendering


def _case_finding(fmt: ClaimFormat, found, case: Case, visits: tuple[Visit, ...],
                  claim: Claim) -> Finding:
    """A format's finding about a claim field, about the case field behind it."""
    if isinstance(found, Finding):
        if found.path is None:
            return found
        path = case_path(found.path, case, visits, claim)
        return Finding(found.severity, found.code, f"{path}: {found.message}", path,
                       found.citation)
    field, problem, *severity = found
    return _format_finding(fmt, field, problem, case, visits, claim, *severity)


def _plan_finding(fmt: ClaimFormat, found, case: Case) -> Finding:
    """A plan format's finding about a field of the report (``goals[1].points[3]``), about the
    case field behind it (``visits[4].measures[0].value``)."""
    if isinstance(found, Finding):
        if found.path is None:
            return found
        path = plan_case_path(found.path, case)
        return Finding(found.severity, found.code, f"{path}: {found.message}", path,
                       found.citation)
    field, problem, *severity = found
    path = plan_case_path(field, case)
    level = severity[0] if severity else "error"
    return Finding(level, "FORMAT-LIMIT" if level == "error" else "FORMAT-WARNING",
                   f"{path}: {problem} ({fmt.name})", path, Citation(fmt.name, confidence="rule"))


#: A plan report's fields that come from the plan under another name, or from its dates.
_PLAN_FIELDS = {"start": "start", "end": "end", "planned_visits": "visits",
                "visits_per_week": "visits_per_week", "re_evaluation": "reevaluation_date",
                "discharge": "discharge_criteria"}
#: A goal's fields the report takes from the plan's goal as they are; the others (the
#: measure's name, unit, direction and MCID) come from the goal's measure.
_GOAL_FIELDS = ("description", "measure", "baseline", "target")


def plan_case_path(report_field: str, case: Case) -> str:
    """The case field behind a field of the plan's report (:class:`PlanReport`):
    ``practice.name`` → ``provider.name``, ``goals[1].target`` → ``episode.plan.goals[1].target``,
    ``goals[0].points[2]`` → the measurement it was read from (``visits[5].measures[0].value``),
    ``authorizations[1].number`` → ``episode.authorizations[0].number`` when the case also has
    ``episode.authorization``; what the report computes (the visits left, what is due, the
    notes) names the plan."""
    plan = case.episode.plan
    head, dot, rest = report_field.partition(".")
    name, _, index = head.partition("[")
    position = int(index.rstrip("]")) if index.rstrip("]").isdigit() else None
    if name == "practice":
        return field_path("provider", rest) if rest else "provider"
    if name == "patient":
        return report_field
    if name == "program":
        return "program"
    if name in _PLAN_FIELDS and plan is not None:
        if name == "end" and plan.end is None and plan.duration_weeks is not None:
            return field_path(PLAN_PATH, "duration_weeks")
        return field_path(PLAN_PATH, _PLAN_FIELDS[name])
    if name == "authorizations" and position is not None:
        on_file = case.episode.all_authorizations
        if position < len(on_file):
            at = position - (case.episode.authorization is not None)
            base = "episode.authorization" if at < 0 else field_path(
                "episode.authorizations", at)
            return field_path(base, rest) if rest else base
    if name == "goals" and position is not None and plan is not None \
            and position < len(plan.goals):
        goal = field_path(PLAN_PATH, "goals", position)
        point, _, point_index = rest.partition("[")
        if point == "points" and point_index.rstrip("]").isdigit():
            return _measurement_path(case, plan.start, plan.goals[position].measure,
                                     int(point_index.rstrip("]"))) or goal
        if rest in _GOAL_FIELDS:
            return field_path(goal, rest)
        return field_path(goal, "measure")
    return PLAN_PATH


def _measurement_path(case: Case, since: dt.date, measure: str, k: int) -> str | None:
    """The ``k``-th measurement of ``measure`` at the attended visits from ``since`` (the
    report's points, in order): its case field."""
    n = 0
    for i, visit in enumerate(case.visits):
        if visit.attendance != "attended" or visit.date < since:
            continue
        for j, measurement in enumerate(visit.measures):
            if same_measure(measurement.measure, measure):
                if n == k:
                    return field_path("visits", i, "measures", j, "value")
                n += 1
    return None


def _format_finding(fmt: ClaimFormat, field: str, problem: str, case: Case,
                    visits: tuple[Visit, ...], claim: Claim, severity: str = "error") -> Finding:
    """A value the format cannot carry (an error), or prints but wants looked at (a
    ``warning``), named by its case field (the scrub's and the writer's)."""
    path = case_path(field, case, visits, claim)
    code = "FORMAT-LIMIT" if severity == "error" else "FORMAT-WARNING"
    return Finding(severity, code, f"{path}: {problem} ({fmt.name})", path,
                   Citation(fmt.name, confidence="rule"))


# ---------------------------------------------------------------------------- facts


def _facts(program: Program, case: Case) -> Any:
    if program.facts is None and not case.facts:
        return None
    others = [key for key in case.facts if key != program.id]
    if others:
        raise CaseError([f"{facts_path(key)}: this case is for {program.id!r}; only "
                         f"[{facts_path(program)}] is read" for key in others])
    raw = dict(case.facts.get(program.id) or {})
    if program.facts is None:
        if raw:
            raise CaseError([f"{facts_path(program)}: {program.id} has no program facts"])
        return None
    for name, path in program.fact_aliases.items():
        if name not in raw:
            value = _attribute(case, path)
            if value is not None:
                raw[name] = value
    from .io import structure_facts  # the case reader's converter, for the facts' types

    return structure_facts(raw, program.facts, facts_path(program))


def _moved(program: Program, case: Case, facts: Any) -> Case:
    """The case with each of the program's moved facts (``Program.moved_facts``) in the case
    field that now holds it, when an older file gave it only in the facts; the case's own
    value wins. The visits stay the same objects."""
    for name, path in program.moved_facts.items():
        value = getattr(facts, name, None)
        if value is not None and _attribute(case, path) is None:
            case = _replaced(case, path.split("."), value)
    return case


def _replaced(obj: Any, names: list[str], value: Any) -> Any:
    head, *rest = names
    return attrs.evolve(obj, **{head: _replaced(getattr(obj, head), rest, value)
                                if rest else value})


def _attribute(obj: object, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


__all__ = ["ALL_VISITS", "Context", "Pipeline", "Run"]

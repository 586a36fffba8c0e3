"""The ``PayerKit`` facade: the one thing billing apps call.

    from payerkit import PayerKit
    from payerkit.io import load_case

    kit = PayerKit()
    case = load_case("examples/ny-covered.toml")
    kit.check(case).status          # 'covered'
    kit.price(case).total_allowed   # Decimal or None
    kit.claim(case, "x12-837p")     # bytes, or ClaimRefused

Routing: each question goes to a small plugin manager holding only the
payerkit built-ins, the plugin that owns the case's program, and the local
plugins added with :meth:`PayerKit.register`. It is built once per program
and cached, so the cost per claim does not grow with the number of installed
adapters. A local plugin registered later is called before the owner: its
non-``None`` answer overrides, and ``wrapper=True`` impls wrap the owner's.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import pluggy
from attrs import frozen

from .claims import build_claim, case_path
from .errors import CaseError, ClaimRefused, PluginError, UnknownProgram
from .formats.options import WriteOptions
from .manager import (
    PluginLoadWarning,
    Registered,
    builtin_plugins,
    collect_records,
    entry_point_plugins,
    hook_names,
    new_plugin_manager,
    strict_from_env,
    unknown_hooks,
)
from .model import (
    Case,
    Citation,
    ClaimFormat,
    Eligibility,
    Finding,
    Limits,
    PluginInfo,
    PricedLine,
    Pricing,
    Program,
    Reason,
    Scrub,
    Visit,
)
from .rules.deadlines import late_findings
from .rules.money import line_amount
from .rules.units import CMS_8_MINUTE

SEVERITY_ORDER = {"error": 0, "warning": 1}
NO_SCHEDULE = Citation("payerkit: allowed amounts need a fee schedule from the program's plugin "
                       "or the practice; none was given", confidence="rule")
MIDPOINT_CITATION = Citation("CMS Pub. 100-04 ch. 5 § 20.2 and the CPT time rule: a 15-minute "
                             "unit needs at least 8 minutes", confidence="high")


@frozen
class ProgramEntry:
    """A program with the plugin that serves it (what ``payerkit programs`` lists)."""

    program: Program
    plugin: PluginInfo


class PayerKit:
    """Discovers plugins and answers the four questions for a case.

    :param entry_points: load plugins from the ``payerkit`` entry-point group
        (default ``True``); pass an iterable of entry points to choose them.
    :param plugins: extra plugin objects (modules or instances) to register
        as if installed, e.g. an adapter under test.
    :param strict: raise instead of warning when a plugin fails to load
        (default: the ``PAYERKIT_STRICT_PLUGINS`` environment variable).
    """

    def __init__(self, *, entry_points: bool | Iterable = True, plugins: Iterable = (),
                 strict: bool | None = None):
        self._strict = strict_from_env() if strict is None else strict
        self._pm = new_plugin_manager()
        self._builtins = builtin_plugins()
        found = [] if entry_points is False else entry_point_plugins(
            self._strict, None if entry_points is True else entry_points)
        extra = [Registered(p, PluginInfo(getattr(p, "__name__", type(p).__name__), None, None))
                 for p in plugins]
        self._adapters = [r for r in found + extra if self._register(self._pm, r)]
        for reg in self._builtins:
            self._register(self._pm, reg)
        everyone = self._builtins + self._adapters
        self._programs = collect_records(self._pm, everyone, "payerkit_programs", Program,
                                         self._strict)
        self._formats = collect_records(self._pm, everyone, "payerkit_claim_formats",
                                        ClaimFormat, self._strict)
        self._locals: list[object] = []
        self._routers: dict[str, pluggy.PluginManager] = {}

    def _register(self, pm: pluggy.PluginManager, reg: Registered) -> bool:
        unknown = unknown_hooks(reg.plugin)
        try:
            if unknown:
                raise PluginError(f"unknown hook(s) {', '.join(unknown)}")
            pm.register(reg.plugin, name=f"{reg.info.name}:{id(reg.plugin)}")
        except Exception as exc:
            message = f"payerkit: plugin {reg.info.name!r} cannot be registered: {exc}"
            if self._strict:
                raise PluginError(message) from exc
            warnings.warn(message, PluginLoadWarning, stacklevel=3)
            return False
        return True

    # -- plugins and programs -------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> None:
        """Add a local plugin (a practice's contracted rates, a payer tweak).

        It is consulted for every program, before the owning adapter, so it can
        override (return non-``None``) or wrap (``wrapper=True``) any question
        hook. Registration hooks of local plugins are not read.
        """
        label = name or getattr(plugin, "__name__", type(plugin).__name__)
        unknown = unknown_hooks(plugin)
        try:
            if unknown:
                raise PluginError(f"unknown hook(s) {', '.join(unknown)}")
            new_plugin_manager().register(plugin)  # validates hook signatures
        except Exception as exc:
            raise PluginError(f"payerkit: local plugin {label!r} cannot be registered: {exc}") from exc
        self._locals.append(plugin)
        self._routers.clear()

    def programs(self) -> list[ProgramEntry]:
        return [ProgramEntry(program, reg.info) for program, reg in self._programs.values()]

    def program(self, program_id: str) -> Program:
        try:
            return self._programs[program_id][0]
        except KeyError:
            raise UnknownProgram(program_id, list(self._programs)) from None

    def claim_formats(self) -> list[ClaimFormat]:
        return [fmt for fmt, _ in self._formats.values()]

    def plugins(self) -> list[tuple[PluginInfo, tuple[str, ...]]]:
        """Every registered plugin with the hooks it implements."""
        return [(r.info, hook_names(self._pm, r.plugin)) for r in self._builtins + self._adapters]

    def _hooks(self, program_id: str):
        """The hook relay for one program: built-ins, the owner, local plugins."""
        router = self._routers.get(program_id)
        if router is None:
            self.program(program_id)
            router = new_plugin_manager()
            owner = self._programs[program_id][1]
            for reg in self._builtins + [owner]:
                router.register(reg.plugin)
            for plugin in self._locals:
                router.register(plugin)
            self._routers[program_id] = router
        return router.hook

    # -- the questions ------------------------------------------------------------

    def check(self, case: Case, visit: object = None) -> Eligibility:
        """Will the program pay for this care (a visit, default the last), and on what conditions?"""
        program = self.program(case.program)
        result = self._hooks(program.id).payerkit_eligibility(
            program=program, case=case, visit=self._visit(case, visit))
        if result is None:
            return Eligibility(program.id, "action_required", reasons=[Reason(
                "NO-ELIGIBILITY-RULES",
                f"the plugin for {program.id} gives no eligibility rules; verify with the payer")])
        return result

    def price(self, case: Case, visit: object = None) -> Pricing:
        """Units, charge and allowed amount for each service of a visit (default: the last)."""
        program = self.program(case.program)
        hooks = self._hooks(program.id)
        target = self._visit(case, visit)
        reasons = []
        rule = hooks.payerkit_units(program=program, case=case)
        if rule is None:
            rule = CMS_8_MINUTE
            reasons.append(Reason("UNITS-DEFAULT", f"no unit rule given by {program.id}; "
                                  f"used the {rule.name}", rule.citation))
        else:
            reasons.append(Reason("UNITS-RULE", f"units counted by the {rule.name}",
                                  rule.citation))
        schedule = hooks.payerkit_fee_schedule(program=program, case=case)
        if schedule is None:
            reasons.append(Reason("NO-FEE-SCHEDULE", "no fee schedule is configured for "
                                  f"{program.id}: allowed amounts are unknown; give the "
                                  "practice's schedule in the case's [fees]", NO_SCHEDULE))
        elif schedule.citation.confidence == "sample":
            reasons.append(Reason("SAMPLE-FEES", "allowed amounts come from a SAMPLE schedule "
                                  "with no public source; replace it with your contract's "
                                  "figures", schedule.citation))
        lines = []
        for service, units in zip(target.services, rule.units(target.services), strict=True):
            lines.append(self._line(case, target, service, units, schedule, reasons))
        pricing = Pricing(program.id, lines, reasons)
        adjusted = hooks.payerkit_adjust_pricing(program=program, case=case, pricing=pricing)
        return pricing if adjusted is None else adjusted

    @staticmethod
    def _line(case, visit, service, units, schedule, reasons) -> PricedLine:
        cash = case.provider.cash_rates.get(service.code)
        if service.charge is not None:
            charge = service.charge
        elif cash is not None:
            charge = line_amount(cash, units)
        else:
            charge = line_amount(0, units)
        allowed = source = rate = None
        if schedule is not None:
            entry = schedule.lookup(service.code, service.modifiers, visit.date)
            if entry is None:
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

    def limits(self, case: Case) -> Limits:
        """Visits or units used and left under the program's limits."""
        program = self.program(case.program)
        result = self._hooks(program.id).payerkit_visit_limits(program=program, case=case)
        return Limits(program.id, result or ())

    def scrub(self, case: Case, visit: object = None) -> Scrub:
        """Findings on the claim for a visit before it goes out; errors first."""
        program = self.program(case.program)
        target = self._visit(case, visit)
        return self._scrub(program, case, target, self.price(case, target))

    def _scrub(self, program: Program, case: Case, target: Visit, pricing: Pricing) -> Scrub:
        hooks = self._hooks(program.id)
        findings = [f for found in hooks.payerkit_scrub(program=program, case=case,
                                                        visit=target, pricing=pricing)
                    for f in found or ()]
        deadlines = hooks.payerkit_filing_deadline(program=program, case=case, visit=target)
        findings += late_findings(deadlines or (), case.today(),
                                  excused=bool(case.claim.late_justification))
        findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        return Scrub(program.id, findings)

    def build_claim(self, case: Case, visit: object = None):
        """The :class:`payerkit.model.Claim` for a visit (no scrub)."""
        program = self.program(case.program)
        target = self._visit(case, visit)
        return build_claim(case, program, target, self.price(case, target))

    def claim(self, case: Case, format: str = "x12-837p", visit: object = None,
              options: WriteOptions | None = None) -> bytes:
        """The claim file's bytes; raises :class:`ClaimRefused` when the scrub finds errors."""
        program = self.program(case.program)
        claim_format = self.claim_format(format, program)
        target = self._visit(case, visit)
        pricing = self.price(case, target)
        scrub = self._scrub(program, case, target, pricing)
        if scrub.errors:
            raise ClaimRefused(scrub.errors)
        claim = build_claim(case, program, target, pricing)
        try:
            data = self._hooks(program.id).payerkit_format_claim(
                program=program, case=case, claim=claim, claim_format=claim_format,
                options=options or WriteOptions())
        except ValueError as exc:  # a value the format cannot carry: the writer names the field
            field, _, problem = str(exc).partition(": ")
            path = case_path(field, case, target) if problem else None
            raise ClaimRefused([Finding("error", "FORMAT-REFUSED",
                                        f"{format}: {path or 'claim'}: {problem or exc}", path,
                                        Citation(claim_format.name, confidence="rule"))]) from None
        if data is None:
            raise PluginError(f"no plugin wrote the {format} claim")
        return data

    def claim_format(self, format_id: str, program: Program) -> ClaimFormat:
        if format_id not in self._formats:
            known = ", ".join(self._formats) or "none"
            raise CaseError([f"format: unknown claim format {format_id!r} (installed: {known})"])
        if format_id not in program.claim_formats:
            raise CaseError([f"format: {program.id} does not take {format_id!r} claims "
                             f"(it takes {', '.join(program.claim_formats)})"])
        return self._formats[format_id][0]

    @staticmethod
    def _visit(case: Case, visit) -> Visit:
        if isinstance(visit, Visit):
            return visit
        try:
            return case.visit_on(visit)
        except LookupError as exc:
            raise CaseError([str(exc)]) from None

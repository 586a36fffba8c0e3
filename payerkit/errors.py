"""Exceptions payerkit raises on purpose. Their text never carries patient data."""

from __future__ import annotations


class PayerKitError(Exception):
    """Base class: an expected failure the CLI reports without a traceback."""


class CaseError(PayerKitError):
    """A case file is unreadable or invalid; ``problems`` lists ``path: what was expected``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):  # pickled whole (a worker process, a Dask task), not as its text
        return CaseError, (self.problems,)


class PluginError(PayerKitError):
    """A plugin failed to load, registered a bad record, or conflicts with another."""


class UnknownProgram(CaseError):
    def __init__(self, program: str, known: list[str]):
        self.program, self.known = program, list(known)
        listing = ", ".join(sorted(known)) or "none installed"
        super().__init__([f"program: unknown program {program!r} (installed: {listing})"])

    def __reduce__(self):
        return UnknownProgram, (self.program, self.known)


class ClaimRefused(PayerKitError):
    """The scrub found errors, so no claim was written; ``findings`` says why."""

    def __init__(self, findings):
        self.findings = tuple(findings)
        super().__init__(f"claim refused: {len(self.findings)} error(s) found by scrub")

    def __reduce__(self):
        return ClaimRefused, (self.findings,)


class FormatError(PayerKitError, ValueError):
    """A claim value a format cannot carry. ``field`` is the claim field (``member_id``,
    ``lines[2].charge``); the kit turns it into the case field's path. Never holds the value."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")

    def __reduce__(self):
        return FormatError, (self.field, self.problem)

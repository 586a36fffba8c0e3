"""Plugin objects the plugin-system tests load through fake entry points."""

from case_samples import SampleAdapter

from payerkit.hookspecs import hookimpl
from payerkit.model import Program

GOOD = SampleAdapter()


class _Other:
    """A second adapter for another program, to test routing and conflicts."""

    def __init__(self, program_id="other-plan"):
        self.program = Program(id=program_id, name="Other", line_of_business="auto",
                               states=("NY",))
        self.asked = 0

    @hookimpl
    def payerkit_programs(self):
        return [self.program]

    @hookimpl
    def payerkit_outcomes(self):
        self.asked += 1
        return []


OTHER = _Other()
CONFLICTING = _Other("test-plan")


class _Broken:
    @hookimpl
    def payerkit_programs(self):
        raise RuntimeError("this plugin is broken")


BROKEN_AT_REGISTRATION = _Broken()


class _Typo:
    @hookimpl
    def payerkit_outcomse(self, program, case):  # misspelt on purpose
        return None


TYPO = _Typo()


class _BrokenTwice:
    """Both registration hooks raise: dropped whole, once (v1 crashed the host here)."""

    @hookimpl
    def payerkit_programs(self):
        raise RuntimeError("broken")

    @hookimpl
    def payerkit_claim_formats(self):
        raise RuntimeError("broken too")


BROKEN_TWICE = _BrokenTwice()

"""Field paths: how an error, a finding, an outcome or a deadline names a field of the case.

A path is text, as a problem line starts with it and ``Finding.path`` holds it:
``visits[2].services[0].code``, ``episode.diagnoses[1]``, ``facts.ny-no-fault.vehicle``.
Build one with these helpers rather than by hand, so every plugin spells it alike::

    field_path("episode", "diagnoses", 1)              # 'episode.diagnoses[1]'
    visit_path(case, visit, "services", 0, "code")     # 'visits[2].services[0].code'
    facts_path(program, "vehicle")                     # 'facts.ny-no-fault.vehicle'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Case, Program, Visit


def field_path(*parts: str | int) -> str:
    """The path of a field: each ``str`` a field name (or a dotted run of them), each ``int``
    a position in the list before it. ``field_path("visits", 2, "date")`` is ``visits[2].date``.
    """
    if not parts or type(parts[0]) is not str:
        raise ValueError(f"a field path starts with a field name, got {parts[:1]!r}")
    text = parts[0]
    for part in parts[1:]:
        if type(part) is int:  # a position (never a bool)
            text += f"[{part}]"
        elif type(part) is str:
            text += f".{part}"
        else:
            raise ValueError(f"a field path is made of field names and the positions after "
                             f"them, got {part!r} after {text!r}")
    return text


def visit_index(case: Case, visit: Visit) -> int:
    """The position of ``visit`` in the case: the visit itself, else the first equal to it
    (two visits alike in every field are told apart only by being the case's own objects)."""
    for i, v in enumerate(case.visits):
        if v is visit:
            return i
    return case.visits.index(visit)


def visit_path(case: Case, visit: Visit, *rest: str | int) -> str:
    """The path of ``visit`` in ``case`` (``visits[2]``), or of a field under it:
    ``visit_path(case, visit, "services", 0, "minutes")`` is ``visits[2].services[0].minutes``."""
    return field_path("visits", visit_index(case, visit), *rest)


def facts_path(program: Program | str, *rest: str | int) -> str:
    """The path of a program's facts table (``facts.ct-workers-comp``), or of one fact:
    ``facts_path(program, "bill_days")`` is ``facts.ct-workers-comp.bill_days``. ``program``
    is the :class:`~payerkit.model.Program` or its id."""
    return field_path("facts", program if isinstance(program, str) else program.id, *rest)

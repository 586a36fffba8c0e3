"""payerkit's on/off environment variables (``PAYERKIT_STRICT_PLUGINS``, ``PAYERKIT_DEBUG``),
read one way: the usual spellings of true and false, and anything else refused naming the
variable (a typo never turns a switch silently off). Imports nothing heavy: the CLI reads
``PAYERKIT_DEBUG`` before any command is loaded."""

from __future__ import annotations

import os

from .errors import CaseError

ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off", "")


def flag(name: str) -> bool:
    """Whether the on/off variable ``name`` is on (unset or empty: off); another value is a
    :class:`CaseError` naming the variable (the CLI's exit 2)."""
    value = os.environ.get(name, "")
    spelt = value.strip().lower()
    if spelt in ON:
        return True
    if spelt in OFF:
        return False
    raise CaseError([f"{name}: expected on or off ({', '.join(ON)} / {', '.join(OFF[:-1])}), "
                     f"got {value[:40]!r}"])

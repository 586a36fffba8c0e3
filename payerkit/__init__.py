"""payerkit: US payers' rules for massage therapy, as plugins.

Billing apps import :class:`PayerKit`, :func:`load_case` and the model
classes from here; adapter authors import :data:`hookimpl`, the outcome
helpers (``not_covered``, ``requirement``, ``caution``, ``note``), the shared outcome
codes (``PRIOR_AUTHORIZATION_REQUIRED``, ``PROVIDER_CATEGORY_EXCLUDED``) and the field-path
helpers (``field_path``, ``visit_path``, ``facts_path``). ``docs/api.md`` lists what else
is public.

Names are imported when first used (PEP 562), so ``payerkit --help`` and the
commands that need little do not pay for what they do not use.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

#: Each exported name (the model's excepted) and the module that defines it.
_HOMES = {
    "ALL_VISITS": "kit", "Context": "kit", "PayerKit": "kit",
    "CONTRACT_VERSION": "hookspecs", "hookimpl": "hookspecs",
    "CaseError": "errors", "ClaimRefused": "errors", "ReportRefused": "errors",
    "FormatError": "errors",
    "PayerKitError": "errors", "PluginError": "errors",
    "CounterError": "errors", "OutputError": "errors",
    "Figure": "figures", "Figures": "figures", "load_figures": "figures",
    "parse_figures": "figures",
    "load_case": "io", "structure_case": "io", "unstructure_case": "io",
    "facts_path": "paths", "field_path": "paths", "visit_path": "paths",
    # the shared outcome codes a rule set recognises, and the "verify with the plan" suffix
    "PRIOR_AUTHORIZATION_REQUIRED": "model.outcome", "PROVIDER_CATEGORY_EXCLUDED": "model.outcome",
    "UNCONFIRMED_SUFFIX": "model.outcome",
}


def _model_names() -> list[str]:
    return list(importlib.import_module(".model", __name__).__all__)


def __getattr__(name: str):
    if name == "__all__":
        names = ["__version__", *_HOMES, *_model_names()]
        globals()["__all__"] = names
        return names
    home = _HOMES.get(name)
    if home is None:
        if name.startswith("__") or name not in _model_names():
            raise AttributeError(f"module 'payerkit' has no attribute {name!r}")
        home = "model"
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES, *_model_names()})

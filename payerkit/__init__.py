"""payerkit: US payers' rules for massage therapy, as plugins.

Billing apps import :class:`PayerKit`, :func:`load_case` and the model
classes from here; adapter authors import :data:`hookimpl` and the outcome
helpers (``not_covered``, ``requirement``, ``caution``, ``note``).
"""

__version__ = "0.2.0"

from .errors import CaseError, ClaimRefused, FormatError, PayerKitError, PluginError  # noqa: E402
from .figures import Figure, Figures, load_figures  # noqa: E402
from .files import OutputError  # noqa: E402
from .formats.control import CounterError  # noqa: E402
from .hookspecs import CONTRACT_VERSION, hookimpl  # noqa: E402
from .io import load_case  # noqa: E402
from .kit import ALL_VISITS, Context, PayerKit  # noqa: E402
from .model import *  # noqa: E402,F403
from .model import __all__ as _model_names  # noqa: E402

__all__ = [
    "ALL_VISITS", "CONTRACT_VERSION", "CaseError", "ClaimRefused", "Context", "CounterError",
    "Figure", "Figures", "OutputError",
    "FormatError", "PayerKit", "PayerKitError", "PluginError", "__version__", "hookimpl",
    "load_case", "load_figures", *_model_names,
]

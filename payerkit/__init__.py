"""payerkit: US payers' rules for massage therapy, as plugins.

Billing apps import :class:`PayerKit` and the model classes from here.
"""

__version__ = "0.1.0"

from .errors import CaseError, ClaimRefused, PayerKitError, PluginError  # noqa: E402
from .kit import PayerKit  # noqa: E402

__all__ = ["CaseError", "ClaimRefused", "PayerKit", "PayerKitError", "PluginError", "__version__"]

"""Claim writers. Each is registered as a :class:`payerkit.model.ClaimFormat`
through ``payerkit_claim_formats``, the core's own the same way as a plugin's."""

from .options import ControlNumbers, WriteOptions

__all__ = ["ControlNumbers", "WriteOptions"]

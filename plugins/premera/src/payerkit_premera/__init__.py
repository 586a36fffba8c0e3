"""payerkit adapter for Premera Blue Cross (Washington) commercial plans: ``premera-wa``."""

from .plugin import PROGRAM, PROGRAM_ID

__all__ = ["PROGRAM", "PROGRAM_ID"]

"""payerkit adapter for Premera Blue Cross (Washington) commercial plans (program ``premera-wa``)."""

from .program import PROGRAM, PROGRAM_ID

__all__ = ["PROGRAM", "PROGRAM_ID"]

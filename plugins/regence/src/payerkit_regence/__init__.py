"""payerkit adapter for Regence (WA, OR, ID, UT commercial plans) and the Uniform Medical Plan.

The hook implementations are in :mod:`payerkit_regence.plugin` (entry point ``regence`` in the
``payerkit`` group); the programs are ``regence-wa``, ``regence-or``, ``regence-id``,
``regence-ut`` and ``ump``.
"""

__version__ = "0.2.0"

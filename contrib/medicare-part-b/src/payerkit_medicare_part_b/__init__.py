"""payerkit community adapter for Medicare Part B: ``medicare-part-b``.

The hook implementations are in :mod:`payerkit_medicare_part_b.plugin` (entry point
``medicare-part-b`` in the ``payerkit`` group), the citations in :mod:`.sources`.
"""

__version__ = "0.2.0"

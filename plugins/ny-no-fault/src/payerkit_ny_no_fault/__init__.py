"""payerkit adapter for New York no-fault (motor-vehicle personal injury protection).

The hook implementations are in :mod:`payerkit_ny_no_fault.plugin` (entry point
``ny-no-fault`` in the ``payerkit`` group); the rules they use are in the
modules next to it, each figure with its source.
"""

__version__ = "0.2.0"

"""payerkit community adapter for Washington Labor & Industries workers' compensation: ``wa-lni``.

The hook implementations are in :mod:`payerkit_wa_lni.plugin` (entry point ``wa-lni`` in the
``payerkit`` group); the rules are in the modules next to it, each figure cited in
``data/figures.toml`` and each rule's source in :mod:`.sources`.
"""

__version__ = "0.2.0"

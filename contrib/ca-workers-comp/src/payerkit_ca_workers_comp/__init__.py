"""payerkit community adapter for California workers' compensation: ``ca-workers-comp``.

The hook implementations are in :mod:`payerkit_ca_workers_comp.plugin` (entry point
``ca-workers-comp`` in the ``payerkit`` group); the rules are in the modules next to it, each
figure cited in ``data/figures.toml`` and each rule's source in :mod:`.sources`.
"""

__version__ = "0.2.0"

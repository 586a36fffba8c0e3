"""payerkit community adapter for Florida personal injury protection (PIP): ``fl-pip``.

The hook implementations are in :mod:`payerkit_fl_pip.plugin` (entry point ``fl-pip`` in the
``payerkit`` group); each figure is cited in ``data/figures.toml``.
"""

__version__ = "0.2.0"

"""``python -m payerkit``: the ``payerkit`` command."""

from .cli import main

raise SystemExit(main())

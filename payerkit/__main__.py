"""``python -m payerkit``: the ``payerkit`` command."""

if __name__ == "__main__":  # not when a walk over payerkit's modules imports it
    from .cli import main

    raise SystemExit(main())

"""``payerkit new-adapter NAME``: a complete adapter package that passes its own suite.

:mod:`.names` derives every name of the adapter from ``NAME`` (the distribution
``payerkit-NAME``, the package ``payerkit_NAME``, the program id and entry point, its outcome
codes, its facts class); :mod:`.write` fills the templates of ``template/`` with them and
writes the package whole or not at all. The templates are package data, versioned with the
hook contract they implement (no template engine: :class:`string.Template`). payerkit's own
``contrib/template`` is exactly what this writes for ``example-adapter``: a test holds the
two equal, byte for byte, so they never drift.
"""

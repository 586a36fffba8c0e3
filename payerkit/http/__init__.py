"""``payerkit serve``: the HTTP door to the one pipeline (``docs/http.md``).

Needs the ``payerkit[server]`` extra (Starlette, uvicorn). The modules:

- :mod:`payerkit.http.config`: the server's settings (:class:`~payerkit.http.config.ServeConfig`)
  and the rules a start obeys (a non-loopback bind needs a token); no web import.
- :mod:`payerkit.http.service`: what a request asks, without the request: read a case
  (paths confined to ``--files-dir``), answer a question, write a claim, evaluate a batch;
  the errors as HTTP statuses. Plain functions a page or a test can call.
- :mod:`payerkit.http.schema`: the OpenAPI 3.1 document, generated from the model's attrs
  classes and the case reader's limits.
- :mod:`payerkit.http.app`: the Starlette app (``create_app``): routes, the token, the body
  limits, the access log without bodies or query values.
- :mod:`payerkit.http.ledger`: the ledger's routes, ``/v1/ledger`` (``payerkit serve
  --ledger``): the reports, 835 posting and patient statements of ``payerkit ledger``.
- :mod:`payerkit.http.server`: starting uvicorn (``payerkit serve``).

Nothing here is imported by ``import payerkit``.
"""

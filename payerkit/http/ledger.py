"""The ledger's door, ``/v1/ledger`` (``payerkit serve --ledger``; docs/http.md, docs/ledger.md).

The routes answer what ``payerkit ledger ... --json`` answers, built by the same functions
(:mod:`payerkit.ledger.reports`, :func:`payerkit.ledger.posting.post`,
:func:`payerkit.ledger.statement.statement`): one shape, one serializer.

- ``GET /v1/ledger/claims?status=``, ``GET /v1/ledger/aging?as_of=``,
  ``GET /v1/ledger/denials``, ``GET /v1/ledger/underpayments``: the reports;
- ``POST /v1/ledger/remittances``: an 835 as the body (``application/edi-x12`` or
  ``text/plain``, at most ``ServeConfig.max_remittance_bytes``), posted in one transaction,
  once (keyed by its trace numbers: the same body twice posts once); a file that does not
  balance is 422 with its problems, nothing posted; an 835 that cannot be read is 422 naming
  each segment and element;
- ``GET /v1/ledger/statements/{patient}?on=``: the patient statement PDF; an unknown patient
  is 404, without the number asked for.

The work runs as every other request's does, in a worker thread under the service's lock
(:func:`~payerkit.http.app.in_thread`). Without ``--ledger`` each route is 404, saying how
to turn the ledger on. The descriptions of adjustment reasons (``--codes FILE``) are not
offered: a request names no file the server would read. Nothing here imports the ledger's
database code until a ledger is open.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import LedgerInputError, NotFound, RequestError
from ..output import printable
from .app import _failed, _one, _query, in_thread, json_response, read_body
from .service import Service, parse_date

#: The media types an 835 body may have.
REMITTANCE_TYPES = ("application/edi-x12", "text/plain")
#: A patient's number in the ledger: ``P`` and nine letters and digits
#: (:func:`payerkit.ledger.entry.patient_key`).
PATIENT_NUMBER_LENGTH = 10

OFF = ("ledger: this server keeps no ledger; start it with `payerkit serve --ledger` (the "
       "ledger of PAYERKIT_DB, else the default one; needs payerkit[ledger]): docs/ledger.md")
NO_PATIENT = ("patient: no patient of that number in the ledger (GET /v1/ledger/claims "
              "lists each claim's patient)")


# ---------------------------------------------------------------------------
# What each route does, without the request (each run under the service's lock).
# ---------------------------------------------------------------------------


def claims(ledger, status: str | None) -> dict:
    """``payerkit ledger claims [--status S] --json``."""
    from ..ledger import reports

    with ledger.connect() as conn:
        return {"claims": reports.claims(conn, status)}


def aging(ledger, as_of: dt.date) -> dict:
    """``payerkit ledger aging --as-of DATE --json``."""
    from ..ledger import reports

    with ledger.connect() as conn:
        return reports.aging(conn, as_of)


def denials(ledger) -> dict:
    """``payerkit ledger denials --json`` (no ``--codes``: codes only)."""
    from ..ledger import reports

    with ledger.connect() as conn:
        return reports.denials(conn)


def underpayments(ledger) -> dict:
    """``payerkit ledger underpayments --json``."""
    from ..ledger import reports

    with ledger.connect() as conn:
        return reports.underpayments(conn)


def post(ledger, data: bytes, posted_on: dt.date) -> dict:
    """``payerkit ledger post FILE --json`` of the 835 ``data``."""
    from ..ledger.posting import post as post_data

    return post_data(ledger, data, posted_on).json()


def statement(ledger, patient: str, on: dt.date) -> bytes:
    """The statement PDF of ``patient`` on ``on`` (``payerkit ledger statement``'s file);
    :class:`NotFound` for a number the ledger does not hold (the number is not repeated)."""
    if len(patient) != PATIENT_NUMBER_LENGTH or not patient.isascii() or not patient.isalnum():
        raise NotFound([NO_PATIENT])
    from ..formats.patient_statement import write_patient_statement
    from ..ledger.statement import statement as make

    try:
        with ledger.connect() as conn:
            bill = make(conn, patient, on)
    except LedgerInputError:  # the one it raises: no such patient
        raise NotFound([NO_PATIENT]) from None
    return write_patient_statement(bill)


# ---------------------------------------------------------------------------
# The routes.
# ---------------------------------------------------------------------------


def _ledger(service: Service):
    if service.ledger is None:
        raise NotFound([OFF])
    return service.ledger


def _status(given: dict) -> str | None:
    from ..ledger.reports import STATUSES

    status = _one(given, "status")
    if status is not None and status not in STATUSES:
        shown = printable(status if len(status) <= 20 else status[:17] + "...")
        raise RequestError([f"status: expected one of {', '.join(STATUSES)}, got {shown!r}"])
    return status


def _day(given: dict, name: str, service: Service) -> dt.date:
    text = _one(given, name)
    return service.today() if text is None else parse_date(name, text)


async def _report(request: Request, make, allowed: tuple[str, ...], *read) -> Response:
    service = request.app.state.service
    try:
        ledger = _ledger(service)
        given = _query(request, allowed)
        args = [reader(given, service) for reader in read]
        return json_response(await in_thread(service, make, ledger, *args))
    except Exception as exc:
        return _failed(exc, request)


async def claims_endpoint(request: Request) -> Response:
    return await _report(request, claims, ("status",), lambda given, _: _status(given))


async def aging_endpoint(request: Request) -> Response:
    return await _report(request, aging, ("as_of",),
                         lambda given, service: _day(given, "as_of", service))


async def denials_endpoint(request: Request) -> Response:
    return await _report(request, denials, ())


async def underpayments_endpoint(request: Request) -> Response:
    return await _report(request, underpayments, ())


async def remittances_endpoint(request: Request) -> Response:
    service, config = request.app.state.service, request.app.state.config
    try:
        ledger = _ledger(service)
        _query(request, ())
        data = await read_body(request, config.max_remittance_bytes, REMITTANCE_TYPES)
        return json_response(await in_thread(service, post, ledger, data, service.today()))
    except Exception as exc:
        return _failed(exc, request)


async def statement_endpoint(request: Request) -> Response:
    service = request.app.state.service
    try:
        ledger = _ledger(service)
        on = _day(_query(request, ("on",)), "on", service)
        pdf = await in_thread(service, statement, ledger, request.path_params["patient"], on)
    except Exception as exc:
        return _failed(exc, request)
    return Response(pdf, 200, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="statement-{on:%Y-%m-%d}.pdf"'})


def routes() -> list[Route]:
    """The ``/v1/ledger`` routes (each 404 while the service has no ledger)."""
    return [
        Route("/v1/ledger/claims", claims_endpoint, methods=["GET"]),
        Route("/v1/ledger/aging", aging_endpoint, methods=["GET"]),
        Route("/v1/ledger/denials", denials_endpoint, methods=["GET"]),
        Route("/v1/ledger/underpayments", underpayments_endpoint, methods=["GET"]),
        Route("/v1/ledger/remittances", remittances_endpoint, methods=["POST"]),
        Route("/v1/ledger/statements/{patient}", statement_endpoint, methods=["GET"]),
    ]

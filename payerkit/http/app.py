"""The Starlette app of ``payerkit serve`` (``docs/http.md``): :func:`create_app`.

Routes under ``/v1`` call :class:`payerkit.http.service.Service` (the work, in a thread, one
evaluation at a time per process); around them, from the outside in:

- :class:`Guard`: anything unexpected is a 500 with the exception's type, and one log line
  with its type and place; never a traceback (uvicorn would log one, with whatever text the
  exception carried);
- :class:`AccessLog`: one line per request on ``payerkit.http.access``: the client, the
  method, the route's template (``/v1/programs/{id}``, never the path as sent), the status,
  the bytes sent and the time; no body, no query string;
- :class:`Gate`: the token (``Authorization: Bearer``) when the server has one, else only
  requests addressed to a loopback name (no DNS rebinding).

The ledger's routes (``/v1/ledger/...``) are :mod:`payerkit.http.ledger`'s; they answer 404
unless the server was started with ``--ledger``, and the OpenAPI document lists them only
then.

A module ``payerkit.http.page`` with ``routes(service)`` (the practice page) is mounted at
``/``; without it ``/`` says where the API is.
"""

from __future__ import annotations

import asyncio
import hmac
import importlib
import importlib.util
import json
import logging
import time
import weakref
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Match, Route

from .. import __version__
from ..errors import PayerKitError, RequestError, TooLarge, UnsupportedMediaType
from ..formats import X12_837P
from ..formats.builtin import PDF
from ..output import JSON, printable, utf8
from .config import ServeConfig, from_environ
from .service import (
    CLAIM_QUESTIONS,
    QUESTIONS,
    Service,
    log_failure,
    parse_date,
    parse_visits,
    problem,
)

access = logging.getLogger("payerkit.http.access")

#: Media types a case body may have, and a batch body.
JSON_TYPES = ("application/json",)
JSON_LINES_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
                    "application/json-lines")


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    """``data`` as JSON (UTF-8, the batch's encoder: no ``NaN``, lone surrogates escaped)."""
    return Response(utf8(JSON.encode(data)), status, headers, media_type="application/json")


def error_response(exc: BaseException, program: str | None = None,
                   headers: dict | None = None) -> Response:
    status, body = problem(exc, program)
    return json_response(body, status, headers)


# ---------------------------------------------------------------------------
# Reading a request.
# ---------------------------------------------------------------------------


async def read_body(request: Request, limit: int, types: tuple[str, ...]) -> bytes:
    """The body, at most ``limit`` bytes: a ``Content-Length`` over it is refused before
    anything is read, and a body that grows past it (chunked) as soon as it does."""
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind not in types:
        raise _unsupported(kind, types)
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit() or len(length) > 18:
            raise RequestError(["Content-Length: expected a number of bytes"])
        if int(length) > limit:
            raise TooLarge([f"body: {int(length)} bytes, more than {limit}, the limit here"])
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge([f"body: more than {limit} bytes, the limit here"])
        chunks.append(chunk)
    return b"".join(chunks)


def _unsupported(kind: str, types: tuple[str, ...]) -> UnsupportedMediaType:
    shown = kind if len(kind) <= 60 and kind.isprintable() else kind[:57] + "..."
    return UnsupportedMediaType([f"Content-Type: expected {' or '.join(types)}, got "
                        f"{printable(shown) or 'none'!r}"])


def _query(request: Request, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    """The query parameters, each a list of its values; one not in ``allowed`` is refused."""
    given: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            shown = name if len(name) <= 40 and name.isprintable() else "(a parameter)"
            raise RequestError([f"{shown}: unknown query parameter (this endpoint takes "
                              f"{', '.join(allowed) or 'none'})"])
        given.setdefault(name, []).append(value)
    for name, values in given.items():
        if name != "visit" and len(values) > 1:
            raise RequestError([f"{name}: given more than once"])
    return given


def _one(given: dict, name: str) -> str | None:
    values = given.get(name)
    return values[0] if values else None


def _as_of(given: dict):
    text = _one(given, "as_of")
    return None if text is None else parse_date("as_of", text)


#: Each service's line of requests, with the event loop it belongs to.
_LIMITERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def in_thread(service: Service, method, *args):
    """``method(*args)`` under the service's lock, in a worker thread, one at a time per
    process: the event loop stays free. Requests wait in line in the event loop (an anyio
    ``CapacityLimiter`` of 1: first come, first served), not on the lock in many threads,
    where whichever thread the scheduler wakes goes first and an unlucky request waits
    longest (measured: a p99 of 1.1 s at 32 in flight, against ~0.13 s for the p50).
    Whatever it raises comes back as an exception (``KeyboardInterrupt`` from a plugin too:
    in a thread it is never the user's Ctrl-C, which goes to the main thread)."""
    def run():
        try:
            return True, service.call(method, *args)
        except BaseException as exc:  # noqa: B036 - a plugin's, handed back as an answer
            return False, exc
    loop = asyncio.get_running_loop()
    held = _LIMITERS.get(service)
    if held is None or held[0] is not loop:  # one per event loop (a test makes many)
        held = _LIMITERS[service] = (loop, anyio.CapacityLimiter(1))
    done, value = await anyio.to_thread.run_sync(run, limiter=held[1])
    if done:
        return value
    if not isinstance(value, Exception):  # KeyboardInterrupt, SystemExit: this request's end
        raise PayerKitError(f"the answer was interrupted ({type(value).__name__} raised while "
                            "answering, in a worker thread: a plugin's, never the server's "
                            "stop); the server goes on") from None
    raise value


# ---------------------------------------------------------------------------
# Endpoints.
# ---------------------------------------------------------------------------


def _service(request: Request) -> Service:
    return request.app.state.service


async def _answer(request: Request, question: str) -> Response:
    service, config = _service(request), request.app.state.config
    many = question in CLAIM_QUESTIONS
    try:
        given = _query(request, ("visit", "as_of", "format") if many else ("visit", "as_of"))
        visits, as_of = parse_visits(given.get("visit", []), many), _as_of(given)
        body = await read_body(request, config.max_case_bytes, JSON_TYPES)
        data = await in_thread(service, service.ask, question, body, visits, as_of,
                               _one(given, "format"))
    except Exception as exc:
        return _failed(exc, request)
    return json_response(data)


def _failed(exc: BaseException, request: Request, program: str | None = None) -> Response:
    if not _expected(exc):
        log_failure(exc, f"{request.method} {_template(request.app.routes, request.scope)}",
                    request.app.state.config.debug)
    return error_response(exc, program)


def _expected(exc: BaseException) -> bool:
    return isinstance(exc, PayerKitError)


def _question(name: str):
    async def endpoint(request: Request) -> Response:
        return await _answer(request, name)
    endpoint.__name__ = name
    return endpoint


async def programs(request: Request) -> Response:
    service = _service(request)
    try:
        _query(request, ())
        return json_response(await in_thread(service, service.programs))
    except Exception as exc:
        return _failed(exc, request)


async def program(request: Request) -> Response:
    service = _service(request)
    try:
        _query(request, ())
        return json_response(await in_thread(service, service.program,
                                             request.path_params["id"]))
    except Exception as exc:
        return _failed(exc, request)


async def claims(request: Request) -> Response:
    service, config = _service(request), request.app.state.config
    try:
        given = _query(request, ("visit", "as_of", "format"))
        visits, as_of = parse_visits(given.get("visit", []), True), _as_of(given)
        body = await read_body(request, config.max_case_bytes, JSON_TYPES)
        case = await in_thread(service, service.read_case, body)
    except Exception as exc:
        return _failed(exc, request)
    try:
        made = await in_thread(service, service.claim, case, _one(given, "format") or X12_837P,
                               visits, as_of)
    except Exception as exc:
        return _failed(exc, request, case.program)
    return Response(made.data, 200, media_type=made.media_type, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"',
        "Payerkit-Warnings": str(len(made.warnings))})


def _accepts(request: Request, media_type: str) -> bool:
    """Whether the request's ``Accept`` prefers ``media_type`` to JSON: named with a higher
    quality, or the same quality and first (no ``Accept``, ``*/*``: JSON)."""
    ranked = {}
    for i, part in enumerate(request.headers.get("accept", "").split(",")):
        kind, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.setdefault(kind.strip().lower(), (quality, -i))
    wanted = ranked.get(media_type, (0.0, 0))
    return wanted[0] > 0 and wanted > ranked.get("application/json", (0.0, 0))


async def plan(request: Request) -> Response:
    """The treatment plan's state (``payerkit plan --json``), or with ``format`` (or
    ``Accept: application/pdf``) its progress report, the bytes ``payerkit claim --format
    progress-report`` writes."""
    service, config = _service(request), request.app.state.config
    try:
        given = _query(request, ("as_of", "format"))
        as_of, fmt = _as_of(given), _one(given, "format")
        if fmt is None and _accepts(request, PDF):
            fmt = next((f.id for f in service.kit.claim_formats()
                        if f.renders == "plan" and f.media_type.lower() == PDF), None)
        body = await read_body(request, config.max_case_bytes, JSON_TYPES)
        case = await in_thread(service, service.read_case, body)
    except Exception as exc:
        return _failed(exc, request)
    try:
        made = await in_thread(service, service.plan, case, as_of, fmt)
    except Exception as exc:
        return _failed(exc, request, case.program)
    if isinstance(made, dict):
        return json_response(made)
    return Response(made.data, 200, media_type=made.media_type, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"',
        "Payerkit-Warnings": str(len(made.warnings))})


async def batch(request: Request) -> Response:
    service, config = _service(request), request.app.state.config
    try:
        given = _query(request, ("visit", "as_of", "format"))
        every = given.get("visit", []) == ["all"]
        if given.get("visit") and not every:
            raise RequestError(["visit: a batch takes 'all' (every visit of each case) or "
                              "nothing (each case's last visit)"])
        as_of = _as_of(given)
        body = await read_body(request, config.max_batch_bytes, JSON_LINES_TYPES)
        settings = await in_thread(service, service.batch_settings,
                                   _one(given, "format") or X12_837P, every, as_of)
        items = service.batch_items(body)
    except Exception as exc:
        return _failed(exc, request)

    async def lines():
        for item in items:
            try:
                yield await in_thread(service, service.batch_line, item, settings)
            except Exception as exc:  # a set-up problem: the stream ends, said in one line
                if not _expected(exc):
                    log_failure(exc, "POST /v1/batch", config.debug)
                status, data = problem(exc)
                yield utf8(JSON.encode({**item.where(), "status": "failed", "program": None,
                                        "problems": data["problems"], "claim": None})) + b"\n"
                return

    return StreamingResponse(lines(), media_type="application/x-ndjson")


async def openapi(request: Request) -> Response:
    return Response(request.app.state.openapi, media_type="application/json")


async def home(request: Request) -> Response:
    return json_response({"name": "payerkit", "version": __version__,
                          "openapi": "/v1/openapi.json", "docs": "docs/http.md"})


async def _not_found(request: Request, exc: HTTPException) -> Response:
    return json_response({"error": exc.detail.lower() if exc.detail else "error",
                          "problems": []}, exc.status_code, getattr(exc, "headers", None))


# ---------------------------------------------------------------------------
# Around the routes.
# ---------------------------------------------------------------------------


def _template(routes: list, scope) -> str:
    """The route a request matched, as declared (``/v1/programs/{id}``); ``-`` for none."""
    for route in routes:
        try:
            match, _ = route.matches(scope)
        except Exception:  # noqa: BLE001 - a route that cannot say: not this one
            continue
        if match is Match.FULL:
            return getattr(route, "path", "-")
    return "-"


async def _send_json(send, status: int, data: dict, headers: list | None = None) -> None:
    body = utf8(JSON.encode(data))
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", b"%d" % len(body)),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The last word: an exception nothing else caught is a 500 naming its type, logged as
    its type and place; never raised to the server, which would log its traceback."""

    def __init__(self, app, routes: list, debug: bool = False):
        self.app = app
        self.routes = routes
        self.debug = debug

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # noqa: BLE001 - the boundary
            log_failure(exc, f"{scope.get('method')} {_template(self.routes, scope)}",
                        self.debug)
            if not started:
                await _send_json(send, 500, problem(exc)[1])


class AccessLog:
    """One line per request: client, method, route template, status, bytes sent, time."""

    def __init__(self, app, routes: list, enabled: bool = True):
        self.app = app
        self.routes = routes
        self.enabled = enabled

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        status, sent, began = 0, 0, time.perf_counter()

        async def count(message):
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, count)
        finally:
            client = scope.get("client") or ("-", 0)
            access.info('%s "%s %s" %d %dB %.1fms', client[0], scope.get("method"),
                        _template(self.routes, scope), status or 500, sent,
                        (time.perf_counter() - began) * 1000)


class Gate:
    """The token, when the server has one; else only loopback host names."""

    def __init__(self, app, config: ServeConfig):
        self.app = app
        self.token = config.token.encode() if config.token else None
        self.hosts = config.allowed_hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if self.token is not None:
            given = headers.get(b"authorization", b"")
            scheme, _, token = given.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), self.token):
                await _send_json(send, 401, {"error": "unauthorized", "problems": [
                    "Authorization: expected 'Bearer <token>' with the server's token "
                    "(PAYERKIT_API_TOKEN)"]}, [(b"www-authenticate", b"Bearer")])
                return
        elif self.hosts is not None:
            host = headers.get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.hosts:
                await _send_json(send, 400, {"error": "malformed request", "problems": [
                    "Host: a server without a token answers only requests addressed to "
                    "localhost, 127.0.0.1 or [::1]; set PAYERKIT_API_TOKEN to serve other "
                    "names"]})
                return
        await self.app(scope, receive, send)


# ---------------------------------------------------------------------------
# The app.
# ---------------------------------------------------------------------------


def _page_routes(service: Service) -> list | None:
    """The practice page's routes (``payerkit.http.page.routes(service)``), when installed."""
    if importlib.util.find_spec("payerkit.http.page") is None:
        return None
    page = importlib.import_module("payerkit.http.page")
    make = getattr(page, "routes", None)
    return list(make(service)) if make is not None else None


def _example_case() -> dict | None:
    """The example case shown in the OpenAPI document (``payerkit/data/example-case.json``:
    ``examples/ny-covered.toml`` as JSON, every person and number invented)."""
    from importlib.resources import files

    try:
        return json.loads(files("payerkit").joinpath("data/example-case.json").read_text())
    except (OSError, ValueError):
        return None


def create_app(config: ServeConfig | None = None, kit=None) -> Starlette:
    """The app for ``config`` (default: loopback, no token, no files), over ``kit`` (default:
    the installed plugins). Its ``state`` holds ``service`` (:class:`Service`), ``config``
    and ``openapi`` (the document's bytes)."""
    from .ledger import routes as ledger_routes
    from .schema import openapi as make_openapi

    config = config or ServeConfig()
    ledger = None
    if config.ledger:  # opened (and migrated) now: a ledger that cannot be stops the start
        from ..ledger.commands import open_ledger

        ledger = open_ledger(None)
    service = Service(kit, config.files_dir, config.data_dir, ledger=ledger)
    routes = [
        Route("/v1/programs", programs, methods=["GET"]),
        Route("/v1/programs/{id}", program, methods=["GET"]),
        *(Route(f"/v1/{name}", _question(name), methods=["POST"])
          for name in (*QUESTIONS, *CLAIM_QUESTIONS)),
        Route("/v1/claims", claims, methods=["POST"]),
        Route("/v1/plan", plan, methods=["POST"]),
        Route("/v1/batch", batch, methods=["POST"]),
        *ledger_routes(),  # each 404 without a ledger, saying how to open one
        Route("/v1/openapi.json", openapi, methods=["GET"]),
    ]
    page = _page_routes(service)
    routes += page if page is not None else [Route("/", home, methods=["GET"])]
    app = Starlette(routes=routes, middleware=[
        Middleware(Guard, routes=routes, debug=config.debug),
        Middleware(AccessLog, routes=routes, enabled=config.access_log),
        Middleware(Gate, config=config)],
        exception_handlers={HTTPException: _not_found})
    app.state.service = service
    app.state.config = config
    document = make_openapi(service.kit, _example_case(), max_case_bytes=config.max_case_bytes,
                            max_batch_bytes=config.max_batch_bytes, token=bool(config.token),
                            ledger=ledger is not None,
                            max_remittance_bytes=config.max_remittance_bytes)
    app.state.openapi = utf8(JSON.encode(document))
    return app


def app_from_environ() -> Starlette:
    """The app of ``payerkit serve``'s settings, in each of uvicorn's worker processes
    (uvicorn's ``factory``)."""
    from .server import settle

    app = create_app(from_environ())
    settle()
    return app

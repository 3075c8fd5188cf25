"""Liveness, readiness and Prometheus metrics over HTTP for every service process."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import inspect
import socket
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence

import uvicorn
from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services import __version__
from services.core.logs import get_logger

Readiness = tuple[bool, str]
Check = Callable[[], Readiness | Awaitable[Readiness]]
Failures = Callable[[], Sequence[Mapping[str, object]]]
About = Callable[[], Mapping[str, object]]

log = get_logger(__name__)
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def _no_failures() -> Sequence[Mapping[str, object]]:
    return ()


def _serving() -> Readiness:
    return True, "serving"


def _nothing() -> Mapping[str, object]:
    return {}


async def _checked(check: Check) -> Readiness:
    result = check()
    return await result if inspect.isawaitable(result) else result


def health_router(
    service: str,
    ready: Check,
    *,
    live: Check = _serving,
    failures: Failures = _no_failures,
    about: About = _nothing,
    ready_summary: str = "Ready while the service can do its job",
) -> APIRouter:
    """``/healthz`` (the process works), ``/readyz`` (it can do its job), ``/metrics``: the
    same bodies and status codes for every service.

    A check answers ``(ok, detail)``, directly or awaited. The body says ``service``,
    ``status`` (``ok``, ``unavailable``, or ``failing`` while ``failures`` names any: partitions
    stopped on a record the code fails on, each with its error class and message, under
    ``failures``), ``detail``, ``version`` and ``uptime_s``, then what ``about`` adds (a
    consumer stage: its role, partitions, host and pid); the answer is 200 when ``ok`` and not
    failing, 503 otherwise.
    """
    router = APIRouter()
    started = time.time()

    async def answer(check: Check, failing: Sequence[Mapping[str, object]] = ()) -> JSONResponse:
        ok, detail = await _checked(check)
        status = "failing" if failing else "ok" if ok else "unavailable"
        body: dict[str, object] = {
            "service": service,
            "status": status,
            "detail": detail,
            "version": __version__,
            "uptime_s": round(time.time() - started, 1),
            **about(),
        }
        if failing:
            body["failures"] = [dict(failure) for failure in failing]
        return JSONResponse(body, status_code=200 if ok and not failing else 503)

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> JSONResponse:
        return await answer(live)

    @router.get("/readyz", summary=ready_summary)
    async def readyz() -> JSONResponse:
        return await answer(ready, failures())

    @router.get("/metrics", include_in_schema=False)
    async def prometheus() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def health_app(
    service: str,
    live: Check,
    ready: Check,
    failures: Failures = _no_failures,
    about: About = _nothing,
) -> FastAPI:
    """The health endpoints alone, as a consumer stage serves them on its health port."""
    app = FastAPI(title=f"newsflow {service} health", docs_url=None, redoc_url=None)
    app.include_router(health_router(service, ready, live=live, failures=failures, about=about))
    return app


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` for a health server; when ``port`` is taken (a second
    process of one stage on this host, a standby), on a free port instead: the process announces
    where it is (:mod:`services.core.presence`)."""
    try:
        return _listening(host, port)
    except OSError as error:
        if not port or error.errno != errno.EADDRINUSE:
            raise OSError(error.errno, f"could not serve HTTP on {host}:{port}: {error}") from error
    log.warning("health_port_in_use", host=host, port=port, using="a free port")
    return _listening(host, 0)


def _listening(host: str, port: int) -> socket.socket:
    """Bound and listening, as uvicorn binds a host (IPv6 when the host has a colon)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)  # at once: on Linux two sockets not yet listening may share a port
    except OSError:
        sock.close()
        raise
    return sock


def advertised_url(host: str, sock: socket.socket) -> str:
    """The URL other hosts reach the server on ``sock`` at: its bound address, or this host's
    address when it listens on every interface."""
    port = sock.getsockname()[1]
    if host in WILDCARDS:
        try:
            host = socket.gethostbyname(socket.gethostname())
        except OSError:
            host = socket.gethostname()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the service's own entry point."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_http(
    app: FastAPI, host: str, port: int, stop: asyncio.Event, sock: socket.socket | None = None
) -> None:
    """Serve ``app`` until ``stop`` is set (on ``sock`` when given, already listening)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    server = QuietServer(config)
    task = asyncio.create_task(server.serve(sockets=None if sock is None else [sock]))
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopper.cancel()
    await task
    if task in done and not stop.is_set() and not server.started:
        raise OSError(f"could not serve HTTP on {host}:{port}")

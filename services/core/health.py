"""Liveness, readiness and Prometheus metrics over HTTP for every service process."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence

import uvicorn
from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services import __version__

Readiness = tuple[bool, str]
Check = Callable[[], Readiness | Awaitable[Readiness]]
Failures = Callable[[], Sequence[Mapping[str, object]]]


def _no_failures() -> Sequence[Mapping[str, object]]:
    return ()


def _serving() -> Readiness:
    return True, "serving"


async def _checked(check: Check) -> Readiness:
    result = check()
    return await result if inspect.isawaitable(result) else result


def health_router(
    service: str,
    ready: Check,
    *,
    live: Check = _serving,
    failures: Failures = _no_failures,
    ready_summary: str = "Ready while the service can do its job",
) -> APIRouter:
    """``/healthz`` (the process works), ``/readyz`` (it can do its job), ``/metrics``: the
    same bodies and status codes for every service.

    A check answers ``(ok, detail)``, directly or awaited. The body says ``service``,
    ``status`` (``ok``, ``unavailable``, or ``failing`` while ``failures`` names any: partitions
    stopped on a record the code fails on, each with its error class and message, under
    ``failures``), ``detail``, ``version`` and ``uptime_s``; the answer is 200 when ``ok`` and
    not failing, 503 otherwise.
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
    service: str, live: Check, ready: Check, failures: Failures = _no_failures
) -> FastAPI:
    """The health endpoints alone, as a consumer stage serves them on its health port."""
    app = FastAPI(title=f"newsflow {service} health", docs_url=None, redoc_url=None)
    app.include_router(health_router(service, ready, live=live, failures=failures))
    return app


class QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the service's own entry point."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_http(app: FastAPI, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve ``app`` until ``stop`` is set."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    server = QuietServer(config)
    task = asyncio.create_task(server.serve())
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopper.cancel()
    await task
    if task in done and not stop.is_set() and not server.started:
        raise OSError(f"could not serve HTTP on {host}:{port}")

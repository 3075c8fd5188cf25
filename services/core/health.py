"""Liveness, readiness and Prometheus metrics over HTTP for every service process."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

import uvicorn
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services import __version__

Check = Callable[[], tuple[bool, str]]
Failures = Callable[[], Sequence[Mapping[str, object]]]


def _no_failures() -> Sequence[Mapping[str, object]]:
    return ()


def health_app(
    service: str, live: Check, ready: Check, failures: Failures = _no_failures
) -> FastAPI:
    """``/healthz`` (the process works), ``/readyz`` (it can do its job), ``/metrics``.

    While ``failures`` names any (partitions stopped on a record the code fails on),
    ``/readyz`` answers 503 with status ``failing`` and each failure's error class and message.
    """
    app = FastAPI(title=f"newsflow {service} health", docs_url=None, redoc_url=None)
    started = time.time()

    def answer(check: Check, failing: Sequence[Mapping[str, object]] = ()) -> JSONResponse:
        ok, detail = check()
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

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return answer(live)

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        return answer(ready, failures())

    @app.get("/metrics")
    def prometheus() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

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

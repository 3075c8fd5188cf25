"""The gateway HTTP application: the read API, health, metrics, the dashboard, and the
background tasks (status poller, article follower, process roster) that run for the app's
lifetime."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from services import __version__
from services.core.health import health_router
from services.core.httpmetrics import ResponseCounter
from services.core.policy import Backoff
from services.core.settings import Settings
from services.gateway.database import LazyReader
from services.gateway.follower import ArticleFollower
from services.gateway.poller import StatusPoller
from services.gateway.roster import ProcessRoster
from services.gateway.routes import NotFoundError, router
from services.gateway.state import Gateway
from services.gateway.stream import StreamTiming
from services.gateway.supervisor import supervise
from services.gateway.tracker import ArticleIndex
from services.store.errors import DatabaseUnavailableError, SchemaVersionError
from services.store.search import InvalidQueryError

RETRY_AFTER_S = "2"


def dashboard_html() -> str:
    return (files("services.gateway") / "static" / "dashboard.html").read_text("utf-8")


def _error(status: int, error: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status, headers=headers or None)


def add_error_handlers(app: FastAPI) -> None:
    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        return _error(400, "invalid_query", str(exc))

    async def unavailable(_request: Request, exc: Exception) -> JSONResponse:
        return _error(503, "database_unavailable", str(exc), **{"Retry-After": RETRY_AFTER_S})

    async def unknown(_request: Request, exc: Exception) -> JSONResponse:
        return _error(404, "not_found", str(exc.args[0]) if exc.args else "not found")

    app.add_exception_handler(InvalidQueryError, invalid)
    app.add_exception_handler(NotFoundError, unknown)
    app.add_exception_handler(DatabaseUnavailableError, unavailable)
    app.add_exception_handler(SchemaVersionError, unavailable)


def create_app(
    settings: Settings | None = None,
    *,
    stop: asyncio.Event | None = None,
    poll_interval_s: float | None = None,
    timing: StreamTiming | None = None,
) -> FastAPI:
    """The gateway app. ``stop`` (set on SIGTERM by ``__main__``) also ends live streams;
    ``poll_interval_s`` overrides the setting (tests poll faster)."""
    settings = settings or Settings()
    db = LazyReader.of(settings)
    backlog = settings.gateway_index_backlog
    index = ArticleIndex(settings.gateway_index_capacity, window=backlog)
    roster = ProcessRoster(settings)
    gateway = Gateway(
        db=db,
        poller=StatusPoller(settings, db, interval_s=poll_interval_s, roster=roster),
        roster=roster,
        index=index,
        follower=ArticleFollower(settings, index, backlog=backlog),
        backlog=backlog,
        closing=stop or asyncio.Event(),
        timing=timing or StreamTiming.of(settings),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        halt = asyncio.Event()

        def backoff() -> Backoff:
            return Backoff(settings.retry_backoff_initial_s, settings.retry_backoff_max_s)

        tasks = [
            asyncio.create_task(supervise("status_poller", gateway.poller.run, halt, backoff())),
            asyncio.create_task(supervise("follower", gateway.follower.run, halt, backoff())),
            asyncio.create_task(supervise("roster", gateway.roster.run, halt, backoff())),
        ]
        try:
            yield
        finally:
            gateway.closing.set()
            halt.set()
            await asyncio.gather(*tasks)
            with contextlib.suppress(DatabaseUnavailableError):
                await db.close()

    app = FastAPI(
        title="newsflow gateway",
        version=__version__,
        description=(
            "Read-only view of newsflow: health and lag of every part, full-text search, "
            "article and story lookups, where a pushed article is, and a live stream."
        ),
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    app.include_router(router)
    add_error_handlers(app)
    add_service_routes(app, gateway, settings.gateway_status_max_age_s)
    app.add_middleware(ResponseCounter, service="gateway")
    return app


def readiness(
    db: tuple[bool, str], broker: tuple[bool, str], status_age_s: float, max_age_s: float
) -> tuple[bool, str]:
    """Ready while the database is readable, the broker reachable and the status served no
    older than ``max_age_s`` (a stalled or crashed poller makes the gateway unready)."""
    fresh = status_age_s <= max_age_s
    status = f"{status_age_s:.1f}s old" + ("" if fresh else f", over {max_age_s:g}s: stale")
    ok = db[0] and broker[0] and fresh
    return ok, f"database: {db[1]}; broker: {broker[1]}; status: {status}"


def add_service_routes(app: FastAPI, gateway: Gateway, max_age_s: float) -> None:
    page = dashboard_html()

    @app.get("/", include_in_schema=False)
    async def dashboard() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    async def ready() -> tuple[bool, str]:
        snapshot = gateway.poller.snapshot
        return readiness(
            await gateway.db.check(),
            (snapshot.broker.ok, snapshot.broker.detail),
            time.time() - snapshot.generated_at.timestamp(),
            max_age_s,
        )

    app.include_router(
        health_router(
            "gateway",
            ready,
            ready_summary="Ready while the database is readable, the broker reachable and the "
            "status fresh",
        )
    )

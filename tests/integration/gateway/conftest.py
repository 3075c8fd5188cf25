"""Gateway test helpers: settings with fixed free ports, the gateway served over real HTTP."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Sequence

import httpx
import pytest

from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.gateway.app import create_app
from services.gateway.stream import StreamTiming
from services.store.backend import open_repository
from tests.integration.flow import create_topics
from tests.integration.servers import serving
from tests.support.ports import free_port
from tests.support.postgres import fresh_database, server_under_test

FAST_STREAM = StreamTiming(poll_s=0.1, heartbeat_s=0.5)
BACKENDS = ("sqlite", "postgresql")


@contextlib.asynccontextmanager
async def on_backend(settings: Settings, name: str) -> AsyncIterator[Settings]:
    """``settings`` with the store on backend ``name``: SQLite under its data directory, or a
    fresh PostgreSQL database (dropped afterwards)."""
    if name == "sqlite":
        yield settings
        return
    async with fresh_database(server_under_test()) as url:
        yield settings.model_copy(update={"database_url": url})


def free_port_base(count: int = 3) -> int:
    """A port such that it and the ``count - 1`` ports after it are free now."""
    for _ in range(100):
        base = free_port()
        if base + count > 65535:
            continue
        with contextlib.ExitStack() as stack:
            try:
                for offset in range(count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", base + offset))
            except OSError:
                continue
            return base
    raise AssertionError("no run of free ports found")


@pytest.fixture
def gw_settings(settings: Settings) -> Settings:
    """The test's settings with ports of its own for ingest, the stages' health and the gateway."""
    return settings.model_copy(
        update={
            "health_port_base": free_port_base(),
            "ingest_port": free_port(),
            "gateway_port": free_port(),
        }
    )


@contextlib.asynccontextmanager
async def gateway(settings: Settings, **options: object) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway app served on a loopback port, polling fast; yields a client for it."""
    app = create_app(settings, poll_interval_s=0.3, timing=FAST_STREAM, **options)  # type: ignore[arg-type]
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        yield client


async def store_articles(settings: Settings, articles: Sequence[ProcessedArticle]) -> None:
    """Store ``articles`` in the database of ``settings``, as the store would."""
    async with await open_repository(settings) as repo:
        await repo.save_many(list(articles))


@pytest.fixture(params=BACKENDS)
async def backend_settings(
    settings: Settings, request: pytest.FixtureRequest
) -> AsyncIterator[Settings]:
    """The test's settings with the store on each backend in turn (a test using it runs twice)."""
    async with on_backend(settings, str(request.param)) as chosen:
        yield chosen


@contextlib.asynccontextmanager
async def gateway_over(
    settings: Settings, articles: Sequence[ProcessedArticle]
) -> AsyncIterator[httpx.AsyncClient]:
    """The topics created, ``articles`` stored, and the gateway served over them."""
    await create_topics(settings)
    await store_articles(settings, articles)
    async with gateway(settings) as client:
        yield client
